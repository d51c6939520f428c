// Swap on the domain's VBD (memory/vbd-swap.ts): slot placement and timing by hand on a one-channel
// SSD-like device, splitting of long transfers, request conservation while swap traffic competes with
// block workloads, page conservation at every balloon step with VBD swap (and paging appearing only
// below kernel + working set), the memory hog against the swap area's size, and bad parameters.
import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulation } from '../../../src/sim/index.js';
import { BlockBackend } from '../../../src/models/disk/blkback.js';
import { DiskModel, DK32EJ_10K, type SsdParams } from '../../../src/models/disk/service.js';
import { IrWorkload, SeqHog } from '../../../src/models/disk/workloads.js';
import { VbdSwap } from '../../../src/models/memory/vbd-swap.js';
import { GuestPaging } from '../../../src/models/memory/paging.js';
import { MemoryHog, MemoryWorker } from '../../../src/models/memory/workloads.js';
import { FREE_CONTROL, makeHost } from '../host/helpers.js';

/** One channel, 100 µs per access, 1 µs per 4 KB page: service = 100 000 + 1000 × pages ns. */
const SSD1: SsdParams = {
  kind: 'ssd',
  capacitySectors: 1 << 24,
  sectorBytes: 512,
  channels: 1,
  readAccessNs: 100_000,
  writeAccessNs: 100_000,
  channelBytesPerS: 4.096e9,
};

function ssdSwap(areaStart = 800, areaSectors = 8 * 100) {
  const sim = new Simulation();
  const be = new BlockBackend(sim, { disks: [new DiskModel(SSD1)], scheduler: 'fifo' });
  be.addVbd(1, { extents: [{ disk: 0, startSector: 0, lengthSectors: 1 << 20 }], mode: 'rw' });
  const issued: { sector: number; sectors: number; write: boolean; at: number }[] = [];
  be.onComplete = (r) => issued.push({ sector: r.sector, sectors: r.sectors, write: r.write, at: r.completedAtNs });
  const swap = new VbdSwap(be.front(1), {
    region: { vbd: 0, startSector: areaStart, lengthSectors: areaSectors },
    rng: new RandomStreams(3).stream('swap'),
  });
  return { sim, be, swap, issued };
}

describe('VbdSwap: swap reads and writes are block requests on the VBD', () => {
  it('hand-computed: writes take consecutive slots from the area start; each costs access + pages × transfer', () => {
    const { sim, be, swap, issued } = ssdSwap();
    const done: [string, number][] = [];
    swap.write(1, () => done.push(['w1', sim.now]));
    swap.write(2, () => done.push(['w2', sim.now]));
    swap.read(1, () => done.push(['r1', sim.now]));
    sim.run();
    // FIFO on one channel: 101 000, then 102 000 more, then 101 000 more
    expect(done).toEqual([
      ['w1', 101_000],
      ['w2', 203_000],
      ['r1', 304_000],
    ]);
    expect(issued.slice(0, 2)).toEqual([
      { sector: 800, sectors: 8, write: true, at: 101_000 },
      { sector: 808, sectors: 16, write: true, at: 203_000 },
    ]);
    // the read goes to one of the three slots written (800, 808, 816)
    const r = issued[2];
    expect(r?.write).toBe(false);
    expect([800, 808, 816]).toContain(r?.sector);
    expect([swap.reads, swap.writes, swap.pagesRead, swap.pagesWritten, swap.requests, swap.answered]).toEqual([
      1, 2, 1, 3, 3, 3,
    ]);
    expect(swap.latencySumNs).toBe(101_000 + 203_000 + 304_000);
    be.checkConservation();
  });

  it('the allocation cursor wraps at the end of the area; reads stay inside the written slots', () => {
    const { sim, swap, issued } = ssdSwap(0, 8 * 5);
    for (let i = 0; i < 7; i++) swap.write(1, () => {});
    for (let i = 0; i < 50; i++) swap.read(2, () => {});
    sim.run();
    expect(issued.slice(0, 7).map((x) => x.sector)).toEqual([0, 8, 16, 24, 32, 0, 8]);
    for (const x of issued.slice(7)) {
      expect(x.sectors).toBe(16);
      expect(x.sector).toBeGreaterThanOrEqual(0);
      expect(x.sector + x.sectors).toBeLessThanOrEqual(40);
    }
  });

  it('a transfer of more than 11 pages is split into requests of at most 11; done once, after the last', () => {
    const { sim, swap, issued } = ssdSwap();
    let calls = 0;
    let at = -1;
    swap.write(25, () => {
      calls++;
      at = sim.now;
    });
    sim.run();
    expect(issued.map((x) => x.sectors)).toEqual([88, 88, 24]);
    expect(issued.map((x) => x.sector)).toEqual([800, 888, 976]);
    expect(calls).toBe(1);
    expect(at).toBe(111_000 + 111_000 + 103_000);
  });

  it("guest CPU per request runs on the given vCPU first (the Xen profile's block request by default)", () => {
    const { sim, host } = makeHost({ controlCosts: FREE_CONTROL, timerTickNs: 0 });
    const d = host.control.createDomain({ name: 'g' });
    const be = new BlockBackend(sim, { disks: [new DiskModel(SSD1)], host, requestCpuNs: 0 });
    host.control.attachDevice(d.id, 'vbd', { extents: [{ disk: 0, startSector: 0, lengthSectors: 8000 }] });
    const swap = new VbdSwap(be.front(d.id), {
      region: { vbd: 0, startSector: 0, lengthSectors: 8000 },
      rng: new RandomStreams(1).stream('s'),
      cpu: d.vcpus[0] ?? null,
      cpuNs: 5000,
    });
    let at = -1;
    swap.write(1, () => (at = sim.now));
    sim.run(10_000_000);
    // the request reaches the ring only after the 5 µs of guest CPU (and the switch to the guest)
    expect(d.busyNs).toBe(5000);
    expect(at - 101_000).toBeGreaterThanOrEqual(5000);
    expect(at - 101_000).toBeLessThan(5000 + 10_000);
    expect(
      new VbdSwap(be.front(d.id), {
        region: { vbd: 0, startSector: 0, lengthSectors: 8 },
        rng: new RandomStreams(1).stream('s'),
      }).cpuNs,
    ).toBeGreaterThan(0);
  });

  it('request conservation while swap competes with a dd hog on the same front end and another domain', () => {
    const sim = new Simulation();
    const be = new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], scheduler: 'clook' });
    be.addVbd(1, { extents: [{ disk: 0, startSector: 0, lengthSectors: 1 << 22 }], mode: 'rw' });
    be.addVbd(1, { extents: [{ disk: 0, startSector: 1 << 23, lengthSectors: 1 << 18 }], mode: 'rw' });
    be.addVbd(2, { extents: [{ disk: 0, startSector: 1 << 24, lengthSectors: 1 << 22 }], mode: 'rw' });
    const rs = new RandomStreams(11);
    const hog = new SeqHog(sim, be.front(1), { region: { vbd: 0, startSector: 0, lengthSectors: 1 << 22 }, cpuNs: 0 });
    const ir = new IrWorkload(sim, be.front(2), {
      region: { vbd: 0, startSector: 0, lengthSectors: 1 << 22 },
      clients: 4,
      rng: rs.stream('ir'),
      cpuNs: 0,
    });
    const swap = new VbdSwap(be.front(1), {
      region: { vbd: 1, startSector: 0, lengthSectors: 1 << 18 },
      rng: rs.stream('swap'),
    });
    hog.start();
    ir.start();
    // a faulting guest: one read at a time, a write for every other read
    let reads = 0;
    const fault = (): void => {
      if (sim.now > 1_500_000_000) return;
      if (reads++ % 2 === 0) swap.write(1, () => {});
      swap.read(1, fault);
    };
    fault();
    let checks = 0;
    for (let t = 1_000_000; t < 2_000_000_000; t += 7_000_000)
      sim.scheduleAt(t, () => {
        be.checkConservation();
        checks++;
      });
    sim.run(1_600_000_000);
    hog.stop();
    ir.stop();
    sim.run();
    be.checkConservation();
    expect(checks).toBeGreaterThan(200);
    expect(swap.outstanding).toBe(0);
    expect(swap.reads).toBe(reads);
    // every answer went to its owner: the hog never saw a swap response, and the totals add up
    const f1 = be.front(1);
    expect(f1.answered).toBe(hog.completed + hog.errors + swap.answered);
    expect(be.completed).toBe(hog.completed + ir.completed + swap.answered);
    expect(be.errorCount).toBe(0);
    // swap competes: its mean latency is well above one random access alone (the hog's 2 deep queue)
    expect(swap.latencySumNs / swap.answered).toBeGreaterThan(8_000_000);
  });

  it('bad parameters are refused with one line naming the field', () => {
    const { be } = ssdSwap();
    const rng = new RandomStreams(1).stream('x');
    const f = be.front(1);
    expect(() => new VbdSwap(f, { region: { vbd: 3, startSector: 0, lengthSectors: 8 }, rng })).toThrow(
      /^VbdSwap: region\.vbd must be a VBD attached to domain 1 \(0\.\.0\), got 3$/,
    );
    expect(() => new VbdSwap(f, { region: { vbd: 0, startSector: (1 << 20) - 8, lengthSectors: 16 }, rng })).toThrow(
      /^VbdSwap: region must be a range inside VBD 0 \(1048576 sectors\)/,
    );
    expect(() => new VbdSwap(f, { region: { vbd: 0, startSector: 0, lengthSectors: 4 }, rng })).toThrow(
      /^VbdSwap: region\.lengthSectors must be an integer/,
    );
    be.addVbd(1, { extents: [{ disk: 0, startSector: 0, lengthSectors: 64 }], mode: 'r' });
    expect(() => new VbdSwap(f, { region: { vbd: 1, startSector: 0, lengthSectors: 64 }, rng })).toThrow(
      /^VbdSwap: region\.vbd must be a writable \(rw\) VBD, got/,
    );
    const s = new VbdSwap(f, { region: { vbd: 0, startSector: 0, lengthSectors: 80 }, rng });
    expect(() => s.read(0, () => {})).toThrow(/^VbdSwap\.read: pages must be an integer >= 1 and <= 10, got 0$/);
    expect(() => s.write(11, () => {})).toThrow(/^VbdSwap\.write: pages must be an integer >= 1 and <= 10, got 11$/);
    expect(s.requests).toBe(0);
  });
});

describe('guest paging over VBD swap, under the balloon', () => {
  function guest(reservation: number, kernelPages: number, workingSetPages: number, areaPages = 32_768) {
    const { sim, host } = makeHost({ controlCosts: FREE_CONTROL, timerTickNs: 0, machineMemoryPages: 65_536 });
    const d = host.control.createDomain({ name: 'g', memoryReservationPages: reservation });
    const be = new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], host });
    host.control.attachDevice(d.id, 'vbd', { extents: [{ disk: 0, startSector: 0, lengthSectors: 8 * areaPages }] });
    const swap = new VbdSwap(be.front(d.id), {
      region: { vbd: 0, startSector: 0, lengthSectors: 8 * areaPages },
      rng: new RandomStreams(5).stream('swap'),
      cpu: d.vcpus[0] ?? null,
    });
    const paging = new GuestPaging(d, { kernelPages, workingSetPages, swap, growOnFault: false });
    return { sim, host, d, be, swap, paging };
  }

  it('pages are conserved at every balloon step; paging starts below kernel + working set and not before', () => {
    const K = 512;
    const W = 1024;
    const { sim, host, d, be, swap, paging } = guest(4096, K, W);
    new MemoryWorker(paging, { chunkCpuNs: 1_000_000, touchesPerUnit: 20 }).start();
    let steps = 0;
    let firstFaultAt = NaN;
    host.balloons.onStep.add(() => {
      host.memory.check();
      const m = host.memory;
      expect(m.freePages + m.domainPages + m.hypervisorPages).toBe(m.totalPages);
      steps++;
    });
    paging.onFault.add(() => {
      if (Number.isNaN(firstFaultAt)) firstFaultAt = paging.memoryPages;
    });
    // shrink by 128 pages every 100 ms down to 1024 pages (below K + W = 1536), then grow back to 4096
    for (let i = 1; i <= 24; i++)
      sim.scheduleAt(i * 100_000_000, () => host.control.setMemoryTarget(d.id, 4096 - i * 128));
    sim.scheduleAt(4_000_000_000, () => host.control.setMemoryTarget(d.id, 4096));
    sim.run(6_000_000_000);
    expect(steps).toBe(24 + 3); // 24 shrink steps of 128 pages, one grow of 3072 pages in 1024-page batches
    expect(firstFaultAt).toBeLessThan(K + W);
    expect(firstFaultAt).toBe(1536 - 128);
    expect(paging.faults).toBeGreaterThan(0);
    // every fault became a block request that reached the disk
    expect(swap.reads).toBe(paging.swapReads);
    expect(swap.writes).toBe(paging.swapWrites);
    expect(be.diskStats(0).served).toBe(swap.answered);
    expect(swap.outstanding).toBeLessThanOrEqual(2);
    be.checkConservation();
    host.memory.check();
  });

  it('the memory hog restarts when its region exceeds resident memory + the swap area', () => {
    // backing = resident pageable (2048 − 512) + swap slots (2048) = 3584 pages; the region needs 4096
    const { sim, swap, paging } = guest(2048, 512, 0, 2048);
    const hog = new MemoryHog(paging, { regionPages: 4096, chunkPages: 512, swapPages: swap.slots });
    hog.start();
    sim.run(60_000_000_000);
    expect(hog.restarts).toBeGreaterThan(0);
    expect(hog.completions).toBe(0);
    const { sim: sim2, swap: swap2, paging: p2 } = guest(2048, 512, 0, 2048);
    // swapPages defaults to the swap area's size
    const fits = new MemoryHog(p2, { regionPages: 3584, chunkPages: 512 });
    expect(fits.swapPages).toBe(swap2.slots);
    fits.start();
    sim2.run(60_000_000_000);
    expect(fits.restarts).toBe(0);
    expect(fits.completions).toBeGreaterThan(0);
    expect(swap2.reads).toBeGreaterThan(0);
  });
});

// Guest paging and its workloads: the swap device's FIFO timing by hand, the fault fraction
// (W − R)/W on a hand-computed case, paging appearing when memory falls below kernel + working set and
// not before, the memory hog's restart on failure, and working-set phases reaching the cache model.
import { describe, expect, it, vi } from 'vitest';
import { FixedLatencySwap } from '../../../src/models/memory/swap.js';
import { GuestPaging } from '../../../src/models/memory/paging.js';
import { MemoryHog, MemoryWorker, WorkingSetPhases } from '../../../src/models/memory/workloads.js';
import { Simulation } from '../../../src/sim/index.js';
import { FREE_CONTROL, makeHost } from '../host/helpers.js';

const MS = 1_000_000;

function setup(reservation: number, kernelPages: number, workingSetPages: number, balloon = {}) {
  const { sim, host } = makeHost({ controlCosts: FREE_CONTROL, timerTickNs: 0, machineMemoryPages: 65_536, balloon });
  const g = host.control.createDomain({ name: 'g', memoryReservationPages: reservation });
  const swap = new FixedLatencySwap(sim);
  const paging = new GuestPaging(g, { kernelPages, workingSetPages, swap, growOnFault: false });
  return { sim, host, g, swap, paging };
}

describe('FixedLatencySwap', () => {
  it('serves requests one at a time in arrival order: access + pages × transfer each', () => {
    const sim = new Simulation();
    const swap = new FixedLatencySwap(sim, { accessNs: 1000, transferNsPerPage: 10 });
    const done: [string, number][] = [];
    swap.read(4, () => done.push(['r4', sim.now]));
    swap.write(1, () => done.push(['w1', sim.now]));
    swap.read(2, () => done.push(['r2', sim.now]));
    sim.run();
    expect(done).toEqual([
      ['r4', 1040],
      ['w1', 2050],
      ['r2', 3070],
    ]);
    expect([swap.reads, swap.writes, swap.pagesRead, swap.pagesWritten, swap.busyNs]).toEqual([2, 1, 6, 1, 3070]);
  });

  it('defaults: 4.9 ms seek + 3 ms rotation, 4 KB at 60 MB/s', () => {
    const swap = new FixedLatencySwap(new Simulation());
    expect(swap.accessNs).toBe(7_900_000);
    expect(swap.transferNsPerPage).toBe(Math.round((4096 / 60e6) * 1e9));
  });
});

describe('GuestPaging', () => {
  it('hand-computed: M = 2048, K = 512, W = 2048 → f = 0.25; 1000 references → 250 faults, 125 dirty writes', () => {
    const { sim, g, swap, paging } = setup(2048, 512, 2048);
    expect(paging.faultFraction()).toBe(0.25);
    let doneAt = -1;
    paging.access(1000, () => (doneAt = sim.now));
    sim.run(100_000 * MS);
    expect([paging.faults, paging.swapReads, paging.swapWrites]).toEqual([250, 250, 125]);
    expect(g.busyNs).toBe(250 * 2730);
    expect([swap.pagesRead, swap.pagesWritten]).toEqual([250, 125]);
    // the thread waits for its reads; writes share the device: the last read ends after all 375 transfers
    // (minus at most the last write) plus the CPU of faults
    const per = 7_900_000 + 68_267;
    expect(doneAt).toBeGreaterThanOrEqual(250 * per);
    expect(doneAt).toBeLessThanOrEqual(375 * per + 250 * 2730 + 250 * 10_000);
  });

  it('the fractional remainder carries: 3 calls of 1 reference at f = 0.5 give one fault by the 2nd call', () => {
    const { sim, paging } = setup(1024, 0, 2048);
    expect(paging.faultFraction()).toBe(0.5);
    paging.access(1, () => undefined);
    expect(paging.faults).toBe(0);
    paging.access(1, () => undefined);
    expect(paging.faults).toBe(1);
    sim.run(1000 * MS);
  });

  it('paging appears when memory falls below kernel + working set, and not before', () => {
    const K = 512;
    const W = 2048;
    for (const [target, expectFaults] of [
      [K + W, false],
      [K + W - 256, true],
    ] as const) {
      const { sim, host, g, paging } = setup(4096, K, W);
      const worker = new MemoryWorker(paging, { chunkCpuNs: 100_000, touchesPerUnit: 50 });
      const pagesAtFault: number[] = [];
      paging.onFault.add(() => pagesAtFault.push(paging.memoryPages));
      worker.start();
      // shrink 256 pages at a time, every 50 ms
      let t = 10 * MS;
      for (let m = 4096 - 256; m >= target; m -= 256) {
        const mm = m;
        sim.scheduleAt(t, () => host.control.setMemoryTarget(g.id, mm));
        t += 50 * MS;
      }
      sim.run(t + 2000 * MS);
      expect(paging.memoryPages).toBe(target);
      expect(paging.faults > 0, `target ${target}`).toBe(expectFaults);
      for (const p of pagesAtFault) expect(p).toBeLessThan(K + W);
      expect(worker.units).toBeGreaterThan(0);
    }
  });

  it('a fault asks the balloon to grow back (autoGrow) up to the ceiling', () => {
    const { sim, host } = makeHost({ controlCosts: FREE_CONTROL, timerTickNs: 0, machineMemoryPages: 65_536 });
    const g = host.control.createDomain({ name: 'g', memoryReservationPages: 1024, memoryCeilingPages: 4096 });
    const paging = new GuestPaging(g, { kernelPages: 256, workingSetPages: 3000, swap: new FixedLatencySwap(sim) });
    new MemoryWorker(paging, { chunkCpuNs: 100_000, touchesPerUnit: 20 }).start();
    sim.run(5000 * MS);
    expect(paging.faults).toBeGreaterThan(0);
    expect(paging.memoryPages).toBe(3256); // K + W
    const before = paging.faults;
    sim.run(10_000 * MS);
    expect(paging.faults).toBe(before); // no more faults once it holds K + W
  });
});

describe('memory workloads', () => {
  it('the memory hog frees everything and restarts when its region exceeds memory + swap', () => {
    const { sim, paging } = setup(2048, 256, 0);
    const hog = new MemoryHog(paging, { regionPages: 10_000, chunkPages: 512, swapPages: 1024 });
    hog.start();
    sim.run(20_000 * MS);
    // backing = (2048 − 256) + 1024 = 2816 pages: the hog reaches 2560 and fails at 3072
    expect(hog.restarts).toBeGreaterThan(0);
    expect(hog.completions).toBe(0);
    expect(hog.allocatedPages).toBeLessThanOrEqual(2816);
  });

  it('a hog whose region fits completes it and never restarts', () => {
    const { sim, paging } = setup(4096, 256, 0);
    const hog = new MemoryHog(paging, { regionPages: 2048, chunkPages: 512, swapPages: 0 });
    hog.start();
    sim.run(1000 * MS);
    expect(hog.restarts).toBe(0);
    expect(hog.completions).toBeGreaterThan(0);
    expect(paging.faults).toBe(0);
  });

  it('a hog on a swap device without a size must be told its swap space: one line', () => {
    const { paging } = setup(4096, 512, 0);
    expect(() => new MemoryHog(paging, { regionPages: 100, chunkPages: 10 })).toThrow(
      /^MemoryHog: swapPages must be given \(an integer >= 0\) when the swap device has no size$/,
    );
  });

  it('working-set phases set the paging model and the cache model (new phase number each change)', () => {
    const { sim, host, g, paging } = setup(4096, 256, 0);
    const spy = vi.spyOn(host.contextSwitch, 'setWorkingSet');
    const phases = new WorkingSetPhases(paging, [
      { durationNs: 10 * MS, workingSetPages: 100 },
      { durationNs: 5 * MS, workingSetPages: 300 },
    ]);
    phases.start();
    const seen: number[] = [];
    for (const t of [1, 11, 16, 26]) sim.scheduleAt(t * MS, () => seen.push(paging.workingSetPages));
    sim.run(30 * MS);
    expect(seen).toEqual([100, 300, 100, 300]);
    const v = g.vcpus[0]?.id as number;
    expect(spy.mock.calls.slice(0, 3)).toEqual([
      [v, 100 * 4096, 0],
      [v, 300 * 4096, 1],
      [v, 100 * 4096, 2],
    ]);
  });
});

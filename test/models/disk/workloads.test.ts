// Block workloads: the dd hog streams at the media rate (read-ahead), the IR reader is bound by random
// access time, the OLTP commits pay for their barriers; request conservation after every run.
import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulation } from '../../../src/sim/index.js';
import { BlockBackend } from '../../../src/models/disk/blkback.js';
import { DK32EJ_10K, DiskModel } from '../../../src/models/disk/service.js';
import { IrWorkload, OltpWorkload, SeqHog } from '../../../src/models/disk/workloads.js';
import type { DiskSchedulerKind } from '../../../src/models/disk/scheduler.js';
import type { Rng } from '../../../src/sim/rng.js';

const SECTORS = DK32EJ_10K.capacitySectors;

function backend(scheduler: DiskSchedulerKind = 'clook') {
  const sim = new Simulation();
  const be = new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], scheduler });
  be.addVbd(1, { extents: [{ disk: 0, startSector: 0, lengthSectors: SECTORS }], mode: 'rw' });
  return { sim, be, front: be.front(1), rs: new RandomStreams(7) };
}

describe('block workloads on the DK32EJ model', () => {
  it('seqHog: sequential reads stream at the media rate (60 MB/s) through the read-ahead buffer', () => {
    const { sim, be, front } = backend();
    const hog = new SeqHog(sim, front, { region: { vbd: 0, startSector: 0, lengthSectors: SECTORS }, cpuNs: 0 });
    hog.start();
    sim.run(2_000_000_000);
    const mbps = hog.bytes / 2 / 1e6;
    expect(mbps).toBeGreaterThan(59);
    expect(mbps).toBeLessThanOrEqual(60.01);
    be.checkConservation();
  });

  it('ir: one client of random 4 KB reads gets 1 / (overhead + seek + half a turn + transfer) ≈ 124/s', () => {
    const { sim, be, front, rs } = backend();
    const ir = new IrWorkload(sim, front, {
      region: { vbd: 0, startSector: 0, lengthSectors: SECTORS },
      clients: 1,
      writeFraction: 0,
      rng: rs.stream('ir'),
    });
    ir.start();
    sim.run(20_000_000_000);
    const expected = 1e9 / (100_000 + 4_900_000 + 3_000_000 + (4096 * 1e9) / 60e6);
    expect(ir.completed / 20 / expected).toBeGreaterThan(0.95);
    expect(ir.completed / 20 / expected).toBeLessThan(1.05);
    // more clients: C-LOOK shortens seeks, throughput rises
    const b = backend();
    const ir8 = new IrWorkload(b.sim, b.front, {
      region: { vbd: 0, startSector: 0, lengthSectors: SECTORS },
      clients: 16,
      writeFraction: 0,
      rng: b.rs.stream('ir'),
    });
    ir8.start();
    b.sim.run(20_000_000_000);
    expect(ir8.completed).toBeGreaterThan(1.3 * ir.completed);
    be.checkConservation();
    b.be.checkConservation();
  });

  it('oltp: commits with a barrier every transaction are slower than without barriers (C-LOOK)', () => {
    const run = (barrierEvery: number) => {
      const { sim, be, front, rs } = backend();
      const w = new OltpWorkload(sim, front, {
        data: { vbd: 0, startSector: 0, lengthSectors: SECTORS / 2 },
        log: { vbd: 0, startSector: SECTORS / 2, lengthSectors: 1 << 20 },
        clients: 4,
        barrierEvery,
        rng: rs.stream('oltp'),
      });
      w.start();
      sim.run(20_000_000_000);
      be.checkConservation();
      return w;
    };
    const none = run(0);
    const every = run(1);
    // one barrier per commit submitted: completed transactions plus the (≤ clients) commits in flight
    expect(every.barriers - every.transactions).toBeGreaterThanOrEqual(0);
    expect(every.barriers - every.transactions).toBeLessThanOrEqual(4);
    expect(none.barriers).toBe(0);
    expect(every.transactions).toBeGreaterThan(50);
    expect(every.commitLatencyNs.quantile(0.5)).toBeGreaterThan(none.commitLatencyNs.quantile(0.5));
  });
});

describe('guest-side queue', () => {
  const seqRng = (ints: number[]) => {
    let i = 0;
    return {
      int: () => ints[i++ % ints.length] as number,
      next: () => 0.5,
    } as unknown as Rng;
  };
  const order = (guestQueue: { scheduler: DiskSchedulerKind; maxOutstanding: number } | null): number[] => {
    const { sim, be, front } = backend('fifo');
    const got: number[] = [];
    be.onComplete = (r) => got.push(r.vsector);
    const w = new IrWorkload(sim, front, {
      region: { vbd: 0, startSector: 0, lengthSectors: 1 << 20 },
      clients: 5,
      writeFraction: 0,
      rng: seqRng([50, 10, 40, 20, 30]),
      cpuNs: 0,
      guestQueue,
    });
    w.start();
    w.stop();
    sim.run();
    be.checkConservation();
    return got;
  };
  it('no guest queue: the FIFO back end serves in issue order', () => {
    expect(order(null)).toEqual([400, 80, 320, 160, 240]);
  });
  it('a guest C-LOOK queue with one request on the ring reorders by virtual sector', () => {
    // 400 goes to the ring at once; then C-LOOK from 408 wraps to the lowest: 80, 160, 240, 320
    expect(order({ scheduler: 'clook', maxOutstanding: 1 })).toEqual([400, 80, 160, 240, 320]);
    expect(order({ scheduler: 'sstf', maxOutstanding: 1 })).toEqual([400, 320, 240, 160, 80]);
  });
  it('rejects a queue depth beyond the ring', () => {
    expect(() => order({ scheduler: 'clook', maxOutstanding: 65 })).toThrow(/maxOutstanding/);
  });
});

describe('guest CPU per request', () => {
  it("comes from a profile's 'block request' operation when one is given, else the calibration estimate", async () => {
    const { GuestProfile } = await import('../../../src/models/guest/profile.js');
    const { DISK_MODEL } = await import('../../../src/models/calibration.js');
    const { sim, front, rs } = backend();
    const region = { vbd: 0, startSector: 0, lengthSectors: SECTORS };
    const plain = new IrWorkload(sim, front, { region, rng: rs.stream('a') });
    expect(plain.cpuNs).toBe(DISK_MODEL.guestRequestCpuNs.value);
    for (const profile of ['native', 'xen', 'full-virt', 'hosted'] as const) {
      const g = new GuestProfile(profile);
      const w = new SeqHog(sim, front, { region, profile });
      expect(w.cpuNs).toBe(Math.round(g.opNs('blockRequest', g.newPageTable())));
    }
    expect(new SeqHog(sim, front, { region, profile: 'hosted', cpuNs: 7 }).cpuNs).toBe(7);
    expect(() => new SeqHog(sim, front, { region, profile: 'kvm' as never })).toThrow(
      /^SeqHog: profile must be one of .*, got "kvm"$/,
    );
  });
});

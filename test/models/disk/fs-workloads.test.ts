// File-system workloads (disk/fs-workloads.ts) on hand-computed cases: a one-channel SSD-like device
// whose every request costs 100 µs + 1 µs per 4 KB page, operation prices given explicitly, no vCPU
// (an operation's price is then a plain delay). The small-file creator's synchronous inode-then-directory
// writes, its disk-bound steady state; the dbench mix's operation shares, read misses, fsync draining the
// write-back; guest CPU priced by the profile; request conservation on the 10k RPM disk; bad parameters.
import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulation } from '../../../src/sim/index.js';
import { BlockBackend } from '../../../src/models/disk/blkback.js';
import { DiskModel, DK32EJ_10K, type SsdParams } from '../../../src/models/disk/service.js';
import { SeqHog } from '../../../src/models/disk/workloads.js';
import { DBENCH_MIX, DBENCH_OPS, DbenchMix, SmallFileCreator } from '../../../src/models/disk/fs-workloads.js';
import { GuestProfile } from '../../../src/models/guest/profile.js';
import { FREE_CONTROL, makeHost } from '../host/helpers.js';

const SSD1: SsdParams = {
  kind: 'ssd',
  capacitySectors: 1 << 24,
  sectorBytes: 512,
  channels: 1,
  readAccessNs: 100_000,
  writeAccessNs: 100_000,
  channelBytesPerS: 4.096e9,
};
const META = { vbd: 0, startSector: 0, lengthSectors: 1 << 16 };
const DATA = { vbd: 0, startSector: 1 << 16, lengthSectors: 1 << 20 };
/** Every guest operation priced explicitly; block requests free. */
const PRICES = {
  create0k: 10_000,
  create10k: 20_000,
  delete0k: 5000,
  delete10k: 7000,
  nullIo: 1000,
  nullCall: 1000,
  stat: 1000,
  openClose: 1000,
  blockRequest: 0,
} as const;

function rig(params: SsdParams | typeof DK32EJ_10K = SSD1) {
  const sim = new Simulation();
  const be = new BlockBackend(sim, { disks: [new DiskModel(params)], scheduler: 'fifo' });
  be.addVbd(1, { extents: [{ disk: 0, startSector: 0, lengthSectors: 1 << 22 }], mode: 'rw' });
  const log: { sector: number; sectors: number; write: boolean; barrier: boolean; at: number }[] = [];
  be.onComplete = (r) =>
    log.push({ sector: r.sector, sectors: r.sectors, write: r.write, barrier: r.barrier, at: r.completedAtNs });
  return { sim, be, front: be.front(1), rng: new RandomStreams(9).stream('fs'), log };
}

describe('SmallFileCreator', () => {
  it('hand-computed create: CPU, then inode and directory written synchronously in that order, then the data', () => {
    const { sim, front, rng, log } = rig();
    const w = new SmallFileCreator(sim, front, { meta: META, data: DATA, rng, opCostNs: PRICES, filesKept: 10 });
    expect(w.createCpuNs).toBe(20_000); // 10 KB: Table 3's "10K create" price
    w.start();
    sim.run(222_001); // run(t) stops before events at t
    // CPU 20 µs; inode 101 µs; directory 101 µs → the file exists at 222 µs; its 3 data pages follow
    expect(w.filesCreated).toBe(1);
    expect(w.createLatencySumNs).toBe(222_000);
    expect(log.map((x) => x.at)).toEqual([121_000, 222_000]);
    for (const x of log) {
      expect(x.sectors).toBe(8);
      expect(x.sector).toBeLessThan(1 << 16); // metadata region
    }
    sim.run(325_001);
    expect(log[2]).toEqual({ sector: 1 << 16, sectors: 24, write: true, barrier: false, at: 325_000 });
    // the second file's CPU ran 222-242 µs; its inode write waits behind the data on the one channel
    expect([w.syncWrites, w.asyncWrites]).toEqual([3, 1]);
  });

  it('steady state with filesKept 0 is disk-bound: one file per 4 × 101 µs + 103 µs = 507 µs of service', () => {
    const { sim, be, front, rng } = rig();
    const w = new SmallFileCreator(sim, front, { meta: META, data: DATA, rng, opCostNs: PRICES, filesKept: 0 });
    w.start();
    sim.run(1_000_000_000);
    // per file: inode, directory (create), directory (delete), inode + bitmap: 4 × 101 µs; data 103 µs
    expect(Math.abs(w.filesCreated - 1e9 / 507_000)).toBeLessThanOrEqual(2);
    expect(w.filesDeleted).toBeGreaterThanOrEqual(w.filesCreated - 1);
    expect(w.filesDeleted).toBeLessThanOrEqual(w.filesCreated);
    expect(be.diskStats(0).busyNs).toBeGreaterThan(0.999e9);
    expect(w.syncWrites).toBeGreaterThanOrEqual(2 * w.filesCreated + w.filesDeleted);
    be.checkConservation();
  });

  it('without synchronous metadata a create costs only its CPU; write-back is throttled at maxDirtyRequests', () => {
    const { sim, be, front, rng } = rig();
    const w = new SmallFileCreator(sim, front, {
      meta: META,
      data: DATA,
      rng,
      opCostNs: PRICES,
      syncMetadata: false,
      maxDirtyRequests: 8,
      filesKept: 1_000_000,
    });
    w.start();
    sim.run(200_000_000);
    expect(w.syncWrites).toBe(0);
    expect(w.createLatencySumNs).toBe(20_000 * w.filesCreated);
    // three requests per file (inode, directory, data) at 101 + 101 + 103 µs: disk-bound
    expect(Math.abs(w.filesCreated - 200e6 / 305_000)).toBeLessThanOrEqual(3);
    expect(w.dirtyOutstanding).toBeLessThanOrEqual(8 + 2);
    be.checkConservation();
  });

  it('CPU per operation comes from the profile: create and delete interpolate Table 3 in the file size', () => {
    const g = new GuestProfile('xen');
    const pt = g.newPageTable();
    const c0 = g.opNs('create0k', pt);
    const c10 = g.opNs('create10k', pt);
    const d0 = g.opNs('delete0k', pt);
    const d10 = g.opNs('delete10k', pt);
    const { sim, front, rng } = rig();
    const w = new SmallFileCreator(sim, front, { meta: META, data: DATA, rng, fileBytes: 5120 });
    expect(w.createCpuNs).toBeCloseTo(c0 + (c10 - c0) / 2, 6);
    expect(w.deleteCpuNs).toBeCloseTo(d0 + (d10 - d0) / 2, 6);
    expect(w.cpuNs).toBe(Math.round(g.opNs('blockRequest', pt)));
    const { sim: s2, host } = makeHost({ controlCosts: FREE_CONTROL, timerTickNs: 0 });
    const d = host.control.createDomain({ name: 'fs' });
    const be2 = new BlockBackend(s2, { disks: [new DiskModel(SSD1)], host, requestCpuNs: 0 });
    host.control.attachDevice(d.id, 'vbd', { extents: [{ disk: 0, startSector: 0, lengthSectors: 1 << 22 }] });
    const hosted = new SmallFileCreator(s2, be2.front(d.id), {
      meta: META,
      data: DATA,
      rng: new RandomStreams(1).stream('h'),
      profile: 'hosted',
      cpu: d.vcpus[0] ?? null,
      filesKept: 5,
    });
    hosted.start();
    s2.run(500_000_000);
    const gh = new GuestProfile('hosted');
    const ph = gh.newPageTable();
    const perCreate = gh.opNs('create10k', ph);
    // the guest's CPU covers at least every completed create at the hosted profile's price
    expect(d.busyNs).toBeGreaterThanOrEqual(hosted.filesCreated * perCreate);
    be2.checkConservation();
  });
});

describe('DbenchMix', () => {
  it('DBENCH_MIX: NTCreateX, ReadX and Qpathinfo lead, as in the published client.txt run', () => {
    const total = DBENCH_OPS.reduce((a, op) => a + DBENCH_MIX[op], 0);
    expect(total).toBe(69_414_365); // the 16 counts of the cited table
    expect(DBENCH_MIX.readX / total).toBeCloseTo(0.27098, 4);
    expect(DBENCH_MIX.flush / total).toBeCloseTo(0.012116, 5);
    const ranked = [...DBENCH_OPS].sort((a, b) => DBENCH_MIX[b] - DBENCH_MIX[a]);
    expect(ranked.slice(0, 3)).toEqual(['readX', 'ntCreateX', 'qpathinfo']);
  });

  it('operation shares follow the weights over every prefix (smooth weighted round robin)', () => {
    const { sim, be, front, rng } = rig();
    const w = new DbenchMix(sim, front, { meta: META, data: DATA, rng, opCostNs: PRICES, readMissFraction: 0 });
    w.start();
    const total = DBENCH_OPS.reduce((a, op) => a + DBENCH_MIX[op], 0);
    let worst = 0;
    for (let t = 1; t <= 20; t++) {
      sim.run(t * 100_000_000);
      for (const op of DBENCH_OPS) worst = Math.max(worst, Math.abs(w.counts[op] - (w.ops * DBENCH_MIX[op]) / total));
    }
    expect(w.ops).toBeGreaterThan(5000);
    expect(worst).toBeLessThan(2);
    be.checkConservation();
  });

  it('hand-computed reads: every 4th misses (readMissFraction 0.25) and waits for the disk', () => {
    const { sim, front, rng, log } = rig();
    const w = new DbenchMix(sim, front, {
      meta: META,
      data: DATA,
      rng,
      opCostNs: PRICES,
      mix: { readX: 1 },
      readBytes: 8192,
      readMissFraction: 0.25,
      copyNsPerByte: 0,
    });
    w.start();
    // 4 reads: 4 × 1 µs of CPU, the 4th misses: 100 µs + 2 pages → a cycle of 106 µs
    sim.run(10 * 106_000 + 1);
    expect(w.counts.readX).toBe(40);
    expect(w.syncReads).toBe(10);
    expect(log.length).toBe(10);
    expect(log.every((x) => !x.write && x.sectors === 16 && x.sector >= DATA.startSector)).toBe(true);
    expect(w.bytesRead).toBe(40 * 8192);
  });

  it('hand-computed fsync: Flush waits for the write-back, then a barrier journal commit', () => {
    const { sim, front, rng, log } = rig();
    const w = new DbenchMix(sim, front, {
      meta: META,
      data: DATA,
      rng,
      opCostNs: PRICES,
      mix: { writeX: 1, flush: 1 },
      writeBytes: 16_384,
      flushSyncs: true,
      writeBackDelayNs: 0,
      copyNsPerByte: 0,
    });
    w.start();
    // WriteX: 1 µs CPU, 4 pages written back (100 + 4 µs, done at 105 µs); Flush: 1 µs CPU (at 2 µs),
    // waits to 105 µs, commits 2 pages (done at 207 µs). Cycle 207 µs.
    sim.run(207_001);
    expect(w.flushes).toBe(1);
    expect(w.flushLatencySumNs).toBe(205_000);
    expect(log).toEqual([
      { sector: log[0]?.sector, sectors: 32, write: true, barrier: false, at: 105_000 },
      { sector: 0, sectors: 16, write: true, barrier: true, at: 207_000 },
    ]);
    sim.run(100 * 207_000 + 1);
    expect(w.flushes).toBe(100);
    expect(w.counts.writeX).toBe(100); // the 101st completes 1 µs later
  });

  it('defaults (dbench 1.2, Linux 2.4): Flush is a no-op, reads hit the page cache, writes age 30 s before write-back', () => {
    const { sim, front, rng } = rig();
    const d = new DbenchMix(sim, front, { meta: META, data: DATA, rng, opCostNs: PRICES });
    expect(d.flushSyncs).toBe(false);
    expect(d.readMissFraction).toBe(0);
    expect(d.writeBackDelayNs).toBe(30e9);
    expect(d.copyNsPerByte).toBe(1);
  });

  it('hand-computed write-back: a WriteX reaches the disk writeBackDelayNs after it, each write once', () => {
    const { sim, front, rng, log } = rig();
    // WriteX every 1 µs + 4096 B × 0 ns; write-back after 50 µs; the SSD takes 100 + 1 µs per 4 KB write
    const w = new DbenchMix(sim, front, {
      meta: META,
      data: DATA,
      rng,
      opCostNs: PRICES,
      mix: { writeX: 1 },
      writeBytes: 4096,
      copyNsPerByte: 0,
      writeBackDelayNs: 50_000,
      stopAfterOps: 10,
    });
    w.start();
    sim.run(50_999);
    expect(w.ops).toBe(10);
    expect(w.cachedDirty).toBe(10);
    expect(log.length).toBe(0);
    sim.run();
    // written at 51 … 60 µs (1 µs of CPU then 50 µs of age); FIFO on one channel: done at 152, 253, …
    expect(log.map((x) => x.at)).toEqual(Array.from({ length: 10 }, (_, k) => 51_000 + 101_000 * (k + 1)));
    expect(w.cachedDirty).toBe(0);
    expect(w.writtenBack).toBe(w.cachedWrites);
    expect(w.asyncWrites).toBe(10);
    expect(w.completed).toBe(10);
  });

  it('with the disk idle, dbench ops/s is 1 / (mean per-op CPU): Σ weight × Table 3 price / Σ weight, by hand', () => {
    const { sim, front, rng, log } = rig();
    // one each of open (open/close 2 µs), Qpathinfo (stat 3 µs), Close (null call 1 µs), ReadX and WriteX
    // (null I/O 4 µs + 4096 B × 1 ns), Flush (a no-op: 1 ns), on a profile whose prices are given
    const prices = { ...PRICES, openClose: 2000, stat: 3000, nullCall: 1000, nullIo: 4000 };
    const mix = { ntCreateX: 1, qpathinfo: 1, close: 1, readX: 1, writeX: 1, flush: 1 };
    const w = new DbenchMix(sim, front, {
      meta: META,
      data: DATA,
      rng,
      opCostNs: prices,
      mix,
      readBytes: 4096,
      writeBytes: 4096,
      stopAfterOps: 6000,
    });
    const perCycle = 2000 + 3000 + 1000 + (4000 + 4096) + (4000 + 4096) + 1;
    expect(w.meanOpCpuNs).toBeCloseTo(perCycle / 6, 9);
    w.start();
    sim.run(1e9);
    expect(w.ops).toBe(6000);
    expect(w.finishedAtNs).toBe(1000 * perCycle);
    expect(w.ops / (w.finishedAtNs / 1e9)).toBeCloseTo(1e9 / w.meanOpCpuNs, 6);
    expect(log.length).toBe(0); // the disk stayed idle: writes still in the page cache
    expect(w.cachedDirty).toBe(1000);
  });

  it('an fsync-ing Flush writes the page cache back first (dbench 4 mode)', () => {
    const { sim, front, rng, log } = rig();
    const w = new DbenchMix(sim, front, {
      meta: META,
      data: DATA,
      rng,
      opCostNs: PRICES,
      mix: { writeX: 1, flush: 1 },
      writeBytes: 16_384,
      flushSyncs: true,
      copyNsPerByte: 0,
    });
    w.start();
    // as the fsync case above: the cached write is issued by the flush at 2 µs instead of at 1 µs
    sim.run(208_001);
    expect(w.flushes).toBe(1);
    expect(log.map((x) => [x.sectors, x.barrier, x.at])).toEqual([
      [32, false, 106_000],
      [16, true, 208_000],
    ]);
    expect(w.cachedWrites).toBe(1); // the journal commit is synchronous, never cached
    expect(w.writtenBack).toBe(1);
  });

  it('a run of fixed length stops after stopAfterOps operations and says when', () => {
    const { sim, front, rng } = rig();
    const w = new DbenchMix(sim, front, {
      meta: META,
      data: DATA,
      rng,
      opCostNs: PRICES,
      mix: { qpathinfo: 1 },
      stopAfterOps: 90,
    });
    w.start();
    sim.run();
    expect(w.ops).toBe(90);
    expect(w.counts.qpathinfo).toBe(90);
    expect(w.finishedAtNs).toBe(90 * 1000); // 90 stats of 1 µs each
  });

  it('on the 10k RPM disk beside a small-file creator: requests are conserved', () => {
    const sim = new Simulation();
    const be = new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], scheduler: 'clook' });
    be.addVbd(1, { extents: [{ disk: 0, startSector: 0, lengthSectors: 1 << 22 }], mode: 'rw' });
    be.addVbd(2, { extents: [{ disk: 0, startSector: 1 << 24, lengthSectors: 1 << 22 }], mode: 'rw' });
    const rs = new RandomStreams(4);
    const d = new DbenchMix(sim, be.front(1), { meta: META, data: DATA, rng: rs.stream('d') });
    const f = new SmallFileCreator(sim, be.front(2), { meta: META, data: DATA, rng: rs.stream('f'), filesKept: 50 });
    d.start();
    f.start();
    for (let t = 5_000_000; t < 3e9; t += 50_000_000) sim.scheduleAt(t, () => be.checkConservation());
    sim.run(3e9);
    d.stop();
    f.stop();
    sim.run();
    be.checkConservation();
    expect(be.inFlight).toBe(0);
    expect(d.flushes).toBeGreaterThan(0);
    expect(f.filesDeleted).toBeGreaterThan(0);
    expect(be.completed).toBe(d.completed + f.completed);
  });

  it('a dd hog and a small-file creator share one front end; C-LOOK lets the stream starve the files, FIFO does not', () => {
    const run = (scheduler: 'clook' | 'fifo') => {
      const sim = new Simulation();
      const be = new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], scheduler });
      be.addVbd(1, { extents: [{ disk: 0, startSector: 0, lengthSectors: 1 << 24 }], mode: 'rw' });
      const front = be.front(1);
      const hog = new SeqHog(sim, front, {
        region: { vbd: 0, startSector: 1 << 23, lengthSectors: 1 << 23 },
        write: true,
        cpuNs: 0,
      });
      const files = new SmallFileCreator(sim, front, {
        meta: META,
        data: DATA,
        rng: new RandomStreams(2).stream('f'),
        filesKept: 20,
      });
      hog.start();
      files.start();
      sim.run(2e9);
      hog.stop();
      files.stop();
      sim.run();
      be.checkConservation();
      expect(front.answered).toBe(hog.completed + files.completed);
      expect(hog.errors + files.errors).toBe(0);
      return { hog: hog.completed, files: files.filesCreated };
    };
    // C-LOOK: every new dd request lies just ahead of the head, so the sweep never returns to the
    // metadata behind it (a 4 GB region takes over a minute to sweep)
    const clook = run('clook');
    expect(clook.files).toBeLessThanOrEqual(2);
    // FIFO: the files' synchronous writes wait behind at most the hog's two requests
    const fifo = run('fifo');
    expect(fifo.files).toBeGreaterThan(10);
    expect(fifo.hog).toBeGreaterThan(100);
    expect(clook.hog).toBeGreaterThan(fifo.hog);
  });

  it('bad parameters are refused with one line naming the field', () => {
    const { sim, front, rng } = rig();
    const base = { meta: META, data: DATA, rng };
    expect(() => new DbenchMix(sim, front, { ...base, mix: { readx: 1 } as never })).toThrow(
      /^DbenchMix: mix must be weights of ntCreateX, .*, got "readx"$/,
    );
    expect(() => new DbenchMix(sim, front, { ...base, mix: { readX: 0 } })).toThrow(
      /^DbenchMix: mix must be weights with at least one positive/,
    );
    expect(() => new DbenchMix(sim, front, { ...base, mix: { readX: 1.5 } })).toThrow(
      /^DbenchMix: mix\.readX must be an integer/,
    );
    expect(() => new DbenchMix(sim, front, { ...base, readMissFraction: 2 })).toThrow(
      /^DbenchMix: readMissFraction must be a number in \[0, 1\], got 2$/,
    );
    expect(() => new DbenchMix(sim, front, { ...base, readBytes: 1 << 20 })).toThrow(/^DbenchMix: readBytes must be/);
    expect(() => new DbenchMix(sim, front, { ...base, opCostNs: { creat: 1 } as never })).toThrow(
      /^DbenchMix: opCostNs must be keys among .*, got "creat"$/,
    );
    expect(() => new DbenchMix(sim, front, { ...base, profile: 'kvm' as never })).toThrow(
      /^DbenchMix: profile must be/,
    );
    expect(
      () =>
        new SmallFileCreator(sim, front, {
          ...base,
          data: { vbd: 0, startSector: 0, lengthSectors: 16 },
          fileBytes: 10_240,
        }),
    ).toThrow(/^SmallFileCreator: fileBytes must be at most the data region \(8192 bytes\), got 10240$/);
    expect(() => new SmallFileCreator(sim, front, { ...base, filesKept: -1 })).toThrow(
      /^SmallFileCreator: filesKept must be/,
    );
    expect(() => new SmallFileCreator(sim, front, { ...base, syncMetadata: 'yes' as never })).toThrow(
      /^SmallFileCreator: syncMetadata must be/,
    );
    expect(() => new SmallFileCreator(sim, front, { ...base, maxDirtyRequests: 0 })).toThrow(
      /^SmallFileCreator: maxDirtyRequests must be/,
    );
  });
});

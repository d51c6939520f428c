// OSDB-like workloads (src/models/workloads/osdb.ts): hand-computed query time on an idle host (Table 3
// prices), exact counts of disk requests per query, conservation of queries and requests, bad parameters.
import { describe, expect, it } from 'vitest';
import { BlockBackend } from '../../../src/models/disk/blkback.js';
import { DISK_PRESETS, DiskModel } from '../../../src/models/disk/service.js';
import { Host } from '../../../src/models/host/host.js';
import {
  OSDB_MIXES,
  OsdbWorkload,
  osdbIoCpuNs,
  osdbQueryCpuNs,
  runOsdbOnProfile,
  type OsdbOptions,
  type OsdbQueryMix,
} from '../../../src/models/workloads/osdb.js';
import { RandomStreams, Simulation } from '../../../src/sim/index.js';

const REGION = { vbd: 0, startSector: 0, lengthSectors: 1 << 20 };
const LOG = { vbd: 0, startSector: 1 << 20, lengthSectors: 1 << 16 };

function nativeRig(): { sim: Simulation; host: Host; be: BlockBackend } {
  const sim = new Simulation();
  const host = new Host(sim, { mode: 'bare-metal', cpus: 1 });
  const be = new BlockBackend(sim, { disks: [new DiskModel(DISK_PRESETS.dk32ej)], host });
  be.addVbd(0, { extents: [{ disk: 0, startSector: 0, lengthSectors: 1 << 22 }], mode: 'rw' });
  return { sim, host, be };
}

describe('OSDB-like workload', () => {
  it('a query without I/O takes exactly its priced CPU on an idle native CPU (hand-computed)', () => {
    // L-UP (Table 3): null I/O 0.50 µs, select 5.70 µs → 2·500 + 5700 + 1 ms computation = 1 006 700 ns
    const mix: OsdbQueryMix = {
      opsPerQuery: { nullIo: 2, select: 1 },
      computeNsPerQuery: 1_000_000,
      diskReadsPerQuery: 0,
      dataWritesPerQuery: 0,
      syncCommit: false,
    };
    expect(osdbQueryCpuNs(mix, 'native')).toBe(1_006_700);
    const { sim, host, be } = nativeRig();
    const k = host.kernel;
    if (k === null) throw new Error('no kernel');
    const w = new OsdbWorkload(sim, be.front(0), {
      kind: 'ir',
      mix,
      profile: 'native',
      cpus: [k.vcpus[0]!],
      data: REGION,
      rng: new RandomStreams(1).stream('x'),
    });
    w.start();
    sim.run(10 * 1_006_700 + 1); // run(until) stops before the events at `until`
    expect(w.queries).toBe(10);
    expect(w.querySumNs).toBe(10 * 1_006_700);
    expect(w.issuedRequests).toBe(0);
    expect(w.cpuDemandNs).toBe(11 * 1_006_700); // the 11th query has asked for its CPU
  });

  it('each query pays its client/backend process switches at the profile\'s Table 3 "2p/0K" cell', () => {
    const bare: OsdbQueryMix = { ...OSDB_MIXES.ir, processSwitchesPerQuery: 0 };
    expect(OSDB_MIXES.ir.processSwitchesPerQuery).toBe(2);
    expect(OSDB_MIXES.oltp.processSwitchesPerQuery).toBe(2);
    // lat_ctx 2p/0K: L-UP 0.77 µs, Xen 1.97, VMware 18.1, UML 15.5
    const cell = { native: 770, xen: 1970, 'full-virt': 18_100, hosted: 15_500 } as const;
    for (const p of ['native', 'xen', 'full-virt', 'hosted'] as const)
      expect(osdbQueryCpuNs(OSDB_MIXES.ir, p) - osdbQueryCpuNs(bare, p), p).toBe(2 * cell[p]);
    expect(() => osdbQueryCpuNs({ ...bare, processSwitchesPerQuery: -1 }, 'xen')).toThrow(/processSwitchesPerQuery/);
  });

  it("a block request's CPU includes the host-side path of full-virt and hosted (hand-computed)", () => {
    // guest side: null I/O + (sig handle − null call); full-virt adds 2 host round trips of
    // 22.7 µs · 733 / 2400 each; hosted adds 5 × 0.50 + 2 × 0.77 + 2.04 µs (L-UP host cells)
    expect(osdbIoCpuNs('native').requestNs).toBe(500 + 2040);
    expect(osdbIoCpuNs('xen').requestNs).toBe(500 + 1290);
    expect(osdbIoCpuNs('full-virt').requestNs).toBe(Math.round(830 + 3900 + (2 * 22_700 * 733) / 2400));
    expect(osdbIoCpuNs('hosted').requestNs).toBe(25_100 + 21_300 + 6080);
  });

  it('issues exactly ⌊n·m⌋ reads and write-backs and one commit per transaction; conserves', () => {
    const { sim, host, be } = nativeRig();
    const k = host.kernel!;
    const w = new OsdbWorkload(sim, be.front(0), {
      kind: 'oltp',
      profile: 'native',
      clients: 3,
      cpus: [k.vcpus[0]!],
      data: REGION,
      log: LOG,
      rng: new RandomStreams(7).stream('oltp'),
    });
    w.start();
    let maxOut = 0;
    const probe = (): void => {
      w.checkConservation();
      maxOut = Math.max(maxOut, w.inProgress);
      if (sim.now < 2e9) sim.schedule(1_000_000, probe);
    };
    probe();
    sim.run(2e9);
    w.stop();
    sim.run(); // drain
    w.checkConservation();
    be.checkConservation();
    host.checkConservation();
    expect(maxOut).toBe(3);
    expect(w.inProgress).toBe(0);
    expect(w.outstandingRequests).toBe(0);
    const n = w.started;
    expect(n).toBeGreaterThan(20);
    const m = OSDB_MIXES.oltp;
    const expected = Math.floor(n * m.diskReadsPerQuery) + Math.floor(n * m.dataWritesPerQuery) + n;
    expect(w.issuedRequests).toBe(expected);
    expect(w.answeredOk).toBe(expected);
    expect(be.front(0).answered).toBe(expected);
  });

  it('a transaction lasts at least its CPU plus one disk commit; IR queries with misses are slower than without', () => {
    const { sim, host, be } = nativeRig();
    const w = new OsdbWorkload(sim, be.front(0), {
      kind: 'oltp',
      profile: 'native',
      cpus: [host.kernel!.vcpus[0]!],
      data: REGION,
      log: LOG,
      rng: new RandomStreams(3).stream('oltp'),
    });
    w.start();
    sim.run(1e9);
    const io = osdbIoCpuNs('native');
    const floor = osdbQueryCpuNs(OSDB_MIXES.oltp, 'native') + io.requestNs + io.completionNs;
    expect(w.queryLatencyNs.quantile(0)).toBeGreaterThan(floor);
  });

  it('rejects bad parameters with a one-line message naming the field', () => {
    const { sim, host, be } = nativeRig();
    const base: OsdbOptions = {
      kind: 'ir',
      profile: 'native',
      cpus: [host.kernel!.vcpus[0]!],
      data: REGION,
      rng: new RandomStreams(1).stream('x'),
    };
    const make = (o: Partial<OsdbOptions>): OsdbWorkload =>
      new OsdbWorkload(sim, be.front(0), { ...base, ...o } as OsdbOptions);
    expect(() => make({ kind: 'olap' as 'ir' })).toThrow(/kind/);
    expect(() => make({ clients: 0 })).toThrow(/clients/);
    expect(() => make({ cpus: [] })).toThrow(/cpus/);
    expect(() => make({ profile: 'vmware' as 'xen' })).toThrow(/profile/);
    expect(() => make({ kind: 'oltp' })).toThrow(/log/);
    expect(() => make({ mix: { ...OSDB_MIXES.ir, diskReadsPerQuery: -1 } })).toThrow(/diskReadsPerQuery/);
    expect(() => make({ mix: { ...OSDB_MIXES.ir, opsPerQuery: { bogus: 1 } as never } })).toThrow(/opsPerQuery/);
    expect(() => make({ mix: { ...OSDB_MIXES.ir, computeNsPerQuery: Number.NaN } })).toThrow(/computeNsPerQuery/);
    // one line, naming the field and the value
    expect(() => make({ clients: 0 })).toThrow(/^[^\n]*clients[^\n]*0[^\n]*$/);
  });

  it('runOsdbOnProfile: a CPU-only mix completes ⌊window / query CPU⌋ queries; OLTP is disk-bound; bad kind', () => {
    const mix: OsdbQueryMix = {
      opsPerQuery: { nullIo: 2, select: 1 },
      computeNsPerQuery: 1_000_000,
      diskReadsPerQuery: 0,
      dataWritesPerQuery: 0,
      syncCommit: false,
    };
    const r = runOsdbOnProfile('ir', 'native', { seed: 1, mix, warmupNs: 0, runLengthNs: 1_000_000_000 });
    expect(r.scorePerS).toBe(Math.floor(1e9 / 1_006_700)); // 993 queries of 1 006 700 ns in 1 s
    expect(r.scoreUnit).toBe('queries/s');
    const o = runOsdbOnProfile('oltp', 'xen', { seed: 2, warmupNs: 100_000_000, runLengthNs: 1_000_000_000 });
    expect(o.scoreUnit).toBe('tx/s');
    expect(o.scorePerS).toBeGreaterThan(0);
    expect(o.diskBusyFraction).toBeGreaterThan(0.5);
    // a transaction waits for at least its CPU and its commit, so the score is below 1 / CPU per transaction
    expect(o.scorePerS).toBeLessThan(1e9 / osdbQueryCpuNs(OSDB_MIXES.oltp, 'xen'));
    expect(() => runOsdbOnProfile('olap' as 'ir', 'xen', { seed: 1 })).toThrow(/kind/);
  });
});

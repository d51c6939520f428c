// database-domains, in process at small sizes: a single IR instance's score lies between the bounds set
// by its per-query CPU (priced from Table 3) and that CPU plus its disk reads; 8 disk-bound OLTP domains
// with weights 1..8 share the throughput equally (the block round robin ignores CPU weights) while 8
// CPU-bound IR domains' shares grow with the weight and follow the per-CPU weight shares (one run queue
// per CPU); shares sum to 100%; parameter checks; determinism.
// Request, query and CPU-time conservation are checked inside every run (it throws otherwise).
import { describe, expect, it } from 'vitest';
import { checkDatabaseDomains, databaseDomains } from '../../experiments/database-domains/index.js';
import { OSDB_MIXES, osdbIoCpuNs, osdbQueryCpuNs } from '../../src/models/workloads/osdb.js';
import type { Params, RunResult } from '../../src/runner/study.js';

function defaults(over: Params = {}): Params {
  const p: Params = {};
  for (const [k, spec] of Object.entries(databaseDomains.params)) p[k] = spec.default;
  return { ...p, ...over };
}

const run = (over: Params, seed = 'db'): RunResult =>
  databaseDomains.run(defaults({ warmupNs: 200_000_000, ...over }), { seed, replication: 0, quick: false });

type Share = { instance: number; weightSharePct: number; throughputSharePct: number };
const shares = (r: RunResult): Share[] => (r.tables?.['shares'] ?? []) as unknown as Share[];

describe('database-domains (in process)', () => {
  it('one IR domain: 1/(CPU + reads) < score < 1/CPU per query', () => {
    const r = run({ workload: 'ir', system: 'xen', instances: 1, runLengthNs: 2_000_000_000 });
    const cpu = osdbQueryCpuNs(OSDB_MIXES.ir, 'xen');
    const io = osdbIoCpuNs('xen');
    const upper = 1e9 / cpu;
    // a 4 KB random read within 64 MB of a 10k RPM disk: seek < 5 ms + rotation < 6 ms + transfer
    const lower = 1e9 / (cpu + OSDB_MIXES.ir.diskReadsPerQuery * (11_000_000 + io.requestNs + io.completionNs));
    const score = r.measures['scorePerS'] as number;
    expect(score).toBeLessThan(upper);
    expect(score).toBeGreaterThan(lower);
  });

  it('8 OLTP domains with weights 1..8: the disk is the bottleneck and the shares stay equal', () => {
    const r = run({ workload: 'oltp', system: 'xen', instances: 8, weights: 'graded', runLengthNs: 2_000_000_000 });
    expect(r.measures['diskBusyFraction']).toBeGreaterThan(0.9);
    expect(r.measures['cpuUtilisation']).toBeLessThan(0.2);
    const s = shares(r);
    expect(s.length).toBe(8);
    expect(s.reduce((a, x) => a + x.throughputSharePct, 0)).toBeCloseTo(100, 9);
    for (const x of s) expect(Math.abs(x.throughputSharePct - 12.5)).toBeLessThan(3);
    // far from the weight shares (2.8% … 22.2%)
    expect(r.measures['shareGapPct']).toBeGreaterThan(7);
  });

  it('8 IR domains with weights 1..8: the CPUs are the bottleneck and throughput grows with the weight', () => {
    const r = run({ workload: 'ir', system: 'xen', instances: 8, weights: 'graded', runLengthNs: 3_000_000_000 });
    expect(r.measures['cpuUtilisation']).toBeGreaterThan(0.95);
    const s = shares(r);
    const share = (i: number): number => (s.find((x) => x.instance === i) as Share).throughputSharePct;
    expect(s.reduce((a, x) => a + x.throughputSharePct, 0)).toBeCloseTo(100, 9);
    expect(share(7) + share(8)).toBeGreaterThan(3 * (share(1) + share(2)));
    expect(r.measures['shareGapPct']).toBeLessThan(7);
    // one run queue per CPU, domains placed least-loaded (dom0 on CPU 0): weights 2,4,6,8 share CPU 0
    // (Σ 20), weights 1,3,5,7 CPU 1 (Σ 16); throughput follows those per-CPU shares more closely
    const rows = (r.tables?.['shares'] ?? []) as unknown as {
      weight: number;
      cpu: number;
      perCpuWeightSharePct: number;
    }[];
    for (const x of rows) {
      expect(x.cpu).toBe(x.weight % 2 === 0 ? 0 : 1);
      expect(x.perCpuWeightSharePct).toBeCloseTo((100 * x.weight) / (2 * (x.weight % 2 === 0 ? 20 : 16)), 9);
    }
    expect(r.measures['perCpuShareGapPct']).toBeLessThan(r.measures['shareGapPct'] as number);
    expect(r.measures['perCpuShareGapPct']).toBeLessThan(2.5);
  });

  it('is deterministic in (params, seed) and the seed matters', () => {
    const p = { workload: 'oltp', system: 'native', instances: 2, runLengthNs: 500_000_000 };
    const a = run(p, 's1');
    const b = run(p, 's1');
    const c = run(p, 's2');
    expect(b.measures).toEqual(a.measures);
    expect(c.measures['queryLatencyMeanMs']).not.toBe(a.measures['queryLatencyMeanMs']);
  });

  it('check: graded weights need Xen and at most 8 instances; the partitions must fit', () => {
    const p = defaults() as Parameters<typeof checkDatabaseDomains>[0];
    expect(checkDatabaseDomains(p)).toBeUndefined();
    expect(checkDatabaseDomains({ ...p, system: 'native', weights: 'graded' })).toMatch(
      /weights 'graded' needs system 'xen'/,
    );
    expect(checkDatabaseDomains({ ...p, instances: 12, weights: 'graded' })).toMatch(/up to 8 instances/);
    expect(checkDatabaseDomains({ ...p, dataMB: 1000, logMB: 100, partitionMB: 1024 })).toMatch(
      /must fit in partitionMB/,
    );
    expect(checkDatabaseDomains({ ...p, instances: 16, partitionMB: 16_384 })).toMatch(/must fit on the/);
  });
});

// bvt-warp: a latency-sensitive domain among CPU-bound ones wakes up much faster under the BVT paper's
// algorithm (textbook) with warp than under Xen 1.0 BVT without it (whose wake-up pre-emption waits for
// ctx_allow), and no slower than textbook BVT without warp; warp does not take CPU it does not need.
// Under Xen 2.0 BVT a domain warped at creation starves (u32 wrap of evt = avt − warp): no CPU at all
// while the CPU-bound domains run; warped by adjdom once svt ≥ warp it wakes as fast as a textbook
// warped one. Measured latencies are consistent with their definition (never below the direct switch
// cost, p50 ≤ p99 ≤ max). Labels: Xen 1.0 warp is hypothetical, textbook is never called Xen 2.0.
// Runs are deterministic.
import { describe, expect, it } from 'vitest';
import { bvtWarp, runBvtWarp, SCHEDULER_LABEL, switchFloorNs } from '../../experiments/bvt-warp/index.js';
import { bvtWarpReportSummary } from '../../experiments/bvt-warp/charts.js';
import { CONTEXT_SWITCH_DEFAULTS } from '../../src/models/cpu/context-switch.js';
import type { Params } from '../../src/runner/study.js';

function defaults(over: Params = {}): Params {
  const p: Params = {};
  for (const [k, spec] of Object.entries(bvtWarp.params)) p[k] = spec.default;
  return { ...p, ...over };
}
const ctx = (seed: string) => ({ seed, replication: 0, quick: false });
const short = { cpuBound: 8, warmupNs: 500_000_000, runLengthNs: 10_000_000_000 };

describe('runBvtWarp (in process)', () => {
  const run = (scheduler: string) => runBvtWarp(defaults({ ...short, scheduler }), ctx('warp'));
  const xen1 = run('bvt-xen1');
  const textbook = run('bvt-textbook');
  const warp = run('bvt-textbook-warp');

  it('warp lowers the mean wake-up latency by orders of magnitude vs Xen 1.0 BVT without warp', () => {
    const m0 = xen1.measures['wakeLatencyMeanNs'] as number;
    const m1 = warp.measures['wakeLatencyMeanNs'] as number;
    expect(xen1.measures['wakeups']).toBeGreaterThan(500);
    expect(warp.measures['wakeups']).toBeGreaterThan(500);
    // Xen 1.0 pre-empts only after ctx_allow (5 ms): mean wake-up latency of the order of ms
    expect(m0).toBeGreaterThan(1_000_000);
    expect(m1).toBeLessThan(m0 / 50);
    // warped: about one context switch (cache evicted) per wake-up
    expect(m1).toBeLessThan(1.5 * switchFloorNs(defaults()));
    expect(warp.measures['wakeLatencyP99Ns'] as number).toBeLessThan(xen1.measures['wakeLatencyP99Ns'] as number);
  });

  it('warp is at least as good as textbook BVT without warp (mean and p99)', () => {
    expect(warp.measures['wakeLatencyMeanNs'] as number).toBeLessThanOrEqual(
      textbook.measures['wakeLatencyMeanNs'] as number,
    );
    expect(warp.measures['wakeLatencyP99Ns'] as number).toBeLessThanOrEqual(
      textbook.measures['wakeLatencyP99Ns'] as number,
    );
  });

  it('latencies are consistent with their definition and warp takes no extra CPU', () => {
    for (const r of [xen1, textbook, warp]) {
      const m = r.measures;
      // a wake-up costs at least the direct cost of a switch, unless the vCPU was still the last one on the CPU
      expect(m['wakeLatencyP50Ns'] as number).toBeGreaterThanOrEqual(CONTEXT_SWITCH_DEFAULTS.directNs);
      expect(m['wakeLatencyP50Ns'] as number).toBeLessThanOrEqual(m['wakeLatencyP99Ns'] as number);
      expect(m['wakeLatencyP99Ns'] as number).toBeLessThanOrEqual(m['wakeLatencyMaxNs'] as number);
      // the burst delay includes the wake-up latency
      expect(m['burstDelayMeanNs'] as number).toBeGreaterThanOrEqual(0.99 * (m['wakeLatencyMeanNs'] as number));
      // the lat domain asks for ~1 % of the CPU (100 µs per 10 ms) and never gets more than it asks
      expect(m['latCpuShare'] as number).toBeLessThan(0.0115);
      expect((m['latCpuShare'] as number) + (m['cpuBoundCpuShare'] as number)).toBeGreaterThan(0.98);
    }
    expect(Math.abs((warp.measures['latCpuShare'] as number) - 0.01)).toBeLessThan(0.001);
  });

  it('writes the quantile table only at cdfCpuBound, and is deterministic in (params, seed)', () => {
    expect(
      runBvtWarp(defaults({ ...short, cpuBound: 2, runLengthNs: 1_000_000_000 }), ctx('w')).tables?.[
        'wakeLatencyQuantiles'
      ],
    ).toBeUndefined();
    const p = defaults({ ...short, runLengthNs: 2_000_000_000, scheduler: 'credit', cdfCpuBound: 8 });
    const a = runBvtWarp(p, ctx('s'));
    const b = runBvtWarp(p, ctx('s'));
    const c = runBvtWarp(p, ctx('t'));
    expect(b).toEqual(a);
    expect(c.measures['wakeLatencyMeanNs']).not.toBe(a.measures['wakeLatencyMeanNs']);
    const q = a.tables?.['wakeLatencyQuantiles'] ?? [];
    expect(q.length).toBe(201);
    for (let i = 1; i < q.length; i++)
      expect(Number(q[i]?.['latencyNs'])).toBeGreaterThanOrEqual(Number(q[i - 1]?.['latencyNs']));
  });
});

describe('runBvtWarp under Xen 2.0 BVT', () => {
  const run = (scheduler: string, over: Params = {}) =>
    runBvtWarp(defaults({ ...short, runLengthNs: 5_000_000_000, scheduler, ...over }), ctx('xen2'));

  it('a domain warped at creation gets no CPU while the CPU-bound domains run (u32 wrap)', () => {
    for (const cpuBound of [1, 8]) {
      const m = run('bvt-xen2-warp-at-creation', { cpuBound }).measures;
      expect(m['latCpuShare']).toBe(0);
      expect(m['wakeups']).toBe(0);
      expect(Number.isNaN(m['wakeLatencyMeanNs'])).toBe(true);
      // the CPU-bound domains share the whole CPU
      expect(m['cpuBoundCpuShare'] as number).toBeGreaterThan(0.98);
    }
  });

  it('the same warp set by adjdom once svt ≥ warp works: faster wake-ups than without warp, its ~1 % of the CPU', () => {
    const plain = run('bvt-xen2', { cpuBound: 16 }).measures;
    const warped = run('bvt-xen2-warp', { cpuBound: 16 }).measures;
    expect(plain['wakeups'] as number).toBeGreaterThan(300);
    expect(warped['wakeups'] as number).toBeGreaterThan(300);
    expect(warped['wakeLatencyMeanNs'] as number).toBeLessThan((plain['wakeLatencyMeanNs'] as number) / 5);
    expect(warped['wakeLatencyMeanNs'] as number).toBeLessThan(2 * switchFloorNs(defaults()));
    expect(Math.abs((warped['latCpuShare'] as number) - 0.01)).toBeLessThan(0.001);
  });

  it('rejects warp limits that are not whole milliseconds under xen2 (one line naming the fields)', () => {
    expect(bvtWarp.check?.(defaults({ scheduler: 'bvt-xen2-warp', warpLimitNs: 1_500_000 }) as never)).toMatch(
      /warpLimitNs \(1500000\).*whole milliseconds/,
    );
    expect(
      bvtWarp.check?.(defaults({ scheduler: 'bvt-textbook-warp', warpLimitNs: 1_500_000 }) as never),
    ).toBeUndefined();
  });
});

describe('bvt-warp labels', () => {
  it('Xen 1.0 warp is hypothetical; the textbook variant is never called Xen 2.0', () => {
    expect(SCHEDULER_LABEL['bvt-xen1-warp']).toMatch(/hypothetical/);
    const texts = [
      ...Object.values(SCHEDULER_LABEL),
      bvtWarp.description,
      ...bvtWarp.details.split('\n'),
      ...Object.values(bvtWarp.params).map((x) => x.doc),
    ];
    for (const t of texts) expect(t, t).not.toMatch(/textbook[^.;]*Xen 2\.0|Xen 2\.0[^.;(]*textbook/);
  });

  it('the report summary says that a domain warped at creation starves under Xen 2.0', () => {
    const row = (scheduler: string, measure: string, mean: number) => ({
      point: 0,
      params: { scheduler, cpuBound: 4 },
      measure,
      mean,
      sd: 0,
      halfWidth: 0,
      n: 1,
    });
    const summary = [
      row('bvt-xen2-warp-at-creation', 'latCpuShare', 0),
      row('bvt-xen2-warp-at-creation', 'wakeups', 0),
    ];
    const text = bvtWarpReportSummary({ runs: [], summary, tables: {} } as never).join(' ');
    expect(text).toMatch(/warped at creation: largest CPU share 0%/);
    expect(text).toMatch(/starves/);
  });
});

// bvt-warp: a latency-sensitive domain among CPU-bound ones wakes up much faster under textbook BVT
// with warp than under Xen 1.0 BVT without it (whose wake-up pre-emption waits for ctx_allow), and no
// slower than textbook BVT without warp; warp does not take CPU it does not need. Measured latencies
// are consistent with their definition (never below the direct switch cost, p50 ≤ p99 ≤ max). Runs
// are deterministic; the compiled CLI's --quick run writes valid Vega-Lite charts including the CDF.
import { describe, expect, it } from 'vitest';
import { bvtWarp, runBvtWarp, switchFloorNs } from '../../experiments/bvt-warp/index.js';
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
    expect(warp.measures['wakeLatencyMeanNs'] as number).toBeLessThanOrEqual(textbook.measures['wakeLatencyMeanNs'] as number);
    expect(warp.measures['wakeLatencyP99Ns'] as number).toBeLessThanOrEqual(textbook.measures['wakeLatencyP99Ns'] as number);
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
    expect(runBvtWarp(defaults({ ...short, cpuBound: 2, runLengthNs: 1_000_000_000 }), ctx('w')).tables?.['wakeLatencyQuantiles']).toBeUndefined();
    const p = defaults({ ...short, runLengthNs: 2_000_000_000, scheduler: 'credit', cdfCpuBound: 8 });
    const a = runBvtWarp(p, ctx('s'));
    const b = runBvtWarp(p, ctx('s'));
    const c = runBvtWarp(p, ctx('t'));
    expect(b).toEqual(a);
    expect(c.measures['wakeLatencyMeanNs']).not.toBe(a.measures['wakeLatencyMeanNs']);
    const q = a.tables?.['wakeLatencyQuantiles'] ?? [];
    expect(q.length).toBe(201);
    for (let i = 1; i < q.length; i++) expect(Number(q[i]?.['latencyNs'])).toBeGreaterThanOrEqual(Number(q[i - 1]?.['latencyNs']));
  });
});

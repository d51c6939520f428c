// slice-length: the context-switch rate falls as ctxAllow grows (about one switch per ctxAllow with
// several equal CPU-bound domains, plus domain 0's timer events), the switching fraction from the
// host's CPU accounting equals (switches × mean cost) / elapsed computed from the switch hook (two
// independent paths), CPU time is conserved (guests + domain 0 + switching = elapsed: the CPU is never
// idle), and a domain waits about (N − 1)·ctxAllow between runs. Deterministic runs; valid charts.
import { describe, expect, it } from 'vitest';
import { runSliceLength, sliceLength } from '../../experiments/slice-length/index.js';
import { ContextSwitchModel } from '../../src/models/cpu/context-switch.js';
import type { Params } from '../../src/runner/study.js';

function defaults(over: Params = {}): Params {
  const p: Params = {};
  for (const [k, spec] of Object.entries(sliceLength.params)) p[k] = spec.default;
  return { ...p, ...over };
}
const ctx = (seed: string) => ({ seed, replication: 0, quick: false });
const MS = 1_000_000;

describe('runSliceLength (in process)', () => {
  const allows = [1, 5, 20, 100].map((x) => x * MS);
  const runs = allows.map((ctxAllowNs) =>
    runSliceLength(defaults({ domains: 8, ctxAllowNs, warmupNs: 2_000_000_000, runLengthNs: 10_000_000_000 }), ctx('slice')),
  );

  it('the switch rate falls as ctxAllow grows: 1/ctxAllow plus at most two per 20 ms timer tick', () => {
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]?.measures['switchesPerS'] as number).toBeLessThan(runs[i - 1]?.measures['switchesPerS'] as number);
    }
    runs.forEach((r, i) => {
      const rate = r.measures['switchesPerS'] as number;
      const once = 1e9 / (allows[i] as number);
      expect(rate).toBeGreaterThanOrEqual(0.99 * once);
      expect(rate).toBeLessThanOrEqual(once + 100 + 1);
    });
  });

  it('switching fraction = switches × mean cost / elapsed, and CPU time is conserved', () => {
    for (const r of runs) {
      const m = r.measures;
      const fromHook = ((m['switchesPerS'] as number) * (m['meanSwitchCostNs'] as number)) / 1e9;
      // the host accounts a switch when it ends, the hook counts it when it starts: one switch of slack
      expect(Math.abs((m['switchingFraction'] as number) - fromHook)).toBeLessThan(1e-5);
      expect((m['guestCpuPerS'] as number) + (m['dom0CpuFraction'] as number) + (m['switchingFraction'] as number)).toBeCloseTo(1, 9);
      // between the direct cost (2.102 µs, Xen profile: switches to domain 0, no working set) and a
      // switch to a 64 KB domain with a cold cache (the footprint model's cold refill)
      expect(m['meanSwitchCostNs'] as number).toBeGreaterThan(2102);
      expect(m['meanSwitchCostNs'] as number).toBeLessThanOrEqual(new ContextSwitchModel().coldCostNs(64 * 1024));
    }
    // at 1 ms nearly every switch is guest to guest, 8 domains of 64 KB: ≈ lat_ctx 8p/64K under Xen (28.7 µs)
    expect(runs[0]?.measures['meanSwitchCostNs'] as number).toBeGreaterThan(25_000);
    expect(runs[0]?.measures['switchingFraction'] as number).toBeGreaterThan(0.02);
    expect(runs[3]?.measures['switchingFraction'] as number).toBeLessThan(0.001);
  });

  it('a runnable domain waits about (N − 1)·ctxAllow between its runs', () => {
    runs.forEach((r, i) => {
      const want = 7 * (allows[i] as number);
      expect(Math.abs((r.measures['waitBetweenRunsMeanNs'] as number) / want - 1)).toBeLessThan(0.02);
    });
  });

  it('is deterministic in (params, seed)', () => {
    const p = defaults({ domains: 32, ctxAllowNs: 2 * MS, warmupNs: 1_000_000_000, runLengthNs: 3_000_000_000 });
    expect(runSliceLength(p, ctx('s'))).toEqual(runSliceLength(p, ctx('s')));
  });
});

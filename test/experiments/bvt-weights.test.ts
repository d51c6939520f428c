// bvt-weights: under BVT (Xen 1.0 and textbook) 8 CPU-bound domains with weights 1..8 receive
// w_i/Σw of the CPU within 1 % (relative) over a 60 s window — the proportional-share property BVT
// is built for (Duda & Cheriton 1999), independent of the simulator; Credit is measured, not held to
// it. Runs are deterministic in (params, seed); the compiled CLI's --quick run writes valid Vega-Lite
// charts (validateSpec) and the report.
import { describe, expect, it } from 'vitest';
import { bvtWeights, domainSettings, runBvtWeights } from '../../experiments/bvt-weights/index.js';
import type { Params } from '../../src/runner/study.js';

function defaults(over: Params = {}): Params {
  const p: Params = {};
  for (const [k, spec] of Object.entries(bvtWeights.params)) p[k] = spec.default;
  return { ...p, ...over };
}

const ctx = (seed: string) => ({ seed, replication: 0, quick: false });

describe('runBvtWeights (in process)', () => {
  for (const scheduler of ['bvt', 'bvt-textbook'] as const) {
    it(`${scheduler}: each domain's share is within 1% of w_i/Σw over 60 s`, () => {
      const params = defaults({ scheduler, runLengthNs: 60_000_000_000 });
      const r = runBvtWeights(params, ctx('weights'));
      const ideal = domainSettings({ domains: 8, mcuAdvanceBase: 840, creditWeightUnit: 256, scheduler }).map(
        (s) => s.ideal,
      );
      for (let i = 1; i <= 8; i++) {
        const want = i / 36;
        expect(ideal[i - 1]).toBeCloseTo(want, 12); // mcuAdvance = 840 / i is exact
        const got = r.measures[`share${i}`] as number;
        expect(Math.abs(got / want - 1), `${scheduler} w=${i}: share ${got} vs ${want}`).toBeLessThan(0.01);
      }
      expect(r.measures['maxRelErrorPct']).toBeLessThan(1);
      expect(r.measures['jainIndex']).toBeGreaterThan(0.9999);
      // the guests get the CPU (dom0 only handles timer events; switches cost < 1 %)
      expect(r.measures['guestCpuFraction']).toBeGreaterThan(0.99);
    });
  }

  it('credit: shares sum to 1 and grow with the weight; the error is measured, BVT is closer', () => {
    const credit = runBvtWeights(defaults({ scheduler: 'credit', runLengthNs: 20_000_000_000 }), ctx('weights'));
    const bvt = runBvtWeights(defaults({ scheduler: 'bvt', runLengthNs: 20_000_000_000 }), ctx('weights'));
    const shares = Array.from({ length: 8 }, (_, i) => credit.measures[`share${i + 1}`] as number);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let i = 1; i < 8; i++) expect(shares[i] as number).toBeGreaterThan(shares[i - 1] as number);
    expect(bvt.measures['maxRelErrorPct'] as number).toBeLessThan(credit.measures['maxRelErrorPct'] as number);
  });

  it('fewer domains: NaN shares beyond `domains`, and the convergence table ends at the window length', () => {
    const r = runBvtWeights(defaults({ domains: 3, runLengthNs: 5_000_000_000 }), ctx('w3'));
    expect(Number.isNaN(r.measures['share4'])).toBe(true);
    expect(
      (r.measures['share1'] as number) + (r.measures['share2'] as number) + (r.measures['share3'] as number),
    ).toBeCloseTo(1, 12);
    const conv = r.tables?.['convergence'] ?? [];
    expect(conv[conv.length - 1]?.['elapsedS']).toBe(5);
    expect(r.tables?.['shares']?.length).toBe(3);
  });

  it('is deterministic in (params, seed); the start jitter makes seeds differ', () => {
    const params = defaults({ scheduler: 'credit', runLengthNs: 3_000_000_000 });
    const a = runBvtWeights(params, ctx('s'));
    const b = runBvtWeights(params, ctx('s'));
    const c = runBvtWeights(params, ctx('t'));
    expect(b).toEqual(a);
    expect(c.measures).not.toEqual(a.measures);
  });
});

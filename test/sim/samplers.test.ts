// Tests for src/sim/samplers.ts: pinned draws for a fixed seed, DiscreteSampler frequencies against
// its weights (per-cell 4.5-sigma binomial bounds and a chi-square test), EmpiricalSampler against
// its data and CDF knots, properties (fast-check: never a zero-weight or out-of-range index), and
// bad arguments. Units: dimensionless; the tables below are arbitrary test values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStreams, Rng } from '../../src/sim/rng.js';
import { DiscreteSampler, EmpiricalSampler } from '../../src/sim/samplers.js';

/** An Rng whose uniforms are scripted, to drive samplers to chosen inputs. */
class ScriptedRng extends Rng {
  private i = 0;
  constructor(private readonly us: readonly number[]) {
    super('scripted');
  }
  override next(): number {
    return this.us[this.i++ % this.us.length] as number;
  }
}

const ONE_MINUS_ULP = 1 - 2 ** -53; // the largest value Rng.next() can return

/** |count - n p| <= 4.5 sqrt(n p (1 - p)): a binomial count within 4.5 standard deviations. */
function expectBinomial(count: number, n: number, p: number): void {
  expect(Math.abs(count - n * p)).toBeLessThanOrEqual(4.5 * Math.sqrt(n * p * (1 - p)));
}

describe('pinned draws for seed "pin" (guard against accidental changes)', () => {
  it('DiscreteSampler', () => {
    const r = new Rng('pin');
    const d = new DiscreteSampler([1, 0, 3, 0.5, 5.5]);
    expect([d.sample(r), d.sample(r), d.sample(r)]).toStrictEqual([4, 0, 4]);
  });
  it('EmpiricalSampler.fromSamples', () => {
    const r = new Rng('pin');
    const e = EmpiricalSampler.fromSamples([3, 1, 4, 1, 5, 9, 2, 6]);
    expect([e.sample(r), e.sample(r), e.sample(r)]).toStrictEqual([1, 3, 1]);
  });
  it('EmpiricalSampler.fromCdf', () => {
    const r = new Rng('pin');
    const e = EmpiricalSampler.fromCdf([
      { x: 0, p: 0 },
      { x: 1, p: 0.2 },
      { x: 1, p: 0.5 },
      { x: 4, p: 0.5 },
      { x: 10, p: 1 },
    ]);
    expect([e.sample(r), e.sample(r), e.sample(r)]).toStrictEqual([0.6432703378698951, 0.06308823575421896, 1]);
  });
});

describe('DiscreteSampler', () => {
  it('frequencies match the weights (4.5-sigma per cell; chi-square, 3 df, p = 0.001)', () => {
    const weights = [1, 0, 3, 0.5, 5.5];
    const total = 10;
    const n = 200_000;
    const rng = new RandomStreams('discrete').stream('freq');
    const d = new DiscreteSampler(weights);
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < n; i++) {
      const k = d.sample(rng);
      counts[k] = (counts[k] as number) + 1;
    }
    expect(counts[1]).toBe(0);
    let chi2 = 0;
    weights.forEach((w, i) => {
      if (w === 0) return;
      const p = w / total;
      expectBinomial(counts[i] as number, n, p);
      chi2 += ((counts[i] as number) - n * p) ** 2 / (n * p);
    });
    expect(chi2).toBeLessThan(16.266); // chi-square upper 0.001 point, 3 degrees of freedom
  });

  it('many cells of very different weights: each within 4.5 sigma', () => {
    const weights = Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? 0 : 1 + ((i * 37) % 11) ** 2));
    const total = weights.reduce((a, b) => a + b, 0);
    const n = 200_000;
    const rng = new RandomStreams('discrete').stream('many');
    const d = new DiscreteSampler(weights);
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < n; i++) {
      const k = d.sample(rng);
      counts[k] = (counts[k] as number) + 1;
    }
    weights.forEach((w, i) => {
      if (w === 0) expect(counts[i]).toBe(0);
      else expectBinomial(counts[i] as number, n, w / total);
    });
  });

  it('is invariant to scaling the weights by a power of two (same draws)', () => {
    const weights = [0.3, 2, 0, 7, 1e-3];
    const a = new DiscreteSampler(weights);
    const b = new DiscreteSampler(weights.map((w) => w * 2 ** -600));
    const ra = new Rng('scale');
    const rb = new Rng('scale');
    for (let i = 0; i < 1000; i++) expect(b.sample(rb)).toBe(a.sample(ra));
  });

  it('a single positive weight always gives its index, at every uniform', () => {
    const d = new DiscreteSampler([0, 0, 4, 0]);
    for (const u of [0, 0.1, 0.25, 0.5, 0.74, 0.75, 0.99, ONE_MINUS_ULP]) {
      expect(d.sample(new ScriptedRng([u]))).toBe(2);
    }
  });

  it('property: always an in-range index of positive weight, for random tables and every column', () => {
    const weight = fc.oneof(
      fc.constant(0),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.double({ min: 1e-300, max: 1e-250, noNaN: true }),
      fc.integer({ min: 1, max: 10 }),
    );
    fc.assert(
      fc.property(fc.array(weight, { minLength: 1, maxLength: 60 }), fc.string(), (weights, seed) => {
        fc.pre(weights.some((w) => w > 0));
        const d = new DiscreteSampler(weights);
        const n = weights.length;
        const ok = (k: number): boolean => Number.isInteger(k) && k >= 0 && k < n && (weights[k] as number) > 0;
        // Every column at both ends of its fraction (the kept index and the alias), and the extremes.
        const us: number[] = [0, ONE_MINUS_ULP];
        for (let i = 0; i < n; i++)
          for (const f of [0, 1e-12, 0.5, 1 - 1e-12]) us.push(Math.min((i + f) / n, ONE_MINUS_ULP));
        const scripted = new ScriptedRng(us);
        for (let i = 0; i < us.length; i++) if (!ok(d.sample(scripted))) return false;
        const rng = new Rng(seed);
        for (let i = 0; i < 100; i++) if (!ok(d.sample(rng))) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('EmpiricalSampler.fromSamples', () => {
  it('returns only the given values, each with frequency multiplicity / n (4.5 sigma)', () => {
    const data = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const multiplicity = new Map<number, number>();
    for (const x of data) multiplicity.set(x, (multiplicity.get(x) ?? 0) + 1);
    const n = 200_000;
    const rng = new RandomStreams('empirical').stream('samples');
    const e = EmpiricalSampler.fromSamples(data);
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const x = e.sample(rng);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toStrictEqual([...multiplicity.keys()].sort((a, b) => a - b));
    for (const [x, m] of multiplicity) expectBinomial(counts.get(x) ?? 0, n, m / data.length);
  });

  it('covers the first and last value at the extreme uniforms', () => {
    const e = EmpiricalSampler.fromSamples([7, 8, 9]);
    expect(e.sample(new ScriptedRng([0]))).toBe(7);
    expect(e.sample(new ScriptedRng([ONE_MINUS_ULP]))).toBe(9);
  });
});

describe('EmpiricalSampler.fromCdf', () => {
  const knots = [
    { x: 0, p: 0 },
    { x: 1, p: 0.2 },
    { x: 1, p: 0.5 }, // atom of 0.3 at x = 1
    { x: 4, p: 0.5 }, // no mass in (1, 4)
    { x: 10, p: 1 },
  ];

  it('is the piecewise-linear inverse CDF at chosen uniforms', () => {
    const e = EmpiricalSampler.fromCdf(knots);
    const at = (u: number): number => e.sample(new ScriptedRng([u]));
    expect(at(0)).toBe(0);
    expect(at(0.1)).toBeCloseTo(0.5, 12);
    expect(at(0.2)).toBe(1);
    expect(at(0.35)).toBe(1);
    expect(at(0.6)).toBeCloseTo(5.2, 12); // 4 + (0.6 - 0.5) / 0.5 * 6
    expect(at(ONE_MINUS_ULP)).toBeLessThanOrEqual(10);
    expect(at(ONE_MINUS_ULP)).toBeGreaterThan(9.99);
  });

  it('reproduces the CDF at its knots, its atom and its gap (200k draws, 4.5 sigma)', () => {
    const n = 200_000;
    const rng = new RandomStreams('empirical').stream('cdf');
    const e = EmpiricalSampler.fromCdf(knots);
    const xs = Array.from({ length: n }, () => e.sample(rng));
    // At a knot x the CDF is right-continuous: F(x-) is the first p listed at x, F(x) the last.
    for (const x of new Set(knots.map((k) => k.x))) {
      const atX = knots.filter((k) => k.x === x).map((k) => k.p);
      const checks: [number, number][] = [
        [xs.filter((v) => v < x).length, atX[0] as number],
        [xs.filter((v) => v <= x).length, atX[atX.length - 1] as number],
      ];
      for (const [count, p] of checks) {
        if (p === 0 || p === 1) expect(count).toBe(p * n);
        else expectBinomial(count, n, p);
      }
    }
    expectBinomial(xs.filter((v) => v === 1).length, n, 0.3);
    expect(xs.filter((v) => v > 1 && v < 4).length).toBe(0);
    expectBinomial(xs.filter((v) => v <= 7).length, n, 0.75); // linear between knots: F(7) = 0.5 + 0.5 * 3/6
  });

  it('a first p > 0 is an atom at x_0; a single knot is a constant', () => {
    const e = EmpiricalSampler.fromCdf([
      { x: 2, p: 0.25 },
      { x: 3, p: 1 },
    ]);
    const n = 100_000;
    const rng = new RandomStreams('empirical').stream('atom');
    const xs = Array.from({ length: n }, () => e.sample(rng));
    expect(Math.min(...xs)).toBe(2);
    expect(Math.max(...xs)).toBeLessThanOrEqual(3);
    expectBinomial(xs.filter((v) => v === 2).length, n, 0.25);
    const c = EmpiricalSampler.fromCdf([{ x: 42, p: 1 }]);
    expect(c.sample(new ScriptedRng([0]))).toBe(42);
    expect(c.sample(new ScriptedRng([ONE_MINUS_ULP]))).toBe(42);
  });

  it('accepts a last p within 1e-9 of 1', () => {
    const e = EmpiricalSampler.fromCdf([
      { x: 0, p: 0 },
      { x: 1, p: 1 - 1e-12 },
    ]);
    expect(e.sample(new ScriptedRng([ONE_MINUS_ULP]))).toBeLessThanOrEqual(1);
  });

  it('property: draws stay within [x_0, x_last] for random monotone knots', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.string(),
        (raw, seed) => {
          const xs = raw.map(([x]) => x).sort((a, b) => a - b);
          const ps = raw.map(([, p]) => p).sort((a, b) => a - b);
          ps[ps.length - 1] = 1;
          const e = EmpiricalSampler.fromCdf(xs.map((x, i) => ({ x, p: ps[i] as number })));
          const lo = xs[0] as number;
          const hi = xs[xs.length - 1] as number;
          const rngs = [new Rng(seed), new ScriptedRng([0, ONE_MINUS_ULP, 0.5])];
          for (const rng of rngs) {
            for (let i = 0; i < 30; i++) {
              const v = e.sample(rng);
              if (!(v >= lo && v <= hi)) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('bad arguments throw RangeError naming the argument', () => {
  it('the message names the argument, the value and what is allowed', () => {
    expect(() => new DiscreteSampler([1, -2])).toThrow(
      new RangeError('DiscreteSampler: weights[1] must be a finite number >= 0, got -2'),
    );
  });
  it.each<[string, () => unknown, string]>([
    ['DiscreteSampler([])', () => new DiscreteSampler([]), 'weights'],
    ['DiscreteSampler([0, 0])', () => new DiscreteSampler([0, 0]), 'weights'],
    ['DiscreteSampler([1, NaN])', () => new DiscreteSampler([1, NaN]), 'weights[1]'],
    ['DiscreteSampler([Infinity])', () => new DiscreteSampler([Infinity]), 'weights[0]'],
    ['DiscreteSampler([1e308, 1e308])', () => new DiscreteSampler([1e308, 1e308]), 'weights'],
    ['fromSamples([])', () => EmpiricalSampler.fromSamples([]), 'xs'],
    ['fromSamples([1, NaN])', () => EmpiricalSampler.fromSamples([1, NaN]), 'xs[1]'],
    ['fromCdf([])', () => EmpiricalSampler.fromCdf([]), 'points'],
    [
      'fromCdf: p > 1',
      () =>
        EmpiricalSampler.fromCdf([
          { x: 0, p: 0 },
          { x: 1, p: 1.5 },
        ]),
      'points[1].p',
    ],
    [
      'fromCdf: p < 0',
      () =>
        EmpiricalSampler.fromCdf([
          { x: 0, p: -0.1 },
          { x: 1, p: 1 },
        ]),
      'points[0].p',
    ],
    [
      'fromCdf: p NaN',
      () =>
        EmpiricalSampler.fromCdf([
          { x: 0, p: NaN },
          { x: 1, p: 1 },
        ]),
      'points[0].p',
    ],
    [
      'fromCdf: x NaN',
      () =>
        EmpiricalSampler.fromCdf([
          { x: NaN, p: 0 },
          { x: 1, p: 1 },
        ]),
      'points[0].x',
    ],
    [
      'fromCdf: p decreasing',
      () =>
        EmpiricalSampler.fromCdf([
          { x: 0, p: 0.5 },
          { x: 1, p: 0.4 },
          { x: 2, p: 1 },
        ]),
      'points[1].p',
    ],
    [
      'fromCdf: x decreasing',
      () =>
        EmpiricalSampler.fromCdf([
          { x: 5, p: 0 },
          { x: 1, p: 0.5 },
          { x: 6, p: 1 },
        ]),
      'points[1].x',
    ],
    [
      'fromCdf: last p < 1',
      () =>
        EmpiricalSampler.fromCdf([
          { x: 0, p: 0 },
          { x: 1, p: 0.9 },
        ]),
      'points[1].p',
    ],
  ])('%s', (_label, f, argName) => {
    expect(f).toThrow(RangeError);
    expect(f).toThrow(`: ${argName} must be`);
  });
});

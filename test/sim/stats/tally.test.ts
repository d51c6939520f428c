import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tally } from '../../../src/sim/stats/tally.js';

/** Independent reference: two-pass mean and sample variance. */
function twoPass(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const ss = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0);
  return { mean, variance: ss / (xs.length - 1) };
}

function tallyOf(xs: readonly number[]): Tally {
  const t = new Tally();
  for (const x of xs) t.add(x);
  return t;
}

function relClose(a: number, b: number, rel: number, absFloor = 0): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + absFloor;
}

describe('Tally', () => {
  it('matches a two-pass computation on fixed data', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    const t = tallyOf(xs);
    const ref = twoPass(xs);
    expect(t.count).toBe(8);
    expect(t.sum).toBe(40);
    expect(t.mean).toBe(5);
    expect(ref.variance).toBeCloseTo(32 / 7, 14); // by hand: Σ(x−5)² = 32
    expect(t.variance).toBeCloseTo(ref.variance, 14);
    expect(t.stdDev).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(t.min).toBe(2);
    expect(t.max).toBe(9);
  });

  it('survives catastrophic cancellation (1e9 + {4, 7, 13, 16})', () => {
    const xs = [4, 7, 13, 16].map((d) => 1e9 + d);
    // By hand: mean 1e9 + 10, deviations −6, −3, 3, 6, Σd² = 90, variance 90/3 = 30.
    const naiveVar = (xs.reduce((a, x) => a + x * x, 0) - xs.length * (1e9 + 10) ** 2) / 3;
    expect(Math.abs(naiveVar - 30)).toBeGreaterThan(1); // the textbook formula breaks here
    const t = tallyOf(xs);
    expect(t.mean).toBe(1e9 + 10);
    expect(twoPass(xs).variance).toBe(30);
    expect(relClose(t.variance, 30, 1e-12)).toBe(true);
  });

  it('also at 1e15 offset, where Σx² exceeds 2^53 by far', () => {
    const xs = [4, 7, 13, 16].map((d) => 1e15 + d);
    const t = tallyOf(xs);
    expect(t.mean).toBe(1e15 + 10);
    expect(relClose(t.variance, 30, 1e-9)).toBe(true);
  });

  it('is NaN-safe on small counts', () => {
    const t = new Tally();
    expect(t.count).toBe(0);
    expect(t.sum).toBe(0);
    expect(t.mean).toBeNaN();
    expect(t.variance).toBeNaN();
    expect(t.stdDev).toBeNaN();
    expect(t.min).toBeNaN();
    expect(t.max).toBeNaN();
    t.add(-3);
    expect(t.mean).toBe(-3);
    expect(t.variance).toBeNaN();
    expect(t.min).toBe(-3);
    expect(t.max).toBe(-3);
    t.add(-3);
    expect(t.variance).toBe(0);
  });

  it('merge equals adding everything to one tally', () => {
    const a = [1.5, 2.25, -7, 100, 3];
    const b = [8, 8, 9.75, -2, 0, 42];
    const merged = tallyOf(a);
    merged.merge(tallyOf(b));
    const all = tallyOf([...a, ...b]);
    expect(merged.count).toBe(all.count);
    expect(merged.sum).toBe(all.sum);
    expect(merged.mean).toBeCloseTo(all.mean, 13);
    expect(merged.variance).toBeCloseTo(all.variance, 11);
    expect(merged.min).toBe(-7);
    expect(merged.max).toBe(100);
  });

  it('merges with empty tallies and with itself', () => {
    const t = tallyOf([1, 2, 3, 4]);
    t.merge(new Tally());
    expect(t.count).toBe(4);
    const e = new Tally();
    e.merge(t);
    expect(e.count).toBe(4);
    expect(e.mean).toBe(2.5);
    expect(e.variance).toBeCloseTo(5 / 3, 14);
    t.merge(t); // {1,2,3,4,1,2,3,4}: mean 2.5, Σd² = 10, variance 10/7
    expect(t.count).toBe(8);
    expect(t.mean).toBe(2.5);
    expect(t.variance).toBeCloseTo(10 / 7, 14);
  });

  it('property: merge(a, b) equals the tally of the concatenation', () => {
    const value = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.array(value, { maxLength: 60 }), (a, b) => {
        const merged = tallyOf(a);
        merged.merge(tallyOf(b));
        const all = tallyOf([...a, ...b]);
        if (merged.count !== all.count) return false;
        if (all.count === 0) return Number.isNaN(merged.mean);
        // Rounding errors scale with the raw moments, so they set the absolute floor.
        const maxAbs = Math.max(...a.map(Math.abs), ...b.map(Math.abs));
        if (!relClose(merged.mean, all.mean, 1e-9, 1e-9 * maxAbs)) return false;
        if (merged.min !== all.min || merged.max !== all.max) return false;
        if (all.count < 2) return Number.isNaN(merged.variance);
        const secondMoment = [...a, ...b].reduce((s, x) => s + x * x, 0) / (all.count - 1);
        return relClose(merged.variance, all.variance, 1e-9, 1e-9 * secondMoment);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('reset forgets everything', () => {
    const t = tallyOf([1, 2, 3]);
    t.reset();
    expect(t.count).toBe(0);
    expect(t.sum).toBe(0);
    expect(t.mean).toBeNaN();
    t.add(10);
    expect(t.mean).toBe(10);
    expect(t.min).toBe(10);
  });

  it('rejects non-finite observations with a RangeError naming the value', () => {
    const t = new Tally();
    expect(() => t.add(NaN)).toThrow(RangeError);
    expect(() => t.add(Infinity)).toThrow(/Tally\.add: x must be a finite number, got Infinity/);
    expect(t.count).toBe(0);
  });
});

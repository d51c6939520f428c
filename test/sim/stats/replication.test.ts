import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/sim/stats/replication.js';

describe('summarize (replications, Student-t CI)', () => {
  it('matches a hand computation', () => {
    // 10 12 14 16 18: mean 14, Σd² = 16+4+0+4+16 = 40, sd = √(40/4) = √10,
    // halfWidth = t_{0.975,4}·√10/√5 = 2.7764451·√2 = 3.926486.
    const s = summarize([10, 12, 14, 16, 18]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(14);
    expect(s.sd).toBeCloseTo(Math.sqrt(10), 14);
    expect(s.halfWidth).toBeCloseTo(3.926486, 6);
    expect(s.lo).toBeCloseTo(14 - 3.926486, 6);
    expect(s.hi).toBeCloseTo(14 + 3.926486, 6);
  });

  it('uses the requested confidence', () => {
    // t_{0.95,4} = 2.131847 → halfWidth = 2.131847·√2 = 3.014887.
    expect(summarize([10, 12, 14, 16, 18], 0.9).halfWidth).toBeCloseTo(3.014887, 6);
    // Two values 1 and 3: mean 2, sd √2, halfWidth = t_{0.975,1}·√2/√2 = 12.7062.
    expect(summarize([1, 3]).halfWidth).toBeCloseTo(12.7062, 4);
  });

  it('n = 1 gives a zero-width interval, n = 0 gives NaNs', () => {
    expect(summarize([4.5])).toEqual({ n: 1, mean: 4.5, sd: 0, halfWidth: 0, lo: 4.5, hi: 4.5 });
    const e = summarize([]);
    expect(e.n).toBe(0);
    for (const v of [e.mean, e.sd, e.halfWidth, e.lo, e.hi]) expect(v).toBeNaN();
  });

  it('rejects bad confidence levels and non-finite values', () => {
    expect(() => summarize([1, 2], 1)).toThrow(/confidence must be a number in \(0, 1\), got 1/);
    expect(() => summarize([1, 2], 0)).toThrow(RangeError);
    expect(() => summarize([1, 2], 95)).toThrow(/summarize: confidence must be a number in \(0, 1\), got 95/);
    expect(() => summarize([1, 2, NaN])).toThrow(/values\[2\] must be a finite number, got NaN/);
  });
});

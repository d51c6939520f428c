import stdlibTQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../src/sim/stats/normal-quantile.js';
import { tQuantile } from '../../../src/sim/stats/student-t.js';

function expectRel(got: number, want: number, rel: number): void {
  expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(rel * Math.abs(want));
}

describe('tQuantile', () => {
  it('matches the printed table t_{0.975, df}', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.96, 3);
  });

  it('matches more table entries (t_{0.95}, t_{0.995}) and closed forms', () => {
    expect(tQuantile(0.95, 4)).toBeCloseTo(2.132, 3);
    expect(tQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
    expect(tQuantile(0.95, Infinity)).toBeCloseTo(1.645, 3);
    // df = 1 is Cauchy: t_p = tan(π(p − ½)); df = 2: t_p = (2p − 1)·sqrt(2 / (4p(1 − p))).
    expectRel(tQuantile(0.9, 1), Math.tan(Math.PI * 0.4), 1e-12);
    const p = 0.975;
    expectRel(tQuantile(p, 2), (2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))), 1e-12);
  });

  it('is antisymmetric, 0 at the median, infinite at 0 and 1', () => {
    expect(tQuantile(0.025, 9)).toBeCloseTo(-2.262, 3);
    expect(tQuantile(0.5, 5)).toBe(0);
    expect(tQuantile(0, 5)).toBe(-Infinity);
    expect(tQuantile(1, 5)).toBe(Infinity);
    expect(tQuantile(1, Infinity)).toBe(Infinity);
  });

  it('joins the normal limit smoothly for huge df (where the stdlib routine returns 0)', () => {
    expect(stdlibTQuantile(0.975, 1e20)).toBe(0); // the defect being worked around
    const z = 1.959963984540054;
    expectRel(tQuantile(0.975, 1e20), z, 1e-15);
    expectRel(tQuantile(0.975, 1e300), z, 1e-15);
    // Both sides of the 1e14 switch agree with each other and with z + (z³ + z)/(4 df).
    for (const df of [1e13, 1e14, 1.0001e14, 1e15]) {
      expectRel(tQuantile(0.975, df), z + (z ** 3 + z) / (4 * df), 1e-14);
    }
    expect(tQuantile(0.975, 1e6)).toBeGreaterThan(tQuantile(0.975, 1e7));
  });

  it('rejects bad arguments with a RangeError naming them', () => {
    expect(() => tQuantile(1.2, 3)).toThrow(/tQuantile: p must be a number in \[0, 1\], got 1\.2/);
    expect(() => tQuantile(NaN, 3)).toThrow(RangeError);
    expect(() => tQuantile(0.5, 0)).toThrow(/df must be a number > 0.*got 0/);
    expect(() => tQuantile(0.5, -2)).toThrow(/df must be a number > 0.*got -2/);
    expect(() => tQuantile(0.5, NaN)).toThrow(/df must be a number > 0.*got NaN/);
  });
});

describe('normalQuantile (AS 241)', () => {
  it('matches reference values (R qnorm) to ~1e-15', () => {
    expectRel(normalQuantile(0.975), 1.959963984540054, 1e-15);
    expectRel(normalQuantile(0.995), 2.575829303548901, 1e-15);
    expectRel(normalQuantile(0.9), 1.281551565544601, 1e-15);
    expectRel(normalQuantile(0.3), -0.5244005127080407, 1e-15);
    expectRel(normalQuantile(1e-10), -6.361340902404056, 1e-15);
    expectRel(normalQuantile(1e-300), -37.0470962993612, 1e-14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('agrees with the independent stdlib t quantile at df = 1e12 after the first correction', () => {
    // t_p(df) = z + (z³ + z)/(4 df) + O(df⁻²); stdlib computes t by inverting the incomplete beta.
    for (const p of [1e-12, 1e-6, 0.001, 0.02, 0.2, 0.45, 0.55, 0.8, 0.98, 0.999, 1 - 1e-6]) {
      const z = normalQuantile(p);
      expectRel(stdlibTQuantile(p, 1e12), z + (z ** 3 + z) / 4e12, 1e-13);
    }
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => normalQuantile(-0.5)).toThrow(/normalQuantile: p must be a number in \[0, 1\], got -0\.5/);
  });
});

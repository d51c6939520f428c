import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompensatedSum } from '../../../src/sim/stats/compensated-sum.js';

function naive(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function compensated(xs: readonly number[]): number {
  const s = new CompensatedSum();
  for (const x of xs) s.add(x);
  return s.value;
}

describe('CompensatedSum', () => {
  it('gets 1 + 1e100 + 1 - 1e100 = 2 where naive summation gets 0', () => {
    const xs = [1, 1e100, 1, -1e100];
    expect(naive(xs)).toBe(0); // the sequence is adversarial
    expect(compensated(xs)).toBe(2);
  });

  it('sums 0.1 ten times to the double nearest 1', () => {
    const xs = Array.from({ length: 10 }, () => 0.1);
    expect(naive(xs)).not.toBe(1);
    expect(compensated(xs)).toBe(1);
  });

  it('keeps small terms next to a large one (1e16 + 1 × 1000)', () => {
    const xs = [1e16, ...Array.from({ length: 1000 }, () => 1)];
    expect(naive(xs)).toBe(1e16); // each +1 is rounded away
    expect(compensated(xs)).toBe(1e16 + 1000);
  });

  it('matches the exact (BigInt) sum to within one rounding', () => {
    // Terms are integers times 2^s, s in [-30, 30]: x·2^30 is an integer, so BigInt gives the exact sum.
    const term = fc
      .tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.integer({ min: -30, max: 30 }))
      .map(([k, s]) => k * 2 ** s);
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 200 }), (xs) => {
        let exact = 0n;
        for (const x of xs) exact += BigInt(x * 2 ** 30);
        const expected = Number(exact) / 2 ** 30;
        const got = compensated(xs);
        const absSum = xs.reduce((a, x) => a + Math.abs(x), 0);
        const tol = 2 * Number.EPSILON * Math.abs(expected) + xs.length ** 2 * Number.EPSILON ** 2 * absSum;
        return Math.abs(got - expected) <= tol;
      }),
      { seed: 20240601, numRuns: 300 },
    );
  });

  it('follows IEEE semantics for infinities and NaN', () => {
    expect(compensated([1, Infinity, 2])).toBe(Infinity);
    expect(compensated([1, -Infinity])).toBe(-Infinity);
    expect(compensated([Infinity, -Infinity])).toBeNaN();
    expect(compensated([1, NaN])).toBeNaN();
  });

  it('starts at 0 and reset() returns to 0', () => {
    const s = new CompensatedSum();
    expect(s.value).toBe(0);
    s.add(1e100);
    s.add(1);
    s.reset();
    expect(s.value).toBe(0);
    s.add(3);
    expect(s.value).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { Quantiles } from '../../../src/sim/stats/quantiles.js';
import { lcg, normals, type7 } from './lcg.js';

/** Levels checked in sketch mode: a dense grid plus the tails. */
const LEVELS = [
  ...Array.from({ length: 1001 }, (_, i) => i / 1000),
  0.0001,
  0.00001,
  0.9995,
  0.9999,
  0.99999,
  0.999995,
];

function fill(q: Quantiles, xs: ArrayLike<number>): void {
  for (let i = 0; i < xs.length; i++) q.add(xs[i] as number);
}

describe('Quantiles, exact mode (type 7)', () => {
  it('matches hand-computed values on 1..4', () => {
    const q = new Quantiles();
    fill(q, [4, 2, 1, 3]);
    expect(q.isExact).toBe(true);
    expect(q.count).toBe(4);
    // h = 3q: q=0 → x0 = 1; 0.25 → 1 + 0.75·1; 0.5 → 2.5; 0.9 → h = 2.7 → 3.7; 1 → 4.
    expect(q.quantile(0)).toBe(1);
    expect(q.quantile(0.25)).toBe(1.75);
    expect(q.quantile(0.5)).toBe(2.5);
    expect(q.quantile(0.9)).toBeCloseTo(3.7, 14);
    expect(q.quantile(1)).toBe(4);
  });

  it('matches R quantile(c(3,1,4,1,5,9,2,6), c(.1,.5,.75,.95)) = 1, 3.5, 5.25, 7.95', () => {
    // Sorted 1 1 2 3 4 5 6 9, h = 7q: 0.7 → 1; 3.5 → 3.5; 5.25 → 5 + 0.25·1; 6.65 → 6 + 0.65·3.
    const q = new Quantiles();
    fill(q, [3, 1, 4, 1, 5, 9, 2, 6]);
    expect(q.quantile(0.1)).toBe(1);
    expect(q.quantile(0.5)).toBe(3.5);
    expect(q.quantile(0.75)).toBe(5.25);
    expect(q.quantile(0.95)).toBeCloseTo(7.95, 13);
  });

  it('keeps working when samples arrive after a query', () => {
    const q = new Quantiles();
    fill(q, [10, 30]);
    expect(q.quantile(0.5)).toBe(20);
    fill(q, [0, 20, 40]); // 0 10 20 30 40
    expect(q.quantile(0.5)).toBe(20);
    expect(q.quantile(0.125)).toBe(5);
    expect(q.quantile(0)).toBe(0);
    expect(q.quantile(1)).toBe(40);
  });

  it('handles one sample, no sample, negatives and zeros', () => {
    const q = new Quantiles();
    expect(q.quantile(0.5)).toBeNaN();
    q.add(-7);
    expect(q.quantile(0)).toBe(-7);
    expect(q.quantile(0.3)).toBe(-7);
    expect(q.quantile(1)).toBe(-7);
    fill(q, [0, 0, 5]); // -7 0 0 5, h = 3q
    expect(q.quantile(1 / 6)).toBeCloseTo(-3.5, 13);
    expect(q.quantile(0.5)).toBe(0);
    expect(q.quantile(5 / 6)).toBeCloseTo(2.5, 13);
  });

  it('grows past its initial buffer and agrees with a sorted reference', () => {
    const u = lcg(11);
    const xs = Float64Array.from({ length: 5000 }, () => 1000 * u() - 500);
    const q = new Quantiles({ exactLimit: 5000 });
    fill(q, xs);
    expect(q.isExact).toBe(true);
    const sorted = Float64Array.from(xs).sort();
    for (const p of [0, 0.001, 0.1, 0.333, 0.5, 0.9, 0.999, 1]) expect(q.quantile(p)).toBe(type7(sorted, p));
  });

  it('rejects q outside [0, 1], non-finite samples and bad options', () => {
    const q = new Quantiles();
    q.add(1);
    expect(() => q.quantile(-0.1)).toThrow(RangeError);
    expect(() => q.quantile(1.5)).toThrow(/Quantiles\.quantile: q must be a number in \[0, 1\], got 1\.5/);
    expect(() => q.quantile(NaN)).toThrow(/q must be .*, got NaN/);
    expect(() => new Quantiles().quantile(2)).toThrow(RangeError); // even when empty
    expect(() => q.add(NaN)).toThrow(/x must be a finite number, got NaN/);
    expect(() => q.add(-Infinity)).toThrow(RangeError);
    expect(() => new Quantiles({ exactLimit: -1 })).toThrow(/exactLimit must be an integer >= 0, got -1/);
    expect(() => new Quantiles({ exactLimit: 1.5 })).toThrow(/exactLimit must be an integer >= 0, got 1\.5/);
    expect(() => new Quantiles({ relativeAccuracy: 0 })).toThrow(
      /relativeAccuracy must be a number in \(0, 1\), got 0/,
    );
    expect(() => new Quantiles({ relativeAccuracy: 1 })).toThrow(
      /relativeAccuracy must be a number in \(0, 1\), got 1/,
    );
  });

  it('reset empties it and returns to exact mode', () => {
    const q = new Quantiles({ exactLimit: 2 });
    fill(q, [1, 2, 3]);
    expect(q.isExact).toBe(false);
    q.reset(0);
    expect(q.count).toBe(0);
    expect(q.isExact).toBe(true);
    expect(q.quantile(0.5)).toBeNaN();
    fill(q, [8, 6]);
    expect(q.quantile(0.5)).toBe(7);
  });
});

describe('Quantiles, sketch mode', () => {
  it('switches to the sketch exactly after exactLimit samples, keeping the earlier ones', () => {
    const q = new Quantiles({ exactLimit: 3 });
    fill(q, [100, 200, 300]);
    expect(q.isExact).toBe(true);
    q.add(1);
    expect(q.isExact).toBe(false);
    expect(q.count).toBe(4);
    expect(q.quantile(0)).toBe(1);
    expect(q.quantile(1)).toBe(300); // from samples replayed into the sketch
  });

  it('is within the relative accuracy of the exact answer on 200k lognormal values', () => {
    const z = normals(2024);
    const n = 200_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = 1e4 * Math.exp(1.5 * z()); // lognormal, ~7 decades
    const q = new Quantiles(); // exactLimit 100 000, α = 0.005
    fill(q, xs);
    expect(q.isExact).toBe(false);
    expect(q.count).toBe(n);
    const sorted = Float64Array.from(xs).sort();
    const alpha = q.relativeAccuracy;
    let worst = 0;
    for (const p of LEVELS) {
      const exact = type7(sorted, p);
      const rel = Math.abs(q.quantile(p) - exact) / exact;
      worst = Math.max(worst, rel);
      expect(rel, `q = ${p}`).toBeLessThanOrEqual(alpha * (1 + 1e-9));
    }
    expect(worst).toBeGreaterThan(alpha / 10); // it really is the sketch answering
    expect(q.quantile(0)).toBe(sorted[0]);
    expect(q.quantile(1)).toBe(sorted[n - 1]);
  });

  it('handles negatives and zeros (second store, zero bucket)', () => {
    // A third negative lognormal, a fifth exact zeros, the rest positive lognormal.
    const u = lcg(99);
    const z = normals(7);
    const n = 30_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = u();
      xs[i] = r < 0.2 ? 0 : (r < 0.53 ? -1 : 1) * Math.exp(2 * z());
    }
    const alpha = 0.01;
    const q = new Quantiles({ exactLimit: 1000, relativeAccuracy: alpha });
    fill(q, xs);
    expect(q.isExact).toBe(false);
    const sorted = Float64Array.from(xs).sort();
    for (const p of LEVELS) {
      const h = (n - 1) * p;
      const f = h - Math.floor(h);
      const lo = sorted[Math.floor(h)] as number;
      const hi = sorted[Math.ceil(h)] as number;
      const exact = type7(sorted, p);
      const got = q.quantile(p);
      // Same signs: relative bound; across the sign change: bound by the two order statistics.
      const bound = alpha * ((1 - f) * Math.abs(lo) + f * Math.abs(hi)) * (1 + 1e-9);
      expect(Math.abs(got - exact), `q = ${p}`).toBeLessThanOrEqual(bound);
      if (lo === 0 && hi === 0) expect(got, `q = ${p}`).toBe(0);
      if (hi < 0) expect(got, `q = ${p}`).toBeLessThan(0);
      if (lo > 0) expect(got, `q = ${p}`).toBeGreaterThan(0);
    }
  });

  it('handles an all-negative stream', () => {
    const q = new Quantiles({ exactLimit: 0, relativeAccuracy: 0.005 });
    for (let i = 1; i <= 1000; i++) q.add(-i);
    // Sorted −1000..−1, h = 999q; q = 0.5 → −500.5; q = 0.25 → h = 249.75 → −750.25.
    expect(Math.abs(q.quantile(0.5) + 500.5)).toBeLessThanOrEqual(0.005 * 500.5);
    expect(Math.abs(q.quantile(0.25) + 750.25)).toBeLessThanOrEqual(0.005 * 750.25);
    expect(q.quantile(0)).toBe(-1000);
    expect(q.quantile(1)).toBe(-1);
  });
});

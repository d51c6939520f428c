import { describe, expect, it } from 'vitest';
import { mser5 } from '../../../src/sim/stats/mser.js';
import { lcg } from './lcg.js';

/** Independent O(m²) reference: the MSER-5 definition applied literally. */
function mser5Reference(series: readonly number[]): number {
  const m = Math.floor(series.length / 5);
  if (m < 2) return 0;
  const z: number[] = [];
  for (let j = 0; j < m; j++) z.push(series.slice(5 * j, 5 * j + 5).reduce((a, x) => a + x, 0) / 5);
  let best = 0;
  let bestValue = Infinity;
  for (let d = 0; d <= Math.floor(m / 2); d++) {
    const tail = z.slice(d);
    const mean = tail.reduce((a, x) => a + x, 0) / tail.length;
    const v = tail.reduce((a, x) => a + (x - mean) ** 2, 0) / tail.length ** 2;
    if (v < bestValue) {
      bestValue = v;
      best = d;
    }
  }
  return 5 * best;
}

function noisy(n: number, seed: number, level: (i: number) => number): number[] {
  const u = lcg(seed);
  return Array.from({ length: n }, (_, i) => level(i) + 2 * (u() - 0.5));
}

describe('mser5', () => {
  it('finds a step transient ending at 300 (aligned with the batches)', () => {
    const series = noisy(10_000, 1, (i) => (i < 300 ? 10 : 0));
    const cut = mser5(series);
    expect(Math.abs(cut - 300)).toBeLessThanOrEqual(5);
  });

  it('finds a step transient ending at 733 (not aligned) within one batch', () => {
    const series = noisy(10_000, 1, (i) => (i < 733 ? -6 : 1));
    const cut = mser5(series);
    expect(Math.abs(cut - 733)).toBeLessThanOrEqual(5);
  });

  it('over 40 noise seeds: never cuts early, mostly within a batch, overshoots only a little', () => {
    // MSER-5 drops a clean batch whenever its squared deviation exceeds about twice the variance of
    // the batch means (~16 % of batches for this noise), so it sometimes overshoots by a few batches
    // (conservative, never biased); it must not stop inside the transient.
    for (const change of [300, 733]) {
      const firstClean = Math.ceil(change / 5) * 5;
      let withinOneBatch = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const cut = mser5(noisy(10_000, seed, (i) => (i < change ? -6 : 1)));
        expect(cut, `change ${change}, seed ${seed}`).toBeGreaterThanOrEqual(firstClean);
        expect(cut, `change ${change}, seed ${seed}`).toBeLessThanOrEqual(firstClean + 100);
        if (Math.abs(cut - change) <= 5) withinOneBatch++;
      }
      expect(withinOneBatch, `change ${change}`).toBeGreaterThanOrEqual(28);
    }
  });

  it('cuts a decaying transient where its bias has fallen below the noise', () => {
    // 20·exp(−i/100) drops under 0.05 at i ≈ 600; with ±1 noise the cut lands near there.
    const series = noisy(20_000, 3, (i) => 20 * Math.exp(-i / 100));
    const cut = mser5(series);
    expect(cut).toBeGreaterThanOrEqual(250);
    expect(cut).toBeLessThanOrEqual(900);
  });

  it('agrees with the literal definition on random series', () => {
    for (let seed = 10; seed < 30; seed++) {
      const u = lcg(seed);
      const n = 50 + Math.floor(u() * 400);
      const series = noisy(n, seed + 100, (i) => (i < n / 5 ? 3 * u() : 0));
      expect(mser5(series), `seed ${seed}`).toBe(mser5Reference(series));
    }
  });

  it('returns 0 for constant or too short series and searches only the first half', () => {
    expect(mser5([])).toBe(0);
    expect(mser5([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(0);
    expect(mser5(Array.from({ length: 1000 }, () => 4))).toBe(0);
    const late = noisy(1000, 4, (i) => (i < 800 ? 5 : 0)); // "transient" longer than half the run
    expect(mser5(late)).toBeLessThanOrEqual(500);
  });

  it('rejects non-finite values naming their index', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, Infinity, 9, 10];
    expect(() => mser5(s)).toThrow(/series\[7\] must be a finite number, got Infinity/);
  });
});

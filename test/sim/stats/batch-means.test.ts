import { describe, expect, it } from 'vitest';
import { BatchMeans } from '../../../src/sim/stats/batch-means.js';
import { lcg } from './lcg.js';

describe('BatchMeans', () => {
  it('computes batches, mean and half-width of a known sequence', () => {
    // 1..10 in batches of 3: (1,2,3)→2, (4,5,6)→5, (7,8,9)→8; 10 is a partial batch, not used.
    // Grand mean 5; sd of {2,5,8} = 3; halfWidth = t_{0.975,2}·3/√3 = 4.302653·√3 = 7.452413.
    const bm = new BatchMeans(3);
    for (let i = 1; i <= 10; i++) bm.add(i);
    expect(bm.batches).toEqual([2, 5, 8]);
    expect(bm.mean).toBe(5);
    expect(bm.ciHalfWidth()).toBeCloseTo(7.452413, 6);
    // t_{0.95,2} = 2.919986 → 2.919986·√3 = 5.057563.
    expect(bm.ciHalfWidth(0.9)).toBeCloseTo(5.057563, 6);
  });

  it('has NaN mean and half-width until there are enough batches', () => {
    const bm = new BatchMeans(2);
    expect(bm.mean).toBeNaN();
    bm.add(1);
    expect(bm.batches).toEqual([]);
    bm.add(3);
    expect(bm.mean).toBe(2);
    expect(bm.ciHalfWidth()).toBeNaN();
  });

  it('covers the true mean of an iid stream', () => {
    const u = lcg(5);
    const bm = new BatchMeans(1000);
    for (let i = 0; i < 50_000; i++) bm.add(u()); // mean 0.5, 50 batches
    expect(bm.batches.length).toBe(50);
    const hw = bm.ciHalfWidth();
    expect(hw).toBeGreaterThan(0);
    expect(hw).toBeLessThan(0.01);
    expect(Math.abs(bm.mean - 0.5)).toBeLessThan(hw);
  });

  it('reset forgets the batches and the partial batch', () => {
    const bm = new BatchMeans(2);
    bm.add(100);
    bm.add(100);
    bm.add(100);
    bm.reset();
    bm.add(1);
    bm.add(2);
    expect(bm.batches).toEqual([1.5]);
  });

  it('rejects bad arguments', () => {
    expect(() => new BatchMeans(0)).toThrow(/batchSize must be an integer >= 1, got 0/);
    expect(() => new BatchMeans(2.5)).toThrow(/BatchMeans constructor: batchSize must be an integer >= 1, got 2\.5/);
    const bm = new BatchMeans(1);
    expect(() => bm.add(NaN)).toThrow(/x must be a finite number, got NaN/);
    expect(() => bm.ciHalfWidth(1.5)).toThrow(/confidence must be a number in \(0, 1\), got 1\.5/);
  });
});

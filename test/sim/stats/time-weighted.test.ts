import { describe, expect, it } from 'vitest';
import { TimeWeighted } from '../../../src/sim/stats/time-weighted.js';

describe('TimeWeighted', () => {
  it('averages a hand-computed trace', () => {
    // Trace (ns → level):    0→0, 10→2, 25→3 (add +1), 30→1, 50→0
    // Area by hand: [0,10)·0 + [10,25)·2 = 30, + [25,30)·3 = 15, + [30,50)·1 = 20, then 0 from 50.
    const tw = new TimeWeighted(0);
    expect(tw.level).toBe(0);
    tw.update(10, 2);
    expect(tw.mean(10)).toBe(0);
    tw.add(25, 1);
    expect(tw.level).toBe(3);
    tw.update(30, 1);
    expect(tw.mean(30)).toBe(45 / 30); // 0 + 30 + 15 over 30 ns = 1.5
    expect(tw.mean(40)).toBe(55 / 40); // + 1·10 = 55 over 40 ns = 1.375
    tw.update(50, 0);
    expect(tw.mean(50)).toBe(65 / 50); // 1.3
    expect(tw.mean(60)).toBe(65 / 60); // level 0 from 50 to 60 adds nothing
    expect(tw.min).toBe(0);
    expect(tw.max).toBe(3);
  });

  it('starts at a non-zero time and level', () => {
    const tw = new TimeWeighted(1_000, 5);
    expect(tw.level).toBe(5);
    expect(tw.mean(2_000)).toBe(5);
    tw.update(1_500, 1); // 5 for 500 ns, then 1 for 500 ns → 3
    expect(tw.mean(2_000)).toBe(3);
    expect(tw.min).toBe(1);
    expect(tw.max).toBe(5);
  });

  it('is NaN over an empty interval', () => {
    const tw = new TimeWeighted(100, 2);
    expect(tw.mean(100)).toBeNaN();
  });

  it('reset keeps the level and restarts the integral and min/max', () => {
    const tw = new TimeWeighted(0, 0);
    tw.update(10, 7);
    tw.update(20, 2);
    tw.reset(60); // level 2 held from 20 to 60 is forgotten; min = max = 2 now
    expect(tw.level).toBe(2);
    expect(tw.min).toBe(2);
    expect(tw.max).toBe(2);
    expect(tw.mean(60)).toBeNaN();
    expect(tw.mean(70)).toBe(2);
    tw.update(70, 4); // [60,70)·2 + [70,80)·4 = 60 over 20 ns = 3
    expect(tw.mean(80)).toBe(3);
    expect(tw.min).toBe(2);
    expect(tw.max).toBe(4);
  });

  it('counts zero-length levels in min/max but not in the average', () => {
    const tw = new TimeWeighted(0, 1);
    tw.update(10, 9);
    tw.update(10, 1); // 9 held for 0 ns
    expect(tw.mean(20)).toBe(1);
    expect(tw.max).toBe(9);
  });

  it('stays exact for long runs at ns resolution', () => {
    // 10 days in ns ≈ 8.64e14: level 1 for the first half, 0 after, average exactly 0.5.
    const endNs = 864_000_000_000_000;
    const tw = new TimeWeighted(0, 1);
    tw.update(endNs / 2, 0);
    expect(tw.mean(endNs)).toBe(0.5);
  });

  it('throws a RangeError naming both times when time goes backwards', () => {
    const tw = new TimeWeighted(0);
    tw.update(50, 1);
    expect(() => tw.update(40, 2)).toThrow(RangeError);
    expect(() => tw.update(40, 2)).toThrow(/TimeWeighted\.update: nowNs must be >= 50.*got 40/);
    expect(() => tw.add(49, 1)).toThrow(/nowNs must be >= 50.*got 49/);
    expect(() => tw.mean(30)).toThrow(/nowNs must be >= 50.*got 30/);
    expect(() => tw.reset(10)).toThrow(/nowNs must be >= 50.*got 10/);
    tw.reset(80);
    expect(() => tw.update(75, 0)).toThrow(/nowNs must be >= 80.*got 75/);
    expect(tw.level).toBe(1); // failed calls change nothing
  });

  it('rejects non-finite times and levels', () => {
    expect(() => new TimeWeighted(NaN)).toThrow(/startNs must be a finite number, got NaN/);
    const tw = new TimeWeighted(0);
    expect(() => tw.update(Infinity, 1)).toThrow(/nowNs must be a finite time in ns, got Infinity/);
    expect(() => tw.update(1, NaN)).toThrow(/level must be a finite number, got NaN/);
    expect(() => tw.add(1, -Infinity)).toThrow(/delta must be a finite number, got -Infinity/);
  });
});

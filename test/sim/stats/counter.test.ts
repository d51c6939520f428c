import { describe, expect, it } from 'vitest';
import { Counter } from '../../../src/sim/stats/counter.js';

describe('Counter', () => {
  it('counts by 1 by default and by n otherwise', () => {
    const c = new Counter();
    expect(c.value).toBe(0);
    c.inc();
    c.inc();
    c.inc(5);
    c.inc(0);
    expect(c.value).toBe(7);
  });

  it('sums fractional increments with compensation', () => {
    const c = new Counter();
    for (let i = 0; i < 10; i++) c.inc(0.1);
    expect(c.value).toBe(1);
  });

  it('reset returns to zero', () => {
    const c = new Counter();
    c.inc(3);
    c.reset(123);
    expect(c.value).toBe(0);
    c.inc();
    expect(c.value).toBe(1);
  });

  it('rejects negative and non-finite increments', () => {
    const c = new Counter();
    expect(() => c.inc(-1)).toThrow(RangeError);
    expect(() => c.inc(-1)).toThrow(/Counter\.inc: n must be a finite number >= 0, got -1/);
    expect(() => c.inc(NaN)).toThrow(/n must be a finite number >= 0, got NaN/);
    expect(() => c.inc(Infinity)).toThrow(/n must be a finite number >= 0, got Infinity/);
    expect(c.value).toBe(0);
  });
});

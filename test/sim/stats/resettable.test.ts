import { describe, expect, it } from 'vitest';
import { Counter } from '../../../src/sim/stats/counter.js';
import { Quantiles } from '../../../src/sim/stats/quantiles.js';
import { type Resettable, StatsGroup } from '../../../src/sim/stats/resettable.js';
import { Tally } from '../../../src/sim/stats/tally.js';
import { TimeWeighted } from '../../../src/sim/stats/time-weighted.js';

describe('StatsGroup (warm-up deletion)', () => {
  it('add returns the statistic it registers', () => {
    const g = new StatsGroup();
    const t = new Tally();
    expect(g.add(t)).toBe(t);
    expect(g.size).toBe(1);
  });

  it('resetAll at the end of warm-up keeps only steady-state observations', () => {
    const g = new StatsGroup();
    const latency = g.add(new Tally());
    const queue = g.add(new TimeWeighted(0, 0));
    const drops = g.add(new Counter());
    const q = g.add(new Quantiles());
    // Warm-up [0, 100): junk.
    latency.add(1000);
    queue.update(10, 50);
    drops.inc(9);
    q.add(1000);
    g.resetAll(100);
    // Steady state [100, 200).
    latency.add(2);
    latency.add(4);
    queue.update(150, 2); // 50 for 50 ns, 2 for 50 ns → 26
    q.add(3);
    expect(latency.count).toBe(2);
    expect(latency.mean).toBe(3);
    expect(queue.mean(200)).toBe(26);
    expect(queue.max).toBe(50);
    expect(drops.value).toBe(0);
    expect(q.count).toBe(1);
    expect(q.quantile(0.5)).toBe(3);
  });

  it('resets in registration order, passing the time, and nests', () => {
    const log: string[] = [];
    const probe = (name: string): Resettable => ({ reset: (t) => log.push(`${name}@${t}`) });
    const inner = new StatsGroup();
    inner.add(probe('b'));
    const outer = new StatsGroup();
    outer.add(probe('a'));
    outer.add(inner);
    outer.add(probe('c'));
    outer.resetAll(42);
    expect(log).toEqual(['a@42', 'b@42', 'c@42']);
  });
});

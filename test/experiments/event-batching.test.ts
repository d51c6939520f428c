// event-batching: with a batch threshold k and items arriving much faster than the hold-off, each
// notification covers k items (notifications per item ≈ 1/k, the event-index protocol of ring.h);
// latency grows with the hold-off at a fixed k; batching cuts the CPU spent per request towards the
// useful-work floor; runs are deterministic; the compiled CLI's --quick run writes valid Vega-Lite
// charts with the trade-off chart first.
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../src/charts/index.js';
import { eventBatching, eventBatchingCharts, runEventBatching } from '../../experiments/event-batching/index.js';
import type { Params } from '../../src/runner/study.js';

function defaults(over: Params = {}): Params {
  const p: Params = {};
  for (const [k, spec] of Object.entries(eventBatching.params)) p[k] = spec.default;
  return { ...p, ...over };
}
const ctx = (seed: string) => ({ seed, replication: 0, quick: false });
const short = { ratePerS: 50_000, warmupNs: 20_000_000, runLengthNs: 300_000_000 };

describe('runEventBatching (in process)', () => {
  it('notifications per item ≈ 1/k when k items arrive well within the hold-off (50k/s, 1 ms: 50 items)', () => {
    for (const k of [2, 4, 8, 16, 32]) {
      const m = runEventBatching(defaults({ ...short, k, holdOffNs: 1_000_000 }), ctx('k')).measures;
      const got = m['notificationsPerItem'] as number;
      expect(Math.abs(got * k - 1), `k=${k}: ${got} notifications per item`).toBeLessThan(0.05);
      expect(m['holdOffNotifyFraction'] as number).toBeLessThan(0.05);
    }
  });

  it('latency grows with the hold-off at k = 64 (the timer, not the k-th item, ends the batches)', () => {
    const lat = [10_000, 100_000, 1_000_000].map(
      (holdOffNs) =>
        runEventBatching(defaults({ ...short, k: 64, holdOffNs }), ctx('h')).measures['latencyMeanNs'] as number,
    );
    expect(lat[1] as number).toBeGreaterThan(2 * (lat[0] as number));
    expect(lat[2] as number).toBeGreaterThan(2 * (lat[1] as number));
  });

  it('batching cuts the CPU per request towards the useful work, and throughput keeps up with the offered load', () => {
    const one = runEventBatching(defaults({ ...short, k: 1, holdOffNs: 0 }), ctx('c')).measures;
    const many = runEventBatching(defaults({ ...short, k: 64, holdOffNs: 0 }), ctx('c')).measures;
    const useful = 500 + 1880 + 500;
    expect(one['cpuPerRequestNs'] as number).toBeGreaterThan(2.5 * useful);
    expect(many['cpuPerRequestNs'] as number).toBeLessThan(1.1 * useful);
    expect(many['cpuPerRequestNs'] as number).toBeGreaterThan(0.95 * useful);
    for (const m of [one, many]) expect(Math.abs((m['throughputPerS'] as number) / 50_000 - 1)).toBeLessThan(0.03);
    expect(many['latencyMeanNs'] as number).toBeGreaterThan(10 * (one['latencyMeanNs'] as number));
  });

  it('is deterministic in (params, seed)', () => {
    const p = defaults({ ...short, runLengthNs: 100_000_000, k: 8, holdOffNs: 100_000 });
    expect(runEventBatching(p, ctx('s'))).toEqual(runEventBatching(p, ctx('s')));
    expect(runEventBatching(p, ctx('t')).measures['latencyMeanNs']).not.toBe(
      runEventBatching(p, ctx('s')).measures['latencyMeanNs'],
    );
  });

  it('rejects k larger than the ring', () => {
    expect(() => runEventBatching(defaults({ ...short, k: 64, ringSizeEntries: 32 }), ctx('x'))).toThrow(
      /k must be at most ringSizeEntries/,
    );
  });

  it('check() names the fields of points whose parameters do not go together, and passes the defaults', () => {
    const check = eventBatching.check as (p: Params) => string | undefined;
    expect(check(defaults())).toBeUndefined();
    expect(check(defaults({ k: 64, ringSizeEntries: 32 }))).toBe('k must be at most ringSizeEntries (32), got k = 64');
    expect(check(defaults({ serviceMeanNs: 0 }))).toMatch(
      /^serviceMeanNs must be > 0 with serviceDistribution = exponential/,
    );
    expect(check(defaults({ serviceMeanNs: 0, serviceDistribution: 'constant' }))).toBeUndefined();
    expect(check(defaults({ arrival: 'closed', outstanding: 8, k: 16, holdOffNs: 0 }))).toMatch(
      /^k \(16\) must be at most outstanding \(8\) with arrival = closed and holdOffNs = 0/,
    );
    expect(check(defaults({ arrival: 'closed', outstanding: 8, k: 16, holdOffNs: 100_000 }))).toBeUndefined();
    // every point of the default and quick grids passes
    for (const grid of [eventBatching.grid, eventBatching.quickGrid]) {
      if (grid?.kind !== 'list') throw new Error('event-batching grids are list grids');
      for (const point of grid.points) expect(check(defaults(point)), JSON.stringify(point)).toBeUndefined();
    }
  });
});

describe('eventBatchingCharts (in process)', () => {
  it('charts survive a grid that varies another parameter (labels gain it) and a single point', () => {
    const row = (point: number, params: Params, measure: string, mean: number) => ({
      point,
      params,
      measure,
      mean,
      sd: 0,
      halfWidth: 0,
      n: 1,
    });
    const measures = Object.keys(eventBatching.measures);
    const rows = [];
    let point = 0;
    for (const cpus of [1, 2]) {
      for (const k of [1, 4]) {
        const params = defaults({ k, cpus, holdOffNs: 0 });
        for (const m of measures)
          rows.push(row(point, params, m, m === 'notificationsPerItem' ? 1 / k : 1000 * (point + 1)));
        point++;
      }
    }
    const charts = eventBatchingCharts({ runs: [], summary: rows, tables: {} });
    expect(charts.length).toBeGreaterThan(5);
    for (const c of charts) expect(validateSpec(c.spec), c.id).toEqual([]);
    expect(JSON.stringify(charts[1]?.spec)).toContain('cpus=2');
    const single = eventBatchingCharts({ runs: [], summary: rows.filter((r) => r.point === 0), tables: {} });
    for (const c of single) expect(validateSpec(c.spec), c.id).toEqual([]);
  });
});

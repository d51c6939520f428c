// Chart builders (src/charts/{measureVsParam,groupedBarsNormalised,cdf,timeSeries}.ts) and schema
// validation (src/charts/validate.ts): every builder's spec is schema-valid, carries the data the
// inputs imply (checked by hand), and bad input is one clear error.

import { describe, expect, it } from 'vitest';
import {
  cdf,
  empiricalCdf,
  groupedBarsNormalised,
  MAX_CDF_POINTS,
  measureVsParam,
  timeSeries,
  validateSpec,
  VEGA_LITE_SCHEMA_URL,
} from '../../src/charts/index.js';
import { logDomain } from '../../src/charts/specBase.js';
import type { ChartSpec } from '../../src/runner/study.js';
import {
  allCharts,
  BAR_ROWS,
  barsChart,
  cdfChart,
  sweepChart,
  sweepSummary,
  theoryChart,
  variantCharts,
} from './fixtures.js';

type Row = Record<string, unknown>;
const dataOf = (c: ChartSpec): Row[] => (c.spec['data'] as { values: Row[] }).values;
const layersOf = (c: ChartSpec): Row[] => c.spec['layer'] as Row[];

describe('validateSpec', () => {
  it('accepts every builder output', () => {
    for (const chart of [...allCharts(), ...variantCharts()]) {
      expect(validateSpec(chart.spec), chart.id).toEqual([]);
      expect(chart.spec['$schema']).toBe(VEGA_LITE_SCHEMA_URL);
      expect(chart.spec['width']).toBeGreaterThan(0);
      expect(chart.spec['height']).toBeGreaterThan(0);
    }
  });

  it('names the bad field and the allowed values', () => {
    const broken = { ...sweepChart().spec };
    const layer = layersOf(sweepChart());
    broken['layer'] = [{ ...layer[1], mark: { type: 'lnie' } }];
    const errors = validateSpec(broken);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^\/layer\/0\/mark\/type must be equal to one of the allowed values: \[.*"line"/);
  });

  it('reports a misspelt top-level property first', () => {
    const errors = validateSpec({ ...cdfChart().spec, widht: 300 });
    expect(errors[0]).toBe('(top level) must NOT have additional properties ("widht")');
  });

  it('requires $schema to name Vega-Lite v6 and the spec to be an object', () => {
    const { $schema: _unused, ...rest } = barsChart().spec;
    expect(validateSpec(rest)).toEqual([expect.stringContaining('/$schema must be')]);
    expect(validateSpec([1, 2])).toEqual(['(top level) a Vega-Lite spec must be a JSON object']);
    expect(validateSpec(null)).toHaveLength(1);
  });
});

describe('measureVsParam', () => {
  it('has one row per (x, series) with mean ± half-width, ordered by series then x', () => {
    const rows = dataOf(sweepChart());
    expect(rows.map((r) => [r['series'], r['x'], r['y'], r['lo'], r['hi']])).toEqual([
      ['bvt', 1, 100, 98, 102],
      ['bvt', 4, 25, 23, 27],
      ['bvt', 16, 6.25, 4.25, 8.25],
      ['credit', 1, 110, 108, 112],
      ['credit', 4, 35, 33, 37],
      ['credit', 16, 16.25, 14.25, 18.25],
    ]);
    expect(rows.every((r) => r['n'] === 5 && r['kind'] === 'simulated (95% CI)')).toBe(true);
  });

  it('draws error bars, a line and points; ticks at the swept values of a log axis', () => {
    const spec = sweepChart().spec;
    const layers = layersOf(sweepChart());
    expect(layers.map((l) => (l['mark'] as Row)['type'])).toEqual(['errorbar', 'line', 'point']);
    const x = (layers[1]?.['encoding'] as Record<string, Row>)['x'] ?? {};
    expect(x['title']).toBe('packets per notification');
    expect(x['scale']).toMatchObject({ type: 'log', domain: [1, 20] });
    expect(x['axis']).toMatchObject({ values: [1, 4, 16], format: ',~r' });
    expect((spec['title'] as Row)['subtitle']).toEqual([
      'mean ± 95% CI (Student t), n = 5 replications',
      'series drawn a few px apart on x so none hides another',
    ]);
    const color = (layers[2]?.['encoding'] as Record<string, Row>)['color'] ?? {};
    expect(color).toMatchObject({ field: 'series', title: 'scheduler', scale: { domain: ['bvt', 'credit'] } });
  });

  it('adds a dashed theory layer and a legend separating it from the simulation', () => {
    const chart = theoryChart();
    const layers = layersOf(chart);
    expect(layers).toHaveLength(4);
    // Over the simulated lines (dashes let them show through), under the points.
    expect(layers.map((l) => (l['mark'] as Row)['type'])).toEqual(['errorbar', 'line', 'line', 'point']);
    const theory = layers[2] ?? {};
    expect((theory['data'] as { values: Row[] }).values.map((r) => r['y'])).toEqual([100, 50, 25, 12.5, 6.25]);
    const enc = theory['encoding'] as Record<string, Row>;
    expect(enc['strokeDash']).toMatchObject({
      field: 'kind',
      scale: {
        domain: ['simulated (95% CI)', '100 / batch (theory)'],
        range: [
          [1, 0],
          [6, 4],
        ],
      },
    });
    expect(enc['color']).toMatchObject({ field: 'kind' });
  });

  it('orders numeric series numerically, not as text', () => {
    const summary = sweepSummary().map((r) => ({
      ...r,
      params: { ...r.params, ring: r.params['sched'] === 'bvt' ? 64 : 256 },
    }));
    const chart = measureVsParam({
      id: 'by-ring',
      title: 't',
      summary: [...summary].reverse(),
      measure: 'cpuUs',
      x: 'batch',
      color: 'ring',
      xTitle: 'x',
      yTitle: 'y',
    });
    expect(dataOf(chart).map((r) => r['series'])).toEqual(['64', '64', '64', '256', '256', '256']);
  });

  it('rejects mixed points, unknown measures and parameters, and non-positive log values', () => {
    const base = { id: 'c', title: 't', summary: sweepSummary(), xTitle: 'x', yTitle: 'y' } as const;
    expect(() => measureVsParam({ ...base, measure: 'cpuUs', x: 'batch' })).toThrow(
      /points 0 and 1 both give batch=1; they differ in sched/,
    );
    expect(() => measureVsParam({ ...base, measure: 'cpu', x: 'batch' })).toThrow(/measures present: cpuUs, other/);
    expect(() => measureVsParam({ ...base, measure: 'cpuUs', x: 'batchSize', color: 'sched' })).toThrow(
      /no parameter "batchSize" \(parameters: batch, sched, ring\)/,
    );
    const zero = sweepSummary().map((r) => ({
      ...r,
      params: { ...r.params, batch: (r.params['batch'] as number) - 1 },
    }));
    expect(() =>
      measureVsParam({ ...base, summary: zero, measure: 'cpuUs', x: 'batch', color: 'sched', xScale: 'log' }),
    ).toThrow(/batch of point 0 = 0 cannot be drawn on a log x axis/);
    expect(() => measureVsParam({ ...base, id: 'no/slash', measure: 'cpuUs', x: 'batch', color: 'sched' })).toThrow(
      /not a valid file name/,
    );
  });

  it('omits non-finite means and says so', () => {
    const summary = sweepSummary().map((r) =>
      r.point === 0 && r.measure === 'cpuUs' ? { ...r, mean: Number.NaN } : r,
    );
    const chart = measureVsParam({
      id: 'c',
      title: 't',
      summary,
      measure: 'cpuUs',
      x: 'batch',
      color: 'sched',
      xTitle: 'x',
      yTitle: 'y',
    });
    expect(dataOf(chart)).toHaveLength(5);
    expect((chart.spec['title'] as Row)['subtitle']).toEqual([
      'mean ± 95% CI (Student t), n = 5 replications',
      '1 point without a finite mean omitted',
      'series drawn a few px apart on x so none hides another',
    ]);
    expect(validateSpec(chart.spec)).toEqual([]);
  });

  it('uses an ordinal axis for a string parameter', () => {
    const chart = measureVsParam({
      id: 'c',
      title: 't',
      summary: sweepSummary(),
      measure: 'cpuUs',
      x: 'sched',
      color: 'batch',
      xTitle: 'scheduler',
      yTitle: 'y',
    });
    const x = (layersOf(chart)[1]?.['encoding'] as Record<string, Row>)['x'] ?? {};
    expect(x).toMatchObject({ type: 'ordinal', sort: ['bvt', 'credit'] });
    expect(validateSpec(chart.spec)).toEqual([]);
  });
});

describe('groupedBarsNormalised', () => {
  it('divides every group by its baseline bar, intervals included', () => {
    const rows = dataOf(barsChart());
    expect(rows.map((r) => [r['group'], r['bar'], r['relative']])).toEqual([
      ['SPEC INT2000', 'native', 1],
      ['SPEC INT2000', 'Xen', 0.99],
      ['SPEC INT2000', 'VMware', 0.95],
      ['OSDB-OLTP', 'native', 1],
      ['OSDB-OLTP', 'Xen', 0.9],
      ['OSDB-OLTP', 'VMware', 0.1],
    ]);
    expect(rows[5]).toMatchObject({ relativeLo: 0.09, relativeHi: 0.11, value: 20, baselineValue: 200 });
    const marks = layersOf(barsChart()).map((l) => (l['mark'] as Row)['type']);
    expect(marks).toEqual(['bar', 'errorbar', 'rule']);
  });

  it('puts the baseline bar first and leaves out error bars without intervals', () => {
    const rows = BAR_ROWS.map(({ group, bar, value }) => ({ group, bar, value }));
    const chart = groupedBarsNormalised({
      id: 'b',
      title: 't',
      rows: [...rows].reverse(),
      baseline: 'native',
      yTitle: 'y',
    });
    const color = ((layersOf(chart)[0]?.['encoding'] as Record<string, Row>)['color'] ?? {}) as Row;
    expect(color['sort']).toEqual(['native', 'VMware', 'Xen']); // baseline, then the caller's order
    expect(layersOf(chart).map((l) => (l['mark'] as Row)['type'])).toEqual(['bar', 'rule']);
    expect(validateSpec(chart.spec)).toEqual([]);
  });

  it('rejects a group without its baseline, a zero baseline and duplicates', () => {
    const base = { id: 'b', title: 't', baseline: 'native', yTitle: 'y' };
    expect(() =>
      groupedBarsNormalised({
        ...base,
        rows: BAR_ROWS.filter((r) => !(r.group === 'OSDB-OLTP' && r.bar === 'native')),
      }),
    ).toThrow(/group "OSDB-OLTP" has no baseline bar "native" \(bars in it: Xen, VMware\)/);
    expect(() => groupedBarsNormalised({ ...base, rows: [{ group: 'g', bar: 'native', value: 0 }] })).toThrow(
      /baseline value 0/,
    );
    expect(() => groupedBarsNormalised({ ...base, rows: [...BAR_ROWS, BAR_ROWS[0]] })).toThrow(
      /two rows for group "SPEC INT2000", bar "native"/,
    );
  });
});

describe('cdf', () => {
  it('computes the empirical CDF exactly for a small sample', () => {
    expect(empiricalCdf([3, 1, 2, 2])).toEqual([
      { x: 1, p: 0.25 },
      { x: 2, p: 0.75 },
      { x: 3, p: 1 },
    ]);
  });

  it('thins long samples but keeps both ends', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const pts = empiricalCdf(xs);
    expect(pts.length).toBeLessThanOrEqual(MAX_CDF_POINTS);
    expect(pts[0]).toEqual({ x: 0, p: 1 / 10_000 });
    expect(pts[pts.length - 1]).toEqual({ x: 9999, p: 1 });
    for (let i = 1; i < pts.length; i++) expect((pts[i]?.x ?? 0) > (pts[i - 1]?.x ?? 0)).toBe(true);
  });

  it('has one curve per series with F = rank / n', () => {
    const rows = dataOf(cdfChart());
    const dom2 = rows.filter((r) => r['series'] === 'dom2');
    expect(dom2).toHaveLength(20);
    expect(dom2[9]).toMatchObject({ value: 2, p: 0.5, n: 20 });
  });

  it('rejects non-numeric samples and non-positive samples on a log axis', () => {
    const base = { id: 'c', title: 't', value: 'latencyMs', xTitle: 'x' };
    expect(() => cdf({ ...base, rows: [{ latencyMs: 1 }, { latencyMs: 'slow' }] })).toThrow(
      /row 1 field "latencyMs" must be a finite number, got "slow"/,
    );
    expect(() => cdf({ ...base, rows: [{ latencyMs: 0 }], xScale: 'log' })).toThrow(/cannot be drawn on a log x axis/);
  });
});

describe('timeSeries', () => {
  it('sorts by series then x and shows points for short series', () => {
    const rows = [
      { t: 2, q: 1, d: 'b' },
      { t: 1, q: 5, d: 'b' },
      { t: 0, q: 3, d: 'a' },
    ];
    const chart = timeSeries({
      id: 'ts',
      title: 't',
      rows,
      x: 't',
      y: 'q',
      series: 'd',
      xTitle: 'time (s)',
      yTitle: 'queue (pkts)',
    });
    expect(dataOf(chart)).toEqual([
      { series: 'b', x: 1, y: 5 },
      { series: 'b', x: 2, y: 1 },
      { series: 'a', x: 0, y: 3 },
    ]);
    expect(layersOf(chart).map((l) => (l['mark'] as Row)['opacity'] ?? 1)).toEqual([1, 1]);
    expect(validateSpec(chart.spec)).toEqual([]);
  });

  it('names the row and field of a bad cell', () => {
    expect(() =>
      timeSeries({ id: 'ts', title: 't', rows: [{ t: 0 }], x: 't', y: 'q', xTitle: 'x', yTitle: 'y' }),
    ).toThrow(/timeSeries\(ts\): row 0 field "q" must be a finite number, got nothing \(fields present: t\)/);
  });
});

describe('logDomain', () => {
  it('rounds outwards to 1-2-5 steps', () => {
    expect(logDomain([1.1, 11])).toEqual([1, 20]);
    expect(logDomain([0.03, 0.7])).toEqual([0.02, 1]);
    expect(logDomain([4.25, 112])).toEqual([2, 200]);
    expect(logDomain([5, 5])).toEqual([2.5, 10]);
  });
});

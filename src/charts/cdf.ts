// Chart builder: empirical cumulative distribution functions, one step curve per series, computed
// here (not in the spec) from a run's auxiliary table (TableRow[], e.g. per-request latencies).
// F(x) = (number of samples <= x) / n. Series with more than MAX_CDF_POINTS samples are thinned to
// MAX_CDF_POINTS evenly spaced ranks (min and max always kept), which is invisible at chart
// resolution and keeps specs, SVGs and the report small. Units come with the caller's xTitle.

import type { ChartSpec, TableRow } from '../runner/study.js';
import {
  baseSpec,
  checkId,
  checkLogPositive,
  logAxis,
  numericCell,
  orderLabels,
  quantScale,
  tooltipTitle,
  type Scale,
} from './specBase.js';
import { categoryScale, seriesLineEncoding, SINGLE_SERIES_COLOR, VALUE_FORMAT } from './theme.js';

export interface CdfOptions {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly TableRow[];
  /** Numeric field holding the samples. */
  readonly value: string;
  /** Field whose values split the samples into one curve each. */
  readonly series?: string;
  readonly seriesTitle?: string;
  readonly xTitle: string;
  readonly xScale?: Scale;
}

/** Largest number of points drawn per curve. */
export const MAX_CDF_POINTS = 250;

/** The empirical CDF of `samples` as (value, fraction <= value) points, thinned to at most maxPoints. */
export function empiricalCdf(samples: readonly number[], maxPoints = MAX_CDF_POINTS): { x: number; p: number }[] {
  const sorted = samples.slice().sort((a, b) => a - b);
  const n = sorted.length;
  // One point per distinct value, at the last rank holding it.
  const steps: { x: number; p: number }[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    if (i + 1 < n && sorted[i + 1] === v) continue;
    steps.push({ x: v, p: (i + 1) / n });
  }
  if (steps.length <= maxPoints) return steps;
  const out: { x: number; p: number }[] = [];
  for (let k = 0; k < maxPoints; k++) {
    const step = steps[Math.round((k * (steps.length - 1)) / (maxPoints - 1))];
    if (step !== undefined && out[out.length - 1] !== step) out.push(step);
  }
  return out;
}

export function cdf(opts: CdfOptions): ChartSpec {
  const where = `cdf(${opts.id})`;
  checkId('cdf', opts.id);
  const xScale = opts.xScale ?? 'linear';
  if (opts.rows.length === 0) throw new Error(`${where}: no rows`);

  const samples = new Map<string, number[]>();
  opts.rows.forEach((row, i) => {
    const v = numericCell(where, opts.value, row, i);
    if (xScale === 'log') checkLogPositive(where, 'x', v, `row ${i} ${opts.value}`);
    let key = '';
    if (opts.series !== undefined) {
      const s = row[opts.series];
      if (s === undefined) throw new Error(`${where}: row ${i} has no series field ${JSON.stringify(opts.series)}`);
      key = String(s);
    }
    const list = samples.get(key);
    if (list === undefined) samples.set(key, [v]);
    else list.push(v);
  });

  const series = orderLabels(samples.keys());
  const values: Record<string, number | string>[] = [];
  const counts: number[] = [];
  for (const s of series) {
    const xs = samples.get(s) ?? [];
    counts.push(xs.length);
    for (const pt of empiricalCdf(xs)) {
      values.push(
        opts.series === undefined
          ? { value: pt.x, p: pt.p, n: xs.length }
          : { series: s, value: pt.x, p: pt.p, n: xs.length },
      );
    }
  }

  const hasSeries = opts.series !== undefined;
  const seriesTitle = opts.seriesTitle ?? opts.series ?? '';
  const x = {
    field: 'value',
    type: 'quantitative',
    title: opts.xTitle,
    scale: quantScale(
      xScale,
      false,
      values.map((v) => v['value'] as number),
    ),
    axis: xScale === 'log' ? logAxis(values.map((v) => v['value'] as number)) : {},
  };
  const y = {
    field: 'p',
    type: 'quantitative',
    title: 'cumulative fraction of samples',
    scale: { domain: [0, 1] },
    axis: { format: '.1f' },
  };
  const color = hasSeries
    ? { color: { field: 'series', type: 'nominal', title: seriesTitle, scale: categoryScale(series) } }
    : {};
  const fixed = hasSeries ? {} : { color: SINGLE_SERIES_COLOR };
  const tooltip = [
    ...(hasSeries ? [{ field: 'series', type: 'nominal', title: seriesTitle }] : []),
    { field: 'value', type: 'quantitative', title: tooltipTitle(opts.xTitle), format: VALUE_FORMAT },
    { field: 'p', type: 'quantitative', title: 'fraction ≤ value', format: '.4f' },
    { field: 'n', type: 'quantitative', title: 'samples' },
  ];
  const total = counts.reduce((a, b) => a + b, 0);
  const subtitle = hasSeries
    ? `empirical CDF; ${total} samples in ${series.length} series`
    : `empirical CDF of ${total} samples`;
  const spec = {
    ...baseSpec(opts.title, subtitle),
    data: { values },
    layer: [
      // Each series its own dash pattern, so curves that coincide (e.g. near F = 1) stay visible.
      {
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, ...fixed },
        encoding: { x, y, ...(hasSeries ? seriesLineEncoding('series', seriesTitle, series) : {}) },
      },
      // Invisible points carry the tooltips.
      { mark: { type: 'point', opacity: 0, size: 60, aria: false, ...fixed }, encoding: { x, y, ...color, tooltip } },
    ],
  };
  return { id: opts.id, title: opts.title, spec };
}

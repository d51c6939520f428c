// Chart builder: a quantity over (simulated) time or any ordered numeric x, one line per series,
// from an auxiliary table (TableRow[], e.g. queue length sampled every 10 ms). Small series also get
// visible points; larger ones invisible points that only carry tooltips; above MAX_TOOLTIP_ROWS rows
// there are no points at all (the SVG would grow by one element per row). Units come with the
// caller's axis titles.

import type { ChartSpec, TableRow } from '../runner/study.js';
import { baseSpec, checkId, numericCell, orderLabels, tooltipTitle } from './specBase.js';
import { categoryScale, seriesLineEncoding, SINGLE_SERIES_COLOR, VALUE_FORMAT } from './theme.js';

export interface TimeSeriesOptions {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly TableRow[];
  /** Numeric field on the x axis (e.g. time in s). */
  readonly x: string;
  /** Numeric field on the y axis. */
  readonly y: string;
  /** Field whose values give one line each. */
  readonly series?: string;
  readonly seriesTitle?: string;
  readonly xTitle: string;
  readonly yTitle: string;
}

/** Rows per series up to which points are drawn visibly. */
const MAX_VISIBLE_POINTS = 60;
/** Total rows up to which (possibly invisible) tooltip points are emitted. */
const MAX_TOOLTIP_ROWS = 5000;

export function timeSeries(opts: TimeSeriesOptions): ChartSpec {
  const where = `timeSeries(${opts.id})`;
  checkId('timeSeries', opts.id);
  if (opts.rows.length === 0) throw new Error(`${where}: no rows`);
  const hasSeries = opts.series !== undefined;

  const rows = opts.rows.map((row, i) => {
    const x = numericCell(where, opts.x, row, i);
    const y = numericCell(where, opts.y, row, i);
    if (opts.series === undefined) return { x, y, series: '' };
    const s = row[opts.series];
    if (s === undefined) throw new Error(`${where}: row ${i} has no series field ${JSON.stringify(opts.series)}`);
    return { x, y, series: String(s) };
  });
  const series = orderLabels(rows.map((r) => r.series));
  const rank = new Map(series.map((s, i) => [s, i]));
  rows.sort((a, b) => (rank.get(a.series) ?? 0) - (rank.get(b.series) ?? 0) || a.x - b.x || a.y - b.y);
  const values = rows.map((r) => (hasSeries ? { series: r.series, x: r.x, y: r.y } : { x: r.x, y: r.y }));

  const seriesTitle = opts.seriesTitle ?? opts.series ?? '';
  const x = { field: 'x', type: 'quantitative', title: opts.xTitle, scale: { zero: false } };
  const y = { field: 'y', type: 'quantitative', title: opts.yTitle };
  const color = hasSeries
    ? { color: { field: 'series', type: 'nominal', title: seriesTitle, scale: categoryScale(series) } }
    : {};
  const fixed = hasSeries ? {} : { color: SINGLE_SERIES_COLOR };
  const tooltip = [
    ...(hasSeries ? [{ field: 'series', type: 'nominal', title: seriesTitle }] : []),
    { field: 'x', type: 'quantitative', title: tooltipTitle(opts.xTitle), format: VALUE_FORMAT },
    { field: 'y', type: 'quantitative', title: tooltipTitle(opts.yTitle), format: VALUE_FORMAT },
  ];
  const perSeriesMax = Math.max(...series.map((s) => rows.filter((r) => r.series === s).length));

  const layers: Record<string, unknown>[] = [
    // Each series its own dash pattern, so lines that coincide stay visible.
    {
      mark: { type: 'line', strokeWidth: 2, ...fixed },
      encoding: { x, y, ...(hasSeries ? seriesLineEncoding('series', seriesTitle, series) : {}) },
    },
  ];
  if (rows.length <= MAX_TOOLTIP_ROWS) {
    const visible = perSeriesMax <= MAX_VISIBLE_POINTS;
    layers.push({
      mark: {
        type: 'point',
        filled: true,
        size: visible ? 30 : 40,
        opacity: visible ? 1 : 0,
        ...(visible ? {} : { aria: false }),
        ...fixed,
      },
      encoding: { x, y, ...color, tooltip },
    });
  }
  const spec = {
    ...baseSpec(opts.title),
    data: { values },
    layer: layers,
  };
  return { id: opts.id, title: opts.title, spec };
}

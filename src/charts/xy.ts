// A chart of one measure against another measure (no swept parameter on x): one line per series
// through points in a given order, y error bars (95% CI), optional text labels on one series and an
// optional vertical reference rule. Used for trade-off charts (CPU per request vs latency; latency vs
// throughput). Values are plotted as given: convert units before (the axis titles carry them).
import { baseSpec, checkLogPositive, logDomain } from './specBase.js';
import { categoryScale, CI_FORMAT, SERIES_SHAPES, VALUE_FORMAT } from './theme.js';
import type { ChartSpec } from '../runner/study.js';

/** One point of an xy chart: the series, x and y with the 95% CI of y, its order along the line. */
export interface XYPoint {
  series: string;
  x: number;
  y: number;
  lo: number;
  hi: number;
  order: number;
  label: string;
  n: number;
}

/**
 * A chart of one measure against another (no swept parameter on x): one line per series through
 * points ordered by `order`, y error bars (95% CI), optional text labels, an optional vertical
 * reference rule. Used for the trade-off charts.
 */
export function xyChart(opts: {
  id: string;
  title: string;
  subtitle: string;
  points: XYPoint[];
  seriesTitle: string;
  xTitle: string;
  yTitle: string;
  xScale: 'linear' | 'log';
  yScale: 'linear' | 'log';
  labelSeries?: string;
  rule?: { x: number; label: string };
}): ChartSpec {
  const where = `chart ${opts.id}`;
  const pts = opts.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  for (const p of pts) {
    if (opts.yScale === 'log') checkLogPositive(where, 'y', p.y, `point ${p.series}/${p.label}`);
    if (opts.xScale === 'log') checkLogPositive(where, 'x', p.x, `point ${p.series}/${p.label}`);
    if (opts.yScale === 'log' && p.lo <= 0) p.lo = p.y;
  }
  const seriesDomain = [...new Set(pts.map((p) => p.series))];
  const scaleFor = (type: 'linear' | 'log', values: number[], zero: boolean): Record<string, unknown> =>
    type === 'log' ? { type: 'log', domain: logDomain(values), nice: false } : { type: 'linear', zero };
  const xs = [...pts.map((p) => p.x), ...(opts.rule === undefined ? [] : [opts.rule.x])];
  const ys = pts.flatMap((p) => [p.lo, p.hi, p.y]);
  const x = {
    field: 'x',
    type: 'quantitative',
    title: opts.xTitle,
    scale: scaleFor(opts.xScale, xs, true),
    axis: opts.xScale === 'log' ? { format: '~g' } : {},
  };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: opts.yTitle,
    scale: scaleFor(opts.yScale, ys, false),
    axis: opts.yScale === 'log' ? { format: '~g' } : {},
  };
  const color = {
    field: 'series',
    type: 'nominal',
    title: opts.seriesTitle,
    scale: categoryScale(seriesDomain),
    sort: seriesDomain,
  };
  const shape =
    seriesDomain.length <= SERIES_SHAPES.length
      ? {
          shape: {
            field: 'series',
            type: 'nominal',
            title: opts.seriesTitle,
            sort: seriesDomain,
            scale: { domain: seriesDomain, range: SERIES_SHAPES.slice(0, seriesDomain.length) },
          },
        }
      : {};
  const tooltip = [
    { field: 'series', type: 'nominal', title: opts.seriesTitle },
    { field: 'label', type: 'nominal', title: 'point' },
    { field: 'x', type: 'quantitative', title: opts.xTitle, format: VALUE_FORMAT },
    { field: 'y', type: 'quantitative', title: opts.yTitle, format: VALUE_FORMAT },
    { field: 'lo', type: 'quantitative', title: '95% CI low', format: CI_FORMAT },
    { field: 'hi', type: 'quantitative', title: '95% CI high', format: CI_FORMAT },
    { field: 'n', type: 'quantitative', title: 'replications' },
  ];
  const layers: Record<string, unknown>[] = [];
  if (opts.rule !== undefined) {
    layers.push(
      {
        data: { values: [{ x: opts.rule.x }] },
        mark: { type: 'rule', color: '#333333', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { x: { field: 'x', type: 'quantitative', scale: x.scale } },
      },
      {
        data: {
          values: [
            {
              x: opts.rule.x,
              y: Math.min(...ys.filter((v) => opts.yScale !== 'log' || v > 0)),
              label: opts.rule.label,
            },
          ],
        },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -5, dy: -2, fontSize: 11, color: '#333333' },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: x.scale },
          y: { ...y },
          text: { field: 'label', type: 'nominal' },
        },
      },
    );
  }
  layers.push(
    {
      mark: { type: 'errorbar', ticks: true, thickness: 1.5 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
    },
    {
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } },
    },
    { mark: { type: 'point', filled: true, size: 55, opacity: 1 }, encoding: { x, y, color, ...shape, tooltip } },
  );
  if (opts.labelSeries !== undefined) {
    layers.push({
      transform: [{ filter: { field: 'series', equal: opts.labelSeries } }],
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 6, dy: -4, fontSize: 11, color: '#222222' },
      encoding: { x, y, text: { field: 'label', type: 'nominal' } },
    });
  }
  const spec = { ...baseSpec(opts.title, opts.subtitle), data: { values: pts }, layer: layers };
  return { id: opts.id, title: opts.title, spec };
}

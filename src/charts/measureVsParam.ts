// Chart builder: one measure (mean over replications, with its Student-t 95% confidence interval as
// error bars) against one swept parameter, one coloured line per value of an optional second
// parameter, and an optional dashed theory curve with a legend entry separating "simulated (95% CI)"
// from the theory label. Input: the runner's SummaryRow[] (src/runner/study.ts); units come with the
// caller's axis titles, and tooltips reuse those titles, so they show the same units. With several
// series on a numeric x axis, each series is drawn a few pixels to the side of the true x (a dodge,
// stated in the subtitle; tooltips show the true x), so equal values do not hide one another. Dashed
// theory curves are drawn over the simulated lines (the solid line shows through the dash gaps where
// they coincide) and under the simulated points.

import type { ChartSpec, ParamValue, SummaryRow } from '../runner/study.js';
import {
  baseSpec,
  checkId,
  checkLogPositive,
  LOG_LABEL_FORMAT,
  logAxis,
  logDomain,
  orderLabels,
  quantScale,
  seriesLabel,
  tooltipTitle,
  type Scale,
} from './specBase.js';
import {
  categoryScale,
  CHART_WIDTH,
  CI_FORMAT,
  SERIES_SHAPES,
  SIMULATED_LABEL,
  SINGLE_SERIES_COLOR,
  SOLID_DASH,
  THEORY_COLOR,
  THEORY_DASH,
  VALUE_FORMAT,
} from './theme.js';

export interface TheoryCurve {
  /** Legend label, e.g. "M/M/1 (theory)". */
  readonly label: string;
  /** Curve points; `series` matches a colour-parameter value (as a string) when the chart has one. */
  readonly points: readonly { x: number; y: number; series?: string }[];
}

export interface MeasureVsParamOptions {
  readonly id: string;
  readonly title: string;
  readonly summary: readonly SummaryRow[];
  /** Measure name (SummaryRow.measure) on the y axis. */
  readonly measure: string;
  /** Parameter on the x axis. */
  readonly x: string;
  /** Parameter with one line per value. */
  readonly color?: string;
  /** Legend title for `color` (default: the parameter name). */
  readonly colorTitle?: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly xScale?: Scale;
  readonly yScale?: Scale;
  readonly theory?: TheoryCurve;
}

/** Put ticks exactly at the swept values of a log axis when there are at most this many. */
const MAX_EXPLICIT_TICKS = 12;
/** Dodge between neighbouring series in px, and the most any series moves from its true x. */
const DODGE_STEP_PX = 8;
const DODGE_MAX_PX = 10;
/** Scale padding of a numeric x axis in px (room for the dodge at the domain's ends). */
const X_PAD_PX = 12;

/**
 * The sideways offset of each series in px: centred on 0, DODGE_STEP_PX apart, at most DODGE_MAX_PX
 * and at most a fifth of the narrowest gap between neighbouring simulated x values (`xs`; `allXs`,
 * theory included, set the axis span); [] when there is nothing to separate (one series).
 */
function dodgeOffsetsPx(seriesCount: number, xs: readonly number[], allXs: readonly number[], scale: Scale): number[] {
  if (seriesCount < 2) return [];
  const pos = [...new Set(xs)].map((x) => (scale === 'log' ? Math.log10(x) : x)).sort((a, b) => a - b);
  let span = Math.max(...allXs) - Math.min(...allXs);
  if (scale === 'log') {
    const [lo, hi] = logDomain(allXs);
    span = Math.log10(hi / lo);
  }
  if (!(span > 0)) return [];
  let minGap = Infinity;
  for (let i = 1; i < pos.length; i++) minGap = Math.min(minGap, (pos[i] ?? 0) - (pos[i - 1] ?? 0));
  const minGapPx = Number.isFinite(minGap) ? (minGap / span) * (CHART_WIDTH - 2 * X_PAD_PX) : CHART_WIDTH;
  const half = Math.min(DODGE_MAX_PX, ((seriesCount - 1) * DODGE_STEP_PX) / 2, minGapPx / 5);
  if (half < 1) return [];
  return Array.from({ length: seriesCount }, (_, i) => -half + (2 * half * i) / (seriesCount - 1));
}

type TheoryRow = { x: number; y: number; series?: string; kind: string };

type SimRow = {
  point: number;
  x: number | string;
  /** Where the point is drawn: x moved sideways by the series' dodge (numeric x only). */
  xPlot: number | string;
  y: number;
  lo: number;
  hi: number;
  halfWidth: number;
  n: number;
  series?: string;
  kind: string;
};

export function measureVsParam(opts: MeasureVsParamOptions): ChartSpec {
  const where = `measureVsParam(${opts.id})`;
  checkId('measureVsParam', opts.id);
  const xScale = opts.xScale ?? 'linear';
  const yScale = opts.yScale ?? 'linear';

  const rows = opts.summary.filter((r) => r.measure === opts.measure);
  if (rows.length === 0) {
    const present = [...new Set(opts.summary.map((r) => r.measure))].join(', ');
    throw new Error(
      `${where}: no summary rows for measure ${JSON.stringify(opts.measure)} (measures present: ${present || 'none'})`,
    );
  }
  const param = (r: SummaryRow, name: string): ParamValue => {
    const v = r.params[name];
    if (v === undefined) {
      throw new Error(
        `${where}: summary row of point ${r.point} has no parameter ${JSON.stringify(name)} ` +
          `(parameters: ${Object.keys(r.params).join(', ')})`,
      );
    }
    return v;
  };

  const xNumeric = rows.every((r) => typeof param(r, opts.x) === 'number');
  if (!xNumeric && xScale === 'log') {
    throw new Error(`${where}: parameter ${JSON.stringify(opts.x)} has non-numeric values; a log x axis needs numbers`);
  }
  if (!xNumeric && opts.theory !== undefined) {
    throw new Error(`${where}: a theory curve needs a numeric x parameter, ${JSON.stringify(opts.x)} is not`);
  }

  // One row per (x, series): anything else means other parameters vary and the lines would mix points.
  const seen = new Map<string, SummaryRow>();
  for (const r of rows) {
    const key = JSON.stringify([param(r, opts.x), opts.color === undefined ? null : param(r, opts.color)]);
    const prev = seen.get(key);
    if (prev !== undefined) {
      const differ = Object.keys({ ...prev.params, ...r.params }).filter((k) => prev.params[k] !== r.params[k]);
      throw new Error(
        `${where}: points ${prev.point} and ${r.point} both give ${opts.x}=${String(param(r, opts.x))}` +
          (opts.color === undefined ? '' : `, ${opts.color}=${String(param(r, opts.color))}`) +
          `; they differ in ${differ.join(', ')} - filter the summary or add a colour parameter`,
      );
    }
    seen.set(key, r);
  }

  let omitted = 0;
  let clamped = 0;
  const sim: SimRow[] = [];
  for (const r of rows) {
    if (!Number.isFinite(r.mean)) {
      omitted++;
      continue;
    }
    const xv = param(r, opts.x);
    const x = xNumeric ? (xv as number) : seriesLabel(xv);
    if (xScale === 'log') checkLogPositive(where, 'x', x as number, `${opts.x} of point ${r.point}`);
    if (yScale === 'log') checkLogPositive(where, 'y', r.mean, `mean ${opts.measure} of point ${r.point}`);
    const hw = Number.isFinite(r.halfWidth) && r.halfWidth > 0 ? r.halfWidth : 0;
    let lo = r.mean - hw;
    if (yScale === 'log' && lo <= 0) {
      lo = r.mean;
      clamped++;
    }
    const row: SimRow = {
      point: r.point,
      x,
      xPlot: x,
      y: r.mean,
      lo,
      hi: r.mean + hw,
      halfWidth: hw,
      n: r.n,
      kind: SIMULATED_LABEL,
    };
    if (opts.color !== undefined) row.series = seriesLabel(param(r, opts.color));
    sim.push(row);
  }
  if (sim.length === 0) {
    throw new Error(`${where}: every point of measure ${JSON.stringify(opts.measure)} has a non-finite mean`);
  }

  // Theory points, checked and split by whether they belong to a series.
  const theory = opts.theory;
  if (theory !== undefined && theory.label === SIMULATED_LABEL) {
    throw new Error(`${where}: the theory label must differ from ${JSON.stringify(SIMULATED_LABEL)}`);
  }
  const theoryRows = (theory?.points ?? []).map((p, i): TheoryRow => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      throw new Error(`${where}: theory point ${i} must have finite x and y, got x=${p.x}, y=${p.y}`);
    }
    if (xScale === 'log') checkLogPositive(where, 'x', p.x, `theory point ${i} x`);
    if (yScale === 'log') checkLogPositive(where, 'y', p.y, `theory point ${i} y`);
    if (p.series !== undefined && opts.color === undefined) {
      throw new Error(
        `${where}: theory point ${i} names series ${JSON.stringify(p.series)} but the chart has no colour parameter`,
      );
    }
    const row: TheoryRow = { x: p.x, y: p.y, kind: theory?.label ?? '' };
    if (p.series !== undefined) row.series = p.series;
    return row;
  });
  if (theory !== undefined && theoryRows.length === 0) {
    throw new Error(`${where}: the theory curve ${JSON.stringify(theory.label)} has no points`);
  }

  // Deterministic order: series, then x.
  const seriesDomain = orderLabels([
    ...sim.map((r) => r.series ?? ''),
    ...theoryRows.flatMap((r) => (r.series === undefined ? [] : [r.series])),
  ]);
  const xOrder = xNumeric ? [] : orderLabels(sim.map((r) => String(r.x)));
  const rank = (s: string | undefined): number => seriesDomain.indexOf(s ?? '');
  const xKey = (x: number | string): number => (typeof x === 'number' ? x : xOrder.indexOf(x));
  sim.sort((a, b) => rank(a.series) - rank(b.series) || xKey(a.x) - xKey(b.x));

  // Encodings.
  const distinctX = [...new Set(sim.map((r) => r.x))];
  const xValues = [...sim.flatMap((r) => (typeof r.x === 'number' ? [r.x] : [])), ...theoryRows.map((r) => r.x)];

  // Dodge: move each series sideways by a few px (in data units of the x scale).
  const simXs = sim.flatMap((r) => (typeof r.x === 'number' ? [r.x] : []));
  const offsets = xNumeric ? dodgeOffsetsPx(seriesDomain.length, simXs, xValues, xScale) : [];
  if (offsets.length > 0) {
    const [lo, hi] = xScale === 'log' ? logDomain(xValues) : [Math.min(...xValues), Math.max(...xValues)];
    const plotPx = CHART_WIDTH - 2 * X_PAD_PX;
    for (const r of sim) {
      const px = offsets[rank(r.series)] ?? 0;
      const x = r.x as number;
      r.xPlot = xScale === 'log' ? x * (hi / lo) ** (px / plotPx) : x + ((hi - lo) * px) / plotPx;
    }
  }

  const xAxis: Record<string, unknown> = {};
  if (xScale === 'log') {
    Object.assign(
      xAxis,
      distinctX.length <= MAX_EXPLICIT_TICKS
        ? { values: (distinctX as number[]).slice().sort((a, b) => a - b), format: LOG_LABEL_FORMAT }
        : logAxis(xValues),
    );
  }
  // No format on linear axes: vega derives the precision from the tick step ('~g' would print 10 as 1e+1).
  if (!xNumeric) xAxis['labelAngle'] = 0;
  const xEnc: Record<string, unknown> = xNumeric
    ? {
        field: 'x',
        type: 'quantitative',
        title: opts.xTitle,
        scale: quantScale(xScale, false, xValues, X_PAD_PX),
        axis: xAxis,
      }
    : { field: 'x', type: 'ordinal', title: opts.xTitle, sort: xOrder, axis: xAxis };
  const simXEnc = { ...xEnc, field: 'xPlot' };
  const yValues = [...sim.flatMap((r) => [r.lo, r.hi]), ...theoryRows.map((r) => r.y)];
  const yEnc = {
    field: 'y',
    type: 'quantitative',
    title: opts.yTitle,
    scale: quantScale(yScale, true, yValues),
    ...(yScale === 'log' ? { axis: logAxis(yValues) } : {}),
  };
  const colorTitle = opts.colorTitle ?? opts.color ?? '';
  const hasSeries = opts.color !== undefined;

  const kindDomain = theory === undefined ? [SIMULATED_LABEL] : [SIMULATED_LABEL, theory.label];
  const dashEnc = {
    field: 'kind',
    type: 'nominal',
    scale: { domain: kindDomain, range: [[...SOLID_DASH], [...THEORY_DASH]] },
    legend: { title: null, symbolStrokeColor: THEORY_COLOR, symbolType: 'stroke', symbolSize: 400 },
  };
  // Colour: by series; or, with a theory curve and no series, by kind (merging with the dash legend).
  let colorEnc: Record<string, unknown> | undefined;
  if (hasSeries) {
    colorEnc = { field: 'series', type: 'nominal', title: colorTitle, scale: categoryScale(seriesDomain) };
  } else if (theory !== undefined) {
    colorEnc = {
      field: 'kind',
      type: 'nominal',
      scale: { domain: kindDomain, range: [SINGLE_SERIES_COLOR, THEORY_COLOR] },
      legend: { title: null, symbolType: 'stroke', symbolSize: 400 },
    };
  }
  const withColor = (enc: Record<string, unknown>): Record<string, unknown> =>
    colorEnc === undefined ? enc : { ...enc, color: colorEnc };
  const markColor = colorEnc === undefined ? { color: SINGLE_SERIES_COLOR } : {};

  const tooltip: Record<string, unknown>[] = [];
  if (hasSeries) tooltip.push({ field: 'series', type: 'nominal', title: colorTitle });
  tooltip.push(
    xNumeric
      ? { field: 'x', type: 'quantitative', title: tooltipTitle(opts.xTitle), format: VALUE_FORMAT }
      : { field: 'x', type: 'ordinal', title: tooltipTitle(opts.xTitle) },
    { field: 'y', type: 'quantitative', title: `${tooltipTitle(opts.yTitle)}: mean`, format: VALUE_FORMAT },
    { field: 'halfWidth', type: 'quantitative', title: '± 95% CI half-width (same unit)', format: CI_FORMAT },
    { field: 'n', type: 'quantitative', title: 'replications' },
    { field: 'point', type: 'quantitative', title: 'point' },
  );

  // Order: error bars, simulated lines, dashed theory curves, then the points on top.
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'errorbar', ticks: true, size: 10, thickness: 1.5, opacity: 1, ...markColor },
      encoding: withColor({ x: simXEnc, y: { ...yEnc, field: 'lo' }, y2: { field: 'hi' } }),
    },
    {
      mark: { type: 'line', strokeWidth: 2, ...markColor },
      encoding: withColor(
        theory === undefined ? { x: simXEnc, y: yEnc } : { x: simXEnc, y: yEnc, strokeDash: dashEnc },
      ),
    },
  ];
  if (theory !== undefined) {
    const own = theoryRows.filter((r) => r.series !== undefined);
    const plain = theoryRows.filter((r) => r.series === undefined);
    const theoryEnc = { x: xEnc, y: yEnc, strokeDash: dashEnc };
    if (own.length > 0) {
      layers.push({
        data: { values: own },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: withColor(theoryEnc),
      });
    }
    if (plain.length > 0) {
      layers.push({
        data: { values: plain },
        mark: { type: 'line', strokeWidth: 2, ...(hasSeries ? { color: THEORY_COLOR } : {}) },
        encoding: hasSeries ? theoryEnc : withColor(theoryEnc),
      });
    }
  }
  layers.push({
    mark: { type: 'point', filled: true, size: 50, opacity: 1, ...markColor },
    encoding: withColor({
      x: simXEnc,
      y: yEnc,
      ...(hasSeries && seriesDomain.length <= SERIES_SHAPES.length
        ? {
            shape: {
              field: 'series',
              type: 'nominal',
              title: colorTitle,
              scale: { domain: seriesDomain, range: SERIES_SHAPES.slice(0, seriesDomain.length) },
            },
          }
        : {}),
      tooltip,
    }),
  });

  const ns = [...new Set(sim.map((r) => r.n))].sort((a, b) => a - b);
  const nText = ns.length === 1 ? `n = ${ns[0]}` : `n = ${ns[0]}-${ns[ns.length - 1]}`;
  const notes = [
    ns.every((n) => n < 2) ? `mean of ${nText} replication, no CI` : `mean ± 95% CI (Student t), ${nText} replications`,
  ];
  if (omitted > 0) notes.push(`${omitted} point${omitted === 1 ? '' : 's'} without a finite mean omitted`);
  if (offsets.length > 0) notes.push('series drawn a few px apart on x so none hides another');
  if (clamped > 0) notes.push(`${clamped} lower CI bound${clamped === 1 ? '' : 's'} ≤ 0 not drawn on the log axis`);

  const spec = {
    ...baseSpec(opts.title, notes),
    data: { values: sim },
    layer: layers,
  };
  return { id: opts.id, title: opts.title, spec };
}

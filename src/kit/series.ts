// Series labels and chart rows built from a study's summary: labels that stay unique when a user
// overrides the grid (the primary parameter plus every other parameter that varies), summary rows
// re-keyed for measureVsParam, unit scaling, and short number formatting. Times (parameters ending in
// Ns) are formatted with units ("5 ms").
import type { ParamValue, Params, SummaryRow } from '../runner/study.js';
import { formatNs } from '../sim/time.js';

/** Summary rows with mean, sd and half-width multiplied by `factor` (unit conversion for charts). */
export function scaleRows(rows: readonly SummaryRow[], factor: number): SummaryRow[] {
  return rows.map((r) => ({ ...r, mean: r.mean * factor, sd: r.sd * factor, halfWidth: r.halfWidth * factor }));
}

/** Names of the parameters that take more than one value over `points`, in declaration order, minus `exclude`. */
export function varyingParams(points: readonly Params[], exclude: readonly string[]): string[] {
  const first = points[0];
  if (first === undefined) return [];
  return Object.keys(first).filter((k) => !exclude.includes(k) && points.some((p) => p[k] !== first[k]));
}

export type Formatter = (v: ParamValue) => string;

/** Default value formatting: times (parameters ending in Ns) as "5 ms", others as String(v). */
export function formatParam(name: string, v: ParamValue): string {
  if (typeof v === 'number' && name.endsWith('Ns')) return formatNs(v);
  return String(v);
}

/**
 * Labels for chart series: the primary parameter's formatted value, followed by "name=value" for every
 * other parameter that varies over the points (except `exclude`), so two points never share a label
 * unless they agree on everything but the excluded parameters.
 */
export function seriesLabeler(
  points: readonly Params[],
  primary: string | null,
  exclude: readonly string[],
  formatters: Readonly<Record<string, Formatter>> = {},
): (p: Params) => string {
  const others = varyingParams(points, primary === null ? exclude : [...exclude, primary]);
  const fmtValue = (k: string, v: ParamValue | undefined): string =>
    v === undefined ? '?' : (formatters[k] ?? ((x: ParamValue) => formatParam(k, x)))(v);
  return (p) => {
    const parts: string[] = [];
    if (primary !== null) parts.push(fmtValue(primary, p[primary]));
    for (const k of others) parts.push(`${k}=${fmtValue(k, p[k])}`);
    return parts.join(', ') || 'all';
  };
}

/**
 * Re-keys the summary rows of `measure` for measureVsParam: params become { [x]: x value, series: label }.
 * Rows are returned sorted by `order` (series order in legends follows first appearance).
 */
export function lineRows(
  summary: readonly SummaryRow[],
  measure: string,
  opts: {
    readonly x: string;
    readonly xValue: (p: Params) => number;
    readonly series: (p: Params) => string;
    readonly filter?: (p: Params) => boolean;
    readonly order?: (a: Params, b: Params) => number;
    readonly scale?: number;
  },
): SummaryRow[] {
  const rows = summary.filter((r) => r.measure === measure && (opts.filter === undefined || opts.filter(r.params)));
  if (opts.order !== undefined) {
    const order = opts.order;
    rows.sort((a, b) => order(a.params, b.params) || a.point - b.point);
  }
  const scale = opts.scale ?? 1;
  return rows.map((r) => ({
    ...r,
    params: { [opts.x]: opts.xValue(r.params), series: opts.series(r.params) },
    mean: r.mean * scale,
    sd: r.sd * scale,
    halfWidth: r.halfWidth * scale,
  }));
}

/** Parameters of a point other than `param`, as a key (the points that differ only in `param` share it). */
function keyWithout(p: Params, param: string): string {
  return JSON.stringify(
    Object.entries(p)
      .filter(([k]) => k !== param)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/**
 * Summary rows divided by the mean of the row with `param` = `reference` and the same other parameters,
 * as measure `as` (e.g. throughput relative to one domain): mean, sd and half-width scaled by the same
 * factor (the reference's own uncertainty is not propagated). `rows` are one measure's rows; rows
 * without a positive reference are left out.
 */
export function relativeToReference(
  rows: readonly SummaryRow[],
  opts: { readonly param: string; readonly reference: ParamValue; readonly as: string },
): SummaryRow[] {
  const ref = new Map<string, number>();
  for (const r of rows) if (r.params[opts.param] === opts.reference) ref.set(keyWithout(r.params, opts.param), r.mean);
  const out: SummaryRow[] = [];
  for (const r of rows) {
    const base = ref.get(keyWithout(r.params, opts.param));
    if (base === undefined || !(base > 0)) continue;
    out.push({ ...r, measure: opts.as, mean: r.mean / base, sd: r.sd / base, halfWidth: r.halfWidth / base });
  }
  return out;
}

/**
 * measureVsParam's x-axis options for a count axis: a log scale (and " (log scale)" in the title) when
 * there are at least two values and the smallest is positive, else linear. `values` sorted ascending.
 */
export function countAxis(values: readonly number[], title: string) {
  const log = values.length > 1 && (values[0] as number) > 0;
  return log
    ? { xTitle: `${title} (log scale)`, xScale: 'log' as const }
    : { xTitle: title, xScale: 'linear' as const };
}

/** Shortest readable number (4 significant digits by default). */
export function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x);
}

/**
 * "mean ± half-width" for console tables and notes, scaled by `factor`; the CI part only when the row
 * has one (n ≥ 2 replications: a single replication has no confidence interval, not "± 0").
 */
export function meanCi(
  row: { mean: number; halfWidth: number; n: number },
  factor = 1,
  digits = 4,
  ciDigits = 2,
): string {
  const mean = fmt(row.mean * factor, digits);
  return row.n >= 2 ? `${mean} ± ${fmt(row.halfWidth * factor, ciDigits)}` : mean;
}

// Helpers shared by the four "Hypervisor core" studies (bvt-weights, bvt-warp, slice-length,
// event-batching): typed parameter access, summary rows built from per-replication values, series
// labels that stay unique when a user overrides the grid, and log-spaced sampling times.
// No chart or vega imports here: worker threads load this file.
import { formatNs } from '../src/sim/time.js';
import type { ChartSpec, ParamValue, Params, SummaryRow } from '../src/runner/study.js';

// Typed parameter access and summary rows are the runner's (src/runner/params.ts, summary.ts).
export { paramNumber as num, paramString as str, paramBool as bool } from '../src/runner/params.js';
export { summaryRowOf as summaryRow } from '../src/runner/summary.js';

/** Summary rows with mean, sd and half-width multiplied by `factor` (unit conversion for charts). */
export function scaleRows(rows: readonly SummaryRow[], factor: number): SummaryRow[] {
  return rows.map((r) => ({ ...r, mean: r.mean * factor, sd: r.sd * factor, halfWidth: r.halfWidth * factor }));
}

/** Names of the parameters that take more than one value over `points`, in declaration order, minus `exclude`. */
export function varyingParams(points: readonly Params[], exclude: readonly string[]): string[] {
  const first = points[0];
  if (first === undefined) return [];
  return Object.keys(first).filter(
    (k) => !exclude.includes(k) && points.some((p) => p[k] !== first[k]),
  );
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
  const fmt = (k: string, v: ParamValue | undefined): string =>
    v === undefined ? '?' : (formatters[k] ?? ((x: ParamValue) => formatParam(k, x)))(v);
  return (p) => {
    const parts: string[] = [];
    if (primary !== null) parts.push(fmt(primary, p[primary]));
    for (const k of others) parts.push(`${k}=${fmt(k, p[k])}`);
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

/** 1-2-5 sampling times in (0, endNs]: 100 ms, 200 ms, 500 ms, 1 s … and endNs itself. */
export function logTimes(endNs: number, fromNs = 100_000_000): number[] {
  const out: number[] = [];
  for (let dec = fromNs; dec < endNs; dec *= 10) {
    for (const m of [1, 2, 5]) {
      const t = dec * m;
      if (t < endNs) out.push(t);
    }
  }
  out.push(endNs);
  return out;
}

/** Distinct values of parameter `name` over the rows, in first-seen order. */
export function distinct<T extends ParamValue>(rows: readonly { params: Params }[], name: string): T[] {
  const out: T[] = [];
  for (const r of rows) {
    const v = r.params[name] as T | undefined;
    if (v !== undefined && !out.includes(v)) out.push(v);
  }
  return out;
}

/** The points of the summary rows (index and parameters), in point order. */
export function pointEntries(summary: readonly SummaryRow[]): { point: number; params: Params }[] {
  const byPoint = new Map<number, Params>();
  for (const r of summary) if (!byPoint.has(r.point)) byPoint.set(r.point, r.params);
  return [...byPoint.entries()].sort((a, b) => a[0] - b[0]).map(([point, params]) => ({ point, params }));
}

/** The parameters of every point of the summary rows, in point order. */
export function pointsOf(summary: readonly SummaryRow[]): Params[] {
  return pointEntries(summary).map((e) => e.params);
}

/** Shortest readable number (4 significant digits). */
export function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x);
}

/** Appends a line to a built chart's subtitle (the builders put the CI note there). */
export function addSubtitle(chart: ChartSpec, line: string): ChartSpec {
  const title = chart.spec['title'] as { text: string; subtitle?: string | string[] };
  const prev = title.subtitle === undefined ? [] : Array.isArray(title.subtitle) ? title.subtitle : [title.subtitle];
  title.subtitle = [...prev, line];
  return chart;
}

/** Lets a built chart's linear y scales start away from zero (small differences near 1 become visible). */
export function unzeroY(chart: ChartSpec): ChartSpec {
  const layers = (chart.spec['layer'] ?? []) as { encoding?: { y?: { scale?: Record<string, unknown> } } }[];
  for (const l of layers) {
    const scale = l.encoding?.y?.scale;
    if (scale !== undefined && scale['type'] !== 'log') scale['zero'] = false;
  }
  return chart;
}

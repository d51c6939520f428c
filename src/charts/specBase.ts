// Pieces every chart builder shares: the top-level spec skeleton ($schema, title, size, config),
// series ordering, and input checks that turn bad builder input into one error naming the chart,
// the field and the offending row. No units here; the builders' axis titles carry them.

import type { ParamValue } from '../runner/study.js';
import { CHART_HEIGHT, CHART_WIDTH, chartConfig, VEGA_LITE_SCHEMA_URL } from './theme.js';

export type Scale = 'linear' | 'log';

/** Chart ids become file names: letters, digits, '.', '_' and '-', starting with a letter or digit. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkId(builder: string, id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new Error(
      `${builder}: chart id ${JSON.stringify(id)} is not a valid file name stem ` +
        `(letters, digits, '.', '_', '-'; starting with a letter or digit)`,
    );
  }
}

/**
 * The top-level skeleton of a single-view spec; the builder adds data, mark/layer and encoding. A
 * subtitle given as several strings is drawn as one line each.
 */
export function baseSpec(
  title: string,
  subtitle?: string | readonly string[],
  size: { width: number; height: number } = { width: CHART_WIDTH, height: CHART_HEIGHT },
): Record<string, unknown> {
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    title:
      subtitle === undefined
        ? { text: title }
        : { text: title, subtitle: typeof subtitle === 'string' || subtitle.length !== 1 ? subtitle : subtitle[0] },
    description: title,
    width: size.width,
    height: size.height,
    config: chartConfig(),
  };
}

/** The label a series value shows in legends and tooltips. */
export function seriesLabel(value: ParamValue): string {
  return String(value);
}

/**
 * Distinct labels in legend order: ascending numerically when every label is a number, otherwise in
 * order of first appearance (the caller's order, e.g. the grid's).
 */
export function orderLabels(labels: Iterable<string>): string[] {
  const distinct = [...new Set(labels)];
  const numeric = distinct.map((l) => (l.trim() === '' ? Number.NaN : Number(l)));
  if (numeric.every((n) => Number.isFinite(n))) {
    return distinct
      .map((label, i) => ({ label, n: numeric[i] ?? 0 }))
      .sort((a, b) => a.n - b.n || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
      .map((e) => e.label);
  }
  return distinct;
}

/** A finite number from a table cell, or an error naming the chart, field and row. */
export function numericCell(
  where: string,
  field: string,
  row: Readonly<Record<string, unknown>>,
  index: number,
): number {
  const v = row[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    const present = Object.keys(row).join(', ');
    throw new Error(
      `${where}: row ${index} field ${JSON.stringify(field)} must be a finite number, got ` +
        `${v === undefined ? 'nothing' : JSON.stringify(v)} (fields present: ${present || 'none'})`,
    );
  }
  return v;
}

/** A value that must be positive on a log axis. */
export function checkLogPositive(where: string, axis: string, value: number, what: string): void {
  if (!(value > 0)) {
    throw new Error(
      `${where}: ${what} = ${value} cannot be drawn on a log ${axis} axis (values must be > 0); ` +
        `use a linear scale or drop it`,
    );
  }
}

/**
 * A log-axis domain that starts and ends on a labelled 1-2-5 step (e.g. [1, 20] for data in
 * [1.1, 11]), so both ends carry a tick label without stretching to whole decades.
 */
export function logDomain(values: readonly number[]): [number, number] {
  const steps = [1, 2, 5, 10];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v > 0 && v < min) min = v;
    if (v > 0 && v > max) max = v;
  }
  if (!(min <= max)) return [1, 10];
  const decade = (v: number): number => 10 ** Math.floor(Math.log10(v));
  const lowDec = decade(min);
  const lo = Math.max(...steps.filter((s) => s * lowDec <= min * (1 + 1e-12)).map((s) => s * lowDec));
  const highDec = decade(max);
  const hi = Math.min(...steps.filter((s) => s * highDec >= max * (1 - 1e-12)).map((s) => s * highDec));
  // Tidy floating-point products such as 3 * 0.1.
  const tidy = (v: number): number => Number(v.toPrecision(12));
  return lo === hi ? [tidy(lo / 2), tidy(hi * 2)] : [tidy(lo), tidy(hi)];
}

/** d3-format of log-axis labels: plain decimals with thousands separators (1, 10, 1,000, 0.01). */
export const LOG_LABEL_FORMAT = ',~r';

/**
 * The tick values of a log axis over logDomain(values): every power of ten inside the domain, plus
 * the 2 and 5 multiples when the domain spans at most 2.5 decades or holds fewer than two powers of
 * ten; the domain's ends (on a 1-2-5 step, see logDomain) only when that still leaves fewer than two
 * ticks. So every decade is labelled, and no label reads 2, 20, 200 where 1, 10, 100 are meant.
 */
export function logTicks(values: readonly number[]): number[] {
  const [lo, hi] = logDomain(values);
  const tidy = (v: number): number => Number(v.toPrecision(12));
  const inside = (v: number): boolean => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  const powers: number[] = [];
  for (let k = first; k <= last; k++) if (inside(tidy(10 ** k))) powers.push(tidy(10 ** k));
  const ticks = new Set<number>(powers);
  if (Math.log10(hi / lo) <= 2.5 || powers.length < 2) {
    for (let k = first; k <= last; k++) {
      for (const m of [2, 5]) if (inside(tidy(m * 10 ** k))) ticks.add(tidy(m * 10 ** k));
    }
  }
  if (ticks.size < 2) {
    ticks.add(lo);
    ticks.add(hi);
  }
  return [...ticks].sort((a, b) => a - b);
}

/** Axis properties of a log axis: labelled ticks at logTicks(values). */
export function logAxis(values: readonly number[]): Record<string, unknown> {
  return { values: logTicks(values), format: LOG_LABEL_FORMAT, labelOverlap: 'greedy' };
}

/**
 * An axis title as a tooltip field title: the same words and unit, without the scale remark
 * ("mean latency (µs, log scale)" -> "mean latency (µs)"), which means nothing next to one value.
 */
export function tooltipTitle(axisTitle: string): string {
  return axisTitle
    .replace(/,\s*log(?:2|10)?\s+scale/gi, '')
    .replace(/\s*\(log(?:2|10)?\s+scale\)/gi, '')
    .trim();
}

/**
 * A quantitative positional scale. Log scales are not "niced" (that would stretch the domain to whole
 * decades); `padPx` keeps marks at the domain's ends off the axes.
 */
export function quantScale(type: Scale, zero: boolean, values: readonly number[], padPx = 0): Record<string, unknown> {
  const pad = padPx > 0 ? { padding: padPx } : {};
  return type === 'log'
    ? { type: 'log', domain: logDomain(values), nice: false, ...pad }
    : { type: 'linear', zero, ...pad };
}

/** The subtitle line every chart of a --quick run carries (and the report's banner says the same). */
export const QUICK_NOTE = 'QUICK RUN (--quick): smoke-test grid, replications and run length; not the study results';

/**
 * A copy of a finished spec whose title has QUICK_NOTE as the last subtitle line. Applied centrally
 * when charts are written (writeCharts, reportHtml), after the study built them, so a study that sets
 * its own subtitle keeps it and no study can forget the mark.
 */
export function withQuickNote(spec: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const title = spec['title'];
  const base: Record<string, unknown> =
    typeof title === 'string' || Array.isArray(title)
      ? { text: title }
      : typeof title === 'object' && title !== null
        ? { ...(title as Record<string, unknown>) }
        : { text: '' };
  const sub = base['subtitle'];
  const lines = sub === undefined ? [] : Array.isArray(sub) ? (sub as unknown[]).map(String) : [String(sub)];
  if (lines[lines.length - 1] !== QUICK_NOTE) lines.push(QUICK_NOTE);
  return { ...spec, title: { ...base, subtitle: lines } };
}

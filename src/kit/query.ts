// Queries on a study's results (StudyData) instead of `summary.find(...)` written out in every study:
// the points in order, one summary row by point and measure, rows matching some parameter values, the
// same questions over a subset of the points, distinct and most common parameter values. Values are as
// in summary.csv (the study's own units).
import type { ParamValue, Params, StudyData, SummaryRow } from '../runner/study.js';

export interface PointEntry {
  readonly point: number;
  readonly params: Params;
}

/** The points of the summary rows (index and parameters), in point order. */
export function pointEntries(summary: readonly SummaryRow[]): PointEntry[] {
  const byPoint = new Map<number, Params>();
  for (const r of summary) if (!byPoint.has(r.point)) byPoint.set(r.point, r.params);
  return [...byPoint.entries()].sort((a, b) => a[0] - b[0]).map(([point, params]) => ({ point, params }));
}

/** The parameters of every point of the summary rows, in point order. */
export function pointsOf(summary: readonly SummaryRow[]): Params[] {
  return pointEntries(summary).map((e) => e.params);
}

/** Distinct values of parameter `name` over the rows, in first-seen order. */
export function distinct<T extends ParamValue>(rows: readonly { readonly params: Params }[], name: string): T[] {
  const out: T[] = [];
  for (const r of rows) {
    const v = r.params[name] as T | undefined;
    if (v !== undefined && !out.includes(v)) out.push(v);
  }
  return out;
}

/** The most frequent value (the first seen among equals); undefined for no values. */
export function most<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestN = 0;
  for (const [v, n] of counts) if (n > bestN) [best, bestN] = [v, n];
  return best;
}

/** Whether `params` has every value of `where` (an empty `where` matches everything). */
function matches(params: Params, where: Readonly<Params>): boolean {
  return Object.entries(where).every(([k, v]) => params[k] === v);
}

/** Read access to a study's results by point, measure and parameter values. */
export class StudyQuery {
  readonly entries: readonly PointEntry[];
  private readonly byKey = new Map<string, SummaryRow>();

  constructor(readonly data: StudyData) {
    this.entries = pointEntries(data.summary);
    for (const r of data.summary) this.byKey.set(`${r.point}\u0000${r.measure}`, r);
  }

  /** The parameters of every point, in point order. */
  get points(): Params[] {
    return this.entries.map((e) => e.params);
  }

  /** The index of the point whose parameters are `params` (the same object), or -1. */
  pointOf(params: Params): number {
    return this.entries.find((e) => e.params === params)?.point ?? -1;
  }

  /** The summary row of `measure` at `point`. */
  at(point: number, measure: string): SummaryRow | undefined {
    return this.byKey.get(`${point}\u0000${measure}`);
  }

  /** The summary row of `measure` at the point whose parameters are `params` (the same object). */
  of(params: Params, measure: string): SummaryRow | undefined {
    return this.at(this.pointOf(params), measure);
  }

  /** The first summary row of `measure` whose parameters match every value in `where`. */
  find(where: Readonly<Params>, measure: string): SummaryRow | undefined {
    return this.data.summary.find((r) => r.measure === measure && matches(r.params, where));
  }

  /** The mean of find(where, measure), or undefined. */
  mean(where: Readonly<Params>, measure: string): number | undefined {
    return this.find(where, measure)?.mean;
  }

  /** Every summary row of `measure` whose parameters match every value in `where`, in summary order. */
  rows(measure: string, where: Readonly<Params> = {}): SummaryRow[] {
    return this.data.summary.filter((r) => r.measure === measure && matches(r.params, where));
  }

  /**
   * The same questions over part of the points: those whose parameters match every value of `keep`,
   * or for which `keep` returns true. Its `data.summary` holds their rows, in summary order.
   */
  subset(keep: Readonly<Params> | ((p: Params) => boolean)): StudyQuery {
    const test = typeof keep === 'function' ? keep : (p: Params): boolean => matches(p, keep);
    return new StudyQuery({ ...this.data, summary: this.data.summary.filter((r) => test(r.params)) });
  }

  /** Distinct values of parameter `name` over the points, in first-seen order. */
  distinct<T extends ParamValue>(name: string): T[] {
    return distinct<T>(this.entries, name);
  }
}

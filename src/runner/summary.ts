// Per-point summaries across replications: for each point and measure, n, mean, sample standard
// deviation and the Student-t 95% confidence half-width (src/sim/stats summarize; Law, Simulation
// Modeling and Analysis, §4.5). Replications whose value of a measure is not finite (NaN: nothing
// observed) are left out of that measure's n. n = 1 gives sd = 0 and half-width 0; n = 0 gives NaN.
// (summary.csv writes neither: an empty mean when n = 0, empty sd and CI when n < 2; see outputs.ts.)
// Values are taken in replication order, so the sums (and hence the bytes) never depend on the order
// runs finished in.
import { summarize } from '../sim/stats/index.js';
import type { Plan } from './plan.js';
import type { RunRecord } from './run-store.js';
import type { Params, SummaryRow } from './study.js';

export const CONFIDENCE = 0.95;

/** The summary of one point and measure from its per-replication values (non-finite ones left out). */
export function summaryRowOf(point: number, params: Params, measure: string, values: readonly number[]): SummaryRow {
  const s = summarize(
    values.filter((v) => Number.isFinite(v)),
    CONFIDENCE,
  );
  return { point, params, measure, mean: s.mean, sd: s.sd, halfWidth: s.halfWidth, n: s.n };
}

/** `records` maps run key → record; every planned run must be present. */
export function summarizeRuns(
  plan: Plan,
  measures: readonly string[],
  records: ReadonlyMap<string, RunRecord>,
): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const point of plan.points) {
    const recs: RunRecord[] = [];
    for (const run of plan.runs) {
      if (run.point !== point.index) continue;
      const rec = records.get(run.key);
      if (rec === undefined) throw new Error(`summarizeRuns: run ${run.key} missing`);
      recs.push(rec);
    }
    for (const measure of measures) {
      rows.push(
        summaryRowOf(
          point.index,
          point.params,
          measure,
          recs.map((r) => r.measures[measure] ?? NaN),
        ),
      );
    }
  }
  return rows;
}

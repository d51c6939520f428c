// Assembles StudyData (what a study's charts and console table are built from) from a plan and its
// finished runs: runs in (point, replication) order, the per-point summary, and every auxiliary table
// with the run's point, parameters and replication prepended to each row (the same columns as
// tables/<name>.csv; boolean parameters become 'true' / 'false').
import type { Plan } from './plan.js';
import type { RunRecord } from './run-store.js';
import type { RunRow, Study, StudyData, TableRow } from './study.js';
import { summarizeRuns } from './summary.js';

export function studyData(study: Study, plan: Plan, records: ReadonlyMap<string, RunRecord>): StudyData {
  const runs: RunRow[] = [];
  const tables: Record<string, TableRow[]> = {};
  for (const run of plan.runs) {
    const r = records.get(run.key);
    if (r === undefined) throw new Error(`studyData: run ${run.key} missing`);
    runs.push({
      point: r.point,
      replication: r.replication,
      seed: r.seed,
      params: r.params,
      measures: r.measures,
      events: r.events,
      wallMs: r.wallMs,
    });
    for (const [name, rows] of Object.entries(r.tables)) {
      const prefix: TableRow = { point: r.point };
      for (const [k, v] of Object.entries(r.params)) prefix[k] = typeof v === 'boolean' ? String(v) : v;
      prefix['replication'] = r.replication;
      const list = (tables[name] ??= []);
      for (const row of rows) list.push({ ...prefix, ...row });
    }
  }
  return { runs, summary: summarizeRuns(plan, Object.keys(study.measures), records), tables };
}

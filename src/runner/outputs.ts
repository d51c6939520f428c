// The tidy CSV outputs of a complete sweep, written atomically with csv-stringify (header row, comma
// separated, "\n" line ends, fields quoted only when needed; numbers formatted by format.ts):
//
// runs.csv      one row per run, ordered by (point, replication):
//               point, <every parameter in declaration order>, replication, seed, <every measure>, events
// summary.csv   one row per point and measure, ordered by (point, measure in declaration order):
//               point, <parameters>, measure, unit, n, mean, sd, ciHalfWidth, ciLo, ciHi
//               (Student-t 95% CI across replications; see summary.ts). n counts the replications
//               with a value; mean is empty when n = 0, sd and the CI are empty when n < 2.
// Cells: a measure with no samples in a run (not finite) is an empty cell, never NaN or Infinity;
//               text cells that a spreadsheet would evaluate (= + - @ …) get a leading ' (format.ts).
// tables/<name>.csv  the rows of auxiliary table <name> of every run, in (point, replication, row)
//               order: point, <parameters>, replication, <table columns in first-seen order>
//               (a cell a row does not have is empty); and the study's sweep tables
//               (Study.sweepTables, computed from the whole sweep): their own columns only.
// timing.csv    point, replication, seed, wallMs, events, eventsPerSecond: wall-clock cost of each
//               run. Wall time differs from run to run, so it is kept out of runs.csv (which is
//               byte-identical across --jobs and shards) and out of the byte-equality guarantee.
//
// runs.csv, summary.csv and tables/ depend only on the plan and the runs' results.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../io/atomic-write.js';
import { RunError } from './errors.js';
import { csvNumber, csvText, csvValue, formatNumber } from './format.js';
import type { Plan } from './plan.js';
import type { RunRecord } from './run-store.js';
import type { Study, SummaryRow } from './study.js';
import { studyData } from './study-data.js';

export const OUTPUT_FILES = {
  runs: 'runs.csv',
  summary: 'summary.csv',
  timing: 'timing.csv',
  tables: 'tables',
} as const;

function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([header as string[], ...(rows as string[][])], { record_delimiter: 'unix' });
}

function orderedRecords(plan: Plan, records: ReadonlyMap<string, RunRecord>): RunRecord[] {
  return plan.runs.map((run) => {
    const rec = records.get(run.key);
    if (rec === undefined)
      throw new RunError(`run ${run.key} (point ${run.point}, replication ${run.replication}) is missing`);
    return rec;
  });
}

export function runsCsv(study: Study, plan: Plan, records: ReadonlyMap<string, RunRecord>): string {
  const params = Object.keys(study.params);
  const measures = Object.keys(study.measures);
  const header = ['point', ...params, 'replication', 'seed', ...measures, 'events'];
  const rows = orderedRecords(plan, records).map((r) => [
    formatNumber(r.point),
    ...params.map((p) => csvValue(r.params[p] ?? '')),
    formatNumber(r.replication),
    csvText(r.seed),
    ...measures.map((m) => csvNumber(r.measures[m] ?? NaN)),
    csvNumber(r.events),
  ]);
  return csv(header, rows);
}

export function summaryCsv(study: Study, summary: readonly SummaryRow[]): string {
  const params = Object.keys(study.params);
  const header = ['point', ...params, 'measure', 'unit', 'n', 'mean', 'sd', 'ciHalfWidth', 'ciLo', 'ciHi'];
  const rows = summary.map((s) => {
    // One value: a mean, but no sd or CI (empty, not 0). No value: everything empty, n = 0.
    const spread = s.n >= 2;
    return [
      formatNumber(s.point),
      ...params.map((p) => csvValue(s.params[p] ?? '')),
      s.measure,
      study.measures[s.measure]?.unit ?? '',
      formatNumber(s.n),
      s.n >= 1 ? csvNumber(s.mean) : '',
      spread ? csvNumber(s.sd) : '',
      spread ? csvNumber(s.halfWidth) : '',
      spread ? csvNumber(s.mean - s.halfWidth) : '',
      spread ? csvNumber(s.mean + s.halfWidth) : '',
    ];
  });
  return csv(header, rows);
}

/** tables/<name>.csv contents by table name (names in first-seen order). */
export function tablesCsv(study: Study, plan: Plan, records: ReadonlyMap<string, RunRecord>): Map<string, string> {
  const params = Object.keys(study.params);
  const recs = orderedRecords(plan, records);
  const names: string[] = [];
  for (const r of recs) for (const name of Object.keys(r.tables)) if (!names.includes(name)) names.push(name);
  const out = new Map<string, string>();
  for (const name of names) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new RunError(`table name '${name}' is not a safe file name`);
    const columns: string[] = [];
    for (const r of recs)
      for (const row of r.tables[name] ?? [])
        for (const c of Object.keys(row)) if (!columns.includes(c)) columns.push(c);
    const reserved = new Set(['point', 'replication', ...params]);
    const clash = columns.find((c) => reserved.has(c));
    if (clash !== undefined)
      throw new RunError(`table ${name}: column '${clash}' clashes with a parameter or point/replication column`);
    const header = ['point', ...params, 'replication', ...columns.map(csvText)];
    const rows: string[][] = [];
    for (const r of recs) {
      const prefix = [
        formatNumber(r.point),
        ...params.map((p) => csvValue(r.params[p] ?? '')),
        formatNumber(r.replication),
      ];
      for (const row of r.tables[name] ?? []) {
        rows.push([
          ...prefix,
          ...columns.map((c) => (Object.hasOwn(row, c) ? csvValue(row[c] as number | string) : '')),
        ]);
      }
    }
    out.set(name, csv(header, rows));
  }
  return out;
}

/** The study's sweep tables (Study.sweepTables) as CSV, by name; a name clashing with `runTables` is an error. */
export function sweepTablesCsv(
  study: Study,
  plan: Plan,
  records: ReadonlyMap<string, RunRecord>,
  runTables: ReadonlyMap<string, string>,
): Map<string, string> {
  const out = new Map<string, string>();
  if (study.sweepTables === undefined) return out;
  for (const [name, rows] of Object.entries(study.sweepTables(studyData(study, plan, records)))) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new RunError(`table name '${name}' is not a safe file name`);
    if (runTables.has(name)) throw new RunError(`sweep table ${name}: a run table has the same name`);
    const columns: string[] = [];
    for (const row of rows) for (const c of Object.keys(row)) if (!columns.includes(c)) columns.push(c);
    const body = rows.map((row) =>
      columns.map((c) => (Object.hasOwn(row, c) ? csvValue(row[c] as number | string) : '')),
    );
    out.set(name, csv(columns.map(csvText), body));
  }
  return out;
}

export function timingCsv(records: readonly RunRecord[]): string {
  const header = ['point', 'replication', 'seed', 'wallMs', 'events', 'eventsPerSecond'];
  const sorted = [...records].sort((a, b) => a.point - b.point || a.replication - b.replication);
  const rows = sorted.map((r) => [
    formatNumber(r.point),
    formatNumber(r.replication),
    csvText(r.seed),
    formatNumber(Math.round(r.wallMs * 1000) / 1000),
    formatNumber(r.events),
    formatNumber(r.wallMs > 0 ? Math.round((r.events / r.wallMs) * 1000) : 0),
  ]);
  return csv(header, rows);
}

/**
 * Files derived from the run files (everything but runs/): removed when a sweep starts executing runs
 * in a folder, so a folder never shows outputs that disagree with its runs (an interrupted sweep
 * leaves only runs/; a finished one rewrites them all).
 */
export const DERIVED_OUTPUTS = [
  'manifest.json',
  OUTPUT_FILES.runs,
  OUTPUT_FILES.summary,
  OUTPUT_FILES.timing,
  OUTPUT_FILES.tables,
  'charts',
  'report.html',
] as const;

export function removeDerivedOutputs(outDir: string): void {
  for (const name of DERIVED_OUTPUTS) rmSync(join(outDir, name), { recursive: true, force: true });
}

/** Writes runs.csv, summary.csv, tables/*.csv and timing.csv for a complete sweep. */
export function writeOutputs(
  outDir: string,
  study: Study,
  plan: Plan,
  records: ReadonlyMap<string, RunRecord>,
  summary: readonly SummaryRow[],
): void {
  const runs = runsCsv(study, plan, records);
  const summ = summaryCsv(study, summary);
  const tables = tablesCsv(study, plan, records);
  for (const [name, text] of sweepTablesCsv(study, plan, records, tables)) tables.set(name, text);
  const timing = timingCsv(orderedRecords(plan, records));
  writeFileAtomic(join(outDir, OUTPUT_FILES.runs), runs);
  writeFileAtomic(join(outDir, OUTPUT_FILES.summary), summ);
  const tablesDir = join(outDir, OUTPUT_FILES.tables);
  if (tables.size > 0) {
    mkdirSync(tablesDir, { recursive: true });
    for (const [name, text] of tables) writeFileAtomic(join(tablesDir, `${name}.csv`), text);
  }
  // Tables of an earlier sweep in this folder that this one does not produce.
  let existing: string[] = [];
  try {
    existing = readdirSync(tablesDir);
  } catch {
    // no tables folder
  }
  for (const f of existing)
    if (f.endsWith('.csv') && !tables.has(f.slice(0, -4))) rmSync(join(tablesDir, f), { force: true });
  writeFileAtomic(join(outDir, OUTPUT_FILES.timing), timing);
}

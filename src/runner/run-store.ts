// The run files of a results folder: DIR/runs/<point>-<replication>.json, one per finished run,
// written atomically when the run finishes. A run file holds everything the outputs are built from:
//
//   { "format": "hvsim-run/1", "study", "point", "replication", "seed", "configHash",
//     "params": {name: value}, "measures": {name: number}, "events": simulated events,
//     "wallMs": wall-clock milliseconds of the run in its worker, "tables": {name: [row, …]},
//     "finishedAt": ISO time, "resultHash" }
//
// resultHash = SHA-256 of (configHash, study, point, replication, seed, params, measures, events,
// tables): what the outputs are built from. A file is reused (resume) or accepted (merge, report) only
// if its configHash equals the plan's, its study, point, replication, seed and params are those of
// the planned run, and its resultHash matches its content, so parameters or table text edited in a
// run file (or a file copied from another sweep) are caught. wallMs and finishedAt are not covered.
// Non-finite numbers are encoded as {"nonFinite": "NaN"} (see format.ts). A file that does not parse,
// has the wrong shape, or whose configHash differs from the plan's is not reused (the run is done again
// and the file replaced).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { decodeNumber, decodeRecord, encodeNumber, encodeRecord } from './format.js';
import { canonicalJson, hashOf } from './hash.js';
import type { Plan, PlannedRun } from './plan.js';
import type { Params, TableRow } from './study.js';

export const RUN_FORMAT = 'hvsim-run/1';
export const RUNS_DIR = 'runs';

export interface RunRecord {
  readonly study: string;
  readonly point: number;
  readonly replication: number;
  readonly seed: string;
  readonly configHash: string;
  readonly params: Params;
  readonly measures: Readonly<Record<string, number>>;
  readonly events: number;
  readonly wallMs: number;
  readonly tables: Readonly<Record<string, readonly TableRow[]>>;
  readonly finishedAt: string;
}

export function runsDir(outDir: string): string {
  return join(outDir, RUNS_DIR);
}

export function runFilePath(outDir: string, key: string): string {
  return join(outDir, RUNS_DIR, `${key}.json`);
}

function encodedTables(rec: Pick<RunRecord, 'tables'>): Record<string, unknown[]> {
  const tables: Record<string, unknown[]> = {};
  for (const [name, rows] of Object.entries(rec.tables)) tables[name] = rows.map((r) => encodeRecord(r));
  return tables;
}

/** The hash over what a run's outputs are built from (see above). */
export function resultHashOf(rec: Omit<RunRecord, 'wallMs' | 'finishedAt'>): string {
  return hashOf({
    format: 'hvsim-run-result/1',
    configHash: rec.configHash,
    study: rec.study,
    point: rec.point,
    replication: rec.replication,
    seed: rec.seed,
    params: rec.params,
    measures: encodeRecord(rec.measures),
    events: encodeNumber(rec.events),
    tables: encodedTables(rec),
  });
}

export function serializeRun(rec: RunRecord): string {
  const tables = encodedTables(rec);
  return `${JSON.stringify(
    {
      format: RUN_FORMAT,
      study: rec.study,
      point: rec.point,
      replication: rec.replication,
      seed: rec.seed,
      configHash: rec.configHash,
      params: rec.params,
      measures: encodeRecord(rec.measures),
      events: encodeNumber(rec.events),
      wallMs: rec.wallMs,
      tables,
      finishedAt: rec.finishedAt,
      resultHash: resultHashOf(rec),
    },
    null,
    1,
  )}\n`;
}

export function writeRun(outDir: string, rec: RunRecord, key: string): void {
  mkdirSync(runsDir(outDir), { recursive: true });
  writeFileAtomic(runFilePath(outDir, key), serializeRun(rec));
}

function isParams(x: unknown): x is Params {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  return Object.values(x).every((v) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean');
}

/** Parses a run file's text; null if it is not a well-formed run file. */
export function parseRun(text: string): RunRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  if (o.format !== RUN_FORMAT) return null;
  const { study, point, replication, seed, configHash, params, wallMs, finishedAt } = o;
  if (typeof study !== 'string' || typeof seed !== 'string' || typeof configHash !== 'string') return null;
  if (typeof point !== 'number' || typeof replication !== 'number' || typeof wallMs !== 'number') return null;
  if (typeof finishedAt !== 'string' || !isParams(params)) return null;
  const events = decodeNumber(o.events);
  const measuresRaw = decodeRecord(o.measures);
  if (events === null || measuresRaw === null) return null;
  const measures: Record<string, number> = {};
  for (const [k, v] of Object.entries(measuresRaw)) {
    if (typeof v !== 'number') return null;
    measures[k] = v;
  }
  const tables: Record<string, TableRow[]> = {};
  if (o.tables !== null && typeof o.tables === 'object' && !Array.isArray(o.tables)) {
    for (const [name, rows] of Object.entries(o.tables)) {
      if (!Array.isArray(rows)) return null;
      const decoded: TableRow[] = [];
      for (const row of rows) {
        const r = decodeRecord(row);
        if (r === null) return null;
        decoded.push(r);
      }
      tables[name] = decoded;
    }
  } else return null;
  const rec: RunRecord = {
    study,
    point,
    replication,
    seed,
    configHash,
    params,
    measures,
    events,
    wallMs,
    tables,
    finishedAt,
  };
  if (o.resultHash !== resultHashOf(rec)) return null;
  return rec;
}

/** Why a stored run cannot be used for a planned run ("missing", "not a valid run file", …). */
export type RunProblem = string;

/** Reads the run file of `run` and checks it against the plan: the record, or the problem. */
export function checkedRun(outDir: string, plan: Plan, run: PlannedRun): RunRecord | RunProblem {
  let text: string;
  try {
    text = readFileSync(runFilePath(outDir, run.key), 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'cannot be read';
  }
  const rec = parseRun(text);
  if (rec === null) return 'not a valid run file (truncated, edited, or its resultHash does not match its content)';
  if (rec.configHash !== run.configHash) return 'made with another configuration (configHash differs from the plan)';
  if (rec.study !== plan.study) return `made by study ${rec.study}, not ${plan.study}`;
  if (rec.point !== run.point || rec.replication !== run.replication)
    return `holds point ${rec.point} replication ${rec.replication}`;
  if (rec.seed !== run.seed) return 'seed differs from the plan';
  const point = plan.points[run.point];
  if (point === undefined || canonicalJson(rec.params) !== canonicalJson(point.params))
    return "params differ from the plan's point";
  return rec;
}

/** A stored run that matches its planned run (see checkedRun); null otherwise. */
export function matchingRun(outDir: string, plan: Plan, run: PlannedRun): RunRecord | null {
  const r = checkedRun(outDir, plan, run);
  return typeof r === 'string' ? null : r;
}

// The run files of a results folder: DIR/runs/<point>-<replication>.json, one per finished run,
// written atomically when the run finishes. A run file holds everything the outputs are built from:
//
//   { "format": "hvsim-run/1", "study", "point", "replication", "seed", "configHash",
//     "params": {name: value}, "measures": {name: number}, "events": simulated events,
//     "wallMs": wall-clock milliseconds of the run in its worker, "tables": {name: [row, …]},
//     "finishedAt": ISO time }
//
// Non-finite numbers are encoded as {"nonFinite": "NaN"} (see format.ts). A file that does not parse,
// has the wrong shape, or whose configHash differs from the plan's is not reused (the run is done again
// and the file replaced).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { decodeNumber, decodeRecord, encodeNumber, encodeRecord } from './format.js';
import type { PlannedRun } from './plan.js';
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

export function serializeRun(rec: RunRecord): string {
  const tables: Record<string, unknown[]> = {};
  for (const [name, rows] of Object.entries(rec.tables)) tables[name] = rows.map((r) => encodeRecord(r));
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
  return { study, point, replication, seed, configHash, params, measures, events, wallMs, tables, finishedAt };
}

/** Reads the run file of `key`; null when absent or malformed. */
export function readRun(outDir: string, key: string): RunRecord | null {
  let text: string;
  try {
    text = readFileSync(runFilePath(outDir, key), 'utf8');
  } catch {
    return null;
  }
  return parseRun(text);
}

/** A stored run that matches its planned run (same configuration hash, point and replication). */
export function matchingRun(outDir: string, run: PlannedRun): RunRecord | null {
  const rec = readRun(outDir, run.key);
  if (rec === null) return null;
  if (rec.configHash !== run.configHash || rec.point !== run.point || rec.replication !== run.replication) return null;
  return rec;
}

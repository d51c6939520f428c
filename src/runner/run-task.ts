// One run, as executed inside a worker thread (or in-process by tests): looks the study up, calls
// study.run(params, ctx), checks the result against the study's declared measures, and measures the
// run's wall-clock time (runner bookkeeping only; model code never sees wall time).
import { performance } from 'node:perf_hooks';
import type { Params, RunResult, Study, TableRow } from './study.js';

/** What the main thread sends to a worker: everything a run depends on, by value. */
export interface RunTask {
  readonly study: string;
  /** URL of the study registry module the worker loads the study from (see StudyRegistryModule). */
  readonly registry: string;
  readonly params: Params;
  readonly seed: string;
  readonly replication: number;
  readonly quick: boolean;
}

/** What comes back. */
export interface RunOutcome {
  readonly measures: Record<string, number>;
  readonly events: number;
  readonly tables: Record<string, TableRow[]>;
  /** Wall-clock milliseconds spent in study.run. */
  readonly wallMs: number;
}

/** Throws an Error naming the study and what is wrong with the result. */
export function checkResult(study: Study, result: RunResult): void {
  const where = `study ${study.name}: run() result`;
  if (result === null || typeof result !== 'object') throw new Error(`${where} is not an object`);
  for (const m of Object.keys(study.measures)) {
    const v = result.measures[m];
    if (typeof v !== 'number') throw new Error(`${where} has no number for declared measure '${m}'`);
  }
  for (const m of Object.keys(result.measures)) {
    if (!Object.hasOwn(study.measures, m)) throw new Error(`${where} reports undeclared measure '${m}'`);
  }
  if (typeof result.events !== 'number' || !(result.events >= 0))
    throw new Error(`${where}: events must be a number >= 0`);
}

export function executeRun(study: Study, task: Omit<RunTask, 'registry'>): RunOutcome {
  const problem = study.check?.(task.params);
  if (problem !== undefined) throw new Error(`study ${study.name}: ${problem}`);
  const t0 = performance.now();
  const result = study.run({ ...task.params }, { seed: task.seed, replication: task.replication, quick: task.quick });
  const wallMs = performance.now() - t0;
  checkResult(study, result);
  const tables: Record<string, TableRow[]> = {};
  for (const [name, rows] of Object.entries(result.tables ?? {})) tables[name] = rows.map((r) => ({ ...r }));
  const measures: Record<string, number> = {};
  for (const m of Object.keys(study.measures)) measures[m] = result.measures[m] as number;
  return { measures, events: result.events, tables, wallMs };
}

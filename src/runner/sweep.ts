// Executes a plan into a results folder: resume scan, parallel runs in piscina worker threads,
// atomic run files, progress, clean stop on SIGINT/SIGTERM, and — when the folder holds every run of
// the plan — the CSV outputs and the manifest.
//
// Sequence:
//  1. create DIR, take DIR/.hvsim.lock, check that DIR is new, empty or an hvsim results folder of the
//     same configuration (out-dir.ts; otherwise exit 2 with nothing touched, unless `force` replaces
//     the run files of another configuration), write the marker, create DIR/runs, delete temporary
//     files left by killed writers;
//  2. for every run of this shard: reuse DIR/runs/<point>-<rep>.json if its configuration hash matches
//     the plan, else schedule it;
//  3. if any run is scheduled, remove the outputs derived from an earlier state of the folder
//     (manifest, CSVs, charts, report: see outputs.ts), then run the scheduled runs on `jobs` worker
//     threads (at most `jobs` in flight); each result is written to its run file atomically as soon
//     as it arrives, in whatever order runs finish;
//  4. SIGINT/SIGTERM: stop dispatching, abort the runs in flight (their threads are terminated; a run
//     that had not finished leaves no file), keep every finished run, exit code 130/143. A second
//     signal exits at once. A run that throws: let the others in flight finish, keep them, exit 1;
//  5. unsharded (or 1/1): runs.csv, summary.csv, tables/, timing.csv, manifest.json (status
//     "complete"); a shard i/n with n > 1: manifest.json with status "shard" (join shards with merge).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { removeTempFiles } from '../io/atomic-write.js';
import { ExitCode, messageOf, UsageError } from './errors.js';
import { DirLock } from './lock.js';
import {
  ManifestStatus,
  planSection,
  platformString,
  writeManifest,
  type Manifest,
  type ManifestTotals,
} from './manifest.js';
import { OUTPUT_FILES, removeDerivedOutputs, writeOutputs } from './outputs.js';
import { folderState, identityDifference, planIdentity, removeRunFiles, writeMarker } from './out-dir.js';
import type { Plan, PlannedRun, Shard } from './plan.js';
import { shardRuns } from './plan.js';
import { Progress, type ProgressMode } from './progress.js';
import type { RunOutcome, RunTask } from './run-task.js';
import { matchingRun, runFilePath, runsDir, writeRun, type RunRecord } from './run-store.js';
import type { Params, Study, StudyData } from './study.js';
import { studyData } from './study-data.js';
import { gitCommit } from './version.js';

export const SweepStatus = {
  complete: 'complete',
  shard: 'shard',
  interrupted: 'interrupted',
  failed: 'failed',
} as const;
export type SweepStatus = (typeof SweepStatus)[keyof typeof SweepStatus];

export interface SweepOptions {
  readonly study: Study;
  readonly plan: Plan;
  readonly baseParams: Params;
  readonly shard?: Shard;
  readonly jobs: number;
  readonly outDir: string;
  readonly progress: ProgressMode;
  /** argv after the script, for the manifest. */
  readonly command: readonly string[];
  /** Where messages go (stderr). */
  readonly log: (line: string) => void;
  /**
   * URL of the study registry module the worker threads load `study` from: a module whose `studies`
   * export holds it (StudyRegistryModule in study.ts). The CLI passes experiments/index.js.
   */
  readonly registry: string;
  /** The compiled worker module (default: worker.js next to this module). */
  readonly workerFile?: string;
  /** Replace the results of another configuration found in outDir (--force). */
  readonly force?: boolean;
  /** The sweep file the plan came from (hvsim run <file>), recorded in the manifest. */
  readonly sweepFile?: Manifest['sweepFile'];
}

/**
 * Makes sure hvsim may write outDir for this plan (called under the folder's lock, before anything is
 * written): UsageError if the folder is not hvsim's, or holds another configuration and `force` is
 * not set. With `force`, the other configuration's run files and outputs are removed.
 */
export function claimFolder(outDir: string, plan: Plan, force: boolean, log: (line: string) => void): void {
  const state = folderState(outDir);
  if (state.kind === 'foreign') throw new UsageError(`--out ${outDir}: ${state.why}; give a new or empty folder`);
  const want = planIdentity(plan);
  if (state.kind === 'owned' && state.identity !== null) {
    const diff = identityDifference(state.identity, want);
    if (diff !== null) {
      if (!force) {
        throw new UsageError(
          `--out ${outDir}: holds results of another configuration (${diff}); use --force to replace them, or another --out`,
        );
      }
      removeDerivedOutputs(outDir);
      const n = removeRunFiles(outDir);
      log(`hvsim: --force: removed ${n} run files of another configuration from ${outDir} (${diff})`);
    }
  }
  writeMarker(outDir, want);
}

export interface SweepOutcome {
  readonly status: SweepStatus;
  readonly exitCode: ExitCode;
  /** Runs in this invocation's scope (the shard, or all). */
  readonly total: number;
  readonly executed: number;
  readonly reused: number;
  readonly manifest?: Manifest;
  readonly data?: StudyData;
}

/** Heap limit of each worker thread, MiB (documented maximum memory per run). */
export const WORKER_HEAP_MB = 2048;

function threadsText(n: number): string {
  return n === 1 ? '1 thread' : `${n} threads`;
}

function defaultWorkerFile(): string {
  return new URL('./worker.js', import.meta.url).href;
}

export async function runSweep(opts: SweepOptions): Promise<SweepOutcome> {
  const { study, plan, outDir, log } = opts;
  const startedAt = new Date();
  mkdirSync(outDir, { recursive: true });
  const lock = DirLock.acquire(outDir);
  try {
    claimFolder(outDir, plan, opts.force ?? false, log);
    mkdirSync(runsDir(outDir), { recursive: true });
    removeTempFiles([outDir, runsDir(outDir), join(outDir, OUTPUT_FILES.tables)]);
    const scope = shardRuns(plan.runs, opts.shard);
    const records = new Map<string, RunRecord>();
    const pending: PlannedRun[] = [];
    let replaced = 0;
    for (const run of scope) {
      const rec = matchingRun(outDir, plan, run);
      if (rec !== null) records.set(run.key, rec);
      else {
        pending.push(run);
        if (existsSync(runFilePath(outDir, run.key))) replaced++;
      }
    }
    const reused = records.size;
    if (replaced > 0) {
      log(
        `hvsim: ${replaced} run files in ${runsDir(outDir)} are from another configuration (or damaged) and will be replaced`,
      );
    }
    const shardText = opts.shard && opts.shard.count > 1 ? `, shard ${opts.shard.index}/${opts.shard.count}` : '';
    const todo =
      pending.length === 0
        ? 'nothing to run'
        : `${pending.length} to run on ${threadsText(Math.min(opts.jobs, pending.length))}`;
    log(
      `hvsim: ${study.name}: ${plan.points.length} points × ${plan.replications} replications${shardText}: ` +
        `${scope.length} runs, ${reused} already done, ${todo}; output ${outDir}`,
    );

    if (pending.length > 0) removeDerivedOutputs(outDir);
    const result = await executePending(opts, pending, records);
    const executed = records.size - reused;
    if (result.stoppedBy !== null || result.failure !== null) {
      const kept = `${records.size}/${scope.length} runs kept in ${runsDir(outDir)}`;
      if (result.failure !== null) {
        log(`hvsim: ${result.failure}`);
        log(`hvsim: stopped; ${kept}; fix the problem and run the same command again to resume`);
        return { status: SweepStatus.failed, exitCode: ExitCode.failure, total: scope.length, executed, reused };
      }
      log(`hvsim: interrupted by ${result.stoppedBy}; ${kept}; run the same command again to resume`);
      return {
        status: SweepStatus.interrupted,
        exitCode: result.stoppedBy === 'SIGTERM' ? ExitCode.sigterm : ExitCode.sigint,
        total: scope.length,
        executed,
        reused,
      };
    }

    let events = 0;
    let runWallMs = 0;
    for (const r of records.values()) {
      events += r.events;
      runWallMs += r.wallMs;
    }
    const finishedAt = new Date();
    const totals: ManifestTotals = {
      runs: scope.length,
      executed,
      reused,
      events,
      runWallMs: Math.round(runWallMs),
      elapsedMs: finishedAt.getTime() - startedAt.getTime(),
    };
    const sharded = opts.shard !== undefined && opts.shard.count > 1;
    const manifest: Manifest = {
      format: 'hvsim-manifest/1',
      status: sharded ? ManifestStatus.shard : ManifestStatus.complete,
      gitCommit: gitCommit(),
      node: process.version,
      platform: platformString(),
      command: opts.command,
      description: study.description,
      shard: sharded && opts.shard ? opts.shard : null,
      jobs: opts.jobs,
      baseParams: opts.baseParams,
      ...planSection(plan),
      totals,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      ...(opts.sweepFile !== undefined ? { sweepFile: opts.sweepFile } : {}),
    };
    if (sharded) {
      writeManifest(outDir, manifest);
      return { status: SweepStatus.shard, exitCode: ExitCode.ok, total: scope.length, executed, reused, manifest };
    }
    const data = studyData(study, plan, records);
    writeOutputs(outDir, study, plan, records, data.summary);
    writeManifest(outDir, manifest);
    return {
      status: SweepStatus.complete,
      exitCode: ExitCode.ok,
      total: scope.length,
      executed,
      reused,
      manifest,
      data,
    };
  } finally {
    lock.release();
  }
}

interface ExecuteResult {
  readonly stoppedBy: 'SIGINT' | 'SIGTERM' | null;
  readonly failure: string | null;
}

async function executePending(
  opts: SweepOptions,
  pending: readonly PlannedRun[],
  records: Map<string, RunRecord>,
): Promise<ExecuteResult> {
  if (pending.length === 0) return { stoppedBy: null, failure: null };
  const { study, plan, outDir } = opts;
  const threads = Math.max(1, Math.min(opts.jobs, pending.length));
  const pool = new Piscina<RunTask, RunOutcome>({
    filename: opts.workerFile ?? defaultWorkerFile(),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    // Bounded memory per worker: a run that outgrows it fails (ERR_WORKER_OUT_OF_MEMORY, reported as
    // that run's failure) instead of taking the machine down with it.
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  const progress = new Progress({ mode: opts.progress, label: `hvsim: ${study.name}`, total: pending.length });
  const controller = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | null = null;
  let failure: string | null = null;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (stoppedBy !== null) {
      // Second signal: leave at once (finished runs are already on disk; no file is half-written).
      process.exit(signal === 'SIGTERM' ? ExitCode.sigterm : ExitCode.sigint);
    }
    stoppedBy = signal;
    controller.abort();
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  progress.start();
  try {
    await new Promise<void>((resolveAll) => {
      let next = 0;
      let inFlight = 0;
      const launch = (): void => {
        while (stoppedBy === null && failure === null && inFlight < threads && next < pending.length) {
          const run = pending[next++] as PlannedRun;
          const point = plan.points[run.point];
          if (point === undefined) throw new Error(`plan has no point ${run.point}`);
          const task: RunTask = {
            study: study.name,
            registry: opts.registry,
            params: point.params,
            seed: run.seed,
            replication: run.replication,
            quick: plan.quick,
          };
          inFlight++;
          pool
            .run(task, { signal: controller.signal })
            .then(
              (outcome) => {
                const rec: RunRecord = {
                  study: study.name,
                  point: run.point,
                  replication: run.replication,
                  seed: run.seed,
                  configHash: run.configHash,
                  params: point.params,
                  measures: outcome.measures,
                  events: outcome.events,
                  wallMs: outcome.wallMs,
                  tables: outcome.tables,
                  finishedAt: new Date().toISOString(),
                };
                writeRun(outDir, rec, run.key);
                records.set(run.key, rec);
                progress.runFinished(outcome.events);
              },
              (err: unknown) => {
                if (stoppedBy === null && failure === null) {
                  failure = `run of point ${run.point} replication ${run.replication} (seed ${run.seed}) failed: ${messageOf(err)}`;
                }
              },
            )
            .catch((err: unknown) => {
              failure ??= `could not save run ${run.key}: ${messageOf(err)}`;
            })
            .finally(() => {
              inFlight--;
              launch();
            });
        }
        if (inFlight === 0) resolveAll();
      };
      launch();
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await pool.destroy();
  }
  return { stoppedBy, failure };
}

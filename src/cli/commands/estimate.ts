// `hvsim estimate <dir...> --shards N [--jobs J]`: how long a sweep takes on one machine versus N
// cluster tasks, from the wall time of each run the runner recorded (run files' wallMs, the column
// of timing.csv). The folders may hold the whole sweep or only part of it, e.g. one shard run as a
// sample (`hvsim run <study> --shard 1/20`): a run not measured counts as the mean of the measured
// runs of its point, or of all measured runs if its point has none.
//
// Model (the runner's dispatch): runs start in plan order, each on the first thread that is free
// (list scheduling), on J threads; one machine runs the whole plan, task i of N runs its shard (plan
// positions i-1, i-1+N, ...) on its own J threads, all tasks at once. Printed: total run time (the
// CPU-seconds of the sweep), one machine's makespan, the longest task's makespan and the speed-up.
// Not counted (assumption, to add by hand): process start-up (~1 s per task with Node.js), queue
// waits, and a cluster CPU's speed relative to the machine that measured the runs.
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../runner/errors.js';
import { readManifest } from '../../runner/manifest.js';
import { checkInputDir, findStudyOf, planFromManifest } from '../../runner/results.js';
import type { Plan, PlannedRun } from '../../runner/plan.js';
import { matchingRun } from '../../runner/run-store.js';
import { wrapText } from '../../charts/notes.js';
import { TERMINAL_WIDTH } from '../describe.js';
import type { Io } from '../io.js';
import { LIMITS, parseIntOption } from '../run-options.js';
import { findStudy } from '../studies.js';

/** Makespan of running `wallMs` in order, each on the first free of `threads` threads. */
export function listScheduleMs(wallMs: readonly number[], threads: number): number {
  const free = new Array<number>(Math.max(1, Math.min(threads, wallMs.length))).fill(0);
  for (const w of wallMs) {
    let at = 0;
    for (let t = 1; t < free.length; t++) if ((free[t] as number) < (free[at] as number)) at = t;
    free[at] = (free[at] as number) + w;
  }
  return Math.max(0, ...free);
}

/** Makespan of each of `shards` tasks (task i gets plan positions i-1, i-1+shards, ...). */
export function shardMakespansMs(wallMs: readonly number[], shards: number, threads: number): number[] {
  return Array.from({ length: shards }, (_, i) =>
    listScheduleMs(
      wallMs.filter((_, p) => p % shards === i),
      threads,
    ),
  );
}

export interface Estimate {
  readonly study: string;
  readonly runs: number;
  readonly measured: number;
  readonly totalMs: number;
  readonly oneMachineMs: number;
  readonly longestTaskMs: number;
}

/** Wall times of every planned run (imputed where not measured) from results folders of one sweep. */
export function sweepWallTimes(dirs: readonly string[]): { study: string; wallMs: number[]; measured: number } {
  if (dirs.length === 0) throw new UsageError('estimate: give at least one results folder');
  for (const d of dirs) checkInputDir(d, 'estimate:');
  const manifests = dirs.map((d) => {
    try {
      return readManifest(d);
    } catch (err) {
      throw new UsageError(`estimate: ${(err as Error).message}`);
    }
  });
  const first = manifests[0] as (typeof manifests)[number];
  manifests.forEach((m, i) => {
    if (m.planHash !== first.planHash)
      throw new UsageError(`estimate: ${dirs[i]} is from a different sweep than ${dirs[0]}; give folders of one sweep`);
  });
  const study = findStudyOf(first, findStudy, dirs[0] as string);
  const plan = planFromManifest(study, first, dirs[0] as string);
  const times = planWallTimes(plan, plan.runs, dirs);
  if (times.measured === 0) throw new UsageError(`estimate: ${dirs.join(', ')} hold no finished run of this sweep`);
  return { study: study.name, wallMs: [...times.wallMs], measured: times.measured };
}

/** What the results folders `dirs` hold of `runs` (runs of `plan`): each run's wall time, measured or imputed. */
export interface PlanWallTimes {
  /** Per run of `runs`, in order: its measured wall time, else its point's mean, else the mean of all measured. */
  readonly wallMs: readonly number[];
  /** Per run of `runs`: true when a finished run file of it (matching the plan) was found. */
  readonly finished: readonly boolean[];
  /** How many of `runs` were measured (0: wallMs is all NaN). */
  readonly measured: number;
}

/**
 * The wall times of `runs` (runs of `plan`) from the run files in `dirs` that match the plan (run-store.ts
 * matchingRun): measured where a run file exists, else the mean of the measured runs of the same point,
 * else the mean of all measured runs (NaN when none is measured). Used by `hvsim estimate` and by
 * `hvsim run --dry-run` on a folder that already holds runs of the sweep.
 */
export function planWallTimes(plan: Plan, runs: readonly PlannedRun[], dirs: readonly string[]): PlanWallTimes {
  const measuredMs: (number | null)[] = runs.map((run) => {
    for (const d of dirs) {
      const rec = matchingRun(d, plan, run);
      if (rec !== null) return rec.wallMs;
    }
    return null;
  });
  const known = measuredMs.filter((w): w is number => w !== null);
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const overall = known.length > 0 ? mean(known) : NaN;
  const byPoint = new Map<number, number[]>();
  runs.forEach((run, i) => {
    const w = measuredMs[i];
    if (w !== null && w !== undefined) byPoint.set(run.point, [...(byPoint.get(run.point) ?? []), w]);
  });
  const wallMs = runs.map((run, i) => {
    const w = measuredMs[i];
    if (w !== null && w !== undefined) return w;
    const same = byPoint.get(run.point);
    return same ? mean(same) : overall;
  });
  return { wallMs, finished: measuredMs.map((w) => w !== null), measured: known.length };
}

export function estimateSweep(dirs: readonly string[], shards: number, threads: number): Estimate {
  const { study, wallMs, measured } = sweepWallTimes(dirs);
  if (shards > wallMs.length)
    throw new UsageError(
      `--shards ${shards}: value out of range; this sweep has ${wallMs.length} runs, so --shards takes an integer in [1, ${wallMs.length}]`,
    );
  return {
    study,
    runs: wallMs.length,
    measured,
    totalMs: wallMs.reduce((a, b) => a + b, 0),
    oneMachineMs: listScheduleMs(wallMs, threads),
    longestTaskMs: Math.max(...shardMakespansMs(wallMs, shards, threads)),
  };
}

/** 950 ms → "0.95 s", 5400000 → "1 h 30 min". */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function registerEstimateCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('estimate')
    .description(
      'estimate how long a sweep takes on one machine versus N cluster tasks, from the run wall times in results folders of it ' +
        '(the whole sweep, or a sample such as one shard: unmeasured runs count as the mean of their point)',
    )
    .argument('<dir...>', 'results folders of one sweep (from hvsim run, with or without --shard, or hvsim merge)')
    .requiredOption('--shards <n>', 'number of cluster tasks (shards)')
    .option('--jobs <n>', 'worker threads per machine and per task (default 1)')
    .action((dirs: string[], opts: { shards: string; jobs?: string }) => {
      const shards = parseIntOption('--shards', opts.shards, 1, LIMITS.maxShards);
      const jobs = opts.jobs === undefined ? 1 : parseIntOption('--jobs', opts.jobs, 1, LIMITS.maxJobs);
      const e = estimateSweep(dirs, shards, jobs);
      const threads = `${jobs} thread${jobs === 1 ? '' : 's'}`;
      const head = `${e.study}: ${e.runs} runs, ${e.measured} measured; run time in all ${formatDuration(e.totalMs)}`;
      const unmeasured = e.measured < e.runs ? " (unmeasured runs at their point's mean)" : '';
      for (const line of wrapText(`${head}${unmeasured}`, TERMINAL_WIDTH, '    ', '')) io.out(line);
      io.out(`  one machine, ${threads}: ${formatDuration(e.oneMachineMs)}`);
      io.out(
        `  ${shards} task${shards === 1 ? '' : 's'}, ${threads} each: ${formatDuration(e.longestTaskMs)} (the longest task), ${(e.oneMachineMs / e.longestTaskMs).toFixed(1)}× faster`,
      );
      io.out('  not counted: start-up (~1 s per task), queue waits, CPU speed differences between machines');
      setExit(ExitCode.ok);
    });
}

// `hvsim run <study|suite> --dry-run`: the plan in words and an estimate of the time, in a few seconds
// whatever the study, with nothing written to disk. Every line fits TERMINAL_WIDTH (100) columns except
// a command to copy (not wrapped); parameter values carry their units (formatParamValue: 5 ms, not
// 5000000); a plan of more than MAX_LISTED_POINTS points shows its swept parameters with their value
// counts, the first points, "…" and the last ones.
//
// Where the estimate comes from, in this order:
//  (a) the results folder already holds finished runs of this plan (run files whose configuration
//      matches): their wall times (wallMs), the missing ones at their point's mean or the mean of all,
//      list-scheduled over the threads as `hvsim estimate` does (estimate.ts planWallTimes,
//      listScheduleMs); only the runs still to do count, since a run reuses the finished ones;
//  (b) else one run of point 0 in a worker thread (point-timer.ts) with a wall-clock budget (2 s per
//      study; a suite's studies share 10 s): finished, its time × every run, list-scheduled (other
//      points may cost more or less); not finished, a lower bound (budget × runs per thread) and the
//      commands that measure it properly (a shard as a sample, then `hvsim estimate`).
import { existsSync } from 'node:fs';
import { pointText } from '../runner/configure.js';
import { sweptParams } from '../runner/manifest.js';
import { shardRuns, type Plan, type Shard } from '../runner/plan.js';
import { runsDir } from '../runner/run-store.js';
import type { ParamValue, Params, Study } from '../runner/study.js';
import { wrapText } from '../charts/notes.js';
import { formatParamValue } from '../charts/units.js';
import { formatDuration, listScheduleMs, planWallTimes } from './commands/estimate.js';
import { TERMINAL_WIDTH, valueSet } from './describe.js';
import type { DryRunBudget, PointTimer } from './point-timer.js';

/** Plans with more points than this are summarised instead of listed point by point. */
export const MAX_LISTED_POINTS = 20;
/** A summarised plan shows this many first points and LAST_POINTS last ones. */
const FIRST_POINTS = 5;
const LAST_POINTS = 2;

/** An estimate, for a suite's total: known (about), a lower bound, or unknown. */
export type DryEstimate =
  | { readonly kind: 'about'; readonly ms: number }
  | { readonly kind: 'moreThan'; readonly ms: number }
  | { readonly kind: 'unknown' };

export interface DryRunInput {
  readonly study: Study;
  readonly plan: Plan;
  readonly baseParams: Params;
  readonly outDir: string;
  /** Worker threads a run would use (already capped at the cores). */
  readonly jobs: number;
  readonly shard?: Shard | undefined;
  /** The study registry module the timing thread loads the study from. */
  readonly registry: string;
  /** The `hvsim` arguments of the real run (without --dry-run and --shard), for the commands printed. */
  readonly runArgs: readonly string[];
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** Items joined by `sep` and a space after `first`, wrapped at `width`, an item never split; continuation lines `indent`. */
export function wrapItems(
  first: string,
  items: readonly string[],
  width = TERMINAL_WIDTH,
  indent = '  ',
  sep = ',',
): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item}${sep}` : item;
    const candidate = fresh ? `${line}${piece}` : `${line} ${piece}`;
    if (!fresh && [...candidate].length > width) {
      lines.push(line);
      line = `${indent}${piece}`;
    } else line = candidate;
    fresh = false;
  });
  lines.push(line);
  return lines;
}

/** Arguments as a shell command line: plain words as they are, others in single quotes. */
export function shellWords(args: readonly string[]): string {
  return args.map((a) => (/^[A-Za-z0-9_/.,=:+@%-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The plan in words: counts and folder, fixed parameters, then the points (or a summary of them). */
export function planLines(
  input: Pick<DryRunInput, 'study' | 'plan' | 'baseParams' | 'outDir' | 'shard'>,
  width = TERMINAL_WIDTH,
): string[] {
  const { study, plan, baseParams, outDir, shard } = input;
  const out: string[] = [];
  const counts =
    `${study.name}: ${plural(plan.points.length, 'point')} × ${plural(plan.replications, 'replication')} = ` +
    `${plural(plan.runs.length, 'run')}` +
    (shard !== undefined
      ? ` (shard ${shard.index}/${shard.count}: ${shardRuns(plan.runs, shard).length} of them)`
      : '') +
    `; output ${outDir}`;
  out.push(...wrapText(counts, width, '  ', ''));
  const swept = sweptParams(plan);
  const value = (k: string, v: ParamValue): string => formatParamValue(v, study.params[k]?.unit ?? '');
  const fixed = Object.entries(baseParams).filter(([k]) => !swept.includes(k));
  if (fixed.length > 0)
    out.push(
      ...wrapItems(
        'fixed: ',
        fixed.map(([k, v]) => `${k}=${value(k, v)}`),
        width,
      ),
    );
  const pointLine = (p: Plan['points'][number]): string[] => {
    const shown = Object.fromEntries(Object.entries(p.params).filter(([k]) => swept.includes(k)));
    if (swept.length === 0) return [`point ${p.index}: (all fixed)`];
    return wrapItems(`point ${p.index}: `, pointText(shown, study.params).split(', '), width, '    ');
  };
  if (plan.points.length <= MAX_LISTED_POINTS) {
    for (const p of plan.points) out.push(...pointLine(p));
    return out;
  }
  const axes = swept.map((k) => {
    const values: ParamValue[] = [];
    for (const p of plan.points) {
      const v = p.params[k];
      if (v !== undefined && !values.includes(v)) values.push(v);
    }
    return `${k}: ${plural(values.length, 'value')} ${valueSet(study, k, values, false)}`;
  });
  out.push(...wrapItems('swept: ', axes, width, '  ', ';'));
  for (const p of plan.points.slice(0, FIRST_POINTS)) out.push(...pointLine(p));
  out.push(`… ${plural(plan.points.length - FIRST_POINTS - LAST_POINTS, 'more point')} …`);
  for (const p of plan.points.slice(-LAST_POINTS)) out.push(...pointLine(p));
  return out;
}

const threadsText = (n: number): string => plural(n, 'thread');

/** (a): the estimate from finished runs of this plan in the results folder; undefined when it holds none. */
function fromStoredRuns(input: DryRunInput, width: number): { lines: string[]; estimate: DryEstimate } | undefined {
  const { plan, outDir, jobs, shard } = input;
  if (!existsSync(runsDir(outDir))) return undefined;
  const scope = shardRuns(plan.runs, shard);
  const t = planWallTimes(plan, scope, [outDir]);
  if (t.measured === 0) return undefined;
  const pending = t.wallMs.filter((_, i) => t.finished[i] !== true);
  if (pending.length === 0) {
    const total = t.wallMs.reduce((a, b) => a + b, 0);
    return {
      lines: wrapText(
        `estimated time: nothing left to run: all ${plural(scope.length, 'run')} are finished in ${outDir} ` +
          `(a run reuses them; they took ${formatDuration(total)} of run time)`,
        width,
        '  ',
        '',
      ),
      estimate: { kind: 'about', ms: 0 },
    };
  }
  const threads = Math.max(1, Math.min(jobs, pending.length));
  const ms = listScheduleMs(pending, threads);
  return {
    lines: wrapText(
      `estimated time: about ${formatDuration(ms)} on ${threadsText(threads)} for the ${plural(pending.length, 'run')} ` +
        `still to do, from the wall times of the ${t.measured} finished runs of this sweep in ${outDir} (a run ` +
        'reuses them; a run not measured counts as the mean of its point, or of all)',
      width,
      '  ',
      '',
    ),
    estimate: { kind: 'about', ms },
  };
}

/** The shard count K for a sample of the sweep (`--shard 1/K`): about two runs per thread, at least one. */
export function sampleShards(runs: number, jobs: number): number {
  return Math.max(1, Math.floor(runs / Math.max(2, jobs)));
}

/** The commands that measure the sweep properly: a shard as a sample, then `hvsim estimate`. */
function measureLines(input: DryRunInput, runs: number): string[] {
  const k = sampleShards(runs, input.jobs);
  if (k === 1)
    return [
      '  to know, run it (Ctrl-C keeps the finished runs; the same command resumes):',
      `    hvsim ${shellWords(input.runArgs)}`,
    ];
  return [
    `  to measure: run shard 1/${k} as a sample (a later full run reuses its runs), then estimate from it:`,
    `    hvsim ${shellWords([...input.runArgs, '--shard', `1/${k}`])}`,
    `    hvsim estimate ${shellWords([input.outDir])} --shards 1 --jobs ${input.jobs}`,
  ];
}

/**
 * The estimate lines of a dry run: from finished runs in the folder (a), else from a timing run of
 * point 0 in `timer`'s worker thread stopped after the budget's next share (b; 0: not timed).
 */
export async function estimateLines(
  input: DryRunInput,
  timer: PointTimer,
  budget: DryRunBudget,
  width = TERMINAL_WIDTH,
): Promise<{ lines: string[]; estimate: DryEstimate }> {
  const stored = fromStoredRuns(input, width);
  if (stored !== undefined) return stored;
  const { study, plan, jobs, shard } = input;
  const scope = shardRuns(plan.runs, shard);
  const run = scope[0];
  const point = run === undefined ? undefined : plan.points[run.point];
  if (run === undefined || point === undefined)
    return { lines: ['estimated time: nothing to run'], estimate: { kind: 'about', ms: 0 } };
  const threads = Math.max(1, Math.min(jobs, scope.length));
  const on = `on ${threadsText(threads)}`;
  const say = (text: string): string[] => wrapText(text, width, '  ', '');
  const budgetMs = budget.next();
  if (budgetMs <= 0)
    return {
      lines: [
        ...say("estimated time: not timed (the suite's budget for timing runs is spent)"),
        ...measureLines(input, scope.length),
      ],
      estimate: { kind: 'unknown' },
    };
  const timing = await timer.time(
    {
      study: study.name,
      registry: input.registry,
      params: point.params,
      seed: run.seed,
      replication: run.replication,
      quick: plan.quick,
    },
    budgetMs,
  );
  budget.spend(timing);
  const pointName = `point ${run.point}`;
  switch (timing.kind) {
    case 'finished': {
      const ms = listScheduleMs(new Array<number>(scope.length).fill(timing.wallMs), threads);
      return {
        lines: say(
          `estimated time: about ${formatDuration(ms)} ${on}: one run of ${pointName} took ` +
            `${formatDuration(timing.wallMs)} in a timing run` +
            (scope.length > 1 ? `, × ${plural(scope.length, 'run')} (other points may cost more or less)` : ''),
        ),
        estimate: { kind: 'about', ms },
      };
    }
    case 'overBudget': {
      const ms = listScheduleMs(new Array<number>(scope.length).fill(timing.budgetMs), threads);
      return {
        lines: [
          ...say(
            `estimated time: more than ${formatDuration(ms)} ${on}` +
              (scope.length > 1 ? ` if every run costs as much as ${pointName}, which` : `: ${pointName}`) +
              ` did not finish in ${formatDuration(timing.budgetMs)} (its timing run was stopped)`,
          ),
          ...measureLines(input, scope.length),
        ],
        estimate: { kind: 'moreThan', ms },
      };
    }
    case 'failed':
      return {
        lines: say(`estimated time: unknown: the timing run of ${pointName} failed: ${timing.message}`),
        estimate: { kind: 'unknown' },
      };
  }
}

/** The sum of a suite's member estimates, in words. */
export function totalText(estimates: readonly DryEstimate[]): string {
  const ms = estimates.reduce((s, e) => s + (e.kind === 'unknown' ? 0 : e.ms), 0);
  const lower = estimates.filter((e) => e.kind === 'moreThan').length;
  const unknown = estimates.filter((e) => e.kind === 'unknown').length;
  const notes = [
    ...(lower > 0 ? [`${plural(lower, 'study', 'studies')} at a lower bound`] : []),
    ...(unknown > 0 ? [`${plural(unknown, 'study', 'studies')} not estimated`] : []),
  ];
  return `${lower + unknown > 0 ? 'more than' : 'about'} ${formatDuration(ms)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** Prints a study's dry run (plan, then estimate) with `say`; returns the estimate. */
export async function printDryRun(
  input: DryRunInput,
  timer: PointTimer,
  budget: DryRunBudget,
  say: (line: string) => void,
): Promise<DryEstimate> {
  for (const line of planLines(input)) say(line);
  const { lines, estimate } = await estimateLines(input, timer, budget);
  for (const line of lines) say(line);
  return estimate;
}

/** The arguments of the real run: `argv` without --dry-run and --shard (or `fallback` when argv is empty). */
export function realRunArgs(argv: readonly string[], fallback: readonly string[]): string[] {
  if (argv.length === 0) return [...fallback];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--dry-run' || a.startsWith('--shard=')) continue;
    if (a === '--shard') {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

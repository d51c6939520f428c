// `hvsim run <study>`: validate every option, plan the sweep, execute it (resuming finished runs),
// then write charts and report.html, print the study's console table and where the results are.
// --dry-run stops after planning: it prints the points, the run count and a time estimate (from the
// finished runs in the folder, or from one run of point 0 stopped after 2 s; ../dry-run.ts). -q prints nothing but errors. --jobs above the available cores is capped (with a notice).
// `hvsim run <file.yaml|file.json>` reads a sweep file (runner/sweep-file.ts) instead: the same plan as
// the equivalent flags; flags given next to it override the file (--set/--grid key by key,
// --replications, --seed, --out; --quick turns quick on); the manifest records the file.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ExitCode, messageOf, UsageError } from '../../runner/errors.js';
import { configureSweep } from '../../runner/configure.js';
import { hashOf } from '../../runner/hash.js';
import { checkOutPath, checkWritableDir } from '../../runner/out-dir.js';
import type { ProgressMode } from '../../runner/progress.js';
import { writeStudyReport } from '../../runner/report.js';
import { runSweep, SweepStatus } from '../../runner/sweep.js';
import { isSweepFileArg, loadSweepFile, mergeOverrides, type SweepFile } from '../../runner/sweep-file.js';
import { rebuildIndexFor } from '../../runner/results-index.js';
import type { Io } from '../io.js';
import { parseRunOptions, type RawRunOptions } from '../run-options.js';
import { findStudy, requireStudy, STUDY_REGISTRY_URL } from '../studies.js';
import { printConsoleTable } from './print.js';
import { printDryRun, realRunArgs } from '../dry-run.js';
import { DryRunBudget, PointTimer, STUDY_BUDGET_MS } from '../point-timer.js';
import { findSuite, suites } from '../../../experiments/suites.js';
import { suiteCommand } from './suite.js';

export interface RunCommandOptions extends RawRunOptions {
  readonly out?: string;
  readonly quick: boolean;
  readonly report: boolean;
  readonly progress: ProgressMode;
  readonly quiet?: boolean;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  /** Suites only: publication fidelity (the studies' own defaults) instead of quick. */
  readonly full?: boolean;
}

const MAX_SLUG = 100;

/**
 * results/<study>[-quick], followed by "_<override>" for every --set, --grid, --replications and
 * --seed as typed (characters other than letters, digits and . , = + - become '-'); a name longer
 * than 100 characters is shortened to its first part and a hash of the rest. So a run with other
 * parameters never lands in (and is never refused by) the folder of the study's own sweep.
 */
export function defaultOutDir(study: string, quick: boolean, raw?: RawRunOptions): string {
  const parts: string[] = [];
  if (raw !== undefined) {
    parts.push(...raw.set, ...raw.grid);
    if (raw.replications !== undefined) parts.push(`replications=${raw.replications.trim()}`);
    if (raw.seed !== undefined) parts.push(`seed=${raw.seed.trim()}`);
  }
  let slug = parts.map((p) => `_${p.replace(/[^A-Za-z0-9.,=+-]/g, '-')}`).join('');
  if (slug.length > MAX_SLUG) slug = `${slug.slice(0, 60)}_${hashOf(parts).slice(0, 12)}`;
  return join('results', `${quick ? `${study}-quick` : study}${slug}`);
}

/** --jobs capped at the cores available here, with a notice when it was above. */
export function capJobs(jobs: number, note: (line: string) => void): number {
  const cores = availableParallelism();
  if (jobs <= cores) return jobs;
  note(`hvsim: --jobs ${jobs} is more than the ${cores} cores available here; using ${cores} worker threads`);
  return cores;
}

/** Default folder of a sweep file without `out`: results/<file name without extension>[-quick]. */
export function sweepFileOutDir(file: SweepFile, quick: boolean, raw: RawRunOptions): string {
  const stem = (file.path.split(/[\\/]/).pop() ?? file.path)
    .replace(/\.(ya?ml|json)$/i, '')
    .replace(/[^A-Za-z0-9.,=+-]/g, '-');
  return defaultOutDir(stem, quick, raw);
}

export async function runCommand(
  studyName: string,
  opts: RunCommandOptions,
  io: Io,
  argv: readonly string[],
): Promise<ExitCode> {
  const suite = isSweepFileArg(studyName) ? undefined : findSuite(studyName);
  if (suite !== undefined) return suiteCommand(suite, opts, io, argv);
  if (opts.full === true)
    throw new UsageError(
      `--full applies to a suite (${suites.map((s) => s.name).join(', ')}), not to study ${studyName}`,
    );
  const say = opts.quiet === true ? (): void => undefined : io.out;
  const note = opts.quiet === true ? (): void => undefined : io.err;
  // Validation first: nothing is created until every input has been checked.
  const file = isSweepFileArg(studyName) ? loadSweepFile(studyName, findStudy) : undefined;
  const study = file !== undefined ? requireStudy(file.study.name) : requireStudy(studyName, true);
  if (opts.out !== undefined) checkOutPath(opts.out, '--out');
  const req = parseRunOptions(study, opts);
  const quick = opts.quick || file?.quick === true;
  const { plan, baseParams } = configureSweep(study, {
    quick,
    overrides: file !== undefined ? mergeOverrides(file.overrides, req.overrides) : req.overrides,
    replications: req.replications ?? file?.replications,
    masterSeed: req.masterSeed ?? file?.seed,
  });
  // --quick has its own default folder, so a smoke run never replaces the runs of a full sweep.
  const outDir =
    opts.out ??
    file?.out ??
    (file !== undefined ? sweepFileOutDir(file, quick, opts) : defaultOutDir(study.name, quick, opts));
  checkWritableDir(outDir, opts.out === undefined && file?.out !== undefined ? `${file.path}: out` : '--out');
  const jobs = capJobs(req.jobs, note);

  if (opts.dryRun === true) {
    const timer = new PointTimer();
    try {
      await printDryRun(
        {
          study,
          plan,
          baseParams,
          outDir,
          jobs,
          shard: req.shard,
          registry: STUDY_REGISTRY_URL,
          runArgs: realRunArgs(argv, ['run', studyName]),
        },
        timer,
        new DryRunBudget(1, STUDY_BUDGET_MS),
        say,
      );
    } finally {
      await timer.close();
    }
    return ExitCode.ok;
  }

  const outcome = await runSweep({
    study,
    registry: STUDY_REGISTRY_URL,
    plan,
    baseParams,
    shard: req.shard,
    jobs,
    outDir,
    progress: opts.progress,
    command: argv,
    log: note,
    force: opts.force === true,
    ...(file !== undefined ? { sweepFile: { path: file.path, sha256: file.sha256, content: file.content } } : {}),
  });
  if (outcome.status === SweepStatus.shard && req.shard) {
    say(
      `shard ${req.shard.index}/${req.shard.count} of ${study.name}: ${outcome.total} runs in ${outDir} (${outcome.executed} run now, ${outcome.reused} reused)`,
    );
    say(`join all shards with: hvsim merge <shard folders...> --out <folder>`);
    rebuildIndexFor(outDir, note);
    return outcome.exitCode;
  }
  if (outcome.status !== SweepStatus.complete || !outcome.data || !outcome.manifest) return outcome.exitCode;

  say(
    `${study.name}: ${outcome.total} runs (${outcome.executed} run now, ${outcome.reused} reused), results in ${outDir}`,
  );
  if (opts.quiet !== true) printConsoleTable(study, outcome.data, io);
  if (opts.report) {
    try {
      const path = await writeStudyReport(outDir, study, outcome.data, outcome.manifest);
      say(`report: ${path}`);
    } catch (err) {
      io.err(`hvsim: charts/report failed (the CSV results are complete): ${messageOf(err)}`);
      return ExitCode.failure;
    }
  }
  rebuildIndexFor(outDir, note);
  return ExitCode.ok;
}

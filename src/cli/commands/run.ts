// `hvsim run <study>`: validate every option, plan the sweep, execute it (resuming finished runs),
// then write charts and report.html, print the study's console table and where the results are.
import { join } from 'node:path';
import { ExitCode, messageOf } from '../../runner/errors.js';
import { configureSweep } from '../../runner/configure.js';
import { checkWritableDir } from '../../runner/out-dir.js';
import type { ProgressMode } from '../../runner/progress.js';
import { writeStudyReport } from '../../runner/report.js';
import { runSweep, SweepStatus } from '../../runner/sweep.js';
import type { Io } from '../io.js';
import { parseRunOptions, type RawRunOptions } from '../run-options.js';
import { requireStudy, STUDY_REGISTRY_URL } from '../studies.js';
import { printConsoleTable } from './print.js';

export interface RunCommandOptions extends RawRunOptions {
  readonly out?: string;
  readonly quick: boolean;
  readonly report: boolean;
  readonly progress: ProgressMode;
}

export function defaultOutDir(study: string, quick: boolean): string {
  return join('results', quick ? `${study}-quick` : study);
}

export async function runCommand(studyName: string, opts: RunCommandOptions, io: Io, argv: readonly string[]): Promise<ExitCode> {
  // Validation first: nothing is created until every input has been checked.
  const study = requireStudy(studyName);
  const req = parseRunOptions(study, opts);
  const { plan, baseParams } = configureSweep(study, {
    quick: opts.quick,
    overrides: req.overrides,
    replications: req.replications,
    masterSeed: req.masterSeed,
  });
  // --quick has its own default folder, so a smoke run never replaces the runs of a full sweep.
  const outDir = opts.out ?? defaultOutDir(study.name, opts.quick);
  checkWritableDir(outDir, '--out');

  const outcome = await runSweep({
    study,
    registry: STUDY_REGISTRY_URL,
    plan,
    baseParams,
    shard: req.shard,
    jobs: req.jobs,
    outDir,
    progress: opts.progress,
    command: argv,
    log: io.err,
  });
  if (outcome.status === SweepStatus.shard && req.shard) {
    io.out(`shard ${req.shard.index}/${req.shard.count} of ${study.name}: ${outcome.total} runs in ${outDir} (${outcome.executed} run now, ${outcome.reused} reused)`);
    io.out(`join all shards with: hvsim merge <shard folders...> --out <folder>`);
    return outcome.exitCode;
  }
  if (outcome.status !== SweepStatus.complete || !outcome.data || !outcome.manifest) return outcome.exitCode;

  io.out(`${study.name}: ${outcome.total} runs (${outcome.executed} run now, ${outcome.reused} reused), results in ${outDir}`);
  printConsoleTable(study, outcome.data, io);
  if (opts.report) {
    try {
      const path = await writeStudyReport(outDir, study, outcome.data, outcome.manifest);
      io.out(`report: ${path}`);
    } catch (err) {
      io.err(`hvsim: charts/report failed (the CSV results are complete): ${messageOf(err)}`);
      return ExitCode.failure;
    }
  }
  return ExitCode.ok;
}

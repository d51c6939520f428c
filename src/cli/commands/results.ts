// `hvsim merge`, `hvsim chart` and `hvsim report`: commands on existing results folders. A folder that
// is not a complete, valid hvsim results folder is bad input (exit 2, nothing written; results.ts).
// chart and report rebuild runs.csv and summary.csv from the run files when they differ (truncated or
// edited), with a notice.
import { ExitCode } from '../../runner/errors.js';
import { mergeResults } from '../../runner/merge.js';
import { writeStudyCharts, writeStudyReport } from '../../runner/report.js';
import { loadResults, repairCsvs, type LoadedResults } from '../../runner/results.js';
import { join } from 'node:path';
import { rebuildIndexFor } from '../../runner/results-index.js';
import type { Io } from '../io.js';
import { findStudy } from '../studies.js';
import { printConsoleTable } from './print.js';

export async function mergeCommand(
  dirs: readonly string[],
  opts: { out: string; report: boolean },
  io: Io,
  argv: readonly string[],
): Promise<ExitCode> {
  const { study, manifest, data } = mergeResults(dirs, opts.out, findStudy, argv);
  io.out(`merged ${dirs.length} folders: ${manifest.totals.runs} runs of ${study.name} in ${opts.out}`);
  printConsoleTable(study, data, io);
  if (opts.report) io.out(`report: ${await writeStudyReport(opts.out, study, data, manifest)}`);
  rebuildIndexFor(opts.out, io.err);
  return ExitCode.ok;
}

function repair(loaded: LoadedResults, io: Io): void {
  const fixed = repairCsvs(loaded);
  if (fixed.length > 0)
    io.err(`hvsim: ${fixed.join(' and ')} in ${loaded.dir} did not match its run files; rebuilt from runs/`);
}

export async function chartCommand(dir: string, io: Io): Promise<ExitCode> {
  const loaded = loadResults(dir, findStudy, 'chart:');
  repair(loaded, io);
  const charts = await writeStudyCharts(dir, loaded.study, loaded.data, loaded.manifest);
  for (const c of charts) io.out(join(dir, 'charts', `${c.id}.svg`));
  rebuildIndexFor(dir, io.err);
  return ExitCode.ok;
}

export async function reportCommand(dir: string, io: Io): Promise<ExitCode> {
  const loaded = loadResults(dir, findStudy, 'report:');
  repair(loaded, io);
  io.out(`report: ${await writeStudyReport(dir, loaded.study, loaded.data, loaded.manifest)}`);
  rebuildIndexFor(dir, io.err);
  return ExitCode.ok;
}

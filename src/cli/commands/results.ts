// `hvsim merge`, `hvsim chart` and `hvsim report`: commands on existing results folders.
import { ExitCode } from '../../runner/errors.js';
import { mergeResults } from '../../runner/merge.js';
import { writeStudyCharts, writeStudyReport } from '../../runner/report.js';
import { loadResults } from '../../runner/results.js';
import { join } from 'node:path';
import type { Io } from '../io.js';
import { findStudy } from '../studies.js';
import { printConsoleTable } from './print.js';

export async function mergeCommand(dirs: readonly string[], opts: { out: string; report: boolean }, io: Io, argv: readonly string[]): Promise<ExitCode> {
  const { study, manifest, data } = mergeResults(dirs, opts.out, findStudy, argv);
  io.out(`merged ${dirs.length} folders: ${manifest.totals.runs} runs of ${study.name} in ${opts.out}`);
  printConsoleTable(study, data, io);
  if (opts.report) io.out(`report: ${await writeStudyReport(opts.out, study, data, manifest)}`);
  return ExitCode.ok;
}

export async function chartCommand(dir: string, io: Io): Promise<ExitCode> {
  const { study, data, manifest } = loadResults(dir, findStudy, 'chart:');
  const charts = await writeStudyCharts(dir, study, data, manifest);
  for (const c of charts) io.out(join(dir, 'charts', `${c.id}.svg`));
  return ExitCode.ok;
}

export async function reportCommand(dir: string, io: Io): Promise<ExitCode> {
  const { study, data, manifest } = loadResults(dir, findStudy, 'report:');
  io.out(`report: ${await writeStudyReport(dir, study, data, manifest)}`);
  return ExitCode.ok;
}

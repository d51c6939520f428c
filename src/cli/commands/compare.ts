// `hvsim compare <dir...> --out <dir> [--measure m]... [--x param]`: overlays a measure from several
// results folders in one chart and one table (runner/compare.ts). Every folder and option is checked
// before anything is written (exit 2 and one line otherwise); results/index.html is rebuilt after.
import { ExitCode } from '../../runner/errors.js';
import {
  buildComparison,
  checkCompareOut,
  COMPARE_CSV,
  writeComparison,
  type AxisScale,
} from '../../runner/compare.js';
import { checkOutPath, checkWritableDir } from '../../runner/out-dir.js';
import { rebuildIndexFor } from '../../runner/results-index.js';
import { join } from 'node:path';
import type { Io } from '../io.js';
import { findStudy } from '../studies.js';

export interface CompareOptions {
  readonly out: string;
  readonly measure: readonly string[];
  readonly x?: string;
  readonly xScale: AxisScale;
  readonly yScale: AxisScale;
}

export async function compareCommand(
  dirs: readonly string[],
  opts: CompareOptions,
  io: Io,
  argv: readonly string[],
): Promise<ExitCode> {
  checkOutPath(opts.out, '--out');
  const comparison = buildComparison(
    { dirs, measures: opts.measure, x: opts.x, out: opts.out, xScale: opts.xScale, yScale: opts.yScale },
    findStudy,
  );
  checkWritableDir(opts.out, '--out');
  checkCompareOut(opts.out);
  const charts = await writeComparison(comparison, opts.out, argv);
  io.out(
    `compared ${comparison.measures.join(', ')} against ${comparison.x} in ${dirs.length} folders: ${comparison.labels.join(' | ')}`,
  );
  io.out(`table: ${join(opts.out, COMPARE_CSV)}`);
  for (const c of charts) io.out(`chart: ${c}`);
  rebuildIndexFor(opts.out, io.err);
  return ExitCode.ok;
}

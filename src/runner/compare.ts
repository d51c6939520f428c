// `hvsim compare <dirA> <dirB> …`: the same measure(s) from several finished results folders (e.g. two
// scheduler variants of one study) overlaid in one chart per measure and one table. Every folder is
// loaded and checked like `hvsim chart` does (results.ts: manifest, plan hash, every run file); a bad
// folder is a UsageError (exit 2, nothing written).
//
// Series: one per folder, labelled by the fixed parameters in which the folders differ
// ("scheduler=credit"), else by the folder path; when a folder sweeps other parameters besides the x
// parameter, each of their combinations is its own series ("scheduler=credit · cpuBound=4").
// x parameter: --x, else the first parameter swept in the first folder whose values are numbers
// (else its first swept parameter). Measures: --measure (repeatable), else the first measure of the
// first folder's study. Confidence intervals are the folders' own (Student-t 95 % over replications,
// summary.ts), never recomputed across folders.
//
// Output in --out (a new or empty folder, or one an earlier compare wrote):
//   compare.csv     series, folder, <x>, measure, unit, n, mean, sd, ci95Low, ci95High
//   compare.json    {format "hvsim-compare/1", sources, labels, measures, x, command}
//   charts/compare-<measure>.vl.json, .svg, .png   (Vega-Lite, schema-checked; src/charts/write.ts)
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../io/atomic-write.js';
import { UsageError } from './errors.js';
import { csvNumber, csvText, csvValue } from './format.js';
import { folderState, MARKER_FILE, MARKER_FORMAT } from './out-dir.js';
import { loadResults, type LoadedResults, type StudyLookup } from './results.js';
import { COMPARE_FILE } from './results-index.js';
import type { ChartSpec, ParamValue, SummaryRow } from './study.js';

export const COMPARE_FORMAT = 'hvsim-compare/1';
export const COMPARE_CSV = 'compare.csv';
/** The synthetic parameter holding the series label in the chart's rows. */
const SERIES = 'series';

export const AxisScale = { linear: 'linear', log: 'log' } as const;
export type AxisScale = (typeof AxisScale)[keyof typeof AxisScale];

export interface CompareRequest {
  readonly dirs: readonly string[];
  readonly measures: readonly string[];
  readonly x: string | undefined;
  readonly out: string;
  readonly xScale?: AxisScale;
  readonly yScale?: AxisScale;
}

export interface CompareRow {
  readonly series: string;
  readonly folder: string;
  readonly x: ParamValue;
  readonly row: SummaryRow;
  readonly unit: string;
}

export interface Comparison {
  readonly folders: readonly LoadedResults[];
  readonly labels: readonly string[];
  readonly measures: readonly string[];
  readonly x: string;
  readonly rows: readonly CompareRow[];
  readonly xScale: AxisScale;
  readonly yScale: AxisScale;
}

function text(v: ParamValue | undefined): string {
  return v === undefined ? '(absent)' : String(v);
}

/** One label per folder: the fixed parameters in which they differ, else the folder paths. */
export function folderLabels(folders: readonly LoadedResults[]): string[] {
  const names = [...new Set(folders.flatMap((f) => Object.keys(f.manifest.baseParams)))].filter(
    (k) => !folders.some((f) => f.manifest.sweptParams.includes(k)),
  );
  const differing = names.filter((k) =>
    folders.some((f) => text(f.manifest.baseParams[k]) !== text(folders[0]?.manifest.baseParams[k])),
  );
  const studies = new Set(folders.map((f) => f.study.name));
  const labels = folders.map((f) => {
    const parts = differing.map((k) => `${k}=${text(f.manifest.baseParams[k])}`);
    if (studies.size > 1) parts.unshift(f.study.name);
    return parts.join(', ');
  });
  const unique = new Set(labels).size === labels.length && labels.every((l) => l !== '');
  return unique ? labels : folders.map((f) => f.dir);
}

function chooseX(first: LoadedResults, requested: string | undefined): string {
  if (requested !== undefined) return requested;
  const swept = first.manifest.sweptParams;
  const numeric = swept.find((k) => first.manifest.points.every((p) => typeof p.params[k] === 'number'));
  const x = numeric ?? swept[0];
  if (x === undefined)
    throw new UsageError(`compare: ${first.dir} sweeps no parameter; give the x parameter with --x <parameter>`);
  return x;
}

/** Loads and checks every folder, then lines up the requested measures against x. */
export function buildComparison(req: CompareRequest, lookup: StudyLookup): Comparison {
  if (req.dirs.length < 2) throw new UsageError(`compare: give at least two results folders, got ${req.dirs.length}`);
  const seen = new Set<string>();
  for (const d of req.dirs) {
    if (seen.has(resolve(d))) throw new UsageError(`compare: ${d} is given twice`);
    seen.add(resolve(d));
  }
  if (seen.has(resolve(req.out)))
    throw new UsageError(`compare: --out ${req.out} is one of the folders compared; give another folder`);
  const folders = req.dirs.map((d) => loadResults(d, lookup, 'compare:'));
  const first = folders[0] as LoadedResults;
  const measures = req.measures.length > 0 ? [...new Set(req.measures)] : [Object.keys(first.study.measures)[0] ?? ''];
  for (const f of folders) {
    for (const m of measures) {
      if (!Object.hasOwn(f.study.measures, m)) {
        throw new UsageError(
          `compare: --measure ${m}: not a measure of study ${f.study.name} (${f.dir}); measures: ${Object.keys(f.study.measures).join(', ')}`,
        );
      }
    }
  }
  const x = chooseX(first, req.x);
  for (const f of folders) {
    if (!Object.hasOwn(f.study.params, x)) {
      throw new UsageError(
        `compare: --x ${x}: not a parameter of study ${f.study.name} (${f.dir}); parameters: ${Object.keys(f.study.params).join(', ')}`,
      );
    }
  }
  const labels = folderLabels(folders);
  const rows: CompareRow[] = [];
  folders.forEach((f, i) => {
    const others = f.manifest.sweptParams.filter((k) => k !== x);
    for (const m of measures) {
      for (const r of f.data.summary) {
        if (r.measure !== m) continue;
        const extra = others.map((k) => `${k}=${text(r.params[k])}`).join(' · ');
        const series = extra === '' ? (labels[i] ?? f.dir) : `${labels[i] ?? f.dir} · ${extra}`;
        rows.push({
          series,
          folder: f.dir,
          x: r.params[x] as ParamValue,
          row: r,
          unit: f.study.measures[m]?.unit ?? '',
        });
      }
    }
  });
  return {
    folders,
    labels,
    measures,
    x,
    rows,
    xScale: req.xScale ?? AxisScale.linear,
    yScale: req.yScale ?? AxisScale.linear,
  };
}

/** compare.csv: one row per series, x value and measure, in folder, measure and point order. */
export function compareCsv(c: Comparison): string {
  const header = [SERIES, 'folder', c.x, 'measure', 'unit', 'n', 'mean', 'sd', 'ci95Low', 'ci95High'];
  const body = c.rows.map((r) => {
    const ok = r.row.n >= 2 && Number.isFinite(r.row.halfWidth);
    return [
      csvText(r.series),
      csvText(r.folder),
      csvValue(r.x),
      r.row.measure,
      r.unit,
      String(r.row.n),
      r.row.n > 0 ? csvNumber(r.row.mean) : '',
      r.row.n >= 2 ? csvNumber(r.row.sd) : '',
      ok ? csvNumber(r.row.mean - r.row.halfWidth) : '',
      ok ? csvNumber(r.row.mean + r.row.halfWidth) : '',
    ];
  });
  return stringify([header, ...body], { record_delimiter: 'unix' });
}

/**
 * The chart of each measure: its mean and 95 % CI against x, one line per series. Data the chart
 * cannot show (a log axis with a value <= 0, a non-numeric x on a log axis) is a UsageError.
 */
export async function compareCharts(c: Comparison): Promise<ChartSpec[]> {
  const { measureVsParam } = await import('../charts/measureVsParam.js');
  const first = c.folders[0] as LoadedResults;
  const xSpec = first.study.params[c.x];
  const xUnit = xSpec?.unit ? ` (${xSpec.unit})` : '';
  return c.measures.map((m) => {
    const summary: SummaryRow[] = c.rows
      .filter((r) => r.row.measure === m)
      .map((r, i) => ({ ...r.row, point: i, params: { [c.x]: r.x, [SERIES]: r.series } }));
    const unit = c.rows.find((r) => r.row.measure === m)?.unit ?? '';
    try {
      return measureVsParam({
        xScale: c.xScale,
        yScale: c.yScale,
        id: `compare-${m}`.replace(/[^A-Za-z0-9._-]/g, '-'),
        title: `${m}: ${c.labels.join(' vs ')}`,
        summary,
        measure: m,
        x: c.x,
        color: SERIES,
        colorTitle: 'results',
        xTitle: `${c.x}${xUnit}`,
        yTitle: `${m}${unit ? ` (${unit})` : ''}, mean and 95% CI`,
      });
    } catch (err) {
      const why = (err instanceof Error ? err.message : String(err)).replace(/^measureVsParam\([^)]*\): /, '');
      throw new UsageError(`compare: cannot chart ${m} against ${c.x}: ${why}`);
    }
  });
}

/** --out of compare: new, empty, or written by an earlier compare; never a sweep's results folder. */
export function checkCompareOut(out: string): void {
  const state = folderState(out);
  if (state.kind === 'absent' || state.kind === 'empty') return;
  if (state.kind === 'foreign') throw new UsageError(`--out ${out}: ${state.why}; give a new or empty folder`);
  const marker = ((): unknown => {
    try {
      return JSON.parse(readFileSync(join(out, MARKER_FILE), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  })();
  const kind = marker !== null && typeof marker === 'object' ? (marker as Record<string, unknown>)['kind'] : undefined;
  if (kind !== 'compare')
    throw new UsageError(`--out ${out}: holds the results of a sweep; give a new folder for the comparison`);
}

/** Writes compare.csv, compare.json, the marker and the charts into out (after every check). */
export async function writeComparison(c: Comparison, out: string, command: readonly string[]): Promise<string[]> {
  const charts = await compareCharts(c);
  const { writeCharts, checkCharts } = await import('../charts/write.js');
  checkCharts(charts);
  mkdirSync(out, { recursive: true });
  writeFileAtomic(
    join(out, MARKER_FILE),
    `${JSON.stringify({ format: MARKER_FORMAT, note: 'written by hvsim compare', kind: 'compare' }, null, 2)}\n`,
  );
  rmSync(join(out, 'charts'), { recursive: true, force: true });
  await writeCharts(out, charts);
  writeFileAtomic(join(out, COMPARE_CSV), compareCsv(c));
  const meta = {
    format: COMPARE_FORMAT,
    sources: c.folders.map((f) => f.dir),
    labels: c.labels,
    studies: c.folders.map((f) => f.study.name),
    measures: c.measures,
    x: c.x,
    command,
  };
  writeFileAtomic(join(out, COMPARE_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  return charts.map((ch) => join(out, 'charts', `${ch.id}.svg`));
}

// Writing charts to disk: for each ChartSpec, <dir>/charts/<id>.vl.json (canonical JSON: sorted
// keys, 2-space indent), <id>.svg and <id>.png (PNG_SCALE x the SVG size). All specs are validated
// against the Vega-Lite schema and all files rendered in memory first, so invalid input writes
// nothing; each file is then replaced atomically. Same charts in, same bytes out. Charts of a --quick
// run get a subtitle line saying so (finalCharts), here rather than in each study.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChartSpec } from '../runner/study.js';
import { writeFileAtomicAsync as writeFileAtomic } from '../io/atomic-write.js';
import { canonicalJson } from './canonicalJson.js';
import { renderPng, renderSvg } from './render.js';
import { checkId, withQuickNote } from './specBase.js';
import { validateSpec } from './validate.js';

/** Name of the sub-folder of an output directory holding chart files. */
export const CHARTS_SUBDIR = 'charts';

/** Throws one error listing every problem (bad or duplicate ids, schema errors) of every chart. */
export function checkCharts(charts: readonly ChartSpec[]): void {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const chart of charts) {
    try {
      checkId('writeCharts', chart.id);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
    if (ids.has(chart.id)) problems.push(`chart id ${JSON.stringify(chart.id)} is used twice`);
    ids.add(chart.id);
    for (const e of validateSpec(chart.spec)) problems.push(`chart ${JSON.stringify(chart.id)}: ${e}`);
  }
  if (problems.length > 0) {
    throw new Error(`invalid chart spec(s), nothing written:\n  ${problems.join('\n  ')}`);
  }
}

/** How the results were made; changes what every chart says about them. */
export interface ChartRunInfo {
  /** The run used --quick: every chart gets the QUICK_NOTE subtitle line. */
  readonly quick?: boolean;
}

/** The charts as they are written: with the quick-run subtitle line when `run.quick`. */
export function finalCharts(charts: readonly ChartSpec[], run: ChartRunInfo = {}): ChartSpec[] {
  return run.quick === true ? charts.map((c) => ({ ...c, spec: withQuickNote(c.spec) })) : [...charts];
}

export async function writeCharts(dir: string, input: readonly ChartSpec[], run: ChartRunInfo = {}): Promise<void> {
  const charts = finalCharts(input, run);
  checkCharts(charts);
  const files: { name: string; data: string | Buffer }[] = [];
  for (const chart of charts) {
    const json = canonicalJson(chart.spec);
    // Render the canonical form, so the SVG is a function of the .vl.json file's bytes.
    const canonical = JSON.parse(json) as Record<string, unknown>;
    let svg: string;
    try {
      svg = await renderSvg(canonical);
    } catch (err) {
      throw new Error(`chart ${JSON.stringify(chart.id)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    files.push(
      { name: `${chart.id}.vl.json`, data: json },
      { name: `${chart.id}.svg`, data: svg.endsWith('\n') ? svg : `${svg}\n` },
      { name: `${chart.id}.png`, data: renderPng(svg) },
    );
  }
  const out = join(dir, CHARTS_SUBDIR);
  await mkdir(out, { recursive: true });
  for (const f of files) await writeFileAtomic(join(out, f.name), f.data);
}

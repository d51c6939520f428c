// Charts and the HTML report of a complete results folder, through the chart layer (src/charts):
// the study builds its ChartSpecs from StudyData; writeCharts validates them against the Vega-Lite
// schema and writes charts/<id>.vl.json, .svg and .png; writeReport writes report.html with the
// charts, a parameter table (swept parameters show their values), the summary and the manifest.
// The study's reportSummary lines, if any, open the description as "Key results".
// The chart layer (vega, vega-lite, resvg, ajv) is imported lazily: commands that write no charts
// (list, describe, run --no-report, shards) start faster without it.
import type { ReportParam } from '../charts/index.js';
import { formatValue } from './format.js';
import type { Manifest } from './manifest.js';
import type { ChartSpec, ParamValue, Study, StudyData } from './study.js';

export function paramsTable(study: Study, manifest: Manifest): ReportParam[] {
  return Object.entries(study.params).map(([name, spec]) => {
    const values: ParamValue[] = [];
    for (const p of manifest.points) {
      const v = p.params[name];
      if (v !== undefined && !values.includes(v)) values.push(v);
    }
    const value = values.length === 0 ? formatValue(spec.default) : values.map(formatValue).join(', ');
    return { name, value, unit: spec.unit, doc: spec.doc };
  });
}

export function buildCharts(study: Study, data: StudyData): ChartSpec[] {
  return study.charts(data);
}

export async function writeStudyCharts(dir: string, study: Study, data: StudyData): Promise<ChartSpec[]> {
  const charts = buildCharts(study, data);
  const { writeCharts } = await import('../charts/index.js');
  await writeCharts(dir, charts);
  return charts;
}

/** Writes charts/ and report.html; returns the report's path. */
export async function writeStudyReport(dir: string, study: Study, data: StudyData, manifest: Manifest): Promise<string> {
  const charts = await writeStudyCharts(dir, study, data);
  const findings = study.reportSummary?.(data) ?? [];
  const description = [
    ...(findings.length > 0 ? [`Key results: ${findings.join(' ')}`] : []),
    study.description,
    study.details,
  ].join('\n\n');
  const { writeReport } = await import('../charts/index.js');
  return writeReport(dir, {
    title: `hvsim: ${study.name}`,
    description,
    charts,
    paramsTable: paramsTable(study, manifest),
    manifest: manifest as unknown as Record<string, unknown>,
    summary: data.summary,
  });
}

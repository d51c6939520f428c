// Charts and the HTML report of a complete results folder, through the chart layer (src/charts):
// the study builds its ChartSpecs from StudyData; writeCharts validates them against the Vega-Lite
// schema and writes charts/<id>.vl.json, .svg and .png; writeReport writes report.html with the
// charts, a parameter table (swept parameters show their values, with units), the model notes
// (Study.details), the summary and the manifest. The study's reportSummary lines, if any, are listed
// as key findings, followed by the points the study marks as outside the model's calibrated range
// (Study.calibrationNote) and, per measure, how many runs had no samples (empty cells in runs.csv), so
// neither is read as a finding. A --quick run (manifest.quick) is marked on every chart and in the report.
// The chart layer (vega, vega-lite, resvg, ajv) is imported lazily: commands that write no charts
// (list, describe, run --no-report, shards) start faster without it.
import type { ReportParam } from '../charts/index.js';
import { formatParamValues } from '../charts/units.js';
import { pointText } from './configure.js';
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
    const value = formatParamValues(values.length === 0 ? [spec.default] : values, spec.unit);
    return { name, value, unit: spec.unit, doc: spec.doc };
  });
}

export function buildCharts(study: Study, data: StudyData): ChartSpec[] {
  return study.charts(data);
}

/** Writes charts/ (marked as a quick run when manifest.quick); returns the charts as the study built them. */
export async function writeStudyCharts(
  dir: string,
  study: Study,
  data: StudyData,
  manifest: Manifest,
): Promise<ChartSpec[]> {
  const charts = buildCharts(study, data);
  const { writeCharts } = await import('../charts/index.js');
  await writeCharts(dir, charts, { quick: manifest.quick });
  return charts;
}

/** "Outside the model's calibrated range: point 2 (…): reason; …", or null when no point is. */
export function calibrationText(study: Study, data: StudyData): string | null {
  if (study.calibrationNote === undefined) return null;
  const notes: string[] = [];
  const seen = new Set<number>();
  for (const r of data.runs) {
    if (seen.has(r.point)) continue;
    seen.add(r.point);
    const note = study.calibrationNote(r.params);
    if (note !== undefined) notes.push(`point ${r.point} (${pointText(r.params)}): ${note}`);
  }
  return notes.length === 0
    ? null
    : `Outside the model's calibrated range (read these numbers with care): ${notes.join('; ')}.`;
}

/** "Runs with no samples (empty cells in runs.csv): waitMeanNs in 3 of 50 runs; …", or null. */
export function noSamplesText(study: Study, data: StudyData): string | null {
  const parts: string[] = [];
  for (const m of Object.keys(study.measures)) {
    const n = data.runs.filter((r) => !Number.isFinite(r.measures[m] ?? NaN)).length;
    if (n > 0) parts.push(`${m} in ${n} of ${data.runs.length} runs`);
  }
  return parts.length === 0
    ? null
    : `Runs with no samples of a measure (empty cells in runs.csv, left out of summary.csv's n): ${parts.join('; ')}.`;
}

/** Writes charts/ and report.html; returns the report's path. */
export async function writeStudyReport(
  dir: string,
  study: Study,
  data: StudyData,
  manifest: Manifest,
): Promise<string> {
  const charts = await writeStudyCharts(dir, study, data, manifest);
  const calibration = calibrationText(study, data);
  const noSamples = noSamplesText(study, data);
  const findings = [
    ...(study.reportSummary?.(data) ?? []),
    ...(calibration !== null ? [calibration] : []),
    ...(noSamples !== null ? [noSamples] : []),
  ];
  const { writeReport } = await import('../charts/index.js');
  return writeReport(dir, {
    title: `hvsim: ${study.name}`,
    description: study.description,
    findings,
    notes: study.details,
    quick: manifest.quick,
    paramUnits: Object.fromEntries(Object.entries(study.params).map(([name, spec]) => [name, spec.unit])),
    measureUnits: Object.fromEntries(Object.entries(study.measures).map(([name, m]) => [name, m.unit])),
    charts,
    paramsTable: paramsTable(study, manifest),
    manifest: manifest as unknown as Record<string, unknown>,
    summary: data.summary,
  });
}

// The notes report.html adds above a study's text: points outside the model's calibrated range
// (Study.calibrationNote) and, per measure, the runs with no samples (empty cells in runs.csv).
import { describe, expect, it } from 'vitest';
import { calibrationText, noSamplesText } from '../../src/runner/report.js';
import type { RunRow, Study, StudyData } from '../../src/runner/study.js';

const study: Study = {
  name: 'toy',
  description: '',
  details: '',
  params: {
    ws: { kind: 'int', default: 1, min: 0, unit: 'bytes', doc: '' },
    warmupNs: { kind: 'int', default: 0, min: 0, unit: 'ns', doc: '' },
    runLengthNs: { kind: 'int', default: 10, min: 1, unit: 'ns', doc: '' },
  },
  grid: { kind: 'cartesian', axes: {} },
  replications: 1,
  measures: { a: { unit: '', doc: '' }, b: { unit: '', doc: '' } },
  calibrationNote: (p) => ((p.ws as number) > 100 ? `ws ${String(p.ws)} above 100` : undefined),
  run: () => ({ measures: { a: 0, b: 0 }, events: 0 }),
  charts: () => [],
};

const row = (point: number, replication: number, ws: number, a: number, b: number): RunRow => ({
  point,
  replication,
  seed: 's',
  params: { ws, warmupNs: 0, runLengthNs: 10 },
  measures: { a, b },
  events: 1,
  wallMs: 0,
});

const data: StudyData = {
  runs: [row(0, 0, 50, 1, NaN), row(0, 1, 50, 2, NaN), row(1, 0, 500, NaN, 3), row(1, 1, 500, 4, Infinity)],
  summary: [],
  tables: {},
};

describe('report notes', () => {
  it('name each point outside the calibrated range once', () => {
    expect(calibrationText(study, data)).toBe(
      "Outside the model's calibrated range (read these numbers with care): point 1 (ws=500, warmupNs=0, runLengthNs=10): ws 500 above 100.",
    );
    expect(calibrationText({ ...study, calibrationNote: undefined }, data)).toBeNull();
  });

  it('count the runs without samples per measure', () => {
    expect(noSamplesText(study, data)).toBe(
      "Runs with no samples of a measure (empty cells in runs.csv, left out of summary.csv's n): a in 1 of 4 runs; b in 3 of 4 runs.",
    );
    expect(noSamplesText(study, { ...data, runs: [row(0, 0, 1, 1, 1)] })).toBeNull();
  });
});

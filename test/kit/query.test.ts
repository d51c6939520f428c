// StudyQuery (src/kit/query.ts) on a hand-made summary: rows of a measure restricted by parameter
// values, and subsets of the points (by values or by a predicate) answering the same questions.

import { describe, expect, it } from 'vitest';
import { StudyQuery, summaryRowOf } from '../../src/kit/index.js';
import type { Params, SummaryRow } from '../../src/runner/study.js';

const row = (point: number, params: Params, measure: string, mean: number): SummaryRow =>
  summaryRowOf(point, params, measure, [mean]);

const P = [
  { traffic: 'bulk', guests: 1 },
  { traffic: 'bulk', guests: 2 },
  { traffic: 'ping', guests: 1 },
  { traffic: 'ping', guests: 2 },
];
// out of point order on purpose: queries keep summary order, points come in point order
const SUMMARY = [
  row(2, P[2]!, 'mbps', 30),
  row(0, P[0]!, 'mbps', 10),
  row(1, P[1]!, 'mbps', 20),
  row(3, P[3]!, 'mbps', 40),
  row(0, P[0]!, 'cpu', 0.1),
  row(3, P[3]!, 'cpu', 0.4),
];
const q = new StudyQuery({ runs: [], summary: SUMMARY, tables: {} });

describe('StudyQuery.rows with parameter values', () => {
  it('keeps the rows of the measure whose parameters match every value, in summary order', () => {
    expect(q.rows('mbps').map((r) => r.mean)).toEqual([30, 10, 20, 40]);
    expect(q.rows('mbps', { traffic: 'ping' }).map((r) => r.mean)).toEqual([30, 40]);
    expect(q.rows('mbps', { traffic: 'ping', guests: 2 }).map((r) => r.mean)).toEqual([40]);
    expect(q.rows('cpu', { guests: 1 }).map((r) => r.mean)).toEqual([0.1]);
    expect(q.rows('mbps', { traffic: 'none' })).toEqual([]);
    // values compare strictly: the number 2 is not the string '2'
    expect(q.rows('mbps', { guests: '2' })).toEqual([]);
  });
});

describe('StudyQuery.subset', () => {
  it('by values: the matching points only, every measure, the same queries', () => {
    const bulk = q.subset({ traffic: 'bulk' });
    expect(bulk.data.summary).toEqual([SUMMARY[1], SUMMARY[2], SUMMARY[4]]);
    expect(bulk.points).toEqual([P[0], P[1]]);
    expect(bulk.distinct<number>('guests')).toEqual([1, 2]);
    expect(bulk.mean({ guests: 2 }, 'mbps')).toBe(20);
    expect(bulk.mean({ traffic: 'ping' }, 'mbps')).toBeUndefined();
    expect(bulk.at(0, 'cpu')?.mean).toBe(0.1);
    expect(bulk.at(3, 'cpu')).toBeUndefined();
  });

  it('by a predicate; the original query is unchanged; an empty where keeps everything', () => {
    const notOne = q.subset((p) => p['guests'] !== 1);
    expect(notOne.points).toEqual([P[1], P[3]]);
    expect(notOne.rows('mbps').map((r) => r.mean)).toEqual([20, 40]);
    expect(
      notOne
        .subset({ traffic: 'ping' })
        .rows('cpu')
        .map((r) => r.mean),
    ).toEqual([0.4]);
    expect(q.points).toEqual(P);
    expect(q.subset({}).data.summary).toEqual(SUMMARY);
    expect(q.subset(() => false).points).toEqual([]);
  });
});

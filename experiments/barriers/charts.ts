// Charts and console table of the barriers study (index.ts holds the model): transactions per second
// and commit latency against the fraction of commits that are barriers, C-LOOK against FIFO.
import type { Params, StudyData } from '../../src/runner/study.js';
import {
  fmt,
  lineRows,
  measureVsParam,
  seriesLabeler,
  StudyQuery,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';

const fraction = (p: Params): number => ((p['barrierEvery'] as number) === 0 ? 0 : 1 / (p['barrierEvery'] as number));

export function barriersCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  if (q.points.length === 0) return [];
  const series = seriesLabeler(q.points, 'scheduler', ['barrierEvery']);
  const rows = (m: string, scale = 1) =>
    lineRows(data.summary, m, {
      x: 'barrierFraction',
      xValue: fraction,
      series,
      order: (a, b) => fraction(a) - fraction(b),
      scale,
    });
  const common = {
    x: 'barrierFraction',
    color: 'series',
    colorTitle: 'scheduler',
    xTitle: 'fraction of commits that are barriers',
  };
  return [
    measureVsParam({
      ...common,
      id: 'tx-per-s-vs-barriers',
      title: 'OLTP-like transactions per second vs barrier frequency',
      summary: rows('txPerS'),
      measure: 'txPerS',
      yTitle: 'transactions per second',
    }),
    measureVsParam({
      ...common,
      id: 'commit-latency-vs-barriers',
      title: 'Median commit latency vs barrier frequency',
      summary: rows('commitP50Ns', 1e-6),
      measure: 'commitP50Ns',
      yTitle: 'median commit latency (ms)',
    }),
  ];
}

export function barriersConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const scheds = q.distinct<string>('scheduler');
  const everies = q.distinct<number>('barrierEvery').sort((a, b) => (a === 0 ? 1 / 0 : a) - (b === 0 ? 1 / 0 : b));
  return {
    title: 'Transactions per second (median commit ms) by barrier frequency and scheduler',
    header: ['barrierEvery', ...scheds],
    rows: everies.map((e) => [
      e === 0 ? 'none' : `1/${e}`,
      ...scheds.map((s) => {
        const t = q.mean({ scheduler: s, barrierEvery: e }, 'txPerS');
        const c = q.mean({ scheduler: s, barrierEvery: e }, 'commitP50Ns');
        return t === undefined || c === undefined ? '-' : `${fmt(t, 4)} (${fmt(c / 1e6, 3)})`;
      }),
    ]),
  };
}

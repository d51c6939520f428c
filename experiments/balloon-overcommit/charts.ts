// Charts, console table and report summary of the balloon-overcommit study (index.ts holds the model):
// throughput, page faults and swap I/O against the number of domains, one line per policy.
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

const CHARTS = [
  [
    'throughput-vs-domains',
    'unitsPerS',
    'Throughput: work units completed per second, all guests',
    'work units per second',
    1,
  ],
  ['faults-vs-domains', 'faultsPerS', 'Page faults per second, all guests', 'page faults per second', 1],
  ['swap-io-vs-domains', 'swapReadsPerS', 'Swap reads per second (one shared disk)', 'swap page reads per second', 1],
  ['swap-utilisation-vs-domains', 'swapUtilisation', 'Swap disk utilisation', 'swap disk busy (%)', 100],
  [
    'free-memory-vs-domains',
    'freeFraction',
    'Free machine memory (mean of 100 ms samples)',
    'free machine memory (%)',
    100,
  ],
] as const;

export function overcommitCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  if (q.points.length === 0) return [];
  const series = seriesLabeler(q.points, 'policy', ['domains']);
  const order = (a: Params, b: Params): number => (a['domains'] as number) - (b['domains'] as number);
  const ns = q.distinct<number>('domains');
  return CHARTS.map(([id, measure, title, yTitle, scale]) =>
    measureVsParam({
      id,
      title,
      summary: lineRows(data.summary, measure, {
        x: 'domains',
        xValue: (p) => p['domains'] as number,
        series,
        order,
        scale,
      }),
      measure,
      x: 'domains',
      color: 'series',
      colorTitle: 'memory policy',
      xTitle: 'guest domains N (log scale)',
      yTitle,
      xScale: ns.length > 1 ? 'log' : 'linear',
    }),
  );
}

export function overcommitConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const ns = q.distinct<number>('domains').sort((a, b) => a - b);
  const cell = (policy: string, n: number): string => {
    const u = q.mean({ policy, domains: n }, 'unitsPerS');
    const f = q.mean({ policy, domains: n }, 'faultsPerS');
    return u === undefined || f === undefined ? '-' : `${fmt(u, 4)} (${fmt(f, 3)} f/s)`;
  };
  return {
    title: 'Work units per second (page faults per second) by domains and memory policy',
    header: ['domains', 'static', 'balloon'],
    rows: ns.map((n) => [String(n), cell('static', n), cell('balloon', n)]),
  };
}

export function overcommitReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const out: string[] = [];
  for (const n of q.distinct<number>('domains').sort((a, b) => a - b)) {
    const s = q.mean({ policy: 'static', domains: n }, 'unitsPerS');
    const b = q.mean({ policy: 'balloon', domains: n }, 'unitsPerS');
    if (s === undefined || b === undefined || s <= 0) continue;
    out.push(
      `${n} domains: ballooning completes ${fmt(b / s, 3)}× the work of a static partition (${fmt(b, 4)} vs ${fmt(s, 4)} units/s).`,
    );
  }
  return out;
}

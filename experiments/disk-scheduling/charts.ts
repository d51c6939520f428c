// Charts and console table of the disk-scheduling study (index.ts holds the model): throughput and p99
// latency against the queue depth per domain, one line per scheduler (and per disk / domain count when
// those vary).
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

export function diskSchedulingCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  if (q.points.length === 0) return [];
  const series = seriesLabeler(q.points, 'scheduler', ['depth']);
  const order = (a: Params, b: Params): number => String(a['scheduler']).localeCompare(String(b['scheduler']));
  const rows = (m: string, scale = 1) =>
    lineRows(data.summary, m, { x: 'depth', xValue: (p) => p['depth'] as number, series, order, scale });
  const depths = q.distinct<number>('depth');
  const xScale = depths.length > 2 ? ('log' as const) : ('linear' as const);
  const common = {
    x: 'depth',
    color: 'series',
    colorTitle: 'scheduler',
    xTitle: 'outstanding requests per domain',
    xScale,
  };
  return [
    measureVsParam({
      ...common,
      id: 'throughput-vs-depth',
      title: 'Random 4 KB reads completed per second vs queue depth',
      summary: rows('requestsPerS'),
      measure: 'requestsPerS',
      yTitle: 'requests per second (log scale)',
      yScale: 'log',
    }),
    measureVsParam({
      ...common,
      id: 'p99-latency-vs-depth',
      title: '99th percentile request latency vs queue depth',
      summary: rows('latencyP99Ns', 1e-6),
      measure: 'latencyP99Ns',
      yTitle: 'p99 latency (ms, log scale)',
      yScale: 'log',
    }),
  ];
}

export function diskSchedulingConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const series = seriesLabeler(q.points, 'scheduler', []);
  const labels = [...new Set(q.points.map(series))];
  return {
    title: 'Disk scheduling: requests/s and p99 latency (ms) per point',
    header: ['point', 'requests/s', 'p99 ms'],
    rows: labels.map((l) => {
      const r = q.rows('requestsPerS').find((x) => series(x.params) === l);
      const p = q.rows('latencyP99Ns').find((x) => series(x.params) === l);
      return [l, r === undefined ? '-' : fmt(r.mean, 4), p === undefined ? '-' : fmt(p.mean / 1e6, 3)];
    }),
  };
}

// Charts and console table of the rx-buffers study (index.ts holds the model): drop rate and delivered
// throughput against the posted receive buffers, one line per repost batch.
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

export function rxBuffersCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  if (q.points.length === 0) return [];
  const series = seriesLabeler(q.points, 'repostBatch', ['buffers'], { repostBatch: (v) => `batch ${String(v)}` });
  const order = (a: Params, b: Params): number => (a['buffers'] as number) - (b['buffers'] as number);
  const rows = (m: string, scale = 1) =>
    lineRows(data.summary, m, { x: 'buffers', xValue: (p) => p['buffers'] as number, series, order, scale });
  const common = {
    x: 'buffers',
    color: 'series',
    colorTitle: 'repost batch',
    xTitle: 'receive buffers kept posted (log scale)',
    xScale: 'log' as const,
  };
  return [
    measureVsParam({
      ...common,
      id: 'drop-rate-vs-buffers',
      title: 'Receive drops (no posted buffer) vs posted buffers',
      summary: rows('dropRate', 100),
      measure: 'dropRate',
      yTitle: 'packets dropped (%)',
    }),
    measureVsParam({
      ...common,
      id: 'throughput-vs-buffers',
      title: 'Delivered UDP payload throughput vs posted buffers',
      summary: rows('throughputMbps'),
      measure: 'throughputMbps',
      yTitle: 'delivered payload (Mb/s)',
    }),
  ];
}

export function rxBuffersConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const batches = q.distinct<number>('repostBatch').sort((a, b) => a - b);
  const buffers = q.distinct<number>('buffers').sort((a, b) => a - b);
  const comps = q.distinct<number>('competitors').sort((a, b) => a - b);
  return {
    title: 'Receive drop rate % (delivered Mb/s) by posted buffers and repost batch',
    header: ['competitors', 'buffers', ...batches.map((b) => `batch ${b}`)],
    rows: comps.flatMap((c) =>
      buffers.map((n) => [
        String(c),
        String(n),
        ...batches.map((b) => {
          const d = q.mean({ competitors: c, buffers: n, repostBatch: b }, 'dropRate');
          const t = q.mean({ competitors: c, buffers: n, repostBatch: b }, 'throughputMbps');
          return d === undefined || t === undefined ? '-' : `${fmt(100 * d, 3)} (${fmt(t, 4)})`;
        }),
      ]),
    ),
  };
}

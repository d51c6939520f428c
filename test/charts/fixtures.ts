// Small, hand-checkable inputs for the chart tests: a 3 x 2 sweep summary (x = batch 1, 4, 16;
// series = scheduler bvt, credit), a theory curve, grouped bars, CDF samples and a time series.

import { cdf, groupedBarsNormalised, measureVsParam, timeSeries } from '../../src/charts/index.js';
import type { ChartSpec, SummaryRow, TableRow } from '../../src/runner/study.js';

export const BATCHES = [1, 4, 16] as const;
export const SCHEDULERS = ['bvt', 'credit'] as const;

/** mean = 100 / batch + (credit ? 10 : 0), half-width = 2, n = 5; point ids in grid order. */
export function sweepSummary(): SummaryRow[] {
  const rows: SummaryRow[] = [];
  let point = 0;
  for (const batch of BATCHES) {
    for (const sched of SCHEDULERS) {
      rows.push({
        point: point++,
        params: { batch, sched, ring: 256 },
        measure: 'cpuUs',
        mean: 100 / batch + (sched === 'credit' ? 10 : 0),
        sd: 1.5,
        halfWidth: 2,
        n: 5,
      });
      rows.push({
        point: point - 1,
        params: { batch, sched, ring: 256 },
        measure: 'other',
        mean: 1,
        sd: 0,
        halfWidth: 0,
        n: 5,
      });
    }
  }
  return rows;
}

export function sweepChart(): ChartSpec {
  return measureVsParam({
    id: 'cpu-vs-batch',
    title: 'dom0 CPU per packet vs batching',
    summary: sweepSummary(),
    measure: 'cpuUs',
    x: 'batch',
    color: 'sched',
    colorTitle: 'scheduler',
    xTitle: 'packets per notification',
    yTitle: 'CPU time per packet (µs)',
    xScale: 'log',
  });
}

export function theoryChart(): ChartSpec {
  return measureVsParam({
    id: 'cpu-theory',
    title: 'CPU per packet against the cost model',
    summary: sweepSummary().filter((r) => r.params['sched'] === 'bvt'),
    measure: 'cpuUs',
    x: 'batch',
    xTitle: 'packets per notification',
    yTitle: 'CPU time per packet (µs)',
    theory: { label: '100 / batch (theory)', points: [1, 2, 4, 8, 16].map((b) => ({ x: b, y: 100 / b })) },
  });
}

export const BAR_ROWS = [
  { group: 'SPEC INT2000', bar: 'native', value: 400, lo: 390, hi: 410 },
  { group: 'SPEC INT2000', bar: 'Xen', value: 396, lo: 386, hi: 406 },
  { group: 'SPEC INT2000', bar: 'VMware', value: 380, lo: 370, hi: 390 },
  { group: 'OSDB-OLTP', bar: 'native', value: 200, lo: 195, hi: 205 },
  { group: 'OSDB-OLTP', bar: 'Xen', value: 180, lo: 176, hi: 184 },
  { group: 'OSDB-OLTP', bar: 'VMware', value: 20, lo: 18, hi: 22 },
] as const;

export function barsChart(): ChartSpec {
  return groupedBarsNormalised({
    id: 'relative',
    title: 'Relative performance',
    rows: BAR_ROWS,
    baseline: 'native',
    yTitle: 'score relative to native',
  });
}

export function latencyRows(): TableRow[] {
  const rows: TableRow[] = [];
  for (const domain of ['dom1', 'dom2']) {
    for (let i = 1; i <= 20; i++) rows.push({ domain, latencyMs: domain === 'dom1' ? i / 10 : i / 5 });
  }
  return rows;
}

export function cdfChart(): ChartSpec {
  return cdf({
    id: 'latency-cdf',
    title: 'Response time distribution',
    rows: latencyRows(),
    value: 'latencyMs',
    series: 'domain',
    xTitle: 'response time (ms)',
  });
}

export function queueRows(): TableRow[] {
  const rows: TableRow[] = [];
  for (const domain of ['dom1', 'dom2']) {
    for (let i = 0; i <= 10; i++) rows.push({ domain, tS: i / 2, depth: domain === 'dom1' ? i % 4 : 3 - (i % 3) });
  }
  return rows;
}

export function seriesChart(): ChartSpec {
  return timeSeries({
    id: 'ring-depth',
    title: 'Ring occupancy',
    rows: queueRows(),
    x: 'tS',
    y: 'depth',
    series: 'domain',
    xTitle: 'simulated time (s)',
    yTitle: 'requests in ring',
  });
}

export function allCharts(): ChartSpec[] {
  return [sweepChart(), theoryChart(), barsChart(), cdfChart(), seriesChart()];
}

/** The leaf elements of each data-mark group of a vega SVG, keyed by mark type (symbol, line, ...). */
export function markCounts(svg: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*>(.*?)<\/g>/g)) {
    const type = m[1] ?? '?';
    const items = (m[2] ?? '').match(/<(path|line|rect)\b/g)?.length ?? 0;
    counts[type] = (counts[type] ?? 0) + items;
  }
  return counts;
}

/** Less common builder options, each of which must render without warnings. */
export function variantCharts(): ChartSpec[] {
  const summary = sweepSummary();
  const base = { summary, measure: 'cpuUs', xTitle: 'packets per notification', yTitle: 'CPU time per packet (µs)' };
  const wide = summary.map((r) => (r.measure === 'cpuUs' ? { ...r, halfWidth: r.mean * 1.5 } : r));
  return [
    measureVsParam({ ...base, id: 'v-ordinal-x', title: 'ordinal x', x: 'sched', color: 'batch' }),
    measureVsParam({
      ...base,
      id: 'v-log-y',
      title: 'log y, clamped CIs',
      summary: wide,
      x: 'batch',
      color: 'sched',
      xScale: 'log',
      yScale: 'log',
    }),
    measureVsParam({
      ...base,
      id: 'v-theory-series',
      title: 'theory per series and shared',
      x: 'batch',
      color: 'sched',
      theory: {
        label: 'model',
        points: [
          ...[1, 4, 16].map((b) => ({ x: b, y: 100 / b, series: 'bvt' })),
          ...[1, 4, 16].map((b) => ({ x: b, y: 100 / b + 10, series: 'credit' })),
          { x: 1, y: 50 },
          { x: 16, y: 50 },
        ],
      },
    }),
    measureVsParam({
      ...base,
      id: 'v-plain',
      title: 'one series, no theory',
      summary: summary.filter((r) => r.params['sched'] === 'bvt'),
      x: 'batch',
    }),
    cdf({
      id: 'v-cdf-plain',
      title: 'one CDF, log x',
      rows: latencyRows(),
      value: 'latencyMs',
      xTitle: 'response time (ms)',
      xScale: 'log',
    }),
    timeSeries({
      id: 'v-ts-long',
      title: 'long series',
      rows: Array.from({ length: 300 }, (_, i) => ({ t: i, q: (i * 37) % 11 })),
      x: 't',
      y: 'q',
      xTitle: 'time (s)',
      yTitle: 'queue (packets)',
    }),
  ];
}

// Charts and console table of the web-batching study (index.ts holds the model): throughput and
// response-time percentiles against the ring notification threshold, one line per competitor count.
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

export function webBatchingCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  if (q.points.length === 0) return [];
  const series = seriesLabeler(q.points, 'competitors', ['notifyEvery'], {
    competitors: (v) => `${String(v)} CPU-bound competitor(s)`,
  });
  const order = (a: Params, b: Params): number => (a['notifyEvery'] as number) - (b['notifyEvery'] as number);
  const rows = (m: string, scale = 1) =>
    lineRows(data.summary, m, { x: 'notifyEvery', xValue: (p) => p['notifyEvery'] as number, series, order, scale });
  const common = {
    x: 'notifyEvery',
    color: 'series',
    colorTitle: 'competitors',
    xTitle: 'ring notification threshold, packets (log scale)',
    xScale: 'log' as const,
  };
  return [
    measureVsParam({
      ...common,
      id: 'throughput-vs-threshold',
      title: 'Web throughput vs ring notification threshold',
      summary: rows('throughputMbps'),
      measure: 'throughputMbps',
      yTitle: 'response payload (Mb/s)',
    }),
    measureVsParam({
      ...common,
      id: 'p99-vs-threshold',
      title: '99th percentile response time vs ring notification threshold',
      summary: rows('p99Ms'),
      measure: 'p99Ms',
      yTitle: 'p99 response time (ms)',
    }),
    measureVsParam({
      ...common,
      id: 'p50-vs-threshold',
      title: 'Median response time vs ring notification threshold',
      summary: rows('p50Ms'),
      measure: 'p50Ms',
      yTitle: 'median response time (ms)',
    }),
    measureVsParam({
      ...common,
      id: 'notifications-vs-threshold',
      title: 'Ring notifications per request vs threshold',
      summary: rows('notificationsPerRequest'),
      measure: 'notificationsPerRequest',
      yTitle: 'notifications per completed request',
    }),
  ];
}

export function webBatchingConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const ks = q.distinct<number>('notifyEvery').sort((a, b) => a - b);
  const comps = q.distinct<number>('competitors').sort((a, b) => a - b);
  const cell = (c: number, k: number, m: string, d: number): string => {
    const v = q.mean({ competitors: c, notifyEvery: k }, m);
    return v === undefined ? '-' : fmt(v, d);
  };
  return {
    title: 'Web serving by ring notification threshold: Mb/s, p50/p99 ms, notifications per request',
    header: [
      'competitors',
      'every k',
      'Mb/s',
      'paced Mb/s',
      'req/s',
      'p50 ms',
      'p99 ms',
      'notif/req',
      'conformant',
      'drops',
    ],
    rows: comps.flatMap((c) =>
      ks.map((k) => [
        String(c),
        String(k),
        cell(c, k, 'throughputMbps', 4),
        cell(c, k, 'clientRateMbps', 4),
        cell(c, k, 'requestsPerSec', 4),
        cell(c, k, 'p50Ms', 3),
        cell(c, k, 'p99Ms', 3),
        cell(c, k, 'notificationsPerRequest', 3),
        cell(c, k, 'conformantShare', 3),
        cell(c, k, 'drops', 4),
      ]),
    ),
    notes: [
      'Every ring direction notifies every k items or after the hold-off; larger k saves notifications and',
      'delays the tail of each response by up to the hold-off. tcp.ts has no TCP_NODELAY (Apache 1.3 sets it):',
      'a response tail waits for the ACK of the data before it (clients ACK every segment), so one extra',
      'round trip is part of every multi-segment response time. Throughput over a short window is noisy:',
      "'paced Mb/s' (Σ paced client rates, ≤ clients × 0.4) is the long-run figure.",
      'With a CPU-bound competitor the server waits for the CPU (BVT, no warp) while packets keep arriving;',
      "a packet lost for want of a posted buffer costs TCP's 200 ms minimum RTO, which then sets the p99.",
    ],
  };
}

/** Key findings for report.html: notifications saved and response time paid from k = 1 to the largest k. */
export function webBatchingReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const ks = q.distinct<number>('notifyEvery').sort((a, b) => a - b);
  const k0 = ks[0];
  const k1 = ks[ks.length - 1];
  if (k0 === undefined || k1 === undefined) return [];
  const out: string[] = [];
  for (const c of q.distinct<number>('competitors').sort((a, b) => a - b)) {
    const m = (k: number, name: string): string => {
      const v = q.mean({ competitors: c, notifyEvery: k }, name);
      return v === undefined ? '-' : fmt(v, 3);
    };
    out.push(
      `${c} competitor(s): every ${k0} → every ${k1} packets: notifications/request ${m(k0, 'notificationsPerRequest')} → ${m(k1, 'notificationsPerRequest')}, ` +
        `p50 ${m(k0, 'p50Ms')} → ${m(k1, 'p50Ms')} ms, p99 ${m(k0, 'p99Ms')} → ${m(k1, 'p99Ms')} ms, ` +
        `throughput ${m(k0, 'throughputMbps')} → ${m(k1, 'throughputMbps')} Mb/s.`,
    );
  }
  return out;
}

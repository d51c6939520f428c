// Charts, console table and report summary of the bvt-warp study (index.ts holds the model and the
// declarations): wake-up latency vs N with the one-switch floor, its CDF, burst delay and the lat
// domain's CPU share. Latencies in µs.
import type { Params, StudyData, TableRow } from '../../src/runner/study.js';
import {
  meanCi,
  countAxis,
  cdf,
  fmt,
  lineRows,
  measureVsParam,
  seriesLabeler,
  setSubtitle,
  StudyQuery,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';
import { BVT_VARIANT_NOTES } from '../../src/models/cpu/bvt.js';
import { switchFloorNs } from './index.js';
import { SCHEDULER_LABEL, WARP_SCHEDULERS } from './params.js';

const schedulerLabel = (v: unknown): string => SCHEDULER_LABEL[String(v)] ?? String(v);

const US = 1e-3;

export function bvtWarpCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  const points = q.points;
  const first = points[0];
  if (first === undefined) return [];
  const series = seriesLabeler(points, 'scheduler', ['cpuBound'], { scheduler: schedulerLabel });
  const rank = (p: Params): number => WARP_SCHEDULERS.findIndex((s) => s === p['scheduler']);
  const order = (a: Params, b: Params): number => rank(a) - rank(b);
  const rows = (measure: string) =>
    lineRows(data.summary, measure, {
      x: 'cpuBound',
      xValue: (p) => Number(p['cpuBound']),
      series,
      order,
      scale: US,
    });
  const ns = q.distinct<number>('cpuBound').sort((a, b) => a - b);
  const floors = [...new Set(points.map((p) => switchFloorNs(p)))];
  const floorNs = floors.length === 1 ? floors[0] : undefined;
  const floorTheory =
    floorNs === undefined
      ? undefined
      : {
          label: `one context switch, nothing evicted (${fmt(floorNs * US, 3)} µs)`,
          points: ns.map((x) => ({ x, y: floorNs * US })),
        };
  const common = {
    x: 'cpuBound',
    color: 'series',
    colorTitle: 'scheduler',
    ...countAxis(ns, 'CPU-bound domains N'),
    yScale: 'log' as const,
  };
  const positive = (rs: ReturnType<typeof rows>) => rs.filter((r) => r.mean > 0);
  const charts: ChartSpec[] = [
    measureVsParam({
      ...common,
      id: 'wake-latency-mean-vs-n',
      title: 'Mean wake-up latency of a latency-sensitive domain among N CPU-bound domains',
      summary: positive(rows('wakeLatencyMeanNs')),
      measure: 'wakeLatencyMeanNs',
      yTitle: 'mean wake-up latency (µs, log scale)',
      ...(floorTheory === undefined ? {} : { theory: floorTheory }),
    }),
    measureVsParam({
      ...common,
      id: 'wake-latency-p99-vs-n',
      title: '99th-percentile wake-up latency among N CPU-bound domains',
      summary: positive(rows('wakeLatencyP99Ns')),
      measure: 'wakeLatencyP99Ns',
      yTitle: 'p99 wake-up latency (µs, log scale)',
      ...(floorTheory === undefined ? {} : { theory: floorTheory }),
    }),
  ];
  const table = (data.tables['wakeLatencyQuantiles'] ?? []).filter((r) => Number(r['latencyNs']) > 0);
  if (table.length > 0) {
    const cdfN = table[0]?.['cpuBound'];
    const cdfRows = table
      .filter((r) => r['cpuBound'] === cdfN)
      .map((r): TableRow => ({
        ...r,
        latencyUs: Number(r['latencyNs']) * US,
        schedulerLabel: series(r),
      }))
      .sort((a, b) => order(a, b));
    const reps = new Set(cdfRows.map((r) => r['replication'])).size;
    const chart = cdf({
      id: 'wake-latency-cdf',
      title: `Distribution of the wake-up latency with N = ${String(cdfN)} CPU-bound domains`,
      rows: cdfRows,
      value: 'latencyUs',
      series: 'schedulerLabel',
      seriesTitle: 'scheduler',
      xTitle: 'wake-up latency (µs, log scale)',
      xScale: 'log',
    });
    charts.push(
      setSubtitle(
        chart,
        `CDF of each run's latency quantiles (every 0.5 %), pooled over ${reps} replication${reps === 1 ? '' : 's'} per scheduler`,
      ),
    );
  }
  charts.push(
    measureVsParam({
      ...common,
      id: 'burst-delay-vs-n',
      title: 'Mean extra delay of a burst (wake-up latency + pre-emption during the burst)',
      summary: positive(rows('burstDelayMeanNs')),
      measure: 'burstDelayMeanNs',
      yTitle: 'completion − arrival − burst (µs, log scale)',
    }),
    measureVsParam({
      ...common,
      id: 'lat-cpu-share-vs-n',
      title: 'CPU received by the latency-sensitive domain (slow wake-ups stretch its wait-burst cycle)',
      summary: lineRows(data.summary, 'latCpuShare', {
        x: 'cpuBound',
        xValue: (p) => Number(p['cpuBound']),
        series,
        order,
        scale: 100,
      }),
      measure: 'latCpuShare',
      yTitle: 'CPU share of the lat domain (%)',
      yScale: 'linear',
      theory: {
        label: 'demand if served at once: b/(w+b)',
        points: ns.map((x) => {
          const b = Number(first['latBurstMeanNs']);
          return { x, y: (100 * b) / (b + Number(first['latWaitMeanNs'])) };
        }),
      },
    }),
  );
  return charts;
}

export function bvtWarpConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const series = seriesLabeler(q.points, 'scheduler', ['cpuBound'], { scheduler: schedulerLabel });
  const labels = [...new Set(q.points.map(series))];
  const ns = q.distinct<number>('cpuBound').sort((a, b) => a - b);
  const cell = (label: string, n: number, m: string): string => {
    const r = q.rows(m).find((x) => x.params['cpuBound'] === n && series(x.params) === label);
    return r === undefined || !Number.isFinite(r.mean) ? '-' : meanCi(r, US, 3);
  };
  return {
    title: 'Wake-up latency of the latency-sensitive domain, µs: mean ± 95% CI (p99 in brackets)',
    header: ['N', ...labels],
    rows: ns.map((n) => [
      String(n),
      ...labels.map((l) => `${cell(l, n, 'wakeLatencyMeanNs')} [${cell(l, n, 'wakeLatencyP99Ns').split(' ±')[0]}]`),
    ]),
  };
}

export function bvtWarpReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const get = (scheduler: string, cpuBound: number, m: string): number | undefined =>
    q.mean({ scheduler, cpuBound }, m);
  const ns = q.distinct<number>('cpuBound').sort((a, b) => a - b);
  const us = (x: number | undefined): string =>
    x === undefined || !Number.isFinite(x) ? 'no wake-ups' : `${fmt(x * US, 3)} µs`;
  const out: string[] = [];
  for (const n of [ns[ns.length - 1], ns[0]]) {
    if (n === undefined) continue;
    const x = get('bvt-xen1', n, 'wakeLatencyMeanNs');
    const w = get('bvt-textbook-warp', n, 'wakeLatencyMeanNs');
    const t = get('bvt-textbook', n, 'wakeLatencyMeanNs');
    const c = get('credit', n, 'wakeLatencyMeanNs');
    const x2 = get('bvt-xen2', n, 'wakeLatencyMeanNs');
    const w2 = get('bvt-xen2-warp', n, 'wakeLatencyMeanNs');
    if (x !== undefined && w !== undefined) {
      out.push(
        `With N = ${n} CPU-bound domain${n === 1 ? '' : 's'}, the mean wake-up latency is ${us(x)} under Xen 1.0 BVT (no warp) and ${us(w)} under the BVT paper's algorithm with warp (${fmt(x / w, 3)}× lower)` +
          (t !== undefined ? `; without warp it gives ${us(t)}` : '') +
          (x2 !== undefined
            ? `; Xen 2.0 BVT ${us(x2)} without warp` +
              (w2 !== undefined ? ` and ${us(w2)} with warp set by adjdom` : '')
            : '') +
          (c !== undefined ? `; Credit ${us(c)}.` : '.'),
      );
    }
    if (ns.length === 1) break;
  }
  const starved = q.points.filter((p) => p['scheduler'] === 'bvt-xen2-warp-at-creation');
  if (starved.length > 0) {
    const shares = starved.map((p) => q.mean(p, 'latCpuShare')).filter((v): v is number => v !== undefined);
    const wakeups = starved.map((p) => q.mean(p, 'wakeups')).filter((v): v is number => v !== undefined);
    out.push(
      `Xen 2.0 BVT, lat domain warped at creation: largest CPU share ${fmt(100 * Math.max(...shares), 3)}%, ` +
        `largest mean wake-up count ${fmt(Math.max(...wakeups), 3)} per run. ${BVT_VARIANT_NOTES.xen2}`,
    );
  }
  if (q.points.some((p) => p['scheduler'] === 'bvt-xen1-warp')) {
    out.push(`The Xen 1.0 + warp runs are hypothetical. ${BVT_VARIANT_NOTES.xen1}`);
  }
  return out;
}

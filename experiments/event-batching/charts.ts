// Charts, console table and report summary of the event-batching study (index.ts holds the model
// and the declarations). Charts are built from the part of the grid they need: the k-sweep charts
// from the points at the most common ratePerS, the latency-throughput charts from the hold-off with
// the most loads (load-charts.ts). Latencies and CPU times are plotted in µs, throughputs in thousand
// requests/s.
import type { Params, StudyData } from '../../src/runner/study.js';
import {
  addSubtitle,
  distinct,
  fmt,
  lineRows,
  measureVsParam,
  most,
  seriesLabeler,
  StudyQuery,
  xyChart,
  type ChartSpec,
  type XYPoint,
} from '../../src/kit/index.js';
import { loadSweepCharts } from './load-charts.js';
import { holdOffLabel, holdOffRank } from './params.js';

export { holdOffLabel, holdOffRank } from './params.js';

const US = 1e-3;

/** Distinct values of parameter `name` over `points`, in first-seen order. */
const distinctOf = <T extends number>(points: readonly Params[], name: string): T[] =>
  distinct<T>(
    points.map((params) => ({ params })),
    name,
  );

export function eventBatchingCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  const points = q.points;
  if (points.length === 0) return [];
  const charts: ChartSpec[] = [];
  const n = Math.max(...data.summary.map((r) => r.n));
  const ciNote = n >= 2 ? `mean ± 95% CI (Student t), n = ${n} replications` : `mean of ${n} replication, no CI`;

  // ---- the k sweep: points at the most common ratePerS ----
  const sweepRate = most(points.map((p) => p['ratePerS']));
  const inSweep = (p: Params): boolean => p['ratePerS'] === sweepRate;
  const sweepPoints = points.filter(inSweep);
  const holdSeries = seriesLabeler(sweepPoints, 'holdOffNs', ['k', 'ratePerS'], { holdOffNs: holdOffLabel });
  const holdOrder = (a: Params, b: Params): number =>
    holdOffRank(a['holdOffNs']) - holdOffRank(b['holdOffNs']) || (a['k'] as number) - (b['k'] as number);
  const ks = distinctOf<number>(sweepPoints, 'k').sort((a, b) => a - b);
  const kSweep = ks.length >= 2;
  const rate = Number(sweepRate);
  const rateText = `${fmt(rate / 1000, 4)}k requests/s`;
  const kRows = (measure: string, scale = 1) =>
    lineRows(data.summary, measure, {
      x: 'k',
      xValue: (p) => p['k'] as number,
      series: holdSeries,
      filter: inSweep,
      order: holdOrder,
      scale,
    });
  const kCommon = {
    x: 'k',
    color: 'series',
    colorTitle: 'hold-off',
    xTitle: 'notification batch k (items, log2 scale)',
    xScale: 'log' as const,
  };
  const first = sweepPoints[0] as Params;
  const usefulNs = Number(first['clientIssueNs']) + Number(first['serviceMeanNs']) + Number(first['clientResponseNs']);
  const sameUseful = points.every(
    (p) => Number(p['clientIssueNs']) + Number(p['serviceMeanNs']) + Number(p['clientResponseNs']) === usefulNs,
  );

  if (kSweep) {
    // 1. The trade-off: CPU per request vs mean latency, one line per hold-off through k = 1 … 64.
    const tradeoff: XYPoint[] = [];
    for (const p of [...sweepPoints].sort(holdOrder)) {
      const cpu = q.of(p, 'cpuPerRequestNs');
      const lat = q.of(p, 'latencyMeanNs');
      if (cpu === undefined || lat === undefined) continue;
      tradeoff.push({
        series: holdSeries(p),
        x: cpu.mean * US,
        y: lat.mean * US,
        lo: (lat.mean - lat.halfWidth) * US,
        hi: (lat.mean + lat.halfWidth) * US,
        order: p['k'] as number,
        label: `k=${String(p['k'])}`,
        n: lat.n,
      });
    }
    // label the points of the series that spans the widest CPU range (usually "none")
    const span = (s: string): number => {
      const xs = tradeoff.filter((t) => t.series === s).map((t) => t.x);
      return Math.max(...xs) - Math.min(...xs);
    };
    const labelSeries = [...new Set(tradeoff.map((t) => t.series))].sort((a, b) => span(b) - span(a))[0];
    charts.push(
      xyChart({
        id: 'tradeoff-cpu-vs-latency',
        title: `What batching buys and costs at ${rateText}: CPU per request vs mean latency`,
        subtitle: `lower left is better; one line per hold-off through k = ${ks.join(', ')} (labels: k); ${ciNote} on latency`,
        points: tradeoff,
        seriesTitle: 'hold-off',
        xTitle: 'host CPU per request (µs): work + notifications + switches',
        yTitle: 'mean latency (µs, log scale)',
        xScale: 'linear',
        yScale: 'log',
        ...(labelSeries === undefined ? {} : { labelSeries }),
        ...(sameUseful ? { rule: { x: usefulNs * US, label: 'useful work only' } } : {}),
      }),
    );

    // 2-3. Latency vs k.
    const meanRows = kRows('latencyMeanNs', US).filter((r) => r.mean > 0);
    const noneLabel = sweepPoints.filter((p) => p['holdOffNs'] === 0).map(holdSeries);
    const approx: { x: number; y: number; series: string }[] = [];
    for (const label of new Set(noneLabel)) {
      const p = sweepPoints.find((q) => holdSeries(q) === label);
      const l1 = meanRows.find((r) => r.params['series'] === label && r.params['k'] === 1);
      if (p === undefined || l1 === undefined || p['arrival'] !== 'open') continue;
      const perItemUs = (1e6 / rate + Number(p['serviceMeanNs']) * US + Number(p['clientResponseNs']) * US) / 2;
      for (const k of ks) approx.push({ x: k, y: l1.mean + (k - 1) * perItemUs, series: label });
    }
    const meanChart = measureVsParam({
      ...kCommon,
      id: 'latency-mean-vs-k',
      title: `Mean request latency vs notification batch k at ${rateText}`,
      summary: meanRows,
      measure: 'latencyMeanNs',
      yTitle: 'mean latency (µs, log scale)',
      yScale: 'log',
      ...(approx.length > 0 ? { theory: { label: 'batching approx. (no hold-off)', points: approx } } : {}),
    });
    if (approx.length > 0)
      addSubtitle(
        meanChart,
        'dashed: L(k) ≈ L(1) + (k−1)(1/λ + S + R)/2; λ arrival rate, S mean service, R response CPU',
      );
    charts.push(
      meanChart,
      measureVsParam({
        ...kCommon,
        id: 'latency-p99-vs-k',
        title: `99th-percentile request latency vs notification batch k at ${rateText}`,
        summary: kRows('latencyP99Ns', US).filter((r) => r.mean > 0),
        measure: 'latencyP99Ns',
        yTitle: 'p99 latency (µs, log scale)',
        yScale: 'log',
      }),
    );
    // 4. Notifications per item vs 1/k.
    charts.push(
      addSubtitle(
        measureVsParam({
          ...kCommon,
          id: 'notifications-per-item-vs-k',
          title: `Notifications per item (mean of both directions) vs batch k at ${rateText}`,
          summary: kRows('notificationsPerItem').filter((r) => r.mean > 0),
          measure: 'notificationsPerItem',
          yTitle: 'notifications per item (log scale)',
          yScale: 'log',
          theory:
            first['arrival'] === 'open'
              ? {
                  label: 'approx. 1/min(k, 1 + λ·hold-off)',
                  points: sweepPoints.map((p) => {
                    const h = Number(p['holdOffNs']);
                    const k = p['k'] as number;
                    return { x: k, y: 1 / (h === 0 ? k : Math.min(k, 1 + (rate * h) / 1e9)), series: holdSeries(p) };
                  }),
                }
              : { label: 'one notification per k items: 1/k', points: ks.map((k) => ({ x: k, y: 1 / k })) },
        }),
        'dashed: a batch ends at its k-th item or when the hold-off expires, whichever first (λ = arrival rate)',
      ),
    );
    // 5. CPU on notifications.
    charts.push(
      measureVsParam({
        ...kCommon,
        id: 'notification-cpu-vs-k',
        title: `CPU spent on notifications (hypercalls + upcalls) vs batch k at ${rateText}`,
        summary: kRows('notificationCpuFraction', 100),
        measure: 'notificationCpuFraction',
        yTitle: "notifications' share of the stream CPU (%)",
      }),
      addSubtitle(
        measureVsParam({
          ...kCommon,
          id: 'cpu-per-request-vs-k',
          title: `Host CPU per request (work + notifications + context switches) vs batch k at ${rateText}`,
          summary: kRows('cpuPerRequestNs', US),
          measure: 'cpuPerRequestNs',
          yTitle: 'host CPU per request (µs)',
          ...(sameUseful
            ? {
                theory: {
                  label: `useful work only (${fmt(usefulNs * US, 3)} µs)`,
                  points: ks.map((k) => ({ x: k, y: usefulNs * US })),
                },
              }
            : {}),
        }),
        'host busy + context-switch time per completed request; useful work = issue + mean service + response',
      ),
      measureVsParam({
        ...kCommon,
        id: 'switching-vs-k',
        title: `CPU lost to context switches between the two domains vs batch k at ${rateText}`,
        summary: kRows('switchingFraction', 100),
        measure: 'switchingFraction',
        yTitle: 'context-switch time (% of the CPU)',
      }),
    );
  }

  charts.push(...loadSweepCharts(q, ciNote));

  if (kSweep) {
    charts.push(
      measureVsParam({
        ...kCommon,
        id: 'throughput-vs-k',
        title: `Throughput vs batch k at an offered load of ${rateText}`,
        summary: kRows('throughputPerS', 1e-3),
        measure: 'throughputPerS',
        yTitle: 'throughput (thousand requests/s)',
        ...(first['arrival'] === 'open'
          ? { theory: { label: 'offered load λ', points: ks.map((k) => ({ x: k, y: rate / 1000 })) } }
          : {}),
      }),
    );
  }
  return charts;
}

// The load-sweep charts of the event-batching study (charts.ts holds the rest): latency against
// throughput as the offered load rises, one line per notification batch k, at the hold-off that has the
// most offered loads (at least three). Latencies in µs, throughputs in thousand requests/s.
import type { Params } from '../../src/runner/study.js';
import { fmt, seriesLabeler, type StudyQuery, xyChart, type ChartSpec, type XYPoint } from '../../src/kit/index.js';
import { holdOffLabel } from './params.js';

const US = 1e-3;

/** Mean and p99 latency vs throughput, one line per k (none when no hold-off has three loads). */
export function loadSweepCharts(q: StudyQuery, ciNote: string): ChartSpec[] {
  const points = q.points;
  const charts: ChartSpec[] = [];
  const holds = q.distinct<number>('holdOffNs');
  const loadsPerHold = holds.map(
    (h) => new Set(points.filter((p) => p['holdOffNs'] === h).map((p) => p['ratePerS'])).size,
  );
  const bestHold = holds[loadsPerHold.indexOf(Math.max(...loadsPerHold))];
  if (bestHold !== undefined && Math.max(...loadsPerHold) >= 3) {
    const loadPoints = points.filter((p) => p['holdOffNs'] === bestHold);
    const kSeries = seriesLabeler(loadPoints, 'k', ['ratePerS', 'holdOffNs']);
    for (const [measure, id, yTitle, what] of [
      ['latencyMeanNs', 'latency-vs-throughput', 'mean latency (µs, log scale)', 'Mean latency'],
      ['latencyP99Ns', 'p99-latency-vs-throughput', 'p99 latency (µs, log scale)', '99th-percentile latency'],
    ] as const) {
      const xy: XYPoint[] = [];
      const byK = (a: Params, b: Params): number =>
        (a['k'] as number) - (b['k'] as number) || (a['ratePerS'] as number) - (b['ratePerS'] as number);
      for (const p of [...loadPoints].sort(byK)) {
        const x = q.of(p, 'throughputPerS');
        const y = q.of(p, measure);
        if (x === undefined || y === undefined || !(y.mean > 0)) continue;
        xy.push({
          series: kSeries(p),
          x: x.mean / 1000,
          y: y.mean * US,
          lo: (y.mean - y.halfWidth) * US,
          hi: (y.mean + y.halfWidth) * US,
          order: p['ratePerS'] as number,
          label: `${fmt((p['ratePerS'] as number) / 1000, 4)}k/s offered`,
          n: y.n,
        });
      }
      const counts = new Map<string, number>();
      for (const q of xy) counts.set(q.series, (counts.get(q.series) ?? 0) + 1);
      const lines = xy.filter((q) => (counts.get(q.series) ?? 0) >= 2);
      if (lines.length === 0) continue;
      charts.push(
        xyChart({
          id,
          title: `${what} vs throughput as the offered load rises (hold-off ${holdOffLabel(bestHold)})`,
          subtitle: `one line per batch k, points at increasing Poisson offered loads; ${ciNote}`,
          points: lines,
          seriesTitle: 'notification batch k',
          xTitle: 'throughput (thousand requests/s)',
          yTitle,
          xScale: 'linear',
          yScale: 'log',
        }),
      );
    }
  }
  return charts;
}

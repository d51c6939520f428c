// Console table and report summary of the event-batching study: the k sweep at the most common
// arrival rate (latency µs / notifications per item / CPU per request µs) and the key findings.
import type { StudyData } from '../../src/runner/study.js';
import { distinct, fmt, most, StudyQuery, type ConsoleTable } from '../../src/kit/index.js';
import { holdOffLabel, holdOffRank } from './charts.js';

const US = 1e-3;

export function eventBatchingConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const points = q.points;
  const sweepRate = most(points.map((p) => p['ratePerS']));
  const sweep = points.filter((p) => p['ratePerS'] === sweepRate);
  const holds = distinct<number>(
    sweep.map((params) => ({ params })),
    'holdOffNs',
  ).sort((a, b) => holdOffRank(a) - holdOffRank(b));
  const ks = distinct<number>(
    sweep.map((params) => ({ params })),
    'k',
  ).sort((a, b) => a - b);
  const cell = (k: number, h: number, m: string, scale: number, digits: number): string => {
    const p = sweep.find((q) => q['k'] === k && q['holdOffNs'] === h);
    const r = p === undefined ? undefined : q.of(p, m);
    return r === undefined || !Number.isFinite(r.mean) ? '-' : fmt(r.mean * scale, digits);
  };
  return {
    title: `Mean latency (µs) / notifications per item / CPU per request (µs) at ${fmt(Number(sweepRate) / 1000, 4)}k requests/s`,
    header: ['k', ...holds.map((h) => `hold-off ${holdOffLabel(h)}`)],
    rows: ks.map((k) => [
      String(k),
      ...holds.map(
        (h) =>
          `${cell(k, h, 'latencyMeanNs', US, 4)} / ${cell(k, h, 'notificationsPerItem', 1, 3)} / ${cell(k, h, 'cpuPerRequestNs', US, 3)}`,
      ),
    ]),
  };
}

export function eventBatchingReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const points = q.points;
  const sweepRate = most(points.map((p) => p['ratePerS']));
  const get = (k: number, h: number, m: string): number | undefined => {
    const p = points.find((q) => q['ratePerS'] === sweepRate && q['k'] === k && q['holdOffNs'] === h);
    return p === undefined ? undefined : q.of(p, m)?.mean;
  };
  const out: string[] = [];
  const ks = distinct<number>(
    points.map((params) => ({ params })),
    'k',
  ).sort((a, b) => a - b);
  const kMax = ks[ks.length - 1];
  for (const h of [0, 100_000]) {
    if (kMax === undefined) break;
    const c1 = get(1, h, 'cpuPerRequestNs');
    const cK = get(kMax, h, 'cpuPerRequestNs');
    const l1 = get(1, h, 'latencyMeanNs');
    const lK = get(kMax, h, 'latencyMeanNs');
    const n1 = get(1, h, 'notificationsPerItem');
    const nK = get(kMax, h, 'notificationsPerItem');
    if ([c1, cK, l1, lK, n1, nK].some((x) => x === undefined)) continue;
    out.push(
      `At ${fmt(Number(sweepRate) / 1000, 4)}k requests/s with hold-off ${holdOffLabel(h)}, going from k = 1 to k = ${kMax} cuts notifications per item from ${fmt(n1 as number, 3)} to ${fmt(nK as number, 3)} and host CPU per request from ${fmt((c1 as number) * US, 3)} µs to ${fmt((cK as number) * US, 3)} µs, and raises the mean latency from ${fmt((l1 as number) * US, 3)} µs to ${fmt((lK as number) * US, 3)} µs.`,
    );
  }
  // Under load the ring batches by itself (consumers still busy find new items in their final check).
  const loadHold = most(points.filter((p) => p['ratePerS'] !== sweepRate).map((p) => p['holdOffNs']));
  const loaded = points.filter((p) => p['holdOffNs'] === loadHold && p['k'] === 1);
  const top = loaded.sort((a, b) => (b['ratePerS'] as number) - (a['ratePerS'] as number))[0];
  if (top !== undefined && top['ratePerS'] !== sweepRate) {
    const n1 = q.of(top, 'notificationsPerItem')?.mean;
    const x = q.of(top, 'throughputPerS')?.mean;
    if (n1 !== undefined && x !== undefined) {
      out.push(
        `Under load the ring batches by itself: at ${fmt(x / 1000, 4)}k requests/s even k = 1 sends only ${fmt(n1, 3)} notifications per item, so explicit batching mostly trades latency for CPU at light and moderate loads.`,
      );
    }
  }
  return out;
}

// Charts and console table of the vif-fairness study (index.ts holds the model): the fairness index
// against the max-min allocation and the aggregate throughput against the number of domains, and the
// per-domain throughput beside its max-min fair share at the largest domain count (table domains).
import type { Params, StudyData } from '../../src/runner/study.js';
import {
  fmt,
  lineRows,
  measureVsParam,
  seriesLabeler,
  StudyQuery,
  summaryRowOf,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';

function labeler(q: StudyQuery): (p: Params) => string {
  const rest = seriesLabeler(q.points, null, ['domains', 'demand', 'rateLimitMbps']);
  const others = rest(q.points[0] ?? {}) !== 'all';
  return (p) => {
    const limit = p['rateLimitMbps'] === 0 ? 'no limit' : `limit ${String(p['rateLimitMbps'])} Mb/s`;
    return `${String(p['demand'])} demand, ${limit}${others ? `, ${rest(p)}` : ''}`;
  };
}

export function vifFairnessCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  if (q.points.length === 0) return [];
  const series = labeler(q);
  const order = (a: Params, b: Params): number => (a['domains'] as number) - (b['domains'] as number);
  const rows = (m: string) =>
    lineRows(data.summary, m, { x: 'domains', xValue: (p) => p['domains'] as number, series, order });
  const common = { x: 'domains', color: 'series', colorTitle: 'demand, limit', xTitle: 'transmitting domains' };
  const charts: ChartSpec[] = [
    measureVsParam({
      ...common,
      id: 'fairness-vs-domains',
      title: "Jain's index of throughput / max-min fair share vs domains (1 = max-min fair)",
      summary: rows('fairnessIndex'),
      measure: 'fairnessIndex',
      yTitle: "Jain's index of throughput_i / theory_i",
    }),
    measureVsParam({
      ...common,
      id: 'throughput-vs-domains',
      title: 'Aggregate UDP payload throughput vs domains (link goodput 957 Mb/s)',
      summary: rows('totalMbps'),
      measure: 'totalMbps',
      yTitle: 'payload throughput (Mb/s)',
    }),
  ];
  // per-domain throughput and theory at the largest domain count, mean over replications
  const table = data.tables['domains'] ?? [];
  const nMax = Math.max(...q.distinct<number>('domains'));
  const byKey = new Map<string, { point: number; domain: number; label: string; sim: number[]; theory: number }>();
  for (const row of table) {
    const point = Number(row['point']);
    const params = q.entries.find((e) => e.point === point)?.params;
    if (params === undefined || params['domains'] !== nMax) continue;
    const domain = Number(row['domain']);
    const key = `${point}/${domain}`;
    const e = byKey.get(key) ?? { point, domain, label: series(params), sim: [], theory: Number(row['theoryMbps']) };
    e.sim.push(Number(row['throughputMbps']));
    byKey.set(key, e);
  }
  if (byKey.size > 0) {
    const perDomain = [...byKey.values()].flatMap((e) => [
      summaryRowOf(e.point, { domain: e.domain, series: `${e.label} (simulated)` }, 'throughputMbps', e.sim),
      summaryRowOf(e.point, { domain: e.domain, series: `${e.label} (max-min)` }, 'throughputMbps', [e.theory]),
    ]);
    charts.push(
      measureVsParam({
        x: 'domain',
        color: 'series',
        colorTitle: 'demand, limit',
        id: 'per-domain-throughput',
        title: `Per-domain payload throughput at ${nMax} domains, simulated and max-min fair share`,
        summary: perDomain,
        measure: 'throughputMbps',
        xTitle: 'domain i',
        yTitle: 'payload throughput (Mb/s)',
      }),
    );
  }
  return charts;
}

export function vifFairnessConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const series = labeler(q);
  const labels = [...new Set(q.points.map(series))];
  const ns = q.distinct<number>('domains').sort((a, b) => a - b);
  return {
    title: "VIF fairness: Jain's index vs max-min (aggregate Mb/s) by domains",
    header: ['series', ...ns.map((n) => `${n} domains`)],
    rows: labels.map((l) => [
      l,
      ...ns.map((n) => {
        const p = q.points.find((x) => series(x) === l && x['domains'] === n);
        if (p === undefined) return '-';
        const j = q.of(p, 'fairnessIndex');
        const t = q.of(p, 'totalMbps');
        return j === undefined || t === undefined ? '-' : `${fmt(j.mean, 4)} (${fmt(t.mean, 4)})`;
      }),
    ]),
  };
}

/** Key findings for report.html: how far the shares are from max-min fairness, and the link use. */
export function vifFairnessReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const rows = (m: string) => q.rows(m).filter((r) => Number.isFinite(r.mean));
  const err = rows('maxRelErrorPct');
  const jain = rows('fairnessIndex');
  const total = rows('totalMbps').filter((r) => r.params['rateLimitMbps'] === 0);
  const out: string[] = [];
  if (err.length > 0)
    out.push(
      `Every domain's throughput is within ${fmt(Math.max(...err.map((r) => r.mean)), 3)}% of its max-min fair share (water-filling over demand and credit caps) at every point; Jain's index of throughput/share is at least ${fmt(Math.min(...jain.map((r) => r.mean)), 5)}.`,
    );
  if (total.length > 0)
    out.push(
      `Without rate limits the domains together fill the link: ${fmt(Math.min(...total.map((r) => r.mean)), 4)}–${fmt(Math.max(...total.map((r) => r.mean)), 4)} Mb/s of UDP payload against a goodput ceiling of 957.1 Mb/s (1 Gb/s, 1472 of 1538 wire bytes per frame).`,
    );
  return out;
}

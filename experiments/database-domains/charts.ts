// Charts, console table and report summary of the database-domains study (index.ts holds the model).
// In the paper's style: aggregate score against the number of instances, native Linux and Xen bars side
// by side, one panel (chart) for IR and one for OLTP, the last group being 8 domains with weights 1..8;
// and each weighted domain's share of throughput against its share of the weights, with the
// proportional-share line (the CPU shares are in tables/shares.csv). Scores: IR queries/s, OLTP transactions/s.
// The console table, report summary and model notes are in notes.ts.
import type { StudyData, TableRow } from '../../src/runner/study.js';
import { fmt, groupedBarsCi, StudyQuery, type ChartSpec } from '../../src/kit/index.js';
import { xyChart, type XYPoint } from '../../src/charts/xy.js';
import { CHART_WIDTH } from '../../src/charts/theme.js';

const SYSTEM_LABEL: Readonly<Record<string, string>> = { native: 'Linux', xen: 'Xen' };
export const KIND_TITLE: Readonly<Record<string, string>> = { ir: 'OSDB-IR (queries/s)', oltp: 'OSDB-OLTP (tx/s)' };
export const GRADED_GROUP = '8 (weights 1..8)';

function groupOf(instances: number, weights: string): string {
  return weights === 'graded'
    ? instances === 8
      ? GRADED_GROUP
      : `${instances} (weights 1..${instances})`
    : String(instances);
}

/** Grouped bars of the absolute aggregate score (mean, 95% CI) by instances and system, one workload. */
function scoreBars(data: StudyData, kind: string): ChartSpec | null {
  const rows = new StudyQuery(data)
    .rows('scorePerS')
    .filter((s) => s.params['workload'] === kind)
    .map((s) => ({
      group: groupOf(Number(s.params['instances']), String(s.params['weights'])),
      bar: SYSTEM_LABEL[String(s.params['system'])] ?? String(s.params['system']),
      value: s.mean,
      halfWidth: s.halfWidth,
    }));
  if (rows.length === 0) return null;
  const groups = [...new Set(rows.map((r) => r.group))].sort(
    (a, b) => parseFloat(a) - parseFloat(b) || a.length - b.length,
  );
  const kindTitle = KIND_TITLE[kind] ?? kind;
  return groupedBarsCi({
    id: `score-vs-instances-${kind}`,
    title: `${kindTitle}: aggregate score of concurrent database instances`,
    listTitle: `Aggregate ${kindTitle} vs instances, Linux and Xen`,
    subtitle: [
      'Linux: instances as processes of one native Linux; Xen: one domain per instance; two CPUs, one 10k RPM disk',
      'error bars: 95% CI over replications; model prediction, not fitted to the paper',
    ],
    rows,
    groups,
    bars: ['Linux', 'Xen'].filter((b) => rows.some((r) => r.bar === b)),
    valueField: 'score',
    xTitle: 'simultaneous instances',
    yTitle: `aggregate score, ${kindTitle}`,
    groupTooltip: 'instances',
    barTooltip: 'system',
    valueTooltip: 'score',
    label: (v) => fmt(v, 3),
    width: Math.max(CHART_WIDTH, groups.length * 90),
    xLabelLimit: 240,
  });
}

/** Mean over replications of a shares-table column, per (workload, instance), for the graded runs. */
export function gradedShares(data: StudyData): {
  kind: string;
  instance: number;
  weightPct: number;
  perCpuPct: number;
  tputPct: number;
  cpuPct: number;
  n: number;
}[] {
  const acc = new Map<
    string,
    { kind: string; instance: number; weightPct: number; perCpuPct: number; tput: number[]; cpu: number[] }
  >();
  const rows: readonly TableRow[] = data.tables['shares'] ?? [];
  for (const r of rows) {
    if (r['weights'] !== 'graded') continue;
    const kind = String(r['workload']);
    const instance = Number(r['instance']);
    const key = `${kind}/${instance}`;
    const e = acc.get(key) ?? {
      kind,
      instance,
      weightPct: Number(r['weightSharePct']),
      perCpuPct: Number(r['perCpuWeightSharePct']),
      tput: [],
      cpu: [],
    };
    e.tput.push(Number(r['throughputSharePct']));
    e.cpu.push(Number(r['cpuSharePct']));
    acc.set(key, e);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [...acc.values()]
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.instance - b.instance))
    .map((e) => ({
      kind: e.kind,
      instance: e.instance,
      weightPct: e.weightPct,
      perCpuPct: e.perCpuPct,
      tputPct: mean(e.tput),
      cpuPct: mean(e.cpu),
      n: e.tput.length,
    }));
}

function shareChart(data: StudyData): ChartSpec | null {
  const shares = gradedShares(data);
  if (shares.length === 0) return null;
  const points: XYPoint[] = [];
  const name = (k: string): string => (k === 'ir' ? 'OSDB-IR' : 'OSDB-OLTP');
  for (const s of shares) {
    const common = { x: s.weightPct, lo: 0, hi: 0, order: s.instance, label: '', n: s.n };
    points.push({ ...common, series: `${name(s.kind)} throughput share`, y: s.tputPct, lo: s.tputPct, hi: s.tputPct });
  }
  const ws = [...new Set(shares.map((s) => s.weightPct))].sort((a, b) => a - b);
  ws.forEach((w, i) =>
    points.push({ series: 'proportional to weight', x: w, y: w, lo: w, hi: w, order: i, label: '', n: 1 }),
  );
  // the per-CPU proportional share (one run queue per CPU, domains placed at creation): same for both kinds
  const first = shares.filter((s) => s.kind === shares[0]?.kind);
  for (const s of first)
    points.push({
      series: 'per-CPU proportional share (placement)',
      x: s.weightPct,
      y: s.perCpuPct,
      lo: s.perCpuPct,
      hi: s.perCpuPct,
      order: s.instance,
      label: '',
      n: 1,
    });
  return xyChart({
    id: 'share-vs-weight',
    title: 'Domains with BVT weights 1..8: share of throughput vs share of the weights',
    subtitle:
      'Xen, 8 domains on two CPUs; mean over replications; lines: proportional share of the machine, and of each CPU among the domains placed on it',
    points,
    seriesTitle: 'series',
    xTitle: "domain's share of the weights (%)",
    yTitle: "domain's share (%)",
    xScale: 'linear',
    yScale: 'linear',
  });
}

export function databaseDomainsCharts(data: StudyData): ChartSpec[] {
  return [scoreBars(data, 'ir'), scoreBars(data, 'oltp'), shareChart(data)].filter((c): c is ChartSpec => c !== null);
}

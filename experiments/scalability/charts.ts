// Charts, console table and report summary of the scalability study (index.ts holds the model): the
// paper's figure 6 in its style (aggregate throughput relative to one copy against the number of
// concurrent domains or processes, y from 0, one line per system: native Linux, Xen at 50 ms, Xen at
// 5 ms) with the ideal (1 copy per CPU while there are idle CPUs: min(N, CPUs)), and the CPU lost to
// switching; the UDP latency point (system=xen-udp) is left out of both and reported in the summary and
// tables/udp-latency.csv. Units: throughput ratios (dimensionless), percent of the CPUs, ms.
import type { Params, StudyData, SummaryRow, TableRow } from '../../src/runner/study.js';
import {
  countAxis,
  fmt,
  lineRows,
  measureVsParam,
  relativeToReference,
  StudyQuery,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';
import { MS } from '../slice-length/setup.js';

/** The paper's legend names: "Linux", "XenoLinux (50ms time slice)", "XenoLinux (5ms time slice)". */
export function systemLabel(p: Params): string {
  const slice = `${Number(p['ctxAllowNs']) / MS} ms slice`;
  if (p['system'] === 'xen-udp') return `Xen UDP ping, ${slice}`;
  return p['system'] === 'native' ? 'native Linux' : `Xen, ${slice}`;
}

/** The figure-6 points (without the UDP latency point). */
function figureQuery(data: StudyData): StudyQuery {
  return new StudyQuery(data).subset((p) => p['system'] !== 'xen-udp');
}

/** native first, then Xen by decreasing ctxAllow (the paper's legend order). */
const order = (a: Params, b: Params): number => rank(a) - rank(b);
function rank(p: Params): number {
  return p['system'] === 'native' ? -Infinity : -Number(p['ctxAllowNs']);
}

/**
 * Summary rows of workCpuPerS divided by the mean at domains = 1 with the same other parameters, as
 * measure 'relativeThroughput' (the half-width scaled by the same factor; the reference's own
 * uncertainty is not propagated). Rows without a reference are left out.
 */
export function relativeRows(summary: readonly SummaryRow[]): SummaryRow[] {
  const rows = summary.filter((r) => r.measure === 'workCpuPerS' && r.n > 0);
  return relativeToReference(rows, { param: 'domains', reference: 1, as: 'relativeThroughput' });
}

export function scalabilityCharts(data: StudyData): ChartSpec[] {
  const q = figureQuery(data);
  const summary = q.data.summary;
  if (q.points.length === 0) return [];
  const ns = q.distinct<number>('domains').sort((a, b) => a - b);
  const cpusSet = q.distinct<number>('cpus');
  const xValue = (p: Params) => p['domains'] as number;
  const common = {
    x: 'domains',
    color: 'series',
    colorTitle: 'system',
    ...countAxis(ns, 'concurrent domains or processes'),
  };
  const charts: ChartSpec[] = [];
  const rel = relativeRows(summary);
  if (rel.length > 0) {
    const cpus = cpusSet.length === 1 ? (cpusSet[0] as number) : undefined;
    charts.push(
      measureVsParam({
        ...common,
        id: 'figure6-relative-throughput',
        title: `Aggregate throughput relative to one copy, CPU-bound work on ${cpus === undefined ? 'the host' : `${cpus} CPUs`} (the paper's figure 6, predicted)`,
        summary: lineRows(rel, 'relativeThroughput', { x: 'domains', xValue, series: systemLabel, order }),
        measure: 'relativeThroughput',
        yTitle: 'aggregate throughput / throughput of one',
        ...(cpus === undefined
          ? {}
          : {
              theory: { label: 'no overhead: min(N, CPUs)', points: ns.map((n) => ({ x: n, y: Math.min(n, cpus) })) },
            }),
      }),
    );
  }
  const lost = lineRows(summary, 'switchingFraction', {
    x: 'domains',
    xValue,
    series: systemLabel,
    order,
    scale: 100,
  }).filter((r) => r.n > 0 && r.mean > 0);
  if (lost.length > 0) {
    charts.push(
      measureVsParam({
        ...common,
        id: 'switching-vs-domains',
        title: 'CPU lost to context switching (domain switches on Xen, process switches on native)',
        summary: lost,
        measure: 'switchingFraction',
        yTitle: 'CPU time spent switching (%, log scale)',
        yScale: 'log',
      }),
    );
  }
  return charts;
}

export function scalabilityConsoleTable(data: StudyData): ConsoleTable {
  const q = figureQuery(data);
  const summary = q.data.summary;
  const labels = [...new Set([...q.points].sort(order).map(systemLabel))];
  const ns = q.distinct<number>('domains').sort((a, b) => a - b);
  const rel = relativeRows(summary);
  const at = (label: string, n: number) =>
    rel.find((r) => r.params['domains'] === n && systemLabel(r.params) === label);
  return {
    title: 'Aggregate throughput relative to one copy (figure 6), by copies (rows) and system',
    header: ['domains', ...labels],
    rows: ns.map((n) => [
      String(n),
      ...labels.map((l) => {
        const r = at(l, n);
        return r === undefined ? '-' : fmt(r.mean, 4);
      }),
    ]),
  };
}

export function scalabilityReportSummary(data: StudyData): string[] {
  const udp = udpSummary(data);
  const rel = relativeRows(figureQuery(data).data.summary);
  const ns = [...new Set(rel.map((r) => r.params['domains'] as number))].sort((a, b) => a - b);
  const nMax = ns[ns.length - 1];
  if (nMax === undefined || nMax < 2) return udp;
  const labels = [...new Set([...rel].sort((a, b) => order(a.params, b.params)).map((r) => systemLabel(r.params)))];
  const parts = labels.flatMap((l) => {
    const r = rel.find((x) => x.params['domains'] === nMax && systemLabel(x.params) === l);
    return r === undefined ? [] : [`${l} ${fmt(r.mean, 4)}`];
  });
  return [
    `Throughput relative to one copy at ${nMax} copies: ${parts.join('; ')} (2 is no overhead on two CPUs).`,
    ...udp,
  ];
}

/** The ping warm-up after which the start-up lockstep has decayed (the default of udpWarmupNs). */
export const UDP_SETTLED_WARMUP_NS = 30_000_000_000;

/** One sentence on tables/udp-latency.csv, when the sweep has it. */
function udpSummary(data: StudyData): string[] {
  const rows = udpLatencyRows(data);
  const busy = rows.find((r) => r.target === 'busy');
  const idle = rows.find((r) => r.target === 'idle');
  const udpRun = data.runs.find((r) => r.params['system'] === 'xen-udp');
  if (busy === undefined || idle === undefined || udpRun === undefined) return [];
  const ms = (r: UdpLatencyRow) => `${fmt(r.meanMs, 3)} ± ${fmt(r.sdMs, 3)} ms`;
  const p = udpRun.params;
  return [
    `UDP ping round trip (mean ± s.d.) among ${String(p['domains'])} CPU-bound domains at ctxAllow ` +
      `${Number(p['ctxAllowNs']) / MS} ms, after ${Number(p['udpWarmupNs']) / 1e9} s of warm-up: busy domain ` +
      `${ms(busy)}, extra idle domain ${ms(idle)}` +
      (Number(p['udpWarmupNs']) < UDP_SETTLED_WARMUP_NS
        ? ` (a warm-up shorter than ${UDP_SETTLED_WARMUP_NS / 1e9} s: the idle figure is still in the start-up transient).`
        : '.'),
  ];
}

export interface UdpLatencyRow extends TableRow {
  readonly target: 'busy' | 'idle';
  readonly meanMs: number;
  readonly sdMs: number;
}

/**
 * The rows of tables/udp-latency.csv from the runs of the xen-udp point (the one with the most domains
 * when a --grid gives several; the first in grid order among equals): per target, meanMs = the mean of
 * the runs' mean round trips, sdMs = the square root of the mean of the runs' variances (the spread of
 * one run's round trips, not of the mean). Runs without a value are left out; no xen-udp run: no rows.
 */
export function udpLatencyRows(data: StudyData): UdpLatencyRow[] {
  const udp = data.runs.filter((r) => r.params['system'] === 'xen-udp');
  let point: number | undefined;
  let most = -1;
  for (const r of [...udp].sort((a, b) => a.point - b.point)) {
    const n = r.params['domains'] as number;
    if (n > most) [point, most] = [r.point, n];
  }
  const runs = udp.filter((r) => r.point === point);
  if (runs.length === 0) return [];
  const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const row = (target: 'busy' | 'idle'): UdpLatencyRow => {
    const means = runs.map((r) => r.measures[`${target}RttMeanNs`] ?? NaN).filter(Number.isFinite);
    const vars = runs.map((r) => (r.measures[`${target}RttSdNs`] ?? NaN) ** 2).filter(Number.isFinite);
    return { target, meanMs: meanOf(means) / MS, sdMs: Math.sqrt(meanOf(vars)) / MS };
  };
  return [row('busy'), row('idle')];
}

// Charts, console table and report summary of the slice-length study (index.ts holds the model and
// the declarations): aggregate throughput (absolute and relative to one domain), CPU lost to switching,
// mean switch cost, switch rate and wait between runs vs the number of domains (log x), one line per
// ctxAllow (ms), with the theory for pinned domains of equal weight.
import type { Params, StudyData, SummaryRow } from '../../src/runner/study.js';
import {
  countAxis,
  fmt,
  lineRows,
  measureVsParam,
  relativeToReference,
  seriesLabeler,
  StudyQuery,
  unzeroY,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';
import { evictedSwitchCostNs, guestsPerCpu, MS, pinnedTheory } from './setup.js';

const allowLabel = (v: unknown): string => `${Number(v) / MS} ms`;

/**
 * Throughput relative to one domain: each guestCpuPerS row divided by the mean at domains = 1 with the
 * same other parameters (rows without that reference are left out). The half-width is scaled by the
 * same factor (the reference's own uncertainty is not propagated).
 */
export function relativeThroughputRows(summary: readonly SummaryRow[]): SummaryRow[] {
  const rows = summary.filter((r) => r.measure === 'guestCpuPerS');
  return relativeToReference(rows, { param: 'domains', reference: 1, as: 'relativeThroughput' });
}

export function sliceLengthCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  const points = q.points;
  if (points.length === 0) return [];
  const series = seriesLabeler(points, 'ctxAllowNs', ['domains'], { ctxAllowNs: allowLabel });
  const order = (a: Params, b: Params): number => (a['ctxAllowNs'] as number) - (b['ctxAllowNs'] as number);
  const xValue = (p: Params) => p['domains'] as number;
  const rows = (measure: string, scale = 1) =>
    lineRows(data.summary, measure, { x: 'domains', xValue, series, order, scale });
  const ns = q.distinct<number>('domains').sort((a, b) => a - b);
  const allows = q.distinct<number>('ctxAllowNs').sort((a, b) => a - b);
  const costs = [...new Set(points.map(evictedSwitchCostNs))];
  const cpusSet = q.distinct<number>('cpus');
  // theory only when the switch cost and the CPU count are the same for every point (and the domains are pinned)
  const pinned = q.distinct<string>('bvtVariant').every((v) => v !== 'textbook');
  const c = costs.length === 1 && cpusSet.length === 1 && pinned ? (costs[0] as number) : undefined;
  const cpus = cpusSet[0] as number;
  const labelOf = new Map(points.map((p) => [p['ctxAllowNs'] as number, series(p)]));
  const theoryPoints = (f: (n: number, a: number) => number) =>
    allows.flatMap((a) => ns.map((n) => ({ x: n, y: f(n, a), series: labelOf.get(a) as string })));
  const common = { x: 'domains', color: 'series', colorTitle: 'ctxAllow', ...countAxis(ns, 'CPU-bound domains') };
  const cLabel = c === undefined ? '' : `c = ${fmt(c / 1000, 4)} µs`;
  const charts: ChartSpec[] = [
    unzeroY(
      measureVsParam({
        ...common,
        id: 'throughput-vs-domains',
        title: `Aggregate throughput of CPU-bound domains on ${cpusSet.length === 1 ? `${cpus} CPU${cpus === 1 ? '' : 's'}` : 'the host'} (guest CPU time per second)`,
        summary: rows('guestCpuPerS'),
        measure: 'guestCpuPerS',
        yTitle: 'guest CPU time per second (s/s)',
        ...(c === undefined
          ? {}
          : {
              theory: {
                label: `Σ CPUs: 1 − c/ctxAllow if shared, ${cLabel}`,
                points: theoryPoints((n, a) => pinnedTheory(n, cpus, a, c).guestCpuPerS),
              },
            }),
      }),
    ),
  ];
  const rel = relativeThroughputRows(data.summary);
  if (rel.length > 0) {
    charts.push(
      unzeroY(
        measureVsParam({
          ...common,
          id: 'relative-throughput-vs-domains',
          title: "Aggregate throughput relative to one domain (the paper's scalability figure, predicted)",
          summary: lineRows(rel, 'relativeThroughput', { x: 'domains', xValue, series, order }),
          measure: 'relativeThroughput',
          yTitle: 'throughput / throughput with 1 domain',
          ...(c === undefined
            ? {}
            : {
                theory: {
                  label: 'theory / theory at 1 domain',
                  points: theoryPoints(
                    (n, a) => pinnedTheory(n, cpus, a, c).guestCpuPerS / pinnedTheory(1, cpus, a, c).guestCpuPerS,
                  ),
                },
              }),
        }),
      ),
    );
  }
  charts.push(
    measureVsParam({
      ...common,
      id: 'switching-fraction-vs-domains',
      title: 'CPU lost to context switching (direct cost + TLB + cache refill)',
      summary: rows('switchingFraction', 100).filter((r) => r.mean > 0),
      measure: 'switchingFraction',
      yTitle: 'CPU time spent switching (%, log scale)',
      yScale: 'log',
      ...(c === undefined
        ? {}
        : {
            theory: {
              label: `c/ctxAllow per shared CPU, ${cLabel}`,
              points: theoryPoints((n, a) => 100 * pinnedTheory(n, cpus, a, c).switchingFraction).filter(
                (pt) => pt.y > 0,
              ),
            },
          }),
    }),
    measureVsParam({
      ...common,
      id: 'switch-cost-vs-domains',
      title: 'Mean cost of a context switch',
      summary: rows('meanSwitchCostNs', 1e-3).filter((r) => Number.isFinite(r.mean)),
      measure: 'meanSwitchCostNs',
      yTitle: 'mean switch cost (µs)',
      ...(c === undefined
        ? {}
        : { theory: { label: `switch to an evicted cache, ${cLabel}`, points: theoryPoints(() => c / 1000) } }),
    }),
    measureVsParam({
      ...common,
      id: 'switch-rate-vs-domains',
      title: 'Context switches per second (all CPUs)',
      summary: rows('switchesPerS').filter((r) => r.mean > 0),
      measure: 'switchesPerS',
      yTitle: 'context switches per second (log scale)',
      yScale: 'log',
    }),
  );
  const waitRows = rows('waitBetweenRunsMeanNs', 1 / MS).filter((r) => r.mean > 0);
  if (waitRows.length > 0) {
    charts.push(
      measureVsParam({
        ...common,
        id: 'wait-between-runs-vs-domains',
        title: 'What long slices cost: time a runnable domain waits between its runs',
        summary: waitRows,
        measure: 'waitBetweenRunsMeanNs',
        yTitle: 'mean wait between runs (ms, log scale)',
        yScale: 'log',
        ...(c === undefined
          ? {}
          : {
              theory: {
                label: 'round robin per CPU: (n_k − 1)·ctxAllow',
                points: theoryPoints((n, a) => {
                  const per = guestsPerCpu(n, cpus);
                  const w = per.reduce((s, k) => s + k * Math.max(0, k - 1), 0) / n;
                  return (w * a) / MS;
                }).filter((pt) => pt.y > 0),
              },
            }),
      }),
    );
  }
  return charts;
}

export function sliceLengthConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const series = seriesLabeler(q.points, 'ctxAllowNs', ['domains'], { ctxAllowNs: allowLabel });
  const labels = [
    ...new Set([...q.points].sort((a, b) => (a['ctxAllowNs'] as number) - (b['ctxAllowNs'] as number)).map(series)),
  ];
  const ns = q.distinct<number>('domains').sort((a, b) => a - b);
  const rel = relativeThroughputRows(data.summary);
  const get = (rs: readonly SummaryRow[], label: string, n: number) =>
    rs.find((r) => r.params['domains'] === n && series(r.params) === label);
  return {
    title:
      'Aggregate throughput (guest CPU-s per s; relative to 1 domain) and CPU lost to switching, by domains (rows) and ctxAllow',
    header: ['domains', ...labels],
    rows: ns.map((n) => [
      String(n),
      ...labels.map((l) => {
        const t = get(q.rows('guestCpuPerS'), l, n);
        const f = get(q.rows('switchingFraction'), l, n);
        const r = get(rel, l, n);
        if (t === undefined || f === undefined) return '-';
        return `${fmt(t.mean, 4)}${r === undefined ? '' : ` (×${fmt(r.mean, 3)})`}, ${fmt(100 * f.mean, 3)}% lost`;
      }),
    ]),
  };
}

export function sliceLengthReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const allows = q.distinct<number>('ctxAllowNs').sort((a, b) => a - b);
  const ns = q.distinct<number>('domains').sort((a, b) => a - b);
  const nMax = ns[ns.length - 1];
  const out: string[] = [];
  if (nMax === undefined) return out;
  const rel = relativeThroughputRows(data.summary);
  for (const a of allows) {
    const t = q.mean({ ctxAllowNs: a, domains: nMax }, 'guestCpuPerS');
    const f = q.mean({ ctxAllowNs: a, domains: nMax }, 'switchingFraction');
    const c = q.mean({ ctxAllowNs: a, domains: nMax }, 'meanSwitchCostNs');
    const r = rel.find((x) => x.params['ctxAllowNs'] === a && x.params['domains'] === nMax);
    if (t === undefined || f === undefined) continue;
    out.push(
      `ctxAllow ${a / MS} ms with ${nMax} domains: ${fmt(t, 4)} s of guest CPU per second` +
        (r === undefined ? '' : ` (${fmt(r.mean, 3)}× one domain)`) +
        `, ${fmt(100 * f, 3)}% of the CPUs lost to switching` +
        (c === undefined || !Number.isFinite(c) ? '.' : `, ${fmt(c / 1000, 4)} µs per switch.`),
    );
  }
  return out;
}

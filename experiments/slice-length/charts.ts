// Charts, console table and report summary of the slice-length study (index.ts holds the model and
// the declarations): switch rate, CPU lost to switching, useful throughput and wait between runs vs
// ctxAllow (ms), with the theory for N ≥ 2 equal domains.
import type { Params, StudyData } from '../../src/runner/study.js';
import { fmt, lineRows, measureVsParam, seriesLabeler, StudyQuery, unzeroY, type ChartSpec, type ConsoleTable } from '../../src/kit/index.js';
import { evictedSwitchCostNs, MS } from './index.js';

export function sliceLengthCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  const points = q.points;
  if (points.length === 0) return [];
  const series = seriesLabeler(points, 'domains', ['ctxAllowNs']);
  const order = (a: Params, b: Params): number => (a['domains'] as number) - (b['domains'] as number);
  const rows = (measure: string, scale = 1) =>
    lineRows(data.summary, measure, { x: 'ctxAllowMs', xValue: (p) => (p['ctxAllowNs'] as number) / MS, series, order, scale });
  const allows = q.distinct<number>('ctxAllowNs').sort((a, b) => a - b);
  const lo = allows[0] as number;
  const hi = allows[allows.length - 1] as number;
  // fine theory grid over the swept ctxAllow range (log-spaced)
  const grid = Array.from({ length: 41 }, (_, i) => lo * (hi / lo) ** (i / 40));
  const costs = [...new Set(points.map(evictedSwitchCostNs))];
  const c = costs.length === 1 ? (costs[0] as number) : undefined;
  const common = {
    x: 'ctxAllowMs',
    color: 'series',
    colorTitle: 'CPU-bound domains',
    xTitle: 'context-switch allowance ctxAllow (ms, log scale)',
    xScale: allows.length > 1 ? ('log' as const) : ('linear' as const),
  };
  const charts: ChartSpec[] = [
    measureVsParam({
      ...common,
      id: 'switch-rate-vs-ctx-allow',
      title: 'Context switches per second vs the BVT context-switch allowance',
      summary: rows('switchesPerS'),
      measure: 'switchesPerS',
      yTitle: 'context switches per second (log scale)',
      yScale: 'log',
      theory: { label: 'one switch per ctxAllow: 1/ctxAllow', points: grid.map((x) => ({ x: x / MS, y: 1e9 / x })) },
    }),
    measureVsParam({
      ...common,
      id: 'switching-fraction-vs-ctx-allow',
      title: 'CPU lost to context switching (direct cost + cache refill)',
      summary: rows('switchingFraction', 100).filter((r) => r.mean > 0),
      measure: 'switchingFraction',
      yTitle: 'CPU time spent switching (%, log scale)',
      yScale: 'log',
      ...(c === undefined
        ? {}
        : { theory: { label: `c/ctxAllow, c = ${fmt(c / 1000, 3)} µs (cache evicted)`, points: grid.map((x) => ({ x: x / MS, y: (100 * c) / x })) } }),
    }),
    unzeroY(measureVsParam({
      ...common,
      id: 'guest-throughput-vs-ctx-allow',
      title: 'Useful throughput: CPU time delivered to the guest domains per second',
      summary: rows('guestCpuPerS'),
      measure: 'guestCpuPerS',
      yTitle: 'guest CPU time per second (s/s)',
      ...(c === undefined ? {} : { theory: { label: '1 − c/ctxAllow', points: grid.map((x) => ({ x: x / MS, y: 1 - c / x })) } }),
    })),
  ];
  const waitRows = rows('waitBetweenRunsMeanNs', 1 / MS).filter((r) => r.mean > 0);
  if (waitRows.length > 0) {
    const labels = new Map(points.map((p) => [series(p), p['domains'] as number]));
    const theory = [...labels.entries()]
      .filter(([, n]) => n >= 2)
      .flatMap(([label, n]) => grid.map((x) => ({ x: x / MS, y: ((n - 1) * x) / MS, series: label })));
    charts.push(
      measureVsParam({
        ...common,
        id: 'wait-between-runs-vs-ctx-allow',
        title: 'What long slices cost: time a runnable domain waits between its runs',
        summary: waitRows,
        measure: 'waitBetweenRunsMeanNs',
        yTitle: 'mean wait between runs (ms, log scale)',
        yScale: 'log',
        ...(theory.length > 0 ? { theory: { label: 'round robin: (N − 1)·ctxAllow', points: theory } } : {}),
      }),
    );
  }
  return charts;
}

export function sliceLengthConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const series = seriesLabeler(q.points, 'domains', ['ctxAllowNs']);
  const labels = [...new Set(q.points.map(series))];
  const allows = q.distinct<number>('ctxAllowNs').sort((a, b) => a - b);
  const get = (label: string, a: number, m: string) => q.rows(m).find((r) => r.params['ctxAllowNs'] === a && series(r.params) === label);
  return {
    title: 'CPU lost to context switching (%) and switches per second, by ctxAllow (rows) and domains (columns)',
    header: ['ctxAllow', ...labels.map((l) => `N=${l}`)],
    rows: allows.map((a) => [
      `${a / MS} ms`,
      ...labels.map((l) => {
        const f = get(l, a, 'switchingFraction');
        const r = get(l, a, 'switchesPerS');
        return f === undefined || r === undefined ? '-' : `${fmt(100 * f.mean, 3)}% (${fmt(r.mean, 4)}/s)`;
      }),
    ]),
  };
}

export function sliceLengthReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const at = (a: number, n: number, m: string) => q.mean({ ctxAllowNs: a, domains: n }, m);
  const allows = q.distinct<number>('ctxAllowNs').sort((a, b) => a - b);
  const ns = q.distinct<number>('domains').sort((a, b) => a - b);
  const nMax = ns[ns.length - 1];
  const out: string[] = [];
  if (nMax === undefined) return out;
  for (const a of [allows[0], 5 * MS, allows[allows.length - 1]]) {
    if (a === undefined) continue;
    const f = at(a, nMax, 'switchingFraction');
    const r = at(a, nMax, 'switchesPerS');
    const w = at(a, nMax, 'waitBetweenRunsMeanNs');
    if (f === undefined || r === undefined) continue;
    out.push(
      `ctxAllow ${a / MS} ms with ${nMax} domains: ${fmt(r, 4)} switches/s, ${fmt(100 * f, 3)}% of the CPU lost to switching` +
        (w === undefined ? '.' : `, and a domain waits ${fmt(w / MS, 3)} ms between runs.`),
    );
  }
  return [...new Set(out)];
}


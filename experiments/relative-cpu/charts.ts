// Charts, console table and report summary of the relative-cpu study:
//  - relative-performance: the paper's figure shape — one group per workload, one bar per profile,
//    height = performance relative to native (> 1 faster), the absolute score written above each bar;
//  - spec-benchmarks-relative: each SPEC CINT2000 benchmark's ratio, normalised to native;
//  - breakdown-<workload>: where the time went (computation, guest-kernel operations, host), each
//    profile's bar in units of the native run time.
import type { ChartSpec, ConsoleTable, StudyData } from '../../src/runner/study.js';
import type { TableRow } from '../../src/runner/study.js';
import { groupedBarsNormalised, StudyQuery } from '../../src/kit/index.js';
import { baseSpec } from '../../src/charts/specBase.js';
import { barColor, CHART_HEIGHT, CHART_WIDTH, VALUE_FORMAT } from '../../src/charts/theme.js';
import { VIRT_PROFILES } from '../../src/models/guest/operations.js';

const GROUP_LABEL: Readonly<Record<string, string>> = {
  'spec-int': 'SPEC INT2000-like (score)',
  'kernel-build': 'Linux build time (s)',
};

function rows(data: StudyData, table: string): readonly TableRow[] {
  return data.tables[table] ?? [];
}

function fmtScore(workload: string, score: number): string {
  return workload === 'kernel-build' ? score.toFixed(1) : score.toFixed(0);
}

/** What a grouped relative-to-native bar chart (the paper's relative-performance figure) shows. */
export interface RelativeChartOptions {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  /** Rows with workload, <barField>, score, scoreUnit and relativeToNative. */
  readonly rows: readonly TableRow[];
  /** Column naming the bar within a group ('profile' or 'system'). */
  readonly barField: string;
  /** Group label of each workload, in the order of the groups. */
  readonly groupLabel: Readonly<Record<string, string>>;
  /** The label above a bar: the absolute score, formatted. */
  readonly fmt: (workload: string, score: number) => string;
  /** Top of the y axis at least this. */
  readonly domainMax: number;
  /** The y axis title. Default 'relative to native (> 1 faster)'. */
  readonly yTitle?: string;
}

/** One group per workload, one bar per profile; height relative to native, the score above each bar. */
export function groupedRelativeChart(o: RelativeChartOptions): ChartSpec {
  const profiles = [...VIRT_PROFILES] as string[];
  const present = new Set(o.rows.map((r) => String(r['workload'])));
  const groups = Object.entries(o.groupLabel)
    .filter(([w]) => present.has(w))
    .map(([, label]) => label);
  const values = o.rows.map((r) => ({
    group: o.groupLabel[String(r['workload'])] ?? String(r['workload']),
    profile: String(r[o.barField]),
    relative: Number(r['relativeToNative']),
    score: Number(r['score']),
    label: o.fmt(String(r['workload']), Number(r['score'])),
    unit: String(r['scoreUnit']),
  }));
  const x = {
    field: 'group',
    type: 'nominal',
    title: null,
    sort: groups,
    axis: { labelAngle: 0, labelOverlap: false, labelLimit: 240, ticks: false, labelPadding: 6 },
    scale: { paddingInner: 0.25 },
  };
  const xOffset = { field: 'profile', type: 'nominal', sort: profiles, scale: { paddingInner: 0.08 } };
  const y = {
    field: 'relative',
    type: 'quantitative',
    title: o.yTitle ?? 'relative to native (> 1 faster)',
    scale: { zero: true, domainMax: o.domainMax },
  };
  const tooltip = [
    { field: 'group', type: 'nominal', title: 'workload' },
    { field: 'profile', type: 'nominal', title: 'profile' },
    { field: 'relative', type: 'quantitative', title: 'relative to native', format: VALUE_FORMAT },
    { field: 'score', type: 'quantitative', title: 'score', format: VALUE_FORMAT },
    { field: 'unit', type: 'nominal', title: 'unit' },
  ];
  const spec = {
    ...baseSpec(o.title, o.subtitle, {
      width: Math.max(CHART_WIDTH, groups.length * (profiles.length * 40 + 40)),
      height: CHART_HEIGHT,
    }),
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x,
          xOffset,
          y,
          color: barColor('profile', profiles, true),
          tooltip,
        },
      },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 10 },
        encoding: { x, xOffset, y, text: { field: 'label', type: 'nominal' } },
      },
      {
        data: { values: [{ baseline: 1 }] },
        mark: { type: 'rule', color: '#444444', strokeDash: [4, 3], strokeWidth: 1 },
        encoding: { y: { field: 'baseline', type: 'quantitative' } },
      },
    ],
  };
  return { id: o.id, title: o.title, spec };
}

function relativeChart(rel: readonly TableRow[]): ChartSpec {
  return groupedRelativeChart({
    id: 'relative-performance',
    title: 'Relative performance of CPU workloads on native, xen, full-virt and hosted (simulated)',
    subtitle: 'bars: relative to native Linux; label: absolute score (SPEC ratio, or build time in s)',
    rows: rel,
    barField: 'profile',
    groupLabel: GROUP_LABEL,
    fmt: fmtScore,
    domainMax: 1.15,
  });
}

function breakdownChart(workload: string, br: readonly TableRow[]): ChartSpec | null {
  const mine = br.filter((r) => r['workload'] === workload);
  const native = mine.find((r) => r['profile'] === 'native');
  if (native === undefined) return null;
  const base = Number(native['computeS']) + Number(native['guestKernelS']) + Number(native['hostS']);
  if (!(base > 0)) return null;
  const parts = [
    ['computeS', 'user computation'],
    ['guestKernelS', 'guest-kernel operations'],
    ['hostS', 'host: dispatch, dom0, timer, cache refill'],
  ] as const;
  const values = mine.flatMap((r) =>
    parts.map(([k, label], order) => ({
      profile: String(r['profile']),
      part: label,
      order,
      seconds: Number(r[k]),
      share: Number(r[k]) / base,
    })),
  );
  const labels = parts.map((p) => p[1]) as string[];
  const title = `${workload === 'kernel-build' ? 'Linux build' : 'SPEC INT2000-like'}: where the time goes, in units of the native run`;
  const spec = {
    ...baseSpec(title, 'stacked: computation (the same everywhere), guest-kernel operations, host overhead'),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'profile', type: 'nominal', title: null, sort: [...VIRT_PROFILES], axis: { labelAngle: 0 } },
      y: { field: 'share', type: 'quantitative', title: 'time / native time', stack: 'zero' },
      color: barColor('part', labels, true),
      order: { field: 'order', type: 'quantitative' },
      tooltip: [
        { field: 'profile', type: 'nominal' },
        { field: 'part', type: 'nominal' },
        { field: 'seconds', type: 'quantitative', title: 'time (s)', format: VALUE_FORMAT },
        { field: 'share', type: 'quantitative', title: 'of native time', format: VALUE_FORMAT },
      ],
    },
  };
  return { id: `breakdown-${workload}`, title, spec };
}

export function relativeCharts(data: StudyData): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const rel = rows(data, 'relative');
  if (rel.length > 0) charts.push(relativeChart(rel));
  const bench = rows(data, 'spec-benchmarks');
  if (bench.length > 0)
    charts.push(
      groupedBarsNormalised({
        id: 'spec-benchmarks-relative',
        title: 'SPEC CINT2000-like benchmarks: ratio relative to native (simulated)',
        rows: bench.map((r) => ({
          group: String(r['benchmark']),
          bar: String(r['profile']),
          value: Number(r['ratio']),
        })),
        baseline: 'native',
        yTitle: 'SPEC ratio / native ratio',
        valueTitle: 'SPEC ratio',
      }),
    );
  const br = rows(data, 'breakdown');
  for (const w of ['spec-int', 'kernel-build']) {
    const c = breakdownChart(w, br);
    if (c !== null) charts.push(c);
  }
  return charts;
}

export function relativeConsoleTable(data: StudyData): ConsoleTable {
  const rel = rows(data, 'relative');
  const cell = (w: string, p: string): string => {
    const r = rel.find((x) => x['workload'] === w && x['profile'] === p);
    return r === undefined ? '' : `${fmtScore(w, Number(r['score']))} (${Number(r['relativeToNative']).toFixed(3)})`;
  };
  const share = new StudyQuery(data).mean({}, 'buildNativeOsShare');
  return {
    title: 'Relative performance (score, and relative to native: > 1 faster)',
    header: ['workload', ...VIRT_PROFILES],
    rows: ['spec-int', 'kernel-build'].map((w) => [w, ...VIRT_PROFILES.map((p) => cell(w, p))]),
    notes: [
      'spec-int: SPEC ratio (higher is better); kernel-build: build time in s (lower is better)',
      ...(share === undefined
        ? []
        : [`native kernel build OS share ${(100 * share).toFixed(2)} % (7 % by construction)`]),
    ],
  };
}

export function relativeReportSummary(data: StudyData): string[] {
  const rel = rows(data, 'relative');
  const get = (w: string, p: string): number =>
    Number(rel.find((x) => x['workload'] === w && x['profile'] === p)?.['relativeToNative'] ?? NaN);
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  return [
    `SPEC CINT2000-like relative to native: xen ${pct(get('spec-int', 'xen'))}, full-virt ${pct(get('spec-int', 'full-virt'))}, hosted ${pct(get('spec-int', 'hosted'))} — almost no OS work, so the profiles barely differ.`,
    `Kernel build relative to native: xen ${pct(get('kernel-build', 'xen'))}, full-virt ${pct(get('kernel-build', 'full-virt'))}, hosted ${pct(get('kernel-build', 'hosted'))} — its 7 % of OS time is repriced by each profile (process creation, page faults, mmap).`,
    'Predicted from Table 3 operation prices and independently described workload mixes; nothing is fitted to the paper relative-performance figure.',
  ];
}

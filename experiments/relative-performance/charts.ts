// Charts, console table and report summary of the relative-performance study:
//  - relative-performance: the paper's figure — one group per workload, one bar per system (native, xen,
//    full-virt, hosted), height = performance relative to native (> 1 better), the absolute score above
//    each bar (the grouped chart of experiments/relative-cpu/charts.ts), and the paper's approximate values
//    (notes.ts PAPER_FIGURE3) as a labelled layer of black diamonds, one on each bar;
//  - disk-shares: for each disk-bound workload and system, the disk's busy share of the run (near 1: the
//    disk limits the score).
import type { ChartSpec, ConsoleTable, StudyData, TableRow } from '../../src/runner/study.js';
import { baseSpec } from '../../src/charts/specBase.js';
import { barColor, VALUE_FORMAT } from '../../src/charts/theme.js';
import { VIRT_PROFILES } from '../../src/models/guest/operations.js';
import { groupedRelativeChart } from '../relative-cpu/charts.js';
import { paperRelative } from './notes.js';
import { figure3Rows } from './workloads.js';

const GROUP_LABEL: Readonly<Record<string, string>> = {
  'spec-int': 'SPEC INT2000-like (score)',
  'kernel-build': 'Linux build time (s)',
  'osdb-ir': 'OSDB-IR (queries/s)',
  'osdb-oltp': 'OSDB-OLTP (tx/s)',
  dbench: 'dbench-like (MB/s)',
  specweb: 'SPECweb99-like (conformant clients)',
};

function rows(data: StudyData, table: string): readonly TableRow[] {
  return data.tables[table] ?? [];
}

function fmtScore(workload: string, score: number): string {
  if (workload === 'kernel-build' || workload === 'dbench') return score.toFixed(1);
  return score.toFixed(0);
}

function sharesChart(detail: readonly TableRow[]): ChartSpec {
  const parts = [['diskBusyShare', 'disk busy']] as const;
  const labels = parts.map((x) => x[1]) as string[];
  const values = detail.flatMap((r) =>
    parts.map(([k, label]) => ({
      workload: String(r['workload']),
      system: String(r['system']),
      part: label,
      share: Number(r[k]),
    })),
  );
  const title = 'Disk-bound workloads: share of the run the disk is busy (simulated)';
  const spec = {
    ...baseSpec(title, 'near 1: the disk limits the score and the profiles barely differ; lower: the guest CPU does'),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      column: { field: 'workload', type: 'nominal', title: null },
      x: { field: 'system', type: 'nominal', title: null, sort: [...VIRT_PROFILES], axis: { labelAngle: 0 } },
      xOffset: { field: 'part', type: 'nominal', sort: labels },
      y: { field: 'share', type: 'quantitative', title: 'busy share of the run', scale: { domain: [0, 1] } },
      color: barColor('part', labels, true),
      tooltip: [
        { field: 'workload', type: 'nominal' },
        { field: 'system', type: 'nominal' },
        { field: 'part', type: 'nominal' },
        { field: 'share', type: 'quantitative', format: VALUE_FORMAT },
      ],
    },
  };
  return { id: 'disk-shares', title, spec };
}

const PAPER_LABEL = "paper's Figure 3 (approximate, for comparison)";

/** The paper's relative values of the workloads in `fig` as a point layer over the bars (their encodings). */
function paperLayer(
  fig: readonly TableRow[],
  bars: { x: unknown; xOffset: unknown; y: unknown },
): Record<string, unknown> | null {
  const present = [...new Set(fig.map((r) => String(r['workload'])))];
  const values = present.flatMap((w) =>
    VIRT_PROFILES.flatMap((profile, i) => {
      const relative = paperRelative(w, i);
      return relative === undefined ? [] : [{ group: GROUP_LABEL[w] ?? w, profile, relative, source: PAPER_LABEL }];
    }),
  );
  if (values.length === 0) return null;
  return {
    data: { values },
    mark: { type: 'point', filled: true, size: 50, color: '#111111' },
    encoding: {
      x: bars.x,
      xOffset: bars.xOffset,
      y: bars.y,
      shape: {
        field: 'source',
        type: 'nominal',
        title: null,
        scale: { range: ['diamond'] },
        legend: { orient: 'top' },
      },
      tooltip: [
        { field: 'group', type: 'nominal', title: 'workload' },
        { field: 'profile', type: 'nominal', title: 'system' },
        { field: 'relative', type: 'quantitative', title: "paper's relative value", format: VALUE_FORMAT },
      ],
    },
  };
}

export function relperfCharts(data: StudyData): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const fig = figure3Rows(data.runs);
  if (fig.length > 0) {
    const top = Math.max(1.15, ...fig.map((r) => Number(r['relativeToNative']) + 0.1));
    const chart = groupedRelativeChart({
      id: 'relative-performance',
      title: 'Relative performance on native, xen, full-virt and hosted, one CPU (simulated)',
      subtitle:
        "bars: relative to native Linux (> 1 better); label: absolute score in the unit of the group; diamonds: the paper's values",
      rows: fig,
      barField: 'system',
      groupLabel: GROUP_LABEL,
      fmt: fmtScore,
      domainMax: Math.round(top * 100) / 100,
      yTitle: 'relative to native (> 1 better)',
    });
    // the paper's layer shares the bars' x, xOffset and y encodings (same scales, same sort)
    const layers = chart.spec['layer'] as { encoding?: { x: unknown; xOffset: unknown; y: unknown } }[];
    const bars = layers[0]?.encoding;
    const paper = bars === undefined ? null : paperLayer(fig, bars);
    if (paper !== null) layers.push(paper);
    charts.push(chart);
  }
  const detail = rows(data, 'disk-detail');
  if (detail.length > 0) charts.push(sharesChart(detail));
  return charts;
}

export function relperfConsoleTable(data: StudyData): ConsoleTable {
  const fig = figure3Rows(data.runs);
  const workloads = [...new Set(fig.map((r) => String(r['workload'])))];
  const cell = (w: string, s: string): string => {
    const r = fig.find((x) => x['workload'] === w && x['system'] === s);
    return r === undefined ? '' : `${fmtScore(w, Number(r['score']))} (${Number(r['relativeToNative']).toFixed(3)})`;
  };
  return {
    title: 'Relative performance (score, and relative to native: > 1 better)',
    header: ['workload', ...VIRT_PROFILES],
    rows: workloads.map((w) => [w, ...VIRT_PROFILES.map((s) => cell(w, s))]),
    notes: [
      'scores: SPEC ratio; build time in s (lower is better); OSDB queries/s and tx/s; dbench MB/s;',
      'SPECweb99-like: conformant clients (bisection over the client count; --quick: a coarse search)',
    ],
  };
}

export function relperfReportSummary(data: StudyData): string[] {
  const fig = figure3Rows(data.runs);
  const get = (w: string, s: string): number =>
    Number(fig.find((x) => x['workload'] === w && x['system'] === s)?.['relativeToNative'] ?? NaN);
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const workloads = [...new Set(fig.map((r) => String(r['workload'])))];
  return [
    ...workloads.map(
      (w) =>
        `${w} relative to native: xen ${pct(get(w, 'xen'))}, full-virt ${pct(get(w, 'full-virt'))}, hosted ${pct(get(w, 'hosted'))}` +
        ` (the paper's figure, approximately: ${[1, 2, 3].map((i) => pct(paperRelative(w, i) ?? NaN)).join(' / ')}).`,
    ),
    "Every guest operation, block request and packet is priced by the profile (Table 3 cells and estimates derived from them); nothing is fitted to the paper's figure (its approximate values are shown beside, for comparison).",
  ];
}

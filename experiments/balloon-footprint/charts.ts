// Charts, console table and report summary of the balloon-footprint study (index.ts holds the model):
// the size at which paging starts and the smallest size reached, against the working set, with the
// model's exact theory (K + W; K or K + anonymous W) and the paper's figures quoted as a prediction.
import type { Params, StudyData } from '../../src/runner/study.js';
import {
  fmt,
  lineRows,
  measureVsParam,
  seriesLabeler,
  StudyQuery,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';
import { footprintTheory, PAGES_PER_MB } from './params.js';

function theoryParams(p: Params, swap: 'on' | 'off', w: number) {
  return {
    kernelPages: p['kernelPages'] as number,
    workingSetPages: w,
    anonFraction: p['anonFraction'] as number,
    swap,
    reservationPages: p['reservationPages'] as number,
  };
}

export function footprintCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  const points = q.points;
  const first = points[0];
  if (first === undefined) return [];
  const series = seriesLabeler(points, 'swap', ['workingSetPages'], { swap: (v) => `swap ${String(v)}` });
  const order = (a: Params, b: Params): number => (a['workingSetPages'] as number) - (b['workingSetPages'] as number);
  const rows = (m: string) =>
    lineRows(data.summary, m, {
      x: 'workingSetMB',
      xValue: (p) => (p['workingSetPages'] as number) / PAGES_PER_MB,
      series,
      order,
    });
  const ws = q.distinct<number>('workingSetPages').sort((a, b) => a - b);
  const common = { x: 'workingSetMB', color: 'series', colorTitle: 'swap', xTitle: 'working set W (MB)' };
  return [
    measureVsParam({
      ...common,
      id: 'paging-onset-vs-working-set',
      title: 'Memory at which paging starts as the balloon shrinks a 64 MB domain',
      summary: rows('firstFaultMB'),
      measure: 'firstFaultMB',
      yTitle: 'memory at the first page fault (MB)',
      theory: {
        label: 'K + W (model)',
        points: ws.map((w) => ({
          x: w / PAGES_PER_MB,
          y: footprintTheory(theoryParams(first, 'on', w)).pagingBelowPages / PAGES_PER_MB,
        })),
      },
    }),
    measureVsParam({
      ...common,
      id: 'min-size-vs-working-set',
      title: 'Smallest size the balloon reaches (paper, as a prediction: ~6 MB without swap, ~4 MB with swap)',
      summary: rows('minMB'),
      measure: 'minMB',
      yTitle: 'smallest memory reached (MB)',
      theory: {
        label: 'K (swap on), K + ⌈anon·W⌉ (swap off)',
        points: ws.flatMap((w) =>
          (['on', 'off'] as const).map((s) => ({
            x: w / PAGES_PER_MB,
            y: footprintTheory(theoryParams(first, s, w)).minPages / PAGES_PER_MB,
            series: `swap ${s}`,
          })),
        ),
      },
    }),
    measureVsParam({
      ...common,
      id: 'faults-at-min-vs-working-set',
      title: 'Page faults per second once shrunk to the smallest size',
      summary: rows('faultsPerSAtMin'),
      measure: 'faultsPerSAtMin',
      yTitle: 'page faults per second',
    }),
  ];
}

export function footprintConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const ws = q.distinct<number>('workingSetPages').sort((a, b) => a - b);
  const cell = (swap: string, w: number): string => {
    const f = q.mean({ swap, workingSetPages: w }, 'firstFaultMB');
    const m = q.mean({ swap, workingSetPages: w }, 'minMB');
    return m === undefined ? '-' : `${f === undefined || Number.isNaN(f) ? 'none' : fmt(f, 3)} / ${fmt(m, 3)}`;
  };
  return {
    title: 'Paging starts at / smallest size (MB) by working set, 64 MB domain',
    header: ['working set', 'swap on', 'swap off'],
    rows: ws.map((w) => [`${fmt(w / PAGES_PER_MB, 3)} MB`, cell('on', w), cell('off', w)]),
    notes: ['Paper (prediction, not fitted): about 4 MB with swap, about 6 MB without.'],
  };
}

export function footprintReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const out: string[] = [];
  for (const swap of ['on', 'off']) {
    const ms = q
      .distinct<number>('workingSetPages')
      .sort((a, b) => a - b)
      .map((w) => q.mean({ swap, workingSetPages: w }, 'minMB'));
    const vals = ms.filter((x): x is number => x !== undefined);
    if (vals.length === 0) continue;
    out.push(
      `Swap ${swap}: the balloon shrinks the 64 MB domain to ${fmt(Math.min(...vals), 3)}–${fmt(Math.max(...vals), 3)} MB over the working sets swept (paper: about ${swap === 'on' ? 4 : 6} MB; a prediction, not fitted).`,
    );
  }
  return out;
}

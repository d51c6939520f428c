// Charts, console table and report summary of the mm1-validation study (index.ts holds the model,
// the declarations and the analytic M/M/1 values): simulated means with their 95% CIs next to the
// theory curves; waits in ms.
import type { StudyData, SummaryRow } from '../../src/runner/study.js';
import { fmt, meanCi, measureVsParam, StudyQuery, type ChartSpec, type ConsoleTable } from '../../src/kit/index.js';
import { mm1Theory, type Mm1Measure } from './index.js';

const NS_PER_MS = 1e6;

/** Summary row of `measure` at each point, in point order. */
const rowsOf = (data: StudyData, measure: string): SummaryRow[] => new StudyQuery(data).rows(measure);

function theoryOf(row: SummaryRow, measure: Exclude<Mm1Measure, 'customersServed'>): number {
  return mm1Theory(Number(row.params['load']), Number(row.params['serviceMeanNs']))[measure];
}

function inside(row: SummaryRow, theory: number): boolean {
  return Math.abs(row.mean - theory) <= row.halfWidth;
}

/** Summary rows with mean and half-width divided by `scale` (ns → ms for the charts). */
function scaled(rows: readonly SummaryRow[], scale: number): SummaryRow[] {
  return rows.map((r) => ({ ...r, mean: r.mean / scale, sd: r.sd / scale, halfWidth: r.halfWidth / scale }));
}

/** Theory points on a fine load grid spanning the swept loads, one curve per service mean. */
function theoryCurve(
  rows: readonly SummaryRow[],
  measure: Exclude<Mm1Measure, 'customersServed'>,
  scale: number,
  bySeries: boolean,
): { x: number; y: number; series?: string }[] {
  const loads = rows.map((r) => Number(r.params['load']));
  const lo = Math.min(...loads);
  const hi = Math.max(...loads);
  const services = [...new Set(rows.map((r) => Number(r.params['serviceMeanNs'])))];
  const steps = 200;
  const points: { x: number; y: number; series?: string }[] = [];
  for (const s of services) {
    for (let i = 0; i <= steps; i++) {
      const x = hi === lo ? lo : lo + ((hi - lo) * i) / steps;
      const p: { x: number; y: number; series?: string } = { x, y: mm1Theory(x, s)[measure] / scale };
      if (bySeries) p.series = String(s);
      points.push(p);
    }
  }
  return points;
}

export function mm1Charts(data: StudyData): ChartSpec[] {
  const waitRows = rowsOf(data, 'waitMeanNs');
  const lRows = rowsOf(data, 'numberInSystemMean');
  const bySeries = new Set(waitRows.map((r) => r.params['serviceMeanNs'])).size > 1;
  const color = bySeries ? { color: 'serviceMeanNs', colorTitle: 'mean service time (ns)' } : {};
  return [
    measureVsParam({
      id: 'wait-vs-load',
      title: 'M/M/1: mean wait in queue vs load, simulated (95% CI) and Wq = ρ/(μ−λ)',
      summary: scaled(waitRows, NS_PER_MS),
      measure: 'waitMeanNs',
      x: 'load',
      xTitle: 'load ρ = λ/μ',
      yTitle: 'mean wait in queue Wq (ms, log scale)',
      yScale: 'log',
      ...color,
      theory: { label: 'theory ρ/(μ−λ)', points: theoryCurve(waitRows, 'waitMeanNs', NS_PER_MS, bySeries) },
    }),
    measureVsParam({
      id: 'number-in-system-vs-load',
      title: 'M/M/1: mean number in system vs load, simulated (95% CI) and L = ρ/(1−ρ)',
      summary: lRows,
      measure: 'numberInSystemMean',
      x: 'load',
      xTitle: 'load ρ = λ/μ',
      yTitle: 'mean number in system L (log scale)',
      yScale: 'log',
      ...color,
      theory: { label: 'theory ρ/(1−ρ)', points: theoryCurve(lRows, 'numberInSystemMean', 1, bySeries) },
    }),
  ];
}

/** "yes", or "no (1.3 hw)": how many CI half-widths the theory lies from the simulated mean. */
function verdict(row: SummaryRow, theory: number): string {
  if (inside(row, theory)) return 'yes';
  return row.halfWidth > 0 ? `no (${(Math.abs(row.mean - theory) / row.halfWidth).toFixed(2)} hw)` : 'no';
}

export function mm1ConsoleTable(data: StudyData): ConsoleTable {
  const waitRows = rowsOf(data, 'waitMeanNs');
  const lRows = rowsOf(data, 'numberInSystemMean');
  let waitIn = 0;
  let lIn = 0;
  const rows = waitRows.map((w, i) => {
    const l = lRows[i] as SummaryRow;
    const wT = theoryOf(w, 'waitMeanNs');
    const lT = theoryOf(l, 'numberInSystemMean');
    const wOk = inside(w, wT);
    const lOk = inside(l, lT);
    if (wOk) waitIn++;
    if (lOk) lIn++;
    return [
      fmt(Number(w.params['load']), 3),
      meanCi(w, 1 / NS_PER_MS),
      fmt(wT / NS_PER_MS),
      verdict(w, wT),
      meanCi(l),
      fmt(lT),
      verdict(l, lT),
    ];
  });
  const n = waitRows[0]?.n ?? 0;
  return {
    title: `M/M/1 simulated (mean ± 95% CI over ${n} replications) vs analytic`,
    header: ['load', 'Wq sim (ms)', 'Wq theory', 'in CI', 'L sim', 'L theory', 'in CI'],
    rows,
    notes: [
      `theory inside the 95% CI: Wq at ${waitIn}/${waitRows.length} loads, L at ${lIn}/${lRows.length} loads ` +
        `(a 95% CI misses about 1 time in 20 by chance; "hw" = CI half-widths between theory and the simulated mean)`,
    ],
  };
}

export function mm1ReportSummary(data: StudyData): string[] {
  const waitRows = rowsOf(data, 'waitMeanNs');
  const lRows = rowsOf(data, 'numberInSystemMean');
  const count = (rows: SummaryRow[], m: 'waitMeanNs' | 'numberInSystemMean'): number =>
    rows.filter((r) => inside(r, theoryOf(r, m))).length;
  const worst = Math.max(...waitRows.map((r) => Math.abs(r.mean / theoryOf(r, 'waitMeanNs') - 1)));
  return [
    `The analytic mean wait Wq = ρ/(μ−λ) lies inside the simulated 95% confidence interval at ${count(waitRows, 'waitMeanNs')} of ${waitRows.length} loads,`,
    `and L = ρ/(1−ρ) at ${count(lRows, 'numberInSystemMean')} of ${lRows.length};`,
    `the largest relative deviation of the simulated Wq from theory is ${(100 * worst).toFixed(2)}%.`,
  ];
}

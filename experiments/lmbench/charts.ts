// Charts, console table and report summary of the lmbench study: per profile, simulated / published
// for every Table 3 cell (grouped bars normalised to the published bar = 1).
import type { ChartSpec, ConsoleTable, StudyData } from '../../src/runner/study.js';
import { simulatedVsPublished } from '../../src/kit/index.js';
import { VIRT_PROFILES } from '../../src/models/guest/operations.js';

function rowsOf(data: StudyData) {
  return data.tables['table3'] ?? [];
}

export function lmbenchCharts(data: StudyData): ChartSpec[] {
  const rows = rowsOf(data);
  const charts: ChartSpec[] = [];
  for (const profile of VIRT_PROFILES) {
    const mine = rows.filter((r) => r['profile'] === profile);
    if (mine.length === 0) continue;
    charts.push(
      simulatedVsPublished({
        id: `table3-${profile}`,
        title: `lmbench (Table 3) in the ${profile} profile: simulated through the guest OS vs published`,
        rows: mine.map((r) => ({
          group: String(r['operation']),
          published: Number(r['publishedUs']),
          simulated: Number(r['simulatedUs']),
        })),
        valueTitle: 'latency (µs)',
      }),
    );
  }
  return charts;
}

export function lmbenchConsoleTable(data: StudyData): ConsoleTable {
  const rows = rowsOf(data);
  const ops = [...new Set(rows.map((r) => String(r['operation'])))];
  const cell = (op: string, profile: string): string => {
    const r = rows.find((x) => x['operation'] === op && x['profile'] === profile);
    if (r === undefined) return '';
    return `${Number(r['simulatedUs']).toPrecision(4)} / ${Number(r['publishedUs'])} (${(100 * Number(r['relError'])).toFixed(1)}%)`;
  };
  const bad = rows.filter((r) => Math.abs(Number(r['relError'])) > 0.05);
  return {
    title: 'lmbench through the guest OS: simulated / published µs (relative error)',
    header: ['operation', ...VIRT_PROFILES],
    rows: ops.map((op) => [op, ...VIRT_PROFILES.map((p) => cell(op, p))]),
    notes: [
      `${rows.length - bad.length} of ${rows.length} cells within 5 %${bad.length > 0 ? `; outside: ${bad.map((r) => `${r['profile']} ${r['operation']}`).join(', ')} (the footprint model's lat_ctx fit residuals)` : ''}`,
    ],
  };
}

export function lmbenchReportSummary(data: StudyData): string[] {
  const rows = rowsOf(data);
  const ops = rows.filter((r) => !String(r['operation']).startsWith('ctx '));
  const ctx = rows.filter((r) => String(r['operation']).startsWith('ctx '));
  const worst = (rs: typeof rows): number => rs.reduce((m, r) => Math.max(m, Math.abs(Number(r['relError']))), 0);
  return [
    `Processes and file/VM cells: largest relative error ${(100 * worst(ops)).toFixed(2)} % over ${ops.length} cells (the guest OS adds and loses nothing).`,
    `Context-switch cells: largest relative error ${(100 * worst(ctx)).toFixed(1)} % over ${ctx.length} cells (the footprint model's lat_ctx fit: 23 parameters for the 28 cells, scripts/fit-lat-ctx.ts).`,
  ];
}

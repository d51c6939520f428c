// Charts, console table and report summary of the ttcp study: per Table 4 column (direction and MTU),
// simulated / published for each profile (grouped bars normalised to the published bar = 1).
import type { ChartSpec, ConsoleTable, StudyData } from '../../src/runner/study.js';
import { simulatedVsPublished } from '../../src/kit/index.js';
import { VIRT_PROFILES } from '../../src/models/guest/operations.js';

function rowsOf(data: StudyData) {
  return data.tables['cells'] ?? [];
}

const COLUMNS = [
  { direction: 'tx', mtu: 1500 },
  { direction: 'rx', mtu: 1500 },
  { direction: 'tx', mtu: 500 },
  { direction: 'rx', mtu: 500 },
] as const;

function columnName(direction: string, mtu: number): string {
  return `MTU ${mtu} ${direction === 'tx' ? 'Tx' : 'Rx'}`;
}

export function ttcpCharts(data: StudyData): ChartSpec[] {
  const rows = rowsOf(data);
  const charts: ChartSpec[] = [];
  for (const c of COLUMNS) {
    const mine = rows.filter((r) => r['direction'] === c.direction && Number(r['mtu']) === c.mtu);
    if (mine.length === 0) continue;
    charts.push(
      simulatedVsPublished({
        id: `table4-${c.direction}-${c.mtu}`,
        title: `ttcp (Table 4), ${columnName(c.direction, c.mtu)}: simulated vs published, per profile`,
        rows: mine.map((r) => ({
          group: String(r['profile']),
          published: Number(r['publishedMbps']),
          simulated: Number(r['simulatedMbps']),
        })),
        valueTitle: 'bandwidth (Mb/s)',
      }),
    );
  }
  return charts;
}

export function ttcpConsoleTable(data: StudyData): ConsoleTable {
  const rows = rowsOf(data);
  const cell = (profile: string, direction: string, mtu: number): string => {
    const r = rows.find((x) => x['profile'] === profile && x['direction'] === direction && Number(x['mtu']) === mtu);
    if (r === undefined) return '';
    return `${Number(r['simulatedMbps']).toPrecision(4)} / ${Number(r['publishedMbps'])} (${(100 * Number(r['relError'])).toFixed(1)}%)`;
  };
  const outside = rows.filter((r) => Math.abs(Number(r['relError'])) > 0.1);
  return {
    title: 'ttcp (Table 4): simulated / published Mb/s (relative error)',
    header: ['profile', ...COLUMNS.map((c) => columnName(c.direction, c.mtu))],
    rows: VIRT_PROFILES.map((p) => [p, ...COLUMNS.map((c) => cell(p, c.direction, c.mtu))]),
    notes: [
      `${rows.length - outside.length} of ${rows.length} cells within 10 %` +
        (outside.length > 0
          ? `; outside: ${outside.map((r) => `${r['profile']} ${columnName(String(r['direction']), Number(r['mtu']))}`).join(', ')}`
          : ''),
      'calibration check: the guest per-packet (and hosted per-byte) costs are fitted to this table (npm run fit:net-costs)',
    ],
  };
}

export function ttcpReportSummary(data: StudyData): string[] {
  const rows = rowsOf(data);
  const lines: string[] = [];
  for (const p of VIRT_PROFILES) {
    const mine = rows.filter((r) => r['profile'] === p);
    if (mine.length === 0) continue;
    const worst = mine.reduce((m, r) => Math.max(m, Math.abs(Number(r['relError']))), 0);
    lines.push(`${p}: largest relative error ${(100 * worst).toFixed(1)} % over ${mine.length} cells.`);
  }
  return lines;
}

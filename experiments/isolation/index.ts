// Study isolation (paper §4.4): OSDB-IR and a SPECweb99-like web server in two of four equal domains,
// beside a disk hog (dd-style reader + small-file creator) and a fork bomb + memory hog, on Xen and as
// processes of one native Linux; solo = the two benchmarks without the antagonists. The model, its
// defaults and sources: runs.ts; parameters, measures and grid: params.ts; tables and charts: charts.ts.
// Defaults: warm-up 1 s, run 10 s, 2 replications, web score by bisection; --quick: 0.3 s + 1.5 s, one
// replication, the web score at the fixed load of 40 clients (conformant clients, no search).
import { defineStudy } from '../../src/kit/index.js';
import { isolationCharts, isolationConsoleTable, isolationReportSummary, isolationRows } from './charts.js';
import { ISOLATION_GRID, ISOLATION_MEASURES, ISOLATION_PARAMS } from './params.js';
import { runIsolation } from './runs.js';

export { ISOLATION_MEASURES } from './params.js';

export const isolation = defineStudy({
  name: 'isolation',
  version: 2,
  description: 'OSDB-IR and a web server beside a disk hog, a fork bomb and a memory hog: Xen domains vs native',
  details: [
    'Four equal Xen domains on the two-CPU server with one disk: OSDB-IR, a SPECweb99-like web server, a',
    'dd-style reader + small-file creator, and a fork bomb + memory hog with swap on the disk; or the same',
    "mix as processes of one native Linux. Xen's round robin over the block rings and the Linux 2.4",
    'elevator order the disk. Nothing is fitted to the paper; conservation is checked after every run.',
  ].join('\n'),
  params: ISOLATION_PARAMS,
  grid: ISOLATION_GRID,
  replications: 2,
  quickReplications: 1,
  quickParams: { warmupNs: 300_000_000, runLengthNs: 1_500_000_000, webClients: 40, webSearch: 'fixed' },
  measures: ISOLATION_MEASURES,
  run: (p, ctx) => runIsolation(p, ctx.seed),
  charts: isolationCharts,
  sweepTables: (data) => ({ isolation: isolationRows(data) }),
  consoleTable: isolationConsoleTable,
  reportSummary: isolationReportSummary,
});

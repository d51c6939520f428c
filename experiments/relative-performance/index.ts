// Study relative-performance: the paper's relative-performance figure (SOSP 2003, §4.1, Figure 3)
// predicted from the models — SPEC CINT2000-like, Linux kernel build, OSDB-IR, OSDB-OLTP, dbench-like
// and SPECweb99-like on native, xen, full-virt and hosted, one CPU; grouped bars normalised to native
// with the absolute score above each bar. The files: params.ts (parameters, --quick values),
// workloads.ts (the figure's workloads as one table), disk-runs.ts (OSDB and dbench), web-run.ts
// (SPECweb99-like), charts.ts (the figure, disk and web detail), notes.ts (what the model predicts, the
// mechanisms, what it leaves out, where it departs from the paper, and the paper's approximate values).
// Tables: tables/figure3.csv (a sweep table, exactly workload, system, score, scoreUnit, relativeToNative:
// > 1 = better than native whatever the unit: score / native score when higher is better, native score /
// score when lower is better; built from the measures by figure3Rows); tables/disk-detail.csv (the median run of each disk-bound row); tables/web-detail.csv (the
// run each web score comes from). Units: ns, s, ms, MB/s, queries/s, clients.
import { VIRT_PROFILES } from '../../src/models/guest/operations.js';
import { defineStudy } from '../../src/kit/index.js';
import type { TableRow } from '../../src/runner/study.js';
import { runCpuWorkloads, type CpuRuns } from '../relative-cpu/cpu-runs.js';
import { relperfCharts, relperfConsoleTable, relperfReportSummary } from './charts.js';
import { RELPERF_DETAILS } from './notes.js';
import { RELPERF_PARAMS, RELPERF_QUICK } from './params.js';
import {
  figure3Rows,
  FIGURE3_WORKLOADS,
  nativeMeasure,
  relMeasure,
  RELPERF_MEASURES,
  WORKLOADS,
  type RunInput,
} from './workloads.js';

export { FIGURE3_SYSTEMS, FIGURE3_WORKLOADS, figure3Rows, relMeasure, WORKLOADS } from './workloads.js';

export const relativePerformance = defineStudy({
  name: 'relative-performance',
  version: 5,
  description:
    "The paper's relative-performance figure: SPEC INT, kernel build, OSDB-IR, OSDB-OLTP, dbench, SPECweb99 on native, xen, full-virt, hosted",
  details: RELPERF_DETAILS,
  params: RELPERF_PARAMS,
  grid: { kind: 'cartesian', axes: { ptBatch: [2048] } },
  replications: 1,
  quickReplications: 1,
  quickParams: RELPERF_QUICK,
  measures: RELPERF_MEASURES,
  tables: {
    figure3: {
      doc: "one row per workload and system (a sweep table, nothing prepended): the score and its ratio to native (> 1 = better), the paper's figure; means over the runs",
      columns: {
        workload: FIGURE3_WORKLOADS.join(', '),
        system: 'native, xen, full-virt or hosted',
        score: 'the absolute score in scoreUnit',
        scoreUnit: 'the unit of score and which way is better',
        relativeToNative: 'performance relative to native (> 1 = better than native)',
      },
    },
    'disk-detail': {
      doc: 'the median run of each disk-bound workload and system: where its time went',
      columns: {
        workload: 'osdb-ir, osdb-oltp or dbench',
        system: 'native, xen, full-virt or hosted',
        diskBusyShare: 'disk busy time / elapsed time (OSDB: of the measured window)',
        opMeanMs: 'mean time of one query, transaction or dbench operation, ms',
        blockRequestUs: "the profile's price of one block request (guest driver path), µs",
      },
    },
    'web-detail': {
      doc: 'the SPECweb99-like score of each system and the run it comes from (the largest passing probe)',
      columns: {
        system: 'native, xen, full-virt or hosted',
        score: 'conformant clients at the largest passing client count (0: none passed)',
        passingClients: 'the largest client count with ≥ 95% conformant (0: none)',
        probes: 'runs of the bisection',
        runClients: 'clients of the run described by the next columns (the largest passing probe, else the last)',
        requestsPerSec: 'requests completed per second of the window',
        throughputMbps: 'response bytes delivered in the window / window, Mb/s',
        cpuBusyShare: 'busy share of the one CPU over the window (guest or kernel, hypervisor, switching)',
        p50Ms: 'median response time, ms',
        p99Ms: '99th percentile response time, ms',
        drops: 'packets the network dropped in the run (any reason)',
      },
    },
  },
  check(p) {
    return p.webClientStep > p.webMaxClients
      ? `webClientStep (${p.webClientStep}) exceeds webMaxClients (${p.webMaxClients})`
      : undefined;
  },
  calibrationNote(p) {
    return p.specFraction < 0.1
      ? `specFraction ${p.specFraction}: each SPEC benchmark's start (one exec, not scaled) weighs 1/specFraction times more than in a full run`
      : undefined;
  },
  run(p, ctx) {
    let cpu: CpuRuns | null = null;
    const input: RunInput = { p, seed: ctx.seed, cpuRuns: () => (cpu ??= runCpuWorkloads(p)) };
    const tables: Record<string, TableRow[]> = { 'disk-detail': [], 'web-detail': [] };
    const out: Record<string, number> = {};
    let events = 0;
    for (const w of WORKLOADS) {
      const r = w.run(input);
      events += r.events;
      for (const [name, rows] of Object.entries(r.tables)) (tables[name] ??= []).push(...rows);
      const native = r.scores.get('native') as number;
      if (!(native > 0))
        throw new Error(`relative-performance: ${w.id} scored ${native} on native, so no ratio to native exists`);
      out[nativeMeasure(w.id)] = native;
      for (const profile of VIRT_PROFILES) {
        if (profile === 'native') continue;
        const s = r.scores.get(profile) as number;
        out[relMeasure(w.id, profile)] = w.higherIsBetter ? s / native : native / s;
      }
    }
    if (cpu !== null) events += (cpu as CpuRuns).events;
    return { measures: out, events, tables };
  },
  sweepTables: (data) => ({ figure3: figure3Rows(data.runs) }),
  charts: relperfCharts,
  consoleTable: relperfConsoleTable,
  reportSummary: relperfReportSummary,
});

// Study lmbench: every Table 3 operation measured through the guest-OS models for the four
// virtualization profiles (native, xen, full-virt, hosted), beside the published numbers.
//
// Model. For each profile, lmbench-like programs run as processes of the guest OS
// (src/models/guest/lmbench.ts) on an otherwise idle host — a Xen host with one guest domain for xen,
// full-virt and hosted, the bare-metal host for native: a timed loop of each operation of the
// "processes" and "file and VM" parts (lat_syscall, lat_sig, lat_proc, lat_fs, lat_mmap,
// lat_pagefault), and lat_ctx's token ring for the context-switch part (N processes of S bytes, minus
// the one-process overhead). The guest OS prices operations with the profile (derived from Table 3 by
// src/models/guest/profile-fit.ts: kernel entries, faults, deliveries, page-table updates flushed per
// hypercall or trapped, plus kernel work), runs page-table updates through its queue (batch `ptBatch`),
// and costs process switches with the footprint cache model and the profile's lat_ctx fit.
// What it shows. At the default batch the processes and file/VM cells come back exactly (the profile's
// mechanisms plus its work term add up to the cell; the check is that the guest OS, its queue and its
// flushes add nothing and lose nothing). The context-switch cells are the footprint model's, fitted by
// scripts/fit-lat-ctx.ts: native Linux (L-UP) gives the machine's refill terms, and each virtualized
// profile adds the mechanisms of its switch path (Xen: the hypervisor's data touched at every switch;
// full-virt: shadow page tables kept for 8 address spaces and rebuilt on a miss; hosted: host processes
// with their own footprint and host-side state for 8 of them); the study shows the residuals.
// Table tables/table3.csv: one row per published cell: operation, profile, publishedUs, simulatedUs,
// relError (= simulated / published − 1); the runner prepends point, parameters and replication.
// Deterministic: no randomness at all (one replication).
// --quick: 3 timed iterations, 3 lat_ctx rounds.
import { TABLE3 } from '../../src/models/calibration.js';
import { LAT_CTX_CELLS } from '../../src/models/cache/lat-ctx.js';
import { latCtxOnGuest, latOpNs } from '../../src/models/guest/lmbench.js';
import { publishedNs } from '../../src/models/guest/profile-fit.js';
import {
  PROFILE_TABLE3_CONFIG,
  TABLE3_OPS,
  TABLE3_OP_NAMES,
  VIRT_PROFILES,
} from '../../src/models/guest/operations.js';
import type { TableRow } from '../../src/runner/study.js';
import { defineStudy, ptBatchParam, unusedWindowParams } from '../../src/kit/index.js';
import { lmbenchCharts, lmbenchConsoleTable, lmbenchReportSummary } from './charts.js';

/** The lmbench rows of the study, one per published cell. */
export function measureTable3(iterations: number, latCtxRounds: number, ptBatch: number): TableRow[] {
  const rows: TableRow[] = [];
  const add = (operation: string, profile: string, publishedUs: number, simulatedUs: number): void => {
    rows.push({
      operation,
      profile,
      publishedUs,
      simulatedUs: Number(simulatedUs.toFixed(6)),
      relError: Number((simulatedUs / publishedUs - 1).toFixed(6)),
    });
  };
  for (const profile of VIRT_PROFILES) {
    const cfg = PROFILE_TABLE3_CONFIG[profile];
    for (const op of TABLE3_OP_NAMES)
      add(TABLE3_OPS[op], profile, publishedNs(cfg, op) / 1000, latOpNs(profile, op, iterations, { ptBatch }) / 1000);
    LAT_CTX_CELLS.forEach((c, i) => {
      const published = TABLE3.contextSwitch.rows[cfg][i] as number;
      add(
        `ctx ${TABLE3.contextSwitch.columns[i]}`,
        profile,
        published,
        latCtxOnGuest(profile, c.processes, c.sizeKb * 1024, latCtxRounds).perSwitchNs / 1000,
      );
    });
  }
  return rows;
}

export const lmbench = defineStudy({
  name: 'lmbench',
  version: 2,
  description:
    'Table 3 (lmbench) through the guest OS for native, xen, full-virt and hosted profiles, beside the published numbers',
  details: [
    'Model: lmbench-like programs (timed loops; lat_ctx token ring) run as guest-OS processes on an idle host,',
    'one guest per profile (native on the bare-metal host). Operation costs from the profiles derived from',
    'Table 3 (profile-fit.ts); page-table updates through the guest queue (batch ptBatch); process switches',
    'from the footprint cache model with the profile lat_ctx fit.',
    'tables/table3.csv: operation, profile, publishedUs, simulatedUs, relError (one row per published cell).',
    'Measures: the largest |relError| over the processes and file/VM cells, over the context-switch cells, and',
    'over all; the number of cells within 5 %.',
    'Prediction (--quick, the same single run as full fidelity): the processes and file/VM cells equal Table 3',
    "to the printed digit on every profile (they are the profiles' prices); the context-switch cells within 5 %:",
    'native within 2.1 %, xen within 4.7 % (2p/0K 2.04 µs against 1.97), full-virt within 3.2 %, hosted within',
    '5.0 % (8p/64K 38.6 µs against 36.8); 96 of 96 cells within 5 %.',
    "Mechanisms: each timed loop runs the operation through the guest OS, which charges the profile's price for",
    "it (profile-fit.ts, from Table 3's cells: so those cells are a check of the plumbing, not a prediction);",
    'mmap and the faults also issue their page-table updates through the guest queue (xen: batched by ptBatch,',
    'one flush hypercall per batch); lat_ctx runs a token ring of N processes, each switch priced by the',
    'footprint cache model (direct cost + TLB refill + the evicted part of the working set from the 512 kB L2)',
    "with the profile's lat_ctx fit, so the 8p/64K and 16p cells follow from cache eviction.",
    'Left out: the variance of real lmbench runs (every loop here is deterministic), the host under full-virt',
    "and hosted (their extra costs are inside the profile's prices), the L-SMP and L-UP columns' difference",
    '(native is the L-UP column), and the rest of lmbench (bandwidths, other latencies).',
    'Departures from the paper (Table 3, calibration.ts TABLE3, in publishedUs): none beyond 5 %; the largest',
    'are the context-switch cells of xen (up to 4.7 %) and hosted (up to 5.0 %), where the fit of direct cost',
    'and footprint cannot match every cell of a row at once.',
  ].join('\n'),
  params: {
    iterations: {
      kind: 'int',
      default: 20,
      min: 1,
      max: 100_000,
      unit: 'iterations',
      doc: 'timed iterations of each operation loop (after 2 warm-up iterations)',
    },
    latCtxRounds: {
      kind: 'int',
      default: 10,
      min: 1,
      max: 10_000,
      unit: 'trips',
      doc: 'timed trips around the lat_ctx ring (after 3 warm-up trips)',
    },
    ...unusedWindowParams('lmbench times a number of iterations, not a window'),
    ptBatch: ptBatchParam(),
  },
  grid: { kind: 'cartesian', axes: { ptBatch: [2048] } },
  replications: 1,
  quickReplications: 1,
  quickParams: { iterations: 3, latCtxRounds: 3 },
  measures: {
    maxAbsRelErrorOps: { unit: '', doc: 'largest |simulated/published − 1| over the processes and file/VM cells' },
    maxAbsRelErrorCtx: { unit: '', doc: 'largest |simulated/published − 1| over the context-switch cells' },
    maxAbsRelError: { unit: '', doc: 'largest |simulated/published − 1| over every cell' },
    cellsWithin5pct: { unit: 'cells', doc: 'cells with |relError| ≤ 0.05 (of 96)' },
  },
  tables: {
    table3: {
      doc: 'one row per published Table 3 cell and profile',
      columns: {
        operation: 'Table 3 column (context switches as "ctx <processes>p/<size>K")',
        profile: 'native, xen, full-virt or hosted',
        publishedUs: 'the paper, µs',
        simulatedUs: 'measured through the guest OS, µs',
        relError: 'simulated / published − 1',
      },
    },
  },
  run(p) {
    const rows = measureTable3(p.iterations, p.latCtxRounds, p.ptBatch);
    let ops = 0;
    let ctx = 0;
    let within = 0;
    for (const r of rows) {
      const e = Math.abs(Number(r['relError']));
      if (String(r['operation']).startsWith('ctx ')) ctx = Math.max(ctx, e);
      else ops = Math.max(ops, e);
      if (e <= 0.05) within++;
    }
    return {
      measures: {
        maxAbsRelErrorOps: ops,
        maxAbsRelErrorCtx: ctx,
        maxAbsRelError: Math.max(ops, ctx),
        cellsWithin5pct: within,
      },
      events: 0,
      tables: { table3: rows },
    };
  },
  charts: lmbenchCharts,
  consoleTable: lmbenchConsoleTable,
  reportSummary: lmbenchReportSummary,
});

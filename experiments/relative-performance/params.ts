// Parameters of the relative-performance study and its --quick values. Units as named (ns, operations,
// clients). Sources: the paper's run sizes where it gives them (dbench about 90 000 operations; median of
// 7 runs); the rest are assumptions, said so in each doc. The CPU rows' parameters are relative-cpu's
// (experiments/relative-cpu/cpu-runs.ts CPU_RUN_PARAMS); warmupNs / runLengthNs (the kit's windowParams)
// are OSDB's measured window; the web row has its own window (webWarmupNs, webRunLengthNs) because
// each of its bisection probes is a fresh run.
import { intParam, timeParam, windowParams, type ParamsOf } from '../../src/kit/index.js';
import { CPU_RUN_PARAMS } from '../relative-cpu/cpu-runs.js';

export const RELPERF_PARAMS = {
  ...CPU_RUN_PARAMS,
  dbenchOps: intParam(
    90_000,
    100,
    10_000_000,
    'operations',
    "dbench operations of one client (the paper's run: about 90 000)",
  ),
  osdbClients: intParam(1, 1, 64, 'clients', 'OSDB clients (PostgreSQL backends); assumption: a single-user run'),
  medianOf: intParam(
    7,
    1,
    99,
    'runs',
    'runs of each disk-bound row; its score is their median (the paper: median of 7)',
  ),
  ...windowParams({
    warmupNs: 2_000_000_000,
    runLengthNs: 60_000_000_000,
    warmupDoc: 'OSDB: simulated time before counting queries',
    runLengthDoc: 'OSDB: simulated time over which queries per second are counted',
  }),
  webMaxClients: intParam(
    3072,
    1,
    4096,
    'clients',
    "web: the bisection's upper bound (assumption: above the 1 Gb/s link's cap of about 2960 clients at 320 kbit/s)",
  ),
  webClientStep: intParam(
    1,
    1,
    1024,
    'clients',
    'web: the bisection probes multiples of this client count (1: the standard search; larger: coarser, cheaper)',
  ),
  webWarmupNs: timeParam(
    1_000_000_000,
    0,
    1_000_000_000_000,
    'web: simulated time of each probe before measuring (the clients join over its first half; assumption)',
  ),
  webRunLengthNs: timeParam(
    4_000_000_000,
    1_000_000,
    10_000_000_000_000,
    "web: each probe's measured window (assumption; SPECweb99's own runs last minutes)",
  ),
} as const;

export type RelperfParams = ParamsOf<typeof RELPERF_PARAMS>;

/**
 * --quick: a few seconds of CPU in all — 1% of each SPEC benchmark, a 30-unit build, one short run of each
 * disk-bound row, and a coarse web search (probes in steps of 16 clients, 2 s of simulated time each).
 */
export const RELPERF_QUICK = {
  specFraction: 0.01,
  buildUnits: 30,
  dbenchOps: 3000,
  medianOf: 1,
  warmupNs: 200_000_000,
  runLengthNs: 2_000_000_000,
  webMaxClients: 2048,
  webClientStep: 16,
  webWarmupNs: 1_000_000_000,
  webRunLengthNs: 1_000_000_000,
} as const;

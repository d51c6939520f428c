// Parameters, measures and grid of the isolation study (index.ts: the study; runs.ts: the model).
// Units: ns, clients, MB/s. Defaults: the paper's setup (§4.4: four equal domains on the two-CPU server
// with the one DK32EJ disk); the web load and the partitions are assumptions (runs.ts header).
import type { ParamsOf } from '../../src/runner/study.js';
import { enumParam, intParam, windowParams } from '../../src/kit/index.js';

export const ISOLATION_MEASURES = {
  osdbQps: { unit: 'queries/s', doc: 'OSDB-IR queries per second' },
  webScore: {
    unit: 'clients',
    doc: 'SPECweb99-like: conformant clients (--quick: at the fixed load webClients; else the bisection)',
  },
  webConformantShare: { unit: '', doc: 'conformant share of the clients at the fixed load webClients' },
  diskHogMBps: { unit: 'MB/s', doc: "the dd-style reader's throughput (0 without antagonists)" },
  smallFilesPerS: { unit: '1/s', doc: "the small-file creator's files per second (0 without antagonists)" },
} as const;

export const ISOLATION_PARAMS = {
  system: enumParam(['xen', 'native'], 'xen', 'Xen domains or processes of one native Linux'),
  antagonists: enumParam(['off', 'on'], 'on', 'run the antagonists beside the two benchmarks'),
  antagonistSet: enumParam(
    ['all', 'disk', 'bomb-memory'],
    'all',
    "which antagonists run when antagonists is 'on' (to tell their effects apart)",
  ),
  diskScheduler: enumParam(
    ['linus', 'clook', 'deadline', 'fifo', 'sstf'],
    'linus',
    "the disk's elevator (linus: Linux 2.4's, in Xen 1.0's block layer and in native Linux 2.4)",
  ),
  webClients: intParam(60, 1, 2000, 'clients', 'web: the offered load (fixed), or the top of the bisection'),
  webSearch: enumParam(
    ['bisection', 'fixed'],
    'bisection',
    'web score: bisection over client counts (each probe a run of the whole mix) or the fixed load',
  ),
  ...windowParams({ warmupNs: 1_000_000_000, runLengthNs: 10_000_000_000 }),
} as const;
export type IsolationParams = ParamsOf<typeof ISOLATION_PARAMS>;

/** Solo (the two benchmarks alone) and with the antagonists, on Xen and on native. */
export const ISOLATION_GRID = {
  kind: 'cartesian',
  axes: { system: ['xen', 'native'], antagonists: ['off', 'on'] },
} as const;

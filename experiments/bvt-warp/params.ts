// bvt-warp: the declarations of the study (index.ts): the scheduler choices with their labels, registry
// names and how each warps the lat domain, the parameters and the measures. Units as named (ns, bytes,
// avt units = virtual-time units of BVT); the defaults are explained in index.ts's header.
import {
  ctxAllowParam,
  enumParam,
  intParam,
  timeParam,
  windowParams,
  workingSetParam,
  type SchedulerName,
} from '../../src/kit/index.js';

export const WARP_SCHEDULERS = [
  'bvt-xen1',
  'bvt-xen1-warp',
  'bvt-textbook',
  'bvt-textbook-warp',
  'bvt-xen2',
  'bvt-xen2-warp',
  'bvt-xen2-warp-at-creation',
  'credit',
] as const;
export type WarpScheduler = (typeof WARP_SCHEDULERS)[number];
export const DEFAULT_SCHEDULERS: readonly WarpScheduler[] = [
  'bvt-xen1',
  'bvt-textbook',
  'bvt-textbook-warp',
  'bvt-xen2',
  'bvt-xen2-warp',
  'bvt-xen2-warp-at-creation',
  'credit',
];
export const QUICK_SCHEDULERS: readonly WarpScheduler[] = [
  'bvt-xen1',
  'bvt-textbook-warp',
  'bvt-xen2',
  'bvt-xen2-warp',
  'credit',
];
export const SCHEDULER_LABEL: Record<string, string> = {
  'bvt-xen1': 'BVT Xen 1.0, no warp',
  'bvt-xen1-warp': 'BVT Xen 1.0 + warp (hypothetical)',
  'bvt-textbook': 'BVT paper (textbook), no warp',
  'bvt-textbook-warp': 'BVT paper (textbook) + warp',
  'bvt-xen2': 'BVT Xen 2.0, no warp',
  'bvt-xen2-warp': 'BVT Xen 2.0 + warp (adjdom)',
  'bvt-xen2-warp-at-creation': 'BVT Xen 2.0, warped at creation (starves)',
  credit: 'Credit (Xen 3.4, BOOST)',
};
/** Registry name of each scheduler choice. */
export const REGISTRY_NAME: Record<WarpScheduler, SchedulerName> = {
  'bvt-xen1': 'bvt-xen1',
  'bvt-xen1-warp': 'bvt-xen1',
  'bvt-textbook': 'bvt-textbook',
  'bvt-textbook-warp': 'bvt-textbook',
  'bvt-xen2': 'bvt-xen2',
  'bvt-xen2-warp': 'bvt-xen2',
  'bvt-xen2-warp-at-creation': 'bvt-xen2',
  credit: 'credit',
};
/** How the lat domain gets its warp: not at all, at creation, or by adjdom once svt ≥ warp (xen2). */
export const WARP_AT: Record<WarpScheduler, 'none' | 'creation' | 'adjdom'> = {
  'bvt-xen1': 'none',
  'bvt-xen1-warp': 'creation',
  'bvt-textbook': 'none',
  'bvt-textbook-warp': 'creation',
  'bvt-xen2': 'none',
  'bvt-xen2-warp': 'adjdom',
  'bvt-xen2-warp-at-creation': 'creation',
  credit: 'none',
};

export const BVT_WARP_PARAMS = {
  scheduler: enumParam(
    WARP_SCHEDULERS,
    'bvt-xen1',
    'bvt-xen1 | bvt-xen1-warp (hypothetical) | bvt-textbook | bvt-textbook-warp | bvt-xen2 | bvt-xen2-warp | bvt-xen2-warp-at-creation | credit (warp: lat domain only)',
  ),
  cpuBound: intParam(4, 0, 128, 'domains', 'CPU-bound domains N beside the latency-sensitive one'),
  latBurstMeanNs: timeParam(100_000, 1_000, 1_000_000_000, 'mean CPU burst of the lat domain (exponential)'),
  latWaitMeanNs: timeParam(10_000_000, 10_000, 10_000_000_000, 'mean blocking wait of the lat domain (exponential)'),
  latMcuAdvance: intParam(10, 1, 100_000, '', 'BVT inverse weight of the lat domain (10 = Xen default, as the others)'),
  warp: intParam(
    1000,
    0,
    0x7fffffff,
    'avt units',
    'warp of the lat domain in the *-warp schedulers (1000 = 10 ms of CPU at mcuAdvance 10)',
  ),
  warpLimitNs: timeParam(
    2_000_000_000,
    0,
    100_000_000_000,
    'warp limit (Xen 2.0 default 2000 ms; 0 = none; xen2: whole ms)',
  ),
  unwarpReqNs: timeParam(
    1_000_000_000,
    0,
    100_000_000_000,
    'unwarp requirement (Xen 2.0 default 1000 ms; xen2: whole ms)',
  ),
  ctxAllowNs: ctxAllowParam(),
  cpuWorkingSetBytes: workingSetParam(65_536, 'working set of each CPU-bound domain (context-switch refill)'),
  latWorkingSetBytes: workingSetParam(16_384, 'working set of the lat domain (context-switch refill)'),
  cdfCpuBound: intParam(8, 0, 128, 'domains', 'runs with this N write the latency quantile table (CDF chart)'),
  ...windowParams({ warmupNs: 1_000_000_000, runLengthNs: 60_000_000_000 }),
} as const;

export const BVT_WARP_MEASURES = {
  wakeLatencyMeanNs: {
    unit: 'ns',
    doc: 'mean wake-up latency of the lat domain (burst arrival → vCPU starts running, switch included)',
  },
  wakeLatencyP50Ns: { unit: 'ns', doc: 'median wake-up latency' },
  wakeLatencyP99Ns: { unit: 'ns', doc: '99th percentile of the wake-up latency' },
  wakeLatencyMaxNs: { unit: 'ns', doc: 'largest wake-up latency in the window' },
  burstDelayMeanNs: {
    unit: 'ns',
    doc: 'mean of (burst completion − arrival − burst length): wake-up latency + pre-emption during the burst',
  },
  wakeups: { unit: 'wake-ups', doc: 'wake-up latency samples in the window' },
  arrivalsWhileRunning: { unit: 'bursts', doc: 'bursts that arrived while the lat vCPU was running (not wake-ups)' },
  latCpuShare: { unit: '', doc: 'CPU time received by the lat domain / window' },
  cpuBoundCpuShare: { unit: '', doc: 'CPU time received by all CPU-bound domains / window' },
} as const;

export const BVT_WARP_TABLES = {
  wakeLatencyQuantiles: {
    doc: 'runs with cpuBound = cdfCpuBound: quantiles of the run’s wake-up latencies',
    columns: {
      quantile: 'quantile level q in [0, 1] (steps of 0.005)',
      latencyNs: 'wake-up latency at level q, ns (type-7 estimate)',
    },
  },
} as const;

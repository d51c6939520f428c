// bvt-weights: the declarations of the study (index.ts): the schedulers compared, the parameters, the
// measures and the tables. Units as named (ns, bytes); shares are fractions, errors in percent; the
// defaults are explained in index.ts's header.
import {
  ctxAllowParam,
  enumParam,
  intParam,
  timeParam,
  windowParams,
  workingSetParam,
  type SchedulerName,
} from '../../src/kit/index.js';

export const MAX_DOMAINS = 8;
export const WEIGHT_SCHEDULERS = ['bvt', 'bvt-textbook', 'credit'] as const;
export type WeightScheduler = (typeof WEIGHT_SCHEDULERS)[number];
export const REGISTRY_NAME: Record<WeightScheduler, SchedulerName> = {
  bvt: 'bvt-xen1',
  'bvt-textbook': 'bvt-textbook',
  credit: 'credit',
};
export const SCHEDULER_LABEL: Record<string, string> = {
  bvt: 'BVT (Xen 1.0)',
  'bvt-textbook': 'BVT (textbook)',
  credit: 'Credit',
};
const shareMeasures: Record<`share${number}`, { unit: string; doc: string }> = {};
for (let i = 1; i <= MAX_DOMAINS; i++) {
  shareMeasures[`share${i}`] = {
    unit: '',
    doc: `fraction of the guest domains' CPU time received by domain ${i} (weight ${i}); NaN if domains < ${i}`,
  };
}

export const BVT_WEIGHTS_MEASURES = {
  ...shareMeasures,
  maxRelErrorPct: { unit: '%', doc: 'largest |share_i / ideal_i − 1| over the domains, in percent' },
  meanAbsRelErrorPct: { unit: '%', doc: 'mean of |share_i / ideal_i − 1| over the domains, in percent' },
  jainIndex: {
    unit: '',
    doc: "Jain's fairness index of the normalised shares share_i / ideal_i (1 = exactly proportional)",
  },
  guestCpuFraction: { unit: '', doc: 'CPU time received by the guest domains / (window length · CPUs)' },
  switchesPerS: { unit: '1/s', doc: 'context switches per second of the window (host-wide)' },
} as const;

export const PARAMS = {
  scheduler: enumParam(
    WEIGHT_SCHEDULERS,
    'bvt',
    'bvt = Xen 1.0 BVT, bvt-textbook = the BVT paper’s algorithm (Duda & Cheriton 1999, no Xen release), credit = Credit (Xen 3.4)',
  ),
  domains: intParam(8, 2, MAX_DOMAINS, 'domains', 'CPU-bound guest domains, weights 1..domains'),
  mcuAdvanceBase: intParam(
    840,
    8,
    1_000_000,
    '',
    'BVT: mcuAdvance_i = round(base / i) (840 = lcm(1..8): exact inverse weights)',
  ),
  creditWeightUnit: intParam(256, 1, 8191, '', 'Credit: weight_i = unit · i (256 = Credit default weight)'),
  ctxAllowNs: ctxAllowParam(),
  workingSetBytes: workingSetParam(
    65_536,
    'working set of each guest for the context-switch refill cost (64 KB: Table 3 column)',
  ),
  startJitterNs: timeParam(20_000_000, 0, 10_000_000_000, 'domains start at uniform times in [0, jitter)'),
  ...windowParams({ warmupNs: 1_000_000_000, runLengthNs: 60_000_000_000 }),
} as const;

export const BVT_WEIGHTS_TABLES = {
  shares: {
    doc: 'per run, one row per guest domain',
    columns: {
      domain: 'domain name (w<i>)',
      domainWeight: 'weight i',
      mcuAdvance: 'BVT inverse weight given to the domain',
      creditWeight: 'Credit weight given to the domain',
      idealShare: 'ideal share under the run’s scheduler',
      measuredShare: "share of the guests' CPU time in the window",
      relErrorPct: 'measured / ideal − 1, in percent',
    },
  },
  convergence: {
    doc: 'per run, the largest relative error of the cumulative shares at 1-2-5 times after the warm-up',
    columns: {
      elapsedS: 'time since the end of the warm-up, s',
      maxRelErrorPctNow: 'max_i |share_i / ideal_i − 1| of the shares accumulated so far, in percent',
    },
  },
} as const;

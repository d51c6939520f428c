// The CPU scheduler registry: every scheduler model by name, with what it follows and a factory, and
// the default scheduler of a Host (chosen here, so host.ts imports no particular scheduler). Studies
// and the kit (src/kit) create schedulers by name; a new scheduler is one entry here.
// Names are closed (SchedulerName); options per family are passed through unchanged (units: ns).
import { BvtScheduler, type BvtOptions } from './bvt.js';
import { CreditScheduler, type CreditOptions } from './credit.js';
import { RoundRobinScheduler, type RoundRobinOptions } from './round-robin.js';
import type { CpuScheduler } from './scheduler.js';

/** Options for whichever scheduler a name selects (each family reads its own; `variant` is the name's). */
export interface SchedulerTuning {
  readonly bvt?: Omit<BvtOptions, 'variant'>;
  readonly credit?: CreditOptions;
  readonly roundRobin?: RoundRobinOptions;
}

export interface SchedulerEntry {
  /** Short label for legends and tables. */
  readonly label: string;
  /** What the model follows (source and version). */
  readonly source: string;
  create(tuning?: SchedulerTuning): CpuScheduler;
}

export const SCHEDULERS = {
  'bvt-xen1': {
    label: 'BVT (Xen 1.0)',
    source: 'Xen 1.0 xen/common/sched_bvt.c (warp window in wall time, ctx_allow wake-up pre-emption)',
    create: (t?: SchedulerTuning) => new BvtScheduler({ ...t?.bvt, variant: 'xen1' }),
  },
  'bvt-textbook': {
    label: 'BVT (textbook)',
    source: 'Duda & Cheriton, SOSP 1999 (evt-based wake-up pre-emption, virtual-time warp)',
    create: (t?: SchedulerTuning) => new BvtScheduler({ ...t?.bvt, variant: 'textbook' }),
  },
  'bvt-xen2': {
    label: 'BVT (Xen 2.0)',
    source:
      'Xen 2.0 xen/common/sched_bvt.c, Dec 2004 (u32 virtual times, stale evt, MCU/ns slip, warp and unwarp timers)',
    create: (t?: SchedulerTuning) => new BvtScheduler({ ...t?.bvt, variant: 'xen2' }),
  },
  credit: {
    label: 'Credit',
    source: 'Xen 3.4 xen/common/sched_credit.c (30 ms slice, 10 ms tick, BOOST, no rate limit)',
    create: (t?: SchedulerTuning) => new CreditScheduler(t?.credit),
  },
  'round-robin': {
    label: 'Round robin',
    source: 'Xen 2.0 xen/common/sched_rrobin.c (10 ms quantum)',
    create: (t?: SchedulerTuning) => new RoundRobinScheduler(t?.roundRobin),
  },
} as const satisfies Readonly<Record<string, SchedulerEntry>>;
export type SchedulerName = keyof typeof SCHEDULERS;

/** The scheduler a Host gets when none is given: Xen 1.0 BVT, the scheduler of the SOSP 2003 paper. */
export const DEFAULT_SCHEDULER: SchedulerName = 'bvt-xen1';

export function isSchedulerName(name: string): name is SchedulerName {
  return Object.hasOwn(SCHEDULERS, name);
}

/** A new scheduler instance by name (one per host). */
export function createScheduler(name: SchedulerName, tuning?: SchedulerTuning): CpuScheduler {
  return SCHEDULERS[name].create(tuning);
}

/** The default scheduler of a Host (see DEFAULT_SCHEDULER). */
export function createDefaultScheduler(): CpuScheduler {
  return createScheduler(DEFAULT_SCHEDULER);
}

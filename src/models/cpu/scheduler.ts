// The CPU scheduler interface: the hypervisor's table of scheduling operations (Xen's
// `struct scheduler`: add/remove, wake, sleep/block, yield, do_schedule → (task, slice), adjdom,
// ctl), plus the context the host gives a scheduler (current vCPU per PCPU, reschedule requests).
//
// Who calls what (the host's per-PCPU dispatcher, src/models/host/host.ts):
//   addVcpu        when a domain is created (the scheduler places the vCPU: sets vcpu.cpu)
//   removeVcpu     when a domain is destroyed (the vCPU may be queued or running)
//   wake           a blocked vCPU got CPU demand (it is not running)
//   notify         optional: an urgent demand (an event/interrupt) arrived for a runnable, queued vCPU
//   block          the running vCPU ran out of demand; a charge(…, runnable = false) follows at once
//   yield          the running vCPU gives up the CPU but stays runnable; a reschedule follows
//   charge         the vCPU that was current on `cpu` leaves it after `ranNs` (measured from the
//                  dispatch decision, as Xen's `lastschd`, so it includes the context switch);
//                  the scheduler accounts the run and re-queues the vCPU if `runnable`
//   pickNext       choose what `cpu` runs next and for how long (Infinity = until preempted)
//   setParams      per-domain parameters changed (control.setSchedParams)
// Everything happens at `now` = sim.now. The scheduler never schedules host work itself; it asks the
// host through the context: `reschedule(cpu)` (run pickNext on `cpu` once the current instant's
// guest activity is done) or `rescheduleAt(cpu, t)` (end the current slice at t at the latest).
//
// Units: integer nanoseconds. Scheduler-specific parameters are documented in bvt.ts, credit.ts,
// round-robin.ts; the per-domain parameter bag below carries all of them so a study can switch
// schedulers without rewriting its domains (each scheduler reads its own fields).
//
// The schedulers see the host's vCPUs and domains only through the small views below (SchedVcpu,
// SchedDomain), declared here so that cpu/ does not depend on the host's classes; the host's Vcpu and
// Domain satisfy them structurally. Each scheduler keeps its own per-vCPU record in an array indexed
// by SchedVcpu.id (host-unique, dense from 0), so no state hangs off the vCPU object.
import type { Simulation } from '../../sim/index.js';
import { checkInt } from '../validate.js';

/** A vCPU's scheduling state as the host reports it. */
export type SchedVcpuState = 'blocked' | 'runnable' | 'running';

/** What a scheduler may read of a domain. */
export interface SchedDomain {
  readonly id: number;
  readonly name: string;
  /** Parameters as set (validated); the scheduler applies its defaults to missing fields. */
  readonly schedParams: Readonly<DomainSchedParams>;
  readonly vcpus: readonly SchedVcpu[];
}

/** What a scheduler may read of a vCPU, and the one field it writes (`cpu`, its run queue). */
export interface SchedVcpu {
  /** Host-unique id (creation order, from 0): the index of the scheduler's per-vCPU record. */
  readonly id: number;
  /** Index within its domain. */
  readonly index: number;
  readonly name: string;
  readonly domain: SchedDomain;
  /** The PCPU whose run queue holds it; set by the scheduler's placement and migration. */
  cpu: number;
  readonly state: SchedVcpuState;
}

/** Per-domain scheduling parameters; every field is optional (the scheduler's default applies). */
export interface DomainSchedParams {
  /** BVT: inverse weight (virtual time advance per MCU of CPU). Xen 1.0 default 10 (docs/calibration.md). */
  readonly mcuAdvance?: number;
  /** BVT: warp, in virtual-time units (avt units: MCUs · mcuAdvance); 0 = no warping. */
  readonly warp?: number;
  /** BVT: warp limit, ns. */
  readonly warpLimitNs?: number;
  /** BVT: unwarp requirement, ns. */
  readonly unwarpReqNs?: number;
  /** Credit: weight (default 256, docs/calibration.md "Later Xen schedulers"). */
  readonly weight?: number;
  /** Credit: cap in % of one CPU, 0 = no cap. */
  readonly capPercent?: number;
}

/** Allowed ranges of the per-domain parameters (from the widths of Xen's fields). */
export const SCHED_PARAM_LIMITS = {
  /** Xen: u32 mcu_advance, 0 rejected (sched_adjdom: "avoid divide-by-zero"). */
  mcuAdvance: { min: 1, max: 0xffffffff },
  /** Xen 2.0: s32 warp_value. */
  warp: { min: 0, max: 0x7fffffff },
  warpLimitNs: { min: 0, max: Number.MAX_SAFE_INTEGER },
  unwarpReqNs: { min: 0, max: Number.MAX_SAFE_INTEGER },
  /** Xen credit: uint16_t weight; 0 means "unchanged" in the hypercall, so 1 is the least weight. */
  weight: { min: 1, max: 65535 },
  /** Xen credit: uint16_t cap, in % of one CPU; more than 100 only makes sense with several vCPUs. */
  capPercent: { min: 0, max: 65535 },
} as const;

const PARAM_KEYS = ['mcuAdvance', 'warp', 'warpLimitNs', 'unwarpReqNs', 'weight', 'capPercent'] as const;

/** Validates a parameter bag: unknown fields and out-of-range values throw RangeError. */
export function validateSchedParams(where: string, params: DomainSchedParams, vcpuCount: number): void {
  if (params === null || typeof params !== 'object')
    throw new RangeError(`${where}: sched params must be an object, got ${String(params)}`);
  for (const key of Object.keys(params)) {
    if (!(PARAM_KEYS as readonly string[]).includes(key)) {
      throw new RangeError(
        `${where}: unknown scheduling parameter ${JSON.stringify(key)}; allowed: ${PARAM_KEYS.join(', ')}`,
      );
    }
  }
  for (const key of PARAM_KEYS) {
    const value = params[key];
    if (value === undefined) continue;
    const lim = SCHED_PARAM_LIMITS[key];
    const max = key === 'capPercent' ? Math.min(lim.max, 100 * vcpuCount) : lim.max;
    checkInt(where, key, value, lim.min, max);
  }
}

/** What a PCPU runs next: a vCPU (or null = idle) and the slice length in ns (Infinity = no timer). */
export interface Decision {
  vcpu: SchedVcpu | null;
  sliceNs: number;
}

/** What the host offers a scheduler. */
export interface SchedulerContext {
  readonly sim: Simulation;
  readonly numCpus: number;
  /** The vCPU current on `cpu` (running, or being switched to), or null when the CPU is idle. */
  current(cpu: number): SchedVcpu | null;
  /** Optional: how many PCPUs have no current vCPU (current(c) === null), so a scan for idle ones can stop early. */
  idleCount?(): number;
  /** When the current dispatch on `cpu` was decided (Xen's `lastschd`). */
  dispatchedAtNs(cpu: number): number;
  /** When the current slice on `cpu` ends (Infinity if no slice timer is set). */
  sliceEndNs(cpu: number): number;
  /** Run the scheduler on `cpu` at the current instant, after the instant's guest activity. */
  reschedule(cpu: number): void;
  /** End the current slice on `cpu` at `timeNs` at the latest (no effect if it ends earlier). */
  rescheduleAt(cpu: number, timeNs: number): void;
}

/**
 * The host's periodic timer event as a Xen version sends it (the host reads this when its own
 * `timerTickNs` option is not given):
 *   'every-domain' — Xen 1.0 schedule.c virt_timer: an event to every domain every 20 ms, which
 *                    wakes blocked domains (the host's default when a scheduler says nothing);
 *   'running'      — Xen 2.0 schedule.c t_timer_fn: every 10 ms, VIRQ_TIMER to the domain running on
 *                    each CPU only; it never wakes anyone and never calls the scheduler.
 */
export const TimerEventTarget = { everyDomain: 'every-domain', running: 'running' } as const;
export type TimerEventTarget = (typeof TimerEventTarget)[keyof typeof TimerEventTarget];

export interface TimerEventPolicy {
  readonly periodNs: number;
  readonly target: TimerEventTarget;
}

/**
 * Xen 2.0's per-PCPU timer heap (ac_timer.c) as a scheduler that keeps one offers it to the host (BVT
 * 'xen2', bvt.ts): the host routes its timer-driven events through it, so that every timer of an
 * instant fires in the heap's order and with its slop.
 */
export interface SchedulerTimerHeap {
  /**
   * The domain's one-shot timer (set_timer_op): armed at `expiresNs` (moved if armed); `fn` runs when
   * the PCPU's timers are serviced (after a block of the same instant, in heap order, up to the slop early).
   */
  setDomainTimer(vcpu: SchedVcpu, expiresNs: number, fn: () => void): void;
  /** Cancels the domain's one-shot timer (rem_ac_timer); no effect if it is not armed. */
  cancelDomainTimer(vcpu: SchedVcpu): void;
  /**
   * Starts the periodic tick (Xen 2.0 t_timer) on every PCPU: one timer per PCPU in its heap, first due
   * at now + periodNs, re-armed at (service time) + periodNs each time it fires; `fn(cpu, current)`
   * runs each time, with the vCPU current on that PCPU as Xen sees it (null = idle).
   */
  startTick(periodNs: number, fn: (cpu: number, current: SchedVcpu | null) => void): void;
}

/** The scheduler operations. One instance serves one host. */
export interface CpuScheduler {
  /** Short name for traces and errors: 'bvt', 'credit', 'round-robin'. */
  readonly name: string;
  /** The timer event of the Xen version this scheduler follows; absent = the host's default. */
  readonly timerEvent?: TimerEventPolicy;
  /** Xen 2.0's timer heap, if this scheduler keeps one (BVT 'xen2'); absent = the host's own events. */
  readonly timerHeap?: SchedulerTimerHeap;
  /** Called once by the host before anything else. */
  attach(ctx: SchedulerContext): void;
  addVcpu(vcpu: SchedVcpu, now: number): void;
  removeVcpu(vcpu: SchedVcpu, now: number): void;
  wake(vcpu: SchedVcpu, now: number): void;
  notify?(vcpu: SchedVcpu, now: number): void;
  block(vcpu: SchedVcpu, now: number): void;
  yield(vcpu: SchedVcpu, now: number): void;
  charge(vcpu: SchedVcpu, cpu: number, ranNs: number, runnable: boolean, now: number): void;
  /** The returned object may be reused by the next call; copy what you keep. */
  pickNext(cpu: number, now: number): Decision;
  /** Validates `params` for this scheduler (RangeError naming field, value and range); domain is null at creation. */
  validateParams(params: DomainSchedParams, domain: SchedDomain | null): void;
  /** The domain's parameters changed (already merged into domain.schedParams and validated). */
  setParams(domain: SchedDomain, now: number): void;
}

/**
 * Per-vCPU records of one scheduler, indexed by SchedVcpu.id (dense, host-unique). `get` throws if
 * the vCPU was never added to this scheduler, so a record is never read as the wrong type.
 */
export class VcpuTable<E> {
  private readonly rows: (E | undefined)[] = [];

  constructor(private readonly where: string) {}

  set(v: SchedVcpu, e: E): void {
    this.rows[v.id] = e;
  }

  get(v: SchedVcpu): E {
    const e = this.rows[v.id];
    if (e === undefined) throw new Error(`${this.where}: ${v.name} (id ${v.id}) was not added to this scheduler`);
    return e;
  }
}

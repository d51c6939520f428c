// Borrowed Virtual Time, in three variants: Xen 1.0's schedule.c ('xen1', the default), the BVT
// paper's algorithm (Duda & Cheriton, SOSP 1999: 'textbook'), and Xen 2.0's sched_bvt.c ('xen2').
//
// Sources (read for this model):
//   Xen 1.0 (Oct 2003) xen/common/schedule.c ("Rolf Neugebar & Keir Fraser"): MCU = 100 µs,
//     MCU_ADVANCE = 10, ctx_allow = 5 ms, TIME_SLOP = 50 µs; schedule(): ranfor = now − lastschd,
//     mcus = ceil(ranfor / MCU), avt += mcus · mcu_advance, __calc_evt, re-queue at the tail if still
//     runnable, scan the run queue for the lowest evt (`next`, first in queue order on ties) and the
//     second lowest (`next_prime`), svt = min avt over the queue (unchanged if only idle is left);
//     r_time = ctx_allow if idle, 10 · ctx_allow if `next` is the only runnable domain, else
//     (next_prime.evt − next.evt) / next.mcu_advance + ctx_allow. wake_up(): insert at the queue head,
//     avt = max(avt, svt), warpback = 1, warped = now, __calc_evt. reschedule(p): preempt at once if
//     the CPU is idle or the current domain has run ctx_allow since lastschd, otherwise move the
//     scheduler timer to lastschd + ctx_allow if it would expire later than that + TIME_SLOP.
//     __calc_evt: evt = avt − warp while warpback and (now − warped) < warpl and
//     (now − uwarped) > warpu; otherwise evt = avt, and if it was warping, uwarped = now, warpback = 0.
//     do_yield (SCHEDOP_yield, the guest's block call): state = TASK_INTERRUPTIBLE, warpback = 0,
//     schedule(); schedule() keeps a TASK_INTERRUPTIBLE domain that has events pending runnable and
//     re-queues it at the tail. sched_add_domain: avt = evt = svt, warp = warpl = warpu = 0.
//     sched_adjdom (DOM0_ADJUSTDOM) sets mcu_advance only: Xen 1.0 ignores the warp fields, so a
//     warped 'xen1' run is hypothetical (BvtScheduler.warpHypothetical, BVT_VARIANT_NOTES).
//     virt_timer: an event to every domain every 20 ms (modelled by the host, host.ts).
//     xen/include/xeno/event.h mark_guest_event: wake_up(p) if blocked, then reschedule(p) for every
//     event, so events to runnable domains also trigger the ctx_allow preemption check.
//     Domains run only on their `processor` (no migration): the xen1 preset pins (smp.migration
//     'none'); 'idle-steal' stays available as an option.
//   Xen 2.0 (Dec 2004, commit 26358b30e6d5) xen/common/sched_bvt.c and schedule.c: see "Variant
//     xen2" below.
//   docs/calibration.md "Hypervisor constants" (the same numbers).
//
// Variant 'textbook' — the BVT paper's algorithm (Duda & Cheriton 1999), not any Xen release:
//   sliceFormula 'textbook': r_time = (Δevt / mcuAdvance) · MCU + ctxAllow — run until `next` passes
//     `next_prime` by the context-switch allowance (Xen 1.0 and 2.0 both add the MCU count to ns).
//   wakePreemption 'evt': a woken thread preempts when its evt is below the current one's (charged up
//     to now), otherwise the slice is cut where the current one would pass it by ctxAllow.
//   warpMode 'textbook': a vCPU with warp > 0 is warped from a wake (if at least unwarpReqNs have
//     passed since it was last forced to unwarp) until it blocks or has run warpLimitNs of CPU time
//     warped (a running total over its warped runs since the wake); the slice of a warped vCPU is cut
//     at its remaining allowance, so no warped run exceeds warpLimitNs. warpLimitNs = 0: no limit.
//     unwarpReqNs = 0: it may warp again at its next wake. (This is NOT Xen 2.0's warpu = 0, which
//     stops warping for good once the warp limit has been hit: sched_bvt.c warp_timer_fn clears
//     warpback when warpu is 0.)
//   The paper gives no default warp limit or unwarp requirement; the preset borrows Xen 2.0's
//   bvt_add_task defaults (2000 ms, 1000 ms). Yield: the paper has none; the host re-queues the
//   vCPU at the tail (as Xen 2.0 do_yield) and its warp is untouched.
//
// Variant 'xen2' — Xen 2.0 sched_bvt.c (Dec 2004) decision for decision:
//   * Virtual times are u32: avt, evt, svt wrap modulo 2^32; evt = avt − warp_value wraps, so a
//     domain warped at creation (avt = svt = 0) gets evt ≈ 2^32 at its first wake and starves.
//   * Charging (do_schedule, descheduled domain): ranfor = (u32)(now − lastschd),
//     mcus = (ranfor + MCU − 1) / MCU in u32, avt += mcus · mcu_advance (u32); evt = avt − warp_value
//     if the warp flag is set, else avt. evt is recomputed only here and in wake: a queued domain
//     keeps a stale evt even when adjdom or a warp/unwarp timer changes its warp flag.
//   * Queue: the idle task sits in the queue with avt = evt = 0xFFFFFFFF (at the position it was
//     put at start: the head of an empty queue); a woken domain goes to the head, a descheduled
//     runnable one to the tail, a blocked one leaves. The scan is sched_bvt.c's, literally
//     (`next` starts as idle; the second-best branch `next_prime_evt == ~0U` takes any entry).
//   * svt = min avt over the queue after the re-queue; unchanged if only idle is there; rebased by
//     0xE0000000 when it reaches 0xF0000000 (every domain of the CPU, blocked ones included).
//   * Slice: ctx_allow for idle; 10 · ctx_allow if next_prime is idle; otherwise
//     (next_prime.evt − next.evt) / next.mcu_advance + ctx_allow: MCUs added to ns (the unit slip).
//   * Wake (bvt_wake): nothing if queued; head insert; avt = svt if avt < svt or the domain migrated;
//     evt = calc_evt; curr_evt = calc_evt(curr, avt charged up to now, same round-up); reschedule if
//     the CPU is idle or evt ≤ curr_evt, else move the slice timer to
//     curr.lastschd + (evt − curr_evt) / curr.mcu_advance + ctx_allow (the slip again) if earlier.
//   * Warp: adjdom (setSchedParams, and once at creation, after add_task) sets mcu_advance,
//     warpback = warp flag = (warp > 0), warp_value = warp, warpl, warpu; cancels the unwarp timer,
//     and the warp timer if warpback is 0; it recomputes no evt and does not reschedule. When a
//     domain with the warp flag set is picked and warpl > 0, its warp timer is armed at now + warpl;
//     it is cancelled when the domain is descheduled (if warpback and warpl > 0), so warpl limits one
//     continuous run. The warp timer clears the flag, arms the unwarp timer at now + warpu, and if
//     warpu = 0 also clears warpback and reschedules. The unwarp timer, if warpback is still set,
//     sets the flag and reschedules. Xen takes warpl and warpu in ms (MILLISECS() in adjdom): the
//     model requires whole milliseconds. Defaults (bvt_add_task): warpl 2000 ms, warpu 1000 ms.
//   * Block: do_block is NULL for BVT (nothing happens to warp). Yield (do_yield) is a direct
//     schedule: the domain is charged and re-queued at the tail. A direct schedule (block, yield) does
//     not clear a schedule softirq raised earlier at the same instant: a second schedule follows at
//     once (the domain just picked is charged 0 MCUs and re-queued at the tail).
//   * Timer event: Xen 2.0's 10 ms t_timer sends VIRQ_TIMER to the running domain only and never
//     calls the scheduler (timerEvent below; no 20 ms event to every domain). It is a timer of each
//     PCPU's heap (startTick, run by the host through timerHeap), first due 10 ms after the host
//     starts, re-armed at its service time + 10 ms.
//   * Placement: least-loaded (DOM0_CREATEDOMAIN); no migration by default (a domain runs on its
//     processor); with 'idle-steal', a stolen domain takes the new CPU's svt (DF_MIGRATED in bvt_wake).
//   * Timers (ac_timer.c, bvt-timers.ts): each PCPU has Xen's binary heap of timers, with its sift
//     rules, holding the slice timer s_timer (armed at now + r_time by every decision, moved by the
//     wake pull-in, cancelled when a schedule begins), each domain's warp and unwarp timers and its
//     one-shot timer (setDomainTimer: set_timer_op). Equal deadlines leave the heap in Xen's order,
//     not in the order they were set. A service runs, in heap order, every timer due before
//     now + timerSlopNs (Xen 2.0's TIMER_SLOP is 50 µs; the default 0 fires each at its deadline).
//   * Order at one instant, as in Xen: control (adjdom), then the running guest's block (a direct
//     schedule), then the expired timers in heap order, then the schedule softirq. Control calls and
//     guest activity are simulation events of normal priority; the host's block and softirq decision
//     run after them (host.ts LATE_PRIORITY); the timers are serviced after a block of the instant
//     (an event at XEN2_TIMER_PRIORITY, after LATE_PRIORITY) and before a softirq decision (the
//     schedule services them first, as do_softirq runs the timer softirq first). So a domain whose
//     one-shot timer wakes it at the instant the running domain blocks is not seen by the block's
//     decision but wakes after it, as in Xen. A wake that is not a timer (an event sent by a guest or
//     a device at that instant, e.g. W.compute from a simulation event) is part of the instant's
//     guest activity and is seen by the block's decision. The host routes its timer-driven events
//     through the heap (timerHeap): the 10 ms t_timer (its VIRQ_TIMER goes to the domain `current` at
//     the service: the one being descheduled when the timers run inside a schedule) and the guests'
//     one-shot timers (vcpu.timerThen: a guest OS's sleep, set_timer_op before SCHEDOP_block), so
//     every timer of an instant fires in heap order, with the slop.
//   * Two arithmetic edges are exact here and wrap in Xen: r_time is an s32 (it overflows only if
//     Δevt / mcu_advance > 2^31 − ctx_allow, i.e. mcu_advance ≤ 2 and a wrapped evt), and Xen's
//     calc_avt would wrap for a run longer than 2^32 ns.
//
// Wake-up latency of an I/O domain among CPU-bound ones (xen1; test/models/cpu/bvt-wake-latency.test.ts
// has the hand-computed trace, test/models/net/latency.test.ts the UDP ping). Xen 1.0's rules, not a
// modelling gap, decide it:
//   * reschedule(p) (the wake and every event) never compares virtual times: it only forces a decision
//     at lastschd + ctx_allow (at once if the current domain has run that long). The decision then picks
//     the lowest evt; the woken domain (inserted at the head) wins only if no queued domain has a lower
//     evt, ties included. So the woken domain waits at least for the rest of the current slice.
//   * wake_up: avt = max(avt, svt), svt = min avt of the queue at the last decision. A domain that has
//     not run since svt passed its avt comes back at svt and runs at the next decision. One that has run
//     since was charged ceil(ran / MCU) ≥ 1 MCU (a 20 µs answer costs 100 µs of virtual time) and sits
//     above svt: it also waits for every queued domain whose avt is below its own.
//   * Equal-weight CPU-bound domains that start at one instant move in lockstep: all at svt or one slice
//     (50 or 51 MCUs) above it. An I/O domain that has run in the current round then waits for every
//     domain still at svt, up to a whole round (k domains × ctx_allow): a UDP echo among 30 hogs on one
//     CPU pinged every 7 ms averages ~61 ms in the first second. The lockstep decays: a slice is
//     Δevt / mcu_advance + ctx_allow ns (the unit slip), so a domain whose next_prime is ahead runs a few
//     ns over ctx_allow and is charged 51 MCUs, one run after another; after some rounds the hogs' avts
//     cover the band of one slice in steps of one MCU (30 hogs: 2 distinct avts at 0.3 s, 7 at 1 s, 30
//     at 6 s), the woken domain finds at most a hog or two below it, and its wait falls to about half a
//     slice (2.6 ms mean from 6 s on). With 64 domains per CPU this takes more than 16 s of simulated
//     time. This decay rests on timers that fire exactly at their deadline (as in this model): on
//     hardware a slice would overrun ctx_allow by the timer's latency, every slice would be charged 51
//     MCUs, and the lockstep could last. Only warp (textbook, xen2) lets a woken domain jump the queue.
//
// Presets (an option given explicitly overrides the preset, except for 'xen2', which fixes them):
//   xen1     = { slice xen1, wake ctx-allow, warp xen1, warp 0 / 0 / 0, rescheduleOnEvent, pinned };
//   textbook = { slice textbook, wake evt, warp textbook, warp 0 / 2000 ms / 1000 ms, idle-steal };
//   xen2     = { slice xen1 (the slip), wake evt, warp xen2, warp 0 / 2000 ms / 1000 ms, pinned }.
//
// Assumptions: entities are vCPUs (Xen 1.0 and 2.0 have one per domain); each takes its domain's
// parameters. xen1 and textbook use unbounded virtual times (no 32-bit wrap; calibration allows
// this for them); xen2 wraps as Xen 2.0 does. The running vCPU stays on its queue, as in Xen. Per-PCPU
// svt. Units: ns; avt/evt/svt/warp in virtual-time units (one MCU of CPU advances avt by mcuAdvance).
import { BvtRunQueueIndex } from './bvt-index.js';
import { acTimer, AcTimerHeap, type AcTimer } from './bvt-timers.js';
import { Migration, RunQueues, type QueueEntry, type SmpOptions } from './run-queues.js';
import {
  TimerEventTarget,
  VcpuTable,
  type CpuScheduler,
  type Decision,
  type DomainSchedParams,
  type SchedDomain,
  type SchedVcpu,
  type SchedulerContext,
  type SchedulerTimerHeap,
  type TimerEventPolicy,
} from './scheduler.js';
import { checkBool, checkInt, checkOneOf, rangeFail } from '../validate.js';

export const BvtVariant = { xen1: 'xen1', textbook: 'textbook', xen2: 'xen2' } as const;
export type BvtVariant = (typeof BvtVariant)[keyof typeof BvtVariant];
export const SliceFormula = { xen1: 'xen1', textbook: 'textbook' } as const;
export type SliceFormula = (typeof SliceFormula)[keyof typeof SliceFormula];
export const WakePreemption = { ctxAllow: 'ctx-allow', evt: 'evt' } as const;
export type WakePreemption = (typeof WakePreemption)[keyof typeof WakePreemption];
export const WarpMode = { xen1: 'xen1', textbook: 'textbook', xen2: 'xen2' } as const;
export type WarpMode = (typeof WarpMode)[keyof typeof WarpMode];
/**
 * How a decision finds next, next_prime and svt: 'scan' walks the queue as Xen does (O(n));
 * 'heap' reads them from two indexed heaps (bvt-index.ts: O(1) per decision, O(log n) per queue
 * change) with the same results, ties included.
 */
export const RunQueueIndex = { scan: 'scan', heap: 'heap' } as const;
export type RunQueueIndex = (typeof RunQueueIndex)[keyof typeof RunQueueIndex];

/** What each variant is, in one paragraph a study can show (e.g. next to a warped run). */
export const BVT_VARIANT_NOTES = {
  xen1:
    'Xen 1.0 BVT (schedule.c, Oct 2003). Xen 1.0 ignored the warp fields of DOM0_ADJUSTDOM (sched_adjdom ' +
    "sets mcu_advance only), so a warped xen1 run is hypothetical: it shows what Xen 1.0's __calc_evt would " +
    'have done had warp been settable.',
  textbook:
    "The BVT paper's algorithm (Duda & Cheriton, SOSP 1999), not a Xen release: slices convert the evt gap to " +
    'time, warp is limited by a running total of warped CPU time per wake; the default warp limit and unwarp ' +
    'requirement (2000 ms, 1000 ms) are borrowed from Xen 2.0.',
  xen2:
    'Xen 2.0 BVT (sched_bvt.c, Dec 2004), decision for decision: u32 virtual times, stale evt in the queue, ' +
    'MCUs added to ns in the slice, warp flag with a warp timer per continuous run and an unwarp timer. A domain ' +
    'warped at creation (avt = svt = 0) gets evt = 2^32 − warp at its first wake and starves, as in the real code: ' +
    'it is never picked, so its warp timer never starts, and clearing its warp by adjdom does not help, because evt ' +
    "is recomputed only when a domain is descheduled or woken; it also holds the CPU's svt at its own avt.",
} as const;

export interface BvtOptions {
  /** Preset for the variant-dependent options below. Default 'xen1'. */
  readonly variant?: BvtVariant;
  readonly sliceFormula?: SliceFormula;
  readonly wakePreemption?: WakePreemption;
  readonly warpMode?: WarpMode;
  readonly rescheduleOnEvent?: boolean;
  /** Context-switch allowance, ns. Default 5 ms (docs/calibration.md; Xen 1.0 and 2.0 ctx_allow). */
  readonly ctxAllowNs?: number;
  /** Minimum charging unit, ns. Default 100 µs (docs/calibration.md; Xen MCU). */
  readonly mcuNs?: number;
  /** Default inverse weight. Default 10 (docs/calibration.md; Xen MCU_ADVANCE). */
  readonly defaultMcuAdvance?: number;
  /** Default warp (virtual-time units). Default 0. */
  readonly defaultWarp?: number;
  /** Default warp limit, ns. xen1: 0; textbook and xen2: 2000 ms (Xen 2.0 bvt_add_task). */
  readonly defaultWarpLimitNs?: number;
  /** Default unwarp requirement, ns. xen1: 0; textbook and xen2: 1000 ms (Xen 2.0 bvt_add_task). */
  readonly defaultUnwarpReqNs?: number;
  /** Slice when one vCPU is runnable, in ctxAllows. Default 10 ("RN: random constant"). */
  readonly singleRunnableSliceFactor?: number;
  /** Xen 1.0 reschedule() timer slop, ns. Default 50 µs (TIME_SLOP). Not used by xen2. */
  readonly timeSlopNs?: number;
  /**
   * xen2 only: Xen 2.0's ac_timer TIMER_SLOP, ns: whenever the timers of a PCPU are serviced, every
   * timer due before now + timerSlopNs fires. Default 0: each timer fires at its deadline (Xen 2.0: 50 µs).
   */
  readonly timerSlopNs?: number;
  /** Placement and migration; migration defaults to 'none' for xen1 and xen2, 'idle-steal' for textbook. */
  readonly smp?: SmpOptions;
  /** 'scan' (default, Xen's O(n) scan) or 'heap' (same decisions, O(log n)). */
  readonly runQueueIndex?: RunQueueIndex;
}

export const BVT_DEFAULTS = {
  ctxAllowNs: 5_000_000,
  mcuNs: 100_000,
  defaultMcuAdvance: 10,
  singleRunnableSliceFactor: 10,
  timeSlopNs: 50_000,
} as const;

export const BVT_PRESETS = {
  xen1: {
    sliceFormula: SliceFormula.xen1,
    wakePreemption: WakePreemption.ctxAllow,
    warpMode: WarpMode.xen1,
    rescheduleOnEvent: true,
    defaultWarp: 0,
    defaultWarpLimitNs: 0,
    defaultUnwarpReqNs: 0,
    migration: Migration.none,
  },
  textbook: {
    sliceFormula: SliceFormula.textbook,
    wakePreemption: WakePreemption.evt,
    warpMode: WarpMode.textbook,
    rescheduleOnEvent: false,
    defaultWarp: 0,
    defaultWarpLimitNs: 2_000_000_000,
    defaultUnwarpReqNs: 1_000_000_000,
    migration: Migration.idleSteal,
  },
  xen2: {
    sliceFormula: SliceFormula.xen1,
    wakePreemption: WakePreemption.evt,
    warpMode: WarpMode.xen2,
    rescheduleOnEvent: false,
    defaultWarp: 0,
    defaultWarpLimitNs: 2_000_000_000,
    defaultUnwarpReqNs: 1_000_000_000,
    migration: Migration.none,
  },
} as const;

/** Xen 2.0 schedule.c t_timer: VIRQ_TIMER to the running domain every 10 ms. */
export const XEN2_TIMER_EVENT: TimerEventPolicy = Object.freeze({
  periodNs: 10_000_000,
  target: TimerEventTarget.running,
});

const U32 = 0x1_0000_0000;
const MAX_U32 = 0xffff_ffff;
/** Xen 2.0: svt ≥ 0xF0000000 rebases every virtual time of the CPU by 0xE0000000. */
const SVT_REBASE_AT = 0xf000_0000;
const SVT_REBASE_BY = 0xe000_0000;
const MS = 1_000_000;

function u32(x: number): number {
  const r = x % U32;
  return r < 0 ? r + U32 : r;
}

/** BVT's per-vCPU state (read-only view via BvtScheduler.info). */
export interface BvtEntry extends QueueEntry {
  avt: number;
  evt: number;
  mcuAdvance: number;
  /** Warp value (virtual-time units). */
  warp: number;
  warpLimitNs: number;
  unwarpReqNs: number;
  /** xen1 and xen2: warpback (may warp); textbook: unused. */
  warpBack: boolean;
  /** xen1: time of the last wake ("warped"). */
  warpedAtNs: number;
  /** xen1, textbook: time it was last forced to unwarp ("uwarped"). */
  unwarpedAtNs: number;
  /** textbook: warped now; xen2: the warp flag (`warp` in sched_bvt.c). */
  warped: boolean;
  /** textbook: CPU time run warped since the warp began, ns. */
  warpedRunNs: number;
}

/** xen2: timers of one vCPU (kept apart from the observable entry), in its PCPU's ac_timer heap. */
interface Xen2Timers {
  readonly warp: AcTimer;
  readonly unwarp: AcTimer;
  /** The domain's one-shot timer (set_timer_op) and what it runs. */
  readonly domain: AcTimer;
  domainFn: (() => void) | null;
}

/**
 * Priority of the xen2 timer service event: after the host's end-of-instant scheduling point
 * (host.ts LATE_PRIORITY = 1000), so a block at the same instant is decided first, as in Xen.
 */
export const XEN2_TIMER_PRIORITY = 1001;

export class BvtScheduler implements CpuScheduler {
  readonly name = 'bvt';
  readonly variant: BvtVariant;
  readonly sliceFormula: SliceFormula;
  readonly wakePreemption: WakePreemption;
  readonly warpMode: WarpMode;
  readonly rescheduleOnEvent: boolean;
  private ctxAllow: number;
  readonly mcuNs: number;
  readonly defaultMcuAdvance: number;
  readonly defaultWarp: number;
  readonly defaultWarpLimitNs: number;
  readonly defaultUnwarpReqNs: number;
  readonly singleRunnableSliceFactor: number;
  readonly timeSlopNs: number;
  /** xen2: Xen 2.0's TIMER_SLOP, ns (0 = every timer at its deadline). */
  readonly timerSlopNs: number;
  /** xen2: Xen 2.0's 10 ms VIRQ_TIMER to the running domain; others: the host's default. */
  readonly timerEvent?: TimerEventPolicy;
  /** xen2: the per-PCPU ac_timer heaps, offered to the host (its tick and the guests' timers). */
  readonly timerHeap?: SchedulerTimerHeap;
  /** Whether warp under this variant is hypothetical (Xen 1.0 could not set it). */
  readonly warpHypothetical: boolean;
  private readonly smp: SmpOptions;
  readonly runQueueIndex: RunQueueIndex;
  private index: BvtRunQueueIndex<BvtEntry> | null = null;
  private readonly x2: boolean;
  private ctx: SchedulerContext | null = null;
  private rq: RunQueues<BvtEntry> | null = null;
  private svts: number[] = [];
  private readonly entries = new VcpuTable<BvtEntry>('BvtScheduler');
  /** xen2: every live entry, in creation order (svt rebase), and its timers. */
  private readonly live: BvtEntry[] = [];
  private readonly timers = new VcpuTable<Xen2Timers>('BvtScheduler');
  /** xen2: per CPU, the number of queued entries before the idle task. */
  private idleBefore: number[] = [];
  /** xen2: per CPU, a schedule softirq is pending. */
  private softirq: boolean[] = [];
  /** xen2: per CPU, the next schedule is a direct one (block or yield), not the softirq. */
  private direct: boolean[] = [];
  /** xen2: per CPU, the ac_timer heap and the slice timer (s_timer). */
  private heaps: AcTimerHeap[] = [];
  private sTimers: AcTimer[] = [];
  /** xen2: per CPU, __enter_scheduler has begun for the schedule in progress (charge, then pickNext). */
  private entered: boolean[] = [];
  /** xen2: the PCPU whose timers are being serviced inside its own schedule, or -1. */
  private servicingIn = -1;
  /** xen2: per CPU, the vCPU Xen calls `current` (the last one picked; null = idle), for the tick. */
  private curs: (SchedVcpu | null)[] = [];
  /** xen2: per CPU, the periodic tick's timer (t_timer), once startTick has run. */
  private tTimers: AcTimer[] = [];
  private readonly onTimerService = (t: AcTimer): void => {
    t.handle = -1;
    this.serviceTimers(t.cpu, this.ctxOrThrow().sim.now);
  };
  private readonly decision: Decision = { vcpu: null, sliceNs: 0 };

  constructor(options: BvtOptions = {}) {
    const where = 'BvtScheduler';
    this.variant = checkOneOf(where, 'variant', options.variant ?? BvtVariant.xen1, BvtVariant);
    const p = BVT_PRESETS[this.variant];
    this.x2 = this.variant === BvtVariant.xen2;
    if (this.x2) {
      for (const key of ['sliceFormula', 'wakePreemption', 'warpMode', 'rescheduleOnEvent'] as const) {
        if (options[key] !== undefined)
          rangeFail(where, key, 'left unset with variant "xen2" (it fixes the Xen 2.0 behaviour)', options[key]);
      }
    }
    this.sliceFormula = checkOneOf(where, 'sliceFormula', options.sliceFormula ?? p.sliceFormula, SliceFormula);
    this.wakePreemption = checkOneOf(
      where,
      'wakePreemption',
      options.wakePreemption ?? p.wakePreemption,
      WakePreemption,
    );
    this.warpMode = checkOneOf(where, 'warpMode', options.warpMode ?? p.warpMode, WarpMode);
    if (this.warpMode === WarpMode.xen2 && !this.x2)
      rangeFail(where, 'warpMode', 'xen2 only with variant "xen2"', this.warpMode);
    this.rescheduleOnEvent = checkBool(where, 'rescheduleOnEvent', options.rescheduleOnEvent ?? p.rescheduleOnEvent);
    this.ctxAllow = checkInt(where, 'ctxAllowNs', options.ctxAllowNs ?? BVT_DEFAULTS.ctxAllowNs, 1);
    this.mcuNs = checkInt(where, 'mcuNs', options.mcuNs ?? BVT_DEFAULTS.mcuNs, 1);
    this.defaultMcuAdvance = checkInt(
      where,
      'defaultMcuAdvance',
      options.defaultMcuAdvance ?? BVT_DEFAULTS.defaultMcuAdvance,
      1,
      0xffffffff,
    );
    this.defaultWarp = checkInt(where, 'defaultWarp', options.defaultWarp ?? p.defaultWarp, 0, 0x7fffffff);
    this.defaultWarpLimitNs = checkInt(
      where,
      'defaultWarpLimitNs',
      options.defaultWarpLimitNs ?? p.defaultWarpLimitNs,
      0,
    );
    this.defaultUnwarpReqNs = checkInt(
      where,
      'defaultUnwarpReqNs',
      options.defaultUnwarpReqNs ?? p.defaultUnwarpReqNs,
      0,
    );
    if (this.x2) {
      this.checkWholeMs(where, 'defaultWarpLimitNs', this.defaultWarpLimitNs);
      this.checkWholeMs(where, 'defaultUnwarpReqNs', this.defaultUnwarpReqNs);
    }
    this.singleRunnableSliceFactor = checkInt(
      where,
      'singleRunnableSliceFactor',
      options.singleRunnableSliceFactor ?? BVT_DEFAULTS.singleRunnableSliceFactor,
      1,
    );
    this.timeSlopNs = checkInt(where, 'timeSlopNs', options.timeSlopNs ?? BVT_DEFAULTS.timeSlopNs, 0);
    this.timerSlopNs = checkInt(where, 'timerSlopNs', options.timerSlopNs ?? 0, 0, this.x2 ? 1_000_000_000 : 0);
    this.smp = { migration: p.migration, ...(options.smp ?? {}) };
    this.runQueueIndex = checkOneOf(where, 'runQueueIndex', options.runQueueIndex ?? RunQueueIndex.scan, RunQueueIndex);
    if (this.x2) {
      this.timerEvent = XEN2_TIMER_EVENT;
      this.timerHeap = {
        setDomainTimer: (vcpu, expiresNs, fn) => this.setDomainTimer(vcpu, expiresNs, fn),
        cancelDomainTimer: (vcpu) => this.cancelDomainTimer(vcpu),
        startTick: (periodNs, fn) => this.startTick(periodNs, fn),
      };
    }
    this.warpHypothetical = this.variant === BvtVariant.xen1;
  }

  attach(ctx: SchedulerContext): void {
    this.ctx = ctx;
    const rq = new RunQueues<BvtEntry>(ctx.numCpus, this.smp, 'BvtScheduler');
    this.rq = rq;
    this.svts = new Array<number>(ctx.numCpus).fill(0);
    const x2 = this.x2;
    const index = this.runQueueIndex === RunQueueIndex.heap ? new BvtRunQueueIndex<BvtEntry>(ctx.numCpus) : null;
    this.index = index;
    const idleBefore = x2 ? new Array<number>(ctx.numCpus).fill(0) : [];
    this.idleBefore = idleBefore;
    if (x2) {
      this.softirq = new Array<boolean>(ctx.numCpus).fill(false);
      this.direct = new Array<boolean>(ctx.numCpus).fill(false);
      this.entered = new Array<boolean>(ctx.numCpus).fill(false);
      this.curs = new Array<SchedVcpu | null>(ctx.numCpus).fill(null);
      for (let cpu = 0; cpu < ctx.numCpus; cpu++) {
        this.heaps.push(new AcTimerHeap());
        const c = cpu;
        this.sTimers.push(acTimer(cpu, () => this.raiseSoftirq(c))); // s_timer_fn
      }
    }
    if (x2 || index !== null) {
      rq.onRemove = (cpu, i, e) => {
        if (x2 && i < (idleBefore[cpu] as number)) idleBefore[cpu] = (idleBefore[cpu] as number) - 1;
        if (index !== null) index.remove(e, cpu);
      };
    }
  }

  /** The context-switch allowance, ns. */
  get ctxAllowNs(): number {
    return this.ctxAllow;
  }

  /**
   * Changes the context-switch allowance (Xen's sched_bvtctl / bvt_ctl, the global BVT control; the
   * paper's "50 ms" experiment raises it to 50 ms). Takes effect at the next scheduling decision.
   */
  setCtxAllowNs(ns: number): void {
    this.ctxAllow = checkInt('BvtScheduler.setCtxAllowNs', 'ns', ns, 1);
  }

  // ---- observation (tests, traces) ----

  /** The vCPU's BVT state (a live read-only view). */
  info(vcpu: SchedVcpu): Readonly<BvtEntry> {
    return this.entries.get(vcpu);
  }

  /** The scheduler virtual time of a PCPU. */
  svt(cpu: number): number {
    return this.svts[cpu] ?? 0;
  }

  /** Whether the vCPU's effective virtual time is currently warped (xen2: its warp flag is set). */
  isWarped(vcpu: SchedVcpu): boolean {
    const e = this.entries.get(vcpu);
    return this.x2 ? e.warped : e.evt < e.avt;
  }

  /** xen2: the queue of a PCPU in Xen's list order, the idle task as null (tests, traces). */
  queueOrder(cpu: number): readonly (SchedVcpu | null)[] {
    const q = this.queues().queue(cpu);
    const out: (SchedVcpu | null)[] = q.map((e) => e.vcpu);
    if (this.x2) out.splice(this.idleBefore[cpu] as number, 0, null);
    return out;
  }

  /**
   * xen2: the domain's one-shot timer (Xen 2.0 set_timer_op: the domain's ac_timer on its PCPU). Arms
   * it at `expiresNs` (moving it if armed); `fn` runs when the PCPU's timers are serviced: after a
   * block or yield of the same instant, in the heap's order with the PCPU's other timers (warp,
   * unwarp, slice), up to timerSlopNs early. A wake-up from it is `fn` adding demand to the vCPU.
   */
  setDomainTimer(vcpu: SchedVcpu, expiresNs: number, fn: () => void): void {
    if (!this.x2) rangeFail('BvtScheduler.setDomainTimer', 'variant', '"xen2"', this.variant);
    const now = this.ctxOrThrow().sim.now;
    checkInt('BvtScheduler.setDomainTimer', 'expiresNs', expiresNs, now);
    const t = this.timers.get(vcpu);
    t.domainFn = fn;
    this.arm(t.domain, vcpu.cpu, expiresNs);
  }

  /**
   * xen2: Xen 2.0's t_timer on every PCPU (schedule.c t_timer_fn): first due at now + periodNs (the
   * boot-time call of t_timer_fn finds every PCPU idle and only arms it); each time it fires it runs
   * `fn(cpu, current)` (VIRQ_TIMER to the current domain, by the host; nothing when idle), then re-arms
   * itself at now + periodNs, `now` being the service time (up to timerSlopNs before its deadline).
   */
  startTick(periodNs: number, fn: (cpu: number, current: SchedVcpu | null) => void): void {
    if (!this.x2) rangeFail('BvtScheduler.startTick', 'variant', '"xen2"', this.variant);
    if (this.tTimers.length > 0) throw new Error('BvtScheduler.startTick: the tick is already started');
    checkInt('BvtScheduler.startTick', 'periodNs', periodNs, 1);
    const ctx = this.ctxOrThrow();
    for (let cpu = 0; cpu < ctx.numCpus; cpu++) {
      const c = cpu;
      const t: AcTimer = acTimer(cpu, () => {
        fn(c, this.curs[c] ?? null);
        this.arm(t, c, ctx.sim.now + periodNs);
      });
      this.tTimers.push(t);
      this.arm(t, cpu, ctx.sim.now + periodNs);
    }
  }

  /** xen2: cancels the domain's one-shot timer (rem_ac_timer); no effect if it is not armed. */
  cancelDomainTimer(vcpu: SchedVcpu): void {
    if (!this.x2) return;
    const t = this.timers.get(vcpu);
    this.cancel(t, 'domain');
    t.domainFn = null;
  }

  /** xen2: the deadlines of a PCPU's active timers in heap order (Xen's heap[1..size]; tests, traces). */
  timerDeadlines(cpu: number): readonly number[] {
    return this.x2 ? (this.heaps[cpu]?.entries() ?? []).map((t) => t.expiresNs) : [];
  }

  // ---- operations ----

  addVcpu(vcpu: SchedVcpu, _now: number): void {
    const cpu = this.queues().place(vcpu);
    const svt = this.svts[cpu] as number;
    const e: BvtEntry = {
      vcpu,
      queued: false,
      running: false,
      queuedSinceNs: 0,
      avt: svt,
      evt: svt,
      mcuAdvance: this.defaultMcuAdvance,
      warp: this.defaultWarp,
      warpLimitNs: this.defaultWarpLimitNs,
      unwarpReqNs: this.defaultUnwarpReqNs,
      warpBack: false,
      warpedAtNs: 0,
      unwarpedAtNs: -Infinity,
      warped: false,
      warpedRunNs: 0,
    };
    this.entries.set(vcpu, e);
    if (this.x2) {
      // bvt_add_task (avt = evt = svt, defaults), then adjdom with the domain's parameters
      const cpu0 = vcpu.cpu;
      const t: Xen2Timers = {
        warp: acTimer(cpu0, () => this.warpTimerFn(e)),
        unwarp: acTimer(cpu0, () => this.unwarpTimerFn(e)),
        domain: acTimer(cpu0, () => {
          const fn = t.domainFn;
          t.domainFn = null;
          if (fn !== null) fn();
        }),
        domainFn: null,
      };
      this.timers.set(vcpu, t);
      this.live.push(e);
      this.adjdomXen2(e, vcpu.domain.schedParams);
      return;
    }
    this.applyParams(e, vcpu.domain.schedParams);
  }

  removeVcpu(vcpu: SchedVcpu, _now: number): void {
    const e = this.entries.get(vcpu);
    if (this.x2) {
      const t = this.timers.get(vcpu);
      this.cancel(t, 'warp');
      this.cancel(t, 'unwarp');
      this.cancel(t, 'domain');
      t.domainFn = null;
      const i = this.live.indexOf(e);
      if (i >= 0) this.live.splice(i, 1);
    }
    this.queues().detach(e);
  }

  wake(vcpu: SchedVcpu, now: number): void {
    const e = this.entries.get(vcpu);
    if (e.queued) return;
    if (this.x2) {
      this.wakeXen2(e, now);
      return;
    }
    const rq = this.queues();
    const cpu = vcpu.cpu;
    const svt = this.svts[cpu] as number;
    if (e.avt < svt) e.avt = svt;
    if (this.warpMode === WarpMode.xen1) {
      e.warpBack = true;
      e.warpedAtNs = now;
      this.calcEvtXen1(e, now);
    } else {
      if (e.warp > 0 && now - e.unwarpedAtNs >= e.unwarpReqNs) {
        e.warped = true;
        e.warpedRunNs = 0;
      }
      e.evt = e.warped ? e.avt - e.warp : e.avt;
    }
    this.enqueue(e, true, now); // (the head insert; Xen does it first, nothing above reads the queue)
    this.preemptCheck(e, now);
    rq.tickleIdlers(this.ctxOrThrow(), cpu);
  }

  notify(vcpu: SchedVcpu, now: number): void {
    if (!this.rescheduleOnEvent) return;
    const e = this.entries.get(vcpu);
    if (!e.queued || e.running) return;
    this.preemptCheck(e, now);
  }

  block(vcpu: SchedVcpu, _now: number): void {
    const e = this.entries.get(vcpu);
    if (this.x2) {
      // Xen 2.0 do_block → __enter_scheduler (a direct schedule); BVT's do_block op is NULL
      this.direct[vcpu.cpu] = true;
      return;
    }
    e.warpBack = false; // Xen 1.0 do_yield (the block call)
    e.warped = false;
  }

  /**
   * The running vCPU yields; the host then deschedules it (still runnable: re-queued at the tail).
   * xen1: Xen 1.0 do_yield also clears warpback (its domain has events pending, so schedule()
   * keeps it runnable). xen2: Xen 2.0 do_yield is a direct __enter_scheduler, nothing else.
   * textbook: the paper has no yield; as xen2.
   */
  yield(vcpu: SchedVcpu, _now: number): void {
    const e = this.entries.get(vcpu);
    if (this.x2) this.direct[vcpu.cpu] = true;
    else if (this.warpMode === WarpMode.xen1) e.warpBack = false;
  }

  charge(vcpu: SchedVcpu, cpu: number, ranNs: number, runnable: boolean, now: number): void {
    const e = this.entries.get(vcpu);
    const rq = this.queues();
    if (this.x2) this.enterSchedulerXen2(cpu, now);
    e.running = false;
    if (e.queued) rq.remove(e);
    if (this.x2) {
      e.avt = this.calcAvtXen2(e, ranNs);
      e.evt = this.calcEvtXen2(e, e.avt);
      if (e.warpBack && e.warpLimitNs > 0) this.cancel(this.timers.get(vcpu), 'warp');
    } else {
      const mcus = Math.ceil(ranNs / this.mcuNs);
      e.avt += mcus * e.mcuAdvance;
      if (this.warpMode === WarpMode.xen1) {
        this.calcEvtXen1(e, now);
      } else {
        if (e.warped) {
          e.warpedRunNs += ranNs;
          if (e.warpLimitNs > 0 && e.warpedRunNs >= e.warpLimitNs) {
            e.warped = false;
            e.unwarpedAtNs = now;
          }
        }
        e.evt = e.warped ? e.avt - e.warp : e.avt;
      }
    }
    if (runnable) {
      this.enqueue(e, false, now);
      rq.tickleIdlers(this.ctxOrThrow(), vcpu.cpu);
    }
  }

  pickNext(cpu: number, now: number): Decision {
    if (this.x2) return this.pickNextXen2(cpu, now);
    const rq = this.queues();
    if (rq.length(cpu) === 0) {
      const stolen = rq.steal(cpu, null);
      if (stolen !== null) {
        // a migrated domain takes the svt of its new CPU (Xen 2.0 bvt_wake, DF_MIGRATED)
        stolen.avt = this.svts[cpu] as number;
        if (this.warpMode === WarpMode.xen1) this.calcEvtXen1(stolen, now);
        else stolen.evt = stolen.warped ? stolen.avt - stolen.warp : stolen.avt;
        this.enqueue(stolen, false, now);
      }
    }
    const q = rq.queue(cpu);
    let next: BvtEntry | null = null;
    let nextPrime: BvtEntry | null = null;
    let minAvt = Infinity;
    const index = this.index;
    if (index !== null) {
      next = index.first(cpu);
      nextPrime = index.second(cpu);
      minAvt = index.minAvt(cpu) ?? Infinity;
    } else
      for (let i = 0; i < q.length; i++) {
        const p = q[i] as BvtEntry;
        if (next === null || p.evt < next.evt) {
          nextPrime = next;
          next = p;
        } else if (nextPrime === null || p.evt < nextPrime.evt) {
          nextPrime = p;
        }
        if (p.avt < minAvt) minAvt = p.avt;
      }
    if (minAvt !== Infinity) this.svts[cpu] = minAvt;
    const d = this.decision;
    if (next === null) {
      d.vcpu = null;
      d.sliceNs = this.ctxAllowNs;
      return d;
    }
    let slice: number;
    if (nextPrime === null) slice = this.singleRunnableSliceFactor * this.ctxAllowNs;
    else slice = this.sliceFor(nextPrime.evt - next.evt, next.mcuAdvance);
    if (this.warpMode === WarpMode.textbook && next.warped && next.warpLimitNs > 0) {
      slice = Math.max(1, Math.min(slice, next.warpLimitNs - next.warpedRunNs));
    }
    next.running = true;
    d.vcpu = next.vcpu;
    d.sliceNs = slice;
    return d;
  }

  validateParams(params: DomainSchedParams, _domain: SchedDomain | null): void {
    // the generic ranges (scheduler.ts) are BVT's: mcuAdvance ≥ 1, warp and times ≥ 0
    if (!this.x2) return;
    const where = 'BvtScheduler (xen2)';
    if (params.warpLimitNs !== undefined) this.checkWholeMs(where, 'warpLimitNs', params.warpLimitNs);
    if (params.unwarpReqNs !== undefined) this.checkWholeMs(where, 'unwarpReqNs', params.unwarpReqNs);
  }

  setParams(domain: SchedDomain, _now: number): void {
    for (const v of domain.vcpus) {
      const e = this.entries.get(v);
      if (this.x2) this.adjdomXen2(e, domain.schedParams);
      else this.applyParams(e, domain.schedParams);
    }
  }

  // ---- internals ----

  private queues(): RunQueues<BvtEntry> {
    if (this.rq === null) throw new Error('BvtScheduler: not attached to a host');
    return this.rq;
  }

  private ctxOrThrow(): SchedulerContext {
    if (this.ctx === null) throw new Error('BvtScheduler: not attached to a host');
    return this.ctx;
  }

  private checkWholeMs(where: string, field: string, ns: number): void {
    if (ns % MS !== 0)
      rangeFail(where, field, 'a whole number of milliseconds (Xen 2.0 takes warpl and warpu in ms)', ns);
  }

  private applyParams(e: BvtEntry, p: DomainSchedParams): void {
    e.mcuAdvance = p.mcuAdvance ?? this.defaultMcuAdvance;
    e.warp = p.warp ?? this.defaultWarp;
    e.warpLimitNs = p.warpLimitNs ?? this.defaultWarpLimitNs;
    e.unwarpReqNs = p.unwarpReqNs ?? this.defaultUnwarpReqNs;
    if (e.warp === 0) e.warped = false;
  }

  /** The slice for a vCPU whose evt is `deltaEvt` below the next one's. */
  private sliceFor(deltaEvt: number, mcuAdvance: number): number {
    if (this.sliceFormula === SliceFormula.xen1) return Math.floor(deltaEvt / mcuAdvance) + this.ctxAllowNs;
    return Math.floor((deltaEvt * this.mcuNs) / mcuAdvance) + this.ctxAllowNs;
  }

  /** Xen 1.0 __calc_evt. */
  private calcEvtXen1(e: BvtEntry, now: number): void {
    if (e.warpBack) {
      if (now - e.warpedAtNs < e.warpLimitNs && now - e.unwarpedAtNs > e.unwarpReqNs) {
        e.evt = e.avt - e.warp;
      } else {
        e.evt = e.avt;
        e.unwarpedAtNs = now;
        e.warpBack = false;
      }
    } else {
      e.evt = e.avt;
    }
  }

  /** Wake-up (or event) preemption of the vCPU current on e's PCPU (xen1, textbook). */
  private preemptCheck(e: BvtEntry, now: number): void {
    const ctx = this.ctxOrThrow();
    const cpu = e.vcpu.cpu;
    const cur = ctx.current(cpu);
    if (cur === null) {
      ctx.reschedule(cpu);
      return;
    }
    if (cur === e.vcpu) return;
    const lastschd = ctx.dispatchedAtNs(cpu);
    if (this.wakePreemption === WakePreemption.ctxAllow) {
      // Xen 1.0 reschedule(p)
      const minTime = lastschd + this.ctxAllowNs;
      if (minTime <= now) ctx.reschedule(cpu);
      else if (ctx.sliceEndNs(cpu) > minTime + this.timeSlopNs) ctx.rescheduleAt(cpu, minTime);
      return;
    }
    // evt-based: compare with the current vCPU's evt as if charged now
    const c = this.entries.get(cur);
    const curAvt = c.avt + Math.ceil((now - lastschd) / this.mcuNs) * c.mcuAdvance;
    const curEvt =
      this.warpMode === WarpMode.textbook
        ? c.warped
          ? curAvt - c.warp
          : curAvt
        : c.evt < c.avt
          ? curAvt - c.warp
          : curAvt;
    if (e.evt <= curEvt) ctx.reschedule(cpu);
    else ctx.rescheduleAt(cpu, lastschd + this.sliceFor(e.evt - curEvt, c.mcuAdvance));
  }

  // ---- xen2: Xen 2.0 sched_bvt.c ----

  /** calc_avt: avt charged for `ranNs` of CPU, in u32 with the MCU round-up. */
  private calcAvtXen2(e: BvtEntry, ranNs: number): number {
    const ranfor = u32(ranNs);
    const mcus = Math.floor(u32(ranfor + this.mcuNs - 1) / this.mcuNs);
    return u32(e.avt + u32(mcus * e.mcuAdvance));
  }

  /** calc_evt: avt − warp_value (u32) while the warp flag is set. */
  private calcEvtXen2(e: BvtEntry, avt: number): number {
    return e.warped ? u32(avt - e.warp) : avt;
  }

  private raiseSoftirq(cpu: number): void {
    this.softirq[cpu] = true;
    // raised by a timer serviced inside this CPU's schedule: that schedule is the softirq's handling
    if (this.servicingIn !== cpu) this.ctxOrThrow().reschedule(cpu);
  }

  private cancel(t: Xen2Timers, which: 'warp' | 'unwarp' | 'domain'): void {
    this.disarm(t[which]);
  }

  /** set_ac_timer on `cpu` (rem_ac_timer first if active); real timers get a service event at their deadline. */
  private arm(t: AcTimer, cpu: number, expiresNs: number): void {
    this.disarm(t);
    t.cpu = cpu;
    t.expiresNs = expiresNs;
    (this.heaps[cpu] as AcTimerHeap).add(t);
    // The slice timer needs no event of its own without slop: the host ends the slice at the same
    // time, and its schedule services the heap first (enterSchedulerXen2).
    if (t !== this.sTimers[cpu] || this.timerSlopNs > 0) {
      const sim = this.ctxOrThrow().sim;
      t.handle = sim.scheduleAt(Math.max(expiresNs, sim.now), this.onTimerService, t, XEN2_TIMER_PRIORITY);
    }
  }

  /** rem_ac_timer (no effect if not active). */
  private disarm(t: AcTimer): void {
    if (t.offset !== 0) (this.heaps[t.cpu] as AcTimerHeap).remove(t);
    if (t.handle >= 0) {
      this.ctxOrThrow().sim.cancel(t.handle);
      t.handle = -1;
    }
  }

  /**
   * ac_timer_softirq_action: runs, in heap order, every timer of `cpu` due before now + timerSlopNs
   * (every timer due now when the slop is 0). `inSchedule`: called by that CPU's own schedule, whose
   * decision handles any schedule softirq the timers raise.
   */
  private serviceTimers(cpu: number, now: number, inSchedule = false): void {
    const heap = this.heaps[cpu] as AcTimerHeap;
    const limit = now + this.timerSlopNs;
    const outer = this.servicingIn;
    if (inSchedule) this.servicingIn = cpu;
    for (let t = heap.top(); t !== null && (t.expiresNs <= now || t.expiresNs < limit); t = heap.top()) {
      heap.remove(t);
      if (t.handle >= 0) {
        this.ctxOrThrow().sim.cancel(t.handle);
        t.handle = -1;
      }
      t.fn();
    }
    this.servicingIn = outer;
  }

  /**
   * The start of __enter_scheduler on `cpu` (the first of charge and pickNext). Softirq schedule: the
   * timer softirq runs first (do_softirq handles it before the schedule softirq); a direct schedule
   * (block, yield) leaves the instant's timers for after it. Then the slice timer is cancelled.
   */
  private enterSchedulerXen2(cpu: number, now: number): void {
    if (this.entered[cpu] === true) return;
    this.entered[cpu] = true;
    if (this.direct[cpu] !== true) this.serviceTimers(cpu, now, true);
    this.disarm(this.sTimers[cpu] as AcTimer);
  }

  /** Puts `e` (evt and avt final) at the head or the tail of its PCPU's queue, and in the index. */
  private enqueue(e: BvtEntry, head: boolean, now: number): void {
    const cpu = e.vcpu.cpu;
    const rq = this.queues();
    if (head) {
      rq.pushHead(e, now);
      if (this.x2) this.idleBefore[cpu] = (this.idleBefore[cpu] as number) + 1;
    } else rq.pushTail(e, now);
    if (this.index !== null) this.index.add(e, cpu, head);
  }

  /** bvt_adjdom, SCHED_INFO_PUT. */
  private adjdomXen2(e: BvtEntry, p: DomainSchedParams): void {
    const t = this.timers.get(e.vcpu);
    e.mcuAdvance = p.mcuAdvance ?? this.defaultMcuAdvance;
    e.warp = p.warp ?? this.defaultWarp;
    e.warpBack = e.warp > 0;
    e.warped = e.warpBack;
    e.warpLimitNs = p.warpLimitNs ?? this.defaultWarpLimitNs;
    e.unwarpReqNs = p.unwarpReqNs ?? this.defaultUnwarpReqNs;
    this.cancel(t, 'unwarp');
    if (!e.warpBack) this.cancel(t, 'warp');
  }

  private warpTimerFn(e: BvtEntry): void {
    const t = this.timers.get(e.vcpu);
    e.warped = false;
    if (e.unwarpReqNs === 0) {
      e.warpBack = false;
      this.raiseSoftirq(e.vcpu.cpu);
    }
    this.arm(t.unwarp, e.vcpu.cpu, this.ctxOrThrow().sim.now + e.unwarpReqNs);
  }

  private unwarpTimerFn(e: BvtEntry): void {
    if (e.warpBack) {
      e.warped = true;
      this.raiseSoftirq(e.vcpu.cpu);
    }
  }

  /** bvt_wake. */
  private wakeXen2(e: BvtEntry, now: number): void {
    const ctx = this.ctxOrThrow();
    const cpu = e.vcpu.cpu;
    // (a domain moved by idle-steal got the new CPU's svt when it was stolen: DF_MIGRATED's effect)
    const svt = this.svts[cpu] as number;
    if (e.avt < svt) e.avt = svt;
    e.evt = this.calcEvtXen2(e, e.avt);
    this.enqueue(e, true, now); // (the head insert; Xen does it first, nothing above reads the queue)
    this.queues().tickleIdlers(ctx, cpu);
    const cur = ctx.current(cpu);
    if (cur === null) {
      this.raiseSoftirq(cpu);
      return;
    }
    const c = this.entries.get(cur);
    const lastschd = ctx.dispatchedAtNs(cpu);
    const curEvt = this.calcEvtXen2(c, this.calcAvtXen2(c, now - lastschd));
    if (e.evt <= curEvt) {
      this.raiseSoftirq(cpu);
      return;
    }
    const rTime = lastschd + Math.floor(u32(e.evt - curEvt) / c.mcuAdvance) + this.ctxAllow;
    const sTimer = this.sTimers[cpu] as AcTimer;
    if (sTimer.expiresNs > rTime) {
      this.arm(sTimer, cpu, rTime); // mod_ac_timer(&s_timer, r_time)
      ctx.rescheduleAt(cpu, rTime);
    }
  }

  /** bvt_do_schedule after the previous domain was charged and re-queued (charge above). */
  private pickNextXen2(cpu: number, now: number): Decision {
    const rq = this.queues();
    const ctx = this.ctxOrThrow();
    this.enterSchedulerXen2(cpu, now);
    this.entered[cpu] = false;
    // a direct schedule (block, yield) leaves a pending softirq pending: it runs next
    let again = false;
    if (this.direct[cpu] === true) {
      this.direct[cpu] = false;
      again = this.softirq[cpu] === true;
    } else {
      this.softirq[cpu] = false;
    }
    if (rq.length(cpu) === 0) {
      const stolen = rq.steal(cpu, null);
      if (stolen !== null) {
        // idle-steal (an option; Xen 2.0 BVT itself never migrates): the domain arrives as after a
        // migration: avt = the new CPU's svt (DF_MIGRATED), at the tail
        stolen.avt = this.svts[cpu] as number;
        stolen.evt = this.calcEvtXen2(stolen, stolen.avt);
        this.enqueue(stolen, false, now);
      }
    }
    const q = rq.queue(cpu);
    const n = q.length;
    const ip = this.idleBefore[cpu] as number;
    // null = the idle task; undefined = NULL (no next_prime yet)
    let next: BvtEntry | null = null;
    let nextEvt = MAX_U32;
    let prime: BvtEntry | null | undefined = undefined;
    let primeEvt = MAX_U32;
    let minAvt = MAX_U32;
    const index = this.index;
    if (index !== null) {
      // the scan's results from the heaps (bvt-index.ts); the idle task has queue key 0
      const top = index.first(cpu);
      if (top !== null && top.evt < MAX_U32) {
        next = top;
        const sec = index.second(cpu);
        if (sec !== null && sec.evt < MAX_U32) prime = sec;
        else {
          // no other finite evt: the scan leaves next_prime at the last item of the queue, or at
          // idle when `next` itself is last
          const last = q[n - 1] as BvtEntry;
          prime = index.key(last) < 0 || last === next ? null : last;
        }
      }
      minAvt = index.minAvt(cpu) ?? MAX_U32;
    } else
      for (let i = 0; i <= n; i++) {
        let p: BvtEntry | null = null;
        let evt = MAX_U32;
        let avt = MAX_U32;
        if (i !== ip) {
          p = q[i < ip ? i : i - 1] as BvtEntry;
          evt = p.evt;
          avt = p.avt;
        }
        if (evt < nextEvt) {
          prime = next;
          primeEvt = nextEvt;
          next = p;
          nextEvt = evt;
        } else if (primeEvt === MAX_U32) {
          primeEvt = evt;
          prime = p;
        } else if (evt < primeEvt) {
          primeEvt = evt;
          prime = p;
        }
        if (avt < minAvt) minAvt = avt;
      }
    if (next !== null && next.warped && next.warpLimitNs > 0) {
      this.arm(this.timers.get(next.vcpu).warp, cpu, now + next.warpLimitNs);
    }
    if (minAvt !== MAX_U32) this.svts[cpu] = minAvt;
    if ((this.svts[cpu] as number) >= SVT_REBASE_AT) {
      for (const e of this.live) {
        if (e.vcpu.cpu !== cpu) continue;
        e.evt = u32(e.evt - SVT_REBASE_BY);
        e.avt = u32(e.avt - SVT_REBASE_BY);
      }
      this.svts[cpu] = (this.svts[cpu] as number) - SVT_REBASE_BY;
      if (this.index !== null) this.index.rebuild(cpu);
    }
    const d = this.decision;
    this.curs[cpu] = next === null ? null : next.vcpu;
    if (next === null) {
      d.vcpu = null;
      d.sliceNs = this.ctxAllow;
    } else {
      next.running = true;
      d.vcpu = next.vcpu;
      if (prime === undefined || prime === null) d.sliceNs = this.singleRunnableSliceFactor * this.ctxAllow;
      else d.sliceNs = Math.floor(u32(prime.evt - next.evt) / next.mcuAdvance) + this.ctxAllow;
    }
    this.arm(this.sTimers[cpu] as AcTimer, cpu, now + d.sliceNs); // s_timer at now + r_time
    if (again) this.raiseSoftirq(cpu);
    return d;
  }
}

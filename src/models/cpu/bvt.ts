// Borrowed Virtual Time (Duda & Cheriton, SOSP 1999) as Xen implements it: Xen 1.0 behaviour by
// default, and the textbook / Xen 2.0 variant where they differ.
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
//     do_yield (the block call) clears warpback. sched_add_domain: avt = evt = svt, warp = warpl =
//     warpu = 0. virt_timer: an event to every domain every 20 ms (modelled by the host, host.ts).
//     xen/include/xeno/event.h mark_guest_event: wake_up(p) if blocked, then reschedule(p) for every
//     event, so events to runnable domains also trigger the ctx_allow preemption check.
//   Xen 2.0 (Dec 2004) xen/common/sched_bvt.c: bvt_wake pre-empts at once if the woken domain's
//     evt ≤ the current one's evt (computed with the current run charged up to now), otherwise sets
//     the timer to curr.lastschd + (woken.evt − curr.evt) / curr.mcu_advance + ctx_allow;
//     defaults warpl = 2000 ms, warpu = 1000 ms; a migrated domain gets avt = svt of its new CPU.
//   docs/calibration.md "Hypervisor constants" (the same numbers).
//
// Where Xen 1.0's code differs from the paper's algorithm, both are offered:
//   sliceFormula 'xen1' (default): r_time = Δevt / mcuAdvance + ctxAllow, which adds a count of
//     MCUs to nanoseconds (so with two runnable domains a slice is ctxAllow plus a few ns);
//     'textbook': r_time = (Δevt / mcuAdvance) · MCU + ctxAllow — run until `next` passes
//     `next_prime` by the context-switch allowance.
//   wakePreemption 'ctx-allow' (default, Xen 1.0 reschedule()) or 'evt' (Xen 2.0 bvt_wake; the
//     deferred re-check uses the selected slice formula).
//   warpMode 'xen1' (default): Xen 1.0 __calc_evt above — the warp window is wall time since the
//     wake, checked only at wake and deschedule; 'textbook': a vCPU with warp > 0 is warped from a
//     wake (if at least unwarpReqNs have passed since it was last forced to unwarp) until it blocks or
//     has run warpLimitNs of CPU time warped; the slice of a warped vCPU is cut at its remaining
//     warp allowance, so no warped run exceeds warpLimitNs; warpLimitNs = 0 means no limit (as Xen 2.0,
//     which arms its warp timer only when warpl > 0). Blocking ends a warp without counting as a
//     forced unwarp.
//   rescheduleOnEvent: true in 'xen1' (mark_guest_event), false in 'textbook' (Xen 2.0 only wakes).
// Presets: variant 'xen1' = { xen1, ctx-allow, xen1 warp, warp 0 / 0 / 0, rescheduleOnEvent };
//          variant 'textbook' = { textbook, evt, textbook warp, warp 0 / 2000 ms / 1000 ms, no }.
// Any option given explicitly overrides the preset.
//
// Assumptions: entities are vCPUs (Xen 1.0 has one per domain); each takes its domain's parameters.
// Virtual times are unbounded integers (no 32-bit wrap handling; docs/calibration.md allows this).
// The running vCPU stays on its queue, as in Xen. Per-PCPU svt; SMP placement and migration as in
// run-queues.ts (migration 'none' reproduces Xen's pinned domains). Units: ns; avt/evt/svt/warp in
// virtual-time units (one MCU of CPU advances avt by mcuAdvance).
import type { Domain } from '../host/domain.js';
import type { Vcpu } from '../host/vcpu.js';
import { RunQueues, type QueueEntry, type SmpOptions } from './run-queues.js';
import type { CpuScheduler, Decision, DomainSchedParams, SchedulerContext } from './scheduler.js';
import { checkBool, checkInt, checkOneOf } from '../validate.js';

export const BvtVariant = { xen1: 'xen1', textbook: 'textbook' } as const;
export type BvtVariant = (typeof BvtVariant)[keyof typeof BvtVariant];
export const SliceFormula = { xen1: 'xen1', textbook: 'textbook' } as const;
export type SliceFormula = (typeof SliceFormula)[keyof typeof SliceFormula];
export const WakePreemption = { ctxAllow: 'ctx-allow', evt: 'evt' } as const;
export type WakePreemption = (typeof WakePreemption)[keyof typeof WakePreemption];
export const WarpMode = { xen1: 'xen1', textbook: 'textbook' } as const;
export type WarpMode = (typeof WarpMode)[keyof typeof WarpMode];

export interface BvtOptions {
  /** Preset for the variant-dependent options below. Default 'xen1'. */
  readonly variant?: BvtVariant;
  readonly sliceFormula?: SliceFormula;
  readonly wakePreemption?: WakePreemption;
  readonly warpMode?: WarpMode;
  readonly rescheduleOnEvent?: boolean;
  /** Context-switch allowance, ns. Default 5 ms (docs/calibration.md, Xen 1.0 ctx_allow). */
  readonly ctxAllowNs?: number;
  /** Minimum charging unit, ns. Default 100 µs (docs/calibration.md). */
  readonly mcuNs?: number;
  /** Default inverse weight. Default 10 (docs/calibration.md, MCU_ADVANCE). */
  readonly defaultMcuAdvance?: number;
  /** Default warp (virtual-time units). Default 0. */
  readonly defaultWarp?: number;
  /** Default warp limit, ns. xen1: 0; textbook: 2000 ms (Xen 2.0 bvt_add_task). */
  readonly defaultWarpLimitNs?: number;
  /** Default unwarp requirement, ns. xen1: 0; textbook: 1000 ms (Xen 2.0 bvt_add_task). */
  readonly defaultUnwarpReqNs?: number;
  /** Slice when one vCPU is runnable, in ctxAllows. Default 10 ("RN: random constant"). */
  readonly singleRunnableSliceFactor?: number;
  /** Xen 1.0 reschedule() timer slop, ns. Default 50 µs (TIME_SLOP). */
  readonly timeSlopNs?: number;
  readonly smp?: SmpOptions;
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
  },
  textbook: {
    sliceFormula: SliceFormula.textbook,
    wakePreemption: WakePreemption.evt,
    warpMode: WarpMode.textbook,
    rescheduleOnEvent: false,
    defaultWarp: 0,
    defaultWarpLimitNs: 2_000_000_000,
    defaultUnwarpReqNs: 1_000_000_000,
  },
} as const;

/** BVT's per-vCPU state (read-only view via BvtScheduler.info). */
export interface BvtEntry extends QueueEntry {
  avt: number;
  evt: number;
  mcuAdvance: number;
  warp: number;
  warpLimitNs: number;
  unwarpReqNs: number;
  /** xen1: warpback (may warp); textbook: unused. */
  warpBack: boolean;
  /** xen1: time of the last wake ("warped"). */
  warpedAtNs: number;
  /** Time it was last forced to unwarp ("uwarped"). */
  unwarpedAtNs: number;
  /** textbook: warped now. */
  warped: boolean;
  /** textbook: CPU time run warped since the warp began, ns. */
  warpedRunNs: number;
}

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
  private readonly smp: SmpOptions;
  private ctx: SchedulerContext | null = null;
  private rq: RunQueues<BvtEntry> | null = null;
  private svts: number[] = [];
  private readonly decision: Decision = { vcpu: null, sliceNs: 0 };

  constructor(options: BvtOptions = {}) {
    const where = 'BvtScheduler';
    this.variant = checkOneOf(where, 'variant', options.variant ?? BvtVariant.xen1, BvtVariant);
    const p = BVT_PRESETS[this.variant];
    this.sliceFormula = checkOneOf(where, 'sliceFormula', options.sliceFormula ?? p.sliceFormula, SliceFormula);
    this.wakePreemption = checkOneOf(where, 'wakePreemption', options.wakePreemption ?? p.wakePreemption, WakePreemption);
    this.warpMode = checkOneOf(where, 'warpMode', options.warpMode ?? p.warpMode, WarpMode);
    this.rescheduleOnEvent = checkBool(where, 'rescheduleOnEvent', options.rescheduleOnEvent ?? p.rescheduleOnEvent);
    this.ctxAllow = checkInt(where, 'ctxAllowNs', options.ctxAllowNs ?? BVT_DEFAULTS.ctxAllowNs, 1);
    this.mcuNs = checkInt(where, 'mcuNs', options.mcuNs ?? BVT_DEFAULTS.mcuNs, 1);
    this.defaultMcuAdvance = checkInt(where, 'defaultMcuAdvance', options.defaultMcuAdvance ?? BVT_DEFAULTS.defaultMcuAdvance, 1, 0xffffffff);
    this.defaultWarp = checkInt(where, 'defaultWarp', options.defaultWarp ?? p.defaultWarp, 0, 0x7fffffff);
    this.defaultWarpLimitNs = checkInt(where, 'defaultWarpLimitNs', options.defaultWarpLimitNs ?? p.defaultWarpLimitNs, 0);
    this.defaultUnwarpReqNs = checkInt(where, 'defaultUnwarpReqNs', options.defaultUnwarpReqNs ?? p.defaultUnwarpReqNs, 0);
    this.singleRunnableSliceFactor = checkInt(where, 'singleRunnableSliceFactor', options.singleRunnableSliceFactor ?? BVT_DEFAULTS.singleRunnableSliceFactor, 1);
    this.timeSlopNs = checkInt(where, 'timeSlopNs', options.timeSlopNs ?? BVT_DEFAULTS.timeSlopNs, 0);
    this.smp = options.smp ?? {};
  }

  attach(ctx: SchedulerContext): void {
    this.ctx = ctx;
    this.rq = new RunQueues<BvtEntry>(ctx.numCpus, this.smp, 'BvtScheduler');
    this.svts = new Array<number>(ctx.numCpus).fill(0);
  }

  /** The context-switch allowance, ns. */
  get ctxAllowNs(): number {
    return this.ctxAllow;
  }

  /**
   * Changes the context-switch allowance (Xen's sched_bvtctl, the global BVT control; the paper's
   * "50 ms" experiment raises it to 50 ms). Takes effect at the next scheduling decision.
   */
  setCtxAllowNs(ns: number): void {
    this.ctxAllow = checkInt('BvtScheduler.setCtxAllowNs', 'ns', ns, 1);
  }

  // ---- observation (tests, traces) ----

  /** The vCPU's BVT state (a live read-only view). */
  info(vcpu: Vcpu): Readonly<BvtEntry> {
    return this.entry(vcpu);
  }

  /** The scheduler virtual time of a PCPU. */
  svt(cpu: number): number {
    return this.svts[cpu] ?? 0;
  }

  /** Whether the vCPU's effective virtual time is currently warped below its actual one. */
  isWarped(vcpu: Vcpu): boolean {
    const e = this.entry(vcpu);
    return e.evt < e.avt;
  }

  // ---- operations ----

  addVcpu(vcpu: Vcpu, _now: number): void {
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
    vcpu.schedData = e;
    this.applyParams(e, vcpu.domain.schedParams);
  }

  removeVcpu(vcpu: Vcpu, _now: number): void {
    this.queues().detach(this.entry(vcpu));
  }

  wake(vcpu: Vcpu, now: number): void {
    const e = this.entry(vcpu);
    if (e.queued) return;
    const rq = this.queues();
    const cpu = vcpu.cpu;
    rq.pushHead(e, now);
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
    this.preemptCheck(e, now);
    rq.tickleIdlers(this.ctx as SchedulerContext, cpu);
  }

  notify(vcpu: Vcpu, now: number): void {
    if (!this.rescheduleOnEvent) return;
    const e = this.entry(vcpu);
    if (!e.queued || e.running) return;
    this.preemptCheck(e, now);
  }

  block(vcpu: Vcpu, _now: number): void {
    const e = this.entry(vcpu);
    e.warpBack = false; // Xen 1.0 do_yield
    e.warped = false;
  }

  yield(_vcpu: Vcpu, _now: number): void {}

  charge(vcpu: Vcpu, _cpu: number, ranNs: number, runnable: boolean, now: number): void {
    const e = this.entry(vcpu);
    const rq = this.queues();
    e.running = false;
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
    if (e.queued) rq.remove(e);
    if (runnable) {
      rq.pushTail(e, now);
      rq.tickleIdlers(this.ctx as SchedulerContext, vcpu.cpu);
    }
  }

  pickNext(cpu: number, now: number): Decision {
    const rq = this.queues();
    if (rq.length(cpu) === 0) {
      const stolen = rq.steal(cpu, null);
      if (stolen !== null) {
        // Xen 2.0 bvt_wake: a migrated domain takes the svt of its new CPU
        stolen.avt = this.svts[cpu] as number;
        if (this.warpMode === WarpMode.xen1) this.calcEvtXen1(stolen, now);
        else stolen.evt = stolen.warped ? stolen.avt - stolen.warp : stolen.avt;
        rq.pushTail(stolen, now);
      }
    }
    const q = rq.queue(cpu);
    let next: BvtEntry | null = null;
    let nextPrime: BvtEntry | null = null;
    let minAvt = Infinity;
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

  validateParams(_params: DomainSchedParams, _domain: Domain | null): void {
    // the generic ranges (scheduler.ts) are BVT's: mcuAdvance ≥ 1, warp and times ≥ 0
  }

  setParams(domain: Domain, _now: number): void {
    for (const v of domain.vcpus) this.applyParams(this.entry(v), domain.schedParams);
  }

  // ---- internals ----

  private queues(): RunQueues<BvtEntry> {
    if (this.rq === null) throw new Error('BvtScheduler: not attached to a host');
    return this.rq;
  }

  private entry(v: Vcpu): BvtEntry {
    return v.schedData as BvtEntry;
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

  /** Wake-up (or event) preemption of the vCPU current on e's PCPU. */
  private preemptCheck(e: BvtEntry, now: number): void {
    const ctx = this.ctx as SchedulerContext;
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
    // Xen 2.0 bvt_wake: compare with the current vCPU's evt as if charged now
    const c = this.entry(cur);
    const curAvt = c.avt + Math.ceil((now - lastschd) / this.mcuNs) * c.mcuAdvance;
    const curEvt = this.warpMode === WarpMode.textbook ? (c.warped ? curAvt - c.warp : curAvt) : c.evt < c.avt ? curAvt - c.warp : curAvt;
    if (e.evt <= curEvt) ctx.reschedule(cpu);
    else ctx.rescheduleAt(cpu, lastschd + this.sliceFor(e.evt - curEvt, c.mcuAdvance));
  }
}

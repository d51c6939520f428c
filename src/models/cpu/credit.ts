// The Credit scheduler (sched_credit.c by Emmanuel Ackaouy, XenSource 2006), for comparison rows,
// following ONE release: Xen 3.4 (2009; the first with time-based burning, before cpupools and the
// 4.2 rate limit).
//
// Source read: xen/common/sched_credit.c of the Xen 3.4 line (static csched_priv, burn_credits with
// start_time, vcpu_migration_delay; no ratelimit_us, no yield flag, no soft affinity): constants
// CSCHED_DEFAULT_WEIGHT 256, CSCHED_TICKS_PER_TSLICE 3, CSCHED_TICKS_PER_ACCT 3,
// CSCHED_MSECS_PER_TICK 10, CSCHED_CREDITS_PER_MSEC 10 (so 300 credits per 30 ms slice and per
// accounting period, and 300 · ncpus credits handed out per period); priorities BOOST (0) >
// UNDER (−1) > OVER (−2) > IDLE (−64);
// burn_credits(): credits = (Δt · 10 + 1 ms / 2) / 1 ms (round to nearest), start_time advanced by
//   the credits burnt (the remainder carried);
// csched_vcpu_wake: nothing if current or queued; UNDER and not parked → BOOST; __runq_insert after
//   every queued vCPU of equal or higher priority; __runq_tickle: the CPU if the new vCPU has
//   strictly higher priority than its current one, and the idlers if the CPU is busy;
// csched_tick (every 10 ms per CPU): the running vCPU loses BOOST, burns credits, and becomes active
//   (earning) if it was not; csched_runq_sort moves UNDER (and BOOST) ahead of OVER, stably, once per
//   accounting;
// csched_acct (every 30 ms): ported line by line — fair share by weight among active domains, peak
//   and cap limits (cap credits = ⌈cap · 300 / 100⌉ per period), extra credit redistributed,
//   per-vCPU credit; credit < 0 → OVER, park a capped domain's vCPU when credit < −(its cap share),
//   clamp at −300; credit ≥ 0 → UNDER, unpark (woken without BOOST), credit > 300 → stop earning
//   (inactive) and reset to 0 (Xen 4.x halves it instead; not followed here);
// csched_schedule: burn the current vCPU's credits, re-queue it by priority if runnable, take the
//   queue head if it is UNDER or BOOST, else look on other CPUs for strictly higher-priority work;
//   slice 30 ms, idle with no timer. Yield (schedule.c do_yield → the scheduler at once): the
//   yielding vCPU is re-queued after every vCPU of equal or higher priority, so an equal one runs.
// Not in Xen 3.4, so not modelled: the rate limit of Xen 4.2 (sched_ratelimit_us; the project's
// calibration notes list it for later releases) and 4.x's yield flag.
// docs/calibration.md "Later Xen schedulers": Credit (2006) weight 256, cap in % of one CPU (0 = none),
// 30 ms slice of three 10 ms ticks, BOOST > UNDER > OVER > IDLE, waking vCPUs boosted.
//
// Simplifications: the per-CPU tickers and the accounting master run from one periodic callback
// (ticks of CPUs 0..N−1 in index order, then every 3rd tick the accounting) aligned to host start;
// migration uses the generic policy of run-queues.ts (an idle, or OVER-only, PCPU steals the
// longest-waiting queued vCPU of strictly higher priority than its own best) instead of Xen's
// neighbour cycle and cache-hot test (vcpu_migration_delay), and csched_vcpu_acct's migration of a
// running vCPU to a better idle CPU is not modelled; no hyperthread topology.
// Units: ns; credits are Xen's (10 per ms of CPU).
import type { Handle } from '../../sim/index.js';
import { RunQueues, type QueueEntry, type SmpOptions } from './run-queues.js';
import {
  VcpuTable,
  type CpuScheduler,
  type Decision,
  type DomainSchedParams,
  type SchedDomain,
  type SchedVcpu,
  type SchedulerContext,
} from './scheduler.js';
import { checkBool, checkInt, rangeFail } from '../validate.js';

export const CreditPri = { boost: 0, under: -1, over: -2, idle: -64 } as const;
export type CreditPri = (typeof CreditPri)[keyof typeof CreditPri];

export interface CreditOptions {
  /** Tick period, ns. Default 10 ms (CSCHED_MSECS_PER_TICK). */
  readonly tickNs?: number;
  /** Ticks per time slice. Default 3 (CSCHED_TICKS_PER_TSLICE). */
  readonly ticksPerSlice?: number;
  /** Ticks per accounting period. Default 3 (CSCHED_TICKS_PER_ACCT). */
  readonly ticksPerAcct?: number;
  /** Credits per ms of CPU; must divide 10^6. Default 10 (CSCHED_CREDITS_PER_MSEC). */
  readonly creditsPerMs?: number;
  /** Default domain weight. Default 256 (CSCHED_DEFAULT_WEIGHT). */
  readonly defaultWeight?: number;
  /** Boost waking UNDER vCPUs. Default true. */
  readonly boost?: boolean;
  readonly smp?: SmpOptions;
}

export const CREDIT_DEFAULTS = {
  tickNs: 10_000_000,
  ticksPerSlice: 3,
  ticksPerAcct: 3,
  creditsPerMs: 10,
  defaultWeight: 256,
  boost: true,
} as const;

/** Credit's per-domain state. */
export interface CreditDom {
  readonly domain: SchedDomain;
  weight: number;
  capPercent: number;
  /** Active (earning) vCPUs, most recently activated first (Xen list_add). */
  readonly activeVcpus: CreditEntry[];
}

/** Credit's per-vCPU state (read-only view via CreditScheduler.info). */
export interface CreditEntry extends QueueEntry {
  readonly sdom: CreditDom;
  credit: number;
  pri: CreditPri;
  parked: boolean;
  active: boolean;
  /** Burn start while running; while not running, the carried remainder (Xen's start_time). */
  startTimeNs: number;
  /** Its domain was destroyed. */
  removed: boolean;
}

function onCreditTick(s: CreditScheduler): void {
  s._tick();
}

export class CreditScheduler implements CpuScheduler {
  readonly name = 'credit';
  readonly tickNs: number;
  readonly ticksPerSlice: number;
  readonly ticksPerAcct: number;
  readonly creditsPerMs: number;
  readonly defaultWeight: number;
  readonly boost: boolean;
  readonly sliceNs: number;
  readonly creditsPerTslice: number;
  readonly creditsPerAcct: number;
  private readonly nsPerCredit: number;
  private readonly smp: SmpOptions;
  private ctx: SchedulerContext | null = null;
  private rq: RunQueues<CreditEntry> | null = null;
  private readonly doms = new Map<SchedDomain, CreditDom>();
  private readonly entries = new VcpuTable<CreditEntry>('CreditScheduler');
  /** Active domains (Xen active_sdom), most recently activated first. */
  private readonly activeDoms: CreditDom[] = [];
  private weightTotal = 0;
  private creditTotalBase = 0;
  private creditBalance = 0;
  private tickCount = 0;
  private sortEpoch = 0;
  private sortedEpoch: number[] = [];
  private tickHandle: Handle = -1;
  private readonly decision: Decision = { vcpu: null, sliceNs: 0 };
  /** pickNext's steal test (strictly higher priority than the local best), kept to allocate nothing. */
  private stealAbovePri: number = CreditPri.idle;
  /** Queued entries (all PCPUs) of priority above OVER: with none, an OVER-only PCPU has nothing to steal. */
  private queuedAboveOver = 0;
  /** The same count per PCPU queue (a steal above OVER skips the queues with none). */
  private aboveOverOn: number[] = [];
  private readonly stealEligible = (x: CreditEntry): boolean => x.pri > this.stealAbovePri;
  private readonly stealMayHold = (c: number): boolean =>
    this.stealAbovePri !== CreditPri.over || (this.aboveOverOn[c] as number) > 0;

  constructor(options: CreditOptions = {}) {
    const where = 'CreditScheduler';
    const d = CREDIT_DEFAULTS;
    this.tickNs = checkInt(where, 'tickNs', options.tickNs ?? d.tickNs, 1);
    this.ticksPerSlice = checkInt(where, 'ticksPerSlice', options.ticksPerSlice ?? d.ticksPerSlice, 1);
    this.ticksPerAcct = checkInt(where, 'ticksPerAcct', options.ticksPerAcct ?? d.ticksPerAcct, 1);
    this.creditsPerMs = checkInt(where, 'creditsPerMs', options.creditsPerMs ?? d.creditsPerMs, 1, 1_000_000);
    if (1_000_000 % this.creditsPerMs !== 0)
      rangeFail(where, 'creditsPerMs', 'a divisor of 1000000', this.creditsPerMs);
    this.defaultWeight = checkInt(where, 'defaultWeight', options.defaultWeight ?? d.defaultWeight, 1, 65535);
    this.boost = checkBool(where, 'boost', options.boost ?? d.boost);
    this.smp = options.smp ?? {};
    this.sliceNs = this.tickNs * this.ticksPerSlice;
    this.nsPerCredit = 1_000_000 / this.creditsPerMs;
    this.creditsPerTslice = Math.round(this.sliceNs / this.nsPerCredit);
    this.creditsPerAcct = Math.round((this.tickNs * this.ticksPerAcct) / this.nsPerCredit);
  }

  attach(ctx: SchedulerContext): void {
    this.ctx = ctx;
    const n = ctx.numCpus;
    this.rq = new RunQueues<CreditEntry>(n, this.smp, 'CreditScheduler');
    this.aboveOverOn = new Array<number>(n).fill(0);
    this.rq.onRemove = (cpu, _index, e) => {
      if (e.pri > CreditPri.over) {
        this.queuedAboveOver--;
        this.aboveOverOn[cpu] = (this.aboveOverOn[cpu] as number) - 1;
      }
    };
    this.creditTotalBase = this.creditsPerAcct * n;
    this.sortedEpoch = new Array<number>(n).fill(0);
    this.tickHandle = ctx.sim.schedule(this.tickNs, onCreditTick, this as CreditScheduler);
  }

  // ---- observation ----

  info(vcpu: SchedVcpu): Readonly<CreditEntry> {
    return this.entry(vcpu);
  }

  /** Σ weights of the active domains. */
  get activeWeight(): number {
    return this.weightTotal;
  }

  // ---- operations ----

  addVcpu(vcpu: SchedVcpu, _now: number): void {
    let sdom = this.doms.get(vcpu.domain);
    if (sdom === undefined) {
      const p = vcpu.domain.schedParams;
      sdom = {
        domain: vcpu.domain,
        weight: p.weight ?? this.defaultWeight,
        capPercent: p.capPercent ?? 0,
        activeVcpus: [],
      };
      this.doms.set(vcpu.domain, sdom);
    }
    const e: CreditEntry = {
      vcpu,
      sdom,
      queued: false,
      running: false,
      queuedSinceNs: 0,
      credit: 0,
      pri: CreditPri.under,
      parked: false,
      active: false,
      startTimeNs: 0,
      removed: false,
    };
    this.entries.set(vcpu, e);
    this.queues().place(vcpu);
  }

  removeVcpu(vcpu: SchedVcpu, _now: number): void {
    const e = this.entry(vcpu);
    this.queues().detach(e);
    if (e.active) this.acctStop(e);
    e.removed = true;
    if (vcpu.domain.vcpus.every((v) => this.entry(v).removed)) this.doms.delete(vcpu.domain);
  }

  wake(vcpu: SchedVcpu, now: number): void {
    const e = this.entry(vcpu);
    if (e.queued || e.running || e.parked) return;
    if (this.boost && e.pri === CreditPri.under) this.setPri(e, CreditPri.boost);
    this.enqueueAndTickle(e, now);
  }

  block(_vcpu: SchedVcpu, _now: number): void {}

  yield(_vcpu: SchedVcpu, _now: number): void {}

  charge(vcpu: SchedVcpu, _cpu: number, _ranNs: number, runnable: boolean, now: number): void {
    const e = this.entry(vcpu);
    e.running = false;
    this.burn(e, now);
    e.startTimeNs -= now;
    if (runnable && !e.parked) {
      this.insertByPri(e, now);
      this.queues().tickleIdlers(this.ctxOrThrow(), vcpu.cpu);
    }
  }

  pickNext(cpu: number, now: number): Decision {
    const rq = this.queues();
    const d = this.decision;
    let next: CreditEntry | null = null;
    const head = rq.queue(cpu)[0] ?? null;
    if (head !== null && head.pri > CreditPri.over) {
      rq.remove(head);
      next = head;
    } else {
      const localPri = head === null ? CreditPri.idle : head.pri;
      this.stealAbovePri = localPri;
      // (localPri is IDLE or OVER; the count only skips a scan that would find nothing)
      const stolen =
        localPri === CreditPri.over && this.queuedAboveOver === 0
          ? null
          : rq.steal(cpu, this.stealEligible, this.stealMayHold);
      if (stolen !== null) next = stolen;
      else if (head !== null) {
        rq.remove(head);
        next = head;
      }
    }
    if (next === null) {
      d.vcpu = null;
      d.sliceNs = Infinity;
      return d;
    }
    next.running = true;
    next.startTimeNs += now;
    d.vcpu = next.vcpu;
    d.sliceNs = this.sliceNs;
    return d;
  }

  validateParams(_params: DomainSchedParams, _domain: SchedDomain | null): void {
    // weight 1..65535 and capPercent 0..100·vcpus are checked generically (scheduler.ts)
  }

  setParams(domain: SchedDomain, _now: number): void {
    const sdom = this.doms.get(domain);
    if (sdom === undefined) return;
    const p = domain.schedParams;
    const w = p.weight ?? this.defaultWeight;
    if (sdom.activeVcpus.length > 0) this.weightTotal += w - sdom.weight;
    sdom.weight = w;
    sdom.capPercent = p.capPercent ?? 0;
  }

  // ---- internals ----

  private ctxOrThrow(): SchedulerContext {
    if (this.ctx === null) throw new Error('CreditScheduler: not attached to a host');
    return this.ctx;
  }

  private queues(): RunQueues<CreditEntry> {
    if (this.rq === null) throw new Error('CreditScheduler: not attached to a host');
    return this.rq;
  }

  private entry(v: SchedVcpu): CreditEntry {
    return this.entries.get(v);
  }

  /** Sets an entry's priority, keeping queuedAboveOver. */
  private setPri(e: CreditEntry, pri: CreditPri): void {
    if (e.queued) {
      const delta = (pri > CreditPri.over ? 1 : 0) - (e.pri > CreditPri.over ? 1 : 0);
      this.queuedAboveOver += delta;
      const c = e.vcpu.cpu;
      this.aboveOverOn[c] = (this.aboveOverOn[c] as number) + delta;
    }
    e.pri = pri;
  }

  /** @internal recounts queuedAboveOver from the queues (tests); throws if the kept count is wrong. */
  _checkCounts(): void {
    const rq = this.queues();
    let n = 0;
    for (let c = 0; c < rq.numCpus; c++) {
      let k = 0;
      for (const e of rq.queue(c)) if (e.pri > CreditPri.over) k++;
      if (k !== this.aboveOverOn[c])
        throw new Error(
          `CreditScheduler: ${this.aboveOverOn[c]} queued entries above OVER counted on CPU ${c}, ${k} queued`,
        );
      n += k;
    }
    if (n !== this.queuedAboveOver)
      throw new Error(`CreditScheduler: ${this.queuedAboveOver} queued entries above OVER counted, ${n} queued`);
  }

  /** Xen __runq_insert: after every queued vCPU of equal or higher priority. */
  private insertByPri(e: CreditEntry, now: number): void {
    const rq = this.queues();
    const q = rq.queue(e.vcpu.cpu);
    let i = 0;
    while (i < q.length && e.pri <= (q[i] as CreditEntry).pri) i++;
    rq.insert(e, i, now);
    if (e.pri > CreditPri.over) {
      this.queuedAboveOver++;
      const c = e.vcpu.cpu;
      this.aboveOverOn[c] = (this.aboveOverOn[c] as number) + 1;
    }
  }

  private enqueueAndTickle(e: CreditEntry, now: number): void {
    const ctx = this.ctxOrThrow();
    const cpu = e.vcpu.cpu;
    this.insertByPri(e, now);
    const cur = ctx.current(cpu);
    if (cur === null) {
      ctx.reschedule(cpu);
      return;
    }
    if (e.pri > this.entry(cur).pri) ctx.reschedule(cpu);
    this.queues().tickleIdlers(ctx, cpu);
  }

  /** Xen burn_credits: whole credits, rounded to nearest, the remainder kept in startTimeNs. */
  private burn(e: CreditEntry, now: number): void {
    const delta = now - e.startTimeNs;
    if (delta <= 0) return;
    const credits = Math.floor((delta * this.creditsPerMs + 500_000) / 1_000_000);
    e.credit -= credits;
    e.startTimeNs += credits * this.nsPerCredit;
  }

  private acctStart(e: CreditEntry): void {
    if (e.active) return;
    const sdom = e.sdom;
    e.active = true;
    sdom.activeVcpus.unshift(e);
    if (sdom.activeVcpus.length === 1) {
      this.activeDoms.unshift(sdom);
      this.weightTotal += sdom.weight;
    }
  }

  private acctStop(e: CreditEntry): void {
    const sdom = e.sdom;
    e.active = false;
    const i = sdom.activeVcpus.indexOf(e);
    if (i >= 0) sdom.activeVcpus.splice(i, 1);
    if (sdom.activeVcpus.length === 0) {
      const j = this.activeDoms.indexOf(sdom);
      if (j >= 0) {
        this.activeDoms.splice(j, 1);
        this.weightTotal -= sdom.weight;
      }
    }
  }

  private park(e: CreditEntry): void {
    const ctx = this.ctxOrThrow();
    e.parked = true;
    if (e.running) ctx.reschedule(e.vcpu.cpu);
    else if (e.queued) this.queues().remove(e);
  }

  private unpark(e: CreditEntry, now: number): void {
    // Xen: vcpu_unpause → wake (no boost: the flag is still set), then clear the flag
    if (!e.running && !e.queued && e.vcpu.state !== 'blocked' && !e.removed) this.enqueueAndTickle(e, now);
    e.parked = false;
  }

  /** @internal the periodic tick: per-CPU ticks, then (every ticksPerAcct) the accounting. */
  _tick(): void {
    const ctx = this.ctxOrThrow();
    const now = ctx.sim.now;
    this.tickCount++;
    for (let cpu = 0; cpu < ctx.numCpus; cpu++) {
      const cur = ctx.current(cpu);
      if (cur !== null) {
        const e = this.entry(cur);
        if (e.pri === CreditPri.boost) this.setPri(e, CreditPri.under);
        if (e.running) this.burn(e, now);
        if (!e.active) this.acctStart(e);
      }
      this.sortRunq(cpu);
    }
    if (this.tickCount % this.ticksPerAcct === 0) this.acct(now);
    this.tickHandle = ctx.sim.schedule(this.tickNs, onCreditTick, this as CreditScheduler);
  }

  /** Xen csched_runq_sort: UNDER (and BOOST) before OVER, stable, once per accounting. */
  private sortRunq(cpu: number): void {
    if (this.sortedEpoch[cpu] === this.sortEpoch) return;
    this.sortedEpoch[cpu] = this.sortEpoch;
    const q = this.queues().queue(cpu) as CreditEntry[];
    const under = q.filter((e) => e.pri >= CreditPri.under);
    const over = q.filter((e) => e.pri < CreditPri.under);
    q.length = 0;
    q.push(...under, ...over);
  }

  /** Xen csched_acct, line by line (C unsigned divisions as floors). */
  private acct(now: number): void {
    const cpa = this.creditsPerAcct;
    const cpt = this.creditsPerTslice;
    const weightTotal = this.weightTotal;
    let creditTotal = this.creditTotalBase;
    if (this.creditBalance < 0) creditTotal -= this.creditBalance;
    if (weightTotal === 0) {
      this.creditBalance = 0;
      return;
    }
    let weightLeft = weightTotal;
    let creditBalance = 0;
    let creditXtra = false;
    let creditCap = 0;
    for (const sdom of [...this.activeDoms]) {
      const n = sdom.activeVcpus.length;
      if (n === 0) continue;
      weightLeft -= sdom.weight;
      let creditPeak = n * cpa;
      if (this.creditBalance < 0)
        creditPeak += Math.floor((-this.creditBalance * sdom.weight + (weightTotal - 1)) / weightTotal);
      if (sdom.capPercent !== 0) {
        creditCap = Math.floor((sdom.capPercent * cpa + 99) / 100);
        if (creditCap < creditPeak) creditPeak = creditCap;
        creditCap = Math.floor((creditCap + (n - 1)) / n);
      }
      let creditFair = Math.floor((creditTotal * sdom.weight + (weightTotal - 1)) / weightTotal);
      if (creditFair < creditPeak) {
        creditXtra = true;
      } else {
        if (weightLeft !== 0)
          creditTotal += Math.floor(((creditFair - creditPeak) * weightTotal + (weightLeft - 1)) / weightLeft);
        if (creditXtra) {
          const j = this.activeDoms.indexOf(sdom);
          if (j >= 0) {
            this.activeDoms.splice(j, 1);
            this.activeDoms.unshift(sdom);
          }
        }
        creditFair = creditPeak;
      }
      creditFair = Math.floor((creditFair + (n - 1)) / n);
      for (const svc of [...sdom.activeVcpus]) {
        svc.credit += creditFair;
        let credit = svc.credit;
        if (credit < 0) {
          this.setPri(svc, CreditPri.over);
          if (sdom.capPercent !== 0 && credit < -creditCap && !svc.parked) this.park(svc);
          if (credit < -cpt) {
            credit = -cpt;
            svc.credit = credit;
          }
        } else {
          this.setPri(svc, CreditPri.under);
          if (svc.parked) this.unpark(svc, now);
          if (credit > cpt) {
            this.acctStop(svc);
            credit = 0;
            svc.credit = 0;
          }
        }
        creditBalance += credit;
      }
    }
    this.creditBalance = creditBalance;
    this.sortEpoch++;
  }
}

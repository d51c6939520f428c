// Round-robin CPU scheduler, after Xen 2.0's sched_rrobin.c ("Round Robin Scheduler for Xen",
// Mark Williamson 2004): one FIFO run queue per PCPU; the running vCPU is taken off the queue and, if
// still runnable when its slice ends, goes to the tail; a waking vCPU pre-empts only an idle PCPU
// (rr_wake raises the schedule softirq only if the current task is idle).
//
// Options and defaults:
//   quantumNs  10 ms   — Xen 2.0 sched_rrobin.c `rr_slice = MILLISECS(10)`
//   wakeTo     'tail' (default): the textbook FIFO round robin; 'head': Xen 2.0 rr_wake
//              (`__add_to_runqueue_head`). 'head' can starve a runnable vCPU for ever: two domains
//              that block and wake again within each other's bursts keep re-entering at the head
//              ahead of it (found by the property test, test/models/cpu/properties.test.ts), so it
//              is not the default.
//   smp        least-loaded placement, idle-steal migration (run-queues.ts)
// No per-domain parameters. Units: ns.
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
import { checkInt, checkOneOf } from '../validate.js';

export const WakeTo = { head: 'head', tail: 'tail' } as const;
export type WakeTo = (typeof WakeTo)[keyof typeof WakeTo];

export interface RoundRobinOptions {
  readonly quantumNs?: number;
  readonly wakeTo?: WakeTo;
  readonly smp?: SmpOptions;
}

export const ROUND_ROBIN_DEFAULTS = { quantumNs: 10_000_000, wakeTo: WakeTo.tail } as const;

interface RrEntry extends QueueEntry {}

export class RoundRobinScheduler implements CpuScheduler {
  readonly name = 'round-robin';
  readonly quantumNs: number;
  readonly wakeTo: WakeTo;
  private readonly smp: SmpOptions;
  private ctx: SchedulerContext | null = null;
  private rq: RunQueues<RrEntry> | null = null;
  private readonly decision: Decision = { vcpu: null, sliceNs: 0 };
  private readonly entries = new VcpuTable<RrEntry>('RoundRobinScheduler');

  constructor(options: RoundRobinOptions = {}) {
    const where = 'RoundRobinScheduler';
    this.quantumNs = checkInt(where, 'quantumNs', options.quantumNs ?? ROUND_ROBIN_DEFAULTS.quantumNs, 1);
    this.wakeTo = checkOneOf(where, 'wakeTo', options.wakeTo ?? ROUND_ROBIN_DEFAULTS.wakeTo, WakeTo);
    this.smp = options.smp ?? {};
  }

  attach(ctx: SchedulerContext): void {
    this.ctx = ctx;
    this.rq = new RunQueues<RrEntry>(ctx.numCpus, this.smp, 'RoundRobinScheduler');
  }

  private queues(): RunQueues<RrEntry> {
    if (this.rq === null) throw new Error('RoundRobinScheduler: not attached to a host');
    return this.rq;
  }

  private entry(v: SchedVcpu): RrEntry {
    return this.entries.get(v);
  }

  addVcpu(vcpu: SchedVcpu, _now: number): void {
    const e: RrEntry = { vcpu, queued: false, running: false, queuedSinceNs: 0 };
    this.entries.set(vcpu, e);
    this.queues().place(vcpu);
  }

  removeVcpu(vcpu: SchedVcpu, _now: number): void {
    this.queues().detach(this.entry(vcpu));
  }

  wake(vcpu: SchedVcpu, now: number): void {
    const e = this.entry(vcpu);
    const rq = this.queues();
    const ctx = this.ctx as SchedulerContext;
    if (e.queued || e.running) return;
    if (this.wakeTo === WakeTo.head) rq.pushHead(e, now);
    else rq.pushTail(e, now);
    if (ctx.current(vcpu.cpu) === null) ctx.reschedule(vcpu.cpu);
    rq.tickleIdlers(ctx, vcpu.cpu);
  }

  block(_vcpu: SchedVcpu, _now: number): void {}

  yield(_vcpu: SchedVcpu, _now: number): void {}

  charge(vcpu: SchedVcpu, _cpu: number, _ranNs: number, runnable: boolean, now: number): void {
    const e = this.entry(vcpu);
    e.running = false;
    if (runnable) {
      const rq = this.queues();
      rq.pushTail(e, now);
      rq.tickleIdlers(this.ctx as SchedulerContext, vcpu.cpu);
    }
  }

  pickNext(cpu: number, _now: number): Decision {
    const rq = this.queues();
    let e: RrEntry | null = rq.queue(cpu)[0] ?? null;
    if (e !== null) rq.remove(e);
    else e = rq.steal(cpu, null);
    const d = this.decision;
    if (e === null) {
      d.vcpu = null;
      d.sliceNs = Infinity;
    } else {
      e.running = true;
      d.vcpu = e.vcpu;
      d.sliceNs = this.quantumNs;
    }
    return d;
  }

  validateParams(_params: DomainSchedParams, _domain: SchedDomain | null): void {}

  setParams(_domain: SchedDomain, _now: number): void {}
}

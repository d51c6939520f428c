// A vCPU's guest one-shot timers (a guest OS's sleep or timeout) multiplexed onto the one domain timer
// Xen 2.0 gives a domain (schedule.c do_set_timer_op: one ac_timer per domain; the guest kernel keeps
// its own timer list and programs the domain timer with its earliest deadline before SCHEDOP_block).
// Used by the host when its scheduler keeps Xen 2.0's timer heap (cpu/scheduler.ts SchedulerTimerHeap,
// BVT 'xen2'); with any other scheduler a guest timer is a plain simulation event (host.ts).
//
// When the domain timer fires (in its PCPU's heap order, up to the heap's slop before its deadline),
// every guest timer due at or before the deadline it was armed for runs, earliest first, equal
// deadlines in the order they were set; the domain timer is then re-armed for the next one, if any.
// Assumption: the guest reprograms the domain timer at once for every new earliest timer (Xen-Linux
// 2.0 programs it on the way to blocking; while the domain runs, its own timer interrupt would run
// the expired timers at the next 10 ms tick instead).
// Units: ns.
import type { SchedulerTimerHeap, SchedVcpu } from '../cpu/scheduler.js';

interface GuestTimer {
  readonly atNs: number;
  readonly fn: (arg: unknown) => void;
  readonly arg: unknown;
}

/** @internal one vCPU's pending guest timers, sorted by deadline (FIFO among equal deadlines). */
export class GuestTimerList {
  private readonly pending: GuestTimer[] = [];
  /** The deadline the domain timer is armed for, or -1. */
  private armedNs = -1;
  private readonly onFire = (): void => this.fire();

  constructor(
    private readonly heap: SchedulerTimerHeap,
    private readonly vcpu: SchedVcpu,
  ) {}

  add<T>(atNs: number, fn: (arg: T) => void, arg: T): void {
    const q = this.pending;
    let i = q.length;
    while (i > 0 && (q[i - 1] as GuestTimer).atNs > atNs) i--;
    q.splice(i, 0, { atNs, fn: fn as (arg: unknown) => void, arg });
    if (this.armedNs < 0 || atNs < this.armedNs) {
      this.armedNs = atNs;
      this.heap.setDomainTimer(this.vcpu, atNs, this.onFire);
    }
  }

  /** Drops every pending timer (the domain is destroyed: they never fire). */
  clear(): void {
    this.pending.length = 0;
    if (this.armedNs >= 0) this.heap.cancelDomainTimer(this.vcpu);
    this.armedNs = -1;
  }

  private fire(): void {
    const due = this.armedNs;
    this.armedNs = -1;
    const q = this.pending;
    let n = 0;
    while (n < q.length && (q[n] as GuestTimer).atNs <= due) n++;
    const run = q.splice(0, n);
    const next = q[0];
    if (next !== undefined) {
      this.armedNs = next.atNs;
      this.heap.setDomainTimer(this.vcpu, next.atNs, this.onFire);
    }
    for (const t of run) t.fn(t.arg);
  }
}

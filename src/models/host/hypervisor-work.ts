// Hypervisor-context CPU work: one interrupt or softirq handler run queued on a physical CPU.
//
// What it holds: the unit of work the host's dispatcher (host.ts) runs in hypervisor context on a
// PCPU, outside every domain: `remainingNs` of CPU, whether it is a hard interrupt handler (served
// first, and preempting a softirq that is running) or a softirq (served after every pending hard
// interrupt on that PCPU, FIFO), a tag for observers, and what to do when it completes (an Event to
// succeed and/or a callback with one argument, so hot paths need not allocate an Event).
//
// The dispatcher's rules (host.ts header, "Hypervisor context"): hypervisor work preempts the vCPU
// running on its PCPU without a domain switch (the vCPU stays current, its demand makes no progress
// until the handlers are done), interrupts an idle PCPU, and waits for the end of a context switch in
// progress (Xen switches with interrupts disabled: __enter_scheduler holds the schedule lock with
// spin_lock_irq, Xen 2.0 xen/common/schedule.c). Its time is accounted as "hypervisor" time of the
// PCPU, apart from guest (busy), switching and idle time.
//
// Bytes touched: the host's context-switch model counts them as pollution of that PCPU's caches
// (cpu/context-switch.ts pollute), so the domain that runs next there finds them evicted.
// Units: integer ns, bytes. Defaults: none (costs come from the callers: interrupts.ts, backendWork).
import type { Event } from '../../sim/index.js';

/** Kinds of hypervisor work: a hard interrupt handler or a softirq (deferred work, tasklets). */
export const HvWorkKind = { irq: 'irq', softirq: 'softirq' } as const;
export type HvWorkKind = (typeof HvWorkKind)[keyof typeof HvWorkKind];

/** Completion callback of a unit of hypervisor work (called with its argument, at completion time). */
export type HvWorkCallback<T> = (arg: T) => void;

/**
 * @internal one unit of hypervisor-context work on a PCPU. Mutable: the host recycles completed records
 * (its hvPool), so queueing work on the per-packet path allocates nothing.
 */
export class HvWork {
  constructor(
    public remainingNs: number,
    public sizeNs: number,
    public softirq: boolean,
    public tag: string | null,
    public event: Event<void> | null,
    public fn: HvWorkCallback<unknown> | null,
    public arg: unknown,
  ) {}
}

export interface HypervisorWorkOptions {
  /** Physical CPU that runs the work (default 0). */
  readonly cpu?: number;
  /** 'irq' (hard interrupt handler, default) or 'softirq'. */
  readonly kind?: HvWorkKind;
  /** Free label for observers (host.onHypervisorWork). */
  readonly tag?: string;
  /**
   * Bytes the work touches on that PCPU (new lines each time: they evict what the domains left in its
   * caches; the host passes them to its context-switch model's `pollute`). Default 0.
   */
  readonly bytesTouched?: number;
}

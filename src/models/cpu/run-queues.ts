// Per-PCPU run queues for the SMP schedulers: placement of new vCPUs, the queues themselves
// (ordered arrays: small n, ordered scans as in Xen's list-based run queues), and migration.
//
// Placement (at creation, `placement` option):
//   'least-loaded' (default) — the PCPU with the fewest vCPUs assigned, ties to the lowest index.
//       Xen 2.0 dom0_ops.c DOM0_CREATEDOMAIN: counts domains per processor, picks the least (lowest
//       index on ties).
//   'id-modulo' — vCPU i of domain d on PCPU (d + i) mod N. Xen 1.0 dom0_ops.c: `pro = dom %
//       smp_num_cpus` for the first vCPU; later vCPUs on the next processor (Xen 2.0 domain.c).
// Migration (`migration` option):
//   'idle-steal' (default) — a PCPU that would otherwise go idle (or, for Credit, run only OVER work)
//       steals the queued, not running vCPU that has waited longest on another PCPU's queue; ties go
//       to the lowest PCPU index, then to the earlier queue position. When work is queued on a PCPU
//       that is busy, idle PCPUs are asked to reschedule so they can steal (Credit's "tickle idlers").
//   'none' — vCPUs stay where they were placed (Xen 1.0 and 2.0 BVT: a domain runs only on its
//       `processor` unless the toolstack pins it elsewhere).
// Deterministic: every scan is in PCPU index order and queue order.
// Units: ns (queuedSinceNs).
import type { SchedVcpu, SchedulerContext } from './scheduler.js';
import { checkOneOf } from '../validate.js';

export const Placement = { leastLoaded: 'least-loaded', idModulo: 'id-modulo' } as const;
export type Placement = (typeof Placement)[keyof typeof Placement];

export const Migration = { idleSteal: 'idle-steal', none: 'none' } as const;
export type Migration = (typeof Migration)[keyof typeof Migration];

export interface SmpOptions {
  readonly placement?: Placement;
  readonly migration?: Migration;
}

/** What a scheduler keeps per vCPU, at least. */
export interface QueueEntry {
  readonly vcpu: SchedVcpu;
  /** On some PCPU's queue. */
  queued: boolean;
  /** Current on a PCPU (BVT keeps running entries on the queue, as Xen does). */
  running: boolean;
  /** When it last became queued and runnable. */
  queuedSinceNs: number;
}

export class RunQueues<E extends QueueEntry> {
  readonly placement: Placement;
  readonly migration: Migration;
  private readonly qs: E[][] = [];
  private readonly load: number[] = [];
  /** Entries on all queues together (steal skips its scan when no other queue holds one). */
  private queuedTotal = 0;
  /**
   * Per queue, a lower bound of its entries' queuedSinceNs (made exact by each full scan of the queue,
   * lowered by inserts, left as is by removals): steal skips a queue that cannot hold an entry that
   * waited strictly longer than the best found so far, which changes nothing in the scan's result.
   */
  private readonly sinceLow: number[] = [];
  /** Called after entry `e` left queue `cpu` from position `index` (BVT tracks its idle task and index). */
  onRemove: ((cpu: number, index: number, e: E) => void) | null = null;

  constructor(
    readonly numCpus: number,
    options: SmpOptions,
    where: string,
  ) {
    this.placement = checkOneOf(where, 'placement', options.placement ?? Placement.leastLoaded, Placement);
    this.migration = checkOneOf(where, 'migration', options.migration ?? Migration.idleSteal, Migration);
    for (let i = 0; i < numCpus; i++) {
      this.qs.push([]);
      this.load.push(0);
      this.sinceLow.push(Infinity);
    }
  }

  /** Chooses the PCPU of a new vCPU, records the assignment and sets vcpu.cpu. */
  place(vcpu: SchedVcpu): number {
    let cpu = 0;
    if (this.placement === Placement.idModulo) {
      cpu = (vcpu.domain.id + vcpu.index) % this.numCpus;
    } else {
      for (let i = 1; i < this.numCpus; i++) if ((this.load[i] as number) < (this.load[cpu] as number)) cpu = i;
    }
    this.load[cpu] = (this.load[cpu] as number) + 1;
    vcpu.cpu = cpu;
    return cpu;
  }

  /** Forgets the assignment of a removed vCPU (it must not be queued). */
  unassign(vcpu: SchedVcpu): void {
    this.load[vcpu.cpu] = (this.load[vcpu.cpu] as number) - 1;
  }

  /** Takes a vCPU that leaves its scheduler off every queue and off its PCPU's load. */
  detach(e: E): void {
    if (e.queued) this.remove(e);
    e.running = false;
    this.unassign(e.vcpu);
  }

  /** Moves the assignment of a vCPU to another PCPU (sets vcpu.cpu). */
  reassign(vcpu: SchedVcpu, cpu: number): void {
    this.load[vcpu.cpu] = (this.load[vcpu.cpu] as number) - 1;
    this.load[cpu] = (this.load[cpu] as number) + 1;
    vcpu.cpu = cpu;
  }

  /** The queue of a PCPU, in order (read-only view). */
  queue(cpu: number): readonly E[] {
    return this.qs[cpu] as E[];
  }

  length(cpu: number): number {
    return (this.qs[cpu] as E[]).length;
  }

  /** Inserts at position `index` of the vCPU's PCPU queue (0 = head). */
  insert(e: E, index: number, now: number, runnableSince = true): void {
    const q = this.qs[e.vcpu.cpu] as E[];
    // (as q.splice(index, 0, e), without the array splice allocates for its result)
    let j = q.length;
    q.push(e);
    for (; j > index; j--) q[j] = q[j - 1] as E;
    q[j] = e;
    this.queuedTotal++;
    e.queued = true;
    if (runnableSince) e.queuedSinceNs = now;
    const c = e.vcpu.cpu;
    if (e.queuedSinceNs < (this.sinceLow[c] as number)) this.sinceLow[c] = e.queuedSinceNs;
  }

  pushHead(e: E, now: number): void {
    this.insert(e, 0, now);
  }

  pushTail(e: E, now: number): void {
    this.insert(e, (this.qs[e.vcpu.cpu] as E[]).length, now);
  }

  remove(e: E): void {
    const cpu = e.vcpu.cpu;
    const q = this.qs[cpu] as E[];
    const i = q.indexOf(e);
    e.queued = false;
    if (i < 0) return;
    // (as q.splice(i, 1), without allocating)
    const n = q.length - 1;
    for (let j = i; j < n; j++) q[j] = q[j + 1] as E;
    q.pop();
    this.queuedTotal--;
    if (this.onRemove !== null) this.onRemove(cpu, i, e);
  }

  /**
   * With 'idle-steal': the queued, not running entry on another PCPU that has waited longest and
   * passes `eligible`; it is removed from its queue and reassigned to `cpu` (not queued there).
   * `mayHold(c)` (optional) may rule out a whole queue that holds no entry passing `eligible`.
   */
  steal(cpu: number, eligible: ((e: E) => boolean) | null, mayHold: ((c: number) => boolean) | null = null): E | null {
    if (this.migration !== Migration.idleSteal) return null;
    if (this.queuedTotal === (this.qs[cpu] as E[]).length) return null; // nothing queued elsewhere
    let best: E | null = null;
    let bestSince = Infinity;
    const low = this.sinceLow;
    for (let c = 0; c < this.numCpus; c++) {
      if (c === cpu) continue;
      // (no entry of queue c waited strictly longer than the best: the scan would keep the best)
      if (!((low[c] as number) < bestSince)) continue;
      // (mayHold(c) false: the caller knows queue c holds no eligible entry; skipping it changes nothing)
      if (mayHold !== null && !mayHold(c)) continue;
      const q = this.qs[c] as E[];
      let min = Infinity;
      for (let i = 0; i < q.length; i++) {
        const e = q[i] as E;
        const t = e.queuedSinceNs;
        if (t < min) min = t;
        if (!(t < bestSince) || e.running) continue;
        if (eligible !== null && !eligible(e)) continue;
        best = e;
        bestSince = t;
      }
      low[c] = min; // exact now
    }
    if (best === null) return null;
    this.remove(best);
    this.reassign(best.vcpu, cpu);
    return best;
  }

  /** With 'idle-steal': asks the idle PCPUs other than `cpu` to reschedule (so they can steal). */
  tickleIdlers(ctx: SchedulerContext, cpu: number): void {
    if (this.migration !== Migration.idleSteal) return;
    // (no PCPU idle, or only `cpu`: the loop would find none)
    if (ctx.idleCount !== undefined) {
      const n = ctx.idleCount();
      if (n === 0 || (n === 1 && ctx.current(cpu) === null)) return;
    }
    for (let c = 0; c < this.numCpus; c++) if (c !== cpu && ctx.current(c) === null) ctx.reschedule(c);
  }
}

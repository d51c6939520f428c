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
// Steal without the scan: every queued entry is also on one list of all queues together, ordered by
// queuedSinceNs (an entry is queued at `now`, so this is mostly an append). The longest-waiting
// eligible entry is the first eligible one on that list; among entries that waited exactly as long,
// the scan's tie rule (lowest PCPU index, then earliest queue position) is applied to that group. So
// a steal costs the entries it skips (those on the stealing PCPU, running ones, ineligible ones that
// waited longer), not every queued entry; the same entry as the scan (test/models/cpu/run-queues-steal.test.ts).
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

/** @internal an entry's place on the list of all queued entries, by queuedSinceNs. */
interface WaitNode<E> {
  readonly e: E;
  /** The PCPU whose queue holds it (its vcpu.cpu while queued; read without touching the vCPU). */
  cpu: number;
  prev: WaitNode<E> | null;
  next: WaitNode<E> | null;
  linked: boolean;
}

export class RunQueues<E extends QueueEntry> {
  readonly placement: Placement;
  readonly migration: Migration;
  private readonly qs: E[][] = [];
  private readonly load: number[] = [];
  /** Entries on all queues together (steal skips its scan when no other queue holds one). */
  private queuedTotal = 0;
  /** Per vCPU id, its node on the waiting list (made once per vCPU). */
  private readonly nodes: (WaitNode<E> | undefined)[] = [];
  /** The waiting list: every queued entry, oldest queuedSinceNs first. */
  private oldest: WaitNode<E> | null = null;
  private newest: WaitNode<E> | null = null;
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
    this.link(e);
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
    this.unlink(e);
    if (this.onRemove !== null) this.onRemove(cpu, i, e);
  }

  /**
   * With 'idle-steal': the queued, not running entry on another PCPU that has waited longest and
   * passes `eligible`; it is removed from its queue and reassigned to `cpu` (not queued there).
   * `mayHold(c)` (optional) may rule out a whole queue that holds no entry passing `eligible`.
   */
  steal(
    cpu: number,
    eligible: ((e: E) => boolean) | null,
    _mayHold: ((c: number) => boolean) | null = null,
  ): E | null {
    if (this.migration !== Migration.idleSteal) return null;
    if (this.queuedTotal === (this.qs[cpu] as E[]).length) return null; // nothing queued elsewhere
    // (mayHold only let a scan skip queues without an eligible entry: the list needs no such help)
    let n = this.oldest;
    for (; n !== null; n = n.next) {
      if (n.cpu === cpu) continue;
      const e = n.e;
      if (!e.running && (eligible === null || eligible(e))) break;
    }
    if (n === null) return null;
    let best = n.e;
    // the scan keeps the first of equal waits in (PCPU index, queue position) order
    const t = best.queuedSinceNs;
    for (let m = n.next; m !== null && m.e.queuedSinceNs === t; m = m.next) {
      const e = m.e;
      if (m.cpu === cpu || e.running || (eligible !== null && !eligible(e))) continue;
      const c = m.cpu;
      const bc = best.vcpu.cpu;
      if (c < bc || (c === bc && (this.qs[c] as E[]).indexOf(e) < (this.qs[c] as E[]).indexOf(best))) best = e;
    }
    this.remove(best);
    this.reassign(best.vcpu, cpu);
    return best;
  }

  /** Puts a newly queued entry on the waiting list, after every entry queued at or before its queuedSinceNs. */
  private link(e: E): void {
    if (this.migration !== Migration.idleSteal) return;
    let n = this.nodes[e.vcpu.id];
    if (n === undefined || n.e !== e) {
      n = { e, cpu: 0, prev: null, next: null, linked: false };
      this.nodes[e.vcpu.id] = n;
    }
    if (n.linked) this.unlink(e);
    n.cpu = e.vcpu.cpu;
    const t = e.queuedSinceNs;
    let after = this.newest;
    while (after !== null && after.e.queuedSinceNs > t) after = after.prev;
    n.prev = after;
    n.next = after === null ? this.oldest : after.next;
    if (n.next === null) this.newest = n;
    else n.next.prev = n;
    if (after === null) this.oldest = n;
    else after.next = n;
    n.linked = true;
  }

  private unlink(e: E): void {
    const n = this.nodes[e.vcpu.id];
    if (n === undefined || !n.linked || n.e !== e) return;
    if (n.prev === null) this.oldest = n.next;
    else n.prev.next = n.next;
    if (n.next === null) this.newest = n.prev;
    else n.next.prev = n.prev;
    n.prev = null;
    n.next = null;
    n.linked = false;
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

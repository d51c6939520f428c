// A faster run-queue index for BVT that gives the same decisions as Xen's O(n) scan.
//
// Xen's BVT scans its run queue in list order for the lowest evt (first in queue order on ties), the
// second lowest (`next_prime`) and the lowest avt (svt). BVT only ever inserts at the head (wake) or
// the tail (deschedule), so queue order is the order of an insertion key: a head insert takes a key
// below every key so far, a tail insert one above; removals keep the order of the rest. Xen 2.0's
// idle task, which never leaves the queue after it was put at the head of the empty queue, has key 0.
// So, per PCPU:
//   next        = the least entry by (evt, key)                 — the root of the evt heap;
//   next_prime  = the least entry by (evt, key) after `next`    — one of the root's two children;
//   svt         = the least avt                                  — the root of the avt heap.
// Both heaps are indexed binary heaps (O(log n) insert and remove of any entry), so a decision costs
// O(1) plus O(log n) per queue change, against O(n) for the scan. The equivalence (same pick, same
// ties, same slice, same svt) is checked by a property test against the scan
// (test/models/cpu/bvt-index.test.ts). The scheduler owns the update discipline: an entry's evt and
// avt never change while it is in the index, except by the xen2 svt rebase, which rebuilds it.
// Units: keys are order numbers; evt and avt are virtual-time units.
import type { SchedVcpu } from './scheduler.js';

/** What the index needs of an entry. */
export interface IndexedEntry {
  readonly vcpu: SchedVcpu;
  evt: number;
  avt: number;
}

/** @internal a heap node: the entry, its queue-order key and its positions in the two heaps. */
interface Node<E extends IndexedEntry> {
  readonly e: E;
  key: number;
  evtPos: number;
  avtPos: number;
}

type PosField = 'evtPos' | 'avtPos';

class IndexedHeap<E extends IndexedEntry> {
  readonly a: Node<E>[] = [];

  constructor(
    private readonly field: PosField,
    private readonly less: (x: Node<E>, y: Node<E>) => boolean,
  ) {}

  get size(): number {
    return this.a.length;
  }

  insert(n: Node<E>): void {
    this.a.push(n);
    n[this.field] = this.a.length - 1;
    this.up(this.a.length - 1);
  }

  remove(n: Node<E>): void {
    const i = n[this.field];
    const last = this.a.pop() as Node<E>;
    n[this.field] = -1;
    if (last === n) return;
    this.a[i] = last;
    last[this.field] = i;
    this.up(i);
    this.down(last[this.field]);
  }

  clear(): void {
    for (const n of this.a) n[this.field] = -1;
    this.a.length = 0;
  }

  private up(i: number): void {
    const a = this.a;
    const n = a[i] as Node<E>;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pn = a[p] as Node<E>;
      if (!this.less(n, pn)) break;
      a[i] = pn;
      pn[this.field] = i;
      i = p;
    }
    a[i] = n;
    n[this.field] = i;
  }

  private down(i: number): void {
    const a = this.a;
    const len = a.length;
    const n = a[i] as Node<E>;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= len) break;
      const r = l + 1;
      let c = l;
      if (r < len && this.less(a[r] as Node<E>, a[l] as Node<E>)) c = r;
      const cn = a[c] as Node<E>;
      if (!this.less(cn, n)) break;
      a[i] = cn;
      cn[this.field] = i;
      i = c;
    }
    a[i] = n;
    n[this.field] = i;
  }
}

function byEvtKey<E extends IndexedEntry>(x: Node<E>, y: Node<E>): boolean {
  return x.e.evt < y.e.evt || (x.e.evt === y.e.evt && x.key < y.key);
}

function byAvt<E extends IndexedEntry>(x: Node<E>, y: Node<E>): boolean {
  return x.e.avt < y.e.avt || (x.e.avt === y.e.avt && x.key < y.key);
}

/** The per-PCPU index of BVT's run queues. */
export class BvtRunQueueIndex<E extends IndexedEntry> {
  private readonly evt: IndexedHeap<E>[] = [];
  private readonly avt: IndexedHeap<E>[] = [];
  private readonly headKey: number[] = [];
  private readonly tailKey: number[] = [];
  private readonly nodes: (Node<E> | undefined)[] = [];

  constructor(numCpus: number) {
    for (let c = 0; c < numCpus; c++) {
      this.evt.push(new IndexedHeap<E>('evtPos', byEvtKey));
      this.avt.push(new IndexedHeap<E>('avtPos', byAvt));
      this.headKey.push(0);
      this.tailKey.push(0);
    }
  }

  /** Adds `e` (with its final evt and avt) at the head or the tail of PCPU `cpu`'s queue order. */
  add(e: E, cpu: number, head: boolean): void {
    let n = this.nodes[e.vcpu.id];
    if (n === undefined) {
      n = { e, key: 0, evtPos: -1, avtPos: -1 };
      this.nodes[e.vcpu.id] = n;
    }
    if (n.evtPos >= 0) throw new Error(`BvtRunQueueIndex: ${e.vcpu.name} is already indexed`);
    if (head) {
      const k = (this.headKey[cpu] as number) - 1;
      this.headKey[cpu] = k;
      n.key = k;
    } else {
      const k = (this.tailKey[cpu] as number) + 1;
      this.tailKey[cpu] = k;
      n.key = k;
    }
    (this.evt[cpu] as IndexedHeap<E>).insert(n);
    (this.avt[cpu] as IndexedHeap<E>).insert(n);
  }

  /** Removes `e` from PCPU `cpu`'s index (no effect if it is not there). */
  remove(e: E, cpu: number): void {
    const n = this.nodes[e.vcpu.id];
    if (n === undefined || n.evtPos < 0) return;
    (this.evt[cpu] as IndexedHeap<E>).remove(n);
    (this.avt[cpu] as IndexedHeap<E>).remove(n);
  }

  /** Rebuilds PCPU `cpu`'s heaps after every entry's evt/avt changed (keys kept). */
  rebuild(cpu: number): void {
    const eh = this.evt[cpu] as IndexedHeap<E>;
    const ah = this.avt[cpu] as IndexedHeap<E>;
    const ns = [...eh.a];
    eh.clear();
    ah.clear();
    for (const n of ns) {
      eh.insert(n);
      ah.insert(n);
    }
  }

  /** The least entry by (evt, queue order), or null. */
  first(cpu: number): E | null {
    const a = (this.evt[cpu] as IndexedHeap<E>).a;
    return a.length === 0 ? null : (a[0] as Node<E>).e;
  }

  /** The second entry by (evt, queue order), or null. */
  second(cpu: number): E | null {
    const a = (this.evt[cpu] as IndexedHeap<E>).a;
    const l = a[1];
    const r = a[2];
    if (l === undefined) return null;
    if (r === undefined) return l.e;
    return byEvtKey(r, l) ? r.e : l.e;
  }

  /** The least avt on PCPU `cpu`, or null if its queue is empty. */
  minAvt(cpu: number): number | null {
    const a = (this.avt[cpu] as IndexedHeap<E>).a;
    return a.length === 0 ? null : (a[0] as Node<E>).e.avt;
  }

  /** The queue-order key of an indexed entry (Xen 2.0's idle task sits at key 0). */
  key(e: E): number {
    const n = this.nodes[e.vcpu.id];
    if (n === undefined || n.evtPos < 0) throw new Error(`BvtRunQueueIndex: ${e.vcpu.name} is not indexed`);
    return n.key;
  }
}

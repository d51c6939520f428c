// Xen 2.0's accurate timers (xen/common/ac_timer.c, commit 26358b30e6d5, Dec 2004) for BVT 'xen2':
// one binary min-heap of timers per physical CPU, ordered by deadline with Xen's sift rules, so that
// timers with equal deadlines leave the heap in Xen's order (not in the order they were set):
//   add_entry:    append at the end, then up_heap;
//   up_heap:      move up while the deadline is strictly below the parent's (an equal parent stays above);
//   remove_entry: move the last entry into the hole; up_heap if it is strictly below its new parent,
//                 else down_heap;
//   down_heap:    take the smaller child (the right one only if strictly smaller than the left); stop
//                 when that child's deadline is strictly above, so an equal child moves up past it.
// Servicing (ac_timer_softirq_action): while the top's deadline is below now + TIMER_SLOP, remove it and
// run its function (which may add or remove timers). Xen 2.0's TIMER_SLOP is 50 µs; `slopNs = 0` runs
// every timer exactly at its deadline (a timer due now fires now).
//
// Units: ns. The heap only orders; when a service runs is the scheduler's business (bvt.ts).
import type { Handle } from '../../sim/index.js';

/** One ac_timer. */
export interface AcTimer {
  /** Deadline, ns (`expires`). */
  expiresNs: number;
  /** Position in the heap, 1-based; 0 = not active (`heap_offset`). */
  offset: number;
  /** The simulation event that services the heap at this deadline, or -1. */
  handle: Handle;
  /** The PCPU whose heap holds it (set when it is armed). */
  cpu: number;
  /** What to run when it fires. */
  readonly fn: () => void;
}

export function acTimer(cpu: number, fn: () => void): AcTimer {
  return { expiresNs: 0, offset: 0, handle: -1, cpu, fn };
}

/** One PCPU's timer heap. */
export class AcTimerHeap {
  /** heap[0] is unused (Xen keeps the size there); entries at 1..size. */
  private readonly heap: AcTimer[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** The timer with the earliest deadline (Xen's heap[1]), or null. */
  top(): AcTimer | null {
    return this.size > 0 ? (this.heap[1] as AcTimer) : null;
  }

  /** The active timers in heap order (index 1..size), for tests and traces. */
  entries(): readonly AcTimer[] {
    return this.heap.slice(1, this.size + 1);
  }

  /** add_entry. Returns whether it became the top. */
  add(t: AcTimer): boolean {
    this.size++;
    this.heap[this.size] = t;
    t.offset = this.size;
    this.upHeap(this.size);
    return t.offset === 1;
  }

  /** remove_entry. Returns whether it was the top. */
  remove(t: AcTimer): boolean {
    const sz = this.size;
    const pos = t.offset;
    t.offset = 0;
    if (pos === sz) {
      this.size = sz - 1;
      return pos === 1;
    }
    const last = this.heap[sz] as AcTimer;
    this.heap[pos] = last;
    last.offset = pos;
    this.size = sz - 1;
    if (pos > 1 && last.expiresNs < (this.heap[pos >> 1] as AcTimer).expiresNs) this.upHeap(pos);
    else this.downHeap(pos);
    return pos === 1;
  }

  private upHeap(start: number): void {
    const h = this.heap;
    let pos = start;
    const t = h[pos] as AcTimer;
    while (pos > 1 && t.expiresNs < (h[pos >> 1] as AcTimer).expiresNs) {
      const parent = h[pos >> 1] as AcTimer;
      h[pos] = parent;
      parent.offset = pos;
      pos >>= 1;
    }
    h[pos] = t;
    t.offset = pos;
  }

  private downHeap(start: number): void {
    const h = this.heap;
    const sz = this.size;
    let pos = start;
    const t = h[pos] as AcTimer;
    for (let nxt = pos << 1; nxt <= sz; nxt = pos << 1) {
      if (nxt + 1 <= sz && (h[nxt + 1] as AcTimer).expiresNs < (h[nxt] as AcTimer).expiresNs) nxt++;
      const child = h[nxt] as AcTimer;
      if (child.expiresNs > t.expiresNs) break;
      h[pos] = child;
      child.offset = pos;
      pos = nxt;
    }
    h[pos] = t;
    t.offset = pos;
  }
}

// The future-event list: a flat, allocation-free priority queue of (time, priority, sequence) →
// (callback, argument). Times are integer nanoseconds.
//
// Order is total and never relies on heap stability: entries compare by time, then by a single float
// `key = (priority + PRIORITY_OFFSET) · 2^41 + sequence`, where the sequence number grows with every
// insertion. So equal-time entries fire by priority (lower first), then in insertion order.
//
// Layout (benchmarked by `npm run bench` against a minimal binary heap):
// - a binary min-heap in one Float64Array of 4-double records (time, key, slot, unused), entry j at
//   record j + 1, so the two children of an entry (2j + 1, 2j + 2: records 2j + 2 and 2j + 3) fill one
//   aligned 64-byte pair and a level of a sift touches one record pair instead of three arrays (the
//   host10k bench, 10^4 pending events, ran 4–5% faster than with three parallel arrays); moving a hole
//   instead of swapping, so a push or pop writes each level once (a 4-ary heap measured 10–20% slower
//   on the hold model at 1,000 and 1,000,000 pending events, Node 20);
// - a FIFO ring for zero-delay entries at normal priority (process resumptions, triggered events):
//   they are at the current time with ever-growing keys, so the ring is already sorted and the queue
//   only compares its head with the heap's top. An entry of `pushNow` (no handle: the engine's
//   triggered events, most of a process-API run) keeps its callback and argument in the ring itself,
//   so it costs no slot; an entry of `push` at the current time keeps its slot there instead;
// - slots hold the callback and its argument of every entry with a handle, in two plain arrays,
//   recycled through a free list; a handle is `generation · 2^24 + slot`, so a stale handle (fired or
//   cancelled) is recognised and cancelling it is a no-op. A slot is pending exactly while its callback
//   is non-null; cancelling clears the callback, and cancelled entries stay in the heap (or the ring)
//   until they surface and are dropped.
//
// Bounded: at most `maxPendingEvents` slots are in use at once (entries with a handle, pending or
// cancelled and not yet dropped), and at most `maxPendingEvents` entries wait in the ring; default and
// hard limit MAX_PENDING_EVENTS = 2^24 (the handle's slot field). Each cap is checked only when its
// table grows, so it costs nothing per event. Reaching one throws QueueFullError naming the cap and
// the current length. The clock `now` is read-only from outside: only `pop` and `advanceTo` (which
// refuses to go back) move it.
import { rangeFail } from './check.js';

export type Callback<A> = (arg: A) => void;
type AnyCallback = (arg: unknown) => void;

/** Handle of a scheduled entry; pass it to `cancel`. */
export type Handle = number;

/** Standard priorities. Any integer in [MIN_PRIORITY, MAX_PRIORITY] may be used; lower fires first. */
export const Priority = { urgent: 0, normal: 1 } as const;
export const MIN_PRIORITY = -2048;
export const MAX_PRIORITY = 2047;

/** Throws unless `priority` is an integer in [MIN_PRIORITY, MAX_PRIORITY]. */
export function checkPriority(where: string, priority: number): void {
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    rangeFail(where, 'priority', `an integer in [${MIN_PRIORITY}, ${MAX_PRIORITY}]`, priority);
  }
}

const PRIORITY_OFFSET = 2048;
const SEQ_SPAN = 2 ** 41; // 2.2e12 insertions per run
const SLOT_BITS = 24;
const SLOT_SPAN = 2 ** SLOT_BITS; // 16.7 M pending entries at most
const GEN_MASK = 2 ** 29 - 1;

/** Most entries the event queue can address (pending plus cancelled-not-yet-dropped): 2^24. */
export const MAX_PENDING_EVENTS = SLOT_SPAN;

/** A bounded queue of the engine is full: `queue` names it, `cap` is its limit, `length` its current length. */
export class QueueFullError extends RangeError {
  constructor(
    readonly queue: string,
    readonly cap: number,
    readonly length: number,
    hint: string,
  ) {
    super(
      `${queue}: length must be at most ${cap} (${hint}), got ${length + 1}; the queue grows without bound (overload?)`,
    );
    this.name = 'QueueFullError';
  }
}

export class EventQueue {
  /** Current time: the time of the entry popped last (read through `now`). */
  private t = 0;
  private readonly maxSlots: number;

  // binary heap: entry j's time, key and slot at h[4(j + 1)], h[4(j + 1) + 1], h[4(j + 1) + 2]
  private h: Float64Array;
  /** Entries the heap array holds. */
  private hCap: number;
  private hn = 0;

  // FIFO ring of zero-delay normal-priority entries (all at `now`): key, slot (-1 for an entry of
  // pushNow), and an entry of pushNow's callback and argument
  private rk: Float64Array;
  private rs: Int32Array;
  private rf: (AnyCallback | null)[];
  private ra: unknown[];
  private rHead = 0;
  private rCount = 0;
  /** min(ring size, maxSlots): reaching it means grow or overflow. */
  private rRoom: number;

  // slots
  /** Callback of each slot (null when free or cancelled). */
  private readonly fns: (AnyCallback | null)[] = [];
  /** Argument of each slot. */
  private readonly args: unknown[] = [];

  /** Argument of the entry `pop` returned last. */
  private popped: unknown = undefined;
  private gens: Int32Array;
  private freeList: Int32Array;
  private nFree = 0;
  private nSlots = 0;

  private seq = 0;
  private live = 0;

  /** `maxPendingEvents`: the cap described above (an integer in [16, MAX_PENDING_EVENTS]). */
  constructor(initialCapacity = 1024, maxPendingEvents: number = MAX_PENDING_EVENTS) {
    if (!Number.isSafeInteger(maxPendingEvents) || maxPendingEvents < 16 || maxPendingEvents > MAX_PENDING_EVENTS) {
      rangeFail('EventQueue', 'maxPendingEvents', `an integer in [16, ${MAX_PENDING_EVENTS}]`, maxPendingEvents);
    }
    if (!Number.isSafeInteger(initialCapacity) || initialCapacity < 0) {
      rangeFail('EventQueue', 'initialCapacity', 'an integer >= 0', initialCapacity);
    }
    this.maxSlots = maxPendingEvents;
    const n = Math.min(Math.max(16, initialCapacity), maxPendingEvents);
    this.h = new Float64Array((n + 1) * 4);
    this.hCap = n;
    const r = 1 << Math.ceil(Math.log2(n));
    this.rk = new Float64Array(r);
    this.rs = new Int32Array(r);
    this.rf = new Array<AnyCallback | null>(r).fill(null);
    this.ra = new Array<unknown>(r).fill(undefined);
    this.rRoom = Math.min(r, maxPendingEvents);
    this.gens = new Int32Array(n);
    this.freeList = new Int32Array(n);
  }

  /** Current time: the time of the entry popped last, or the time given to `advanceTo`. */
  get now(): number {
    return this.t;
  }

  /** Moves the clock forward to `timeNs` (nothing pending may lie before it). Never moves it back. */
  advanceTo(timeNs: number): void {
    if (!(timeNs >= this.t) || !Number.isSafeInteger(timeNs)) {
      rangeFail('EventQueue.advanceTo', 'timeNs', `an integer time not before now (${this.t})`, timeNs);
    }
    if (this.peek() < timeNs)
      rangeFail('EventQueue.advanceTo', 'timeNs', `not after the next pending entry (${this.peek()})`, timeNs);
    this.t = timeNs;
  }

  /** The argument of the entry that `pop` returned last (until the next pop). */
  get arg(): unknown {
    return this.popped;
  }

  /** Number of pending (not cancelled, not fired) entries. */
  get size(): number {
    return this.live;
  }

  /** Schedules `fn(arg)` at `timeNs` (≥ now, integer) with `priority`; returns a handle. */
  push<A>(timeNs: number, priority: number, fn: Callback<A>, arg: A): Handle {
    const slot = this.allocSlot();
    this.fns[slot] = fn as unknown as AnyCallback;
    this.args[slot] = arg;
    this.live++;
    const key = (priority + PRIORITY_OFFSET) * SEQ_SPAN + this.seq++;
    if (timeNs === this.t && priority === Priority.normal) {
      const i = this.ringSlot();
      this.rk[i] = key;
      this.rs[i] = slot;
    } else this.heapPush(timeNs, key, slot);
    return (this.gens[slot] as number) * SLOT_SPAN + slot;
  }

  /**
   * Schedules `fn(arg)` at the current time with normal priority and no handle: `push(now, normal, ...)`
   * (same key, same order) minus the time test and the handle, for the engine's triggered events.
   */
  pushNow<A>(fn: Callback<A>, arg: A): void {
    const i = this.ringSlot();
    this.rk[i] = (Priority.normal + PRIORITY_OFFSET) * SEQ_SPAN + this.seq++;
    this.rs[i] = -1;
    this.rf[i] = fn as unknown as AnyCallback;
    this.ra[i] = arg;
    this.live++;
  }

  /** Cancels a pending entry. Cancelling twice, or after it fired, does nothing. Returns whether it was pending. */
  cancel(handle: Handle): boolean {
    const slot = handle % SLOT_SPAN;
    const gen = (handle - slot) / SLOT_SPAN;
    if (slot >= this.nSlots || this.gens[slot] !== gen || this.fns[slot] === null) return false;
    this.fns[slot] = null;
    this.args[slot] = undefined;
    this.live--;
    return true;
  }

  /**
   * Removes the next live entry whose time is before `untilNs` and returns its callback, its argument
   * in `arg` (until the next pop); returns null when there is none. Advances `now` to the entry's
   * time. The entry's handle is stale from then on (cancelling it returns false).
   */
  pop(untilNs: number): AnyCallback | null {
    for (;;) {
      let slot: number;
      if (this.rCount > 0) {
        if (this.t >= untilNs) return null;
        const head = this.rHead;
        if (this.hn === 0 || (this.h[4] as number) > this.t || (this.h[5] as number) > (this.rk[head] as number)) {
          slot = this.rs[head] as number;
          this.rHead = (head + 1) & (this.rs.length - 1);
          this.rCount--;
          if (slot < 0) {
            // an entry of pushNow: callback and argument are in the ring
            const fn = this.rf[head] as AnyCallback;
            this.popped = this.ra[head];
            this.rf[head] = null;
            this.ra[head] = undefined;
            this.live--;
            return fn;
          }
        } else {
          slot = this.heapPopTop();
        }
      } else {
        if (this.hn === 0) return null;
        const t = this.h[4] as number;
        if (t >= untilNs) return null;
        slot = this.heapPopTop();
        if (this.fns[slot] === null) {
          this.freeSlot(slot); // cancelled: drop it without moving the clock
          continue;
        }
        this.t = t;
      }
      const fn = this.fns[slot] as AnyCallback | null;
      if (fn !== null) {
        this.popped = this.args[slot];
        this.fns[slot] = null;
        this.args[slot] = undefined;
        this.freeSlot(slot);
        this.live--;
        return fn;
      }
      this.freeSlot(slot); // cancelled: drop it
    }
  }

  /** Time of the next live entry, or Infinity. Drops cancelled entries found at the front. */
  peek(): number {
    for (;;) {
      if (this.rCount > 0) {
        const slot = this.rs[this.rHead] as number;
        if (slot < 0 || this.fns[slot] !== null) return this.t;
        this.rHead = (this.rHead + 1) & (this.rs.length - 1);
        this.rCount--;
        this.freeSlot(slot);
        continue;
      }
      if (this.hn === 0) return Infinity;
      const slot = (this.h[6] as number) | 0;
      if (this.fns[slot] !== null) return this.h[4] as number;
      this.heapPopTop();
      this.freeSlot(slot);
    }
  }

  // ---- slots ----

  private allocSlot(): number {
    if (this.nFree > 0) return this.freeList[--this.nFree] as number;
    if (this.nSlots === this.gens.length) this.growSlots();
    return this.nSlots++;
  }

  private freeSlot(slot: number): void {
    this.gens[slot] = ((this.gens[slot] as number) + 1) & GEN_MASK;
    this.freeList[this.nFree++] = slot;
  }

  private growSlots(): void {
    if (this.nSlots >= this.maxSlots) {
      throw new QueueFullError('event queue', this.maxSlots, this.nSlots, 'Simulation option maxPendingEvents');
    }
    const n = Math.min(this.gens.length * 2, this.maxSlots);
    const g = new Int32Array(n);
    g.set(this.gens);
    this.gens = g;
    const f = new Int32Array(n);
    f.set(this.freeList);
    this.freeList = f;
  }

  // ---- FIFO ring ----

  /** Appends an entry to the ring and returns its index (the caller fills it in). */
  private ringSlot(): number {
    if (this.rCount === this.rRoom) this.growRing();
    const i = (this.rHead + this.rCount) & (this.rs.length - 1);
    this.rCount++;
    return i;
  }

  private growRing(): void {
    if (this.rCount >= this.maxSlots) {
      throw new QueueFullError('event queue', this.maxSlots, this.rCount, 'Simulation option maxPendingEvents');
    }
    const n = this.rs.length;
    const k = new Float64Array(n * 2);
    const s = new Int32Array(n * 2);
    const f = new Array<AnyCallback | null>(n * 2).fill(null);
    const a = new Array<unknown>(n * 2).fill(undefined);
    for (let j = 0; j < this.rCount; j++) {
      const i = (this.rHead + j) & (n - 1);
      k[j] = this.rk[i] as number;
      s[j] = this.rs[i] as number;
      f[j] = this.rf[i] as AnyCallback | null;
      a[j] = this.ra[i];
    }
    this.rk = k;
    this.rs = s;
    this.rf = f;
    this.ra = a;
    this.rHead = 0;
    this.rRoom = Math.min(n * 2, this.maxSlots);
  }

  // ---- binary heap ----

  private heapPush(t: number, k: number, slot: number): void {
    if (this.hn === this.hCap) this.growHeap();
    const h = this.h;
    let i = this.hn++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pb = (p + 1) << 2;
      const pt = h[pb] as number;
      if (t < pt || (t === pt && k < (h[pb + 1] as number))) {
        const ib = (i + 1) << 2;
        h[ib] = pt;
        h[ib + 1] = h[pb + 1] as number;
        h[ib + 2] = h[pb + 2] as number;
        i = p;
      } else break;
    }
    const ib = (i + 1) << 2;
    h[ib] = t;
    h[ib + 1] = k;
    h[ib + 2] = slot;
  }

  /** Removes the heap's top and returns its slot. */
  private heapPopTop(): number {
    const h = this.h;
    const top = (h[6] as number) | 0;
    const n = --this.hn;
    if (n === 0) return top;
    const nb = (n + 1) << 2;
    const t = h[nb] as number;
    const k = h[nb + 1] as number;
    const s = h[nb + 2] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let cb = (c + 1) << 2;
      let ct = h[cb] as number;
      let ck = h[cb + 1] as number;
      if (c + 1 < n) {
        const rb = cb + 4;
        const rt = h[rb] as number;
        if (rt < ct || (rt === ct && (h[rb + 1] as number) < ck)) {
          c = c + 1;
          cb = rb;
          ct = rt;
          ck = h[rb + 1] as number;
        }
      }
      if (ct < t || (ct === t && ck < k)) {
        const ib = (i + 1) << 2;
        h[ib] = ct;
        h[ib + 1] = ck;
        h[ib + 2] = h[cb + 2] as number;
        i = c;
      } else break;
    }
    const ib = (i + 1) << 2;
    h[ib] = t;
    h[ib + 1] = k;
    h[ib + 2] = s;
    return top;
  }

  private growHeap(): void {
    const n = this.hCap * 2;
    const h = new Float64Array((n + 1) * 4);
    h.set(this.h);
    this.h = h;
    this.hCap = n;
  }
}

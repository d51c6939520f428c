// A growable ring-buffer double-ended queue: O(1) push/shift at both ends, O(n) removal by index.
// The one FIFO behind the resources' wait queues and the stores' items (Array.prototype.shift is O(n)
// on long arrays); allocation-free once it has grown to its working size.
//
// Bounded: a deque holds at most `maxLength` entries (default and largest DEQUE_MAX_LENGTH = 2^24,
// a 128 MB buffer, well below V8's array size limit, so an unbounded queue fails with a message, not
// `Invalid array length` or an out-of-memory abort). Adding
// beyond it calls `overflow(maxLength)` (which must throw; the owner names the queue and the cause)
// or throws a RangeError naming `label`. The check costs nothing extra on the fast path: it is folded
// into the "buffer full" comparison that growth needs anyway.
import { rangeFail } from './check.js';

/** Default and largest cap of a Deque's length (entries): 2^24. */
export const DEQUE_MAX_LENGTH = 2 ** 24;

export interface DequeOptions {
  /** Initial buffer size (rounded up to a power of two). Default 8. */
  readonly initialCapacity?: number;
  /** Most entries held at once. Default DEQUE_MAX_LENGTH. */
  readonly maxLength?: number;
  /** Name used in the default overflow message. Default 'Deque'. */
  readonly label?: string;
  /** Called instead of the default error when a push would exceed maxLength; must throw. */
  readonly overflow?: (maxLength: number) => never;
}

export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private n = 0;
  /** min(buffer size, maxLength): reaching it means grow or overflow. */
  private room: number;
  readonly maxLength: number;
  private readonly label: string;
  private readonly overflow: ((maxLength: number) => never) | null;

  /** `new Deque(initialCapacity)` or `new Deque({ initialCapacity, maxLength, label, overflow })`. */
  constructor(options: number | DequeOptions = 8) {
    const o: DequeOptions = typeof options === 'number' ? { initialCapacity: options } : options;
    const label = o.label ?? 'Deque';
    const maxLength = o.maxLength ?? DEQUE_MAX_LENGTH;
    if (!(maxLength >= 1) || !Number.isSafeInteger(maxLength) || maxLength > DEQUE_MAX_LENGTH) {
      rangeFail(label, 'maxLength', `an integer in [1, ${DEQUE_MAX_LENGTH}]`, maxLength);
    }
    const initial = o.initialCapacity ?? 8;
    this.buf = new Array<T | undefined>(1 << Math.ceil(Math.log2(Math.max(2, Math.min(initial, maxLength)))));
    this.maxLength = maxLength;
    this.room = Math.min(this.buf.length, maxLength);
    this.label = label;
    this.overflow = o.overflow ?? null;
  }

  get length(): number {
    return this.n;
  }

  /** Element i from the front (undefined if out of range). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.n) return undefined;
    return this.buf[(this.head + i) & (this.buf.length - 1)];
  }

  push(x: T): void {
    if (this.n === this.room) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = x;
    this.n++;
  }

  unshift(x: T): void {
    if (this.n === this.room) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = x;
    this.n++;
  }

  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const x = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.n--;
    return x;
  }

  /** Removes and returns element i from the front. */
  removeAt(i: number): T | undefined {
    if (i < 0 || i >= this.n) return undefined;
    const mask = this.buf.length - 1;
    const x = this.buf[(this.head + i) & mask];
    for (let j = i; j < this.n - 1; j++) this.buf[(this.head + j) & mask] = this.buf[(this.head + j + 1) & mask];
    this.buf[(this.head + this.n - 1) & mask] = undefined;
    this.n--;
    return x;
  }

  /** Inserts x before element i (i = length appends). */
  insertAt(i: number, x: T): void {
    if (this.n === this.room) this.grow();
    const mask = this.buf.length - 1;
    for (let j = this.n; j > i; j--) this.buf[(this.head + j) & mask] = this.buf[(this.head + j - 1) & mask];
    this.buf[(this.head + i) & mask] = x;
    this.n++;
  }

  indexOf(x: T): number {
    const mask = this.buf.length - 1;
    for (let j = 0; j < this.n; j++) if (this.buf[(this.head + j) & mask] === x) return j;
    return -1;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let j = 0; j < this.n; j++) out.push(this.at(j) as T);
    return out;
  }

  /** Called when n reaches `room`: doubles the buffer, or overflows at maxLength. */
  private grow(): void {
    if (this.n >= this.maxLength) {
      if (this.overflow !== null) this.overflow(this.maxLength);
      rangeFail(this.label, 'length', `at most ${this.maxLength} (the queue's cap)`, this.n + 1);
    }
    const old = this.buf;
    const next = new Array<T | undefined>(old.length * 2);
    for (let j = 0; j < this.n; j++) next[j] = old[(this.head + j) & (old.length - 1)];
    this.buf = next;
    this.head = 0;
    this.room = Math.min(next.length, this.maxLength);
  }
}

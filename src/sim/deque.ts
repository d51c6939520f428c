// A growable ring-buffer double-ended queue: O(1) push/shift at both ends, O(n) removal by index.
// Used by the resources' wait queues and stores (Array.prototype.shift is O(n) on long arrays).

export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private n = 0;

  constructor(initialCapacity = 8) {
    this.buf = new Array<T | undefined>(1 << Math.ceil(Math.log2(Math.max(2, initialCapacity))));
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
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = x;
    this.n++;
  }

  unshift(x: T): void {
    if (this.n === this.buf.length) this.grow();
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
    if (this.n === this.buf.length) this.grow();
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

  private grow(): void {
    const old = this.buf;
    const next = new Array<T | undefined>(old.length * 2);
    for (let j = 0; j < this.n; j++) next[j] = old[(this.head + j) & (old.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}

// Event-channel bitmaps of one domain: the evtchn part of Xen's shared_info page and vcpu_info, as a
// pure data structure (no time, no CPU). The event-channel model (event-channels.ts) drives it.
//
// What it holds (Xen 2.0 layout): `pending` and `mask` bitmaps of `portCount` bits (1024 = 32 words of
// 32 bits), the per-vCPU `selector` word (evtchn_pending_sel: bit w set = word w may hold a pending,
// unmasked port), and the two vCPU flags `upcallPending` (evtchn_upcall_pending) and `upcallMask`
// (evtchn_upcall_mask, the guest's global "interrupts off").
//
// Xen 1.0 is the special case portCount = 32: one pending word and one mask word; the selector then has
// a single bit that is set exactly when a pending, unmasked port appears, which is Xen 1.0's
// "upcall pending" test (guest_notify: set upcall_pending, upcall unless already pending or masked).
//
// Semantics (names as in the sources below):
//   setPending(port)   = evtchn_set_pending: test_and_set pending; if it was clear and the port is not
//                        masked and the selector bit was clear → set upcallPending. Returns true when an
//                        upcall must be started now (upcallPending went 0 → 1 and upcalls are unmasked).
//                        A send to a port that is already pending is coalesced (returns false).
//   unmask(port)       = unmask_evtchn ("hw_resend_irq"): clear mask; if pending and the selector bit
//                        was clear → set it and upcallPending; returns true when an upcall must start.
//   unmaskUpcalls()    = __sti: clear upcallMask; returns true if an upcall is pending (force callback).
//   beginUpcall()      = the start of evtchn_do_upcall: clear upcallPending, swap the selector with 0.
//   takeNext(word)     = one step of its inner loop: lowest port of pending[word] & ~mask[word], whose
//                        pending bit is cleared (the handler's clear_evtchn / mask_and_ack), or -1.
//
// Storage: the words are allocated up to the highest word touched so far (a domain uses a few low
// ports: one word instead of Xen 2.0's 32, so the array stays small and inside the JS heap); a word not
// allocated yet reads as all zeros, which is what it holds.
// Units: ports and words are indices; no time. Defaults: portCount 1024 (Xen 2.0 NR_EVENT_CHANNELS),
// 32 for Xen 1.0 (docs/calibration.md "event channels").
// Sources: xen-project tree, xen/include/xen/event.h (evtchn_set_pending, Xen 1.2/2.0 versions);
// XenLinux include/asm-xen/evtchn.h (mask_evtchn, unmask_evtchn, clear_evtchn) and
// arch/xen/kernel/evtchn.c (evtchn_do_upcall).

/** Port-space layouts: Xen 1.0 (one word) and Xen 2.0 (1024 channels, selector word). */
export const EventLayout = { xen1: 'xen1', xen2: 'xen2' } as const;
export type EventLayout = (typeof EventLayout)[keyof typeof EventLayout];

/** Number of ports of each layout. */
export const PORT_COUNT: Readonly<Record<EventLayout, number>> = Object.freeze({ xen1: 32, xen2: 1024 });

const BITS_PER_WORD = 32;

export class EventBitmaps {
  readonly portCount: number;
  readonly wordCount: number;
  /**
   * The pending and mask bitmaps interleaved: word w's pending bits at [2w], its mask bits at [2w + 1]
   * (one array, and a port's two words share a cache line); words beyond its length are all zeros.
   */
  private words: Uint32Array;
  /** evtchn_pending_sel: bit w = word w has (or had) a pending unmasked port since the last upcall. */
  selector = 0;
  /** evtchn_upcall_pending. */
  upcallPending = false;
  /** evtchn_upcall_mask: the guest's global hold-off of upcalls. */
  upcallMask = false;

  constructor(layout: EventLayout = EventLayout.xen2) {
    const n = PORT_COUNT[layout];
    this.portCount = n;
    this.wordCount = n / BITS_PER_WORD;
    this.words = new Uint32Array(2);
  }

  /** The words array, grown (zero-filled) so that word w is allocated. */
  private wordsFor(w: number): Uint32Array {
    const words = this.words;
    if (w << 1 < words.length) return words;
    const grown = new Uint32Array(Math.min(2 * this.wordCount, Math.max(2 * (w + 1), 2 * words.length)));
    grown.set(words);
    this.words = grown;
    return grown;
  }

  /** Word i of the interleaved array (0 if not allocated). */
  private word(i: number): number {
    const words = this.words;
    return i < words.length ? (words[i] as number) : 0;
  }

  private checkPort(port: number): void {
    if (!Number.isInteger(port) || port < 0 || port >= this.portCount) {
      throw new RangeError(`EventBitmaps: port must be an integer in [0, ${this.portCount}), got ${port}`);
    }
  }

  isPending(port: number): boolean {
    this.checkPort(port);
    return (this.word((port >>> 5) << 1) & (1 << (port & 31))) !== 0;
  }

  isMasked(port: number): boolean {
    this.checkPort(port);
    return (this.word(((port >>> 5) << 1) + 1) & (1 << (port & 31))) !== 0;
  }

  /** evtchn_set_pending. Returns true when an upcall must be started now. */
  setPending(port: number): boolean {
    this.checkPort(port);
    const w = port >>> 5;
    const bit = 1 << (port & 31);
    const words = this.wordsFor(w);
    const p = words[w << 1] as number;
    if ((p & bit) !== 0) return false; // already pending: coalesced
    words[w << 1] = p | bit;
    if (((words[(w << 1) + 1] as number) & bit) !== 0) return false; // masked: stays pending, no upcall
    return this.raiseSelector(w);
  }

  /** mask_evtchn. */
  maskPort(port: number): void {
    this.checkPort(port);
    const m = ((port >>> 5) << 1) + 1;
    const words = this.wordsFor(port >>> 5);
    words[m] = (words[m] as number) | (1 << (port & 31));
  }

  /** unmask_evtchn. Returns true when an upcall must be started now. */
  unmaskPort(port: number): boolean {
    this.checkPort(port);
    const w = port >>> 5;
    const bit = 1 << (port & 31);
    const words = this.words;
    if (w << 1 >= words.length) return false; // nothing masked nor pending there
    words[(w << 1) + 1] = (words[(w << 1) + 1] as number) & ~bit;
    if (((words[w << 1] as number) & bit) === 0) return false;
    return this.raiseSelector(w);
  }

  /** clear_evtchn: drops a pending bit without delivering it. */
  clearPort(port: number): void {
    this.checkPort(port);
    const i = (port >>> 5) << 1;
    if (i < this.words.length) this.words[i] = (this.words[i] as number) & ~(1 << (port & 31));
  }

  /** Sets upcallMask (__cli). */
  maskUpcalls(): void {
    this.upcallMask = true;
  }

  /** Clears upcallMask (__sti). Returns true if an upcall is pending and must be started now. */
  unmaskUpcalls(): boolean {
    this.upcallMask = false;
    return this.upcallPending;
  }

  /** Start of evtchn_do_upcall: clears upcallPending and returns the selector, which is reset to 0. */
  beginUpcall(): number {
    this.upcallPending = false;
    const sel = this.selector;
    this.selector = 0;
    return sel;
  }

  /** Lowest pending unmasked port of `word`, with its pending bit cleared; -1 if none. */
  takeNext(word: number): number {
    const words = this.words;
    if (word << 1 >= words.length) return -1;
    const p = words[word << 1] as number;
    const active = (p & ~(words[(word << 1) + 1] as number)) >>> 0;
    if (active === 0) return -1;
    const b = 31 - Math.clz32(active & -active);
    words[word << 1] = p & ~(1 << b);
    return word * BITS_PER_WORD + b;
  }

  /** True if some port is pending and unmasked (what a blocked vCPU's wake test looks at). */
  hasDeliverable(): boolean {
    const words = this.words;
    for (let w = 0; w < words.length >> 1; w++) {
      if (((words[w << 1] as number) & ~(words[(w << 1) + 1] as number)) !== 0) return true;
    }
    return false;
  }

  private raiseSelector(w: number): boolean {
    const sbit = 1 << w;
    if ((this.selector & sbit) !== 0) return false;
    this.selector |= sbit;
    if (this.upcallPending) return false;
    this.upcallPending = true;
    return !this.upcallMask;
  }
}

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
// Storage: word 0 (ports 0..31, all a domain usually binds) lives in two number fields of the object
// itself, so the hot path touches no second object; higher words are allocated up to the highest
// word touched so far (a Uint32Array of pending/mask pairs, only for domains that bind port 32 or
// above); a word not allocated yet reads as all zeros, which is what it holds.
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

/** @internal results of EventBitmaps._set. */
export const SET_COALESCED = 0;
export const SET_PENDING = 1;
export const SET_UPCALL = 2;

export class EventBitmaps {
  readonly portCount: number;
  readonly wordCount: number;
  /** Word 0 of the pending and mask bitmaps (as int32 bit patterns). */
  private p0 = 0;
  private m0 = 0;
  /**
   * Words 1.. of the pending and mask bitmaps, interleaved: word w's pending bits at [2(w − 1)], its
   * mask bits at [2(w − 1) + 1]; null until a port above 31 is touched; words beyond its length are zeros.
   */
  private hi: Uint32Array | null = null;
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
  }

  /** The high words array, grown (zero-filled) so that word w ≥ 1 is allocated. */
  private hiFor(w: number): Uint32Array {
    const hi = this.hi;
    const need = 2 * w; // entries for words 1..w
    if (hi !== null && need <= hi.length) return hi;
    const len = hi === null ? 0 : hi.length;
    const grown = new Uint32Array(Math.min(2 * (this.wordCount - 1), Math.max(need, 2 * len)));
    if (hi !== null) grown.set(hi);
    this.hi = grown;
    return grown;
  }

  /** Pending word w (0 if not allocated). */
  private pend(w: number): number {
    if (w === 0) return this.p0;
    const hi = this.hi;
    const i = 2 * (w - 1);
    return hi !== null && i < hi.length ? (hi[i] as number) : 0;
  }

  /** Mask word w (0 if not allocated). */
  private mask(w: number): number {
    if (w === 0) return this.m0;
    const hi = this.hi;
    const i = 2 * (w - 1) + 1;
    return hi !== null && i < hi.length ? (hi[i] as number) : 0;
  }

  private setPend(w: number, v: number): void {
    if (w === 0) this.p0 = v;
    else this.hiFor(w)[2 * (w - 1)] = v;
  }

  private setMask(w: number, v: number): void {
    if (w === 0) this.m0 = v;
    else this.hiFor(w)[2 * (w - 1) + 1] = v;
  }

  private checkPort(port: number): void {
    if (!Number.isInteger(port) || port < 0 || port >= this.portCount) {
      throw new RangeError(`EventBitmaps: port must be an integer in [0, ${this.portCount}), got ${port}`);
    }
  }

  isPending(port: number): boolean {
    this.checkPort(port);
    return (this.pend(port >>> 5) & (1 << (port & 31))) !== 0;
  }

  isMasked(port: number): boolean {
    this.checkPort(port);
    return (this.mask(port >>> 5) & (1 << (port & 31))) !== 0;
  }

  /** evtchn_set_pending. Returns true when an upcall must be started now. */
  setPending(port: number): boolean {
    this.checkPort(port);
    return this._set(port) === SET_UPCALL;
  }

  /**
   * @internal evtchn_set_pending for a port already checked by the caller: SET_COALESCED (it was
   * pending), SET_PENDING (now pending, no upcall to start) or SET_UPCALL (an upcall must start now).
   */
  _set(port: number): number {
    const bit = 1 << (port & 31);
    if (port < 32) {
      const p = this.p0;
      if ((p & bit) !== 0) return SET_COALESCED;
      this.p0 = p | bit;
      if ((this.m0 & bit) !== 0) return SET_PENDING; // masked: stays pending, no upcall
      return this.raiseSelector(0) ? SET_UPCALL : SET_PENDING;
    }
    const w = port >>> 5;
    const p = this.pend(w);
    if ((p & bit) !== 0) return SET_COALESCED;
    this.setPend(w, p | bit);
    if ((this.mask(w) & bit) !== 0) return SET_PENDING;
    return this.raiseSelector(w) ? SET_UPCALL : SET_PENDING;
  }

  /** mask_evtchn. */
  maskPort(port: number): void {
    this.checkPort(port);
    const w = port >>> 5;
    this.setMask(w, this.mask(w) | (1 << (port & 31)));
  }

  /** unmask_evtchn. Returns true when an upcall must be started now. */
  unmaskPort(port: number): boolean {
    this.checkPort(port);
    const w = port >>> 5;
    const bit = 1 << (port & 31);
    const m = this.mask(w);
    if ((m & bit) !== 0) this.setMask(w, m & ~bit);
    if ((this.pend(w) & bit) === 0) return false;
    return this.raiseSelector(w);
  }

  /** clear_evtchn: drops a pending bit without delivering it. */
  clearPort(port: number): void {
    this.checkPort(port);
    const w = port >>> 5;
    const p = this.pend(w);
    const bit = 1 << (port & 31);
    if ((p & bit) !== 0) this.setPend(w, p & ~bit);
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
    const p = this.pend(word);
    const active = p & ~this.mask(word);
    if (active === 0) return -1;
    const b = 31 - Math.clz32(active & -active);
    this.setPend(word, p & ~(1 << b));
    return word * BITS_PER_WORD + b;
  }

  /** True if some port is pending and unmasked (what a blocked vCPU's wake test looks at). */
  hasDeliverable(): boolean {
    if ((this.p0 & ~this.m0) !== 0) return true;
    const hi = this.hi;
    if (hi === null) return false;
    for (let i = 0; i < hi.length; i += 2) {
      if (((hi[i] as number) & ~(hi[i + 1] as number)) !== 0) return true;
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

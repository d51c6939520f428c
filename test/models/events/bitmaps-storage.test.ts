// EventBitmaps allocates its words only up to the highest word touched (bitmaps.ts "Storage"). Property:
// over random operations on ports anywhere in Xen 2.0's 1024-port space, every result equals that of a
// plain model written from the semantics in bitmaps.ts's header (one boolean per port and flag).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventBitmaps, EventLayout } from '../../../src/models/events/bitmaps.js';

class PlainBitmaps {
  pending = new Array<boolean>(1024).fill(false);
  mask = new Array<boolean>(1024).fill(false);
  selector = new Array<boolean>(32).fill(false);
  upcallPending = false;
  upcallMask = false;

  private raiseSelector(w: number): boolean {
    if (this.selector[w]) return false;
    this.selector[w] = true;
    if (this.upcallPending) return false;
    this.upcallPending = true;
    return !this.upcallMask;
  }
  setPending(p: number): boolean {
    if (this.pending[p]) return false;
    this.pending[p] = true;
    if (this.mask[p]) return false;
    return this.raiseSelector(p >> 5);
  }
  unmaskPort(p: number): boolean {
    this.mask[p] = false;
    return this.pending[p] === true && this.raiseSelector(p >> 5);
  }
  takeNext(w: number): number {
    for (let b = 0; b < 32; b++) {
      const p = w * 32 + b;
      if (this.pending[p] && !this.mask[p]) {
        this.pending[p] = false;
        return p;
      }
    }
    return -1;
  }
  beginUpcall(): number {
    this.upcallPending = false;
    let sel = 0;
    for (let w = 0; w < 32; w++) if (this.selector[w]) sel |= 1 << w;
    this.selector.fill(false);
    return sel;
  }
  hasDeliverable(): boolean {
    return this.pending.some((x, p) => x && !this.mask[p]);
  }
}

describe('EventBitmaps storage grows on demand (property, against a plain model)', () => {
  it('every operation answers as the plain model, for ports in every word', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            op: fc.integer({ min: 0, max: 8 }),
            port: fc.oneof(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 1023 })),
          }),
          { maxLength: 200 },
        ),
        (steps) => {
          const b = new EventBitmaps(EventLayout.xen2);
          const m = new PlainBitmaps();
          for (const { op, port } of steps) {
            const w = port >> 5;
            switch (op) {
              case 0:
                expect(b.setPending(port)).toBe(m.setPending(port));
                break;
              case 1:
                b.maskPort(port);
                m.mask[port] = true;
                break;
              case 2:
                expect(b.unmaskPort(port)).toBe(m.unmaskPort(port));
                break;
              case 3:
                b.clearPort(port);
                m.pending[port] = false;
                break;
              case 4:
                expect(b.takeNext(w)).toBe(m.takeNext(w));
                break;
              case 5:
                expect(b.beginUpcall() >>> 0).toBe(m.beginUpcall() >>> 0);
                break;
              case 6:
                b.maskUpcalls();
                m.upcallMask = true;
                break;
              case 7:
                m.upcallMask = false;
                expect(b.unmaskUpcalls()).toBe(m.upcallPending);
                break;
              default:
                expect(b.hasDeliverable()).toBe(m.hasDeliverable());
            }
            expect(b.isPending(port)).toBe(m.pending[port]);
            expect(b.isMasked(port)).toBe(m.mask[port]);
            expect(b.upcallPending).toBe(m.upcallPending);
          }
          for (let p = 0; p < 1024; p += 31) expect(b.isPending(p)).toBe(m.pending[p]);
        },
      ),
    );
  });
});

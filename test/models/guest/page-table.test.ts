// Page-table updates: queued and flushed per hypercall (xen), one trap per update (full-virt), host
// calls (hosted), direct (native). Property tests (fast-check): every update is applied exactly once, in
// issue order, and nothing is pending at a point that depends on the updates; the hypercall count and
// the cost follow from the batch arithmetic.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlushReason, PageTableQueue } from '../../../src/models/guest/page-table.js';

type Step = { kind: 'update'; count: number } | { kind: 'dep'; reason: FlushReason };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('update' as const), count: fc.integer({ min: 0, max: 600 }) }),
  fc.record({
    kind: fc.constant('dep' as const),
    reason: fc.constantFrom(FlushReason.tlbFlush, FlushReason.pageFault, FlushReason.returnToUser),
  }),
);

describe('PageTableQueue', () => {
  it('queued: exactly once, in order, nothing pending at a dependency, hypercalls = Σ ⌈segment / batch⌉', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2048 }), fc.array(stepArb, { maxLength: 40 }), (batch, steps) => {
        const pt = new PageTableQueue({ mode: 'queued', batch, updateNs: 100, flushNs: 450, record: true });
        let segment = 0; // updates issued since the last dependency flush
        let expectedFlushes = 0;
        let charged = 0;
        for (const s of steps) {
          if (s.kind === 'update') {
            charged += pt.update(s.count);
            segment += s.count;
            expect(pt.pending).toBeLessThan(batch); // a full batch is flushed at once
          } else {
            charged += pt.flush(s.reason);
            expect(pt.pending).toBe(0);
            expectedFlushes += Math.ceil(segment / batch);
            segment = 0;
          }
          expect(pt.applied + pt.pending).toBe(pt.issued);
        }
        charged += pt.flush(FlushReason.returnToUser);
        expectedFlushes += Math.ceil(segment / batch);
        expect(pt.log).toEqual(Array.from({ length: pt.issued }, (_, i) => i));
        expect(pt.flushes).toBe(expectedFlushes);
        expect(charged).toBe(pt.flushes * 450 + pt.issued * 100);
        expect(pt.costNs).toBe(charged);
      }),
    );
  });

  it('trap and host-call: every update applied at once and charged one by one; direct: applied at once for free', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('trap' as const, 'host-call' as const, 'direct' as const),
        fc.array(stepArb, { maxLength: 30 }),
        (mode, steps) => {
          const pt = new PageTableQueue({ mode, batch: 2048, updateNs: 1000, flushNs: 0, record: true });
          let charged = 0;
          for (const s of steps) {
            charged += s.kind === 'update' ? pt.update(s.count) : pt.flush(s.reason);
            expect(pt.pending).toBe(0);
          }
          expect(pt.log).toEqual(Array.from({ length: pt.issued }, (_, i) => i));
          expect(pt.flushes).toBe(0);
          expect(charged).toBe(mode === 'direct' ? 0 : pt.issued * 1000);
        },
      ),
    );
  });

  it('a batch of 1 makes one hypercall per update; 2048 one per dependency point', () => {
    const one = new PageTableQueue({ mode: 'queued', batch: 1, updateNs: 0, flushNs: 1, record: false });
    one.update(384);
    one.flush(FlushReason.returnToUser);
    expect(one.flushes).toBe(384);
    const big = new PageTableQueue({ mode: 'queued', batch: 2048, updateNs: 0, flushNs: 1 });
    big.update(384);
    expect(big.pending).toBe(384);
    big.flush(FlushReason.tlbFlush);
    expect(big.flushes).toBe(1);
    expect(big.flush(FlushReason.returnToUser)).toBe(0); // nothing pending: no hypercall
  });

  it('bad parameters get one clear error', () => {
    expect(() => new PageTableQueue({ mode: 'queued', batch: 0, updateNs: 1, flushNs: 1 })).toThrow(
      /PageTableQueue: batch must be .*got 0/,
    );
    expect(() => new PageTableQueue({ mode: 'queued', batch: 4096, updateNs: 1, flushNs: 1 })).toThrow(/batch.*4096/);
    expect(() => new PageTableQueue({ mode: 'shadow' as 'trap', batch: 1, updateNs: 1, flushNs: 1 })).toThrow(
      /mode.*shadow/,
    );
    expect(() => new PageTableQueue({ mode: 'trap', batch: 1, updateNs: -1, flushNs: 1 })).toThrow(/updateNs/);
  });
});

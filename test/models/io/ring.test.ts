// The generic I/O descriptor ring: capacity, id matching with out-of-order responses, notification
// counts under the event-index policy (hand-derived and property-tested), hold-off bound, back-pressure
// and invariant errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../../src/sim/errors.js';
import type { ProcessGenerator } from '../../../src/sim/process.js';
import { Simulation } from '../../../src/sim/simulation.js';
import { IoRing, NotifyCause, RingDirection, type NotifyPolicy, type RingItem } from '../../../src/models/io/ring.js';

interface Req extends RingItem {
  readonly id: number;
}
interface Rsp extends RingItem {
  readonly id: number;
  readonly ok: boolean;
}

function ring(
  sim: Simulation,
  size: number,
  requestNotify?: NotifyPolicy,
  responseNotify?: NotifyPolicy,
): IoRing<Req, Rsp> {
  const opts = {
    name: 't',
    sizeEntries: size,
    ...(requestNotify ? { requestNotify } : {}),
    ...(responseNotify ? { responseNotify } : {}),
  };
  return new IoRing<Req, Rsp>(sim, opts);
}

/**
 * Pushes n requests one at a time at time 0; the back end is an instantaneous consumer that, when
 * notified, drains every published request and re-arms (final check). Returns the notification count
 * and the requests still unconsumed when the run ends.
 */
function countRequestNotifies(
  n: number,
  k: number,
  holdOffNs: number | null,
): { notifies: number; holdOff: number; stranded: number; times: number[] } {
  const sim = new Simulation();
  const r = ring(sim, 1024, { everyItems: k, holdOffNs });
  const times: number[] = [];
  r.notifier = (dir) => {
    expect(dir).toBe(RingDirection.requests);
    times.push(sim.now);
    do {
      while (r.takeRequest() !== undefined);
    } while (r.finalCheckForRequests());
  };
  for (let i = 0; i < n; i++) r.submitRequest({ id: i });
  sim.run();
  return {
    notifies: r.counts.requestNotifies,
    holdOff: r.counts.requestHoldOffNotifies,
    stranded: r.unconsumedRequests,
    times,
  };
}

describe('IoRing notification policy', () => {
  it('hand-derived counts: items pushed one at a time to a consumer that drains and re-arms', () => {
    // k = 1 (ring.h default: event = cons + 1): every push passes the event index → n notifications.
    expect(countRequestNotifies(5, 1, null)).toMatchObject({ notifies: 5, stranded: 0 });
    // k = 4, n = 10: event starts at cons + 1 = 1 (SHARED_RING_INIT); push 1 notifies (the consumer
    // drains and re-arms event = 1 + 4 = 5); push 5 notifies (re-arm 9); push 9 notifies (re-arm 13);
    // push 10 stays below 13 → 3 = ceil(10 / 4) notifications, 1 item stranded.
    expect(countRequestNotifies(10, 4, null)).toMatchObject({ notifies: 3, stranded: 1 });
    // Same with a 1 µs hold-off: the timer armed on item 10 (at t = 0) fires at 1 µs and notifies the
    // tail → 4 notifications, the last one by the timer, at exactly 1000 ns.
    const h = countRequestNotifies(10, 4, 1000);
    expect(h).toMatchObject({ notifies: 4, holdOff: 1, stranded: 0 });
    expect(h.times).toEqual([0, 0, 0, 1000]);
    // k = 3, n = 10: pushes 1, 4, 7, 10 → 4 notifications, none stranded, the hold-off never fires.
    expect(countRequestNotifies(10, 3, 1000)).toMatchObject({ notifies: 4, holdOff: 0, stranded: 0 });
  });

  it('property: ceil(n/k) notifications without hold-off; one more (by the timer) with one when items are left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 64 }), (n, k) => {
        const tail = n === 0 ? 0 : (n - 1) % k; // items pushed after the last threshold notification
        const a = countRequestNotifies(n, k, null);
        expect(a.notifies).toBe(Math.ceil(n / k));
        expect(a.stranded).toBe(tail);
        const b = countRequestNotifies(n, k, 5000);
        expect(b.notifies).toBe(Math.ceil(n / k) + (tail > 0 ? 1 : 0));
        expect(b.holdOff).toBe(tail > 0 ? 1 : 0);
        expect(b.stranded).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('items pushed while the consumer is active cause no notification; re-arming restores it', () => {
    const sim = new Simulation();
    const r = ring(sim, 8); // k = 1
    let notified = 0;
    r.notifier = () => notified++;
    r.submitRequest({ id: 1 }); // passes event 1 → notify
    expect(notified).toBe(1);
    r.submitRequest({ id: 2 }); // consumer not re-armed yet: event 1 already passed
    r.submitRequest({ id: 3 });
    expect(notified).toBe(1);
    expect(r.consumerArmed(RingDirection.requests)).toBe(false);
    expect(r.takeRequest()?.id).toBe(1);
    expect(r.finalCheckForRequests()).toBe(true); // more to do: no re-arm
    r.takeRequest();
    r.takeRequest();
    expect(r.finalCheckForRequests()).toBe(false); // re-armed: event = cons + 1 = 4
    expect(r.reqEvent).toBe(4);
    r.submitRequest({ id: 4 });
    expect(notified).toBe(2);
  });

  it('batched push (several items in one push) notifies once when the event index is inside the batch', () => {
    const sim = new Simulation();
    const r = ring(sim, 16, { everyItems: 4, holdOffNs: null });
    let notified = 0;
    r.notifier = () => notified++;
    r.submitRequest({ id: 0 }); // the first item passes the initial event index 1
    expect(notified).toBe(1);
    r.takeRequest();
    expect(r.finalCheckForRequests()).toBe(false); // re-armed: event = cons + k = 1 + 4 = 5
    expect(r.reqEvent).toBe(5);
    r.putRequest({ id: 1 });
    r.putRequest({ id: 2 });
    expect(r.pushRequests()).toBe(false); // prod 1 → 3, event 5 not in (1, 3]
    for (let i = 3; i < 8; i++) r.putRequest({ id: i });
    expect(r.pushRequests()).toBe(true); // prod 3 → 8, event 5 in (3, 8]
    expect(notified).toBe(2);
  });

  it('property: with a hold-off, no item pushed to an armed consumer waits longer than the hold-off for its notification', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 0, max: 4000 }),
        (k, holdOffNs, gaps, consumerDelayNs) => {
          const sim = new Simulation();
          const r = ring(sim, 256, { everyItems: k, holdOffNs });
          const waiting: number[] = []; // push times of items pushed to an armed consumer, not yet notified
          let maxWait = 0;
          let consumerScheduled = false;
          const consume = (): void => {
            consumerScheduled = false;
            do {
              while (r.takeRequest() !== undefined);
            } while (r.finalCheckForRequests());
          };
          r.notifier = () => {
            for (const t of waiting) maxWait = Math.max(maxWait, sim.now - t);
            waiting.length = 0;
            if (!consumerScheduled) {
              consumerScheduled = true;
              sim.schedule(consumerDelayNs, consume);
            }
          };
          let t = 0;
          let id = 0;
          for (const g of gaps) {
            t += g;
            sim.scheduleAt(t, () => {
              const armed = r.consumerArmed(RingDirection.requests);
              if (armed) waiting.push(sim.now);
              r.submitRequest({ id: id++ }); // never answered: 120 items at most in a 256-entry ring
            });
          }
          sim.run();
          expect(waiting).toEqual([]); // every armed item was notified
          expect(maxWait).toBeLessThanOrEqual(holdOffNs);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('IoRing capacity and ids', () => {
  it('property: never more than size in flight; every request answered exactly once, out of order, matched by id', () => {
    const op = fc.constantFrom('put', 'push', 'take', 'respond', 'pushRsp', 'consume', 'finalReq', 'finalRsp');
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8, 16),
        fc.array(fc.tuple(op, fc.nat()), { maxLength: 400 }),
        (size, ops) => {
          const sim = new Simulation();
          const r = ring(sim, size);
          let nextId = 1000;
          const issued = new Set<number>();
          const consumedByBack: number[] = [];
          const answered = new Map<number, number>(); // id → times answered (consumed by the front)
          let maxInFlight = 0;
          const step = (name: string, x: number): void => {
            switch (name) {
              case 'put':
                if (r.full) {
                  expect(() => r.putRequest({ id: nextId })).toThrow(InvariantError);
                  return;
                }
                // ids are sparse and reused only after completion
                r.putRequest({ id: nextId });
                issued.add(nextId);
                nextId += 1 + (x % 3);
                return;
              case 'push':
                r.pushRequests();
                return;
              case 'take': {
                const q = r.takeRequest();
                if (q !== undefined) consumedByBack.push(q.id);
                return;
              }
              case 'respond': {
                if (consumedByBack.length === 0) return;
                const i = x % consumedByBack.length; // out of order
                const id = consumedByBack.splice(i, 1)[0] as number;
                r.putResponse({ id, ok: true });
                return;
              }
              case 'pushRsp':
                r.pushResponses();
                return;
              case 'consume': {
                const p = r.takeResponse();
                if (p !== undefined) {
                  expect(issued.has(p.id)).toBe(true);
                  answered.set(p.id, (answered.get(p.id) ?? 0) + 1);
                }
                return;
              }
              case 'finalReq':
                r.finalCheckForRequests();
                return;
              default:
                r.finalCheckForResponses();
            }
          };
          for (const [name, x] of ops) {
            step(name, x);
            maxInFlight = Math.max(maxInFlight, r.inFlight);
            expect(r.inFlight).toBeLessThanOrEqual(size);
            expect(r.inFlight).toBe(r.outstandingIds);
          }
          // drain: everything issued gets exactly one response
          r.pushRequests();
          for (;;) {
            const q = r.takeRequest();
            if (q === undefined) break;
            consumedByBack.push(q.id);
          }
          while (consumedByBack.length > 0) r.putResponse({ id: consumedByBack.pop() as number, ok: true });
          r.pushResponses();
          for (;;) {
            const p = r.takeResponse();
            if (p === undefined) break;
            answered.set(p.id, (answered.get(p.id) ?? 0) + 1);
          }
          expect(r.inFlight).toBe(0);
          expect([...answered.keys()].sort((a, b) => a - b)).toEqual([...issued].sort((a, b) => a - b));
          for (const c of answered.values()) expect(c).toBe(1);
          expect(maxInFlight).toBeLessThanOrEqual(size);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ids of every kind (slot numbers, large, negative, fractional) are tracked alike: duplicates refused, counts exact', () => {
    const sim = new Simulation();
    const r = ring(sim, 8); // slot-like ids 0 … 15 are kept in a typed array, others in a map
    const ids = [0, 15, 16, 1e9, -3, 2.5, 7];
    for (const id of ids) r.putRequest({ id });
    expect(r.outstandingIds).toBe(ids.length);
    for (const id of ids) {
      expect(r.isOutstanding(id)).toBe(true);
      expect(() => r.putRequest({ id })).toThrow(new RegExp(`request id ${id} is already outstanding`));
    }
    expect(r.isOutstanding(1)).toBe(false);
    expect(r.isOutstanding(17)).toBe(false);
    r.pushRequests();
    for (let i = 0; i < ids.length; i++) r.takeRequest();
    for (const id of [...ids].reverse()) r.putResponse({ id, ok: true });
    expect(() => r.putResponse({ id: 16, ok: true })).toThrow(/id 16 answered twice/);
    expect(() => r.putResponse({ id: 3, ok: true })).toThrow(/not outstanding/);
    r.pushResponses();
    const back: number[] = [];
    for (let p = r.takeResponse(); p !== undefined; p = r.takeResponse()) back.push(p.id);
    expect(back).toEqual([...ids].reverse());
    expect(r.outstandingIds).toBe(0);
    for (const id of ids) expect(r.isOutstanding(id)).toBe(false);
    r.submitRequest({ id: 15 }); // an id is free again once its response is consumed
    expect(r.outstandingIds).toBe(1);
  });
  it('back-pressure: a producer process waits for space and resumes when a response is consumed', () => {
    const sim = new Simulation();
    const r = ring(sim, 2);
    const log: string[] = [];
    function* producer(): ProcessGenerator {
      for (let id = 0; id < 4; id++) {
        if (r.full) {
          log.push(`${sim.now} full at ${id}`);
          yield r.waitForSpace();
        }
        r.submitRequest({ id });
        log.push(`${sim.now} issued ${id}`);
      }
    }
    function* backend(): ProcessGenerator {
      for (let i = 0; i < 4; i++) {
        yield sim.timeout(100);
        const q = r.takeRequest();
        if (q === undefined) throw new Error('no request');
        r.submitResponse({ id: q.id, ok: true });
        r.takeResponse(); // the front consumes at once, freeing the slot
      }
    }
    sim.process(producer());
    sim.process(backend());
    sim.run();
    expect(log).toEqual(['0 issued 0', '0 issued 1', '0 full at 2', '100 issued 2', '100 full at 3', '200 issued 3']);
    // callback style
    const sim2 = new Simulation();
    const r2 = ring(sim2, 1);
    r2.submitRequest({ id: 7 });
    let called = 0;
    r2.onSpace(() => called++);
    expect(called).toBe(0);
    r2.takeRequest();
    r2.submitResponse({ id: 7, ok: false });
    r2.takeResponse();
    expect(called).toBe(1);
  });

  it('responses produced out of order are consumed in production order and matched by id', () => {
    const sim = new Simulation();
    const r = ring(sim, 8);
    for (let id = 1; id <= 4; id++) r.submitRequest({ id });
    const got: number[] = [];
    while (r.takeRequest() !== undefined);
    for (const id of [3, 1, 4, 2]) r.submitResponse({ id, ok: true });
    for (;;) {
      const p = r.takeResponse();
      if (p === undefined) break;
      got.push(p.id);
    }
    expect(got).toEqual([3, 1, 4, 2]);
  });

  it('invariant violations throw InvariantError naming the model and the simulated time', () => {
    const sim = new Simulation();
    const r = ring(sim, 2);
    sim.schedule(1234, () => undefined);
    sim.run();
    r.submitRequest({ id: 1 });
    r.submitRequest({ id: 2 });
    const full = (() => {
      try {
        r.putRequest({ id: 3 });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(full).toBeInstanceOf(InvariantError);
    expect((full as InvariantError).model).toBe('io-ring(t)');
    expect((full as InvariantError).timeNs).toBe(1234);
    expect((full as InvariantError).message).toMatch(
      /invariant violated in io-ring\(t\): request 3 put into a full ring.*at t = 1\.234 µs/,
    );
    expect(() => r.putResponse({ id: 1, ok: true })).toThrow(/before the back end consumed the request/);
    r.takeRequest();
    r.putResponse({ id: 1, ok: true });
    expect(() => r.putResponse({ id: 1, ok: true })).toThrow(/id 1 answered twice/);
    expect(() => r.putResponse({ id: 99, ok: true })).toThrow(/not outstanding/);
    const sim2 = new Simulation();
    const r2 = ring(sim2, 4);
    r2.submitRequest({ id: 5 });
    expect(() => r2.submitRequest({ id: 5 })).toThrow(/request id 5 is already outstanding/);
  });

  it('rejects bad configuration with a clear message', () => {
    const sim = new Simulation();
    expect(() => ring(sim, 3)).toThrow(/sizeEntries must be a power of two/);
    expect(() => ring(sim, 8, { everyItems: 0, holdOffNs: null })).toThrow(
      /requestNotify.everyItems must be an integer in \[1, 8\]/,
    );
    expect(() => ring(sim, 8, undefined, { everyItems: 2, holdOffNs: -1 })).toThrow(/responseNotify.holdOffNs/);
  });

  it('hold-off notification for responses is counted and reported through onNotify', () => {
    const sim = new Simulation();
    const r = ring(sim, 8, undefined, { everyItems: 4, holdOffNs: 500 });
    const seen: string[] = [];
    r.onNotify.add((d, c, p) => seen.push(`${sim.now} ${d} ${c} ${p}`));
    r.submitRequest({ id: 1 });
    r.takeRequest();
    r.finalCheckForRequests();
    r.submitResponse({ id: 1, ok: true }); // passes the initial rsp_event = 1 (SHARED_RING_INIT)
    expect(r.holdOffArmed(RingDirection.responses)).toBe(false);
    r.takeResponse();
    expect(r.finalCheckForResponses()).toBe(false); // re-armed: rsp_event = 1 + 4 = 5
    r.submitRequest({ id: 2 });
    r.takeRequest();
    r.finalCheckForRequests();
    r.submitResponse({ id: 2, ok: true }); // rsp_prod 2 < 5: the hold-off timer is armed
    expect(r.holdOffArmed(RingDirection.responses)).toBe(true);
    sim.run();
    expect(seen).toEqual([
      '0 requests threshold 1',
      '0 responses threshold 1',
      '0 requests threshold 2',
      `500 responses ${NotifyCause.holdOff} 2`,
    ]);
    expect(r.counts.responseHoldOffNotifies).toBe(1);
  });
});

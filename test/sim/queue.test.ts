// The future-event list: total order (time, priority, insertion), cancellation, against a naive model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, Priority, QueueFullError } from '../../src/sim/queue.js';

function drain(q: EventQueue): string[] {
  const out: string[] = [];
  for (;;) {
    const fn = q.pop(Infinity);
    if (fn === null) return out;
    const arg = q.arg;
    fn(arg);
    out.push(`${q.now}:${String(arg)}`);
  }
}
const noop = (): void => {};

describe('EventQueue', () => {
  it('fires equal-time entries in insertion order', () => {
    const q = new EventQueue();
    for (const x of ['a', 'b', 'c', 'd']) q.push(5, Priority.normal, noop, x);
    q.push(3, Priority.normal, noop, 'first');
    expect(drain(q)).toEqual(['3:first', '5:a', '5:b', '5:c', '5:d']);
  });

  it('orders by priority before insertion sequence', () => {
    const q = new EventQueue();
    q.push(5, 3, noop, 'p3');
    q.push(5, Priority.normal, noop, 'p1a');
    q.push(5, -7, noop, 'p-7');
    q.push(5, Priority.urgent, noop, 'p0');
    q.push(5, Priority.normal, noop, 'p1b');
    expect(drain(q)).toEqual(['5:p-7', '5:p0', '5:p1a', '5:p1b', '5:p3']);
  });

  it('interleaves zero-delay (FIFO ring) entries with heap entries at the same time by key', () => {
    const q = new EventQueue();
    const log: string[] = [];
    // at t=0: an urgent entry scheduled after a normal one must still fire first
    q.push(0, Priority.normal, (x: string) => log.push(x), 'n1');
    q.push(0, Priority.urgent, (x: string) => log.push(x), 'u1');
    q.push(0, 2, (x: string) => log.push(x), 'low');
    q.push(0, Priority.normal, (x: string) => log.push(x), 'n2');
    drain(q);
    expect(log).toEqual(['u1', 'n1', 'n2', 'low']);
  });

  it('never fires a cancelled entry; cancelling twice or after firing is harmless', () => {
    const q = new EventQueue();
    const fired: string[] = [];
    const h1 = q.push(10, Priority.normal, (x: string) => fired.push(x), 'x');
    const h2 = q.push(20, Priority.normal, (x: string) => fired.push(x), 'y');
    expect(q.cancel(h1)).toBe(true);
    expect(q.cancel(h1)).toBe(false);
    expect(q.size).toBe(1);
    drain(q);
    expect(fired).toEqual(['y']);
    expect(q.cancel(h2)).toBe(false); // after firing
    // the slot of h1 is reused by a new entry: the stale handle must not cancel it
    const h3 = q.push(30, Priority.normal, (x: string) => fired.push(x), 'z');
    expect(q.cancel(h1)).toBe(false);
    expect(q.cancel(h2)).toBe(false);
    drain(q);
    expect(fired).toEqual(['y', 'z']);
    expect(q.cancel(h3)).toBe(false);
  });

  it('peek skips cancelled entries and reports Infinity when empty', () => {
    const q = new EventQueue();
    const h = q.push(4, Priority.normal, noop, 'a');
    q.push(9, Priority.normal, noop, 'b');
    q.cancel(h);
    expect(q.peek()).toBe(9);
    drain(q);
    expect(q.peek()).toBe(Infinity);
  });

  it('matches a sorted-list model under random pushes, pushNows, cancels and pops (property)', () => {
    type Op =
      | { kind: 'push'; dt: number; prio: number }
      | { kind: 'now' }
      | { kind: 'cancel'; which: number }
      | { kind: 'pop' };
    const op = fc.oneof(
      fc.record({ kind: fc.constant('now' as const) }),
      fc.record({
        kind: fc.constant('push' as const),
        dt: fc.integer({ min: 0, max: 20 }),
        prio: fc.integer({ min: -2, max: 3 }),
      }),
      fc.record({ kind: fc.constant('cancel' as const), which: fc.nat(200) }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op as fc.Arbitrary<Op>, { maxLength: 300 }), (ops) => {
        const q = new EventQueue(16);
        const model: { t: number; p: number; seq: number; id: number; live: boolean }[] = [];
        const handles: number[] = []; // NaN for an entry of pushNow (it has no handle)
        let seq = 0;
        const popped: number[] = [];
        const expected: number[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            const id = handles.length;
            handles.push(q.push(q.now + o.dt, o.prio, noop, id));
            model.push({ t: q.now + o.dt, p: o.prio, seq: seq++, id, live: true });
          } else if (o.kind === 'now') {
            // pushNow (the engine's triggered events): at now, normal priority, insertion order
            const id = handles.length;
            handles.push(NaN);
            q.pushNow(noop, id);
            model.push({ t: q.now, p: Priority.normal, seq: seq++, id, live: true });
          } else if (o.kind === 'cancel') {
            if (handles.length === 0) continue;
            const id = o.which % handles.length;
            if (Number.isNaN(handles[id])) continue;
            const m = model.find((e) => e.id === id);
            const wasLive = m !== undefined && m.live;
            expect(q.cancel(handles[id] as number)).toBe(wasLive);
            if (m !== undefined) m.live = false;
          } else {
            const live = model.filter((e) => e.live).sort((a, b) => a.t - b.t || a.p - b.p || a.seq - b.seq);
            const fn = q.pop(Infinity);
            if (live.length === 0) {
              expect(fn).toBe(null);
              continue;
            }
            const first = live[0]!;
            first.live = false;
            expected.push(first.id);
            expect(fn).toBe(noop);
            popped.push(q.arg as number);
            expect(q.now).toBe(first.t);
          }
        }
        expect(popped).toEqual(expected);
        expect(q.size).toBe(model.filter((e) => e.live).length);
      }),
      { numRuns: 300 },
    );
  });

  it('grows past its initial capacity without losing order', () => {
    const q = new EventQueue(16);
    for (let i = 0; i < 5000; i++) q.push((i * 7919) % 1000, Priority.normal, noop, i);
    let last = -1;
    let n = 0;
    for (;;) {
      if (q.pop(Infinity) === null) break;
      expect(q.now).toBeGreaterThanOrEqual(last);
      last = q.now;
      n++;
    }
    expect(n).toBe(5000);
  });
});

describe('EventQueue caps', () => {
  it('the zero-delay ring holds at most maxPendingEvents entries of pushNow, and is reusable after draining', () => {
    const q = new EventQueue(16, 20);
    for (let i = 0; i < 20; i++) q.pushNow(noop, i);
    expect(() => q.pushNow(noop, 20)).toThrow(QueueFullError);
    expect(() => q.pushNow(noop, 20)).toThrow(/event queue: length must be at most 20 .*got 21/);
    expect(q.size).toBe(20);
    expect(drain(q)).toEqual(Array.from({ length: 20 }, (_, i) => `0:${i}`));
    for (let i = 0; i < 20; i++) q.pushNow(noop, i);
    expect(q.size).toBe(20);
  });

  it('an entry of push at the current time sits in the ring with a handle that cancels it', () => {
    const q = new EventQueue(16);
    const fired: string[] = [];
    const f = (x: string): void => void fired.push(x);
    q.pushNow(f, 'a');
    const h = q.push(0, Priority.normal, f, 'b');
    q.pushNow(f, 'c');
    const h2 = q.push(0, Priority.normal, f, 'd');
    expect(q.cancel(h)).toBe(true);
    expect(q.peek()).toBe(0);
    expect(q.pop(Infinity)).toBe(f);
    expect(q.arg).toBe('a');
    f('a');
    drain(q);
    expect(fired).toEqual(['a', 'c', 'd']);
    expect(q.cancel(h2)).toBe(false); // fired: the handle is stale
    expect(q.size).toBe(0);
  });
});

describe('EventQueue clock', () => {
  it('a cancelled entry never moves the clock', () => {
    const q = new EventQueue();
    const h = q.push(100, Priority.normal, noop, 'late');
    q.push(25, Priority.normal, noop, 'x');
    q.cancel(h);
    expect(drain(q)).toEqual(['25:x']);
    expect(q.now).toBe(25);
  });
});

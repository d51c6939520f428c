// The engine refuses misuse (issue 7) and bounds what can grow without limit (issue 15): each case
// was observed to be accepted silently (or to hang, or to die with V8's `Invalid array length`)
// before, and must now throw a clear error naming what went wrong.
import { describe, expect, it } from 'vitest';
import {
  Container,
  Deque,
  DEQUE_MAX_LENGTH,
  EventQueue,
  FilterStore,
  Priority,
  QueueFullError,
  Resource,
  Simulation,
  SimulationError,
  Store,
  type ProcessGenerator,
} from '../../src/sim/index.js';

describe('sim.sleep tokens', () => {
  it('two outstanding tokens are refused (the first would resume at the second delay)', () => {
    const sim = new Simulation();
    const woke: number[] = [];
    function* body(): ProcessGenerator {
      const a = sim.sleep(5);
      const b = sim.sleep(10);
      yield a;
      woke.push(sim.now);
      yield b;
    }
    sim.process(body(), 'two-tokens');
    expect(() => sim.run()).toThrow(
      /sim\.sleep\(\) called twice by process 'two-tokens' before the first token was yielded/,
    );
    expect(woke).toEqual([]);
  });

  it('a token cannot be triggered: sim.sleep(5).succeed() and .fail() throw', () => {
    for (const trigger of ['succeed', 'fail'] as const) {
      const sim = new Simulation();
      function* body(): ProcessGenerator {
        const t = sim.sleep(5);
        if (trigger === 'succeed') t.succeed();
        else t.fail(new Error('x'));
        yield t;
      }
      sim.process(body(), 'trigger');
      expect(() => sim.run()).toThrow(
        new RegExp(
          `unhandled failure of process 'trigger': sim\\.sleep\\(\\): the token cannot be triggered \\(${trigger}\\)`,
        ),
      );
    }
  });

  it('a token is only made inside a running process, yielded at once and only once', () => {
    const outside = new Simulation();
    expect(() => outside.sleep(5)).toThrow(/sim\.sleep\(\) called outside a running process/);

    const reused = new Simulation();
    function* twice(): ProcessGenerator {
      const t = reused.sleep(5);
      yield t;
      yield t;
    }
    reused.process(twice(), 'reuser');
    expect(() => reused.run()).toThrow(/process 'reuser' yielded a sim\.sleep\(\) token that was already used/);
    expect(reused.now).toBe(5);

    const dropped = new Simulation();
    function* other(): ProcessGenerator {
      dropped.sleep(5);
      yield dropped.timeout(1);
    }
    dropped.process(other(), 'dropper');
    expect(() => dropped.run()).toThrow(/process 'dropper' called sim\.sleep\(\) and then yielded something else/);
  });

  it('correct use is unchanged: each sleep resumes after its own delay', () => {
    const sim = new Simulation();
    const woke: number[] = [];
    function* body(): ProcessGenerator {
      for (const d of [5, 10, 0, 3]) {
        yield sim.sleep(d);
        woke.push(sim.now);
      }
    }
    sim.process(body());
    sim.process(body());
    sim.run();
    expect(woke).toEqual([5, 5, 15, 15, 15, 15, 18, 18]);
  });
});

describe('step() and the clock', () => {
  it('step() from inside a running callback throws instead of running a later event in the middle of it', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.schedule(1, () => {
      order.push('a-start');
      sim.step();
      order.push('a-end');
    });
    sim.schedule(2, () => order.push('b'));
    expect(() => sim.run()).toThrow(/step: called while an event is being processed/);
    expect(order).toEqual(['a-start']);
    // the same from a callback run by step() itself
    const sim2 = new Simulation();
    const ran: string[] = [];
    sim2.schedule(1, () => sim2.step());
    sim2.schedule(2, () => ran.push('later'));
    expect(() => sim2.step()).toThrow(/step: called while an event is being processed/);
    expect(ran).toEqual([]);
    expect(sim2.step()).toBe(true); // from outside, step still works
    expect(ran).toEqual(['later']);
  });

  it('the event queue is not reachable from the simulation, and the clock cannot be set', () => {
    const sim = new Simulation();
    sim.schedule(10, () => {});
    sim.run();
    expect((sim as unknown as Record<string, unknown>)['queue']).toBeUndefined();
    expect(() => {
      (sim as unknown as { now: number }).now = 3;
    }).toThrow(TypeError);
    expect(() => {
      (sim as unknown as { eventsProcessed: number }).eventsProcessed = 0;
    }).toThrow(TypeError);
    expect(sim.now).toBe(10);
    expect(sim.eventsProcessed).toBe(1);
  });

  it('a stand-alone EventQueue only moves its clock forward', () => {
    const q = new EventQueue();
    q.push(10, Priority.normal, () => {}, null);
    q.pop(Infinity);
    expect(q.now).toBe(10);
    expect(() => {
      (q as unknown as { now: number }).now = 3;
    }).toThrow(TypeError);
    expect(() => q.advanceTo(3)).toThrow(/advanceTo: timeNs must be an integer time not before now \(10\), got 3/);
    q.push(20, Priority.normal, () => {}, null);
    expect(() => q.advanceTo(25)).toThrow(/not after the next pending entry \(20\), got 25/);
    q.advanceTo(15);
    expect(q.now).toBe(15);
  });
});

describe('request order', () => {
  it('is counted per resource, not shared by every simulation in the process', () => {
    const a = new Simulation();
    const ra = new Resource(a, 1, 'a');
    for (let i = 0; i < 3; i++) ra.request();
    const b = new Simulation();
    const rb = new Resource(b, 1, 'b');
    expect([rb.request().order, rb.request().order]).toEqual([0, 1]);
    expect(ra.request().order).toBe(3);
  });
});

describe('maxEventsPerInstant: a run that never advances time stops', () => {
  it('names the time and the callback of a zero-delay loop', () => {
    const sim = new Simulation({ maxEventsPerInstant: 1000 });
    sim.schedule(7, function spinForever() {
      sim.schedule(0, spinForever);
    });
    expect(() => sim.run()).toThrow(SimulationError);
    const sim2 = new Simulation({ maxEventsPerInstant: 1000 });
    sim2.schedule(7, function spinForever() {
      sim2.schedule(0, spinForever);
    });
    expect(() => sim2.run()).toThrow(
      /more than 1000 events processed at one instant .*maxEventsPerInstant.*the last was callback 'spinForever'.*\(at t = 7 ns\)/,
    );
    expect(sim2.eventsProcessed).toBe(1000);
  });

  it('names the process of a closed loop of zero delays', () => {
    const sim = new Simulation({ maxEventsPerInstant: 500 });
    const store = new Store<number>(sim);
    function* client(): ProcessGenerator {
      for (;;) {
        yield store.put(1);
        yield sim.sleep(0);
      }
    }
    function* server(): ProcessGenerator {
      for (;;) yield store.get();
    }
    sim.process(client(), 'client');
    sim.process(server(), 'server');
    expect(() => sim.run(1_000_000)).toThrow(/the last was .*process '(client|server)'/);
  });

  it('counts per instant: exactly the limit at each of several times is fine', () => {
    const limit = 300;
    const sim = new Simulation({ maxEventsPerInstant: limit });
    for (let t = 0; t < 3; t++) for (let i = 0; i < limit; i++) sim.schedule(t, () => {});
    sim.run();
    expect(sim.eventsProcessed).toBe(3 * limit);
    const over = new Simulation({ maxEventsPerInstant: limit });
    for (let i = 0; i <= limit; i++) over.schedule(5, () => {});
    expect(() => over.run()).toThrow(/more than 300 events/);
    // step() counts too
    const stepped = new Simulation({ maxEventsPerInstant: 2 });
    for (let i = 0; i < 3; i++) stepped.schedule(0, () => {});
    expect(stepped.step()).toBe(true);
    expect(stepped.step()).toBe(true);
    expect(() => stepped.step()).toThrow(/more than 2 events/);
  });

  it('its default lets a large legitimate burst at one instant through', () => {
    const sim = new Simulation();
    let n = 0;
    for (let i = 0; i < 200_000; i++) sim.schedule(0, () => n++);
    sim.run();
    expect(n).toBe(200_000);
    expect(sim.maxEventsPerInstant).toBe(10_000_000);
    expect(() => new Simulation({ maxEventsPerInstant: 0 })).toThrow(
      /Simulation: maxEventsPerInstant must be an integer >= 1, got 0/,
    );
  });
});

describe('bounded queues fail naming the queue and the cap', () => {
  const expectFull = (f: () => unknown, queue: string, cap: number): void => {
    let err: unknown = null;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueueFullError);
    const q = err as QueueFullError;
    expect(q.queue).toBe(queue);
    expect(q.cap).toBe(cap);
    expect(q.message).toBe(
      `${queue}: length must be at most ${cap} (Simulation option ${queue === 'event queue' ? 'maxPendingEvents' : 'maxQueueLength'}), ` +
        `got ${cap + 1}; the queue grows without bound (overload?)`,
    );
  };

  it('event queue', () => {
    const sim = new Simulation({ maxPendingEvents: 20 });
    for (let i = 0; i < 20; i++) sim.schedule(i, () => {});
    expectFull(() => sim.schedule(1, () => {}), 'event queue', 20);
    // once events drain, there is room again
    sim.run(5);
    sim.schedule(1, () => {});
    expect(sim.pending).toBe(16);
  });

  it('Resource waiting requests', () => {
    const sim = new Simulation({ maxQueueLength: 5 });
    const disk = new Resource(sim, 1, 'disk');
    for (let i = 0; i < 6; i++) disk.request(); // one granted, five waiting
    expect(disk.queueLength).toBe(5);
    expectFull(() => disk.request(), "Resource 'disk' waiting requests", 5);
  });

  it('Store items, waiting gets and waiting puts; FilterStore', () => {
    const sim = new Simulation({ maxQueueLength: 4 });
    const inbox = new Store<number>(sim, Infinity, 'inbox');
    for (let i = 0; i < 4; i++) inbox.put(i);
    expectFull(() => inbox.put(4), "Store 'inbox' items", 4);

    const empty = new Store<number>(sim, Infinity, 'rx');
    for (let i = 0; i < 4; i++) empty.get();
    expectFull(() => empty.get(), "Store 'rx' waiting gets", 4);

    const small = new Store<number>(sim, 1, 'tx');
    for (let i = 0; i < 5; i++) small.put(i); // one held, four waiting
    expectFull(() => small.put(5), "Store 'tx' waiting puts", 4);

    const tagged = new FilterStore<number>(sim, Infinity, 'tagged');
    for (let i = 0; i < 4; i++) tagged.get((x) => x > 100);
    expectFull(() => tagged.get((x) => x > 100), "FilterStore 'tagged' waiting gets", 4);
  });

  it('Container waiting puts and gets', () => {
    const sim = new Simulation({ maxQueueLength: 3 });
    const credits = new Container(sim, 10, 0, 'credits');
    for (let i = 0; i < 3; i++) credits.get(1);
    expectFull(() => credits.get(1), "Container 'credits' waiting gets", 3);
    const full = new Container(sim, 10, 10, 'buffer');
    for (let i = 0; i < 3; i++) full.put(1);
    expectFull(() => full.put(1), "Container 'buffer' waiting puts", 3);
  });

  it('a plain Deque has a cap too, named by its label, at every way of adding', () => {
    const d = new Deque<number>({ maxLength: 3, label: 'backlog' });
    d.push(1);
    d.unshift(0);
    d.insertAt(1, 5);
    expect(d.toArray()).toEqual([0, 5, 1]);
    const full = new RangeError("backlog: length must be at most 3 (the queue's cap), got 4");
    expect(() => d.push(2)).toThrow(full);
    expect(() => d.unshift(2)).toThrow(full);
    expect(() => d.insertAt(0, 2)).toThrow(full);
    d.shift();
    d.push(7); // room again after a removal
    expect(d.toArray()).toEqual([5, 1, 7]);
    expect(new Deque<number>().maxLength).toBe(DEQUE_MAX_LENGTH);
    expect(() => new Deque<number>({ maxLength: DEQUE_MAX_LENGTH + 1 })).toThrow(
      /Deque: maxLength must be an integer in \[1, 16777216\]/,
    );
  });

  it('caps are checked options', () => {
    expect(() => new Simulation({ maxQueueLength: 0 })).toThrow(/Simulation: maxQueueLength must be an integer >= 1/);
    expect(() => new Simulation({ maxPendingEvents: 2 ** 25 })).toThrow(
      /Simulation: maxPendingEvents must be an integer >= 16 and <= 16777216, got 33554432/,
    );
  });
});

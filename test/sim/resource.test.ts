// Resources, stores and containers against hand-written logs: FIFO and priority order, preemption
// with its cause, release/cancel rules, filtered gets, container levels.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.js';
import { Interrupt, type ProcessGenerator } from '../../src/sim/process.js';
import { Preempted, PreemptiveResource, PriorityResource, Resource } from '../../src/sim/resource.js';
import { FilterStore, Store } from '../../src/sim/store.js';
import { Container } from '../../src/sim/container.js';

describe('Resource', () => {
  it('serves FIFO with capacity 2', () => {
    const sim = new Simulation();
    const res = new Resource(sim, 2, 'disk');
    const log: string[] = [];
    function* user(name: string, arriveNs: number, holdNs: number): ProcessGenerator {
      yield sim.timeout(arriveNs);
      const req = res.request();
      yield req;
      log.push(`${sim.now} ${name} start`);
      yield sim.timeout(holdNs);
      res.release(req);
      log.push(`${sim.now} ${name} end`);
    }
    sim.process(user('a', 0, 10));
    sim.process(user('b', 1, 10));
    sim.process(user('c', 2, 5));
    sim.process(user('d', 3, 1));
    sim.run();
    expect(log).toEqual([
      '0 a start',
      '1 b start',
      '10 a end',
      '10 c start',
      '11 b end',
      '11 d start',
      '12 d end',
      '15 c end',
    ]);
  });

  it('PriorityResource serves lower priority values first, FIFO among equals', () => {
    const sim = new Simulation();
    const res = new PriorityResource(sim, 1);
    const order: string[] = [];
    function* user(name: string, prio: number, arriveNs: number): ProcessGenerator {
      yield sim.timeout(arriveNs);
      const req = res.request(prio);
      yield req;
      order.push(name);
      yield sim.timeout(10);
      res.release(req);
    }
    sim.process(user('first', 5, 0));
    sim.process(user('low', 9, 1));
    sim.process(user('hi-a', 1, 2));
    sim.process(user('mid', 3, 3));
    sim.process(user('hi-b', 1, 4));
    sim.run();
    expect(order).toEqual(['first', 'hi-a', 'hi-b', 'mid', 'low']);
  });

  it('PreemptiveResource evicts a worse user with a Preempted cause', () => {
    const sim = new Simulation();
    const res = new PreemptiveResource(sim, 1, 'cpu');
    const log: string[] = [];
    function* user(name: string, prio: number, arriveNs: number, workNs: number): ProcessGenerator {
      yield sim.timeout(arriveNs);
      const req = res.request(prio);
      yield req;
      log.push(`${sim.now} ${name} got`);
      try {
        yield sim.timeout(workNs);
        log.push(`${sim.now} ${name} done`);
      } catch (e) {
        if (!(e instanceof Interrupt) || !(e.cause instanceof Preempted)) throw e;
        log.push(`${sim.now} ${name} preempted by ${e.cause.by?.name ?? '?'} (held since ${e.cause.usageSinceNs})`);
      } finally {
        res.release(req); // no-op for the preempted request
      }
    }
    sim.process(user('batch', 5, 0, 100), 'batch');
    sim.process(user('urgent', 1, 10, 5), 'urgent');
    sim.process(user('peer', 5, 12, 5), 'peer'); // same priority as batch: does not preempt anyone better
    sim.run();
    expect(log).toEqual([
      '0 batch got',
      '10 batch preempted by urgent (held since 0)',
      '10 urgent got',
      '15 urgent done',
      '15 peer got',
      '20 peer done',
    ]);
  });

  it('release of a waiting request cancels it; releasing twice throws', () => {
    const sim = new Simulation();
    const res = new Resource(sim, 1);
    const r1 = res.request();
    const r2 = res.request();
    expect(res.queueLength).toBe(1);
    r2.cancel();
    expect(res.queueLength).toBe(0);
    res.release(r1);
    expect(res.count).toBe(0);
    expect(() => res.release(r1)).toThrow(/released twice/);
    expect(() => new Resource(sim, 0)).toThrow(/capacity must be an integer >= 1, got 0/);
  });
});

describe('Store', () => {
  it('bounded FIFO store blocks puts when full and gets when empty', () => {
    const sim = new Simulation();
    const st = new Store<string>(sim, 2);
    const log: string[] = [];
    function* producer(): ProcessGenerator {
      for (const x of ['a', 'b', 'c', 'd']) {
        yield st.put(x);
        log.push(`${sim.now} put ${x}`);
      }
    }
    function* consumer(): ProcessGenerator {
      yield sim.timeout(10);
      for (let i = 0; i < 4; i++) {
        const x = (yield st.get()) as string;
        log.push(`${sim.now} got ${x}`);
        yield sim.timeout(5);
      }
    }
    sim.process(producer());
    sim.process(consumer());
    sim.run();
    expect(log).toEqual(['0 put a', '0 put b', '10 got a', '10 put c', '15 got b', '15 put d', '20 got c', '25 got d']);
  });

  it('FilterStore gets the first matching item; unmatched gets keep waiting', () => {
    const sim = new Simulation();
    const st = new FilterStore<number>(sim);
    const log: string[] = [];
    function* wantEven(): ProcessGenerator {
      const x = (yield st.get((v) => v % 2 === 0)) as number;
      log.push(`${sim.now} even ${x}`);
    }
    function* wantAny(): ProcessGenerator {
      const x = (yield st.get()) as number;
      log.push(`${sim.now} any ${x}`);
    }
    sim.process(wantEven());
    sim.process(wantAny());
    sim.schedule(1, () => st.put(3));
    sim.schedule(2, () => st.put(4));
    sim.run();
    expect(log).toEqual(['1 any 3', '2 even 4']);
  });

  it('a withdrawn get never receives an item', () => {
    const sim = new Simulation();
    const st = new Store<number>(sim);
    const g1 = st.get();
    const g2 = st.get();
    g1.cancel();
    st.put(9);
    sim.run();
    expect(g1.triggered).toBe(false);
    expect(g2.value).toBe(9);
  });
});

describe('Container', () => {
  it('tracks its level and serves gets first-come first-served', () => {
    const sim = new Simulation();
    const tank = new Container(sim, 100, 10);
    const log: string[] = [];
    function* taker(name: string, amount: number): ProcessGenerator {
      yield tank.get(amount);
      log.push(`${sim.now} ${name} took ${amount} level ${tank.level}`);
    }
    sim.process(taker('big', 50));
    sim.process(taker('small', 5)); // waits behind big (head-of-line)
    sim.schedule(10, () => tank.put(30));
    sim.schedule(20, () => tank.put(30));
    sim.run();
    // both grants happen in the same settle at t=20, before either process resumes
    expect(log).toEqual(['20 big took 50 level 15', '20 small took 5 level 15']);
    expect(() => tank.put(0)).toThrow(/amount must be in \(0, capacity=100\], got 0/);
    expect(() => tank.put(101)).toThrow(/got 101/);
  });
});

describe('waking waiters (the shared WaitQueue and Event._fire)', () => {
  it('a woken waiter resumes at the current time in insertion order with other zero-delay events', () => {
    // Hand-computed order: at t=5 the callback `before` is scheduled (t=0, delay 5) before the
    // waking callback; the put, the release and the container put then queue the three woken
    // processes in that order; `after` is scheduled from inside the waking callback, so it comes last.
    const sim = new Simulation();
    const st = new Store<string>(sim);
    const res = new Resource(sim, 1, 'cpu');
    const tank = new Container(sim, 10, 0, 'tank');
    const log: string[] = [];
    function* getter(): ProcessGenerator {
      const x = (yield st.get()) as string;
      log.push(`${sim.now} getter ${x}`);
    }
    function* requester(): ProcessGenerator {
      yield res.request();
      log.push(`${sim.now} requester`);
    }
    function* taker(): ProcessGenerator {
      yield tank.get(3);
      log.push(`${sim.now} taker level ${tank.level}`);
    }
    const holder = res.request(); // granted at once, released at t=5
    expect(holder.processed).toBe(true);
    sim.process(getter());
    sim.process(requester());
    sim.process(taker());
    sim.schedule(5, () => log.push('5 before'));
    sim.schedule(5, () => {
      st.put('x');
      res.release(holder);
      tank.put(4);
      sim.schedule(0, () => log.push(`${sim.now} after`));
      log.push('5 waker done');
    });
    sim.run();
    expect(log).toEqual(['5 before', '5 waker done', '5 getter x', '5 requester', '5 taker level 1', '5 after']);
  });

  it('a put that completes at once returns the store’s shared completed put; a waiting put is its own event', () => {
    const sim = new Simulation();
    const st = new Store<number>(sim, 1, 'box');
    const p1 = st.put(1);
    expect(p1.processed).toBe(true);
    expect(p1.ok).toBe(true);
    expect(p1.item).toBeUndefined();
    const p2 = st.put(2); // full: waits
    expect(p2).not.toBe(p1);
    expect(p2.processed).toBe(false);
    expect(p2.item).toBe(2);
    expect(st.waitingPuts).toBe(1);
    expect(st.get().value).toBe(1); // frees room: the waiting put is woken (processed at this instant)
    expect(p2.triggered).toBe(true);
    sim.run();
    expect(p2.processed).toBe(true);
    expect(st.items).toEqual([2]);
    expect(st.get().value).toBe(2);
    const p3 = st.put(3);
    expect(p3).toBe(p1); // the same shared, already processed event
    p3.cancel(); // does nothing to a completed put
    expect(st.items).toEqual([3]);
    let called = 0;
    p3.addCallback(() => called++);
    expect(called).toBe(1);
  });

  it('a waiter taken off a wait queue cannot be triggered twice', () => {
    const sim = new Simulation();
    const st = new Store<number>(sim);
    const g = st.get();
    g.succeed(7); // misuse: the store still holds it as a waiting get
    expect(() => st.put(8)).toThrow(/StoreGet has already been triggered/);
  });
});

// Process semantics against hand-written expected event logs: timeouts, joins, interrupts with a
// cause, AllOf/AnyOf, failure propagation, unhandled failures and misuse.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.js';
import { Interrupt, type ProcessGenerator } from '../../src/sim/process.js';
import type { Event } from '../../src/sim/event.js';

describe('processes', () => {
  it('timeouts, values and join (a process is an event)', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* child(): ProcessGenerator<number> {
      const v = yield sim.timeout(5, 'five');
      log.push(`${sim.now} child got ${String(v)}`);
      return 42;
    }
    function* parent(): ProcessGenerator {
      const c = sim.process(child(), 'child');
      log.push(`${sim.now} parent waits`);
      const r = yield c;
      log.push(`${sim.now} parent joined ${String(r)}`);
      const again = yield c; // already processed: continues at once
      log.push(`${sim.now} joined again ${String(again)}`);
    }
    sim.process(parent(), 'parent');
    sim.run();
    expect(log).toEqual(['0 parent waits', '5 child got five', '5 parent joined 42', '5 joined again 42']);
  });

  it('interrupts carry a cause, preempt the wait, and the process may resume waiting', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* sleeper(): ProcessGenerator {
      try {
        yield sim.timeout(100);
        log.push(`${sim.now} woke normally`);
      } catch (e) {
        if (!(e instanceof Interrupt)) throw e;
        log.push(`${sim.now} interrupted: ${String(e.cause)}`);
      }
      yield sim.timeout(10);
      log.push(`${sim.now} done`);
    }
    const p = sim.process(sleeper(), 'sleeper');
    sim.schedule(30, () => p.interrupt('alarm'));
    sim.run();
    expect(log).toEqual(['30 interrupted: alarm', '40 done']);
    // the original timeout at 100 still fires but resumes nobody
    expect(sim.now).toBe(100);
    expect(() => p.interrupt('late')).toThrow(/has terminated and cannot be interrupted/);
  });

  it('an interrupt is delivered before other events at the same time (urgent)', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* waiter(): ProcessGenerator {
      try {
        yield sim.timeout(50);
        log.push('timeout');
      } catch {
        log.push(`interrupt at ${sim.now}`);
      }
    }
    const p = sim.process(waiter());
    // seq 0: the process start (t=0); seq 1: this callback (t=50); seq 2: the process's timeout (t=50,
    // created when the process starts). The callback runs first and schedules the interrupt at urgent
    // priority, which then overtakes the timeout although the timeout was scheduled earlier.
    sim.schedule(50, () => p.interrupt());
    sim.run();
    expect(log).toEqual(['interrupt at 50']);

    // and the other way round: a normal-priority callback scheduled after the timeout comes too late
    const sim2 = new Simulation();
    const log2: string[] = [];
    function* waiter2(): ProcessGenerator {
      try {
        yield sim2.timeout(50);
        log2.push('timeout');
      } catch {
        log2.push('interrupt');
      }
    }
    const p2 = sim2.process(waiter2());
    sim2.schedule(1, () => sim2.schedule(49, () => (p2.isAlive ? p2.interrupt() : log2.push('already ended'))));
    sim2.run();
    expect(log2).toEqual(['timeout', 'already ended']);
  });

  it('AllOf waits for all and yields their values; AnyOf for the first', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* body(): ProcessGenerator {
      const a = sim.timeout(10, 'a');
      const b = sim.timeout(20, 'b');
      const all = (yield sim.allOf([a, b])) as Map<Event, unknown>;
      log.push(`${sim.now} all ${[...all.values()].join(',')}`);
      const c = sim.timeout(5, 'c');
      const d = sim.timeout(3, 'd');
      const any = (yield sim.anyOf([c, d])) as Map<Event, unknown>;
      log.push(`${sim.now} any ${[...any.values()].join(',')}`);
      const empty = (yield sim.allOf([])) as Map<Event, unknown>;
      log.push(`${sim.now} empty ${empty.size}`);
    }
    sim.process(body());
    sim.run();
    expect(log).toEqual(['20 all a,b', '23 any d', '23 empty 0']);
  });

  it('failures propagate into the waiting process, and a failed child fails an AllOf', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* failing(): ProcessGenerator {
      yield sim.timeout(4);
      throw new Error('disk on fire');
    }
    function* parent(): ProcessGenerator {
      try {
        yield sim.process(failing(), 'child');
      } catch (e) {
        log.push(`${sim.now} caught ${(e as Error).message}`);
      }
      const ev = sim.event();
      sim.schedule(3, () => ev.fail(new Error('boom')));
      try {
        yield sim.allOf([sim.timeout(10), ev]);
      } catch (e) {
        log.push(`${sim.now} allOf failed ${(e as Error).message}`);
      }
    }
    sim.process(parent(), 'parent');
    sim.run();
    expect(log).toEqual(['4 caught disk on fire', '7 allOf failed boom']);
  });

  it('an unhandled failure stops the run naming the process and the time', () => {
    const sim = new Simulation();
    function* bad(): ProcessGenerator {
      yield sim.timeout(2_500_000);
      throw new Error('invariant broken');
    }
    sim.process(bad(), 'cpu-hog');
    expect(() => sim.run()).toThrow(/unhandled failure of process 'cpu-hog': invariant broken \(at t = 2.5 ms\)/);
  });

  it('misuse fails loudly: yielding a non-event, triggering twice, interrupting oneself', () => {
    const sim = new Simulation();
    function* yieldsNumber(): Generator<unknown, void, unknown> {
      yield 5;
    }
    sim.process(yieldsNumber() as unknown as ProcessGenerator, 'numbers');
    expect(() => sim.run()).toThrow(/process 'numbers' yielded the number 5, which is not an event/);

    const sim2 = new Simulation();
    const ev = sim2.event();
    ev.succeed(1);
    expect(() => ev.succeed(2)).toThrow(/already been triggered/);
    expect(() => ev.fail(new Error('x'))).toThrow(/already been triggered/);

    const sim3 = new Simulation();
    function* selfish(): ProcessGenerator {
      yield sim3.timeout(1);
      self.interrupt('me');
    }
    const self = sim3.process(selfish(), 'selfish');
    expect(() => sim3.run()).toThrow(/cannot interrupt itself/);
    expect(() => sim3.process((() => 1) as unknown as ProcessGenerator)).toThrow(/expected a generator object/);
  });

  it('yielding an event of another simulation fails, whether it is pending or already processed', () => {
    for (const processed of [false, true]) {
      const other = new Simulation();
      const foreign = other.event<number>();
      if (processed) {
        foreign.succeed(1);
        other.run();
      }
      const sim = new Simulation();
      let after = false;
      function* borrower(): ProcessGenerator {
        yield sim.timeout(3);
        yield foreign;
        after = true;
      }
      sim.process(borrower(), 'borrower');
      expect(() => sim.run()).toThrow(/process 'borrower' yielded an event of another simulation \(at t = 3 ns\)/);
      expect(after).toBe(false);
      expect(foreign._w0).toBe(null); // it did not become a waiter of the foreign event
    }
  });
  it('a body that is an iterator but not a generator object runs the same (through delegation)', () => {
    // a hand-written iterator with the generator protocol: waits 5 ns, then 7 ns (or records an
    // interrupt thrown into it), then returns the sum of the values it was resumed with
    const run = (interruptAt: number | null): { log: string[]; value: unknown } => {
      const sim = new Simulation();
      const log: string[] = [];
      let step = 0;
      const it = {
        next(v: unknown): IteratorResult<Event<unknown>, string> {
          log.push(`next(${String(v)}) at ${sim.now}`);
          step++;
          if (step === 1) return { done: false, value: sim.timeout(5, 'a') };
          if (step === 2) return { done: false, value: sim.timeout(7, 'b') };
          return { done: true, value: 'done' };
        },
        throw(e: unknown): IteratorResult<Event<unknown>, string> {
          log.push(`throw(${e instanceof Interrupt ? 'Interrupt' : String(e)}) at ${sim.now}`);
          return { done: true, value: 'interrupted' };
        },
        return(v: string): IteratorResult<Event<unknown>, string> {
          return { done: true, value: v };
        },
        [Symbol.iterator]() {
          return this;
        },
      } as unknown as ProcessGenerator<string>;
      const p = sim.process(it, 'hand-written');
      if (interruptAt !== null) sim.scheduleAt(interruptAt, () => p.interrupt('stop'));
      sim.run();
      return { log, value: p.value };
    };
    expect(run(null)).toEqual({
      log: ['next(undefined) at 0', 'next(a) at 5', 'next(b) at 12'],
      value: 'done',
    });
    expect(run(8)).toEqual({
      log: ['next(undefined) at 0', 'next(a) at 5', 'throw(Interrupt) at 8'],
      value: 'interrupted',
    });
  });

  it('a process interrupted before it starts fails with the Interrupt', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* never(): ProcessGenerator {
      log.push('started');
      yield sim.timeout(1);
    }
    function* watcher(p: Event): ProcessGenerator {
      try {
        yield p;
      } catch (e) {
        log.push(`watcher saw ${(e as Error).name}`);
      }
    }
    const p = sim.process(never(), 'never');
    sim.process(watcher(p), 'watcher');
    p.interrupt('early');
    sim.run();
    expect(log).toEqual(['watcher saw Interrupt']);
  });

  it('event callbacks run on processing, immediately if already processed', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const ev = sim.event<number>();
    ev.addCallback((e) => log.push(`cb1 ${e.value}`));
    sim.schedule(2, () => ev.succeed(7));
    sim.run();
    ev.addCallback((e) => log.push(`cb2 ${e.value}`));
    expect(log).toEqual(['cb1 7', 'cb2 7']);
  });
});

describe('sim.sleep (allocation-free timeout)', () => {
  it('resumes after the delay, interleaving with timeouts in time and insertion order', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* a(): ProcessGenerator {
      yield sim.sleep(10);
      log.push(`${sim.now} a`);
      yield sim.sleep(0);
      log.push(`${sim.now} a0`);
    }
    function* b(): ProcessGenerator {
      yield sim.timeout(10);
      log.push(`${sim.now} b`);
    }
    sim.process(a());
    sim.process(b());
    sim.run();
    expect(log).toEqual(['10 a', '10 b', '10 a0']);
  });

  it('an interrupt cancels the sleep', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* sleeper(): ProcessGenerator {
      try {
        yield sim.sleep(100);
      } catch (e) {
        log.push(`${sim.now} ${(e as Interrupt).cause as string}`);
      }
      yield sim.sleep(5);
      log.push(`${sim.now} end`);
    }
    const p = sim.process(sleeper());
    sim.schedule(20, () => p.interrupt('wake'));
    sim.run();
    expect(log).toEqual(['20 wake', '25 end']);
    expect(sim.now).toBe(25); // the cancelled wake-up at 100 is gone
  });

  it('misuse fails loudly', () => {
    const sim = new Simulation();
    expect(() => sim.sleep(-1)).toThrow(/sleep: delayNs must be a non-negative integer/);
    const inProcess = (misuse: () => unknown, message: RegExp): void => {
      const s = new Simulation();
      function* body(): ProcessGenerator {
        yield misuse.call(s) as never;
      }
      // `misuse` reads the simulation through `this`
      s.process(body(), 'misuser');
      expect(() => s.run()).toThrow(message);
    };
    inProcess(function (this: Simulation) {
      return this.allOf([this.sleep(1)]);
    }, /cannot be used in a condition/);
    inProcess(function (this: Simulation) {
      this.sleep(1).addCallback(() => {});
    }, /can only be yielded directly/);
  });
});

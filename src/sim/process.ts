// Generator processes (SimPy style). A process wraps a generator that yields events; it is resumed
// with each event's value (or has the event's error thrown at its `yield`). A process is itself an
// event: it succeeds with the generator's return value or fails with the error that escaped it, so
// other processes can `yield` it to join. Interrupts throw an `Interrupt` carrying a cause into the
// process at its current `yield` (scheduled at urgent priority, before other events at that time).
//
// A process starts at the time it is created, after the events already scheduled for that time.
// Its body is normally a generator object; any other iterator with the generator protocol runs
// behind a generator that delegates to it (yield*), so the engine only ever resumes generators.
// Yielding an event that is already processed continues at once with its value.
// `yield sim.sleep(delayNs)` is a plain timeout that allocates nothing: the process schedules its
// own resumption directly on the event queue. The token may only be made by the running process and
// yielded at once: a second sim.sleep() before the first token is yielded, a token yielded twice, a
// sim.sleep() followed by another yield or a return, and triggering the token all throw.
import { SimulationError } from './errors.js';
import { Event, EventState, type Waiter } from './event.js';
import { Priority, type Handle } from './queue.js';
import type { Simulation } from './simulation.js';

/** The generator type of a process body returning `R`. `yield` evaluates to the event's value (unknown). */
export type ProcessGenerator<R = void> = Generator<Event<unknown>, R, unknown>;

/** Thrown into a process by `Process.interrupt(cause)`. */
export class Interrupt extends Error {
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super(`interrupted${cause === undefined ? '' : `: ${cause instanceof Error ? cause.message : String(cause)}`}`);
    this.name = 'Interrupt';
    this.cause = cause;
  }
}

/**
 * `next` of every generator object (%GeneratorPrototype%.next). A process calls it through `call`:
 * each body's generator objects have their own hidden class, so a `gen.next` lookup in _step is
 * polymorphic (megamorphic in a model with many kinds of process), while this call has one known
 * target (pingpong bench: +6–7%).
 */
const generatorNext = (Object.getPrototypeOf(function* () {}) as { prototype: { next: GeneratorNext } }).prototype.next;
type GeneratorNext = (this: ProcessGenerator<unknown>, value: unknown) => IteratorResult<Event<unknown>, unknown>;

/** A generator object that runs `it` (any iterator with the generator protocol) by delegation. */
function* delegateTo<R>(it: ProcessGenerator<R>): ProcessGenerator<R> {
  return yield* { [Symbol.iterator]: () => it };
}

interface InterruptRequest {
  readonly process: Process<unknown>;
  readonly cause: unknown;
}

function startProcess(p: Process<unknown>): void {
  p._startHandle = -1;
  p._step(true, undefined);
}

function wakeFromSleep(p: Process<unknown>): void {
  p._target = null;
  p._sleepHandle = -1;
  p._step(true, undefined);
}

function deliverInterrupt(req: InterruptRequest): void {
  const p = req.process;
  if (p._state !== EventState.pending) return; // it ended meanwhile
  if (p._startHandle >= 0) {
    p.sim.cancel(p._startHandle);
    p._startHandle = -1;
  }
  if (p._sleepHandle >= 0) {
    p.sim.cancel(p._sleepHandle);
    p._sleepHandle = -1;
  } else if (p._target !== null) {
    p._target._removeWaiter(p);
  }
  p._target = null;
  p._step(false, new Interrupt(req.cause));
}

export class Process<R = unknown> extends Event<R> implements Waiter {
  private readonly givenName: string | undefined;
  /** Sequence number of the process in its simulation (names default to `process-<id>`). */
  readonly id: number;
  private readonly gen: ProcessGenerator<R>;
  /** @internal the event it waits for (the sleep token while sleeping) */ _target: Event<unknown> | null = null;
  /** @internal handle of the pending start, -1 once started */ _startHandle: Handle;
  /** @internal handle of the pending wake-up while in sim.sleep, else -1 */ _sleepHandle: Handle = -1;

  constructor(sim: Simulation, gen: ProcessGenerator<R>, id: number, name?: string) {
    super(sim);
    this.givenName = name;
    this.id = id;
    if (gen === null || typeof gen !== 'object' || typeof (gen as { next?: unknown }).next !== 'function') {
      throw new SimulationError(
        `process '${this.name}': expected a generator object (call the generator function: sim.process(body()))`,
        sim.now,
      );
    }
    // an iterator that is not a generator object runs behind one that delegates to it (yield*)
    this.gen = gen.next === generatorNext ? gen : delegateTo(gen);
    this._startHandle = sim._schedule(sim.now, Priority.normal, startProcess, this as Process<unknown>);
  }

  get name(): string {
    return this.givenName ?? `process-${this.id}`;
  }

  /** True until the body returns or throws. */
  get isAlive(): boolean {
    return this._state === EventState.pending;
  }

  /** The event the process is waiting for (null if running or not started). */
  get target(): Event<unknown> | null {
    return this._target;
  }

  override describe(): string {
    return `process '${this.name}'`;
  }

  /** Throws `Interrupt(cause)` into the process at its current yield, at the current time. */
  interrupt(cause?: unknown): void {
    if (this._state !== EventState.pending) {
      throw new SimulationError(`${this.describe()} has terminated and cannot be interrupted`, this.sim.now);
    }
    if (this.sim._active === this) {
      throw new SimulationError(`${this.describe()} cannot interrupt itself`, this.sim.now);
    }
    const req: InterruptRequest = { process: this as Process<unknown>, cause };
    this.sim.schedule(0, deliverInterrupt, req, Priority.urgent);
  }

  /** @internal Resumes the process with a processed event. */
  _resume(ev: Event<unknown>): void {
    this._target = null;
    if (!ev._ok) ev.defused = true;
    this._step(ev._ok, ev._value);
  }

  /** @internal Runs the body until it waits on an unprocessed event or ends. */
  _step(ok: boolean, value: unknown): void {
    const sim = this.sim;
    const gen = this.gen;
    const previous = sim._active;
    sim._active = this as Process<unknown>;
    for (;;) {
      let r: IteratorResult<Event<unknown>, R>;
      try {
        r = ok ? (generatorNext.call(gen, value) as IteratorResult<Event<unknown>, R>) : gen.throw(value);
      } catch (err) {
        sim._active = previous;
        if (sim._sleepOwner === this) sim._sleepOwner = null;
        this._trigger(false, err);
        return;
      }
      const next = r.value;
      if (next === sim._sleepToken) {
        // the token stands for the delay of this process's last sim.sleep() call, yielded at once
        if (sim._sleepOwner !== this) this.sleepTokenReused(previous);
        sim._sleepOwner = null;
        this._target = sim._sleepToken;
        this._sleepHandle = sim._schedule(
          sim.now + sim._sleepNs,
          Priority.normal,
          wakeFromSleep,
          this as Process<unknown>,
        );
        sim._active = previous;
        return;
      }
      if (sim._sleepOwner !== null) this.sleepTokenDropped(previous, r.done === true);
      if (r.done === true) {
        sim._active = previous;
        // nobody waits yet: complete at once (a later joiner continues immediately)
        if (this._w0 === null) this._completeNow(r.value);
        else this._trigger(true, r.value);
        return;
      }
      // one branch, its messages built out of line: inline throw paths cost the pingpong bench 5%
      if (!(next instanceof Event) || next.sim !== sim) this.badYield(next, previous);
      if (next._state === EventState.processed) {
        ok = next._ok;
        value = next._value;
        if (!ok) next.defused = true;
        continue;
      }
      next._addWaiter(this as Process<unknown>);
      this._target = next;
      sim._active = previous;
      return;
    }
  }

  private badYield(next: unknown, previous: Process<unknown> | null): never {
    this.sim._active = previous;
    if (!(next instanceof Event)) {
      throw new SimulationError(
        `${this.describe()} yielded ${describeValue(next)}, which is not an event (yield sim.timeout(ns), an event, a process, a request or a condition)`,
        this.sim.now,
      );
    }
    throw new SimulationError(`${this.describe()} yielded an event of another simulation`, this.sim.now);
  }

  private sleepTokenReused(previous: Process<unknown> | null): never {
    this.sim._active = previous;
    throw new SimulationError(
      `${this.describe()} yielded a sim.sleep() token that was already used or made by another process; call sim.sleep(delayNs) for each wait and yield it at once`,
      this.sim.now,
    );
  }

  private sleepTokenDropped(previous: Process<unknown> | null, returned: boolean): never {
    const sim = this.sim;
    sim._active = previous;
    sim._sleepOwner = null;
    throw new SimulationError(
      `${this.describe()} called sim.sleep() and then ${returned ? 'returned' : 'yielded something else'} without yielding the token; yield sim.sleep(delayNs) at once`,
      sim.now,
    );
  }
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'object') return `an object of type ${(v as object).constructor?.name ?? 'Object'}`;
  return `a ${typeof v}`;
}

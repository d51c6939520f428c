// The simulation: clock (integer ns), event queue and the two styles of model code.
//
// - Callback style (hot paths): `schedule(delayNs, fn, arg)` / `scheduleAt(timeNs, fn, arg)` return a
//   handle for `cancel`. No allocation per scheduled callback.
// - Process style (workloads): `process(body())`, `timeout(delayNs)`, `event()`, `allOf`, `anyOf`,
//   and the resources in resource.ts, store.ts, container.ts.
//
// `run()` runs until nothing is pending; `run(untilNs)` processes every event before `untilNs` and
// leaves the clock at `untilNs` (events at exactly `untilNs` stay pending, as in SimPy);
// `run(event)` runs until that event is processed and returns its value (throws its error).
// `step()` processes one event; `stop()` ends the current `run` after the running callback.
// Delays and times must be non-negative integer nanoseconds; anything else throws at the call.
import { SimulationError } from './errors.js';
import { allOfRule, anyOfRule, Condition, Event, EventState, SleepToken, Timeout } from './event.js';
import { Process, type ProcessGenerator } from './process.js';
import { EventQueue, MAX_PRIORITY, MIN_PRIORITY, Priority, type Callback, type Handle } from './queue.js';
import { formatNs } from './time.js';
import type { Tracer } from './tracer.js';

export interface SimulationOptions {
  /** Optional tracer; models record through `sim.tracer?.record(...)`, which costs nothing when null. */
  readonly tracer?: Tracer | null;
  /** Initial capacity of the event queue (it grows as needed). */
  readonly queueCapacity?: number;
}

export class Simulation {
  readonly queue: EventQueue;
  readonly tracer: Tracer | null;
  /** Events (callbacks) processed so far. */
  eventsProcessed = 0;
  /** The process whose body is running, or null. */
  activeProcess: Process<unknown> | null = null;
  private stopped = false;
  private running = false;
  private processCount = 0;
  /** @internal the token returned by sleep() and the delay it stands for */
  readonly _sleepToken: SleepToken;
  /** @internal */ _sleepNs = 0;

  constructor(options: SimulationOptions = {}) {
    this.queue = new EventQueue(options.queueCapacity ?? 1024);
    this.tracer = options.tracer ?? null;
    this._sleepToken = new SleepToken(this);
  }

  /** Current simulated time in integer nanoseconds. */
  get now(): number {
    return this.queue.now;
  }

  /** Number of pending events. */
  get pending(): number {
    return this.queue.size;
  }

  // ---- callback style ----

  /** Calls `fn(arg)` after `delayNs` (a non-negative integer). Lower `priority` fires first among equal times. */
  schedule<A>(delayNs: number, fn: Callback<A>, arg?: A, priority: number = Priority.normal): Handle {
    if (!(delayNs >= 0) || !Number.isSafeInteger(delayNs)) {
      throw new SimulationError(`schedule: delayNs must be a non-negative integer number of nanoseconds, got ${delayNs}`, this.queue.now);
    }
    if (priority !== Priority.normal) checkPriority(priority, this.queue.now);
    return this.queue.push(this.queue.now + delayNs, priority, fn, arg as A);
  }

  /** Calls `fn(arg)` at absolute time `timeNs` (an integer, not in the past). */
  scheduleAt<A>(timeNs: number, fn: Callback<A>, arg?: A, priority: number = Priority.normal): Handle {
    if (!(timeNs >= this.queue.now) || !Number.isSafeInteger(timeNs)) {
      throw new SimulationError(
        `scheduleAt: timeNs must be an integer number of nanoseconds not before now (${this.queue.now}), got ${timeNs}`,
        this.queue.now,
      );
    }
    if (priority !== Priority.normal) checkPriority(priority, this.queue.now);
    return this.queue.push(timeNs, priority, fn, arg as A);
  }

  /** Cancels a scheduled callback; harmless if it already fired or was cancelled. Returns whether it was pending. */
  cancel(handle: Handle): boolean {
    return this.queue.cancel(handle);
  }

  /** Time of the next pending event, or Infinity. */
  peek(): number {
    return this.queue.peek();
  }

  // ---- running ----

  /** Processes one event. Returns false when nothing is pending. */
  step(): boolean {
    const q = this.queue;
    const slot = q.pop(Infinity);
    if (slot < 0) return false;
    const fn = q.fns[slot] as (arg: unknown) => void;
    const arg = q.args[slot];
    q.release(slot);
    this.eventsProcessed++;
    fn(arg);
    return true;
  }

  /** Ends the current `run` once the running callback returns. */
  stop(): void {
    this.stopped = true;
  }

  run(until?: number | Event<unknown>): unknown {
    if (this.running) throw new SimulationError('run: the simulation is already running (run was called from model code)', this.now);
    let limit = Infinity;
    let target: Event<unknown> | null = null;
    if (typeof until === 'number') {
      if (!(until >= this.now) || !Number.isSafeInteger(until)) {
        throw new SimulationError(`run: until must be an integer time in ns not before now (${this.now}), got ${until}`, this.now);
      }
      limit = until;
    } else if (until instanceof Event) {
      if (until.sim !== this) throw new SimulationError('run: the until event belongs to another simulation', this.now);
      if (until instanceof SleepToken) throw new SimulationError('run: until cannot be a sleep token; use sim.timeout()', this.now);
      target = until;
      if (target._state === EventState.processed) return target.value;
      target._addWaiter({ _resume: () => this.stop() });
    } else if (until !== undefined) {
      throw new SimulationError(`run: until must be a time in ns or an event, got ${String(until)}`, this.now);
    }
    this.stopped = false;
    this.running = true;
    const q = this.queue;
    const fns = q.fns;
    const args = q.args;
    let count = 0;
    try {
      while (!this.stopped) {
        const slot = q.pop(limit);
        if (slot < 0) break;
        const fn = fns[slot] as (arg: unknown) => void;
        const arg = args[slot];
        q.release(slot);
        count++;
        fn(arg);
      }
    } finally {
      this.eventsProcessed += count;
      this.running = false;
    }
    if (limit !== Infinity && !this.stopped) q.now = limit;
    this.stopped = false;
    if (target !== null) {
      if (target._state !== EventState.processed) {
        throw new SimulationError(`run(until=${target.describe()}): no events left before it was triggered`, this.now);
      }
      return target.value;
    }
    return undefined;
  }

  // ---- process style ----

  /** Starts a process from a generator object: `sim.process(customer(sim, res), 'customer-1')`. */
  process<R>(body: ProcessGenerator<R>, name?: string): Process<R> {
    return new Process<R>(this, body, ++this.processCount, name);
  }

  /**
   * A plain timeout for processes that allocates nothing: `yield sim.sleep(delayNs)` resumes the
   * process after `delayNs` (non-negative integer) with value undefined. Yield the result at once;
   * it cannot be stored, reused, given callbacks or put into allOf/anyOf (use `timeout` for that).
   */
  sleep(delayNs: number): Event<undefined> {
    if (!(delayNs >= 0) || !Number.isSafeInteger(delayNs)) {
      throw new SimulationError(`sleep: delayNs must be a non-negative integer number of nanoseconds, got ${delayNs}`, this.queue.now);
    }
    this._sleepNs = delayNs;
    return this._sleepToken;
  }

  /** An event that succeeds after `delayNs` (non-negative integer) with `value`. */
  timeout<T = undefined>(delayNs: number, value?: T): Timeout<T> {
    return new Timeout<T>(this, delayNs, value);
  }

  /** A fresh pending event, to be triggered with succeed/fail. */
  event<T = unknown>(): Event<T> {
    return new Event<T>(this);
  }

  /** Met when all events have succeeded; fails as soon as one fails. */
  allOf(events: readonly Event<unknown>[]): Condition {
    return new Condition(this, 'AllOf', allOfRule, events);
  }

  /** Met when any event has succeeded; fails if the first to be processed failed. */
  anyOf(events: readonly Event<unknown>[]): Condition {
    return new Condition(this, 'AnyOf', anyOfRule, events);
  }

  /** Current time as text, for messages. */
  formatNow(): string {
    return formatNs(this.now);
  }
}

function checkPriority(priority: number, nowNs: number): void {
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    throw new SimulationError(`schedule: priority must be an integer in [${MIN_PRIORITY}, ${MAX_PRIORITY}], got ${priority}`, nowNs);
  }
}

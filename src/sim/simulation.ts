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
// `step()` processes one event (only from outside a run, never from model code); `stop()` ends the
// current `run` after the running callback.
// Delays and times must be non-negative integer nanoseconds; anything else throws a RangeError at the
// call (argument checks: src/sim/check.ts). Misuse of the engine's state throws a SimulationError.
//
// The event queue is private: model code schedules through `schedule`/`scheduleAt` and the process
// API; the engine itself through the internal calls `_schedule` and `_scheduleNow`. The clock only moves forward.
//
// Bounds (SimulationOptions, each checked off the per-event fast path):
// - maxEventsPerInstant (default DEFAULT_MAX_EVENTS_PER_INSTANT = 10^7): a run that processes more
//   events than this at one simulated time without the clock advancing stops with a SimulationError
//   naming the time and the owner of the last event (a process's name or the callback's function
//   name). Legitimate models process a few events per instant; a closed loop with all delays zero
//   never ends without it. The cost is one comparison per event (a counter bumped while time stands).
// - maxPendingEvents (default and largest MAX_PENDING_EVENTS = 2^24): the event queue's cap.
// - maxQueueLength (default DEFAULT_MAX_QUEUE_LENGTH = 10^7): the cap of each wait queue and item
//   queue of the Resources, Stores and Containers of this simulation; reaching it throws a
//   QueueFullError naming the resource (by the name the model gave it) and the queue.
import { checkInt, rangeFail } from './check.js';
import { DEQUE_MAX_LENGTH } from './deque.js';
import { SimulationError } from './errors.js';
import { allOfRule, anyOfRule, Condition, Event, EventState, SleepToken, Timeout } from './event.js';
import { Process, type ProcessGenerator } from './process.js';
import { checkPriority, EventQueue, MAX_PENDING_EVENTS, Priority, type Callback, type Handle } from './queue.js';
import { formatNs } from './time.js';
import type { Tracer } from './tracer.js';

/** Default of SimulationOptions.maxEventsPerInstant. */
export const DEFAULT_MAX_EVENTS_PER_INSTANT = 10_000_000;
/** Default of SimulationOptions.maxQueueLength. */
export const DEFAULT_MAX_QUEUE_LENGTH = 10_000_000;

export interface SimulationOptions {
  /** Optional tracer; models record through `sim.tracer?.record(...)`, which costs nothing when null. */
  readonly tracer?: Tracer | null;
  /** Initial capacity of the event queue (it grows as needed). */
  readonly queueCapacity?: number;
  /** Most events processed at one simulated time before the run stops with an error (see header). */
  readonly maxEventsPerInstant?: number;
  /** Cap of the event queue (pending events), at most MAX_PENDING_EVENTS. */
  readonly maxPendingEvents?: number;
  /** Cap of every wait/item queue of this simulation's Resources, Stores and Containers. */
  readonly maxQueueLength?: number;
}

export class Simulation {
  readonly #queue: EventQueue;
  readonly tracer: Tracer | null;
  /** Most events processed at one instant (SimulationOptions.maxEventsPerInstant). */
  readonly maxEventsPerInstant: number;
  /** Cap of each Resource/Store/Container queue (SimulationOptions.maxQueueLength). */
  readonly maxQueueLength: number;
  /** @internal events processed before the current run */ private processed = 0;
  /** @internal the process whose body is running */ _active: Process<unknown> | null = null;
  private stopped = false;
  /** True while run() or step() dispatches an event. */
  private running = false;
  private processCount = 0;
  /** time of the current instant and events processed at it (for maxEventsPerInstant) */
  private instantNs = -1;
  private instantCount = 0;
  /** @internal the token returned by sleep() and the delay it stands for */
  readonly _sleepToken: SleepToken;
  /** @internal */ _sleepNs = 0;
  /** @internal the process that called sleep() and has not yet yielded the token, or null */
  _sleepOwner: Process<unknown> | null = null;

  constructor(options: SimulationOptions = {}) {
    const where = 'Simulation';
    this.maxEventsPerInstant = checkInt(
      where,
      'maxEventsPerInstant',
      options.maxEventsPerInstant ?? DEFAULT_MAX_EVENTS_PER_INSTANT,
      1,
    );
    this.maxQueueLength = checkInt(
      where,
      'maxQueueLength',
      options.maxQueueLength ?? DEFAULT_MAX_QUEUE_LENGTH,
      1,
      DEQUE_MAX_LENGTH,
    );
    const maxPending = checkInt(
      where,
      'maxPendingEvents',
      options.maxPendingEvents ?? MAX_PENDING_EVENTS,
      16,
      MAX_PENDING_EVENTS,
    );
    const capacity = checkInt(where, 'queueCapacity', options.queueCapacity ?? 1024, 0);
    this.#queue = new EventQueue(capacity, maxPending);
    this.tracer = options.tracer ?? null;
    this._sleepToken = new SleepToken(this);
  }

  /** Current simulated time in integer nanoseconds. */
  get now(): number {
    return this.#queue.now;
  }

  /** Number of pending events. */
  get pending(): number {
    return this.#queue.size;
  }

  /** Events (callbacks) processed so far. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** The process whose body is running, or null. */
  get activeProcess(): Process<unknown> | null {
    return this._active;
  }

  /**
   * @internal The engine's one way onto the event queue (events, timeouts, processes): no argument
   * checks, the callers guarantee `timeNs >= now` (an integer) and a valid priority.
   */
  _schedule<A>(timeNs: number, priority: number, fn: Callback<A>, arg: A): Handle {
    return this.#queue.push(timeNs, priority, fn, arg);
  }

  /** @internal `_schedule(now, Priority.normal, fn, arg)` without a handle (triggered events). */
  _scheduleNow<A>(fn: Callback<A>, arg: A): void {
    this.#queue.pushNow(fn, arg);
  }

  // ---- callback style ----

  /** Calls `fn(arg)` after `delayNs` (a non-negative integer). Lower `priority` fires first among equal times. */
  schedule<A>(delayNs: number, fn: Callback<A>, arg?: A, priority: number = Priority.normal): Handle {
    if (!(delayNs >= 0) || !Number.isSafeInteger(delayNs)) checkDelay('schedule', delayNs);
    if (priority !== Priority.normal) checkPriority('schedule', priority);
    if (typeof fn !== 'function') rangeFail('schedule', 'fn', 'a function', fn);
    const q = this.#queue;
    return q.push(q.now + delayNs, priority, fn, arg as A);
  }

  /** Calls `fn(arg)` at absolute time `timeNs` (an integer, not in the past). */
  scheduleAt<A>(timeNs: number, fn: Callback<A>, arg?: A, priority: number = Priority.normal): Handle {
    const q = this.#queue;
    if (!(timeNs >= q.now) || !Number.isSafeInteger(timeNs)) {
      rangeFail('scheduleAt', 'timeNs', `an integer number of nanoseconds not before now (${q.now})`, timeNs);
    }
    if (priority !== Priority.normal) checkPriority('scheduleAt', priority);
    if (typeof fn !== 'function') rangeFail('scheduleAt', 'fn', 'a function', fn);
    return q.push(timeNs, priority, fn, arg as A);
  }

  /** Cancels a scheduled callback; harmless if it already fired or was cancelled. Returns whether it was pending. */
  cancel(handle: Handle): boolean {
    return this.#queue.cancel(handle);
  }

  /** Time of the next pending event, or Infinity. */
  peek(): number {
    return this.#queue.peek();
  }

  // ---- running ----

  /**
   * Processes one event. Returns false when nothing is pending. Only from outside the simulation:
   * called from a running callback or process it would run a later event in the middle of the
   * current one, so it throws.
   */
  step(): boolean {
    if (this.running) {
      throw new SimulationError(
        'step: called while an event is being processed (from model code); only call step() from outside run()',
        this.now,
      );
    }
    const q = this.#queue;
    const fn = q.pop(Infinity);
    if (fn === null) return false;
    const arg = q.arg;
    if (q.now !== this.instantNs) {
      this.instantNs = q.now;
      this.instantCount = 1;
    } else if (++this.instantCount > this.maxEventsPerInstant) this.tooManyAtInstant(fn, arg);
    this.processed++;
    this.running = true;
    try {
      fn(arg);
    } finally {
      this.running = false;
    }
    return true;
  }

  /** Ends the current `run` once the running callback returns. */
  stop(): void {
    this.stopped = true;
  }

  run(until?: number | Event<unknown>): unknown {
    if (this.running)
      throw new SimulationError('run: the simulation is already running (run was called from model code)', this.now);
    let limit = Infinity;
    let target: Event<unknown> | null = null;
    if (typeof until === 'number') {
      if (!(until >= this.now) || !Number.isSafeInteger(until)) {
        rangeFail('run', 'until', `an integer time in ns not before now (${this.now})`, until);
      }
      limit = until;
    } else if (until instanceof Event) {
      if (until.sim !== this) throw new SimulationError('run: the until event belongs to another simulation', this.now);
      if (until instanceof SleepToken)
        throw new SimulationError('run: until cannot be a sleep token; use sim.timeout()', this.now);
      target = until;
      if (target._state === EventState.processed) return target.value;
      target._addWaiter({ _resume: () => this.stop() });
    } else if (until !== undefined) {
      rangeFail('run', 'until', 'a time in ns or an event', until);
    }
    this.stopped = false;
    this.running = true;
    const q = this.#queue;
    const maxAtInstant = this.maxEventsPerInstant;
    let instant = this.instantNs;
    let atInstant = this.instantCount;
    let count = 0;
    try {
      while (!this.stopped) {
        const fn = q.pop(limit);
        if (fn === null) break;
        const arg = q.arg;
        if (q.now !== instant) {
          instant = q.now;
          atInstant = 1;
        } else if (++atInstant > maxAtInstant) this.tooManyAtInstant(fn, arg);
        count++;
        fn(arg);
      }
    } finally {
      this.processed += count;
      this.instantNs = instant;
      this.instantCount = atInstant;
      this.running = false;
    }
    if (limit !== Infinity && !this.stopped) q.advanceTo(limit);
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
   * process after `delayNs` (non-negative integer) with value undefined. Only from inside a running
   * process, and yield the result at once: it cannot be stored, reused, triggered, given callbacks or
   * put into allOf/anyOf (use `timeout` for that); each misuse throws a SimulationError.
   */
  sleep(delayNs: number): Event<undefined> {
    if (!(delayNs >= 0) || !Number.isSafeInteger(delayNs)) checkDelay('sleep', delayNs);
    const p = this._active;
    if (p === null || this._sleepOwner !== null) this.sleepMisuse(p);
    this._sleepOwner = p;
    this._sleepNs = delayNs;
    return this._sleepToken;
  }

  private sleepMisuse(p: Process<unknown> | null): never {
    if (p === null) {
      throw new SimulationError(
        'sim.sleep() called outside a running process; yield it from a process body, or use sim.timeout() or schedule()',
        this.now,
      );
    }
    this._sleepOwner = null;
    throw new SimulationError(
      `sim.sleep() called twice by ${p.describe()} before the first token was yielded; two tokens cannot be outstanding (yield each at once, or use sim.timeout())`,
      this.now,
    );
  }

  /** Stops the run: too many events at one instant (see maxEventsPerInstant in the header). */
  private tooManyAtInstant(fn: (arg: unknown) => void, arg: unknown): never {
    throw new SimulationError(
      `run: more than ${this.maxEventsPerInstant} events processed at one instant without the clock advancing ` +
        `(Simulation option maxEventsPerInstant); the last was ${describeOwner(fn, arg)}. ` +
        'A model whose delays are all zero in a closed loop never ends: check its parameters',
      this.now,
    );
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

function checkDelay(where: string, delayNs: number): never {
  return rangeFail(where, 'delayNs', 'a non-negative integer number of nanoseconds', delayNs);
}

/** Who an event belongs to, for messages: a process's name, an event's description or a function name. */
function describeOwner(fn: (arg: unknown) => void, arg: unknown): string {
  if (arg instanceof Process) return arg.describe();
  if (arg instanceof Event) {
    const w = arg._w0;
    return w instanceof Process ? `${arg.describe()} awaited by ${w.describe()}` : arg.describe();
  }
  if (typeof arg === 'object' && arg !== null && (arg as { process?: unknown }).process instanceof Process) {
    return `an interrupt of ${(arg as { process: Process<unknown> }).process.describe()}`;
  }
  return `callback ${fn.name === '' ? '(anonymous function)' : `'${fn.name}'`}`;
}

// Events of the process-style API: a one-shot occurrence that succeeds with a value or fails with an
// error, and the things that wait for it (processes, conditions, callbacks). Times are integer ns.
//
// Life cycle: PENDING → TRIGGERED (succeed/fail: processing is put on the event queue at the current
// time) → PROCESSED (its waiters have been resumed, in the order they started waiting).
// A failure that nobody waits for and nobody defused stops the run with an error naming the event
// (for a process, its name) and the simulated time, as in SimPy.
//
// Operations that complete at once (a grant of a free resource, a put into a store with room, a get
// from a non-empty store, a process that ends with nobody waiting) return events that are already
// PROCESSED: a process that yields one continues immediately, without a trip through the queue.
import { SimulationError } from './errors.js';
import { checkPriority, Priority } from './queue.js';
import type { Simulation } from './simulation.js';

export const EventState = { pending: 0, triggered: 1, processed: 2 } as const;
export type EventState = (typeof EventState)[keyof typeof EventState];

/** Something resumed when an event is processed. */
export interface Waiter {
  _resume(ev: Event<unknown>): void;
}

class CallbackWaiter implements Waiter {
  constructor(private readonly fn: (ev: Event<unknown>) => void) {}
  _resume(ev: Event<unknown>): void {
    this.fn(ev);
  }
}

/**
 * Queue callback that processes a triggered event: resumes every waiter in the order they started
 * waiting. A plain function rather than a method, so the dispatch loop makes no call on the event's
 * (many) classes.
 */
export function processEvent(ev: Event<unknown>): void {
  ev._state = EventState.processed;
  const w0 = ev._w0;
  if (w0 !== null) {
    const ws = ev._ws;
    ev._w0 = null;
    ev._ws = null;
    w0._resume(ev);
    if (ws !== null) for (let i = 0; i < ws.length; i++) (ws[i] as Waiter)._resume(ev);
  }
  if (!ev._ok && !ev.defused) unhandledFailure(ev);
}

function unhandledFailure(ev: Event<unknown>): never {
  const err = ev._value;
  const msg = err instanceof Error ? err.message : String(err);
  throw new SimulationError(`unhandled failure of ${ev.describe()}: ${msg}`, ev.sim.now, { cause: err });
}

export class Event<T = unknown> {
  readonly sim: Simulation;
  /** @internal */ _state: EventState = EventState.pending;
  /** @internal */ _ok = true;
  /** @internal */ _value: unknown = undefined;
  /** @internal first waiter (most events have exactly one) */ _w0: Waiter | null = null;
  /** @internal further waiters, in order */ _ws: Waiter[] | null = null;
  /** Set when a failure has been handled; an undefused failure with no waiter stops the run. */
  defused = false;

  constructor(sim: Simulation) {
    this.sim = sim;
  }

  get triggered(): boolean {
    return this._state !== EventState.pending;
  }
  get processed(): boolean {
    return this._state === EventState.processed;
  }
  /** True if the event succeeded (only meaningful once triggered). */
  get ok(): boolean {
    return this._ok;
  }
  /** The value it succeeded with; throws if not yet triggered or if it failed. */
  get value(): T {
    if (this._state === EventState.pending)
      throw new SimulationError(`${this.describe()}: value read before it was triggered`, this.sim.now);
    if (!this._ok) throw this._value;
    return this._value as T;
  }
  /** The error it failed with (undefined if it succeeded). */
  get error(): unknown {
    return this._ok ? undefined : this._value;
  }

  /** Triggers success now; its waiters resume at the current time. Triggering twice throws. */
  succeed(value?: T, priority: number = Priority.normal): this {
    return this._trigger(true, value, priority);
  }

  /** Triggers failure now with `error`; waiting processes get it thrown at their `yield`. */
  fail(error: unknown, priority: number = Priority.normal): this {
    return this._trigger(false, error, priority);
  }

  /** @internal */
  _trigger(ok: boolean, value: unknown, priority: number = Priority.normal): this {
    if (this._state !== EventState.pending)
      throw new SimulationError(`${this.describe()} has already been triggered`, this.sim.now);
    this._ok = ok;
    this._value = value;
    if (priority !== Priority.normal) checkPriority(ok ? 'succeed' : 'fail', priority);
    this._state = EventState.triggered;
    const sim = this.sim;
    if (priority === Priority.normal) sim._scheduleNow(processEvent, this as Event<unknown>);
    else sim._schedule(sim.now, priority, processEvent, this as Event<unknown>);
    return this;
  }

  /** Calls `fn(event)` when the event is processed (at once if it already was). */
  addCallback(fn: (ev: Event<T>) => void): void {
    const w = new CallbackWaiter(fn as (ev: Event<unknown>) => void);
    if (this._state === EventState.processed) w._resume(this as Event<unknown>);
    else this._addWaiter(w);
  }

  /** A short description for error messages. */
  describe(): string {
    return this.constructor.name;
  }

  /**
   * @internal Succeeds a pending event the engine owns (a waiter taken off a WaitQueue) at the current
   * time with normal priority: the same queue entry as `succeed(value)`, without the priority checks.
   */
  _fire(value: unknown): void {
    if (this._state !== EventState.pending)
      throw new SimulationError(`${this.describe()} has already been triggered`, this.sim.now);
    this._value = value;
    this._state = EventState.triggered;
    this.sim._scheduleNow(processEvent, this as Event<unknown>);
  }

  /** @internal Completes a fresh event (no waiters can exist yet) without a trip through the queue. */
  _completeNow(value: unknown): void {
    this._ok = true;
    this._value = value;
    this._state = EventState.processed;
  }

  /** @internal */
  _addWaiter(w: Waiter): void {
    if (this._w0 === null) this._w0 = w;
    else if (this._ws === null) this._ws = [w];
    else this._ws.push(w);
  }

  /** @internal */
  _removeWaiter(w: Waiter): void {
    const ws = this._ws;
    if (this._w0 === w) {
      this._w0 = ws !== null && ws.length > 0 ? (ws.shift() as Waiter) : null;
    } else if (ws !== null) {
      const i = ws.indexOf(w);
      if (i >= 0) ws.splice(i, 1);
    }
  }
}

/** An event that succeeds `delayNs` after its creation. */
export class Timeout<T = undefined> extends Event<T> {
  constructor(sim: Simulation, delayNs: number, value?: T) {
    super(sim);
    this._value = value;
    this._state = EventState.triggered;
    sim.schedule(delayNs, processEvent, this as Event<unknown>);
  }
}

/**
 * The token returned by `sim.sleep(delayNs)`: a process that yields it is resumed after the delay
 * without any event object being allocated. It is not an ordinary event: it cannot be stored,
 * waited on twice, put into a condition or given callbacks.
 */
export class SleepToken extends Event<undefined> {
  override addCallback(): void {
    throw new SimulationError(
      'sim.sleep(): the token can only be yielded directly by a process; use sim.timeout() for an event with callbacks',
      this.sim.now,
    );
  }
  override succeed(): this {
    throw new SimulationError(
      'sim.sleep(): the token cannot be triggered (succeed); yield it from a process, or use sim.event()',
      this.sim.now,
    );
  }
  override fail(): this {
    throw new SimulationError(
      'sim.sleep(): the token cannot be triggered (fail); yield it from a process, or use sim.event()',
      this.sim.now,
    );
  }
  override _trigger(): this {
    throw new SimulationError(
      'sim.sleep(): the token cannot be triggered; yield it from a process, or use sim.event()',
      this.sim.now,
    );
  }
  override describe(): string {
    return 'sleep token';
  }
}

/** The value of a condition: the events that had succeeded when it was met, in the order given. */
export type ConditionValue = Map<Event<unknown>, unknown>;

/**
 * An event over other events: met when `evaluate(events, countProcessed)` holds (AllOf, AnyOf).
 * If any of them fails before it is met, the condition fails with that error.
 */
export class Condition extends Event<ConditionValue> implements Waiter {
  readonly events: readonly Event<unknown>[];
  private processedCount = 0;
  private readonly evaluate: (events: readonly Event<unknown>[], processedCount: number) => boolean;
  private readonly label: string;

  constructor(
    sim: Simulation,
    label: string,
    evaluate: (events: readonly Event<unknown>[], processedCount: number) => boolean,
    events: readonly Event<unknown>[],
  ) {
    super(sim);
    this.label = label;
    this.evaluate = evaluate;
    this.events = events;
    for (const ev of events) {
      if (!(ev instanceof Event))
        throw new SimulationError(`${label}: every element must be an event, got ${String(ev)}`, sim.now);
      if (ev.sim !== sim) throw new SimulationError(`${label}: an event belongs to another simulation`, sim.now);
      if (ev instanceof SleepToken)
        throw new SimulationError(`${label}: sim.sleep() cannot be used in a condition; use sim.timeout()`, sim.now);
    }
    if (events.length === 0 || evaluate(events, 0)) {
      this.succeed(new Map());
      return;
    }
    for (const ev of events) {
      if (ev._state === EventState.processed) this._resume(ev);
      else ev._addWaiter(this);
    }
  }

  override describe(): string {
    return this.label;
  }

  _resume(ev: Event<unknown>): void {
    if (this._state !== EventState.pending) return;
    this.processedCount++;
    if (!ev._ok) {
      ev.defused = true;
      this.fail(ev._value);
      return;
    }
    if (this.evaluate(this.events, this.processedCount)) {
      const value: ConditionValue = new Map();
      for (const e of this.events) if (e._state === EventState.processed && e._ok) value.set(e, e._value);
      this.succeed(value);
    }
  }
}

export function allOfRule(events: readonly Event<unknown>[], processedCount: number): boolean {
  return processedCount === events.length;
}
export function anyOfRule(_events: readonly Event<unknown>[], processedCount: number): boolean {
  return processedCount > 0;
}

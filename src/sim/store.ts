// Stores of items for workload code (SimPy style). `Store<T>` holds up to `capacity` items in FIFO
// order: `yield store.put(x)` waits while full, `const x = (yield store.get()) as T` waits while
// empty. `FilterStore<T>` lets a get wait for the first item matching a predicate. Waiting puts and
// gets are served in the order they were made. An operation that can complete at once returns an
// already-processed event (no queue trip). A waiting operation can be withdrawn with `cancel()`.
//
// Bounded: the items, the waiting puts and the waiting gets each hold at most `sim.maxQueueLength`
// entries (Simulation option, default 10^7; an unbounded store under overload reaches it); one more
// throws a QueueFullError naming the store (`name`, given by the model) and the queue.
import { rangeFail } from './check.js';
import { Deque } from './deque.js';
import { Event, EventState } from './event.js';
import { QueueFullError } from './queue.js';
import type { Simulation } from './simulation.js';

/** A Deque capped at `sim.maxQueueLength` whose overflow names `owner` and `what` (shared by the stores and containers). */
export function cappedQueue<T>(sim: Simulation, owner: string, what: string): Deque<T> {
  return new Deque<T>({
    maxLength: sim.maxQueueLength,
    overflow: (cap) => {
      throw new QueueFullError(`${owner} ${what}`, cap, cap, 'Simulation option maxQueueLength');
    },
  });
}

export class StorePut<T> extends Event<void> {
  constructor(
    readonly store: Store<T>,
    readonly item: T,
  ) {
    super(store.sim);
  }
  /** Withdraws the put if it is still waiting. */
  cancel(): void {
    this.store._withdrawPut(this);
  }
}

export class StoreGet<T> extends Event<T> {
  constructor(
    readonly store: Store<T>,
    readonly filter: ((item: T) => boolean) | null,
  ) {
    super(store.sim);
  }
  /** Withdraws the get if it is still waiting. */
  cancel(): void {
    this.store._withdrawGet(this);
  }
}

export class Store<T> {
  readonly sim: Simulation;
  readonly capacity: number;
  /** Name for messages (e.g. a full queue). */
  readonly name: string;
  protected readonly itemQ: Deque<T>;
  protected readonly putters: Deque<StorePut<T>>;
  protected readonly getters: Deque<StoreGet<T>>;
  /** Whether a put may hand its item straight to the first waiting getter (false when gets filter). */
  protected readonly handsOffDirectly: boolean = true;

  constructor(sim: Simulation, capacity = Infinity, name = 'store') {
    const kind = new.target.name;
    if (!(capacity >= 1) || (capacity !== Infinity && !Number.isSafeInteger(capacity))) {
      rangeFail(`${kind} '${name}'`, 'capacity', 'an integer >= 1 or Infinity', capacity);
    }
    this.sim = sim;
    this.capacity = capacity;
    this.name = name;
    const owner = `${kind} '${name}'`;
    this.itemQ = cappedQueue<T>(sim, owner, 'items');
    this.putters = cappedQueue<StorePut<T>>(sim, owner, 'waiting puts');
    this.getters = cappedQueue<StoreGet<T>>(sim, owner, 'waiting gets');
  }

  /** Items held, oldest first. */
  get items(): readonly T[] {
    return this.itemQ.toArray();
  }
  get size(): number {
    return this.itemQ.length;
  }
  get waitingGets(): number {
    return this.getters.length;
  }
  get waitingPuts(): number {
    return this.putters.length;
  }

  put(item: T): StorePut<T> {
    const ev = new StorePut(this, item);
    if (this.putters.length === 0 && this.itemQ.length < this.capacity) {
      ev._completeNow(undefined);
      if (this.getters.length > 0 && this.itemQ.length === 0 && this.handsOffDirectly) {
        // the same outcome as queueing the item and serving getters: the first getter takes it
        (this.getters.shift() as StoreGet<T>).succeed(item);
      } else {
        this.itemQ.push(item);
        if (this.getters.length > 0) this.settle();
      }
    } else {
      this.putters.push(ev);
    }
    return ev;
  }

  get(): StoreGet<T> {
    const ev = new StoreGet<T>(this, null);
    if (this.getters.length === 0 && this.itemQ.length > 0) {
      ev._completeNow(this.itemQ.shift());
      if (this.putters.length > 0) this.settle();
    } else {
      this.getters.push(ev);
    }
    return ev;
  }

  /** Serves waiting puts and gets until neither can progress. */
  protected settle(): void {
    for (;;) {
      let progress = false;
      while (this.putters.length > 0 && this.itemQ.length < this.capacity) {
        const p = this.putters.shift() as StorePut<T>;
        this.itemQ.push(p.item);
        p.succeed();
        progress = true;
      }
      if (this.serveGetters()) progress = true;
      if (!progress) return;
    }
  }

  protected serveGetters(): boolean {
    let progress = false;
    while (this.getters.length > 0 && this.itemQ.length > 0) {
      const g = this.getters.shift() as StoreGet<T>;
      g.succeed(this.itemQ.shift() as T);
      progress = true;
    }
    return progress;
  }

  /** @internal */
  _withdrawPut(ev: StorePut<T>): void {
    if (ev._state !== EventState.pending) return;
    const i = this.putters.indexOf(ev);
    if (i >= 0) this.putters.removeAt(i);
  }

  /** @internal */
  _withdrawGet(ev: StoreGet<T>): void {
    if (ev._state !== EventState.pending) return;
    const i = this.getters.indexOf(ev);
    if (i >= 0) this.getters.removeAt(i);
  }
}

/** A store whose gets may ask for the first item matching a predicate. */
export class FilterStore<T> extends Store<T> {
  protected override readonly handsOffDirectly: boolean = false;

  override get(filter?: (item: T) => boolean): StoreGet<T> {
    const ev = new StoreGet<T>(this, filter ?? null);
    this.getters.push(ev);
    this.settle();
    return ev;
  }

  protected override serveGetters(): boolean {
    let progress = false;
    let i = 0;
    while (i < this.getters.length && this.itemQ.length > 0) {
      const g = this.getters.at(i) as StoreGet<T>;
      let found = -1;
      for (let j = 0; j < this.itemQ.length; j++) {
        const item = this.itemQ.at(j) as T;
        if (g.filter === null || g.filter(item)) {
          found = j;
          break;
        }
      }
      if (found >= 0) {
        this.getters.removeAt(i);
        g.succeed(this.itemQ.removeAt(found) as T);
        progress = true;
      } else i++;
    }
    return progress;
  }
}

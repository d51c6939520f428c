// Stores of items for workload code (SimPy style). `Store<T>` holds up to `capacity` items in FIFO
// order: `yield store.put(x)` waits while full, `const x = (yield store.get()) as T` waits while
// empty. `FilterStore<T>` lets a get wait for the first item matching a predicate. Waiting puts and
// gets are served in the order they were made. An operation that can complete at once returns an
// already-processed event (no queue trip); for a put it is the store's one shared completed put (no
// allocation). A waiting operation can be withdrawn with `cancel()`. Waiters are woken through the
// shared WaitQueue (waitqueue.ts) and `Event._fire`, in the order `succeed` would wake them.
//
// Bounded: the items, the waiting puts and the waiting gets each hold at most `sim.maxQueueLength`
// entries (Simulation option, default 10^7; an unbounded store under overload reaches it); one more
// throws a QueueFullError naming the store (`name`, given by the model) and the queue.
import { rangeFail } from './check.js';
import { Event, EventState } from './event.js';
import type { Simulation } from './simulation.js';
import { WaitQueue } from './waitqueue.js';

/**
 * A put into a store. A put that completes at once (room in the store, nobody waiting to put before
 * it) returns the store's one shared completed put instead of a new event, so the common case
 * allocates nothing: it is already processed, its `item` is undefined, `cancel()` does nothing.
 */
export class StorePut<T> extends Event<void> {
  constructor(
    readonly store: Store<T>,
    /** The item of a put that had to wait (undefined on the shared completed put). */
    readonly item: T | undefined,
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
  protected readonly itemQ: WaitQueue<T>;
  protected readonly putters: WaitQueue<StorePut<T>>;
  protected readonly getters: WaitQueue<StoreGet<T>>;
  /** Whether a put may hand its item straight to the first waiting getter (false when gets filter). */
  protected readonly handsOffDirectly: boolean = true;
  /** The shared, already processed event returned by every put that completes at once. */
  private readonly donePut: StorePut<T>;

  constructor(sim: Simulation, capacity = Infinity, name = 'store') {
    const kind = new.target.name;
    if (!(capacity >= 1) || (capacity !== Infinity && !Number.isSafeInteger(capacity))) {
      rangeFail(`${kind} '${name}'`, 'capacity', 'an integer >= 1 or Infinity', capacity);
    }
    this.sim = sim;
    this.capacity = capacity;
    this.name = name;
    const owner = `${kind} '${name}'`;
    this.itemQ = new WaitQueue<T>(sim, owner, 'items');
    this.putters = new WaitQueue<StorePut<T>>(sim, owner, 'waiting puts');
    this.getters = new WaitQueue<StoreGet<T>>(sim, owner, 'waiting gets');
    this.donePut = new StorePut<T>(this, undefined);
    this.donePut._completeNow(undefined);
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
    if (this.putters.length === 0 && this.itemQ.length < this.capacity) {
      if (this.getters.length > 0 && this.itemQ.length === 0 && this.handsOffDirectly) {
        // the same outcome as queueing the item and serving getters: the first getter takes it
        (this.getters.shift() as StoreGet<T>)._fire(item);
      } else {
        this.itemQ.push(item);
        if (this.getters.length > 0) this.settle();
      }
      return this.donePut;
    }
    const ev = new StorePut(this, item);
    this.putters.push(ev);
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
        this.itemQ.push(p.item as T);
        p._fire(undefined);
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
      g._fire(this.itemQ.shift());
      progress = true;
    }
    return progress;
  }

  /** @internal */
  _withdrawPut(ev: StorePut<T>): void {
    if (ev._state === EventState.pending) this.putters.remove(ev);
  }

  /** @internal */
  _withdrawGet(ev: StoreGet<T>): void {
    if (ev._state === EventState.pending) this.getters.remove(ev);
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
        g._fire(this.itemQ.removeAt(found));
        progress = true;
      } else i++;
    }
    return progress;
  }
}

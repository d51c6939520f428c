// A container of a continuous (or discrete) amount, e.g. bytes of buffer or credits (SimPy's
// Container): `yield c.put(amount)` waits while the amount would exceed `capacity`, `yield c.get(amount)`
// waits until `amount` is available. Waiting puts and gets are each served strictly first-come
// first-served (a large request at the head holds back smaller ones behind it). Operations that can
// complete at once return already-processed events.
//
// Bounded: waiting puts and waiting gets each hold at most `sim.maxQueueLength` operations
// (Simulation option, default 10^7); one more throws a QueueFullError naming the container.
import { rangeFail } from './check.js';
import { Event } from './event.js';
import type { Simulation } from './simulation.js';
import { WaitQueue } from './waitqueue.js';

export class ContainerOp extends Event<void> {
  constructor(
    readonly container: Container,
    readonly amount: number,
  ) {
    super(container.sim);
  }
}

export class Container {
  readonly sim: Simulation;
  readonly capacity: number;
  /** Name for messages (e.g. a full queue). */
  readonly name: string;
  private levelNow: number;
  private readonly putters: WaitQueue<ContainerOp>;
  private readonly getters: WaitQueue<ContainerOp>;

  constructor(sim: Simulation, capacity = Infinity, initialLevel = 0, name = 'container') {
    const where = `Container '${name}'`;
    if (!(capacity > 0)) rangeFail(where, 'capacity', 'a number > 0', capacity);
    if (!(initialLevel >= 0 && initialLevel <= capacity))
      rangeFail(where, 'initialLevel', `in [0, capacity=${capacity}]`, initialLevel);
    this.sim = sim;
    this.capacity = capacity;
    this.name = name;
    this.levelNow = initialLevel;
    this.putters = new WaitQueue<ContainerOp>(sim, where, 'waiting puts');
    this.getters = new WaitQueue<ContainerOp>(sim, where, 'waiting gets');
  }

  get level(): number {
    return this.levelNow;
  }

  put(amount: number): ContainerOp {
    this.check('put', amount);
    const ev = new ContainerOp(this, amount);
    if (this.putters.length === 0 && this.levelNow + amount <= this.capacity) {
      this.levelNow += amount;
      ev._completeNow(undefined);
      this.settle();
    } else this.putters.push(ev);
    return ev;
  }

  get(amount: number): ContainerOp {
    this.check('get', amount);
    const ev = new ContainerOp(this, amount);
    if (this.getters.length === 0 && this.levelNow >= amount) {
      this.levelNow -= amount;
      ev._completeNow(undefined);
      this.settle();
    } else this.getters.push(ev);
    return ev;
  }

  private check(op: string, amount: number): void {
    if (!(amount > 0) || amount > this.capacity) {
      rangeFail(`Container '${this.name}'.${op}`, 'amount', `in (0, capacity=${this.capacity}]`, amount);
    }
  }

  private settle(): void {
    for (;;) {
      let progress = false;
      const p = this.putters.at(0);
      if (p !== undefined && this.levelNow + p.amount <= this.capacity) {
        this.putters.shift();
        this.levelNow += p.amount;
        p._fire(undefined);
        progress = true;
      }
      const g = this.getters.at(0);
      if (g !== undefined && this.levelNow >= g.amount) {
        this.getters.shift();
        this.levelNow -= g.amount;
        g._fire(undefined);
        progress = true;
      }
      if (!progress) return;
    }
  }
}

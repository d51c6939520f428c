// A container of a continuous (or discrete) amount, e.g. bytes of buffer or credits (SimPy's
// Container): `yield c.put(amount)` waits while the amount would exceed `capacity`, `yield c.get(amount)`
// waits until `amount` is available. Waiting puts and gets are each served strictly first-come
// first-served (a large request at the head holds back smaller ones behind it). Operations that can
// complete at once return already-processed events.
import { Deque } from './deque.js';
import { SimulationError } from './errors.js';
import { Event } from './event.js';
import type { Simulation } from './simulation.js';

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
  private levelNow: number;
  private readonly putters = new Deque<ContainerOp>();
  private readonly getters = new Deque<ContainerOp>();

  constructor(sim: Simulation, capacity = Infinity, initialLevel = 0) {
    if (!(capacity > 0)) throw new RangeError(`Container: capacity must be > 0, got ${capacity}`);
    if (!(initialLevel >= 0 && initialLevel <= capacity)) {
      throw new RangeError(`Container: initialLevel must be in [0, capacity=${capacity}], got ${initialLevel}`);
    }
    this.sim = sim;
    this.capacity = capacity;
    this.levelNow = initialLevel;
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
      throw new SimulationError(`Container.${op}: amount must be in (0, capacity=${this.capacity}], got ${amount}`, this.sim.now);
    }
  }

  private settle(): void {
    for (;;) {
      let progress = false;
      const p = this.putters.at(0);
      if (p !== undefined && this.levelNow + p.amount <= this.capacity) {
        this.putters.shift();
        this.levelNow += p.amount;
        p.succeed();
        progress = true;
      }
      const g = this.getters.at(0);
      if (g !== undefined && this.levelNow >= g.amount) {
        this.getters.shift();
        this.levelNow -= g.amount;
        g.succeed();
        progress = true;
      }
      if (!progress) return;
    }
  }
}

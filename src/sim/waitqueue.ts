// The one FIFO behind every wait queue of the process API: the waiting requests of a Resource, the
// waiting puts and gets (and the items) of a Store, the waiting puts and gets of a Container. A
// WaitQueue is a Deque (ring buffer, allocation-free once grown) capped at the simulation's
// `maxQueueLength` whose overflow throws a QueueFullError naming the owner (`Store 'inbox'`) and the
// queue (`waiting gets`), and `remove` for a withdrawn wait (a cancelled request or operation).
//
// The owners wake the waiter they take off the head with the internal `Event._fire(value)`: the same
// queue entry, at the same time and in the same insertion order as `event.succeed(value)`, minus the
// re-trigger check and the priority branch (an entry of a wait queue is pending by construction: it
// leaves the queue when it is woken or withdrawn).
import { Deque } from './deque.js';
import { QueueFullError } from './queue.js';
import type { Simulation } from './simulation.js';

export class WaitQueue<T> extends Deque<T> {
  /** A queue capped at `sim.maxQueueLength`; `owner` and `what` name it in the overflow message. */
  constructor(sim: Simulation, owner: string, what: string) {
    super({
      maxLength: sim.maxQueueLength,
      overflow: (cap) => {
        throw new QueueFullError(`${owner} ${what}`, cap, cap, 'Simulation option maxQueueLength');
      },
    });
  }

  /** Removes `x` if it is queued (a withdrawn wait); returns whether it was. */
  remove(x: T): boolean {
    const i = this.indexOf(x);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }
}

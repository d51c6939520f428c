// Resources for workload code (SimPy style): a Resource with `capacity` identical units and a FIFO
// wait queue; a PriorityResource whose queue is ordered by (priority, request order), lower first;
// a PreemptiveResource where a request with `preempt` evicts the worst current user if the newcomer
// is strictly better, interrupting the evicted user's process with a `Preempted` cause.
//
//   const req = cpu.request();  yield req;  ...;  cpu.release(req);
//
// A request that can be granted at once is returned already processed (no queue trip). Releasing a
// request that is still waiting cancels it; releasing twice is an error; releasing a request that
// was preempted is a no-op (the evicted process usually releases in a finally block).
//
// Bounded: the wait queue holds at most `sim.maxQueueLength` requests (Simulation option, default
// 10^7); one more throws a QueueFullError naming the resource. Request order (the tie-breaker among
// equal priorities) is counted per resource, so it depends only on this run's own requests.
import { checkInt } from './check.js';
import { SimulationError } from './errors.js';
import { Event } from './event.js';
import type { Process } from './process.js';
import type { Simulation } from './simulation.js';
import { WaitQueue } from './waitqueue.js';

export const RequestState = {
  waiting: 'waiting',
  granted: 'granted',
  released: 'released',
  preempted: 'preempted',
  cancelled: 'cancelled',
} as const;
export type RequestState = (typeof RequestState)[keyof typeof RequestState];

/** Cause of the Interrupt thrown into a preempted user. */
export class Preempted {
  constructor(
    /** The process whose request evicted this user (null if made outside a process). */
    readonly by: Process<unknown> | null,
    /** When the evicted user had been granted the resource (ns). */
    readonly usageSinceNs: number,
    readonly resource: Resource,
  ) {}
  toString(): string {
    return `preempted by ${this.by === null ? 'a request' : `process '${this.by.name}'`}`;
  }
}

export class Request extends Event<void> {
  readonly resource: Resource;
  readonly priority: number;
  readonly preempt: boolean;
  /** The process that made the request (the one running at the time), if any. */
  readonly process: Process<unknown> | null;
  readonly requestedAtNs: number;
  /** Tie-breaker: order of creation among this resource's requests (0, 1, 2, ...). */
  readonly order: number;
  state: RequestState = RequestState.waiting;
  /** Time at which it was granted (NaN while waiting). */
  usageSinceNs = NaN;

  constructor(resource: Resource, priority: number, preempt: boolean) {
    super(resource.sim);
    this.resource = resource;
    this.priority = priority;
    this.preempt = preempt;
    this.process = resource.sim._active;
    this.requestedAtNs = resource.sim.now;
    this.order = resource._nextOrder++;
  }

  /** Leaves the queue if waiting, releases if granted. */
  cancel(): void {
    this.resource.release(this);
  }

  override describe(): string {
    return `Request(${this.resource.name})`;
  }
}

export class Resource {
  readonly sim: Simulation;
  readonly capacity: number;
  readonly name: string;
  /** Requests currently holding a unit, in grant order. */
  readonly users: Request[] = [];
  protected readonly waiting: WaitQueue<Request>;
  /** @internal order of the next request */ _nextOrder = 0;

  constructor(sim: Simulation, capacity = 1, name = 'resource') {
    checkInt(`Resource '${name}'`, 'capacity', capacity, 1);
    this.sim = sim;
    this.capacity = capacity;
    this.name = name;
    this.waiting = new WaitQueue<Request>(sim, `Resource '${name}'`, 'waiting requests');
  }

  /** Units in use. */
  get count(): number {
    return this.users.length;
  }
  /** Requests waiting. */
  get queueLength(): number {
    return this.waiting.length;
  }
  /** The waiting requests, in service order. */
  get queue(): readonly Request[] {
    return this.waiting.toArray();
  }

  request(): Request {
    return this.admit(new Request(this, 0, false));
  }

  release(req: Request): void {
    if (req.resource !== this)
      throw new SimulationError(`${this.name}: release of a request made to '${req.resource.name}'`, this.sim.now);
    switch (req.state) {
      case RequestState.granted: {
        removeUser(this.users, req);
        req.state = RequestState.released;
        this.grantWaiting();
        return;
      }
      case RequestState.waiting: {
        this.waiting.remove(req);
        req.state = RequestState.cancelled;
        return;
      }
      case RequestState.preempted:
        return;
      default:
        throw new SimulationError(`${this.name}: request released twice (it is already ${req.state})`, this.sim.now);
    }
  }

  protected admit(req: Request): Request {
    if (this.users.length < this.capacity && this.waiting.length === 0) {
      this.users.push(req);
      req.state = RequestState.granted;
      req.usageSinceNs = this.sim.now;
      req._completeNow(undefined);
    } else {
      this.enqueue(req);
    }
    return req;
  }

  protected enqueue(req: Request): void {
    this.waiting.push(req);
  }

  protected grantWaiting(): void {
    while (this.users.length < this.capacity && this.waiting.length > 0) {
      const next = this.waiting.shift() as Request;
      this.users.push(next);
      next.state = RequestState.granted;
      next.usageSinceNs = this.sim.now;
      next._fire(undefined);
    }
  }
}

/** Orders waiting requests by priority (lower first), then by request order. */
export class PriorityResource extends Resource {
  /** `priority`: lower is served first. */
  override request(priority = 0): Request {
    return this.admit(new Request(this, priority, false));
  }

  protected override enqueue(req: Request): void {
    // binary search for the first waiting request that is strictly worse
    let lo = 0;
    let hi = this.waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const w = this.waiting.at(mid) as Request;
      if (w.priority < req.priority || (w.priority === req.priority && w.order < req.order)) lo = mid + 1;
      else hi = mid;
    }
    this.waiting.insertAt(lo, req);
  }
}

/** A PriorityResource whose requests may evict a worse current user. */
export class PreemptiveResource extends PriorityResource {
  /** `priority`: lower is better; `preempt`: evict the worst user if this request is strictly better. */
  override request(priority = 0, preempt = true): Request {
    const req = new Request(this, priority, preempt);
    if (preempt && this.users.length >= this.capacity) {
      // worst user: largest (priority, requestedAt, order)
      let victim: Request | null = null;
      for (const u of this.users) {
        if (
          victim === null ||
          u.priority > victim.priority ||
          (u.priority === victim.priority &&
            (u.requestedAtNs > victim.requestedAtNs ||
              (u.requestedAtNs === victim.requestedAtNs && u.order > victim.order)))
        ) {
          victim = u;
        }
      }
      if (
        victim !== null &&
        (victim.priority > req.priority ||
          (victim.priority === req.priority && victim.requestedAtNs > req.requestedAtNs))
      ) {
        removeUser(this.users, victim);
        victim.state = RequestState.preempted;
        const p = victim.process;
        if (p !== null && p.isAlive) p.interrupt(new Preempted(req.process, victim.usageSinceNs, this));
        this.enqueue(req);
        this.grantWaiting();
        return req;
      }
    }
    return this.admit(req);
  }
}

/** Removes `req` from `users` keeping the order, without the array splice() allocates. */
function removeUser(users: Request[], req: Request): void {
  const n = users.length - 1;
  let i = n;
  while (i >= 0 && users[i] !== req) i--;
  if (i < 0) return;
  for (; i < n; i++) users[i] = users[i + 1] as Request;
  users.pop();
}

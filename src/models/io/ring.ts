// Generic I/O descriptor ring (Xen's shared ring, xen/include/public/io/ring.h) with a per-direction
// notification policy (event index + optional hold-off timer).
//
// What it holds. One shared ring between a front end (issues requests, consumes responses) and a back
// end (consumes requests, produces responses). Like ring.h it keeps free-running indices — the shared
// `req_prod`, `rsp_prod`, `req_event`, `rsp_event` and the private `req_prod_pvt`, `rsp_cons` (front)
// and `req_cons`, `rsp_prod_pvt` (back) — and a slot array of a power-of-two size; slot = index &
// (size - 1). Requests carry an `id` the back end echoes in its response; responses may be produced in
// any order and are matched by id. In flight = req_prod_pvt - rsp_cons (RING_FREE_REQUESTS), never more
// than the size: a front end that wants to issue into a full ring waits for space
// (`yield ring.waitForSpace()` or `ring.onSpace(cb)`), woken when it consumes a response.
//
// Notification (per direction; "producer" is the front for requests and the back for responses):
//   * The consumer owns the direction's event index. Initially event = cons + 1 = 1, as ring.h's
//     SHARED_RING_INIT sets it (the first item notifies). `finalCheck…()` is RING_FINAL_CHECK_FOR_…: if nothing is left to
//     consume the consumer re-arms with event = cons + k (the "customised FINAL_CHECK that sets the
//     event field" that ring.h recommends for batching), otherwise it reports more work.
//   * `push…()` is RING_PUSH_…_AND_CHECK_NOTIFY: publish prod_pvt; notify iff the event index lies in
//     (old prod, new prod], computed as in ring.h with 32-bit unsigned arithmetic:
//     notify = (u32)(new - event) < (u32)(new - old).
//   * Hold-off (not in ring.h; the interrupt-coalescing timer of the batching study): if the consumer
//     is armed (event not yet passed) and a push does not reach the event index, a timer of
//     `holdOffNs` is armed on that first un-notified item (if none is armed). When a push reaches the
//     event index the timer is cancelled. When the timer fires while the consumer is still armed and
//     items are unconsumed, the producer notifies and the threshold counts as spent (event := prod),
//     so the k-th item that follows does not notify a second time; the consumer re-arms in its final
//     check as usual. Re-arming (which happens only when nothing is unconsumed) cancels the timer.
//   * Pinned consequences (tested): items pushed one at a time to an idle consumer that drains and
//     re-arms at every notification cause a notification at items 1, k + 1, 2k + 1, … → ceil(n / k)
//     threshold notifications; the (n − 1) mod k items after the last of them are notified by the
//     hold-off timer (one more notification) or, with no hold-off (`holdOffNs: null`), not at all
//     until more items come — the hazard the hold-off exists for. Items pushed while the consumer is active (event already passed)
//     cause no notification: the consumer finds them in its final check. k = 1 is notify-every-item
//     (Xen's default). With a hold-off, no item pushed to an armed consumer waits more than
//     `holdOffNs` for its notification.
//   * Notifications go to `ring.notifier(direction, cause)` (connectRing wires it to an event channel:
//     see ring-channel.ts) and to the `onNotify` signal; they are counted in `ring.counts`.
//
// Invariants (checked at run time, InvariantError naming `io-ring(<name>)` and the time):
//   rsp_cons ≤ rsp_prod ≤ rsp_prod_pvt ≤ req_cons ≤ req_prod ≤ req_prod_pvt, all monotone;
//   req_prod_pvt - rsp_cons ≤ size (never more than size in flight); an id is outstanding at most once;
//   a response answers an outstanding id that the back end has consumed and not yet answered (so every
//   id is answered exactly once).
//
// Units: indices and sizes in entries; times in ns. Defaults: none for the size (the caller's: 256 for
// network rings, 64 for block rings — docs/calibration.md "Hypervisor constants (Xen source)",
// entries netRingEntries and blockRingEntries); notification
// policy default { everyItems: 1, holdOffNs: null } = ring.h's notify-on-every-item behaviour.
// Source: xen-project/xen xen/include/public/io/ring.h (SHARED_RING_INIT, RING_FREE_REQUESTS,
// RING_PUSH_{REQUESTS,RESPONSES}_AND_CHECK_NOTIFY, RING_FINAL_CHECK_FOR_{REQUESTS,RESPONSES}).
import { Event } from '../../sim/event.js';
import { InvariantError } from '../../sim/errors.js';
import type { Handle } from '../../sim/queue.js';
import type { Simulation } from '../../sim/simulation.js';
import { Signal } from '../../sim/signal.js';

/** The two directions of a ring. */
export const RingDirection = { requests: 'requests', responses: 'responses' } as const;
export type RingDirection = (typeof RingDirection)[keyof typeof RingDirection];

/** Why a producer notified: its push passed the consumer's event index, or the hold-off timer fired. */
export const NotifyCause = { threshold: 'threshold', holdOff: 'holdOff' } as const;
export type NotifyCause = (typeof NotifyCause)[keyof typeof NotifyCause];

/** Notification policy of one direction, set by that direction's consumer. */
export interface NotifyPolicy {
  /** k ≥ 1: the consumer re-arms its event index k items past its consumer index (1 = every item). */
  readonly everyItems: number;
  /** Hold-off: notify at the latest this many ns after the first un-notified item; null = no timer. */
  readonly holdOffNs: number | null;
}

/** ring.h's behaviour: notify on every item, no timer. */
export const NOTIFY_EVERY_ITEM: NotifyPolicy = Object.freeze({ everyItems: 1, holdOffNs: null });

/** Anything put on a ring carries an id (requests: unique among those outstanding; responses: echoed). */
export interface RingItem {
  readonly id: number;
}

export interface IoRingOptions {
  /** Name used in errors and traces. */
  readonly name: string;
  /** Number of entries, a power of two ≥ 1 (network 256, block 64: docs/calibration.md). */
  readonly sizeEntries: number;
  /** Policy for request notifications (front → back); default NOTIFY_EVERY_ITEM. */
  readonly requestNotify?: NotifyPolicy;
  /** Policy for response notifications (back → front); default NOTIFY_EVERY_ITEM. */
  readonly responseNotify?: NotifyPolicy;
}

/** Per-direction notification counts. */
export interface RingCounts {
  requestsPushed: number;
  responsesPushed: number;
  requestNotifies: number;
  responseNotifies: number;
  /** Of requestNotifies, those sent by the hold-off timer. */
  requestHoldOffNotifies: number;
  /** Of responseNotifies, those sent by the hold-off timer. */
  responseHoldOffNotifies: number;
}

/** Outstanding-id states. */
const IdState = { onRing: 0, consumed: 1, answered: 2 } as const;
type IdState = (typeof IdState)[keyof typeof IdState];

/**
 * The state of every outstanding id: ids that are integers in [0, dense length) (descriptor slots, as
 * the network's rings use) in a typed array, any other id in a Map. Same answers as one Map, without
 * the Map's hashing and its rehash allocations under constant insert/delete churn.
 */
class IdTable {
  private readonly dense: Int8Array;
  private readonly sparse = new Map<number, IdState>();
  size = 0;

  constructor(denseLength: number) {
    this.dense = new Int8Array(denseLength).fill(-1);
  }

  /** The id's state, or undefined when it is not outstanding. */
  get(id: number): IdState | undefined {
    if (id >= 0 && id < this.dense.length && (id | 0) === id) {
      const s = this.dense[id] as number;
      return s < 0 ? undefined : (s as IdState);
    }
    return this.sparse.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, state: IdState): void {
    if (id >= 0 && id < this.dense.length && (id | 0) === id) {
      if ((this.dense[id] as number) < 0) this.size++;
      this.dense[id] = state;
      return;
    }
    if (!this.sparse.has(id)) this.size++;
    this.sparse.set(id, state);
  }

  delete(id: number): void {
    if (id >= 0 && id < this.dense.length && (id | 0) === id) {
      if ((this.dense[id] as number) >= 0) this.size--;
      this.dense[id] = -1;
      return;
    }
    if (this.sparse.delete(id)) this.size--;
  }
}

/** A free-running index difference as ring.h's RING_IDX (uint32) sees it. */
function u32(x: number): number {
  return x >>> 0;
}

/** One direction of the ring: producer/consumer indices, event index, slots and the hold-off timer. */
class Lane<T> {
  prodPvt = 0;
  prod = 0;
  cons = 0;
  event: number;
  readonly slots: (T | undefined)[];
  timer: Handle = -1;
  timerArmedAtNs = -1;

  constructor(
    sizeEntries: number,
    readonly policy: NotifyPolicy,
  ) {
    this.slots = new Array<T | undefined>(sizeEntries).fill(undefined);
    this.event = 1; // SHARED_RING_INIT: event = cons + 1 (the first item notifies); re-arming uses cons + k
  }

  get unconsumed(): number {
    return this.prod - this.cons;
  }

  /** The consumer is armed: its event index has not been passed by the published producer index. */
  get armed(): boolean {
    // event - prod > 0 as a signed 32-bit difference (indices are free-running RING_IDX values)
    return ((this.event - this.prod) | 0) > 0;
  }
}

function fireRequestHoldOff(ring: IoRing<RingItem, RingItem>): void {
  ring._holdOffFired(RingDirection.requests);
}
function fireResponseHoldOff(ring: IoRing<RingItem, RingItem>): void {
  ring._holdOffFired(RingDirection.responses);
}

function validatePolicy(p: NotifyPolicy, sizeEntries: number, field: string): NotifyPolicy {
  if (!Number.isSafeInteger(p.everyItems) || p.everyItems < 1 || p.everyItems > sizeEntries) {
    throw new RangeError(
      `IoRing: ${field}.everyItems must be an integer in [1, ${sizeEntries}] (the ring size), got ${p.everyItems}`,
    );
  }
  if (p.holdOffNs !== null && (!Number.isSafeInteger(p.holdOffNs) || p.holdOffNs < 0)) {
    throw new RangeError(
      `IoRing: ${field}.holdOffNs must be null or a non-negative integer number of ns, got ${p.holdOffNs}`,
    );
  }
  return Object.freeze({ everyItems: p.everyItems, holdOffNs: p.holdOffNs });
}

/**
 * A shared descriptor ring. `Req` and `Rsp` carry an `id`; responses echo the id of the request they
 * answer. Front-end methods: putRequest, pushRequests, submitRequest, takeResponse,
 * finalCheckForResponses, waitForSpace, onSpace. Back-end methods: takeRequest, putResponse,
 * pushResponses, submitResponse, finalCheckForRequests.
 */
export class IoRing<Req extends RingItem, Rsp extends RingItem> {
  readonly sim: Simulation;
  readonly name: string;
  readonly sizeEntries: number;
  readonly model: string;
  /** Receives every notification; set by connectRing (ring-channel.ts) or by the user. */
  notifier: ((direction: RingDirection, cause: NotifyCause) => void) | null = null;
  /** Observation: a notification was sent (after `notifier`): (direction, cause, producer index). */
  readonly onNotify = new Signal<RingDirection, NotifyCause, number>();
  readonly counts: RingCounts = {
    requestsPushed: 0,
    responsesPushed: 0,
    requestNotifies: 0,
    responseNotifies: 0,
    requestHoldOffNotifies: 0,
    responseHoldOffNotifies: 0,
  };

  private readonly mask: number;
  private readonly req: Lane<Req>;
  private readonly rsp: Lane<Rsp>;
  private readonly ids: IdTable;
  private readonly spaceWaiters: (Event<void> | (() => void))[] = [];

  constructor(sim: Simulation, options: IoRingOptions) {
    const size = options.sizeEntries;
    if (!Number.isSafeInteger(size) || size < 1 || (size & (size - 1)) !== 0 || size > 2 ** 30) {
      throw new RangeError(`IoRing: sizeEntries must be a power of two in [1, 2^30], got ${size}`);
    }
    this.sim = sim;
    this.name = options.name;
    this.model = `io-ring(${options.name})`;
    this.sizeEntries = size;
    this.mask = size - 1;
    this.ids = new IdTable(Math.min(2 * size, 4096));
    this.req = new Lane<Req>(size, validatePolicy(options.requestNotify ?? NOTIFY_EVERY_ITEM, size, 'requestNotify'));
    this.rsp = new Lane<Rsp>(size, validatePolicy(options.responseNotify ?? NOTIFY_EVERY_ITEM, size, 'responseNotify'));
  }

  // ---- indices (read-only views, free-running) ----
  get reqProdPvt(): number {
    return this.req.prodPvt;
  }
  get reqProd(): number {
    return this.req.prod;
  }
  get reqCons(): number {
    return this.req.cons;
  }
  get reqEvent(): number {
    return this.req.event;
  }
  get rspProdPvt(): number {
    return this.rsp.prodPvt;
  }
  get rspProd(): number {
    return this.rsp.prod;
  }
  get rspCons(): number {
    return this.rsp.cons;
  }
  get rspEvent(): number {
    return this.rsp.event;
  }
  get requestPolicy(): NotifyPolicy {
    return this.req.policy;
  }
  get responsePolicy(): NotifyPolicy {
    return this.rsp.policy;
  }

  /** Requests issued and not yet answered-and-consumed: req_prod_pvt - rsp_cons. */
  get inFlight(): number {
    return this.req.prodPvt - this.rsp.cons;
  }
  /** RING_FREE_REQUESTS. */
  get freeRequests(): number {
    return this.sizeEntries - this.inFlight;
  }
  /** RING_FULL. */
  get full(): boolean {
    return this.inFlight >= this.sizeEntries;
  }
  /** Published requests the back end has not consumed. */
  get unconsumedRequests(): number {
    return this.req.unconsumed;
  }
  /** Published responses the front end has not consumed. */
  get unconsumedResponses(): number {
    return this.rsp.unconsumed;
  }
  /** Requests consumed by the back end and not yet answered (req_cons - rsp_prod_pvt). */
  get awaitingResponse(): number {
    return this.req.cons - this.rsp.prodPvt;
  }
  /** Ids currently outstanding (issued and not yet answered-and-consumed). */
  get outstandingIds(): number {
    return this.ids.size;
  }
  /** Whether an id is outstanding. */
  isOutstanding(id: number): boolean {
    return this.ids.has(id);
  }
  /** Whether the consumer of a direction is armed: its event index lies ahead of the producer index. */
  consumerArmed(direction: RingDirection): boolean {
    return (direction === RingDirection.requests ? this.req : this.rsp).armed;
  }
  /** Whether the hold-off timer of a direction is armed (for tests and tracing). */
  holdOffArmed(direction: RingDirection): boolean {
    return (direction === RingDirection.requests ? this.req : this.rsp).timer >= 0;
  }

  // ---- front end ----

  /** Writes a request into the next slot (req_prod_pvt++); not visible to the back end until pushed. */
  putRequest(request: Req): void {
    if (this.full) {
      this.fail(`request ${request.id} put into a full ring (${this.inFlight} of ${this.sizeEntries} in flight)`);
    }
    if (this.ids.has(request.id)) this.fail(`request id ${request.id} is already outstanding`);
    this.ids.set(request.id, IdState.onRing);
    const lane = this.req;
    lane.slots[lane.prodPvt & this.mask] = request;
    lane.prodPvt++;
  }

  /** RING_PUSH_REQUESTS_AND_CHECK_NOTIFY: publishes the requests put so far; returns whether it notified. */
  pushRequests(): boolean {
    return this.push(this.req, RingDirection.requests);
  }

  /** putRequest + pushRequests; returns whether it notified. */
  submitRequest(request: Req): boolean {
    this.putRequest(request);
    return this.pushRequests();
  }

  /** Takes the next published response (rsp_cons++), or undefined if none; frees one request slot. */
  takeResponse(): Rsp | undefined {
    const lane = this.rsp;
    if (lane.cons === lane.prod) return undefined;
    const slot = lane.cons & this.mask;
    const r = lane.slots[slot] as Rsp;
    lane.slots[slot] = undefined;
    lane.cons++;
    if (this.ids.get(r.id) !== IdState.answered) this.fail(`response ${r.id} consumed but its id is not answered`);
    this.ids.delete(r.id);
    this.check();
    if (this.spaceWaiters.length > 0) this.wakeSpaceWaiters();
    return r;
  }

  /** RING_FINAL_CHECK_FOR_RESPONSES: true if responses remain; otherwise re-arms rsp_event = rsp_cons + k. */
  finalCheckForResponses(): boolean {
    return this.finalCheck(this.rsp);
  }

  /** An event that succeeds when at least one request slot is free (at once if one is free now). */
  waitForSpace(): Event<void> {
    const ev = new Event<void>(this.sim);
    if (!this.full && this.spaceWaiters.length === 0) ev._completeNow(undefined);
    else this.spaceWaiters.push(ev);
    return ev;
  }

  /** Calls `fn` once when at least one request slot is free (synchronously if one is free now). */
  onSpace(fn: () => void): void {
    if (!this.full && this.spaceWaiters.length === 0) fn();
    else this.spaceWaiters.push(fn);
  }

  // ---- back end ----

  /** Takes the next published request (req_cons++), or undefined if none. */
  takeRequest(): Req | undefined {
    const lane = this.req;
    if (lane.cons === lane.prod) return undefined;
    const slot = lane.cons & this.mask;
    const r = lane.slots[slot] as Req;
    lane.slots[slot] = undefined;
    lane.cons++;
    this.ids.set(r.id, IdState.consumed);
    this.check();
    return r;
  }

  /** Writes a response (rsp_prod_pvt++); its id must be a consumed, unanswered request's. */
  putResponse(response: Rsp): void {
    const st = this.ids.get(response.id);
    if (st === undefined)
      this.fail(`response for id ${response.id}, which is not outstanding (answered twice, or never issued)`);
    if (st === IdState.onRing) this.fail(`response for id ${response.id} before the back end consumed the request`);
    if (st === IdState.answered) this.fail(`id ${response.id} answered twice`);
    this.ids.set(response.id, IdState.answered);
    const lane = this.rsp;
    lane.slots[lane.prodPvt & this.mask] = response;
    lane.prodPvt++;
    this.check();
  }

  /** RING_PUSH_RESPONSES_AND_CHECK_NOTIFY: publishes the responses put so far; returns whether it notified. */
  pushResponses(): boolean {
    return this.push(this.rsp, RingDirection.responses);
  }

  /** putResponse + pushResponses; returns whether it notified. */
  submitResponse(response: Rsp): boolean {
    this.putResponse(response);
    return this.pushResponses();
  }

  /** RING_FINAL_CHECK_FOR_REQUESTS: true if requests remain; otherwise re-arms req_event = req_cons + k. */
  finalCheckForRequests(): boolean {
    return this.finalCheck(this.req);
  }

  // ---- internals ----

  private push(lane: Lane<Req> | Lane<Rsp>, direction: RingDirection): boolean {
    const old = lane.prod;
    const nw = lane.prodPvt;
    if (nw === old) return false;
    lane.prod = nw;
    if (direction === RingDirection.requests) this.counts.requestsPushed += nw - old;
    else this.counts.responsesPushed += nw - old;
    this.check();
    // ring.h: notify = (RING_IDX)(new - event) < (RING_IDX)(new - old)
    if (u32(nw - lane.event) < u32(nw - old)) {
      if (lane.timer >= 0) this.cancelTimer(lane);
      this.notify(direction, NotifyCause.threshold, nw);
      return true;
    }
    const holdOff = lane.policy.holdOffNs;
    if (holdOff !== null && lane.timer < 0 && lane.armed) {
      lane.timerArmedAtNs = this.sim.now;
      lane.timer =
        direction === RingDirection.requests
          ? this.sim.schedule(holdOff, fireRequestHoldOff, this as unknown as IoRing<RingItem, RingItem>)
          : this.sim.schedule(holdOff, fireResponseHoldOff, this as unknown as IoRing<RingItem, RingItem>);
    }
    return false;
  }

  private finalCheck(lane: Lane<Req> | Lane<Rsp>): boolean {
    if (lane.unconsumed > 0) return true;
    lane.event = lane.cons + lane.policy.everyItems;
    if (lane.timer >= 0) this.cancelTimer(lane);
    return lane.unconsumed > 0; // ring.h re-checks after the barrier; sequential here, so always false
  }

  /** @internal The hold-off timer of `direction` fired. */
  _holdOffFired(direction: RingDirection): void {
    const lane = direction === RingDirection.requests ? this.req : this.rsp;
    lane.timer = -1;
    lane.timerArmedAtNs = -1;
    if (!lane.armed || lane.unconsumed === 0) return;
    lane.event = lane.prod; // the threshold is spent: no second notification before the consumer re-arms
    this.notify(direction, NotifyCause.holdOff, lane.prod);
  }

  private cancelTimer(lane: Lane<Req> | Lane<Rsp>): void {
    this.sim.cancel(lane.timer);
    lane.timer = -1;
    lane.timerArmedAtNs = -1;
  }

  private notify(direction: RingDirection, cause: NotifyCause, prodIndex: number): void {
    const c = this.counts;
    if (direction === RingDirection.requests) {
      c.requestNotifies++;
      if (cause === NotifyCause.holdOff) c.requestHoldOffNotifies++;
    } else {
      c.responseNotifies++;
      if (cause === NotifyCause.holdOff) c.responseHoldOffNotifies++;
    }
    if (this.notifier !== null) this.notifier(direction, cause);
    if (this.onNotify.size > 0) this.onNotify.emit(direction, cause, prodIndex, undefined);
  }

  private wakeSpaceWaiters(): void {
    let free = this.freeRequests;
    while (free > 0 && this.spaceWaiters.length > 0) {
      const w = this.spaceWaiters.shift() as Event<void> | (() => void);
      free--;
      if (w instanceof Event) w.succeed();
      else w();
    }
  }

  private check(): void {
    const q = this.req;
    const p = this.rsp;
    if (!(p.cons <= p.prod && p.prod <= p.prodPvt && p.prodPvt <= q.cons && q.cons <= q.prod && q.prod <= q.prodPvt)) {
      this.fail(
        `index order broken: rsp_cons ${p.cons} ≤ rsp_prod ${p.prod} ≤ rsp_prod_pvt ${p.prodPvt} ≤ req_cons ${q.cons} ≤ req_prod ${q.prod} ≤ req_prod_pvt ${q.prodPvt}`,
      );
    }
    if (q.prodPvt - p.cons > this.sizeEntries)
      this.fail(`${q.prodPvt - p.cons} requests in flight in a ring of ${this.sizeEntries}`);
  }

  private fail(message: string): never {
    throw new InvariantError(this.model, message, this.sim.now);
  }
}

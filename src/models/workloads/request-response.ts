// Request/response workload over an I/O ring: a client domain (front end) issues requests onto a
// shared ring to a server domain (back end), which serves them and answers on the same ring; both
// directions notify through one interdomain event channel under the ring's notification policy.
// This is what the event-batching study sweeps (request/response `everyItems` k = 1, 2, 4 … 64 and
// hold-off times).
//
// The path of one request (all CPU costs are demands on the domain's vCPU 0):
//   client: arrival (open loop: Poisson; closed loop: N requests always outstanding) → local backlog
//     → `clientIssueNs` (tag rr-issue) → put on the ring + RING_PUSH_REQUESTS_AND_CHECK_NOTIFY
//     → if it notifies: EVTCHNOP_send (hypercallNs, charged to the client)
//   server: upcall (upcallNs) → scan → handler: take a request → service (drawn, tag rr-service)
//     → put the response + push-and-check-notify → if it notifies: send (hypercallNs, server) → next
//     request; when none is left, RING_FINAL_CHECK_FOR_REQUESTS re-arms req_event = req_cons + k
//   client: upcall (upcallNs) → handler: take a response → `clientResponseNs` (tag rr-response) →
//     done (closed loop: the next request enters the backlog) → next response; when none is left,
//     final check re-arms rsp_event = rsp_cons + k.
// Each side serves one item at a time, so the consumer is "active" (event index passed, no
// notifications needed) from its notification until its final check finds nothing. A full ring
// holds the client's backlog back (waits for space; the freed slot is the one a consumed response
// releases). Without a hold-off, a batch threshold k larger than what can be outstanding stalls the
// run (the tail is never notified): that is the hazard the hold-off timer exists for.
//
// Measures (`RequestResponseMeasures`, over the window [warmupNs, warmupNs + runLengthNs)):
// throughput (responses consumed per s), latency = arrival at the client → response consumed and
// processed (ns: mean, p50, p99, max), notifications per item per direction and per round trip,
// upcalls per item, CPU spent on notifications (hypercalls + upcalls, counted from the host's
// completed demands by tag) versus useful work (issue + service + response processing), and
// conservation counters (generated = completed + in flight + backlog, issued = completed + in flight).
//
// Defaults (REQUEST_RESPONSE_DEFAULTS), with sources. None is fitted to a macro result.
//   clientIssueNs = clientResponseNs = 500 ns: anchor, calibration.md Table 3 Xen "null I/O" 0.50 µs
//     (the smallest kernel path that hands a buffer over), not a measurement of a driver.
//   serviceNs = exponential, mean 1880 ns: anchor, Table 3 Xen "open/close" 1.88 µs (a short kernel
//     operation with a lookup); exponential is the usual modelling assumption, not a measurement.
//   ringSizeEntries = 256: calibration.md "network rings" (256 entries per direction).
//   requestNotify = responseNotify = { everyItems: 1, holdOffNs: null }: ring.h's default (req_event
//     = rsp_event = cons + 1, no timer).
//   hypercallNs / upcallNs: EVENT_CHANNEL_DEFAULTS (events/event-channels.ts, from Table 3).
//   host: 1 CPU (the paper's single-CPU runs), BVT as Xen 1.0, default context-switch model, 20 ms
//     timer tick (host.ts defaults, calibration.md).
//   arrival = open, ratePerS = 10 000, outstanding = 1: an arbitrary light load (≈ 6 % of one CPU
//     with the defaults), to be set by the study. warmupNs = 10 ms, runLengthNs = 1 s: run control.
// Randomness: streams `request-response/arrivals` and `request-response/service`.
// Units: ns, requests per s.
import { RandomStreams, type Rng } from '../../sim/rng.js';
import { Deque } from '../../sim/deque.js';
import { InvariantError } from '../../sim/errors.js';
import { Simulation } from '../../sim/simulation.js';
import { Quantiles } from '../../sim/stats/quantiles.js';
import { Tally } from '../../sim/stats/tally.js';
import { BvtScheduler } from '../cpu/bvt.js';
import { ContextSwitchModel } from '../cpu/context-switch.js';
import { RoundRobinScheduler } from '../cpu/round-robin.js';
import { checkBool, checkInt, checkNumber, checkOneOf } from '../validate.js';
import { EVENT_CHANNEL_DEFAULTS, EventChannels, EventCostTag } from '../events/event-channels.js';
import type { Domain } from '../host/domain.js';
import { HOST_DEFAULTS, Host } from '../host/host.js';
import { Signal } from '../../sim/signal.js';
import type { Vcpu } from '../host/vcpu.js';
import { connectRing, type RingConnection } from '../io/ring-channel.js';
import { IoRing, NOTIFY_EVERY_ITEM, type NotifyPolicy } from '../io/ring.js';
import { type CpuDistribution, drawNs, validateDistribution } from './cpu-burst.js';

/** How requests arrive at the client. */
export const ArrivalMode = { open: 'open', closed: 'closed' } as const;
export type ArrivalMode = (typeof ArrivalMode)[keyof typeof ArrivalMode];

/** Which domain serves: a second guest, or domain 0 (Xen's back ends live there). */
export const ServerDomain = { guest: 'guest', dom0: 'dom0' } as const;
export type ServerDomain = (typeof ServerDomain)[keyof typeof ServerDomain];

/** Host scheduler choice for runRequestResponse. */
export const RrScheduler = { bvt: 'bvt', roundRobin: 'round-robin' } as const;
export type RrScheduler = (typeof RrScheduler)[keyof typeof RrScheduler];

/** CPU demand tags of the workload's useful work. */
export const RrTag = { issue: 'rr-issue', service: 'rr-service', response: 'rr-response' } as const;
export type RrTag = (typeof RrTag)[keyof typeof RrTag];

/** The workload proper (what runs in the two domains). */
export interface RequestResponseWorkloadParams {
  readonly arrival: ArrivalMode;
  /** Open loop: Poisson arrival rate, requests per s. */
  readonly ratePerS: number;
  /** Closed loop: requests always outstanding (in the backlog, on the ring, or being processed). */
  readonly outstanding: number;
  /** Server CPU per request. */
  readonly serviceNs: CpuDistribution;
  /** Client CPU to build and issue one request, ns. */
  readonly clientIssueNs: number;
  /** Client CPU to consume one response, ns. */
  readonly clientResponseNs: number;
  /** Ring entries (power of two). */
  readonly ringSizeEntries: number;
  /** Policy for request notifications (set by the server, the requests' consumer). */
  readonly requestNotify: NotifyPolicy;
  /** Policy for response notifications (set by the client, the responses' consumer). */
  readonly responseNotify: NotifyPolicy;
}

/** Everything runRequestResponse needs: the workload, the host and the run control. */
export interface RequestResponseParams extends RequestResponseWorkloadParams {
  readonly hypercallNs: number;
  readonly upcallNs: number;
  readonly cpus: number;
  readonly scheduler: RrScheduler;
  readonly contextSwitchCosts: boolean;
  readonly timerTickNs: number;
  readonly server: ServerDomain;
  readonly warmupNs: number;
  readonly runLengthNs: number;
}

export const REQUEST_RESPONSE_DEFAULTS: RequestResponseParams = Object.freeze({
  arrival: ArrivalMode.open,
  ratePerS: 10_000,
  outstanding: 1,
  serviceNs: Object.freeze({ kind: 'exponential', meanNs: 1880 }) as CpuDistribution,
  clientIssueNs: 500,
  clientResponseNs: 500,
  ringSizeEntries: 256,
  requestNotify: NOTIFY_EVERY_ITEM,
  responseNotify: NOTIFY_EVERY_ITEM,
  hypercallNs: EVENT_CHANNEL_DEFAULTS.hypercallNs,
  upcallNs: EVENT_CHANNEL_DEFAULTS.upcallNs,
  cpus: 1,
  scheduler: RrScheduler.bvt,
  contextSwitchCosts: true,
  timerTickNs: HOST_DEFAULTS.timerTickNs,
  server: ServerDomain.guest,
  warmupNs: 10_000_000,
  runLengthNs: 1_000_000_000,
});

export interface RrRequest {
  readonly id: number;
  /** When the request arrived at the client (latency origin), ns. */
  readonly arrivedAtNs: number;
}
export interface RrResponse {
  readonly id: number;
  readonly arrivedAtNs: number;
}

const WHERE = 'request-response';

function checkPolicy(field: string, p: NotifyPolicy, size: number): void {
  if (p === null || typeof p !== 'object') throw new RangeError(`${WHERE}: ${field} must be an object { everyItems, holdOffNs }, got ${String(p)}`);
  checkInt(WHERE, `${field}.everyItems`, p.everyItems, 1, size);
  if (p.holdOffNs !== null) checkInt(WHERE, `${field}.holdOffNs`, p.holdOffNs, 0);
}

/** Validates workload parameters (RangeError naming the field, the value and the range). */
export function validateWorkloadParams(p: RequestResponseWorkloadParams): void {
  checkOneOf(WHERE, 'arrival', p.arrival, ArrivalMode);
  checkNumber(WHERE, 'ratePerS', p.ratePerS, Number.MIN_VALUE, 1e12);
  checkInt(WHERE, 'outstanding', p.outstanding, 1, 1_000_000);
  validateDistribution(WHERE, 'serviceNs', p.serviceNs);
  checkInt(WHERE, 'clientIssueNs', p.clientIssueNs, 0);
  checkInt(WHERE, 'clientResponseNs', p.clientResponseNs, 0);
  checkInt(WHERE, 'ringSizeEntries', p.ringSizeEntries, 1, 2 ** 30);
  if ((p.ringSizeEntries & (p.ringSizeEntries - 1)) !== 0) {
    throw new RangeError(`${WHERE}: ringSizeEntries must be a power of two, got ${p.ringSizeEntries}`);
  }
  checkPolicy('requestNotify', p.requestNotify, p.ringSizeEntries);
  checkPolicy('responseNotify', p.responseNotify, p.ringSizeEntries);
}

/** Counters of the workload (monotone; take differences for a window). */
export interface RequestResponseCounts {
  /** Requests that arrived at the client. */
  generated: number;
  /** Requests put on the ring. */
  issued: number;
  /** Responses consumed and processed by the client. */
  completed: number;
  /** Useful CPU issued as demand so far, per kind, ns (counted when the demand completes). */
  issueCpuNs: number;
  serviceCpuNs: number;
  responseCpuNs: number;
}

function vcpu0(d: Domain): Vcpu {
  const v = d.vcpus[0];
  if (v === undefined) throw new RangeError(`${WHERE}: domain ${d.name} has no vCPU`);
  return v;
}

/**
 * The workload between a client and a server domain on a host (building block of
 * runRequestResponse). Construct, then `start()`. Observation: `onComplete(id, latencyNs, now)`.
 */
export class RequestResponseWorkload {
  readonly host: Host;
  readonly sim: Simulation;
  readonly channels: EventChannels;
  readonly client: Domain;
  readonly server: Domain;
  readonly params: RequestResponseWorkloadParams;
  readonly ring: IoRing<RrRequest, RrResponse>;
  readonly connection: RingConnection;
  /** (request id, latency ns, now): a response has been consumed and processed by the client. */
  readonly onComplete = new Signal<number, number, number>();
  readonly counts: RequestResponseCounts = { generated: 0, issued: 0, completed: 0, issueCpuNs: 0, serviceCpuNs: 0, responseCpuNs: 0 };

  private readonly arrivalsRng: Rng;
  private readonly serviceRng: Rng;
  private readonly clientVcpu: Vcpu;
  private readonly serverVcpu: Vcpu;
  private readonly backlog = new Deque<number>(); // arrival times
  private nextId = 0;
  private issuing = false;
  private waitingSpace = false;
  private serving = false;
  private consuming = false;
  private started = false;
  private stopped = false;
  private pendingIssue: number | null = null; // arrival time of the request being issued
  private pendingService: RrRequest | null = null;
  private pendingResponse: RrResponse | null = null;

  // bound callbacks (no allocation per item)
  private readonly kickIssueFn = (): void => this.kickIssue();
  private readonly afterIssueFn = (): void => this.afterIssue();
  private readonly kickServerFn = (): void => this.kickServer();
  private readonly afterServiceFn = (): void => this.afterService();
  private readonly kickClientFn = (): void => this.kickClient();
  private readonly afterResponseFn = (): void => this.afterResponse();
  private readonly arrivalFn = (): void => this.arrival();
  private lastServiceNs = 0;

  constructor(host: Host, channels: EventChannels, client: Domain, server: Domain, params: RequestResponseWorkloadParams, streams: RandomStreams) {
    validateWorkloadParams(params);
    if (client === server) throw new RangeError(`${WHERE}: client and server must be different domains, got ${client.name} twice`);
    this.host = host;
    this.sim = host.sim;
    this.channels = channels;
    this.client = client;
    this.server = server;
    this.params = params;
    this.clientVcpu = vcpu0(client);
    this.serverVcpu = vcpu0(server);
    this.arrivalsRng = streams.stream('request-response/arrivals');
    this.serviceRng = streams.stream('request-response/service');
    this.ring = new IoRing<RrRequest, RrResponse>(host.sim, {
      name: `rr:${client.name}->${server.name}`,
      sizeEntries: params.ringSizeEntries,
      requestNotify: params.requestNotify,
      responseNotify: params.responseNotify,
    });
    this.connection = connectRing(this.ring, channels, client, server);
    channels.onEvent(server, this.connection.backPort, this.kickServerFn);
    channels.onEvent(client, this.connection.frontPort, this.kickClientFn);
  }

  /** Starts the arrivals (open loop) or puts the N outstanding requests in the backlog (closed loop). */
  start(): void {
    if (this.started) throw new RangeError(`${WHERE}: start() called twice`);
    this.started = true;
    if (this.params.arrival === ArrivalMode.open) {
      this.sim.schedule(this.interarrivalNs(), this.arrivalFn);
    } else {
      for (let i = 0; i < this.params.outstanding; i++) this.enqueue();
      this.kickIssue();
    }
  }

  /** Stops new arrivals (requests already generated still complete). */
  stop(): void {
    this.stopped = true;
  }

  /** Requests waiting at the client, not yet on the ring. */
  get backlogLength(): number {
    return this.backlog.length + (this.pendingIssue !== null ? 1 : 0);
  }

  /** Requests issued (on the ring) and not yet completed. */
  get inFlight(): number {
    return this.counts.issued - this.counts.completed;
  }

  /** Checks the conservation laws; throws InvariantError('request-response', …). */
  checkConservation(): void {
    const c = this.counts;
    const now = this.sim.now;
    if (c.generated !== c.completed + this.inFlight + this.backlogLength) {
      throw new InvariantError(WHERE, `generated ${c.generated} ≠ completed ${c.completed} + in flight ${this.inFlight} + backlog ${this.backlogLength}`, now);
    }
    // in flight = on the ring (ids outstanding) + the response the client is processing
    const onRing = this.ring.outstandingIds;
    const processing = this.pendingResponse !== null ? 1 : 0;
    if (this.inFlight !== onRing + processing) {
      throw new InvariantError(WHERE, `in flight ${this.inFlight} ≠ ring ids outstanding ${onRing} + being processed ${processing}`, now);
    }
    if (this.params.arrival === ArrivalMode.closed && c.generated - c.completed !== this.params.outstanding) {
      throw new InvariantError(WHERE, `closed loop holds ${c.generated - c.completed} requests, not ${this.params.outstanding}`, now);
    }
  }

  // ---- client: arrivals and issue ----

  private interarrivalNs(): number {
    return Math.max(1, Math.round(this.arrivalsRng.exponential(1e9 / this.params.ratePerS)));
  }

  private arrival(): void {
    if (this.stopped) return;
    this.enqueue();
    this.kickIssue();
    this.sim.schedule(this.interarrivalNs(), this.arrivalFn);
  }

  private enqueue(): void {
    this.counts.generated++;
    this.backlog.push(this.sim.now);
  }

  private kickIssue(): void {
    if (this.issuing || this.backlog.length === 0) return;
    if (this.ring.full) {
      if (!this.waitingSpace) {
        this.waitingSpace = true;
        this.ring.onSpace(() => {
          this.waitingSpace = false;
          this.kickIssue();
        });
      }
      return;
    }
    this.issuing = true;
    this.pendingIssue = this.backlog.shift() as number;
    this.clientVcpu.run(this.params.clientIssueNs, { tag: RrTag.issue }).addCallback(this.afterIssueFn);
  }

  private afterIssue(): void {
    const arrivedAtNs = this.pendingIssue as number;
    this.pendingIssue = null;
    this.counts.issueCpuNs += this.params.clientIssueNs;
    // the ring cannot have filled meanwhile: only this client produces requests
    this.ring.submitRequest({ id: this.nextId++, arrivedAtNs });
    this.counts.issued++;
    this.issuing = false;
    this.kickIssue();
  }

  // ---- server ----

  private kickServer(): void {
    if (this.serving) return;
    for (;;) {
      const req = this.ring.takeRequest();
      if (req !== undefined) {
        this.serving = true;
        this.pendingService = req;
        this.lastServiceNs = drawNs(this.serviceRng, this.params.serviceNs);
        this.serverVcpu.run(this.lastServiceNs, { tag: RrTag.service }).addCallback(this.afterServiceFn);
        return;
      }
      if (!this.ring.finalCheckForRequests()) return; // re-armed: idle until notified
    }
  }

  private afterService(): void {
    const req = this.pendingService as RrRequest;
    this.pendingService = null;
    this.counts.serviceCpuNs += this.lastServiceNs;
    this.ring.submitResponse({ id: req.id, arrivedAtNs: req.arrivedAtNs });
    this.serving = false;
    this.kickServer();
  }

  // ---- client: responses ----

  private kickClient(): void {
    if (this.consuming) return;
    for (;;) {
      const rsp = this.ring.takeResponse();
      if (rsp !== undefined) {
        this.consuming = true;
        this.pendingResponse = rsp;
        this.clientVcpu.run(this.params.clientResponseNs, { tag: RrTag.response }).addCallback(this.afterResponseFn);
        return;
      }
      if (!this.ring.finalCheckForResponses()) return;
    }
  }

  private afterResponse(): void {
    const rsp = this.pendingResponse as RrResponse;
    this.pendingResponse = null;
    this.counts.responseCpuNs += this.params.clientResponseNs;
    this.counts.completed++;
    const now = this.sim.now;
    if (this.onComplete.size > 0) this.onComplete.emit(rsp.id, now - rsp.arrivedAtNs, now, undefined);
    this.consuming = false;
    if (this.params.arrival === ArrivalMode.closed && !this.stopped) {
      this.enqueue();
      this.kickIssue();
    }
    this.kickClient();
  }
}

/** What runRequestResponse reports (window = [warmupNs, warmupNs + runLengthNs)). */
export interface RequestResponseMeasures {
  readonly windowNs: number;
  /** Engine events processed by the whole run (warm-up included). */
  readonly events: number;
  /** Whole run (from 0): conservation counters at the end. */
  readonly generated: number;
  readonly issued: number;
  readonly completed: number;
  readonly inFlightAtEnd: number;
  readonly backlogAtEnd: number;
  /** Window measures. */
  readonly completedInWindow: number;
  readonly throughputPerS: number;
  readonly latencyMeanNs: number;
  readonly latencyP50Ns: number;
  readonly latencyP99Ns: number;
  readonly latencyMaxNs: number;
  /** Request notifications (client → server) per request pushed. */
  readonly requestNotifiesPerItem: number;
  /** Response notifications (server → client) per response pushed. */
  readonly responseNotifiesPerItem: number;
  /** Both directions, per completed request. */
  readonly notifiesPerItem: number;
  /** Of all notifications in the window, the fraction sent by a hold-off timer. */
  readonly holdOffNotifyFraction: number;
  readonly clientUpcallsPerItem: number;
  readonly serverUpcallsPerItem: number;
  /** CPU on notifications (hypercalls + upcalls, both domains) per completed request, ns. */
  readonly notificationCpuPerItemNs: number;
  /** CPU on useful work (issue + service + response) per completed request, ns. */
  readonly usefulCpuPerItemNs: number;
  /** notification / (notification + useful). */
  readonly notificationCpuFraction: number;
  /** CPU received by each domain in the window (everything: work, notifications, timer), ns. */
  readonly clientBusyNs: number;
  readonly serverBusyNs: number;
  /** Host CPU time spent context switching in the window, ns. */
  readonly switchingNs: number;
  /** Host busy / (window · cpus). */
  readonly hostUtilisation: number;
}

interface Snapshot {
  completed: number;
  reqPushed: number;
  rspPushed: number;
  reqNotifies: number;
  rspNotifies: number;
  holdOffNotifies: number;
  clientUpcalls: number;
  serverUpcalls: number;
  notifCpuNs: number;
  usefulCpuNs: number;
  clientBusyNs: number;
  serverBusyNs: number;
  switchingNs: number;
  busyNs: number;
}

function validateRunParams(p: RequestResponseParams): void {
  validateWorkloadParams(p);
  checkInt(WHERE, 'hypercallNs', p.hypercallNs, 0);
  checkInt(WHERE, 'upcallNs', p.upcallNs, 0);
  checkInt(WHERE, 'cpus', p.cpus, 1, 64);
  checkOneOf(WHERE, 'scheduler', p.scheduler, RrScheduler);
  checkBool(WHERE, 'contextSwitchCosts', p.contextSwitchCosts);
  checkInt(WHERE, 'timerTickNs', p.timerTickNs, 0);
  checkOneOf(WHERE, 'server', p.server, ServerDomain);
  checkInt(WHERE, 'warmupNs', p.warmupNs, 0);
  checkInt(WHERE, 'runLengthNs', p.runLengthNs, 1);
}

/**
 * Runs the workload on a fresh host (client and server domains, one event channel, one ring) and
 * returns the window's measures. Pure function of (params, seed).
 */
export function runRequestResponse(params: Partial<RequestResponseParams>, seed: string | number): RequestResponseMeasures {
  for (const key of Object.keys(params)) {
    if (!(key in REQUEST_RESPONSE_DEFAULTS)) {
      throw new RangeError(`${WHERE}: unknown parameter ${JSON.stringify(key)}; allowed: ${Object.keys(REQUEST_RESPONSE_DEFAULTS).join(', ')}`);
    }
  }
  const p: RequestResponseParams = { ...REQUEST_RESPONSE_DEFAULTS, ...params };
  validateRunParams(p);
  const sim = new Simulation();
  const host = new Host(sim, {
    cpus: p.cpus,
    scheduler: p.scheduler === RrScheduler.bvt ? new BvtScheduler() : new RoundRobinScheduler(),
    contextSwitch: p.contextSwitchCosts ? new ContextSwitchModel() : ContextSwitchModel.free(),
    timerTickNs: p.timerTickNs,
  });
  const channels = new EventChannels(host, { hypercallNs: p.hypercallNs, upcallNs: p.upcallNs });
  const client = host.control.createDomain({ name: 'client' });
  const server = p.server === ServerDomain.dom0 ? host.dom0 : host.control.createDomain({ name: 'server' });
  const w = new RequestResponseWorkload(host, channels, client, server, p, new RandomStreams(seed));

  // notification CPU, counted when the demands complete (exact amounts: the costs are constants)
  let notifCpuNs = 0;
  host.onDemandDone.add((v, tag) => {
    if (v.domain !== client && v.domain !== server) return;
    if (tag === EventCostTag.hypercall) notifCpuNs += p.hypercallNs;
    else if (tag === EventCostTag.upcall) notifCpuNs += p.upcallNs;
  });
  const latency = new Tally();
  const quantiles = new Quantiles();
  let measuring = false;
  w.onComplete.add((_id, latencyNs) => {
    if (!measuring) return;
    latency.add(latencyNs);
    quantiles.add(latencyNs);
  });
  const snap = (): Snapshot => {
    const rc = w.ring.counts;
    const acc = host.accounting();
    return {
      completed: w.counts.completed,
      reqPushed: rc.requestsPushed,
      rspPushed: rc.responsesPushed,
      reqNotifies: rc.requestNotifies,
      rspNotifies: rc.responseNotifies,
      holdOffNotifies: rc.requestHoldOffNotifies + rc.responseHoldOffNotifies,
      clientUpcalls: channels.counts(client).upcalls,
      serverUpcalls: channels.counts(server).upcalls,
      notifCpuNs,
      usefulCpuNs: w.counts.issueCpuNs + w.counts.serviceCpuNs + w.counts.responseCpuNs,
      clientBusyNs: client.busyNs,
      serverBusyNs: server.busyNs,
      switchingNs: acc.switchingNs,
      busyNs: acc.busyNs,
    };
  };

  w.start();
  sim.run(p.warmupNs);
  measuring = true;
  const s0 = snap();
  const end = p.warmupNs + p.runLengthNs;
  sim.run(end);
  const s1 = snap();
  w.checkConservation();
  host.checkConservation();

  const n = s1.completed - s0.completed;
  const per = (x: number): number => (n > 0 ? x / n : NaN);
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);
  const notif = s1.notifCpuNs - s0.notifCpuNs;
  const useful = s1.usefulCpuNs - s0.usefulCpuNs;
  const notifies = s1.reqNotifies - s0.reqNotifies + (s1.rspNotifies - s0.rspNotifies);
  return {
    windowNs: p.runLengthNs,
    events: sim.eventsProcessed,
    generated: w.counts.generated,
    issued: w.counts.issued,
    completed: w.counts.completed,
    inFlightAtEnd: w.inFlight,
    backlogAtEnd: w.backlogLength,
    completedInWindow: n,
    throughputPerS: (n * 1e9) / p.runLengthNs,
    latencyMeanNs: latency.count > 0 ? latency.mean : NaN,
    latencyP50Ns: quantiles.quantile(0.5),
    latencyP99Ns: quantiles.quantile(0.99),
    latencyMaxNs: latency.count > 0 ? latency.max : NaN,
    requestNotifiesPerItem: ratio(s1.reqNotifies - s0.reqNotifies, s1.reqPushed - s0.reqPushed),
    responseNotifiesPerItem: ratio(s1.rspNotifies - s0.rspNotifies, s1.rspPushed - s0.rspPushed),
    notifiesPerItem: per(notifies),
    holdOffNotifyFraction: ratio(s1.holdOffNotifies - s0.holdOffNotifies, notifies),
    clientUpcallsPerItem: per(s1.clientUpcalls - s0.clientUpcalls),
    serverUpcallsPerItem: per(s1.serverUpcalls - s0.serverUpcalls),
    notificationCpuPerItemNs: per(notif),
    usefulCpuPerItemNs: per(useful),
    notificationCpuFraction: ratio(notif, notif + useful),
    clientBusyNs: s1.clientBusyNs - s0.clientBusyNs,
    serverBusyNs: s1.serverBusyNs - s0.serverBusyNs,
    switchingNs: s1.switchingNs - s0.switchingNs,
    hostUtilisation: (s1.busyNs - s0.busyNs) / (p.runLengthNs * p.cpus),
  };
}

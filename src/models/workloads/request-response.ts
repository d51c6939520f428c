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
//   clientIssueNs = clientResponseNs = 500 ns: anchor, docs/calibration.md Table 3 Xen "null I/O" 0.50 µs
//     (the smallest kernel path that hands a buffer over), not a measurement of a driver.
//   serviceNs = exponential, mean 1880 ns: anchor, Table 3 Xen "open/close" 1.88 µs (a short kernel
//     operation with a lookup); exponential is the usual modelling assumption, not a measurement.
//   ringSizeEntries = 256: docs/calibration.md "Hypervisor constants (Xen source)", entry netRingEntries
//     (256 entries per direction).
//   requestNotify = responseNotify = { everyItems: 1, holdOffNs: null }: ring.h's default (req_event
//     = rsp_event = cons + 1, no timer).
//   hypercallNs / upcallNs: EVENT_CHANNEL_DEFAULTS (events/event-channels.ts, from Table 3).
//   host: 1 CPU (the paper's single-CPU runs), BVT as Xen 1.0, default context-switch model, 20 ms
//     timer tick (host.ts defaults, docs/calibration.md).
//   arrival = open, ratePerS = 10 000, outstanding = 1: an arbitrary light load (≈ 6 % of one CPU
//     with the defaults), to be set by the study. warmupNs = 10 ms, runLengthNs = 1 s: run control.
// Randomness: streams `request-response/arrivals` and `request-response/service`.
// Units: ns, requests per s.
import { type RandomStreams, type Rng } from '../../sim/rng.js';
import { Deque } from '../../sim/deque.js';
import { InvariantError } from '../../sim/errors.js';
import { type Simulation } from '../../sim/simulation.js';
import { checkInt, checkNumber, checkOneOf } from '../validate.js';
import { EVENT_CHANNEL_DEFAULTS, type EventChannels } from '../events/event-channels.js';
import type { Domain } from '../host/domain.js';
import { HOST_DEFAULTS, type Host } from '../host/host.js';
import { Signal } from '../../sim/signal.js';
import type { Vcpu } from '../host/vcpu.js';
import { connectRing, type RingConnection } from '../io/ring-channel.js';
import { IoRing, NOTIFY_EVERY_ITEM, type NotifyPolicy } from '../io/ring.js';
import { RingConsumer } from '../io/ring-consumer.js';
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
  /**
   * Cap on the client's backlog (requests arrived, not yet on the ring). Past saturation an open loop's
   * backlog grows without bound; a run whose backlog would exceed the cap fails with an error naming
   * the queue, instead of filling memory. Default 1 000 000 requests (assumption: a memory guard, far
   * above any backlog of a run below saturation).
   */
  readonly maxBacklog: number;
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
  maxBacklog: 1_000_000,
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
  if (p === null || typeof p !== 'object')
    throw new RangeError(`${WHERE}: ${field} must be an object { everyItems, holdOffNs }, got ${String(p)}`);
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
  checkInt(WHERE, 'maxBacklog', p.maxBacklog, 1);
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
 * The workload between a client and a server domain on a host (the model; its measurement harness is
 * runRequestResponse in src/kit/request-response-run.ts). Construct, then `start()`. Observation:
 * `onComplete(id, latencyNs, now)`.
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
  readonly counts: RequestResponseCounts = {
    generated: 0,
    issued: 0,
    completed: 0,
    issueCpuNs: 0,
    serviceCpuNs: 0,
    responseCpuNs: 0,
  };

  private readonly arrivalsRng: Rng;
  private readonly serviceRng: Rng;
  private readonly clientVcpu: Vcpu;
  private readonly serverVcpu: Vcpu;
  private readonly backlog = new Deque<number>(); // arrival times
  private nextId = 0;
  private issuing = false;
  private waitingSpace = false;
  private started = false;
  private stopped = false;
  private pendingIssue: number | null = null; // arrival time of the request being issued
  private pendingService: RrRequest | null = null;
  private pendingResponse: RrResponse | null = null;

  // bound callbacks (no allocation per item)
  private readonly kickIssueFn = (): void => this.kickIssue();
  private readonly afterIssueFn = (): void => this.afterIssue();
  private readonly afterServiceFn = (): void => this.afterService();
  private readonly afterResponseFn = (): void => this.afterResponse();
  /** The server's drain loop over the requests, and the client's over the responses. */
  private readonly serverSide: RingConsumer<RrRequest>;
  private readonly clientSide: RingConsumer<RrResponse>;
  private readonly arrivalFn = (): void => this.arrival();
  private lastServiceNs = 0;

  constructor(
    host: Host,
    channels: EventChannels,
    client: Domain,
    server: Domain,
    params: RequestResponseWorkloadParams,
    streams: RandomStreams,
  ) {
    validateWorkloadParams(params);
    if (client === server)
      throw new RangeError(`${WHERE}: client and server must be different domains, got ${client.name} twice`);
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
    const ring = this.ring;
    this.serverSide = new RingConsumer(
      { take: () => ring.takeRequest(), finalCheck: () => ring.finalCheckForRequests() },
      (req) => this.serve(req),
    );
    this.clientSide = new RingConsumer(
      { take: () => ring.takeResponse(), finalCheck: () => ring.finalCheckForResponses() },
      (rsp) => this.consume(rsp),
    );
    const serverSide = this.serverSide;
    const clientSide = this.clientSide;
    channels.onEvent(server, this.connection.backPort, () => serverSide.kick());
    channels.onEvent(client, this.connection.frontPort, () => clientSide.kick());
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
      throw new InvariantError(
        WHERE,
        `generated ${c.generated} ≠ completed ${c.completed} + in flight ${this.inFlight} + backlog ${this.backlogLength}`,
        now,
      );
    }
    // in flight = on the ring (ids outstanding) + the response the client is processing
    const onRing = this.ring.outstandingIds;
    const processing = this.pendingResponse !== null ? 1 : 0;
    if (this.inFlight !== onRing + processing) {
      throw new InvariantError(
        WHERE,
        `in flight ${this.inFlight} ≠ ring ids outstanding ${onRing} + being processed ${processing}`,
        now,
      );
    }
    if (this.params.arrival === ArrivalMode.closed && c.generated - c.completed !== this.params.outstanding) {
      throw new InvariantError(
        WHERE,
        `closed loop holds ${c.generated - c.completed} requests, not ${this.params.outstanding}`,
        now,
      );
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
    if (this.backlog.length >= this.params.maxBacklog) {
      throw new RangeError(
        `${WHERE}: the client backlog (requests waiting to be put on the ring) reached maxBacklog = ${this.params.maxBacklog} ` +
          `at ${this.sim.now} ns: arrivals outpace what the ring and the server complete (offered load past saturation); ` +
          'lower the arrival rate, shorten the run, or raise maxBacklog',
      );
    }
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

  private serve(req: RrRequest): void {
    this.pendingService = req;
    this.lastServiceNs = drawNs(this.serviceRng, this.params.serviceNs);
    this.serverVcpu.run(this.lastServiceNs, { tag: RrTag.service }).addCallback(this.afterServiceFn);
  }

  private afterService(): void {
    const req = this.pendingService as RrRequest;
    this.pendingService = null;
    this.counts.serviceCpuNs += this.lastServiceNs;
    this.ring.submitResponse({ id: req.id, arrivedAtNs: req.arrivedAtNs });
    this.serverSide.done();
  }

  // ---- client: responses ----

  private consume(rsp: RrResponse): void {
    this.pendingResponse = rsp;
    this.clientVcpu.run(this.params.clientResponseNs, { tag: RrTag.response }).addCallback(this.afterResponseFn);
  }

  private afterResponse(): void {
    const rsp = this.pendingResponse as RrResponse;
    this.pendingResponse = null;
    this.counts.responseCpuNs += this.params.clientResponseNs;
    this.counts.completed++;
    const now = this.sim.now;
    if (this.onComplete.size > 0) this.onComplete.emit(rsp.id, now - rsp.arrivedAtNs, now, undefined);
    this.clientSide.release();
    if (this.params.arrival === ArrivalMode.closed && !this.stopped) {
      this.enqueue();
      this.kickIssue();
    }
    this.clientSide.kick();
  }
}

// The measurement harness of the request/response workload (src/models/workloads/request-response.ts):
// a fresh host with a client and a server domain, one event channel and one ring, run over a
// measurement window; returns the window's measures. This is what the event-batching study runs.
//
// Measures (`RequestResponseMeasures`, over the window [warmupNs, warmupNs + runLengthNs)):
// throughput (responses consumed per s), latency = arrival at the client → response consumed and
// processed (ns: mean, p50, p99, max), notifications per item per direction and per round trip,
// upcalls per item, CPU spent on notifications (hypercalls + upcalls, counted from the host's
// completed demands by tag) versus useful work (issue + service + response processing), and
// conservation counters (generated = completed + in flight + backlog, issued = completed + in flight).
// Host: BVT as Xen 1.0 (or round robin), calibrated context switches (or free), calibrated control
// costs; defaults and their sources: REQUEST_RESPONSE_DEFAULTS. Units: ns, requests per s.
import { ContextSwitchModel } from '../models/cpu/context-switch.js';
import { EventChannels, EventCostTag } from '../models/events/event-channels.js';
import {
  REQUEST_RESPONSE_DEFAULTS,
  RequestResponseWorkload,
  RrScheduler,
  ServerDomain,
  validateWorkloadParams,
  type RequestResponseParams,
} from '../models/workloads/request-response.js';
import { checkBool, checkInt, checkOneOf } from '../models/validate.js';
import { Quantiles } from '../sim/stats/quantiles.js';
import { Tally } from '../sim/stats/tally.js';
import { buildScenario } from './scenario.js';
import { MeasurementWindow } from './window.js';

const WHERE = 'request-response';

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
export function runRequestResponse(
  params: Partial<RequestResponseParams>,
  seed: string | number,
): RequestResponseMeasures {
  for (const key of Object.keys(params)) {
    if (!(key in REQUEST_RESPONSE_DEFAULTS)) {
      throw new RangeError(
        `${WHERE}: unknown parameter ${JSON.stringify(key)}; allowed: ${Object.keys(REQUEST_RESPONSE_DEFAULTS).join(', ')}`,
      );
    }
  }
  const p: RequestResponseParams = { ...REQUEST_RESPONSE_DEFAULTS, ...params };
  validateRunParams(p);
  const { sim, host, streams } = buildScenario(seed, {
    cpus: p.cpus,
    scheduler: p.scheduler === RrScheduler.bvt ? 'bvt-xen1' : 'round-robin',
    contextSwitch: p.contextSwitchCosts ? new ContextSwitchModel() : ContextSwitchModel.free(),
    timerTickNs: p.timerTickNs,
    controlCosts: 'calibrated',
  });
  const channels = new EventChannels(host, { hypercallNs: p.hypercallNs, upcallNs: p.upcallNs });
  const client = host.control.createDomain({ name: 'client' });
  const server = p.server === ServerDomain.dom0 ? host.dom0 : host.control.createDomain({ name: 'server' });
  const w = new RequestResponseWorkload(host, channels, client, server, p, streams);

  // notification CPU, counted when the demands complete (exact amounts: the costs are constants)
  let notifCpuNs = 0;
  host.onDemandDone.add((v, tag) => {
    if (v.domain !== client && v.domain !== server) return;
    if (tag === EventCostTag.hypercall) notifCpuNs += p.hypercallNs;
    else if (tag === EventCostTag.upcall) notifCpuNs += p.upcallNs;
  });
  const latency = new Tally();
  const quantiles = new Quantiles();
  const win = new MeasurementWindow(sim, host, p);
  w.onComplete.add((_id, latencyNs) => {
    if (!win.measuring) return;
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
  win.open();
  const s0 = snap();
  win.close();
  const s1 = snap();
  w.checkConservation();

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

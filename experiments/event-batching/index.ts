// Study event-batching: "how do throughput, latency and CPU overhead move when the guest asks for an
// event notification every 1, 2, 4 … 64 items?" A request stream over one shared I/O ring between a
// client and a server domain; both directions notify through one event channel under the ring's
// notification policy: the consumer re-arms its event index k items ahead (`k`), and a producer
// notifies at the latest `holdOffNs` after the first un-notified item (0 = no hold-off timer).
//
// Model: src/models/workloads/request-response.ts, run by src/kit/request-response-run.ts. Per request the client
// spends clientIssueNs (500 ns) to issue it, the server an exponential service time (mean
// serviceMeanNs, 1880 ns), the client clientResponseNs (500 ns) to consume the response; each
// notification costs the sender an EVTCHNOP_send hypercall (450 ns) and the receiver an upcall
// (1290 ns) — anchors on the paper's Table 3, see that module and events/event-channels.ts — and wakes
// the receiving domain through the CPU scheduler (Xen 1.0 BVT), which costs a context switch on the one
// CPU (calibrated context-switch model). Ring: 256 entries (calibration.md). The same k and hold-off
// apply to both directions. A consumer that is still busy when items arrive finds them in its final
// check without being notified (ring.h's event-index protocol), so under load the ring batches by
// itself.
// Load: open loop, Poisson arrivals at ratePerS (or closed loop with `outstanding` requests).
//
// The default grid has two parts (a list grid):
//   A. the k sweep: k = 1, 2, 4 … 64 × hold-off ∈ {10 µs, 100 µs, 1 ms, none} at 50 000 requests/s
//      (≈ 15-30 % of the CPU: a moderate load at which notifications are needed);
//   B. the load sweep: k ∈ {1, 4, 16, 64} × 25 000 … 330 000 requests/s at a 100 µs hold-off, for the
//      latency-throughput trade-off (the CPU saturates near 345 000 requests/s).
// Charts are built from the part they need: the k-sweep charts from the points at the most common
// ratePerS, the latency-throughput chart from the hold-off with the most loads. Other parameters that
// vary (e.g. --grid cpus=1,2) are added to the series labels.
//
// Measures (window [warmupNs, warmupNs + runLengthNs)) are runRequestResponse's, plus:
//   notificationsPerItem = mean over the two directions of notifications per item pushed (1/k when
//     every batch of k items finds the consumer idle and armed: the dashed line);
//   switchingFraction = context-switch time / (window · CPUs);
//   cpuPerRequestNs = (host busy + switching time) / completed requests: everything the host spent,
//     whose floor is the useful work clientIssueNs + serviceMeanNs + clientResponseNs.
// Latency: arrival at the client → response consumed and processed (mean, p50, p99).
// Theory drawn: 1/k notifications per item; the useful-work floor of the CPU per request; the offered
// load on the throughput chart; and for the no-hold-off series the batching approximation
// L(k) ≈ L(1) + (k − 1)(1/λ + S + R)/2 (item i of a batch waits for k − i more arrivals, its response
// for k − i more services S, and its processing behind i − 1 others, R = clientResponseNs; L(1) is the
// simulated k = 1 mean).
// Reading the results: with a hold-off shorter than the time k items take to arrive, a request batch
// is cut by the timer before it holds k items, so its responses never reach the client's event index
// either and wait for the response-side timer too: latency ≈ the request wait + a full hold-off
// (e.g. 1 ms at k = 64 and 50k requests/s is slower than no timer at all). And under heavy load the
// consumers stay active and find new items in their final checks, so notifications per item fall
// below 1/k whatever k is; k then matters little (the latency-throughput chart).
// Randomness: request-response/arrivals and request-response/service (common random numbers across k
// and hold-off). Defaults: warm-up 50 ms, 1 s runs, 5 replications: 56 points, 280 runs, about 1.5-2
// minutes on 2 cores. --quick: k ∈ {1, 4, 16, 64}, hold-off ∈ {100 µs, none}, loads {50k, 200k}, 3
// replications of 200 ms.
import type { RequestResponseParams } from '../../src/models/workloads/request-response.js';
import { runRequestResponse } from '../../src/kit/request-response-run.js';
import { defineStudy, type ParamsOf } from '../../src/kit/index.js';
import { EVENT_BATCHING_MEASURES, PARAMS } from './params.js';
import type { Params } from '../../src/runner/study.js';
import { eventBatchingCharts } from './charts.js';
import { eventBatchingConsoleTable, eventBatchingReportSummary } from './summary.js';

export { eventBatchingCharts, holdOffLabel } from './charts.js';
export { eventBatchingConsoleTable, eventBatchingReportSummary } from './summary.js';
export { EVENT_BATCHING_MEASURES } from './params.js';
const KS = [1, 2, 4, 8, 16, 32, 64];
const HOLD_OFFS = [10_000, 100_000, 1_000_000, 0];
const K_SWEEP_RATE = 50_000;
const TRADEOFF_KS = [1, 4, 16, 64];
const TRADEOFF_RATES = [25_000, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 330_000];
const TRADEOFF_HOLD_OFF = 100_000;

function listGrid(
  ks: readonly number[],
  holdOffs: readonly number[],
  sweepRate: number,
  tks: readonly number[],
  rates: readonly number[],
  tHold: number,
): Params[] {
  const pts: Params[] = [];
  for (const holdOffNs of holdOffs) for (const k of ks) pts.push({ ratePerS: sweepRate, holdOffNs, k });
  for (const k of tks) {
    for (const ratePerS of rates) {
      // the k sweep already holds (sweepRate, tHold, k)
      if (!(ratePerS === sweepRate && holdOffs.includes(tHold) && ks.includes(k)))
        pts.push({ ratePerS, holdOffNs: tHold, k });
    }
  }
  return pts;
}

type P = ParamsOf<typeof PARAMS>;

/** Cross-parameter check (each parameter is already in its own range): one line naming the fields. */
export function checkPoint(p: P): string | undefined {
  const costs = ['serviceMeanNs', 'clientIssueNs', 'clientResponseNs', 'hypercallNs', 'upcallNs'] as const;
  if (p.arrival === 'closed' && costs.every((c) => p[c] === 0)) {
    return `a closed loop with ${costs.join(', ')} all 0 never advances simulated time; give one of them a cost > 0`;
  }
  if (p.k > p.ringSizeEntries) return `k must be at most ringSizeEntries (${p.ringSizeEntries}), got k = ${p.k}`;
  if (p.serviceDistribution === 'exponential' && p.serviceMeanNs === 0) {
    return 'serviceMeanNs must be > 0 with serviceDistribution = exponential (use constant for a zero service time)';
  }
  if (p.arrival === 'closed' && p.holdOffNs === 0 && p.k > p.outstanding) {
    return `k (${p.k}) must be at most outstanding (${p.outstanding}) with arrival = closed and holdOffNs = 0: a batch of k never fills and the run stalls`;
  }
  return undefined;
}

/** The workload's parameters for a study point. */
export function workloadParams(p: P): Partial<RequestResponseParams> {
  const policy = { everyItems: p.k, holdOffNs: p.holdOffNs === 0 ? null : p.holdOffNs };
  return {
    arrival: p.arrival,
    ratePerS: p.ratePerS,
    outstanding: p.outstanding,
    serviceNs:
      p.serviceDistribution === 'constant'
        ? { kind: 'constant', valueNs: p.serviceMeanNs }
        : { kind: 'exponential', meanNs: p.serviceMeanNs },
    clientIssueNs: p.clientIssueNs,
    clientResponseNs: p.clientResponseNs,
    ringSizeEntries: p.ringSizeEntries,
    requestNotify: policy,
    responseNotify: policy,
    hypercallNs: p.hypercallNs,
    upcallNs: p.upcallNs,
    cpus: p.cpus,
    server: p.server,
    contextSwitchCosts: p.contextSwitchCosts,
    warmupNs: p.warmupNs,
    runLengthNs: p.runLengthNs,
  };
}

export const eventBatching = defineStudy({
  name: 'event-batching',
  // 3: numbers moved with the core second pass (footprint context-switch model, 2102 ns direct; issue 8)
  version: 4,
  description:
    'Event batching on an I/O ring: notify every k = 1..64 items with hold-off timers; throughput, latency, notifications, notification CPU',
  details: [
    'Model: runRequestResponse (src/models/workloads/request-response.ts): a client and a server domain on one CPU',
    '(Xen 1.0 BVT, calibrated context switches) share a 256-entry ring and one event channel. Both directions use',
    'the same policy: the consumer re-arms its event index k items ahead; a producer notifies at the latest',
    'holdOffNs after the first un-notified item (holdOffNs = 0: no timer — items wait for the k-th). Costs per',
    'request: issue 500 ns, service exponential with mean serviceMeanNs, response 500 ns; per notification a',
    'hypercall (450 ns) at the sender and an upcall (1290 ns) at the receiver, plus the context switch to it.',
    'Arrivals: Poisson at ratePerS (arrival=open) or `outstanding` requests in a closed loop.',
    'Default grid (list): the k sweep k ∈ {1..64} × hold-off ∈ {10 µs, 100 µs, 1 ms, none} at 50k requests/s, and',
    'the load sweep k ∈ {1, 4, 16, 64} × 25k..330k requests/s at hold-off 100 µs.',
    'Columns of runs.csv: throughputPerS, latencyMeanNs, latencyP50Ns, latencyP99Ns (arrival → response processed),',
    'notificationsPerItem (mean of requestNotifiesPerItem and responseNotifiesPerItem), holdOffNotifyFraction,',
    'notificationCpuFraction (hypercall + upcall CPU over that plus the useful work), notificationCpuPerItemNs,',
    'switchingFraction, cpuPerRequestNs ((busy + switching) / completed), hostUtilisation, backlogAtEnd.',
    '`events` in runs.csv counts the engine events the run processed.',
    'Charts, most important first: CPU per request vs mean latency (the trade-off, one line per hold-off through k),',
    'mean and p99 latency vs k, notifications per item vs 1/k, notification CPU, CPU per request vs the useful-work',
    'floor, context-switch CPU, latency vs throughput as the load rises (one line per k), throughput vs k.',
  ].join('\n'),
  params: PARAMS,
  grid: { kind: 'list', points: listGrid(KS, HOLD_OFFS, K_SWEEP_RATE, TRADEOFF_KS, TRADEOFF_RATES, TRADEOFF_HOLD_OFF) },
  quickGrid: {
    kind: 'list',
    points: listGrid(
      [1, 4, 16, 64],
      [100_000, 0],
      K_SWEEP_RATE,
      [1, 16, 64],
      [25_000, 100_000, 200_000],
      TRADEOFF_HOLD_OFF,
    ),
  },
  replications: 5,
  quickReplications: 3,
  quickParams: { warmupNs: 20_000_000, runLengthNs: 200_000_000 },
  measures: EVENT_BATCHING_MEASURES,
  check: checkPoint,
  run(p, ctx) {
    const w = workloadParams(p);
    const m = runRequestResponse(w, ctx.seed);
    const cpuNs = m.windowNs * p.cpus;
    const busyNs = m.hostUtilisation * cpuNs;
    return {
      measures: {
        throughputPerS: m.throughputPerS,
        latencyMeanNs: m.latencyMeanNs,
        latencyP50Ns: m.latencyP50Ns,
        latencyP99Ns: m.latencyP99Ns,
        notificationsPerItem: (m.requestNotifiesPerItem + m.responseNotifiesPerItem) / 2,
        requestNotifiesPerItem: m.requestNotifiesPerItem,
        responseNotifiesPerItem: m.responseNotifiesPerItem,
        holdOffNotifyFraction: m.holdOffNotifyFraction,
        notificationCpuFraction: m.notificationCpuFraction,
        notificationCpuPerItemNs: m.notificationCpuPerItemNs,
        switchingFraction: m.switchingNs / cpuNs,
        cpuPerRequestNs: m.completedInWindow > 0 ? (busyNs + m.switchingNs) / m.completedInWindow : NaN,
        hostUtilisation: m.hostUtilisation,
        backlogAtEnd: m.backlogAtEnd,
      },
      events: m.events,
    };
  },
  charts: eventBatchingCharts,
  consoleTable: eventBatchingConsoleTable,
  reportSummary: eventBatchingReportSummary,
});

export const runEventBatching = eventBatching.run;

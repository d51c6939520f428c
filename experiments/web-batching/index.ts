// Study web-batching: the network face of the event-batching sweep. A web-serving domain's throughput and
// response-time percentiles against the ring notification threshold: each side of each VIF ring asks to
// be notified only every k items (1 … 64), with a hold-off timer so a partly filled batch is not stranded.
//
// Model (net/web-scenario.ts, net/web.ts). One-CPU Xen host (BVT as Xen 1.0, back end in the hypervisor
// unless `backend` = dom0), the network data path with event-channel notifications, one web-server guest
// (Xen profile) with one VIF, and `clients` SPECweb99-like clients on 4 remote machines beyond the 1 Gb/s
// NIC, each with a persistent TCP connection, paced to 400 kbit/s, conformant at ≥ 320 kbit/s (request mix,
// file set and per-request CPU: web.ts header). `competitors` CPU-bound guests may share the CPU. The
// notification policy { everyItems: notifyEvery, holdOffNs: holdOffUs · 1000 } applies to all four
// directions (transmit requests and responses, receive requests and responses) of the server's VIF.
// Measures over [warmupNs, warmupNs + runLengthNs): response payload delivered to the clients (Mb/s),
// completed requests per second, response-time percentiles (request written → last byte delivered), the
// share of conformant clients, ring notifications per completed request, the server's, the hypervisor's
// and the back end's CPU. Packet conservation (net.checkConservation) and request conservation are
// checked after every run. Randomness: streams web/start, web/g0.
// Defaults: 200 clients, hold-off 1 ms (assumption: of the order of the guest's own timer granularity),
// warm-up 200 ms, run 1 s, 2 replications; --quick: 60 clients, thresholds 1, 8, 64, 100 ms + 200 ms.
import type { ParamsOf } from '../../src/runner/study.js';
import { defineStudy, windowParams } from '../../src/kit/index.js';
import { runWebCell } from '../../src/models/net/web-scenario.js';
import { webBatchingCharts, webBatchingConsoleTable, webBatchingReportSummary } from './charts.js';

export const WEB_BATCHING_MEASURES = {
  throughputMbps: {
    unit: 'Mb/s',
    doc: 'response bytes delivered per second of the window, 10^6 bits (overstates the long-run rate in short windows)',
  },
  clientRateMbps: {
    unit: 'Mb/s',
    doc: "Σ clients' bit rates (web.ts clientRateBps): the long-run delivered rate, ≤ clients × 0.4 Mb/s",
  },
  drops: { unit: 'packets', doc: 'packets the network dropped since the start, any reason (e.g. noRxBuffer)' },
  requestsPerSec: { unit: '1/s', doc: 'requests completed per second of the window' },
  p50Ms: { unit: 'ms', doc: 'median response time (request written → last response byte delivered)' },
  p90Ms: { unit: 'ms', doc: '90th percentile response time' },
  p99Ms: { unit: 'ms', doc: '99th percentile response time' },
  conformantShare: { unit: '', doc: 'clients at ≥ 320 kbit/s (web.ts clientRateBps) / clients' },
  notificationsPerRequest: {
    unit: '',
    doc: "ring notifications on the server's VIF (all directions) / completed request",
  },
  serverCpuFraction: { unit: '', doc: "web-server domain's CPU time / window" },
  hypervisorCpuFraction: { unit: '', doc: 'hypervisor-context CPU time / window' },
  backendCpuFraction: { unit: '', doc: 'back-end work issued in the window / window (wherever it ran)' },
} as const;

const PARAMS = {
  notifyEvery: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 128,
    unit: 'packets',
    doc: 'ring notification threshold: notify every k items (ring.h: 1)',
  },
  holdOffUs: {
    kind: 'int',
    default: 1000,
    min: 0,
    max: 1_000_000,
    unit: 'µs',
    doc: 'notification hold-off: notify at the latest this long after the first un-notified item (0: none)',
  },
  clients: { kind: 'int', default: 200, min: 1, max: 2000, unit: 'clients', doc: 'SPECweb99-like clients' },
  competitors: { kind: 'int', default: 0, min: 0, max: 8, unit: 'domains', doc: 'CPU-bound guests on the same CPU' },
  backend: { kind: 'enum', default: 'hypervisor', values: ['hypervisor', 'dom0'], unit: '', doc: 'back-end placement' },
  ...windowParams({ warmupNs: 200_000_000, runLengthNs: 1_000_000_000, runLengthMaxNs: 1_000_000_000_000 }),
} as const;
type P = ParamsOf<typeof PARAMS>;

export const webBatching = defineStudy({
  name: 'web-batching',
  version: 2,
  description:
    "A web-serving domain's throughput and response-time percentiles against the ring notification threshold (every 1 … 64 packets)",
  details: [
    'Model: a one-CPU Xen host (BVT, Xen 1.0) with the network data path and event-channel notifications; one',
    'web-server guest serving `clients` SPECweb99-like clients (persistent TCP connections, paced to 400 kbit/s,',
    'conformant at 320 kbit/s) on 4 machines beyond the 1 Gb/s NIC. All four directions of its VIF rings notify',
    'every `notifyEvery` items or after holdOffUs. Measures: Mb/s, requests/s, response-time percentiles,',
    'conformant share, notifications per request, CPU shares. Streams: web/start, web/g0. Packet and request',
    'conservation checked after each run.',
  ].join('\n'),
  params: PARAMS,
  grid: { kind: 'cartesian', axes: { competitors: [0, 1], notifyEvery: [1, 2, 4, 8, 16, 32, 64] } },
  quickGrid: { kind: 'cartesian', axes: { notifyEvery: [1, 8, 64] } },
  replications: 2,
  quickReplications: 1,
  quickParams: { clients: 60, warmupNs: 100_000_000, runLengthNs: 200_000_000 },
  measures: WEB_BATCHING_MEASURES,
  run(p: P, ctx) {
    const r = runWebCell({
      seed: ctx.seed,
      clientsPerGuest: p.clients,
      competitors: p.competitors,
      backendPlacement: p.backend,
      notifyEveryItems: p.notifyEvery,
      notifyHoldOffNs: p.holdOffUs === 0 ? null : p.holdOffUs * 1000,
      warmupNs: p.warmupNs,
      runLengthNs: p.runLengthNs,
    });
    const t = r.total;
    return {
      measures: {
        throughputMbps: t.throughputMbps,
        clientRateMbps: t.clientRateMbps,
        drops: r.drops,
        requestsPerSec: t.requestsPerSec,
        p50Ms: t.p50Ms,
        p90Ms: t.p90Ms,
        p99Ms: t.p99Ms,
        conformantShare: t.conformantClients / t.clients,
        notificationsPerRequest: t.completed === 0 ? NaN : r.notifications / t.completed,
        serverCpuFraction: r.serverCpu,
        hypervisorCpuFraction: r.hypervisorCpu,
        backendCpuFraction: r.backendCpu,
      },
      events: r.events,
    };
  },
  charts: webBatchingCharts,
  consoleTable: webBatchingConsoleTable,
  reportSummary: webBatchingReportSummary,
});

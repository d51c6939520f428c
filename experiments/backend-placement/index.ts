// Study backend-placement: the same bulk and request/response traffic with the network back end in the
// hypervisor (Xen 1.0: VIF/VFR work as hypervisor-context CPU time) and in domain 0 (Xen 2.0: netback on
// dom0's vCPU, competing with the guests under the CPU scheduler), against the number of guest domains:
// throughput, latency percentiles, and who pays the CPU.
//
// Model. One-CPU Xen host (BVT as Xen 1.0), host option backendPlacement, the network data path with
// event-channel notifications (net/network.ts; every ring notifies on every item), `guests` guest domains
// (Xen profile) with one VIF each, 4 client machines beyond the 1 Gb/s NIC (their CPUs not modelled).
//   * traffic = bulk: every guest transmits one endless ttcp stream (net/ttcp.ts over tcp-net.ts, 128 kB
//     socket buffers, Table 4's setup) to a client; throughput = stream bytes delivered to the clients.
//   * traffic = rr: every guest serves `clientsPerGuest` SPECweb99-like clients (net/web.ts: persistent TCP
//     connections, request mix, per-request CPU, clients paced to 400 kbit/s); throughput = response bytes
//     delivered; response-time percentiles over all requests completed in the window.
// In both, a UDP ping probe (net/udp.ts UdpPing, 56-byte payload, every 5 ms ± 50% from stream `ping`)
// from a client machine to an echo server in guest 1 gives the latency percentiles of a light flow
// sharing the path. CPU over the window (host.accounting(), dom0's own time): hypervisor context,
// dom0, the guests, context switching, idle — shares of the one CPU. Who pays: the NIC interrupt's handler
// is hypervisor time in both placements (net/network.ts, "NIC interrupts"); the guests pay their network
// path and their event-channel notifications, which are many more with the back end in the hypervisor (it
// serves each packet at once, so every push notifies and every response is its own upcall: ≈ 15 points of
// the CPU in bulk; test/experiments/backend-placement.test.ts). Setup: net/web-host.ts (WebHost). Packet conservation
// (net.checkConservation) and, for rr, request conservation are checked after every run.
// Defaults: 10 clients per guest, warm-up 200 ms, run 1 s, 2 replications; --quick: guests 1 and 5
// (more guests than client machines), 50 ms + 150 ms, 1 replication. Randomness: streams web/start, web/g<i>, ping.
import type { ParamsOf } from '../../src/runner/study.js';
import { defineStudy, windowParams } from '../../src/kit/index.js';
import { GuestProfile } from '../../src/models/guest/profile.js';
import type { Domain } from '../../src/models/host/domain.js';
import type { NetEndpoint } from '../../src/models/net/endpoint.js';
import { ipv4 } from '../../src/models/net/packet.js';
import { connectTcp, TTCP_PORT } from '../../src/models/net/tcp-net.js';
import { Ttcp } from '../../src/models/net/ttcp.js';
import { UdpEcho, UdpPing } from '../../src/models/net/udp.js';
import { WebHost } from '../../src/models/net/web-host.js';
import { mergeWindows } from '../../src/models/net/web-scenario.js';
import { backendPlacementCharts, backendPlacementConsoleTable, backendPlacementReportSummary } from './charts.js';

export const BACKEND_PLACEMENT_MEASURES = {
  throughputMbps: {
    unit: 'Mb/s',
    doc: 'application payload delivered to the clients per second of the window, 10^6 bits',
  },
  clientRateMbps: {
    unit: 'Mb/s',
    doc: "rr: Σ clients' bit rates (web.ts clientRateBps), the long-run rate, ≤ clients × 0.4 Mb/s (bulk: NaN)",
  },
  requestsPerSec: { unit: '1/s', doc: 'rr: requests completed per second (bulk: NaN)' },
  responseP50Ms: { unit: 'ms', doc: 'rr: median response time (bulk: NaN)' },
  responseP99Ms: { unit: 'ms', doc: 'rr: 99th percentile response time (bulk: NaN)' },
  pingP50Ms: { unit: 'ms', doc: 'median UDP ping round trip, client → guest 1 → client' },
  pingP99Ms: { unit: 'ms', doc: '99th percentile UDP ping round trip' },
  hypervisorCpu: { unit: '', doc: 'hypervisor-context CPU time / window (the back end when it lives there)' },
  dom0Cpu: { unit: '', doc: "domain 0's CPU time / window (the back end when it lives there)" },
  guestsCpu: { unit: '', doc: 'all guest domains’ CPU time / window' },
  switchingCpu: { unit: '', doc: 'context-switch time / window' },
  idleCpu: { unit: '', doc: 'idle time / window' },
} as const;

const PARAMS = {
  traffic: {
    kind: 'enum',
    default: 'bulk',
    values: ['bulk', 'rr'],
    unit: '',
    doc: 'bulk (ttcp) or request/response (web)',
  },
  backend: { kind: 'enum', default: 'hypervisor', values: ['hypervisor', 'dom0'], unit: '', doc: 'back-end placement' },
  guests: { kind: 'int', default: 1, min: 1, max: 32, unit: 'domains', doc: 'guest domains carrying traffic' },
  clientsPerGuest: { kind: 'int', default: 10, min: 1, max: 500, unit: 'clients', doc: 'rr: web clients per guest' },
  ...windowParams({ warmupNs: 200_000_000, runLengthNs: 1_000_000_000, runLengthMaxNs: 1_000_000_000_000 }),
} as const;
type P = ParamsOf<typeof PARAMS>;

/** An endless ttcp stream: more bytes than any run moves. */
const ENDLESS_BYTES = 1e15;

export const backendPlacement = defineStudy({
  name: 'backend-placement',
  version: 3,
  description:
    'Bulk and request/response traffic with the network back end in the hypervisor and in domain 0, against the number of guests: throughput, latency, who pays the CPU',
  details: [
    'Model: a one-CPU Xen host (BVT, Xen 1.0) with the network data path; `guests` Xen guests with one VIF each;',
    'back end in the hypervisor (hypervisor-context work) or in dom0 (dom0 vCPU, scheduled like a guest).',
    'bulk: each guest transmits an endless ttcp stream (128 kB buffers) to a client beyond the 1 Gb/s NIC;',
    'rr: each guest serves clientsPerGuest SPECweb99-like web clients. A UDP ping probe to guest 1 every 5 ms.',
    'Measures: delivered Mb/s, requests/s and response-time percentiles (rr), ping percentiles, CPU shares of',
    'hypervisor, dom0, guests, switching, idle. Streams: web/start, web/g<i>, ping. Conservation checked.',
  ].join('\n'),
  params: PARAMS,
  grid: { kind: 'cartesian', axes: { traffic: ['bulk', 'rr'], backend: ['hypervisor', 'dom0'], guests: [1, 2, 4, 8] } },
  quickGrid: { kind: 'cartesian', axes: { traffic: ['bulk', 'rr'], backend: ['hypervisor', 'dom0'], guests: [1, 5] } },
  replications: 2,
  quickReplications: 1,
  quickParams: { warmupNs: 50_000_000, runLengthNs: 150_000_000 },
  measures: BACKEND_PLACEMENT_MEASURES,
  run(p: P, ctx) {
    const wh = new WebHost({ seed: ctx.seed, backendPlacement: p.backend, guest: { profile: 'xen' } });
    const { sim, net, clients } = wh;
    const doms = Array.from({ length: p.guests }, (_, g) => wh.addDomain(`guest${g + 1}`, ipv4(`10.0.0.${g + 1}`)));
    const bulk = p.traffic === 'bulk';
    const streamsTtcp: Ttcp[] = [];
    const gp = new GuestProfile('xen');
    doms.forEach((d, g) => {
      if (bulk) {
        // one ttcp port per guest: a client machine receives several streams (ttcp.c port 5001 + g)
        const client = clients[g % clients.length] as NetEndpoint;
        const conn = connectTcp(sim, net.endpoint(d.id), client, { serverPort: TTCP_PORT + g });
        const t = new Ttcp(sim, conn.client, conn.server, { totalBytes: ENDLESS_BYTES });
        streamsTtcp.push(t);
        t.start();
      } else {
        wh.serve({ ...wh.domainServer(d), profile: gp, clients: p.clientsPerGuest, index: g });
      }
    });
    wh.startClients();
    const first = doms[0] as Domain;
    new UdpEcho(net.endpoint(first.id), 7);
    const ping = new UdpPing(sim, clients[0] as NetEndpoint, {
      targetAddr: net.endpoint(first.id).addr,
      intervalNs: 5_000_000,
      rng: wh.streams.stream('ping'),
    });
    let bytes0 = 0;
    const bulkBytes = (): number => streamsTtcp.reduce((a, t) => a + t.bytesReceived, 0);
    const cpu = wh.run(p.warmupNs, p.runLengthNs, () => {
      bytes0 = bulkBytes();
      ping.resetStats();
    });
    const span = cpu.spanNs;
    let throughputMbps: number;
    let rps = NaN;
    let rateMbps = NaN;
    let r50 = NaN;
    let r99 = NaN;
    if (bulk) {
      throughputMbps = ((bulkBytes() - bytes0) * 8e3) / span;
    } else {
      const t = mergeWindows(
        wh.workloads,
        wh.workloads.map((w) => w.window()),
      );
      throughputMbps = t.throughputMbps;
      rps = t.requestsPerSec;
      rateMbps = t.clientRateMbps;
      r50 = t.p50Ms;
      r99 = t.p99Ms;
    }
    return {
      measures: {
        throughputMbps,
        clientRateMbps: rateMbps,
        requestsPerSec: rps,
        responseP50Ms: r50,
        responseP99Ms: r99,
        pingP50Ms: ping.rttQuantiles.quantile(0.5) / 1e6,
        pingP99Ms: ping.rttQuantiles.quantile(0.99) / 1e6,
        hypervisorCpu: cpu.hypervisorNs / span,
        dom0Cpu: cpu.dom0Ns / span,
        guestsCpu: cpu.guestsNs / span,
        switchingCpu: cpu.switchingNs / span,
        idleCpu: cpu.idleNs / span,
      },
      events: sim.eventsProcessed,
    };
  },
  charts: backendPlacementCharts,
  consoleTable: backendPlacementConsoleTable,
  reportSummary: backendPlacementReportSummary,
});

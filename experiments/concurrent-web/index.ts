// Study concurrent-web: the paper's concurrent web-serving experiment (Figure 4) — 1, 2, 4, 8, 16 web-serving
// domains on the two-CPU server against the same number of web servers on native Linux; aggregate
// SPECweb99-like score; the NIC's interrupts balanced between the two CPUs (or fixed on CPU 0, or sent to
// the less loaded CPU, to show what balancing is worth).
//
// Model (scenario.ts over net/web-host.ts): Xen — BVT as Xen 1.0 on two CPUs, one vCPU per web-server
// domain placed as Xen 1.0 places it, the network back end in the hypervisor, event-channel notifications,
// each domain with its VIF; native — the bare-metal host (host/bare-metal.ts), the servers as processes of
// the native kernel, server i on CPU i mod 2. Web workload, clients, conformance: net/web.ts (SPECweb99-like,
// 400 kbit/s paced clients, conformant at ≥ 320 kbit/s). Interrupts (net/network.ts, "NIC interrupts"): the
// NIC raises one interrupt per frame received or sent (no coalescing: assumption); the line is routed
// round-robin over both CPUs ('balanced'; the paper balanced its interrupts, how is not said: assumption),
// to CPU 0 ('fixed') or least-loaded; the handler and the receive back-end work run on the CPU the
// interrupt went to, the transmit back-end work on the sending server's CPU. Aggregate score, two ways
// (`scoring`):
//   * 'fixed-load' (--quick): `offeredClients` clients in all (800), spread evenly over the servers, the score
//     being the conformant clients at that load — one run per point, 50 ms warm-up and 100 ms window. 800
//     clients overload one CPU and not two (measured: one server ≈ 410–480 conformant, two or more ≈ 565–670),
//     so the quick chart shows the one-CPU limit of a single server; it is not the SPECweb99 score. At
//     that load Xen scores above native at 4 and 8 servers: native's servers share two interfaces (256
//     receive buffers each) and drop about 1000 packets in the start burst (all clients connect within
//     10 ms) whatever their number, Xen's one VIF per domain fewer as domains are added (586, 187, 0 at
//     4, 8, 16) — a short-run artefact;
//   * 'search' (full): web.ts findWebScore over the total client count (spread evenly over the servers),
//     bisection up to `maxClients`: the score is the conformant clients at the largest total count with
//     ≥ 95% conformant (one fresh run per probe).
// Packet, request and CPU-time conservation are checked after every run (every probe). Streams: web/start,
// web/g<i>. Defaults: assumptions sized to run in reasonable time (warm-up 200 ms, run 1 s). The paper's
// values are not in the project, so none are drawn.
//
// What the model predicts and why. A server (a domain's single vCPU, or a native process pinned to CPU
// i mod 2) can use one CPU only, so one server is bounded by one CPU (measured: one server at 1500 clients
// saturates its CPU at ≈ 7000–7600 requests/s with ≈ 30% of the clients conformant, the other CPU ≈ 10%
// busy with its share of the interrupts); two servers use both CPUs (measured at 800 clients, 150 ms:
// Xen both CPUs ≈ 0.8 busy, native ≈ 0.65, each with hundreds of packets dropped at the start burst, when
// every client connects within 10 ms: drops and TCP recovery, not only the CPUs, limit short runs), so the
// score rises from 1 to 2 servers, and from then on the two CPUs are the limit: more servers share them
// (Xen: BVT switches between the web domains on a CPU, each switch costed by the context-switch model;
// each domain has its own VIF rings and event-channel notifications; native: one kernel, no domain
// switches), so these mechanisms would keep Xen's curve flat or falling slightly with N and native's flat
// (expected, not yet measured at full fidelity: run `hvsim run concurrent-web` to see it). The 1 Gb/s
// link caps any score at ≈ 2960 clients at 320 kbit/s (1460/1538 of 10^9 b/s). Interrupt balancing:
// 'fixed' puts every interrupt handler and all receive back-end work on CPU 0, which also serves the
// servers placed there, so CPU 0 saturates first and the score falls below 'balanced' once the CPUs are
// the limit.
// Left out: a native web server is one process on one CPU here (Apache 1.3 forks many processes that the
// native scheduler spreads over both CPUs: a departure that understates native with one server); the disk
// (the file set is assumed cached); the clients' CPUs; SMP costs (lock contention, cache-line bouncing);
// interrupt coalescing (network.ts has the tg3 preset, TG3_COALESCING, off here); SPECweb99's run rules
// (warm-up and run lengths of minutes).
import type { ParamsOf } from '../../src/runner/study.js';
import { defineStudy, windowParams } from '../../src/kit/index.js';
import { findWebScore, WEB_DEFAULTS, type WebWindow } from '../../src/models/net/web.js';
import { concurrentWebCharts, concurrentWebConsoleTable, concurrentWebReportSummary } from './charts.js';
import { runConcurrentWeb, type CwebIrq, type CwebResult, type CwebSystem } from './scenario.js';

export const CONCURRENT_WEB_MEASURES = {
  score: {
    unit: 'clients',
    doc: "aggregate score: conformant clients (fixed-load: at offeredClients; search: at the bisection's largest passing count)",
  },
  clientsAtScore: { unit: 'clients', doc: 'clients of the run the score comes from' },
  conformantShare: { unit: '', doc: 'conformant clients / clients of that run' },
  requestsPerSec: { unit: '1/s', doc: 'requests completed per second of the window, all servers' },
  clientRateMbps: { unit: 'Mb/s', doc: "Σ clients' paced bit rates (web.ts clientRateBps), all servers" },
  cpuBusy: { unit: '', doc: 'busy share of the two CPUs (guest/process + interrupt/hypervisor + switching)' },
  cpu0Busy: { unit: '', doc: 'busy share of CPU 0' },
  cpu1Busy: { unit: '', doc: 'busy share of CPU 1' },
  irqShareCpu0: { unit: '', doc: 'interrupt/hypervisor-context time on CPU 0 / on both CPUs' },
  nicIrqShareCpu0: { unit: '', doc: 'NIC interrupts routed to CPU 0 / all NIC interrupts (whole run)' },
  drops: { unit: 'packets', doc: 'packets the network dropped since the start, any reason' },
  probes: { unit: 'runs', doc: 'runs made (1 for fixed-load; bisection probes for search)' },
} as const;

const PARAMS = {
  system: { kind: 'enum', default: 'xen', values: ['xen', 'native'], unit: '', doc: 'Xen domains or native processes' },
  servers: { kind: 'int', default: 1, min: 1, max: 16, unit: 'servers', doc: 'web servers (domains or processes)' },
  irq: {
    kind: 'enum',
    default: 'balanced',
    values: ['balanced', 'fixed', 'least-loaded'],
    unit: '',
    doc: "NIC interrupt routing: both CPUs in turn ('balanced'), CPU 0 only ('fixed'), or the less loaded CPU",
  },
  scoring: {
    kind: 'enum',
    default: 'search',
    values: ['search', 'fixed-load'],
    unit: '',
    doc: 'aggregate score: bisection over total clients, or conformant clients at a fixed total offered load',
  },
  offeredClients: {
    kind: 'int',
    default: 800,
    min: 1,
    max: 4096,
    unit: 'clients',
    doc: 'fixed-load: total clients, spread evenly over the servers (800: beyond one CPU, below two)',
  },
  maxClients: {
    kind: 'int',
    default: 3000,
    min: 1,
    max: 4096,
    unit: 'clients',
    doc: "search: the bisection's upper end (total clients; the 1 Gb/s link carries ≈ 2960 at 320 kbit/s)",
  },
  ...windowParams({ warmupNs: 200_000_000, runLengthNs: 1_000_000_000, runLengthMaxNs: 1_000_000_000_000 }),
} as const;
type P = ParamsOf<typeof PARAMS>;

export const concurrentWeb = defineStudy({
  name: 'concurrent-web',
  version: 4,
  description:
    'Aggregate SPECweb99-like score of 1 … 16 web-serving domains on the two-CPU server against as many native web servers, interrupts balanced or fixed',
  details: [
    'Model: two CPUs; Xen: BVT (Xen 1.0), one single-vCPU web-server domain each, back end in the hypervisor;',
    'native: the bare-metal host, the servers as processes, server i on CPU i mod 2. Web workload: net/web.ts',
    '(SPECweb99-like, clients paced to 400 kbit/s, conformant at 320 kbit/s). The NIC routes its',
    "interrupts over both CPUs ('balanced'), keeps them on CPU 0 ('fixed') or picks the less loaded CPU. Score:",
    "'search' = findWebScore bisection over total clients; 'fixed-load' = conformant clients at offeredClients.",
    'Packet, request and CPU-time conservation checked after every run.',
    'Prediction (--quick: fixed load of 800 clients, 50 ms warm-up, 100 ms window, interrupts balanced; not',
    'the SPECweb99 score): conformant clients at 1, 2, 4, 8, 16 servers, native 480, 652, 565, 612, 640 and Xen',
    '410, 630, 665, 670, 636; one server is bounded by one CPU (the other CPU 5–7 % busy), two or more use both',
    '(Xen 0.8–0.9 busy, native about 0.7). The full-fidelity search (bisection over clients) has not been run',
    'for these notes.',
    'Mechanisms: a server (a domain with one vCPU, or a native process) runs on one CPU only; the NIC interrupt',
    'handler and the receive back end run on the CPU the interrupt went to; Xen adds BVT switches between web',
    'domains, each costed by the context-switch model, and per-packet back-end, page-flip and notification',
    "work; in short runs the start burst (all clients connect within 10 ms) drops packets: native's two",
    "interfaces about 1000 whatever the number of servers, Xen's VIFs fewer as domains are added (586, 187, 0 at",
    '4, 8, 16 servers), which is why Xen scores above native at 4 and 8 servers in --quick.',
    "Left out: Apache's many processes (one process per server here, which understates native at one server),",
    "the web server's disk, the clients' CPUs, SMP costs (locks, cache-line bouncing), interrupt coalescing,",
    "SPECweb99's minutes-long runs.",
    'Departures from the paper (qualitative: its values are not in the project and are not drawn): the paper',
    'finds Xen close to native up to 16 servers; the --quick model has Xen within 18 % of native at every',
    'server count and within 4 % at 2 and 16, but 15 % below native with one server and 18 % and 9 % above it',
    "at 4 and 8, the latter a short-run artefact of the start burst's drops, not a steady-state prediction.",
  ].join('\n'),
  params: PARAMS,
  grid: {
    kind: 'cartesian',
    axes: { system: ['xen', 'native'], irq: ['balanced', 'fixed'], servers: [1, 2, 4, 8, 16] },
  },
  quickGrid: { kind: 'cartesian', axes: { system: ['xen', 'native'], servers: [1, 2, 4, 8, 16] } },
  replications: 1,
  quickReplications: 1,
  quickParams: { scoring: 'fixed-load', offeredClients: 800, warmupNs: 50_000_000, runLengthNs: 100_000_000 },
  measures: CONCURRENT_WEB_MEASURES,
  tables: {
    probes: {
      doc: "one row per run made for a point: the search's bisection probes in order (fixed-load: its one run)",
      columns: {
        probe: 'order of the run, from 1',
        clients: 'total clients of the run (spread evenly over the servers)',
        conformant: 'conformant clients in that run',
        pass: '1 if ≥ 95% of the clients were conformant, else 0',
      },
    },
  },
  run(p: P, ctx) {
    let events = 0;
    const once = (totalClients: number): CwebResult => {
      const r = runConcurrentWeb({
        seed: ctx.seed,
        system: p.system as CwebSystem,
        servers: p.servers,
        totalClients,
        irq: p.irq as CwebIrq,
        warmupNs: p.warmupNs,
        runLengthNs: p.runLengthNs,
      });
      events += r.events;
      return r;
    };
    let r: CwebResult;
    let score: number;
    let probes = 1;
    let probeRows: { probe: number; clients: number; conformant: number; pass: number }[];
    if (p.scoring === 'fixed-load') {
      r = once(p.offeredClients);
      score = r.conformantClients;
      const pass = r.conformantClients >= WEB_DEFAULTS.conformantShare * r.clients ? 1 : 0;
      probeRows = [{ probe: 1, clients: r.clients, conformant: r.conformantClients, pass }];
    } else {
      const runs = new Map<number, CwebResult>();
      const s = findWebScore((n: number): WebWindow => {
        const x = once(n);
        runs.set(n, x);
        return {
          clients: x.clients,
          conformantClients: x.conformantClients,
          completed: x.completed,
          failed: 0,
          bytes: 0,
          throughputMbps: x.throughputMbps,
          clientRateMbps: x.clientRateMbps,
          requestsPerSec: x.requestsPerSec,
          p50Ms: NaN,
          p90Ms: NaN,
          p99Ms: NaN,
          meanMs: NaN,
          clientBps: [],
        };
      }, p.maxClients);
      probes = s.probes.length;
      probeRows = s.probes.map((x, i) => ({
        probe: i + 1,
        clients: x.clients,
        conformant: x.conformant,
        pass: x.pass ? 1 : 0,
      }));
      score = s.score;
      const at = s.passingClients > 0 ? s.passingClients : (s.probes[s.probes.length - 1]?.clients ?? 1);
      r = runs.get(at) ?? once(at);
    }
    return {
      measures: {
        score,
        clientsAtScore: r.clients,
        conformantShare: r.clients === 0 ? NaN : r.conformantClients / r.clients,
        requestsPerSec: r.requestsPerSec,
        clientRateMbps: r.clientRateMbps,
        cpuBusy: r.cpuBusy,
        cpu0Busy: r.cpu0Busy,
        cpu1Busy: r.cpu1Busy,
        irqShareCpu0: r.irqShareCpu0,
        nicIrqShareCpu0: r.nicIrqShareCpu0,
        drops: r.drops,
        probes,
      },
      events,
      tables: { probes: probeRows },
    };
  },
  charts: concurrentWebCharts,
  consoleTable: concurrentWebConsoleTable,
  reportSummary: concurrentWebReportSummary,
});

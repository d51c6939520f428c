// Study vif-fairness: how the back end's transmit round robin (one packet per VIF per turn) and the
// per-VIF credit rate limit share the physical link among N transmitting domains, with equal and
// unequal demand, against max-min fair theory.
//
// Model. One-CPU host (BVT as Xen 1.0, the back end in the hypervisor unless `backend` = dom0), a
// Network (net/network.ts) with event-channel notifications, `domains` guest domains with one VIF each
// sending full-size UDP datagrams (1472 bytes of payload at MTU 1500) to one client beyond the NIC.
// demand = equal: every domain is backlogged (keeps 32 datagrams queued in its stack). demand =
// unequal: domain i (1 … N) offers 2·i/N² of the link's UDP goodput C (fixed gaps), so the smallest
// demands are below a fair share and the largest above it (Σ = (N + 1)/N · C). rateLimitMbps > 0 gives
// every VIF a credit of rateLimitMbps · creditPeriodNs of frame bytes per credit period (Xen's
// credit_bytes / credit_usec).
// Theory: with equal packet sizes, per-packet round robin of backlogged queues is max-min fair: each
// domain gets min(demand_i, cap_i) raised by water-filling up to C, where cap_i is the credit limit in
// payload terms, ⌊credit / frame⌋ frames per period. The study reports the simulated share of each
// domain against that allocation.
// Measures over [warmupNs, warmupNs + runLengthNs): aggregate payload throughput, Jain's index of
// throughput_i / theory_i (1 = exactly max-min fair), the largest relative error against theory, the
// smallest and largest domain throughput, back-end CPU fraction. Table `domains`: one row per domain.
// Packet conservation is checked after every run. Randomness: each domain starts at a time uniform in
// [0, 1 ms) (stream start/tx<i>), so replications differ in phase only.
// Defaults: 1 Gb/s link, MTU 1500 (calibration.ts MACHINE, NETWORK); credit period 10 ms (assumption);
// warm-up 200 ms (until the rings of over-demanding domains and the NIC queue are full: before, the
// composition of the NIC queue still shifts), run 500 ms; --quick: 2 and 4 domains, 100 ms + 100 ms.
import type { ParamsOf } from '../../src/runner/study.js';
import { buildScenario, defineStudy, jitteredStartNs, windowParams } from '../../src/kit/index.js';
import { EventChannels } from '../../src/models/events/event-channels.js';
import { Network } from '../../src/models/net/network.js';
import { HEADER_BYTES, ipv4, maxPayloadBytes, Protocol } from '../../src/models/net/packet.js';
import { UdpSink, UdpSource } from '../../src/models/net/udp.js';
import { vifFairnessCharts, vifFairnessConsoleTable, vifFairnessReportSummary } from './charts.js';

export const VIF_FAIRNESS_MEASURES = {
  totalMbps: { unit: 'Mb/s', doc: 'payload bits received by the client per second of the window, 10^6' },
  theoryTotalMbps: { unit: 'Mb/s', doc: 'max-min fair total: min(Σ caps, link UDP goodput)' },
  fairnessIndex: { unit: '', doc: "Jain's index of throughput_i / theory_i over the domains (1 = max-min fair)" },
  maxRelErrorPct: { unit: '%', doc: 'max over domains of |throughput_i / theory_i − 1|, percent' },
  minMbps: { unit: 'Mb/s', doc: 'smallest domain throughput' },
  maxMbps: { unit: 'Mb/s', doc: 'largest domain throughput' },
  backendCpuFraction: { unit: '', doc: 'back-end CPU issued in the window / window' },
} as const;

const PARAMS = {
  domains: {
    kind: 'int',
    default: 4,
    min: 1,
    max: 64,
    unit: 'domains',
    doc: 'transmitting guest domains, one VIF each',
  },
  demand: {
    kind: 'enum',
    default: 'equal',
    values: ['equal', 'unequal'],
    unit: '',
    doc: 'equal = all backlogged; unequal = domain i offers 2·i/N² of the link goodput',
  },
  rateLimitMbps: {
    kind: 'float',
    default: 0,
    min: 0,
    max: 10_000,
    unit: 'Mb/s',
    doc: 'per-VIF credit limit in frame bits per second (0 = none); credit = rate · period, at least one 9018-byte frame',
  },
  creditPeriodNs: {
    kind: 'int',
    default: 10_000_000,
    min: 100_000,
    max: 1_000_000_000,
    unit: 'ns',
    doc: 'credit period (assumption: 10 ms)',
  },
  backend: { kind: 'enum', default: 'hypervisor', values: ['hypervisor', 'dom0'], unit: '', doc: 'back-end placement' },
  ...windowParams({
    warmupNs: 200_000_000,
    runLengthNs: 500_000_000,
    runLengthMaxNs: 1_000_000_000_000,
    warmupDoc: "warm-up (the over-demanding domains' rings and the NIC queue fill first)",
  }),
} as const;
type P = ParamsOf<typeof PARAMS>;

const LINK_BITS_PER_S = 1e9;
const MTU = 1500;
const PAYLOAD = maxPayloadBytes(Protocol.udp, MTU);
const FRAME = MTU + HEADER_BYTES.ethernet + HEADER_BYTES.ethernetFcs;
const WIRE = FRAME + HEADER_BYTES.ethernetPreamble + HEADER_BYTES.ethernetInterFrameGap;
/** UDP payload goodput of the link at full-size frames, bit/s. */
export const UDP_GOODPUT_BPS = (LINK_BITS_PER_S * PAYLOAD) / WIRE;

/** Max-min fair allocation of `capacity` among demands capped at `caps` (water-filling). */
export function maxMinFair(caps: readonly number[], capacity: number): number[] {
  const idx = caps.map((_, i) => i).sort((a, b) => (caps[a] as number) - (caps[b] as number) || a - b);
  const out = caps.map(() => 0);
  let remaining = capacity;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    const share = remaining / (idx.length - k);
    const give = Math.min(caps[i] as number, share);
    out[i] = give;
    remaining -= give;
  }
  return out;
}

/** Each domain's demand cap (payload bit/s): demand and credit limit (module header). */
export function demandCaps(p: Pick<P, 'domains' | 'demand' | 'rateLimitMbps' | 'creditPeriodNs'>): number[] {
  const n = p.domains;
  const limit =
    p.rateLimitMbps > 0
      ? (Math.floor(creditBytes(p.rateLimitMbps, p.creditPeriodNs) / FRAME) * PAYLOAD * 8 * 1e9) / p.creditPeriodNs
      : Infinity;
  return Array.from({ length: n }, (_, i) =>
    Math.min(limit, p.demand === 'equal' ? Infinity : ((2 * (i + 1)) / (n * n)) * UDP_GOODPUT_BPS),
  );
}

function creditBytes(rateMbps: number, periodNs: number): number {
  return Math.round((rateMbps * 1e6 * periodNs) / 8e9);
}

export const vifFairness = defineStudy({
  name: 'vif-fairness',
  version: 2,
  description:
    'N domains transmitting through their VIFs: per-domain link throughput under round robin, with and without credit rate limits, equal and unequal demand, against max-min fairness',
  details: [
    'Model: a one-CPU host (BVT, Xen 1.0) with the network data path; `domains` guests with one VIF each send 1472-byte',
    'UDP datagrams to one client beyond the 1 Gb/s NIC. demand equal: all backlogged; unequal: domain i offers 2i/N² of',
    'the link UDP goodput. rateLimitMbps > 0: each VIF gets rate·period of frame bytes per creditPeriodNs. The back end',
    'serves VIFs with pending packets in round robin, one packet per VIF per turn, while the NIC queue has room.',
    'Theory: max-min fair shares (water-filling) of the link goodput with caps = min(demand, credit limit in payload',
    'terms). tables/domains.csv: per domain demand, theory and simulated Mb/s. Packet conservation checked per run.',
  ].join('\n'),
  params: PARAMS,
  grid: {
    kind: 'cartesian',
    axes: { demand: ['equal', 'unequal'], rateLimitMbps: [0, 100], domains: [2, 4, 8, 16] },
  },
  quickGrid: { kind: 'cartesian', axes: { demand: ['equal', 'unequal'], rateLimitMbps: [0, 100], domains: [2, 4] } },
  replications: 3,
  quickReplications: 2,
  quickParams: { warmupNs: 100_000_000, runLengthNs: 100_000_000 },
  measures: VIF_FAIRNESS_MEASURES,
  tables: {
    domains: {
      doc: 'per run, one row per transmitting domain',
      columns: {
        domain: 'domain index i (1 … N)',
        demandMbps: 'offered payload rate, Mb/s (empty when backlogged)',
        theoryMbps: 'max-min fair share, Mb/s',
        throughputMbps: 'payload received by the client in the window, Mb/s',
      },
    },
  },
  check: (p) =>
    p.rateLimitMbps > 0 && creditBytes(p.rateLimitMbps, p.creditPeriodNs) < 9018
      ? `rateLimitMbps ${p.rateLimitMbps} with creditPeriodNs ${p.creditPeriodNs} gives a credit of ${creditBytes(p.rateLimitMbps, p.creditPeriodNs)} bytes, below one largest frame (9018): raise either`
      : undefined,
  run(p: P, ctx) {
    const { sim, host, streams } = buildScenario(ctx.seed, {
      scheduler: 'bvt-xen1',
      controlCosts: 'free',
      backendPlacement: p.backend,
    });
    const channels = new EventChannels(host);
    const net = new Network(sim, { host, channels, nic: { rateBitsPerS: LINK_BITS_PER_S, mtuBytes: MTU } });
    const client = net.addRemoteHost({ name: 'client', addr: ipv4('192.168.0.2') });
    const sink = new UdpSink(client, 9);
    const caps = demandCaps(p);
    const theory = maxMinFair(caps, UDP_GOODPUT_BPS);
    const addrs: number[] = [];
    for (let i = 0; i < p.domains; i++) {
      const d = host.control.createDomain({ name: `tx${i + 1}` });
      host.control.attachDevice(
        d.id,
        'vif',
        p.rateLimitMbps > 0
          ? { creditBytes: creditBytes(p.rateLimitMbps, p.creditPeriodNs), creditPeriodNs: p.creditPeriodNs }
          : {},
      );
      const ep = net.endpoint(d.id);
      addrs.push(ep.addr);
      const rate = p.demand === 'equal' ? null : ((2 * (i + 1)) / (p.domains * p.domains)) * UDP_GOODPUT_BPS;
      new UdpSource(sim, ep, {
        dstAddr: client.addr,
        dstPort: 9,
        payloadBytes: PAYLOAD,
        rateBitsPerS: rate,
        startAtNs: jitteredStartNs(streams, `tx${i + 1}`, 1_000_000),
      });
    }
    let backend0 = 0;
    sim.schedule(p.warmupNs, () => {
      sink.resetStats();
      backend0 = net.backendNs;
    });
    sim.run(p.warmupNs + p.runLengthNs);
    net.checkConservation();
    const seconds = p.runLengthNs / 1e9;
    const mbps = addrs.map((a) => (sink.bytesFrom(a) * 8) / seconds / 1e6);
    const ratios = mbps.map((x, i) => x / ((theory[i] as number) / 1e6));
    const sum = ratios.reduce((a, b) => a + b, 0);
    const sq = ratios.reduce((a, b) => a + b * b, 0);
    return {
      measures: {
        totalMbps: mbps.reduce((a, b) => a + b, 0),
        theoryTotalMbps: theory.reduce((a, b) => a + b, 0) / 1e6,
        fairnessIndex: sq > 0 ? (sum * sum) / (ratios.length * sq) : NaN,
        maxRelErrorPct: 100 * Math.max(...ratios.map((r) => Math.abs(r - 1))),
        minMbps: Math.min(...mbps),
        maxMbps: Math.max(...mbps),
        backendCpuFraction: (net.backendNs - backend0) / p.runLengthNs,
      },
      events: sim.eventsProcessed,
      tables: {
        domains: mbps.map((x, i) => ({
          domain: i + 1,
          demandMbps: p.demand === 'equal' ? '' : ((2 * (i + 1)) / (p.domains * p.domains)) * (UDP_GOODPUT_BPS / 1e6),
          theoryMbps: (theory[i] as number) / 1e6,
          throughputMbps: x,
        })),
      },
    };
  },
  charts: vifFairnessCharts,
  consoleTable: vifFairnessConsoleTable,
  reportSummary: vifFairnessReportSummary,
});

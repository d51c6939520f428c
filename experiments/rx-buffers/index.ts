// Study rx-buffers: how many receive buffers a guest must keep posted, and how it reposts them, for page-
// flip receive not to drop: drop rate and throughput against the posted buffers and the repost batch.
//
// Model. One-CPU host (BVT as Xen 1.0; back end in the hypervisor unless `backend` = dom0), the network
// data path with event-channel notifications (net/network.ts), one receiving guest with one VIF, and
// `competitors` CPU-bound guests sharing the CPU. A client beyond the 1 Gb/s NIC sends 1472-byte UDP
// datagrams to the receiver at `offeredMbps` of payload with exponential gaps (Poisson). The receiver
// keeps `buffers` buffers posted on its receive ring and reposts freed ones only when at least
// `repostBatch` can be posted. A packet that finds no posted buffer when the back end flips it is
// dropped (noRxBuffer). While the receiver waits for the CPU (a competitor's slice) packets keep
// arriving: they are flipped into posted buffers until none is left, so the buffers needed grow with
// the offered rate × the receiver's scheduling delay, and a repost batch of b holds up to b − 1 free
// buffers back. Under Xen 1.0's BVT (no warp) a woken receiver takes the CPU from a competitor only when
// its effective virtual time lags by ctx_allow (5 ms): it typically waits for the rest of the
// competitor's slice, during which offered × (up to 5 ms) of packets arrive (about 200 at 500 Mb/s).
// Measures over [warmupNs, warmupNs + runLengthNs): drop rate (noRxBuffer drops / packets for the VIF),
// payload delivered to the receiver's socket, the receiver's CPU share, back-end CPU. Packet
// conservation is checked after every run. Randomness: the client's gaps (stream `arrivals`).
// Defaults: 500 Mb/s offered, 1 competitor, warm-up 100 ms, run 1 s, 3 replications; the grid also runs
// without a competitor; --quick: 1 competitor, 3 buffer counts × 2 batches, 50 ms + 200 ms, 2 replications.
import type { ParamsOf } from '../../src/runner/study.js';
import { buildScenario, cpuBoundDomains, defineStudy, windowParams } from '../../src/kit/index.js';
import { EventChannels } from '../../src/models/events/event-channels.js';
import { Network } from '../../src/models/net/network.js';
import { ipv4, maxPayloadBytes, Protocol } from '../../src/models/net/packet.js';
import { UdpSink, UdpSource } from '../../src/models/net/udp.js';
import { rxBuffersCharts, rxBuffersConsoleTable, rxBuffersReportSummary } from './charts.js';

export const RX_BUFFERS_MEASURES = {
  dropRate: { unit: '', doc: 'noRxBuffer drops / packets that reached the receiver VIF in the window' },
  throughputMbps: { unit: 'Mb/s', doc: "payload delivered to the receiver's socket per second, 10^6 bits" },
  offeredMbpsMeasured: { unit: 'Mb/s', doc: 'payload the client sent per second of the window' },
  receiverCpuFraction: { unit: '', doc: "receiver domain's CPU time / window" },
  backendCpuFraction: { unit: '', doc: 'back-end CPU issued in the window / window' },
} as const;

const PARAMS = {
  buffers: {
    kind: 'int',
    default: 64,
    min: 1,
    max: 256,
    unit: 'buffers',
    doc: 'receive buffers the guest keeps posted (the ring holds 256)',
  },
  repostBatch: {
    kind: 'int',
    default: 16,
    min: 1,
    max: 256,
    unit: 'buffers',
    doc: 'freed buffers are reposted when at least this many can be posted (XenoLinux netfront: rx_target/4 = 16)',
  },
  offeredMbps: { kind: 'float', default: 500, min: 1, max: 957, unit: 'Mb/s', doc: 'offered UDP payload rate' },
  competitors: { kind: 'int', default: 1, min: 0, max: 16, unit: 'domains', doc: 'CPU-bound guests on the same CPU' },
  backend: { kind: 'enum', default: 'hypervisor', values: ['hypervisor', 'dom0'], unit: '', doc: 'back-end placement' },
  ...windowParams({
    warmupNs: 100_000_000,
    runLengthNs: 1_000_000_000,
    runLengthMaxNs: 1_000_000_000_000,
    warmupDoc: 'warm-up',
  }),
} as const;
type P = ParamsOf<typeof PARAMS>;

const PAYLOAD = maxPayloadBytes(Protocol.udp, 1500);

export const rxBuffers = defineStudy({
  name: 'rx-buffers',
  version: 2,
  description:
    'Page-flip receive: drop rate and throughput against the receive buffers a guest keeps posted and its repost batch, with CPU competitors',
  details: [
    'Model: a one-CPU host (BVT, Xen 1.0) with the network data path; one receiving guest and `competitors` CPU-bound',
    'guests. A client sends 1472-byte UDP datagrams to the receiver at offeredMbps (Poisson). The receiver keeps',
    '`buffers` buffers posted and reposts freed ones when at least repostBatch can be posted; a packet the back end',
    'cannot flip into a posted buffer is dropped (noRxBuffer). Measures: drop rate, delivered Mb/s, CPU shares.',
    'Random stream: arrivals. Packet conservation checked after each run.',
  ].join('\n'),
  params: PARAMS,
  grid: { kind: 'cartesian', axes: { competitors: [0, 1], repostBatch: [1, 4, 16], buffers: [16, 32, 64, 128, 256] } },
  quickGrid: { kind: 'cartesian', axes: { repostBatch: [1, 16], buffers: [16, 64, 256] } },
  replications: 3,
  quickReplications: 2,
  quickParams: { warmupNs: 50_000_000, runLengthNs: 200_000_000 },
  measures: RX_BUFFERS_MEASURES,
  check: (p) =>
    p.repostBatch > p.buffers
      ? `repostBatch (${p.repostBatch}) must be at most buffers (${p.buffers}): a batch larger than the buffers is never reposted`
      : undefined,
  run(p: P, ctx) {
    const sc = buildScenario(ctx.seed, { scheduler: 'bvt-xen1', controlCosts: 'free', backendPlacement: p.backend });
    const { sim, host, streams } = sc;
    const channels = new EventChannels(host);
    const net = new Network(sim, {
      host,
      channels,
      guest: { rxBuffers: p.buffers, rxRepostBatch: p.repostBatch },
    });
    const client = net.addRemoteHost({ name: 'client', addr: ipv4('192.168.0.2') });
    const rx = host.control.createDomain({ name: 'receiver' });
    host.control.attachDevice(rx.id, 'vif');
    const ep = net.endpoint(rx.id);
    const sink = new UdpSink(ep, 9);
    cpuBoundDomains(sc, { count: p.competitors, name: (i) => `hog${i + 1}`, workingSetBytes: 0 });
    const src = new UdpSource(sim, client, {
      dstAddr: ep.addr,
      dstPort: 9,
      payloadBytes: PAYLOAD,
      rateBitsPerS: p.offeredMbps * 1e6,
      rng: streams.stream('arrivals'),
    });
    const vif = net.vif(rx.id);
    let drops0 = 0;
    let rxPk0 = 0;
    let sent0 = 0;
    let cpu0 = 0;
    let be0 = 0;
    sim.schedule(p.warmupNs, () => {
      sink.resetStats();
      drops0 = vif.counters.dropped.noRxBuffer;
      rxPk0 = vif.counters.rxPackets;
      sent0 = src.socket.sent;
      cpu0 = rx.busyNs;
      be0 = net.backendNs;
    });
    sim.run(p.warmupNs + p.runLengthNs);
    net.checkConservation();
    const seconds = p.runLengthNs / 1e9;
    const drops = vif.counters.dropped.noRxBuffer - drops0;
    const arrived = drops + vif.counters.rxPackets - rxPk0;
    return {
      measures: {
        dropRate: arrived === 0 ? NaN : drops / arrived,
        throughputMbps: (sink.bytesFrom(client.addr) * 8) / seconds / 1e6,
        offeredMbpsMeasured: ((src.socket.sent - sent0) * PAYLOAD * 8) / seconds / 1e6,
        receiverCpuFraction: (rx.busyNs - cpu0) / p.runLengthNs,
        backendCpuFraction: (net.backendNs - be0) / p.runLengthNs,
      },
      events: sim.eventsProcessed,
    };
  },
  charts: rxBuffersCharts,
  consoleTable: rxBuffersConsoleTable,
  reportSummary: rxBuffersReportSummary,
});

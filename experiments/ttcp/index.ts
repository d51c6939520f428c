// Study ttcp: the paper's Table 4 (ttcp bandwidth, Mb/s) through the network model — one bulk TCP
// transfer between a guest and a client machine over gigabit Ethernet, the guest transmitting (Tx) or
// receiving (Rx), at MTU 1500 and 500, for the native (Linux), xen, full-virt (VMware) and hosted (UML)
// profiles, beside the published numbers.
//
// Model (src/models/net/ttcp-scenario.ts): a one-CPU server (Table 4's micro-benchmarks ran on one CPU)
// with one guest and its VIF (the back end in the hypervisor, Xen 1.0; the native kernel on a bare-metal
// host), the NIC and link, a client machine whose CPU is not modelled, TCP (src/models/net/tcp.ts:
// NewReno, delayed ACKs, RFC 6298 timer, 128 kB socket buffers as in Table 4) and ttcp writing 8192-byte
// buffers. Nothing here is fitted to Table 4. What is calibrated, and from what:
//   * link: 1 Gb/s (the paper's Tigon 3), latency and NIC queue from network calibration (calibration.ts
//     NETWORK: assumption / Linux 2.4 tg3 driver), Ethernet framing from IEEE 802.3 (packet.ts);
//   * MTU: the column's 1500 or 500 bytes; MSS = MTU − 40;
//   * per-packet guest cost: the profile's netPacket operation = one null I/O + one event delivery, both
//     from the profile's Table 3 row (guest/profile-fit.ts; for L-UP, Xen, VMware, UML); full-virt adds
//     its emulated NIC's host round trip per packet (a world switch to the host and the VMApp's write()
//     or read() on the VMNet driver): 22.7 µs measured by Sugerman et al. (USENIX 2001) on a 733 MHz
//     Pentium III, scaled by clock to 2.4 GHz = 6.93 µs (guest/profile.ts FULL_VIRT_NIC_PACKET_NS;
//     calibration.ts NETWORK.hostedNicPacketUs, hostedNicClockHz; version 2);
//   * per-byte guest cost: one copy per payload byte (calibration.ts NETWORK.guestCopyNsPerByte);
//   * back-end cost per packet and the page flip (two page-table updates and a flush of the profile,
//     Table 3 fit) — network.ts;
//   * TCP protocol costs of the guest: the study parameters tcpPacketNs / tcpByteNs, 0 by default
//     (assumption: the protocol's own work is inside the path costs above); a sensitivity knob, not a fit.
// tables/table4.csv: one row per published cell: direction, mtu, profile, publishedMbps, simulatedMbps,
// relError (= simulated / published − 1); the runner prepends point, parameters and replication.
// Deterministic: no randomness (one replication). --quick moves 2 MB per cell instead of 16 MB.
//
// Where it departs from Table 4 (default run, version 2: 7 of 16 cells within 10 %), and the mechanism
// each departure points at (none is closed by a constant fitted to Table 4):
//   * native and xen, MTU 1500 (949 / 944 vs 897, +5.8 / +5.2 %): link-bound; MSS = MTU − 40 gives
//     1460 / 1538 wire bytes. Linux 2.4 sends the TCP timestamp option by default (sysctl
//     tcp_timestamps = 1; 12 bytes with padding, MSS 1448), which would give 1448 / 1538 · 1000 = 941;
//     not modelled (tcp.ts, packet.ts). The rest (~5 %) is not explained by framing.
//   * native, MTU 500 Tx (490 vs 602) below Rx (554 vs 544): CPU-bound. Transmitting, the guest also takes
//     an upcall for every burst of transmit responses (the ring notifies on every item), on top of the
//     interrupt already in netPacket: a Tx-only cost the published numbers do not show. Missing: batched
//     transmit-completion notification — XenoLinux 1.x network.c network_tx_buf_gc re-arms its tx event
//     half-way through the outstanding requests (tx_event = prod + ((tx_req_prod − prod) >> 1) + 1) and
//     a native tg3 reaps completions under interrupt coalescing; the ring has only fixed-k policies
//     (io/ring.ts), so this is not modelled. (Probe: k = 32 raises native MTU 500 Tx to 532 but xen's to
//     586 vs 516.) The per-packet event delivery inside netPacket is not a double count of the upcall to
//     drop: without it native and xen at MTU 500 run 33 … 76 % above Table 4 — it stands for per-packet
//     protocol work the model does not price separately.
//   * xen, MTU 500 Rx (588 vs 467): too fast; the receive path's per-packet cost (back end 1 µs + page
//     flip: two PTE updates and a flush) is too small at small packets. Missing: the per-packet costs of
//     Xen 1.0's receive path beyond the flip (buffer exchange and the guest's page-table fix-up of the
//     flipped page) — no Table 3 cell prices them.
//   * full-virt (487 / 496 / 165 / 163 vs 291 / 615 / 101 / 137): the host round trip brings Tx from
//     +192 % to +67 %, but one symmetric per-packet cost cannot give Tx < Rx. Missing: the transmit
//     path's several trapping I/O-port accesses per packet (Sugerman et al.: every access to the Lance
//     data register world-switches to the VMApp; Tx needs a sequence of them, Rx is batched by the
//     VMApp's select()/read() and one virtual IRQ); their count per packet is not published here.
//   * hosted (151 / 149 / 48 / 47 vs 165 / 203 / 61 / 91): CPU-bound at 46.4 µs per packet (null I/O +
//     a full signal delivery, Table 3 UML): too dear on receive and at small packets. Missing: UML's
//     receive path takes one SIGIO per burst and reads every queued packet from the host tap device in
//     that handler (uml_net_interrupt loops on uml_net_rx), so the signal is per burst, not per packet;
//     and netPacket's null I/O stands for a guest system call per packet, where the application enters
//     the kernel once per 8192-byte write or read. Both are charged per packet here (too dear for UML,
//     whose entry is a ptraced host system call, 25 µs).
import { TABLE4, TABLE4_CONFIGS, type Table4Config } from '../../src/models/calibration.js';
import { VirtProfile } from '../../src/models/guest/operations.js';
import { runTtcpCell, TtcpDirection } from '../../src/models/net/ttcp-scenario.js';
import type { TableRow } from '../../src/runner/study.js';
import { defineStudy } from '../../src/kit/index.js';
import { ttcpCharts, ttcpConsoleTable, ttcpReportSummary } from './charts.js';

/** Table 4's configurations as the models' profiles. */
export const TABLE4_PROFILE: Readonly<Record<Table4Config, VirtProfile>> = {
  Linux: VirtProfile.native,
  Xen: VirtProfile.xen,
  VMware: VirtProfile.fullVirt,
  UML: VirtProfile.hosted,
};

/** Table 4's columns as (mtu, direction), in its order. */
export const TABLE4_CELLS = [
  { mtu: 1500, direction: TtcpDirection.transmit },
  { mtu: 1500, direction: TtcpDirection.receive },
  { mtu: 500, direction: TtcpDirection.transmit },
  { mtu: 500, direction: TtcpDirection.receive },
] as const;

export interface Table4Options {
  readonly totalBytes: number;
  readonly writeBytes: number;
  readonly sockBufBytes: number;
  readonly tcpPacketNs: number;
  readonly tcpByteNs: number;
}

/** Every published cell, measured: the rows of tables/table4.csv, and the events simulated. */
export function measureTable4(o: Table4Options): { rows: TableRow[]; events: number } {
  const rows: TableRow[] = [];
  let events = 0;
  const tcpCosts =
    o.tcpPacketNs === 0 && o.tcpByteNs === 0
      ? null
      : { txPacketNs: o.tcpPacketNs, rxPacketNs: o.tcpPacketNs, txByteNs: o.tcpByteNs, rxByteNs: o.tcpByteNs };
  for (const config of TABLE4_CONFIGS) {
    const profile = TABLE4_PROFILE[config];
    TABLE4_CELLS.forEach((c, i) => {
      const published = TABLE4.rows[config][i] as number;
      const r = runTtcpCell({
        profile,
        direction: c.direction,
        mtuBytes: c.mtu,
        totalBytes: o.totalBytes,
        writeBytes: o.writeBytes,
        sockBufBytes: o.sockBufBytes,
        tcpCosts,
      });
      events += r.events;
      rows.push({
        direction: c.direction === TtcpDirection.transmit ? 'tx' : 'rx',
        mtu: c.mtu,
        profile,
        publishedMbps: published,
        simulatedMbps: Number(r.mbps.toFixed(3)),
        relError: Number((r.mbps / published - 1).toFixed(6)),
        serverCpuShare: Number(r.serverCpuShare.toFixed(4)),
        retransmits: r.retransmits,
        drops: r.drops,
      });
    });
  }
  return { rows, events };
}

export const ttcp = defineStudy({
  name: 'ttcp',
  version: 2,
  description:
    'Table 4 (ttcp, Mb/s): bulk TCP transmit and receive at MTU 1500 and 500 for native, xen, full-virt and hosted, beside the published numbers',
  details: [
    'Model: a one-CPU server with one guest (native: bare metal), its VIF, the back end in the hypervisor, the',
    'NIC at 1 Gb/s and a client whose CPU is not modelled; TCP NewReno with delayed ACKs and 128 kB socket',
    'buffers; ttcp writes 8192-byte buffers. Per-packet guest cost = the profile netPacket (Table 3: null I/O',
    '+ event delivery; full-virt adds the emulated NIC host round trip, Sugerman et al. 2001), per-byte = one',
    'copy; back-end cost and page flip from the network model. Nothing is fitted to Table 4.',
    'tables/table4.csv: direction, mtu, profile, publishedMbps, simulatedMbps, relError.',
  ].join('\n'),
  params: {
    totalBytes: {
      kind: 'int',
      default: 16 * 1024 * 1024,
      min: 65_536,
      max: 1_073_741_824,
      unit: 'bytes',
      doc: 'bytes moved per cell (ttcp default: 2048 buffers of 8192 bytes = 16 MiB)',
    },
    writeBytes: {
      kind: 'int',
      default: 8192,
      min: 1,
      max: 1_048_576,
      unit: 'bytes',
      doc: 'bytes per write call (ttcp -l; default 8192, ttcp.c)',
    },
    sockBufBytes: {
      kind: 'int',
      default: 131_072,
      min: 4096,
      max: 16_777_216,
      unit: 'bytes',
      doc: 'socket send and receive buffers of both ends (Table 4: 128 kB)',
    },
    tcpPacketNs: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 1_000_000,
      unit: 'ns',
      doc: "the guest TCP endpoint's own protocol cost per segment sent or received (assumption: 0, inside the path cost)",
    },
    tcpByteNs: {
      kind: 'float',
      default: 0,
      min: 0,
      max: 100,
      unit: 'ns/byte',
      doc: "the guest TCP endpoint's own cost per payload byte (assumption: 0, the copy is in the path cost)",
    },
    warmupNs: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 0,
      unit: 'ns',
      doc: 'not used: ttcp times a transfer, not a window (the runner requires the parameter)',
    },
    runLengthNs: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 0,
      unit: 'ns',
      doc: 'not used: ttcp times a transfer, not a window (the runner requires the parameter)',
    },
  },
  grid: { kind: 'cartesian', axes: { sockBufBytes: [131_072] } },
  replications: 1,
  quickReplications: 1,
  quickParams: { totalBytes: 2 * 1024 * 1024 },
  measures: {
    maxAbsRelError: { unit: '', doc: 'largest |simulated/published − 1| over the 16 cells' },
    meanAbsRelError: { unit: '', doc: 'mean |simulated/published − 1| over the 16 cells' },
    cellsWithin10pct: { unit: 'cells', doc: 'cells with |relError| ≤ 0.10 (of 16)' },
  },
  tables: {
    table4: {
      doc: 'one row per published Table 4 cell',
      columns: {
        direction: 'tx (the guest transmits) or rx (the guest receives)',
        mtu: 'IP MTU, bytes',
        profile: 'native (Linux), xen, full-virt (VMware) or hosted (UML)',
        publishedMbps: 'the paper, Mb/s',
        simulatedMbps: 'ttcp on the receiving side, Mb/s (10^6 bit/s)',
        relError: 'simulated / published − 1',
        serverCpuShare: 'share of the server CPU busy (guest, back end, switches) during the transfer',
        retransmits: 'TCP segments the sender retransmitted',
        drops: 'packets the network dropped (any reason)',
      },
    },
  },
  run(p) {
    const { rows, events } = measureTable4(p);
    let max = 0;
    let sum = 0;
    let within = 0;
    for (const r of rows) {
      const e = Math.abs(Number(r['relError']));
      max = Math.max(max, e);
      sum += e;
      if (e <= 0.1) within++;
    }
    return {
      measures: { maxAbsRelError: max, meanAbsRelError: sum / rows.length, cellsWithin10pct: within },
      events,
      tables: { table4: rows },
    };
  },
  charts: ttcpCharts,
  consoleTable: ttcpConsoleTable,
  reportSummary: ttcpReportSummary,
});

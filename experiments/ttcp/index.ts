// Study ttcp: the paper's Table 4 (ttcp bandwidth, Mb/s) through the network model — one bulk TCP
// transfer between a guest and a client machine over gigabit Ethernet, the guest transmitting (Tx) or
// receiving (Rx), at MTU 1500 and 500, for the native (Linux), xen, full-virt (VMware) and hosted (UML)
// profiles, beside the published numbers.
//
// Model (src/models/net/ttcp-scenario.ts): a one-CPU server (Table 4's micro-benchmarks ran on one CPU)
// with one guest and its VIF (the back end in the hypervisor, Xen 1.0; the native kernel on a bare-metal
// host), the NIC and link, a client machine whose CPU is not modelled, TCP (src/models/net/tcp.ts:
// NewReno, delayed ACKs, RFC 6298 timer, 128 kB socket buffers as in Table 4; constants in calibration.ts
// TCP, Linux 2.4 and RFC 5681/6298/6582) and ttcp writing 8192-byte buffers.
//
// Calibrated against Table 4 (version 3). Table 4 is ttcp, a micro-benchmark, so the project's rule
// (calibration.ts header) lets it set parameters; the issue allows link, MTU and per-packet/per-byte costs
// to be calibrated. Exactly these are fitted, by `npm run fit:net-costs` (scripts/fit-net-costs.ts), and
// stored in calibration.ts NET_COSTS: the guest's CPU per packet (data or ACK, sent or received) for the
// (profile, direction of the transfer) pairs where the Table 3 estimate leaves a cell beyond 10 % —
// native Tx, xen Rx, full-virt Tx and Rx, hosted Tx and Rx (6 parameters) — and for hosted also the
// guest's CPU per payload byte per direction (2 parameters); plan: ttcp-scenario.ts NET_COST_FIT_PLAN.
// Eight parameters for sixteen cells; tables/table4.csv is therefore a calibration check, not a
// prediction. Fitted values (ns per packet; ns/byte): native Tx 1260, xen Rx 3010, full-virt Tx 21 650 /
// Rx 11 430, hosted Tx 32 640 + 10.37/byte / Rx 16 150 + 17.54/byte. native Rx and xen Tx keep the Table 3
// estimate (2540 and 1790 ns, within 2 % of Table 4 at MTU 500); every profile but hosted keeps one
// copy per byte (NETWORK.guestCopyNsPerByte, 1 ns/byte). Not fitted, with their own sources:
//   * link: 1 Gb/s (the paper's Tigon 3), latency and NIC queue (calibration.ts NETWORK), Ethernet framing
//     from IEEE 802.3 (packet.ts); MTU: the column's 1500 or 500 bytes; MSS = MTU − 40 (TCP.headerBytes);
//   * the back end's per-packet cost and the page flip (two page-table updates and a flush of the profile,
//     Table 3 fit) — network.ts; ring notifications and their upcalls (io/ring.ts, events/);
//   * the TCP protocol costs of the guest: the study parameters tcpPacketNs / tcpByteNs, 0 by default (a
//     sensitivity knob on top of the fitted path costs).
// What the fitted costs stand for. Table 3 gives an estimate for every profile (`table3Costs: true` in
// runTtcpCell): netPacket = one null I/O + one event delivery per packet both ways (full-virt adds its
// emulated NIC's host round trip, 6.93 µs, Sugerman et al. 2001), one copy per byte — native 2540 ns,
// xen 1790, full-virt 11 663, hosted 46 400 ns per packet (version 2 of this study). The fit moves away
// from it where the study notes of version 2 named mechanisms the estimate leaves out:
//   * native Tx (1260 < 2540): the guest's per-packet share of transmit completions is smaller than an
//     event delivery per packet: a native tg3 reaps completions under interrupt coalescing (as XenoLinux
//     1.x network.c re-arms its tx event half-way through the outstanding requests, tx_event = prod +
//     ((tx_req_prod − prod) >> 1) + 1; xen Tx needs no change).
//   * xen Rx (3010 > 1790): receive work beyond the page flip (buffer exchange, the guest's page-table
//     fix-up of the flipped page) that no Table 3 cell prices; native Rx needs no change.
//   * full-virt Tx (21 650 > 11 663) above Rx (11 430): the transmit path's several trapping I/O-port
//     accesses per packet (each access to the Lance data register world-switches to the VMApp), where
//     receive is batched by the VMApp's select()/read() and one virtual IRQ.
//   * hosted (16 … 33 µs per packet + 10 … 18 ns per byte, against 46.4 µs per packet): UML takes one
//     SIGIO per burst and reads every queued packet from the host tap in that handler (uml_net_interrupt
//     loops on uml_net_rx), and the application enters the kernel once per 8192-byte write or read, not
//     per packet: part of the per-packet cost becomes per-byte (one ptraced system call per 8 kB, plus
//     the copies through the host's tap device).
// None of these mechanisms is modelled as such (io/ring.ts has fixed-k notification policies only; the
// guest's system calls are not per write): their effect is inside the fitted numbers.
// tables/table4.csv (a sweep table, exactly the columns): one row per published cell: direction,
// mtu, profile, publishedMbps, simulatedMbps, relError (= simulated / published − 1), for the first point
// of the grid (the default grid has one), the mean over its replications. tables/cells.csv: the same cells
// per run, with the server's CPU share, retransmits and drops; the runner prepends point, parameters and
// replication.
// Deterministic: no randomness (one replication). --quick moves 2 MiB per cell instead of 16 MiB (the fit
// runs at 4 MiB; both sizes are checked).
//
// Where it departs from Table 4 (version 3; default run: 14 of 16 cells within 10 %, largest |relError|
// 0.207, mean 0.049; --quick: 14 of 16, largest 0.199):
//   * full-virt Rx (503 / 165 vs 615 / 137, −18 / +21 %): Table 4's VMware receive moves 52.6 k packets/s
//     at MTU 1500 and 37.2 k at MTU 500 — fewer packets per second at the smaller packet — while any
//     per-packet cost plus a per-byte cost ≥ 0 makes a CPU-bound receiver move at least as many packets
//     at MTU 500 (throughput ratio 1500 : 500 at most 1460 / 460 = 3.17; published 4.49). The fit's
//     minimax puts both cells about 19 % off. A mechanism that makes small packets dearer on VMware's
//     receive path is missing. Candidates tried (2 MiB per cell, not adopted):
//       - the emulated Lance's small receive ring (Linux 2.4 pcnet32 posts 16 or 32 buffers) overflowing
//         at MTU 500, where a 128 kB window is 285 segments: 16 buffers collapse both MTUs by
//         retransmission timeouts; 32 or 64 change neither cell by more than 4 %;
//       - receive livelock (Mogul & Ramakrishnan 1997): host-side work per arriving packet spent before
//         the guest's ring, so also on packets the ring drops. The model already orders it so (the back
//         end's work precedes the ring check, network.ts afterRxWork). Moving 4 … 9 µs of the 11.43 µs from
//         the guest to the host side (backendRxPacketNs) with 32, 64 or 256 buffers: MTU 1500 rises to
//         520 … 607 but MTU 500 rises too, to 176 … 203 (+29 … +48 %), since TCP keeps the ring's drops
//         at 0.5 … 0.7 % of the data segments (NewReno halves the window after a loss; the CPU-bound
//         receiver stays busy). To waste the ~30 % of CPU that MTU 500 lacks, about a third of the
//         segments would have to be dropped after host work, which TCP does not sustain;
//       - a receive window limit (8 … 128 kB socket buffers): no change; the receiver never idles;
//       - a different ACK pattern: the guest ACKs 0.50 segments per data segment at MTU 1500 and 0.54 at
//         500 (delayed ACKs; the extra are duplicate ACKs after the drops), so per-packet ACK costs
//         scale alike; and any interrupt coalescing (host NIC, VMApp select()/read() batching) makes
//         the per-packet cost at the higher packet rate smaller, not larger.
//     So the two cells stay outside 10 %; the test (quick.test.ts) allows them 25 %.
//   * native and xen, MTU 1500 (949 / 944 vs 897, +5.8 / +5.2 %): link-bound; MSS = MTU − 40 gives
//     1460 / 1538 wire bytes. Linux 2.4 sends the TCP timestamp option by default (sysctl
//     tcp_timestamps = 1; 12 bytes with padding, MSS 1448), which would give 1448 / 1538 · 1000 = 941;
//     not modelled (tcp.ts, packet.ts).
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

/** Every published cell, measured: the rows of tables/cells.csv (one run), and the events simulated. */
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

/** The columns of tables/table4.csv, in order (issue 10). */
export const TABLE4_CSV_COLUMNS = [
  'direction',
  'mtu',
  'profile',
  'publishedMbps',
  'simulatedMbps',
  'relError',
] as const;

/**
 * tables/table4.csv from the runs' cells: for the first point of the grid, one row per published cell in
 * the order the runs give them, simulatedMbps and relError the mean over the point's replications.
 */
export function table4Rows(cells: readonly TableRow[]): TableRow[] {
  const point = cells[0]?.['point'];
  const byCell = new Map<string, { row: TableRow; n: number; mbps: number; rel: number }>();
  for (const c of cells) {
    if (c['point'] !== point) continue;
    const key = `${String(c['direction'])}/${String(c['mtu'])}/${String(c['profile'])}`;
    const acc = byCell.get(key) ?? { row: c, n: 0, mbps: 0, rel: 0 };
    acc.n++;
    acc.mbps += Number(c['simulatedMbps']);
    acc.rel += Number(c['relError']);
    byCell.set(key, acc);
  }
  return [...byCell.values()].map(({ row, n, mbps, rel }) => ({
    direction: row['direction'] as string,
    mtu: Number(row['mtu']),
    profile: row['profile'] as string,
    publishedMbps: Number(row['publishedMbps']),
    simulatedMbps: Number((mbps / n).toFixed(3)),
    relError: Number((rel / n).toFixed(6)),
  }));
}

export const ttcp = defineStudy({
  name: 'ttcp',
  version: 5,
  description:
    'Table 4 (ttcp, Mb/s): bulk TCP transmit and receive at MTU 1500 and 500 for native, xen, full-virt and hosted, beside the published numbers',
  details: [
    'Model: a one-CPU server with one guest (native: bare metal), its VIF, the back end in the hypervisor, the',
    'NIC at 1 Gb/s and a client whose CPU is not modelled; TCP NewReno with delayed ACKs and 128 kB socket',
    'buffers; ttcp writes 8192-byte buffers. Calibrated: the guest CPU per packet for each profile and',
    'direction where Table 3 leaves a cell beyond 10 %, and for hosted per byte (8 parameters, 16 cells),',
    'fitted to Table 4 by npm run fit:net-costs (calibration.ts NET_COSTS): this table is a calibration',
    'check. Back end, page flip, link and TCP keep their own sources.',
    'tables/table4.csv: direction, mtu, profile, publishedMbps, simulatedMbps, relError (cells.csv: per run).',
    'Prediction (--quick, Mb/s, simulated / Table 4): native 947 / 897 Tx and Rx at MTU 1500, 590 / 602 Tx and',
    '553 / 544 Rx at 500; xen 908 / 897, 908 / 897, 531 / 516, 446 / 467; full-virt 296 / 291 Tx, 492 / 615 Rx,',
    '97 / 101, 160 / 137; hosted 164 / 165, 202 / 203, 61 / 61.1, 90 / 91.4: 14 of 16 cells within 10 %.',
    'Mechanisms: at MTU 1500 native and xen are limited by the 1 Gb/s link and TCP (window, delayed ACKs,',
    'headers), xen a few per cent lower for the back end, the page flip of each received packet and the',
    'event-channel notifications; at MTU 500 and on full-virt and hosted the guest CPU per packet (and per byte',
    'for hosted) is the limit, and those costs are the fitted parameters.',
    "Left out: the client's CPU and its NIC, interrupt coalescing, TCP options beyond NewReno with delayed ACKs",
    '(SACK, timestamps), and the host OS under full-virt and hosted as a scheduled entity (its work is in the',
    'fitted per-packet price).',
    'Departures from the paper (Table 4, calibration.ts): native and xen at MTU 1500 sit 1–6 % above it (the',
    "model's link and TCP carry more than the paper's 897 Mb/s); full-virt Rx is outside 10 % at both MTUs",
    '(492 against 615 at 1500, 160 against 137 at 500): the fitted receive price is too high for the first and',
    'too low for the second, and the mechanisms tried (ring size, receive livelock, window, ACK pattern) did not',
    'move both; as the guest costs are fitted to this table, agreement elsewhere is a calibration check.',
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
    cells: {
      doc: 'one row per published Table 4 cell and run (tables/table4.csv: the same cells, exactly its columns)',
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
      tables: { cells: rows },
    };
  },
  sweepTables: (data) => ({ table4: table4Rows(data.tables['cells'] ?? []) }),
  charts: ttcpCharts,
  consoleTable: ttcpConsoleTable,
  reportSummary: ttcpReportSummary,
});

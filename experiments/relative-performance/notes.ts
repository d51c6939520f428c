// Notes of the relative-performance study: the report's details text (RELPERF_DETAILS) and the paper's
// approximate values (PAPER_FIGURE3), shown beside the prediction in the chart, labelled as the paper's,
// and never read by the model.
//
// Model. Native runs on the bare-metal host (its drivers' back-end work as softirqs); xen, full-virt and
// hosted as one guest beside an idle domain 0 on a one-CPU Xen host with the timer event, the block and
// network back ends in the hypervisor (Xen 1.0), as workloads/on-profile.ts sets up. Every guest
// operation — system calls, faults, file-system and database calls, every block request, every network
// packet — is priced by the profile's operation vocabulary (Table 3 cells and estimates derived from them,
// guest/profile-fit.ts; under full-virt and hosted every block request also pays the host-side I/O path,
// guest/profile.ts HOST_BLOCK_PATH_NS: VMware's two host round trips, UML's host system calls, switches
// and SIGIO), so no per-profile slowdown is written anywhere.
//   spec-int, kernel-build  relative-cpu's runs: operation mixes run to completion by the guest OS.
//   osdb-ir, osdb-oltp      one PostgreSQL-like client (closed loop): each query's calls and faults plus its
//                           computation; cache misses as synchronous random 4 KB reads, OLTP's write-backs
//                           and ordered synchronous 8 KB commit, through the block ring, back end and disk
//                           (the paper's DK32EJ). Score: queries (transactions) per second; median of medianOf.
//                           Each query also pays 2 client/backend process switches (lat_ctx 2p/0K).
//   dbench                  one client, dbenchOps operations (the paper: about 90 000); MB/s; median. As
//                           the dbench of the paper's time on Linux 2.4: Flush is a no-op (dbench 1.2),
//                           reads hit the page cache, writes go back once 30 s old (kupdate age_buffer).
//   specweb                 web-run.ts: one Apache-like server (net/web.ts: SPECweb99's mix and file set,
//                           clients paced to 400 kbit/s, conformant at ≥ 320 kbit/s) behind the network
//                           model; score = conformant clients at the largest client count with ≥ 95%
//                           conformant, by bisection (web.ts findWebScore; --quick: steps of 16 clients,
//                           2 s probes; full: steps of 1, 5 s probes).
// What it predicts (relative to native, xen / full-virt / hosted, --quick; full fidelity agrees to ±0.02
// on the first five rows): spec-int 0.998 / 0.997 / 0.995; kernel-build 0.97 / 0.79 / 0.37; osdb-ir
// 1.00 / 0.97 / 0.78; osdb-oltp 1.00 / 0.99 / 0.95; dbench 1.00 / 0.92 / 0.18 (about 720 MB/s native);
// specweb 0.88 / 0.37 / 0.10 (1140, 1001, 426, 112 conformant clients); at full fidelity 0.90 / 0.40 / 0.11
// (1344, 1210, 533, 149: the coarse quick search and its 2 s probes sit about 15% lower).
// Which mechanisms produce it. SPEC and the build: the OS share of the run, repriced by each profile (see
// relative-cpu). OSDB-IR is CPU-bound (disk busy 15%): 2 ms of computation per query plus 20 null I/Os,
// 2 selects and 2 faults, which hosted prices at about 25 µs per kernel entry (0.6 ms more per query).
// OSDB-OLTP is disk-bound (disk busy 85–90%): a transaction waits for its random reads and an ordered
// synchronous commit (about 15 ms, under 2 ms of it CPU); beside a 5–10 ms disk access the profiles' extra
// CPU per block request (1.8 µs xen, 18.6 µs full-virt with its host round trips, 52 µs hosted with UML's
// host path) is small. dbench is CPU-bound (the disk idle: nothing is 30 s old before the run ends): a mean
// operation costs 8.1 µs native, 8.8 µs full-virt and 45 µs hosted, from Table 3's file-system cells
// (UML's open/close 62.8 µs, stat 36.1, 0K create 130). SPECweb99 is CPU-bound at its score on native, xen and
// full-virt (the CPU 97–100% busy in the passing run, tables/web-detail.csv): a request costs its calls (select, 2 null
// I/O, stat, open/close: 10 µs native, 18 µs full-virt, 189 µs hosted), 200 µs of computation for the 30%
// dynamic ones, fork + exec for the 0.15% CGI (0.6 ms native, 54 ms hosted) and about 16 packets at the
// profile's 'net packet' price (2.5 µs native, 1.8 µs xen, 11.7 µs full-virt, 46 µs hosted) plus 1 ns
// per byte copied and the back end's 1 µs per packet (hypervisor, or the native driver's softirq). Xen's
// extra cost over native is the rest of its network path — the page flip of each received packet, the
// event-channel notifications and the domain switches they cause, the timer event; full-virt's and
// hosted's are mostly their per-packet and per-call prices. Hosted fails its probes with CPU to spare
// (about 75% busy): one CGI request's 54 ms fork + exec holds the single server process, and every
// client waiting behind it falls below 320 kbit/s.
// What it leaves out: the data copies of the host-side I/O path; a disk write cache and the host page
// cache under UML's ubd file (OLTP's commits would then return before the platter); a dirty limit of
// dbench's page cache, and data of deleted files is still written back; the web
// server's disk (the file set is assumed cached; the paper's 2 GB set is not); Apache's many processes
// (one server process here); the clients' CPUs; SPECweb99's minutes-long runs and ramp-up rules (each
// probe here ramps its clients in over half its warm-up, in groups of 64: assumption).
// Where it departs from the paper (its values, approximate, in PAPER_FIGURE3 and on the chart: relative
// xen / VMware / UML): spec-int 1.00 / 0.98 / 0.97, build 0.97 / 0.79 / 0.49, OSDB-IR 0.92 / 0.47 /
// 0.38, OSDB-OLTP 0.95 / 0.12 / 0.18, dbench 0.96 / 0.74 / 0.27, SPECweb99 0.99 / 0.29 / 0.33. The model
// agrees on xen for the first five rows and on the CPU-bound rows, predicts hosted's build slower (Table
// 3's UML fork/exec/fault prices), and follows the paper's order on dbench (hosted 0.18 against 0.27,
// full-virt 0.92 against 0.74: Table 3's VMware file-system cells are only 5–55% dearer than native). It
// is still far too kind to full-virt and hosted on OSDB. Added and measured (version 3): the host-side
// I/O path (moves OLTP by under 1%: 14 µs full-virt, 6 µs hosted more per request beside 15 ms of disk)
// and the client/backend switches (36 µs per query on full-virt beside 2 ms of computation). What is
// left: OLTP is disk-bound on every profile, so no CPU mechanism can show there until the commits and
// reads stop waiting for the platter — a drive write cache (Linux 2.4 sends no cache flush) and the
// database held in the page cache would both do that; whether the paper's disk had its write cache on is
// not stated, so neither is assumed. OSDB-IR's 2 ms of computation per query (an assumption of osdb.ts)
// sets its ratios: the paper's 0.47 for VMware needs about 2 ms more VMM work per query than Table 3's
// cells give, i.e. a mechanism Table 3 does not measure (e.g. shadow page-table work of a large database
// address space). On SPECweb99
// the model puts xen below the paper (every packet pays the hypervisor back end, a page flip and
// notifications on one CPU that also runs the server; the paper's Xen kept 99%, so those per-packet
// prices, or batching of notifications under load, are likely too high here), full-virt near it, and
// hosted far below it (0.1 against 0.33: Table 3's UML prices — 25 µs per null I/O, 54 ms per fork +
// exec — applied to every request and its 16 packets; the paper's UML served a third of native, so
// either its network path is cheaper than Table 3's lat_udp-derived packet price or its Apache did less
// kernel work per request than assumed here).
// Time (measured on the shared 2-CPU machine, CPU time of the process): --quick 22 s (9 s before the web
// row; its search, 8 probes of 2 s on each profile, is the other 12 s); full fidelity about 30 s for the
// first five rows plus about 70 s for the web search (12–13 probes of 5 s on each profile).

/**
 * The paper's Figure 3 (SOSP 2003), approximate: the absolute scores printed above its bars (Linux, Xen,
 * VMware Workstation, UML), read from the published figure. For comparison only; no model reads them.
 */
export const PAPER_FIGURE3: Readonly<Record<string, readonly [number, number, number, number]>> = {
  'spec-int': [567, 567, 554, 550],
  'kernel-build': [263, 271, 334, 535],
  'osdb-ir': [172, 158, 80, 65],
  'osdb-oltp': [1714, 1633, 199, 306],
  dbench: [418, 400, 310, 111],
  specweb: [518, 514, 150, 172],
};

/** The paper's relative value of a workload on system index i (0 native … 3 hosted); > 1 = better. */
export function paperRelative(workload: string, i: number): number | undefined {
  const v = PAPER_FIGURE3[workload];
  if (v === undefined) return undefined;
  const native = v[0];
  const x = v[i];
  if (x === undefined) return undefined;
  return workload === 'kernel-build' ? native / x : x / native;
}

export const RELPERF_DETAILS = [
  'Model: the relative-cpu runs for SPEC CINT2000-like and the kernel build; OSDB-like IR and OLTP (one client,',
  'cache misses as synchronous random reads, OLTP commits synchronous and ordered) and a dbench-like mix through',
  "the block ring, back end and the paper's disk; a SPECweb99-like server (request mix, file set, 400 kbit/s",
  'clients conformant at 320 kbit/s) behind the network model, scored by bisection over the client count.',
  "Every guest operation, block request and packet is priced by the profile's operation vocabulary (Table 3",
  'cells and estimates from them). Native on the bare-metal host; the others as a guest beside an idle dom0 on',
  "a one-CPU Xen host. Nothing is fitted to the paper's figure; its approximate values are drawn beside.",
  'Prediction: xen within 1% of native on the first five rows and about 0.9 on SPECweb99 (the hypervisor',
  'back end, page flips and notifications per packet); OSDB-IR CPU-bound (hosted 0.78); OSDB-OLTP disk-bound,',
  'the profiles within a few per cent; dbench in the page cache (dbench 1.2: Flush a no-op; 30 s write-back),',
  'CPU-bound on file-system calls: full-virt 0.92, hosted 0.18 (paper 0.74, 0.27); SPECweb99 CPU-bound,',
  'full-virt about 0.4 and hosted about 0.1. Every block request of full-virt and hosted pays the host-side',
  'I/O path, every OSDB query 2 client/backend switches. Departures: the paper has full-virt and hosted far',
  'below native on OSDB, Xen at 0.99 and UML at 0.33 on SPECweb99. Left out, and candidate missing',
  'mechanisms: a drive write cache and the database in the page cache (OLTP would stop waiting for the disk),',
  "VMM work per query that Table 3 does not measure, the web server's disk and processes. Nothing is tuned.",
  'tables/figure3.csv: workload, system, score, scoreUnit, relativeToNative (> 1 = better than native, whatever',
  'the unit). tables/disk-detail.csv: the disk-bound rows (disk busy share, mean operation time, block-request',
  'price). tables/web-detail.csv: the web score, its passing count, probes, and that run (requests/s, Mb/s,',
  'CPU busy share, response times, drops).',
].join('\n');

// The project's calibration table: every constant the models use, with its value, unit and source, and
// the paper's micro-benchmark tables (Table 3, lmbench; Table 4, ttcp) as typed data.
// docs/calibration.md is generated from this module (scripts/calibration-doc.ts; a test checks that the
// two agree).
//
// "Paper" is Barham et al., "Xen and the Art of Virtualization", SOSP 2003 (doi 10.1145/945445.945462).
// "Xen 1.0 source" is the xen-project tree of October 2003, "Xen 2.0 source" the tree of December 2004.
// A "datasheet-class" figure is what the data sheets give for that class of part; the paper does not state
// it and no named data sheet is cited, so such entries are assumptions (source "assumption: …", with moves).
// An entry whose source starts with "assumption" has no source: its `moves` says which measures it
// moves. Entries whose source starts with "fit" are micro-benchmark calibration (a script in scripts/
// reruns the fit); nothing here is fitted to a macro result of the paper (its relative-performance
// bars, multi-domain figures, isolation and scalability results), which the models predict.
// Units: as named in each entry ('ns', 'bytes', …); Table 3 in µs, Table 4 in Mb/s.

/** One constant of the models. */
export interface CalibrationEntry {
  readonly value: number;
  readonly unit: string;
  /** A citation (paper table, source file with version, data sheet, fit script), or "assumption: …". */
  readonly source: string;
  /** For an assumption: the measures it moves (what a study of its sensitivity would look at). */
  readonly moves?: string;
  /** Where the models use it. */
  readonly usedBy: string;
}

export type CalibrationGroup = Readonly<Record<string, CalibrationEntry>>;

const PAPER = 'Paper';
const DATASHEET =
  'assumption: datasheet-class figure for the Xeon DP 2.4 GHz (NetBurst, 130 nm, 2002); not stated in the paper';
/** What the modelled cache sizes move. */
const CACHE_MOVES =
  'the lat_ctx fit (switch-cost profiles, npm run fit:lat-ctx); switch cost in slice-length and scalability';
const NOT_MODELLED = 'nothing (not modelled; part of the fitted direct switch cost)';

/** The paper's test machine (Dell 2650, §4 of the paper). */
export const MACHINE = {
  cpus: {
    value: 2,
    unit: 'CPUs',
    source: `${PAPER} §4: Dell 2650, 2 × Intel Xeon 2.4 GHz, hyper-threading off`,
    usedBy: 'studies (SMP runs); net/latency.ts PING_AMONG_BUSY_DEFAULTS.cpus',
  },
  cpuClockHz: {
    value: 2.4e9,
    unit: 'Hz',
    source: `${PAPER} §4: Xeon 2.4 GHz`,
    usedBy: 'documentation (cycle conversions)',
  },
  singleCpuRuns: {
    value: 1,
    unit: 'CPUs',
    source: `${PAPER} §4: the relative-performance and micro-benchmark runs used one CPU`,
    usedBy: 'host.ts HOST_DEFAULTS.cpus; net/web-host.ts WebHost cpus default',
  },
  memoryBytes: {
    value: 2 * 1024 ** 3,
    unit: 'bytes',
    source: `${PAPER} §4: 2 GB`,
    usedBy: 'host.ts HOST_DEFAULTS.machineMemoryPages',
  },
  pageBytes: {
    value: 4096,
    unit: 'bytes',
    source: "x86 (IA-32) small page, 4 KB (Intel IA-32 Software Developer's Manual, vol. 3, paging)",
    usedBy: 'host.ts machineMemoryPages; cache/footprint.ts TLB pages',
  },
  perDomainStateBytes: {
    value: 20 * 1024,
    unit: 'bytes',
    source: `${PAPER}: about 20 kB of hypervisor state per domain`,
    usedBy: 'documentation (scale targets)',
  },
  targetDomains: {
    value: 100,
    unit: 'domains',
    source: `${PAPER} §1: about 100 domains on one server`,
    usedBy: 'documentation (scale targets)',
  },
  nicBitsPerS: {
    value: 1e9,
    unit: 'bit/s',
    source: `${PAPER} §4: Broadcom Tigon 3 gigabit Ethernet`,
    usedBy: 'net/nic.ts NIC_DEFAULTS.rateBitsPerS',
  },
} as const satisfies CalibrationGroup;

/** Caches and TLB of one CPU of the paper's machine. */
export const CACHES = {
  lineBytes: { value: 64, unit: 'bytes', source: DATASHEET, moves: CACHE_MOVES, usedBy: 'cache/footprint.ts' },
  l1DataBytes: { value: 8 * 1024, unit: 'bytes', source: DATASHEET, moves: CACHE_MOVES, usedBy: 'cache/footprint.ts' },
  l1DataWays: {
    value: 4,
    unit: 'ways',
    source: DATASHEET,
    moves: CACHE_MOVES,
    usedBy: 'cache/footprint.ts (L1 eviction curve)',
  },
  traceCacheUops: {
    value: 12 * 1024,
    unit: 'µops',
    source: DATASHEET,
    moves: NOT_MODELLED,
    usedBy: 'not modelled (code is part of the direct switch cost)',
  },
  l2Bytes: {
    value: 512 * 1024,
    unit: 'bytes',
    source: `${DATASHEET}; unified, one per CPU`,
    moves: CACHE_MOVES,
    usedBy: 'cache/footprint.ts',
  },
  l2Ways: {
    value: 8,
    unit: 'ways',
    source: DATASHEET,
    moves: CACHE_MOVES,
    usedBy: 'cache/footprint.ts (L2 eviction curve)',
  },
  dtlbEntries: {
    value: 64,
    unit: 'entries',
    source: DATASHEET,
    moves: CACHE_MOVES,
    usedBy: 'cache/footprint.ts (TLB refill after a switch)',
  },
  itlbEntries: {
    value: 128,
    unit: 'entries',
    source: DATASHEET,
    moves: NOT_MODELLED,
    usedBy: 'not modelled (code is part of the direct switch cost)',
  },
} as const satisfies CalibrationGroup;

/** The disk of the paper's machine. */
export const DISK = {
  capacityBytes: {
    value: 146e9,
    unit: 'bytes',
    source: `${PAPER} §4: one Hitachi DK32EJ 146 GB 10,000 RPM SCSI disk`,
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
  rpm: {
    value: 10_000,
    unit: 'rev/min',
    source: `${PAPER} §4: a 10,000 RPM SCSI disk`,
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
  avgSeekNs: {
    value: 4_900_000,
    unit: 'ns',
    source: 'assumption: datasheet-class figure for a 10,000 RPM SCSI disk of 2002 (DK32EJ); not stated in the paper',
    moves: 'disk-scheduling, the relative-performance disk rows (OSDB, dbench), isolation (disk service times)',
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
  avgRotationalNs: {
    value: 3_000_000,
    unit: 'ns',
    source: 'derived: half a revolution at DISK.rpm = 10,000 RPM (60 s / 10,000 / 2)',
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
  mediaBytesPerS: {
    value: 60e6,
    unit: 'bytes/s',
    source:
      'assumption: datasheet-class figure (roughly 50–70 MB/s for such a disk; midpoint); not stated in the paper',
    moves: 'disk-scheduling, the relative-performance disk rows (OSDB, dbench), isolation (disk service times)',
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
} as const satisfies CalibrationGroup;

/** Disk service and scheduling model parameters beyond the paper's figures (disk/service.ts, disk/scheduler.ts, disk/blkback.ts). */
export const DISK_MODEL = {
  sectorBytes: {
    value: 512,
    unit: 'bytes',
    source:
      'SCSI-3 Block Commands (SBC) logical blocks; 512 bytes is the format the SCSI disks of that time shipped with',
    usedBy: 'disk/service.ts presets',
  },
  cylinders: {
    value: 50_000,
    unit: 'cylinders',
    source:
      'assumption: order of magnitude for a 146 GB 3.5" disk of 2002; only the scale of seek distances depends on it (the seek curve is solved to the average seek)',
    moves: 'seek time of short, clustered seeks (C-LOOK/SSTF gains)',
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
  settleNs: {
    value: 500_000,
    unit: 'ns',
    source:
      'assumption: track-to-track seek of a 10,000 RPM SCSI disk of that class (datasheet-class order, not the DK32EJ sheet)',
    moves: 'seek time of the shortest seeks; cost of crossing a cylinder in a sequential stream',
    usedBy: 'disk/service.ts DK32EJ_10K (settle, cylinder skew)',
  },
  seekBoundaryFraction: {
    value: 0.3,
    unit: 'of full stroke',
    source:
      'assumption: where the seek curve turns from √d to linear (shape after Ruemmler & Wilkes, IEEE Computer 1994)',
    moves: 'the ratio of short to long seek times at a fixed average seek',
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
  commandOverheadNs: {
    value: 100_000,
    unit: 'ns',
    source: 'assumption: SCSI command and controller overhead per request (order of 0.1 ms)',
    moves: 'random-I/O rate of the rotating disk (≈ 1 % of a random access)',
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
  readAheadSectors: {
    value: 1024,
    unit: 'sectors',
    source:
      "assumption: a 512 KB read-ahead segment of the drive's buffer (disks of that class had multi-megabyte buffers)",
    moves: 'sequential read throughput (streaming at the media rate) and dd-hog interference',
    usedBy: 'disk/service.ts DK32EJ_10K',
  },
  ssdChannels: {
    value: 8,
    unit: 'channels',
    source: "assumption: a generic flash SSD (not part of the paper's machine)",
    moves: 'SSD throughput at high queue depth',
    usedBy: 'disk/service.ts SSD_LIKE',
  },
  ssdReadAccessNs: {
    value: 50_000,
    unit: 'ns',
    source: 'assumption: a generic flash SSD read access',
    moves: 'SSD read latency',
    usedBy: 'disk/service.ts SSD_LIKE',
  },
  ssdWriteAccessNs: {
    value: 200_000,
    unit: 'ns',
    source: 'assumption: a generic flash SSD program (write) access',
    moves: 'SSD write latency',
    usedBy: 'disk/service.ts SSD_LIKE',
  },
  ssdChannelBytesPerS: {
    value: 50e6,
    unit: 'bytes/s',
    source: 'assumption: transfer rate of one flash channel',
    moves: 'SSD large-request time',
    usedBy: 'disk/service.ts SSD_LIKE',
  },
  deadlineReadExpireNs: {
    value: 500_000_000,
    unit: 'ns',
    source: 'Linux 2.6 block/deadline-iosched.c: read_expire = HZ / 2',
    usedBy: 'disk/scheduler.ts DeadlineScheduler',
  },
  deadlineWriteExpireNs: {
    value: 5_000_000_000,
    unit: 'ns',
    source: 'Linux 2.6 block/deadline-iosched.c: write_expire = 5 * HZ',
    usedBy: 'disk/scheduler.ts DeadlineScheduler',
  },
  backendRequestCpuNs: {
    value: 1880,
    unit: 'ns',
    source:
      'assumption: estimated from Table 3 Xen "open/close" 1.88 µs as the order of a back end\'s per-request work (translate, check, queue, respond); not a measurement of Xen\'s block path',
    moves: 'hypervisor / dom0 CPU per block request',
    usedBy: 'disk/blkback.ts BLKBACK_DEFAULTS.requestCpuNs',
  },
  backendRequestBytes: {
    value: 256,
    unit: 'bytes',
    source:
      'assumption: per block request the back end touches four 64-byte lines: the ring entry (Xen 2.0 xen/include/public/io/blkif.h blkif_request_t, 11 segments of frame_and_sects: about 60 bytes, one line; its response shares the slot), its pending-request record, the disk request it builds and the page-table entry of the mapped segment',
    moves: 'cache refill of the domain that runs next on the PCPU that ran the back end (hypervisor placement)',
    usedBy: 'disk/blkback.ts BLKBACK_DEFAULTS.requestBytes: pollution of the PCPU, host.ts',
  },
  guestRequestCpuNs: {
    value: 500,
    unit: 'ns',
    source:
      'assumption: estimated from Table 3 Xen "null I/O" 0.50 µs as the order of a guest\'s per-request block-layer work; not a measurement',
    moves: 'guest CPU per block request in the workloads',
    usedBy: 'disk/workloads.ts',
  },
  pageCacheWriteBackAgeNs: {
    value: 30_000_000_000,
    unit: 'ns',
    source:
      'Linux 2.4 fs/buffer.c bdf_prm: age_buffer = 30*HZ (a dirty buffer is written back by kupdate once it is 30 s old)',
    usedBy: 'disk/fs-workloads.ts DbenchMix writeBackDelayNs (page cache write-back)',
  },
} as const satisfies CalibrationGroup;

/** Hypervisor constants (Xen source). */
export const HYPERVISOR = {
  bvtMcuNs: {
    value: 100_000,
    unit: 'ns',
    source: 'Xen 1.0 source, xen/common/schedule.c: MCU = 100 µs, run time rounded up to whole MCUs',
    usedBy: 'cpu/bvt.ts BVT_DEFAULTS.mcuNs',
  },
  bvtMcuAdvance: {
    value: 10,
    unit: 'virtual time per MCU',
    source: 'Xen 1.0 source, schedule.c MCU_ADVANCE',
    usedBy: 'cpu/bvt.ts BVT_DEFAULTS.defaultMcuAdvance',
  },
  bvtCtxAllowNs: {
    value: 5_000_000,
    unit: 'ns',
    source: `Xen 1.0 source, schedule.c ctx_allow; ${PAPER} §4.5 "5 ms time slice"`,
    usedBy: 'cpu/bvt.ts BVT_DEFAULTS.ctxAllowNs',
  },
  bvtSingleRunnableSliceFactor: {
    value: 10,
    unit: '× ctx_allow',
    source: 'Xen 1.0 source, schedule.c: 10 × ctx_allow when one domain is runnable',
    usedBy: 'cpu/bvt.ts BVT_DEFAULTS.singleRunnableSliceFactor',
  },
  bvtTimeSlopNs: {
    value: 50_000,
    unit: 'ns',
    source: 'Xen 1.0 source, schedule.c TIME_SLOP',
    usedBy: 'cpu/bvt.ts BVT_DEFAULTS.timeSlopNs',
  },
  timerTickNs: {
    value: 20_000_000,
    unit: 'ns',
    source: 'Xen 1.0 source, schedule.c virt_timer: a timer event to every domain every 20 ms',
    usedBy: 'host.ts HOST_DEFAULTS.timerTickNs',
  },
  xen2TimerTickNs: {
    value: 10_000_000,
    unit: 'ns',
    source: 'Xen 2.0 source: 10 ms per-CPU tick sending VIRQ_TIMER to the running domain',
    usedBy: 'cpu/bvt.ts xen2 variant',
  },
  xen2WarpLimitNs: {
    value: 2_000_000_000,
    unit: 'ns',
    source: 'Xen 2.0 source, sched_bvt.c default warp limit',
    usedBy: 'cpu/bvt.ts xen2 variant',
  },
  xen2UnwarpReqNs: {
    value: 1_000_000_000,
    unit: 'ns',
    source: 'Xen 2.0 source, sched_bvt.c default unwarp requirement',
    usedBy: 'cpu/bvt.ts xen2 variant',
  },
  roundRobinQuantumNs: {
    value: 10_000_000,
    unit: 'ns',
    source: 'Xen 2.0 source, sched_rrobin.c rr_slice = MILLISECS(10)',
    usedBy: 'cpu/round-robin.ts ROUND_ROBIN_DEFAULTS.quantumNs',
  },
  creditTickNs: {
    value: 10_000_000,
    unit: 'ns',
    source: 'Xen 3.4 sched_credit.c CSCHED_MSECS_PER_TICK (the release cpu/credit.ts follows; unchanged since Xen 3.0)',
    usedBy: 'cpu/credit.ts CREDIT_DEFAULTS.tickNs',
  },
  creditTicksPerSlice: {
    value: 3,
    unit: 'ticks',
    source: 'Xen 3.4 sched_credit.c CSCHED_TICKS_PER_TSLICE (30 ms slice)',
    usedBy: 'cpu/credit.ts CREDIT_DEFAULTS.ticksPerSlice',
  },
  creditTicksPerAcct: {
    value: 3,
    unit: 'ticks',
    source: 'Xen 3.4 sched_credit.c CSCHED_TICKS_PER_ACCT',
    usedBy: 'cpu/credit.ts CREDIT_DEFAULTS.ticksPerAcct',
  },
  creditCreditsPerMs: {
    value: 10,
    unit: 'credits/ms',
    source: 'Xen 3.4 sched_credit.c CSCHED_CREDITS_PER_MSEC',
    usedBy: 'cpu/credit.ts CREDIT_DEFAULTS.creditsPerMs',
  },
  creditDefaultWeight: {
    value: 256,
    unit: 'weight',
    source: 'Xen 3.4 sched_credit.c CSCHED_DEFAULT_WEIGHT',
    usedBy: 'cpu/credit.ts CREDIT_DEFAULTS.defaultWeight',
  },
  netRingEntries: {
    value: 256,
    unit: 'entries',
    source: `${PAPER} §3.3 / Xen 1.0 source: transmit and receive rings of 256 entries per VIF`,
    usedBy: 'io/ring.ts; workloads/request-response.ts ringSizeEntries',
  },
  maxVifsPerDomain: {
    value: 8,
    unit: 'VIFs',
    source: 'Xen 1.0 source: at most 8 VIFs per domain',
    usedBy: 'host/control.ts attachDevice',
  },
  blockRingEntries: {
    value: 64,
    unit: 'entries',
    source: 'Xen 1.0 source: block ring of 64 entries',
    usedBy: 'io/ring.ts (block rings)',
  },
  blockSegmentsPerRequest: {
    value: 11,
    unit: 'pages',
    source: 'Xen 1.0/2.0 source: up to 11 segments per block request',
    usedBy: 'disk/blkback.ts (segments per request)',
  },
  blockInFlightMax: {
    value: 64,
    unit: 'requests',
    source: 'Xen 1.0 source (xen_block.c MAX_PENDING_REQS): at most 64 requests in flight in the hypervisor',
    usedBy: 'disk/blkback.ts',
  },
  blockPerDomainTurn: {
    value: 16,
    unit: 'requests',
    source: 'Xen 1.0 source (xen_block.c BATCH_PER_DOMAIN): 16 requests taken per domain per round-robin turn',
    usedBy: 'disk/blkback.ts',
  },
  pageTableQueueEntries: {
    value: 2048,
    unit: 'updates',
    source: 'Xen 1.0 XenoLinux: up to 2048 page-table updates flushed in one hypercall',
    usedBy: 'memory models (later)',
  },
  hypervisorReservationBytes: {
    value: 64 * 1024 ** 2,
    unit: 'bytes',
    source: `${PAPER} §2.1.1: top 64 MB of every address space`,
    usedBy: 'memory models (later)',
  },
  xen1EventPorts: {
    value: 32,
    unit: 'ports',
    source: 'Xen 1.0 source: one 32-bit pending word and one mask word per domain',
    usedBy: 'events/bitmaps.ts EventLayout.xen1',
  },
  xen2EventPorts: {
    value: 1024,
    unit: 'ports',
    source: 'Xen 2.0 source, event channels: 1024 with pending, selector and mask bitmaps',
    usedBy: 'events/bitmaps.ts EventLayout.xen2',
  },
} as const satisfies CalibrationGroup;

/** Per-operation costs taken from other lmbench rows of Table 3 (anchors: assumptions). */
export const ANCHORS = {
  hypercallNs: {
    value: 450,
    unit: 'ns',
    source:
      'assumption: anchor on Table 3 L-UP "null call" 0.45 µs (a trap to ring 0 and back); no measurement of an event-channel send',
    moves: 'notification CPU cost and throughput in event-batching; latency of request/response workloads',
    usedBy: 'events/event-channels.ts EVENT_CHANNEL_DEFAULTS.hypercallNs',
  },
  upcallNs: {
    value: 1290,
    unit: 'ns',
    source:
      'assumption: anchor on Table 3 Xen "sig handle" 1.75 µs − Xen "null call" 0.46 µs (a signal delivery without the sending system call)',
    moves: 'notification CPU cost, throughput and latency in event-batching',
    usedBy: 'events/event-channels.ts EVENT_CHANNEL_DEFAULTS.upcallNs',
  },
  timerTickCostNs: {
    value: 1750,
    unit: 'ns',
    source:
      'assumption: anchor on Table 3 Xen "sig handle" 1.75 µs (delivering an asynchronous notification to a guest handler)',
    moves: 'CPU lost to timer events (≈ 0.01 % per domain at 20 ms); wake-up of blocked domains by the tick',
    usedBy: 'host.ts HOST_DEFAULTS.timerTickCostNs',
  },
  clientIssueNs: {
    value: 500,
    unit: 'ns',
    source: 'assumption: anchor on Table 3 Xen "null I/O" 0.50 µs',
    moves: 'useful CPU per request and latency in event-batching',
    usedBy: 'workloads/request-response.ts clientIssueNs, clientResponseNs',
  },
  serviceMeanNs: {
    value: 1880,
    unit: 'ns',
    source: 'assumption: anchor on Table 3 Xen "open/close" 1.88 µs; exponential service',
    moves: 'server utilisation, latency and throughput in event-batching',
    usedBy: 'workloads/request-response.ts serviceMeanNs',
  },
  createDomainCostNs: {
    value: 768_000,
    unit: 'ns',
    source: 'assumption: anchor on Table 3 Xen "exec" 768 µs (build an address space, load an image)',
    moves: 'dom0 CPU at domain creation; timing of domains created during a run',
    usedBy: 'host/control.ts CONTROL_COST_DEFAULTS.createDomainCostNs',
  },
  destroyDomainCostNs: {
    value: 198_000,
    unit: 'ns',
    source: 'assumption: anchor on Table 3 Xen "fork" 198 µs (page-table sized work)',
    moves: 'dom0 CPU at domain destruction',
    usedBy: 'host/control.ts CONTROL_COST_DEFAULTS.destroyDomainCostNs',
  },
  setSchedParamsCostNs: {
    value: 500,
    unit: 'ns',
    source: 'assumption: anchor on Table 3 Xen "null I/O" 0.50 µs (one ioctl into dom0)',
    moves: 'dom0 CPU per control operation (negligible unless operations are frequent)',
    usedBy: 'host/control.ts CONTROL_COST_DEFAULTS.setSchedParamsCostNs, setMemoryTargetCostNs',
  },
  attachDeviceCostNs: {
    value: 1880,
    unit: 'ns',
    source: 'assumption: anchor on Table 3 Xen "open/close" 1.88 µs',
    moves: 'dom0 CPU per device attach (negligible)',
    usedBy: 'host/control.ts CONTROL_COST_DEFAULTS.attachDeviceCostNs',
  },
  domainSwitchIsXenProcessSwitch: {
    value: 1,
    unit: 'flag',
    source:
      'assumption: a domain switch costs what the Xen lat_ctx profile gives for a process switch in a XenoLinux guest (both trap to Xen, switch the page-table base and flush the TLB); the paper measures no domain switch',
    moves: 'switching loss in slice-length and bvt-weights; wake-up latency in bvt-warp',
    usedBy: 'cpu/context-switch.ts default profile',
  },
} as const satisfies CalibrationGroup;

/**
 * The guest-OS layer (src/models/guest/): the guest kernel's scheduler, and the counts that split each
 * Table 3 operation into mechanisms (kernel entries, page faults, page-table updates) so that
 * guest/profile-fit.ts can derive each profile's per-mechanism costs from Table 3
 * (scripts/fit-guest-profiles.ts prints the fit). The counts describe the lmbench programs; they are
 * assumptions, not measurements.
 */
export const GUEST = {
  guestQuantumNs: {
    value: 60_000_000,
    unit: 'ns',
    source:
      'Linux 2.4 kernel/sched.c: NICE_TO_TICKS(0) = (20 >> 2) + 1 = 6 ticks at HZ = 100 (TICK_SCALE(x) = x >> 2 for HZ < 200), i.e. 60 ms',
    usedBy: 'guest/guest-os.ts GUEST_OS_DEFAULTS.quantumNs',
  },
  lmbenchImagePages: {
    value: 192,
    unit: 'pages',
    source: 'assumption: an lmbench process (dynamically linked, text + libc + data + stack) maps about 768 KB',
    moves: 'page-table updates of fork, exec, sh; the per-update cost the fit derives; pt-batching',
    usedBy: 'guest/profile-fit.ts OP_MECHANISMS (fork: 2 × image copied and write-protected, exit: image torn down)',
  },
  lmbenchHelloPages: {
    value: 32,
    unit: 'pages',
    source: 'assumption: the small "hello" program lat_proc execs maps and touches about 128 KB',
    moves: 'page faults and page-table updates of exec and sh',
    usedBy: 'guest/profile-fit.ts OP_MECHANISMS (exec, sh)',
  },
  shellPages: {
    value: 128,
    unit: 'pages',
    source: 'assumption: /bin/sh maps and touches about 512 KB before it execs the command',
    moves: 'page faults and page-table updates of sh',
    usedBy: 'guest/profile-fit.ts OP_MECHANISMS (sh)',
  },
  lmbenchMmapPages: {
    value: 256,
    unit: 'pages',
    source:
      'assumption: lat_mmap maps and unmaps a 1 MB file region whose page-table entries are set up at map time and cleared at unmap',
    moves: 'page-table updates of mmap; the per-update cost the fit derives (it bounds it for every profile)',
    usedBy: 'guest/profile-fit.ts OP_MECHANISMS (mmap)',
  },
  perIoPathEntries: {
    value: 1,
    unit: 'kernel entries',
    source:
      'assumption: the guest driver path of one packet or one block request costs one kernel entry (a null I/O) plus one interrupt/event delivery; the network and storage models refine it',
    moves: 'per-packet and per-request CPU of network and storage workloads',
    usedBy: 'guest/profile-fit.ts netPacket, blockRequest',
  },
  fullVirtBlockHostRoundTrips: {
    value: 2,
    unit: 'host round trips per block request',
    source:
      "assumption: VMware Workstation's hosted architecture (Sugerman et al., USENIX 2001, §2): a virtual disk request leaves the VMM by a world switch to the host, where the VMApp issues the read()/write() on the disk file; the completion interrupt comes back the same way (host interrupt, VMApp, world switch, virtual interrupt). Each crossing priced as the measured per-packet host round trip (NETWORK.hostedNicPacketUs scaled by hostedNicClockHz)",
    moves: 'full-virt CPU per block request (host-side I/O path)',
    usedBy: 'guest/profile.ts GuestProfile.hostBlockPathNs (full-virt)',
  },
  hostedBlockHostSyscalls: {
    value: 5,
    unit: 'host system calls per block request',
    source:
      'assumption: UML\'s ubd driver (Linux 2.4 arch/um/drivers/ubd_kern.c, ubd_user.c): the UML kernel writes the request to its I/O thread\'s pipe, the thread reads it, does the pread()/pwrite() on the host file and writes the reply; the UML kernel reads it in its SIGIO handler. Each priced as Table 3 L-UP "null I/O" (a host system call at native cost)',
    moves: 'hosted CPU per block request (host-side I/O path)',
    usedBy: 'guest/profile.ts GuestProfile.hostBlockPathNs (hosted)',
  },
  hostedBlockHostSwitches: {
    value: 2,
    unit: 'host process switches per block request',
    source:
      'assumption: the UML kernel to its I/O thread and back (ubd_user.c io_thread), each priced as Table 3 L-UP context switch "2p/0K"; plus one host SIGIO delivery priced as L-UP "sig handle" − "null call"',
    moves: 'hosted CPU per block request (host-side I/O path)',
    usedBy: 'guest/profile.ts GuestProfile.hostBlockPathNs (hosted)',
  },
} as const satisfies CalibrationGroup;

/** Machine memory, the balloon driver, guest paging and its swap device (memory/defaults.ts). */
export const MEMORY = {
  hypervisorPages: {
    value: 4096,
    unit: 'pages',
    source: "assumption: the hypervisor's own image, frame table and heap at start (16 MB)",
    moves: 'free machine pages only (how many domains fit)',
    usedBy: 'memory/defaults.ts MEMORY_DEFAULTS.hypervisorPages (host.ts hypervisorMemoryPages)',
  },
  perDomainStatePages: {
    value: 5,
    unit: 'pages',
    source: `${PAPER}: about 20 kB of hypervisor state per domain (20 kB / 4 KB pages)`,
    usedBy: 'memory/defaults.ts MEMORY_DEFAULTS.perDomainStatePages',
  },
  balloonRatePagesPerS: {
    value: 65_536,
    unit: 'pages/s',
    source: 'assumption: the balloon driver moves at most 256 MB per second',
    moves: 'how fast a target is reached in balloon-overcommit',
    usedBy: 'memory/balloon.ts BalloonOptions.ratePagesPerS',
  },
  balloonCostNsPerPage: {
    value: 2730,
    unit: 'ns/page',
    source:
      'assumption: anchor on Table 3 Xen "page fault" 2.73 µs (a page handed over with a map update validated by the hypervisor)',
    moves: 'guest CPU spent ballooning in balloon-overcommit',
    usedBy: 'memory/balloon.ts BalloonOptions.costNsPerPage',
  },
  balloonBatchPages: {
    value: 1024,
    unit: 'pages',
    source:
      'Xen source, linux-2.6.18-xen drivers/xen/balloon/balloon.c: frame_list of PAGE_SIZE / sizeof(unsigned long) = 1024 frames per reservation hypercall (32-bit x86)',
    usedBy: 'memory/balloon.ts BalloonOptions.batchPages',
  },
  balloonFloorPages: {
    value: 0,
    unit: 'pages',
    source: 'assumption: no driver floor by default (studies set one per domain)',
    moves: 'how far a target can shrink a domain',
    usedBy: 'memory/balloon.ts BalloonOptions.floorPages',
  },
  pageFaultNs: {
    value: 2730,
    unit: 'ns',
    source: `${PAPER} Table 3, Xen "page fault" 2.73 µs`,
    usedBy: 'memory/paging.ts GuestPaging faultCpuNs',
  },
  swapAccessNs: {
    value: 7_900_000,
    unit: 'ns',
    source: "derived: DISK.avgSeekNs 4.9 ms + DISK.avgRotationalNs 3 ms (a random access on the paper's disk)",
    usedBy: 'memory/swap.ts FixedLatencySwap (stand-in for the VBD)',
  },
  swapTransferNsPerPage: {
    value: 68_267,
    unit: 'ns/page',
    source: 'derived: DISK.mediaBytesPerS 60 MB/s, 4096 bytes / 60e6 B/s',
    usedBy: 'memory/swap.ts FixedLatencySwap',
  },
} as const satisfies CalibrationGroup;

/** lmbench lat_ctx configurations whose Table 3 row the switch-cost profiles are fitted to. */
export const SWITCH_PROFILES = ['L-SMP', 'L-UP', 'Xen', 'VMware', 'UML'] as const;
export type SwitchProfile = (typeof SWITCH_PROFILES)[number];

/** The fitted parameters of one switch-cost profile (cache/footprint.ts SwitchCostParams). */
export interface SwitchProfileFit {
  readonly directNs: number;
  readonly tlbMissNs: number;
  readonly l1RefillNsPerLine: number;
  readonly memRefillNsPerLine: number;
  readonly entityOverheadBytes: number;
  readonly switchPollutionBytes: number;
  readonly switchPathBytes: number;
  readonly addressSpaceSlots: number;
  readonly addressSpaceMissNs: number;
}

/**
 * Switch-cost profiles fitted by scripts/fit-lat-ctx.ts to the context-switch columns of Table 3 (one
 * row each), through the lat_ctx replay (cache/lat-ctx.ts) and the machine's cache geometry (CACHES).
 * L-UP is fitted first (the machine and the Linux 2.4 kernel); VMware and UML take their L1 refill
 * from it; the switch-path mechanisms each row fits are in the script's FIT_PLAN. addressSpaceSlots is
 * not fitted: 8 is an assumption (Table 3 only bounds it to 8 … 15: the 8-process cells of VMware and
 * UML keep their state, the 16-process cells rebuild it).
 */
export const SWITCH_PROFILE_FITS: Readonly<Record<SwitchProfile, SwitchProfileFit>> = {
  'L-SMP': {
    directNs: 1793,
    tlbMissNs: 6.24,
    l1RefillNsPerLine: 3.78,
    memRefillNsPerLine: 31.46,
    entityOverheadBytes: 8256,
    switchPollutionBytes: 0,
    switchPathBytes: 0,
    addressSpaceSlots: 0,
    addressSpaceMissNs: 0,
  },
  'L-UP': {
    directNs: 778,
    tlbMissNs: 5.68,
    l1RefillNsPerLine: 2.23,
    memRefillNsPerLine: 31.64,
    entityOverheadBytes: 7232,
    switchPollutionBytes: 0,
    switchPathBytes: 0,
    addressSpaceSlots: 0,
    addressSpaceMissNs: 0,
  },
  Xen: {
    directNs: 2044,
    tlbMissNs: 1.9,
    l1RefillNsPerLine: 4.86,
    memRefillNsPerLine: 31.73,
    entityOverheadBytes: 5568,
    switchPollutionBytes: 5696,
    switchPathBytes: 45_632,
    addressSpaceSlots: 0,
    addressSpaceMissNs: 0,
  },
  VMware: {
    directNs: 17_517,
    tlbMissNs: 128.88,
    l1RefillNsPerLine: 2.23,
    memRefillNsPerLine: 33.01,
    entityOverheadBytes: 1152,
    switchPollutionBytes: 47_808,
    switchPathBytes: 0,
    addressSpaceSlots: 8,
    addressSpaceMissNs: 15_921,
  },
  UML: {
    directNs: 14_871,
    tlbMissNs: 0.02,
    l1RefillNsPerLine: 2.23,
    memRefillNsPerLine: 24.6,
    entityOverheadBytes: 14_976,
    switchPollutionBytes: 0,
    switchPathBytes: 0,
    addressSpaceSlots: 8,
    addressSpaceMissNs: 3532,
  },
};

const FIT_UNITS: Readonly<Record<keyof SwitchProfileFit, string>> = {
  directNs: 'ns',
  tlbMissNs: 'ns',
  l1RefillNsPerLine: 'ns/line',
  memRefillNsPerLine: 'ns/line',
  entityOverheadBytes: 'bytes',
  switchPollutionBytes: 'bytes',
  switchPathBytes: 'bytes',
  addressSpaceSlots: 'address spaces',
  addressSpaceMissNs: 'ns',
};

/** The fitted profiles as calibration entries (for the document and the checks). */
export function switchProfileEntries(profile: SwitchProfile): CalibrationGroup {
  const fit = SWITCH_PROFILE_FITS[profile];
  const out: Record<string, CalibrationEntry> = {};
  for (const key of Object.keys(FIT_UNITS) as (keyof SwitchProfileFit)[]) {
    const usedBy = profile === 'Xen' ? 'cpu/context-switch.ts default profile' : 'cpu/context-switch.ts profile option';
    if (key === 'addressSpaceSlots') {
      out[key] = {
        value: fit[key],
        unit: FIT_UNITS[key],
        source:
          fit[key] === 0
            ? 'fit: scripts/fit-lat-ctx.ts FIT_PLAN: not a mechanism of this switch path (0: no state kept)'
            : 'assumption: Table 3 bounds it to 8 … 15 (8-process lat_ctx cells keep the state, 16-process cells rebuild it)',
        moves:
          'switch cost once more than this many entities share a CPU (full-virt, hosted guests with many processes)',
        usedBy,
      };
      continue;
    }
    out[key] = {
      value: fit[key],
      unit: FIT_UNITS[key],
      source: `fit: scripts/fit-lat-ctx.ts to Table 3 "${profile}" context-switch columns (lmbench lat_ctx; FIT_PLAN: fitted, from the L-UP fit, or 0)`,
      usedBy,
    };
  }
  return out;
}

// ---- the paper's micro-benchmark tables ----

/** Configurations of Table 3: native SMP and UP Linux, Xen, VMware Workstation 3.2, User-Mode Linux. */
export const TABLE3_CONFIGS = ['L-SMP', 'L-UP', 'Xen', 'VMware', 'UML'] as const;
export type Table3Config = (typeof TABLE3_CONFIGS)[number];

/** One part of Table 3 (lmbench, µs, lower is better). */
export interface Table3Part<C extends string> {
  readonly title: string;
  readonly columns: readonly C[];
  readonly rows: Readonly<Record<Table3Config, readonly number[]>>;
}

export const TABLE3_PROCESSES_COLUMNS = [
  'null call',
  'null I/O',
  'stat',
  'open/close',
  'select TCP',
  'sig inst',
  'sig handle',
  'fork',
  'exec',
  'sh',
] as const;
export const TABLE3_CONTEXT_SWITCH_COLUMNS = [
  '2p/0K',
  '2p/16K',
  '2p/64K',
  '8p/16K',
  '8p/64K',
  '16p/16K',
  '16p/64K',
] as const;
export const TABLE3_FILE_VM_COLUMNS = [
  '0K create',
  '0K delete',
  '10K create',
  '10K delete',
  'mmap',
  'prot fault',
  'page fault',
] as const;

/** Paper Table 3 (lmbench 3, µs; L-UP is a uniprocessor native kernel, L-SMP an SMP one). */
export const TABLE3 = {
  processes: {
    title: 'Processes',
    columns: TABLE3_PROCESSES_COLUMNS,
    rows: {
      'L-SMP': [0.53, 0.81, 2.1, 3.51, 23.2, 0.83, 2.94, 143, 601, 4200],
      'L-UP': [0.45, 0.5, 1.28, 1.92, 5.7, 0.68, 2.49, 110, 530, 4000],
      Xen: [0.46, 0.5, 1.22, 1.88, 5.69, 0.69, 1.75, 198, 768, 4800],
      VMware: [0.73, 0.83, 1.88, 2.99, 11.1, 1.02, 4.63, 874, 2300, 10000],
      UML: [24.7, 25.1, 36.1, 62.8, 39.9, 26.0, 46.0, 21000, 33000, 58000],
    },
  },
  contextSwitch: {
    title: 'Context switch (processes / working set)',
    columns: TABLE3_CONTEXT_SWITCH_COLUMNS,
    rows: {
      'L-SMP': [1.69, 1.88, 2.03, 2.36, 26.8, 4.79, 38.4],
      'L-UP': [0.77, 0.91, 1.06, 1.03, 24.3, 3.61, 37.6],
      Xen: [1.97, 2.22, 2.67, 3.07, 28.7, 7.08, 39.4],
      VMware: [18.1, 17.6, 21.3, 22.4, 51.6, 41.7, 72.2],
      UML: [15.5, 14.6, 14.4, 16.3, 36.8, 23.6, 52.0],
    },
  },
  fileVm: {
    title: 'File and VM system',
    columns: TABLE3_FILE_VM_COLUMNS,
    rows: {
      'L-SMP': [44.9, 24.2, 123, 45.2, 99.0, 1.33, 1.88],
      'L-UP': [32.1, 6.08, 66.0, 12.5, 68.0, 1.06, 1.42],
      Xen: [32.5, 5.86, 68.2, 13.6, 139, 1.4, 2.73],
      VMware: [35.3, 9.3, 85.6, 21.4, 620, 7.53, 12.4],
      UML: [130, 65.7, 250, 113, 1400, 21.8, 26.3],
    },
  },
} as const satisfies Record<string, Table3Part<string>>;

/** The network data path (net/): link, NIC, back-end and guest per-packet costs. */
export const NETWORK = {
  mtuBytes: {
    value: 1500,
    unit: 'bytes',
    source: `IEEE 802.3 Ethernet MTU (IP packet); ${PAPER} Table 4 "MTU 1500"`,
    usedBy: 'net/nic.ts NIC_DEFAULTS.mtuBytes',
  },
  linkLatencyNs: {
    value: 5000,
    unit: 'ns',
    source:
      'assumption: one-way cable and gigabit switch latency between the server and a client, serialization excluded (a few µs)',
    moves: 'ping round-trip times; TCP round-trip time at small windows',
    usedBy: 'net/nic.ts NIC_DEFAULTS.latencyNs',
  },
  nicTxQueuePackets: {
    value: 512,
    unit: 'packets',
    source: 'Linux 2.4 drivers/net/tg3.h TG3_TX_RING_SIZE = 512 (the Tigon 3 transmit descriptor ring)',
    usedBy: 'net/nic.ts NIC_DEFAULTS.txQueuePackets (both directions of the link)',
  },
  dmaBytesPerS: {
    value: 1.064e9,
    unit: 'bytes/s',
    source: "PCI-X 1.0 specification: 64-bit at 133 MHz, 8 bytes per clock (the Dell 2650's on-board Tigon 3 bus)",
    usedBy: 'net/nic.ts NIC_DEFAULTS.dmaBytesPerS (DMA latency of a frame into or out of memory)',
  },
  backendTxPacketNs: {
    value: 1000,
    unit: 'ns',
    source:
      'assumption: per transmitted packet, the back end takes a descriptor, copies the headers out of the guest page, matches the VFR rules and fills a NIC descriptor: about two Table 3 Xen null I/O (0.50 µs)',
    moves: 'back-end CPU per packet (hypervisor or dom0 time), transmit throughput at small MTUs',
    usedBy: 'net/network.ts NETWORK_DEFAULTS.backendTxPacketNs',
  },
  backendRxPacketNs: {
    value: 1000,
    unit: 'ns',
    source:
      'assumption: per received packet, the back end takes the NIC descriptor, demultiplexes through the VFR and produces the ring response: about two Table 3 Xen null I/O (0.50 µs); the page flip is added from the profile',
    moves: 'back-end CPU per packet (hypervisor or dom0 time), receive throughput at small MTUs',
    usedBy: 'net/network.ts NETWORK_DEFAULTS.backendRxPacketNs',
  },
  nicIrqHandlerNs: {
    value: 500,
    unit: 'ns',
    source:
      'assumption: the NIC interrupt handler (take the interrupt in hypervisor context, read the status block, acknowledge the NIC) is one of the two null-I/O-sized parts of backendTxPacketNs and backendRxPacketNs (one Table 3 Xen null I/O, 0.50 µs); it is taken out of them, not added, so an interrupt per packet costs what the per-packet back end cost before',
    moves:
      'split of the per-packet back-end cost between the NIC interrupt (routed to a PCPU) and the back end; with coalescing, CPU per packet',
    usedBy: 'net/network.ts NETWORK_DEFAULTS.nicIrqHandlerNs',
  },
  nicIrqHandlerBytes: {
    value: 192,
    unit: 'bytes',
    source:
      'assumption: the NIC interrupt handler touches three 64-byte lines (CACHES.lineBytes) of its own: the Tigon 3 status block (struct tg3_hw_status, Linux 2.4 drivers/net/tg3.h, 80 bytes: two lines) and the interrupt descriptor (one line)',
    moves: 'cache refill of the domain that runs next on the PCPU an interrupt was routed to',
    usedBy: 'net/network.ts (InterruptLine handlerBytes): pollution of the PCPU, host.ts',
  },
  backendTxPacketBytes: {
    value: 320,
    unit: 'bytes',
    source:
      'assumption: per transmitted packet the back end touches five 64-byte lines: the headers read from the guest page and written to its own buffer (Ethernet + IP + TCP, 54 bytes: one line each), the netif ring entry (Xen 2.0 xen/include/public/io/netif.h netif_tx_request_t / netif_tx_response_t, one line), the Tigon 3 send descriptor (struct tg3_tx_buffer_desc, Linux 2.4 tg3.h, 16 bytes: one line) and one VFR rule line',
    moves: 'cache refill of the domain that runs next on the PCPU that ran the back end (hypervisor placement)',
    usedBy: 'net/network.ts backend work (transmit): pollution of the PCPU, host.ts',
  },
  backendRxPacketBytes: {
    value: 256,
    unit: 'bytes',
    source:
      'assumption: per received packet the back end touches four 64-byte lines: the Tigon 3 receive return descriptor (struct tg3_rx_buffer_desc, Linux 2.4 tg3.h, 32 bytes), the headers it demultiplexes on, one VFR rule line and the netif ring entry (Xen 2.0 io/netif.h netif_rx_request_t / netif_rx_response_t)',
    moves: 'cache refill of the domain that runs next on the PCPU that ran the back end (hypervisor placement)',
    usedBy: 'net/network.ts backend work (receive): pollution of the PCPU, host.ts',
  },
  pageFlipBytes: {
    value: 256,
    unit: 'bytes',
    source:
      "assumption: a page flip touches four 64-byte lines: the page descriptors of the two pages exchanged (Xen 2.0 struct pfn_info, one line each), the guest's page-table entry and the machine-to-physical table entry",
    moves: 'cache refill of the domain that runs next on the PCPU that ran the back end (page-flipping receive)',
    usedBy: 'net/network.ts backend work (receive, when the profile flips): pollution of the PCPU, host.ts',
  },
  guestCopyNsPerByte: {
    value: 1,
    unit: 'ns/byte',
    source:
      'assumption: the guest socket layer copies each payload byte once between user and kernel memory at about 1 GB/s (a 2002 Xeon with DDR-266 memory)',
    moves: 'guest CPU per byte sent or received; throughput of CPU-bound guests at large MTUs',
    usedBy: 'net/endpoint.ts GuestEndpoint (per-byte cost); disk/fs-workloads.ts DbenchMix ReadX/WriteX copy',
  },
  guestTxQueuePackets: {
    value: 100,
    unit: 'packets',
    source: 'Linux 2.4 drivers/net/net_init.c ether_setup: tx_queue_len = 100',
    usedBy: 'net/endpoint.ts GuestEndpoint (backlog before the transmit ring; beyond it: drop queueFull)',
  },
  rxRepostBatch: {
    value: 16,
    unit: 'buffers',
    source:
      'XenoLinux netfront (Xen 2.0/3.0): receive buffers are refilled only when at least rx_target / 4 can be added, rx_target starting at 64',
    usedBy: 'net/endpoint.ts GuestEndpoint (receive buffers reposted per batch)',
  },
  nicIrqRxMaxFrames: {
    value: 1,
    unit: 'frames',
    source:
      'assumption: no interrupt coalescing by default: the NIC interrupts for every received frame (TG3_COALESCING, below, is the tg3 driver preset a study may choose)',
    moves: 'NIC interrupts per received packet, the hypervisor CPU they cost and the receive latency',
    usedBy: 'net/network.ts NETWORK_DEFAULTS.nicIrqRxMaxFrames (nicIrq.rxMaxFrames default)',
  },
  nicIrqTxMaxFrames: {
    value: 1,
    unit: 'frames',
    source: 'assumption: no interrupt coalescing by default: the NIC interrupts for every frame it has sent',
    moves: 'NIC interrupts per transmitted packet and the hypervisor CPU they cost',
    usedBy: 'net/network.ts NETWORK_DEFAULTS.nicIrqTxMaxFrames (nicIrq.txMaxFrames default)',
  },
  tg3RxMaxFrames: {
    value: 8,
    unit: 'frames',
    source: 'Linux 2.6 drivers/net/tg3.h DEFAULT_RXMAX_FRAMES 8 (Tigon 3 host coalescing as the tg3 driver sets it)',
    usedBy: 'net/network.ts TG3_COALESCING.rxMaxFrames (a preset, not the default)',
  },
  tg3RxCoalesceNs: {
    value: 72_000,
    unit: 'ns',
    source: 'Linux 2.6 drivers/net/tg3.h DEFAULT_RXCOL_TICKS 0x48 = 72 ticks of 1 µs',
    usedBy: 'net/network.ts TG3_COALESCING.rxDelayNs (a preset, not the default)',
  },
  tg3TxMaxFrames: {
    value: 75,
    unit: 'frames',
    source: 'Linux 2.6 drivers/net/tg3.h DEFAULT_TXMAX_FRAMES 0x4b = 75',
    usedBy: 'net/network.ts TG3_COALESCING.txMaxFrames (a preset, not the default)',
  },
  tg3TxCoalesceNs: {
    value: 300_000,
    unit: 'ns',
    source: 'Linux 2.6 drivers/net/tg3.h DEFAULT_TXCOL_TICKS 0x12c = 300 ticks of 1 µs',
    usedBy: 'net/network.ts TG3_COALESCING.txDelayNs (a preset, not the default)',
  },
  ethernetHeaderBytes: {
    value: 14,
    unit: 'bytes',
    source: 'IEEE 802.3 MAC header: destination and source address (6 + 6) and type/length (2)',
    usedBy: 'net/packet.ts HEADER_BYTES.ethernet (frame size, wire size)',
  },
  ethernetFcsBytes: {
    value: 4,
    unit: 'bytes',
    source: 'IEEE 802.3 frame check sequence (CRC-32)',
    usedBy: 'net/packet.ts HEADER_BYTES.ethernetFcs (frame size, wire size)',
  },
  ethernetPreambleBytes: {
    value: 8,
    unit: 'bytes',
    source: 'IEEE 802.3 preamble (7 bytes) and start-of-frame delimiter (1 byte), on the wire before each frame',
    usedBy: 'net/packet.ts HEADER_BYTES.ethernetPreamble (wire size: link occupancy)',
  },
  ethernetInterFrameGapBytes: {
    value: 12,
    unit: 'bytes',
    source: 'IEEE 802.3 minimum inter-frame gap: 96 bit times',
    usedBy: 'net/packet.ts HEADER_BYTES.ethernetInterFrameGap (wire size: link occupancy)',
  },
  ipv4HeaderBytes: {
    value: 20,
    unit: 'bytes',
    source: 'RFC 791: IPv4 header without options',
    usedBy: 'net/packet.ts HEADER_BYTES.ipv4 (largest payload under the MTU, frame size)',
  },
  udpHeaderBytes: {
    value: 8,
    unit: 'bytes',
    source: 'RFC 768: UDP header',
    usedBy: 'net/packet.ts HEADER_BYTES.udp',
  },
  tcpHeaderOnlyBytes: {
    value: 20,
    unit: 'bytes',
    source: 'RFC 793: TCP header without options (TCP.headerBytes is IPv4 + TCP)',
    usedBy: 'net/packet.ts HEADER_BYTES.tcp',
  },
  hostedNicPacketUs: {
    value: 22.7,
    unit: 'µs',
    source:
      'Sugerman, Venkitachalam and Lim, "Virtualizing I/O Devices on VMware Workstation\'s Hosted Virtual Machine Monitor", USENIX 2001, §3 time profile: "Transmitting via the VMNet" and "Receiving via the VMNet", average time 22.7 µs per packet each (VMware Workstation 2.0 with its optimizations, 733 MHz Pentium III): the world switch from the VMM to the host and the VMApp\'s write() / read() on the VMNet driver',
    moves: "full-virt per-packet CPU (the emulated NIC's host round trip), its ttcp throughput",
    usedBy: 'guest/profile.ts netPacket (full-virt), scaled by hostedNicClockHz / MACHINE.cpuClockHz',
  },
  hostedNicClockHz: {
    value: 733e6,
    unit: 'Hz',
    source: 'Sugerman et al., USENIX 2001, §3: the measurements ran on a 733 MHz Pentium III',
    moves:
      "the scaling of hostedNicPacketUs to the paper's 2.4 GHz Xeon (assumption: the path is CPU-bound and scales with the clock)",
    usedBy: 'guest/profile.ts netPacket (full-virt)',
  },
} as const satisfies CalibrationGroup;

/** TCP (net/tcp.ts): Linux 2.4 constants (include/net/tcp.h, HZ = 100 on i386) and the RFCs the model follows. */
export const TCP = {
  headerBytes: {
    value: 40,
    unit: 'bytes',
    source:
      'RFC 791 and RFC 793: IPv4 and TCP headers without options, 20 + 20 bytes; MSS = MTU − 40 (RFC 879). Linux 2.4 also sends the 12-byte timestamp option (tcp_timestamps = 1): not modelled',
    usedBy: 'net/tcp.ts TCP_DEFAULTS.headerBytes (MSS, tcpGoodputLimitBps; = packet.ts HEADER_BYTES ipv4 + tcp)',
  },
  sockBufBytes: {
    value: 128 * 1024,
    unit: 'bytes',
    source: `${PAPER} Table 4: "128 kB socket buffers" (send and receive)`,
    usedBy: 'net/tcp.ts TCP_DEFAULTS.sndBufBytes, rcvBufBytes',
  },
  initialCwndSegments: {
    value: 2,
    unit: 'segments',
    source: 'Linux 2.4 net/ipv4/tcp_minisocks.c tcp_create_openreq_child: snd_cwnd = 2; RFC 5681 §3.1 allows 2 … 4',
    usedBy: 'net/tcp.ts TCP_DEFAULTS.initialCwndSegments',
  },
  ackEverySegments: {
    value: 2,
    unit: 'segments',
    source:
      'RFC 1122 §4.2.3.2 and RFC 5681 §4.2: an ACK at least every second full-sized segment (Linux 2.4 net/ipv4/tcp_input.c __tcp_ack_snd_check: more than one MSS unacknowledged)',
    usedBy: 'net/tcp.ts TCP_DEFAULTS.ackEverySegments',
  },
  delayedAckNs: {
    value: 40_000_000,
    unit: 'ns',
    source: 'Linux 2.4 include/net/tcp.h TCP_DELACK_MIN = HZ/25 = 40 ms (RFC 1122: at most 500 ms)',
    usedBy: 'net/tcp.ts TCP_DEFAULTS.delayedAckNs',
  },
  minRtoNs: {
    value: 200_000_000,
    unit: 'ns',
    source: 'Linux 2.4 include/net/tcp.h TCP_RTO_MIN = HZ/5 = 200 ms (RFC 6298 §2.4 recommends 1 s; Linux uses less)',
    usedBy: 'net/tcp.ts TCP_DEFAULTS.minRtoNs',
  },
  maxRtoNs: {
    value: 120_000_000_000,
    unit: 'ns',
    source: 'Linux 2.4 include/net/tcp.h TCP_RTO_MAX = 120·HZ = 120 s (RFC 6298 §2.5: at least 60 s)',
    usedBy: 'net/tcp.ts TCP_DEFAULTS.maxRtoNs',
  },
  initialRtoNs: {
    value: 3_000_000_000,
    unit: 'ns',
    source:
      "Linux 2.4 include/net/tcp.h TCP_TIMEOUT_INIT = 3·HZ = 3 s (RFC 2988's initial RTO; RFC 6298 §2.1 lowered it to 1 s later)",
    usedBy: 'net/tcp.ts TCP_DEFAULTS.initialRtoNs',
  },
  clockGranularityNs: {
    value: 10_000_000,
    unit: 'ns',
    source: 'Linux 2.4 on i386: HZ = 100, one jiffy = 10 ms (the clock granularity G of RFC 6298 §2)',
    usedBy: 'net/tcp.ts TCP_DEFAULTS.clockGranularityNs',
  },
  dupAckThreshold: {
    value: 3,
    unit: 'ACKs',
    source:
      'RFC 5681 §3.2 and RFC 6582 §3.2: fast retransmit on the third duplicate ACK (Linux 2.4 tp->reordering = 3)',
    usedBy: 'net/tcp.ts TCP_DEFAULTS.dupAckThreshold',
  },
} as const satisfies CalibrationGroup;

/**
 * Guest CPU of the network path in a bulk TCP transfer (the ttcp scenario), per profile and per direction
 * of the transfer (tx: the guest sends the data and receives the ACKs; rx: the reverse): per packet sent
 * or received, ns, and per payload byte, ns/byte. They replace, for bulk TCP, the Table 3 estimate
 * (netPacket = null I/O + event delivery, per packet both ways; one copy per byte): the mechanisms that
 * estimate misses (batched transmit completions and interrupt coalescing, receive work beyond the page
 * flip, full-virt's trapped I/O-port accesses per transmitted packet, UML's SIGIO batching and one
 * system call per write) are per-direction per-packet and per-byte costs. Eight parameters for sixteen
 * Table 4 cells: native Rx and xen Tx keep the Table 3 estimate (within 2 % of Table 4); the per-byte
 * cost is fitted only for hosted (elsewhere NETWORK.guestCopyNsPerByte). Plan: ttcp-scenario.ts NET_COST_FIT_PLAN.
 */
export const NET_COSTS = {
  nativeTxPacketNs: {
    value: 1260,
    unit: 'ns',
    source:
      'fit: fitted to Table 4 (ttcp, a micro-benchmark) by npm run fit:net-costs (scripts/fit-net-costs.ts); native, the guest transmits the data: guest CPU per packet (data or ACK)',
    usedBy: 'net/ttcp-scenario.ts bulkTcpGuestCosts (the guest side of a bulk TCP transfer)',
  },
  xenRxPacketNs: {
    value: 3010,
    unit: 'ns',
    source:
      'fit: fitted to Table 4 (ttcp, a micro-benchmark) by npm run fit:net-costs (scripts/fit-net-costs.ts); xen, the guest receives the data: guest CPU per packet (data or ACK)',
    usedBy: 'net/ttcp-scenario.ts bulkTcpGuestCosts (the guest side of a bulk TCP transfer)',
  },
  fullVirtTxPacketNs: {
    value: 21650,
    unit: 'ns',
    source:
      'fit: fitted to Table 4 (ttcp, a micro-benchmark) by npm run fit:net-costs (scripts/fit-net-costs.ts); full-virt, the guest transmits the data: guest CPU per packet (data or ACK)',
    usedBy: 'net/ttcp-scenario.ts bulkTcpGuestCosts (the guest side of a bulk TCP transfer)',
  },
  fullVirtRxPacketNs: {
    value: 11430,
    unit: 'ns',
    source:
      'fit: fitted to Table 4 (ttcp, a micro-benchmark) by npm run fit:net-costs (scripts/fit-net-costs.ts); full-virt, the guest receives the data: guest CPU per packet (data or ACK)',
    usedBy: 'net/ttcp-scenario.ts bulkTcpGuestCosts (the guest side of a bulk TCP transfer)',
  },
  hostedTxPacketNs: {
    value: 32640,
    unit: 'ns',
    source:
      'fit: fitted to Table 4 (ttcp, a micro-benchmark) by npm run fit:net-costs (scripts/fit-net-costs.ts); hosted, the guest transmits the data: guest CPU per packet (data or ACK)',
    usedBy: 'net/ttcp-scenario.ts bulkTcpGuestCosts (the guest side of a bulk TCP transfer)',
  },
  hostedRxPacketNs: {
    value: 16150,
    unit: 'ns',
    source:
      'fit: fitted to Table 4 (ttcp, a micro-benchmark) by npm run fit:net-costs (scripts/fit-net-costs.ts); hosted, the guest receives the data: guest CPU per packet (data or ACK)',
    usedBy: 'net/ttcp-scenario.ts bulkTcpGuestCosts (the guest side of a bulk TCP transfer)',
  },
  hostedTxByteNs: {
    value: 10.37,
    unit: 'ns/byte',
    source:
      'fit: fitted to Table 4 (ttcp, a micro-benchmark) by npm run fit:net-costs (scripts/fit-net-costs.ts); hosted, the guest transmits the data: guest CPU per payload byte',
    usedBy: 'net/ttcp-scenario.ts bulkTcpGuestCosts (the guest side of a bulk TCP transfer)',
  },
  hostedRxByteNs: {
    value: 17.54,
    unit: 'ns/byte',
    source:
      'fit: fitted to Table 4 (ttcp, a micro-benchmark) by npm run fit:net-costs (scripts/fit-net-costs.ts); hosted, the guest receives the data: guest CPU per payload byte',
    usedBy: 'net/ttcp-scenario.ts bulkTcpGuestCosts (the guest side of a bulk TCP transfer)',
  },
} as const satisfies CalibrationGroup;

/**
 * Network models and workloads beyond the link and the back end: the SPECweb99-like web workload
 * (net/web.ts WEB_DEFAULTS, WEB_FILE_CLASSES), VIF credit, VFR default, interrupt routing, UDP ping.
 */
export const NET_WORKLOADS = {
  webDynamicComputeNs: {
    value: 200_000,
    unit: 'ns',
    source: 'assumption: computation of one dynamic request (ad rotation, cookie parsing) on the 2.4 GHz Xeon',
    moves: 'web server CPU per dynamic request; the SPECweb99-like score (web-batching, relative-performance web row)',
    usedBy: 'net/web.ts WEB_DEFAULTS.dynamicComputeNs',
  },
  webRequestBytes: {
    value: 300,
    unit: 'bytes',
    source: 'assumption: size of an HTTP GET request',
    moves: 'client-to-server traffic and receive cost per request (small next to the responses)',
    usedBy: 'net/web.ts WEB_DEFAULTS.requestBytes',
  },
  webPostBodyBytes: {
    value: 400,
    unit: 'bytes',
    source: 'assumption: SPECweb99 posts a small form; body size',
    moves: 'receive cost of POST requests (16 % of dynamic requests)',
    usedBy: 'net/web.ts WEB_DEFAULTS.postBodyBytes',
  },
  webPostResponseBytes: {
    value: 1000,
    unit: 'bytes',
    source: 'assumption: size of the response to a POST',
    moves: 'transmit bytes of POST responses',
    usedBy: 'net/web.ts WEB_DEFAULTS.postResponseBytes',
  },
  webTimeoutNs: {
    value: 30_000_000_000,
    unit: 'ns',
    source: 'assumption: a response slower than 30 s counts as failed',
    moves: 'failed-request counts near saturation; conformance of overloaded clients',
    usedBy: 'net/web.ts WEB_DEFAULTS.timeoutNs',
  },
  webConformantShare: {
    value: 0.95,
    unit: 'fraction of clients',
    source:
      "assumption: after SPECweb99's run rules, the share of conformant clients a probe of the score search must reach",
    moves: 'the SPECweb99-like score (how many clients the search accepts)',
    usedBy: 'net/web.ts WEB_DEFAULTS.conformantShare',
  },
  webClientTargetBps: {
    value: 400_000,
    unit: 'bit/s',
    source:
      'assumption: SPECweb99 clients pace each connection to 400 kbit/s (SPECweb99 design, as in net/web.ts header)',
    moves: 'offered load per client; the score (clients at 320 kbit/s conformance)',
    usedBy: 'net/web.ts WEB_DEFAULTS.clientTargetBps',
  },
  webFileClassBase0Bytes: {
    value: 100,
    unit: 'bytes',
    source: 'assumption: SPECweb99 file class 0 base size, decimal (file j of a class is j × base); share 35 %',
    moves: 'response sizes, transmit bytes and CPU per request; the web score',
    usedBy: 'net/web.ts file classes',
  },
  webFileClassBase1Bytes: {
    value: 1000,
    unit: 'bytes',
    source: 'assumption: SPECweb99 file class 1 base size, decimal; share 50 %',
    moves: 'response sizes, transmit bytes and CPU per request; the web score',
    usedBy: 'net/web.ts file classes',
  },
  webFileClassBase2Bytes: {
    value: 10_000,
    unit: 'bytes',
    source: 'assumption: SPECweb99 file class 2 base size, decimal; share 14 %',
    moves: 'response sizes, transmit bytes and CPU per request; the web score',
    usedBy: 'net/web.ts file classes',
  },
  webFileClassBase3Bytes: {
    value: 100_000,
    unit: 'bytes',
    source: 'assumption: SPECweb99 file class 3 base size, decimal; share 1 %',
    moves: 'response sizes, transmit bytes and CPU per request; the web score',
    usedBy: 'net/web.ts file classes',
  },
  webSizeRankOrder: {
    value: 546372819,
    unit: 'digits: size multiplier by popularity rank',
    source:
      "assumption: within a class the nine files (1 … 9 × base) ranked 5, 4, 6, 3, 7, 2, 8, 1, 9 by popularity (Zipf, α = 1), shaped like SPECweb99's in-class frequencies",
    moves: 'mean file size (≈ 14.27 kB) and so transmit bytes per request; the web score',
    usedBy: 'net/web.ts SIZE_BY_RANK',
  },
  webDynamicShare: {
    value: 0.3,
    unit: 'fraction of requests',
    source: `${PAPER} §4.1, SPECweb99 on Apache 1.3.27: "30% dynamic requests"`,
    usedBy: 'net/web.ts WEB_DEFAULTS.dynamicShare',
  },
  webPostShareOfDynamic: {
    value: 0.16,
    unit: 'fraction of dynamic requests',
    source: `${PAPER} §4.1: "16% POSTs"; read, as in SPECweb99's own mix, as a share of the dynamic requests (net/web.ts header)`,
    usedBy: 'net/web.ts WEB_DEFAULTS.postShareOfDynamic',
  },
  webCgiShareOfDynamic: {
    value: 0.005,
    unit: 'fraction of dynamic requests',
    source: `${PAPER} §4.1: "0.5% CGI (each a fork)"; read as a share of the dynamic requests (net/web.ts header)`,
    usedBy: 'net/web.ts WEB_DEFAULTS.cgiShareOfDynamic',
  },
  webConformanceBps: {
    value: 320_000,
    unit: 'bit/s',
    source: `${PAPER} §4.1: a SPECweb99 client is conformant while it receives at least 320 kb/s`,
    usedBy: 'net/web.ts WEB_DEFAULTS.conformanceBps',
  },
  webFileClassShare0: {
    value: 0.35,
    unit: 'fraction of file requests',
    source: 'assumption: SPECweb99 file class 0 (the 100-byte class) takes 35 % of the requests (SPECweb99 design)',
    moves: 'response sizes, transmit bytes and CPU per request; the web score',
    usedBy: 'net/web.ts WEB_FILE_CLASSES[0].share',
  },
  webFileClassShare1: {
    value: 0.5,
    unit: 'fraction of file requests',
    source: 'assumption: SPECweb99 file class 1 (1 kB) takes 50 % of the requests (SPECweb99 design)',
    moves: 'response sizes, transmit bytes and CPU per request; the web score',
    usedBy: 'net/web.ts WEB_FILE_CLASSES[1].share',
  },
  webFileClassShare2: {
    value: 0.14,
    unit: 'fraction of file requests',
    source: 'assumption: SPECweb99 file class 2 (10 kB) takes 14 % of the requests (SPECweb99 design)',
    moves: 'response sizes, transmit bytes and CPU per request; the web score',
    usedBy: 'net/web.ts WEB_FILE_CLASSES[2].share',
  },
  webFileClassShare3: {
    value: 0.01,
    unit: 'fraction of file requests',
    source: 'assumption: SPECweb99 file class 3 (100 kB) takes 1 % of the requests (SPECweb99 design)',
    moves: 'response sizes, transmit bytes and CPU per request; the web score',
    usedBy: 'net/web.ts WEB_FILE_CLASSES[3].share',
  },
  webClientHosts: {
    value: 4,
    unit: 'machines',
    source:
      'assumption: the SPECweb99-like clients run on four client machines beyond the NIC (the paper does not say how many)',
    moves: 'how clients share the inbound link queue; nothing else while client CPUs are not modelled',
    usedBy: 'net/web-host.ts WebHost clientHosts default; net/web-scenario.ts clientHosts default',
  },
  webClientStartSpreadNs: {
    value: 10_000_000,
    unit: 'ns',
    source: 'assumption: web clients start at times uniform in [0, 10 ms) so that they do not move in lockstep',
    moves: 'the first requests of a run (inside the warm-up)',
    usedBy: 'net/web-host.ts WEB_START_SPREAD_NS',
  },
  ttcpWriteBytes: {
    value: 8192,
    unit: 'bytes',
    source:
      'ttcp.c (USNA/BRL ttcp, public domain, the benchmark of Table 4): buflen = 8 * 1024, the default write size (-l)',
    usedBy: 'net/ttcp.ts TTCP_DEFAULTS.writeBytes',
  },
  udpSourceBacklogPackets: {
    value: 32,
    unit: 'packets',
    source: 'assumption: a bulk UDP sender keeps at most 32 packets queued in its endpoint before it waits',
    moves: 'burst size of rate-less UDP sources (vif-fairness, rx-buffers), not their long-run rate',
    usedBy: 'net/udp.ts UdpSource backlogPackets default',
  },
  pingAmongBusyIntervalNs: {
    value: 100_000_000,
    unit: 'ns',
    source:
      'assumption: the mean interval of the UDP probes of the 128-domain latency run (uniform in [0.5, 1.5] times it); the paper does not give its ping interval',
    moves: 'number of latency samples per run (scalability udp-latency); probe load',
    usedBy: 'net/latency.ts PING_AMONG_BUSY_DEFAULTS.intervalNs',
  },
  vifCreditPeriodNs: {
    value: 10_000_000,
    unit: 'ns',
    source: 'assumption: the period of the per-VIF transmit credit when a rate limit is set',
    moves: 'burstiness of rate-limited VIFs in vif-fairness (not the long-run rate)',
    usedBy: 'net/vif.ts validateVifConfig creditPeriodNs',
  },
  vfrDefaultAccept: {
    value: 1,
    unit: 'flag (1 = accept)',
    source: "assumption: Xen 1.0's VFR let through what no rule named (the paper describes rules, not their default)",
    moves: 'which packets are delivered in runs without explicit rules (every network study)',
    usedBy: 'net/vfr.ts default action (tx and rx)',
  },
  irqFixedCpu: {
    value: 0,
    unit: 'CPU index',
    source:
      "assumption: 'fixed' interrupt routing sends every interrupt to the first CPU listed, by default CPU 0 (the boot CPU); the paper does not say",
    moves: 'which CPU pays hypervisor-context interrupt work on SMP hosts',
    usedBy:
      'host/interrupts.ts InterruptLine (routing fixed); net/network.ts NETWORK_DEFAULTS.nicIrqCpu (the NIC line)',
  },
  pingPayloadBytes: {
    value: 56,
    unit: 'bytes',
    source: "assumption: ping(8)'s default payload size, used for the UDP latency probe",
    moves: 'serialization part of ping round-trip times (scalability UDP latency point)',
    usedBy: 'net/udp.ts UdpPing payloadBytes',
  },
  pingIntervalNs: {
    value: 10_000_000,
    unit: 'ns',
    source: 'assumption: one UDP probe every 10 ms',
    moves: 'number of latency samples per run; probe load',
    usedBy: 'net/udp.ts UdpPing intervalNs',
  },
} as const satisfies CalibrationGroup;

/** Workload constants of the paper's macro-benchmarks (src/models/workloads/): all assumptions. */
export const WORKLOAD_MODEL = {
  specIntSpeedup: {
    value: 8,
    unit: '× SPEC reference machine',
    source:
      'assumption: a 2.4 GHz Xeon of 2002 runs CINT2000 about 8 times faster than the 300 MHz Sun Ultra 5_10 reference machine',
    moves: 'run length of each SPEC INT benchmark (the relative score is a ratio and barely moves)',
    usedBy: 'workloads/spec-int.ts SPEC_INT_DEFAULTS.speedup',
  },
  specIntIoPerS: {
    value: 10,
    unit: 'system calls per s',
    source: 'assumption: input/output system calls per second of computation ("almost no system calls", Paper §4.1)',
    moves: 'OS share of SPEC INT under each profile (relative-performance SPEC INT row)',
    usedBy: 'workloads/spec-int.ts SPEC_INT_IO_PER_S',
  },
  kernelBuildUnits: {
    value: 600,
    unit: 'compilation units',
    source: 'assumption: a Linux 2.4 default configuration compiles a few hundred files',
    moves: 'length of the build (not its relative score: every unit has the same mix)',
    usedBy: 'workloads/kernel-build.ts KERNEL_BUILD_DEFAULTS.units',
  },
  kernelBuildWorkingSetBytes: {
    value: 1500 * 4096,
    unit: 'bytes',
    source: 'assumption: a compiler pass touches about 6 MB (the 1500 page faults per unit of the mix)',
    moves: 'cache footprint of the build (switch cost when it shares a CPU)',
    usedBy: 'workloads/kernel-build.ts KERNEL_BUILD_WORKING_SET_BYTES',
  },
  forkBombMaxProcesses: {
    value: 512,
    unit: 'processes',
    source: 'assumption: the per-user process limit the fork bomb runs into',
    moves: 'memory and CPU the fork bomb holds in isolation',
    usedBy: 'workloads/fork-bomb.ts FORK_BOMB_DEFAULTS.maxProcesses',
  },
  forkBombComputeNsPerIteration: {
    value: 10_000,
    unit: 'ns',
    source: 'assumption: a loop iteration of the fork-bomb program around its fork',
    moves: 'fork rate of the fork bomb in isolation',
    usedBy: 'workloads/fork-bomb.ts FORK_BOMB_DEFAULTS.computeNsPerIteration',
  },
  forkBombWorkingSetBytes: {
    value: 64 * 1024,
    unit: 'bytes',
    source: 'assumption: stack, data and page tables of one fork-bomb process',
    moves: 'cache footprint and memory of the fork bomb in isolation',
    usedBy: 'workloads/fork-bomb.ts FORK_BOMB_DEFAULTS.workingSetBytes',
  },
  osdbIrComputeNsPerQuery: {
    value: 2_000_000,
    unit: 'ns',
    source: 'assumption: a PostgreSQL 7.1 backend on a 2.4 GHz Xeon, computation of one IR query',
    moves: 'OSDB-IR score and its OS share (relative-performance OSDB-IR row, database-domains)',
    usedBy: 'workloads/osdb.ts OSDB_MIXES.ir.computeNsPerQuery',
  },
  osdbIrDiskReadsPerQuery: {
    value: 0.1,
    unit: 'reads/query',
    source: 'assumption: a database of a few tens of MB that mostly fits the page cache; misses per IR query',
    moves: 'disk load and I/O wait of OSDB-IR',
    usedBy: 'workloads/osdb.ts OSDB_MIXES.ir.diskReadsPerQuery',
  },
  osdbOltpComputeNsPerQuery: {
    value: 1_500_000,
    unit: 'ns',
    source: 'assumption: computation of one OLTP transaction of a few statements',
    moves: 'OSDB-OLTP score (relative-performance OSDB-OLTP row, database-domains)',
    usedBy: 'workloads/osdb.ts OSDB_MIXES.oltp.computeNsPerQuery',
  },
  osdbOltpDiskReadsPerQuery: {
    value: 0.5,
    unit: 'reads/transaction',
    source: 'assumption: page-cache misses per OLTP transaction',
    moves: 'disk load and I/O wait of OSDB-OLTP',
    usedBy: 'workloads/osdb.ts OSDB_MIXES.oltp.diskReadsPerQuery',
  },
  osdbOltpDataWritesPerQuery: {
    value: 2,
    unit: 'pages/transaction',
    source: 'assumption: data pages written back per OLTP transaction (plus a synchronous commit)',
    moves: 'disk writes and commit latency of OSDB-OLTP; disk-scheduling and isolation interference',
    usedBy: 'workloads/osdb.ts OSDB_MIXES.oltp.dataWritesPerQuery',
  },
} as const satisfies CalibrationGroup;

/** Configurations of Table 4. */
export const TABLE4_CONFIGS = ['Linux', 'Xen', 'VMware', 'UML'] as const;
export type Table4Config = (typeof TABLE4_CONFIGS)[number];
export const TABLE4_COLUMNS = ['MTU 1500 Tx', 'MTU 1500 Rx', 'MTU 500 Tx', 'MTU 500 Rx'] as const;

/** Paper Table 4 (ttcp, Mb/s, higher is better): two machines over gigabit Ethernet, 128 kB socket buffers. */
export const TABLE4 = {
  title: 'ttcp bandwidth',
  columns: TABLE4_COLUMNS,
  rows: {
    Linux: [897, 897, 602, 544],
    Xen: [897, 897, 516, 467],
    VMware: [291, 615, 101, 137],
    UML: [165, 203, 61.1, 91.4],
  } as Readonly<Record<Table4Config, readonly number[]>>,
} as const;

/** Every group of constants, by name (the document's sections, in order). */
export const CALIBRATION_GROUPS = {
  machine: MACHINE,
  caches: CACHES,
  disk: DISK,
  diskModel: DISK_MODEL,
  hypervisor: HYPERVISOR,
  anchors: ANCHORS,
  guest: GUEST,
  memory: MEMORY,
  network: NETWORK,
  tcp: TCP,
  netCosts: NET_COSTS,
  netWorkloads: NET_WORKLOADS,
  workloadModel: WORKLOAD_MODEL,
} as const satisfies Record<string, CalibrationGroup>;

/** A Table 3 context-switch cell, µs. */
export function table3ContextSwitchUs(
  config: Table3Config,
  column: (typeof TABLE3_CONTEXT_SWITCH_COLUMNS)[number],
): number {
  const i = TABLE3_CONTEXT_SWITCH_COLUMNS.indexOf(column);
  const v = TABLE3.contextSwitch.rows[config][i];
  if (v === undefined)
    throw new RangeError(
      `table3ContextSwitchUs: column must be one of ${TABLE3_CONTEXT_SWITCH_COLUMNS.join(', ')}, got ${column}`,
    );
  return v;
}

/** Mechanisms of the real system that later models follow (Xen 1.0 source and the paper, §3). */
export const MECHANISMS = [
  'Network transmit scheduling: round robin over VIFs with pending packets, one packet per VIF per turn; optional per-VIF credit (bytes per period), unlimited by default (Xen 1.0 source).',
  'Network receive: page flip into a buffer the guest posted in advance; no posted buffer → the packet is dropped (Paper §3.3).',
  'Ring notification: a guest is notified when the response producer passes the event index it set (the hold-off threshold) (Xen ring.h).',
  'Block scheduling: at most 64 requests in flight in the hypervisor; 16 taken per domain per round-robin turn; refill when fewer than 32 are pending; then a Linux-style elevator (Xen 1.0 source).',
  'Time: real time in ns since boot; per-domain virtual time; wall clock as an offset; one real-time and one virtual-time alarm per guest (Paper §3.3; Xen shared_info).',
  'Event channels: Xen 1.0 a pending word and a mask word per domain; Xen 2.0 1024 channels with pending, selector and mask bitmaps (Xen source).',
] as const;

/** Independent descriptions of the paper's workloads (not its results). */
export const WORKLOADS = [
  'SPEC CINT2000: compute-bound; almost no system calls (Paper §4.1).',
  'Linux kernel build (gcc 2.96, default configuration, local ext3): native Linux spends about 7% of its CPU time in the OS (Paper §4.1).',
  'OSDB on PostgreSQL 7.1.3 over a Unix socket: IR is read-mostly queries; OLTP performs many synchronous disk operations (Paper §4.1).',
  'dbench: one client, about 90,000 file-system operations (Paper §4.1).',
  'SPECweb99 on Apache 1.3.27: 30% dynamic requests, 16% POSTs, 0.5% CGI (each a fork); a client is conformant while it receives at least 320 kb/s; 2 GB file set; up to about 180 Mb/s of TCP traffic (Paper §4.1).',
  'Antagonists: disk-bandwidth hog (sustained dd plus many small files in large directories); fork bomb; memory hog touching 3 GB of virtual memory, freeing everything on failure and restarting (Paper §4.4).',
  'Balloon: a domain with a 64 MB reservation running default daemons, sshd and Apache can be shrunk to about 6 MB without swap (about 4 MB with swap) and grows back on demand (Paper).',
] as const;

/** Later Xen schedulers, for comparison rows (their Xen source). */
export const LATER_SCHEDULERS = [
  'Credit (2006): weight 256, cap in % of one CPU (0 = none), 30 ms slice of three 10 ms ticks, priorities BOOST > UNDER > OVER > IDLE, waking vCPUs boosted, rate limit 1 ms (Xen 4.2).',
  'Credit2 (2010): weight 256, credit reset 10 ms, minimum timer 500 µs, caps refilled every 10 ms, one run queue per socket.',
  'SEDF (2005): per-vCPU period, slice, latency, extra-time flag; default best-effort period 100 ms, slice 0; extra-time quantum 500 µs.',
  'RTDS (2014): per-vCPU period and budget, defaults 10 ms and 4 ms, global EDF.',
] as const;

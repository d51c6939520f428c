// Study relative-performance: the paper's relative-performance figure (SOSP 2003, §4.1) predicted from
// the models — SPEC CINT2000-like, Linux kernel build, OSDB-IR, OSDB-OLTP and dbench-like on native,
// xen, full-virt and hosted, one CPU; grouped bars normalised to native with the absolute score above
// each bar.
//
// The workloads are one table (WORKLOADS below): each entry names its score's unit and which way is
// better, and runs on one profile. SPECweb99-like is the sixth workload of the paper's figure; its model
// (a web server behind the network model) is not in the project yet, so it has no entry and no rows —
// it becomes one more entry of that table.
//   spec-int, kernel-build  the relative-cpu study's runs (experiments/relative-cpu/cpu-runs.ts): operation
//                           mixes run to completion by the guest OS (src/models/workloads).
//   osdb-ir, osdb-oltp      src/models/workloads/osdb.ts: one PostgreSQL client (closed loop); each query's
//                           system calls and faults priced by the profile plus its computation; buffer-cache
//                           misses as synchronous random 4 KB reads, OLTP's write-backs and its ordered,
//                           synchronous 8 KB commit, through the domain's block ring, the block back end
//                           and the disk model (disk/blkback.ts, disk/service.ts: the paper's DK32EJ).
//                           Score: queries (transactions) per second over runLengthNs after warmupNs.
//   dbench                  src/models/disk/fs-workloads.ts DbenchMix: one client, dbenchOps operations
//                           (the paper: about 90 000); score in MB/s of ReadX and WriteX bytes over the run
//                           (MB = 10^6 bytes), as dbench reports its throughput. As the dbench of the
//                           paper's time on Linux 2.4: Flush is a no-op (dbench 1.2 nb_flush), reads hit
//                           the page cache (it reads only what it wrote), writes are written back once
//                           30 s old (kupdate's age_buffer): a run shorter than that is CPU-bound.
// Each disk-bound workload's guest CPU is priced by the profile's operation vocabulary: the file-system
// and database calls by their Table 3 cells, every block request by the profile's 'block request'
// operation (guest driver path: I/O-path kernel entries × null I/O + an event delivery; plus, under
// full-virt and hosted, the host-side path: guest/profile.ts HOST_BLOCK_PATH_NS — VMware's two host round
// trips per request, UML's ubd host system calls, switches and SIGIO), each OSDB query its client/backend
// process switches (the profile's lat_ctx "2p/0K" cell, twice) — so full-virt and hosted pay for their
// I/O path through the same model as their system calls, and no per-profile slowdown is written anywhere. Native runs on the bare-metal host (its driver's back-end
// work as a softirq); the others as one guest beside an idle domain 0 on a one-CPU Xen host with the
// timer event, the block back end in the hypervisor (Xen 1.0), as on-profile.ts sets up.
// Disk layout (assumptions): OSDB as osdb.ts runOsdbOnProfile sets it up (64 MB of data, a 16 MB log at
// the start of the disk); dbench on a VBD of 4 GB at the start of the disk, its metadata 32 MB followed by
// 256 MB of data (one client's file tree kept near its directories, as ext3's block groups do).
// Replications: the paper reports the median of 7 runs; `medianOf` runs of each disk-bound row (each with
// its own random stream, the same streams on every profile) give the median score. CPU rows are
// deterministic (one run).
// What it predicts (relative to native, xen / full-virt / hosted, at the defaults; --quick agrees to ±0.02):
// spec-int 0.998 / 0.997 / 0.995; kernel-build 0.97 / 0.79 / 0.37; osdb-ir 1.00 / 0.97 / 0.78; osdb-oltp
// 1.00 / 0.99 / 0.95; dbench 1.00 / 0.92 / 0.18 (about 720 MB/s native).
// Which mechanisms produce it. SPEC and the build: see relative-cpu (the OS share of the run, repriced by
// each profile). OSDB-IR is CPU-bound (the disk is busy 15% of the run): a query is 2 ms of computation
// plus 20 null I/Os, 2 selects, 2 page faults and 2 process switches, and hosted pays about 25 µs per
// kernel entry (UML's null I/O), 0.6 ms more per query. OSDB-OLTP is disk-bound (disk busy 85–90%): a
// transaction waits for its random reads and for an ordered synchronous commit (about 15 ms, of which
// under 2 ms CPU); beside a 5–10 ms disk access the profiles' extra CPU per block request (1.8 µs xen,
// 18.6 µs full-virt with its host round trips, 52 µs hosted with UML's host path) is small, so the
// profiles barely differ. dbench is CPU-bound (the disk idle: nothing is 30 s old before the run ends):
// a mean operation costs 8.1 µs native (5.9 µs of it the 16 KB copies of ReadX/WriteX), 8.8 µs full-virt and
// 45 µs hosted, from Table 3's file-system cells (UML's open/close 62.8 µs, stat 36.1, 0K create 130).
// What it leaves out: SPECweb99 (no rows yet); a disk write cache and the host page cache under UML's
// ubd file (OLTP's commits would then return before the platter, see below); the data copies of the
// host-side I/O path; a dirty limit of dbench's page cache, and data of deleted files is still written.
// Where it departs from the paper. The paper's figure (approximate relative values read from the
// published Figure 3, shown for comparison only, never used by the model: xen / VMware / UML) has
// spec-int about 1.00 / 0.98 / 0.97, build 0.97 / 0.79 / 0.49, OSDB-IR 0.92 / 0.47 / 0.38, OSDB-OLTP
// 0.95 / 0.12 / 0.18, dbench 0.96 / 0.74 / 0.27. The model agrees on xen everywhere and on the CPU-bound
// rows, predicts hosted's build slower (0.37: Table 3's UML fork/exec/page-fault prices). dbench now
// runs in the page cache and follows the paper's order (hosted 0.18 against 0.27, full-virt 0.92 against
// 0.74: Table 3's VMware file-system cells are only 5–55% dearer than native). The model is still far
// too kind to full-virt and hosted on OSDB. Added and measured (version 2): the host-side I/O path
// (moves OLTP by under 1%: 14 µs full-virt, 6 µs hosted more per request beside 15 ms of disk) and the
// client/backend switches (36 µs per query on full-virt beside 2 ms of computation: IR 0.98 → 0.97).
// What is left: OLTP is
// disk-bound on every profile (0.5 random reads and an ordered commit per transaction), so no CPU
// mechanism can show there until the commits and reads stop waiting for the platter — a drive write
// cache (Linux 2.4 sends no cache flush) and the database held in the page cache would both do that;
// whether the paper's disk had its write cache on is not stated, so neither is assumed. OSDB-IR's 2 ms
// of user computation per query (an assumption of osdb.ts) sets its ratios: the paper's 0.47 for VMware
// needs about 2 ms more VMM work per query than Table 3's cells give for its system calls, faults and
// switches, i.e. a mechanism Table 3 does not measure (e.g. shadow page-table work of a large database
// address space).
// Time: --quick about 7 s for the run (plus charts); full fidelity (medianOf 7, 60 s OSDB windows,
// 90 000 dbench operations, whole SPEC benchmarks, the default build): one run of 15–40 s on the shared
// 2-CPU machine, about 30 s end to end with the charts when it is quiet.
// Tables: tables/figure3.csv (workload, system, score, scoreUnit, relativeToNative: > 1 = better than
// native whatever the unit: score / native score when higher is better, native score / score when lower
// is better); tables/disk-detail.csv (the median run of each disk-bound row: the disk's busy share, the
// mean time of one operation, the profile's price of one block request). Units: ns, s, ms, MB/s, queries/s.
import { VIRT_PROFILES, type VirtProfile } from '../../src/models/guest/operations.js';
import { GuestProfile } from '../../src/models/guest/profile.js';
import { BlockBackend, type BlockFront } from '../../src/models/disk/blkback.js';
import { DK32EJ_10K, DiskModel } from '../../src/models/disk/service.js';
import { DbenchMix } from '../../src/models/disk/fs-workloads.js';
import type { WorkloadRegion } from '../../src/models/disk/workloads.js';
import { OSDB_SCORE_UNIT, runOsdbOnProfile, type OsdbKind } from '../../src/models/workloads/osdb.js';
import { hostForProfile } from '../../src/models/workloads/on-profile.js';
import type { Vcpu } from '../../src/models/host/vcpu.js';
import type { Host } from '../../src/models/host/host.js';
import type { Simulation } from '../../src/sim/simulation.js';
import { RandomStreams } from '../../src/sim/index.js';
import { defineStudy } from '../../src/kit/index.js';
import type { TableRow } from '../../src/runner/study.js';
import { CPU_RUN_PARAMS, SCORE_UNITS, round6, runCpuWorkloads, type CpuRuns } from '../relative-cpu/cpu-runs.js';
import { relperfCharts, relperfConsoleTable, relperfReportSummary } from './charts.js';

/** The paper's system names, as the figure's rows: the four profiles. */
export const FIGURE3_SYSTEMS: readonly VirtProfile[] = VIRT_PROFILES;

const MB = 1e6;
const SECTORS_PER_MB = (1 << 20) / 512;
/** The VBD and regions (header: assumptions). */
const LAYOUT = {
  vbdSectors: 4096 * SECTORS_PER_MB,
  dbenchMeta: { startSector: 0, lengthSectors: 32 * SECTORS_PER_MB },
  dbenchData: { startSector: 32 * SECTORS_PER_MB, lengthSectors: 256 * SECTORS_PER_MB },
} as const;

export interface RelperfParams {
  readonly specFraction: number;
  readonly speedup: number;
  readonly buildUnits: number;
  readonly timerTickNs: number;
  readonly ptBatch: number;
  readonly dbenchOps: number;
  readonly osdbClients: number;
  readonly medianOf: number;
  readonly warmupNs: number;
  readonly runLengthNs: number;
}

/** One disk-bound run's score and what it says about the mechanisms. */
interface DiskRun {
  readonly score: number;
  readonly events: number;
  /** Disk busy time / elapsed. */
  readonly diskBusyShare: number;
  /** Mean time of one query, transaction or dbench operation, ms. */
  readonly opMeanMs: number;
}

/** A fresh one-CPU host of `profile` with the paper's disk behind one VBD of the guest. */
function diskRig(
  profile: VirtProfile,
  p: RelperfParams,
): {
  sim: Simulation;
  host: Host;
  be: BlockBackend;
  front: BlockFront;
  vbd: number;
  cpu: Vcpu;
} {
  const { sim, host, os } = hostForProfile(profile, { timerTickNs: p.timerTickNs, ptBatch: p.ptBatch });
  const be = new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], host });
  const dom = os.domain;
  const vbd = be.addVbd(dom.id, {
    extents: [{ disk: 0, startSector: 0, lengthSectors: LAYOUT.vbdSectors }],
    mode: 'rw',
  });
  return { sim, host, be, front: be.front(dom.id), vbd, cpu: os.vcpu };
}

const region = (vbd: number, r: { startSector: number; lengthSectors: number }): WorkloadRegion => ({ vbd, ...r });

function runOsdb(kind: OsdbKind, profile: VirtProfile, p: RelperfParams, seed: string, i: number): DiskRun {
  const r = runOsdbOnProfile(kind, profile, {
    seed: `${seed}/${i}`,
    warmupNs: p.warmupNs,
    runLengthNs: p.runLengthNs,
    clients: p.osdbClients,
    host: { timerTickNs: p.timerTickNs, ptBatch: p.ptBatch },
  });
  return { score: r.scorePerS, events: r.events, diskBusyShare: r.diskBusyFraction, opMeanMs: r.queryMeanNs / 1e6 };
}

/** Simulated time a dbench run may take at most before it is declared stuck (a model error). */
const DBENCH_LIMIT_NS = 1e13;

function runDbench(profile: VirtProfile, p: RelperfParams, seed: string, i: number): DiskRun {
  const rs = new RandomStreams(seed);
  const { sim, be, front, vbd, cpu } = diskRig(profile, p);
  const w = new DbenchMix(sim, front, {
    meta: region(vbd, LAYOUT.dbenchMeta),
    data: region(vbd, LAYOUT.dbenchData),
    rng: rs.stream(`dbench/${i}`),
    profile,
    cpu,
    stopAfterOps: p.dbenchOps,
  });
  w.start();
  while (Number.isNaN(w.finishedAtNs)) {
    if (sim.now > DBENCH_LIMIT_NS) throw new Error(`relative-performance: dbench on ${profile} did not finish`);
    sim.run(sim.now + 1e9);
  }
  be.checkConservation();
  const t = w.finishedAtNs;
  return {
    score: (w.bytesRead + w.bytesWritten) / MB / (t / 1e9),
    events: sim.eventsProcessed,
    diskBusyShare: Math.min(1, be.diskStats(0).busyNs / sim.now),
    opMeanMs: t / w.ops / 1e6,
  };
}

/** The median run by score (the middle one of an odd count, the lower middle of an even one). */
function medianRun(runs: DiskRun[]): DiskRun {
  const sorted = [...runs].sort((a, b) => a.score - b.score);
  return sorted[Math.floor((sorted.length - 1) / 2)] as DiskRun;
}

/** What a workload entry needs to run: parameters, seeds and the CPU runs (computed once, on demand). */
interface RunInput {
  readonly p: RelperfParams;
  readonly seed: string;
  cpuRuns(): CpuRuns;
}

interface WorkloadEntry {
  /** The figure's name of the workload (tables/figure3.csv's workload column). */
  readonly id: string;
  /** The unit of the score and which way is better. */
  readonly scoreUnit: string;
  readonly higherIsBetter: boolean;
  /** Scores per profile (and detail rows for disk-bound workloads). */
  run(input: RunInput): { scores: Map<VirtProfile, number>; detail: TableRow[]; events: number };
}

function diskEntry(
  id: string,
  scoreUnit: string,
  one: (pr: VirtProfile, p: RelperfParams, seed: string, i: number) => DiskRun,
): WorkloadEntry {
  return {
    id,
    scoreUnit,
    higherIsBetter: true,
    run({ p, seed }) {
      const scores = new Map<VirtProfile, number>();
      const detail: TableRow[] = [];
      let events = 0;
      for (const profile of VIRT_PROFILES) {
        const runs: DiskRun[] = [];
        for (let i = 0; i < p.medianOf; i++) {
          // a fresh stream set per run: the same random sectors on every profile (common random numbers)
          runs.push(one(profile, p, seed, i));
        }
        for (const r of runs) events += r.events;
        const m = medianRun(runs);
        scores.set(profile, m.score);
        const g = new GuestProfile(profile);
        detail.push({
          workload: id,
          system: profile,
          diskBusyShare: round6(m.diskBusyShare),
          opMeanMs: round6(m.opMeanMs),
          blockRequestUs: round6(g.opNs('blockRequest', g.newPageTable()) / 1000),
        });
      }
      return { scores, detail, events };
    },
  };
}

/** The figure's workloads, in its order. SPECweb99-like joins as one more entry when its model exists. */
export const WORKLOADS: readonly WorkloadEntry[] = [
  {
    id: 'spec-int',
    scoreUnit: SCORE_UNITS['spec-int'],
    higherIsBetter: true,
    run: ({ cpuRuns }) => ({ scores: new Map(cpuRuns().specScore), detail: [], events: 0 }),
  },
  {
    id: 'kernel-build',
    scoreUnit: SCORE_UNITS['kernel-build'],
    higherIsBetter: false,
    run: ({ cpuRuns }) => ({ scores: new Map(cpuRuns().buildS), detail: [], events: 0 }),
  },
  diskEntry('osdb-ir', `${OSDB_SCORE_UNIT.ir} (higher is better)`, (pr, p, seed, i) => runOsdb('ir', pr, p, seed, i)),
  diskEntry('osdb-oltp', `${OSDB_SCORE_UNIT.oltp} (higher is better)`, (pr, p, seed, i) =>
    runOsdb('oltp', pr, p, seed, i),
  ),
  diskEntry('dbench', 'MB/s (higher is better)', runDbench),
];
export const FIGURE3_WORKLOADS: readonly string[] = WORKLOADS.map((w) => w.id);

/** Measure name of a (workload, profile) ratio, e.g. osdbOltpFullVirtRel. */
export function relMeasure(workload: string, profile: VirtProfile): string {
  const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return `${camel(workload)}${cap(camel(profile))}Rel`;
}

const measures: Record<string, { unit: string; doc: string }> = {};
for (const w of WORKLOADS) {
  measures[`${w.id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}NativeScore`] = {
    unit: w.scoreUnit.replace(/ \(.*\)$/, ''),
    doc: `${w.id} score on native Linux`,
  };
  for (const pr of VIRT_PROFILES)
    if (pr !== 'native')
      measures[relMeasure(w.id, pr)] = { unit: '', doc: `${w.id}: ${pr} relative to native (> 1 = better)` };
}

export const relativePerformance = defineStudy({
  name: 'relative-performance',
  version: 2,
  description:
    "The paper's relative-performance figure: SPEC INT, kernel build, OSDB-IR, OSDB-OLTP, dbench on native, xen, full-virt, hosted",
  details: [
    'Model: the relative-cpu runs for SPEC CINT2000-like and the kernel build; OSDB-like IR and OLTP (one client,',
    'query CPU priced by the profile, cache misses as synchronous random reads, OLTP commits synchronous and',
    'ordered) and a dbench-like mix (one client, dbenchOps operations) through the block ring, back end and the',
    "paper's disk. Every guest operation and every block request is priced by the profile's operation",
    'vocabulary (Table 3 cells; block request = I/O-path entries x null I/O + event delivery + the host-side',
    'path of full-virt and hosted; 2 client/backend switches per OSDB query). Native on the',
    'bare-metal host; the others as a guest beside an idle dom0 on a one-CPU Xen host. Nothing is fitted to',
    "the paper's figure. SPECweb99-like is not modelled yet (no rows).",
    'Prediction: xen within 1% of native on every row; OSDB-IR is CPU-bound (hosted 0.78: 25 us per kernel',
    'entry); OSDB-OLTP is disk-bound (synchronous ordered commits), so the profiles differ by a few per cent;',
    'dbench runs in the page cache (dbench 1.2: Flush a no-op; 30 s write-back) and is CPU-bound on file-',
    'system calls: full-virt 0.92, hosted 0.18 (paper 0.74, 0.27). Departure: the paper shows full-virt and',
    'hosted far below native on OSDB. Left out, and candidate missing mechanisms: a drive write cache and',
    'the database in the page cache (OLTP would stop waiting for the disk), VMM work per query that Table 3',
    'does not measure. Nothing is tuned to close the gap.',
    'tables/figure3.csv: workload, system, score, scoreUnit, relativeToNative (> 1 = better than native, whatever',
    'the unit). tables/disk-detail.csv: workload, system, diskBusyShare, opMeanMs, blockRequestUs (the profile',
    'price of one block request).',
  ].join('\n'),
  params: {
    ...CPU_RUN_PARAMS,
    dbenchOps: {
      kind: 'int',
      default: 90_000,
      min: 100,
      max: 10_000_000,
      unit: 'operations',
      doc: "dbench operations of one client (the paper's run: about 90 000)",
    },
    osdbClients: {
      kind: 'int',
      default: 1,
      min: 1,
      max: 64,
      unit: 'clients',
      doc: 'OSDB clients (PostgreSQL backends); assumption: a single-user run',
    },
    medianOf: {
      kind: 'int',
      default: 7,
      min: 1,
      max: 99,
      unit: 'runs',
      doc: 'runs of each disk-bound row; its score is their median (the paper: median of 7)',
    },
    warmupNs: {
      kind: 'int',
      default: 2_000_000_000,
      min: 0,
      max: 3_600_000_000_000,
      unit: 'ns',
      doc: 'OSDB: simulated time before counting queries',
    },
    runLengthNs: {
      kind: 'int',
      default: 60_000_000_000,
      min: 1_000_000,
      max: 3_600_000_000_000,
      unit: 'ns',
      doc: 'OSDB: simulated time over which queries per second are counted',
    },
  },
  grid: { kind: 'cartesian', axes: { ptBatch: [2048] } },
  replications: 1,
  quickReplications: 1,
  quickParams: {
    specFraction: 0.01,
    buildUnits: 30,
    dbenchOps: 3000,
    medianOf: 1,
    warmupNs: 200_000_000,
    runLengthNs: 2_000_000_000,
  },
  measures,
  tables: {
    figure3: {
      doc: "one row per workload and system: the score and its ratio to native (> 1 = better), the paper's figure",
      columns: {
        workload: FIGURE3_WORKLOADS.join(', '),
        system: 'native, xen, full-virt or hosted',
        score: 'the absolute score in scoreUnit',
        scoreUnit: 'the unit of score and which way is better',
        relativeToNative: 'performance relative to native (> 1 = better than native)',
      },
    },
    'disk-detail': {
      doc: 'the median run of each disk-bound workload and system: where its time went',
      columns: {
        workload: 'osdb-ir, osdb-oltp or dbench',
        system: 'native, xen, full-virt or hosted',
        diskBusyShare: 'disk busy time / elapsed time (OSDB: of the measured window)',
        opMeanMs: 'mean time of one query, transaction or dbench operation, ms',
        blockRequestUs: "the profile's price of one block request (guest driver path), µs",
      },
    },
  },
  calibrationNote(p) {
    return p.specFraction < 0.1
      ? `specFraction ${p.specFraction}: each SPEC benchmark's start (one exec, not scaled) weighs 1/specFraction times more than in a full run`
      : undefined;
  },
  run(p, ctx) {
    let cpu: CpuRuns | null = null;
    const input: RunInput = {
      p,
      seed: ctx.seed,
      cpuRuns: () => (cpu ??= runCpuWorkloads(p)),
    };
    const figure3: TableRow[] = [];
    const detail: TableRow[] = [];
    const out: Record<string, number> = {};
    let events = 0;
    for (const w of WORKLOADS) {
      const r = w.run(input);
      events += r.events;
      detail.push(...r.detail);
      const native = r.scores.get('native') as number;
      out[`${w.id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}NativeScore`] = native;
      for (const profile of VIRT_PROFILES) {
        const s = r.scores.get(profile) as number;
        const rel = w.higherIsBetter ? s / native : native / s;
        figure3.push({
          workload: w.id,
          system: profile,
          score: round6(s),
          scoreUnit: w.scoreUnit,
          relativeToNative: round6(rel),
        });
        if (profile !== 'native') out[relMeasure(w.id, profile)] = rel;
      }
    }
    if (cpu !== null) events += (cpu as CpuRuns).events;
    return { measures: out, events, tables: { figure3, 'disk-detail': detail } };
  },
  charts: relperfCharts,
  consoleTable: relperfConsoleTable,
  reportSummary: relperfReportSummary,
});

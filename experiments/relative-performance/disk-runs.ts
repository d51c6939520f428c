// The relative-performance study's disk-bound rows: OSDB-IR and OSDB-OLTP (src/models/workloads/osdb.ts
// runOsdbOnProfile) and dbench (src/models/disk/fs-workloads.ts DbenchMix), each run `medianOf` times on
// each profile with its own random stream (the same streams on every profile: common random numbers),
// the median run by score giving the row. dbench's disk (assumptions): one VBD of 4 GB at the start of the
// paper's disk (DK32EJ, disk/service.ts) behind the block back end (disk/blkback.ts), its metadata 32 MB
// followed by 256 MB of data (one client's file tree kept near its directories, as ext3's block groups
// do). Scores: OSDB queries (transactions) per second over runLengthNs after warmupNs; dbench MB/s of
// ReadX and WriteX bytes (MB = 10^6 bytes), as dbench reports its throughput. Units: ns, ms, MB/s.
import type { VirtProfile } from '../../src/models/guest/operations.js';
import { VIRT_PROFILES } from '../../src/models/guest/operations.js';
import { GuestProfile } from '../../src/models/guest/profile.js';
import { BlockBackend } from '../../src/models/disk/blkback.js';
import { DK32EJ_10K, DiskModel } from '../../src/models/disk/service.js';
import { DbenchMix } from '../../src/models/disk/fs-workloads.js';
import { runOsdbOnProfile, type OsdbKind } from '../../src/models/workloads/osdb.js';
import { hostForProfile } from '../../src/models/workloads/on-profile.js';
import { RandomStreams } from '../../src/sim/index.js';
import type { TableRow } from '../../src/runner/study.js';
import { round6 } from '../relative-cpu/cpu-runs.js';
import type { RelperfParams } from './params.js';
import type { WorkloadEntry } from './workloads.js';

const MB = 1e6;
const SECTORS_PER_MB = (1 << 20) / 512;
/** The VBD and regions (header: assumptions). */
const LAYOUT = {
  vbdSectors: 4096 * SECTORS_PER_MB,
  dbenchMeta: { startSector: 0, lengthSectors: 32 * SECTORS_PER_MB },
  dbenchData: { startSector: 32 * SECTORS_PER_MB, lengthSectors: 256 * SECTORS_PER_MB },
} as const;

/** One disk-bound run's score and what it says about the mechanisms. */
interface DiskRun {
  readonly score: number;
  readonly events: number;
  /** Disk busy time / elapsed. */
  readonly diskBusyShare: number;
  /** Mean time of one query, transaction or dbench operation, ms. */
  readonly opMeanMs: number;
}

export function runOsdb(kind: OsdbKind, profile: VirtProfile, p: RelperfParams, seed: string, i: number): DiskRun {
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

export function runDbench(profile: VirtProfile, p: RelperfParams, seed: string, i: number): DiskRun {
  const rs = new RandomStreams(seed);
  const { sim, host, os } = hostForProfile(profile, { timerTickNs: p.timerTickNs, ptBatch: p.ptBatch });
  const be = new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], host });
  const vbd = be.addVbd(os.domain.id, {
    extents: [{ disk: 0, startSector: 0, lengthSectors: LAYOUT.vbdSectors }],
    mode: 'rw',
  });
  const w = new DbenchMix(sim, be.front(os.domain.id), {
    meta: { vbd, ...LAYOUT.dbenchMeta },
    data: { vbd, ...LAYOUT.dbenchData },
    rng: rs.stream(`dbench/${i}`),
    profile,
    cpu: os.vcpu,
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

/** A disk-bound workload: the median of `medianOf` runs per profile, with a disk-detail row each. */
export function diskEntry(
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
        // a fresh stream set per run: the same random sectors on every profile (common random numbers)
        for (let i = 0; i < p.medianOf; i++) runs.push(one(profile, p, seed, i));
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
      return { scores, tables: { 'disk-detail': detail }, events };
    },
  };
}

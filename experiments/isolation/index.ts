// Study isolation (paper §4.4): OSDB-IR and a SPECweb99-like web server beside antagonists — a disk
// bandwidth hog (a dd-style sequential reader plus a small-file creator sharing one front end) and a
// fork bomb plus a memory hog — with and without the antagonists, on Xen and on native.
//
// Model. OSDB-IR cell (benchmark 'osdb-ir'): two-CPU host, DK32EJ disk, C-LOOK, block back end in round
// robin over the domains' rings (disk/blkback.ts). Xen: equal-weight single-vCPU domains: db (OsdbWorkload,
// workloads/osdb.ts), disk (SeqHog + SmallFileCreator on one front end, disk/workloads.ts and
// disk/fs-workloads.ts) and bomb (ForkBomb on a GuestOS, workloads/fork-bomb.ts, plus a MemoryHog over
// GuestPaging with swap on its VBD, memory/). Native: the bare-metal host, one Linux: the database's
// clients on the kernel's CPUs, the same disk workloads on the one block queue, the fork bomb as processes
// of the same OS (a GuestOS on the kernel's first CPU) and the memory hog's swap on the shared disk.
// Web cell (benchmark 'web'): runWebCell (net/web-scenario.ts, one CPU, Xen 1.0 BVT) with a fixed offered
// load of `webClients` clients; the antagonist domains are represented by `webCompetitors` CPU-bound
// domains (the fork bomb's and memory hog's domains never block; the disk hog's domain is nearly idle on
// the CPU). Score: conformant clients at that fixed load (a cheap aggregate, not the SPECweb99 search).
// The web cell has no native counterpart here (web-scenario builds a Xen host only).
// Partitions (assumption): 1 GB each from the start of the disk: db, disk hog, swap. antagonistSet picks
// the disk hog alone or the fork bomb + memory hog alone (OSDB-IR cells); diskScheduler the elevator.
// Conservation of requests (back end, workloads) and CPU time (host) is checked after every run.
// Defaults: warm-up 1 s, run 10 s, 2 replications; --quick: 0.3 s + 1.5 s, 1 replication.
import type { ParamsOf } from '../../src/runner/study.js';
import { buildScenario, defineStudy } from '../../src/kit/index.js';
import { RandomStreams, Simulation } from '../../src/sim/index.js';
import { BlockBackend } from '../../src/models/disk/blkback.js';
import { DISK_PRESETS, DiskModel } from '../../src/models/disk/service.js';
import { SeqHog, type GuestCpu } from '../../src/models/disk/workloads.js';
import { SmallFileCreator } from '../../src/models/disk/fs-workloads.js';
import { Host } from '../../src/models/host/host.js';
import type { Domain } from '../../src/models/host/domain.js';
import { GuestOS } from '../../src/models/guest/guest-os.js';
import { ForkBomb } from '../../src/models/workloads/fork-bomb.js';
import { GuestPaging } from '../../src/models/memory/paging.js';
import { VbdSwap } from '../../src/models/memory/vbd-swap.js';
import { MemoryHog } from '../../src/models/memory/workloads.js';
import { OsdbWorkload } from '../../src/models/workloads/osdb.js';
import { runWebCell } from '../../src/models/net/web-scenario.js';
import type { BlockFront } from '../../src/models/disk/blkback.js';
import { isolationCharts, isolationConsoleTable, isolationReportSummary, isolationRows } from './charts.js';

const SECTORS_PER_MB = 2048;
const PART = 1024 * SECTORS_PER_MB;

export const ISOLATION_MEASURES = {
  score: { unit: '', doc: 'OSDB-IR queries/s, or web: conformant clients at the fixed offered load' },
  diskHogMBps: { unit: 'MB/s', doc: "the dd-style reader's throughput (0 without antagonists)" },
  smallFilesPerS: { unit: '1/s', doc: "the small-file creator's files per second (0 without antagonists)" },
} as const;

const PARAMS = {
  benchmark: { kind: 'enum', default: 'osdb-ir', values: ['osdb-ir', 'web'], unit: '', doc: 'the benchmark measured' },
  system: { kind: 'enum', default: 'xen', values: ['xen', 'native'], unit: '', doc: 'Xen domains or native processes' },
  antagonists: { kind: 'enum', default: 'on', values: ['off', 'on'], unit: '', doc: 'run the antagonists beside it' },
  antagonistSet: {
    kind: 'enum',
    default: 'all',
    values: ['all', 'disk', 'bomb-memory'],
    unit: '',
    doc: "OSDB-IR: which antagonists run when antagonists is 'on' (to tell their effects apart)",
  },
  diskScheduler: {
    kind: 'enum',
    default: 'clook',
    values: ['clook', 'deadline', 'fifo', 'sstf'],
    unit: '',
    doc: "the disk's scheduler (C-LOOK: the paper's Linux 2.4 elevator, as database-domains)",
  },
  webClients: { kind: 'int', default: 60, min: 1, max: 2000, unit: 'clients', doc: 'web: fixed offered load' },
  webCompetitors: {
    kind: 'int',
    default: 2,
    min: 0,
    max: 16,
    unit: 'domains',
    doc: 'web: CPU-bound domains standing for the fork-bomb and memory-hog domains (assumption)',
  },
  warmupNs: { kind: 'int', default: 1_000_000_000, min: 0, max: 1_000_000_000_000, unit: 'ns', doc: 'warm-up' },
  runLengthNs: {
    kind: 'int',
    default: 10_000_000_000,
    min: 10_000_000,
    max: 1_000_000_000_000,
    unit: 'ns',
    doc: 'measured window',
  },
} as const;
type P = ParamsOf<typeof PARAMS>;

export function checkIsolation(p: P): string | undefined {
  if (p.benchmark === 'web' && p.system !== 'xen')
    return `benchmark 'web' needs system 'xen' (the web scenario builds a Xen host only), got system '${p.system}'`;
  return undefined;
}

const POINTS = [
  ...(['xen', 'native'] as const).flatMap((system) =>
    (['off', 'on'] as const).map((antagonists) => ({ benchmark: 'osdb-ir' as const, system, antagonists })),
  ),
  ...(['off', 'on'] as const).map((antagonists) => ({
    benchmark: 'web' as const,
    system: 'xen' as const,
    antagonists,
  })),
];

interface Antagonists {
  seq: SeqHog;
  files: SmallFileCreator;
}

/** The disk hog (dd + small files on one front end) on partition 1 of VBD 0 of `front`. */
function diskHog(
  sim: Simulation,
  front: BlockFront,
  base: number,
  streams: RandomStreams,
  cpu: GuestCpu | null,
): Antagonists {
  const seq = new SeqHog(sim, front, {
    region: { vbd: 0, startSector: base, lengthSectors: PART / 2 },
    requestSectors: 88,
    depth: 4,
    cpu,
  });
  const half = base + PART / 2;
  const files = new SmallFileCreator(sim, front, {
    meta: { vbd: 0, startSector: half, lengthSectors: 16 * SECTORS_PER_MB },
    data: { vbd: 0, startSector: half + 16 * SECTORS_PER_MB, lengthSectors: 256 * SECTORS_PER_MB },
    rng: streams.stream('isolation/files'),
    cpu,
  });
  return { seq, files };
}

function runOsdb(p: P, seed: number | string): Record<string, number> {
  const model = new DiskModel(DISK_PRESETS.dk32ej);
  const on = p.antagonists === 'on';
  const disk = on && p.antagonistSet !== 'bomb-memory';
  const bomb = on && p.antagonistSet !== 'disk';
  let sim: Simulation;
  let host: Host;
  let streams: RandomStreams;
  let be: BlockBackend;
  let db: OsdbWorkload;
  let hog: Antagonists | null = null;
  let memHog: MemoryHog | null = null;
  const dataSectors = 64 * SECTORS_PER_MB;
  const logSectors = 16 * SECTORS_PER_MB;
  if (p.system === 'xen') {
    const sc = buildScenario(seed, { scheduler: 'bvt-xen1', controlCosts: 'free', cpus: 2 });
    ({ sim, host, streams } = sc);
    be = new BlockBackend(sim, { disks: [model], scheduler: p.diskScheduler, host });
    const d = host.control.createDomain({ name: 'db' });
    be.addVbd(d.id, { extents: [{ disk: 0, startSector: 0, lengthSectors: PART }], mode: 'rw' });
    db = new OsdbWorkload(sim, be.front(d.id), {
      kind: 'ir',
      profile: 'xen',
      clients: 1,
      cpus: [d.vcpus[0] as GuestCpu],
      data: { vbd: 0, startSector: 0, lengthSectors: dataSectors },
      log: { vbd: 0, startSector: dataSectors, lengthSectors: logSectors },
      rng: streams.stream('osdb/1'),
    });
    if (disk) {
      const dk = host.control.createDomain({ name: 'disk' });
      be.addVbd(dk.id, { extents: [{ disk: 0, startSector: PART, lengthSectors: PART }], mode: 'rw' });
      hog = diskHog(sim, be.front(dk.id), 0, streams, dk.vcpus[0] as GuestCpu);
    }
    if (bomb) {
      const bd = host.control.createDomain({ name: 'bomb' });
      be.addVbd(bd.id, { extents: [{ disk: 0, startSector: 2 * PART, lengthSectors: PART }], mode: 'rw' });
      const os = new GuestOS(bd, { profile: 'xen' });
      new ForkBomb().start(os);
      memHog = memoryHog(be.front(bd.id), bd, 0, streams);
    }
  } else {
    sim = new Simulation();
    streams = new RandomStreams(seed);
    host = new Host(sim, { mode: 'bare-metal', cpus: 2 });
    const k = host.kernel;
    if (k === null) throw new Error('isolation: the bare-metal host has no kernel');
    be = new BlockBackend(sim, { disks: [model], scheduler: p.diskScheduler, host });
    be.addVbd(k.id, { extents: [{ disk: 0, startSector: 0, lengthSectors: 3 * PART }], mode: 'rw' });
    const front = be.front(k.id);
    const cpus = k.vcpus as readonly GuestCpu[];
    db = new OsdbWorkload(sim, front, {
      kind: 'ir',
      profile: 'native',
      clients: 1,
      cpus: [...cpus],
      data: { vbd: 0, startSector: 0, lengthSectors: dataSectors },
      log: { vbd: 0, startSector: dataSectors, lengthSectors: logSectors },
      rng: streams.stream('osdb/1'),
    });
    if (disk) hog = diskHog(sim, front, PART, streams, cpus[1] ?? null);
    if (bomb) {
      const os = new GuestOS(k, { profile: 'native' });
      new ForkBomb().start(os);
      memHog = memoryHog(front, k, 2 * PART, streams);
    }
  }
  db.start();
  hog?.seq.start();
  hog?.files.start();
  memHog?.start();
  let seq0 = 0;
  let files0 = 0;
  sim.schedule(p.warmupNs, () => {
    db.resetStats();
    seq0 = hog?.seq.bytes ?? 0;
    files0 = hog?.files.filesCreated ?? 0;
  });
  sim.run(p.warmupNs + p.runLengthNs);
  host.checkConservation();
  be.checkConservation();
  db.checkConservation();
  const s = p.runLengthNs / 1e9;
  return {
    score: db.queries / s,
    diskHogMBps: hog === null ? 0 : (hog.seq.bytes - seq0) / s / 1e6,
    smallFilesPerS: hog === null ? 0 : (hog.files.filesCreated - files0) / s,
    events: sim.eventsProcessed,
  };
}

/** A memory hog over paging with swap on VBD 0 at `base` (pageable memory 64 MB, region 3 GB: the paper's). */
function memoryHog(front: BlockFront, domain: Domain, base: number, streams: RandomStreams): MemoryHog {
  const swap = new VbdSwap(front, {
    region: { vbd: 0, startSector: base, lengthSectors: 512 * SECTORS_PER_MB },
    rng: streams.stream('isolation/swap'),
  });
  const paging = new GuestPaging(domain, { kernelPages: 4096, workingSetPages: 1024, swap });
  return new MemoryHog(paging, { regionPages: 786_432, chunkPages: 256 });
}

export const isolation = defineStudy({
  name: 'isolation',
  version: 1,
  description: 'OSDB-IR and a web server with and without a disk hog, a fork bomb and a memory hog: Xen vs native',
  details: [
    'OSDB-IR on a two-CPU host beside a dd-style reader + small-file creator (one front end), a fork bomb and a',
    'memory hog with swap on the disk: in equal-weight Xen domains, or as processes of one native Linux.',
    'Web: a SPECweb99-like server at a fixed offered load (score: conformant clients) beside CPU-bound domains',
    'standing for the antagonists (Xen only). Nothing is fitted to the paper; conservation checked after every run.',
  ].join('\n'),
  params: PARAMS,
  grid: { kind: 'list', points: POINTS },
  replications: 2,
  quickReplications: 1,
  quickParams: { warmupNs: 300_000_000, runLengthNs: 1_500_000_000, webClients: 40 },
  measures: ISOLATION_MEASURES,
  check: (p) => checkIsolation(p as P),
  run(p: P, ctx) {
    if (p.benchmark === 'web') {
      const r = runWebCell({
        seed: ctx.seed,
        clientsPerGuest: p.webClients,
        competitors: p.antagonists === 'on' ? p.webCompetitors : 0,
        warmupNs: p.warmupNs,
        runLengthNs: p.runLengthNs,
      });
      return {
        measures: { score: r.total.conformantClients, diskHogMBps: 0, smallFilesPerS: 0 },
        events: r.events,
      };
    }
    const { events, ...measures } = runOsdb(p, ctx.seed);
    return {
      measures: measures as { score: number; diskHogMBps: number; smallFilesPerS: number },
      events: events as number,
    };
  },
  charts: isolationCharts,
  sweepTables: (data) => ({ isolation: isolationRows(data) }),
  consoleTable: isolationConsoleTable,
  reportSummary: isolationReportSummary,
});

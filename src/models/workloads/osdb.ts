// OSDB-like database workloads: guest CPU per query from the operation vocabulary (guest/operations.ts,
// priced by a virtualization profile) combined with block I/O through a domain's block front end
// (disk/blkback.ts, the BlockWorkload machinery of disk/workloads.ts).
//
// Independent description (calibration.md "Workload descriptions"; the OSDB suite's own documentation):
// OSDB runs on PostgreSQL 7.1.3, the client talking to its backend process over a Unix socket. IR
// ("information retrieval") is read-mostly queries; OLTP performs many synchronous disk operations
// (writes that must reach the disk in order). Nothing here is fitted to the paper's results: every count
// below is an assumption about such a database server, labelled so, and a parameter.
//
// One query (IR) or transaction (OLTP) of one client, in order:
//   1. CPU: the query's operations (socket send/receive, select, reads of cached 8 KB pages, page faults)
//      priced by the profile, plus its user-mode computation (parse, plan, execute), plus the guest
//      process switches of the client → backend → client round trip over the Unix socket
//      (processSwitchesPerQuery, default 2), each priced by the profile's Table 3 context-switch cell
//      "2p/0K" (lmbench lat_ctx between two processes passing a token through a pipe: the same pattern);
//   2. for each buffer-cache miss, one after another (the backend waits for each page): CPU for the
//      guest driver's 'block request', a random 4 KB read of the instance's data region, and on its
//      response the guest's 'event delivery';
//   3. OLTP only: the modified pages are written back without waiting (random 4 KB data writes, each
//      'block request' CPU), then the commit: an 8 KB write at the next place of the instance's
//      sequential log region, a reorder barrier (it must reach the disk after everything before it),
//      waited for (fsync); its response costs an 'event delivery'. The transaction ends then.
// Misses and write-backs per query are means (may be fractional): query i (0-based, per workload) has
// ⌊(i+1)·m⌋ − ⌊i·m⌋ of them, so n queries have exactly ⌊n·m⌋ (deterministic, as op-mix.ts).
// Clients: `clients` closed-loop clients (one PostgreSQL backend each); client c runs its CPU on
// cpus[c mod cpus.length] (a domain's one vCPU; on the bare-metal host the native kernel's CPUs, a static
// placement standing for Linux's SMP scheduler). Several clients on one vCPU share it in the vCPU's demand
// order; each query pays its own client/backend switches (step 1), no further switch between clients.
// Counting and conservation (checkConservation): started = completed + in progress (≤ clients);
// disk requests issued = answered ok + errors + outstanding.
// runOsdbOnProfile: one instance on the one-CPU host of a profile (on-profile.ts hostForProfile) with the
// DK32EJ disk, for the relative-performance runs; returns the score of a measured window.
// Units: ns, sectors (512 bytes), counts.
import type { Rng } from '../../sim/rng.js';
import type { Simulation } from '../../sim/simulation.js';
import { InvariantError } from '../../sim/errors.js';
import { Quantiles } from '../../sim/stats/quantiles.js';
import { RandomStreams } from '../../sim/rng.js';
import { BlockBackend, BlockRequest, BlockStatus, type BlockFront } from '../disk/blkback.js';
import { DISK_PRESETS, DiskModel } from '../disk/service.js';
import { BlockWorkload, checkRegion, randomSector, type GuestCpu, type WorkloadRegion } from '../disk/workloads.js';
import { GUEST_OP_NAMES, PROFILE_TABLE3_CONFIG, VirtProfile, type GuestOp } from '../guest/operations.js';
import { table3ContextSwitchUs } from '../calibration.js';
import { GuestProfile } from '../guest/profile.js';
import { checkInt, checkNumber, checkOneOf, rangeFail } from '../validate.js';
import { hostForProfile, type ProfileHostOptions } from './on-profile.js';

export const OsdbKind = { ir: 'ir', oltp: 'oltp' } as const;
export type OsdbKind = (typeof OsdbKind)[keyof typeof OsdbKind];

/** What one query (IR) or transaction (OLTP) does. */
export interface OsdbQueryMix {
  /** Guest-kernel operations per query (may be fractional: priced as a mean). */
  readonly opsPerQuery: Partial<Record<GuestOp, number>>;
  /** User-mode computation per query (parse, plan, execute), ns. */
  readonly computeNsPerQuery: number;
  /** Buffer-cache misses per query (mean): synchronous random 4 KB reads. */
  readonly diskReadsPerQuery: number;
  /** Dirty pages written back per query (mean): asynchronous random 4 KB writes. */
  readonly dataWritesPerQuery: number;
  /** A synchronous, ordered (barrier) 8 KB log write ends each query (the commit's fsync). */
  readonly syncCommit: boolean;
  /**
   * Guest process switches per query (client → backend and back over the Unix socket), each priced by
   * the profile's Table 3 "2p/0K" context switch. Default (absent) 0.
   */
  readonly processSwitchesPerQuery?: number;
}

/**
 * Default mixes. All assumptions (independent of the paper's results): a PostgreSQL 7.1 backend on a
 * 2.4 GHz Xeon with a database of a few tens of MB that mostly fits the page cache.
 * IR: 4 socket null I/Os (client and backend, send and receive) and 2 selects; 16 reads of cached 8 KB
 * pages (null I/O each); 2 page faults; 2 ms of computation; 0.1 misses per query.
 * OLTP: a transaction of a few statements: 8 socket null I/Os and 4 selects, 8 cached page reads,
 * 2 page faults, 1.5 ms of computation; 0.5 misses, 2 pages written back, a synchronous commit.
 * Both: 2 process switches per query (the client sends its query to the backend and waits for the reply:
 * one switch each way; a transaction's statements counted as one round trip, assumption).
 */
export const OSDB_MIXES: Readonly<Record<OsdbKind, OsdbQueryMix>> = {
  ir: {
    opsPerQuery: { nullIo: 20, select: 2, pageFault: 2 },
    computeNsPerQuery: 2_000_000,
    diskReadsPerQuery: 0.1,
    dataWritesPerQuery: 0,
    syncCommit: false,
    processSwitchesPerQuery: 2,
  },
  oltp: {
    opsPerQuery: { nullIo: 16, select: 4, pageFault: 2 },
    computeNsPerQuery: 1_500_000,
    diskReadsPerQuery: 0.5,
    dataWritesPerQuery: 2,
    syncCommit: true,
    processSwitchesPerQuery: 2,
  },
};

/** Score unit of each kind. */
export const OSDB_SCORE_UNIT: Readonly<Record<OsdbKind, string>> = { ir: 'queries/s', oltp: 'tx/s' };

const MAX_PER_QUERY = 1e6;

/** Checks a mix; one-line RangeError naming the field otherwise. */
export function checkOsdbMix(where: string, mix: OsdbQueryMix): OsdbQueryMix {
  if (typeof mix !== 'object' || mix === null) rangeFail(where, 'mix', 'an object', mix);
  const ops = mix.opsPerQuery;
  if (typeof ops !== 'object' || ops === null) rangeFail(where, 'opsPerQuery', 'an object', ops);
  for (const [k, v] of Object.entries(ops)) {
    if (!(GUEST_OP_NAMES as readonly string[]).includes(k))
      rangeFail(where, 'opsPerQuery', `operation names (${GUEST_OP_NAMES.join(', ')})`, k);
    checkNumber(where, `opsPerQuery.${k}`, v, 0, MAX_PER_QUERY);
  }
  checkNumber(where, 'computeNsPerQuery', mix.computeNsPerQuery, 0, 3.6e12);
  checkNumber(where, 'diskReadsPerQuery', mix.diskReadsPerQuery, 0, 1000);
  checkNumber(where, 'dataWritesPerQuery', mix.dataWritesPerQuery, 0, 1000);
  if (typeof mix.syncCommit !== 'boolean') rangeFail(where, 'syncCommit', 'true or false', mix.syncCommit);
  if (mix.processSwitchesPerQuery !== undefined)
    checkNumber(where, 'processSwitchesPerQuery', mix.processSwitchesPerQuery, 0, MAX_PER_QUERY);
  return mix;
}

/** One guest process switch on a profile, ns: its Table 3 "2p/0K" lat_ctx cell. */
export function osdbProcessSwitchNs(profile: VirtProfile): number {
  const p = checkOneOf('osdbProcessSwitchNs', 'profile', profile, VirtProfile);
  return table3ContextSwitchUs(PROFILE_TABLE3_CONFIG[p], '2p/0K') * 1000;
}

/** Per-query CPU of a mix on a profile, ns (without the per-request driver and event costs). */
export function osdbQueryCpuNs(mix: OsdbQueryMix, profile: VirtProfile): number {
  const where = 'osdbQueryCpuNs';
  checkOsdbMix(where, mix);
  const g = new GuestProfile(checkOneOf(where, 'profile', profile, VirtProfile));
  const pt = g.newPageTable();
  let ns = mix.computeNsPerQuery;
  for (const op of GUEST_OP_NAMES) {
    const c = mix.opsPerQuery[op] ?? 0;
    if (c > 0) ns += c * g.opNs(op, pt);
  }
  ns += (mix.processSwitchesPerQuery ?? 0) * osdbProcessSwitchNs(profile);
  return Math.round(ns);
}

/** Guest CPU of the driver path of one block request and of one completion event, ns, on a profile. */
export function osdbIoCpuNs(profile: VirtProfile): { requestNs: number; completionNs: number } {
  const g = new GuestProfile(checkOneOf('osdbIoCpuNs', 'profile', profile, VirtProfile));
  const pt = g.newPageTable();
  return { requestNs: Math.round(g.opNs('blockRequest', pt)), completionNs: Math.round(g.opNs('eventDelivery', pt)) };
}

export interface OsdbOptions {
  /** 'ir' or 'oltp': the default mix of that kind (OSDB_MIXES) unless `mix` is given. */
  readonly kind: OsdbKind;
  /** A mix of one's own (replaces the kind's default). */
  readonly mix?: OsdbQueryMix;
  /** Profile pricing the guest CPU. */
  readonly profile: VirtProfile;
  /** Closed-loop clients (PostgreSQL backends), 1..10 000. Default 1 (assumption: OSDB's single-user run). */
  readonly clients?: number;
  /** Where each client's CPU runs: client c on cpus[c mod length]; at least one. */
  readonly cpus: readonly GuestCpu[];
  /** The instance's data region (random reads and write-backs). */
  readonly data: WorkloadRegion;
  /** The instance's log region (sequential commits); required when the mix has syncCommit. */
  readonly log?: WorkloadRegion | null;
  /** Random sectors. */
  readonly rng: Rng;
}

/** Per-client state of a query in progress. */
class Query {
  readsLeft = 0;
  startNs = 0;
  constructor(
    readonly client: number,
    readonly cpu: GuestCpu,
  ) {}
}

export class OsdbWorkload extends BlockWorkload {
  readonly kind: OsdbKind;
  readonly mix: OsdbQueryMix;
  readonly clients: number;
  /** CPU of one query without its I/O (osdbQueryCpuNs), ns. */
  readonly queryCpuNs: number;
  readonly requestCpuNs: number;
  readonly completionCpuNs: number;
  /** Queries (transactions) completed since the last resetStats. */
  queries = 0;
  querySumNs = 0;
  readonly queryLatencyNs = new Quantiles();
  /** Guest CPU this workload asked its CPUs for since the last resetStats (query, driver, events), ns. */
  cpuDemandNs = 0;
  /** Since the start (never reset): for conservation. */
  started = 0;
  finished = 0;
  issuedRequests = 0;
  answeredOk = 0;
  answeredError = 0;
  private readIndex = 0;
  private writeIndex = 0;
  private logNext = 0;
  private readonly data: WorkloadRegion;
  private readonly log: WorkloadRegion | null;
  private readonly rng: Rng;
  private readonly cpus: readonly GuestCpu[];
  private running = false;

  constructor(sim: Simulation, front: BlockFront, o: OsdbOptions) {
    const where = 'OsdbWorkload';
    super(where, sim, front, { cpu: null, cpuNs: 0 });
    this.kind = checkOneOf(where, 'kind', o.kind, OsdbKind);
    this.mix = checkOsdbMix(where, o.mix ?? OSDB_MIXES[this.kind]);
    const profile = checkOneOf(where, 'profile', o.profile, VirtProfile);
    this.clients = checkInt(where, 'clients', o.clients ?? 1, 1, 10_000);
    if (!Array.isArray(o.cpus) || o.cpus.length === 0) rangeFail(where, 'cpus', 'a non-empty array of vCPUs', o.cpus);
    this.cpus = o.cpus;
    this.data = checkRegion(where, o.data);
    this.log = o.log === undefined || o.log === null ? null : checkRegion(where, o.log);
    if (this.mix.syncCommit && this.log === null) rangeFail(where, 'log', 'a region (the mix commits)', o.log);
    if (this.log !== null && this.log.lengthSectors < 16)
      rangeFail(where, 'log.lengthSectors', '>= 16', this.log.lengthSectors);
    this.logNext = this.log?.startSector ?? 0;
    this.rng = o.rng;
    this.queryCpuNs = osdbQueryCpuNs(this.mix, profile);
    const io = osdbIoCpuNs(profile);
    this.requestCpuNs = io.requestNs;
    this.completionCpuNs = io.completionNs;
  }

  start(): void {
    if (this.running) throw new RangeError('OsdbWorkload.start: already started');
    this.running = true;
    for (let c = 0; c < this.clients; c++) this.begin(new Query(c, this.cpus[c % this.cpus.length] as GuestCpu));
  }

  override resetStats(): void {
    super.resetStats();
    this.queries = 0;
    this.querySumNs = 0;
    this.queryLatencyNs.reset();
    this.cpuDemandNs = 0;
  }

  private run(cpu: GuestCpu, ns: number, then: (() => void) | null): void {
    this.cpuDemandNs += ns;
    const ev = cpu.run(ns, { tag: 'osdb' });
    if (then !== null) ev.addCallback(then);
  }

  /** Queries in progress (≤ clients; 0 after stop once everything has drained). */
  get inProgress(): number {
    return this.started - this.finished;
  }

  /** Requests issued and not yet answered. */
  get outstandingRequests(): number {
    return this.issuedRequests - this.answeredOk - this.answeredError;
  }

  /** Throws InvariantError when a count is not conserved. */
  checkConservation(): void {
    const bad = (what: string): never => {
      throw new InvariantError(`OsdbWorkload ${this.kind}`, what, this.sim.now);
    };
    if (this.inProgress < 0 || this.inProgress > this.clients)
      bad(`started ${this.started} − finished ${this.finished} not in 0..${this.clients}`);
    if (this.outstandingRequests < 0)
      bad(`answered ${this.answeredOk + this.answeredError} > issued ${this.issuedRequests}`);
    if (this.answeredOk < this.completed) bad(`ok responses ${this.answeredOk} < counted ${this.completed}`);
  }

  /** ⌊(i+1)·m⌋ − ⌊i·m⌋ for the i-th query: exact means over the run. */
  private static spread(i: number, m: number): number {
    return Math.floor((i + 1) * m) - Math.floor(i * m);
  }

  private begin(q: Query): void {
    this.started++;
    q.startNs = this.sim.now;
    q.readsLeft = OsdbWorkload.spread(this.readIndex++, this.mix.diskReadsPerQuery);
    this.run(q.cpu, this.queryCpuNs, () => this.next(q));
  }

  /** After the query's CPU, or after a read's completion event. */
  private next(q: Query): void {
    if (q.readsLeft > 0) {
      q.readsLeft--;
      this.run(q.cpu, this.requestCpuNs, () =>
        this.send(new BlockRequest(this.data.vbd, randomSector(this.rng, this.data, 8), 8, false, false, 1, q)),
      );
      return;
    }
    if (!this.mix.syncCommit) {
      this.end(q);
      return;
    }
    const writes = OsdbWorkload.spread(this.writeIndex++, this.mix.dataWritesPerQuery);
    this.run(q.cpu, (writes + 1) * this.requestCpuNs, () => {
      for (let i = 0; i < writes; i++)
        this.send(new BlockRequest(this.data.vbd, randomSector(this.rng, this.data, 8), 8, true, false, 1, null));
      const log = this.log as WorkloadRegion;
      if (this.logNext + 16 > log.startSector + log.lengthSectors) this.logNext = log.startSector;
      this.send(new BlockRequest(log.vbd, this.logNext, 16, true, true, 2, q));
      this.logNext += 16;
    });
  }

  private send(r: BlockRequest): void {
    this.issuedRequests++;
    this.issue(r);
  }

  private end(q: Query): void {
    this.finished++;
    this.queries++;
    const ns = this.sim.now - q.startNs;
    this.querySumNs += ns;
    this.queryLatencyNs.add(ns);
    if (!this.stopped) this.begin(q);
  }

  protected onDone(r: BlockRequest): void {
    if (r.status === BlockStatus.ok) this.answeredOk++;
    else this.answeredError++;
    const q = r.tag;
    const ev = this.completionCpuNs;
    if (!(q instanceof Query)) {
      // a data write-back: its completion interrupt still costs the guest CPU (on client 0's CPU)
      if (ev > 0) this.run(this.cpus[0] as GuestCpu, ev, null);
      return;
    }
    this.run(q.cpu, ev, () => {
      if (r.write) this.end(q);
      else this.next(q);
    });
  }
}

export interface OsdbProfileRunOptions {
  /** Random seed of the run (sectors). */
  readonly seed: string | number;
  /** Warm-up before the measured window, ns. Default 1 s. */
  readonly warmupNs?: number;
  /** Measured window, ns. Default 10 s. */
  readonly runLengthNs?: number;
  /** Closed-loop clients. Default 1. */
  readonly clients?: number;
  /** A mix of one's own (default OSDB_MIXES[kind]). */
  readonly mix?: OsdbQueryMix;
  /** Options of the one-CPU host (hostForProfile). */
  readonly host?: ProfileHostOptions;
}

export interface OsdbProfileRun {
  /** Queries (IR) or transactions (OLTP) per second of the window. */
  readonly scorePerS: number;
  readonly scoreUnit: string;
  /** Mean query time, ns. */
  readonly queryMeanNs: number;
  /** Disk busy time / window. */
  readonly diskBusyFraction: number;
  readonly events: number;
}

/** Data and log regions of runOsdbOnProfile: 64 MB and 16 MB at the start of the disk (assumption). */
export const OSDB_PROFILE_LAYOUT = { dataSectors: 64 * 2048, logSectors: 16 * 2048 } as const;

/**
 * One OSDB-like instance on a one-CPU host of `profile` (hostForProfile: native on bare metal, the others
 * as a guest domain beside an idle domain 0), with the 10k RPM DK32EJ disk behind the block back end
 * (C-LOOK). Checks conservation of the host's CPU time, the back end's requests and the workload's
 * queries and requests at the end.
 */
export function runOsdbOnProfile(kind: OsdbKind, profile: VirtProfile, o: OsdbProfileRunOptions): OsdbProfileRun {
  const where = 'runOsdbOnProfile';
  checkOneOf(where, 'kind', kind, OsdbKind);
  const warmupNs = checkInt(where, 'warmupNs', o.warmupNs ?? 1_000_000_000, 0);
  const runLengthNs = checkInt(where, 'runLengthNs', o.runLengthNs ?? 10_000_000_000, 1);
  const { sim, host, os } = hostForProfile(profile, o.host ?? {});
  const model = new DiskModel(DISK_PRESETS.dk32ej);
  const be = new BlockBackend(sim, { disks: [model], scheduler: 'clook', host });
  const L = OSDB_PROFILE_LAYOUT;
  be.addVbd(os.domain.id, {
    extents: [{ disk: 0, startSector: 0, lengthSectors: L.dataSectors + L.logSectors }],
    mode: 'rw',
  });
  const w = new OsdbWorkload(sim, be.front(os.domain.id), {
    kind,
    ...(o.mix === undefined ? {} : { mix: o.mix }),
    profile,
    clients: o.clients ?? 1,
    cpus: [os.vcpu],
    data: { vbd: 0, startSector: 0, lengthSectors: L.dataSectors },
    log: { vbd: 0, startSector: L.dataSectors, lengthSectors: L.logSectors },
    rng: new RandomStreams(o.seed).stream(`osdb/${kind}`),
  });
  w.start();
  let busy0 = 0;
  sim.schedule(warmupNs, () => {
    w.resetStats();
    busy0 = be.diskStats(0).busyNs;
  });
  sim.run(warmupNs + runLengthNs);
  host.checkConservation();
  be.checkConservation();
  w.checkConservation();
  return {
    scorePerS: w.queries / (runLengthNs / 1e9),
    scoreUnit: OSDB_SCORE_UNIT[kind],
    queryMeanNs: w.queries === 0 ? 0 : w.querySumNs / w.queries,
    diskBusyFraction: Math.min(1, (be.diskStats(0).busyNs - busy0) / (runLengthNs * model.channels)),
    events: sim.eventsProcessed,
  };
}

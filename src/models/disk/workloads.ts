// Block workloads: closed-loop request generators driving a domain's block front end (blkback.ts).
//
//   seqHog    dd-style sequential hog (the paper's disk-bandwidth antagonist, §4.4: "sustained dd"):
//             `depth` outstanding requests of `requestSectors` each, at consecutive sectors from a start,
//             wrapping at the end of its region; reads or writes. Default 88 sectors = 11 segments of
//             4 KB, the largest block request (calibration.md "block ring"); depth 2 (assumption: dd
//             reading with the kernel's read-ahead keeps about two requests queued).
//   oltp      OLTP-like (an independent description: TPC-B-style transactions — read a few rows, update
//             them, log the commit synchronously; the paper §4.1 describes OSDB's OLTP as "many
//             synchronous disk operations"): `clients` concurrent clients; each transaction does
//             `readsPerTx` random 4 KB reads one after another (each waits for the previous), then
//             submits `writesPerTx` random 4 KB data writes without waiting for them (write-back),
//             then an 8 KB commit write to the next place of a sequential log region; the commit is
//             a reorder barrier on every `barrierEvery`-th transaction of the domain (0 = never), which
//             forces the data writes before it to the disk first. The transaction ends when its commit
//             completes. Commit latency = commit submitted → completed; the throughput is transactions
//             per second. All counts are assumptions (parameters), not fitted to any result.
//   ir        information-retrieval-like (read-mostly queries: OSDB IR, §4.1): `clients` clients, each
//             issuing random 4 KB reads one at a time, a fraction `writeFraction` of them writes
//             (default 0.02: assumption).
// Random sectors are uniform over the workload's region (4 KB aligned) from the sim's named random
// streams, so runs are reproducible. Guest CPU per request (the given profile's 'block request'
// operation, guest/profile.ts; without a profile guestRequestCpuNs, calibration.ts DISK_MODEL: a
// labelled estimate from Table 3's null I/O) runs on the domain's vCPU 0 before each submission when a
// vCPU is given; none otherwise. Small-file and dbench-like workloads: fs-workloads.ts. Latency of every completed request is kept in a
// Quantiles (ns); counters per workload.
// Guest-side scheduling (option `guestQueue`): the guest's own block layer queues requests in a disk
// scheduler of its choice (ordered by virtual sector, scheduler.ts) behind a barrier gate (barrier.ts:
// a barrier waits for the responses of everything before it), and keeps at most `maxOutstanding`
// requests on the ring (a device queue depth, as Linux's tagged-queue depth); without it requests go
// to the ring in issue order.
// Several workloads (and the guest's swap, memory/vbd-swap.ts) may share one front end: each request
// carries its workload's response handler (BlockRequest.onDone).
// Units: sectors (512 bytes), ns.
import type { Rng } from '../../sim/rng.js';
import type { Simulation } from '../../sim/simulation.js';
import { Quantiles } from '../../sim/stats/quantiles.js';
import { DISK_MODEL } from '../calibration.js';
import { checkInt, checkNumber, checkOneOf } from '../validate.js';
import { GuestProfile } from '../guest/profile.js';
import { VirtProfile } from '../guest/operations.js';
import { BarrierGate } from './barrier.js';
import { BlockRequest, BlockStatus, type BlockFront } from './blkback.js';
import { createDiskScheduler, type DiskScheduler, type DiskSchedulerKind } from './scheduler.js';

/** The guest's own queue in front of its ring. */
export interface GuestQueueOptions {
  readonly scheduler: DiskSchedulerKind;
  /** Requests the guest keeps on the ring at most, 1..ring size. */
  readonly maxOutstanding: number;
}

/** Something that runs guest CPU before a submission (a vCPU: host/vcpu.ts run()). */
export interface GuestCpu {
  run(cpuNs: number, opts?: { tag?: string }): { addCallback(fn: () => void): void };
}

export interface WorkloadRegion {
  /** VBD index and the sector range of it the workload uses. */
  readonly vbd: number;
  readonly startSector: number;
  readonly lengthSectors: number;
}

/** Options every block workload takes. */
export interface BlockWorkloadOptions {
  /** The guest's own scheduler and device queue depth in front of the ring; null = none. */
  readonly guestQueue?: GuestQueueOptions | null;
  /** Shared latency collector (several workloads into one); default: the workload's own. */
  readonly latency?: Quantiles | null;
  /** The vCPU that runs the guest's per-request CPU; null = none (the request costs no guest CPU). */
  readonly cpu?: GuestCpu | null;
  /** Guest CPU per request, ns (default: the profile's 'block request' if a profile is given, else the calibration table's guestRequestCpuNs). */
  readonly cpuNs?: number;
  /** A virtualization profile pricing the request's guest CPU by its 'block request' operation (guest/profile.ts). */
  readonly profile?: VirtProfile | null;
}

/** Common machinery: submission through the ring (waiting for space), guest CPU, statistics. */
export abstract class BlockWorkload {
  /** Latency of completed requests (ns); shared between workloads when one is passed in. */
  readonly latencyNs: Quantiles;
  latencySumNs = 0;
  completed = 0;
  errors = 0;
  bytes = 0;
  private readonly overflow: BlockRequest[] = [];
  private waiting = false;
  protected stopped = false;
  private readonly gq: DiskScheduler<BlockRequest> | null = null;
  private readonly gate: BarrierGate<BlockRequest> | null = null;
  private readonly maxOut: number = 0;
  private outstanding = 0;

  protected readonly cpu: GuestCpu | null;
  readonly cpuNs: number;

  constructor(
    where: string,
    protected readonly sim: Simulation,
    protected readonly front: BlockFront,
    o: BlockWorkloadOptions,
  ) {
    this.cpu = o.cpu ?? null;
    const profile =
      o.profile === undefined || o.profile === null ? null : checkOneOf(where, 'profile', o.profile, VirtProfile);
    let perRequest: number = DISK_MODEL.guestRequestCpuNs.value;
    if (profile !== null) {
      const g = new GuestProfile(profile);
      perRequest = Math.round(g.opNs('blockRequest', g.newPageTable()));
    }
    this.cpuNs = checkInt(where, 'cpuNs', o.cpuNs ?? perRequest, 0);
    this.latencyNs = o.latency ?? new Quantiles();
    const guestQueue = o.guestQueue ?? null;
    if (guestQueue !== null) {
      const where = 'guestQueue';
      this.maxOut = checkInt(where, 'maxOutstanding', guestQueue.maxOutstanding, 1, front.ring.sizeEntries);
      const q = createDiskScheduler<BlockRequest>(guestQueue.scheduler);
      this.gq = q;
      this.gate = new BarrierGate<BlockRequest>((r) => {
        q.add(r);
      });
    }
  }

  /** The workload's response handler: set on each of its requests (BlockRequest.onDone), so several
   * workloads (and the guest's swap) can share one front end. */
  private readonly respond = (r: BlockRequest): void => {
    if (this.gate !== null) {
      this.outstanding--;
      this.gate.complete(r);
    }
    if (r.status === BlockStatus.ok) {
      this.completed++;
      this.bytes += r.sectors * 512;
      this.latencyNs.add(this.sim.now - r.submittedAtNs);
      this.latencySumNs += this.sim.now - r.submittedAtNs;
    } else this.errors++;
    this.onDone(r);
    this.pump();
  };

  /** Stops issuing new work (outstanding requests still complete). */
  stop(): void {
    this.stopped = true;
  }

  /** Resets the statistics (end of a warm-up). */
  resetStats(): void {
    this.latencyNs.reset();
    this.latencySumNs = 0;
    this.completed = 0;
    this.errors = 0;
    this.bytes = 0;
  }

  protected abstract onDone(r: BlockRequest): void;

  /** Submits after the guest's CPU cost (if any). */
  protected issue(r: BlockRequest): void {
    r.onDone = this.respond;
    if (this.cpu !== null && this.cpuNs > 0)
      this.cpu.run(this.cpuNs, { tag: 'blkfront' }).addCallback(() => this.enqueue(r));
    else this.enqueue(r);
  }

  private enqueue(r: BlockRequest): void {
    if (this.gate === null) {
      this.push(r);
      return;
    }
    // the guest orders by virtual sector (the back end overwrites sector with the physical one)
    r.sector = r.vsector;
    r.queuedAtNs = this.sim.now;
    r.domain = this.front.domainId;
    this.gate.submit(r);
    this.pump();
  }

  /** Moves requests from the guest's queue to the ring while fewer than maxOutstanding are there. */
  private pump(): void {
    const q = this.gq;
    if (q === null) return;
    while (this.outstanding < this.maxOut) {
      const r = q.take(this.sim.now);
      if (r === undefined) return;
      this.outstanding++;
      this.push(r);
    }
  }

  private push(r: BlockRequest): void {
    if (this.overflow.length > 0 || !this.front.submit(r)) {
      this.overflow.push(r);
      this.waitSpace();
    }
  }

  private waitSpace(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.front.ring.onSpace(() => {
      this.waiting = false;
      while (this.overflow.length > 0 && this.front.submit(this.overflow[0] as BlockRequest)) this.overflow.shift();
      if (this.overflow.length > 0) this.waitSpace();
    });
  }
}

export function checkRegion(where: string, r: WorkloadRegion): WorkloadRegion {
  checkInt(where, 'vbd', r.vbd, 0);
  checkInt(where, 'startSector', r.startSector, 0);
  checkInt(where, 'lengthSectors', r.lengthSectors, 8);
  return r;
}

/** A random 4 KB-aligned sector of the region for a request of `sectors`. */
export function randomSector(rng: Rng, region: WorkloadRegion, sectors: number): number {
  const slots = Math.max(1, Math.floor((region.lengthSectors - sectors) / 8) + 1);
  return region.startSector + 8 * rng.int(0, slots);
}

export interface SeqHogOptions extends BlockWorkloadOptions {
  readonly region: WorkloadRegion;
  readonly requestSectors?: number;
  readonly depth?: number;
  readonly write?: boolean;
}

export class SeqHog extends BlockWorkload {
  readonly requestSectors: number;
  readonly depth: number;
  private next: number;
  private readonly region: WorkloadRegion;
  private readonly write: boolean;

  constructor(sim: Simulation, front: BlockFront, o: SeqHogOptions) {
    const where = 'SeqHog';
    super(where, sim, front, o);
    this.region = checkRegion(where, o.region);
    this.requestSectors = checkInt(where, 'requestSectors', o.requestSectors ?? 88, 1, 88);
    this.depth = checkInt(where, 'depth', o.depth ?? 2, 1, 1024);
    this.write = o.write ?? false;
    this.next = this.region.startSector;
  }

  start(): void {
    for (let i = 0; i < this.depth; i++) this.one();
  }

  private one(): void {
    const r = this.region;
    if (this.next + this.requestSectors > r.startSector + r.lengthSectors) this.next = r.startSector;
    this.issue(new BlockRequest(r.vbd, this.next, this.requestSectors, this.write));
    this.next += this.requestSectors;
  }

  protected onDone(): void {
    if (!this.stopped) this.one();
  }
}

export interface OltpOptions extends BlockWorkloadOptions {
  readonly data: WorkloadRegion;
  readonly log: WorkloadRegion;
  readonly clients?: number;
  readonly readsPerTx?: number;
  readonly writesPerTx?: number;
  /** Every n-th commit is a barrier; 0 = no barriers. */
  readonly barrierEvery?: number;
  /** Shared commit-latency collector; default: the workload's own. */
  readonly commitLatency?: Quantiles | null;
  readonly rng: Rng;
}

const TxPhase = { read: 0, commit: 1 } as const;

class Tx {
  phase: number = TxPhase.read;
  readsLeft = 0;
  startNs = 0;
  commitNs = 0;
  constructor(readonly client: number) {}
}

export class OltpWorkload extends BlockWorkload {
  readonly clients: number;
  readonly readsPerTx: number;
  readonly writesPerTx: number;
  readonly barrierEvery: number;
  readonly commitLatencyNs: Quantiles;
  readonly txLatencyNs = new Quantiles();
  commitSumNs = 0;
  txSumNs = 0;
  transactions = 0;
  barriers = 0;
  private txCount = 0;
  private logNext: number;

  constructor(
    sim: Simulation,
    front: BlockFront,
    private readonly o: OltpOptions,
  ) {
    const where = 'OltpWorkload';
    super(where, sim, front, o);
    checkRegion(where, o.data);
    checkRegion(where, o.log);
    this.clients = checkInt(where, 'clients', o.clients ?? 4, 1, 10_000);
    this.readsPerTx = checkInt(where, 'readsPerTx', o.readsPerTx ?? 3, 0, 1000);
    this.writesPerTx = checkInt(where, 'writesPerTx', o.writesPerTx ?? 3, 0, 1000);
    this.barrierEvery = checkInt(where, 'barrierEvery', o.barrierEvery ?? 1, 0, 1_000_000);
    this.logNext = o.log.startSector;
    this.commitLatencyNs = o.commitLatency ?? new Quantiles();
  }

  start(): void {
    for (let c = 0; c < this.clients; c++) this.begin(new Tx(c));
  }

  override resetStats(): void {
    super.resetStats();
    this.commitLatencyNs.reset();
    this.txLatencyNs.reset();
    this.commitSumNs = 0;
    this.txSumNs = 0;
    this.transactions = 0;
    this.barriers = 0;
  }

  private begin(tx: Tx): void {
    tx.startNs = this.sim.now;
    tx.readsLeft = this.readsPerTx;
    tx.phase = TxPhase.read;
    this.step(tx);
  }

  private step(tx: Tx): void {
    if (tx.readsLeft > 0) {
      tx.readsLeft--;
      this.issue(new BlockRequest(this.o.data.vbd, randomSector(this.o.rng, this.o.data, 8), 8, false, false, 1, tx));
      return;
    }
    for (let i = 0; i < this.writesPerTx; i++)
      this.issue(new BlockRequest(this.o.data.vbd, randomSector(this.o.rng, this.o.data, 8), 8, true, false, 1, null));
    const log = this.o.log;
    if (this.logNext + 16 > log.startSector + log.lengthSectors) this.logNext = log.startSector;
    this.txCount++;
    const barrier = this.barrierEvery > 0 && this.txCount % this.barrierEvery === 0;
    if (barrier) this.barriers++;
    tx.phase = TxPhase.commit;
    tx.commitNs = this.sim.now;
    this.issue(new BlockRequest(log.vbd, this.logNext, 16, true, barrier, 2, tx));
    this.logNext += 16;
  }

  protected onDone(r: BlockRequest): void {
    const tx = r.tag;
    if (!(tx instanceof Tx)) return; // a data write-back
    if (tx.phase === TxPhase.commit) {
      this.transactions++;
      this.commitLatencyNs.add(this.sim.now - tx.commitNs);
      this.txLatencyNs.add(this.sim.now - tx.startNs);
      this.commitSumNs += this.sim.now - tx.commitNs;
      this.txSumNs += this.sim.now - tx.startNs;
      if (!this.stopped) this.begin(tx);
      return;
    }
    this.step(tx);
  }
}

export interface IrOptions extends BlockWorkloadOptions {
  readonly region: WorkloadRegion;
  readonly clients?: number;
  readonly writeFraction?: number;
  readonly rng: Rng;
}

export class IrWorkload extends BlockWorkload {
  readonly clients: number;
  readonly writeFraction: number;

  constructor(
    sim: Simulation,
    front: BlockFront,
    private readonly o: IrOptions,
  ) {
    const where = 'IrWorkload';
    super(where, sim, front, o);
    checkRegion(where, o.region);
    this.clients = checkInt(where, 'clients', o.clients ?? 4, 1, 10_000);
    this.writeFraction = checkNumber(where, 'writeFraction', o.writeFraction ?? 0.02, 0, 1);
  }

  start(): void {
    for (let c = 0; c < this.clients; c++) this.one();
  }

  private one(): void {
    const write = this.writeFraction > 0 && this.o.rng.next() < this.writeFraction;
    this.issue(new BlockRequest(this.o.region.vbd, randomSector(this.o.rng, this.o.region, 8), 8, write));
  }

  protected onDone(): void {
    if (!this.stopped) this.one();
  }
}

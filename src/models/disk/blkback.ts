// The block back end: per-domain block rings, the hypervisor's batched round robin over them, VBD
// translation and checks, reorder barriers, one disk scheduler and one service model per physical disk.
//
// Path of a request. A front end (BlockFront, in the guest) puts a BlockRequest (VBD index, virtual
// sector, sector count, segments, read/write, barrier) on its domain's ring (io/ring.ts, 64 entries)
// and the ring notifies the back end: directly (no event channels given: a plain callback) or through
// connectBackendRing (io/ring-channel.ts), which puts the back end in the hypervisor or in dom0 as the
// host's backendPlacement says. The back end keeps a round-robin list of domains with requests and,
// whenever fewer than `refillBelow` (32) requests are in flight, takes requests off the rings —
// at most `perTurn` (16) per domain per turn, until `maxInFlight` (64) are in flight (Xen 1.0's
// block scheduling, calibration.ts HYPERVISOR block*). Each turn's batch costs `requestCpuNs` per
// request of back-end work (host.backendWork: hypervisor softirq or dom0's vCPU, backend.ts), after
// which the batch is processed in order: a request with a bad segment count (0 or > maxSegments,
// or more sectors than its segments hold), an unknown VBD, or a VBD error (vbd.ts: out of range,
// permission) gets an error response at once — it never reaches the disk and is counted by kind; a
// valid one is translated to (disk, physical sector) and goes through the barrier gate (barrier.ts) to
// the disk's scheduler (scheduler.ts), which feeds the disk (service.ts) whenever a channel is free.
// At completion the response (the same object, status 'ok') goes back on the ring.
// "In flight" counts requests taken off a ring and not yet answered.
// Conservation, checked by checkConservation() (and by the studies after every run):
//   taken = completed + errors + inFlight      (back end)
//   per domain: submitted = answered + on its ring + (taken − answered of that domain)
// CPU cost on the guest side is the workload's (workloads.ts). No allocation per request in the back
// end (the request object travels the whole way and returns as the response), one array per turn.
// Units: ns, sectors. Defaults: calibration.ts (HYPERVISOR block*, DISK_MODEL backendRequestCpuNs).
import type { Simulation } from '../../sim/simulation.js';
import { Deque } from '../../sim/deque.js';
import { InvariantError } from '../../sim/errors.js';
import { DISK_MODEL, HYPERVISOR } from '../calibration.js';
import type { EventChannels, EvtchnDomain } from '../events/event-channels.js';
import type { Host } from '../host/host.js';
import { IoRing, RingDirection } from '../io/ring.js';
import { connectBackendRing } from '../io/ring-channel.js';
import { checkInt, checkNumber } from '../validate.js';
import { BarrierGate } from './barrier.js';
import { createDiskScheduler, DiskSchedulerKind, type DeadlineOptions, type DiskScheduler } from './scheduler.js';
import { type DiskModel } from './service.js';
import { Vbd, type VbdConfig, type VbdTranslation } from './vbd.js';

export const BlockStatus = {
  pending: 'pending',
  ok: 'ok',
  outOfRange: 'outOfRange',
  permission: 'permission',
  badRequest: 'badRequest',
} as const;
export type BlockStatus = (typeof BlockStatus)[keyof typeof BlockStatus];

export const BLKBACK_DEFAULTS = {
  ringEntries: HYPERVISOR.blockRingEntries.value,
  maxSegments: HYPERVISOR.blockSegmentsPerRequest.value,
  perTurn: HYPERVISOR.blockPerDomainTurn.value,
  maxInFlight: HYPERVISOR.blockInFlightMax.value,
  /** Xen 1.0: refill when fewer than 32 are pending (calibration.md "block scheduling"). */
  refillBelow: 32,
  requestCpuNs: DISK_MODEL.backendRequestCpuNs.value,
  requestBytes: DISK_MODEL.backendRequestBytes.value,
  /** A segment is one 4 KB page = 8 sectors of 512 bytes. */
  sectorsPerSegment: 8,
} as const;

/** One block request; the back end fills in the lower fields and returns it as the response. */
export class BlockRequest {
  id = 0;
  /** Set by the back end: the domain whose ring carried it. */
  domain = 0;
  /** Physical disk and sector (set by the back end after translation). */
  disk = -1;
  sector = -1;
  status: BlockStatus = BlockStatus.pending;
  submittedAtNs = 0;
  queuedAtNs = 0;
  issuedAtNs = 0;
  completedAtNs = 0;
  /**
   * The response's receiver when several clients share one front end (a workload and the guest's swap
   * device, memory/vbd-swap.ts): the front end calls it instead of its own onResponse. Null: onResponse.
   */
  onDone: ((r: BlockRequest) => void) | null = null;

  constructor(
    public vbd: number,
    public vsector: number,
    public sectors: number,
    public write: boolean,
    public barrier = false,
    public segments = Math.ceil(sectors / BLKBACK_DEFAULTS.sectorsPerSegment),
    /** Free for the front end (e.g. the workload's transaction). */
    public tag: unknown = null,
  ) {}
}

export interface BlockBackendOptions {
  /** Disk service models (one per physical disk; VBD extents name them by index). */
  readonly disks: readonly DiskModel[];
  readonly scheduler?: DiskSchedulerKind;
  readonly deadline?: DeadlineOptions;
  readonly host?: Host | null;
  /** Route ring notifications through event channels (connectBackendRing); null = direct callbacks. */
  readonly channels?: EventChannels | null;
  readonly ringEntries?: number;
  readonly maxSegments?: number;
  readonly perTurn?: number;
  readonly maxInFlight?: number;
  readonly refillBelow?: number;
  /** Back-end CPU per request, ns (charged per turn's batch; needs a host). */
  readonly requestCpuNs?: number;
  /** Bytes the back end touches per request (hypervisor placement: pollution of its PCPU's caches). */
  readonly requestBytes?: number;
}

/** A domain's front end: its ring, VBDs and counters. */
export class BlockFront {
  readonly ring: IoRing<BlockRequest, BlockRequest>;
  readonly vbds: Vbd[] = [];
  /** Called for every response (status ok or an error). */
  onResponse: ((r: BlockRequest) => void) | null = null;
  submitted = 0;
  answered = 0;
  /** Taken off the ring by the back end. */
  taken = 0;
  /** @internal in the back end's round-robin list */
  inRr = false;
  private nextId = 1;

  constructor(
    private readonly sim: Simulation,
    readonly domainId: number,
    ringEntries: number,
  ) {
    this.ring = new IoRing<BlockRequest, BlockRequest>(sim, { name: `blk${domainId}`, sizeEntries: ringEntries });
  }

  /** Submits a request; false (nothing done) when the ring is full: wait with ring.onSpace. */
  submit(r: BlockRequest): boolean {
    if (this.ring.full) return false;
    r.id = this.nextId++;
    r.status = BlockStatus.pending;
    r.submittedAtNs = this.sim.now;
    this.submitted++;
    this.ring.submitRequest(r);
    return true;
  }

  /** @internal drains the responses (on a response notification). */
  drain(): void {
    for (;;) {
      const r = this.ring.takeResponse();
      if (r !== undefined) {
        this.answered++;
        if (r.onDone !== null) r.onDone(r);
        else if (this.onResponse !== null) this.onResponse(r);
        continue;
      }
      if (!this.ring.finalCheckForResponses()) return;
    }
  }
}

interface DiskSlot {
  readonly model: DiskModel;
  readonly sched: DiskScheduler<BlockRequest>;
  busy: number;
  served: number;
  busyNs: number;
}

export class BlockBackend {
  readonly perTurn: number;
  readonly maxInFlight: number;
  readonly refillBelow: number;
  readonly maxSegments: number;
  readonly requestCpuNs: number;
  readonly requestBytes: number;
  readonly ringEntries: number;
  readonly schedulerKind: DiskSchedulerKind;
  private readonly disks: DiskSlot[];
  private readonly fronts: (BlockFront | undefined)[] = [];
  private readonly rr = new Deque<BlockFront>(16);
  private readonly gate: BarrierGate<BlockRequest>;
  private readonly host: Host | null;
  private readonly channels: EventChannels | null;
  private readonly tr: VbdTranslation = { disk: 0, sector: 0 };
  private refilling = false;
  // counters
  taken = 0;
  completed = 0;
  inFlight = 0;
  turns = 0;
  readonly errors: Record<'outOfRange' | 'permission' | 'badRequest', number> = {
    outOfRange: 0,
    permission: 0,
    badRequest: 0,
  };
  /** (request) at completion, status ok, before the response goes on the ring: for latency measures. */
  onComplete: ((r: BlockRequest) => void) | null = null;

  constructor(
    private readonly sim: Simulation,
    options: BlockBackendOptions,
  ) {
    const where = 'BlockBackend';
    const d = BLKBACK_DEFAULTS;
    this.ringEntries = checkInt(where, 'ringEntries', options.ringEntries ?? d.ringEntries, 1, 1 << 20);
    this.maxSegments = checkInt(where, 'maxSegments', options.maxSegments ?? d.maxSegments, 1, 1024);
    this.perTurn = checkInt(where, 'perTurn', options.perTurn ?? d.perTurn, 1, 1 << 20);
    this.maxInFlight = checkInt(where, 'maxInFlight', options.maxInFlight ?? d.maxInFlight, 1, 1 << 20);
    this.refillBelow = checkInt(where, 'refillBelow', options.refillBelow ?? d.refillBelow, 1, this.maxInFlight);
    this.requestCpuNs = checkInt(where, 'requestCpuNs', options.requestCpuNs ?? d.requestCpuNs, 0);
    this.requestBytes = checkNumber(where, 'requestBytes', options.requestBytes ?? d.requestBytes, 0, 1e12);
    this.schedulerKind = options.scheduler ?? DiskSchedulerKind.clook;
    if (!Array.isArray(options.disks) || options.disks.length === 0)
      throw new RangeError(`${where}: disks must be a non-empty array of DiskModel, got ${String(options.disks)}`);
    this.disks = options.disks.map((model) => ({
      model,
      sched: createDiskScheduler<BlockRequest>(this.schedulerKind, options.deadline),
      busy: 0,
      served: 0,
      busyNs: 0,
    }));
    this.host = options.host ?? null;
    this.channels = options.channels ?? null;
    if (this.channels !== null && this.host === null)
      throw new RangeError(`${where}: channels need a host (for the back end's placement)`);
    this.gate = new BarrierGate<BlockRequest>((r) => (this.disks[r.disk] as DiskSlot).sched.add(r));
    if (this.host !== null) {
      // VBDs attached through the control plane before this back end existed attach now, in order
      for (const d of this.host.domains)
        for (const dev of d.devices) if (dev.kind === 'vbd') this.addVbd(d.id, dev.config as unknown as VbdConfig);
      this.host.control.onDeviceAttached.add((domainId, kind, config) => {
        if (kind === 'vbd') this.addVbd(domainId, config as unknown as VbdConfig);
      });
    }
  }

  /** The front end of `domain` (created, with its ring connected, at the first call). */
  front(domain: EvtchnDomain | number): BlockFront {
    const id = typeof domain === 'number' ? domain : domain.id;
    const existing = this.fronts[id];
    if (existing !== undefined) return existing;
    const f = new BlockFront(this.sim, id, this.ringEntries);
    this.fronts[id] = f;
    if (this.channels !== null && this.host !== null) {
      const dom = typeof domain === 'number' ? this.host.domain(domain) : domain;
      const conn = connectBackendRing(f.ring, this.channels, this.host, dom, () => this.onRequests(f));
      this.channels.onEvent(dom, conn.guestPort, () => f.drain());
    } else {
      f.ring.notifier = (direction) => {
        if (direction === RingDirection.requests) this.onRequests(f);
        else f.drain();
      };
    }
    return f;
  }

  /** Attaches a VBD to a domain; returns its index (the `vbd` field of requests). */
  addVbd(domainId: number, config: VbdConfig): number {
    const v = new Vbd(config, 'BlockBackend.addVbd');
    for (const e of v.extents) {
      const disk = this.disks[e.disk];
      if (disk === undefined)
        throw new RangeError(
          `BlockBackend.addVbd: extents disk must be in [0, ${this.disks.length - 1}], got ${e.disk}`,
        );
      if (e.startSector + e.lengthSectors > disk.model.params.capacitySectors) {
        throw new RangeError(
          `BlockBackend.addVbd: extent [${e.startSector}, +${e.lengthSectors}) must lie on disk ${e.disk} (${disk.model.params.capacitySectors} sectors)`,
        );
      }
    }
    const f = this.front(domainId);
    f.vbds.push(v);
    return f.vbds.length - 1;
  }

  get errorCount(): number {
    return this.errors.outOfRange + this.errors.permission + this.errors.badRequest;
  }

  /** Disk statistics: requests served and busy time (ns of service started so far). */
  diskStats(i: number): { served: number; busyNs: number; queued: number } {
    const d = this.disks[i];
    if (d === undefined)
      throw new RangeError(`BlockBackend.diskStats: disk must be in [0, ${this.disks.length - 1}], got ${i}`);
    return { served: d.served, busyNs: d.busyNs, queued: d.sched.size };
  }

  diskModel(i: number): DiskModel {
    return (this.disks[i] as DiskSlot).model;
  }

  /** Throws InvariantError unless requests are conserved (header). */
  checkConservation(): void {
    const fail = (m: string): never => {
      throw new InvariantError('blkback', m, this.sim.now);
    };
    if (this.taken !== this.completed + this.errorCount + this.inFlight)
      fail(
        `taken ${this.taken} ≠ completed ${this.completed} + errors ${this.errorCount} + in flight ${this.inFlight}`,
      );
    let submitted = 0;
    let answered = 0;
    let onRings = 0;
    for (const f of this.fronts) {
      if (f === undefined) continue;
      submitted += f.submitted;
      answered += f.answered + f.ring.unconsumedResponses;
      onRings += f.ring.unconsumedRequests;
      if (f.submitted !== f.taken + f.ring.unconsumedRequests)
        fail(
          `domain ${f.domainId}: submitted ${f.submitted} ≠ taken ${f.taken} + on ring ${f.ring.unconsumedRequests}`,
        );
    }
    if (submitted !== answered + onRings + this.inFlight)
      fail(`submitted ${submitted} ≠ answered ${answered} + on rings ${onRings} + in flight ${this.inFlight}`);
    if (this.inFlight > this.maxInFlight) fail(`in flight ${this.inFlight} > ${this.maxInFlight}`);
  }

  private onRequests(f: BlockFront): void {
    if (!f.inRr) {
      f.inRr = true;
      this.rr.push(f);
    }
    this.refill();
  }

  private refill(): void {
    if (this.refilling || this.inFlight >= this.refillBelow) return;
    this.refilling = true;
    while (this.inFlight < this.maxInFlight && this.rr.length > 0) {
      const f = this.rr.shift() as BlockFront;
      f.inRr = false;
      let batch: BlockRequest[] | null = null;
      let n = 0;
      while (n < this.perTurn && this.inFlight < this.maxInFlight) {
        const r = f.ring.takeRequest();
        if (r === undefined) {
          if (f.ring.finalCheckForRequests()) continue;
          break;
        }
        r.domain = f.domainId;
        f.taken++;
        this.taken++;
        this.inFlight++;
        n++;
        if (this.host === null || this.requestCpuNs === 0) this.process(r);
        else (batch ??= []).push(r);
      }
      // more on the ring, or (final check) some arrived meanwhile: another turn; else the ring is re-armed
      if (!f.inRr && (f.ring.unconsumedRequests > 0 || f.ring.finalCheckForRequests())) {
        f.inRr = true;
        this.rr.push(f);
      }
      if (n > 0) this.turns++;
      if (batch !== null) {
        const b = batch;
        const work = { tag: 'blkback', bytesTouched: this.requestBytes * b.length };
        (this.host as Host).backendWork(this.requestCpuNs * b.length, work).addCallback(() => {
          for (const r of b) this.process(r);
          this.dispatchAll();
        });
      }
    }
    this.refilling = false;
    this.dispatchAll();
  }

  private process(r: BlockRequest): void {
    const f = this.fronts[r.domain] as BlockFront;
    const vbd = f.vbds[r.vbd];
    if (
      vbd === undefined ||
      !(r.segments >= 1 && r.segments <= this.maxSegments) ||
      r.sectors > r.segments * BLKBACK_DEFAULTS.sectorsPerSegment
    ) {
      this.fail(f, r, BlockStatus.badRequest);
      return;
    }
    const err = vbd.translate(r.vsector, r.sectors, r.write, this.tr);
    if (err !== null) {
      this.fail(f, r, err);
      return;
    }
    r.disk = this.tr.disk;
    r.sector = this.tr.sector;
    r.queuedAtNs = this.sim.now;
    this.gate.submit(r);
  }

  private fail(f: BlockFront, r: BlockRequest, status: 'outOfRange' | 'permission' | 'badRequest'): void {
    r.status = status;
    this.errors[status]++;
    this.inFlight--;
    r.completedAtNs = this.sim.now;
    f.ring.submitResponse(r);
  }

  private dispatchAll(): void {
    for (let i = 0; i < this.disks.length; i++) this.dispatch(this.disks[i] as DiskSlot);
  }

  private dispatch(d: DiskSlot): void {
    while (d.busy < d.model.channels) {
      const r = d.sched.take(this.sim.now);
      if (r === undefined) return;
      d.busy++;
      r.issuedAtNs = this.sim.now;
      const t = d.model.serviceNs(r.sector, r.sectors, r.write, this.sim.now);
      d.busyNs += t;
      this.sim.schedule(t, this.diskDone, r);
    }
  }

  private readonly diskDone = (r: BlockRequest): void => {
    const d = this.disks[r.disk] as DiskSlot;
    d.busy--;
    d.served++;
    r.status = BlockStatus.ok;
    r.completedAtNs = this.sim.now;
    this.completed++;
    this.inFlight--;
    this.gate.complete(r);
    if (this.onComplete !== null) this.onComplete(r);
    (this.fronts[r.domain] as BlockFront).ring.submitResponse(r);
    this.dispatchAll();
    this.refill();
  };
}

// Disk request schedulers: which queued request goes to the disk next. Plain objects with no engine
// state, so one can sit in the hypervisor's block layer (blkback.ts) or in a guest's block layer.
//
//   fifo      arrival order.
//   clook     elevator, C-LOOK: the request with the lowest start sector at or after the head's sector
//             (the end of the last request taken); when none is left ahead, wrap to the lowest sector.
//   sstf      shortest seek (here: sector distance) first from the head's sector.
//   deadline  C-LOOK, except that when the oldest read has waited readExpireNs or the oldest write
//             writeExpireNs, the oldest expired request (reads before writes) goes first. A simplified
//             Linux 2.6 deadline scheduler (block/deadline-iosched.c): its expiry times (500 ms read,
//             5 s write, calibration.ts DISK_MODEL), without its batching (fifo_batch) or read bias.
//   linus     the Linux 2.4 elevator (drivers/block/elevator.c, elevator_linus_merge; Xen 1.0's block
//             layer is Linux 2.4's, and so is native Linux 2.4's): the queue is kept in dispatch order;
//             a new request is put where it fits the one-way (C-LOOK) order — scanning back from the
//             tail for a request it lies after and before that request's successor, else at the tail —
//             but never in front of a request whose passover budget is used up; every request it is put
//             in front of loses ELV_LINUS_SEEK_COST (1) of its budget (read 128, write 512 passovers).
//             So a request waits for at most its budget of later arrivals: a sequential stream just
//             ahead of the head cannot starve it. Constants: Linux 2.4.22 include/linux/elevator.h
//             (ELEVATOR_LINUS, after the 2003 io-stalls change; 2.4.21 had 2048/8192 at a seek cost of
//             16, also 128 seeky passovers for a read). Merging of adjacent requests is not modelled.
// Ties (equal sectors or distances) go to the earlier arrival (insertion order), so every order is
// deterministic. The queue is an array scanned linearly (block queues hold ≤ 64 requests in the
// hypervisor); no allocation per request. Reorder barriers are not the scheduler's business: the
// barrier gate (barrier.ts) admits a request to the scheduler only when it may be issued.
// Units: sectors, ns. Source of the algorithms: the textbook elevators (C-LOOK, SSTF) and Linux 2.6.
import { DISK_MODEL } from '../calibration.js';
import { checkInt, rangeFail } from '../validate.js';

/** What a scheduler needs of a request. */
export interface SchedRequest {
  /** Start sector on the physical disk. */
  readonly sector: number;
  readonly sectors: number;
  readonly write: boolean;
  /** When it entered the scheduler, ns. */
  readonly queuedAtNs: number;
}

export const DiskSchedulerKind = {
  fifo: 'fifo',
  clook: 'clook',
  sstf: 'sstf',
  deadline: 'deadline',
  linus: 'linus',
} as const;
export type DiskSchedulerKind = (typeof DiskSchedulerKind)[keyof typeof DiskSchedulerKind];

export interface DiskScheduler<R extends SchedRequest> {
  readonly kind: DiskSchedulerKind;
  readonly size: number;
  /** The sector the head will be at: the end of the last request taken (starts at 0). */
  readonly headSector: number;
  add(request: R): void;
  /** Removes and returns the next request to issue, or undefined when empty. */
  take(nowNs: number): R | undefined;
}

abstract class ArrayScheduler<R extends SchedRequest> implements DiskScheduler<R> {
  abstract readonly kind: DiskSchedulerKind;
  protected readonly queue: R[] = [];
  headSector = 0;

  get size(): number {
    return this.queue.length;
  }

  add(request: R): void {
    this.queue.push(request);
  }

  /** Index of the next request; queue is not empty. */
  protected abstract pick(nowNs: number): number;

  take(nowNs: number): R | undefined {
    const q = this.queue;
    if (q.length === 0) return undefined;
    const i = this.pick(nowNs);
    const r = q[i] as R;
    for (let j = i + 1; j < q.length; j++) q[j - 1] = q[j] as R;
    q.length--;
    this.headSector = r.sector + r.sectors;
    return r;
  }
}

export class FifoScheduler<R extends SchedRequest> extends ArrayScheduler<R> {
  readonly kind = DiskSchedulerKind.fifo;
  protected pick(): number {
    return 0;
  }
}

/** C-LOOK index over the whole queue. */
function clookIndex(q: readonly SchedRequest[], head: number): number {
  let ahead = -1;
  let aheadSector = Infinity;
  let low = 0;
  let lowSector = Infinity;
  for (let i = 0; i < q.length; i++) {
    const s = (q[i] as SchedRequest).sector;
    if (s >= head && s < aheadSector) {
      ahead = i;
      aheadSector = s;
    }
    if (s < lowSector) {
      low = i;
      lowSector = s;
    }
  }
  return ahead >= 0 ? ahead : low;
}

export class ClookScheduler<R extends SchedRequest> extends ArrayScheduler<R> {
  readonly kind = DiskSchedulerKind.clook;
  protected pick(): number {
    return clookIndex(this.queue, this.headSector);
  }
}

export class SstfScheduler<R extends SchedRequest> extends ArrayScheduler<R> {
  readonly kind = DiskSchedulerKind.sstf;
  protected pick(): number {
    const q = this.queue;
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < q.length; i++) {
      const d = Math.abs((q[i] as SchedRequest).sector - this.headSector);
      if (d < bestD) {
        best = i;
        bestD = d;
      }
    }
    return best;
  }
}

export interface DeadlineOptions {
  readonly readExpireNs?: number;
  readonly writeExpireNs?: number;
}

export class DeadlineScheduler<R extends SchedRequest> extends ArrayScheduler<R> {
  readonly kind = DiskSchedulerKind.deadline;
  readonly readExpireNs: number;
  readonly writeExpireNs: number;

  constructor(options: DeadlineOptions = {}) {
    super();
    this.readExpireNs = checkInt(
      'DeadlineScheduler',
      'readExpireNs',
      options.readExpireNs ?? DISK_MODEL.deadlineReadExpireNs.value,
      0,
    );
    this.writeExpireNs = checkInt(
      'DeadlineScheduler',
      'writeExpireNs',
      options.writeExpireNs ?? DISK_MODEL.deadlineWriteExpireNs.value,
      0,
    );
  }

  protected pick(nowNs: number): number {
    const q = this.queue;
    // the queue is in arrival order: the first read (write) found is the oldest
    let oldestRead = -1;
    let oldestWrite = -1;
    for (let i = 0; i < q.length && (oldestRead < 0 || oldestWrite < 0); i++) {
      if ((q[i] as SchedRequest).write) {
        if (oldestWrite < 0) oldestWrite = i;
      } else if (oldestRead < 0) oldestRead = i;
    }
    if (oldestRead >= 0 && nowNs - (q[oldestRead] as SchedRequest).queuedAtNs >= this.readExpireNs) return oldestRead;
    if (oldestWrite >= 0 && nowNs - (q[oldestWrite] as SchedRequest).queuedAtNs >= this.writeExpireNs)
      return oldestWrite;
    return clookIndex(q, this.headSector);
  }
}

/** Linux 2.4.22 include/linux/elevator.h: ELEVATOR_LINUS passovers and ELV_LINUS_SEEK_COST. */
export const LINUS_ELEVATOR = { readPassovers: 128, writePassovers: 512, seekCost: 1 } as const;

export interface LinusOptions {
  readonly readPassovers?: number;
  readonly writePassovers?: number;
}

/** The Linux 2.4 elevator (header): insertion by one-way order with a passover budget per request. */
export class LinusScheduler<R extends SchedRequest> implements DiskScheduler<R> {
  readonly kind = DiskSchedulerKind.linus;
  readonly readPassovers: number;
  readonly writePassovers: number;
  headSector = 0;
  private readonly queue: R[] = [];
  /** Passovers left per queued request (parallel to queue). */
  private readonly budget: number[] = [];

  constructor(options: LinusOptions = {}) {
    const w = 'LinusScheduler';
    this.readPassovers = checkInt(w, 'readPassovers', options.readPassovers ?? LINUS_ELEVATOR.readPassovers, 0);
    this.writePassovers = checkInt(w, 'writePassovers', options.writePassovers ?? LINUS_ELEVATOR.writePassovers, 0);
  }

  get size(): number {
    return this.queue.length;
  }

  /** The passovers left of the queued requests, in dispatch order (for tests). */
  budgets(): readonly number[] {
    return this.budget;
  }

  add(request: R): void {
    const q = this.queue;
    const b = this.budget;
    const s = request.sector;
    let at = q.length;
    // scan back from the tail; i = −1 stands for the head (the end of the last request taken)
    for (let i = q.length - 1; i >= -1; i--) {
      if (i >= 0 && (b[i] as number) <= 0) break; // nothing goes in front of an exhausted request
      if (i === q.length - 1) continue; // after the tail is the default
      const prev = i >= 0 ? (q[i] as R).sector : this.headSector - 1;
      if (inBetween(s, prev, (q[i + 1] as R).sector)) {
        at = i + 1;
        break;
      }
    }
    for (let j = q.length; j > at; j--) {
      q[j] = q[j - 1] as R;
      b[j] = (b[j - 1] as number) - LINUS_ELEVATOR.seekCost;
    }
    q[at] = request;
    b[at] = request.write ? this.writePassovers : this.readPassovers;
  }

  take(): R | undefined {
    const q = this.queue;
    const b = this.budget;
    if (q.length === 0) return undefined;
    const r = q[0] as R;
    for (let j = 1; j < q.length; j++) {
      q[j - 1] = q[j] as R;
      b[j - 1] = b[j] as number;
    }
    q.length--;
    b.length--;
    this.headSector = r.sector + r.sectors;
    return r;
  }
}

/** Linux 2.4 bh_rq_in_between: does sector s fit after `prev` and before `next` in one-way order? */
function inBetween(s: number, prev: number, next: number): boolean {
  if (s > prev && s < next) return true;
  if (next > prev) return false;
  return s > prev || s < next;
}

/** A scheduler by kind. */
export function createDiskScheduler<R extends SchedRequest>(
  kind: DiskSchedulerKind,
  deadline: DeadlineOptions = {},
): DiskScheduler<R> {
  switch (kind) {
    case DiskSchedulerKind.fifo:
      return new FifoScheduler<R>();
    case DiskSchedulerKind.clook:
      return new ClookScheduler<R>();
    case DiskSchedulerKind.sstf:
      return new SstfScheduler<R>();
    case DiskSchedulerKind.deadline:
      return new DeadlineScheduler<R>(deadline);
    case DiskSchedulerKind.linus:
      return new LinusScheduler<R>();
    default:
      return rangeFail('createDiskScheduler', 'kind', Object.values(DiskSchedulerKind).join(', '), kind);
  }
}

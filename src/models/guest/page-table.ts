// Page-table updates of a guest kernel, by profile (operations.ts PtMode):
//   queued    (xen): updates are queued in the guest and applied — validated by the hypervisor — in one
//                    mmu_update hypercall per flush. A flush happens when the queue holds `batch`
//                    updates (1 … 2048; Xen 1.0 XenoLinux's queue holds 2048), and before anything that
//                    depends on them: a TLB flush, a page fault's return, a return to user mode. A flush
//                    costs flushNs (the hypercall) + updateNs per update it applies.
//   trap (full-virt): every write to a page table traps into the VMM, which validates it and updates
//                    its shadow page table: updateNs per update, applied at once.
//   host-call (hosted): every update is a host system call (mmap / munmap / mprotect): updateNs each.
//   direct   (native): the kernel writes the entry; applied at once, no extra cost (its cost is part
//                    of the operation's kernel work, guest/profile-fit.ts).
// Every update is applied exactly once, in the order issued, before anything that depends on it
// (test/models/guest/page-table.test.ts checks this with fast-check). The queue records the applied
// order only when asked (`record`), for the tests; otherwise it keeps counters.
// Units: ns; counts.
import { checkInt, checkNumber, checkOneOf } from '../validate.js';
import { PtMode } from './operations.js';

/** What forces a flush of the queued updates. */
export const FlushReason = {
  batchFull: 'batch-full',
  tlbFlush: 'tlb-flush',
  pageFault: 'page-fault',
  returnToUser: 'return-to-user',
} as const;
export type FlushReason = (typeof FlushReason)[keyof typeof FlushReason];

export interface PageTableOptions {
  readonly mode: PtMode;
  /** Updates per flush at most (queued mode), 1 … 2048. */
  readonly batch: number;
  /** Cost of one update (validation, trap or host call), ns, ≥ 0. */
  readonly updateNs: number;
  /** Cost of one flush hypercall (queued mode), ns, ≥ 0. */
  readonly flushNs: number;
  /** Keep the order in which updates were applied (tests). Default false. */
  readonly record?: boolean;
}

export const MAX_PT_BATCH = 2048;

export class PageTableQueue {
  readonly mode: PtMode;
  readonly batch: number;
  readonly updateNs: number;
  readonly flushNs: number;
  /** Updates issued so far (their sequence numbers are 0 … issued − 1). */
  issued = 0;
  /** Updates applied so far (always a prefix of the issued ones, in order). */
  applied = 0;
  /** Flush hypercalls made (queued mode). */
  flushes = 0;
  /** Updates that trapped or were host calls one by one (trap / host-call modes). */
  singles = 0;
  /** CPU time charged so far, ns. */
  costNs = 0;
  /** Applied sequence numbers in order, when recording. */
  readonly log: number[] | null;

  constructor(options: PageTableOptions) {
    const where = 'PageTableQueue';
    this.mode = checkOneOf(where, 'mode', options.mode, PtMode);
    this.batch = checkInt(where, 'batch', options.batch, 1, MAX_PT_BATCH);
    this.updateNs = checkNumber(where, 'updateNs', options.updateNs, 0, 1e9);
    this.flushNs = checkNumber(where, 'flushNs', options.flushNs, 0, 1e9);
    this.log = options.record === true ? [] : null;
  }

  /** Updates issued but not yet applied. */
  get pending(): number {
    return this.issued - this.applied;
  }

  /** Issues `count` updates; returns the CPU time they cost now, ns (flushes of full batches included). */
  update(count = 1): number {
    checkInt('PageTableQueue.update', 'count', count, 0);
    let ns = 0;
    if (this.mode === PtMode.queued) {
      let left = count;
      while (left > 0) {
        const room = this.batch - this.pending;
        const k = Math.min(room, left);
        this.issued += k;
        left -= k;
        if (this.pending === this.batch) ns += this.flush(FlushReason.batchFull);
      }
    } else {
      const from = this.issued;
      this.issued += count;
      this.apply(from, count);
      if (this.mode !== PtMode.direct) {
        this.singles += count;
        ns = count * this.updateNs;
      }
    }
    this.costNs += ns;
    return ns;
  }

  /**
   * A point that depends on the queued updates (a TLB flush, a page fault's return, a return to user
   * mode): applies every pending update first. Returns the CPU time, ns (0 when nothing is pending).
   */
  flush(_reason: FlushReason): number {
    const n = this.pending;
    if (n === 0) return 0;
    this.apply(this.applied, n);
    this.flushes++;
    const ns = this.flushNs + n * this.updateNs;
    if (_reason !== FlushReason.batchFull) this.costNs += ns;
    return ns;
  }

  private apply(from: number, count: number): void {
    if (this.log !== null) for (let i = 0; i < count; i++) this.log.push(from + i);
    this.applied = from + count;
  }
}

// Machine memory in pages (4 KB, calibration MACHINE.pageBytes): the hypervisor's own allocation, the
// free pool (Xen's heap of unallocated machine frames) and each domain's allocation, with a per-domain
// ceiling (Xen's max_pages: an increase_reservation beyond it fails).
//
// Page conservation, exact in integers and checked after every change:
//   machine = free + Σ domains + hypervisor
// A violation throws InvariantError('memory', …, now). Moves that cannot be made (not enough free
// pages, past a ceiling, more than a domain holds) throw RangeError naming the field and value and
// change nothing; callers that want a partial move ask `grantable` / hold `pages` first.
//
// The hypervisor allocation is `hypervisorPages` at start plus `perDomainStatePages` taken from the
// free pool for each domain while it lives (the paper: about 20 kB of hypervisor state per domain,
// calibration MEMORY.perDomainStatePages). Domains are kept in creation order (a Map keyed by id,
// iterated in insertion order: deterministic). Units: pages.
import { InvariantError, type Simulation } from '../../sim/index.js';
import { checkInt, rangeFail } from '../validate.js';

/** One domain's share of machine memory. */
export interface DomainMemory {
  readonly domainId: number;
  readonly name: string;
  /** Pages allocated at creation (the reservation). */
  readonly reservationPages: number;
  /** The most the domain may hold (Xen max_pages). */
  readonly ceilingPages: number;
  /** Pages the domain holds now. */
  readonly pages: number;
}

interface MutableDomainMemory {
  domainId: number;
  name: string;
  reservationPages: number;
  ceilingPages: number;
  pages: number;
}

export interface MachineMemoryOptions {
  /** Machine memory, pages (≥ 1). */
  readonly totalPages: number;
  /** The hypervisor's own allocation at start, pages. */
  readonly hypervisorPages: number;
  /** Hypervisor state per live domain, pages (taken from the free pool at creation, returned at destruction). */
  readonly perDomainStatePages: number;
}

export class MachineMemory {
  readonly totalPages: number;
  readonly perDomainStatePages: number;
  private freeCount: number;
  private hvPages: number;
  private readonly doms = new Map<number, MutableDomainMemory>();
  /** Callbacks run (in registration order) when pages return to the free pool. */
  private readonly releaseListeners: ((now: number) => void)[] = [];
  /** Changes made (each checked): for tests. */
  changes = 0;

  constructor(
    private readonly sim: Simulation,
    options: MachineMemoryOptions,
  ) {
    const where = 'MachineMemory';
    this.totalPages = checkInt(where, 'totalPages', options.totalPages, 1);
    const hv = checkInt(where, 'hypervisorPages', options.hypervisorPages, 0, this.totalPages);
    this.perDomainStatePages = checkInt(where, 'perDomainStatePages', options.perDomainStatePages, 0, this.totalPages);
    this.hvPages = hv;
    this.freeCount = this.totalPages - hv;
    this.check();
  }

  get freePages(): number {
    return this.freeCount;
  }

  get hypervisorPages(): number {
    return this.hvPages;
  }

  /** Σ pages held by the live domains. */
  get domainPages(): number {
    let s = 0;
    for (const d of this.doms.values()) s += d.pages;
    return s;
  }

  has(domainId: number): boolean {
    return this.doms.has(domainId);
  }

  /** The domain's memory record (live view); throws RangeError if the domain has none. */
  of(domainId: number): DomainMemory {
    return this.get('MachineMemory.of', domainId);
  }

  get domains(): readonly DomainMemory[] {
    return [...this.doms.values()];
  }

  /**
   * Gives a new domain its reservation and takes its hypervisor state from the free pool. Throws
   * RangeError (changing nothing) if the pages are not free or the reservation exceeds the ceiling.
   */
  addDomain(domainId: number, name: string, reservationPages: number, ceilingPages: number): DomainMemory {
    const where = 'MachineMemory.addDomain';
    if (this.doms.has(domainId)) rangeFail(where, 'domainId', 'a domain without memory yet', domainId);
    checkInt(where, 'ceilingPages', ceilingPages, 0, this.totalPages);
    checkInt(where, 'reservationPages', reservationPages, 0, ceilingPages);
    const need = reservationPages + this.perDomainStatePages;
    if (need > this.freeCount) {
      rangeFail(
        where,
        'reservationPages',
        `at most ${Math.max(0, this.freeCount - this.perDomainStatePages)} (free pages ${this.freeCount} minus ${this.perDomainStatePages} of hypervisor state) for domain ${name}`,
        reservationPages,
      );
    }
    const d: MutableDomainMemory = { domainId, name, reservationPages, ceilingPages, pages: reservationPages };
    this.doms.set(domainId, d);
    this.freeCount -= need;
    this.hvPages += this.perDomainStatePages;
    this.changed();
    return d;
  }

  /** A destroyed domain's pages and its hypervisor state return to the free pool. */
  removeDomain(domainId: number): void {
    const d = this.get('MachineMemory.removeDomain', domainId);
    this.doms.delete(domainId);
    this.freeCount += d.pages + this.perDomainStatePages;
    this.hvPages -= this.perDomainStatePages;
    this.changed();
    this.released();
  }

  /** Pages the domain could be given now: min(free, ceiling − pages). */
  grantable(domainId: number): number {
    const d = this.get('MachineMemory.grantable', domainId);
    return Math.min(this.freeCount, d.ceilingPages - d.pages);
  }

  /** Free pool → domain (Xen increase_reservation). */
  grant(domainId: number, pages: number): void {
    const where = 'MachineMemory.grant';
    const d = this.get(where, domainId);
    checkInt(where, 'pages', pages, 0, Math.min(this.freeCount, d.ceilingPages - d.pages));
    d.pages += pages;
    this.freeCount -= pages;
    this.changed();
  }

  /** Domain → free pool (Xen decrease_reservation). */
  release(domainId: number, pages: number): void {
    const where = 'MachineMemory.release';
    const d = this.get(where, domainId);
    checkInt(where, 'pages', pages, 0, d.pages);
    d.pages -= pages;
    this.freeCount += pages;
    this.changed();
    if (pages > 0) this.released();
  }

  /** Registers `fn(now)`, called after pages return to the free pool (e.g. a blocked balloon retries). */
  onRelease(fn: (now: number) => void): void {
    this.releaseListeners.push(fn);
  }

  /** Checks page conservation and each domain's bounds; throws InvariantError('memory', …) otherwise. */
  check(): void {
    let sum = 0;
    for (const d of this.doms.values()) {
      if (!(Number.isSafeInteger(d.pages) && d.pages >= 0 && d.pages <= d.ceilingPages)) {
        throw new InvariantError(
          'memory',
          `domain ${d.name} holds ${d.pages} pages (ceiling ${d.ceilingPages})`,
          this.sim.now,
        );
      }
      sum += d.pages;
    }
    if (!(this.freeCount >= 0 && this.hvPages >= 0 && this.freeCount + sum + this.hvPages === this.totalPages)) {
      throw new InvariantError(
        'memory',
        `page conservation: machine ${this.totalPages} ≠ free ${this.freeCount} + domains ${sum} + hypervisor ${this.hvPages}`,
        this.sim.now,
      );
    }
  }

  private changed(): void {
    this.changes++;
    this.check();
  }

  private released(): void {
    const now = this.sim.now;
    for (const fn of this.releaseListeners) fn(now);
  }

  private get(where: string, domainId: number): MutableDomainMemory {
    const d = this.doms.get(domainId);
    if (d === undefined)
      rangeFail(where, 'domainId', `a domain with memory (${[...this.doms.keys()].join(', ')})`, domainId);
    return d;
  }

  /** @internal tests only: corrupts the free count to show that check() catches it. */
  _corruptForTest(deltaPages: number): void {
    this.freeCount += deltaPages;
  }
}

// Guest paging: a domain whose memory falls below its working set pays page faults, which cost guest
// CPU and become swap reads (and writes of dirty victims) on its SwapDevice.
//
// Model (the independent reference model with uniform references over the working set; Coffman and
// Denning, "Operating Systems Theory", 1973, ch. 6; the working set after Denning, CACM 1968):
//   the guest holds M pages, of which kernelPages K are not pageable (kernel image, page tables,
//   pinned buffers); the pageable resident set is R = max(0, M − K). The workload references W pages
//   (its working set) uniformly; R of them are resident, so a reference misses with probability
//   f = (W − R)/W when R < W, and 0 when R ≥ W: paging appears when M falls below K + W and not before.
// A workload reports `touches` page references; the expected number of faults touches × f is turned
// into whole faults with a running fractional remainder (deterministic, no random stream). Faults are
// served one after another (the faulting thread blocks): each costs faultCpuNs of guest CPU (Table 3,
// Xen "page fault" 2.73 µs), then a one-page swap read; a fraction dirtyFraction of the victims are
// dirty and are first written to swap (the write is queued on the device but the thread waits only for
// its read: writes are asynchronous, as kswapd's). A fault also asks the balloon to grow back to K + W
// (balloon.demand; effective only with autoGrow and free pages, up to the ceiling).
// Defaults: dirtyFraction 0.5 (assumption). Units: pages, ns.
import { Signal } from '../../sim/signal.js';
import { checkInt, checkNumber } from '../validate.js';
import type { Domain } from '../host/domain.js';
import type { SwapDevice } from './swap.js';
import { MEMORY_DEFAULTS } from './defaults.js';

export interface GuestPagingOptions {
  /** Non-pageable guest pages (kernel, page tables, pinned). */
  readonly kernelPages: number;
  /** Initial working set, pages. */
  readonly workingSetPages: number;
  readonly swap: SwapDevice;
  /** CPU per fault, ns. Default 2730 (Table 3 Xen page fault). */
  readonly faultCpuNs?: number;
  /** Fraction of evicted pages that are dirty (written to swap). Default 0.5 (assumption). */
  readonly dirtyFraction?: number;
  /** Ask the balloon to grow back on faults. Default true. */
  readonly growOnFault?: boolean;
}

export const PAGING_DEFAULTS = { dirtyFraction: 0.5 } as const;

export class GuestPaging {
  readonly domain: Domain;
  readonly kernelPages: number;
  readonly faultCpuNs: number;
  readonly dirtyFraction: number;
  readonly growOnFault: boolean;
  readonly swap: SwapDevice;
  /** (domain id, now): every fault, when it is taken. */
  readonly onFault = new Signal<number, number>();
  touches = 0;
  faults = 0;
  swapReads = 0;
  swapWrites = 0;
  faultCpuTotalNs = 0;
  private ws: number;
  private faultCarry = 0;
  private dirtyCarry = 0;

  constructor(domain: Domain, options: GuestPagingOptions) {
    const where = 'GuestPaging';
    this.domain = domain;
    this.kernelPages = checkInt(where, 'kernelPages', options.kernelPages, 0);
    this.ws = checkInt(where, 'workingSetPages', options.workingSetPages, 0);
    this.faultCpuNs = checkInt(where, 'faultCpuNs', options.faultCpuNs ?? MEMORY_DEFAULTS.pageFaultNs, 0);
    this.dirtyFraction = checkNumber(
      where,
      'dirtyFraction',
      options.dirtyFraction ?? PAGING_DEFAULTS.dirtyFraction,
      0,
      1,
    );
    this.growOnFault = options.growOnFault ?? true;
    this.swap = options.swap;
    domain.host.memory.of(domain.id); // throws if the domain has no memory record
  }

  get workingSetPages(): number {
    return this.ws;
  }

  /** A new working set (a phase change, a hog growing or freeing its region). */
  setWorkingSet(pages: number): void {
    this.ws = checkInt('GuestPaging.setWorkingSet', 'pages', pages, 0);
  }

  /** Pages the guest holds now. */
  get memoryPages(): number {
    return this.domain.host.memory.of(this.domain.id).pages;
  }

  /** Pageable resident pages R = max(0, M − K). */
  get residentPages(): number {
    return Math.max(0, this.memoryPages - this.kernelPages);
  }

  /** Probability that a reference faults: (W − R)/W when R < W, else 0. */
  faultFraction(): number {
    const w = this.ws;
    const r = this.residentPages;
    return r >= w || w === 0 ? 0 : (w - r) / w;
  }

  /**
   * The workload makes `touches` page references; `done()` is called once every fault they cause has
   * been served (at once, from the event queue, if none). Faults run on the domain's vCPU `vcpuIndex`.
   */
  access(touches: number, done: () => void, vcpuIndex = 0): void {
    checkInt('GuestPaging.access', 'touches', touches, 0);
    this.touches += touches;
    const exact = touches * this.faultFraction() + this.faultCarry;
    const n = Math.floor(exact);
    this.faultCarry = exact - n;
    const sim = this.domain.host.sim;
    if (n === 0) {
      sim.schedule(0, done);
      return;
    }
    if (this.growOnFault && this.domain.alive)
      this.domain.host.balloons.demand(this.domain.id, this.kernelPages + this.ws);
    let left = n;
    const v = this.domain.vcpus[vcpuIndex];
    if (v === undefined)
      throw new RangeError(
        `GuestPaging.access: vcpuIndex must be an integer in [0, ${this.domain.vcpus.length - 1}], got ${vcpuIndex}`,
      );
    const one = (): void => {
      if (left === 0) {
        done();
        return;
      }
      left--;
      this.faults++;
      this.faultCpuTotalNs += this.faultCpuNs;
      this.onFault.emit(this.domain.id, sim.now);
      v.runThen(this.faultCpuNs, afterFaultCpu, { self: this, next: one }, false, 'page-fault');
    };
    one();
  }

  /** @internal the fault's CPU has run: write a dirty victim (asynchronously), read the page. */
  _afterFaultCpu(next: () => void): void {
    const d = this.dirtyCarry + this.dirtyFraction;
    if (d >= 1) {
      this.dirtyCarry = d - 1;
      this.swapWrites++;
      this.swap.write(1, noop);
    } else this.dirtyCarry = d;
    this.swapReads++;
    this.swap.read(1, next);
  }
}

function noop(): void {}
function afterFaultCpu(a: { readonly self: GuestPaging; readonly next: () => void }): void {
  a.self._afterFaultCpu(a.next);
}

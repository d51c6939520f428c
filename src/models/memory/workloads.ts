// Memory workloads over GuestPaging (paging.ts):
//  - MemoryWorker: a closed loop of work units, each chunkCpuNs of CPU followed by touchesPerUnit page
//    references (faults block the unit); `units` counts completed units (throughput).
//  - MemoryHog (the paper's memory-hog antagonist, §4.4: touches a large region, frees everything on
//    failure and restarts): grows its region chunkPages at a time, each chunk costs chunkPages ×
//    touchNsPerPage of CPU and chunkPages references; its working set is base + region. An allocation
//    fails when the region would exceed what the guest can back: (M − K) + swapPages (resident pageable
//    memory plus swap space: by default the swap device's size, e.g. VbdSwap's slots on the VBD); the
//    hog then frees its region (working set back to base) and restarts.
//  - WorkingSetPhases: a cyclic list of (duration, working set) phases; at each change it sets the
//    paging model's working set and the cache model's (ContextSwitchModel.setWorkingSet, for every vCPU
//    of the domain, bytes = pages × 4096, a new phase number each time: the footprint model refills cold).
// Defaults: touchNsPerPage 1000 ns (assumption: writing one 4 KB page at a few GB/s). Units: pages, ns.
import { checkInt } from '../validate.js';
import type { GuestPaging } from './paging.js';

const PAGE_BYTES = 4096;

export interface MemoryWorkerOptions {
  /** CPU per unit of work, ns. */
  readonly chunkCpuNs: number;
  /** Page references per unit. */
  readonly touchesPerUnit: number;
}

export class MemoryWorker {
  units = 0;
  readonly chunkCpuNs: number;
  readonly touchesPerUnit: number;
  private started = false;

  constructor(
    private readonly paging: GuestPaging,
    options: MemoryWorkerOptions,
  ) {
    this.chunkCpuNs = checkInt('MemoryWorker', 'chunkCpuNs', options.chunkCpuNs, 1);
    this.touchesPerUnit = checkInt('MemoryWorker', 'touchesPerUnit', options.touchesPerUnit, 0);
  }

  start(): void {
    if (this.started) throw new RangeError('MemoryWorker.start: already started');
    this.started = true;
    this.unit();
  }

  private unit(): void {
    const v = this.paging.domain.vcpus[0];
    if (v === undefined || !this.paging.domain.alive) return;
    v.runThen(this.chunkCpuNs, afterChunk, this, false, 'work');
  }

  /** @internal */
  _afterChunk(): void {
    this.paging.access(this.touchesPerUnit, () => {
      this.units++;
      this.unit();
    });
  }
}
function afterChunk(w: MemoryWorker): void {
  w._afterChunk();
}

export interface MemoryHogOptions {
  /** The region the hog tries to touch, pages (the paper: 3 GB of virtual memory). */
  readonly regionPages: number;
  /** Pages allocated and touched per step. */
  readonly chunkPages: number;
  /** Swap space behind the guest, pages. Default: the swap device's size (VbdSwap slots); required otherwise. */
  readonly swapPages?: number;
  /** The guest's working set besides the hog, pages. Default 0. */
  readonly baseWorkingSetPages?: number;
  /** CPU to touch one page, ns. Default 1000 (assumption). */
  readonly touchNsPerPage?: number;
}

export class MemoryHog {
  readonly regionPages: number;
  readonly chunkPages: number;
  readonly swapPages: number;
  readonly basePages: number;
  readonly touchNsPerPage: number;
  /** Pages of the region allocated now. */
  allocatedPages = 0;
  /** Times an allocation failed and the hog freed everything. */
  restarts = 0;
  /** Times the whole region was touched. */
  completions = 0;
  private started = false;

  constructor(
    private readonly paging: GuestPaging,
    options: MemoryHogOptions,
  ) {
    const where = 'MemoryHog';
    this.regionPages = checkInt(where, 'regionPages', options.regionPages, 1);
    this.chunkPages = checkInt(where, 'chunkPages', options.chunkPages, 1, this.regionPages);
    const swapPages = options.swapPages ?? paging.swap.slots;
    if (swapPages === undefined)
      throw new RangeError(`${where}: swapPages must be given (an integer >= 0) when the swap device has no size`);
    this.swapPages = checkInt(where, 'swapPages', swapPages, 0);
    this.basePages = checkInt(where, 'baseWorkingSetPages', options.baseWorkingSetPages ?? 0, 0);
    this.touchNsPerPage = checkInt(where, 'touchNsPerPage', options.touchNsPerPage ?? 1000, 0);
  }

  start(): void {
    if (this.started) throw new RangeError('MemoryHog.start: already started');
    this.started = true;
    this.paging.setWorkingSet(this.basePages);
    this.step();
  }

  private step(): void {
    const d = this.paging.domain;
    const v = d.vcpus[0];
    if (v === undefined || !d.alive) return;
    const want = Math.min(this.regionPages, this.allocatedPages + this.chunkPages);
    const backing = this.paging.residentPages + this.swapPages;
    if (this.basePages + want > backing) {
      // allocation failure: free everything and start again
      this.restarts++;
      this.allocatedPages = 0;
      this.paging.setWorkingSet(this.basePages);
      v.runThen(Math.max(1, this.touchNsPerPage), stepCb, this, false, 'hog');
      return;
    }
    const chunk = want - this.allocatedPages;
    this.allocatedPages = want;
    this.paging.setWorkingSet(this.basePages + want);
    v.runThen(Math.max(1, chunk * this.touchNsPerPage), touchCb, { hog: this, chunk }, false, 'hog');
  }

  /** @internal */
  _touched(chunk: number): void {
    this.paging.access(chunk, () => {
      if (this.allocatedPages === this.regionPages) {
        this.completions++;
        this.allocatedPages = 0; // done with the region: free it and go again
        this.paging.setWorkingSet(this.basePages);
      }
      this.step();
    });
  }

  /** @internal */
  _step(): void {
    this.step();
  }
}
function stepCb(h: MemoryHog): void {
  h._step();
}
function touchCb(a: { readonly hog: MemoryHog; readonly chunk: number }): void {
  a.hog._touched(a.chunk);
}

export interface WorkingSetPhase {
  readonly durationNs: number;
  readonly workingSetPages: number;
}

export class WorkingSetPhases {
  /** Phase changes made so far (the phase number given to the cache model). */
  phaseNumber = 0;
  private index = 0;
  private readonly phases: readonly WorkingSetPhase[];

  constructor(
    private readonly paging: GuestPaging,
    phases: readonly WorkingSetPhase[],
  ) {
    if (!Array.isArray(phases) || phases.length === 0)
      throw new RangeError('WorkingSetPhases: phases must be a non-empty list');
    for (const [i, p] of phases.entries()) {
      checkInt('WorkingSetPhases', `phases[${i}].durationNs`, p.durationNs, 1);
      checkInt('WorkingSetPhases', `phases[${i}].workingSetPages`, p.workingSetPages, 0);
    }
    this.phases = phases.map((p) => ({ ...p }));
  }

  /** Enters phase 0 now and cycles for ever. */
  start(): void {
    this.enter();
  }

  get current(): WorkingSetPhase {
    return this.phases[this.index] as WorkingSetPhase;
  }

  private enter(): void {
    const d = this.paging.domain;
    if (!d.alive) return;
    const p = this.current;
    this.paging.setWorkingSet(p.workingSetPages);
    for (const v of d.vcpus) d.host.contextSwitch.setWorkingSet(v.id, p.workingSetPages * PAGE_BYTES, this.phaseNumber);
    d.host.sim.schedule(p.durationNs, phaseCb, this);
  }

  /** @internal */
  _next(): void {
    this.index = (this.index + 1) % this.phases.length;
    this.phaseNumber++;
    this.enter();
  }
}
function phaseCb(w: WorkingSetPhases): void {
  w._next();
}

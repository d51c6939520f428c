// The balloon driver: one per domain, moving pages between the hypervisor's free pool and the guest
// towards a target set through the control interface (control.setMemoryTarget). Inflating the
// balloon gives guest pages back to the hypervisor (decrease_reservation); deflating takes free pages
// into the guest (increase_reservation), never past the domain's ceiling (Xen max_pages) nor below its
// floor (the least the driver will leave the guest). The effective target is the one asked, clamped to
// [floor, ceiling].
//
// Steps: each step moves min(batchPages, |target − pages|) pages at once (page conservation is checked
// by MachineMemory at the move), charges the guest's vCPU 0 pages × costNsPerPage of CPU (tag
// 'balloon'), and the next step starts when that CPU has been received and at least pages/rate
// seconds after the step began. Growing stops when the free pool is empty and resumes when pages are
// released (any domain's balloon, a destroyed domain).
// Grows back on demand: `demand(id, pages)` (called by the guest's paging model when it faults)
// raises the target to min(pages, ceiling) if autoGrow is on.
// Defaults (memory/defaults.ts, calibration MEMORY): 65 536 pages/s, 2.73 µs per page (Table 3 Xen
// page fault anchor), 1024 pages per step (the Linux driver's frame_list), floor 0 (assumption).
// Units: pages, ns.
import { Signal } from '../../sim/signal.js';
import { checkBool, checkInt } from '../validate.js';
import type { Domain } from '../host/domain.js';
import type { Host } from '../host/host.js';
import { MEMORY_DEFAULTS } from './defaults.js';

export interface BalloonOptions {
  /** Most pages moved per second. Default 65 536 (assumption). */
  readonly ratePagesPerS?: number;
  /** Guest CPU per page moved, ns. Default 2730 (Table 3 Xen page fault anchor). */
  readonly costNsPerPage?: number;
  /** Pages per step. Default 1024 (one frame_list of the Linux balloon driver). */
  readonly batchPages?: number;
  /** Default floor of every domain, pages (setFloor changes one). Default 0. */
  readonly floorPages?: number;
  /** Grow back on demand (demand() raises the target). Default true (the paper: grows back on demand up to its ceiling). */
  readonly autoGrow?: boolean;
}

/** @internal one driver's state. */
export interface Driver {
  readonly domain: Domain;
  targetPages: number;
  floorPages: number;
  /** A step or its CPU is in progress. */
  busy: boolean;
  /** Waiting for free pages. */
  blocked: boolean;
  alive: boolean;
  stepStartNs: number;
  stepPages: number;
  pagesIn: number;
  pagesOut: number;
  cpuNs: number;
}

export class BalloonDrivers {
  readonly ratePagesPerS: number;
  readonly costNsPerPage: number;
  readonly batchPages: number;
  readonly defaultFloorPages: number;
  readonly autoGrow: boolean;
  /** (domain id, pages held after the step, pages moved (+ into the guest, − out), now): every step. */
  readonly onStep = new Signal<number, number, number, number>();
  private readonly drivers = new Map<number, Driver>();

  constructor(
    private readonly host: Host,
    options: BalloonOptions,
  ) {
    const where = 'Balloon';
    const d = MEMORY_DEFAULTS;
    this.ratePagesPerS = checkInt(where, 'ratePagesPerS', options.ratePagesPerS ?? d.balloonRatePagesPerS, 1);
    this.costNsPerPage = checkInt(where, 'costNsPerPage', options.costNsPerPage ?? d.balloonCostNsPerPage, 0);
    this.batchPages = checkInt(where, 'batchPages', options.batchPages ?? d.balloonBatchPages, 1);
    this.defaultFloorPages = checkInt(where, 'floorPages', options.floorPages ?? d.balloonFloorPages, 0);
    this.autoGrow = checkBool(where, 'autoGrow', options.autoGrow ?? true);
    host.memory.onRelease(() => this.retryBlocked());
  }

  /** @internal host._newDomain */
  _add(domain: Domain, targetPages: number): void {
    const m = this.host.memory.of(domain.id);
    const floor = Math.min(this.defaultFloorPages, m.reservationPages);
    const drv: Driver = {
      domain,
      targetPages: 0,
      floorPages: floor,
      busy: false,
      blocked: false,
      alive: true,
      stepStartNs: 0,
      stepPages: 0,
      pagesIn: 0,
      pagesOut: 0,
      cpuNs: 0,
    };
    this.drivers.set(domain.id, drv);
    drv.targetPages = this.clamp(drv, targetPages);
    this.kick(drv);
  }

  /** @internal host._destroyDomain */
  _remove(domainId: number): void {
    const drv = this.drivers.get(domainId);
    if (drv === undefined) return;
    drv.alive = false;
    this.drivers.delete(domainId);
  }

  /** Sets the target (clamped to [floor, ceiling]); the driver starts moving pages at once. */
  setTarget(domainId: number, pages: number): void {
    const drv = this.get('Balloon.setTarget', domainId);
    checkInt('Balloon.setTarget', 'pages', pages, 0);
    drv.targetPages = this.clamp(drv, pages);
    this.kick(drv);
  }

  /** Sets the domain's floor (≤ its reservation's ceiling); the target is re-clamped. */
  setFloor(domainId: number, pages: number): void {
    const drv = this.get('Balloon.setFloor', domainId);
    checkInt('Balloon.setFloor', 'pages', pages, 0, this.host.memory.of(domainId).ceilingPages);
    drv.floorPages = pages;
    drv.targetPages = this.clamp(drv, drv.targetPages);
    this.kick(drv);
  }

  /** The guest needs `pages` in all: with autoGrow, the target rises to min(pages, ceiling). */
  demand(domainId: number, pages: number): void {
    const drv = this.get('Balloon.demand', domainId);
    if (!this.autoGrow || pages <= drv.targetPages) return;
    drv.targetPages = this.clamp(drv, pages);
    this.kick(drv);
  }

  /** Effective target, pages. */
  targetOf(domainId: number): number {
    return this.get('Balloon.targetOf', domainId).targetPages;
  }

  floorOf(domainId: number): number {
    return this.get('Balloon.floorOf', domainId).floorPages;
  }

  /** Pages moved into / out of the guest and guest CPU charged, since creation. */
  statsOf(domainId: number): {
    readonly pagesIn: number;
    readonly pagesOut: number;
    readonly cpuNs: number;
    readonly blocked: boolean;
  } {
    const d = this.get('Balloon.statsOf', domainId);
    return { pagesIn: d.pagesIn, pagesOut: d.pagesOut, cpuNs: d.cpuNs, blocked: d.blocked };
  }

  private clamp(drv: Driver, pages: number): number {
    const ceiling = this.host.memory.of(drv.domain.id).ceilingPages;
    return Math.min(ceiling, Math.max(drv.floorPages, pages));
  }

  private kick(drv: Driver): void {
    if (drv.busy || !drv.alive) return;
    drv.blocked = false;
    if (this.host.memory.of(drv.domain.id).pages === drv.targetPages) return; // nothing to move: no event
    drv.busy = true;
    this.host.sim.schedule(0, stepCb, { self: this, drv });
  }

  private retryBlocked(): void {
    for (const drv of this.drivers.values()) if (drv.blocked) this.kick(drv);
  }

  /** @internal */
  _step(drv: Driver): void {
    if (!drv.alive) return;
    const mem = this.host.memory;
    const id = drv.domain.id;
    const held = mem.of(id).pages;
    const diff = drv.targetPages - held;
    let moved: number;
    if (diff > 0) {
      moved = Math.min(diff, this.batchPages, mem.grantable(id));
      if (moved === 0) {
        drv.busy = false;
        drv.blocked = true;
        return;
      }
      mem.grant(id, moved);
      drv.pagesIn += moved;
    } else if (diff < 0) {
      moved = -Math.min(-diff, this.batchPages, held - drv.floorPages);
      if (moved === 0) {
        drv.busy = false;
        return;
      }
      mem.release(id, -moved);
      drv.pagesOut -= moved;
    } else {
      drv.busy = false;
      return;
    }
    const now = this.host.sim.now;
    drv.stepStartNs = now;
    drv.stepPages = Math.abs(moved);
    this.onStep.emit(id, mem.of(id).pages, moved, now);
    const cpuNs = drv.stepPages * this.costNsPerPage;
    drv.cpuNs += cpuNs;
    const v = drv.domain.vcpus[0];
    if (v === undefined || cpuNs === 0) this.afterCpu(drv);
    else v.runThen(cpuNs, afterCpuCb, { self: this, drv }, false, 'balloon');
  }

  /** @internal */
  afterCpu(drv: Driver): void {
    if (!drv.alive) return;
    const minEnd = drv.stepStartNs + Math.ceil((drv.stepPages * 1e9) / this.ratePagesPerS);
    this.host.sim.schedule(Math.max(0, minEnd - this.host.sim.now), stepCb, { self: this, drv });
  }

  private get(where: string, domainId: number): Driver {
    const d = this.drivers.get(domainId);
    if (d === undefined) throw new RangeError(`${where}: domainId must be the id of a live domain, got ${domainId}`);
    return d;
  }
}

interface StepArg {
  readonly self: BalloonDrivers;
  readonly drv: Driver;
}
function stepCb(a: StepArg): void {
  a.self._step(a.drv);
}
function afterCpuCb(a: StepArg): void {
  a.self.afterCpu(a.drv);
}

// A domain (guest or domain 0): identity, vCPUs, scheduling parameters, the memory target and the
// devices recorded by the control plane, and its CPU accounting.
//
// Created and destroyed only through the host's control interface (control.ts). Domain 0 is a real
// domain: it runs the control operations (each costs it CPU) and, later, the device back ends.
// Assumptions: a domain's working set (for the context-switch refill penalty, context-switch.ts) is
// a single number shared by its vCPUs. `memoryTargetPages` is the last target set (validated by the
// control plane, which hands it to the domain's balloon driver: host.balloons, memory/balloon.ts); the
// pages the domain holds are in host.memory.of(id). Devices (VIFs, VBDs) are recorded for the I/O models.
// Units: ns, bytes, pages.
import type { Event } from '../../sim/index.js';
import type { DomainSchedParams } from '../cpu/scheduler.js';
import type { Host } from './host.js';
import type { Vcpu } from './vcpu.js';

export const DeviceKind = { vif: 'vif', vbd: 'vbd' } as const;
export type DeviceKind = (typeof DeviceKind)[keyof typeof DeviceKind];

/** A device attached through the control plane; `config` is kept as given for the I/O models. */
export interface DeviceRecord {
  readonly kind: DeviceKind;
  /** Index among the domain's devices of this kind (vif0, vif1 …). */
  readonly index: number;
  readonly config: Readonly<Record<string, unknown>>;
  readonly attachedAtNs: number;
}

export class Domain {
  readonly host: Host;
  readonly id: number;
  readonly name: string;
  readonly vcpus: readonly Vcpu[];
  /** Working set of the domain's vCPUs for the cache-refill part of the context-switch cost, bytes. */
  readonly workingSetBytes: number;
  readonly createdAtNs: number;
  /** Set when destroyed. */
  destroyedAtNs: number | null = null;
  /** @internal */ _schedParams: DomainSchedParams;
  /** @internal */ _memoryTargetPages: number | null;
  /** @internal */ readonly _devices: DeviceRecord[] = [];
  /** Slot for the event-channel model's per-domain record (saves the vCPU 0 hop on every raise). */
  evtchnData: unknown = null;

  /** @internal use control.createDomain */
  constructor(
    host: Host,
    id: number,
    name: string,
    workingSetBytes: number,
    schedParams: DomainSchedParams,
    memoryTargetPages: number | null,
    makeVcpus: (d: Domain) => Vcpu[],
  ) {
    this.host = host;
    this.id = id;
    this.name = name;
    this.workingSetBytes = workingSetBytes;
    this._schedParams = schedParams;
    this._memoryTargetPages = memoryTargetPages;
    this.createdAtNs = host.sim.now;
    this.vcpus = Object.freeze(makeVcpus(this));
  }

  get isDom0(): boolean {
    return this.id === 0;
  }

  get alive(): boolean {
    return this.destroyedAtNs === null;
  }

  /** Scheduling parameters as set (the scheduler applies its defaults to missing fields). */
  get schedParams(): Readonly<DomainSchedParams> {
    return this._schedParams;
  }

  /** Memory target set by the control plane, pages (null: none set). */
  get memoryTargetPages(): number | null {
    return this._memoryTargetPages;
  }

  get devices(): readonly DeviceRecord[] {
    return this._devices;
  }

  /** Adds CPU demand to vCPU `vcpuIndex` (= vcpus[vcpuIndex].run(cpuNs)). */
  compute(cpuNs: number, vcpuIndex = 0): Event<void> {
    const v = this.vcpus[vcpuIndex];
    if (v === undefined) {
      throw new RangeError(
        `domain ${this.name}: compute: vcpuIndex must be an integer in [0, ${this.vcpus.length - 1}], got ${vcpuIndex}`,
      );
    }
    return v.run(cpuNs);
  }

  /** CPU time received by all vCPUs, ns. */
  get busyNs(): number {
    let t = 0;
    for (const v of this.vcpus) t += v.virtualTimeNs;
    return t;
  }

  /** Context-switch time paid to switch to the domain's vCPUs, ns. */
  get switchingNs(): number {
    let t = 0;
    for (const v of this.vcpus) t += v.switchingNs;
    return t;
  }
}

// The control interface: domain 0's control operations (Xen's dom0_op hypercalls driven by the
// toolstack), callable at any simulated time from a study, e.g.
//   sim.scheduleAt(s(10), () => host.control.createDomain({ name: 'antagonist', mcuAdvance: 5 }));
//
// Operations: createDomain, destroyDomain, setSchedParams, setMemoryTarget, attachDevice, installVfrRule.
// Each takes effect at the call (the study sees the result at once; the toolstack's own latency is
// not modelled) and charges domain 0 a CPU cost, as a normal demand on dom0's vCPU 0 tagged
// 'control:<op>', so control activity competes for the CPU like any dom0 work. `onOperation`
// reports (op, domain id, now, the dom0 cost's completion event).
// Bad parameters throw RangeError naming the field, the value and the allowed range, and change
// nothing.
//
// Costs (ns). docs/calibration.md has no measurement of dom0 control operations, so the defaults are
// order-of-magnitude anchors on the Xen row of the paper's Table 3 (lmbench, µs), chosen for the
// operation they resemble; they are parameters and are not fitted to anything:
//   createDomain      768 µs  — "exec" 768 µs: build an address space and load an image (the domain
//                               builder loads the guest kernel and builds its page tables)
//   destroyDomain     198 µs  — "fork" 198 µs: page-table sized work (tearing down the domain's)
//   setSchedParams    0.50 µs — "null I/O" 0.50 µs: one system call into dom0's kernel (the privcmd
//                               ioctl that issues the dom0_op hypercall)
//   setMemoryTarget   0.50 µs — same as setSchedParams
//   attachDevice      1.88 µs — "open/close" 1.88 µs: set up (open) a back-end channel
//   installVfrRule    0.50 µs — same as setSchedParams (one privcmd system call); when not given it
//                               follows setSchedParamsCostNs, so a scenario with free control stays free
// Limits: at most 8 VIFs per domain (docs/calibration.md, network rings); VBDs unlimited here.
// attachDevice(id, 'vbd', { extents: [{ disk, startSector, lengthSectors }, …], mode?: 'r' | 'rw' })
// validates the VBD (disk/vbd.ts; mode defaults to 'rw') and announces it on `onDeviceAttached`, where
// a block back end (disk/blkback.ts) attaches it to the domain.
// attachDevice(id, 'vif', { addr?, creditBytes?, creditPeriodNs? }) validates the VIF (net/vif.ts: the
// address defaults to 10.d.d.(index + 1) after the domain id; the optional transmit credit limit) and
// announces it on `onDeviceAttached`, where the network model (net/network.ts) builds the VIF's rings.
// installVfrRule(direction, rule) validates a VFR rule (net/vfr.ts) and announces it on `onVfrRule`,
// where the network model appends it to its rule table of that direction ('tx' or 'rx').
// Domain names: 1..64 characters (Xen 1.0 kept 15; studies want longer labels).
import type { Event } from '../../sim/index.js';
import { validateSchedParams, type DomainSchedParams } from '../cpu/scheduler.js';
import { checkInt, checkName, checkOneOf, rangeFail } from '../validate.js';
import { DeviceKind, type DeviceRecord, type Domain } from './domain.js';
import type { Host } from './host.js';
import { Signal } from '../../sim/signal.js';
import { Vbd, VbdMode } from '../disk/vbd.js';
import { validateVifConfig } from '../net/vif.js';
import { validateVfrRule, VfrDirection, type VfrRule, type VfrRuleSpec } from '../net/vfr.js';

export const ControlOp = {
  createDomain: 'createDomain',
  destroyDomain: 'destroyDomain',
  setSchedParams: 'setSchedParams',
  setMemoryTarget: 'setMemoryTarget',
  attachDevice: 'attachDevice',
  installVfrRule: 'installVfrRule',
} as const;
export type ControlOp = (typeof ControlOp)[keyof typeof ControlOp];

export interface ControlCostOptions {
  readonly createDomainCostNs?: number;
  readonly destroyDomainCostNs?: number;
  readonly setSchedParamsCostNs?: number;
  readonly setMemoryTargetCostNs?: number;
  readonly attachDeviceCostNs?: number;
  /** Default: setSchedParamsCostNs as given (header). */
  readonly installVfrRuleCostNs?: number;
}

export const CONTROL_COST_DEFAULTS = {
  createDomainCostNs: 768_000,
  destroyDomainCostNs: 198_000,
  setSchedParamsCostNs: 500,
  setMemoryTargetCostNs: 500,
  attachDeviceCostNs: 1880,
} as const;

export interface CreateDomainOptions extends DomainSchedParams {
  readonly name: string;
  /** vCPUs, 1..32. Default 1. */
  readonly vcpus?: number;
  /** Working set for the context-switch refill penalty, bytes. Default 0 (direct cost only). */
  readonly workingSetBytes?: number;
  /** Initial memory target, pages: the balloon moves the domain towards it. Default: the reservation. */
  readonly memoryTargetPages?: number;
  /**
   * Machine pages allocated at creation (memory/machine-memory.ts). Default: memoryTargetPages if
   * given, else 0 (a domain whose memory is not modelled, as in the CPU studies with hundreds of domains).
   */
  readonly memoryReservationPages?: number;
  /** The most pages the domain may hold (Xen max_pages); the balloon never passes it. Default: the reservation. */
  readonly memoryCeilingPages?: number;
}

export const MAX_VIFS_PER_DOMAIN = 8;
export const MAX_VCPUS_PER_DOMAIN = 32;
const MAX_NAME_LENGTH = 64;

const CREATE_KEYS = [
  'name',
  'vcpus',
  'workingSetBytes',
  'memoryTargetPages',
  'memoryReservationPages',
  'memoryCeilingPages',
  'mcuAdvance',
  'warp',
  'warpLimitNs',
  'unwarpReqNs',
  'weight',
  'capPercent',
];

export class Control {
  readonly costs: Readonly<Required<Omit<ControlCostOptions, 'installVfrRuleCostNs'>>>;
  /** (op, domain id, now, completion event of dom0's cost or null if the cost is 0). */
  readonly onOperation = new Signal<ControlOp, number, number, Event<void> | null>();
  /** (domain id, kind, validated config) after attachDevice: device models attach here (blkback.ts). */
  readonly onDeviceAttached = new Signal<number, DeviceKind, Readonly<Record<string, unknown>>>();
  /** (direction, validated rule) after installVfrRule: the network model (net/network.ts) installs it. */
  readonly onVfrRule = new Signal<VfrDirection, VfrRule>();
  /** dom0's cost of installVfrRule, ns (header). */
  readonly installVfrRuleCostNs: number;

  constructor(
    private readonly host: Host,
    costs: ControlCostOptions,
  ) {
    const where = 'Control';
    const d = CONTROL_COST_DEFAULTS;
    this.costs = Object.freeze({
      createDomainCostNs: checkInt(where, 'createDomainCostNs', costs.createDomainCostNs ?? d.createDomainCostNs, 0),
      destroyDomainCostNs: checkInt(
        where,
        'destroyDomainCostNs',
        costs.destroyDomainCostNs ?? d.destroyDomainCostNs,
        0,
      ),
      setSchedParamsCostNs: checkInt(
        where,
        'setSchedParamsCostNs',
        costs.setSchedParamsCostNs ?? d.setSchedParamsCostNs,
        0,
      ),
      setMemoryTargetCostNs: checkInt(
        where,
        'setMemoryTargetCostNs',
        costs.setMemoryTargetCostNs ?? d.setMemoryTargetCostNs,
        0,
      ),
      attachDeviceCostNs: checkInt(where, 'attachDeviceCostNs', costs.attachDeviceCostNs ?? d.attachDeviceCostNs, 0),
    });
    this.installVfrRuleCostNs = checkInt(
      where,
      'installVfrRuleCostNs',
      costs.installVfrRuleCostNs ?? this.costs.setSchedParamsCostNs,
      0,
    );
  }

  /** Creates a domain (its vCPUs start blocked: give them demand to run). */
  createDomain(options: CreateDomainOptions): Domain {
    if (this.host.bareMetal)
      throw new RangeError('control.createDomain: a bare-metal host has no hypervisor and creates no domains');
    const d = this.build('control.createDomain', options);
    this.charge(ControlOp.createDomain, d.id, this.costs.createDomainCostNs);
    return d;
  }

  /** Destroys a guest domain: its vCPUs leave their PCPUs and run queues at once. */
  destroyDomain(id: number): void {
    const d = this.liveGuest('control.destroyDomain', id);
    this.host._destroyDomain(d);
    this.charge(ControlOp.destroyDomain, id, this.costs.destroyDomainCostNs);
  }

  /** Changes scheduling parameters (merged into the domain's current ones); effective at once. */
  setSchedParams(id: number, params: DomainSchedParams): void {
    const where = 'control.setSchedParams';
    if (this.host.bareMetal) throw new RangeError(`${where}: a bare-metal host has no hypervisor scheduler`);
    const d = this.live(where, id);
    validateSchedParams(where, params, d.vcpus.length);
    this.host.scheduler.validateParams(params, d);
    d._schedParams = Object.freeze({ ...d._schedParams, ...params });
    this.host.scheduler.setParams(d, this.host.sim.now);
    this.charge(ControlOp.setSchedParams, id, this.costs.setSchedParamsCostNs);
  }

  /**
   * Sets the domain's memory target (pages, at most the machine's): its balloon driver
   * (memory/balloon.ts) moves pages between the hypervisor and the guest towards it, within the
   * domain's floor and ceiling. Effective at once (the balloon then works at its own rate).
   */
  setMemoryTarget(id: number, pages: number): void {
    const where = 'control.setMemoryTarget';
    const d = this.live(where, id);
    checkInt(where, 'pages', pages, 0, this.host.machineMemoryPages);
    d._memoryTargetPages = pages;
    this.host.balloons.setTarget(d.id, pages);
    this.charge(ControlOp.setMemoryTarget, id, this.costs.setMemoryTargetCostNs);
  }

  /** Records a device (VIF or VBD) for the I/O models; returns its record. */
  attachDevice(id: number, kind: DeviceKind, config: Readonly<Record<string, unknown>> = {}): DeviceRecord {
    const where = 'control.attachDevice';
    const d = this.live(where, id);
    checkOneOf(where, 'kind', kind, DeviceKind);
    if (config === null || typeof config !== 'object' || Array.isArray(config))
      rangeFail(where, 'config', 'an object', config);
    const index = d._devices.filter((x) => x.kind === kind).length;
    if (kind === DeviceKind.vif && index >= MAX_VIFS_PER_DOMAIN) {
      rangeFail(where, 'vif count', `at most ${MAX_VIFS_PER_DOMAIN} per domain`, index + 1);
    }
    let cfg: Readonly<Record<string, unknown>> = Object.freeze({ ...config });
    if (kind === DeviceKind.vbd) {
      const v = new Vbd({ ...config, mode: config['mode'] ?? VbdMode.rw } as never, where);
      cfg = Object.freeze({ ...config, extents: v.extents, mode: v.mode });
    } else {
      cfg = Object.freeze({ ...validateVifConfig(where, id, index, config) });
    }
    const rec: DeviceRecord = Object.freeze({ kind, index, config: cfg, attachedAtNs: this.host.sim.now });
    d._devices.push(rec);
    this.charge(ControlOp.attachDevice, id, this.costs.attachDeviceCostNs);
    this.onDeviceAttached.emit(id, kind, cfg);
    return rec;
  }

  /**
   * Appends a rule to the VFR's table for `direction` ('tx': packets guests transmit, 'rx': packets from
   * the NIC); rules are tried in installation order (net/vfr.ts). Charged to dom0 like the others.
   */
  installVfrRule(direction: VfrDirection, rule: VfrRuleSpec): VfrRule {
    const where = 'control.installVfrRule';
    checkOneOf(where, 'direction', direction, VfrDirection);
    const r = validateVfrRule(where, rule);
    this.charge(ControlOp.installVfrRule, 0, this.installVfrRuleCostNs);
    this.onVfrRule.emit(direction, r, undefined, undefined);
    return r;
  }

  /** @internal domain 0, at host construction (no cost: nothing runs yet). */
  _createDom0(options: CreateDomainOptions): Domain {
    return this.build('Host dom0', options);
  }

  private build(where: string, options: CreateDomainOptions): Domain {
    if (options === null || typeof options !== 'object') rangeFail(where, 'options', 'an object', options);
    for (const key of Object.keys(options)) {
      if (!CREATE_KEYS.includes(key))
        throw new RangeError(`${where}: unknown option ${JSON.stringify(key)}; allowed: ${CREATE_KEYS.join(', ')}`);
    }
    const name = checkName(where, 'name', options.name, MAX_NAME_LENGTH);
    const vcpus = checkInt(where, 'vcpus', options.vcpus ?? 1, 1, MAX_VCPUS_PER_DOMAIN);
    const ws = checkInt(where, 'workingSetBytes', options.workingSetBytes ?? 0, 0);
    const mem =
      options.memoryTargetPages === undefined
        ? null
        : checkInt(where, 'memoryTargetPages', options.memoryTargetPages, 0, this.host.machineMemoryPages);
    const machine = this.host.machineMemoryPages;
    const reservation = checkInt(
      where,
      'memoryReservationPages',
      options.memoryReservationPages ?? mem ?? 0,
      0,
      machine,
    );
    const ceiling = checkInt(
      where,
      'memoryCeilingPages',
      options.memoryCeilingPages ?? reservation,
      reservation,
      machine,
    );
    const free = this.host.memory.freePages - this.host.memory.perDomainStatePages;
    if (reservation > free)
      rangeFail(where, 'memoryReservationPages', `at most the free machine pages (${Math.max(0, free)})`, reservation);
    const sched: DomainSchedParams = {};
    const s = sched as { -readonly [K in keyof DomainSchedParams]: DomainSchedParams[K] };
    if (options.mcuAdvance !== undefined) s.mcuAdvance = options.mcuAdvance;
    if (options.warp !== undefined) s.warp = options.warp;
    if (options.warpLimitNs !== undefined) s.warpLimitNs = options.warpLimitNs;
    if (options.unwarpReqNs !== undefined) s.unwarpReqNs = options.unwarpReqNs;
    if (options.weight !== undefined) s.weight = options.weight;
    if (options.capPercent !== undefined) s.capPercent = options.capPercent;
    validateSchedParams(where, sched, vcpus);
    this.host.scheduler.validateParams(sched, null);
    return this.host._newDomain(name, vcpus, ws, Object.freeze(sched), mem, reservation, ceiling);
  }

  private live(where: string, id: number): Domain {
    if (!this.host.hasDomain(id)) {
      rangeFail(where, 'id', `the id of a live domain (${this.host.domains.map((d) => d.id).join(', ')})`, id);
    }
    return this.host.domain(id);
  }

  private liveGuest(where: string, id: number): Domain {
    if (id === 0) rangeFail(where, 'id', 'the id of a live guest domain (domain 0 cannot be destroyed)', id);
    return this.live(where, id);
  }

  private charge(op: ControlOp, domainId: number, costNs: number): void {
    const done =
      costNs > 0 && this.host.dom0.alive
        ? (this.host.dom0.vcpus[0]?.run(costNs, { tag: `control:${op}` }) ?? null)
        : null;
    const now = this.host.sim.now;
    this.onOperation.emit(op, domainId, now, done);
  }
}

// Context-switch cost between vCPUs on one physical CPU (and, with another profile, between processes
// inside a guest): a direct cost plus the refill of what the incoming entity finds evicted from the
// caches and TLB, from the footprint model (cache/footprint.ts): what was evicted depends on the bytes
// the others and the hypervisor touched on that CPU since the entity last ran, relative to the cache
// sizes, not on how long they ran. During a switch nobody progresses (the host accounts it as
// "switching"); cache/footprint.ts explains why charging the refill as one lump is equivalent to a
// slower start for throughput and switching loss.
//
// Defaults: the cache geometry of the paper's Xeon (calibration.ts CACHES, datasheet-class figures)
// and the "Xen" switch-cost profile (calibration.ts SWITCH_PROFILE_FITS, fitted by
// scripts/fit-lat-ctx.ts to the Xen row of the paper's Table 3 context-switch columns, lmbench
// lat_ctx). Using the profile of a process switch inside a XenoLinux guest for a domain switch is an
// assumption (calibration.ts ANCHORS.domainSwitchIsXenProcessSwitch): both trap into Xen, switch the
// page-table base and flush the TLB; the paper measures no domain switch. Other profiles: 'L-UP',
// 'L-SMP' (native Linux, for process switches in a bare-metal or guest kernel model), 'VMware' (also
// keeps shadow page tables for 8 address spaces and rebuilds them on a miss), 'UML' (host processes,
// host-side state kept for 8). scripts/fit-lat-ctx.ts says which parameters each profile fits and which
// it takes from native Linux.
//
// Per-CPU caches: an entity that last ran on another PCPU finds a cold cache. The host identifies
// entities by vCPU id; a guest model may use its own ids on its own model instance.
// Units: ns, bytes. Costs are integer ns.
import { CACHES, SWITCH_PROFILE_FITS, type SwitchProfile } from '../calibration.js';
import { FootprintCache, type CacheGeometry, type SwitchCostParams } from '../cache/footprint.js';
import { checkInt, checkOneOf } from '../validate.js';

export interface ContextSwitchOptions extends Partial<SwitchCostParams> {
  /** Fitted profile the unspecified cost parameters come from. Default 'Xen'. */
  readonly profile?: SwitchProfile;
  /** Cache geometry overrides. Default: the paper's Xeon (calibration.ts CACHES). */
  readonly geometry?: Partial<CacheGeometry>;
}

/** The paper's machine: one Xeon DP 2.4 GHz (datasheet-class figures, calibration.ts). */
export const XEON_GEOMETRY: CacheGeometry = Object.freeze({
  lineBytes: CACHES.lineBytes.value,
  l1Bytes: CACHES.l1DataBytes.value,
  l1Ways: CACHES.l1DataWays.value,
  l2Bytes: CACHES.l2Bytes.value,
  l2Ways: CACHES.l2Ways.value,
  pageBytes: 4096,
  dtlbEntries: CACHES.dtlbEntries.value,
});

const PROFILES = { 'L-SMP': 'L-SMP', 'L-UP': 'L-UP', Xen: 'Xen', VMware: 'VMware', UML: 'UML' } as const;

export class ContextSwitchModel {
  readonly cache: FootprintCache;
  readonly profile: SwitchProfile;
  /** Working sets set by setWorkingSet, by entity id (−1: none), and their phases. */
  private wsOverride: Float64Array = new Float64Array(0);
  private phaseOverride: Int32Array = new Int32Array(0);
  /**
   * Every cost parameter is 0 (e.g. free()): every switch costs 0 whatever the cache state, so the
   * host's calls skip the footprint bookkeeping (the cache state of such a model is not kept).
   */
  readonly costless: boolean;

  constructor(options: ContextSwitchOptions = {}) {
    const profile = checkOneOf('ContextSwitchModel', 'profile', options.profile ?? 'Xen', PROFILES);
    const base = SWITCH_PROFILE_FITS[profile];
    const params: SwitchCostParams = {
      directNs: options.directNs ?? base.directNs,
      tlbMissNs: options.tlbMissNs ?? base.tlbMissNs,
      l1RefillNsPerLine: options.l1RefillNsPerLine ?? base.l1RefillNsPerLine,
      memRefillNsPerLine: options.memRefillNsPerLine ?? base.memRefillNsPerLine,
      entityOverheadBytes: options.entityOverheadBytes ?? base.entityOverheadBytes,
      switchPollutionBytes: options.switchPollutionBytes ?? base.switchPollutionBytes,
      switchPathBytes: options.switchPathBytes ?? base.switchPathBytes,
      addressSpaceSlots: options.addressSpaceSlots ?? base.addressSpaceSlots,
      addressSpaceMissNs: options.addressSpaceMissNs ?? base.addressSpaceMissNs,
    };
    this.profile = profile;
    this.costless = Object.values(params).every((v) => v === 0);
    this.cache = new FootprintCache({ ...XEON_GEOMETRY, ...(options.geometry ?? {}) }, params);
  }

  /** A model with no cost at all (useful for hand-computed traces). */
  static free(): ContextSwitchModel {
    return new ContextSwitchModel({
      directNs: 0,
      tlbMissNs: 0,
      l1RefillNsPerLine: 0,
      memRefillNsPerLine: 0,
      entityOverheadBytes: 0,
      switchPollutionBytes: 0,
      switchPathBytes: 0,
      addressSpaceSlots: 0,
      addressSpaceMissNs: 0,
    });
  }

  /** Direct cost of a switch, ns. */
  get directNs(): number {
    return this.cache.params.directNs;
  }

  /**
   * The host's call: `cpu` switches to the entity `entityId` (the vCPU id) with `workingSetBytes` in
   * phase `phase`; returns the cost in integer ns and updates the cache state.
   */
  switchCostNs(cpu: number, entityId: number, workingSetBytes: number, phase = 0): number {
    if (this.costless) return 0;
    if (entityId < this.wsOverride.length) {
      const ws = this.wsOverride[entityId] as number;
      if (ws >= 0) return this.cache.switchIn(cpu, entityId, ws, this.phaseOverride[entityId] as number);
    }
    return this.cache.switchIn(cpu, entityId, workingSetBytes, phase);
  }

  /**
   * Working-set phases: from now on the entity (vCPU id) has `workingSetBytes` in phase `phase`,
   * whatever the host passes (its domain's fixed working set). A new phase number means new data: the
   * next switch to it refills cold. A study calls this at phase changes, e.g. from a workload process.
   */
  setWorkingSet(entityId: number, workingSetBytes: number, phase: number): void {
    const where = 'ContextSwitchModel.setWorkingSet';
    checkInt(where, 'entityId', entityId, 0, 0x7ffffffe);
    checkInt(where, 'workingSetBytes', workingSetBytes, 0);
    checkInt(where, 'phase', phase, 0, 0x7fffffff);
    if (entityId >= this.wsOverride.length) {
      const n = Math.max(entityId + 1, this.wsOverride.length * 2, 16);
      const ws = new Float64Array(n).fill(-1);
      ws.set(this.wsOverride);
      const ph = new Int32Array(n);
      ph.set(this.phaseOverride);
      this.wsOverride = ws;
      this.phaseOverride = ph;
    }
    this.wsOverride[entityId] = workingSetBytes;
    this.phaseOverride[entityId] = phase;
  }

  /** Bytes touched on `cpu` by the hypervisor or a device (they evict the domains' lines). */
  pollute(cpu: number, bytes: number): void {
    if (this.costless) return;
    this.cache.pollute(cpu, bytes);
  }

  /** The entity is gone (destroyed domain): its lines no longer count. */
  forget(entityId: number): void {
    this.cache.forget(entityId);
  }

  /**
   * Stateless: the cost, integer ns, of a switch to an entity with `workingSetBytes` after the others
   * touched `othersTouchedBytes` since it last ran, or (cold) with nothing of it in the caches.
   */
  costNs(workingSetBytes: number, othersTouchedBytes: number, cold: boolean): number {
    return Math.round(this.cache.refillCostNs(workingSetBytes, othersTouchedBytes, cold));
  }

  /** Stateless: the cost, integer ns, of a switch to an entity with a cold cache. */
  coldCostNs(workingSetBytes: number): number {
    return this.costNs(workingSetBytes, 0, true);
  }
}

/** The default (Xen) profile's parameters (calibration.ts SWITCH_PROFILE_FITS.Xen). */
export const CONTEXT_SWITCH_DEFAULTS: Readonly<SwitchCostParams> = SWITCH_PROFILE_FITS.Xen;

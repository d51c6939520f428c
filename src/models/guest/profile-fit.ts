// Virtualization profiles derived from Table 3 (paper, lmbench 3, µs) by a fixed procedure: each
// operation is split into mechanisms (kernel entries, page faults, event deliveries, page-table updates
// in phases that each end with a flush) plus the kernel work that remains; the mechanism costs of a
// profile come from Table 3 cells, and the per-update cost from the page-table-heavy operations.
// scripts/fit-guest-profiles.ts prints the derivation and the fit.
//
// Procedure, for profile P with Table 3 row R(P) and native row N = L-UP (all counts: OP_MECHANISMS,
// from calibration.ts GUEST, assumptions describing the lmbench programs):
//   1. entryNs(P)         = R(P)["null call"]                     one kernel entry and return
//   2. eventDeliveryNs(P) = R(P)["sig handle"] − R(P)["null call"] a signal / upcall delivery without
//                                                                 the system call that sent it
//   3. flushNs(P)         = ANCHORS.hypercallNs (xen: one mmu_update hypercall per flush), else 0
//   4. updateNs(P): for every page-table-heavy op o (fork, exec, sh, mmap), the extra over native that
//      the other mechanisms do not explain,
//        d(o) = (R(P)[o] − N[o]) − entries·(entryNs(P) − entryNs(N)) − faults·(R(P)[page fault] −
//               N[page fault]) − flushes(o)·flushNs(P),
//      divided by its updates u(o); updateNs(P) = max(0, min over o of d(o)/u(o)): the largest per-update
//      cost that leaves no operation with less kernel work than native. Native: 0 (a native PTE write
//      is part of the kernel work).
//   5. workNs(P, o) = R(P)[o] − (entries·entryNs + faults·R(P)[page fault] + deliveries·eventDeliveryNs
//      + Σ phases (u·updateNs + flushes·flushNs)): what remains; it must not be negative. The fit
//      reports workNs(P, o) / workNs(N, o): 1 means the mechanisms explain all of P's extra cost.
// At the default batch (2048, calibration.ts HYPERVISOR.pageTableQueueEntries) the mechanisms plus the
// work give the published cell back exactly; other batch sizes change only the flush count.
// Estimated operations: netPacket = blockRequest = perIoPathEntries · null I/O + eventDeliveryNs (netPacket
// adds, under full-virt, the emulated NIC's host round trip: profile.ts FULL_VIRT_NIC_PACKET_NS; blockRequest
// adds, under full-virt and hosted, the host-side I/O path: profile.ts HOST_BLOCK_PATH_NS);
// ptUpdate: one update through the profile's page-table path.
// What the profiles leave out: Table 3's cells are means of lmbench loops, so cache and TLB effects of
// an operation are inside its cost (except context switches, costed by the footprint model); full-virt's
// binary translation appears only through the entry, fault and update costs (no per-instruction model);
// hosted (UML) costs its host system calls and signals as whole entries, never as host processes.
// Units: ns (Table 3 is in µs and converted here).
import { ANCHORS, GUEST, HYPERVISOR, TABLE3, type Table3Config } from '../calibration.js';
import {
  PROFILE_PT_MODE,
  PROFILE_TABLE3_CONFIG,
  TABLE3_OPS,
  TABLE3_OP_NAMES,
  VIRT_PROFILES,
  type Table3Op,
  type VirtProfile,
} from './operations.js';

/** The mechanisms of one operation of an lmbench program. */
export interface OpMechanisms {
  /** System calls (kernel entries and returns). */
  readonly entries: number;
  /** Page faults taken (each costs the profile's page fault). */
  readonly faults: number;
  /** Signal / event deliveries. */
  readonly deliveries: number;
  /** Page-table updates, per phase; each phase ends with a flush (a return to user mode or a fault). */
  readonly ptPhases: readonly number[];
}

const I = GUEST.lmbenchImagePages.value;
const H = GUEST.lmbenchHelloPages.value;
const S = GUEST.shellPages.value;
const M = GUEST.lmbenchMmapPages.value;
const none = { entries: 0, faults: 0, deliveries: 0, ptPhases: [] } as const;

/**
 * Mechanism counts of the Table 3 operations (lmbench 3 programs; counts: calibration.ts GUEST).
 * fork = fork + exit + wait (lat_proc fork); exec = fork + execve(hello) + exit + wait; sh = fork +
 * execve(/bin/sh -c hello) + the shell's execve of hello + exit + wait; mmap = mmap + munmap of a file
 * region (lat_mmap); a fault is a trap, not a system call (its entry is part of its work).
 */
export const OP_MECHANISMS: Readonly<Record<Table3Op, OpMechanisms>> = {
  nullCall: { ...none, entries: 1 },
  nullIo: { ...none, entries: 1 },
  stat: { ...none, entries: 1 },
  openClose: { ...none, entries: 2 },
  select: { ...none, entries: 1 },
  sigInstall: { ...none, entries: 1 },
  sigHandle: { ...none, entries: 1, deliveries: 1 },
  fork: { ...none, entries: 3, ptPhases: [2 * I, I] },
  exec: { ...none, entries: 4, faults: H, ptPhases: [2 * I, I, H] },
  sh: { ...none, entries: 6, faults: S + H, ptPhases: [2 * I, I, S, H] },
  create0k: { ...none, entries: 2 },
  delete0k: { ...none, entries: 1 },
  create10k: { ...none, entries: 3 },
  delete10k: { ...none, entries: 1 },
  mmap: { ...none, entries: 2, ptPhases: [M, M] },
  protFault: { ...none },
  pageFault: { ...none, ptPhases: [1] },
};

/** The operations whose extra cost over native bounds the per-update cost (step 4). */
export const PT_HEAVY_OPS: readonly Table3Op[] = ['fork', 'exec', 'sh', 'mmap'];

/** Default page-table batch: Xen 1.0 XenoLinux flushes at most 2048 queued updates per hypercall. */
export const DEFAULT_PT_BATCH = HYPERVISOR.pageTableQueueEntries.value;

/** A profile's derived parameters, ns. */
export interface ProfileParams {
  readonly profile: VirtProfile;
  readonly entryNs: number;
  readonly eventDeliveryNs: number;
  readonly updateNs: number;
  readonly flushNs: number;
  /** The cost of one page fault (Table 3), charged for each fault inside another operation. */
  readonly pageFaultNs: number;
  /** Remaining kernel work of each Table 3 operation (step 5). */
  readonly workNs: Readonly<Record<Table3Op, number>>;
  /** null I/O of the profile (for the estimated I/O-path operations). */
  readonly nullIoNs: number;
}

/** A Table 3 cell of a processes / file-VM operation, ns. */
export function publishedNs(config: Table3Config, op: Table3Op): number {
  const col = TABLE3_OPS[op];
  const parts = [TABLE3.processes, TABLE3.fileVm] as const;
  for (const part of parts) {
    const i = (part.columns as readonly string[]).indexOf(col);
    if (i >= 0) {
      const v = part.rows[config][i];
      if (v !== undefined) return v * 1000;
    }
  }
  throw new RangeError(`publishedNs: op must be a Table 3 operation, got ${op}`);
}

/** Flushes of a phase of u updates at batch size b: one per full batch, and the one that ends it. */
export function flushesOf(updates: number, batch: number): number {
  return updates === 0 ? 0 : Math.ceil(updates / batch);
}

function flushCount(m: OpMechanisms, batch: number): number {
  let f = 0;
  for (const u of m.ptPhases) f += flushesOf(u, batch);
  return f;
}

function updateCount(m: OpMechanisms): number {
  let u = 0;
  for (const x of m.ptPhases) u += x;
  return u;
}

/** One step of the derivation, for the fit report. */
export interface UpdateBound {
  readonly op: Table3Op;
  readonly extraNs: number;
  readonly updates: number;
  readonly perUpdateNs: number;
}

/** Step 4: the per-update bounds of each page-table-heavy op (empty for native). */
export function updateBounds(profile: VirtProfile): UpdateBound[] {
  if (profile === 'native') return [];
  const cfg = PROFILE_TABLE3_CONFIG[profile];
  const n = PROFILE_TABLE3_CONFIG.native;
  const flushNs = PROFILE_PT_MODE[profile] === 'queued' ? ANCHORS.hypercallNs.value : 0;
  const dEntry = publishedNs(cfg, 'nullCall') - publishedNs(n, 'nullCall');
  const dFault = publishedNs(cfg, 'pageFault') - publishedNs(n, 'pageFault');
  return PT_HEAVY_OPS.map((op) => {
    const m = OP_MECHANISMS[op];
    const extra =
      publishedNs(cfg, op) -
      publishedNs(n, op) -
      m.entries * dEntry -
      m.faults * dFault -
      flushCount(m, DEFAULT_PT_BATCH) * flushNs;
    const u = updateCount(m);
    return { op, extraNs: extra, updates: u, perUpdateNs: extra / u };
  });
}

/** The mechanism part of an op's cost at batch `batch` (everything but its work), ns. */
export function mechanismNs(p: Omit<ProfileParams, 'workNs'>, op: Table3Op, batch: number): number {
  const m = OP_MECHANISMS[op];
  return (
    m.entries * p.entryNs +
    m.faults * p.pageFaultNs +
    m.deliveries * p.eventDeliveryNs +
    updateCount(m) * p.updateNs +
    flushCount(m, batch) * p.flushNs
  );
}

/** Derives one profile's parameters from Table 3 (steps 1–5); throws if a work term would be negative. */
export function deriveProfile(profile: VirtProfile): ProfileParams {
  const cfg = PROFILE_TABLE3_CONFIG[profile];
  const entryNs = publishedNs(cfg, 'nullCall');
  const eventDeliveryNs = publishedNs(cfg, 'sigHandle') - entryNs;
  const flushNs = PROFILE_PT_MODE[profile] === 'queued' ? ANCHORS.hypercallNs.value : 0;
  const bounds = updateBounds(profile);
  const updateNs = bounds.length === 0 ? 0 : Math.max(0, Math.min(...bounds.map((b) => b.perUpdateNs)));
  const base = {
    profile,
    entryNs,
    eventDeliveryNs,
    updateNs,
    flushNs,
    pageFaultNs: publishedNs(cfg, 'pageFault'),
    nullIoNs: publishedNs(cfg, 'nullIo'),
  };
  const work = {} as Record<Table3Op, number>;
  for (const op of TABLE3_OP_NAMES) {
    const w = publishedNs(cfg, op) - mechanismNs(base, op, DEFAULT_PT_BATCH);
    if (w < -1e-6)
      throw new RangeError(
        `deriveProfile: work of ${op} in profile ${profile} must be ≥ 0, got ${w.toFixed(1)} ns (the mechanism counts overshoot)`,
      );
    work[op] = Math.max(0, w);
  }
  return { ...base, workNs: work };
}

/** Every profile, derived once. */
export const PROFILE_PARAMS: Readonly<Record<VirtProfile, ProfileParams>> = Object.freeze(
  Object.fromEntries(VIRT_PROFILES.map((p) => [p, deriveProfile(p)])) as Record<VirtProfile, ProfileParams>,
);

/** One row of the fit report. */
export interface FitRow {
  readonly profile: VirtProfile;
  readonly op: Table3Op;
  readonly publishedNs: number;
  readonly mechanismNs: number;
  readonly workNs: number;
  /** workNs / native workNs of the same op (1: the mechanisms explain all of the extra over native). */
  readonly workVsNative: number;
}

/** The fit, one row per (profile, Table 3 op). */
export function fitRows(): FitRow[] {
  const rows: FitRow[] = [];
  for (const profile of VIRT_PROFILES) {
    const p = PROFILE_PARAMS[profile];
    for (const op of TABLE3_OP_NAMES) {
      const nw = PROFILE_PARAMS.native.workNs[op];
      rows.push({
        profile,
        op,
        publishedNs: publishedNs(PROFILE_TABLE3_CONFIG[profile], op),
        mechanismNs: mechanismNs(p, op, DEFAULT_PT_BATCH),
        workNs: p.workNs[op],
        workVsNative: nw > 0 ? p.workNs[op] / nw : p.workNs[op] === 0 ? 1 : Infinity,
      });
    }
  }
  return rows;
}

// The operation vocabulary of the guest OS and the four virtualization profiles.
//
// A guest process's work is a sequence of operations (system calls, faults, process creation, file
// and VM operations, I/O-path steps) and computation; a profile prices each operation for one way of
// running the guest kernel. The operations with a Table 3 cell (paper, lmbench 3) are the calibration
// inputs; the others (event delivery, per-packet and per-request I/O path) are documented estimates
// derived from Table 3 cells (guest/profile-fit.ts says how). Context switches between guest processes
// are not an operation with a fixed price: the guest OS costs them with the footprint cache model and
// the profile's lat_ctx fit (calibration.ts SWITCH_PROFILE_FITS). Page-table updates are priced by
// guest/page-table.ts (queued and flushed per hypercall, trapped one by one, or direct).
// Units: none here (names and mappings only).
import type { SwitchProfile, Table3Config } from '../calibration.js';

/** The four ways of running a guest kernel the paper compares. */
export const VirtProfile = { native: 'native', xen: 'xen', fullVirt: 'full-virt', hosted: 'hosted' } as const;
export type VirtProfile = (typeof VirtProfile)[keyof typeof VirtProfile];
export const VIRT_PROFILES: readonly VirtProfile[] = ['native', 'xen', 'full-virt', 'hosted'];

/** The Table 3 row each profile is calibrated from (native = the uniprocessor kernel, L-UP). */
export const PROFILE_TABLE3_CONFIG: Readonly<Record<VirtProfile, Table3Config & SwitchProfile>> = {
  native: 'L-UP',
  xen: 'Xen',
  'full-virt': 'VMware',
  hosted: 'UML',
};

/** Guest-kernel operations with a Table 3 cell ("processes" and "file and VM" parts). */
export const TABLE3_OPS = {
  nullCall: 'null call',
  nullIo: 'null I/O',
  stat: 'stat',
  openClose: 'open/close',
  select: 'select TCP',
  sigInstall: 'sig inst',
  sigHandle: 'sig handle',
  fork: 'fork',
  exec: 'exec',
  sh: 'sh',
  create0k: '0K create',
  delete0k: '0K delete',
  create10k: '10K create',
  delete10k: '10K delete',
  mmap: 'mmap',
  protFault: 'prot fault',
  pageFault: 'page fault',
} as const;
export type Table3Op = keyof typeof TABLE3_OPS;

/** Operations priced by estimate (no Table 3 cell of their own). */
export const ESTIMATED_OPS = {
  /** An interrupt / event (upcall, signal-like) delivered to the guest kernel. */
  eventDelivery: 'event delivery',
  /** The guest driver path of one network packet (estimate; the network issue refines it). */
  netPacket: 'net packet',
  /** The driver path of one block request: guest driver, event, and a hosted VMM's host-side path (estimate). */
  blockRequest: 'block request',
  /** One page-table update on its own (through the profile's page-table path). */
  ptUpdate: 'pt update',
} as const;
export type EstimatedOp = keyof typeof ESTIMATED_OPS;

export type GuestOp = Table3Op | EstimatedOp;
export const TABLE3_OP_NAMES: readonly Table3Op[] = Object.keys(TABLE3_OPS) as Table3Op[];
export const GUEST_OPS = { ...TABLE3_OPS, ...ESTIMATED_OPS } as const;
export const GUEST_OP_NAMES: readonly GuestOp[] = Object.keys(GUEST_OPS) as GuestOp[];

/** How a profile handles page-table updates (guest/page-table.ts). */
export const PtMode = {
  /** Native: the kernel writes the entry; its cost is part of the operation's kernel work. */
  direct: 'direct',
  /** Xen: updates are queued and validated in one mmu_update hypercall per flush. */
  queued: 'queued',
  /** Full virtualization: every write to a page table traps into the VMM, which updates its shadow. */
  trap: 'trap',
  /** Hosted: every update is a host system call (mmap / munmap / mprotect on the host). */
  hostCall: 'host-call',
} as const;
export type PtMode = (typeof PtMode)[keyof typeof PtMode];

export const PROFILE_PT_MODE: Readonly<Record<VirtProfile, PtMode>> = {
  native: 'direct',
  xen: 'queued',
  'full-virt': 'trap',
  hosted: 'host-call',
};

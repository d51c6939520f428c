// A virtualization profile in use: prices each guest operation (operations.ts) for one profile,
// driving the page-table updates of the operation through the guest's page-table queue
// (page-table.ts), so that the batch size and the flush points are real, not folded into a constant.
//
// Profiles (parameters: profile-fit.ts, derived from Table 3):
//   native    — Linux on the bare machine (Table 3 L-UP): system calls and faults go straight to the
//               kernel; page-table writes are plain stores.
//   xen       — XenoLinux on Xen (Table 3 Xen): system calls through the fast trap handler (almost
//               native); page faults bounce through ring 0; page-table updates queued and validated by
//               the hypervisor, one hypercall per flush.
//   full-virt — VMware Workstation 3.2 style (Table 3 VMware): privileged instructions are binary-
//               translated (a dearer entry), every page-table write traps to update the shadow page
//               table, faults and signals go through the VMM.
//   hosted    — User-Mode Linux style (Table 3 UML): every guest kernel entry is a host system call
//               intercepted by ptrace plus host signals; every page-table update a host system call.
// What they leave out: see profile-fit.ts (no per-instruction translation model, no host processes for
// UML; cache effects of an operation are inside its cost; context switches are costed by the guest OS
// with the footprint model and the profile's lat_ctx fit, whose switch paths do model a profile's own
// mechanisms: the hypervisor's data under xen, shadow page tables kept for 8 address spaces and rebuilt
// on a miss under full-virt, host processes and host-side state for 8 of them under hosted — see
// scripts/fit-lat-ctx.ts FIT_PLAN).
// Units: ns (operation costs are rounded to integer ns, as the vCPU's demand is).
import { GUEST, MACHINE, NETWORK, TABLE3, table3ContextSwitchUs } from '../calibration.js';
import { checkInt, checkOneOf } from '../validate.js';
import { FlushReason, PageTableQueue } from './page-table.js';
import { OP_MECHANISMS, PROFILE_PARAMS, DEFAULT_PT_BATCH, type ProfileParams } from './profile-fit.js';
import {
  PROFILE_PT_MODE,
  PROFILE_TABLE3_CONFIG,
  TABLE3_OPS,
  VirtProfile,
  type GuestOp,
  type Table3Op,
} from './operations.js';
import type { SwitchProfile } from '../calibration.js';

/**
 * full-virt (VMware Workstation, a hosted VMM): every packet its emulated NIC sends or receives leaves the
 * VMM by a world switch to the host, where the VMApp write()s or read()s it on the VMNet driver. Sugerman
 * et al. (USENIX 2001) measured that host round trip at 22.7 µs per packet on a 733 MHz Pentium III;
 * scaled by clock to the paper's 2.4 GHz Xeon (assumption: CPU-bound, scales with the clock) it is
 * 22.7 µs · 733 MHz / 2400 MHz ≈ 6.93 µs (calibration.ts NETWORK.hostedNicPacketUs, hostedNicClockHz).
 * Not in Table 3 (lmbench touches no device), so not in the profile fit; added to netPacket only.
 */
export const FULL_VIRT_NIC_PACKET_NS =
  (NETWORK.hostedNicPacketUs.value * 1000 * NETWORK.hostedNicClockHz.value) / MACHINE.cpuClockHz.value;

/** Table 3 L-UP cells (the host kernel of a hosted VMM runs natively), ns. */
const HOST_NULL_IO_NS = (TABLE3.processes.rows['L-UP'][1] as number) * 1000;
const HOST_SIGNAL_NS =
  ((TABLE3.processes.rows['L-UP'][6] as number) - (TABLE3.processes.rows['L-UP'][0] as number)) * 1000;
const HOST_SWITCH_NS = table3ContextSwitchUs('L-UP', '2p/0K') * 1000;

/**
 * The host-side I/O path of one block request, ns: CPU spent outside the guest kernel, on the same CPU,
 * by the hosted VMM's or UML's host process and the host kernel (not in Table 3: lmbench touches no device).
 *   full-virt — VMware Workstation: the request and its completion each cross to the host and back
 *               (world switch, VMApp read()/write() on the disk file, reflected interrupt), each crossing
 *               priced as the measured per-packet host round trip FULL_VIRT_NIC_PACKET_NS:
 *               GUEST.fullVirtBlockHostRoundTrips × FULL_VIRT_NIC_PACKET_NS = 2 × 6.93 µs ≈ 13.87 µs.
 *   hosted    — UML's ubd driver and its I/O thread: GUEST.hostedBlockHostSyscalls host system calls at
 *               L-UP "null I/O", GUEST.hostedBlockHostSwitches host process switches at L-UP "2p/0K" and
 *               one SIGIO at L-UP "sig handle" − "null call": 5 × 0.50 + 2 × 0.77 + 2.04 = 6.08 µs.
 *   native, xen — 0 (the driver talks to the device or to the back end directly; the back end's own work
 *               is the block back end's, disk/blkback.ts).
 * Left out: the copy of the data between the host process and the guest's memory, and whatever the host
 * kernel's file system does for the read()/write() beyond a system call.
 */
export const HOST_BLOCK_PATH_NS: Readonly<Record<VirtProfile, number>> = {
  native: 0,
  xen: 0,
  'full-virt': GUEST.fullVirtBlockHostRoundTrips.value * FULL_VIRT_NIC_PACKET_NS,
  hosted:
    GUEST.hostedBlockHostSyscalls.value * HOST_NULL_IO_NS +
    GUEST.hostedBlockHostSwitches.value * HOST_SWITCH_NS +
    HOST_SIGNAL_NS,
};

export interface GuestProfileOptions {
  /** Page-table updates per flush at most (xen), 1 … 2048. Default 2048. */
  readonly ptBatch?: number;
}

export class GuestProfile {
  readonly profile: VirtProfile;
  readonly params: ProfileParams;
  readonly ptBatch: number;
  /** The lat_ctx fit used for process switches inside the guest. */
  readonly switchProfile: SwitchProfile;
  /** Per-packet cost of an emulated NIC's host round trip, ns (full-virt only; FULL_VIRT_NIC_PACKET_NS). */
  readonly emulatedNicPacketNs: number;
  /** Host-side I/O path of one block request, ns (HOST_BLOCK_PATH_NS; 0 for native and xen). */
  readonly hostBlockPathNs: number;

  constructor(profile: VirtProfile, options: GuestProfileOptions = {}) {
    this.profile = checkOneOf('GuestProfile', 'profile', profile, VirtProfile);
    this.ptBatch = checkInt('GuestProfile', 'ptBatch', options.ptBatch ?? DEFAULT_PT_BATCH, 1, 2048);
    this.params = PROFILE_PARAMS[this.profile];
    this.switchProfile = PROFILE_TABLE3_CONFIG[this.profile];
    this.emulatedNicPacketNs = this.profile === VirtProfile.fullVirt ? FULL_VIRT_NIC_PACKET_NS : 0;
    this.hostBlockPathNs = HOST_BLOCK_PATH_NS[this.profile];
  }

  /** A page-table queue for one guest kernel with this profile. */
  newPageTable(record = false): PageTableQueue {
    return new PageTableQueue({
      mode: PROFILE_PT_MODE[this.profile],
      batch: this.ptBatch,
      updateNs: this.params.updateNs,
      flushNs: this.params.flushNs,
      record,
    });
  }

  /** The cost of `op`, ns (not rounded), with its page-table updates issued into `pt`. */
  opNs(op: GuestOp, pt: PageTableQueue): number {
    const p = this.params;
    switch (op) {
      case 'eventDelivery':
        return p.eventDeliveryNs;
      case 'netPacket':
        return GUEST.perIoPathEntries.value * p.nullIoNs + p.eventDeliveryNs + this.emulatedNicPacketNs;
      case 'blockRequest':
        return GUEST.perIoPathEntries.value * p.nullIoNs + p.eventDeliveryNs + this.hostBlockPathNs;
      case 'ptUpdate':
        return pt.update(1);
      default:
        return this.table3OpNs(op, pt);
    }
  }

  private table3OpNs(op: Table3Op, pt: PageTableQueue): number {
    if (!Object.hasOwn(TABLE3_OPS, op))
      throw new RangeError(`GuestProfile: op must be one of the guest operations, got ${String(op)}`);
    const p = this.params;
    const m = OP_MECHANISMS[op];
    let ns = p.workNs[op] + m.entries * p.entryNs + m.deliveries * p.eventDeliveryNs;
    const reason = op === 'pageFault' ? FlushReason.pageFault : FlushReason.returnToUser;
    for (const u of m.ptPhases) ns += pt.update(u) + pt.flush(reason);
    for (let i = 0; i < m.faults; i++) ns += this.table3OpNs('pageFault', pt);
    return ns;
  }
}

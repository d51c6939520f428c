// Where the device back ends run, and the CPU work they do: the host option `backendPlacement`.
//
//   * 'hypervisor' — Xen 1.0: the virtual network interfaces and the VFR (packet filtering and
//     routing) and the block-device scheduling live inside Xen (paper §2.2 and §3.3.5–3.3.6: VIFs
//     attached to a VFR, VBDs with their request scheduling, all in the hypervisor). Back-end work is hypervisor-context CPU time: a softirq on a PCPU
//     (host.hypervisorWork, kind 'softirq'; default PCPU 0, or the PCPU the caller names, e.g. the one
//     its device interrupt was routed to). It preempts whatever vCPU runs there without a domain
//     switch and belongs to no domain.
//   * 'dom0' — Xen 2.0 split drivers: netback/blkback run in domain 0's kernel. Back-end work is an
//     urgent demand on dom0's vCPU (kernel softirq context in dom0, served before dom0's normal work:
//     assumption), so dom0 must be scheduled (and possibly context-switched to) to do it.
// On a bare-metal host (bare-metal.ts) the drivers are the native kernel's: back-end work is
// interrupt-context time (the 'hypervisor' column of the accounting is then the kernel's interrupt and
// softirq time).
//
// The network and storage models call `host.backendWork(cpuNs, { cpu?, tag? })` for their per-packet
// / per-request back-end cost and `connectBackendRing` (io/ring-channel.ts) for the notifications, so
// one model runs under both placements and a study can compare them.
// Units: ns. Default placement 'hypervisor' (the paper's Xen 1.0).
import type { Event } from '../../sim/index.js';

export const BackendPlacement = { hypervisor: 'hypervisor', dom0: 'dom0' } as const;
export type BackendPlacement = (typeof BackendPlacement)[keyof typeof BackendPlacement];

export const BACKEND_TAG = 'backend';

export interface BackendWorkOptions {
  /** PCPU for hypervisor placement (default 0); ignored for 'dom0'. */
  readonly cpu?: number;
  /** dom0 vCPU for 'dom0' placement (default 0); ignored for 'hypervisor'. */
  readonly vcpu?: number;
  /** Tag for observers (default 'backend'). */
  readonly tag?: string;
  /**
   * Bytes the work touches (hypervisor placement: pollution of that PCPU's caches; dom0: part of dom0's
   * own working set, so ignored). Default 0.
   */
  readonly bytesTouched?: number;
}

/** What backendWork needs of the host (host.ts implements it). */
export interface BackendHost {
  readonly backendPlacement: BackendPlacement;
  readonly bareMetal: boolean;
  hypervisorWork(
    cpuNs: number,
    opts: { cpu?: number; kind?: 'irq' | 'softirq'; tag?: string; bytesTouched?: number },
  ): Event<void>;
  readonly dom0: {
    readonly name: string;
    readonly vcpus: readonly { run(cpuNs: number, opts?: { urgent?: boolean; tag?: string }): Event<void> }[];
  };
}

/** Runs `cpuNs` of back-end work where the host's placement says; the event succeeds when it has run. */
export function runBackendWork(host: BackendHost, cpuNs: number, opts: BackendWorkOptions = {}): Event<void> {
  const tag = opts.tag ?? BACKEND_TAG;
  if (host.bareMetal || host.backendPlacement === BackendPlacement.hypervisor) {
    return host.hypervisorWork(cpuNs, {
      cpu: opts.cpu ?? 0,
      kind: 'softirq',
      tag,
      bytesTouched: opts.bytesTouched ?? 0,
    });
  }
  const i = opts.vcpu ?? 0;
  const v = host.dom0.vcpus[i];
  if (v === undefined)
    throw new RangeError(`host: backendWork: vcpu must be an integer in [0, ${host.dom0.vcpus.length - 1}], got ${i}`);
  return v.run(cpuNs, { urgent: true, tag });
}

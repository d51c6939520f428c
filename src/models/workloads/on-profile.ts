// Running a guest workload on one of the four virtualization profiles, the way the paper's relative-
// performance runs do: one CPU; native Linux on the bare-metal host (no hypervisor, no timer event, no
// domain 0 activity); xen, full-virt and hosted as one guest domain on a Xen host beside an idle domain 0
// (the host's per-domain timer event every timerTickNs, default HOST_DEFAULTS 20 ms, wakes domain 0 and
// the guest, so both the handler's cost and the domain switches it causes are in the run).
// What this leaves out: full-virt and hosted run on the same Xen host as xen (their own host OS — the
// VMware Workstation host, the UML host kernel — is priced only through their profile's operations).
// Domain creation is free here (control costs 0): the run measures the workload, not the set-up.
// Units: ns, bytes.
import { Simulation } from '../../sim/index.js';
import { GuestOS } from '../guest/guest-os.js';
import { VirtProfile } from '../guest/operations.js';
import { HOST_DEFAULTS, Host, type HostAccounting } from '../host/host.js';
import { checkInt, checkOneOf } from '../validate.js';
import { OpMixWorkload, type OpMixOptions } from './op-mix.js';

export interface ProfileHostOptions {
  /** Page-table updates per flush hypercall (xen), 1 … 2048. Default 2048. */
  readonly ptBatch?: number;
  /** The Xen host's timer event period, ns; 0 = off. Default HOST_DEFAULTS.timerTickNs (20 ms). */
  readonly timerTickNs?: number;
  /** The guest domain's working set for the host's domain-switch cost, bytes. Default 0. */
  readonly domainWorkingSetBytes?: number;
}

const FREE_CONTROL = {
  createDomainCostNs: 0,
  destroyDomainCostNs: 0,
  setSchedParamsCostNs: 0,
  setMemoryTargetCostNs: 0,
  attachDeviceCostNs: 0,
} as const;

/** A one-CPU host running a guest OS of `profile` (native: bare metal). */
export function hostForProfile(
  profile: VirtProfile,
  options: ProfileHostOptions = {},
): { sim: Simulation; host: Host; os: GuestOS } {
  const where = 'hostForProfile';
  checkOneOf(where, 'profile', profile, VirtProfile);
  const tick = checkInt(where, 'timerTickNs', options.timerTickNs ?? HOST_DEFAULTS.timerTickNs, 0);
  const ws = checkInt(where, 'domainWorkingSetBytes', options.domainWorkingSetBytes ?? 0, 0);
  const sim = new Simulation();
  if (profile === 'native') {
    const host = new Host(sim, { mode: 'bare-metal', cpus: 1 });
    const k = host.kernel;
    if (k === null) throw new Error(`${where}: the bare-metal host has no kernel domain`);
    if (ws > 0) for (const v of k.vcpus) host.contextSwitch.setWorkingSet(v.id, ws, 0);
    return { sim, host, os: new GuestOS(k, { profile }) };
  }
  const host = new Host(sim, { cpus: 1, timerTickNs: tick, controlCosts: FREE_CONTROL });
  const domain = host.control.createDomain({ name: 'guest', workingSetBytes: ws });
  const os = new GuestOS(domain, {
    profile,
    ...(options.ptBatch === undefined ? {} : { ptBatch: options.ptBatch }),
  });
  return { sim, host, os };
}

export interface ProfileRun {
  /** Start to end of the workload's process, ns. */
  readonly elapsedNs: number;
  /** CPU owed to the process's operations (guest-kernel time), ns. */
  readonly opNs: number;
  /** The process's CPU (operations + computation), ns. */
  readonly processCpuNs: number;
  /** The host's accounting at the end, after its conservation check. */
  readonly accounting: HostAccounting;
  /** Events the simulation processed. */
  readonly events: number;
}

/** Runs one operation-mix workload (bounded `units`) to completion on a fresh host of `profile`. */
export function runMixOnProfile(profile: VirtProfile, mix: OpMixOptions, options: ProfileHostOptions = {}): ProfileRun {
  if (mix.units === undefined)
    throw new RangeError('runMixOnProfile: units must be a positive integer (a bounded run), got undefined');
  const { sim, host, os } = hostForProfile(profile, {
    domainWorkingSetBytes: mix.workingSetBytes ?? 0,
    ...options,
  });
  const w = new OpMixWorkload(mix);
  const p = w.spawn(os);
  sim.run(p.exited);
  if (!p.exited.triggered) throw new Error(`runMixOnProfile: ${w.name} did not finish on ${profile}`);
  return {
    elapsedNs: w.elapsedNs,
    opNs: p.opNs,
    processCpuNs: p.cpuNs,
    accounting: host.checkConservation(),
    events: sim.eventsProcessed,
  };
}

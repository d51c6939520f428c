// lmbench-like programs run on the guest OS (guest-os.ts): each measures one Table 3 cell the way
// lmbench 3 does — a loop of the operation timed from inside a guest process, or for context switches
// lat_ctx's token ring of pipes — so that the result comes out of the guest OS, its profile, its
// page-table queue and its cache model, not out of the profile's table.
//
//   latOp:  warm-up iterations, then `iterations` of the operation; result = elapsed / iterations
//           (lat_syscall, lat_sig, lat_proc, lat_fs, lat_mmap, lat_pagefault).
//   latCtx: N processes in a ring of wait queues (pipes), each sums its private array of S bytes when it
//           gets the token, writes it on (a null I/O) and waits; process 0 times `rounds` trips after
//           `warmupRounds`. lmbench subtracts the overhead measured with one process that passes the
//           token to itself (same pipe write and sum, no switch): result = trip / N − overhead.
// Each measurement builds its own host with one guest domain (a Xen host for xen, full-virt and hosted,
// a bare-metal host for native) with no virtual timer and free control operations, so nothing else runs.
// Units: ns in, µs out where named (`…Us`).
import { Simulation } from '../../sim/index.js';
import { Host } from '../host/host.js';
import { checkInt } from '../validate.js';
import { GuestOS, GuestWaitQueue, type GuestProcess, type GuestProgram, type GuestStep } from './guest-os.js';
import type { Table3Op, VirtProfile } from './operations.js';

export interface LmbenchOptions {
  /** Page-table batch of the xen profile, 1 … 2048. Default 2048. */
  readonly ptBatch?: number;
}

/** dom0's control operations cost nothing here, so creating the guest does not take the CPU from it. */
const FREE_CONTROL = {
  createDomainCostNs: 0,
  destroyDomainCostNs: 0,
  setSchedParamsCostNs: 0,
  setMemoryTargetCostNs: 0,
  attachDeviceCostNs: 0,
} as const;

/** A host with one guest domain running a guest OS of `profile`. */
export function guestOnIdleHost(
  profile: VirtProfile,
  options: LmbenchOptions = {},
): { sim: Simulation; host: Host; os: GuestOS } {
  const sim = new Simulation();
  const bare = profile === 'native';
  const host = bare
    ? new Host(sim, { mode: 'bare-metal', cpus: 1 })
    : new Host(sim, { cpus: 1, timerTickNs: 0, controlCosts: FREE_CONTROL });
  const domain = bare ? host.kernel : host.control.createDomain({ name: 'guest' });
  if (domain === null) throw new Error('guestOnIdleHost: the bare-metal host has no kernel domain');
  const os = new GuestOS(domain, { profile, ...(options.ptBatch === undefined ? {} : { ptBatch: options.ptBatch }) });
  return { sim, host, os };
}

/** lmbench's timing loop of one operation: mean time per operation, ns. */
export function latOpNs(profile: VirtProfile, op: Table3Op, iterations = 20, options: LmbenchOptions = {}): number {
  checkInt('latOp', 'iterations', iterations, 1, 1_000_000);
  const { sim, os } = guestOnIdleHost(profile, options);
  let t0 = -1;
  let t1 = -1;
  function* prog(): GuestProgram {
    for (let i = 0; i < 2; i++) yield { op };
    t0 = sim.now;
    for (let i = 0; i < iterations; i++) yield { op };
    t1 = sim.now;
  }
  sim.run(os.spawn('lmbench', prog()).exited);
  if (t1 < 0) throw new Error(`latOp: the ${op} loop did not finish`);
  return (t1 - t0) / iterations;
}

export interface LatCtxRun {
  readonly perSwitchNs: number;
  readonly overheadNs: number;
  readonly tripNs: number;
}

/** lat_ctx on the guest OS: N processes of S bytes; per-switch time minus the one-process overhead. */
export function latCtxOnGuest(
  profile: VirtProfile,
  processes: number,
  sizeBytes: number,
  rounds = 10,
  warmupRounds = 3,
): LatCtxRun {
  checkInt('latCtx', 'processes', processes, 2, 1024);
  checkInt('latCtx', 'sizeBytes', sizeBytes, 0);
  const sumNs = Math.round(0.1 * sizeBytes); // the warm sum (cancels with the overhead)
  const pass = (q: GuestWaitQueue, next: GuestWaitQueue): GuestStep[] => [
    { wait: q },
    { computeNs: sumNs },
    { op: 'nullIo' },
    { wake: next },
  ];

  // overhead: one process, token to itself, no switch
  let overheadNs = 0;
  {
    const { sim, os } = guestOnIdleHost(profile);
    const q = new GuestWaitQueue('self');
    const n = rounds * processes;
    function* solo(): GuestProgram {
      yield { wake: q };
      for (let i = 0; i < 3; i++) for (const s of pass(q, q)) yield s;
      const t0 = sim.now;
      for (let i = 0; i < n; i++) for (const s of pass(q, q)) yield s;
      overheadNs = (sim.now - t0) / n;
    }
    sim.run(os.spawn('overhead', solo(), sizeBytes).exited);
  }

  // the ring
  const { sim, os } = guestOnIdleHost(profile);
  let first: GuestProcess | null = null;
  const qs = Array.from({ length: processes }, (_, i) => new GuestWaitQueue(`pipe${i}`));
  let tripNs = 0;
  for (let i = 0; i < processes; i++) {
    const q = qs[i] as GuestWaitQueue;
    const next = qs[(i + 1) % processes] as GuestWaitQueue;
    function* member(): GuestProgram {
      if (i === 0) yield { wake: q }; // process 0 starts with the token
      const total = warmupRounds + rounds;
      if (i !== 0) {
        for (let r = 0; r < total; r++) for (const s of pass(q, next)) yield s;
        return;
      }
      // process 0 times from its receipt of the token at trip `warmupRounds` to its receipt `rounds` trips later
      let t0 = 0;
      for (let r = 0; r <= total; r++) {
        yield { wait: q };
        if (r === warmupRounds) t0 = sim.now;
        if (r === total) break;
        yield { computeNs: sumNs };
        yield { op: 'nullIo' };
        yield { wake: next };
      }
      tripNs = (sim.now - t0) / rounds;
    }
    const p = os.spawn(`ctx${i}`, member(), sizeBytes);
    if (i === 0) first = p;
  }
  if (first === null) throw new Error('latCtx: no process');
  sim.run((first as GuestProcess).exited);
  return { perSwitchNs: tripNs / processes - overheadNs, overheadNs, tripNs };
}

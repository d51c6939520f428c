// Test helpers for the host and CPU-scheduling tests: building a host, running it, and the
// end-of-run CPU-time conservation check that every test applies.
import { expect } from 'vitest';
import { Simulation } from '../../../src/sim/index.js';
import { Host, type HostOptions } from '../../../src/models/host/host.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';

/** dom0 control operations free, so hand-computed traces are not disturbed. */
export const FREE_CONTROL = {
  createDomainCostNs: 0,
  destroyDomainCostNs: 0,
  setSchedParamsCostNs: 0,
  setMemoryTargetCostNs: 0,
  attachDeviceCostNs: 0,
} as const;

export function makeHost(options: HostOptions = {}): { sim: Simulation; host: Host } {
  const sim = new Simulation();
  const host = new Host(sim, options);
  return { sim, host };
}

/** Runs to `untilNs`, then asserts exact CPU-time conservation; returns the accounting. */
export function runAndCheck(sim: Simulation, host: Host, untilNs: number) {
  sim.run(untilNs);
  const acc = host.checkConservation();
  expect(acc.busyNs + acc.hypervisorNs + acc.switchingNs + acc.idleNs).toBe(acc.elapsedNs * acc.cpus);
  return acc;
}

/** One scheduling decision as seen through host.onDispatch. */
export interface DispatchRecord {
  readonly timeNs: number;
  readonly cpu: number;
  readonly who: string;
  readonly sliceNs: number;
}

export function recordDispatches(host: Host, label: (v: Vcpu) => string = (v) => v.domain.name): DispatchRecord[] {
  const out: DispatchRecord[] = [];
  host.onDispatch.add((cpu, v, sliceNs, now) =>
    out.push({ timeNs: now, cpu, who: v === null ? 'idle' : label(v), sliceNs }),
  );
  return out;
}

// Host scenarios for studies: a simulation, a host with a scheduler chosen by name (or given), free or
// calibrated control-plane costs, and named random streams; groups of guest domains with start times
// jittered from one stream per domain (`start/<name>`, uniform in [0, jitter), floored to integer ns).
// Units: ns, bytes. Defaults: the host's (src/models/host/host.ts); control costs 'calibrated' are the
// control.ts defaults (Table 3 anchors), 'free' sets every control operation's dom0 cost to 0 (for
// studies that do not measure the control plane: creating domains is then not part of the window).
import { ContextSwitchModel } from '../models/cpu/context-switch.js';
import { createScheduler, type SchedulerName, type SchedulerTuning } from '../models/cpu/registry.js';
import type { CpuScheduler } from '../models/cpu/scheduler.js';
import type { CreateDomainOptions } from '../models/host/control.js';
import type { Domain } from '../models/host/domain.js';
import { Host, type HostOptions } from '../models/host/host.js';
import { cpuBoundWorkload } from '../models/workloads/cpu-burst.js';
import { RandomStreams } from '../sim/rng.js';
import { Simulation } from '../sim/simulation.js';

export const ControlCosts = { free: 'free', calibrated: 'calibrated' } as const;
export type ControlCosts = (typeof ControlCosts)[keyof typeof ControlCosts];

const FREE_CONTROL = {
  createDomainCostNs: 0,
  destroyDomainCostNs: 0,
  setSchedParamsCostNs: 0,
  setMemoryTargetCostNs: 0,
  attachDeviceCostNs: 0,
} as const;

export interface ScenarioOptions extends Omit<HostOptions, 'scheduler' | 'controlCosts'> {
  /** A scheduler by registry name (src/models/cpu/registry.ts) or an instance. */
  readonly scheduler: SchedulerName | CpuScheduler;
  /** Options for a scheduler chosen by name. */
  readonly tuning?: SchedulerTuning;
  readonly controlCosts: ControlCosts;
}

export interface Scenario {
  readonly sim: Simulation;
  readonly host: Host;
  /** Named random streams of the run (one per source of randomness). */
  readonly streams: RandomStreams;
}

/** A simulation and a host for one run, with the run's random streams. */
export function buildScenario(seed: string | number, opts: ScenarioOptions): Scenario {
  const { scheduler, tuning, controlCosts, ...hostOptions } = opts;
  const sim = new Simulation();
  const host = new Host(sim, {
    contextSwitch: new ContextSwitchModel(),
    ...hostOptions,
    scheduler: typeof scheduler === 'string' ? createScheduler(scheduler, tuning) : scheduler,
    controlCosts: controlCosts === ControlCosts.free ? FREE_CONTROL : {},
  });
  return { sim, host, streams: new RandomStreams(seed) };
}

/** A start time uniform in [0, jitterNs) from stream `start/<name>` (integer ns); 0 when jitterNs is 0. */
export function jitteredStartNs(streams: RandomStreams, name: string, jitterNs: number): number {
  return jitterNs > 0 ? Math.floor(streams.stream(`start/${name}`).uniform(0, jitterNs)) : 0;
}

export interface CpuBoundGroup {
  readonly count: number;
  /** Domain name of the i-th domain (0-based); also names its start stream. */
  readonly name: (i: number) => string;
  readonly workingSetBytes: number;
  /** Start times uniform in [0, jitter) (0: all start at once, no random draw). */
  readonly startJitterNs?: number;
  /** Scheduling parameters of the i-th domain (weight, mcuAdvance, warp …). */
  readonly sched?: (i: number) => Omit<CreateDomainOptions, 'name' | 'workingSetBytes'>;
}

/** `count` guest domains, each running a CPU-bound workload (never blocks) from its start time. */
export function cpuBoundDomains(sc: Scenario, group: CpuBoundGroup): Domain[] {
  const out: Domain[] = [];
  for (let i = 0; i < group.count; i++) {
    const name = group.name(i);
    const d = sc.host.control.createDomain({ name, workingSetBytes: group.workingSetBytes, ...group.sched?.(i) });
    cpuBoundWorkload(d, { startAtNs: jitteredStartNs(sc.streams, name, group.startJitterNs ?? 0) });
    out.push(d);
  }
  return out;
}

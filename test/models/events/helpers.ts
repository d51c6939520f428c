// Shared set-up for the event-channel, time and ring-channel tests: a host with no timer tick, free
// control operations and (by default) free context switches, so CPU accounting is exactly the
// demands the tests create.
import { Simulation } from '../../../src/sim/simulation.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { RoundRobinScheduler } from '../../../src/models/cpu/round-robin.js';
import type { CpuScheduler } from '../../../src/models/cpu/scheduler.js';
import type { Domain } from '../../../src/models/host/domain.js';
import { Host } from '../../../src/models/host/host.js';

export interface TestHost {
  readonly sim: Simulation;
  readonly host: Host;
  readonly a: Domain;
  readonly b: Domain;
}

export function testHost(
  opts: { cpus?: number; switchCosts?: boolean; scheduler?: CpuScheduler; vcpus?: number } = {},
): TestHost {
  const sim = new Simulation();
  const host = new Host(sim, {
    cpus: opts.cpus ?? 1,
    timerTickNs: 0,
    contextSwitch: opts.switchCosts === true ? new ContextSwitchModel() : ContextSwitchModel.free(),
    scheduler: opts.scheduler ?? new RoundRobinScheduler(),
    controlCosts: {
      createDomainCostNs: 0,
      destroyDomainCostNs: 0,
      setSchedParamsCostNs: 0,
      setMemoryTargetCostNs: 0,
      attachDeviceCostNs: 0,
    },
  });
  const a = host.control.createDomain({ name: 'a', vcpus: opts.vcpus ?? 1 });
  const b = host.control.createDomain({ name: 'b', vcpus: opts.vcpus ?? 1 });
  return { sim, host, a, b };
}

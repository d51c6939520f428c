// Bare-metal mode of the host: the native Linux baseline of the paper's figures ("L" in Table 3 and
// the "Linux" bars of Figures 3–6) runs on it. No hypervisor, no domain 0, no domain switches, no
// virtual timer.
//
// What it holds: the trivial CPU scheduler of that mode. The host (mode 'bare-metal') creates one
// pseudo-domain, the native kernel ('Linux', id 0, `host.kernel`, also returned by `host.dom0` so code
// written for a virtualized host still finds "the domain that runs the drivers"), with one vCPU per
// physical CPU: vCPU i is CPU i, for ever. The scheduler below dispatches vCPU i on CPU i whenever it
// has work, with an infinite slice, and idles the CPU otherwise, so the dispatcher never context-
// switches between domains (the first dispatch on each CPU is free: ContextSwitchModel.free()).
// Process scheduling inside the native kernel is the workload's business (as a guest kernel's is in
// the virtualized host). Interrupts and device back ends run as interrupt/softirq work
// (host.hypervisorWork, interrupts.ts, backend.ts): the accounting's 'hypervisor' column is then the
// native kernel's interrupt context. The control plane refuses to create domains or change
// scheduling parameters; the periodic virtual timer is off (timerTickNs 0).
// Units: none of its own. Defaults: none.
import type { CpuScheduler, Decision, DomainSchedParams, SchedulerContext } from '../cpu/scheduler.js';
import type { Domain } from './domain.js';
import type { Vcpu } from './vcpu.js';

/** Host modes: virtualized (Xen) or native (bare metal). */
export const HostMode = { xen: 'xen', bareMetal: 'bare-metal' } as const;
export type HostMode = (typeof HostMode)[keyof typeof HostMode];

/** Name of the native kernel's pseudo-domain. */
export const BARE_METAL_KERNEL_NAME = 'Linux';

export class BareMetalScheduler implements CpuScheduler {
  readonly name = 'bare-metal';
  private ctx: SchedulerContext | null = null;
  private readonly onCpu: (Vcpu | undefined)[] = [];

  attach(ctx: SchedulerContext): void {
    this.ctx = ctx;
  }

  addVcpu(vcpu: Vcpu): void {
    const ctx = this.ctx;
    if (ctx === null || vcpu.index >= ctx.numCpus || this.onCpu[vcpu.index] !== undefined) {
      throw new RangeError(
        `bare-metal host: only the native kernel's ${ctx?.numCpus ?? 0} CPUs exist; cannot add ${vcpu.name}`,
      );
    }
    vcpu.cpu = vcpu.index;
    this.onCpu[vcpu.index] = vcpu;
  }

  removeVcpu(vcpu: Vcpu): void {
    this.onCpu[vcpu.cpu] = undefined;
  }

  wake(vcpu: Vcpu): void {
    const ctx = this.ctx as SchedulerContext;
    if (ctx.current(vcpu.cpu) === null) ctx.reschedule(vcpu.cpu);
  }

  block(): void {}
  yield(): void {}
  charge(): void {}

  pickNext(cpu: number): Decision {
    const v = this.onCpu[cpu];
    if (v !== undefined && v.state !== 'blocked' && v.hasDemand) return { vcpu: v, sliceNs: Infinity };
    return { vcpu: null, sliceNs: Infinity };
  }

  validateParams(params: DomainSchedParams, _domain: Domain | null): void {
    const keys = Object.keys(params);
    if (keys.length > 0)
      throw new RangeError(
        `bare-metal host: no scheduling parameters (no hypervisor scheduler), got ${keys.join(', ')}`,
      );
  }

  setParams(): void {}
}

// Bare-metal mode: the native kernel's CPUs run their work with no hypervisor scheduling, no domain
// switches and no virtual timer; interrupts and back-end work are interrupt-context time; the control
// plane creates no domains; options that only make sense under a hypervisor are refused.
import { describe, expect, it } from 'vitest';
import { Simulation, ms, us } from '../../../src/sim/index.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import { Host } from '../../../src/models/host/host.js';
import { InterruptLine, IrqRouting } from '../../../src/models/host/interrupts.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { runAndCheck } from './helpers.js';

function bare(cpus = 2) {
  const sim = new Simulation();
  const host = new Host(sim, { mode: 'bare-metal', cpus });
  return { sim, host, kernel: host.kernel as NonNullable<typeof host.kernel> };
}

describe('bare-metal host', () => {
  it('one kernel CPU per PCPU: work completes after exactly its CPU time, with no switches and no ticks', () => {
    const { sim, host, kernel } = bare(2);
    expect(kernel.name).toBe('Linux');
    expect(host.dom0).toBe(kernel);
    expect(kernel.vcpus.map((v) => v.cpu)).toEqual([0, 1]);
    let switches = 0;
    host.onSwitch.add((_c, _f, _t, cost) => {
      switches++;
      expect(cost).toBe(0);
    });
    const done: number[] = [];
    (kernel.vcpus[0] as Vcpu).run(ms(3)).addCallback(() => done.push(sim.now));
    (kernel.vcpus[1] as Vcpu).run(ms(5)).addCallback(() => done.push(sim.now));
    sim.scheduleAt(ms(10), () => (kernel.vcpus[0] as Vcpu).run(ms(1)).addCallback(() => done.push(sim.now)));
    const acc = runAndCheck(sim, host, ms(100));
    expect(done).toEqual([ms(3), ms(5), ms(11)]);
    expect(acc.busyNs).toBe(ms(9)); // no timer work on any CPU (no virtual timer)
    expect(acc.switchingNs).toBe(0);
    expect(switches).toBe(2); // each CPU's first dispatch of its kernel vCPU, free
  });

  it('interrupts run in interrupt context and delay the interrupted work by exactly their time', () => {
    const { sim, host, kernel } = bare(2);
    const nic = new InterruptLine(host, {
      name: 'nic',
      handlerNs: us(4),
      softirqNs: us(6),
      routing: IrqRouting.fixed,
      cpus: [1],
    });
    let doneAt = -1;
    (kernel.vcpus[1] as Vcpu).run(ms(2)).addCallback(() => (doneAt = sim.now));
    sim.scheduleAt(ms(1), () => nic.raise());
    sim.scheduleAt(ms(1), () => host.backendWork(us(20), { cpu: 1 }));
    const acc = runAndCheck(sim, host, ms(5));
    expect(doneAt).toBe(ms(2) + us(30));
    expect(acc.hypervisorNs).toBe(us(30));
    expect(host.cpuTimes(0).hypervisorNs).toBe(0);
  });

  it('creates no domains and has no scheduling parameters', () => {
    const { host } = bare(1);
    expect(() => host.control.createDomain({ name: 'guest' })).toThrow(/bare-metal host has no hypervisor/);
    expect(() => host.control.setSchedParams(0, { weight: 512 })).toThrow(/no hypervisor scheduler/);
    expect(host.domains).toHaveLength(1);
  });

  it('refuses hypervisor-only options naming the field', () => {
    const sim = new Simulation();
    expect(() => new Host(sim, { mode: 'bare-metal', scheduler: new BvtScheduler() })).toThrow(
      /scheduler must be left out/,
    );
    expect(() => new Host(sim, { mode: 'bare-metal', timerTickNs: ms(10) })).toThrow(/timerTickNs must be 0/);
    expect(() => new Host(sim, { mode: 'bare-metal', backendPlacement: 'dom0' })).toThrow(
      /backendPlacement must be left out/,
    );
    expect(() => new Host(sim, { mode: 'native' as 'xen' })).toThrow(/mode must be one of/);
    const h = new Host(sim, { mode: 'xen' });
    expect(h.kernel).toBeNull();
    expect(h.bareMetal).toBe(false);
  });

  it('64 CPUs: a kernel vCPU per CPU (more than a domain may have under Xen)', () => {
    const { sim, host, kernel } = bare(64);
    expect(kernel.vcpus).toHaveLength(64);
    for (const v of kernel.vcpus) v.run(us(100) + v.index);
    runAndCheck(sim, host, ms(1));
    expect(kernel.busyNs).toBe(64 * us(100) + (63 * 64) / 2);
  });
});

// Hypervisor-context work and interrupt routing: a handler delays the interrupted vCPU's demand by
// exactly its own time (no domain switch), shortens idle time, waits for a context switch in
// progress, hard interrupts preempt softirqs; exact conservation guest + hypervisor + switching +
// idle = elapsed × CPUs with random handlers (fast-check); fixed, round-robin and least-loaded routing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStreams, ms, s, us } from '../../../src/sim/index.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import { CreditScheduler } from '../../../src/models/cpu/credit.js';
import { InterruptLine, IrqRouting } from '../../../src/models/host/interrupts.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { cpuBoundWorkload, cpuBurstWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { FREE_CONTROL, makeHost, runAndCheck } from './helpers.js';

const QUIET = { timerTickNs: 0, contextSwitch: ContextSwitchModel.free(), controlCosts: FREE_CONTROL } as const;

describe('hypervisor-context work', () => {
  it('delays the running vCPU by exactly the handler time, with no domain switch', () => {
    const { sim, host } = makeHost(QUIET);
    const d = host.control.createDomain({ name: 'a' });
    const v = d.vcpus[0] as Vcpu;
    let doneAt = -1;
    let irqAt = -1;
    let switches = 0;
    const dispatches: string[] = [];
    host.onSwitch.add(() => switches++);
    host.onDispatch.add((_c, w, _s, now) => dispatches.push(`${w === null ? 'idle' : w.name}@${now}`));
    d.compute(ms(3)).addCallback(() => (doneAt = sim.now));
    sim.scheduleAt(ms(1), () => {
      host.hypervisorWork(us(50), { cpu: 0, tag: 'nic' }).addCallback(() => (irqAt = sim.now));
    });
    const acc = runAndCheck(sim, host, ms(10));
    expect(irqAt).toBe(ms(1) + us(50));
    expect(doneAt).toBe(ms(3) + us(50));
    expect(v.virtualTimeNs).toBe(ms(3));
    expect(host.cpuTimes(0)).toEqual({ busyNs: ms(3), hypervisorNs: us(50), switchingNs: 0, idleNs: ms(7) - us(50) });
    expect(acc.hypervisorNs).toBe(us(50));
    expect(v.times().interruptedNs).toBe(us(50));
    // one switch in; decisions only at start, at a's dispatch and at its end: none at the handler
    expect(switches).toBe(1);
    expect(dispatches.slice(0, 2)).toEqual(['a.v0@0', `idle@${ms(3) + us(50)}`]);
  });

  it('runs on an idle PCPU as hypervisor time, not idle time; 0 ns completes at once', () => {
    const { sim, host } = makeHost(QUIET);
    let zeroAt = -1;
    sim.scheduleAt(ms(2), () => {
      host.hypervisorWork(us(30), { kind: 'softirq' });
      host.hypervisorWork(0).addCallback(() => (zeroAt = sim.now));
    });
    runAndCheck(sim, host, ms(5));
    expect(zeroAt).toBe(ms(2));
    expect(host.cpuTimes(0)).toEqual({ busyNs: 0, hypervisorNs: us(30), switchingNs: 0, idleNs: ms(5) - us(30) });
  });

  it('a hard interrupt preempts a running softirq; softirqs run FIFO after every pending interrupt', () => {
    const { sim, host } = makeHost(QUIET);
    const log: string[] = [];
    host.onHypervisorWork.add((_cpu, tag, cpuNs, now) => log.push(`${tag}:${cpuNs}@${now}`));
    host.hypervisorWork(us(100), { kind: 'softirq', tag: 's1' });
    host.hypervisorWork(us(20), { kind: 'softirq', tag: 's2' });
    sim.scheduleAt(us(30), () => host.hypervisorWork(us(10), { tag: 'i1' }));
    runAndCheck(sim, host, ms(1));
    // s1 runs 0..30, i1 30..40, s1 resumes 40..110, s2 110..130 (hand-computed)
    expect(log).toEqual([`i1:${us(10)}@${us(40)}`, `s1:${us(100)}@${us(110)}`, `s2:${us(20)}@${us(130)}`]);
    expect(host.cpuTimes(0).hypervisorNs).toBe(us(130));
  });

  it('work queued during a context switch waits for the switch to end, then delays the vCPU', () => {
    const cs = new ContextSwitchModel({});
    const { sim, host } = makeHost({ timerTickNs: 0, controlCosts: FREE_CONTROL, contextSwitch: cs });
    const d = host.control.createDomain({ name: 'a' });
    const v = d.vcpus[0] as Vcpu;
    let switchNs = -1;
    host.onSwitch.add((_c, _f, _t, cost) => (switchNs = cost));
    let irqAt = -1;
    let doneAt = -1;
    d.compute(ms(1)).addCallback(() => (doneAt = sim.now));
    sim.scheduleAt(1, () => host.hypervisorWork(us(5)).addCallback(() => (irqAt = sim.now)));
    runAndCheck(sim, host, ms(5));
    expect(switchNs).toBeGreaterThan(1);
    expect(irqAt).toBe(switchNs + us(5));
    expect(doneAt).toBe(switchNs + us(5) + ms(1));
    expect(v.times().switchingNs).toBe(switchNs);
    expect(v.times().interruptedNs).toBe(us(5));
  });

  it('a wake-up during a handler is served when the handler ends (scheduling point deferred)', () => {
    const { sim, host } = makeHost({ ...QUIET, scheduler: new CreditScheduler() });
    const a = host.control.createDomain({ name: 'a' });
    let startB = -1;
    host.onDispatch.add((_c, v, _s, now) => {
      if (v !== null && v.domain.name === 'b' && startB < 0) startB = now;
    });
    const b = host.control.createDomain({ name: 'b' });
    sim.scheduleAt(ms(15), () => {
      host.hypervisorWork(us(40));
      b.compute(us(10));
    });
    a.compute(ms(30));
    runAndCheck(sim, host, ms(40));
    // Credit: a lost BOOST at the 10 ms tick; b wakes with BOOST and preempts a, but only once the
    // handler is done
    expect(startB).toBe(ms(15) + us(40));
  });

  it('destroying the interrupted domain keeps conservation exact', () => {
    const { sim, host } = makeHost(QUIET);
    const d = host.control.createDomain({ name: 'a' });
    d.compute(ms(3));
    sim.scheduleAt(ms(1), () => host.hypervisorWork(us(100)));
    sim.scheduleAt(ms(1) + us(50), () => host.control.destroyDomain(d.id));
    runAndCheck(sim, host, ms(4));
    const t = (d.vcpus[0] as Vcpu).times();
    expect(t.interruptedNs).toBe(us(50));
    expect(host.cpuTimes(0).hypervisorNs).toBe(us(100));
  });

  it('rejects bad arguments naming the field', () => {
    const { host } = makeHost(QUIET);
    expect(() => host.hypervisorWork(-1)).toThrow(/cpuNs/);
    expect(() => host.hypervisorWork(10, { cpu: 1 })).toThrow(/cpu must be an integer in \[0, 0\]/);
    expect(() => host.hypervisorWork(10, { kind: 'nmi' as 'irq' })).toThrow(/kind must be one of/);
  });

  it('conserves CPU time exactly with random interrupts under BVT and Credit on 1–2 PCPUs (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.record({
          credit: fc.boolean(),
          cpus: fc.integer({ min: 1, max: 2 }),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          irqs: fc.array(
            fc.record({
              atUs: fc.integer({ min: 0, max: 200_000 }),
              ns: fc.integer({ min: 1, max: 300_000 }),
              soft: fc.boolean(),
              cpu: fc.nat(),
            }),
            { maxLength: 40 },
          ),
          destroyAtUs: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null }),
        }),
        (cfg) => {
          const { sim, host } = makeHost({
            cpus: cfg.cpus,
            scheduler: cfg.credit ? new CreditScheduler() : new BvtScheduler(),
          });
          const streams = new RandomStreams(cfg.seed);
          cpuBoundWorkload(host.control.createDomain({ name: 'hog', workingSetBytes: 200_000 }), { chunkNs: ms(7) });
          const io = host.control.createDomain({ name: 'io', workingSetBytes: 50_000 });
          cpuBurstWorkload(io, streams, {
            burst: { kind: 'exponential', meanNs: us(300) },
            wait: { kind: 'exponential', meanNs: us(900) },
          });
          let total = 0;
          for (const q of cfg.irqs) {
            total += q.ns;
            sim.scheduleAt(us(q.atUs), () =>
              host.hypervisorWork(q.ns, { cpu: q.cpu % cfg.cpus, kind: q.soft ? 'softirq' : 'irq' }),
            );
          }
          if (cfg.destroyAtUs !== null) sim.scheduleAt(us(cfg.destroyAtUs), () => host.control.destroyDomain(io.id));
          const acc = runAndCheck(sim, host, ms(250));
          // the last handler starts by 200 ms and all of them fit in 12 ms per CPU: every one has run
          expect(acc.hypervisorNs).toBe(total);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('interrupt routing', () => {
  it("'fixed' sends every interrupt to one PCPU; 'round-robin' alternates over the listed PCPUs", () => {
    const { sim, host } = makeHost({ ...QUIET, cpus: 3 });
    const fixed = new InterruptLine(host, { name: 'disk', handlerNs: 1000, cpus: [2] });
    const rr = new InterruptLine(host, {
      name: 'nic',
      handlerNs: 2000,
      softirqNs: 500,
      routing: IrqRouting.roundRobin,
      cpus: [0, 1],
    });
    const done: number[] = [];
    for (let i = 0; i < 5; i++) {
      sim.scheduleAt(us(10 * i), () => {
        fixed.raise();
        rr.raise(100, (cpu) => done.push(cpu));
      });
    }
    runAndCheck(sim, host, ms(1));
    expect(fixed.raisedPerCpu).toEqual([0, 0, 5]);
    expect(rr.raisedPerCpu).toEqual([3, 2, 0]);
    expect(rr.completedPerCpu).toEqual([3, 2, 0]);
    expect(done).toEqual([0, 1, 0, 1, 0]);
    expect(host.cpuTimes(2).hypervisorNs).toBe(5000);
    expect(host.cpuTimes(0).hypervisorNs).toBe(3 * 2600);
    expect(host.cpuTimes(1).hypervisorNs).toBe(2 * 2600);
  });

  it("'least-loaded' picks the PCPU with the least backlog, an idle one at equal backlog", () => {
    const { sim, host } = makeHost({ ...QUIET, cpus: 2 });
    const line = new InterruptLine(host, { name: 'nic', handlerNs: us(10), routing: IrqRouting.leastLoaded });
    const d = host.control.createDomain({ name: 'a' });
    const v = d.vcpus[0] as Vcpu;
    const cpus: number[] = [];
    d.compute(ms(1));
    sim.scheduleAt(us(100), () => {
      // a runs on its CPU; the other is idle: equal backlog (0), the idle one wins
      const busyCpu = v.cpu;
      cpus.push(1 - busyCpu);
      cpus.push(line.raise()); // → idle CPU, backlog 10 µs there now
      cpus.push(line.raise()); // → the busy CPU (backlog 0 < 10 µs)
      cpus.push(line.raise()); // both at 10 µs, neither idle → lowest index 0
    });
    runAndCheck(sim, host, ms(2));
    expect(cpus[1]).toBe(cpus[0]);
    expect(cpus[2]).toBe(1 - (cpus[0] as number));
    expect(cpus[3]).toBe(0);
    expect(host.accounting().hypervisorNs).toBe(us(30));
  });

  it('rejects bad line options naming the field', () => {
    const { host } = makeHost({ ...QUIET, cpus: 2 });
    expect(() => new InterruptLine(host, { name: 'x', handlerNs: -5 })).toThrow(/handlerNs/);
    expect(() => new InterruptLine(host, { name: 'x', handlerNs: 5, cpus: [2] })).toThrow(/cpus/);
    expect(() => new InterruptLine(host, { name: 'x', handlerNs: 5, routing: 'random' as IrqRouting })).toThrow(
      /routing/,
    );
  });

  it('is deterministic: the same run twice gives the same per-CPU times', () => {
    const run = () => {
      const { sim, host } = makeHost({ cpus: 2 });
      const line = new InterruptLine(host, {
        name: 'nic',
        handlerNs: 3000,
        softirqNs: 7000,
        routing: IrqRouting.leastLoaded,
      });
      cpuBoundWorkload(host.control.createDomain({ name: 'hog' }), { chunkNs: ms(3) });
      for (let i = 0; i < 200; i++) sim.scheduleAt(us(97 * i), () => line.raise(i % 5));
      return runAndCheck(sim, host, s(0.05)).perCpu;
    };
    expect(run()).toEqual(run());
  });
});

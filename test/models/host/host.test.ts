// The host's dispatcher and the vCPU demand API: completion times, FIFO and urgent demands, wake and
// block, context-switch accounting, the timer event, CPU-time conservation (1 and 2 PCPUs), and
// invariant violations provoked through deliberately broken schedulers.
import { describe, expect, it } from 'vitest';
import { InvariantError, Simulation, Tracer, ms, s, us, type ProcessGenerator } from '../../../src/sim/index.js';
import { Host } from '../../../src/models/host/host.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { RoundRobinScheduler } from '../../../src/models/cpu/round-robin.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import type { Decision } from '../../../src/models/cpu/scheduler.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { cpuBoundWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { FREE_CONTROL, makeHost, recordDispatches, runAndCheck } from './helpers.js';

const QUIET = { timerTickNs: 0, contextSwitch: ContextSwitchModel.free(), controlCosts: FREE_CONTROL } as const;

describe('vCPU demand API', () => {
  it('completes a demand after exactly that much CPU time and then blocks', () => {
    const { sim, host } = makeHost(QUIET);
    const d = host.control.createDomain({ name: 'a' });
    const v = d.vcpus[0] as Vcpu;
    expect(v.state).toBe('blocked');
    let doneAt = -1;
    d.compute(ms(3)).addCallback(() => (doneAt = sim.now));
    expect(v.state).toBe('runnable');
    runAndCheck(sim, host, ms(10));
    expect(doneAt).toBe(ms(3));
    expect(v.virtualTimeNs).toBe(ms(3));
    expect(d.busyNs).toBe(ms(3));
    expect(v.state).toBe('blocked');
    expect(host.cpuTimes(0)).toEqual({ busyNs: ms(3), hypervisorNs: 0, switchingNs: 0, idleNs: ms(7) });
  });

  it('serves demands FIFO within a vCPU, urgent ones first (pre-empting a normal one)', () => {
    const { sim, host } = makeHost(QUIET);
    const d = host.control.createDomain({ name: 'a' });
    const v = d.vcpus[0] as Vcpu;
    const done: [string, number][] = [];
    v.run(ms(10)).addCallback(() => done.push(['n1', sim.now]));
    v.run(ms(2)).addCallback(() => done.push(['n2', sim.now]));
    sim.scheduleAt(ms(4), () => {
      v.run(ms(1), { urgent: true, tag: 'irq' }).addCallback(() => done.push(['u1', sim.now]));
      v.run(ms(1), { urgent: true }).addCallback(() => done.push(['u2', sim.now]));
    });
    runAndCheck(sim, host, ms(20));
    expect(done).toEqual([
      ['u1', ms(5)],
      ['u2', ms(6)],
      ['n1', ms(12)],
      ['n2', ms(14)],
    ]);
  });

  it('virtualTimeNs advances only while the vCPU runs', () => {
    const { sim, host } = makeHost(QUIET);
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    a.compute(s(1));
    b.compute(s(1));
    const samples: number[] = [];
    for (let t = 1; t <= 40; t++)
      sim.scheduleAt(ms(t), () =>
        samples.push((a.vcpus[0] as Vcpu).virtualTimeNs + (b.vcpus[0] as Vcpu).virtualTimeNs),
      );
    runAndCheck(sim, host, ms(41));
    // one CPU, always busy: the two virtual times together advance exactly with real time
    samples.forEach((x, i) => expect(x).toBe(ms(i + 1)));
  });

  it('a burst issued at the instant the previous one completes does not block the vCPU', () => {
    const { sim, host } = makeHost(QUIET);
    const d = host.control.createDomain({ name: 'a' });
    const v = d.vcpus[0] as Vcpu;
    const blocks: number[] = [];
    const wakes: number[] = [];
    host.onBlock.add((_v, now) => blocks.push(now));
    host.onWake.add((_v, now) => wakes.push(now));
    function* body(): ProcessGenerator<void> {
      yield v.run(ms(1));
      yield v.run(ms(1));
      yield sim.timeout(ms(3));
      yield v.run(ms(1));
    }
    sim.process(body());
    runAndCheck(sim, host, ms(20));
    expect(wakes).toEqual([0, ms(5)]);
    expect(blocks).toEqual([ms(2), ms(6)]);
  });

  it('run(0) succeeds at once without waking the vCPU; bad arguments throw RangeError', () => {
    const { sim, host } = makeHost(QUIET);
    const d = host.control.createDomain({ name: 'a' });
    const ev = d.compute(0);
    expect((d.vcpus[0] as Vcpu).state).toBe('blocked');
    runAndCheck(sim, host, ms(1));
    expect(ev.processed).toBe(true);
    expect(() => d.compute(-1)).toThrow(RangeError);
    expect(() => d.compute(1.5)).toThrow(/cpuNs must be an integer >= 0, got 1.5/);
    expect(() => d.compute(ms(1), 3)).toThrow(/vcpuIndex must be an integer in \[0, 0\], got 3/);
  });
});

describe('per-vCPU times, yield and tracing', () => {
  it('splits each vCPU lifetime into blocked, waiting, switching and running (hand-computed)', () => {
    const { sim, host } = makeHost({
      timerTickNs: 0,
      controlCosts: FREE_CONTROL,
      scheduler: new RoundRobinScheduler(),
    });
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    a.compute(ms(3));
    b.compute(ms(3));
    runAndCheck(sim, host, ms(10));
    // FIFO [a, b]: a switches in (c0: Xen profile, working set 0, cold), runs 3 ms, blocks at 3 ms + c0; b then
    // switches (c0) and runs
    const c0 = new ContextSwitchModel().coldCostNs(0);
    expect((a.vcpus[0] as Vcpu).times()).toEqual({
      blockedNs: ms(7) - c0,
      waitingNs: 0,
      switchingNs: c0,
      runningNs: ms(3),
      interruptedNs: 0,
    });
    expect((b.vcpus[0] as Vcpu).times()).toEqual({
      blockedNs: ms(4) - 2 * c0,
      waitingNs: ms(3) + c0,
      switchingNs: c0,
      runningNs: ms(3),
      interruptedNs: 0,
    });
  });

  it('yieldCpu gives the PCPU up at once (the vCPU stays runnable)', () => {
    const { sim, host } = makeHost({ ...QUIET, scheduler: new RoundRobinScheduler() });
    const log = recordDispatches(host);
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    a.compute(s(1));
    b.compute(s(1));
    sim.scheduleAt(ms(3), () => (a.vcpus[0] as Vcpu).yieldCpu());
    runAndCheck(sim, host, ms(14));
    expect(log.map((r) => [r.timeNs, r.who])).toEqual([
      [0, 'a'],
      [ms(3), 'b'],
      [ms(13), 'a'],
    ]);
  });

  it('writes xentrace-like records when the simulation has a tracer', () => {
    const tracer = new Tracer();
    const sim = new Simulation({ tracer });
    const host = new Host(sim, { timerTickNs: 0, controlCosts: FREE_CONTROL });
    host.control.createDomain({ name: 'a' }).compute(ms(1));
    sim.run(ms(2));
    host.checkConservation();
    const c0 = new ContextSwitchModel().coldCostNs(0);
    expect(tracer.records.map((r) => `${r.timeNs} ${r.kind} ${JSON.stringify(r.fields)}`)).toEqual([
      '0 wake {"vcpu":"a.v0"}',
      '0 dispatch {"cpu":0,"vcpu":"a.v0","sliceNs":50000000}',
      `0 switch {"cpu":0,"from":null,"to":"a.v0","costNs":${c0}}`,
      `${ms(1) + c0} block {"vcpu":"a.v0","cpu":0}`,
      `${ms(1) + c0} dispatch {"cpu":0,"vcpu":null,"sliceNs":5000000}`,
    ]);
  });
});

describe('context switches and accounting', () => {
  it('charges the direct cost plus the cold-cache refill, as switching time of the incoming domain', () => {
    const cs = new ContextSwitchModel();
    const { sim, host } = makeHost({
      timerTickNs: 0,
      contextSwitch: cs,
      controlCosts: FREE_CONTROL,
      scheduler: new RoundRobinScheduler({ quantumNs: ms(10) }),
    });
    const a = host.control.createDomain({ name: 'a', workingSetBytes: 64 * 1024 });
    const b = host.control.createDomain({ name: 'b', workingSetBytes: 0 });
    a.compute(ms(5));
    b.compute(ms(5));
    const switches: [string, string, number][] = [];
    host.onSwitch.add((_cpu, from, to, cost) => switches.push([from?.domain.name ?? '-', to.domain.name, cost]));
    const acc = runAndCheck(sim, host, ms(20));
    // cold: the footprint model's cold refill of 64 KB (test/models/cpu/context-switch.test.ts checks the model)
    const coldA = cs.coldCostNs(64 * 1024);
    expect(coldA).toBeGreaterThan(20_000);
    expect(switches.map((x) => x[1]).sort()).toEqual(['a', 'b']);
    const costA = switches.find((x) => x[1] === 'a')?.[2];
    const costB = switches.find((x) => x[1] === 'b')?.[2];
    expect(costA).toBe(coldA);
    // b's working set is 0: what it refills is its own overhead bytes (kernel stack, task, page tables)
    const coldB = cs.coldCostNs(0);
    expect(coldB).toBeGreaterThanOrEqual(cs.directNs);
    expect(costB).toBe(coldB);
    expect(a.switchingNs).toBe(coldA);
    expect(b.switchingNs).toBe(coldB);
    expect(acc.switchingNs).toBe(coldA + coldB);
    expect(acc.busyNs).toBe(ms(10));
  });

  it('conserves CPU time exactly on 1 and 2 PCPUs with switching, idling and blocking', () => {
    for (const cpus of [1, 2]) {
      const { sim, host } = makeHost({ cpus });
      for (let i = 0; i < 3; i++) {
        const d = host.control.createDomain({ name: `d${i}`, workingSetBytes: (i + 1) * 100_000 });
        cpuBoundWorkload(d, { chunkNs: ms(7) + i });
      }
      const io = host.control.createDomain({ name: 'io', workingSetBytes: 32_000 });
      function* ioBody(): ProcessGenerator<void> {
        for (;;) {
          yield sim.timeout(us(3300));
          yield io.compute(us(170));
        }
      }
      sim.process(ioBody());
      const acc = runAndCheck(sim, host, s(2) + 12345);
      expect(acc.perCpu).toHaveLength(cpus);
      expect(acc.switchingNs).toBeGreaterThan(0);
      let domBusy = 0;
      for (const d of host.allDomains) domBusy += d.busyNs;
      expect(domBusy).toBe(acc.busyNs);
    }
  });

  it('delivers the 20 ms timer event to every vCPU, waking blocked ones', () => {
    const { sim, host } = makeHost({ contextSwitch: ContextSwitchModel.free(), controlCosts: FREE_CONTROL });
    const d = host.control.createDomain({ name: 'sleeper', vcpus: 2 });
    const tags: number[] = [];
    host.onDemandDone.add((v, tag, now) => {
      if (v.domain === d && tag === 'timer') tags.push(now);
    });
    runAndCheck(sim, host, ms(101));
    // ticks at 0, 20, …, 100 ms: 6 per vCPU, 1.75 µs each (Table 3 Xen "sig handle")
    expect(d.busyNs).toBe(2 * 6 * 1750);
    expect(host.dom0.busyNs).toBe(6 * 1750);
    expect(tags.length).toBe(12);
  });
});

/** Round robin that dispatches whatever its hook says (for provoking invariant violations). */
class BrokenScheduler extends RoundRobinScheduler {
  constructor(private readonly pick: (cpu: number, d: Decision) => Decision | null) {
    super();
  }
  override pickNext(cpu: number, now: number): Decision {
    const d = super.pickNext(cpu, now);
    return this.pick(cpu, d) ?? d;
  }
}

describe('run-time invariants', () => {
  it('dispatching a blocked vCPU throws InvariantError naming the model and the simulated time', () => {
    let victim: Vcpu | null = null;
    const sched = new BrokenScheduler((_cpu, d) =>
      victim !== null && d.vcpu === null ? { vcpu: victim, sliceNs: ms(1) } : null,
    );
    const { sim, host } = makeHost({ ...QUIET, scheduler: sched });
    const a = host.control.createDomain({ name: 'a' });
    victim = a.vcpus[0] as Vcpu;
    a.compute(ms(2));
    let err: unknown = null;
    try {
      sim.run(ms(10));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvariantError);
    const ie = err as InvariantError;
    expect(ie.model).toBe('host');
    expect(ie.timeNs).toBe(ms(2));
    expect(ie.message).toMatch(
      /invariant violated in host: scheduler round-robin dispatched a\.v0 on CPU 0, but it is blocked \(at t = 2 ms\)/,
    );
  });

  it('dispatching a vCPU that is current on another PCPU throws', () => {
    let other: (() => Vcpu | null) | null = null;
    const sched = new BrokenScheduler((cpu, d) => {
      const v = cpu === 1 && other !== null ? other() : null;
      return v !== null ? { vcpu: v, sliceNs: ms(1) } : d;
    });
    const { sim, host } = makeHost({ ...QUIET, cpus: 2, scheduler: sched });
    other = () => host.current(0);
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    // least-loaded placement: dom0 → CPU 0, a → CPU 1, b → CPU 0
    a.compute(ms(5));
    b.compute(ms(20));
    expect(() => sim.run(ms(30))).toThrow(
      /invariant violated in host: scheduler round-robin dispatched b\.v0 on CPU 1, but it is already current on CPU 0 \(at t = 5 ms\)/,
    );
  });

  it('rejects bad host options with RangeError naming the field', () => {
    expect(() => makeHost({ cpus: 0 })).toThrow(/Host: cpus must be an integer >= 1 and <= 64, got 0/);
    expect(() => makeHost({ timerTickNs: -5 })).toThrow(/timerTickNs must be an integer >= 0, got -5/);
    expect(() => new BvtScheduler({ ctxAllowNs: 0 })).toThrow(/ctxAllowNs must be an integer >= 1, got 0/);
  });

  it('records every decision through onDispatch (idle included)', () => {
    const { sim, host } = makeHost({ ...QUIET, scheduler: new RoundRobinScheduler() });
    const log = recordDispatches(host);
    const a = host.control.createDomain({ name: 'a' });
    a.compute(ms(1));
    runAndCheck(sim, host, ms(5));
    expect(log).toEqual([
      { timeNs: 0, cpu: 0, who: 'a', sliceNs: ms(10) },
      { timeNs: ms(1), cpu: 0, who: 'idle', sliceNs: Infinity },
    ]);
  });
});

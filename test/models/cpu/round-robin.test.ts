// Round robin: equal shares, the quantum, Xen 2.0's wake-to-head (no preemption unless idle).
import { describe, expect, it } from 'vitest';
import { RandomStreams, ms, s, us } from '../../../src/sim/index.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { RoundRobinScheduler } from '../../../src/models/cpu/round-robin.js';
import { cpuBoundWorkload, cpuBurstWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { FREE_CONTROL, makeHost, recordDispatches, runAndCheck } from '../host/helpers.js';

describe('round robin', () => {
  it('gives CPU-bound domains equal shares within 1 % (1 and 2 PCPUs)', () => {
    for (const cpus of [1, 2]) {
      const { sim, host } = makeHost({ cpus, scheduler: new RoundRobinScheduler() });
      const doms = [0, 1, 2, 3].map((i) => host.control.createDomain({ name: `d${i}`, workingSetBytes: 128 * 1024 }));
      for (const d of doms) cpuBoundWorkload(d);
      runAndCheck(sim, host, s(20));
      const total = doms.reduce((a, d) => a + d.busyNs, 0);
      for (const d of doms) expect(Math.abs(d.busyNs / total - 0.25) / 0.25).toBeLessThan(0.01);
    }
  });

  it("wakeTo 'head' (Xen 2.0): a waking vCPU goes to the queue head but waits for the slice end", () => {
    const rr = new RoundRobinScheduler({ quantumNs: ms(10), wakeTo: 'head' });
    const { sim, host } = makeHost({
      scheduler: rr,
      timerTickNs: 0,
      contextSwitch: ContextSwitchModel.free(),
      controlCosts: FREE_CONTROL,
    });
    const log = recordDispatches(host);
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    const c = host.control.createDomain({ name: 'c' });
    a.compute(s(1));
    b.compute(s(1));
    sim.scheduleAt(ms(15), () => c.compute(ms(2)));
    runAndCheck(sim, host, ms(45));
    // t=0: b (woken last, at the head) then a; c wakes at 15 ms, goes to the head, runs at 20 ms
    expect(log.map((r) => [r.timeNs, r.who, r.sliceNs])).toEqual([
      [0, 'b', ms(10)],
      [ms(10), 'a', ms(10)],
      [ms(20), 'c', ms(10)],
      [ms(22), 'b', ms(10)],
      [ms(32), 'a', ms(10)],
      [ms(42), 'b', ms(10)],
    ]);
  });

  it("wakeTo 'tail' (default) is the textbook FIFO", () => {
    const rr = new RoundRobinScheduler({ quantumNs: ms(10) });
    const { sim, host } = makeHost({
      scheduler: rr,
      timerTickNs: 0,
      contextSwitch: ContextSwitchModel.free(),
      controlCosts: FREE_CONTROL,
    });
    const log = recordDispatches(host);
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    const c = host.control.createDomain({ name: 'c' });
    a.compute(s(1));
    b.compute(s(1));
    sim.scheduleAt(ms(15), () => c.compute(ms(2)));
    runAndCheck(sim, host, ms(35));
    // queue at 15 ms: [a] then c at the tail → [a, c]; 20 ms: b requeued → a runs, then c
    expect(log.map((r) => [r.timeNs, r.who])).toEqual([
      [0, 'a'],
      [ms(10), 'b'],
      [ms(20), 'a'],
      [ms(30), 'c'],
      [ms(32), 'b'],
    ]);
    expect(rr.wakeTo).toBe('tail');
    expect(() => new RoundRobinScheduler({ quantumNs: 0 })).toThrow(/quantumNs must be an integer >= 1, got 0/);
  });

  it("Xen 2.0's wake-to-head can starve a runnable vCPU; the default tail insertion cannot", () => {
    const run = (wakeTo: 'head' | 'tail') => {
      const { sim, host } = makeHost({ scheduler: new RoundRobinScheduler({ wakeTo }) });
      const streams = new RandomStreams('rr-starve');
      // two domains whose waits (~1 ns) end within each other's 20 µs bursts
      for (const name of ['p', 'q']) {
        cpuBurstWorkload(host.control.createDomain({ name }), streams, {
          burst: { kind: 'exponential', meanNs: us(20) },
          wait: { kind: 'exponential', meanNs: 1 },
        });
      }
      const victim = host.control.createDomain({ name: 'victim' });
      cpuBoundWorkload(victim);
      runAndCheck(sim, host, s(1));
      return victim.busyNs / s(1);
    };
    expect(run('head')).toBeLessThan(0.02);
    expect(run('tail')).toBeGreaterThan(0.3);
  });
});

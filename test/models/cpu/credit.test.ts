// Credit: caps hold (cap 30 % → 0.30 ± 0.003 of a CPU), weights give proportional shares, BOOST
// gives a waking vCPU low latency, accounting internals (credit bounds, parking), options.
import { describe, expect, it } from 'vitest';
import { RandomStreams, ms, s, us, type ProcessGenerator } from '../../../src/sim/index.js';
import { CreditScheduler, CreditPri } from '../../../src/models/cpu/credit.js';
import type { Domain } from '../../../src/models/host/domain.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { cpuBoundWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { makeHost, runAndCheck } from '../host/helpers.js';

describe('Credit caps', () => {
  it('cap 30 % holds a CPU-bound domain to 0.30 ± 0.003 of one CPU over 60 s, against an uncapped one', () => {
    const credit = new CreditScheduler();
    const { sim, host } = makeHost({ scheduler: credit });
    const capped = host.control.createDomain({ name: 'capped', capPercent: 30 });
    const free = host.control.createDomain({ name: 'free' });
    cpuBoundWorkload(capped);
    cpuBoundWorkload(free);
    let parkedSeen = false;
    host.onDispatch.add(() => {
      if (credit.info(capped.vcpus[0] as Vcpu).parked) parkedSeen = true;
    });
    const acc = runAndCheck(sim, host, s(60));
    const share = capped.busyNs / s(60);
    expect(Math.abs(share - 0.3)).toBeLessThan(0.003);
    expect(parkedSeen).toBe(true);
    // the uncapped domain takes the rest: the CPU does not idle while it is runnable
    expect(acc.idleNs / s(60)).toBeLessThan(0.001);
    expect(free.busyNs / s(60)).toBeGreaterThan(0.69);
  });

  it('a cap limits even a domain alone on the CPU (the CPU idles), on 2 PCPUs with 2 vCPUs and cap 150 %', () => {
    const { sim, host } = makeHost({ cpus: 2, scheduler: new CreditScheduler() });
    const d = host.control.createDomain({ name: 'two', vcpus: 2, capPercent: 150 });
    cpuBoundWorkload(d, { vcpuIndex: 0 });
    cpuBoundWorkload(d, { vcpuIndex: 1 });
    runAndCheck(sim, host, s(30));
    expect(Math.abs(d.busyNs / s(30) - 1.5)).toBeLessThan(0.015);
  });
});

describe('Credit weights', () => {
  it('weights 256 : 512 : 768 give CPU shares 1 : 2 : 3 among CPU-bound domains', () => {
    const { sim, host } = makeHost({ scheduler: new CreditScheduler() });
    const doms: Domain[] = [1, 2, 3].map((k) => host.control.createDomain({ name: `w${k}`, weight: 256 * k }));
    for (const d of doms) cpuBoundWorkload(d);
    runAndCheck(sim, host, s(60));
    const total = doms.reduce((a, d) => a + d.busyNs, 0);
    doms.forEach((d, i) => {
      const want = (i + 1) / 6;
      expect(Math.abs(d.busyNs / total - want) / want).toBeLessThan(0.02);
    });
  });

  it('equal weights split equally, and a weight change applies from then on', () => {
    const { sim, host } = makeHost({ scheduler: new CreditScheduler() });
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    cpuBoundWorkload(a);
    cpuBoundWorkload(b);
    let a1 = 0;
    let b1 = 0;
    sim.scheduleAt(s(20), () => {
      a1 = a.busyNs;
      b1 = b.busyNs;
      host.control.setSchedParams(a.id, { weight: 768 });
    });
    runAndCheck(sim, host, s(50));
    expect(a1 / b1).toBeCloseTo(1, 1);
    expect((a.busyNs - a1) / (b.busyNs - b1)).toBeGreaterThan(2.8);
    expect((a.busyNs - a1) / (b.busyNs - b1)).toBeLessThan(3.2);
  });
});

describe('Credit BOOST and accounting', () => {
  it('BOOST gives a waking, mostly idle vCPU low latency among CPU-bound ones', () => {
    const run = (boost: boolean) => {
      const { sim, host } = makeHost({ scheduler: new CreditScheduler({ boost }) });
      for (let i = 0; i < 3; i++) cpuBoundWorkload(host.control.createDomain({ name: `cpu${i}` }));
      const io = host.control.createDomain({ name: 'io' });
      const rng = new RandomStreams('credit-boost').stream('io');
      const delays: number[] = [];
      function* body(): ProcessGenerator<void> {
        for (;;) {
          yield sim.timeout(Math.round(rng.exponential(ms(10))));
          const t0 = sim.now;
          yield io.compute(us(200));
          if (t0 > s(1)) delays.push(sim.now - t0 - us(200)); // after the start-up transient
        }
      }
      sim.process(body());
      runAndCheck(sim, host, s(10));
      delays.sort((a, b) => a - b);
      return {
        mean: delays.reduce((a, b) => a + b, 0) / delays.length,
        p50: delays[delays.length >> 1] as number,
        p90: delays[Math.floor(delays.length * 0.9)] as number,
      };
    };
    const boosted = run(true);
    const plain = run(false);
    // boosted: the typical wait is one context switch (2.102 µs, the Xen profile with working set 0); occasionally it is queued as UNDER
    // behind others after a preemption (Credit's known behaviour), which the mean shows
    expect(boosted.p50).toBeLessThanOrEqual(2102);
    expect(boosted.mean).toBeLessThan(plain.mean / 20);
    expect(plain.p50).toBeGreaterThan(ms(5));
  });

  it('credits stay within [−300, 300]; a CPU-bound vCPU is OVER or UNDER, never BOOST at a tick', () => {
    const credit = new CreditScheduler();
    const { sim, host } = makeHost({ scheduler: credit });
    const doms = [0, 1].map((i) => host.control.createDomain({ name: `d${i}` }));
    for (const d of doms) cpuBoundWorkload(d);
    const seen: number[] = [];
    // after start-up (every vCPU woke boosted at t = 0 and keeps BOOST until it is seen running)
    for (let t = 10; t < 200; t++) {
      sim.scheduleAt(ms(10) * t + 1, () => {
        for (const d of doms) {
          const e = credit.info(d.vcpus[0] as Vcpu);
          seen.push(e.credit);
          expect([CreditPri.under, CreditPri.over]).toContain(e.pri);
        }
      });
    }
    runAndCheck(sim, host, s(2));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(-300);
    expect(Math.max(...seen)).toBeLessThanOrEqual(300);
    expect(credit.activeWeight).toBe(512);
  });

  it('rejects bad options and parameters with RangeError naming the field', () => {
    expect(() => new CreditScheduler({ creditsPerMs: 7 })).toThrow(/creditsPerMs must be a divisor of 1000000, got 7/);
    const { host } = makeHost({ scheduler: new CreditScheduler() });
    expect(() => host.control.createDomain({ name: 'x', weight: 0 })).toThrow(
      /weight must be an integer >= 1 and <= 65535, got 0/,
    );
    expect(() => host.control.createDomain({ name: 'x', capPercent: 101 })).toThrow(
      /capPercent must be an integer >= 0 and <= 100, got 101/,
    );
    expect(() => host.control.createDomain({ name: 'x', vcpus: 2, capPercent: 200 })).not.toThrow();
  });
});

describe('Credit steal shortcut', () => {
  it('the count of queued entries above OVER (which lets an OVER-only PCPU skip its steal scan) matches a recount at every check', () => {
    // capped and uncapped hogs (parking, OVER/UNDER flips at accounting) and waking I/O domains on 4 PCPUs;
    // _checkCounts recounts the queues and throws if the kept count differs
    const credit = new CreditScheduler();
    const { sim, host } = makeHost({ cpus: 4, scheduler: credit });
    for (let i = 0; i < 6; i++) {
      const d = host.control.createDomain({ name: `hog${i}`, ...(i % 2 === 0 ? { capPercent: 40 } : {}) });
      cpuBoundWorkload(d);
    }
    const rng = new RandomStreams('credit-steal').stream('io');
    for (let i = 0; i < 8; i++) {
      const io = host.control.createDomain({ name: `io${i}` });
      sim.process(
        (function* (): ProcessGenerator<void> {
          for (;;) {
            yield sim.timeout(Math.round(rng.exponential(ms(3))));
            yield io.compute(Math.round(rng.exponential(us(300))) + 1);
          }
        })(),
      );
    }
    let checks = 0;
    let sawAbove = false;
    for (let t = 1; t < 4000; t++) {
      sim.scheduleAt(us(250) * t + (t % 7), () => {
        credit._checkCounts();
        checks++;
        for (let c = 0; c < 4; c++) {
          const v = host.current(c);
          if (v !== null && credit.info(v).pri > CreditPri.over) sawAbove = true;
        }
      });
    }
    runAndCheck(sim, host, s(1));
    expect(checks).toBe(3999);
    expect(sawAbove).toBe(true);
  });
});

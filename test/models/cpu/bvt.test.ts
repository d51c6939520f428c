// BVT: two hand-computed Xen 1.0 traces (decision by decision, with avt and svt), proportional share
// for weights 1..8, the slice-formula option, warping (latency, warp limit), SMP, and parameters.
import { describe, expect, it } from 'vitest';
import { RandomStreams, ms, s, us, type ProcessGenerator } from '../../../src/sim/index.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import type { Domain } from '../../../src/models/host/domain.js';
import type { Host } from '../../../src/models/host/host.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { cpuBoundWorkload, cpuBurstWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { FREE_CONTROL, makeHost, runAndCheck } from '../host/helpers.js';

interface Row {
  t: number;
  who: string;
  slice: number;
  avt: Record<string, number>;
  svt: number;
}

/** Records (time, domain, slice) and every named domain's avt and the svt at each decision. */
function traceBvt(host: Host, bvt: BvtScheduler, doms: readonly Domain[]): Row[] {
  const rows: Row[] = [];
  host.onDispatch.add((cpu, v, slice, now) => {
    const avt: Record<string, number> = {};
    for (const d of doms) avt[d.name] = bvt.info(d.vcpus[0] as Vcpu).avt;
    rows.push({ t: now, who: v === null ? 'idle' : v.domain.name, slice, avt, svt: bvt.svt(cpu) });
  });
  return rows;
}

/** A quiet 1-CPU host: no timer event, free context switches and control operations. */
function quietHost(bvt: BvtScheduler) {
  return makeHost({
    scheduler: bvt,
    timerTickNs: 0,
    contextSwitch: ContextSwitchModel.free(),
    controlCosts: FREE_CONTROL,
  });
}

describe('BVT, Xen 1.0 behaviour: hand-computed traces', () => {
  it('trace 1: MCU round-up, the Xen 1.0 slice formula (MCUs added to ns), no preemption within ctx_allow, wake rule', () => {
    const bvt = new BvtScheduler();
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A', mcuAdvance: 10 });
    const B = host.control.createDomain({ name: 'B', mcuAdvance: 20 });
    const C = host.control.createDomain({ name: 'C', mcuAdvance: 10 });
    const rows = traceBvt(host, bvt, [A, B, C]);
    A.compute(s(1)); // A and B: CPU-bound over the trace
    B.compute(s(1));
    sim.scheduleAt(ms(7), () => C.compute(ms(2)));
    sim.scheduleAt(ms(20), () => C.compute(ms(1)));
    runAndCheck(sim, host, ms(30));
    // Hand computation (ctx_allow = 5 ms, MCU = 100 µs, all avt = evt = svt = 0 at creation):
    // t=0      wakes: A, then B, each at the queue head → [B, A]; evts tie at 0, first in queue wins: B.
    //          next_prime = A: r_time = (0 − 0)/20 + 5 ms = 5 ms.
    // t=5 ms   B ran 5 ms = 50 MCU → avt_B = 50·20 = 1000; queue [A, B]; A (evt 0) runs,
    //          r_time = (1000 − 0)/10 + 5 ms = 100 ns + 5 ms = 5 000 100 ns (Xen 1.0 adds MCUs to ns).
    // t=7 ms   C wakes: avt_C = max(0, svt 0) = 0, queue [C, A, B]. A has run 2 ms < ctx_allow, and the
    //          timer (10.0001 ms) is not later than lastschd + ctx_allow + TIME_SLOP: nothing changes.
    // t=10.0001 ms A ran 5 000 100 ns = 50.001 → 51 MCU → avt_A = 510; queue [C, B, A]; C (0) runs,
    //          next_prime A (510): r_time = 510/10 + 5 ms = 5 000 051 ns.
    // t=12.0001 ms C's 2 ms done: 20 MCU → avt_C = 200, blocks; queue [B, A]: A (510) runs,
    //          next_prime B (1000): r_time = 490/10 = 49 + 5 ms; svt = min(1000, 510) = 510.
    // t=17.000149 ms A ran 5 000 049 ns → 51 MCU → avt_A = 1020; B (1000) runs, r_time = 20/20 = 1 + 5 ms;
    //          svt = 1000.
    // t=20 ms  C wakes: avt_C = max(200, svt 1000) = 1000 (the wake rule), queue [C, B, A]; no preemption.
    // t=22.00015 ms B ran 5 000 001 ns → 51 MCU → avt_B = 1000 + 1020 = 2020; queue [C, A, B]:
    //          C (1000) runs, next_prime A (1020): r_time = 20/10 = 2 + 5 ms; svt = 1000.
    // t=23.00015 ms C's 1 ms done: avt_C = 1100; A (1020) runs, next_prime B: r_time = 1000/10 = 100 + 5 ms;
    //          svt = 1020.
    // t=28.00025 ms A ran 5 000 100 ns → 51 MCU → avt_A = 1530 < 2020: A again, r_time = 49 + 5 ms; svt = 1530.
    const expected: Row[] = [
      { t: 0, who: 'B', slice: 5_000_000, avt: { A: 0, B: 0, C: 0 }, svt: 0 },
      { t: 5_000_000, who: 'A', slice: 5_000_100, avt: { A: 0, B: 1000, C: 0 }, svt: 0 },
      { t: 10_000_100, who: 'C', slice: 5_000_051, avt: { A: 510, B: 1000, C: 0 }, svt: 0 },
      { t: 12_000_100, who: 'A', slice: 5_000_049, avt: { A: 510, B: 1000, C: 200 }, svt: 510 },
      { t: 17_000_149, who: 'B', slice: 5_000_001, avt: { A: 1020, B: 1000, C: 200 }, svt: 1000 },
      { t: 22_000_150, who: 'C', slice: 5_000_002, avt: { A: 1020, B: 2020, C: 1000 }, svt: 1000 },
      { t: 23_000_150, who: 'A', slice: 5_000_100, avt: { A: 1020, B: 2020, C: 1100 }, svt: 1020 },
      { t: 28_000_250, who: 'A', slice: 5_000_049, avt: { A: 1530, B: 2020, C: 1100 }, svt: 1530 },
    ];
    expect(rows).toEqual(expected);
  });

  it('trace 2: single-runnable 10 × ctx_allow slice, timer moved to lastschd + ctx_allow, immediate preemption after ctx_allow, idle', () => {
    const bvt = new BvtScheduler();
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A', mcuAdvance: 10 });
    const B = host.control.createDomain({ name: 'B', mcuAdvance: 5 });
    const C = host.control.createDomain({ name: 'C', mcuAdvance: 10 });
    const rows = traceBvt(host, bvt, [A, B, C]);
    A.compute(ms(20));
    sim.scheduleAt(ms(2), () => B.compute(ms(4)));
    sim.scheduleAt(ms(12), () => C.compute(ms(3)));
    sim.scheduleAt(ms(23), () => B.compute(ms(1)));
    runAndCheck(sim, host, ms(35));
    // Hand computation:
    // t=0      A alone: r_time = 10 · ctx_allow = 50 ms.
    // t=2 ms   B wakes (avt 0). A has run 2 ms: the timer moves from 50 ms to lastschd + ctx_allow = 5 ms.
    // t=5 ms   A ran 50 MCU → avt_A = 500; B (0) runs, next_prime A: r_time = 500/5 = 100 + 5 ms.
    // t=9 ms   B's 4 ms done: 40 MCU · 5 → avt_B = 200, blocks; A alone: 50 ms; svt = 500.
    // t=12 ms  C wakes: avt_C = max(0, svt 500) = 500; timer moves to 9 + 5 = 14 ms.
    // t=14 ms  A ran 5 ms → avt_A = 1000 (2 ms of its 20 left after this); C (500) runs,
    //          r_time = 500/10 = 50 + 5 ms; svt = 500.
    // t=17 ms  C's 3 ms done → avt_C = 800, blocks; A alone: 50 ms; svt = 1000. A has 10 ms left.
    // t=23 ms  B wakes: avt_B = max(200, svt 1000) = 1000. A has run 6 ms ≥ ctx_allow: immediate
    //          reschedule: A ran 60 MCU → avt_A = 1600; B (1000) runs, r_time = 600/5 = 120 + 5 ms.
    // t=24 ms  B's 1 ms done → avt_B = 1050; A alone (4 ms left): 50 ms; svt = 1600.
    // t=28 ms  A done (40 MCU → avt_A = 2000): idle, re-run every ctx_allow; svt stays 1600.
    const expected: Row[] = [
      { t: 0, who: 'A', slice: 50_000_000, avt: { A: 0, B: 0, C: 0 }, svt: 0 },
      { t: 5_000_000, who: 'B', slice: 5_000_100, avt: { A: 500, B: 0, C: 0 }, svt: 0 },
      { t: 9_000_000, who: 'A', slice: 50_000_000, avt: { A: 500, B: 200, C: 0 }, svt: 500 },
      { t: 14_000_000, who: 'C', slice: 5_000_050, avt: { A: 1000, B: 200, C: 500 }, svt: 500 },
      { t: 17_000_000, who: 'A', slice: 50_000_000, avt: { A: 1000, B: 200, C: 800 }, svt: 1000 },
      { t: 23_000_000, who: 'B', slice: 5_000_120, avt: { A: 1600, B: 1000, C: 800 }, svt: 1000 },
      { t: 24_000_000, who: 'A', slice: 50_000_000, avt: { A: 1600, B: 1050, C: 800 }, svt: 1600 },
      { t: 28_000_000, who: 'idle', slice: 5_000_000, avt: { A: 2000, B: 1050, C: 800 }, svt: 1600 },
      { t: 33_000_000, who: 'idle', slice: 5_000_000, avt: { A: 2000, B: 1050, C: 800 }, svt: 1600 },
    ];
    expect(rows).toEqual(expected);
  });

  it('the textbook slice formula converts the evt gap to time: (Δevt / mcuAdvance) · MCU + ctx_allow', () => {
    const bvt = new BvtScheduler({ sliceFormula: 'textbook' });
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A', mcuAdvance: 10 });
    const B = host.control.createDomain({ name: 'B', mcuAdvance: 20 });
    const rows = traceBvt(host, bvt, [A, B]);
    A.compute(s(1));
    B.compute(s(1));
    runAndCheck(sim, host, ms(40));
    // t=0: B (tie, queue head) for 5 ms → avt_B = 1000; then A: (1000/10) · 100 µs + 5 ms = 15 ms,
    // → avt_A = 150 · 10 = 1500; then B: (500/20) · 100 µs + 5 ms = 7.5 ms → avt_B = 1000 + 75·20 = 2500.
    expect(rows.slice(0, 4).map((r) => [r.t, r.who, r.slice])).toEqual([
      [0, 'B', ms(5)],
      [ms(5), 'A', ms(15)],
      [ms(20), 'B', us(7500)],
      [us(27500), 'A', ms(5) + 10_000_000],
    ]);
  });
});

/** Shares of CPU time among `doms` over the run. */
function shares(doms: readonly Domain[]): number[] {
  const total = doms.reduce((a, d) => a + d.busyNs, 0);
  return doms.map((d) => d.busyNs / total);
}

describe('BVT proportional share', () => {
  it('8 CPU-bound domains with weights 1..8 (mcuAdvance = 840 / w) get w / Σw within 1 % over 60 s', () => {
    const { sim, host } = makeHost({ scheduler: new BvtScheduler() });
    const doms: Domain[] = [];
    for (let w = 1; w <= 8; w++) {
      const d = host.control.createDomain({ name: `w${w}`, mcuAdvance: 840 / w, workingSetBytes: 64 * 1024 });
      cpuBoundWorkload(d);
      doms.push(d);
    }
    runAndCheck(sim, host, s(60));
    const got = shares(doms);
    for (let i = 0; i < 8; i++) {
      const want = (i + 1) / 36;
      expect(Math.abs((got[i] as number) - want) / want).toBeLessThan(0.01);
    }
  });

  it('holds with the textbook variant and on 2 PCPUs (per-CPU shares under least-loaded placement)', () => {
    const { sim, host } = makeHost({
      cpus: 2,
      scheduler: new BvtScheduler({ variant: 'textbook', smp: { migration: 'none' } }),
    });
    const doms: Domain[] = [];
    for (let w = 1; w <= 4; w++) {
      const d = host.control.createDomain({ name: `w${w}`, mcuAdvance: 120 / w });
      cpuBoundWorkload(d);
      doms.push(d);
    }
    runAndCheck(sim, host, s(30));
    // placement: dom0 → 0, w1 → 1, w2 → 0, w3 → 1, w4 → 0: CPU 0 shares w2 : w4 = 2 : 4, CPU 1 w1 : w3 = 1 : 3
    expect(doms.map((d) => (d.vcpus[0] as Vcpu).cpu)).toEqual([1, 0, 1, 0]);
    const [w1, w2, w3, w4] = doms.map((d) => d.busyNs / s(30)) as [number, number, number, number];
    expect(w2 / (w2 + w4)).toBeCloseTo(1 / 3, 2);
    expect(w1 / (w1 + w3)).toBeCloseTo(1 / 4, 2);
  });
});

/** Queueing delay of each burst of a latency-sensitive domain: completion − issue − burst. */
function latencyProbe(host: Host, d: Domain, streams: RandomStreams, burstNs: number, meanWaitNs: number): number[] {
  const sim = host.sim;
  const rng = streams.stream(`probe/${d.name}`);
  const delays: number[] = [];
  function* body(): ProcessGenerator<void> {
    for (;;) {
      yield sim.timeout(Math.round(rng.exponential(meanWaitNs)));
      const t0 = sim.now;
      yield d.compute(burstNs);
      delays.push(sim.now - t0 - burstNs);
    }
  }
  sim.process(body());
  return delays;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe("BVT warp (textbook variant, the BVT paper's algorithm)", () => {
  function warpRun(warp: number) {
    const bvt = new BvtScheduler({ variant: 'textbook' });
    const { sim, host } = makeHost({ scheduler: bvt });
    for (let i = 0; i < 3; i++) cpuBoundWorkload(host.control.createDomain({ name: `cpu${i}`, mcuAdvance: 10 }));
    // latency-sensitive, low weight (mcuAdvance 40): it asks for ~10 % of the CPU, its share is 1/13
    const lat = host.control.createDomain({ name: 'lat', mcuAdvance: 40, warp });
    const delays = latencyProbe(host, lat, new RandomStreams('warp-test'), ms(1), ms(9));
    runAndCheck(sim, host, s(20));
    return { delays, bvt, host, lat };
  }

  it('warp lowers the wake-up latency of a latency-sensitive domain among CPU-bound ones', () => {
    const plain = warpRun(0);
    const warped = warpRun(1_000_000);
    const m0 = mean(plain.delays);
    const m1 = mean(warped.delays);
    expect(plain.delays.length).toBeGreaterThan(500);
    expect(m1).toBeLessThan(m0 / 5);
    expect(m1).toBeLessThan(us(50));
  });

  it('the warp limit bounds every warped run, and the unwarp requirement delays the next warp', () => {
    const warpLimitNs = ms(3);
    const bvt = new BvtScheduler({ variant: 'textbook' });
    const { sim, host } = makeHost({ scheduler: bvt });
    for (let i = 0; i < 2; i++) cpuBoundWorkload(host.control.createDomain({ name: `cpu${i}` }));
    const hog = host.control.createDomain({ name: 'hog', warp: 1_000_000, warpLimitNs, unwarpReqNs: ms(50) });
    const v = hog.vcpus[0] as Vcpu;
    // a warped domain that wants long bursts (20 ms of CPU every ~60 ms)
    cpuBurstWorkload(hog, new RandomStreams('warp-limit'), {
      burst: { kind: 'constant', valueNs: ms(20) },
      wait: { kind: 'exponential', meanNs: ms(40) },
    });
    let warpedAtDispatch = false;
    let warpedRunsSinceWake = 0;
    let longestRun = 0;
    let longestPerWake = 0;
    let warpedRuns = 0;
    host.onWake.add((x) => {
      if (x === v) warpedRunsSinceWake = 0;
    });
    host.onDispatch.add((_c, x) => {
      if (x === v) warpedAtDispatch = bvt.isWarped(v);
    });
    host.onDeschedule.add((_c, x, ranNs) => {
      if (x !== v || !warpedAtDispatch) return;
      warpedRuns++;
      longestRun = Math.max(longestRun, ranNs);
      warpedRunsSinceWake += ranNs;
      longestPerWake = Math.max(longestPerWake, warpedRunsSinceWake);
    });
    runAndCheck(sim, host, s(20));
    expect(warpedRuns).toBeGreaterThan(50);
    expect(longestRun).toBeLessThanOrEqual(warpLimitNs);
    expect(longestPerWake).toBeLessThanOrEqual(warpLimitNs);
    expect(longestRun).toBe(warpLimitNs); // the limit is what ends them
  });
});

describe('BVT parameters and SMP', () => {
  it('Xen 1.0 reschedules on an event to a runnable domain once the current one has run ctx_allow (rescheduleOnEvent)', () => {
    const run = (rescheduleOnEvent: boolean) => {
      const bvt = new BvtScheduler({ sliceFormula: 'textbook', rescheduleOnEvent });
      const { sim, host } = quietHost(bvt);
      const A = host.control.createDomain({ name: 'A' });
      const B = host.control.createDomain({ name: 'B' });
      const rows = traceBvt(host, bvt, [A, B]);
      A.compute(s(1));
      B.compute(s(1));
      // B runs 0–5 ms (avt 500); A then gets (500 / 10) · 100 µs + 5 ms = 10 ms, to 15 ms.
      // At 12 ms (A has run 7 ms ≥ ctx_allow) an interrupt for B arrives.
      sim.scheduleAt(ms(12), () => B.vcpus[0]?.run(us(1), { urgent: true, tag: 'irq' }));
      runAndCheck(sim, host, ms(16));
      return rows.map((r) => [r.t, r.who]);
    };
    // A charged 70 MCU → avt 700 > 500: B runs at once
    expect(run(true)).toEqual([
      [0, 'B'],
      [ms(5), 'A'],
      [ms(12), 'B'],
    ]);
    expect(run(false)).toEqual([
      [0, 'B'],
      [ms(5), 'A'],
      [ms(15), 'B'],
    ]);
  });

  it('setCtxAllowNs (sched_bvtctl) changes the allowance from the next decision', () => {
    const bvt = new BvtScheduler();
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A' });
    const B = host.control.createDomain({ name: 'B' });
    const rows = traceBvt(host, bvt, [A, B]);
    A.compute(s(1));
    B.compute(s(1));
    sim.scheduleAt(ms(7), () => bvt.setCtxAllowNs(ms(50)));
    runAndCheck(sim, host, ms(70));
    expect(rows.slice(0, 3).map((r) => [r.t, r.who, r.slice])).toEqual([
      [0, 'B', ms(5)],
      [ms(5), 'A', ms(5) + 50], // (500 − 0) / 10 = 50 (ns, Xen 1.0) + 5 ms
      [ms(10) + 50, 'B', ms(50) + 1], // A charged 51 MCU → 510; (510 − 500) / 10 = 1, + the new 50 ms
    ]);
    expect(() => bvt.setCtxAllowNs(0)).toThrow(/BvtScheduler\.setCtxAllowNs: ns must be an integer >= 1, got 0/);
  });

  it('setSchedParams changes the share from the moment it is applied', () => {
    const { sim, host } = makeHost({ scheduler: new BvtScheduler() });
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    cpuBoundWorkload(a);
    cpuBoundWorkload(b);
    let a1 = 0;
    let b1 = 0;
    sim.scheduleAt(s(10), () => {
      a1 = a.busyNs;
      b1 = b.busyNs;
      host.control.setSchedParams(b.id, { mcuAdvance: 30 });
    });
    runAndCheck(sim, host, s(20));
    expect(a1 / b1).toBeCloseTo(1, 2);
    expect((a.busyNs - a1) / (b.busyNs - b1)).toBeCloseTo(3, 1);
  });

  it('an idle PCPU steals queued work (idle-steal); with migration none it stays idle (Xen pinning)', () => {
    const run = (migration: 'idle-steal' | 'none') => {
      // id-modulo placement (Xen 1.0): domains 1 and 3 both on CPU 1, CPU 0 has only dom0
      const { sim, host } = makeHost({
        cpus: 2,
        scheduler: new BvtScheduler({ smp: { placement: 'id-modulo', migration } }),
      });
      const doms = [1, 2, 3].map((i) => host.control.createDomain({ name: `d${i}` }));
      cpuBoundWorkload(doms[0] as Domain);
      cpuBoundWorkload(doms[2] as Domain);
      const acc = runAndCheck(sim, host, s(10));
      return {
        acc,
        d1: (doms[0] as Domain).busyNs / s(10),
        d3: (doms[2] as Domain).busyNs / s(10),
        cpus: doms.map((d) => (d.vcpus[0] as Vcpu).cpu),
      };
    };
    const pinned = run('none');
    expect(pinned.cpus).toEqual([1, 0, 1]);
    expect(pinned.d1).toBeCloseTo(0.5, 2);
    expect(pinned.d3).toBeCloseTo(0.5, 2);
    expect((pinned.acc.perCpu[0] as { idleNs: number }).idleNs / s(10)).toBeGreaterThan(0.99);
    const stealing = run('idle-steal');
    expect(stealing.d1).toBeGreaterThan(0.99);
    expect(stealing.d3).toBeGreaterThan(0.99);
    expect(stealing.acc.idleNs / (2 * s(10))).toBeLessThan(0.005);
    expect([...stealing.cpus].sort()).toEqual([0, 0, 1]); // d1 or d3 moved to CPU 0 (d2 lives there)
  });

  it('xen1 yield (Xen 1.0 do_yield): the domain is charged, re-queued at the tail and loses warpback', () => {
    const bvt = new BvtScheduler();
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A' });
    // (warp on B is hypothetical under Xen 1.0, which ignored it; it makes warpback observable)
    const B = host.control.createDomain({ name: 'B', warp: 100, warpLimitNs: s(1), unwarpReqNs: 0 });
    const rows = traceBvt(host, bvt, [A, B]);
    A.compute(s(1));
    B.compute(s(1));
    sim.scheduleAt(ms(2), () => host.current(0)?.yieldCpu());
    runAndCheck(sim, host, ms(3));
    // t=0: q = [B, A]; B's wake sets warpback, within its warp limit: evt = 0 − 100 = −100; A: 0.
    //      B runs, r_time = (0 − (−100))/10 + 5 ms = 5 000 010.
    // t=2 ms: B yields: warpback cleared, charged 20 MCU → avt 200, __calc_evt → evt 200 (unwarped),
    //      re-queued at the tail: q = [A, B]; A (0) runs, r_time = 200/10 + 5 ms = 5 000 020.
    //      (Were warpback kept, evt would be 100 and r_time 5 000 010.)
    expect(rows.map((r) => [r.t, r.who, r.slice, r.avt.B])).toEqual([
      [0, 'B', 5_000_010, 0],
      [2_000_000, 'A', 5_000_020, 200],
    ]);
    expect(bvt.info(B.vcpus[0] as Vcpu).warpBack).toBe(false);
    expect(bvt.info(B.vcpus[0] as Vcpu).evt).toBe(200);
  });

  it('the xen1 preset pins domains to their CPU (Xen 1.0 had no migration); textbook keeps idle-steal', () => {
    expect(new BvtScheduler().warpHypothetical).toBe(true);
    const { sim, host } = makeHost({ cpus: 2, scheduler: new BvtScheduler({ smp: { placement: 'id-modulo' } }) });
    const doms = [1, 2, 3].map((i) => host.control.createDomain({ name: `d${i}` }));
    cpuBoundWorkload(doms[0] as Domain);
    cpuBoundWorkload(doms[2] as Domain);
    const acc = runAndCheck(sim, host, s(2));
    // d1 and d3 share CPU 1 (id-modulo); CPU 0 (dom0, d2: only their 20 ms timer events) stays idle
    expect(doms.map((d) => (d.vcpus[0] as Vcpu).cpu)).toEqual([1, 0, 1]);
    expect((acc.perCpu[0] as { idleNs: number }).idleNs).toBeGreaterThan(0.99 * s(2));
    expect((doms[0] as Domain).busyNs / s(2)).toBeCloseTo(0.5, 2);
    const tb = makeHost({
      cpus: 2,
      scheduler: new BvtScheduler({ variant: 'textbook', smp: { placement: 'id-modulo' } }),
    });
    const tdoms = [1, 2, 3].map((i) => tb.host.control.createDomain({ name: `d${i}` }));
    cpuBoundWorkload(tdoms[0] as Domain);
    cpuBoundWorkload(tdoms[2] as Domain);
    const tacc = runAndCheck(tb.sim, tb.host, s(2));
    expect((tacc.perCpu[0] as { idleNs: number }).idleNs).toBeLessThan(ms(10));
  });

  it('rejects bad options and parameters with RangeError naming the field', () => {
    expect(() => new BvtScheduler({ variant: 'xen3' as 'xen1' })).toThrow(
      /variant must be one of "xen1", "textbook", "xen2", got "xen3"/,
    );
    expect(() => new BvtScheduler({ mcuNs: 0 })).toThrow(/mcuNs must be an integer >= 1, got 0/);
    const { host } = makeHost({ scheduler: new BvtScheduler() });
    expect(() => host.control.createDomain({ name: 'x', mcuAdvance: 0 })).toThrow(
      /control\.createDomain: mcuAdvance must be an integer >= 1 and <= 4294967295, got 0/,
    );
    expect(() => host.control.createDomain({ name: 'x', warp: -1 })).toThrow(/warp must be an integer >= 0/);
  });
});

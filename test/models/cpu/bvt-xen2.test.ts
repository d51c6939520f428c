// BVT variant 'xen2' (Xen 2.0 sched_bvt.c, Dec 2004): hand-derived traces, one per quirk, written
// from the algorithm (see the header of src/models/cpu/bvt.ts) before running the model. Every trace
// runs on a quiet 1-CPU host (no timer event, free context switches and control operations), so
// each decision is the scheduler's alone. Conventions of the derivations: MCU = 100 µs, ctx_allow =
// 5 ms; "q = [...]" is the run queue in list order with the idle task written `idle` (avt = evt =
// 0xFFFFFFFF); a charge of r ns is (r + 99 999) / 100 000 MCUs (integer division).
import { describe, expect, it } from 'vitest';
import { ms, s } from '../../../src/sim/index.js';
import { BvtScheduler, BVT_VARIANT_NOTES } from '../../../src/models/cpu/bvt.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import type { Domain } from '../../../src/models/host/domain.js';
import type { Host } from '../../../src/models/host/host.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { FREE_CONTROL, makeHost, runAndCheck } from '../host/helpers.js';

interface Row {
  t: number;
  who: string;
  slice: number;
  svt: number;
  [field: string]: number | string | boolean;
}

/** At each decision: time, domain, slice, svt and, per named domain, avt, evt and the warp flag. */
function trace(
  host: Host,
  bvt: BvtScheduler,
  doms: readonly Domain[],
  fields: readonly ('avt' | 'evt' | 'warped')[],
): Row[] {
  const rows: Row[] = [];
  host.onDispatch.add((cpu, v, slice, now) => {
    const row: Row = { t: now, who: v === null ? 'idle' : v.domain.name, slice, svt: bvt.svt(cpu) };
    for (const d of doms) {
      const e = bvt.info(d.vcpus[0] as Vcpu);
      for (const f of fields) row[`${f}${d.name}`] = e[f];
    }
    rows.push(row);
  });
  return rows;
}

function quietHost(bvt: BvtScheduler) {
  return makeHost({
    scheduler: bvt,
    timerTickNs: 0,
    contextSwitch: ContextSwitchModel.free(),
    controlCosts: FREE_CONTROL,
  });
}

const U32 = 2 ** 32;

describe("BVT 'xen2': hand-derived traces", () => {
  it('u32 wrap: a domain warped at creation starves; stale evt: clearing its warp later does not help', () => {
    const bvt = new BvtScheduler({ variant: 'xen2' });
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A' });
    const B = host.control.createDomain({ name: 'B' });
    const C = host.control.createDomain({ name: 'C', warp: 1000 });
    const rows = trace(host, bvt, [A, B, C], ['avt', 'evt']);
    A.compute(s(1));
    B.compute(s(1));
    C.compute(s(1));
    sim.scheduleAt(ms(20), () => host.control.setSchedParams(C.id, { warp: 0 }));
    runAndCheck(sim, host, ms(26));
    // Creation: add_task sets avt = evt = svt = 0 for A, B, C; adjdom sets C's warp flag (evt stays 0).
    // t=0: wakes in id order, each at the head: q = [C, B, A, idle]. A, B: evt = avt = 0.
    //      C: evt = 0 − 1000 mod 2^32 = 4 294 966 296.
    //      Scan: C → next C (prime idle); B (0) → next B, prime C; A (0): not < 0, prime_evt ≠ ~0,
    //      0 < 4 294 966 296 → prime A. B runs, r_time = (0 − 0)/10 + 5 ms = 5 000 000. svt = 0.
    // t=5 000 000: B charged 50 MCU → avt 500. q = [C, A, idle, B]. Scan: C, then A (0) → next A,
    //      prime C; idle: no change; B (500) → prime B. r_time = 500/10 + 5 ms = 5 000 050.
    //      svt = min(0, 0, 500) = 0 (C's avt stays 0 for ever: svt is held at 0).
    // t=10 000 050: A charged 51 MCU → 510. q = [C, idle, B, A]. next B (500), prime A (510):
    //      r_time = 10/10 + 5 ms = 5 000 001.
    // t=15 000 051: B charged 51 → 1010. q = [C, idle, A, B]. next A (510), prime B: 500/10 → 5 000 050.
    // t=20 ms: adjdom clears C's warp flag; evt is not recomputed (C is queued, never descheduled
    //      or woken): it keeps 4 294 966 296.
    // t=20 000 101: A charged 51 → 1020. next B (1010), prime A: 10/10 → 5 000 001.
    // t=25 000 102: B charged 51 → 1520. next A (1020), prime B: 500/10 → 5 000 050.
    const cEvt = U32 - 1000;
    const row = (t: number, who: string, slice: number, a: number, b: number) => ({
      t,
      who,
      slice,
      svt: 0,
      avtA: a,
      evtA: a,
      avtB: b,
      evtB: b,
      avtC: 0,
      evtC: cEvt,
    });
    expect(rows).toEqual([
      row(0, 'B', 5_000_000, 0, 0),
      row(5_000_000, 'A', 5_000_050, 0, 500),
      row(10_000_050, 'B', 5_000_001, 510, 500),
      row(15_000_051, 'A', 5_000_050, 510, 1010),
      row(20_000_101, 'B', 5_000_001, 1020, 1010),
      row(25_000_102, 'A', 5_000_050, 1020, 1520),
    ]);
    expect(C.busyNs).toBe(0);
    expect(bvt.isWarped(C.vcpus[0] as Vcpu)).toBe(false);
  });

  it('warp flag set by adjdom, warp timer firing mid-run, unwarp timer with a stale evt', () => {
    const bvt = new BvtScheduler({ variant: 'xen2' });
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A' });
    const W = host.control.createDomain({ name: 'W' });
    const rows = trace(host, bvt, [A, W], ['avt', 'evt', 'warped']);
    A.compute(s(1));
    W.compute(s(1));
    sim.scheduleAt(ms(2), () =>
      host.control.setSchedParams(W.id, { warp: 300, warpLimitNs: ms(3), unwarpReqNs: ms(4) }),
    );
    runAndCheck(sim, host, ms(30));
    // t=0: q = [W, A, idle], both evt 0: W (first) runs, prime A: r_time = 5 ms. W unwarped, no timer.
    // t=2 ms: adjdom: W's warp flag set, evt not recomputed, no reschedule, no warp timer (armed
    //      only when picked).
    // t=5 ms: W charged 50 MCU → avt 500, evt = 500 − 300 = 200. q = [A, idle, W]. next A (0), prime W
    //      (the `prime_evt == ~0` branch takes W after idle): r_time = 200/10 + 5 ms = 5 000 020. svt 0.
    // t=10 000 020: A charged 51 → 510. q = [idle, W, A]. next W (200), prime A (510):
    //      r_time = 310/10 + 5 ms = 5 000 031; W's warp flag is set: warp timer at 13 000 020. svt 500.
    // t=13 000 020: warp timer: flag cleared, unwarp timer at 17 000 020; warpu ≠ 0: no reschedule.
    // t=15 000 051: W charged 51 → 1010, evt = 1010 (unwarped). q = [idle, A, W]. next A (510), prime W:
    //      r_time = 500/10 + 5 ms = 5 000 050. svt 510.
    // t=17 000 020: unwarp timer: flag set again, reschedule. A charged 1 999 969 ns → 20 MCU → 710.
    //      q = [idle, W, A]; W's evt is stale (1010, computed unwarped): next A (710), prime W:
    //      r_time = 300/10 + 5 ms = 5 000 030. svt 710.
    // t=22 000 050: A charged 51 → 1220. next W (1010), prime A: r_time = 210/10 + 5 ms = 5 000 021;
    //      warp timer at 25 000 050. svt 1010.
    // t=25 000 050: warp timer: flag cleared, unwarp timer at 29 000 050.
    // t=27 000 071: W charged 51 → 1520, evt 1520. next A (1220), prime W: 300/10 → 5 000 030. svt 1220.
    // t=29 000 050: unwarp timer: flag set, reschedule. A charged 1 999 979 → 20 MCU → 1420; W's evt
    //      stale (1520): next A, prime W: 100/10 → 5 000 010. svt 1420.
    const row = (
      t: number,
      who: string,
      slice: number,
      svt: number,
      avtA: number,
      avtW: number,
      evtW: number,
      warpedW: boolean,
    ) => ({
      t,
      who,
      slice,
      svt,
      avtA,
      evtA: avtA,
      warpedA: false,
      avtW,
      evtW,
      warpedW,
    });
    expect(rows).toEqual([
      row(0, 'W', 5_000_000, 0, 0, 0, 0, false),
      row(5_000_000, 'A', 5_000_020, 0, 0, 500, 200, true),
      row(10_000_020, 'W', 5_000_031, 500, 510, 500, 200, true),
      row(15_000_051, 'A', 5_000_050, 510, 510, 1010, 1010, false),
      row(17_000_020, 'A', 5_000_030, 710, 710, 1010, 1010, true),
      row(22_000_050, 'W', 5_000_021, 1010, 1220, 1010, 1010, true),
      row(27_000_071, 'A', 5_000_030, 1220, 1220, 1520, 1520, false),
      row(29_000_050, 'A', 5_000_010, 1420, 1420, 1520, 1520, true),
    ]);
  });

  it('wake: evt above the current one pulls the slice timer in, with MCUs added to ns (the slip)', () => {
    const run = (wakeAtNs: number) => {
      const bvt = new BvtScheduler({ variant: 'xen2' });
      const { sim, host } = quietHost(bvt);
      const A = host.control.createDomain({ name: 'A' });
      const B = host.control.createDomain({ name: 'B', mcuAdvance: 100 });
      const rows = trace(host, bvt, [A, B], ['avt']);
      A.compute(s(1));
      B.compute(ms(2));
      sim.scheduleAt(wakeAtNs, () => B.compute(ms(1)));
      runAndCheck(sim, host, ms(24));
      return rows.map((r) => [r.t, r.who, r.slice, r.avtA, r.avtB, r.svt]);
    };
    // t=0: q = [B, A, idle], evts 0: B runs, prime A: r_time = 0/100 + 5 ms.
    // t=2 ms: B blocks: 20 MCU · 100 → avt 2000; q = [A, idle]: A alone, r_time = 50 ms. svt 0.
    // t=3 ms: B wakes: q = [B, A, idle], avt_B = max(2000, svt 0) = 2000 = evt. curr_evt = A charged
    //      1 ms = 10 MCU → 100 < 2000, so no preemption; r_time = lastschd + (2000 − 100)/10 + 5 ms
    //      = 2 000 000 + 190 + 5 000 000 = 7 000 190 < 52 ms: the timer moves there. (Read as MCUs,
    //      190 MCU = 19 ms, it would be 26 ms.)
    // t=7 000 190: A charged 5 000 190 ns → 51 MCU → 510. q = [B, idle, A]. next A (510), prime B
    //      (2000): r_time = 1490/10 + 5 ms = 5 000 149. svt = min(2000, 510) = 510.
    // t=12 000 339: A → 1020; 980/10 → 5 000 098; svt 1020.
    // t=17 000 437: A → 1530; 470/10 → 5 000 047; svt 1530.
    // t=22 000 484: A → 2040. next B (2000), prime A: r_time = 40/100 + 5 ms = 5 000 000. svt 2000.
    // t=23 000 484: B blocks: 10 MCU · 100 → 3000. q = [idle, A]: A alone, 50 ms. svt 2040.
    expect(run(ms(3))).toEqual([
      [0, 'B', 5_000_000, 0, 0, 0],
      [2_000_000, 'A', 50_000_000, 0, 2000, 0],
      [7_000_190, 'A', 5_000_149, 510, 2000, 510],
      [12_000_339, 'A', 5_000_098, 1020, 2000, 1020],
      [17_000_437, 'A', 5_000_047, 1530, 2000, 1530],
      [22_000_484, 'B', 5_000_000, 2040, 2000, 2000],
      [23_000_484, 'A', 50_000_000, 2040, 3000, 2040],
    ]);
    // Woken at 10 ms instead: curr_evt = 80 MCU → 800 < 2000; r_time = 2 ms + 120 + 5 ms, already
    // past: the timer fires at once. A charged 80 MCU → 800, q = [B, idle, A]; next A again (800),
    // prime B: r_time = 1200/10 + 5 ms = 5 000 120; svt 800.
    expect(run(ms(10)).slice(0, 3)).toEqual([
      [0, 'B', 5_000_000, 0, 0, 0],
      [2_000_000, 'A', 50_000_000, 0, 2000, 0],
      [10_000_000, 'A', 5_000_120, 800, 2000, 800],
    ]);
  });

  it('wake preempts by evt; a block does not clear the softirq the wake raised: two decisions at one instant', () => {
    const bvt = new BvtScheduler({ variant: 'xen2' });
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A' });
    const B = host.control.createDomain({ name: 'B' });
    const rows = trace(host, bvt, [A, B], ['avt']);
    // A computes 5 ms, then sends B an event (B gets 1 ms of work) and blocks.
    sim.process(
      (function* () {
        yield A.compute(ms(5));
        B.compute(ms(1));
      })(),
    );
    runAndCheck(sim, host, ms(12));
    // t=0: q = [A, idle]: A alone, 50 ms.
    // t=5 ms: B wakes: q = [B, A, idle], avt_B = evt_B = 0; curr_evt = A charged 50 MCU = 500 ≥ 0:
    //      softirq raised. A blocks (a direct schedule): A charged → 500, leaves; q = [B, idle]:
    //      B alone, 50 ms. The softirq is still pending: B is charged 0 MCU (avt 0), re-queued at
    //      the tail (q = [idle, B]) and picked again, 50 ms.
    // t=6 ms: B blocks: 10 MCU → 100; q = [idle]: idle, r_time = ctx_allow; svt unchanged (0).
    // t=11 ms: idle again.
    expect(rows.map((r) => [r.t, r.who, r.slice, r.avtA, r.avtB, r.svt])).toEqual([
      [0, 'A', 50_000_000, 0, 0, 0],
      [5_000_000, 'B', 50_000_000, 500, 0, 0],
      [5_000_000, 'B', 50_000_000, 500, 0, 0],
      [6_000_000, 'idle', 5_000_000, 500, 100, 0],
      [11_000_000, 'idle', 5_000_000, 500, 100, 0],
    ]);
    expect(bvt.queueOrder(0)).toEqual([null]);
  });

  it('warpu = 0: the warp timer ends warping for good (unlike the textbook variant, where 0 means "warp again at once")', () => {
    const bvt = new BvtScheduler({ variant: 'xen2' });
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A' });
    const W = host.control.createDomain({ name: 'W' });
    const rows = trace(host, bvt, [A, W], ['avt', 'evt', 'warped']);
    A.compute(s(1));
    W.compute(s(1));
    sim.scheduleAt(ms(1), () => host.control.setSchedParams(W.id, { warp: 300, warpLimitNs: ms(2), unwarpReqNs: 0 }));
    runAndCheck(sim, host, ms(23));
    // t=0: q = [W, A, idle]: W runs 5 ms (prime A, both 0).
    // t=1 ms: adjdom sets warpback and the flag (no timer: W was picked unwarped).
    // t=5 ms: W charged 50 → avt 500, evt 200. q = [A, idle, W]: next A (0), prime W: 200/10 → 5 000 020.
    // t=10 000 020: A → 510. q = [idle, W, A]: next W (200), prime A: 310/10 → 5 000 031; warp timer
    //      at 12 000 020. svt 500.
    // t=12 000 020: warp timer: flag cleared; warpu = 0, so warpback is cleared too and a reschedule
    //      is raised; the unwarp timer (now + 0) finds warpback clear and does nothing. W charged
    //      2 000 000 → 20 MCU → 700, evt 700. next A (510), prime W: 190/10 → 5 000 019. svt 510.
    // t=17 000 039: A → 1020. next W (700): 320/10 → 5 000 032, no warp timer (flag clear). svt 700.
    // t=22 000 071: W → 1210. next A (1020), prime W: 190/10 → 5 000 019. svt 1020.
    expect(rows.map((r) => [r.t, r.who, r.slice, r.evtW, r.warpedW, r.svt])).toEqual([
      [0, 'W', 5_000_000, 0, false, 0],
      [5_000_000, 'A', 5_000_020, 200, true, 0],
      [10_000_020, 'W', 5_000_031, 200, true, 500],
      [12_000_020, 'A', 5_000_019, 700, false, 510],
      [17_000_039, 'W', 5_000_032, 700, false, 700],
      [22_000_071, 'A', 5_000_019, 1210, false, 1020],
    ]);
    expect(bvt.info(W.vcpus[0] as Vcpu).warpBack).toBe(false);
  });
});

describe("BVT 'xen2': parameters, timer event and notes", () => {
  it('proportional share: weights 1..8 (mcuAdvance = 840 / w) get w / Σw within 1 % over 60 s, on the default host', () => {
    const { sim, host } = makeHost({ scheduler: new BvtScheduler({ variant: 'xen2' }) });
    const doms: Domain[] = [];
    for (let w = 1; w <= 8; w++) {
      const d = host.control.createDomain({ name: `w${w}`, mcuAdvance: 840 / w, workingSetBytes: 64 * 1024 });
      d.compute(s(100));
      doms.push(d);
    }
    runAndCheck(sim, host, s(60));
    const total = doms.reduce((a, d) => a + d.busyNs, 0);
    doms.forEach((d, i) => {
      const want = (i + 1) / 36;
      expect(Math.abs(d.busyNs / total - want) / want).toBeLessThan(0.01);
    });
  });

  it('Xen 2.0 timer event: 10 ms VIRQ_TIMER to the running domain only; blocked domains are not woken', () => {
    const { sim, host } = makeHost({
      scheduler: new BvtScheduler({ variant: 'xen2' }),
      contextSwitch: ContextSwitchModel.free(),
      controlCosts: FREE_CONTROL,
    });
    expect(host.timerTickNs).toBe(ms(10));
    const A = host.control.createDomain({ name: 'A' });
    const idle = host.control.createDomain({ name: 'sleeper' });
    A.compute(s(1));
    const timers = new Map<string, number>();
    host.onDemandDone.add((v, tag) => {
      if (tag === 'timer') timers.set(v.domain.name, (timers.get(v.domain.name) ?? 0) + 1);
    });
    runAndCheck(sim, host, ms(95));
    // ticks at 0 (A not yet current: the CPU is idle until the t=0 decision), 10, …, 90 ms → 9 to A
    expect(timers.get('A')).toBe(9);
    expect(timers.has('sleeper')).toBe(false);
    expect(timers.has('Domain-0')).toBe(false);
    expect((idle.vcpus[0] as Vcpu).state).toBe('blocked');
  });

  it('warpl and warpu must be whole milliseconds; the presets cannot be overridden', () => {
    const { host } = makeHost({ scheduler: new BvtScheduler({ variant: 'xen2' }) });
    expect(() => host.control.createDomain({ name: 'x', warp: 10, warpLimitNs: 1_500_000 })).toThrow(
      /BvtScheduler \(xen2\): warpLimitNs must be a whole number of milliseconds.*got 1500000/,
    );
    expect(() => new BvtScheduler({ variant: 'xen2', sliceFormula: 'textbook' })).toThrow(
      /sliceFormula must be left unset with variant "xen2"/,
    );
    expect(() => new BvtScheduler({ warpMode: 'xen2' })).toThrow(/warpMode must be xen2 only with variant "xen2"/);
  });

  it('variant notes: xen1 warp is hypothetical, xen2 explains the creation-time warp', () => {
    expect(new BvtScheduler().warpHypothetical).toBe(true);
    expect(new BvtScheduler({ variant: 'xen2' }).warpHypothetical).toBe(false);
    expect(BVT_VARIANT_NOTES.xen1).toMatch(/hypothetical/);
    expect(BVT_VARIANT_NOTES.xen2).toMatch(/warped at creation/);
  });
});

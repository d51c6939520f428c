// BVT 'xen2': the order of events at one instant and Xen 2.0's timer heap and slop, as
// the Xen 2.0 sources describe them (Xen 2.0 schedule.c, ac_timer.c, softirq.c): at one instant, control,
// then the running guest's block (a direct schedule), then expired timers in heap order, then the
// schedule softirq; a timer service runs every timer due before now + TIMER_SLOP. Every expected trace
// below is derived by hand from those rules and sched_bvt.c (conventions as in bvt-xen2.test.ts: MCU =
// 100 µs, ctx_allow = 5 ms, q = the run queue in list order with the idle task `idle`), before running.
import { describe, expect, it } from 'vitest';
import { ms, us } from '../../../src/sim/index.js';
import { BvtScheduler, XEN2_TIMER_PRIORITY } from '../../../src/models/cpu/bvt.js';
import { acTimer, AcTimerHeap, type AcTimer } from '../../../src/models/cpu/bvt-timers.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { LATE_PRIORITY } from '../../../src/models/host/host.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { FREE_CONTROL, makeHost, recordDispatches, runAndCheck } from '../host/helpers.js';

function quietHost(bvt: BvtScheduler) {
  return makeHost({
    scheduler: bvt,
    timerTickNs: 0,
    contextSwitch: ContextSwitchModel.free(),
    controlCosts: FREE_CONTROL,
  });
}

const rowsOf = (rec: ReturnType<typeof recordDispatches>) => rec.map((r) => [r.timeNs, r.who, r.sliceNs]);

describe('Xen 2.0 ac_timer heap (ac_timer.c sift rules)', () => {
  const heapOf = (deadlines: readonly number[]) => {
    const heap = new AcTimerHeap();
    const timers = deadlines.map((d, i) => {
      const t: AcTimer & { name?: string } = acTimer(0, () => {});
      t.expiresNs = d;
      t.name = String.fromCharCode(65 + i);
      return t;
    });
    for (const t of timers) heap.add(t);
    const popAll = (): string[] => {
      const out: string[] = [];
      for (let t = heap.top(); t !== null; t = heap.top()) {
        heap.remove(t);
        out.push((t as AcTimer & { name: string }).name);
      }
      return out;
    };
    return { heap, timers, popAll };
  };

  it('equal deadlines leave in the heap order, not the order they were set', () => {
    // add A, B, C, D, all at 10: no up_heap moves (10 < 10 is false): [A, B, C, D].
    // pop A: D fills the hole, down_heap(1): children B, C equal → B (the right one only if strictly
    //   smaller); B > D? no (equal) → B moves up: [B, D, C].
    // pop B: C fills the hole: child D > C? no → D moves up: [D, C]. pop D, then C.
    const { popAll } = heapOf([10, 10, 10, 10]);
    expect(popAll()).toEqual(['A', 'B', 'D', 'C']);
  });

  it('keeps the minimum on top through removals from the middle', () => {
    // [A5, B3, C4, D1] → add B: up past A → [B, A]; add C: parent B (3) → [B, A, C]; add D: parent A
    // (5) → swap, parent B (3) → swap: [D, B, C, A]. remove C (pos 3): A fills it, 5 < parent D (1)? no
    // → down_heap at 3 (no children): [D, B, A]. Pops: D, B, A.
    const { heap, timers, popAll } = heapOf([5, 3, 4, 1]);
    expect(heap.remove(timers[2] as AcTimer)).toBe(false);
    expect(heap.entries().map((t) => t.expiresNs)).toEqual([1, 3, 5]);
    expect(popAll()).toEqual(['D', 'B', 'A']);
  });

  it('services after the host’s end-of-instant scheduling point', () => {
    expect(XEN2_TIMER_PRIORITY).toBeGreaterThan(LATE_PRIORITY);
  });
});

describe("BVT 'xen2': order at one instant", () => {
  // Domains A, B (CPU-bound) and W (blocked until woken). B.compute, then A.compute at t=0: both wake
  // at the head in that order, q = [A, B, idle]; all avt = evt = 0.
  // t=0: scan: A (0) → next A, prime idle; B (0): not < 0, prime_evt = ~0 → prime B. r_time =
  //      (0 − 0)/10 + 5 ms = 5 ms. A runs its 3 ms and blocks at t = 3 ms.
  function setup() {
    const bvt = new BvtScheduler({ variant: 'xen2' });
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A' });
    const B = host.control.createDomain({ name: 'B' });
    const W = host.control.createDomain({ name: 'W' });
    const rec = recordDispatches(host);
    B.compute(ms(100));
    A.compute(ms(3));
    return { bvt, sim, host, A, B, W, rec };
  }

  it("a domain's timer due at the instant the running domain blocks is handled after the block", () => {
    const { bvt, sim, host, B, W, rec } = setup();
    bvt.setDomainTimer(W.vcpus[0] as Vcpu, ms(3), () => void W.compute(ms(1)));
    runAndCheck(sim, host, ms(5));
    // t=3 ms, (2) the block: A charged 3 ms = 30 MCU → avt 300, removed. q = [B, idle]: next B, prime
    //      idle → 10 · ctx_allow = 50 ms. svt = 0. lastschd = 3 ms.
    //      (3) W's timer: W.compute → bvt_wake: avt = max(0, svt 0) = 0 = evt, head: q = [W, B, idle].
    //      curr_evt = B charged 0 ns = 0 MCU → 0; 0 <= 0: raise the schedule softirq.
    //      (4) softirq: B charged 0 MCU, to the tail: q = [W, idle, B]. Scan: W (0) → next W, prime idle;
    //      idle: prime_evt = ~0 → prime idle; B (0): prime_evt = ~0 → prime B. r_time = 0/10 + 5 ms.
    // t=4 ms: W blocks (10 MCU → 10). q = [idle, B]: next B, prime idle → 50 ms.
    expect(rowsOf(rec)).toEqual([
      [0, 'A', 5_000_000],
      [3_000_000, 'B', 50_000_000],
      [3_000_000, 'W', 5_000_000],
      [4_000_000, 'B', 50_000_000],
    ]);
    expect(bvt.info(B.vcpus[0] as Vcpu).avt).toBe(0);
  });

  it('a wake from an event of the instant (not a timer) comes before the block, as the sender runs first', () => {
    const { sim, host, W, rec } = setup();
    sim.scheduleAt(ms(3), () => void W.compute(ms(1)));
    runAndCheck(sim, host, ms(10));
    // t=3 ms, the wake first: W avt = 0 = evt, head: q = [W, A, B, idle]. curr_evt = A charged 3 ms =
    //      30 MCU → 300 > 0: raise the softirq. The block: A charged → 300, removed: q = [W, B, idle]:
    //      next W, prime B → 5 ms. The direct schedule leaves the pending softirq: a second schedule:
    //      W charged 0 MCU, to the tail: q = [B, idle, W]: next B, prime W (prime_evt = ~0 after idle)
    //      → 0/10 + 5 ms.
    // t=8 ms: B charged 5 ms = 50 MCU → 500, tail: q = [idle, W, B]. next W (0), prime B (500):
    //      r_time = 500/10 + 5 ms = 5 000 050.
    // t=9 ms: W blocks (10 MCU → 10). q = [idle, B]: B alone → 50 ms.
    expect(rowsOf(rec)).toEqual([
      [0, 'A', 5_000_000],
      [3_000_000, 'W', 5_000_000],
      [3_000_000, 'B', 5_000_000],
      [8_000_000, 'W', 5_000_050],
      [9_000_000, 'B', 50_000_000],
    ]);
  });

  it('a warp timer due at the instant its domain blocks is cancelled by the block, never fired', () => {
    const bvt = new BvtScheduler({ variant: 'xen2' });
    const { sim, host } = quietHost(bvt);
    const W = host.control.createDomain({ name: 'W', warp: 100, warpLimitNs: ms(2), unwarpReqNs: ms(5) });
    const rec = recordDispatches(host);
    W.compute(ms(2));
    runAndCheck(sim, host, ms(3));
    // Creation: avt = evt = 0; adjdom sets the warp flag (evt not recomputed). t=0: W wakes:
    //      evt = 0 − 100 mod 2^32 = 4 294 967 196, below idle's ~0: q = [W, idle], W alone → 50 ms; its
    //      warp flag is set: warp timer at 0 + warpl = 2 ms.
    // t=2 ms: W's run ends and it blocks (2) before the timers (3): charged 20 MCU → avt 200, evt =
    //      200 − 100 = 100 (still warped); do_schedule cancels the warp timer. q = [idle]: idle, ctx_allow.
    //      Nothing is left to fire at 2 ms: the flag stays set and no unwarp timer is armed; the heap holds
    //      only s_timer at 7 ms.
    expect(rowsOf(rec)).toEqual([
      [0, 'W', 50_000_000],
      [2_000_000, 'idle', 5_000_000],
    ]);
    const w = bvt.info(W.vcpus[0] as Vcpu);
    expect([w.avt, w.evt, w.warped]).toEqual([200, 100, true]);
    expect(bvt.timerDeadlines(0)).toEqual([ms(7)]);
  });

  it('timers that share a deadline wake their domains in heap order', () => {
    const bvt = new BvtScheduler({ variant: 'xen2' });
    const { sim, host } = quietHost(bvt);
    const X = host.control.createDomain({ name: 'X' });
    const doms = ['A', 'B', 'C', 'D'].map((name) => host.control.createDomain({ name }));
    const rec = recordDispatches(host);
    let queueAtWake: string[] = [];
    host.onDispatch.add((_cpu, v) => {
      if (v !== null && v !== X.vcpus[0])
        queueAtWake = bvt.queueOrder(0).map((x) => (x === null ? 'idle' : x.domain.name));
    });
    X.compute(ms(100));
    // t=0: X alone: q = [X, idle], r_time = 10 · ctx_allow: s_timer S at 50 ms, the only timer.
    // t=1 ms: A, B, C, D set their timers to 2 ms, in that order. Heap: add A (2 < 50: above S):
    //      [A, S]; add B at 3 (parent A, 2 < 2 false): [A, S, B]; add C at 4 (parent S: 2 < 50 → up;
    //      parent A: no): [A, C, B, S]; add D at 5 (parent C: 2 < 2 false): [A, C, B, S, D].
    // t=2 ms: service (X runs on, no block). pop A: D fills pos 1; children C, B equal → C (the right
    //      one only if strictly smaller); C > D? no → up: [C, D, B, S]. pop C: S fills pos 1; children
    //      D, B equal → D; D > S? no → up: [D, S, B]. pop D: B fills pos 1; child S (50) > B → stop:
    //      [B, S]. pop B. So A, C, D, B wake, each at the head with avt = max(0, svt 0) = 0 = evt, and
    //      each raises the softirq (0 <= curr_evt = X charged 2 ms = 20 MCU → 200): q = [B, D, C, A, X,
    //      idle]. Softirq: X charged 200, to the tail: q = [B, D, C, A, idle, X]. next B (first of the
    //      evt-0 domains), prime D (prime_evt = ~0 then) → r_time = 0/10 + 5 ms.
    // (In the order the timers were set, A, B, C, D, the queue would be [D, C, B, A, …] and D would run.)
    sim.scheduleAt(ms(1), () => {
      for (const d of doms) bvt.setDomainTimer(d.vcpus[0] as Vcpu, ms(2), () => void d.compute(ms(1)));
      expect(bvt.timerDeadlines(0)).toEqual([ms(2), ms(2), ms(2), ms(50), ms(2)]);
    });
    runAndCheck(sim, host, ms(2) + 1);
    expect(rowsOf(rec)).toEqual([
      [0, 'X', 50_000_000],
      [2_000_000, 'B', 5_000_000],
    ]);
    expect(queueAtWake).toEqual(['B', 'D', 'C', 'A', 'idle', 'X']);
  });
});

describe("BVT 'xen2': timer slop", () => {
  // A alone from t=0: q = [A, idle], r_time = 10 · ctx_allow = 50 ms: s_timer at 50 ms. W's timer is
  // set to 50 ms + 30 µs; W then needs 1 ms of CPU.
  function run(timerSlopNs: number | undefined) {
    const bvt = new BvtScheduler(timerSlopNs === undefined ? { variant: 'xen2' } : { variant: 'xen2', timerSlopNs });
    const { sim, host } = quietHost(bvt);
    const A = host.control.createDomain({ name: 'A' });
    const W = host.control.createDomain({ name: 'W' });
    const rec = recordDispatches(host);
    A.compute(ms(200));
    bvt.setDomainTimer(W.vcpus[0] as Vcpu, ms(50) + us(30), () => void W.compute(ms(1)));
    runAndCheck(sim, host, ms(52) + us(30));
    return rowsOf(rec);
  }

  it('0 (the default): every timer fires at its deadline', () => {
    // t=50 ms: A charged 500 MCU → 5000, to the tail: q = [idle, A]: A alone, 50 ms. svt = 5000.
    // t=50 030 µs: W wakes: avt = max(0, svt 5000) = 5000 = evt, head: q = [W, idle, A]. curr_evt = A
    //      charged 30 µs = 1 MCU → 5010 ≥ 5000: softirq. A → 5010, tail: q = [W, idle, A]. next W, prime
    //      A: r_time = 10/10 + 5 ms = 5 000 001. svt 5000.
    // t=51 030 µs: W blocks (10 MCU → 5100): q = [idle, A]: A alone, 50 ms.
    const rows = [
      [0, 'A', 50_000_000],
      [50_000_000, 'A', 50_000_000],
      [50_030_000, 'W', 5_000_001],
      [51_030_000, 'A', 50_000_000],
    ];
    expect(run(undefined)).toEqual(rows);
    expect(run(0)).toEqual(rows);
  });

  it('50 µs (Xen 2.0 TIMER_SLOP): a timer due within the slop fires with the slice timer', () => {
    // t=50 ms: the timers are serviced before the schedule: s_timer (50 ms <= now) and W's timer
    //      (50 030 µs < 50 ms + 50 µs) fire. W wakes with the svt of t=0: avt = max(0, 0) = 0 = evt, head:
    //      q = [W, A, idle]; curr_evt = A charged 50 ms = 500 MCU → 5000 ≥ 0: softirq (the one running).
    //      A → 5000, tail: q = [W, idle, A]: next W, prime A: r_time = 5000/10 + 5 ms = 5 000 500. svt 0.
    // t=51 ms: W blocks (10 MCU → 10): q = [idle, A]: A alone, 50 ms.
    expect(run(us(50))).toEqual([
      [0, 'A', 50_000_000],
      [50_000_000, 'W', 5_000_500],
      [51_000_000, 'A', 50_000_000],
    ]);
  });

  it('is a xen2 option only, in [0, 1 s]', () => {
    expect(() => new BvtScheduler({ variant: 'xen1', timerSlopNs: 50_000 })).toThrow(
      'BvtScheduler: timerSlopNs must be an integer >= 0 and <= 0, got 50000',
    );
    expect(() => new BvtScheduler({ variant: 'xen2', timerSlopNs: -1 })).toThrow(/timerSlopNs must be/);
    expect(new BvtScheduler({ variant: 'xen2' }).timerSlopNs).toBe(0);
  });
});

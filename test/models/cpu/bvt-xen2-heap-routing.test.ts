// BVT 'xen2': the host's timer-driven events go through Xen 2.0's timer heap — a guest OS's sleep is
// the domain's one-shot timer (set_timer_op before SCHEDOP_block), the 10 ms tick is each PCPU's
// t_timer — so they fire in the heap's order, after a block of the same instant, and with the slop.
// Every expected trace is derived by hand, before running, from the rules written out in bvt.ts and
// bvt-timers.ts (Xen 2.0 sched_bvt.c, schedule.c, ac_timer.c): at one instant, the running guest's
// block (a direct schedule), then the expired timers in heap order, then the schedule softirq (whose
// own schedule runs the due timers first); add_entry appends and moves up only past a strictly later
// parent; remove_entry moves the last entry into the hole and down past children that are not
// strictly later. Conventions as in bvt-xen2-instant.test.ts: MCU = 100 µs, ctx_allow = 5 ms, q = the
// run queue in list order with the idle task `idle`, T = a PCPU's tick timer, S = its slice timer.
// A woken guest process runs d = the profile's event delivery (the guest's timer interrupt) and then
// its computation, without a process switch (one process per guest).
import { describe, expect, it } from 'vitest';
import { ms, us } from '../../../src/sim/index.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { CreditScheduler } from '../../../src/models/cpu/credit.js';
import type { Domain } from '../../../src/models/host/domain.js';
import type { Host } from '../../../src/models/host/host.js';
import { GuestOS, type GuestStep } from '../../../src/models/guest/guest-os.js';
import { FREE_CONTROL, makeHost, recordDispatches, runAndCheck } from '../host/helpers.js';

const rowsOf = (rec: ReturnType<typeof recordDispatches>) => rec.map((r) => [r.timeNs, r.who, r.sliceNs]);

function xen2Host(opts: { timerTickNs?: number; timerSlopNs?: number } = {}) {
  const bvt = new BvtScheduler({
    variant: 'xen2',
    ...(opts.timerSlopNs === undefined ? {} : { timerSlopNs: opts.timerSlopNs }),
  });
  return {
    bvt,
    ...makeHost({
      scheduler: bvt,
      timerTickNs: opts.timerTickNs ?? 0,
      contextSwitch: ContextSwitchModel.free(),
      controlCosts: FREE_CONTROL,
    }),
  };
}

/** A guest with one process: sleeps `sleepNs`, then computes `computeNs`. Returns the guest. */
function sleeper(d: Domain, sleepNs: number, computeNs: number): GuestOS {
  const os = new GuestOS(d, { profile: 'xen' });
  function* prog(): Generator<GuestStep, void, undefined> {
    yield { sleepNs };
    yield { computeNs };
  }
  os.spawn('p', prog());
  return os;
}

function timerDone(host: Host): [string, number][] {
  const out: [string, number][] = [];
  host.onDemandDone.add((v, tag, now) => {
    if (tag === 'timer') out.push([v.domain.name, now]);
  });
  return out;
}

describe("BVT 'xen2': guest-OS timeouts in the heap", () => {
  it('(a) timeouts and the slice timer due at one instant fire in heap order, not in the order they were set', () => {
    const { sim, host } = xen2Host();
    const X = host.control.createDomain({ name: 'X' });
    const guests = ['A', 'B', 'C', 'D'].map((name) => sleeper(host.control.createDomain({ name }), ms(50), ms(1)));
    const d = Math.round((guests[0] as GuestOS).profile.params.eventDeliveryNs);
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(us(100));
    const rec = recordDispatches(host);
    X.compute(ms(200));
    runAndCheck(sim, host, ms(60));
    // t=0: A, B, C, D sleep 50 ms: their domain timers enter the heap in that order, all at 50 ms:
    //      no add moves up (50 < 50 is false): [A, B, C, D]. X wakes: q = [X, idle]; the softirq
    //      schedule: X, prime idle → 10 · ctx_allow = 50 ms; S at 50 ms is appended at pos 5 (parent B,
    //      equal: stays): [A, B, C, D, S]. svt = 0.
    // t=50 ms: the slice ends: the softirq schedule runs the due timers first, in heap order.
    //      pop A: S fills pos 1; children B, C equal → B (the right one only if strictly smaller), B not
    //      later than S → up; at pos 2, child D not later → up: [B, D, C, S]. A wakes: avt = max(0, svt 0)
    //      = 0 = evt, head: q = [A, X, idle].
    //      pop B: S (last) fills pos 1; children D, C equal → D, up: [D, S, C]. B wakes: q = [B, A, X, idle].
    //      pop D: C fills pos 1; child S not later → up: [S, C]. D wakes: q = [D, B, A, X, idle].
    //      pop S (raises the softirq, already running), then C: q = [C, D, B, A, X, idle].
    //      X charged 50 ms = 500 MCU → avt 5000, to the tail: q = [C, D, B, A, idle, X].
    //      Scan: C (0) next, D (0): next_prime_evt = ~0 → prime D. r_time = (0 − 0)/10 + 5 ms.
    // Each woken guest runs d + 1 ms (< 11 MCU) and blocks (avt 110); each next decision:
    //   after C: q = [D, B, A, idle, X]: D, prime B → 5 ms.
    //   after D: q = [B, A, idle, X]: B, prime A → 5 ms.
    //   after B: q = [A, idle, X]: A, prime idle (~0), then X (next_prime_evt = ~0 takes any) → prime X:
    //            r_time = (5000 − 0)/10 + 5 ms = 5 000 500.
    //   after A: q = [idle, X]: X, prime idle → 50 ms.
    // (Set in the order A, B, C, D and run before the slice end, as plain events, the timeouts would
    // leave q = [D, C, B, A, …] and D would run first.)
    const r = ms(1) + d;
    expect(rowsOf(rec)).toEqual([
      [0, 'X', ms(50)],
      [ms(50), 'C', ms(5)],
      [ms(50) + r, 'D', ms(5)],
      [ms(50) + 2 * r, 'B', ms(5)],
      [ms(50) + 3 * r, 'A', 5_000_500],
      [ms(50) + 4 * r, 'X', ms(50)],
    ]);
  });

  it('(a) a timeout due at the instant the running domain blocks is handled after the block', () => {
    const { sim, host } = xen2Host();
    const A = host.control.createDomain({ name: 'A' });
    const B = host.control.createDomain({ name: 'B' });
    const W = host.control.createDomain({ name: 'W' });
    const os = sleeper(W, ms(3), ms(1));
    const d = Math.round(os.profile.params.eventDeliveryNs);
    const rec = recordDispatches(host);
    B.compute(ms(100));
    A.compute(ms(3));
    runAndCheck(sim, host, ms(5));
    // t=0: W's domain timer at 3 ms. B, then A wake at the head: q = [A, B, idle]; A, prime B → 5 ms.
    // t=3 ms: (2) A's block: A charged 30 MCU → 300, removed: q = [B, idle]: B alone → 50 ms.
    //      (3) W's timer: W wakes: avt = max(0, svt 0) = 0, head: q = [W, B, idle]; curr_evt = B charged
    //      0 ns → 0; 0 <= 0: softirq. (4) B charged 0 MCU, to the tail: q = [W, idle, B]: W, prime idle
    //      then B (next_prime_evt = ~0) → r_time = 0/10 + 5 ms.
    // t=4 ms + d: W blocks (11 MCU → 110): q = [idle, B]: B alone → 50 ms.
    expect(rowsOf(rec)).toEqual([
      [0, 'A', ms(5)],
      [ms(3), 'B', ms(50)],
      [ms(3), 'W', ms(5)],
      [ms(4) + d, 'B', ms(50)],
    ]);
  });
});

describe("BVT 'xen2': the 10 ms tick in the heap", () => {
  it('(b) a tick due with a block and a wake fires after the block: it finds the PCPU idle', () => {
    const { sim, host } = xen2Host({ timerTickNs: ms(10) });
    const A = host.control.createDomain({ name: 'A' });
    const W = host.control.createDomain({ name: 'W' });
    const os = sleeper(W, ms(10), ms(1));
    const d = Math.round(os.profile.params.eventDeliveryNs);
    const rec = recordDispatches(host);
    const ticks = timerDone(host);
    A.compute(ms(10));
    runAndCheck(sim, host, ms(15));
    // Host start: T at 10 ms: [T]. W's timeout at 10 ms is appended (equal parent): [T, W].
    // t=0: A wakes: q = [A, idle]; A, prime idle → 50 ms; S at 50: [T, W, S].
    // t=10 ms: (2) A's demand is done: it blocks (direct schedule; the timers wait): A charged 100 MCU
    //      → 1000, removed: q = [idle]: idle, ctx_allow: S moves to 15 ms (removed from pos 3, the last;
    //      appended at pos 3, parent T not later): [T, W, S].
    //      (3) timers in heap order: T: current is idle: no VIRQ_TIMER; re-armed at 10 + 10 = 20 ms.
    //      W: W wakes at the head: q = [W, idle]; the PCPU is idle: softirq.
    //      (4) softirq: W, prime idle → 50 ms.
    // t=11 ms + d: W blocks (11 MCU → 110): q = [idle]: idle, ctx_allow.
    // Nobody received a tick at 10 ms. (As an event of the instant's guest activity, before the block,
    // it would have reached A, whose handler would have kept it running.)
    expect(rowsOf(rec)).toEqual([
      [0, 'A', ms(50)],
      [ms(10), 'idle', ms(5)],
      [ms(10), 'W', ms(50)],
      [ms(11) + d, 'idle', ms(5)],
    ]);
    expect(ticks).toEqual([]);
  });

  it('(b) a tick due with a timeout wake goes to the domain current when the timers run, not to the woken one', () => {
    const { sim, host } = xen2Host({ timerTickNs: ms(10) });
    const A = host.control.createDomain({ name: 'A' });
    const W = host.control.createDomain({ name: 'W' });
    const os = sleeper(W, ms(10), ms(1));
    const d = Math.round(os.profile.params.eventDeliveryNs);
    const tick = host.timerTickCostNs;
    const rec = recordDispatches(host);
    const ticks = timerDone(host);
    A.compute(ms(100));
    runAndCheck(sim, host, ms(20) + us(5));
    // Heap as above: [T, W]; t=0: A, prime idle → 50 ms: [T, W, S].
    // t=10 ms (no block, no slice end): the timers run in heap order. T: VIRQ_TIMER to A (current): an
    //      urgent demand of `tick` on A; re-armed at 20 ms. W: W wakes: avt 0, head: q = [W, A, idle];
    //      curr_evt = A charged 10 ms = 100 MCU → 1000 ≥ 0: softirq: A → 1000, to the tail:
    //      q = [W, idle, A]: W, prime idle then A → r_time = 1000/10 + 5 ms = 5 000 100.
    // t=11 ms + d: W blocks (110): q = [idle, A]: A alone → 50 ms. A runs its tick handler first: done
    //      at 11 ms + d + tick.
    // t=20 ms: T: VIRQ_TIMER to A (current), done at 20 ms + tick.
    expect(rowsOf(rec)).toEqual([
      [0, 'A', ms(50)],
      [ms(10), 'W', 5_000_100],
      [ms(11) + d, 'A', ms(50)],
    ]);
    expect(ticks).toEqual([
      ['A', ms(11) + d + tick],
      ['A', ms(20) + tick],
    ]);
  });
});

describe("BVT 'xen2': timeouts with the timer slop", () => {
  function run(timerSlopNs: number) {
    const { sim, host } = xen2Host({ timerSlopNs });
    const X = host.control.createDomain({ name: 'X' });
    const P = host.control.createDomain({ name: 'P' });
    const Q = host.control.createDomain({ name: 'Q' });
    // P's timeout is set first, at the later deadline
    const os = sleeper(P, ms(50) + us(40), ms(1));
    sleeper(Q, ms(50) + us(10), ms(1));
    const rec = recordDispatches(host);
    X.compute(ms(200));
    runAndCheck(sim, host, ms(53));
    return { rows: rowsOf(rec), d: Math.round(os.profile.params.eventDeliveryNs) };
  }

  it('(c) 50 µs: two timeouts within the slop fire together with the slice timer, in heap order', () => {
    const { rows, d } = run(us(50));
    // t=0: heap: P (50.04 ms): [P]; Q (50.01 ms) moves up past P: [Q, P]. X wakes: X, prime idle →
    //      50 ms: S (50 ms) at pos 3, parent Q later → up: [S, P, Q]. svt = 0.
    // t=50 ms: the schedule services every timer due before 50.05 ms: S, then (Q, the last, fills pos 1;
    //      child P strictly later → stays: [Q, P]) Q, then P. Q wakes: avt = max(0, svt 0) = 0, head; then P:
    //      q = [P, Q, X, idle]. X charged 500 MCU → 5000, tail: q = [P, Q, idle, X]: P, prime Q → 5 ms.
    // t=51 ms + d: P blocks (110): q = [Q, idle, X]: Q, prime idle then X → (5000 − 0)/10 + 5 ms.
    // t=52 ms + 2d: Q blocks: q = [idle, X]: X alone → 50 ms.
    expect(rows).toEqual([
      [0, 'X', ms(50)],
      [ms(50), 'P', ms(5)],
      [ms(51) + d, 'Q', 5_000_500],
      [ms(52) + 2 * d, 'X', ms(50)],
    ]);
  });

  it('(c) 0: each timeout fires at its own deadline', () => {
    const { rows } = run(0);
    // t=50 ms: only S is due: X charged 500 MCU → 5000, tail: q = [idle, X]: X alone → 50 ms; svt = 5000.
    // t=50.01 ms: Q wakes: avt = max(0, 5000) = 5000 = evt, head: q = [Q, idle, X]; curr_evt = X charged
    //      10 µs = 1 MCU → 5010 ≥ 5000: softirq: X → 5010, tail: q = [Q, idle, X]: Q, prime idle then X
    //      → (5010 − 5000)/10 + 5 ms = 5 000 001. svt = 5000.
    // t=50.04 ms: P wakes: avt = max(0, 5000) = 5000, head: q = [P, Q, idle, X]; curr_evt = Q charged
    //      30 µs = 1 MCU → 5010 ≥ 5000: softirq: Q → 5010, tail: q = [P, idle, X, Q]: P, prime idle,
    //      then X (5010) → 10/10 + 5 ms = 5 000 001.
    expect(rows.slice(0, 4)).toEqual([
      [0, 'X', ms(50)],
      [ms(50), 'X', ms(50)],
      [ms(50) + us(10), 'Q', 5_000_001],
      [ms(50) + us(40), 'P', 5_000_001],
    ]);
  });
});

describe('other schedulers: a guest timeout is a plain event at its deadline', () => {
  it('Credit: the sleeper wakes at its deadline, before the same instant’s scheduling point', () => {
    const { sim, host } = makeHost({
      scheduler: new CreditScheduler(),
      timerTickNs: 0,
      contextSwitch: ContextSwitchModel.free(),
      controlCosts: FREE_CONTROL,
    });
    const W = host.control.createDomain({ name: 'W' });
    const os = sleeper(W, ms(3), ms(1));
    const woke: number[] = [];
    host.onWake.add((v, now) => {
      if (v.domain === W) woke.push(now);
    });
    runAndCheck(sim, host, ms(10));
    expect(woke).toEqual([ms(3)]);
    expect(os.processes[0]?.cpuNs).toBe(ms(1));
  });
});

// BVT as Xen 1.0: why a woken, mostly idle domain among CPU-bound ones can wait for a whole round of
// their slices, not only for the rest of the current one. A hand-computed trace, decision by decision.
import { describe, expect, it } from 'vitest';
import { ms, us } from '../../../src/sim/index.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { FREE_CONTROL, makeHost, runAndCheck } from '../host/helpers.js';

interface Row {
  t: number;
  who: string;
  slice: number;
  avt: Record<string, number>;
  svt: number;
}

describe('BVT (xen1): wake-up latency of an I/O domain among CPU-bound ones', () => {
  it('a woken domain runs within ctx_allow only while its avt is at svt; once it has run in a round it waits for the hogs still at svt', () => {
    const bvt = new BvtScheduler();
    const { sim, host } = makeHost({
      scheduler: bvt,
      timerTickNs: 0,
      contextSwitch: ContextSwitchModel.free(),
      controlCosts: FREE_CONTROL,
    });
    const E = host.control.createDomain({ name: 'E' }); // the "echo" domain: blocked until woken
    const A = host.control.createDomain({ name: 'A' });
    const B = host.control.createDomain({ name: 'B' });
    const C = host.control.createDomain({ name: 'C' });
    const doms = [E, A, B, C];
    const rows: Row[] = [];
    host.onDispatch.add((cpu, v, slice, now) => {
      const avt: Record<string, number> = {};
      for (const d of doms) avt[d.name] = bvt.info(d.vcpus[0] as Vcpu).avt;
      rows.push({ t: now, who: v === null ? 'idle' : v.domain.name, slice, avt, svt: bvt.svt(cpu) });
    });
    A.compute(ms(100)); // the hogs: CPU-bound over the trace
    B.compute(ms(100));
    C.compute(ms(100));
    sim.scheduleAt(ms(16), () => E.compute(us(150)));
    sim.scheduleAt(ms(22), () => E.compute(us(150)));
    runAndCheck(sim, host, ms(31));
    // Hand computation (Xen 1.0 schedule.c; ctx_allow 5 ms, MCU 100 µs, mcu_advance 10 for all):
    // t=0        A, B, C wake at the queue head in turn → [C, B, A], all evt 0: C (first) runs;
    //            next_prime B (0): r_time = 0/10 + 5 ms.
    // t=5 ms     C ran 50 MCU → avt 500, re-queued at the tail → [B, A, C]: B (0) runs, next_prime A: 5 ms.
    // t=10 ms    B → 500; [A, C, B]: A (0) runs, next_prime C (500): r_time = 500/10 = 50 ns + 5 ms.
    // t=15.00005 A ran 5 000 050 ns → ceil = 51 MCU → avt 510; [C, B, A]: C (500) runs, next_prime B (500):
    //            5 ms; svt = min avt = 500. The hogs' avts move in lockstep, one slice (≈ 500) per round.
    // t=16 ms    E wakes: avt_E = max(0, svt 500) = 500, inserted at the head → [E, C, B, A]. reschedule(E):
    //            C has run 1 ms < ctx_allow and the timer (20.00005 ms) is not later than
    //            lastschd + ctx_allow + TIME_SLOP: nothing changes (xen1 has no evt test at a wake).
    // t=20.00005 C ran 5 ms → 1000; [E, B, A, C]: E (500) and B (500) tie, E is first: E runs, waiting
    //            4.00005 ms (the rest of C's slice). next_prime B: r_time = 0 + 5 ms; svt = 500.
    // t=20.15005 E's 150 µs done: 2 MCU → avt_E = 520, blocks (leaves the queue). [B, A, C]: B (500) runs,
    //            next_prime A (510): r_time = 10/10 = 1 ns + 5 ms; svt = 500.
    // t=22 ms    E wakes: avt_E = max(520, svt 500) = 520 → [E, B, A, C]; B has run < ctx_allow and its timer
    //            (25.150051 ms) is within TIME_SLOP of lastschd + ctx_allow: nothing changes.
    // t=25.150051 B ran 5 000 001 ns → 51 MCU → 1010; [E, A, C, B]: A (510) < E (520): the hog A runs, not E.
    //            next_prime E: r_time = 10/10 + 5 ms; svt = min(520, 510, 1000, 1010) = 510.
    // t=30.150052 A ran 5 000 001 ns → 51 MCU → 1020; [E, C, B, A]: E (520) runs at last, 8.150052 ms after its
    //            wake (the rest of B's slice and all of A's). next_prime C (1000): r_time = 480/10 + 5 ms; svt = 520.
    // t=30.300052 E done: 2 MCU → 540, blocks; [C, B, A]: C (1000) runs, next_prime B (1010): 1 ns + 5 ms; svt 1000.
    const expected: Row[] = [
      { t: 0, who: 'C', slice: 5_000_000, avt: { E: 0, A: 0, B: 0, C: 0 }, svt: 0 },
      { t: 5_000_000, who: 'B', slice: 5_000_000, avt: { E: 0, A: 0, B: 0, C: 500 }, svt: 0 },
      { t: 10_000_000, who: 'A', slice: 5_000_050, avt: { E: 0, A: 0, B: 500, C: 500 }, svt: 0 },
      { t: 15_000_050, who: 'C', slice: 5_000_000, avt: { E: 0, A: 510, B: 500, C: 500 }, svt: 500 },
      { t: 20_000_050, who: 'E', slice: 5_000_000, avt: { E: 500, A: 510, B: 500, C: 1000 }, svt: 500 },
      { t: 20_150_050, who: 'B', slice: 5_000_001, avt: { E: 520, A: 510, B: 500, C: 1000 }, svt: 500 },
      { t: 25_150_051, who: 'A', slice: 5_000_001, avt: { E: 520, A: 510, B: 1010, C: 1000 }, svt: 510 },
      { t: 30_150_052, who: 'E', slice: 5_000_048, avt: { E: 520, A: 1020, B: 1010, C: 1000 }, svt: 520 },
      { t: 30_300_052, who: 'C', slice: 5_000_001, avt: { E: 540, A: 1020, B: 1010, C: 1000 }, svt: 1000 },
    ];
    expect(rows).toEqual(expected);
  });
});

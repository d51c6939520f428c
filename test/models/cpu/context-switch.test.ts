// The context-switch model on the host (src/models/cpu/context-switch.ts over cache/footprint.ts): the
// cost the host charges per switch is the footprint model's at the stack distance derived by hand from
// the round-robin order; it depends on what the others touched, not on how long they ran; N domains of
// S bytes switching round robin cost what lmbench lat_ctx measured for N processes of S bytes (Table 3,
// Xen row, the profile of a domain switch).
import { describe, expect, it } from 'vitest';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { RoundRobinScheduler } from '../../../src/models/cpu/round-robin.js';
import { SWITCH_PROFILE_FITS, TABLE3 } from '../../../src/models/calibration.js';
import { cpuBoundWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { ms } from '../../../src/sim/index.js';
import { FREE_CONTROL, makeHost, runAndCheck } from '../host/helpers.js';

const KB = 1024;

/** Runs `sizes.length` CPU-bound domains round robin on one CPU; returns the switch costs to each, in order. */
function roundRobin(sizes: readonly number[], quantumNs: number, untilNs: number, cs = new ContextSwitchModel()) {
  const { sim, host } = makeHost({
    timerTickNs: 0,
    contextSwitch: cs,
    controlCosts: FREE_CONTROL,
    scheduler: new RoundRobinScheduler({ quantumNs }),
  });
  const doms = sizes.map((ws, i) => host.control.createDomain({ name: `d${i}`, workingSetBytes: ws }));
  for (const d of doms) cpuBoundWorkload(d, { chunkNs: ms(1000) });
  const costs: { to: number; costNs: number }[] = [];
  host.onSwitch.add((_cpu, _from, to, costNs) => costs.push({ to: doms.indexOf(to.domain), costNs }));
  const acc = runAndCheck(sim, host, untilNs);
  return { costs, acc, cs };
}

describe('ContextSwitchModel on the host', () => {
  it('charges the cold refill first, then the refill at the stack distance of the others’ footprints', () => {
    const p = SWITCH_PROFILE_FITS.Xen;
    const { costs, acc, cs } = roundRobin([64 * KB, 200 * KB], ms(1), ms(10));
    expect(costs[0]).toEqual({ to: 0, costNs: cs.coldCostNs(64 * KB) });
    expect(costs[1]).toEqual({ to: 1, costNs: cs.coldCostNs(200 * KB) });
    // then each finds the other's footprint (its working set + the entity overhead) and two switches' pollution
    const h2 = 2 * p.switchPollutionBytes;
    const to0 = cs.costNs(64 * KB, 200 * KB + p.entityOverheadBytes + h2, false);
    const to1 = cs.costNs(200 * KB, 64 * KB + p.entityOverheadBytes + h2, false);
    expect(costs.slice(2).map((c) => c.costNs)).toEqual(costs.slice(2).map((c) => (c.to === 0 ? to0 : to1)));
    expect(costs.length).toBeGreaterThan(6);
    let sum = 0;
    for (const c of costs) sum += c.costNs;
    expect(acc.switchingNs).toBe(sum);
  });

  it('depends on the bytes the others touched, not on how long they ran', () => {
    const short = roundRobin([64 * KB, 64 * KB, 64 * KB], ms(1), ms(40));
    const long = roundRobin([64 * KB, 64 * KB, 64 * KB], ms(10), ms(400));
    const warm = (r: typeof short): number[] => [...new Set(r.costs.slice(3).map((c) => c.costNs))];
    expect(warm(short)).toHaveLength(1);
    expect(warm(long)).toEqual(warm(short));
    // a bigger neighbour evicts more of the same domain
    const big = roundRobin([64 * KB, 64 * KB, 448 * KB], ms(1), ms(40));
    const toFirst = (r: typeof short): number =>
      (r.costs.slice(3).find((c) => c.to === 0) as { costNs: number }).costNs;
    expect(toFirst(big)).toBeGreaterThan(toFirst(short));
  });

  it('N domains of S bytes round robin cost what lat_ctx measured under Xen (Table 3), within 10%', () => {
    const row = TABLE3.contextSwitch.rows.Xen;
    const cells = [
      [8, 64, row[4]],
      [16, 16, row[5]],
      [16, 64, row[6]],
      [2, 16, row[1]],
    ] as const;
    for (const [n, kb, us] of cells) {
      const { costs } = roundRobin(new Array<number>(n).fill(kb * KB), ms(1), ms(3 * n + 1));
      const warm = costs.slice(n);
      expect(warm.length).toBeGreaterThanOrEqual(n);
      const mean = warm.reduce((a, c) => a + c.costNs, 0) / warm.length;
      expect(Math.abs(mean - (us as number) * 1000) / ((us as number) * 1000), `${n}p/${kb}K`).toBeLessThanOrEqual(0.1);
    }
  });

  it('free() costs nothing; profiles come from the fitted table; a bad profile is named', () => {
    expect(roundRobin([64 * KB, 512 * KB], ms(1), ms(10), ContextSwitchModel.free()).acc.switchingNs).toBe(0);
    expect(new ContextSwitchModel().directNs).toBe(SWITCH_PROFILE_FITS.Xen.directNs);
    expect(new ContextSwitchModel({ profile: 'L-UP' }).directNs).toBe(SWITCH_PROFILE_FITS['L-UP'].directNs);
    expect(new ContextSwitchModel({ profile: 'L-UP', directNs: 5 }).directNs).toBe(5);
    expect(() => new ContextSwitchModel({ profile: 'Linux' as 'L-UP' })).toThrow(
      /ContextSwitchModel: profile must be one of "L-SMP", "L-UP", "Xen", "VMware", "UML", got "Linux"/,
    );
  });

  it('working-set phases: a new phase refills cold, then the new working set is what counts', () => {
    const cs = new ContextSwitchModel();
    const { sim, host } = makeHost({
      timerTickNs: 0,
      contextSwitch: cs,
      controlCosts: FREE_CONTROL,
      scheduler: new RoundRobinScheduler({ quantumNs: ms(1) }),
    });
    const a = host.control.createDomain({ name: 'a', workingSetBytes: 16 * KB });
    const b = host.control.createDomain({ name: 'b', workingSetBytes: 16 * KB });
    cpuBoundWorkload(a, { chunkNs: ms(1000) });
    cpuBoundWorkload(b, { chunkNs: ms(1000) });
    const va = a.vcpus[0] as (typeof a.vcpus)[number];
    const toA: number[] = [];
    host.onSwitch.add((_c, _f, to, cost) => {
      if (to === va) toA.push(cost);
    });
    sim.scheduleAt(ms(4) + 500_000, () => cs.setWorkingSet(va.id, 256 * KB, 1));
    runAndCheck(sim, host, ms(10));
    const h2 = 2 * SWITCH_PROFILE_FITS.Xen.switchPollutionBytes;
    const b16 = 16 * KB + SWITCH_PROFILE_FITS.Xen.entityOverheadBytes; // b's footprint
    // switches to a at 0, 2, 4 ms (phase 0), 6 ms (new phase: cold 256 KB), 8 ms (warm 256 KB)
    expect(toA).toEqual([
      cs.coldCostNs(16 * KB),
      cs.costNs(16 * KB, b16 + h2, false),
      cs.costNs(16 * KB, b16 + h2, false),
      cs.coldCostNs(256 * KB),
      cs.costNs(256 * KB, b16 + h2, false),
    ]);
    expect(() => cs.setWorkingSet(va.id, -1, 0)).toThrow(
      /setWorkingSet: workingSetBytes must be an integer >= 0, got -1/,
    );
  });

  it('hypervisor pollution on a CPU raises the next refill there', () => {
    const cs = new ContextSwitchModel();
    cs.switchCostNs(0, 0, 64 * KB);
    cs.switchCostNs(0, 1, 16 * KB);
    const quiet = cs.switchCostNs(0, 0, 64 * KB);
    cs.switchCostNs(0, 1, 16 * KB);
    cs.pollute(0, 300 * KB);
    expect(cs.switchCostNs(0, 0, 64 * KB)).toBeGreaterThan(quiet);
  });
});

// The balloon driver: page conservation at every step, never past a ceiling or below a floor, the
// hand-computed step timing (batch / rate) and CPU charge (pages × cost on the guest's vCPU), growth
// blocked on an empty free pool and resumed on release, and growing back on demand.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Host } from '../../../src/models/host/host.js';
import { FREE_CONTROL, makeHost } from '../host/helpers.js';

function checkEveryStep(host: Host, floors: Map<number, number>): { steps: number } {
  const seen = { steps: 0 };
  host.balloons.onStep.add((id, pages) => {
    const m = host.memory;
    seen.steps++;
    expect(m.freePages + m.domainPages + m.hypervisorPages).toBe(m.totalPages);
    expect(pages).toBeLessThanOrEqual(m.of(id).ceilingPages);
    expect(pages).toBeGreaterThanOrEqual(floors.get(id) ?? 0);
  });
  return seen;
}

const MS = 1_000_000;

describe('balloon driver', () => {
  it('hand-computed shrink: 48 steps of 256 pages, 3.906 ms apart, 2.73 µs of guest CPU per page', () => {
    const { sim, host } = makeHost({
      controlCosts: FREE_CONTROL,
      timerTickNs: 0,
      machineMemoryPages: 65_536,
      hypervisorMemoryPages: 1024,
      balloon: { batchPages: 256 },
    });
    const g = host.control.createDomain({ name: 'g', memoryReservationPages: 16_384 });
    const seen = checkEveryStep(host, new Map());
    const times: number[] = [];
    host.balloons.onStep.add((_id, _p, _m, now) => times.push(now));
    sim.scheduleAt(MS, () => host.control.setMemoryTarget(g.id, 4096));
    sim.run(1000 * MS);
    expect(host.memory.of(g.id).pages).toBe(4096);
    expect(seen.steps).toBe(48);
    const stepNs = Math.ceil((256 * 1e9) / 65_536);
    expect(times[0]).toBe(MS);
    expect(times[47]).toBe(MS + 47 * stepNs);
    const st = host.balloons.statsOf(g.id);
    expect(st).toMatchObject({ pagesIn: 0, pagesOut: 12_288, cpuNs: 12_288 * 2730 });
    expect(g.busyNs).toBe(12_288 * 2730);
    expect(g.memoryTargetPages).toBe(4096);
  });

  it('the CPU bounds the rate when the per-page cost is high', () => {
    // 100 µs per page: a step of 256 pages needs 25.6 ms of CPU, longer than 256 / rate = 3.9 ms
    const { sim, host } = makeHost({
      controlCosts: FREE_CONTROL,
      timerTickNs: 0,
      machineMemoryPages: 65_536,
      balloon: { costNsPerPage: 100_000, batchPages: 256 },
    });
    const g = host.control.createDomain({ name: 'g', memoryReservationPages: 2048 });
    host.control.setMemoryTarget(g.id, 1024);
    const times: number[] = [];
    host.balloons.onStep.add((_id, _p, _m, now) => times.push(now));
    sim.run(10_000 * MS);
    expect(times).toHaveLength(4);
    // steps start when the previous step's CPU has run (plus context-switch costs: at least 25.6 ms apart)
    for (let i = 1; i < 4; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(25.6 * MS);
    expect(host.memory.of(g.id).pages).toBe(1024);
  });

  it('clamps the target to [floor, ceiling] and keeps setMemoryTarget validation and dom0 cost', () => {
    const { sim, host } = makeHost({
      timerTickNs: 0,
      machineMemoryPages: 65_536,
      balloon: { floorPages: 512, autoGrow: false },
    });
    const g = host.control.createDomain({ name: 'g', memoryReservationPages: 4096, memoryCeilingPages: 8192 });
    const busy0 = host.dom0.busyNs;
    host.control.setMemoryTarget(g.id, 0);
    expect(host.balloons.targetOf(g.id)).toBe(512);
    sim.run(2000 * MS);
    expect(host.memory.of(g.id).pages).toBe(512);
    expect(host.dom0.busyNs - busy0).toBe(
      host.control.costs.setMemoryTargetCostNs + host.control.costs.createDomainCostNs,
    );
    host.control.setMemoryTarget(g.id, 60_000);
    expect(host.balloons.targetOf(g.id)).toBe(8192);
    sim.run(4000 * MS);
    expect(host.memory.of(g.id).pages).toBe(8192);
    expect(() => host.control.setMemoryTarget(g.id, 70_000)).toThrow(
      /control\.setMemoryTarget: pages must be an integer >= 0 and <= 65536, got 70000/,
    );
  });

  it('growth waits for free pages and resumes when another balloon releases some', () => {
    const { sim, host } = makeHost({
      controlCosts: FREE_CONTROL,
      timerTickNs: 0,
      machineMemoryPages: 10_000,
      hypervisorMemoryPages: 0,
    });
    const a = host.control.createDomain({ name: 'a', memoryReservationPages: 5000, memoryCeilingPages: 9000 });
    const b = host.control.createDomain({ name: 'b', memoryReservationPages: 4985, memoryCeilingPages: 4985 });
    expect(host.memory.freePages).toBe(0);
    host.control.setMemoryTarget(a.id, 9000);
    sim.run(100 * MS);
    expect(host.memory.of(a.id).pages).toBe(5000);
    expect(host.balloons.statsOf(a.id).blocked).toBe(true);
    host.control.setMemoryTarget(b.id, 1000);
    sim.run(1000 * MS);
    expect(host.memory.of(b.id).pages).toBe(1000);
    expect(host.memory.of(a.id).pages).toBe(8985);
    expect(host.memory.freePages).toBe(0);
  });

  it('grows back on demand up to its ceiling (autoGrow)', () => {
    const { sim, host } = makeHost({ controlCosts: FREE_CONTROL, timerTickNs: 0, machineMemoryPages: 65_536 });
    const g = host.control.createDomain({ name: 'g', memoryReservationPages: 4096, memoryCeilingPages: 6000 });
    host.control.setMemoryTarget(g.id, 1024);
    sim.run(100 * MS);
    host.balloons.demand(g.id, 3000);
    sim.run(200 * MS);
    expect(host.memory.of(g.id).pages).toBe(3000);
    host.balloons.demand(g.id, 100_000);
    sim.run(300 * MS);
    expect(host.memory.of(g.id).pages).toBe(6000);
  });

  it('property: random targets, floors and ceilings over three domains: conservation at every step, bounds never passed', () => {
    const dom = fc.record({
      res: fc.integer({ min: 0, max: 3000 }),
      extra: fc.integer({ min: 0, max: 3000 }),
      floor: fc.integer({ min: 0, max: 3000 }),
    });
    const cmd = fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 7000 }),
      fc.integer({ min: 1, max: 50 }),
    );
    fc.assert(
      fc.property(
        fc.array(dom, { minLength: 3, maxLength: 3 }),
        fc.array(cmd, { maxLength: 12 }),
        fc.integer({ min: 1, max: 600 }),
        (doms, cmds, batch) => {
          const { sim, host } = makeHost({
            controlCosts: FREE_CONTROL,
            timerTickNs: 0,
            machineMemoryPages: 10_000,
            hypervisorMemoryPages: 100,
            balloon: { batchPages: batch, ratePagesPerS: 1_000_000 },
          });
          const floors = new Map<number, number>();
          const ids: number[] = [];
          for (const [i, d] of doms.entries()) {
            const g = host.control.createDomain({
              name: `g${i}`,
              memoryReservationPages: d.res,
              memoryCeilingPages: d.res + d.extra,
            });
            const floor = Math.min(d.floor, d.res);
            host.balloons.setFloor(g.id, floor);
            floors.set(g.id, floor);
            ids.push(g.id);
          }
          checkEveryStep(host, floors);
          let t = 0;
          for (const [which, target, dtMs] of cmds) {
            t += dtMs * MS;
            sim.scheduleAt(t, () => host.control.setMemoryTarget(ids[which] as number, target));
          }
          sim.run(t + 2000 * MS);
          for (const id of ids) {
            const m = host.memory.of(id);
            const want = host.balloons.targetOf(id);
            // settled: at the target, or short of it only because the free pool is empty
            if (m.pages !== want) expect(m.pages < want && host.memory.freePages === 0).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

// Machine memory: page conservation (machine = free + Σ domains + hypervisor) after every change, the
// host's hook (reservations at creation, per-domain hypervisor state, pages returned at destruction)
// and the invariant error when the books do not balance.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvariantError, Simulation } from '../../../src/sim/index.js';
import { MachineMemory } from '../../../src/models/memory/machine-memory.js';
import { MEMORY_DEFAULTS } from '../../../src/models/memory/defaults.js';
import { FREE_CONTROL, makeHost } from '../host/helpers.js';

function balance(m: MachineMemory): number {
  return m.freePages + m.domainPages + m.hypervisorPages;
}

describe('MachineMemory', () => {
  it('hand-made trace: reservations, grants, releases, removal', () => {
    const m = new MachineMemory(new Simulation(), { totalPages: 1000, hypervisorPages: 100, perDomainStatePages: 5 });
    expect([m.freePages, m.hypervisorPages]).toEqual([900, 100]);
    m.addDomain(1, 'a', 300, 400);
    expect([m.freePages, m.hypervisorPages, m.domainPages]).toEqual([595, 105, 300]);
    m.addDomain(2, 'b', 200, 200);
    expect([m.freePages, m.hypervisorPages, m.domainPages]).toEqual([390, 110, 500]);
    expect(m.grantable(1)).toBe(100); // ceiling − pages
    expect(m.grantable(2)).toBe(0);
    m.grant(1, 100);
    m.release(2, 150);
    expect([m.freePages, m.of(1).pages, m.of(2).pages]).toEqual([440, 400, 50]);
    m.removeDomain(1);
    expect([m.freePages, m.hypervisorPages, m.domainPages]).toEqual([845, 105, 50]);
    expect(m.changes).toBe(5);
  });

  it('refuses moves past a ceiling, the free pool or a domain holding, changing nothing', () => {
    const m = new MachineMemory(new Simulation(), { totalPages: 100, hypervisorPages: 10, perDomainStatePages: 0 });
    m.addDomain(1, 'a', 50, 60);
    expect(() => m.grant(1, 11)).toThrow(/MachineMemory\.grant: pages must be an integer >= 0 and <= 10, got 11/);
    expect(() => m.release(1, 51)).toThrow(/MachineMemory\.release: pages must be an integer >= 0 and <= 50, got 51/);
    expect(() => m.addDomain(2, 'b', 41, 41)).toThrow(/reservationPages must be at most 40/);
    expect(() => m.addDomain(2, 'b', 5, 4)).toThrow(/reservationPages must be an integer >= 0 and <= 4/);
    expect([m.freePages, m.of(1).pages, m.has(2)]).toEqual([40, 50, false]);
  });

  it('a broken balance throws an InvariantError naming the model and the time', () => {
    const sim = new Simulation();
    const m = new MachineMemory(sim, { totalPages: 100, hypervisorPages: 10, perDomainStatePages: 0 });
    m.addDomain(1, 'a', 50, 60);
    sim.run(1234);
    m._corruptForTest(1);
    let err: unknown;
    try {
      m.grant(1, 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvariantError);
    expect((err as InvariantError).model).toBe('memory');
    expect(String((err as Error).message)).toMatch(
      /page conservation: machine 100 ≠ free 40 \+ domains 51 \+ hypervisor 10/,
    );
    expect(String((err as Error).message)).toMatch(/at t = 1\.234 µs/);
  });

  it('property: any sequence of adds, grants, releases and removals conserves pages', () => {
    const op = fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 7 }),
      fc.integer({ min: 0, max: 400 }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const m = new MachineMemory(new Simulation(), {
          totalPages: 2000,
          hypervisorPages: 64,
          perDomainStatePages: 5,
        });
        for (const [kind, id, n] of ops) {
          if (kind === 0 && !m.has(id)) {
            const r = Math.min(n, Math.max(0, m.freePages - 5));
            if (m.freePages >= 5) m.addDomain(id, `d${id}`, r, r + n);
          } else if (kind === 1 && m.has(id)) m.grant(id, Math.min(n, m.grantable(id)));
          else if (kind === 2 && m.has(id)) m.release(id, Math.min(n, m.of(id).pages));
          else if (kind === 3 && m.has(id)) m.removeDomain(id);
          expect(balance(m)).toBe(2000);
          for (const d of m.domains) expect(d.pages).toBeLessThanOrEqual(d.ceilingPages);
        }
      }),
    );
  });
});

describe('the host owns machine memory', () => {
  it('domains get their reservation at creation and return it (and their state) at destruction', () => {
    const { host } = makeHost({ controlCosts: FREE_CONTROL, machineMemoryPages: 65_536, hypervisorMemoryPages: 1024 });
    const m = host.memory;
    const st = MEMORY_DEFAULTS.perDomainStatePages;
    expect(m.hypervisorPages).toBe(1024 + st); // dom0's state
    expect(host.dom0.id).toBe(0);
    expect(m.of(0).pages).toBe(0); // default reservation 0
    const g = host.control.createDomain({ name: 'g', memoryReservationPages: 16_384, memoryCeilingPages: 20_000 });
    expect(m.of(g.id)).toMatchObject({ reservationPages: 16_384, ceilingPages: 20_000, pages: 16_384 });
    expect(m.freePages).toBe(65_536 - 1024 - 2 * st - 16_384);
    const h = host.control.createDomain({ name: 'h', memoryTargetPages: 1000 }); // target doubles as reservation
    expect(m.of(h.id).pages).toBe(1000);
    host.control.destroyDomain(g.id);
    expect(m.has(g.id)).toBe(false);
    expect(m.freePages).toBe(65_536 - 1024 - 2 * st - 1000);
    expect(balance(m)).toBe(65_536);
  });

  it('bad reservations are refused with one line naming the field', () => {
    const { host } = makeHost({ controlCosts: FREE_CONTROL, machineMemoryPages: 10_000, hypervisorMemoryPages: 1000 });
    expect(() => host.control.createDomain({ name: 'x', memoryReservationPages: 9000 })).toThrow(
      /control\.createDomain: memoryReservationPages must be at most the free machine pages \(8990\), got 9000/,
    );
    expect(() => host.control.createDomain({ name: 'x', memoryReservationPages: 10, memoryCeilingPages: 5 })).toThrow(
      /memoryCeilingPages must be an integer >= 10 and <= 10000, got 5/,
    );
    expect(() => makeHost({ machineMemoryPages: 100 })).toThrow(
      /Host: hypervisorMemoryPages must be an integer >= 0 and <= 100, got 4096/,
    );
    expect(host.domains).toHaveLength(1);
  });
});

describe('defaults agree with the calibration table', () => {
  it('MEMORY_DEFAULTS = calibration MEMORY values', async () => {
    const { MEMORY, DISK, MACHINE, TABLE3 } = await import('../../../src/models/calibration.js');
    for (const [k, v] of Object.entries(MEMORY_DEFAULTS)) expect(MEMORY[k as keyof typeof MEMORY].value, k).toBe(v);
    expect(MEMORY_DEFAULTS.swapAccessNs).toBe(DISK.avgSeekNs.value + DISK.avgRotationalNs.value);
    expect(MEMORY_DEFAULTS.swapTransferNsPerPage).toBe(
      Math.round((MACHINE.pageBytes.value / DISK.mediaBytesPerS.value) * 1e9),
    );
    expect(MEMORY_DEFAULTS.pageFaultNs).toBe((TABLE3.fileVm.rows.Xen[6] as number) * 1000);
    expect(MEMORY_DEFAULTS.perDomainStatePages * MACHINE.pageBytes.value).toBe(MACHINE.perDomainStateBytes.value);
  });
});

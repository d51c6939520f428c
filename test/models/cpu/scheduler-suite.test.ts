// One behavioural suite that every CPU scheduler passes: BVT (xen1, textbook, xen2), Credit and
// round robin. Each property is checked against an independent reference (conservation laws, the
// equal-share arithmetic 1/N, the vCPU states reported by the host), on fixed cases and on random
// domain mixes drawn by fast-check:
//   - CPU conservation: Σ busy + switching + idle = elapsed × CPUs, exactly (runAndCheck);
//   - work conservation: a PCPU never goes idle while a runnable vCPU waits that it may run — on one
//     PCPU always, on several with 'idle-steal' migration (with 'none', a pinned vCPU may wait while
//     another PCPU idles: no scheduler promises otherwise);
//   - proportional share for equal weights: N CPU-bound domains get 1/N each within 1 % over 30 s;
//   - a blocked vCPU is never dispatched, and a vCPU is never current on two PCPUs;
//   - yield: a yielding vCPU is descheduled at once and stays runnable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStreams, ms, s, us } from '../../../src/sim/index.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import { CreditScheduler } from '../../../src/models/cpu/credit.js';
import { RoundRobinScheduler } from '../../../src/models/cpu/round-robin.js';
import type { Migration } from '../../../src/models/cpu/run-queues.js';
import type { CpuScheduler } from '../../../src/models/cpu/scheduler.js';
import type { Domain } from '../../../src/models/host/domain.js';
import type { Host } from '../../../src/models/host/host.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { cpuBoundWorkload, cpuBurstWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { makeHost, runAndCheck } from '../host/helpers.js';

const KINDS = ['bvt-xen1', 'bvt-textbook', 'bvt-xen2', 'credit', 'round-robin'] as const;
type Kind = (typeof KINDS)[number];

function makeScheduler(kind: Kind, migration: Migration): CpuScheduler {
  const smp = { migration };
  switch (kind) {
    case 'bvt-xen1':
      return new BvtScheduler({ variant: 'xen1', smp });
    case 'bvt-textbook':
      return new BvtScheduler({ variant: 'textbook', smp });
    case 'bvt-xen2':
      return new BvtScheduler({ variant: 'xen2', smp });
    case 'credit':
      return new CreditScheduler({ smp });
    case 'round-robin':
      return new RoundRobinScheduler({ smp });
  }
}

interface Watch {
  violations: string[];
  dispatches: number;
}

/** Watches the host's hooks for blocked or doubly-current dispatches and for idling while work waits. */
function watch(host: Host, cpus: number, workConserving: boolean): Watch {
  const w: Watch = { violations: [], dispatches: 0 };
  const current: (Vcpu | null)[] = new Array<Vcpu | null>(cpus).fill(null);
  host.onDeschedule.add((cpu) => {
    current[cpu] = null;
  });
  host.onDispatch.add((cpu, v, _slice, now) => {
    w.dispatches++;
    if (v !== null) {
      if (v.state === 'blocked') w.violations.push(`${now}: blocked ${v.name} dispatched on CPU ${cpu}`);
      current.forEach((x, c) => {
        if (c !== cpu && x === v)
          w.violations.push(`${now}: ${v.name} dispatched on CPU ${cpu} while current on CPU ${c}`);
      });
      current[cpu] = v;
      return;
    }
    if (!workConserving) return;
    // CPU `cpu` goes idle: no runnable vCPU may be waiting (not current anywhere) that it could run
    for (const d of host.domains) {
      for (const x of d.vcpus) {
        if (x.state === 'runnable' && !current.includes(x)) {
          w.violations.push(`${now}: CPU ${cpu} idles while ${x.name} (queue ${x.cpu}) is runnable`);
        }
      }
    }
  });
  return w;
}

describe.each(KINDS)('scheduler suite: %s', (kind) => {
  it('equal weights: N CPU-bound domains get 1/N each within 1 % over 30 s (N = 2, 3, 5), CPU conserved', () => {
    // bound: a slice scheduler may leave a domain up to ~2 slices (q ≤ 30 ms) from its fair share:
    // 2 · q · N / T = 2 · 30 ms · 5 / 30 s = 1 %
    for (const n of [2, 3, 5]) {
      const { sim, host } = makeHost({ scheduler: makeScheduler(kind, 'none') });
      const doms: Domain[] = [];
      for (let i = 0; i < n; i++) {
        const d = host.control.createDomain({ name: `d${i}`, workingSetBytes: 64 * 1024 });
        cpuBoundWorkload(d);
        doms.push(d);
      }
      runAndCheck(sim, host, s(30));
      const total = doms.reduce((a, d) => a + d.busyNs, 0);
      for (const d of doms) expect(Math.abs(d.busyNs / total - 1 / n) * n).toBeLessThan(0.01);
    }
  });

  it('a yielding vCPU is descheduled at once and stays runnable; the other one runs', () => {
    const { sim, host } = makeHost({ scheduler: makeScheduler(kind, 'none'), timerTickNs: 0 });
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    a.compute(s(1));
    b.compute(s(1));
    const va = a.vcpus[0] as Vcpu;
    const vb = b.vcpus[0] as Vcpu;
    const yielders: Vcpu[] = [];
    const after: string[] = [];
    sim.scheduleAt(ms(2), () => {
      const y = host.current(0);
      if (y !== null) {
        yielders.push(y);
        y.yieldCpu();
      }
    });
    host.onDeschedule.add((_c, v, _ran, now) => {
      if (now === ms(2)) after.push(`out ${v.name} ${v.state}`);
    });
    host.onDispatch.add((_c, v, _slice, now) => {
      if (now === ms(2)) after.push(`in ${v === null ? 'idle' : v.name}`);
    });
    runAndCheck(sim, host, ms(3));
    expect(yielders.length).toBe(1);
    const y = yielders[0] as Vcpu;
    const other = y === va ? vb : va;
    // descheduled at the yield instant, still runnable; the other vCPU (equal standing) runs next
    expect(after[0]).toBe(`out ${y.name} runnable`);
    expect(after).toContain(`in ${other.name}`);
  });

  it('fast-check: random mixes on 1–2 PCPUs never dispatch a blocked vCPU, never idle while work waits (1 PCPU or idle-steal), conserve CPU', () => {
    const specArb = fc.record({
      bound: fc.boolean(),
      weightLevel: fc.integer({ min: 1, max: 4 }),
      burstUs: fc.integer({ min: 50, max: 20_000 }),
      waitUs: fc.integer({ min: 50, max: 30_000 }),
    });
    const cfgArb = fc.record({
      cpus: fc.integer({ min: 1, max: 2 }),
      migration: fc.constantFrom<Migration>('idle-steal', 'none'),
      doms: fc.array(specArb, { minLength: 1, maxLength: 5 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(cfgArb, (cfg) => {
        const { sim, host } = makeHost({ cpus: cfg.cpus, scheduler: makeScheduler(kind, cfg.migration) });
        const streams = new RandomStreams(cfg.seed);
        cfg.doms.forEach((spec, i) => {
          const d = host.control.createDomain({
            name: `d${i}`,
            mcuAdvance: 120 / spec.weightLevel,
            weight: 64 * spec.weightLevel,
          });
          if (spec.bound) cpuBoundWorkload(d, { chunkNs: ms(13) });
          else {
            cpuBurstWorkload(d, streams, {
              burst: { kind: 'exponential', meanNs: us(spec.burstUs) },
              wait: { kind: 'exponential', meanNs: us(spec.waitUs) + 1 },
            });
          }
        });
        const w = watch(host, cfg.cpus, cfg.cpus === 1 || cfg.migration === 'idle-steal');
        runAndCheck(sim, host, ms(400));
        expect(w.violations.slice(0, 3)).toEqual([]);
        expect(w.dispatches).toBeGreaterThan(0);
      }),
      { numRuns: 25 },
    );
  });
});

// Scheduler properties, checked with fast-check for every scheduler, on 1 and 2 PCPUs, with random
// domain mixes (CPU-bound and bursty, random weights, working sets, migration on or off):
//   - a blocked vCPU is never dispatched;
//   - a vCPU runs on at most one PCPU at a time;
//   - no runnable vCPU starves: from becoming runnable (wake, or leaving a PCPU still runnable) to
//     its next dispatch takes at most a bound that depends on the scheduler and the mix (below);
//   - CPU time is conserved exactly (Σ busy + switching + idle = elapsed × CPUs).
// The observers only use the host's hooks; the host's own invariant checks stay on as well.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStreams, ms, s, us } from '../../../src/sim/index.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import { CreditScheduler } from '../../../src/models/cpu/credit.js';
import { RoundRobinScheduler } from '../../../src/models/cpu/round-robin.js';
import type { Migration } from '../../../src/models/cpu/run-queues.js';
import type { CpuScheduler } from '../../../src/models/cpu/scheduler.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { cpuBoundWorkload, cpuBurstWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { makeHost, runAndCheck } from '../host/helpers.js';

const SCHEDULERS = ['bvt-xen1', 'bvt-textbook', 'bvt-xen2', 'credit', 'round-robin'] as const;
type SchedKind = (typeof SCHEDULERS)[number];

interface DomSpec {
  bound: boolean;
  weightLevel: number; // 1..4
  burstUs: number;
  waitUs: number;
  workingSetKb: number;
}

interface Config {
  sched: SchedKind;
  cpus: number;
  migration: Migration;
  doms: DomSpec[];
  seed: number;
}

function makeScheduler(kind: SchedKind, migration: Migration): CpuScheduler {
  const smp = { migration };
  switch (kind) {
    case 'bvt-xen1':
      return new BvtScheduler({ smp });
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

/**
 * Starvation bound for a mix of n vCPUs (dom0 included) whose weights differ by at most a factor R:
 * - round robin: every other vCPU on the same queue runs at most one 10 ms quantum first
 *   (plus switches): (n + 1) · 10 ms;
 * - BVT: every other vCPU runs at most until its evt passes the waiting one's by ctx_allow, which
 *   for weight ratio R is at most R · (ctx_allow + MCU) of CPU per ctx_allow the waiter ran ahead,
 *   plus one 10 · ctx_allow single-runnable slice: (n + 1) · R · 10 ms + 50 ms;
 * - Credit: a vCPU that spent its credits is OVER and waits for UNDER/BOOST ones, but the others
 *   exhaust their share within an accounting period; each other vCPU holds the CPU for at most one
 *   30 ms slice per round: (n + 1) · R · 30 ms + 90 ms.
 */
function bound(cfg: Config): number {
  const n = cfg.doms.length + 1;
  const levels = cfg.doms.map((d) => d.weightLevel);
  const r = Math.max(1, ...levels) / Math.min(1, ...levels);
  switch (cfg.sched) {
    case 'round-robin':
      return (n + 1) * ms(10);
    case 'bvt-xen1':
    case 'bvt-textbook':
    case 'bvt-xen2':
      return (n + 1) * r * ms(10) + ms(50);
    case 'credit':
      return (n + 1) * r * ms(30) + ms(90);
  }
}

const domArb: fc.Arbitrary<DomSpec> = fc.record({
  bound: fc.boolean(),
  weightLevel: fc.integer({ min: 1, max: 4 }),
  burstUs: fc.integer({ min: 50, max: 20_000 }),
  waitUs: fc.integer({ min: 50, max: 30_000 }),
  workingSetKb: fc.integer({ min: 0, max: 1024 }),
});

const configArb: fc.Arbitrary<Config> = fc.record({
  sched: fc.constantFrom(...SCHEDULERS),
  cpus: fc.integer({ min: 1, max: 2 }),
  migration: fc.constantFrom<Migration>('idle-steal', 'none'),
  doms: fc.array(domArb, { minLength: 1, maxLength: 5 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

interface Outcome {
  maxWaitNs: number;
  boundNs: number;
  dispatches: number;
  violations: string[];
}

function runConfig(cfg: Config): Outcome {
  const { sim, host } = makeHost({ cpus: cfg.cpus, scheduler: makeScheduler(cfg.sched, cfg.migration) });
  const streams = new RandomStreams(cfg.seed);
  cfg.doms.forEach((spec, i) => {
    const d = host.control.createDomain({
      name: `d${i}`,
      workingSetBytes: spec.workingSetKb * 1024,
      // BVT reads mcuAdvance (inverse weight), Credit reads weight
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

  const blocked = new Set<Vcpu>();
  const current: (Vcpu | null)[] = new Array<Vcpu | null>(cfg.cpus).fill(null);
  const runnableSince = new Map<Vcpu, number>();
  let maxWait = 0;
  let dispatches = 0;
  const violations: string[] = [];
  for (const d of host.domains) {
    for (const v of d.vcpus) {
      if (v.state === 'blocked') blocked.add(v);
      else runnableSince.set(v, sim.now);
    }
  }
  host.onWake.add((v, now) => {
    blocked.delete(v);
    runnableSince.set(v, now);
  });
  host.onBlock.add((v) => blocked.add(v));
  host.onDeschedule.add((cpu, v, _ran, now) => {
    current[cpu] = null;
    if (v.state === 'runnable') runnableSince.set(v, now);
  });
  // (compare names, not objects: a failing expect on a vCPU would print the whole simulation)
  host.onDispatch.add((cpu, v, _slice, now) => {
    dispatches++;
    if (v === null) return;
    if (blocked.has(v)) violations.push(`${now}: blocked ${v.name} dispatched on CPU ${cpu}`);
    current.forEach((x, c) => {
      if (c !== cpu && x === v) violations.push(`${now}: ${v.name} dispatched on CPU ${cpu} while current on CPU ${c}`);
    });
    current[cpu] = v;
    const since = runnableSince.get(v);
    if (since !== undefined) {
      maxWait = Math.max(maxWait, now - since);
      runnableSince.delete(v);
    }
  });
  const horizon = s(1);
  runAndCheck(sim, host, horizon);
  for (const [v, since] of runnableSince) {
    if (v.state === 'runnable') maxWait = Math.max(maxWait, horizon - since);
  }
  return { maxWaitNs: maxWait, boundNs: bound(cfg), dispatches, violations };
}

describe('scheduler properties (fast-check)', () => {
  it('never dispatch a blocked vCPU, never run a vCPU on two PCPUs, never starve, conserve CPU time', () => {
    let worst = 0;
    fc.assert(
      fc.property(configArb, (cfg) => {
        const out = runConfig(cfg);
        worst = Math.max(worst, out.maxWaitNs / out.boundNs);
        expect(out.violations).toEqual([]);
        expect(out.dispatches).toBeGreaterThan(0);
        expect(out.maxWaitNs).toBeLessThanOrEqual(out.boundNs);
      }),
      { numRuns: 50, seed: 20031019 },
    );
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('every scheduler passes a fixed hard mix on 2 PCPUs (four CPU hogs, two bursty, weights 1..4)', () => {
    for (const sched of SCHEDULERS) {
      for (const migration of ['idle-steal', 'none'] as const) {
        const doms: DomSpec[] = [1, 2, 3, 4].map((w) => ({
          bound: true,
          weightLevel: w,
          burstUs: 0,
          waitUs: 0,
          workingSetKb: 256,
        }));
        doms.push({ bound: false, weightLevel: 1, burstUs: 300, waitUs: 2000, workingSetKb: 64 });
        doms.push({ bound: false, weightLevel: 4, burstUs: 5000, waitUs: 5000, workingSetKb: 512 });
        const out = runConfig({ sched, cpus: 2, migration, doms, seed: 1 });
        expect(out.violations).toEqual([]);
        expect(out.maxWaitNs).toBeLessThanOrEqual(out.boundNs);
      }
    }
  });
});

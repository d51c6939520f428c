// The heap index of BVT's run queues (src/models/cpu/bvt-index.ts) against Xen's O(n) scan: for random
// hosts (1–3 PCPUs, migration on or off, CPU-bound and bursty domains, random weights, warps set at
// creation and by adjdom — including warp 1 at creation, which gives Xen 2.0's evt exactly
// 0xFFFFFFFF, the value the scan never picks — yields and ctx_allow changes), the two runs must make
// the same decisions (time, PCPU, vCPU, slice) and end with the same avt, evt and svt everywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStreams, ms, us } from '../../../src/sim/index.js';
import { BvtScheduler, type BvtVariant, type RunQueueIndex } from '../../../src/models/cpu/bvt.js';
import type { Migration } from '../../../src/models/cpu/run-queues.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { cpuBoundWorkload, cpuBurstWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { FREE_CONTROL, makeHost, runAndCheck } from '../host/helpers.js';

interface DomSpec {
  bound: boolean;
  mcuAdvance: number;
  warpAtCreation: number;
  burstUs: number;
  waitUs: number;
}

interface Config {
  variant: BvtVariant;
  cpus: number;
  migration: Migration;
  doms: DomSpec[];
  adjdoms: { atMs: number; dom: number; warp: number; mcuAdvance: number }[];
  yieldsAtMs: number[];
  ctxAllowMs: number;
  seed: number;
}

function run(cfg: Config, runQueueIndex: RunQueueIndex): { trace: string[]; state: number[] } {
  const bvt = new BvtScheduler({
    variant: cfg.variant,
    runQueueIndex,
    smp: { migration: cfg.migration },
    ctxAllowNs: ms(cfg.ctxAllowMs),
  });
  const { sim, host } = makeHost({ cpus: cfg.cpus, scheduler: bvt });
  const streams = new RandomStreams(cfg.seed);
  const doms = cfg.doms.map((spec, i) => {
    const d = host.control.createDomain({
      name: `d${i}`,
      mcuAdvance: spec.mcuAdvance,
      ...(spec.warpAtCreation > 0 ? { warp: spec.warpAtCreation, warpLimitNs: ms(3), unwarpReqNs: ms(2) } : {}),
    });
    if (spec.bound) cpuBoundWorkload(d, { chunkNs: ms(7) });
    else
      cpuBurstWorkload(d, streams, {
        burst: { kind: 'exponential', meanNs: us(spec.burstUs) },
        wait: { kind: 'exponential', meanNs: us(spec.waitUs) + 1 },
      });
    return d;
  });
  for (const a of cfg.adjdoms) {
    const d = doms[a.dom % doms.length];
    if (d === undefined) continue;
    sim.scheduleAt(ms(a.atMs), () =>
      host.control.setSchedParams(d.id, { warp: a.warp, mcuAdvance: a.mcuAdvance, warpLimitNs: ms(4), unwarpReqNs: 0 }),
    );
  }
  for (const t of cfg.yieldsAtMs) sim.scheduleAt(ms(t) + 1, () => host.current(t % cfg.cpus)?.yieldCpu());
  sim.scheduleAt(ms(150), () => bvt.setCtxAllowNs(ms(cfg.ctxAllowMs + 1)));
  const trace: string[] = [];
  host.onDispatch.add((cpu, v, slice, now) => trace.push(`${now} ${cpu} ${v === null ? '-' : v.name} ${slice}`));
  runAndCheck(sim, host, ms(300));
  const state: number[] = [];
  for (const d of host.domains) {
    for (const v of d.vcpus) {
      const e = bvt.info(v as Vcpu);
      state.push(e.avt, e.evt, v.cpu);
    }
  }
  for (let c = 0; c < cfg.cpus; c++) state.push(bvt.svt(c));
  return { trace, state };
}

const domArb: fc.Arbitrary<DomSpec> = fc.record({
  bound: fc.boolean(),
  mcuAdvance: fc.constantFrom(1, 3, 10, 20, 37),
  warpAtCreation: fc.constantFrom(0, 0, 1, 2, 500),
  burstUs: fc.integer({ min: 50, max: 8000 }),
  waitUs: fc.integer({ min: 50, max: 15000 }),
});

const configArb: fc.Arbitrary<Config> = fc.record({
  variant: fc.constantFrom<BvtVariant>('xen1', 'textbook', 'xen2'),
  cpus: fc.integer({ min: 1, max: 3 }),
  migration: fc.constantFrom<Migration>('idle-steal', 'none'),
  doms: fc.array(domArb, { minLength: 1, maxLength: 7 }),
  adjdoms: fc.array(
    fc.record({
      atMs: fc.integer({ min: 1, max: 290 }),
      dom: fc.nat(),
      warp: fc.constantFrom(0, 1, 300),
      mcuAdvance: fc.constantFrom(5, 10, 40),
    }),
    { maxLength: 4 },
  ),
  yieldsAtMs: fc.array(fc.integer({ min: 1, max: 290 }), { maxLength: 4 }),
  ctxAllowMs: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('BVT run-queue index: heap = scan', () => {
  it('same decisions, same avt/evt/svt, for random hosts under xen1, textbook and xen2 (fast-check)', () => {
    let decisions = 0;
    fc.assert(
      fc.property(configArb, (cfg) => {
        const scan = run(cfg, 'scan');
        const heap = run(cfg, 'heap');
        decisions += scan.trace.length;
        expect(heap.trace).toEqual(scan.trace);
        expect(heap.state).toEqual(scan.state);
      }),
      { numRuns: 60 },
    );
    expect(decisions).toBeGreaterThan(1000);
  });

  it('xen2: a domain with evt 0xFFFFFFFF (warp 1 at creation) is never picked, by either structure', () => {
    const cfg: Config = {
      variant: 'xen2',
      cpus: 1,
      migration: 'none',
      doms: [
        { bound: true, mcuAdvance: 10, warpAtCreation: 1, burstUs: 0, waitUs: 0 },
        { bound: false, mcuAdvance: 10, warpAtCreation: 0, burstUs: 1000, waitUs: 3000 },
      ],
      adjdoms: [],
      yieldsAtMs: [],
      ctxAllowMs: 5,
      seed: 7,
    };
    const scan = run(cfg, 'scan');
    const heap = run(cfg, 'heap');
    expect(heap.trace).toEqual(scan.trace);
    expect(scan.trace.some((l) => l.includes(' d0.v0 '))).toBe(false);
    expect(scan.trace.some((l) => l.includes(' d1.v0 '))).toBe(true);
  });

  it('xen2: a real entry with evt 0xFFFFFFFF behind the idle task is next_prime (scan quirk), in both structures', () => {
    for (const runQueueIndex of ['scan', 'heap'] as const) {
      const bvt = new BvtScheduler({ variant: 'xen2', runQueueIndex, smp: { migration: 'idle-steal' } });
      const { sim, host } = makeHost({ cpus: 2, scheduler: bvt, timerTickNs: 0, controlCosts: FREE_CONTROL });
      // least-loaded placement: dom0 → CPU 0, M → CPU 1, N → CPU 0, K → CPU 1
      const M = host.control.createDomain({ name: 'M', warp: 1 });
      const N = host.control.createDomain({ name: 'N' });
      const K = host.control.createDomain({ name: 'K' });
      const rows: [number, number, string, number][] = [];
      host.onDispatch.add((cpu, v, slice, now) => rows.push([now, cpu, v === null ? '-' : v.domain.name, slice]));
      K.compute(ms(100));
      M.compute(ms(100));
      sim.scheduleAt(ms(1), () => N.compute(ms(10)));
      runAndCheck(sim, host, ms(2));
      // t=0: K, then M wake on CPU 1: q1 = [M, K, idle]; M's evt = 0 − 1 = 0xFFFFFFFF. CPU 0 (idle,
      //      empty queue, tickled first) steals the first longest-waiting entry, M: avt = svt(0) = 0,
      //      evt 0xFFFFFFFF, at the tail: q0 = [idle, M], and idles (M is never picked). CPU 1 runs K.
      // t=1 ms: N wakes on CPU 0: q0 = [N, idle, M], evt_N = 0. Scan: N → next; idle → next_prime
      //      (prime_evt is ~0); M → next_prime again (prime_evt still ~0). So next_prime is M, not
      //      idle: r_time = (0xFFFFFFFF − 0)/10 + 5 ms = 429 496 729 + 5 000 000 = 434 496 729.
      expect(rows.filter((r) => r[2] === 'N')).toEqual([[ms(1), 0, 'N', 434_496_729]]);
      expect(rows.filter((r) => r[2] === 'K')).toEqual([[0, 1, 'K', 50_000_000]]);
      expect(M.busyNs).toBe(0);
    }
  });
});

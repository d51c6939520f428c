// slice-length (the paper's scalability setup: CPU-bound domains pinned on two CPUs): aggregate
// throughput doubles from one domain to two (one per CPU) and then stays flat, below 2 by the switching
// loss; the loss is c/ctxAllow per CPU with two or more guests (c = the footprint model's cost of a
// switch to an evicted 4 MB working set), so it is ten times smaller at 50 ms than at 5 ms; the
// switching fraction from the host's CPU accounting equals switches × mean cost / (elapsed × CPUs) from
// the switch hook (two independent paths); CPU time is conserved (guests + domain 0 + switching =
// elapsed × CPUs once both CPUs are busy); a domain waits (n_k − 1)·ctxAllow between its runs.
// Deterministic runs.
import { describe, expect, it } from 'vitest';
import { guestsPerCpu, pinnedTheory, runSliceLength, sliceLength } from '../../experiments/slice-length/index.js';
import { relativeThroughputRows } from '../../experiments/slice-length/charts.js';
import { ContextSwitchModel } from '../../src/models/cpu/context-switch.js';
import { buildScenario, cpuBoundDomains } from '../../src/kit/index.js';
import type { Params, SummaryRow } from '../../src/runner/study.js';

function defaults(over: Params = {}): Params {
  const p: Params = {};
  for (const [k, spec] of Object.entries(sliceLength.params)) p[k] = spec.default;
  return { ...p, ...over };
}
const ctx = (seed: string) => ({ seed, replication: 0, quick: false });
const MS = 1_000_000;
const short = { warmupNs: 1_000_000_000, runLengthNs: 3_000_000_000 };

describe('runSliceLength (in process, two CPUs, pinned)', () => {
  const allows = [5 * MS, 50 * MS];
  const counts = [1, 2, 4, 8];
  const m = new Map<string, Record<string, number>>();
  for (const a of allows) {
    for (const n of counts) {
      m.set(
        `${a}/${n}`,
        runSliceLength(defaults({ ...short, domains: n, ctxAllowNs: a }), ctx('slice')).measures as Record<
          string,
          number
        >,
      );
    }
  }
  const at = (a: number, n: number) => m.get(`${a}/${n}`) as Record<string, number>;
  // the cost of a switch to a domain whose 4 MB working set was evicted (the other guest touched 4 MB ≫ L2)
  const c = new ContextSwitchModel().coldCostNs(4 << 20);

  it('the defaults are the paper setup: two CPUs, 4 MB working sets, Xen 1.0 BVT (pinned)', () => {
    expect(sliceLength.params['cpus']?.default).toBe(2);
    expect(sliceLength.params['workingSetBytes']?.default).toBe(4 << 20);
    expect(sliceLength.params['bvtVariant']?.default).toBe('xen1');
    expect(guestsPerCpu(1, 2)).toEqual([0, 1]);
    expect(guestsPerCpu(5, 2)).toEqual([2, 3]);
  });

  it('the host places guests as guestsPerCpu says (domain 0 on CPU 0, then least-loaded), and xen1 never migrates them', () => {
    const sc = buildScenario('p', { scheduler: 'bvt-xen1', controlCosts: 'free', cpus: 2 });
    const doms = cpuBoundDomains(sc, { count: 5, name: (i) => `d${i}`, workingSetBytes: 4 << 20 });
    const cpuOf = () => doms.map((d) => d.vcpus[0]?.cpu);
    expect(cpuOf()).toEqual([1, 0, 1, 0, 1]);
    const per = [0, 0];
    for (const c of cpuOf()) per[c as number] = (per[c as number] as number) + 1;
    expect(per).toEqual(guestsPerCpu(5, 2));
    sc.sim.run(2_000_000_000);
    expect(cpuOf()).toEqual([1, 0, 1, 0, 1]);
  });

  it('throughput doubles from 1 to 2 domains (one per CPU), then stays at 2·(1 − c/ctxAllow)', () => {
    for (const a of allows) {
      expect(at(a, 1)['guestCpuPerS']).toBeGreaterThan(0.999);
      expect(at(a, 1)['guestCpuPerS']).toBeLessThanOrEqual(1);
      const ratio = (at(a, 2)['guestCpuPerS'] as number) / (at(a, 1)['guestCpuPerS'] as number);
      expect(ratio).toBeGreaterThan(1.99);
      expect(ratio).toBeLessThanOrEqual(2);
      for (const n of [4, 8]) {
        const want = pinnedTheory(n, 2, a, c).guestCpuPerS;
        expect(Math.abs((at(a, n)['guestCpuPerS'] as number) - want)).toBeLessThan(0.002);
        expect(at(a, n)['guestCpuPerS']).toBeLessThan(at(a, 2)['guestCpuPerS'] as number);
      }
    }
  });

  it('switching loss is c/ctxAllow with ≥ 2 guests per CPU, and lower at 50 ms than at 5 ms for N ≥ 4', () => {
    for (const n of [4, 8]) {
      const f5 = at(5 * MS, n)['switchingFraction'] as number;
      const f50 = at(50 * MS, n)['switchingFraction'] as number;
      expect(f50).toBeLessThan(f5);
      expect(Math.abs(f5 / (c / (5 * MS)) - 1)).toBeLessThan(0.01);
      expect(Math.abs(f50 / (c / (50 * MS)) - 1)).toBeLessThan(0.02);
    }
    expect(at(5 * MS, 1)['switchingFraction']).toBe(0);
  });

  it('switching fraction = switches × mean cost / (elapsed × CPUs), and CPU time is conserved', () => {
    for (const a of allows) {
      for (const n of [2, 4, 8]) {
        const r = at(a, n);
        const fromHook = ((r['switchesPerS'] as number) * (r['meanSwitchCostNs'] as number)) / 2e9;
        expect(Math.abs((r['switchingFraction'] as number) - fromHook)).toBeLessThan(1e-5);
        expect(
          (r['guestCpuPerS'] as number) + 2 * ((r['dom0CpuFraction'] as number) + (r['switchingFraction'] as number)),
        ).toBeCloseTo(2, 9);
        // between the direct cost and a switch to an evicted 4 MB working set
        expect(r['meanSwitchCostNs']).toBeGreaterThan(2102);
        expect(r['meanSwitchCostNs']).toBeLessThanOrEqual(c);
      }
    }
  });

  it('a runnable domain waits (n_k − 1)·ctxAllow between its runs', () => {
    for (const a of allows) {
      // N = 8: four guests per CPU
      expect(Math.abs((at(a, 8)['waitBetweenRunsMeanNs'] as number) / (3 * a) - 1)).toBeLessThan(0.01);
    }
  });

  it('relative throughput divides by the N = 1 mean of the same ctxAllow', () => {
    const row = (domains: number, ctxAllowNs: number, mean: number): SummaryRow => ({
      point: domains,
      params: { domains, ctxAllowNs },
      measure: 'guestCpuPerS',
      mean,
      sd: 0,
      halfWidth: 0.01,
      n: 3,
    });
    const rel = relativeThroughputRows([row(1, 5, 0.5), row(2, 5, 1), row(1, 50, 2), row(4, 50, 3), row(8, 7, 1)]);
    expect(rel.map((r) => [r.params['domains'], r.params['ctxAllowNs'], r.mean])).toEqual([
      [1, 5, 1],
      [2, 5, 2],
      [1, 50, 1],
      [4, 50, 1.5],
    ]);
    expect(rel[1]?.halfWidth).toBeCloseTo(0.02, 12);
  });

  it('is deterministic in (params, seed)', () => {
    const p = defaults({ domains: 32, ctxAllowNs: 5 * MS, warmupNs: 500_000_000, runLengthNs: 1_000_000_000 });
    expect(runSliceLength(p, ctx('s'))).toEqual(runSliceLength(p, ctx('s')));
  });
});

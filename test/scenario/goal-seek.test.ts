// Goal-seek: the search on synthetic monotone predicates (property test: any threshold in any range is
// found, each value is evaluated once, within the logarithmic budget), and on scenarios whose answer
// is known by hand: N CPU-bound domains on C CPUs with free context switches and no timer event get
// C/N of a CPU each (proportional share, equal weights), so "CPU share per hog >= 0.22" on one CPU
// holds up to N = 4 (1/4 = 0.25 ≥ 0.22 > 1/5), ">= 0.15" up to N = 6 (1/6 ≈ 0.167 ≥ 0.15 > 1/7), and
// for 6 hogs, "share >= 0.3" needs at least 2 CPUs (2/6 ≈ 0.333 ≥ 0.3 > 1/6); ballooning memory
// workers fault in the window only when their working sets do not all fit in machine memory, a count
// worked out in pages (fixtures/balloon-fit.yaml: 9). The scenarios run
// in-process here (the same run function and SLO decision as `hvsim plan`; the CLI path is in
// test/cli/scenario.test.ts).
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../src/runner/plan.js';
import { decide, sloColumn } from '../../src/scenario/evaluate.js';
import { goalSeek } from '../../src/scenario/goal-seek.js';
import { applySet, loadScenario, parsePath, setPath } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import type { Scenario } from '../../src/scenario/schema.js';

describe('goalSeek on monotone predicates', () => {
  it('finds the threshold, evaluates each value once, within 2·log2(span) + 3 evaluations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: -1, max: 6001 }),
        fc.constantFrom('largest' as const, 'smallest' as const),
        async (min, span, rawThreshold, goal) => {
          const max = min + span;
          const threshold = min - 1 + (rawThreshold % (span + 3)); // in [min - 1, max + 1]
          const holds = (v: number): boolean => (goal === 'largest' ? v <= threshold : v >= threshold);
          const r = await goalSeek({ min, max, goal }, async (v) => ({ holds: holds(v), evaluation: v }));
          const values = r.evaluated.map((e) => e.value);
          expect(new Set(values).size).toBe(values.length);
          for (const e of r.evaluated) expect(e.holds).toBe(holds(e.value));
          expect(values.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(span + 1)) + 3);
          const passing = [];
          for (let v = min; v <= max; v++) if (holds(v)) passing.push(v);
          if (passing.length === 0) expect(r.answer).toBeNull();
          else expect(r.answer).toBe(goal === 'largest' ? Math.max(...passing) : Math.min(...passing));
          expect(r.atRangeEnd).toBe(passing.length > 0 && (goal === 'largest' ? holds(max) : holds(min)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Decides a scenario's SLOs in-process: the runner's seeds for point 0, one runScenario per replication. */
function holdsInProcess(s: Scenario): boolean {
  const rows = Array.from({ length: s.run.replications }, (_, r) =>
    runScenario(s, runSeed(s.run.seed, 'scenario', 0, r)),
  );
  return s.slos.every((slo) => {
    const col = sloColumn(slo);
    const values = rows.map((run) => {
      if (slo.metric === 'cpuHeadroom' || slo.metric === 'swapIo')
        return run.measures[col as keyof typeof run.measures];
      const row = run.templates.find((t) => t['template'] === slo.template);
      return typeof row?.[col] === 'number' ? row[col] : NaN;
    });
    return decide(slo, values).holds;
  });
}

async function seek(s: Scenario): Promise<number | null> {
  const vary = s.vary as NonNullable<Scenario['vary']>;
  const segs = parsePath(vary.path) as (string | number)[];
  const r = await goalSeek({ min: vary.min, max: vary.max, goal: vary.goal ?? 'largest' }, async (v) => ({
    holds: holdsInProcess(setPath(s, segs, v)),
    evaluation: null,
  }));
  return r.answer;
}

describe('goal-seek on scenarios with a known answer', () => {
  const hogs = loadScenario(fileURLToPath(new URL('./fixtures/hogs-share.yaml', import.meta.url)));

  it('N hogs on one CPU, share >= 0.22: the largest N is 4', async () => {
    expect(await seek(hogs)).toBe(4);
  });

  it('N hogs on one CPU, share >= 0.15: the largest N is 6', async () => {
    expect(await seek(applySet(hogs, 'slos[0].min=0.15'))).toBe(6);
  });

  it('6 hogs, share >= 0.3: the smallest number of CPUs is 2 (every scheduler)', async () => {
    for (const scheduler of ['bvt-xen1', 'credit', 'round-robin']) {
      let s = applySet(hogs, 'domains[0].count=6');
      s = applySet(s, 'slos[0].min=0.3');
      s = applySet(s, `hypervisor.scheduler=${scheduler}`);
      s = { ...s, vary: { path: 'host.cpus', min: 1, max: 8, goal: 'smallest' } };
      expect(await seek(s)).toBe(2);
    }
  });

  it('ballooning memory workers on 256 MB: the largest N whose working sets all fit is 9 (page arithmetic)', async () => {
    // free for guests: 65 536 − 4096 (hypervisor) − 5 (dom0 state) = 61 435 pages; each domain grows to
    // kernel + working set = 1024 + 5120 = 6144 pages plus 5 of state: 9 × 6149 = 55 341 fit, 10 × 6149 =
    // 61 490 do not (55 pages short: the last to grow keep faulting)
    const fit = loadScenario(fileURLToPath(new URL('./fixtures/balloon-fit.yaml', import.meta.url)));
    expect(await seek(fit)).toBe(9);
  });

  it('a CI that straddles the limit fails even when the mean meets it', () => {
    const slo = { metric: 'cpuHeadroom', min: 0.5 } as const;
    expect(decide(slo, [0.6, 0.6]).holds).toBe(true);
    expect(decide(slo, [0.45, 0.65]).holds).toBe(false); // mean 0.55, CI lower bound far below 0.5
    const rt = { metric: 'responseTime', template: 'web', percentile: 99, maxMs: 100 } as const;
    expect(decide(rt, [90, 100]).holds).toBe(false); // mean 95, upper bound 95 + 12.7·5 > 100
    expect(decide(rt, [90, 90.5]).holds).toBe(true); // upper bound 90.25 + 12.706·0.25 ≈ 93.4
    expect(decide(rt, [90, NaN]).holds).toBe(false); // a run without responses
  });
});

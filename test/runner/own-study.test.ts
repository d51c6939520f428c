// A study of one's own, defined in this file and run through `runSweep` on 2 worker threads: the
// runner does not know experiments/; it is handed this module as the study registry (its `studies`
// export) and the worker threads load the study from it. The results are checked against the same
// study's run() called in this process with the planned seeds.
//
// This file is imported twice: by vitest (which runs the tests below) and by the worker threads
// (which only need `studies`); the tests are declared on the main thread only (pool: forks). The
// worker is the built one (npm test builds first) with tsx registered (fixtures/tsx-worker.mjs).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/runner/plan.js';
import { defineStudy } from '../../src/runner/study.js';
import { runSweep } from '../../src/runner/sweep.js';
import { RandomStreams } from '../../src/sim/rng.js';

const ownStudy = defineStudy({
  name: 'own-dice',
  description: 'mean of n draws (a study that is not in experiments/)',
  details: '',
  params: {
    draws: { kind: 'int', default: 100, min: 1, max: 10_000, unit: 'draws', doc: 'draws per run' },
    shape: { kind: 'enum', default: 'uniform', values: ['uniform', 'exponential'], unit: '', doc: 'distribution' },
    warmupNs: { kind: 'int', default: 0, min: 0, unit: 'ns', doc: 'unused' },
    runLengthNs: { kind: 'int', default: 1, min: 1, unit: 'ns', doc: 'unused' },
  },
  grid: { kind: 'cartesian', axes: { shape: ['uniform', 'exponential'], draws: [10, 1000] } },
  replications: 2,
  measures: { mean: { unit: '', doc: 'mean of the draws' } },
  run(p, ctx) {
    const rng = new RandomStreams(ctx.seed).stream('draws');
    let sum = 0;
    for (let i = 0; i < p.draws; i++) sum += p.shape === 'uniform' ? rng.uniform(0, 2) : rng.exponential(1);
    return { measures: { mean: sum / p.draws }, events: p.draws };
  },
  charts: () => [],
});

export const studies = [ownStudy];

if (isMainThread) {
  describe('a study defined outside experiments/', () => {
    it('runs through runSweep on 2 worker threads, loaded from the registry module it is handed', async () => {
      const points = [10, 1000].flatMap((draws) =>
        ['uniform', 'exponential'].map((shape) => ({ draws, shape, warmupNs: 0, runLengthNs: 1 })),
      );
      const plan = buildPlan(ownStudy, { points, replications: 2, masterSeed: 7, quick: false, hvsimVersion: '0.0.0' });
      const outDir = join(mkdtempSync(join(tmpdir(), 'hvsim-own-')), 'out');
      const lines: string[] = [];
      const outcome = await runSweep({
        study: ownStudy,
        registry: import.meta.url,
        plan,
        baseParams: { draws: 100, shape: 'uniform', warmupNs: 0, runLengthNs: 1 },
        jobs: 2,
        outDir,
        progress: 'none',
        command: [],
        log: (l) => lines.push(l),
        workerFile: new URL('./fixtures/tsx-worker.mjs', import.meta.url).href,
      });
      expect(outcome.status, lines.join('\n')).toBe('complete');
      expect(outcome.executed).toBe(8);
      expect(lines.join('\n')).toContain('8 to run on 2 threads');
      const expected = plan.runs.map((r) => {
        const params = plan.points[r.point]?.params ?? {};
        return ownStudy.run(params, { seed: r.seed, replication: r.replication, quick: false }).measures['mean'];
      });
      expect(outcome.data?.runs.map((r) => r.measures['mean'])).toEqual(expected);
      expect(existsSync(join(outDir, 'runs.csv'))).toBe(true);
      expect(readFileSync(join(outDir, 'runs.csv'), 'utf8')).toContain('exponential');
    });

    it('a registry module without a `studies` export is refused with a message naming it', async () => {
      const plan = buildPlan(ownStudy, {
        points: [{ draws: 1, shape: 'uniform', warmupNs: 0, runLengthNs: 1 }],
        replications: 1,
        masterSeed: 7,
        quick: false,
        hvsimVersion: '0.0.0',
      });
      const lines: string[] = [];
      const outcome = await runSweep({
        study: ownStudy,
        registry: new URL('./fixtures/ok-worker.mjs', import.meta.url).href,
        plan,
        baseParams: { draws: 1, shape: 'uniform', warmupNs: 0, runLengthNs: 1 },
        jobs: 1,
        outDir: join(mkdtempSync(join(tmpdir(), 'hvsim-own-')), 'out'),
        progress: 'none',
        command: [],
        log: (l) => lines.push(l),
        workerFile: new URL('./fixtures/tsx-worker.mjs', import.meta.url).href,
      });
      expect(outcome.status).toBe('failed');
      expect(lines.join('\n')).toContain('ok-worker.mjs has no `studies` export');
    });
  });
}

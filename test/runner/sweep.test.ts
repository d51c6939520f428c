// The sweep executor in process, with a fixture worker: a run that throws stops the sweep with exit
// code 1 and a message naming the run and its seed, keeps the runs that finished, writes no CSVs or
// manifest; the same sweep with a working worker then reuses those runs. The fixture workers
// (fixtures/*.mjs) stand in for dist/src/runner/worker.js, which loads studies from the registry.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/runner/plan.js';
import type { Study } from '../../src/runner/study.js';
import { runSweep } from '../../src/runner/sweep.js';

const study: Study = {
  name: 'toy',
  description: 'toy',
  details: '',
  params: {
    a: { kind: 'int', default: 1, min: 0, max: 100, unit: '', doc: 'a' },
    warmupNs: { kind: 'int', default: 0, min: 0, unit: 'ns', doc: 'w' },
    runLengthNs: { kind: 'int', default: 10, min: 1, unit: 'ns', doc: 'r' },
  },
  grid: { kind: 'cartesian', axes: { a: [1, 2] } },
  replications: 2,
  measures: { m: { unit: '', doc: 'm' } },
  run: () => ({ measures: { m: 0 }, events: 0 }),
  charts: () => [],
};

const plan = buildPlan(study, {
  points: [1, 2].map((a) => ({ a, warmupNs: 0, runLengthNs: 10 })),
  replications: 2,
  masterSeed: 1,
  quick: false,
  hvsimVersion: '0.0.0',
});

describe('runSweep', () => {
  it('stops on a failing run, keeps the finished ones, and resumes from them', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'hvsim-sweep-')), 'out');
    const lines: string[] = [];
    const common = {
      study,
      registry: 'unused: the fixture workers ignore it',
      plan,
      baseParams: { a: 1, warmupNs: 0, runLengthNs: 10 },
      jobs: 1,
      outDir,
      progress: 'none',
      command: [],
      log: (l: string) => lines.push(l),
    } as const;
    const failing = await runSweep({
      ...common,
      workerFile: new URL('./fixtures/failing-worker.mjs', import.meta.url).href,
    });
    expect(failing.status).toBe('failed');
    expect(failing.exitCode).toBe(1);
    const seed = plan.runs[1]?.seed;
    expect(lines.join('\n')).toContain(`run of point 0 replication 1 (seed ${seed}) failed: boom at 1`);
    // One thread, runs in order: 0-0 finished before 0-1 failed, nothing was started after it.
    expect(readdirSync(join(outDir, 'runs'))).toEqual(['0-0.json']);
    expect(existsSync(join(outDir, 'runs.csv'))).toBe(false);
    expect(existsSync(join(outDir, 'manifest.json'))).toBe(false);
    expect(existsSync(join(outDir, '.hvsim.lock'))).toBe(false);

    // A worker that succeeds: 0-0 is reused, the three others run.
    const okWorker = new URL('./fixtures/ok-worker.mjs', import.meta.url).href;
    const ok = await runSweep({ ...common, workerFile: okWorker });
    expect(ok.status, lines.join('\n')).toBe('complete');
    expect({ executed: ok.executed, reused: ok.reused }).toEqual({ executed: 3, reused: 1 });
    expect(ok.data?.runs.map((r) => r.measures['m'])).toEqual([10, 11, 20, 21]);
  });
});

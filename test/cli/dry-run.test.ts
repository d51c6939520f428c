// `hvsim run … --dry-run` (issue 7, first contact): it takes seconds whatever the study, because the
// timing run of point 0 goes to a worker thread that is stopped when its budget is spent (a study
// whose run never ends gets a lower bound and the commands that measure it); a folder holding finished
// runs of the plan is used instead (only the runs still to do count); a suite's timing runs share one
// budget; the plan is printed in at most 100 columns with units, long plans summarised; and nothing is
// ever written (the out folder does not exist afterwards). The timing code is the compiled one (dist/),
// since its worker thread loads compiled modules; the fixture registry is test/cli/fixtures/.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as DryRun from '../../src/cli/dry-run.js';
import type * as Timer from '../../src/cli/point-timer.js';
import type * as Configure from '../../src/runner/configure.js';
import type * as Grid from '../../src/runner/grid.js';
import type { Study } from '../../src/runner/study.js';
import { hv, SMALL_RUN } from './adversarial/harness.js';
import { hvsim, ROOT, tempDir } from './cli-helpers.js';

const dist = async <T>(path: string): Promise<T> => (await import(join(ROOT, 'dist', path))) as T;
const { planLines, estimateLines, realRunArgs, sampleShards, shellWords, totalText } =
  await dist<typeof DryRun>('src/cli/dry-run.js');
const { PointTimer, DryRunBudget } = await dist<typeof Timer>('src/cli/point-timer.js');
const { configureSweep } = await dist<typeof Configure>('src/runner/configure.js');
const { NO_OVERRIDES } = await dist<typeof Grid>('src/runner/grid.js');
const REGISTRY = new URL('./fixtures/timing-studies.mjs', import.meta.url).href;
const fixtures = ((await import(REGISTRY)) as { studies: Study[] }).studies;
const fixture = (name: string): Study => fixtures.find((s) => s.name === name) as Study;

const columns = (line: string): number => [...line].length;
/** Lines longer than 100 columns, other than a command to copy (indented "hvsim …"). */
const tooWide = (lines: readonly string[]): string[] => lines.filter((l) => columns(l) > 100 && !/^\s+hvsim /.test(l));

const root = tempDir('dry-run');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function input(study: Study, outDir: string, jobs = 2): Parameters<typeof estimateLines>[0] {
  const { plan, baseParams } = configureSweep(study, { quick: false, overrides: NO_OVERRIDES });
  return { study, plan, baseParams, outDir, jobs, registry: REGISTRY, runArgs: ['run', study.name] };
}

describe('the timing run has a budget', () => {
  it('a point 0 that never ends is stopped: a lower bound and the commands that measure the sweep', async () => {
    const timer = new PointTimer();
    try {
      const { lines, estimate } = await estimateLines(
        input(fixture('never-ends'), join(root, 'ne')),
        timer,
        new DryRunBudget(1, 300),
      );
      // 40 runs on 2 threads, each at least 0.3 s: at least 20 × 0.3 s = 6 s
      expect(estimate).toEqual({ kind: 'moreThan', ms: 6000 });
      const text = lines.join('\n');
      expect(text).toMatch(/^estimated time: more than 6\.00 s on 2 threads if every run costs as much as point 0,/);
      expect(text.replace(/\s+/g, ' ')).toContain('did not finish in 0.30 s (its timing run was stopped)');
      expect(sampleShards(40, 2)).toBe(20);
      expect(lines).toContain(`    hvsim run never-ends --shard 1/20`);
      expect(lines).toContain(`    hvsim estimate ${join(root, 'ne')} --shards 1 --jobs 2`);
      // the same thread is replaced and serves the next timing
      const next = await estimateLines(input(fixture('quick-one'), join(root, 'q')), timer, new DryRunBudget(1, 2000));
      expect(next.estimate.kind).toBe('about');
      expect(next.lines.join(' ')).toMatch(/one run of point 0 took [\d.]+ s in a timing run, × 40 runs/);
    } finally {
      await timer.close();
    }
    expect(existsSync(join(root, 'ne'))).toBe(false);
  });

  it('a run that throws is reported, not estimated', async () => {
    const timer = new PointTimer();
    try {
      const r = await estimateLines(input(fixture('throws'), join(root, 't')), timer, new DryRunBudget(1, 2000));
      expect(r.estimate).toEqual({ kind: 'unknown' });
      expect(r.lines.join(' ')).toContain('the timing run of point 0 failed: broken model');
    } finally {
      await timer.close();
    }
  });

  it("a suite's studies share the overall budget: each at most its own, all together at most the total", () => {
    const all = new DryRunBudget(11, 2000, 10_000);
    const given: number[] = [];
    for (let i = 0; i < 11; i++) {
      const b = all.next();
      given.push(b);
      all.spend({ kind: 'overBudget', budgetMs: b });
    }
    expect(given.every((b) => b > 0 && b <= 2000)).toBe(true);
    expect(given.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
    expect(given[0]).toBe(909);
    // quick studies leave their share to the later ones, up to the per-study cap
    const mixed = new DryRunBudget(3, 2000, 3000);
    expect(mixed.next()).toBe(1000);
    mixed.spend({ kind: 'finished', wallMs: 10 });
    expect(mixed.next()).toBe(1495);
    mixed.spend({ kind: 'finished', wallMs: 5 });
    expect(mixed.next()).toBe(2000);
    expect(totalText([{ kind: 'about', ms: 1000 }, { kind: 'moreThan', ms: 2000 }, { kind: 'unknown' }])).toBe(
      'more than 3.00 s (1 study at a lower bound, 1 study not estimated)',
    );
  });
});

describe('the commands printed', () => {
  it('are the real run without --dry-run and --shard, quoted for a shell', () => {
    const argv = ['run', 'x', '--shard', '2/4', '--dry-run', '--set', "label=a b'c", '--shard=1/2'];
    expect(realRunArgs(argv, ['run', 'y'])).toEqual(['run', 'x', '--set', "label=a b'c"]);
    expect(realRunArgs([], ['run', 'y'])).toEqual(['run', 'y']);
    expect(shellWords(['run', 'x', '--set', "label=a b'c", '--out', 'r/x_k=1,2'])).toBe(
      `run x --set 'label=a b'\\''c' --out r/x_k=1,2`,
    );
    expect(sampleShards(1, 2)).toBe(1);
    expect(sampleShards(280, 2)).toBe(140);
    expect(sampleShards(280, 8)).toBe(35);
  });
});

describe('the plan in words', () => {
  it('fixed values with units, wrapped at 100 columns; long plans summarised with their axes', () => {
    const study = fixture('quick-one');
    const { plan, baseParams } = configureSweep(study, {
      quick: false,
      overrides: { axes: [['waitNs', [0, 1000, 2_000_000, 5_000_000_000]]], pins: [] },
    });
    const lines = planLines({ study, plan, baseParams, outDir: 'results/x' });
    expect(lines[0]).toBe('quick-one: 40 points × 4 replications = 160 runs; output results/x');
    expect(lines).toContain(
      'swept: n: 10 values {1, 2, 3, 4, 5, 6, 7, 8, 9, 10 items}; waitNs: 4 values {0 ns, 1 µs, 2 ms, 5 s}',
    );
    expect(lines).toContain('point 0: n=1 items, waitNs=0 ns');
    expect(lines).toContain('… 33 more points …');
    expect(lines.at(-1)).toBe('point 39: n=10 items, waitNs=5 s');
    expect(lines).toHaveLength(1 + 1 + 5 + 1 + 2);
    // few points: every point, fixed values with their units
    const small = configureSweep(study, {
      quick: false,
      overrides: { axes: [['n', [1, 2]]], pins: [['waitNs', 5_000_000]] },
    });
    const few = planLines({ study, plan: small.plan, baseParams: small.baseParams, outDir: 'o' });
    expect(few).toEqual([
      'quick-one: 2 points × 4 replications = 8 runs; output o',
      'fixed: waitNs=5 ms',
      'point 0: n=1 items',
      'point 1: n=2 items',
    ]);
    const narrow = planLines({ study, plan, baseParams, outDir: 'results/x' }, 60);
    expect(narrow.length).toBeGreaterThan(lines.length);
    expect(narrow.filter((l) => columns(l) > 60)).toEqual([]);
  });

  it('hvsim run scalability --set ctxAllowNs=5ms --dry-run shows 5 ms, fits 100 columns, writes nothing', async () => {
    const out = join(root, 'scal');
    const r = await hv(['run', 'scalability', '--quick', '--set', 'ctxAllowNs=5ms', '--out', out, '--dry-run']);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    expect(r.stdout.join('\n')).toMatch(/fixed: (.|\n)*ctxAllowNs=5 ms/);
    expect(r.stdout.join('\n')).not.toContain('5000000');
    expect(tooWide(r.stdout)).toEqual([]);
    expect(r.stdout.some((l) => l.startsWith('estimated time: '))).toBe(true);
    expect(existsSync(out)).toBe(false);
  });
});

describe('finished runs in the folder are used', () => {
  const args = (out: string): string[] => [...SMALL_RUN, '--out', out];

  it('all finished: nothing left; half of them removed: the runs still to do, from the others', async () => {
    const out = join(root, 'stored');
    const done = await hv([...args(out), '--no-report', '-q']);
    expect(done.code, done.stderr.join('\n')).toBe(0);
    const all = await hv([...args(out), '--dry-run']);
    expect(all.code).toBe(0);
    expect(all.stdout.join(' ').replace(/\s+/g, ' ')).toMatch(
      /estimated time: nothing left to run: all 10 runs are finished in .*stored \(a run reuses them; they took [\d.]+ s of run time\)/,
    );
    const runFiles = readdirSync(join(out, 'runs'))
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(runFiles).toHaveLength(10);
    for (const f of runFiles.slice(0, 4)) rmSync(join(out, 'runs', f));
    const part = await hv([...args(out), '--dry-run']);
    expect(part.stdout.join(' ').replace(/\s+/g, ' ')).toMatch(
      /estimated time: about [\d.]+ s on 1 thread for the 4 runs still to do, from the wall times of the 6 finished runs of this sweep in/,
    );
  });
});

describe('a suite', () => {
  it('hvsim run paper --full --dry-run: seconds of timing, 100 columns, a total, nothing written', () => {
    const cwd = tempDir('dry-paper');
    const r = hvsim(['run', 'paper', '--full', '--dry-run'], cwd);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(tooWide(lines)).toEqual([]);
    expect(lines.filter((l) => l.startsWith('estimated time: '))).toHaveLength(11);
    expect(lines.join(' ')).toMatch(
      /paper: 11 studies one after another, \d+ runs at full fidelity: (about|more than) /,
    );
    expect(readdirSync(cwd)).toEqual([]);
    rmSync(cwd, { recursive: true, force: true });
  });
});

// What hvsim does (rather than refuses) with damaged, foreign or hostile results and edge settings:
// report rebuilds a truncated runs.csv, --force replaces another configuration and removes its run
// files, --set runs get their own default folder, -q prints nothing, --dry-run writes nothing, --jobs
// is capped at the cores, a lock naming a reused pid is taken over, merge into an earlier merge cleans
// it, a run with no samples writes empty cells (no NaN), Study.check refuses a point before anything
// runs, concurrent starts into one folder end with one result, a closed stdout (`| head -1`) still
// finishes the report, and the report opened in headless Chromium with hostile folder names and
// arguments runs no script and logs no error.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureSweep } from '../../../src/runner/configure.js';
import { UsageError } from '../../../src/runner/errors.js';
import { NO_OVERRIDES } from '../../../src/runner/grid.js';
import { processStartTime } from '../../../src/runner/lock.js';
import type { Study } from '../../../src/runner/study.js';
import { MAIN, hvsimAsync, tempDir } from '../cli-helpers.js';
import { BASE, hv, STUDY, treeHash } from './harness.js';

const root = tempDir('behaviour');
const home = process.cwd();
const complete = join(root, 'complete');

beforeAll(async () => {
  process.chdir(root);
  const r = await hv([...BASE, '--out', complete]);
  expect(r.code, r.stderr.join('\n')).toBe(0);
}, 120_000);

afterAll(() => {
  process.chdir(home);
  rmSync(root, { recursive: true, force: true });
});

function copy(name: string): string {
  const d = join(root, name);
  cpSync(complete, d, { recursive: true });
  return d;
}

describe('results folders', () => {
  it('-q prints nothing at all on success', async () => {
    const r = await hv([...BASE, '--out', join(root, 'quiet')]);
    expect(r).toEqual({ code: 0, stdout: [], stderr: [] });
  });

  it('report rebuilds a truncated runs.csv and summary.csv from runs/', async () => {
    const d = copy('truncated');
    const runs = readFileSync(join(d, 'runs.csv'), 'utf8');
    const summary = readFileSync(join(d, 'summary.csv'), 'utf8');
    writeFileSync(join(d, 'runs.csv'), runs.slice(0, 50));
    rmSync(join(d, 'summary.csv'));
    const r = await hv(['chart', d]);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    expect(r.stderr).toEqual([
      `hvsim: runs.csv and summary.csv in ${d} did not match its run files; rebuilt from runs/`,
    ]);
    expect(readFileSync(join(d, 'runs.csv'), 'utf8')).toBe(runs);
    expect(readFileSync(join(d, 'summary.csv'), 'utf8')).toBe(summary);
  });

  it('--force replaces another configuration and removes its stale run files', async () => {
    const d = copy('force');
    expect(readdirSync(join(d, 'runs'))).toHaveLength(10);
    const r = await hv([
      ...BASE.filter((a) => a !== '-q'),
      '--grid',
      'load=0.5',
      '--replications',
      '1',
      '--force',
      '--out',
      d,
    ]);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    expect(r.stderr.join('\n')).toContain(`--force: removed 10 run files of another configuration from ${d}`);
    expect(readdirSync(join(d, 'runs'))).toEqual(['0-0.json']);
    expect(readFileSync(join(d, 'runs.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(2);
  });

  it('the same configuration resumes without --force (nothing rerun)', async () => {
    const d = copy('resume');
    const r = await hv([...BASE.filter((a) => a !== '-q'), '--out', d]);
    expect(r.code).toBe(0);
    expect(r.stderr.join('\n')).toMatch(/10 runs, 10 already done, nothing to run/);
  });

  it('a run with --set defaults to a folder named after the overrides', async () => {
    const r = await hv([...BASE, '--set', 'load=0.8']);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    const folder = join(root, 'results', 'mm1-validation-quick_runLengthNs=1s_load=0.8_replications=2');
    expect(existsSync(join(folder, 'runs.csv'))).toBe(true);
    rmSync(join(root, 'results'), { recursive: true });
  });

  it('--dry-run prints the points, the run count and a time estimate, and writes nothing', async () => {
    const before = treeHash(root);
    const r = await hv([
      'run',
      STUDY,
      '--quick',
      '--set',
      'runLengthNs=1s',
      '--grid',
      'load=0.2,0.4',
      '--dry-run',
      '--out',
      join(root, 'dry'),
    ]);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    expect(r.stdout[0]).toBe(`mm1-validation: 2 points × 5 replications = 10 runs; output ${join(root, 'dry')}`);
    expect(r.stdout).toContain('point 0: load=0.2');
    expect(r.stdout).toContain('point 1: load=0.4');
    const estimate = r.stdout.slice(r.stdout.findIndex((l) => l.startsWith('estimated time: '))).join(' ');
    expect(estimate.replace(/\s+/g, ' ')).toMatch(
      /^estimated time: about [\d.]+ s on \d threads?: one run of point 0 took [\d.]+ s in a timing run, × 10 runs/,
    );
    expect(existsSync(join(root, 'dry'))).toBe(false);
    expect(treeHash(root)).toBe(before);
  });

  it('--jobs above the cores is capped, with a notice', async () => {
    const r = await hv([
      ...BASE.filter((a) => a !== '-q' && a !== '--jobs' && a !== '1'),
      '--jobs',
      '1024',
      '--out',
      join(root, 'jobs'),
    ]);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    const cores = availableParallelism();
    expect(r.stderr[0]).toBe(
      `hvsim: --jobs 1024 is more than the ${cores} cores available here; using ${cores} worker threads`,
    );
    expect(r.stderr.join('\n')).toMatch(new RegExp(`10 to run on ${Math.min(cores, 10)} thread`));
  });

  it('a lock naming a live process that started at another time (pid reuse) is taken over', async () => {
    const d = copy('pid-reuse');
    const start = processStartTime(process.ppid);
    expect(start).toMatch(/^\d+$/);
    writeFileSync(join(d, '.hvsim.lock'), `${process.ppid} ${hostname()} ${Number(start) + 1}\n`);
    const r = await hv([...BASE, '--out', d]);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    expect(existsSync(join(d, '.hvsim.lock'))).toBe(false);
  });

  it('merge into the folder of an earlier merge replaces it completely', async () => {
    const s1 = join(root, 's1');
    const s2 = join(root, 's2');
    expect((await hv([...BASE, '--shard', '1/2', '--out', s1])).code).toBe(0);
    expect((await hv([...BASE, '--shard', '2/2', '--out', s2])).code).toBe(0);
    const m = copy('merged');
    rmSync(join(m, 'runs', '0-0.json')); // an earlier merge holds run files of another sweep
    writeFileSync(join(m, 'runs', '99-0.json'), '{}');
    const r = await hv(['merge', s1, s2, '--out', m, '--no-report']);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    expect(readdirSync(join(m, 'runs')).sort()).toEqual(readdirSync(join(complete, 'runs')).sort());
    expect(readFileSync(join(m, 'runs.csv'), 'utf8')).toBe(readFileSync(join(complete, 'runs.csv'), 'utf8'));
  });
});

describe('measures with no samples', () => {
  it('are empty cells in runs.csv and summary.csv, never NaN', async () => {
    const d = join(root, 'nosamples');
    // Load 0.99 for 1 ms after no warm-up: hardly any customer waits; replications with none have no mean.
    const r = await hv([
      'run',
      STUDY,
      '--grid',
      'load=0.99',
      '--set',
      'runLengthNs=1ms',
      '--set',
      'warmupNs=0',
      '--set',
      'serviceMeanNs=1ms',
      '--replications',
      '8',
      '--jobs',
      '1',
      '--no-report',
      '-q',
      '--out',
      d,
    ]);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    const runs = readFileSync(join(d, 'runs.csv'), 'utf8');
    const summary = readFileSync(join(d, 'summary.csv'), 'utf8');
    expect(runs).not.toMatch(/NaN|Infinity/);
    expect(summary).not.toMatch(/NaN|Infinity/);
    const header = (runs.split('\n')[0] as string).split(',');
    const col = header.indexOf('waitMeanNs');
    const empty = runs
      .trimEnd()
      .split('\n')
      .slice(1)
      .filter((l) => l.split(',')[col] === '').length;
    expect(empty).toBeGreaterThan(0);
    const row = summary.split('\n').find((l) => l.includes(',waitMeanNs,')) as string;
    expect(row.split(',')[7]).toBe(String(8 - empty)); // n counts only runs with samples
  });
});

describe('Study.check', () => {
  const study: Study = {
    name: 'checked',
    description: 'a study with a cross-parameter check',
    details: '',
    params: {
      k: { kind: 'int', default: 4, min: 1, max: 100, unit: '', doc: 'batch' },
      ring: { kind: 'int', default: 8, min: 1, max: 100, unit: '', doc: 'ring size' },
      warmupNs: { kind: 'int', default: 0, min: 0, unit: 'ns', doc: '' },
      runLengthNs: { kind: 'int', default: 10, min: 1, unit: 'ns', doc: '' },
    },
    grid: { kind: 'cartesian', axes: { k: [2, 4, 16] } },
    replications: 1,
    measures: { m: { unit: '', doc: '' } },
    check: (p) =>
      (p.k as number) > (p.ring as number) ? `k (${String(p.k)}) exceeds ring (${String(p.ring)})` : undefined,
    run: () => ({ measures: { m: 0 }, events: 0 }),
    charts: () => [],
  };

  it('refuses the first invalid point at planning time, naming it', () => {
    expect(() => configureSweep(study, { quick: false, overrides: NO_OVERRIDES })).toThrow(UsageError);
    expect(() => configureSweep(study, { quick: false, overrides: NO_OVERRIDES })).toThrow(
      'checked: point 2 (k=16, ring=8, warmupNs=0, runLengthNs=10): k (16) exceeds ring (8)',
    );
    expect(
      configureSweep(study, { quick: false, overrides: { axes: [], pins: [['ring', 16]] } }).plan.points,
    ).toHaveLength(3);
  });
});

describe('real processes', () => {
  it('three concurrent starts into one folder: the lock refuses or they resume; the result is the same', async () => {
    const d = join(root, 'concurrent');
    const procs = [0, 1, 2].map(() => hvsimAsync([...BASE, '--out', d]));
    const results = await Promise.all(procs.map((p) => p.done));
    for (const r of results) {
      if (r.status === 1)
        expect(r.stderr).toMatch(
          /^hvsim: .*concurrent is in use by another hvsim process \(pid \d+, started at tick \d+\)/,
        );
      else expect(r.status, r.stderr).toBe(0);
    }
    expect(results.filter((r) => r.status === 0).length).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(d, 'runs.csv'), 'utf8')).toBe(readFileSync(join(complete, 'runs.csv'), 'utf8'));
    expect(existsSync(join(d, '.hvsim.lock'))).toBe(false);
  }, 120_000);

  it('a closed stdout (| head -1) still finishes charts, report.html and the manifest', async () => {
    const d = join(root, 'epipe');
    const child = spawn(
      process.execPath,
      [MAIN, ...BASE.filter((a) => a !== '--no-report' && a !== '-q'), '--out', d],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.once('data', () => child.stdout.destroy());
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(code, stderr).toBe(0);
    expect(existsSync(join(d, 'report.html'))).toBe(true);
    expect((JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { status: string }).status).toBe('complete');
  }, 120_000);
});

// Hostile strings through the folder name and the command line reach report.html (title, manifest,
// paths); the page must run none of them and log no error.
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(
    `\n*** SKIPPING the hostile-report browser test: ${CHROMIUM} not found ('apt-get install -y chromium'). ***\n`,
  );

describe('hostile content in the report', () => {
  it('runs no script and logs no error in headless Chromium', async (ctx) => {
    if (!haveChromium) ctx.skip(`no Chromium at ${CHROMIUM} ('apt-get install -y chromium')`);
    const payload = `<img src=x onerror=alert(1)>"'</script><script>alert(2)</script>=HYPERLINK("x")`;
    const parent = join(root, 'hostile');
    mkdirSync(parent);
    const d = join(parent, payload.replace(/\//g, '_'));
    const r = await hv([...BASE.filter((a) => a !== '--no-report'), '--out', d]);
    expect(r.code, r.stderr.join('\n')).toBe(0);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('dialog', (dlg) => {
        problems.push(`dialog: ${dlg.message()}`);
        void dlg.dismiss();
      });
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      await page.goto(pathToFileURL(join(d, 'report.html')).href);
      await page.waitForSelector('body[data-charts-ready]', { timeout: 30_000 });
      expect(problems).toEqual([]);
      expect(await page.content()).toContain('&lt;img src=x onerror=alert(1)&gt;');
    } finally {
      await browser.close();
    }
  }, 120_000);
});

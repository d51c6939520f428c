// Suites (`hvsim run paper`): the definitions in experiments/suites.ts are consistent (and the check
// that says so can fail); options a suite does not take are refused with one line, exit 2, nothing
// written; and a tiny suite (two of the cheapest studies at quick fidelity, run by the compiled suite
// command in a child process, as `hvsim run paper` runs its members) writes every member's results
// and report, a suite index linking each report and results/index.html, with outputs that validate
// (runs.csv has a column per parameter and measure and no NaN; summary.csv likewise); run again it
// skips every member and leaves the bytes alone; after a simulated kill in the second member (its
// manifest, report and half its run files gone) it skips the first, resumes the second from the runs
// left, and the second's runs.csv comes back byte-identical.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findStudy, studies } from '../../experiments/index.js';
import { paperSuite, suites } from '../../experiments/suites.js';
import { suiteProblems, type Suite } from '../../src/runner/suite.js';
import { hvsim, listFiles, ROOT, tempDir, type CliResult } from './cli-helpers.js';

describe('suite definitions', () => {
  it('every suite names registered studies once, and no study has a suite name', () => {
    for (const s of suites) expect(suiteProblems(s, findStudy), s.name).toEqual([]);
  });

  it('the check can fail: an unknown study, a study listed twice, a name a study has', () => {
    const bad: Suite = {
      name: 'lmbench',
      description: 'x',
      members: [
        { study: 'no-such-study', why: 'x' },
        { study: 'lmbench', why: 'x' },
        { study: 'lmbench', why: 'x' },
      ],
    };
    expect(suiteProblems(bad, findStudy)).toEqual([
      "name 'lmbench' is also a study's name",
      "member 'no-such-study' is not a registered study",
      "member 'lmbench' is listed twice",
    ]);
  });

  it("the paper suite holds the paper's studies that exist, each with a reason", () => {
    const names = paperSuite.members.map((m) => m.study);
    for (const n of ['lmbench', 'scalability', 'balloon-footprint', 'pt-batching', 'bvt-weights', 'event-batching'])
      expect(names).toContain(n);
    // the paper's order: Figure 3 (relative-performance), Table 3 (lmbench), Table 4 (ttcp), Figure 4
    // (concurrent-web), Figure 5 (database-domains), §4.4 (isolation), Figure 6 (scalability)
    const order = [
      'relative-performance',
      'lmbench',
      'ttcp',
      'concurrent-web',
      'database-domains',
      'isolation',
      'scalability',
    ];
    const at = order.map((n) => names.indexOf(n));
    for (const [i, n] of order.entries()) expect(at[i], n).toBeGreaterThanOrEqual(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const m of paperSuite.members) expect(m.why.length, m.study).toBeGreaterThan(10);
    expect(studies.map((s) => s.name)).not.toContain('paper');
  });
});

describe('hvsim run paper: refused options (exit 2, one line, nothing written)', () => {
  const cases: [string[], RegExp][] = [
    [['--set', 'domains=2'], /^hvsim: --set does not apply to suite paper .*hvsim run <study> --set/],
    [['--grid', 'domains=1,2'], /^hvsim: --grid does not apply to suite paper/],
    [['--replications', '3'], /^hvsim: --replications does not apply to suite paper/],
    [['--seed', '3'], /^hvsim: --seed does not apply to suite paper/],
    [['--shard', '1/2'], /^hvsim: --shard does not apply to suite paper/],
    [['--full', '--quick'], /^hvsim: --full and --quick: choose one/],
  ];
  for (const [flags, message] of cases) {
    it(flags.join(' '), () => {
      const cwd = tempDir('suite-bad');
      const r = hvsim(['run', 'paper', ...flags], cwd);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('hvsim list names the suites with their studies (wrapped at 100 columns)', () => {
    const r = hvsim(['list']);
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      ` paper ${paperSuite.description}: ${paperSuite.members.map((m) => m.study).join(', ')}`,
    );
  });

  it('--full with a study is refused', () => {
    const r = hvsim(['run', 'lmbench', '--full'], tempDir('suite-bad'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^hvsim: --full applies to a suite \(paper\), not to study lmbench/);
  });
});

type Row = Record<string, string>;
function parseCsv(text: string): { header: string[]; rows: Row[] } {
  const [head, ...lines] = text.trimEnd().split('\n');
  const header = (head as string).split(',');
  return { header, rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i] as string, v]))) };
}

/** Runs `suite` through the compiled suite command (dist/) in a child process, in `cwd`. */
function runSuite(suite: Suite, cwd: string): CliResult {
  const url = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, p)).href);
  const script = join(cwd, 'run-suite.mjs');
  writeFileSync(
    script,
    [
      `import { suiteCommand } from ${url('dist/src/cli/commands/suite.js')};`,
      `import { processIo } from ${url('dist/src/cli/io.js')};`,
      `const suite = ${JSON.stringify(suite)};`,
      `const opts = { set: [], grid: [], quick: false, report: true, progress: 'none' };`,
      'try { process.exitCode = await suiteCommand(suite, opts, processIo, []); }',
      "catch (e) { console.error('hvsim: ' + e.message); process.exitCode = e.exitCode ?? 1; }",
    ].join('\n'),
  );
  const r = spawnSync(process.execPath, [script], { cwd, encoding: 'utf8', timeout: 300_000 });
  rmSync(script);
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('a tiny suite, end to end (compiled), with resume', () => {
  const tiny: Suite = {
    name: 'tiny',
    description: 'two of the cheapest studies',
    members: [
      { study: 'scalability', why: 'first member' },
      { study: 'balloon-footprint', why: 'second member' },
    ],
  };
  const cwd = tempDir('suite');
  const root = join(cwd, 'results', 'tiny-quick');
  let first: CliResult;
  beforeAll(() => {
    first = runSuite(tiny, cwd);
    expect(first.status, first.stderr).toBe(0);
  });

  it('runs each member in turn into results/<suite>-quick/<study> and says where to look', () => {
    expect(first.stdout).toMatch(/^tiny: 2 studies, \d+ runs at quick fidelity, into results\/tiny-quick$/m);
    expect(first.stdout).toMatch(/\[1\/2\] scalability: first member[\s\S]*\[2\/2\] balloon-footprint: second member/);
    expect(first.stdout).toMatch(/scalability\s+ran\s+\S+( s| min)/);
    expect(first.stdout).toContain('Where to look: results/tiny-quick/index.html links every report of the suite');
    expect(first.stdout).toContain('results/index.html lists every results folder');
    const index = readFileSync(join(root, 'index.html'), 'utf8');
    for (const m of tiny.members) {
      expect(existsSync(join(root, m.study, 'report.html')), m.study).toBe(true);
      expect(index).toContain(`${m.study}/report.html`);
    }
    expect(readFileSync(join(cwd, 'results', 'index.html'), 'utf8')).toContain('tiny-quick/scalability/report.html');
  });

  it("every member's runs.csv and summary.csv validate: the declared columns, every planned run, no NaN", () => {
    for (const m of tiny.members) {
      const study = findStudy(m.study);
      if (study === undefined) throw new Error(m.study);
      const manifest = JSON.parse(readFileSync(join(root, m.study, 'manifest.json'), 'utf8')) as {
        quick: boolean;
        totals: { runs: number };
      };
      expect(manifest.quick).toBe(true);
      const runs = parseCsv(readFileSync(join(root, m.study, 'runs.csv'), 'utf8'));
      expect(runs.header).toEqual([
        'point',
        ...Object.keys(study.params),
        'replication',
        'seed',
        ...Object.keys(study.measures),
        'events',
      ]);
      expect(runs.rows).toHaveLength(manifest.totals.runs);
      const summary = readFileSync(join(root, m.study, 'summary.csv'), 'utf8');
      for (const text of [readFileSync(join(root, m.study, 'runs.csv'), 'utf8'), summary])
        expect(text, m.study).not.toMatch(/NaN|Infinity/);
      for (const r of runs.rows)
        for (const k of Object.keys(study.measures)) expect(r[k] === '' || Number.isFinite(Number(r[k])), k).toBe(true);
    }
  });

  it('run again: every member finished earlier is skipped and no file changes', () => {
    const before = new Map(
      listFiles(root).map((f) => [f, f.endsWith('index.html') ? '' : readFileSync(join(root, f), 'utf8')]),
    );
    const again = runSuite(tiny, cwd);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('[1/2] scalability: finished by an earlier run, skipped');
    expect(again.stdout).toContain('[2/2] balloon-footprint: finished by an earlier run, skipped');
    expect(again.stdout).not.toMatch(/runs \(\d+ run now/);
    const after = new Map(
      listFiles(root).map((f) => [f, f.endsWith('index.html') ? '' : readFileSync(join(root, f), 'utf8')]),
    );
    expect(after).toEqual(before);
  });

  it('after a kill in the second member: the first is skipped, the second resumes its runs, same bytes', () => {
    const second = join(root, 'balloon-footprint');
    const runsCsv = readFileSync(join(second, 'runs.csv'), 'utf8');
    const runFiles = readdirSync(join(second, 'runs')).sort();
    // what a kill mid-sweep leaves: some run files, no manifest, no CSVs, no report
    for (const f of ['manifest.json', 'report.html', 'runs.csv', 'summary.csv'])
      rmSync(join(second, f), { force: true });
    const removed = runFiles.filter((_, i) => i % 2 === 1);
    for (const f of removed) rmSync(join(second, 'runs', f));
    const resumed = runSuite(tiny, cwd);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('[1/2] scalability: finished by an earlier run, skipped');
    expect(resumed.stdout).toContain(
      `balloon-footprint: ${runFiles.length} runs (${removed.length} run now, ${runFiles.length - removed.length} reused)`,
    );
    expect(readFileSync(join(second, 'runs.csv'), 'utf8')).toBe(runsCsv);
    expect(existsSync(join(second, 'report.html'))).toBe(true);
  });
});

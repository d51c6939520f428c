// The commands other than run's sweep logic: help text for every command and flag, list, describe
// (parameters, measures, CSV columns, number format), chart and report on an existing results
// folder, and the progress display (plain lines on a pipe, a cli-progress bar on a terminal).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAIN, hvsim, tempDir } from './cli-helpers.js';

describe('help', () => {
  it('documents every command', () => {
    const r = hvsim(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['list', 'describe', 'run', 'merge', 'chart', 'report'])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${c}\\b.*\\S`));
  });

  it('documents every flag of run and merge', () => {
    const run = hvsim(['run', '--help']);
    expect(run.status).toBe(0);
    for (const f of [
      '--set',
      '--grid',
      '--replications',
      '--seed',
      '--jobs',
      '--out',
      '--shard',
      '--quick',
      '--no-report',
      '--progress',
      '--quiet',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`${f}[^\\n]*\\s{2,}\\S`));
    }
    const merge = hvsim(['merge', '--help']);
    expect(merge.stdout).toMatch(/--out <dir>\s+folder to write/);
  });
});

describe('list and describe', () => {
  it('list names every study with its description', () => {
    const r = hvsim(['list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/mm1-validation\s+M\/M\/1 queue/);
  });

  it('describe shows parameters, ranges, units, measures, CSV columns and the number format', () => {
    const r = hvsim(['describe', 'mm1-validation']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/load\s+float\s+default 0\.5; a float in \[0\.05, 0\.99\]/);
    expect(r.stdout).toMatch(/runLengthNs\s+int\s+default 400 s; a time in \[1ms, 100000s\]/);
    expect(r.stdout).toMatch(/waitMeanNs \(ns\)\n\s+mean time in queue/);
    expect(r.stdout).toContain('point, load, serviceMeanNs, warmupNs, runLengthNs, replication, seed, waitMeanNs');
    expect(r.stdout).toContain('measure, unit, n, mean, sd,');
    expect(r.stdout).toContain('numberInSystemDistribution');
    expect(r.stdout).toMatch(/timing\.csv .*wallMs/);
    expect(r.stdout).toContain('kept out of runs.csv');
    expect(r.stdout).toContain('shortest round-trip decimal');
  });
});

describe('chart and report on a results folder', () => {
  const out = join(tempDir('cmd'), 'r');

  beforeAll(() => {
    const r = hvsim([
      'run',
      'mm1-validation',
      '--quick',
      '--grid',
      'load=0.2,0.6',
      '--replications',
      '2',
      '--no-report',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'charts'))).toBe(false);
  });

  it('chart writes the specs, SVG and PNG of every chart', () => {
    const r = hvsim(['chart', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(out, 'charts')).sort()).toEqual([
      'number-in-system-vs-load.png',
      'number-in-system-vs-load.svg',
      'number-in-system-vs-load.vl.json',
      'wait-vs-load.png',
      'wait-vs-load.svg',
      'wait-vs-load.vl.json',
    ]);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
  });

  it('report writes report.html and prints its path', () => {
    rmSync(join(out, 'charts'), { recursive: true });
    const r = hvsim(['report', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`report: ${join(out, 'report.html')}`);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'charts', 'wait-vs-load.svg'))).toBe(true);
  });

  it('refuses a shard folder (merge first)', () => {
    const shard = join(tempDir('cmd'), 's');
    expect(
      hvsim(['run', 'mm1-validation', '--quick', '--replications', '1', '--shard', '1/2', '--out', shard]).status,
    ).toBe(0);
    const r = hvsim(['report', shard]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds shard 1\/2 of a sweep; join the shards with 'hvsim merge' first/);
  });
});

describe('progress', () => {
  it('plain lines on a pipe', () => {
    const out = join(tempDir('prog'), 'r');
    const r = hvsim(['run', 'mm1-validation', '--quick', '--replications', '2', '--no-report', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /hvsim: mm1-validation: 10\/10 runs \(100%\), [\d.]+[kMG]? events\/s, elapsed \d+ s, ETA 0 s/,
    );
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it('a progress bar on a terminal', (ctx) => {
    if (!hasScript) ctx.skip("util-linux 'script' is not installed (needed for a pseudo-terminal)");
    const out = join(tempDir('prog'), 'r');
    const cmd = `${process.execPath} ${MAIN} run mm1-validation --quick --replications 2 --no-report --out ${out}`;
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/hvsim: mm1-validation \[[█░]+\] 10\/10 runs 100% \| [\d.]+[kMG]? events\/s/);
  });
});

describe('pipes', () => {
  it('a reader that closes early (hvsim describe | head -1) is not an error', () => {
    const r = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${MAIN}" describe event-batching | head -1`],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toMatch(/^event-batching/);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});

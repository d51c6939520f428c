// Same seed, same bytes: runs.csv, summary.csv and tables/ are byte-identical for --jobs 1 and
// --jobs 2, and for shards 1/2 + 2/2 merged versus the unsharded run; a re-run of a finished sweep
// reuses every run and rewrites the same bytes; a different seed changes the results. Merging
// refuses incomplete or mismatched inputs (nothing written).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/runner/manifest.js';
import { hvsim, listFiles, read, tempDir } from './cli-helpers.js';

const SWEEP = ['run', 'mm1-validation', '--quick', '--no-report', '--progress', 'plain'];
const COMPARED = ['runs.csv', 'summary.csv', 'tables/numberInSystemDistribution.csv'];

function manifestOf(dir: string): Manifest {
  return JSON.parse(read(join(dir, 'manifest.json'))) as Manifest;
}

function expectSameOutputs(a: string, b: string): void {
  for (const f of COMPARED) expect(read(join(b, f)), `${f} of ${b} vs ${a}`).toBe(read(join(a, f)));
}

describe('byte-identical outputs', () => {
  const root = tempDir('det');
  const j1 = join(root, 'jobs1');

  beforeAll(() => {
    const r = hvsim([...SWEEP, '--jobs', '1', '--out', j1]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('writes the documented files, runs.csv without wall time', () => {
    expect(listFiles(j1).filter((f) => !f.startsWith('runs/'))).toEqual([
      '.hvsim-results',
      'manifest.json',
      'runs.csv',
      'summary.csv',
      'tables/numberInSystemDistribution.csv',
      'timing.csv',
    ]);
    expect(listFiles(join(j1, 'runs'))).toHaveLength(25);
    const runs = read(join(j1, 'runs.csv')).split('\n');
    expect(runs[0]).toBe(
      'point,load,serviceMeanNs,warmupNs,runLengthNs,replication,seed,waitMeanNs,sojournMeanNs,numberInSystemMean,queueLengthMean,utilization,customersServed,events',
    );
    expect(runs).toHaveLength(27); // header, 25 runs, final newline
    expect(read(join(j1, 'timing.csv')).split('\n')[0]).toBe('point,replication,seed,wallMs,events,eventsPerSecond');
    const m = manifestOf(j1);
    expect(m.status).toBe('complete');
    expect(m.totals).toMatchObject({ runs: 25, executed: 25, reused: 0 });
    expect(m.totals.events).toBeGreaterThan(0);
    expect(m.node).toBe(process.version);
    expect(m.runs).toHaveLength(25);
    expect(Date.parse(m.finishedAt)).toBeGreaterThanOrEqual(Date.parse(m.startedAt));
  });

  it('--jobs 2 gives the same bytes as --jobs 1', () => {
    const j2 = join(root, 'jobs2');
    const r = hvsim([...SWEEP, '--jobs', '2', '--out', j2]);
    expect(r.status, r.stderr).toBe(0);
    expectSameOutputs(j1, j2);
  });

  it('shards 1/2 and 2/2, merged, give the same bytes as the unsharded run', () => {
    const s1 = join(root, 'shard1');
    const s2 = join(root, 'shard2');
    const merged = join(root, 'merged');
    for (const [i, dir] of [
      ['1/2', s1],
      ['2/2', s2],
    ] as const) {
      const r = hvsim([...SWEEP, '--jobs', '2', '--shard', i, '--out', dir]);
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(join(dir, 'runs.csv'))).toBe(false);
      expect(manifestOf(dir).status).toBe('shard');
    }
    expect(listFiles(join(s1, 'runs'))).toHaveLength(13);
    expect(listFiles(join(s2, 'runs'))).toHaveLength(12);

    // Incomplete: one shard alone cannot be merged, and nothing is written.
    const partial = join(root, 'partial');
    const bad = hvsim(['merge', s1, '--out', partial, '--no-report']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/12 of 25 runs are missing/);
    expect(existsSync(partial)).toBe(false);

    const r = hvsim(['merge', s2, s1, '--out', merged, '--no-report']);
    expect(r.status, r.stderr).toBe(0);
    expectSameOutputs(j1, merged);
    expect(manifestOf(merged).sources).toHaveLength(2);
  });

  it('a re-run of a finished sweep reuses every run and writes the same bytes', () => {
    const r = hvsim([...SWEEP, '--jobs', '2', '--out', j1]);
    expect(r.status, r.stderr).toBe(0);
    expect(manifestOf(j1).totals).toMatchObject({ runs: 25, executed: 0, reused: 25 });
    const again = join(root, 'jobs2');
    expectSameOutputs(again, j1);
  });

  it('another --seed changes the results, and does not reuse runs of the old seed', () => {
    const s7 = join(root, 'seed7');
    const r = hvsim([...SWEEP, '--seed', '7', '--out', s7]);
    expect(r.status, r.stderr).toBe(0);
    expect(read(join(s7, 'runs.csv'))).not.toBe(read(join(j1, 'runs.csv')));
    // Merging folders of different sweeps is refused.
    const m = hvsim(['merge', j1, s7, '--out', join(root, 'mixed'), '--no-report']);
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(
      /seed7 is not a shard of the same sweep as .*: masterSeed is 7 there, 1 in the first input/,
    );
    expect(existsSync(join(root, 'mixed'))).toBe(false);
    // Re-running into an old folder with a new seed is refused (nothing touched) unless --force, which
    // removes the old seed's run files and redoes every run.
    const before = listFiles(j1).map((f) => `${f}:${read(join(j1, f))}`);
    const refused = hvsim([...SWEEP, '--seed', '7', '--out', j1]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      `--out ${j1}: holds results of another configuration (seed (1 there, 7 now)); use --force`,
    );
    expect(listFiles(j1).map((f) => `${f}:${read(join(j1, f))}`)).toEqual(before);
    const redo = hvsim([...SWEEP, '--seed', '7', '--force', '--out', j1]);
    expect(redo.status, redo.stderr).toBe(0);
    expect(redo.stderr).toContain(
      `--force: removed 25 run files of another configuration from ${j1} (seed (1 there, 7 now))`,
    );
    expect(manifestOf(j1).totals).toMatchObject({ executed: 25, reused: 0 });
    expectSameOutputs(s7, j1);
  });
});

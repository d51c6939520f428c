// `hvsim estimate`: the list-scheduling arithmetic against hand-computed cases and Graham's bounds
// (sum/m and max ≤ makespan ≤ sum/m + (1 − 1/m)·max), and the wall times it reads against the
// timing.csv the runner writes for the same folder; a sample (some run files only) is filled in with
// each point's mean.
import { cpSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  estimateSweep,
  formatDuration,
  listScheduleMs,
  shardMakespansMs,
  sweepWallTimes,
} from '../../src/cli/commands/estimate.js';
import { hvsim, tempDir } from '../cli/cli-helpers.js';

describe('list scheduling', () => {
  it('hand-computed makespans', () => {
    // 2 threads: 5 → t1, 3 → t2, 2 → t2 (free at 3, ends 5), 4 → t1 (both free at 5, first wins) ends 9
    expect(listScheduleMs([5, 3, 2, 4], 2)).toBe(9);
    expect(listScheduleMs([5, 3, 2, 4], 1)).toBe(14);
    expect(listScheduleMs([5, 3, 2, 4], 4)).toBe(5);
    expect(listScheduleMs([5, 3, 2, 4], 100)).toBe(5);
    expect(listScheduleMs([], 3)).toBe(0);
    // shard i of 2 takes positions i-1, i+1, ...: [5, 2, 1] and [3, 4]
    expect(shardMakespansMs([5, 3, 2, 4, 1], 2, 1)).toEqual([8, 7]);
    expect(shardMakespansMs([5, 3, 2, 4, 1], 5, 1)).toEqual([5, 3, 2, 4, 1]);
  });

  it("stays within Graham's bounds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 16 }),
        (w, m) => {
          const sum = w.reduce((a, b) => a + b, 0);
          const max = Math.max(...w);
          const t = listScheduleMs(w, m);
          expect(t).toBeGreaterThanOrEqual(Math.max(max, sum / m) - 1e-9);
          expect(t).toBeLessThanOrEqual(sum / m + (1 - 1 / m) * max + 1e-9);
        },
      ),
    );
  });

  it('formats durations', () => {
    expect(formatDuration(950)).toBe('0.95 s');
    expect(formatDuration(42_000)).toBe('42.0 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(5_400_000)).toBe('1 h 30 min');
  });
});

describe('estimate from results folders', () => {
  const dir = join(tempDir('estimate'), 'full');
  beforeAll(() => {
    const r = hvsim([
      'run',
      'mm1-validation',
      '--quick',
      '--out',
      dir,
      '--no-report',
      '--progress',
      'none',
      '--jobs',
      '1',
    ]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('reads the wall times timing.csv shows', () => {
    const rows = readFileSync(join(dir, 'timing.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const { wallMs, measured } = sweepWallTimes([dir]);
    expect(measured).toBe(25);
    expect(wallMs).toHaveLength(rows.length);
    wallMs.forEach((w, i) => expect(Math.abs(w - Number(rows[i]?.[3]))).toBeLessThanOrEqual(0.0005 + 1e-9));
    const e = estimateSweep([dir], 4, 1);
    expect(e.totalMs).toBeCloseTo(
      wallMs.reduce((a, b) => a + b, 0),
      9,
    );
    expect(e.oneMachineMs).toBeCloseTo(e.totalMs, 9);
    expect(e.longestTaskMs).toBe(Math.max(...shardMakespansMs(wallMs, 4, 1)));
  });

  it('fills a sample (one shard of five: replication 0 of every point) with its points', () => {
    const full = sweepWallTimes([dir]).wallMs;
    const sample = join(tempDir('estimate'), 'sample');
    cpSync(dir, sample, { recursive: true });
    for (const f of readdirSync(join(sample, 'runs'))) if (!f.endsWith('-0.json')) rmSync(join(sample, 'runs', f));
    const { wallMs, measured } = sweepWallTimes([sample]);
    expect(measured).toBe(5);
    wallMs.forEach((w, i) => expect(w).toBe(full[i - (i % 5)]));
  });

  it('on the command line', () => {
    const r = hvsim(['estimate', dir, '--shards', '4', '--jobs', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mm1-validation: 25 runs, 25 measured; run time in all /);
    expect(r.stdout).toContain('one machine, 2 threads: ');
    expect(r.stdout).toMatch(/4 tasks, 2 threads each: .* \(the longest task\), \d+\.\d× faster/);
    const bad = hvsim(['estimate', dir, '--shards', '26']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--shards 26: value out of range; this sweep has 25 runs');
  });
});

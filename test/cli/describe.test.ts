// `hvsim list` and `hvsim describe` as a new user meets them (issue 7): text that fits a 100-column
// terminal for every registered study, long grids summarised, times with units, `--json` output that
// parses and has the documented fields, and "did you mean" for misspelt study, suite and parameter
// names; suites in list (wrapped, and in --json) and `hvsim describe paper` (text and --json).
import { describe, expect, it } from 'vitest';
import {
  describeGrid,
  type describeJson,
  describeStudy,
  listJson,
  listText,
  TERMINAL_WIDTH,
} from '../../src/cli/describe.js';
import { requireStudy, studies } from '../../src/cli/studies.js';
import { closestName, didYouMean, editDistance } from '../../src/runner/suggest.js';
import { paramSpecOf } from '../../src/runner/params.js';
import type { Study } from '../../src/runner/study.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { paperSuite, suites } from '../../experiments/suites.js';
import type { SuiteJson } from '../../src/cli/describe-suite.js';
import { hvsim, tempDir } from './cli-helpers.js';

const columns = (line: string): number => [...line].length;

describe('describe as text', () => {
  it.each(studies.map((s) => [s.name, s] as const))('%s: no line is longer than 100 columns', (_name, study) => {
    const lines = describeStudy(study);
    const long = lines.filter((l) => columns(l) > TERMINAL_WIDTH);
    expect(long).toEqual([]);
    expect(TERMINAL_WIDTH).toBe(100);
    // Every parameter and measure is still there.
    const text = lines.join('\n');
    for (const name of [...Object.keys(study.params), ...Object.keys(study.measures)]) expect(text).toContain(name);
  });

  it('shows times with units, not bare nanoseconds', () => {
    const text = describeStudy(requireStudy('mm1-validation')).join('\n');
    expect(text).toMatch(/runLengthNs\s+int\s+default 400 s;/);
    expect(text).not.toContain('400000000000');
    expect(text).toMatch(/--quick: .*\n.*warmupNs=2 s, runLengthNs=20 s/);
  });

  it('summarises a long list grid per parameter instead of listing every point', () => {
    const points = Array.from({ length: 200 }, (_, i) => ({
      k: (i % 20) + 1,
      holdOffNs: 1000 * (1 + Math.floor(i / 20)),
    }));
    const study = {
      ...requireStudy('mm1-validation'),
      params: {
        k: { kind: 'int', default: 1, min: 1, max: 100, unit: 'items', doc: 'k' },
        holdOffNs: { kind: 'int', default: 0, min: 0, max: 1e9, unit: 'ns', doc: 'h' },
      },
      grid: { kind: 'list', points },
    } as unknown as Study;
    const grid = describeGrid(study.grid, study);
    expect(grid).toBe(
      '200 listed points (not all combinations), taking ' +
        'k ∈ {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …, 19, 20 items} (20 values); ' +
        'holdOffNs ∈ {1 µs, 2 µs, 3 µs, 4 µs, 5 µs, 6 µs, 7 µs, 8 µs, 9 µs, 10 µs}',
    );
    const lines = describeStudy(study);
    expect(lines.filter((l) => columns(l) > TERMINAL_WIDTH)).toEqual([]);
    // A short list grid still shows its points.
    expect(describeGrid({ kind: 'list', points: [{ k: 2 }, { k: 4, holdOffNs: 2_000_000 }] }, study)).toBe(
      '2 listed points: {k=2 items}; {k=4 items, holdOffNs=2 ms}',
    );
  });

  it('list wraps descriptions under themselves', () => {
    const lines = listText(studies, 60);
    expect(lines.filter((l) => columns(l) > 60)).toEqual([]);
    for (const s of studies) expect(lines.some((l) => l.startsWith(`${s.name} `))).toBe(true);
  });
});

describe('--json', () => {
  it('list --json parses and names every study with version and description', () => {
    const r = hvsim(['list', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout) as ReturnType<typeof listJson> & { suites: unknown };
    expect(parsed.studies).toEqual(listJson(studies).studies);
    expect(parsed.suites).toEqual(
      suites.map((s) => ({ name: s.name, description: s.description, studies: s.members.map((m) => m.study) })),
    );
    expect(parsed.studies.map((s) => s.name)).toEqual(studies.map((s) => s.name));
    for (const s of parsed.studies) expect(Object.keys(s).sort()).toEqual(['description', 'name', 'version']);
  });

  it('describe --json parses and has the documented fields, grids expanded', () => {
    const r = hvsim(['describe', 'bvt-warp', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout) as ReturnType<typeof describeJson>;
    expect(Object.keys(parsed).sort()).toEqual(
      [
        'description',
        'details',
        'grid',
        'masterSeed',
        'measures',
        'name',
        'params',
        'quick',
        'replications',
        'tables',
        'version',
      ].sort(),
    );
    const study = requireStudy('bvt-warp');
    expect(parsed.name).toBe('bvt-warp');
    expect(Object.keys(parsed.params)).toEqual(Object.keys(study.params));
    expect(parsed.params['latWaitMeanNs']).toMatchObject({ kind: 'int', default: 10_000_000, unit: 'ns' });
    expect(parsed.params['latWaitMeanNs']?.allowed).toMatch(/^a time in \[10µs, 10s\]/);
    // bvt-warp's grid: the cartesian product of its axes (schedulers × values of cpuBound), every point listed
    expect(parsed.grid.kind).toBe('cartesian');
    if (study.grid.kind !== 'cartesian') throw new Error('bvt-warp: expected a cartesian grid');
    const count = Object.values(study.grid.axes).reduce((n, values) => n * values.length, 1);
    expect(count).toBeGreaterThan(1);
    expect(parsed.grid.pointCount).toBe(count);
    expect(parsed.grid.points).toHaveLength(count);
    expect(parsed.quick.replications).toBe(study.quickReplications);
    expect(parsed.quick.params).toEqual(study.quickParams);
    expect(Object.keys(parsed.measures)).toEqual(Object.keys(study.measures));
  });
});

describe('did you mean', () => {
  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests the closest name only when it is a likely typo', () => {
    const names = studies.map((s) => s.name);
    expect(closestName('bvt-wrap', names)).toBe('bvt-warp');
    expect(closestName('even-batching', names)).toBe('event-batching');
    expect(closestName('mm1', names)).toBe('mm1-validation'); // unique prefix
    expect(closestName('bvt', names)).toBeUndefined(); // prefix of two
    expect(closestName('completely-different', names)).toBeUndefined();
    expect(closestName('CPUBOUND', ['cpuBound', 'cdfCpuBound'])).toBe('cpuBound');
    expect(didYouMean('lod', ['load', 'serviceMeanNs'])).toBe(" (did you mean 'load'?)");
    expect(didYouMean('zzz', ['load'])).toBe('');
  });

  it('is in the errors for a misspelt study and parameter', () => {
    expect(() => requireStudy('bvt-wrap')).toThrow(
      /^unknown study 'bvt-wrap' \(did you mean 'bvt-warp'\?\); see hvsim list for the studies$/,
    );
    expect(() => paramSpecOf(requireStudy('bvt-warp'), 'cpubound', '--set cpubound=3')).toThrow(
      /--set cpubound=3: unknown parameter 'cpubound' of study bvt-warp \(did you mean 'cpuBound'\?\); parameters: /,
    );
    const r = hvsim(['describe', 'slice-lenght']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("did you mean 'slice-length'?");
    expect(r.stdout).toBe('');
  });

  it('covers the suites too, in describe and run, with one short line (no list of every study)', () => {
    for (const command of ['describe', 'run']) {
      const cwd = tempDir('dym');
      const r = hvsim([command, 'papr'], cwd);
      expect(r.status, command).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        "hvsim: unknown study or suite 'papr' (did you mean 'paper'?); see hvsim list for the studies and suites\n",
      );
      expect(readdirSync(cwd)).toEqual([]);
    }
  });
});

describe('suites in list and describe', () => {
  const text = (lines: readonly string[]): string => lines.join(' ').replace(/\s+/g, ' ');

  it('hvsim list: every line fits 100 columns, the suites wrapped with all their studies', () => {
    const r = hvsim(['list']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => columns(l) > TERMINAL_WIDTH)).toEqual([]);
    const suitesAt = lines.findIndex((l) => l.startsWith('suites ('));
    expect(suitesAt).toBeGreaterThan(0);
    expect(text(lines.slice(suitesAt))).toContain(
      `paper ${paperSuite.description}: ${paperSuite.members.map((m) => m.study).join(', ')}`,
    );
  });

  it('hvsim describe paper: purpose, every study with its description and reason, --full, how to run', () => {
    const r = hvsim(['describe', 'paper']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => columns(l) > TERMINAL_WIDTH)).toEqual([]);
    const all = text(lines);
    expect(all).toContain(`paper (suite of ${paperSuite.members.length} studies): ${paperSuite.description}`);
    for (const [i, m] of paperSuite.members.entries()) {
      expect(all).toContain(`${i + 1}. ${m.study}: ${requireStudy(m.study).description}`);
      expect(all).toContain(`Re-creates: ${m.why}`);
    }
    expect(all).toMatch(/--full: each study at its own defaults, the publication fidelity/);
    for (const c of ['hvsim run paper ', 'hvsim run paper --full ', 'hvsim run paper --dry-run '])
      expect(all).toContain(c);
  });

  it('hvsim describe paper --json: members with run counts that add up, both fidelities, the commands', () => {
    const r = hvsim(['describe', 'paper', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as SuiteJson;
    expect(Object.keys(j).sort()).toEqual(['commands', 'description', 'fidelity', 'kind', 'members', 'name']);
    expect(j.kind).toBe('suite');
    expect(j.members.map((m) => m.study)).toEqual(paperSuite.members.map((m) => m.study));
    const lmbench = requireStudy('lmbench');
    const member = j.members.find((m) => m.study === 'lmbench');
    expect(member?.description).toBe(lmbench.description);
    expect(member?.full.replications).toBe(lmbench.replications);
    for (const m of j.members) {
      expect(m.quick.runs).toBe(m.quick.points * m.quick.replications);
      expect(m.full.runs).toBe(m.full.points * m.full.replications);
    }
    expect(j.fidelity.full.runs).toBe(j.members.reduce((s, m) => s + m.full.runs, 0));
    expect(j.fidelity.quick.folder).toBe(join('results', 'paper-quick'));
    expect(j.commands).toContain('hvsim run paper --full');
  });
});

// hvsim plan and hvsim whatif through the compiled CLI (npm run build first): the goal-seek answer of a
// scenario whose crossing is known by hand (test/scenario/fixtures/hogs-share.yaml: 4), its files and
// chart (schema-valid Vega-Lite), resume, and whatif's CSV columns, values (C/N CPU shares) and charts;
// bad input exits with code 2 and writes nothing. Tiny run lengths: each command takes seconds.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../src/charts/validate.js';
import { WHATIF_COLUMNS } from '../../src/cli/commands/scenario.js';
import { hvsim, listFiles, ROOT, tempDir } from './cli-helpers.js';

const HOGS_SHARE = join(ROOT, 'test/scenario/fixtures/hogs-share.yaml');
const HOGS_WHATIF = join(ROOT, 'test/scenario/fixtures/hogs-whatif.yaml');

function chartErrors(file: string): string[] {
  return validateSpec(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
}

describe('help', () => {
  it('lists plan and whatif and documents their flags', () => {
    const top = hvsim(['--help']);
    for (const c of ['plan', 'whatif']) expect(top.stdout).toMatch(new RegExp(`\\n  ${c}\\b.*\\S`));
    const plan = hvsim(['plan', '--help']);
    expect(plan.status).toBe(0);
    for (const f of ['--set', '--out', '--jobs', '--progress', '--quiet', '--quick'])
      expect(plan.stdout).toMatch(new RegExp(`${f}[^\\n]*\\s{2,}\\S`));
  });
});

describe('hvsim plan', () => {
  it('goal-seeks the known answer (4 hogs), writes the answer, the table and a valid chart, and resumes', () => {
    const out = join(tempDir('plan'), 'out');
    // the range 4..5 (set on the command line) keeps the test short (the search itself is tested in
    // test/scenario/goal-seek.test.ts): 4 holds (1/4 >= 0.22), 5 fails (1/5 < 0.22)
    const narrow = ['--set', 'vary.min=4', '--set', 'vary.max=5'];
    const r = hvsim(['plan', HOGS_SHARE, ...narrow, '--out', out, '--jobs', '1', '--progress', 'none']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'the largest domains[0].count that meets every SLO (CPU share per hog domain >= 0.22) is 4,',
    );
    const answer = readFileSync(join(out, 'answer.txt'), 'utf8');
    expect(r.stdout).toContain(answer.trim());
    const csv = readFileSync(join(out, 'slos.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('value,slo,limit,mean,ciLow,ciHigh,n,missing,holds');
    const rows = csv.slice(1).map((l) => l.split(','));
    // every evaluated value is kept; shares are 1/N exactly; verdicts match 1/N >= 0.22
    for (const row of rows) {
      const n = Number(row[0]);
      expect(Number(row[3])).toBeCloseTo(1 / n, 12);
      expect(row[8]).toBe(String(1 / n >= 0.22));
    }
    expect(rows.map((row) => Number(row[0]))).toEqual([4, 5]);
    const files = listFiles(out);
    expect(files).toContain('charts/goal-seek-0.vl.json');
    expect(files).toContain('charts/goal-seek-0.svg');
    expect(files).toContain('value-4/runs.csv');
    expect(chartErrors(join(out, 'charts/goal-seek-0.vl.json'))).toEqual([]);
    const spec = readFileSync(join(out, 'charts/goal-seek-0.vl.json'), 'utf8');
    expect(spec).toContain('answer: 4');

    const again = hvsim(['plan', HOGS_SHARE, ...narrow, '--out', out, '--jobs', '1', '--progress', 'none']);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('2 already done, nothing to run');
    expect(readFileSync(join(out, 'answer.txt'), 'utf8')).toBe(answer);
  });

  it('a malformed scenario: exit 2, one line naming the path and the rule, nothing written', () => {
    const dir = tempDir('plan-bad');
    const out = join(dir, 'out');
    const file = join(ROOT, 'test/scenario/malformed/rate-negative.yaml');
    const r = hvsim(['plan', file, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`hvsim: ${file}: domains[2].workload.rateHz: must be > 0, got -3`);
    expect(listFiles(dir)).toEqual([]);
  });

  it('refuses a non-empty folder it did not write', () => {
    const out = tempDir('plan-foreign');
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    const r = hvsim(['plan', HOGS_SHARE, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not empty and not a folder written by hvsim plan or whatif');
    expect(listFiles(out)).toEqual(['notes.txt']);
  });
});

describe('hvsim whatif', () => {
  it('compares variants in one table (fixed columns, C/N shares) and one schema-valid chart', () => {
    const out = join(tempDir('whatif'), 'out');
    const r = hvsim([
      'whatif',
      HOGS_WHATIF,
      '--set',
      'host.cpus=2',
      '--set',
      'hypervisor.scheduler=credit host.cpus=2',
      '--out',
      out,
      '--jobs',
      '1',
      '-q',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = readFileSync(join(out, 'whatif.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(WHATIF_COLUMNS.join(','));
    const rows = lines.slice(1).map((l) => l.split(','));
    // 3 variants × (the SLO + the host's CPU headroom)
    expect(rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      ['0', 'base', 'CPU share per hog domain >= 0.3'],
      ['0', 'base', 'host CPU headroom'],
      ['1', 'host.cpus=2', 'CPU share per hog domain >= 0.3'],
      ['1', 'host.cpus=2', 'host CPU headroom'],
      ['2', 'hypervisor.scheduler=credit host.cpus=2', 'CPU share per hog domain >= 0.3'],
      ['2', 'hypervisor.scheduler=credit host.cpus=2', 'host CPU headroom'],
    ]);
    const share = rows.filter((row) => row[2]?.startsWith('CPU share'));
    expect(share.map((row) => Number(row[4]))).toEqual([0.25, 0.5, 0.5]);
    expect(share.map((row) => row[8])).toEqual(['false', 'true', 'true']);
    const headroom = rows.filter((row) => row[2] === 'host CPU headroom');
    expect(headroom.map((row) => Number(row[4]))).toEqual([0, 0, 0]);
    expect(r.stdout).toContain('hypervisor.scheduler=credit host.cpus=2');
    // one chart, a panel per measure, every variant in each
    expect(chartErrors(join(out, 'charts', 'whatif.vl.json'))).toEqual([]);
    const chart = JSON.parse(readFileSync(join(out, 'charts', 'whatif.vl.json'), 'utf8')) as {
      data: { values: { measure: string; variant: string }[] };
    };
    expect(chart.data.values.map((v) => [v.measure, v.variant])).toEqual(
      rows.map((row) => [row[2], `${row[0]}: ${row[1]}`]),
    );
    expect(listFiles(join(out, 'charts'))).toEqual(['whatif.png', 'whatif.svg', 'whatif.vl.json']);
  });

  it('a --set outside the schema: exit 2, the --set named, nothing written', () => {
    const dir = tempDir('whatif-bad');
    const out = join(dir, 'out');
    const r = hvsim(['whatif', HOGS_WHATIF, '--set', 'host.cpus=2', '--set', 'host.nic=10g', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('hvsim: --set host.nic=10g: host.nic: must be an object, got "10g"');
    expect(listFiles(dir)).toEqual([]);
  });
});

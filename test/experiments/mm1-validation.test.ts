// mm1-validation end to end (compiled CLI, --quick): at every load the analytic M/M/1 values
// Wq = ρ/(μ−λ) and L = ρ/(1−ρ) lie inside the simulated 95% confidence intervals; Little's law
// L = λW holds run by run; the chart specs are valid Vega-Lite (validateSpec) and show theory next
// to simulation; report.html is written and its path printed; the console table compares both.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateSpec } from '../../src/charts/index.js';
import { mm1Theory, runMm1 } from '../../experiments/mm1-validation/index.js';
import { hvsim, read, tempDir, type CliResult } from '../cli/cli-helpers.js';

interface Row {
  [column: string]: string;
}

function parseCsv(text: string): Row[] {
  // The columns of these files hold no quotes or commas (numbers, names).
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = (head as string).split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] as string, v])));
}

describe('mm1-validation --quick', () => {
  const out = join(tempDir('mm1'), 'results');
  let result: CliResult;

  beforeAll(() => {
    result = hvsim(['run', 'mm1-validation', '--quick', '--out', out, '--progress', 'plain']);
    expect(result.status, result.stderr).toBe(0);
  });

  it('theory lies inside the 95% CI of the mean wait and mean number in system at each load', () => {
    const summary = parseCsv(read(join(out, 'summary.csv')));
    const loads = [...new Set(summary.map((r) => Number(r['load'])))];
    expect(loads).toEqual([0.1, 0.3, 0.5, 0.7, 0.9]);
    for (const measure of ['waitMeanNs', 'numberInSystemMean'] as const) {
      for (const load of loads) {
        const row = summary.find((r) => r['measure'] === measure && Number(r['load']) === load) as Row;
        const theory = mm1Theory(load, Number(row['serviceMeanNs']))[measure];
        const lo = Number(row['ciLo']);
        const hi = Number(row['ciHi']);
        expect(Number(row['n'])).toBe(5);
        expect(hi - lo).toBeGreaterThan(0);
        expect(theory, `${measure} at load ${load}: theory ${theory} vs CI [${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo);
        expect(theory, `${measure} at load ${load}: theory ${theory} vs CI [${lo}, ${hi}]`).toBeLessThanOrEqual(hi);
      }
    }
  });

  it("Little's law holds in every run (L = λW up to edge effects)", () => {
    for (const r of parseCsv(read(join(out, 'runs.csv')))) {
      const lambdaPerNs = Number(r['load']) / Number(r['serviceMeanNs']);
      const L = Number(r['numberInSystemMean']);
      expect(Math.abs(L - lambdaPerNs * Number(r['sojournMeanNs'])) / L).toBeLessThan(0.05);
    }
  });

  it('chart specs are valid Vega-Lite with a theory layer; report.html is written', () => {
    const charts = readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.vl.json'));
    expect(charts.sort()).toEqual(['number-in-system-vs-load.vl.json', 'wait-vs-load.vl.json']);
    for (const f of charts) {
      const text = read(join(out, 'charts', f));
      expect(validateSpec(JSON.parse(text))).toEqual([]);
      expect(text).toMatch(/theory ρ\/\(/);
      expect(existsSync(join(out, 'charts', f.replace('.vl.json', '.svg')))).toBe(true);
      expect(existsSync(join(out, 'charts', f.replace('.vl.json', '.png')))).toBe(true);
    }
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(result.stdout).toContain(`report: ${join(out, 'report.html')}`);
  });

  it('prints simulated vs analytic at every load', () => {
    expect(result.stdout).toMatch(/load\s+Wq sim \(ms\)\s+Wq theory\s+in CI\s+L sim\s+L theory\s+in CI/);
    expect(result.stdout).toContain('theory inside the 95% CI: Wq at 5/5 loads, L at 5/5 loads');
  });
});

describe('runMm1 (in process)', () => {
  it('is deterministic in (params, seed) and sensitive to the seed', () => {
    const params = { load: 0.7, serviceMeanNs: 1_000_000, warmupNs: 100_000_000, runLengthNs: 1_000_000_000 };
    const a = runMm1(params, { seed: 's', replication: 0, quick: true });
    const b = runMm1(params, { seed: 's', replication: 0, quick: true });
    const c = runMm1(params, { seed: 't', replication: 0, quick: true });
    expect(b).toEqual(a);
    expect(c.measures['waitMeanNs']).not.toBe(a.measures['waitMeanNs']);
    expect(a.events).toBeGreaterThan(0);
    // The distribution table sums to 1 (every instant of the window is at some level).
    const rows = a.tables?.['numberInSystemDistribution'] ?? [];
    const total = rows.reduce((s, r) => s + Number(r['probability']), 0);
    expect(total).toBeCloseTo(1, 12);
  });
});

// CSV outputs, run files and summaries from synthetic runs: exact bytes of runs.csv, summary.csv and
// tables, number formatting (shortest round-trip, NaN), quoting, order independence, run-file round
// trips (including non-finite numbers) and rejection of malformed run files.
import { describe, expect, it } from 'vitest';
import { csvNumber, csvText, csvValue, formatNumber } from '../../src/runner/format.js';
import { runsCsv, summaryCsv, tablesCsv, timingCsv } from '../../src/runner/outputs.js';
import { buildPlan, type Plan } from '../../src/runner/plan.js';
import { parseRun, serializeRun, type RunRecord } from '../../src/runner/run-store.js';
import type { Study } from '../../src/runner/study.js';
import { summarizeRuns } from '../../src/runner/summary.js';

const study: Study = {
  name: 'toy',
  description: 'toy',
  details: '',
  params: {
    mode: { kind: 'string', default: 'a,b', unit: '', doc: 'a string with a comma (must be quoted)' },
    x: { kind: 'float', default: 0.1, unit: '', doc: 'x' },
    warmupNs: { kind: 'int', default: 0, min: 0, unit: 'ns', doc: 'w' },
    runLengthNs: { kind: 'int', default: 10, min: 1, unit: 'ns', doc: 'r' },
  },
  grid: { kind: 'cartesian', axes: { x: [0.1, 0.2] } },
  replications: 2,
  measures: { m: { unit: 'ns', doc: 'm' }, k: { unit: '', doc: 'k' } },
  run: () => ({ measures: { m: 0, k: 0 }, events: 0 }),
  charts: () => [],
};

function fixture(): { plan: Plan; records: Map<string, RunRecord> } {
  const plan = buildPlan(study, {
    points: [0.1, 0.2].map((x) => ({ mode: 'a,b', x, warmupNs: 0, runLengthNs: 10 })),
    replications: 2,
    masterSeed: 1,
    quick: false,
    hvsimVersion: '0.0.0',
  });
  const values: Record<string, [number, number]> = {
    '0-0': [1, 0.1 + 0.2],
    '0-1': [3, NaN],
    '1-0': [1e-7, 2],
    '1-1': [1e21, 4],
  };
  const records = new Map<string, RunRecord>();
  for (const r of plan.runs) {
    const [m, k] = values[r.key] as [number, number];
    records.set(r.key, {
      study: 'toy',
      point: r.point,
      replication: r.replication,
      seed: r.seed,
      configHash: r.configHash,
      params: plan.points[r.point]?.params ?? {},
      measures: { m, k },
      events: 100 + r.point,
      wallMs: 12.5,
      tables: r.key === '0-1' ? {} : { cdf: [{ v: m, label: 'p"q' }, { v: -0 }] },
      finishedAt: '2024-01-01T00:00:00.000Z',
    });
  }
  return { plan, records };
}

describe('CSV outputs', () => {
  it('formats numbers as shortest round-trip decimals', () => {
    expect([0.1 + 0.2, 1e-7, 1e21, 123456789, -0, NaN, Infinity].map(formatNumber)).toEqual([
      '0.30000000000000004',
      '1e-7',
      '1e+21',
      '123456789',
      '0',
      'NaN',
      'Infinity',
    ]);
  });

  it('runs.csv: documented columns, one row per run, no wall time', () => {
    const { plan, records } = fixture();
    expect(runsCsv(study, plan, records)).toBe(
      [
        'point,mode,x,warmupNs,runLengthNs,replication,seed,m,k,events',
        `0,"a,b",0.1,0,10,0,${plan.runs[0]?.seed},1,0.30000000000000004,100`,
        `0,"a,b",0.1,0,10,1,${plan.runs[1]?.seed},3,,100`,
        `1,"a,b",0.2,0,10,0,${plan.runs[2]?.seed},1e-7,2,101`,
        `1,"a,b",0.2,0,10,1,${plan.runs[3]?.seed},1e+21,4,101`,
        '',
      ].join('\n'),
    );
  });

  it('does not depend on the order runs finished in', () => {
    const { plan, records } = fixture();
    const reversed = new Map([...records.entries()].reverse());
    expect(runsCsv(study, plan, reversed)).toBe(runsCsv(study, plan, records));
    const s1 = summaryCsv(study, summarizeRuns(plan, ['m', 'k'], records));
    const s2 = summaryCsv(study, summarizeRuns(plan, ['m', 'k'], reversed));
    expect(s2).toBe(s1);
  });

  it('summary.csv: n counts finite values only; n = 1 has a mean but empty sd and CI (not ± 0)', () => {
    const { plan, records } = fixture();
    const lines = summaryCsv(study, summarizeRuns(plan, ['m', 'k'], records)).split('\n');
    expect(lines[0]).toBe('point,mode,x,warmupNs,runLengthNs,measure,unit,n,mean,sd,ciHalfWidth,ciLo,ciHi');
    // m at point 0: values 1 and 3: mean 2, sd √2, half-width t(0.975, 1)·√2/√2 = 12.706…
    const m0 = (lines[1] as string).split(',');
    expect(m0.slice(6, 10)).toEqual(['m', 'ns', '2', '2']);
    expect(Number(m0[10])).toBeCloseTo(Math.SQRT2, 12);
    expect(Number(m0[11])).toBeCloseTo(12.706204736174698, 9);
    expect(lines[2]).toBe('0,"a,b",0.1,0,10,k,,1,0.30000000000000004,,,,');
  });

  it('tables: point, parameters and replication prepended; union of columns; quoting', () => {
    const { plan, records } = fixture();
    const t = tablesCsv(study, plan, records);
    expect([...t.keys()]).toEqual(['cdf']);
    expect(t.get('cdf')).toBe(
      [
        'point,mode,x,warmupNs,runLengthNs,replication,v,label',
        '0,"a,b",0.1,0,10,0,1,"p""q"',
        '0,"a,b",0.1,0,10,0,0,',
        '1,"a,b",0.2,0,10,0,1e-7,"p""q"',
        '1,"a,b",0.2,0,10,0,0,',
        '1,"a,b",0.2,0,10,1,1e+21,"p""q"',
        '1,"a,b",0.2,0,10,1,0,',
        '',
      ].join('\n'),
    );
  });

  it('timing.csv holds the wall times', () => {
    const { records } = fixture();
    expect(timingCsv([...records.values()]).split('\n')[1]).toMatch(/^0,0,[0-9a-f]+,12\.5,100,8000$/);
  });
});

describe('run files', () => {
  it('round-trip every field, including NaN and infinities', () => {
    const { records } = fixture();
    const rec = {
      ...(records.get('0-1') as RunRecord),
      measures: { m: Infinity, k: NaN },
      tables: { t: [{ a: -Infinity, b: 'NaN' }] },
    };
    const back = parseRun(serializeRun(rec));
    expect(back).not.toBeNull();
    expect(back?.measures.m).toBe(Infinity);
    expect(back?.measures.k).toBeNaN();
    expect(back?.tables).toEqual({ t: [{ a: -Infinity, b: 'NaN' }] });
    expect({ ...back, measures: {}, tables: {} }).toEqual({ ...rec, measures: {}, tables: {} });
  });

  it('malformed or truncated files are rejected', () => {
    const { records } = fixture();
    const text = serializeRun(records.get('0-0') as RunRecord);
    expect(parseRun(text.slice(0, text.length / 2))).toBeNull();
    expect(parseRun('{}')).toBeNull();
    expect(parseRun(text.replace('"hvsim-run/1"', '"hvsim-run/0"'))).toBeNull();
    expect(parseRun(text.replace(/"m": 1/, '"m": "x"'))).toBeNull();
  });
});

describe('CSV cells: no NaN or Infinity, no formulas', () => {
  it('non-finite numbers are empty cells; numbers are never prefixed', () => {
    expect([NaN, Infinity, -Infinity, -1, 0.5].map(csvNumber)).toEqual(['', '', '', '-1', '0.5']);
  });

  it('text that a spreadsheet would evaluate gets a leading apostrophe', () => {
    expect(['=HYPERLINK("x")', '+1', '-cmd', '@SUM(A1)', '\tx', '\rx', 'plain', 'a=b'].map(csvText)).toEqual([
      `'=HYPERLINK("x")`,
      `'+1`,
      `'-cmd`,
      `'@SUM(A1)`,
      `'\tx`,
      `'\rx`,
      'plain',
      'a=b',
    ]);
    expect([true, 3, '=1+1'].map(csvValue)).toEqual(['true', '3', `'=1+1`]);
  });

  it('a summary of zero values is empty except n', () => {
    const { plan, records } = fixture();
    const empty = new Map([...records].map(([k, r]) => [k, { ...r, measures: { m: NaN, k: NaN } }]));
    const lines = summaryCsv(study, summarizeRuns(plan, ['m', 'k'], empty)).split('\n');
    expect(lines[1]).toBe('0,"a,b",0.1,0,10,m,ns,0,,,,,');
    expect(runsCsv(study, plan, empty)).not.toMatch(/NaN|Infinity/);
  });
});

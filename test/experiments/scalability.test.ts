// scalability (the paper's figure 6): checked against arithmetic that does not use the study's code —
// one Xen domain alone on its CPU does all its work but the 20 ms timer handlers (1.75 µs each); native
// processes sharing a CPU switch once per 60 ms quantum, each switch costing the footprint model's
// refill of an evicted 4 MB working set with the native lat_ctx fit, and CPU time is conserved
// (work + switching = CPUs); Xen domains lose c/ctxAllow per shared CPU (pinnedTheory) plus their timer
// handlers; figure6.csv's rows from a hand-made summary; the UDP latency point at its default settings
// (128 domains, 30 s warm-up) against BVT round arithmetic (the busy target waits half a round of its
// CPU's slices, (k − 1)² · ctxAllow / 2k), the idle one far below it, as the paper reports;
// udp-latency.csv's rows from hand-made runs (mean of means, root of mean variance); and a golden output:
// the bytes of runs.csv, summary.csv, tables/figure6.csv and tables/udp-latency.csv of a tiny sweep
// through the compiled CLI (any change to the model,
// the seeds or the CSV format changes them: update the hashes only for an intended change, and say so
// in the commit).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figure6Rows, scalability, ticksIn, udpLatencyRows } from '../../experiments/scalability/index.js';
import { runNativeCpuBound } from '../../experiments/scalability/native.js';
import { evictedSwitchCostNs, pinnedTheory } from '../../experiments/slice-length/setup.js';
import { ContextSwitchModel } from '../../src/models/cpu/context-switch.js';
import { GuestProfile } from '../../src/models/guest/profile.js';
import type { Params, RunRow, StudyData, SummaryRow } from '../../src/runner/study.js';
import { hvsim, tempDir } from '../cli/cli-helpers.js';

const MS = 1_000_000;
const ctx = { seed: 'scal', replication: 0, quick: false };
const short = { warmupNs: 1_000 * MS, runLengthNs: 3_000 * MS };

function params(over: Params): Params {
  const p: Params = {};
  for (const [k, spec] of Object.entries(scalability.params)) p[k] = spec.default;
  return { ...p, ...short, ...over };
}
const run = (over: Params) => scalability.run(params(over), ctx).measures as Record<string, number>;

describe('scalability model against arithmetic', () => {
  it('ticks in a window: at 0, T, 2T … counted when inside [start, end)', () => {
    expect(ticksIn(0, 100 * MS, 20 * MS)).toBe(5);
    expect(ticksIn(10 * MS, 50 * MS, 20 * MS)).toBe(2);
    expect(ticksIn(20 * MS, 40 * MS, 20 * MS)).toBe(1);
    expect(ticksIn(0, 100 * MS, 0)).toBe(0);
  });

  it('xen, one domain: it owns its CPU; the work is all of it but 50 timer handlers of 1.75 µs per second', () => {
    const m = run({ system: 'xen', domains: 1 });
    expect(m['workCpuPerS']).toBeCloseTo(1 - 50 * 1750e-9, 9);
    expect(m['switchesPerS']).toBe(0);
  });

  it('xen, four domains at 5 ms: two per CPU lose c/ctxAllow each, and four domains lose their handlers', () => {
    const p = params({ system: 'xen', domains: 4, ctxAllowNs: 5 * MS });
    const m = run(p);
    const theory = pinnedTheory(4, 2, 5 * MS, evictedSwitchCostNs(p)).guestCpuPerS - 4 * 50 * 1750e-9;
    expect(Math.abs((m['workCpuPerS'] as number) / theory - 1)).toBeLessThan(0.003);
    expect(m['workCpuPerS']).toBeLessThan(2 - 4 * 50 * 1750e-9);
  });

  it('native: one process uses one CPU; two use both, with no switch', () => {
    const one = runNativeCpuBound({ domains: 1, cpus: 2, workingSetBytes: 4 << 20, startJitterNs: 0, ...short }, 's');
    const two = runNativeCpuBound({ domains: 2, cpus: 2, workingSetBytes: 4 << 20, startJitterNs: 0, ...short }, 's');
    expect(one.workCpuPerS).toBe(1);
    expect(two.workCpuPerS).toBe(2);
    expect(two.switchesPerS).toBe(0);
  });

  it('native, two processes per CPU: one switch per 60 ms quantum, each an evicted 4 MB refill (native fit); CPU conserved', () => {
    const r = runNativeCpuBound(
      { domains: 4, cpus: 2, workingSetBytes: 4 << 20, startJitterNs: 10 * MS, ...short },
      'native4',
    );
    const c = new ContextSwitchModel({ profile: new GuestProfile('native').switchProfile }).coldCostNs(4 << 20);
    const q = 60 * MS;
    // per CPU: a quantum of work then a switch, for ever
    expect(Math.abs(r.switchesPerS / (2e9 / (q + c)) - 1)).toBeLessThan(0.02);
    expect(Math.abs(r.switchingFraction / (c / (q + c)) - 1)).toBeLessThan(0.03);
    expect(r.workCpuPerS + 2 * r.switchingFraction).toBeCloseTo(2, 6);
  });
});

describe('UDP ping latency among 128 busy domains (xen-udp, default 30 s warm-up, 20 s of pings)', () => {
  it('busy target ≈ half a round of 64 domains per CPU at 5 ms; the extra idle domain far faster', () => {
    const p: Params = {};
    for (const [k, spec] of Object.entries(scalability.params)) p[k] = spec.default;
    const m = scalability.run({ ...p, system: 'xen-udp', domains: 128, ctxAllowNs: 5 * MS }, ctx).measures as Record<
      string,
      number
    >;
    const k = 64;
    const theoryNs = ((k - 1) ** 2 * 5 * MS) / (2 * k); // 155 ms
    // about 200 pings, s.d. ≈ 90 ms: standard error ≈ 6 ms (4 %)
    expect(Math.abs((m['busyRttMeanNs'] as number) / theoryNs - 1)).toBeLessThan(0.12);
    expect(m['idleRttMeanNs']).toBeLessThan(0.1 * (m['busyRttMeanNs'] as number));
    expect(m['idleRttMeanNs']).toBeGreaterThan(0);
    expect(m['busyRttSdNs']).toBeGreaterThan(0);
    expect(m['idleRttSdNs']).toBeGreaterThan(0);
    // the figure-6 measures do not apply to this point (empty cells)
    expect(m['workCpuPerS']).toBeNaN();
    expect(m['switchesPerS']).toBeNaN();
  });

  it('the figure-6 points leave the RTT measures empty', () => {
    const m = run({ system: 'xen', domains: 2 });
    expect(m['busyRttMeanNs']).toBeNaN();
    expect(m['idleRttSdNs']).toBeNaN();
  });
});

describe('udp-latency.csv rows', () => {
  const udpRun = (point: number, domains: number, replication: number, rtt: number[]): RunRow => ({
    point,
    replication,
    seed: 's',
    params: { system: 'xen-udp', ctxAllowNs: 5 * MS, domains },
    measures: {
      busyRttMeanNs: rtt[0] as number,
      busyRttSdNs: rtt[1] as number,
      idleRttMeanNs: rtt[2] as number,
      idleRttSdNs: rtt[3] as number,
    },
    events: 0,
    wallMs: 0,
  });

  it("the point with most domains; mean of the runs' means, root of their mean variance, in ms", () => {
    const runs: RunRow[] = [
      udpRun(3, 4, 0, [1 * MS, 1 * MS, 1 * MS, 1 * MS]), // fewer domains: ignored
      udpRun(5, 128, 0, [100 * MS, 30 * MS, 4 * MS, 1 * MS]),
      udpRun(5, 128, 1, [200 * MS, 40 * MS, 6 * MS, 7 * MS]),
      udpRun(5, 128, 2, [NaN, NaN, NaN, NaN]), // nothing observed: left out
    ];
    expect(udpLatencyRows({ runs, summary: [], tables: {} })).toEqual([
      { target: 'busy', meanMs: 150, sdMs: Math.sqrt((900 + 1600) / 2) },
      { target: 'idle', meanMs: 5, sdMs: 5 },
    ]);
  });

  it('no xen-udp run: no rows (the table is not written)', () => {
    expect(udpLatencyRows({ runs: [], summary: [], tables: {} })).toEqual([]);
  });
});

describe('figure6.csv rows', () => {
  const row = (point: number, p: Params, mean: number): SummaryRow => ({
    point,
    params: p,
    measure: 'workCpuPerS',
    mean,
    sd: 0,
    halfWidth: 0,
    n: 2,
  });
  const summary = [
    row(0, { system: 'xen', ctxAllowNs: 5 * MS, domains: 1 }, 0.99),
    row(1, { system: 'xen', ctxAllowNs: 5 * MS, domains: 8 }, 1.98),
    row(2, { system: 'native', ctxAllowNs: 5 * MS, domains: 8 }, 1.9),
    row(3, { system: 'native', ctxAllowNs: 5 * MS, domains: 1 }, 0.95),
    row(4, { system: 'xen', ctxAllowNs: 50 * MS, domains: 8 }, 1.5), // no N = 1 reference: left out
  ];
  const data: StudyData = { runs: [], summary, tables: {} };

  it('normalises to N = 1 of the same system and ctxAllow, xen rows first, ctxAllowMs empty for native', () => {
    expect(figure6Rows(data)).toEqual([
      { domains: 1, system: 'xen', ctxAllowMs: 5, relativeThroughput: 1 },
      { domains: 8, system: 'xen', ctxAllowMs: 5, relativeThroughput: 2 },
      { domains: 1, system: 'native', ctxAllowMs: '', relativeThroughput: 1 },
      { domains: 8, system: 'native', ctxAllowMs: '', relativeThroughput: 2 },
    ]);
  });
});

describe('golden output (compiled CLI, tiny sweep)', () => {
  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  const args = [
    ...['run', 'scalability', '--quick', '--set', 'warmupNs=200ms', '--set', 'runLengthNs=500ms'],
    ...['--grid', 'domains=1,4', '--replications', '2', '--no-report', '--progress', 'none', '-q'],
  ];

  // --grid domains=1,4 also moves the xen-udp point to 1 and 4 domains; udp-latency.csv reports the 4
  it('runs.csv, summary.csv and the two tables have the recorded bytes, with 1 and 2 worker threads', () => {
    for (const jobs of ['1', '2']) {
      const out = join(tempDir('scal-golden'), 'r');
      const r = hvsim([...args, '--jobs', jobs, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(join(out, 'tables', 'figure6.csv'), 'utf8').split('\n')[0]).toBe(
        'domains,system,ctxAllowMs,relativeThroughput',
      );
      expect(readFileSync(join(out, 'tables', 'udp-latency.csv'), 'utf8').split('\n')[0]).toBe('target,meanMs,sdMs');
      expect({
        runs: sha(join(out, 'runs.csv')),
        summary: sha(join(out, 'summary.csv')),
        figure6: sha(join(out, 'tables', 'figure6.csv')),
        udpLatency: sha(join(out, 'tables', 'udp-latency.csv')),
      }).toEqual({
        runs: '5bc4c095f81148fc928f984c777bcbc307557a961bd8c543051d850725b2ed7d',
        summary: 'f6c671c4ac6172f1d70e5e6b3814e87a620a2424fe30d7c7eebe445ed09efee0',
        figure6: '305e7181664fac5c9961feab8710b309f9fb07e30e34c98003d85bdc7a65d62f',
        udpLatency: 'ee0478292dfae0c7b113c554d9a70c4a804e8546bea6b3046484f5acf30d59c6',
      });
    }
  });

  it('two shards merged write the same figure6.csv and udp-latency.csv (computed from the merged runs)', () => {
    const dir = tempDir('scal-shards');
    const shards = ['1/2', '2/2'].map((s, i) => {
      const out = join(dir, `s${i + 1}`);
      const r = hvsim([...args, '--shard', s, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      return out;
    });
    const merged = join(dir, 'merged');
    const m = hvsim(['merge', ...shards, '--out', merged, '--no-report']);
    expect(m.status, m.stderr).toBe(0);
    expect(sha(join(merged, 'tables', 'figure6.csv'))).toBe(
      '305e7181664fac5c9961feab8710b309f9fb07e30e34c98003d85bdc7a65d62f',
    );
    expect(sha(join(merged, 'tables', 'udp-latency.csv'))).toBe(
      'ee0478292dfae0c7b113c554d9a70c4a804e8546bea6b3046484f5acf30d59c6',
    );
  });
});

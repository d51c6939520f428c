// The study kit, checked against independent computations: the scheduler registry (names → the
// classes and variants they name; the Host's default), the scenario builder (start times are the
// named streams' draws; free vs calibrated control costs: creating a domain costs dom0 0 or 768 µs),
// the measurement window (differences over the window; CPU time conserved: guests + dom0 + switching
// + idle = window × CPUs), and the queries on results (by hand-made summaries).
import { describe, expect, it } from 'vitest';
import {
  meanCi,
  buildScenario,
  cpuBoundDomains,
  jitteredStartNs,
  MeasurementWindow,
  most,
  relativeToReference,
  countAxis,
  StudyQuery,
  logTimes,
} from '../../src/kit/index.js';
import { BvtScheduler } from '../../src/models/cpu/bvt.js';
import { CreditScheduler } from '../../src/models/cpu/credit.js';
import { createScheduler, isSchedulerName, SCHEDULERS } from '../../src/models/cpu/registry.js';
import { RoundRobinScheduler } from '../../src/models/cpu/round-robin.js';
import { CONTROL_COST_DEFAULTS } from '../../src/models/host/control.js';
import { Host } from '../../src/models/host/host.js';
import { RandomStreams } from '../../src/sim/rng.js';
import { Simulation } from '../../src/sim/simulation.js';
import type { SummaryRow } from '../../src/runner/study.js';

describe('scheduler registry', () => {
  it('names the classes and variants, and gives the Host its default (Xen 1.0 BVT)', () => {
    expect(Object.keys(SCHEDULERS).sort()).toEqual(['bvt-textbook', 'bvt-xen1', 'bvt-xen2', 'credit', 'round-robin']);
    const xen1 = createScheduler('bvt-xen1', { bvt: { ctxAllowNs: 2_000_000 } });
    expect(xen1).toBeInstanceOf(BvtScheduler);
    expect((xen1 as BvtScheduler).variant).toBe('xen1');
    expect((createScheduler('bvt-textbook') as BvtScheduler).variant).toBe('textbook');
    expect(createScheduler('credit')).toBeInstanceOf(CreditScheduler);
    expect(createScheduler('round-robin')).toBeInstanceOf(RoundRobinScheduler);
    const host = new Host(new Simulation());
    expect(host.scheduler).toBeInstanceOf(BvtScheduler);
    expect((host.scheduler as BvtScheduler).variant).toBe('xen1');
    expect(isSchedulerName('credit')).toBe(true);
    expect(isSchedulerName('bvt')).toBe(false);
  });
});

describe('scenario builder', () => {
  it('start times are the named streams’ draws, floored; no draw without jitter', () => {
    const streams = new RandomStreams('s');
    const want = Math.floor(new RandomStreams('s').stream('start/d3').uniform(0, 1e6));
    expect(jitteredStartNs(streams, 'd3', 1e6)).toBe(want);
    expect(jitteredStartNs(streams, 'd4', 0)).toBe(0);
  });

  it('free control costs: creating domains costs dom0 nothing; calibrated: 768 µs each', () => {
    for (const [controlCosts, perDomainNs] of [
      ['free', 0],
      ['calibrated', CONTROL_COST_DEFAULTS.createDomainCostNs],
    ] as const) {
      const sc = buildScenario(1, { scheduler: 'bvt-xen1', controlCosts, timerTickNs: 0 });
      sc.host.control.createDomain({ name: 'a' });
      sc.host.control.createDomain({ name: 'b' });
      sc.sim.run(100_000_000);
      expect(sc.host.dom0.busyNs, controlCosts).toBe(2 * perDomainNs);
    }
  });
});

describe('measurement window', () => {
  it('differences over the window, and CPU time conserved inside it', () => {
    const sc = buildScenario('w', { scheduler: 'credit', controlCosts: 'free', cpus: 2 });
    const guests = cpuBoundDomains(sc, {
      count: 3,
      name: (i) => `g${i}`,
      workingSetBytes: 65_536,
      startJitterNs: 5_000_000,
    });
    const win = new MeasurementWindow(sc.sim, sc.host, { warmupNs: 100_000_000, runLengthNs: 400_000_000 });
    expect(win.measuring).toBe(false);
    win.open();
    expect(win.measuring).toBe(true);
    const before = guests.map((d) => d.busyNs);
    let sampled = -1;
    win.at(200_000_000, () => (sampled = sc.sim.now));
    const acc = win.close();
    expect(sampled).toBe(300_000_000);
    expect(acc.elapsedNs).toBe(500_000_000);
    guests.forEach((d, i) => expect(win.busyNs(d)).toBe(d.busyNs - (before[i] as number)));
    const delta = win.hostDelta();
    expect(delta.busyNs + delta.switchingNs + delta.idleNs).toBe(win.cpuNs);
    expect(win.busySumNs(guests) + win.busyNs(sc.host.dom0)).toBe(delta.busyNs);
  });

  it('logTimes: 1-2-5 offsets up to the end', () => {
    expect(logTimes(1_500_000_000)).toEqual([100e6, 200e6, 500e6, 1e9, 1.5e9]);
  });
});

describe('queries on results', () => {
  const row = (point: number, params: Record<string, number | string>, measure: string, mean: number): SummaryRow => ({
    point,
    params,
    measure,
    mean,
    sd: 0,
    halfWidth: 0,
    n: 1,
  });
  const p0 = { k: 1, h: 'a' };
  const p1 = { k: 4, h: 'a' };
  const summary = [row(1, p1, 'm', 40), row(0, p0, 'm', 10), row(0, p0, 'n', 11), row(1, p1, 'n', 41)];
  const q = new StudyQuery({ runs: [], summary, tables: {} });

  it('points in point order; rows by point, parameters and measure', () => {
    expect(q.points).toEqual([p0, p1]);
    expect(q.at(1, 'n')?.mean).toBe(41);
    expect(q.of(p0, 'm')?.mean).toBe(10);
    expect(q.mean({ k: 4 }, 'm')).toBe(40);
    expect(q.mean({ k: 2 }, 'm')).toBeUndefined();
    expect(q.rows('n').map((r) => r.mean)).toEqual([11, 41]);
    expect(q.distinct<number>('k')).toEqual([1, 4]);
  });

  it('most: the most frequent value, the first seen among equals', () => {
    expect(most([3, 1, 1, 3, 2])).toBe(3);
    expect(most([])).toBeUndefined();
  });
});

describe('relativeToReference', () => {
  const row = (domains: number, a: number, mean: number, n = 2): SummaryRow => ({
    point: domains,
    params: { domains, a },
    measure: 'x',
    mean,
    sd: mean / 10,
    halfWidth: mean / 5,
    n,
  });

  it('divides each row by the row at the reference value with the same other parameters', () => {
    // a = 5: reference 0.5 → 1 / 0.5 = 2; a = 50: reference 2 → 3 / 2 = 1.5; a = 7 has no reference
    const rel = relativeToReference([row(1, 5, 0.5), row(2, 5, 1), row(1, 50, 2), row(4, 50, 3), row(8, 7, 1)], {
      param: 'domains',
      reference: 1,
      as: 'rel',
    });
    expect(rel.map((r) => [r.params['domains'], r.params['a'], r.measure, r.mean])).toEqual([
      [1, 5, 'rel', 1],
      [2, 5, 'rel', 2],
      [1, 50, 'rel', 1],
      [4, 50, 'rel', 1.5],
    ]);
    // sd and half-width scale by the same factor: 1/0.5 and 3/2
    expect(rel[1]?.sd).toBeCloseTo(0.2, 12);
    expect(rel[3]?.halfWidth).toBeCloseTo(0.3, 12);
  });

  it('leaves out rows whose reference is not positive', () => {
    expect(relativeToReference([row(1, 5, 0), row(2, 5, 1)], { param: 'domains', reference: 1, as: 'r' })).toEqual([]);
  });
});

describe('countAxis', () => {
  it('is a log axis only for two or more values starting above 0', () => {
    expect(countAxis([1, 2, 8], 'domains')).toEqual({ xTitle: 'domains (log scale)', xScale: 'log' });
    expect(countAxis([0, 2, 8], 'domains')).toEqual({ xTitle: 'domains', xScale: 'linear' });
    expect(countAxis([4], 'domains')).toEqual({ xTitle: 'domains', xScale: 'linear' });
  });
});

describe('meanCi', () => {
  it('gives "mean ± half-width" with two or more replications and the mean alone with one (no "± 0")', () => {
    expect(meanCi({ mean: 2.5e6, halfWidth: 1.25e5, n: 5 }, 1e-6)).toBe('2.5 ± 0.13');
    expect(meanCi({ mean: 2.5e6, halfWidth: 0, n: 1 }, 1e-6)).toBe('2.5');
  });
});

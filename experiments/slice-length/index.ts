// Study slice-length: what the BVT context-switch allowance ("the 5 ms time slice") costs and buys.
// ctxAllow is swept from 1 ms to 100 ms (1-2-5 steps) with 1 to 128 CPU-bound domains on one CPU:
// context-switch rate, the fraction of the CPU lost to switching (direct cost + cache refill), the CPU
// time delivered to the domains per second, and how long a runnable domain waits between its runs.
//
// Model. One PCPU, domain 0 (timer events only) and `domains` CPU-bound guests (cpuBoundWorkload:
// never block), all with the default BVT weight (mcuAdvance 10), under BVT (`bvtVariant`: Xen 1.0 by
// default) with ctxAllow = ctxAllowNs. With two or more runnable domains of equal weight Xen 1.0 BVT
// gives each dispatch a slice of ctxAllow plus a few ns (r_time = Δevt/mcu_advance + ctx_allow), so
// the domains take turns of about ctxAllow; a domain alone gets 10 × ctxAllow. The host sends every
// domain a timer event every 20 ms (1.75 µs handler), which also wakes domain 0.
// Context switches cost the calibrated model (context-switch.ts): 1.97 µs direct + a cache refill that
// grows with the working set (`workingSetBytes`, default 64 KB = lmbench's largest Table 3 column) and
// with how much other domains ran since: 28.7 µs with the 64 KB evicted. Domain creation is free
// (control cost 0) so domain 0 does not compete for CPU with its creation work.
//
// Measures (window [warmupNs, warmupNs + runLengthNs)): switches per second (host.onSwitch), the
// switching fraction (host CPU accounting: time in the "switching" phase / elapsed), the mean cost of
// a switch (sum of the costs reported by onSwitch / switches — an independent path to the same
// number: switchingFraction ≈ switchesPerS × meanSwitchCostNs), the CPU time delivered to the guests
// per second (their timer handlers included), and the mean time a guest waits from leaving the CPU
// still runnable to its next dispatch.
// Theory drawn on the charts (N ≥ 2 equal-weight domains): one switch per ctxAllow → rate 1/ctxAllow;
// lost fraction c/ctxAllow and delivered CPU 1 − c/ctxAllow with c the cost of a switch to a domain
// whose cache was evicted (28.7 µs at 64 KB; away times ≥ 1 ms ≫ the 214 µs eviction constant);
// wait between runs (N − 1)·ctxAllow (round robin of N equal shares). Domain 0's timer events add up to
// two switches per 20 ms on top, which is what the 1-domain line shows.
// Randomness: only the start times of the domains, uniform in [0, startJitterNs) (streams start/d<i>).
// Defaults: warm-up 15 s, 30 s runs, 3 replications, 7 × 5 points. The warm-up must cover the first
// round of all domains: at start every vCPU is woken at t = 0 with the same virtual time and BVT breaks
// ties by queue order, so domain 0 (woken first, hence queued last) waits for a whole round (up to
// 128 × 100 ms = 12.8 s) before its first run; the window holds two rounds or more.
// --quick: ctxAllow 1, 5, 50 ms; 1, 8, 128 domains; 2 replications; 7 s warm-up, 10 s runs.
import type { Params } from '../../src/runner/study.js';
import { ContextSwitchModel } from '../../src/models/cpu/context-switch.js';
import type { Vcpu } from '../../src/models/host/vcpu.js';
import { buildScenario, cpuBoundDomains, defineStudy, MeasurementWindow } from '../../src/kit/index.js';
import { sliceLengthCharts, sliceLengthConsoleTable, sliceLengthReportSummary } from './charts.js';
export { sliceLengthCharts, sliceLengthConsoleTable, sliceLengthReportSummary } from './charts.js';

export const MS = 1_000_000;
const CTX_ALLOWS = [1, 2, 5, 10, 20, 50, 100].map((x) => x * MS);
const DOMAIN_COUNTS = [1, 2, 8, 32, 128];

export const SLICE_LENGTH_MEASURES = {
  switchesPerS: { unit: '1/s', doc: 'context switches per second (dispatches of a vCPU other than the last one on the CPU)' },
  switchingFraction: { unit: '', doc: 'fraction of the CPU spent switching (host accounting: switching time / elapsed)' },
  meanSwitchCostNs: { unit: 'ns', doc: 'mean cost of a switch (direct + cache refill), from the costs reported at each switch' },
  guestCpuPerS: { unit: 's/s', doc: 'CPU time delivered to the guest domains per second of elapsed time (useful throughput)' },
  dom0CpuFraction: { unit: '', doc: 'fraction of the CPU used by domain 0 (its timer events)' },
  waitBetweenRunsMeanNs: { unit: 'ns', doc: 'mean time from a guest leaving the CPU runnable to its next dispatch' },
} as const;

/** Cost of a switch to a domain whose cache was evicted (the theory's c). */
export function evictedSwitchCostNs(params: Params): number {
  return new ContextSwitchModel().costNs(Number(params['workingSetBytes']), 0, true);
}

export const sliceLength = defineStudy({
  name: 'slice-length',
  version: 1,
  description: 'BVT context-switch allowance 1-100 ms with 1-128 CPU-bound domains: switch rate, CPU lost to switching, useful throughput',
  details: [
    'Model: one CPU; `domains` CPU-bound guests of equal weight under BVT (bvtVariant, Xen 1.0 by default) with',
    'ctxAllow = ctxAllowNs; domain 0 with the 20 ms timer events; context switches cost the calibrated model',
    '(1.97 µs + cache refill of workingSetBytes, 28.7 µs when 64 KB are evicted). Domain creation is free.',
    'Only randomness: domain start times uniform in [0, startJitterNs) (streams start/d<i>).',
    'Columns of runs.csv: switchesPerS, switchingFraction (host accounting), meanSwitchCostNs (from the costs',
    'reported at each switch), guestCpuPerS (CPU-s delivered to the guests per s), dom0CpuFraction,',
    'waitBetweenRunsMeanNs (runnable guest leaving the CPU → its next dispatch).',
    'Charts (x = ctxAllow in ms, log; one line per domain count) with theory for N ≥ 2 equal domains:',
    'switches/s vs 1/ctxAllow; CPU % lost vs c/ctxAllow; guest CPU per s vs 1 − c/ctxAllow; wait between runs',
    'vs (N − 1)·ctxAllow. c = the cost of a switch with the cache evicted.',
  ].join('\n'),
  params: {
    ctxAllowNs: { kind: 'int', default: 5_000_000, min: 100_000, max: 1_000_000_000, unit: 'ns', doc: 'BVT context-switch allowance (Xen 1.0 default 5 ms)' },
    domains: { kind: 'int', default: 8, min: 1, max: 512, unit: 'domains', doc: 'CPU-bound guest domains (equal weights)' },
    bvtVariant: { kind: 'enum', default: 'xen1', values: ['xen1', 'textbook'], unit: '', doc: 'BVT variant: xen1 (Xen 1.0) or textbook (Xen 2.0 / Duda & Cheriton)' },
    workingSetBytes: {
      kind: 'int',
      default: 65_536,
      min: 0,
      max: 1 << 30,
      unit: 'bytes',
      doc: 'working set of each guest for the cache-refill part of a switch (64 KB: Table 3 column)',
    },
    startJitterNs: { kind: 'int', default: 10_000_000, min: 0, max: 10_000_000_000, unit: 'ns', doc: 'domains start at uniform times in [0, jitter)' },
    warmupNs: {
      kind: 'int',
      default: 15_000_000_000,
      min: 0,
      max: 1_000_000_000_000,
      unit: 'ns',
      doc: 'warm-up: longer than one round of all domains (128 × 100 ms = 12.8 s)',
    },
    runLengthNs: { kind: 'int', default: 30_000_000_000, min: 1_000_000, max: 10_000_000_000_000, unit: 'ns', doc: 'measured window (≥ 2 rounds at 128 × 100 ms)' },
  },
  grid: { kind: 'cartesian', axes: { domains: DOMAIN_COUNTS, ctxAllowNs: CTX_ALLOWS } },
  quickGrid: { kind: 'cartesian', axes: { domains: [1, 8, 128], ctxAllowNs: [1, 5, 50].map((x) => x * MS) } },
  replications: 3,
  quickReplications: 2,
  quickParams: { warmupNs: 7_000_000_000, runLengthNs: 10_000_000_000 },
  measures: SLICE_LENGTH_MEASURES,
  run(p, ctx) {
    const scheduler = p.bvtVariant === 'xen1' ? 'bvt-xen1' : 'bvt-textbook';
    const sc = buildScenario(ctx.seed, { scheduler, tuning: { bvt: { ctxAllowNs: p.ctxAllowNs } }, controlCosts: 'free' });
    const { host } = sc;
    const guests = cpuBoundDomains(sc, { count: p.domains, name: (i) => `d${i}`, workingSetBytes: p.workingSetBytes, startJitterNs: p.startJitterNs });
    const win = new MeasurementWindow(sc.sim, host, p);
    let switches = 0;
    let switchCostNs = 0;
    host.onSwitch.add((_cpu, _from, _to, costNs) => {
      if (!win.measuring) return;
      switches++;
      switchCostNs += costNs;
    });
    // wait between runs: a guest leaves the CPU runnable at t0, is dispatched again at t1
    const leftAt = new Map<Vcpu, number>();
    let waitSumNs = 0;
    let waits = 0;
    host.onDeschedule.add((_cpu, v, _ran, now) => {
      if (v.domain.isDom0) return;
      if (v.state === 'runnable') leftAt.set(v, now);
      else leftAt.delete(v);
    });
    host.onDispatch.add((_cpu, v, _slice, now) => {
      if (v === null) return;
      const t0 = leftAt.get(v);
      if (t0 === undefined) return;
      leftAt.delete(v);
      if (win.measuring) {
        waitSumNs += now - t0;
        waits++;
      }
    });
    win.open();
    win.close();
    return {
      measures: {
        switchesPerS: (switches * 1e9) / p.runLengthNs,
        switchingFraction: win.hostDelta().switchingNs / win.cpuNs,
        meanSwitchCostNs: switches > 0 ? switchCostNs / switches : NaN,
        guestCpuPerS: win.busySumNs(guests) / p.runLengthNs,
        dom0CpuFraction: win.busyNs(host.dom0) / win.cpuNs,
        waitBetweenRunsMeanNs: waits > 0 ? waitSumNs / waits : NaN,
      },
      events: sc.sim.eventsProcessed,
    };
  },
  charts: sliceLengthCharts,
  consoleTable: sliceLengthConsoleTable,
  reportSummary: sliceLengthReportSummary,
});

export const runSliceLength = sliceLength.run;

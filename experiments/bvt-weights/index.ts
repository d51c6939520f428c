// Study bvt-weights: proportional share of the CPU among CPU-bound domains with different weights —
// the "8(diff)" configuration: 8 domains with weights 1..8 on one CPU — under BVT (Xen 1.0, and the
// textbook variant) and under Credit, measured against the ideal share w_i / Σw.
//
// Model. One PCPU (the paper's single-CPU runs, calibration.md), domain 0 (idle apart from its timer
// events) and `domains` guest domains, each running a pure CPU-bound workload (cpuBoundWorkload:
// SPEC CINT2000-like, never blocks). Domain i (i = 1..domains) has weight w_i = i:
//   - BVT: mcuAdvance_i = round(mcuAdvanceBase / i) — BVT's inverse weight (calibration.md: Xen's
//     mcu_advance); the default base 840 = lcm(1..8) makes every mcuAdvance an exact integer, so the
//     effective weights 1/mcuAdvance_i are exactly proportional to 1..8.
//   - Credit: weight_i = creditWeightUnit · i (default unit 256 = Credit's default weight,
//     calibration.md "Later Xen schedulers").
// The ideal share of domain i is (1/mcuAdvance_i)/Σ_j(1/mcuAdvance_j) under BVT and weight_i/Σweight
// under Credit; with the defaults both equal w_i/Σw = i/36.
// Other model settings: BVT ctxAllow `ctxAllowNs` (5 ms, calibration.md), MCU 100 µs; Credit with its
// Xen 3.4 defaults (30 ms slice, 10 ms tick, BOOST, no rate limit); the host's 20 ms timer event to every
// domain (1.75 µs handler, host.ts); context-switch cost from the calibrated model (context-switch.ts)
// with every guest's working set `workingSetBytes` (64 KB: the largest lmbench column of Table 3).
// Domains are created at t = 0 with the control-plane cost of creation set to 0: creating them is not
// what this study measures, and dom0 would otherwise spend ~0.8 ms of CPU per domain in the window.
//
// Randomness: the workloads are deterministic; the only random input is each domain's start time,
// uniform in [0, startJitterNs) (stream `start/w<i>`), so replications differ in the phase of the
// schedule and the confidence intervals measure that sensitivity.
//
// Measurement: CPU time received by each guest domain between warmupNs and warmupNs + runLengthNs;
// share_i = CPU_i / Σ_guests CPU. Also sampled at 1-2-5 times after the warm-up (cumulative shares) for
// the convergence table.
//
// Defaults: warm-up 1 s, run length 60 s, 5 replications: BVT's cumulative error falls roughly as
// (one slice)/(window), so 60 s is long enough for the 1 % criterion at the smallest share (1/36);
// the whole default sweep (3 schedulers × 5 replications) takes a few seconds.
// --quick: 10 s runs, 3 replications.
import type { ParamsOf, TableRow } from '../../src/runner/study.js';
import {
  buildScenario,
  cpuBoundDomains,
  defineStudy,
  logTimes,
  MeasurementWindow,
  shareErrors,
} from '../../src/kit/index.js';
import { bvtWeightsCharts, bvtWeightsConsoleTable, bvtWeightsReportSummary } from './charts.js';
import {
  BVT_WEIGHTS_MEASURES,
  BVT_WEIGHTS_TABLES,
  MAX_DOMAINS,
  PARAMS,
  REGISTRY_NAME,
  WEIGHT_SCHEDULERS,
} from './params.js';
export { bvtWeightsCharts, bvtWeightsConsoleTable, bvtWeightsReportSummary } from './charts.js';
export {
  BVT_WEIGHTS_MEASURES,
  MAX_DOMAINS,
  SCHEDULER_LABEL,
  WEIGHT_SCHEDULERS,
  type WeightScheduler,
} from './params.js';

type P = ParamsOf<typeof PARAMS>;

/** Weights 1..n and what each scheduler is given. */
export function domainSettings(p: Pick<P, 'domains' | 'mcuAdvanceBase' | 'creditWeightUnit' | 'scheduler'>) {
  const rows = [];
  for (let w = 1; w <= p.domains; w++)
    rows.push({
      weight: w,
      mcuAdvance: Math.max(1, Math.round(p.mcuAdvanceBase / w)),
      creditWeight: p.creditWeightUnit * w,
    });
  const bvtTotal = rows.reduce((a, r) => a + 1 / r.mcuAdvance, 0);
  const creditTotal = rows.reduce((a, r) => a + r.creditWeight, 0);
  return rows.map((r) => ({
    ...r,
    ideal: p.scheduler === 'credit' ? r.creditWeight / creditTotal : 1 / r.mcuAdvance / bvtTotal,
  }));
}

export const bvtWeights = defineStudy({
  name: 'bvt-weights',
  // 2: context switches cost the footprint model (2102 ns direct), Credit follows Xen 3.4 (no rate limit)
  version: 3,
  description:
    'Proportional share: 8 CPU-bound domains with weights 1..8 under BVT (Xen 1.0, textbook) and Credit, measured vs ideal w/Σw',
  details: [
    'Model: one CPU; `domains` CPU-bound guest domains (never block), domain i has weight i. BVT gets',
    'mcuAdvance_i = round(mcuAdvanceBase / i) (inverse weight; 840 = lcm(1..8) keeps them exact), Credit gets',
    'weight_i = creditWeightUnit · i. Ideal share = w_i/Σw (BVT: (1/mcuAdvance_i)/Σ(1/mcuAdvance_j)). BVT: Xen 1.0',
    '(variant xen1, domains pinned) or textbook (the BVT paper, Duda & Cheriton 1999), ctxAllow = ctxAllowNs, MCU 100 µs.',
    'Credit: Xen 3.4 defaults (30 ms slice, 10 ms tick, BOOST, no rate limit). Domain 0 is present (timer events only), the host',
    'sends every domain a 20 ms timer event, and switches cost the calibrated context-switch model with every',
    'guest working set = workingSetBytes. Domain creation is free (control cost 0). The only randomness is each',
    "domain's start time, uniform in [0, startJitterNs) (stream start/w<i>). Shares are CPU time in",
    "[warmupNs, warmupNs + runLengthNs) divided by the guests' total.",
    'Columns of runs.csv: share1..share8 (NaN beyond `domains`), maxRelErrorPct, meanAbsRelErrorPct, jainIndex,',
    'guestCpuFraction, switchesPerS (see Measures).',
    'Charts: share vs weight with the ideal line; relative error per domain; measured/ideal grouped bars;',
    'convergence of the cumulative error with measured time (log-log).',
  ].join('\n'),
  params: PARAMS,
  grid: { kind: 'cartesian', axes: { scheduler: [...WEIGHT_SCHEDULERS] } },
  replications: 5,
  quickReplications: 3,
  quickParams: { runLengthNs: 10_000_000_000 },
  measures: BVT_WEIGHTS_MEASURES,
  check: (p) =>
    p.startJitterNs >= p.warmupNs + p.runLengthNs
      ? `startJitterNs (${p.startJitterNs}) must be below warmupNs + runLengthNs (${p.warmupNs + p.runLengthNs}): a domain starting after the window has no share`
      : undefined,
  // The context-switch refill cost is calibrated on lmbench's 0, 16 and 64 KB columns (Table 3).
  calibrationNote: (p) =>
    p.workingSetBytes > 65_536
      ? `workingSetBytes ${p.workingSetBytes} is above the largest calibrated working set (64 KB, lmbench column of Table 3); the context-switch cost is extrapolated`
      : undefined,
  tables: BVT_WEIGHTS_TABLES,
  run(p, ctx) {
    const settings = domainSettings(p);
    const sc = buildScenario(ctx.seed, {
      scheduler: REGISTRY_NAME[p.scheduler],
      tuning: { bvt: { ctxAllowNs: p.ctxAllowNs } },
      controlCosts: 'free',
    });
    const doms = cpuBoundDomains(sc, {
      count: settings.length,
      name: (i) => `w${i + 1}`,
      workingSetBytes: p.workingSetBytes,
      startJitterNs: p.startJitterNs,
      sched: (i) => ({ mcuAdvance: settings[i]?.mcuAdvance, weight: settings[i]?.creditWeight }),
    });
    const win = new MeasurementWindow(sc.sim, sc.host, p);
    let switches = 0;
    sc.host.onSwitch.add(() => {
      if (win.measuring) switches++;
    });
    const ideals = settings.map((s) => s.ideal);
    win.open();
    const convergence: TableRow[] = [];
    const sample = (t: number) => () =>
      convergence.push({ elapsedS: t / 1e9, maxRelErrorPctNow: shareErrors(win.sharesOf(doms), ideals).maxPct });
    for (const t of logTimes(p.runLengthNs).slice(0, -1)) win.at(t, sample(t));
    win.close();
    sample(p.runLengthNs)();
    const shares = win.sharesOf(doms);
    const e = shareErrors(shares, ideals);
    const shareValues: Record<`share${number}`, number> = {};
    for (let i = 1; i <= MAX_DOMAINS; i++) shareValues[`share${i}`] = shares[i - 1] ?? NaN;
    const measures = {
      ...shareValues,
      maxRelErrorPct: e.maxPct,
      meanAbsRelErrorPct: e.meanAbsPct,
      jainIndex: e.jain,
      guestCpuFraction: win.busySumNs(doms) / win.cpuNs,
      switchesPerS: (switches * 1e9) / p.runLengthNs,
    };
    const sharesTable: TableRow[] = settings.map((s, i) => ({
      domain: `w${s.weight}`,
      domainWeight: s.weight,
      mcuAdvance: s.mcuAdvance,
      creditWeight: s.creditWeight,
      idealShare: s.ideal,
      measuredShare: shares[i] as number,
      relErrorPct: 100 * ((shares[i] as number) / s.ideal - 1),
    }));
    return { measures, events: sc.sim.eventsProcessed, tables: { shares: sharesTable, convergence } };
  },
  charts: bvtWeightsCharts,
  consoleTable: bvtWeightsConsoleTable,
  reportSummary: bvtWeightsReportSummary,
});

export const runBvtWeights = bvtWeights.run;

// Study slice-length: the paper's scalability setup (SOSP 2003 §4.4, Scalability: SPEC CINT2000
// CPU-bound domains, 1 to 128 of them, on two CPUs) with the BVT context-switch allowance ("the time
// slice") at 5 ms and 50 ms: aggregate throughput (guest CPU per second, and relative to one domain)
// against the number of domains, what switching costs (fraction of the CPU, mean cost of a switch), the
// switch rate and how long a runnable domain waits between its runs.
//
// Model. `cpus` PCPUs (default 2, the paper's dual-Xeon runs), domain 0 (timer events only) and
// `domains` CPU-bound guests (cpuBoundWorkload: never block) of equal weight (mcuAdvance 10) under BVT
// (`bvtVariant`, Xen 1.0 by default) with ctxAllow = ctxAllowNs. Xen 1.0 and 2.0 pin: each domain runs
// on the CPU it was placed on at creation (least-loaded placement: with domain 0 on CPU 0, guest i goes
// to CPU (i + 1) mod 2, as Xen 1.0's dom % smp_num_cpus) and never migrates; the textbook variant
// migrates to idle CPUs (idle-steal). With two or more runnable domains of equal weight on a CPU,
// Xen 1.0 BVT gives each dispatch a slice of ctxAllow plus a few ns, so the domains of a CPU take turns
// of about ctxAllow; a domain alone on its CPU gets 10 × ctxAllow. The host sends every domain a timer
// event every 20 ms (1.75 µs handler), which also wakes domain 0 (Xen 2.0: 10 ms VIRQ_TIMER to the
// running domain only).
// Context switches cost the footprint model (context-switch.ts, cache/footprint.ts, fitted to lmbench
// lat_ctx): 2.1 µs direct + the TLB refill + the lines of the working set that the domains which ran in
// between evicted. Working set: `workingSetBytes`, default 4 MB — an ASSUMPTION: SPEC CINT2000's
// resident sets are several MB (most of its benchmarks use tens to hundreds of MB, far above the Xeon's
// 512 KB L2), and the footprint model costs about the same for every working set above ~0.73 × L2
// (≈ 374 KB: a domain keeps at most about 56 % of L2 resident, so a switch refills at most that), so
// the result does not depend on the exact size: ≈ 127 µs per switch to a domain whose cache was evicted.
// Domain creation is free (control cost 0), so domain 0 does not compete for CPU with its creation work.
// Nothing is fitted to the paper's scalability figure: its curves are a prediction the charts can be compared with.
//
// Measures (window [warmupNs, warmupNs + runLengthNs)): switches per second (host.onSwitch), the
// switching fraction (host CPU accounting: time in the "switching" phase / (elapsed × CPUs)), the mean
// cost of a switch (sum of the costs reported by onSwitch / switches — an independent path to the same
// number: switchingFraction ≈ switchesPerS × meanSwitchCostNs / CPUs), the CPU time delivered to the
// guests per second (aggregate throughput, their timer handlers included; at most `cpus`), and the mean
// time a guest waits from leaving the CPU still runnable to its next dispatch. The charts also show the
// throughput relative to one domain (the mean at N divided by the mean at N = 1, same ctxAllow).
// Theory drawn on the charts: CPU k holding n_k guests delivers 1 if n_k = 1 and 1 − c/ctxAllow if
// n_k ≥ 2 (one switch per ctxAllow, each costing c = the switch to an evicted cache); switching loss
// Σ_k [n_k ≥ 2] · c/ctxAllow / CPUs; wait between runs (n_k − 1)·ctxAllow. Domain 0's timer events add a
// few switches per second on CPU 0.
// Randomness: only the start times of the domains, uniform in [0, startJitterNs) (streams start/d<i>).
// Defaults: warm-up 8 s, 20 s runs, 3 replications, 2 × 8 points (N = 1, 2, 4 … 128; ctxAllow 5 and
// 50 ms). The warm-up must cover the first round of all domains: at start every vCPU is woken at t = 0
// with the same virtual time and BVT breaks ties by queue order, so the last of a CPU's domains waits
// for a whole round (64 × 50 ms = 3.2 s on two CPUs) before its first run; the window holds several
// rounds. --quick: ctxAllow 5 and 50 ms; 1, 2 and 8 domains; 2 replications; 1 s warm-up, 2 s runs.
import type { Params } from '../../src/runner/study.js';
import { ContextSwitchModel } from '../../src/models/cpu/context-switch.js';
import type { Vcpu } from '../../src/models/host/vcpu.js';
import {
  buildScenario,
  cpuBoundDomains,
  defineStudy,
  MeasurementWindow,
  type SchedulerName,
} from '../../src/kit/index.js';
import { sliceLengthCharts, sliceLengthConsoleTable, sliceLengthReportSummary } from './charts.js';
export { sliceLengthCharts, sliceLengthConsoleTable, sliceLengthReportSummary } from './charts.js';

export const MS = 1_000_000;
const MB = 1 << 20;
const CTX_ALLOWS = [5, 50].map((x) => x * MS);
const DOMAIN_COUNTS = [1, 2, 4, 8, 16, 32, 64, 128];

const BVT_VARIANTS = ['xen1', 'xen2', 'textbook'] as const;
const REGISTRY_NAME: Record<(typeof BVT_VARIANTS)[number], SchedulerName> = {
  xen1: 'bvt-xen1',
  xen2: 'bvt-xen2',
  textbook: 'bvt-textbook',
};

export const SLICE_LENGTH_MEASURES = {
  guestCpuPerS: {
    unit: 's/s',
    doc: 'aggregate throughput: CPU time delivered to the guest domains per second of elapsed time (at most `cpus`)',
  },
  switchingFraction: {
    unit: '',
    doc: 'fraction of the CPUs spent switching (host accounting: switching time / (elapsed × CPUs))',
  },
  meanSwitchCostNs: {
    unit: 'ns',
    doc: 'mean cost of a switch (direct + TLB + cache refill), from the costs reported at each switch',
  },
  switchesPerS: {
    unit: '1/s',
    doc: 'context switches per second, all CPUs (dispatches of a vCPU other than the last one on its CPU)',
  },
  dom0CpuFraction: { unit: '', doc: 'fraction of the CPUs used by domain 0 (its timer events)' },
  waitBetweenRunsMeanNs: { unit: 'ns', doc: 'mean time from a guest leaving the CPU runnable to its next dispatch' },
} as const;

/** Cost of a switch to a domain whose cache was evicted (the theory's c). */
export function evictedSwitchCostNs(params: Params): number {
  return new ContextSwitchModel().costNs(Number(params['workingSetBytes']), 0, true);
}

/**
 * Guests per CPU when `domains` guests are pinned as the host places them: domain 0 first on CPU 0, then
 * least-loaded (ties to the lowest index), i.e. guest i on CPU (i + 1) mod cpus.
 */
export function guestsPerCpu(domains: number, cpus: number): number[] {
  const n = Array.from({ length: cpus }, () => 0);
  for (let i = 0; i < domains; i++) n[(i + 1) % cpus] = (n[(i + 1) % cpus] as number) + 1;
  return n;
}

/** Theory (pinned domains, equal weights): aggregate guest CPU per second and the switching fraction. */
export function pinnedTheory(domains: number, cpus: number, ctxAllowNs: number, switchCostNs: number) {
  let throughput = 0;
  let lost = 0;
  for (const n of guestsPerCpu(domains, cpus)) {
    if (n === 0) continue;
    const f = n >= 2 ? switchCostNs / ctxAllowNs : 0;
    throughput += 1 - f;
    lost += f;
  }
  return { guestCpuPerS: throughput, switchingFraction: lost / cpus };
}

export const sliceLength = defineStudy({
  name: 'slice-length',
  // 2: the paper's scalability setup (two CPUs, pinned domains, 4 MB working sets, 1…128 domains at 5 and
  //    50 ms) on the footprint context-switch model; throughput vs domains.
  version: 3,
  description:
    'Scalability: 1-128 CPU-bound domains pinned on two CPUs at ctxAllow 5 and 50 ms: aggregate throughput, CPU lost to switching',
  details: [
    "Model: the paper's scalability setup (SOSP 2003 §4.4): `cpus` CPUs (2); `domains` SPEC CINT-like CPU-bound guests",
    'of equal weight, pinned (Xen 1.0/2.0: guest i on CPU (i + 1) mod 2, domain 0 on CPU 0; the textbook variant',
    'migrates to idle CPUs), under BVT (bvtVariant, Xen 1.0 by default) with ctxAllow = ctxAllowNs; domain 0 with',
    'the 20 ms timer events. Context switches cost the footprint model (2.1 µs direct + TLB + the evicted part of',
    'the working set). workingSetBytes = 4 MB is an ASSUMPTION (SPEC CINT2000 resident sets are several MB; the',
    'model costs about the same, ≈ 127 µs per switch to an evicted cache, for every working set above ~0.73 × L2).',
    'Domain creation is free. Only randomness: domain start times uniform in [0, startJitterNs) (streams start/d<i>).',
    "Nothing is fitted to the paper's scalability figure: the curves are predictions.",
    'Columns of runs.csv: guestCpuPerS (aggregate throughput, CPU-s delivered to the guests per s), switchingFraction',
    '(host accounting), meanSwitchCostNs (from the costs reported at each switch), switchesPerS, dom0CpuFraction,',
    'waitBetweenRunsMeanNs (runnable guest leaving the CPU → its next dispatch).',
    'Charts (x = domains, log; one line per ctxAllow): throughput and throughput relative to 1 domain (the',
    "paper's style), CPU % lost to switching, mean switch cost, switches/s, wait between runs; theory for pinned",
    'equal domains: CPU k with n_k ≥ 2 guests delivers 1 − c/ctxAllow, c = the cost of a switch to an evicted cache.',
  ].join('\n'),
  params: {
    ctxAllowNs: {
      kind: 'int',
      default: 5_000_000,
      min: 100_000,
      max: 1_000_000_000,
      unit: 'ns',
      doc: 'BVT context-switch allowance (Xen 1.0 default 5 ms)',
    },
    domains: {
      kind: 'int',
      default: 8,
      min: 1,
      max: 512,
      unit: 'domains',
      doc: 'CPU-bound guest domains (equal weights)',
    },
    cpus: {
      kind: 'int',
      default: 2,
      min: 1,
      max: 64,
      unit: 'CPUs',
      doc: "physical CPUs (2: the paper's scalability runs)",
    },
    bvtVariant: {
      kind: 'enum',
      default: 'xen1',
      values: [...BVT_VARIANTS],
      unit: '',
      doc: "BVT variant: xen1 (Xen 1.0, pinned), xen2 (Xen 2.0, pinned) or textbook (the BVT paper's algorithm, migrates)",
    },
    workingSetBytes: {
      kind: 'int',
      default: 4 * MB,
      min: 0,
      max: 1 << 30,
      unit: 'bytes',
      doc: 'working set of each guest (4 MB: assumption, SPEC CINT2000 resident sets are MBs; any size above ~0.73 × L2 costs the same)',
    },
    startJitterNs: {
      kind: 'int',
      default: 10_000_000,
      min: 0,
      max: 10_000_000_000,
      unit: 'ns',
      doc: 'domains start at uniform times in [0, jitter)',
    },
    warmupNs: {
      kind: 'int',
      default: 8_000_000_000,
      min: 0,
      max: 1_000_000_000_000,
      unit: 'ns',
      doc: 'warm-up: longer than one round of all domains (64 per CPU × 50 ms = 3.2 s)',
    },
    runLengthNs: {
      kind: 'int',
      default: 20_000_000_000,
      min: 1_000_000,
      max: 10_000_000_000_000,
      unit: 'ns',
      doc: 'measured window (≥ 6 rounds at 64 × 50 ms)',
    },
  },
  grid: { kind: 'cartesian', axes: { ctxAllowNs: CTX_ALLOWS, domains: DOMAIN_COUNTS } },
  quickGrid: { kind: 'cartesian', axes: { ctxAllowNs: CTX_ALLOWS, domains: [1, 2, 8] } },
  replications: 3,
  quickReplications: 2,
  quickParams: { warmupNs: 1_000_000_000, runLengthNs: 2_000_000_000 },
  measures: SLICE_LENGTH_MEASURES,
  run(p, ctx) {
    const sc = buildScenario(ctx.seed, {
      scheduler: REGISTRY_NAME[p.bvtVariant],
      tuning: { bvt: { ctxAllowNs: p.ctxAllowNs } },
      controlCosts: 'free',
      cpus: p.cpus,
    });
    const { host } = sc;
    const guests = cpuBoundDomains(sc, {
      count: p.domains,
      name: (i) => `d${i}`,
      workingSetBytes: p.workingSetBytes,
      startJitterNs: p.startJitterNs,
    });
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
        guestCpuPerS: win.busySumNs(guests) / p.runLengthNs,
        switchingFraction: win.hostDelta().switchingNs / win.cpuNs,
        meanSwitchCostNs: switches > 0 ? switchCostNs / switches : NaN,
        switchesPerS: (switches * 1e9) / p.runLengthNs,
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

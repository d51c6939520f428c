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
// The setup (parameters, run, theory) is in setup.ts, shared with the scalability study.
// Randomness: only the start times of the domains, uniform in [0, startJitterNs) (streams start/d<i>).
// Defaults: warm-up 8 s, 20 s runs, 3 replications, 2 × 8 points (N = 1, 2, 4 … 128; ctxAllow 5 and
// 50 ms). The warm-up must cover the first round of all domains: at start every vCPU is woken at t = 0
// with the same virtual time and BVT breaks ties by queue order, so the last of a CPU's domains waits
// for a whole round (64 × 50 ms = 3.2 s on two CPUs) before its first run; the window holds several
// rounds. --quick: ctxAllow 5 and 50 ms; 1, 2 and 8 domains; 2 replications; 1 s warm-up, 2 s runs.
import { defineStudy } from '../../src/kit/index.js';
import { sliceLengthCharts, sliceLengthConsoleTable, sliceLengthReportSummary } from './charts.js';
import { CTX_ALLOWS, DOMAIN_COUNTS, PINNED_PARAMS, runPinnedCpuBound, SLICE_LENGTH_MEASURES } from './setup.js';
export { sliceLengthCharts, sliceLengthConsoleTable, sliceLengthReportSummary } from './charts.js';
export {
  evictedSwitchCostNs,
  guestsPerCpu,
  MS,
  pinnedTheory,
  SLICE_LENGTH_MEASURES,
  runPinnedCpuBound,
} from './setup.js';

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
  params: PINNED_PARAMS,
  grid: { kind: 'cartesian', axes: { ctxAllowNs: CTX_ALLOWS, domains: DOMAIN_COUNTS } },
  quickGrid: { kind: 'cartesian', axes: { ctxAllowNs: CTX_ALLOWS, domains: [1, 2, 8] } },
  replications: 3,
  quickReplications: 2,
  quickParams: { warmupNs: 1_000_000_000, runLengthNs: 2_000_000_000 },
  measures: SLICE_LENGTH_MEASURES,
  run(p, ctx) {
    const { measures, events } = runPinnedCpuBound(p, ctx.seed);
    return { measures, events };
  },
  charts: sliceLengthCharts,
  consoleTable: sliceLengthConsoleTable,
  reportSummary: sliceLengthReportSummary,
});

export const runSliceLength = sliceLength.run;

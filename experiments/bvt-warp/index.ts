// Study bvt-warp: wake-up latency of a latency-sensitive domain among N CPU-bound domains, with and
// without BVT's warp — Xen 1.0 BVT (no warp, wake-up preemption only after ctx_allow), the BVT paper's
// algorithm ("textbook", Duda & Cheriton 1999: not a Xen release) without and with warp, Xen 2.0 BVT
// (sched_bvt.c, Dec 2004) without and with warp, and Credit (Xen 3.4, BOOST) for comparison.
//
// Model. One PCPU, domain 0 (timer events only), `cpuBound` CPU-bound guest domains (never block,
// weight = the default mcuAdvance 10 / Credit weight 256) and one latency-sensitive domain "lat", an
// interactive / UDP-echo-like guest: it blocks for an exponential time (mean latWaitMeanNs, 10 ms),
// then needs a short CPU burst (exponential, mean latBurstMeanNs, 100 µs), then blocks again: about 1 %
// of the CPU, far below its fair share 1/(N+1) at every N swept, so any latency is the scheduler's
// doing, not a lack of CPU. Its BVT weight is latMcuAdvance (default 10: the same as everyone).
// Schedulers (`scheduler`):
//   bvt-xen1            Xen 1.0 BVT (variant xen1), no warp: a woken domain pre-empts only once the
//                       current one has run ctx_allow since its dispatch (Xen 1.0 reschedule()).
//   bvt-xen1-warp       HYPOTHETICAL: the same with the lat domain's warp set (Xen 1.0's __calc_evt warp
//                       window, wall time since the wake). Xen 1.0 ignored the warp fields of
//                       DOM0_ADJUSTDOM (sched_adjdom sets mcu_advance only), so no real Xen 1.0 domain
//                       was ever warped; not in the default grid.
//   bvt-textbook        the BVT paper's algorithm (variant textbook: evt-based wake-up preemption), warp 0.
//   bvt-textbook-warp   the same with warp = `warp` (virtual-time units), warp limit warpLimitNs and
//                       unwarp requirement unwarpReqNs (defaults borrowed from Xen 2.0's bvt_add_task,
//                       2000 ms / 1000 ms: the paper gives none) for the lat domain only.
//   bvt-xen2            Xen 2.0 BVT (variant xen2, decision for decision), warp 0.
//   bvt-xen2-warp       Xen 2.0 BVT with the lat domain's warp set by DOM0_ADJUSTDOM (setSchedParams:
//                       warp, warpLimitNs, unwarpReqNs) at the first wake-up after the CPU's svt has
//                       reached `warp`, so that evt = avt − warp does not wrap (the way a toolstack
//                       could warp a running domain in Xen 2.0). The warp timer limits one continuous
//                       run to warpLimitNs; the lat domain's runs are far shorter, so it stays warped.
//   bvt-xen2-warp-at-creation
//                       Xen 2.0 BVT with the lat domain warped at creation: it STARVES FOR GOOD, as
//                       in the real code. Its avt = svt = 0 at creation, so at its first wake
//                       evt = avt − warp wraps in u32 to ≈ 2^32 − warp: it is never picked while any
//                       other domain is runnable, its warp timer (armed only when it is picked) never
//                       starts, and clearing its warp by adjdom would not help, because evt is
//                       recomputed only when a domain is descheduled or woken (bvt.ts, variant xen2;
//                       test/models/cpu/bvt-xen2.test.ts). Expect no wake-ups and a CPU share of 0.
//   credit              Credit as in Xen 3.4 (waking UNDER vCPUs BOOST; no rate limit).
// The warp value is a study choice, not a calibrated constant (Xen's default is 0): 1000 units = 100
// MCUs at mcuAdvance 10, i.e. the virtual time a default-weight domain accumulates in 10 ms of CPU —
// more than one 5 ms ctx_allow, so a warped domain is ahead of every CPU-bound one when it wakes.
// Context switches cost the footprint model (context-switch.ts, fitted to lmbench lat_ctx); working
// sets: CPU-bound 64 KB, lat 16 KB (lmbench's 64K and 16K columns of Table 3). Domains are created at
// t = 0 with zero control cost; under Xen 1.0 BVT and Credit the host's 20 ms timer event reaches every
// domain (it also wakes the lat domain); under Xen 2.0 BVT the 10 ms VIRQ_TIMER goes to the running
// domain only.
//
// Measures (window [warmupNs, warmupNs + runLengthNs)):
//   wake-up latency: for each burst that arrives while the lat vCPU is not running (blocked — the
//     usual case — or runnable after a timer event woke it), the time from the burst's arrival to the
//     instant the vCPU starts running: the dispatch decision plus the context switch to it. Bursts
//     arriving while it runs (rare: during a timer handler) are not wake-ups and are only counted.
//   burst delay: completion − arrival − burst length (the wake-up latency plus any pre-emption
//     during the burst).
//   CPU shares of the lat domain and of the CPU-bound domains (warp borrows virtual time, it should
//   not change long-run shares).
// Table wakeLatencyQuantiles: for runs with cpuBound = cdfCpuBound, the 0, 0.5 %, 1 % … 100 %
// quantiles of that run's wake-up latencies (201 rows), from which the CDF chart is drawn.
// Randomness: streams lat/wait and lat/burst (the CPU-bound domains are deterministic), so every
// scheduler and every N sees the same arrival pattern for a given replication (common random numbers).
// Defaults: warm-up 1 s, run length 60 s (~6000 wake-ups per run), 5 replications; the default sweep
// (7 schedulers × 5 N × 5 replications) took about 2 minutes on 2 shared cores. --quick: 10 s runs,
// N ∈ {1, 4, 16}, 3 replications, 5 schedulers (without bvt-textbook and bvt-xen2-warp-at-creation).
import type { Vcpu } from '../../src/models/host/vcpu.js';
import { ContextSwitchModel } from '../../src/models/cpu/context-switch.js';
import type { ProcessGenerator } from '../../src/sim/process.js';
import { Quantiles } from '../../src/sim/stats/quantiles.js';
import { Tally } from '../../src/sim/stats/tally.js';
import type { Params, TableRow } from '../../src/runner/study.js';
import { BvtScheduler } from '../../src/models/cpu/bvt.js';
import { buildScenario, cpuBoundDomains, defineStudy, MeasurementWindow } from '../../src/kit/index.js';
import { bvtWarpCharts, bvtWarpConsoleTable, bvtWarpReportSummary } from './charts.js';
import {
  BVT_WARP_MEASURES,
  BVT_WARP_PARAMS,
  BVT_WARP_TABLES,
  DEFAULT_SCHEDULERS,
  QUICK_SCHEDULERS,
  REGISTRY_NAME,
  WARP_AT,
} from './params.js';
export { bvtWarpCharts, bvtWarpConsoleTable, bvtWarpReportSummary } from './charts.js';
export { BVT_WARP_MEASURES, SCHEDULER_LABEL, WARP_SCHEDULERS, type WarpScheduler } from './params.js';

/** Quantile levels of the CDF table: 0, 0.005, …, 1. */
const CDF_LEVELS = Array.from({ length: 201 }, (_, i) => i / 200);

/**
 * One switch to the lat domain with nothing of its working set evicted (direct cost + the TLB refill
 * after the flush): the lower bound of a wake-up latency. In the footprint model a 16 KB working set
 * mostly survives in L2 while 64 KB domains run, so wake-ups cost little more than this.
 */
export function switchFloorNs(params: Params): number {
  return new ContextSwitchModel().costNs(Number(params['latWorkingSetBytes']), 0, false);
}

export const bvtWarp = defineStudy({
  name: 'bvt-warp',
  // 2: Xen 2.0 BVT variants, Credit as Xen 3.4, footprint context-switch model (2102 ns direct)
  // 4: bvt-xen2: the 10 ms tick is a timer of each PCPU's heap (VIRQ_TIMER after a block of the instant)
  version: 4,
  description:
    'Wake-up latency of a latency-sensitive domain among N CPU-bound domains: BVT with and without warp (Xen 1.0, BVT paper, Xen 2.0), Credit',
  details: [
    'Model: one CPU; N = cpuBound CPU-bound guest domains and one latency-sensitive domain "lat" that blocks for',
    'an exponential wait (mean latWaitMeanNs), then runs an exponential CPU burst (mean latBurstMeanNs), about 1 %',
    'of the CPU. Schedulers: bvt-xen1 (Xen 1.0 BVT, no warp: wake-up pre-emption only after ctx_allow),',
    'bvt-textbook (the BVT paper, Duda & Cheriton 1999, not a Xen release: evt-based wake-up pre-emption, warp 0),',
    'bvt-textbook-warp (lat warped by `warp` virtual-time units, warp limit warpLimitNs, unwarp requirement',
    'unwarpReqNs), bvt-xen2 (Xen 2.0 sched_bvt.c, warp 0), bvt-xen2-warp (lat warped by DOM0_ADJUSTDOM once the',
    "CPU's svt has reached `warp`), bvt-xen2-warp-at-creation, bvt-xen1-warp (HYPOTHETICAL: Xen 1.0 ignored",
    "DOM0_ADJUSTDOM's warp fields), credit (Xen 3.4 defaults, BOOST).",
    'Under Xen 2.0 BVT a domain warped at creation starves for good: its avt = svt = 0, so evt = avt − warp wraps',
    'in u32 to about 2^32 − warp at its first wake; it is never picked while another domain is runnable, its warp',
    'timer (armed when it is picked) never starts, and adjdom would not help (evt is recomputed only at deschedule',
    'and wake). bvt-xen2-warp-at-creation shows it: no wake-ups, CPU share 0.',
    'Wake-up latency = burst arrival while the lat vCPU is not running → the vCPU starts running (dispatch decision',
    '+ context switch). Context switches cost the footprint model (working sets cpuWorkingSetBytes and',
    'latWorkingSetBytes); domain 0 and the timer events are present; domain creation is free.',
    'Random streams: lat/wait and lat/burst only (common random numbers across schedulers and N).',
    'Columns of runs.csv: wakeLatencyMeanNs, wakeLatencyP50Ns, wakeLatencyP99Ns, wakeLatencyMaxNs, burstDelayMeanNs,',
    'wakeups, arrivalsWhileRunning, latCpuShare, cpuBoundCpuShare (see Measures). tables/wakeLatencyQuantiles.csv:',
    "for runs with cpuBound = cdfCpuBound, the run's latency quantiles at 0, 0.5 %, … 100 %.",
    'Charts: mean and p99 latency vs N (log-log, with the one-switch lower bound), the CDF at N = cdfCpuBound,',
    "the burst delay vs N, and the lat domain's CPU share vs its demand.",
  ].join('\n'),
  params: BVT_WARP_PARAMS,
  grid: { kind: 'cartesian', axes: { scheduler: [...DEFAULT_SCHEDULERS], cpuBound: [1, 2, 4, 8, 16] } },
  quickGrid: { kind: 'cartesian', axes: { scheduler: [...QUICK_SCHEDULERS], cpuBound: [1, 4, 16] } },
  replications: 5,
  quickReplications: 3,
  quickParams: { runLengthNs: 10_000_000_000, cdfCpuBound: 4 },
  measures: BVT_WARP_MEASURES,
  check: (p) =>
    REGISTRY_NAME[p.scheduler] === 'bvt-xen2' &&
    WARP_AT[p.scheduler] !== 'none' &&
    (p.warpLimitNs % 1_000_000 !== 0 || p.unwarpReqNs % 1_000_000 !== 0)
      ? `warpLimitNs (${p.warpLimitNs}) and unwarpReqNs (${p.unwarpReqNs}) must be whole milliseconds under ${p.scheduler} (Xen 2.0 takes them in ms)`
      : undefined,
  tables: BVT_WARP_TABLES,
  run(p, ctx) {
    const warpAt = WARP_AT[p.scheduler];
    const sc = buildScenario(ctx.seed, {
      scheduler: REGISTRY_NAME[p.scheduler],
      tuning: { bvt: { ctxAllowNs: p.ctxAllowNs } },
      controlCosts: 'free',
    });
    const { sim, host } = sc;
    const cpuDoms = cpuBoundDomains(sc, {
      count: p.cpuBound,
      name: (i) => `cpu${i}`,
      workingSetBytes: p.cpuWorkingSetBytes,
    });
    const warpParams = { warp: p.warp, warpLimitNs: p.warpLimitNs, unwarpReqNs: p.unwarpReqNs };
    const lat = host.control.createDomain({
      name: 'lat',
      workingSetBytes: p.latWorkingSetBytes,
      mcuAdvance: p.latMcuAdvance,
      ...(warpAt === 'creation' ? warpParams : {}),
    });
    // bvt-xen2-warp: adjdom sets the warp at the first wake-up once svt ≥ warp (evt = avt − warp ≥ 0).
    const bvt = host.scheduler instanceof BvtScheduler ? host.scheduler : null;
    let adjdomPending = warpAt === 'adjdom';
    const v = lat.vcpus[0] as Vcpu;
    const waitRng = sc.streams.stream('lat/wait');
    const burstRng = sc.streams.stream('lat/burst');
    const win = new MeasurementWindow(sim, host, p);

    // Observation through the host's hooks: arrival → first dispatch (+ the switch paid for it).
    let pending = false; // a wake-up is waiting for its first dispatch
    let pendingAtNs = 0;
    let sampleNs = -1; // the latency of the current wake-up, known at its dispatch (+ switch)
    let awaitSwitch = false;
    host.onDispatch.add((_cpu, x, _slice, now) => {
      awaitSwitch = false;
      if (x === v && pending) {
        pending = false;
        sampleNs = now - pendingAtNs;
        awaitSwitch = true;
      }
    });
    host.onSwitch.add((_cpu, _from, to, costNs) => {
      if (to === v && awaitSwitch) sampleNs += costNs;
      awaitSwitch = false;
    });
    const latency = new Tally();
    const quantiles = new Quantiles();
    const delay = new Tally();
    let whileRunning = 0;

    function* latLoop(): ProcessGenerator<void> {
      for (;;) {
        yield sim.timeout(Math.round(waitRng.exponential(p.latWaitMeanNs)));
        const burstNs = Math.max(1, Math.round(burstRng.exponential(p.latBurstMeanNs)));
        if (adjdomPending && bvt !== null && bvt.svt(0) >= p.warp) {
          host.control.setSchedParams(lat.id, warpParams);
          adjdomPending = false;
        }
        const arrivedNs = sim.now;
        const counted = win.measuring;
        if (v.state === 'running') {
          if (counted) whileRunning++;
        } else {
          pending = true;
          pendingAtNs = arrivedNs;
          sampleNs = -1;
        }
        yield v.run(burstNs, { tag: 'lat-burst' });
        if (counted) {
          if (sampleNs >= 0) {
            latency.add(sampleNs);
            quantiles.add(sampleNs);
          }
          delay.add(sim.now - arrivedNs - burstNs);
        }
        sampleNs = -1;
      }
    }
    sim.process(latLoop(), 'lat');
    win.open();
    win.close();

    const tables: Record<string, TableRow[]> = {};
    if (p.cpuBound === p.cdfCpuBound && quantiles.count > 0) {
      tables['wakeLatencyQuantiles'] = CDF_LEVELS.map((q) => ({ quantile: q, latencyNs: quantiles.quantile(q) }));
    }
    const has = latency.count > 0;
    return {
      measures: {
        wakeLatencyMeanNs: has ? latency.mean : NaN,
        wakeLatencyP50Ns: has ? quantiles.quantile(0.5) : NaN,
        wakeLatencyP99Ns: has ? quantiles.quantile(0.99) : NaN,
        wakeLatencyMaxNs: has ? latency.max : NaN,
        burstDelayMeanNs: delay.count > 0 ? delay.mean : NaN,
        wakeups: latency.count,
        arrivalsWhileRunning: whileRunning,
        latCpuShare: win.busyNs(lat) / p.runLengthNs,
        cpuBoundCpuShare: win.busySumNs(cpuDoms) / p.runLengthNs,
      },
      events: sim.eventsProcessed,
      tables,
    };
  },
  charts: bvtWarpCharts,
  consoleTable: bvtWarpConsoleTable,
  reportSummary: bvtWarpReportSummary,
});

export const runBvtWarp = bvtWarp.run;

// The paper's scalability setup (SOSP 2003 §4.4: SPEC CINT2000-like CPU-bound domains, 1 to 128 of them,
// pinned on two CPUs, under BVT with a context-switch allowance ctxAllow), shared by the studies that
// run it: slice-length (throughput, switching cost, switch rate, wait between runs) and scalability
// (the paper's figure 6: relative throughput on Xen at 5 and 50 ms against native processes).
// What it holds: the parameter declarations of the setup, the run itself (`runPinnedCpuBound`: a host,
// domain 0, `domains` CPU-bound guests, a measurement window) and the theory for pinned domains of
// equal weight (guestsPerCpu, pinnedTheory, evictedSwitchCostNs). The model and its sources are
// described in slice-length/index.ts; defaults: two CPUs (the paper's dual Xeon), Xen 1.0 BVT with
// ctxAllow 5 ms (Xen 1.0 default), 4 MB working sets (an ASSUMPTION: SPEC CINT2000 resident sets are
// several MB; any working set above ~0.73 × L2 costs the same), 8 s warm-up (one round of 64 domains per
// CPU at 50 ms is 3.2 s), 20 s runs.
// Units: ns, bytes; throughput in CPU-seconds per second.
import type { Params } from '../../src/runner/study.js';
import { ContextSwitchModel } from '../../src/models/cpu/context-switch.js';
import type { Host } from '../../src/models/host/host.js';
import type { Vcpu } from '../../src/models/host/vcpu.js';
import {
  buildScenario,
  cpuBoundDomains,
  MeasurementWindow,
  type SchedulerName,
  windowParams,
  type WindowOptions,
} from '../../src/kit/index.js';

export const MS = 1_000_000;
export const MB = 1 << 20;
/** ctxAllow values of the paper's scalability figure, ns. */
export const CTX_ALLOWS = [5, 50].map((x) => x * MS);
/** Domain counts of the paper's scalability figure (1 … 128, powers of two). */
export const DOMAIN_COUNTS = [1, 2, 4, 8, 16, 32, 64, 128];

export const BVT_VARIANTS = ['xen1', 'xen2', 'textbook'] as const;
export type BvtVariant = (typeof BVT_VARIANTS)[number];
export const REGISTRY_NAME: Record<BvtVariant, SchedulerName> = {
  xen1: 'bvt-xen1',
  xen2: 'bvt-xen2',
  textbook: 'bvt-textbook',
};

/** Parameters of the setup (the declaration order is the column order of runs.csv). */
export const PINNED_PARAMS = {
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
  ...windowParams({
    warmupNs: 8_000_000_000,
    runLengthNs: 20_000_000_000,
    warmupDoc: 'warm-up: longer than one round of all domains (64 per CPU × 50 ms = 3.2 s)',
    runLengthDoc: 'measured window (≥ 6 rounds at 64 × 50 ms)',
  }),
} as const;

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

export type SliceLengthMeasures = Record<keyof typeof SLICE_LENGTH_MEASURES, number>;

/** The setup's parameters, typed. */
export interface PinnedCpuBoundParams extends WindowOptions {
  readonly ctxAllowNs: number;
  readonly domains: number;
  readonly cpus: number;
  readonly bvtVariant: BvtVariant;
  readonly workingSetBytes: number;
  readonly startJitterNs: number;
}

export interface PinnedCpuBoundRun {
  readonly measures: SliceLengthMeasures;
  readonly events: number;
  /** The host after the run (for measures a study adds). */
  readonly host: Host;
  /** The measurement window's start and end, ns. */
  readonly windowStartNs: number;
  readonly windowEndNs: number;
}

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

/**
 * One run of the setup: `domains` CPU-bound guests of equal weight under BVT (`bvtVariant`, ctxAllowNs)
 * on `cpus` CPUs with domain 0, measured over [warmupNs, warmupNs + runLengthNs). Only randomness: the
 * domains' start times (streams start/d<i>).
 */
export function runPinnedCpuBound(p: PinnedCpuBoundParams, seed: string): PinnedCpuBoundRun {
  const sc = buildScenario(seed, {
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
    host,
    windowStartNs: win.startNs,
    windowEndNs: win.endNs,
  };
}

// The CPU-bound rows shared by the relative-cpu and relative-performance studies: the SPEC CINT2000-like
// suite and the Linux kernel build, each run to completion on the four virtualization profiles
// (src/models/workloads/on-profile.ts runMixOnProfile: native on the bare-metal host; xen, full-virt and
// hosted as a guest beside an idle domain 0 on a one-CPU Xen host with its timer event). Scores: SPEC's
// geometric mean of the 12 benchmark ratios (higher is better) and the build time in s (lower is
// better); relativeToNative > 1 means faster than native in both.
// Defaults of the parameters below come from src/models/workloads (SPEC_INT_DEFAULTS,
// KERNEL_BUILD_DEFAULTS: each labelled there) and from the host (HOST_DEFAULTS.timerTickNs, Xen 1.0's 20 ms).
// Units: ns, s (in table cells named …S), SPEC ratio.
import { HOST_DEFAULTS } from '../../src/models/host/host.js';
import { VIRT_PROFILES, type VirtProfile } from '../../src/models/guest/operations.js';
import {
  KERNEL_BUILD_DEFAULTS,
  SPEC_INT_BENCHMARKS,
  SPEC_INT_DEFAULTS,
  geometricMean,
  kernelBuildMix,
  runMixOnProfile,
  specIntBenchmarkMix,
  specRatio,
  type ProfileRun,
} from '../../src/models/index.js';
import type { TableRow } from '../../src/runner/study.js';
import { ptBatchParam } from '../../src/kit/index.js';

export const RELATIVE_CPU_WORKLOADS = { specInt: 'spec-int', kernelBuild: 'kernel-build' } as const;
export const SCORE_UNITS = {
  'spec-int': 'SPEC ratio (higher is better)',
  'kernel-build': 's build time (lower is better)',
} as const;

/** Nine significant digits: table cells that do not change with the last bits of a sum's order. */
export const round6 = (x: number): number => Number(x.toPrecision(9));

/** The parameter declarations both studies share (the same names, bounds and documentation). */
export const CPU_RUN_PARAMS = {
  specFraction: {
    kind: 'float',
    default: 1,
    min: 0.001,
    max: 1,
    unit: '',
    doc: 'fraction of each SPEC benchmark run (computation, faults and calls alike); ratios use elapsed / fraction',
  },
  speedup: {
    kind: 'float',
    default: SPEC_INT_DEFAULTS.speedup,
    min: 0.1,
    max: 1000,
    unit: '×',
    doc: "CPU speed over SPEC's 300 MHz reference machine (assumption: 8 for a 2.4 GHz Xeon of 2002)",
  },
  buildUnits: {
    kind: 'int',
    default: KERNEL_BUILD_DEFAULTS.units,
    min: 1,
    max: 100_000,
    unit: 'compilations',
    doc: 'compilation units of the kernel build (assumption: a 2.4 default configuration, a few hundred)',
  },
  timerTickNs: {
    kind: 'int',
    default: HOST_DEFAULTS.timerTickNs,
    min: 0,
    max: 1_000_000_000,
    unit: 'ns',
    doc: "the Xen host's per-domain timer event period (Xen 1.0: 20 ms); 0 = off",
  },
  ptBatch: ptBatchParam(),
} as const;

export interface CpuRunParams {
  readonly specFraction: number;
  readonly speedup: number;
  readonly buildUnits: number;
  readonly timerTickNs: number;
  readonly ptBatch: number;
}

/** Where a workload's time went on one profile, ns. */
interface Parts {
  computeNs: number;
  guestKernelNs: number;
  hostNs: number;
  events: number;
}

function addRun(parts: Parts, r: ProfileRun): void {
  parts.computeNs += r.processCpuNs - r.opNs;
  parts.guestKernelNs += r.opNs;
  parts.hostNs += r.elapsedNs - r.processCpuNs;
  parts.events += r.events;
}

export interface CpuRuns {
  /** SPEC CINT2000-like score (geometric mean of the ratios) per profile. */
  readonly specScore: ReadonlyMap<VirtProfile, number>;
  /** Kernel build time per profile, s. */
  readonly buildS: ReadonlyMap<VirtProfile, number>;
  /** benchmark, profile, elapsedS, ratio, relativeToNative. */
  readonly bench: TableRow[];
  /** workload, profile, computeS, guestKernelS, hostS. */
  readonly breakdown: TableRow[];
  /** Guest-kernel share of the native build's time. */
  readonly nativeOsShare: number;
  readonly events: number;
}

/** Runs SPEC (12 benchmarks) and the kernel build on every profile, in VIRT_PROFILES order. */
export function runCpuWorkloads(p: CpuRunParams): CpuRuns {
  const opts = { ptBatch: p.ptBatch, timerTickNs: p.timerTickNs };
  const bench: TableRow[] = [];
  const breakdown: TableRow[] = [];
  let events = 0;
  const specScore = new Map<VirtProfile, number>();
  const buildS = new Map<VirtProfile, number>();
  const nativeRatios: number[] = [];
  let nativeOsShare = NaN;
  for (const profile of VIRT_PROFILES) {
    const spec: Parts = { computeNs: 0, guestKernelNs: 0, hostNs: 0, events: 0 };
    const ratios: number[] = [];
    SPEC_INT_BENCHMARKS.forEach((b, i) => {
      const r = runMixOnProfile(
        profile,
        specIntBenchmarkMix(b, { fraction: p.specFraction, speedup: p.speedup }),
        opts,
      );
      addRun(spec, r);
      const ratio = specRatio(b, r.elapsedNs, p.specFraction);
      ratios.push(ratio);
      if (profile === 'native') nativeRatios.push(ratio);
      bench.push({
        benchmark: b.name,
        profile,
        elapsedS: round6(r.elapsedNs / 1e9),
        ratio: round6(ratio),
        relativeToNative: round6(ratio / (nativeRatios[i] as number)),
      });
    });
    specScore.set(profile, geometricMean(ratios));
    const build: Parts = { computeNs: 0, guestKernelNs: 0, hostNs: 0, events: 0 };
    const r = runMixOnProfile(profile, kernelBuildMix({ units: p.buildUnits }), opts);
    addRun(build, r);
    if (profile === 'native') nativeOsShare = r.opNs / r.elapsedNs;
    buildS.set(profile, r.elapsedNs / 1e9);
    events += spec.events + build.events;
    for (const [workload, parts] of [
      [RELATIVE_CPU_WORKLOADS.specInt, spec],
      [RELATIVE_CPU_WORKLOADS.kernelBuild, build],
    ] as const) {
      breakdown.push({
        workload,
        profile,
        computeS: round6(parts.computeNs / 1e9),
        guestKernelS: round6(parts.guestKernelNs / 1e9),
        hostS: round6(parts.hostNs / 1e9),
      });
    }
  }
  return { specScore, buildS, bench, breakdown, nativeOsShare, events };
}

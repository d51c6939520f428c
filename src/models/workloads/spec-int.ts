// SPEC CINT2000-like workload: the 12 integer benchmarks of SPEC CPU2000 as operation mixes (op-mix.ts),
// run one after the other, each as its own guest process, as runspec does.
//
// Independent description (calibration.ts WORKLOADS, Paper §4.1): compute-bound, almost no system calls.
// Per benchmark (SPEC_INT_BENCHMARKS):
//   refTimeS        SPEC's reference time, s (the run time on SPEC's reference machine, a Sun Ultra 5_10 at
//                   300 MHz; the CINT2000 reference times published by SPEC with every result); SPEC's
//                   ratio for a run of t seconds is 100 · refTimeS / t, the score the geometric mean.
//   workingSetBytes resident memory of the reference run (assumption: approximate sizes, consistent with
//                   SPEC's own analysis "SPEC CPU2000 Memory Footprint", open.spec.org/cpu2000/analysis/
//                   memory: most benchmarks larger than the caches of the time, many above 100 MB, none
//                   above 200 MB).
// Mix of one benchmark (assumptions): one exec to start it (runspec runs each benchmark as a program);
// then its run in SPEC_INT_SLICES equal slices, each slice: its share of the computation, of the first
// touches of its working set (one page fault per 4 KB page) and of the heap growth (one brk-like system
// call, a null call, per MB), and a few system calls for input and output (nullIo, SPEC_INT_IO_PER_S per
// second of computation: "almost no system calls").
// Computation: refTimeS / speedup seconds, where `speedup` is how much faster than SPEC's reference
// machine the simulated CPU runs the benchmark (default 8, assumption: a 2.4 GHz Xeon of 2002 against
// the 300 MHz reference machine). `fraction` (0 < f ≤ 1) runs that fraction of every part of the mix
// (computation, faults, system calls) to keep a study short; the ratio is then computed from
// elapsed / f. The one exec at the start is not scaled, so a small fraction charges it to a shorter run
// (under hosted, UML's 33 ms exec against 1% of a benchmark lowers the ratio by about 1.5%).
// Units: s where named (…S), ns, bytes.
import { WORKLOAD_MODEL } from '../calibration.js';
import { checkNumber, rangeFail } from '../validate.js';
import type { OpMixOptions } from './op-mix.js';

export interface SpecIntBenchmark {
  readonly name: string;
  /** SPEC CPU2000 reference time, s. */
  readonly refTimeS: number;
  /** Resident working set, bytes (assumption, see header). */
  readonly workingSetBytes: number;
}

const MB = 1024 * 1024;

/** The 12 CINT2000 benchmarks: SPEC reference times; working sets are assumptions (see header). */
export const SPEC_INT_BENCHMARKS: readonly SpecIntBenchmark[] = [
  { name: '164.gzip', refTimeS: 1400, workingSetBytes: 180 * MB },
  { name: '175.vpr', refTimeS: 1400, workingSetBytes: 50 * MB },
  { name: '176.gcc', refTimeS: 1100, workingSetBytes: 150 * MB },
  { name: '181.mcf', refTimeS: 1800, workingSetBytes: 190 * MB },
  { name: '186.crafty', refTimeS: 1000, workingSetBytes: 2 * MB },
  { name: '197.parser', refTimeS: 1800, workingSetBytes: 40 * MB },
  { name: '252.eon', refTimeS: 1300, workingSetBytes: 1 * MB },
  { name: '253.perlbmk', refTimeS: 1800, workingSetBytes: 145 * MB },
  { name: '254.gap', refTimeS: 1100, workingSetBytes: 190 * MB },
  { name: '255.vortex', refTimeS: 1900, workingSetBytes: 70 * MB },
  { name: '256.bzip2', refTimeS: 1500, workingSetBytes: 185 * MB },
  { name: '300.twolf', refTimeS: 3000, workingSetBytes: 3 * MB },
];

/** Slices a benchmark's run is cut into (how finely faults and calls interleave with computation). */
export const SPEC_INT_SLICES = 100;
/** Input/output system calls per second of computation (assumption: "almost no system calls"). */
export const SPEC_INT_IO_PER_S = WORKLOAD_MODEL.specIntIoPerS.value;
export const SPEC_INT_DEFAULTS = { speedup: WORKLOAD_MODEL.specIntSpeedup.value, fraction: 1 } as const;

export interface SpecIntOptions {
  /** How much faster than SPEC's reference machine the CPU computes, > 0. Default 8 (assumption). */
  readonly speedup?: number;
  /** Fraction of each benchmark's work to run, (0, 1]. Default 1. */
  readonly fraction?: number;
}

/** The native computation of a benchmark, ns (refTimeS / speedup). */
export function specComputeNs(b: SpecIntBenchmark, speedup: number): number {
  return (b.refTimeS / speedup) * 1e9;
}

/** One benchmark as an operation mix. */
export function specIntBenchmarkMix(b: SpecIntBenchmark, options: SpecIntOptions = {}): OpMixOptions {
  const where = 'specInt';
  const speedup = checkNumber(where, 'speedup', options.speedup ?? SPEC_INT_DEFAULTS.speedup, 0.01, 1e6);
  const f = options.fraction ?? SPEC_INT_DEFAULTS.fraction;
  if (typeof f !== 'number' || !(f > 0 && f <= 1)) rangeFail(where, 'fraction', 'a number in (0, 1]', f);
  const computeNs = specComputeNs(b, speedup);
  const pages = b.workingSetBytes / 4096;
  const n = SPEC_INT_SLICES;
  return {
    name: b.name,
    opsAtStart: { exec: 1 },
    opsPerUnit: {
      pageFault: (pages * f) / n,
      nullCall: ((b.workingSetBytes / MB) * f) / n,
      nullIo: ((SPEC_INT_IO_PER_S * computeNs) / 1e9 / n) * f,
    },
    computeNsPerUnit: (computeNs * f) / n,
    units: n,
    workingSetBytes: b.workingSetBytes,
  };
}

/** SPEC's ratio of a benchmark that took elapsedNs for `fraction` of its work: 100 · ref / (elapsed / f). */
export function specRatio(b: SpecIntBenchmark, elapsedNs: number, fraction = 1): number {
  return (100 * b.refTimeS) / (elapsedNs / 1e9 / fraction);
}

/** SPEC's score: the geometric mean of the ratios. */
export function geometricMean(xs: readonly number[]): number {
  if (xs.length === 0) rangeFail('geometricMean', 'values', 'a non-empty list', '[]');
  let s = 0;
  for (const x of xs) {
    if (!(x > 0)) rangeFail('geometricMean', 'value', 'a number > 0', x);
    s += Math.log(x);
  }
  return Math.exp(s / xs.length);
}

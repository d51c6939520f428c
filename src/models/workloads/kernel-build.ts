// The Linux kernel build workload (the paper's §4.1 "Linux build": gcc 2.96, default configuration, local
// ext3), written as an operation mix (op-mix.ts): one unit = one compilation unit built by make.
//
// Independent description (calibration.ts WORKLOADS, Paper §4.1): native Linux spends about 7% of its CPU
// time in the OS (process creation, file I/O, page faults). The mix below says WHICH operations a
// compilation issues (each count an assumption, argued from how make and gcc 2.96 work); the 7% says HOW
// MUCH computation goes with them. Derivation (kernelBuildDerivation prints it):
//   O  = Σ_o c(o) · native(o)      the OS time of one unit, priced by Table 3's L-UP row (the native
//                                  profile; its cells are what the native guest OS charges, exactly)
//   s  = 0.07                      the native OS share (Paper §4.1)
//   C  = O · (1 − s) / s           the computation per unit, so that O / (O + C) = s by construction.
// On the bare-metal host one build process has nothing else on its CPU (no domain switches, no timer
// event, no second guest process), so its simulated OS share is O / (O + C) = s; the virtualized profiles
// price the same counts with their own Table 3 rows, and the build slows by exactly that (plus what the
// host adds: its timer event and domain switches). Nothing here is fitted to the paper's build times.
//
// Mix per compilation unit (assumptions; Linux 2.4 compiles each file with `gcc -c` from make, through
// /bin/sh, with CFLAGS containing -pipe, so passes talk through pipes, not temporary files):
//   sh 1          make runs the command through /bin/sh -c (lmbench "sh": fork + exec sh + exec program)
//   exec 3        the gcc driver runs cpp0, cc1 and as (lmbench "exec": fork + exec + exit + wait)
//   pageFault 1500  cc1 and cpp0 touch about 6 MB beyond what lmbench's small programs touch
//   mmap 20       ld.so maps libraries and the compiler maps its input: ~5 mappings per program run
//   openClose 150 headers opened by cpp (a kernel source file includes on the order of 150 headers)
//   stat 300      include-path search: about two failed lookups per header found
//   nullIo 600    reads of sources and headers and pipe reads/writes between passes, 4 KB each
//   create10k 1   the object file written (about 10 KB)
//   sigInstall 4  the driver installs its signal handlers
// Default number of units: 600 (assumption: a Linux 2.4 default configuration compiles a few hundred
// files); the study may change it. Units: ns, bytes, counts.
import type { GuestOp, Table3Op } from '../guest/operations.js';
import { WORKLOAD_MODEL } from '../calibration.js';
import { publishedNs } from '../guest/profile-fit.js';
import { checkInt, checkNumber } from '../validate.js';
import { osNsPerUnit, type OpMixOptions } from './op-mix.js';

/** The native OS share of a kernel build's CPU time (Paper §4.1; calibration.ts WORKLOADS). */
export const KERNEL_BUILD_OS_SHARE = 0.07;

/** Operations per compilation unit, with why (assumptions; see the header). */
export const KERNEL_BUILD_MIX: Readonly<Partial<Record<Table3Op, { readonly count: number; readonly why: string }>>> = {
  sh: { count: 1, why: 'make runs each command through /bin/sh -c' },
  exec: { count: 3, why: 'the gcc 2.96 driver runs cpp0, cc1 and as' },
  pageFault: { count: 1500, why: 'cc1 and cpp0 touch about 6 MB beyond the lmbench programs' },
  mmap: { count: 20, why: 'about 5 mappings (ld.so, input) per program run' },
  openClose: { count: 150, why: 'headers opened by cpp' },
  stat: { count: 300, why: 'include-path search, about two failed lookups per header' },
  nullIo: { count: 600, why: 'source, header and pipe reads and writes, 4 KB each' },
  create10k: { count: 1, why: 'the object file' },
  sigInstall: { count: 4, why: "the driver's signal handlers" },
};

/** Working set of a compiler pass, bytes (assumption: the 1500 pages it touches, about 6 MB). */
export const KERNEL_BUILD_WORKING_SET_BYTES = WORKLOAD_MODEL.kernelBuildWorkingSetBytes.value;

export const KERNEL_BUILD_DEFAULTS = {
  units: WORKLOAD_MODEL.kernelBuildUnits.value,
  osShare: KERNEL_BUILD_OS_SHARE,
} as const;

export interface KernelBuildOptions {
  /** Compilation units, ≥ 1. Default 600 (assumption). */
  readonly units?: number;
  /** Native OS share the computation is derived from, in (0, 1). Default 0.07 (Paper §4.1). */
  readonly osShare?: number;
}

export interface KernelBuildDerivation {
  /** Native OS time of one unit, ns (Σ count × L-UP cell). */
  readonly osNsPerUnit: number;
  /** Computation per unit, ns (osNsPerUnit × (1 − s) / s). */
  readonly computeNsPerUnit: number;
  readonly osShare: number;
  /** The terms of osNsPerUnit: op, count, native ns each, ns per unit. */
  readonly terms: readonly { op: string; count: number; nativeNs: number; ns: number }[];
}

function mixEntries(): [Table3Op, { readonly count: number; readonly why: string }][] {
  return Object.entries(KERNEL_BUILD_MIX) as [Table3Op, { readonly count: number; readonly why: string }][];
}

function opsPerUnit(): OpMixOptions['opsPerUnit'] {
  const out: Partial<Record<GuestOp, number>> = {};
  for (const [op, v] of mixEntries()) out[op] = v.count;
  return out;
}

/** The derivation of the computation per unit from the mix and the native OS share. */
export function kernelBuildDerivation(osShare: number = KERNEL_BUILD_OS_SHARE): KernelBuildDerivation {
  checkNumber('kernelBuild', 'osShare', osShare, 1e-6, 1 - 1e-6);
  const native = (op: GuestOp): number => publishedNs('L-UP', op as Table3Op);
  const terms = mixEntries().map(([op, v]) => {
    const nativeNs = native(op);
    return { op, count: v.count, nativeNs, ns: v.count * nativeNs };
  });
  const os = osNsPerUnit(opsPerUnit(), native);
  return { osNsPerUnit: os, computeNsPerUnit: (os * (1 - osShare)) / osShare, osShare, terms };
}

/** The kernel build as an operation mix (spawn it with new OpMixWorkload(kernelBuildMix())). */
export function kernelBuildMix(options: KernelBuildOptions = {}): OpMixOptions {
  const where = 'kernelBuild';
  const units = checkInt(where, 'units', options.units ?? KERNEL_BUILD_DEFAULTS.units, 1, 1_000_000);
  const d = kernelBuildDerivation(options.osShare ?? KERNEL_BUILD_OS_SHARE);
  return {
    name: 'kernel-build',
    opsPerUnit: opsPerUnit(),
    computeNsPerUnit: d.computeNsPerUnit,
    units,
    workingSetBytes: KERNEL_BUILD_WORKING_SET_BYTES,
  };
}

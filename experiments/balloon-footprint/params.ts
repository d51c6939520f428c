// Declarations of the balloon-footprint study (index.ts holds the model and the run): its measures, its
// parameters, the model's exact answers (paging starts below kernel + working set; the smallest size
// reachable with and without swap) and the check of a point's consistency. Units: pages of 4 KB, ns.
import { type ParamsOf, windowParams } from '../../src/kit/index.js';

export const PAGES_PER_MB = 256;

export const FOOTPRINT_MEASURES = {
  firstFaultPages: { unit: 'pages', doc: 'memory held when the first page fault happened (NaN: none)' },
  firstFaultMB: { unit: 'MB', doc: 'firstFaultPages in MB' },
  minPages: { unit: 'pages', doc: 'smallest memory the domain reached' },
  minMB: { unit: 'MB', doc: 'minPages in MB' },
  faultsPerSAtMin: { unit: '1/s', doc: 'page faults per second over the last holdNs (at the smallest size)' },
  unitsPerS: { unit: 'units/s', doc: 'work units completed per second over the last holdNs' },
} as const;

export const FOOTPRINT_PARAMS = {
  workingSetPages: {
    kind: 'int',
    default: 1024,
    min: 0,
    max: 1_000_000,
    unit: 'pages',
    doc: 'working set of the load W',
  },
  swap: {
    kind: 'enum',
    default: 'on',
    values: ['on', 'off'],
    unit: '',
    doc: 'swap space: on (any page can be evicted) or off (anonymous pages stay)',
  },
  swapDevice: {
    kind: 'enum',
    default: 'vbd',
    values: ['vbd', 'fixed'],
    unit: '',
    doc: "vbd: block requests on the guest's VBD through the back end and the disk model; fixed: the 7.9 ms stand-in",
  },
  swapPages: {
    kind: 'int',
    default: 32_768,
    min: 1,
    max: 4_000_000,
    unit: 'pages',
    doc: 'swap area on the VBD (vbd; 128 MB; assumption)',
  },
  reservationPages: {
    kind: 'int',
    default: 16_384,
    min: 1,
    max: 1_000_000,
    unit: 'pages',
    doc: 'initial reservation (64 MB: the paper’s example)',
  },
  kernelPages: {
    kind: 'int',
    default: 768,
    min: 0,
    max: 1_000_000,
    unit: 'pages',
    doc: 'non-pageable guest memory (3 MB; assumption)',
  },
  anonFraction: {
    kind: 'float',
    default: 0.5,
    min: 0,
    max: 1,
    unit: '',
    doc: 'anonymous share of the working set (assumption)',
  },
  unitCpuNs: {
    kind: 'int',
    default: 10_000_000,
    min: 1000,
    max: 1_000_000_000,
    unit: 'ns',
    doc: 'CPU per unit of the load (assumption: light daemons)',
  },
  touchesPerUnit: {
    kind: 'int',
    default: 10,
    min: 0,
    max: 1_000_000,
    unit: 'references',
    doc: 'page references per unit (assumption)',
  },
  stepPages: {
    kind: 'int',
    default: 64,
    min: 1,
    max: 1_000_000,
    unit: 'pages',
    doc: 'target lowered by this much per step',
  },
  stepIntervalNs: {
    kind: 'int',
    default: 100_000_000,
    min: 1_000_000,
    max: 100_000_000_000,
    unit: 'ns',
    doc: 'time between target steps',
  },
  holdNs: {
    kind: 'int',
    default: 4_000_000_000,
    min: 1_000_000,
    max: 1_000_000_000_000,
    unit: 'ns',
    doc: 'the last part of the run (fault-rate window)',
  },
  ...windowParams({
    warmupNs: 1_000_000_000,
    runLengthNs: 30_000_000_000,
    warmupDoc: 'before the first target step',
    runLengthDoc: 'the shrink and the hold (≥ steps × stepIntervalNs + holdNs)',
  }),
} as const;
type P = ParamsOf<typeof FOOTPRINT_PARAMS>;

/** The model's exact answers: paging starts below K + W; the smallest size reachable. */
export function footprintTheory(
  p: Pick<P, 'kernelPages' | 'workingSetPages' | 'anonFraction' | 'swap' | 'reservationPages'>,
): {
  pagingBelowPages: number;
  minPages: number;
} {
  const floor = p.swap === 'on' ? p.kernelPages : p.kernelPages + Math.ceil(p.anonFraction * p.workingSetPages);
  return { pagingBelowPages: p.kernelPages + p.workingSetPages, minPages: Math.min(p.reservationPages, floor) };
}

export function checkFootprint(p: P): string | undefined {
  if (p.kernelPages >= p.reservationPages)
    return `kernelPages (${p.kernelPages}) must be below reservationPages (${p.reservationPages})`;
  const shrinkNs = Math.ceil(p.reservationPages / p.stepPages) * p.stepIntervalNs;
  if (p.runLengthNs < shrinkNs + p.holdNs)
    return `runLengthNs (${p.runLengthNs}) must be at least the shrink (${shrinkNs}) + holdNs (${p.holdNs})`;
  return undefined;
}

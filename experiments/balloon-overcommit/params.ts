// Declarations of the balloon-overcommit study (index.ts holds the model and the run): its measures, its
// parameters and the check of a point's consistency (memory left per domain, swap areas that fit on the
// disk). Units: pages of 4 KB, ns; the sizes and the duty cycle are assumptions (index.ts header).
import { type ParamsOf, windowParams } from '../../src/kit/index.js';
import { DiskSchedulerKind } from '../../src/models/disk/scheduler.js';
import { DK32EJ_10K } from '../../src/models/disk/service.js';
import { SECTORS_PER_PAGE } from '../../src/models/memory/vbd-swap.js';
import { MEMORY_DEFAULTS } from '../../src/models/memory/defaults.js';

export const OVERCOMMIT_MEASURES = {
  unitsPerS: { unit: 'units/s', doc: 'work units completed by all guests per second (throughput)' },
  faultsPerS: { unit: '1/s', doc: 'page faults per second, all guests' },
  swapReadsPerS: { unit: '1/s', doc: 'swap page reads per second' },
  swapWritesPerS: { unit: '1/s', doc: 'swap page writes per second' },
  swapUtilisation: { unit: '', doc: 'swap device busy time / window' },
  balloonPagesPerS: { unit: 'pages/s', doc: 'pages moved by balloon drivers (either way) per second' },
  balloonCpuFraction: { unit: '', doc: 'guest CPU on balloon moves / window' },
  freeFraction: { unit: '', doc: 'free machine pages / machine pages, mean of 100 ms samples' },
} as const;

export const OVERCOMMIT_PARAMS = {
  domains: { kind: 'int', default: 8, min: 1, max: 256, unit: 'domains', doc: 'guest domains sharing the machine' },
  policy: {
    kind: 'enum',
    default: 'balloon',
    values: ['balloon', 'static'],
    unit: '',
    doc: 'static partition or ballooning',
  },
  machineMemoryPages: {
    kind: 'int',
    default: 131_072,
    min: 8192,
    max: 4_194_304,
    unit: 'pages',
    doc: 'machine memory (512 MB; assumption, see header)',
  },
  kernelPages: {
    kind: 'int',
    default: 1024,
    min: 0,
    max: 1_000_000,
    unit: 'pages',
    doc: 'non-pageable guest pages (4 MB; assumption)',
  },
  activeWorkingSetPages: {
    kind: 'int',
    default: 16_384,
    min: 1,
    max: 4_000_000,
    unit: 'pages',
    doc: 'working set in the active phase (64 MB; assumption)',
  },
  idleWorkingSetPages: {
    kind: 'int',
    default: 1024,
    min: 0,
    max: 4_000_000,
    unit: 'pages',
    doc: 'working set in the idle phase (4 MB; assumption)',
  },
  activeNs: {
    kind: 'int',
    default: 10_000_000_000,
    min: 1_000_000,
    max: 1_000_000_000_000,
    unit: 'ns',
    doc: 'active phase length (assumption)',
  },
  idleNs: {
    kind: 'int',
    default: 30_000_000_000,
    min: 1_000_000,
    max: 1_000_000_000_000,
    unit: 'ns',
    doc: 'idle phase length (assumption)',
  },
  unitCpuNs: {
    kind: 'int',
    default: 1_000_000,
    min: 1000,
    max: 1_000_000_000,
    unit: 'ns',
    doc: 'CPU per work unit (assumption)',
  },
  touchesPerUnit: {
    kind: 'int',
    default: 100,
    min: 0,
    max: 1_000_000,
    unit: 'references',
    doc: 'page references per work unit (assumption)',
  },
  swapDevice: {
    kind: 'enum',
    default: 'vbd',
    values: ['vbd', 'fixed'],
    unit: '',
    doc: "vbd: block requests on each guest's swap VBD through the back end and the disk model; fixed: the 7.9 ms FIFO stand-in",
  },
  swapPages: {
    kind: 'int',
    default: 32_768,
    min: 1,
    max: 4_000_000,
    unit: 'pages',
    doc: 'swap area of each guest (vbd; 128 MB; assumption)',
  },
  scheduler: {
    kind: 'enum',
    default: 'clook',
    values: Object.values(DiskSchedulerKind),
    unit: '',
    doc: 'disk scheduler of the block back end (vbd)',
  },
  ...windowParams({
    warmupNs: 10_000_000_000,
    runLengthNs: 80_000_000_000,
    warmupDoc: 'warm-up (a quarter of a phase cycle)',
  }),
} as const;
type P = ParamsOf<typeof OVERCOMMIT_PARAMS>;

export function checkOvercommit(p: P): string | undefined {
  if (p.idleWorkingSetPages > p.activeWorkingSetPages) {
    return `idleWorkingSetPages (${p.idleWorkingSetPages}) must be at most activeWorkingSetPages (${p.activeWorkingSetPages})`;
  }
  const free =
    p.machineMemoryPages - MEMORY_DEFAULTS.hypervisorPages - (p.domains + 1) * MEMORY_DEFAULTS.perDomainStatePages;
  if (free < p.domains)
    return `machineMemoryPages (${p.machineMemoryPages}) leaves less than one page per domain for ${p.domains} domains`;
  if (p.swapDevice === 'vbd' && p.domains * p.swapPages * SECTORS_PER_PAGE > DK32EJ_10K.capacitySectors)
    return `swapPages (${p.swapPages}) × domains (${p.domains}) must fit on the disk (${Math.floor(DK32EJ_10K.capacitySectors / SECTORS_PER_PAGE)} pages)`;
  return undefined;
}

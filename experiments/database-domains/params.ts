// Declarations of the database-domains study (index.ts holds the model and the run): its measures, its
// parameters (partition layout sizes are assumptions), the check of a point's consistency and the grid
// (IR and OLTP × native and Xen × 1, 2, 4, 8 instances with equal weights, then 8 Xen domains with
// weights 1..8). Units: MB of 2^20 bytes, ns.
import type { ParamsOf } from '../../src/runner/study.js';
import { windowParams } from '../../src/kit/index.js';
import { DISK_PRESETS } from '../../src/models/disk/service.js';

export const SECTORS_PER_MB = 2048;
/** lcm(1..8): mcuAdvance = 840 / weight is an integer for every weight 1..8. */
export const WEIGHT_SCALE = 840;

export const DATABASE_DOMAINS_MEASURES = {
  scorePerS: { unit: '1/s', doc: 'aggregate throughput: IR queries/s or OLTP transactions/s, all instances' },
  perInstancePerS: { unit: '1/s', doc: 'scorePerS / instances' },
  cpuUtilisation: { unit: '', doc: 'non-idle time of the two CPUs / (2 · window)' },
  diskBusyFraction: { unit: '', doc: 'disk service time started in the window / window' },
  queryLatencyMeanMs: { unit: 'ms', doc: 'mean query (transaction) time, start of its CPU to its end' },
  jainIndex: { unit: '', doc: "Jain's index of the instances' throughputs (1 = equal)" },
  shareGapPct: {
    unit: '%',
    doc: 'largest |throughput share − weight share| over the instances, percentage points (equal weights: from 1/N)',
  },
  perCpuShareGapPct: {
    unit: '%',
    doc: 'largest |throughput share − per-CPU weight share| (weights shared only among the instances on the same CPU)',
  },
  cpuShareGapPct: {
    unit: '%',
    doc: 'largest |share of guest CPU asked for − weight share| over the instances, percentage points',
  },
} as const;

export const DATABASE_DOMAINS_PARAMS = {
  workload: { kind: 'enum', default: 'ir', values: ['ir', 'oltp'], unit: '', doc: 'OSDB-like IR or OLTP' },
  system: { kind: 'enum', default: 'xen', values: ['xen', 'native'], unit: '', doc: 'Xen domains or native processes' },
  instances: { kind: 'int', default: 8, min: 1, max: 16, unit: 'instances', doc: 'database instances' },
  weights: {
    kind: 'enum',
    default: 'equal',
    values: ['equal', 'graded'],
    unit: '',
    doc: 'equal BVT weights, or instance i gets weight i (Xen only)',
  },
  clients: { kind: 'int', default: 1, min: 1, max: 64, unit: 'clients', doc: 'clients per instance (assumption: 1)' },
  partitionMB: {
    kind: 'int',
    default: 1024,
    min: 16,
    max: 16_384,
    unit: 'MB',
    doc: 'partition per instance (assumption)',
  },
  dataMB: { kind: 'int', default: 64, min: 1, max: 16_000, unit: 'MB', doc: 'data region per instance (assumption)' },
  logMB: { kind: 'int', default: 16, min: 1, max: 16_000, unit: 'MB', doc: 'log region per instance (assumption)' },
  ...windowParams({
    warmupNs: 2_000_000_000,
    runLengthNs: 20_000_000_000,
    runLengthMinNs: 10_000_000,
    runLengthMaxNs: 1_000_000_000_000,
    warmupDoc: 'warm-up',
  }),
} as const;
export type DatabaseDomainsParams = ParamsOf<typeof DATABASE_DOMAINS_PARAMS>;
type P = DatabaseDomainsParams;

export function checkDatabaseDomains(p: P): string | undefined {
  if (p.weights === 'graded' && p.system !== 'xen')
    return `weights 'graded' needs system 'xen' (native Linux has no domain weights), got system '${p.system}'`;
  if (p.weights === 'graded' && p.instances > 8)
    return `weights 'graded' supports up to 8 instances (weights 1..8), got instances ${p.instances}`;
  if (p.dataMB + p.logMB > p.partitionMB)
    return `dataMB + logMB (${p.dataMB + p.logMB}) must fit in partitionMB (${p.partitionMB})`;
  const diskMB = Math.floor(DISK_PRESETS.dk32ej.capacitySectors / SECTORS_PER_MB);
  if (p.instances * p.partitionMB > diskMB)
    return `instances × partitionMB (${p.instances * p.partitionMB}) must fit on the ${diskMB} MB disk`;
  return undefined;
}

/** The grid: the paper's figure (equal weights), then its "8 (diff)" case. */
export const DATABASE_DOMAINS_POINTS = [
  ...(['ir', 'oltp'] as const).flatMap((workload) =>
    (['native', 'xen'] as const).flatMap((system) =>
      [1, 2, 4, 8].map((instances) => ({ workload, system, instances, weights: 'equal' as const })),
    ),
  ),
  ...(['ir', 'oltp'] as const).map((workload) => ({
    workload,
    system: 'xen' as const,
    instances: 8,
    weights: 'graded' as const,
  })),
];

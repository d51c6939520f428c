// Declarations of the scalability study (index.ts holds the model and the run): the systems, the
// parameters (the slice-length setup's, minus the BVT variant, plus the ping warm-up of the UDP latency
// point), the measures, and the grid's points (figure 6: xen at 5 and 50 ms and native at each count,
// then the UDP latency point). Units: ns; throughput in CPU-seconds per second.
import { timeParam } from '../../src/kit/index.js';
import { CTX_ALLOWS, MS, PINNED_PARAMS } from '../slice-length/setup.js';
import { UDP_SETTLED_WARMUP_NS } from './charts.js';

export const SYSTEMS = ['xen', 'native', 'xen-udp'] as const;
export type ScalabilitySystem = (typeof SYSTEMS)[number];

const { bvtVariant: _variant, ...SETUP } = PINNED_PARAMS;

export const SCALABILITY_MEASURES = {
  workCpuPerS: {
    unit: 's/s',
    doc: 'aggregate throughput: CPU time per second of elapsed time that goes to the CPU-bound work (xen: guest CPU minus timer-event handlers; native: process CPU; at most `cpus`)',
  },
  switchingFraction: {
    unit: '',
    doc: 'fraction of the CPUs spent switching (xen: domain switches, host accounting; native: process switches in the kernel)',
  },
  switchesPerS: { unit: '1/s', doc: 'context switches per second, all CPUs (xen: domains; native: processes)' },
  busyRttMeanNs: {
    unit: 'ns',
    doc: 'xen-udp only: mean UDP ping round trip to the busy domain (the first CPU-bound one)',
  },
  busyRttSdNs: { unit: 'ns', doc: 'xen-udp only: standard deviation of the round trips to the busy domain' },
  idleRttMeanNs: { unit: 'ns', doc: 'xen-udp only: mean UDP ping round trip to the extra idle domain' },
  idleRttSdNs: { unit: 'ns', doc: 'xen-udp only: standard deviation of the round trips to the idle domain' },
} as const;

/** The figure-6 measures; the RTT measures are NaN (empty cells) on those points. */
export const NO_RTT = { busyRttMeanNs: NaN, busyRttSdNs: NaN, idleRttMeanNs: NaN, idleRttSdNs: NaN };
/** The xen-udp point's figure-6 measures: not measured there. */
export const NO_THROUGHPUT = { workCpuPerS: NaN, switchingFraction: NaN, switchesPerS: NaN };

/** The UDP latency point: 128 domains at ctxAllow 5 ms (the paper's setup). */
export const UDP_POINT = { system: 'xen-udp', ctxAllowNs: 5 * MS, domains: 128 } as const;

interface PointSpec {
  readonly system: ScalabilitySystem;
  readonly ctxAllowNs?: number;
  readonly domains: number;
}

/**
 * The figure's points: xen at each ctxAllow × counts, then native × counts (its ctxAllowNs unused), then
 * the UDP latency point.
 */
export function points(counts: readonly number[]): PointSpec[] {
  return [
    ...CTX_ALLOWS.flatMap((a) => counts.map((n): PointSpec => ({ system: 'xen', ctxAllowNs: a, domains: n }))),
    ...counts.map((n): PointSpec => ({ system: 'native', domains: n })),
    UDP_POINT,
  ];
}

export const SCALABILITY_PARAMS = {
  system: {
    kind: 'enum',
    default: 'xen',
    values: [...SYSTEMS],
    unit: '',
    doc: 'xen: one domain per copy under Xen 1.0 BVT; native: one process per copy on the bare-metal host',
  },
  ...SETUP,
  domains: {
    ...SETUP.domains,
    doc: 'copies of the CPU-bound work (domains on xen, processes on native; xen-udp: busy domains besides the idle one)',
  },
  udpWarmupNs: timeParam(
    UDP_SETTLED_WARMUP_NS,
    0,
    1_000_000_000_000,
    'xen-udp only: warm-up before the pings are recorded (30 s: the start-up lockstep that delays the idle domain has decayed; 1 s under --quick, still in it)',
  ),
} as const;

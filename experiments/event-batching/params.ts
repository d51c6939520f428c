// event-batching: the declarations of the study (index.ts): its parameters and measures, and the
// hold-off's label and order in charts and tables. Units as
// named (ns, requests/s, items); the cost anchors are docs/calibration.md's Table 3 rows, the event-channel
// costs are event-channels.ts's defaults.
import { EVENT_CHANNEL_DEFAULTS } from '../../src/models/events/event-channels.js';
import { formatNs } from '../../src/sim/time.js';
import { boolParam, enumParam, floatParam, intParam, timeParam, windowParams } from '../../src/kit/index.js';

export const EVENT_BATCHING_MEASURES = {
  throughputPerS: { unit: 'requests/s', doc: 'responses consumed by the client per second of the window' },
  latencyMeanNs: { unit: 'ns', doc: 'mean latency: arrival at the client → response consumed and processed' },
  latencyP50Ns: { unit: 'ns', doc: 'median latency' },
  latencyP99Ns: { unit: 'ns', doc: '99th-percentile latency' },
  notificationsPerItem: {
    unit: 'notifications/item',
    doc: 'notifications per item pushed, mean of the two directions (1/k at best)',
  },
  requestNotifiesPerItem: { unit: 'notifications/item', doc: 'client → server notifications per request pushed' },
  responseNotifiesPerItem: { unit: 'notifications/item', doc: 'server → client notifications per response pushed' },
  holdOffNotifyFraction: { unit: '', doc: 'fraction of the notifications sent by a hold-off timer' },
  notificationCpuFraction: {
    unit: '',
    doc: 'CPU on notifications (hypercalls + upcalls) / (notifications + useful work)',
  },
  notificationCpuPerItemNs: { unit: 'ns', doc: 'CPU on notifications per completed request' },
  switchingFraction: { unit: '', doc: 'context-switch time / (window · CPUs)' },
  cpuPerRequestNs: { unit: 'ns', doc: '(host busy + switching time) / completed requests' },
  hostUtilisation: { unit: '', doc: 'host busy time / (window · CPUs)' },
  backlogAtEnd: {
    unit: 'requests',
    doc: 'requests waiting at the client at the end (grows without bound past saturation)',
  },
} as const;

export const PARAMS = {
  k: intParam(
    1,
    1,
    1024,
    'items',
    'notification batch: the consumer re-arms its event index k items ahead (both directions; ≤ ring size)',
  ),
  holdOffNs: timeParam(
    100_000,
    0,
    10_000_000_000,
    'hold-off: notify at the latest this long after the first un-notified item; 0 = no timer',
  ),
  ratePerS: floatParam(50_000, 1, 10_000_000, 'requests/s', 'open loop: Poisson arrival rate'),
  arrival: enumParam(
    ['open', 'closed'],
    'open',
    'open: Poisson arrivals at ratePerS; closed: `outstanding` requests always in the system',
  ),
  outstanding: intParam(32, 1, 100_000, 'requests', 'closed loop: requests always outstanding'),
  serviceMeanNs: timeParam(
    1880,
    0,
    1_000_000_000,
    'server CPU per request, mean (1.88 µs: Table 3 Xen open/close anchor)',
  ),
  serviceDistribution: enumParam(
    ['exponential', 'constant'],
    'exponential',
    'distribution of the server CPU per request',
  ),
  clientIssueNs: timeParam(
    500,
    0,
    1_000_000_000,
    'client CPU to issue a request (0.5 µs: Table 3 Xen null I/O anchor)',
  ),
  clientResponseNs: timeParam(500, 0, 1_000_000_000, 'client CPU to consume a response'),
  ringSizeEntries: enumParam([16, 32, 64, 128, 256, 512, 1024], 256, 'ring size (256: Xen network rings)', 'entries'),
  hypercallNs: timeParam(
    EVENT_CHANNEL_DEFAULTS.hypercallNs,
    0,
    1_000_000_000,
    'EVTCHNOP_send cost at the sender (event-channels.ts)',
  ),
  upcallNs: timeParam(
    EVENT_CHANNEL_DEFAULTS.upcallNs,
    0,
    1_000_000_000,
    'upcall cost at the receiver (event-channels.ts)',
  ),
  server: enumParam(['guest', 'dom0'], 'guest', 'the serving domain: a second guest or domain 0'),
  cpus: intParam(1, 1, 64, 'CPUs', 'physical CPUs (1: the paper’s single-CPU runs)'),
  contextSwitchCosts: boolParam(true, 'charge the calibrated context-switch cost (false: free switches)'),
  ...windowParams({ warmupNs: 50_000_000, runLengthNs: 1_000_000_000, runLengthMaxNs: 1_000_000_000_000 }),
} as const;

/** "none" for 0, else "10 µs", "1 ms". */
export function holdOffLabel(v: unknown): string {
  return v === 0 ? 'none' : formatNs(Number(v));
}

/** Effective hold-off for ordering: none = ∞. */
export const holdOffRank = (v: unknown): number => (v === 0 ? Infinity : Number(v));

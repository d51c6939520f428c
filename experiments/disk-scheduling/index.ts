// Study disk-scheduling: throughput and latency percentiles of the FIFO, C-LOOK, SSTF and deadline disk
// schedulers in the hypervisor's block back end, against the queue depth per domain and the number of
// domains, on the paper's 10k RPM disk (DK32EJ preset) and on an SSD-like device.
//
// Model. `domains` guest domains, each with one VBD of an equal share of the disk (extent i of the
// disk, so domains' requests lie in separate bands, as separate partitions do) and a closed-loop
// random-read workload (IrWorkload, writeFraction `writeFraction`) keeping `depth` 4 KB requests
// outstanding. The back end (disk/blkback.ts) takes requests off the 64-entry rings in Xen 1.0's
// batched round robin (16 per domain per turn, 64 in flight, refill below 32), then the chosen
// scheduler orders them for the disk (disk/scheduler.ts) and the service model (disk/service.ts)
// times them. Ring notifications are direct. With `backend` = 'none' (default) no host CPU is
// modelled (the back end's CPU does not limit a disk: 1.88 µs per request against milliseconds of
// service); 'hypervisor' or 'dom0' builds a one-CPU host with that backendPlacement, and each turn's
// batch costs 1.88 µs per request of hypervisor softirq or dom0 time (measure backendCpuFraction).
// Randomness: the request sectors, stream `ir/<domain>`.
// Measures over [warmupNs, warmupNs + runLengthNs): completed requests per second, MB/s, latency
// (ring submission → response) mean and percentiles, Jain's index of the domains' throughputs, disk
// busy fraction. Request conservation is checked after every run.
// Defaults: warm-up 0.5 s, run 5 s, 3 replications; --quick: depth 1 and 8, 4
// domains, 0.05 s + 0.3 s, 2 replications.
import type { ParamsOf } from '../../src/runner/study.js';
import { defineStudy, windowParams } from '../../src/kit/index.js';
import { Quantiles, RandomStreams, Simulation } from '../../src/sim/index.js';
import { BlockBackend } from '../../src/models/disk/blkback.js';
import { Host } from '../../src/models/host/host.js';
import { DiskSchedulerKind } from '../../src/models/disk/scheduler.js';
import { DISK_PRESETS, DiskModel } from '../../src/models/disk/service.js';
import { IrWorkload } from '../../src/models/disk/workloads.js';
import { diskSchedulingCharts, diskSchedulingConsoleTable } from './charts.js';

export const DISK_SCHEDULERS = Object.values(DiskSchedulerKind);

export const DISK_SCHEDULING_MEASURES = {
  requestsPerS: { unit: '1/s', doc: 'requests completed per second of the window (all domains)' },
  mbPerS: { unit: 'MB/s', doc: 'bytes completed per second of the window, 10^6 bytes' },
  latencyMeanNs: { unit: 'ns', doc: 'mean request latency, ring submission to response' },
  latencyP50Ns: { unit: 'ns', doc: 'median request latency' },
  latencyP95Ns: { unit: 'ns', doc: '95th percentile of request latency' },
  latencyP99Ns: { unit: 'ns', doc: '99th percentile of request latency' },
  jainIndex: { unit: '', doc: "Jain's fairness index of the domains' request rates (1 = equal)" },
  diskBusyFraction: { unit: '', doc: 'disk service time started in the window / (window · channels)' },
  backendCpuFraction: { unit: '', doc: "back-end CPU (hypervisor time or dom0's) / window; 0 without a host" },
} as const;

const PARAMS = {
  disk: {
    kind: 'enum',
    default: 'dk32ej',
    values: ['dk32ej', 'ssd'],
    unit: '',
    doc: "dk32ej = the paper's 10k RPM SCSI disk, ssd = SSD-like preset",
  },
  scheduler: {
    kind: 'enum',
    default: 'clook',
    values: [...DISK_SCHEDULERS],
    unit: '',
    doc: 'disk scheduler in the back end',
  },
  domains: { kind: 'int', default: 4, min: 1, max: 64, unit: 'domains', doc: 'guest domains, one VBD each' },
  depth: {
    kind: 'int',
    default: 8,
    min: 1,
    max: 64,
    unit: 'requests',
    doc: 'outstanding 4 KB requests per domain (closed loop)',
  },
  backend: {
    kind: 'enum',
    default: 'none',
    values: ['none', 'hypervisor', 'dom0'],
    unit: '',
    doc: 'none = no host CPU; else a host with the back end in the hypervisor (Xen 1.0) or dom0 (Xen 2.0)',
  },
  writeFraction: { kind: 'float', default: 0, min: 0, max: 1, unit: '', doc: 'fraction of requests that are writes' },
  ...windowParams({ warmupNs: 500_000_000, runLengthNs: 5_000_000_000, runLengthMaxNs: 1_000_000_000_000 }),
} as const;
type P = ParamsOf<typeof PARAMS>;

const FREE_CONTROL = {
  createDomainCostNs: 0,
  destroyDomainCostNs: 0,
  setSchedParamsCostNs: 0,
  setMemoryTargetCostNs: 0,
  attachDeviceCostNs: 0,
} as const;

export const diskScheduling = defineStudy({
  name: 'disk-scheduling',
  version: 1,
  description:
    'FIFO, C-LOOK, SSTF and deadline disk scheduling: throughput and latency percentiles vs queue depth and domains, 10k RPM disk and SSD-like',
  details: [
    'Model: `domains` guest domains, each with a VBD on its own equal band of the disk and a closed loop of `depth`',
    'outstanding random 4 KB requests (writes with probability writeFraction). The block back end takes requests off',
    "the domains' 64-entry rings in Xen 1.0's batched round robin (16 per domain per turn, at most 64 in flight,",
    'refill below 32); the scheduler orders them; the disk model times them (DK32EJ: 4.9 ms mean seek, 10k RPM,',
    '60 MB/s, position-aware rotation; SSD-like: 8 channels, 50/200 µs access). Latency is ring submission to',
    'response. backend = hypervisor | dom0 adds a one-CPU host whose back end costs 1.88 µs per request there.',
    'Random stream: ir/<domain>. Conservation of requests is checked after each run.',
  ].join('\n'),
  params: PARAMS,
  grid: {
    kind: 'cartesian',
    axes: { disk: ['dk32ej', 'ssd'], scheduler: [...DISK_SCHEDULERS], depth: [1, 4, 16], domains: [1, 4, 8] },
  },
  quickGrid: { kind: 'cartesian', axes: { disk: ['dk32ej', 'ssd'], scheduler: [...DISK_SCHEDULERS], depth: [1, 8] } },
  replications: 3,
  quickReplications: 2,
  quickParams: { warmupNs: 50_000_000, runLengthNs: 300_000_000 },
  measures: DISK_SCHEDULING_MEASURES,
  run(p: P, ctx) {
    const sim = new Simulation();
    const rs = new RandomStreams(ctx.seed);
    const model = new DiskModel(DISK_PRESETS[p.disk]);
    const host =
      p.backend === 'none'
        ? null
        : new Host(sim, { backendPlacement: p.backend, controlCosts: FREE_CONTROL, timerTickNs: 0 });
    const be = new BlockBackend(sim, { disks: [model], scheduler: p.scheduler, host });
    const backendNs = (): number =>
      host === null ? 0 : p.backend === 'dom0' ? host.dom0.busyNs : host.checkConservation().hypervisorNs;
    const band = Math.floor(model.params.capacitySectors / p.domains);
    const loads: IrWorkload[] = [];
    // one latency collector for every domain (exact type-7 percentiles up to 100 000 samples, then DDSketch)
    const latency = new Quantiles();
    for (let d = 1; d <= p.domains; d++) {
      be.addVbd(d, { extents: [{ disk: 0, startSector: (d - 1) * band, lengthSectors: band }], mode: 'rw' });
      const w = new IrWorkload(sim, be.front(d), {
        region: { vbd: 0, startSector: 0, lengthSectors: band },
        clients: p.depth,
        writeFraction: p.writeFraction,
        rng: rs.stream(`ir/${d}`),
        cpuNs: 0,
        latency,
      });
      loads.push(w);
      w.start();
    }
    let busy0 = 0;
    let cpu0 = 0;
    sim.schedule(p.warmupNs, () => {
      for (const w of loads) w.resetStats();
      busy0 = be.diskStats(0).busyNs;
      cpu0 = backendNs();
    });
    sim.run(p.warmupNs + p.runLengthNs);
    be.checkConservation();
    const seconds = p.runLengthNs / 1e9;
    const rates = loads.map((w) => w.completed / seconds);
    const sum = rates.reduce((a, b) => a + b, 0);
    const sq = rates.reduce((a, b) => a + b * b, 0);
    const completed = loads.reduce((a, w) => a + w.completed, 0);
    return {
      measures: {
        requestsPerS: sum,
        mbPerS: loads.reduce((a, w) => a + w.bytes, 0) / seconds / 1e6,
        latencyMeanNs: completed === 0 ? NaN : loads.reduce((a, w) => a + w.latencySumNs, 0) / completed,
        latencyP50Ns: latency.quantile(0.5),
        latencyP95Ns: latency.quantile(0.95),
        latencyP99Ns: latency.quantile(0.99),
        jainIndex: sq > 0 ? (sum * sum) / (rates.length * sq) : NaN,
        diskBusyFraction: Math.min(1, (be.diskStats(0).busyNs - busy0) / (p.runLengthNs * model.channels)),
        backendCpuFraction: (backendNs() - cpu0) / p.runLengthNs,
      },
      events: sim.eventsProcessed,
    };
  },
  charts: diskSchedulingCharts,
  consoleTable: diskSchedulingConsoleTable,
});

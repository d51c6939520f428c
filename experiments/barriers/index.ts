// Study barriers: an OLTP-like workload's throughput and commit latency against how often its commits
// are reorder barriers, with a reordering disk scheduler (C-LOOK) and without reordering (FIFO).
//
// Model. `domains` guest domains on the paper's 10k RPM disk (DK32EJ preset), each with one VBD of an
// equal band of the disk and an OLTP-like workload (disk/workloads.ts OltpWorkload: `clients`
// clients; a transaction reads `readsPerTx` random 4 KB pages one after another, submits `writesPerTx`
// random 4 KB write-backs without waiting, then an 8 KB commit to a sequential log at the end of its
// band, and ends when the commit completes). Every `barrierEvery`-th commit of a domain is a reorder
// barrier (0 = none): the back end issues it only after every earlier request of the domain has
// completed, and nothing later before it (disk/barrier.ts). The x axis is the fraction of commits
// that are barriers, 1/barrierEvery (0 for none). FIFO never reorders, so a barrier there costs only
// the wait for the write-backs already queued; C-LOOK loses its freedom to reorder across the barrier.
// Block path as in the disk-scheduling study (rings, batched round robin, 64 in flight); no host CPU.
// Randomness: the data sectors, stream `oltp/<domain>`.
// Measures over [warmupNs, warmupNs + runLengthNs): transactions per second (all domains), commit
// latency mean/median/p99, transaction latency mean, disk requests per second.
// Defaults: 1 domain, 8 clients, 3 reads and 3 write-backs per transaction (assumptions: a TPC-B-like
// mix), warm-up 1 s, run 10 s, 3 replications; --quick: 0.2 s + 1 s, 2 replications, fewer frequencies.
import type { ParamsOf } from '../../src/runner/study.js';
import { defineStudy, windowParams } from '../../src/kit/index.js';
import { Quantiles, RandomStreams, Simulation } from '../../src/sim/index.js';
import { BlockBackend } from '../../src/models/disk/blkback.js';
import { DiskModel, DK32EJ_10K } from '../../src/models/disk/service.js';
import { OltpWorkload } from '../../src/models/disk/workloads.js';
import { barriersCharts, barriersConsoleTable } from './charts.js';

export const BARRIERS_MEASURES = {
  txPerS: { unit: '1/s', doc: 'transactions committed per second (all domains)' },
  commitMeanNs: { unit: 'ns', doc: 'mean commit latency (commit write submitted → completed)' },
  commitP50Ns: { unit: 'ns', doc: 'median commit latency' },
  commitP99Ns: { unit: 'ns', doc: '99th percentile of commit latency' },
  txMeanNs: { unit: 'ns', doc: 'mean transaction latency (first read → commit completed)' },
  requestsPerS: { unit: '1/s', doc: 'disk requests completed per second' },
  barrierFraction: { unit: '', doc: 'fraction of commits that are barriers (1/barrierEvery, 0 for none)' },
} as const;

const PARAMS = {
  scheduler: {
    kind: 'enum',
    default: 'clook',
    values: ['clook', 'fifo'],
    unit: '',
    doc: 'clook = reordering elevator, fifo = no reordering',
  },
  barrierEvery: {
    kind: 'int',
    default: 1,
    min: 0,
    max: 1_000_000,
    unit: 'commits',
    doc: 'every n-th commit is a barrier; 0 = none',
  },
  domains: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 64,
    unit: 'domains',
    doc: 'guest domains running the OLTP-like workload',
  },
  clients: { kind: 'int', default: 8, min: 1, max: 1000, unit: 'clients', doc: 'concurrent clients per domain' },
  readsPerTx: {
    kind: 'int',
    default: 3,
    min: 0,
    max: 100,
    unit: 'reads',
    doc: 'synchronous random 4 KB reads per transaction (assumption)',
  },
  writesPerTx: {
    kind: 'int',
    default: 3,
    min: 0,
    max: 100,
    unit: 'writes',
    doc: 'asynchronous random 4 KB write-backs per transaction (assumption)',
  },
  ...windowParams({
    warmupNs: 1_000_000_000,
    runLengthNs: 10_000_000_000,
    runLengthMaxNs: 1_000_000_000_000,
  }),
} as const;
type P = ParamsOf<typeof PARAMS>;

/** Sectors of each domain's band kept for its log (512 MB). */
const LOG_SECTORS = 1 << 20;

export const barriers = defineStudy({
  name: 'barriers',
  version: 1,
  description:
    'OLTP-like throughput and commit latency vs the fraction of commits that are reorder barriers, with (C-LOOK) and without (FIFO) reordering',
  details: [
    'Model: `domains` domains on the 10k RPM disk model, each an OLTP-like workload of `clients` clients: readsPerTx',
    'synchronous random 4 KB reads, writesPerTx asynchronous random 4 KB write-backs, then an 8 KB commit to a',
    'sequential log; every barrierEvery-th commit is a reorder barrier (0 = none): nothing later of the domain is',
    'issued before it, and it waits for everything earlier. Block path: 64-entry rings, batched round robin, 64 in',
    'flight, the chosen scheduler. x axis: fraction of commits that are barriers. Random stream: oltp/<domain>.',
  ].join('\n'),
  params: PARAMS,
  grid: { kind: 'cartesian', axes: { scheduler: ['clook', 'fifo'], barrierEvery: [0, 16, 8, 4, 2, 1] } },
  quickGrid: { kind: 'cartesian', axes: { scheduler: ['clook', 'fifo'], barrierEvery: [0, 4, 1] } },
  replications: 3,
  quickReplications: 2,
  quickParams: { warmupNs: 200_000_000, runLengthNs: 1_000_000_000 },
  measures: BARRIERS_MEASURES,
  run(p: P, ctx) {
    const sim = new Simulation();
    const rs = new RandomStreams(ctx.seed);
    const model = new DiskModel(DK32EJ_10K);
    const be = new BlockBackend(sim, { disks: [model], scheduler: p.scheduler });
    const band = Math.floor(model.params.capacitySectors / p.domains);
    const commits = new Quantiles();
    const loads: OltpWorkload[] = [];
    for (let d = 1; d <= p.domains; d++) {
      be.addVbd(d, { extents: [{ disk: 0, startSector: (d - 1) * band, lengthSectors: band }], mode: 'rw' });
      const w = new OltpWorkload(sim, be.front(d), {
        data: { vbd: 0, startSector: 0, lengthSectors: band - LOG_SECTORS },
        log: { vbd: 0, startSector: band - LOG_SECTORS, lengthSectors: LOG_SECTORS },
        clients: p.clients,
        readsPerTx: p.readsPerTx,
        writesPerTx: p.writesPerTx,
        barrierEvery: p.barrierEvery,
        rng: rs.stream(`oltp/${d}`),
        cpuNs: 0,
        commitLatency: commits,
      });
      loads.push(w);
      w.start();
    }
    sim.schedule(p.warmupNs, () => {
      for (const w of loads) w.resetStats();
    });
    sim.run(p.warmupNs + p.runLengthNs);
    be.checkConservation();
    const seconds = p.runLengthNs / 1e9;
    const tx = loads.reduce((a, w) => a + w.transactions, 0);
    return {
      measures: {
        txPerS: tx / seconds,
        commitMeanNs: tx === 0 ? NaN : loads.reduce((a, w) => a + w.commitSumNs, 0) / tx,
        commitP50Ns: commits.quantile(0.5),
        commitP99Ns: commits.quantile(0.99),
        txMeanNs: tx === 0 ? NaN : loads.reduce((a, w) => a + w.txSumNs, 0) / tx,
        requestsPerS: loads.reduce((a, w) => a + w.completed, 0) / seconds,
        barrierFraction: p.barrierEvery === 0 ? 0 : 1 / p.barrierEvery,
      },
      events: sim.eventsProcessed,
    };
  },
  charts: barriersCharts,
  consoleTable: barriersConsoleTable,
});

// examples/disk/study.ts — the study: the ring disk's latency against the load, next to M/M/1 theory
// (a FIFO server with exponential service: W = S/(1 − ρ)). The module is also the study registry the
// runner's worker threads load (`export const studies`).
import { RandomStreams, Simulation } from 'hvsim';
import { defineStudy, measureVsParam } from 'hvsim/kit';
import { RingDisk } from './disk.js';

export const diskStudy = defineStudy({
  name: 'ring-disk',
  description: 'A disk with a FIFO queue behind a descriptor ring: latency vs load against M/M/1',
  details: 'Poisson arrivals at load/serviceMeanNs; one disk, exponential service; latency = arrival → response taken.',
  params: {
    load: { kind: 'float', default: 0.5, min: 0.05, max: 0.95, unit: '', doc: 'offered load ρ' },
    serviceMeanNs: { kind: 'int', default: 4_000_000, min: 1_000, unit: 'ns', doc: 'mean service time (4 ms: assumption)' },
    ringSizeEntries: { kind: 'enum', default: 32, values: [8, 16, 32, 64], unit: 'entries', doc: 'ring size' },
    warmupNs: { kind: 'int', default: 20_000_000_000, min: 0, unit: 'ns', doc: 'warm-up' },
    runLengthNs: { kind: 'int', default: 200_000_000_000, min: 1_000_000, unit: 'ns', doc: 'measured window' },
  },
  grid: { kind: 'cartesian', axes: { load: [0.3, 0.6, 0.9] } },
  replications: 4,
  measures: {
    latencyMeanNs: { unit: 'ns', doc: 'mean latency, arrival → response taken' },
    utilisation: { unit: '', doc: 'disk busy time / window' },
  },
  run(p, ctx) {
    const sim = new Simulation();
    const streams = new RandomStreams(ctx.seed);
    const arrivals = streams.stream('arrivals');
    const disk = new RingDisk(sim, streams.stream('service'), p.serviceMeanNs, p.ringSizeEntries);
    const next = (): void => {
      disk.arrive();
      sim.schedule(Math.max(1, Math.round(arrivals.exponential(p.serviceMeanNs / p.load))), next);
    };
    sim.schedule(Math.round(arrivals.exponential(p.serviceMeanNs / p.load)), next);
    sim.run(p.warmupNs);
    disk.measuring = true;
    sim.run(p.warmupNs + p.runLengthNs);
    return { measures: { latencyMeanNs: disk.latency.mean, utilisation: disk.busyNs / p.runLengthNs }, events: sim.eventsProcessed };
  },
  charts: (data) => [
    measureVsParam({
      id: 'latency-vs-load',
      title: 'Ring disk: mean latency vs load, simulated (95% CI) and M/M/1 W = S/(1−ρ)',
      summary: data.summary.filter((r) => r.measure === 'latencyMeanNs'),
      measure: 'latencyMeanNs',
      x: 'load',
      xTitle: 'load ρ',
      yTitle: 'mean latency (ns)',
    }),
  ],
});

export const studies = [diskStudy];

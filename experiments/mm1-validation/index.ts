// Study mm1-validation: an M/M/1 queue built from the engine's generator processes and a Resource,
// checked against queueing theory. It proves the pipeline end to end (engine, random streams,
// statistics, runner, CSV, charts, report) on a model whose answer is known exactly.
//
// Model: Poisson arrivals at rate λ = ρ/S, one server, FIFO, exponential service times of mean S
// (`serviceMeanNs`), infinite queue. A source process draws inter-arrival times from the stream
// 'arrivals' and starts one customer process per arrival; a customer requests the server (a Resource
// of capacity 1), draws its service time from the stream 'service' when it starts service, holds the
// server for it and leaves. Sampled times are rounded to integer ns (S = 1 ms: the rounding changes
// the means by far less than 1e-6 relative).
//
// Measurement: the system starts empty; statistics are reset at `warmupNs` (warm-up deletion) and the
// run stops at warmupNs + runLengthNs. Waits (time in queue) are recorded when service starts,
// sojourns when customers leave, so every customer counted in the window is complete; queue lengths
// and the busy server are time-weighted over the window.
//
// Table numberInSystemDistribution: per run, the fraction of the window with exactly n customers in
// the system, n = 0 … the largest n seen, next to the stationary M/M/1 probability (1−ρ)ρⁿ.
//
// Theory (M/M/1, e.g. Kleinrock, Queueing Systems vol. 1, §3.2; Law, Simulation Modeling and Analysis,
// §1.4): Wq = ρ/(μ−λ) = ρS/(1−ρ), W = S/(1−ρ), L = ρ/(1−ρ), Lq = ρ²/(1−ρ), utilisation = ρ.
//
// Defaults: S = 1 ms (any scale gives the same curves in units of S). Warm-up 20 s = 20 000 mean
// service times, more than ten times the relaxation time 1/(μ(1−√ρ)²) ≈ 1 560 S at ρ = 0.95 (Morse's
// formula; Cohen, The Single Server Queue). Run length 400 s = 400 000 service times and 10
// replications: the asymptotic variance of the time-average number in system is 2ρ(1+ρ)/(1−ρ)⁴ (in
// units of S; Whitt 1989), which predicts a 95% CI half-width of at most about ±4.5% of L at
// ρ = 0.95 (±3% observed) and under ±1% at ρ ≤ 0.5. The sweep simulates about 9e7 events (4 per
// customer): `npm start` takes about 15-30 s on 2 shared cores, leaving headroom under a minute.
// --quick: 2 s warm-up, 20 s runs, 5 replications, loads 0.1, 0.3, 0.5, 0.7, 0.9.
// The builder module itself, not src/charts/index.js: worker threads load this file, and the index
// would pull in vega and the PNG renderer, which only the main thread needs.
import {
  RandomStreams,
  Resource,
  Simulation,
  StatsGroup,
  Tally,
  TimeWeighted,
  type ProcessGenerator,
} from '../../src/sim/index.js';
import type { ParamsOf, RunContext, TypedRunResult } from '../../src/runner/study.js';
import { defineStudy, windowParams } from '../../src/kit/index.js';
import { mm1Charts, mm1ConsoleTable, mm1ReportSummary } from './charts.js';

export { mm1Charts, mm1ConsoleTable, mm1ReportSummary } from './charts.js';

const LOADS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] as const;
const QUICK_LOADS = [0.1, 0.3, 0.5, 0.7, 0.9] as const;

export const MM1_MEASURES = {
  waitMeanNs: {
    unit: 'ns',
    doc: 'mean time in queue (arrival to start of service) of customers starting service in the window',
  },
  sojournMeanNs: { unit: 'ns', doc: 'mean time in system of customers leaving in the window' },
  numberInSystemMean: { unit: 'customers', doc: 'time-average number of customers in the system (queue + service)' },
  queueLengthMean: { unit: 'customers', doc: 'time-average number of customers waiting' },
  utilization: { unit: '', doc: 'time-average fraction of the window the server is busy' },
  customersServed: { unit: 'customers', doc: 'customers that left in the window' },
} as const;
export type Mm1Measure = keyof typeof MM1_MEASURES;

const PARAMS = {
  load: {
    kind: 'float',
    default: 0.5,
    min: 0.05,
    max: 0.99,
    unit: '',
    doc: 'offered load ρ = λ/μ (server utilisation)',
  },
  serviceMeanNs: {
    kind: 'int',
    default: 1_000_000,
    min: 1_000,
    max: 10_000_000_000,
    unit: 'ns',
    doc: 'mean service time S = 1/μ (default 1 ms; results scale with S)',
  },
  ...windowParams({
    warmupNs: 20_000_000_000,
    runLengthNs: 400_000_000_000,
    warmupMaxNs: 100_000_000_000_000,
    runLengthMaxNs: 100_000_000_000_000,
    warmupDoc: 'warm-up: statistics are reset at this time (default 20 s = 20 000 S)',
    runLengthDoc: 'measured run length after warm-up (default 400 s = 400 000 S)',
  }),
} as const;

/** Analytic M/M/1 values for load rho and mean service time s (ns). */
export function mm1Theory(rho: number, serviceMeanNs: number): Record<Exclude<Mm1Measure, 'customersServed'>, number> {
  return {
    waitMeanNs: (rho * serviceMeanNs) / (1 - rho),
    sojournMeanNs: serviceMeanNs / (1 - rho),
    numberInSystemMean: rho / (1 - rho),
    queueLengthMean: (rho * rho) / (1 - rho),
    utilization: rho,
  };
}

/** One replication of one load. */
function simulate(p: ParamsOf<typeof PARAMS>, ctx: RunContext): TypedRunResult<typeof MM1_MEASURES> {
  const rho = p.load;
  const serviceMeanNs = p.serviceMeanNs;
  const warmupNs = p.warmupNs;
  const endNs = warmupNs + p.runLengthNs;
  const interarrivalMeanNs = serviceMeanNs / rho;

  const sim = new Simulation();
  const streams = new RandomStreams(ctx.seed);
  const arrivals = streams.stream('arrivals');
  const service = streams.stream('service');
  const server = new Resource(sim, 1, 'server');

  const stats = new StatsGroup();
  const waits = stats.add(new Tally());
  const sojourns = stats.add(new Tally());
  const inSystem = stats.add(new TimeWeighted(0, 0));
  const waiting = stats.add(new TimeWeighted(0, 0));
  const busy = stats.add(new TimeWeighted(0, 0));
  // Time spent with exactly n customers in the system, for the distribution table (reset at warm-up).
  let levelTimeNs: number[] = [];
  let level = 0;
  let levelSinceNs = 0;
  const changeLevel = (nowNs: number, delta: number): void => {
    levelTimeNs[level] = (levelTimeNs[level] ?? 0) + (nowNs - levelSinceNs);
    levelSinceNs = nowNs;
    level += delta;
  };

  function* customer(): ProcessGenerator {
    const arrivedNs = sim.now;
    inSystem.add(arrivedNs, 1);
    changeLevel(arrivedNs, 1);
    waiting.add(arrivedNs, 1);
    const req = server.request();
    yield req;
    const startNs = sim.now;
    waiting.add(startNs, -1);
    busy.update(startNs, 1);
    waits.add(startNs - arrivedNs);
    yield sim.timeout(Math.round(service.exponential(serviceMeanNs)));
    server.release(req);
    const leftNs = sim.now;
    busy.update(leftNs, server.count);
    inSystem.add(leftNs, -1);
    changeLevel(leftNs, -1);
    sojourns.add(leftNs - arrivedNs);
  }

  function* source(): ProcessGenerator {
    for (;;) {
      yield sim.timeout(Math.round(arrivals.exponential(interarrivalMeanNs)));
      sim.process(customer(), 'customer');
    }
  }

  sim.process(source(), 'source');
  sim.schedule(warmupNs, () => {
    stats.resetAll(sim.now);
    levelTimeNs = [];
    levelSinceNs = sim.now;
  });
  sim.run(endNs);
  changeLevel(endNs, 0);
  const windowNs = endNs - warmupNs;
  const distribution = Array.from(levelTimeNs, (t, n) => ({
    n,
    probability: (t ?? 0) / windowNs,
    theory: (1 - rho) * rho ** n,
  }));

  return {
    measures: {
      waitMeanNs: waits.mean,
      sojournMeanNs: sojourns.mean,
      numberInSystemMean: inSystem.mean(endNs),
      queueLengthMean: waiting.mean(endNs),
      utilization: busy.mean(endNs),
      customersServed: sojourns.count,
    },
    events: sim.eventsProcessed,
    tables: { numberInSystemDistribution: distribution },
  };
}

export const mm1Validation = defineStudy({
  name: 'mm1-validation',
  version: 1,
  description:
    'M/M/1 queue (generator processes + Resource): simulated mean wait and number in system vs theory, load 0.1-0.95',
  details: [
    'Poisson arrivals (rate λ = load / serviceMeanNs) to one FIFO server with exponential service times',
    '(mean serviceMeanNs), built from engine processes and a Resource. Statistics are reset after warmupNs',
    'and collected for runLengthNs. Each chart shows the simulated mean with its Student-t 95% CI over',
    'replications next to the analytic M/M/1 curve: Wq = ρ/(μ−λ) = ρS/(1−ρ) and L = ρ/(1−ρ).',
    'Random streams: "arrivals" (inter-arrival times) and "service" (service times).',
    '`hvsim run` prints simulated vs analytic at every load.',
  ].join('\n'),
  params: PARAMS,
  grid: { kind: 'cartesian', axes: { load: LOADS } },
  quickGrid: { kind: 'cartesian', axes: { load: QUICK_LOADS } },
  replications: 10,
  quickReplications: 5,
  quickParams: { warmupNs: 2_000_000_000, runLengthNs: 20_000_000_000 },
  measures: MM1_MEASURES,
  tables: {
    numberInSystemDistribution: {
      doc: 'distribution of the number in system over the measured window, one row per n from 0 to the largest n seen',
      columns: {
        n: 'number of customers in the system',
        probability: 'fraction of the window with exactly n in the system',
        theory: 'M/M/1 stationary probability (1−ρ)ρⁿ',
      },
    },
  },
  run: simulate,
  charts: mm1Charts,
  consoleTable: mm1ConsoleTable,
  reportSummary: mm1ReportSummary,
});

/** One replication of one load, on erased parameters (as the runner calls it). */
export const runMm1 = mm1Validation.run;

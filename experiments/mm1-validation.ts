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
import { RandomStreams, Resource, Simulation, StatsGroup, Tally, TimeWeighted, type ProcessGenerator } from '../src/sim/index.js';
import type { ParamsOf, RunContext, StudyData, SummaryRow, TypedRunResult } from '../src/runner/study.js';
import { defineStudy, fmt, measureVsParam, StudyQuery, type ChartSpec, type ConsoleTable } from '../src/kit/index.js';

const LOADS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] as const;
const QUICK_LOADS = [0.1, 0.3, 0.5, 0.7, 0.9] as const;
const NS_PER_MS = 1e6;

export const MM1_MEASURES = {
  waitMeanNs: { unit: 'ns', doc: 'mean time in queue (arrival to start of service) of customers starting service in the window' },
  sojournMeanNs: { unit: 'ns', doc: 'mean time in system of customers leaving in the window' },
  numberInSystemMean: { unit: 'customers', doc: 'time-average number of customers in the system (queue + service)' },
  queueLengthMean: { unit: 'customers', doc: 'time-average number of customers waiting' },
  utilization: { unit: '', doc: 'time-average fraction of the window the server is busy' },
  customersServed: { unit: 'customers', doc: 'customers that left in the window' },
} as const;
type Mm1Measure = keyof typeof MM1_MEASURES;

const PARAMS = {
    load: { kind: 'float', default: 0.5, min: 0.05, max: 0.99, unit: '', doc: 'offered load ρ = λ/μ (server utilisation)' },
  serviceMeanNs: {
    kind: 'int',
    default: 1_000_000,
    min: 1_000,
    max: 10_000_000_000,
    unit: 'ns',
    doc: 'mean service time S = 1/μ (default 1 ms; results scale with S)',
  },
  warmupNs: {
    kind: 'int',
    default: 20_000_000_000,
    min: 0,
    max: 100_000_000_000_000,
    unit: 'ns',
    doc: 'warm-up: statistics are reset at this time (default 20 s = 20 000 S)',
  },
  runLengthNs: {
    kind: 'int',
    default: 400_000_000_000,
    min: 1_000_000,
    max: 100_000_000_000_000,
    unit: 'ns',
    doc: 'measured run length after warm-up (default 400 s = 400 000 S)',
  },
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

/** Summary row of `measure` at each point, in point order. */
const rowsOf = (data: StudyData, measure: string): SummaryRow[] => new StudyQuery(data).rows(measure);

function theoryOf(row: SummaryRow, measure: Exclude<Mm1Measure, 'customersServed'>): number {
  return mm1Theory(Number(row.params['load']), Number(row.params['serviceMeanNs']))[measure];
}

function inside(row: SummaryRow, theory: number): boolean {
  return Math.abs(row.mean - theory) <= row.halfWidth;
}

/** Summary rows with mean and half-width divided by `scale` (ns → ms for the charts). */
function scaled(rows: readonly SummaryRow[], scale: number): SummaryRow[] {
  return rows.map((r) => ({ ...r, mean: r.mean / scale, sd: r.sd / scale, halfWidth: r.halfWidth / scale }));
}

/** Theory points on a fine load grid spanning the swept loads, one curve per service mean. */
function theoryCurve(
  rows: readonly SummaryRow[],
  measure: Exclude<Mm1Measure, 'customersServed'>,
  scale: number,
  bySeries: boolean,
): { x: number; y: number; series?: string }[] {
  const loads = rows.map((r) => Number(r.params['load']));
  const lo = Math.min(...loads);
  const hi = Math.max(...loads);
  const services = [...new Set(rows.map((r) => Number(r.params['serviceMeanNs'])))];
  const steps = 200;
  const points: { x: number; y: number; series?: string }[] = [];
  for (const s of services) {
    for (let i = 0; i <= steps; i++) {
      const x = hi === lo ? lo : lo + ((hi - lo) * i) / steps;
      const p: { x: number; y: number; series?: string } = { x, y: mm1Theory(x, s)[measure] / scale };
      if (bySeries) p.series = String(s);
      points.push(p);
    }
  }
  return points;
}

export function mm1Charts(data: StudyData): ChartSpec[] {
  const waitRows = rowsOf(data, 'waitMeanNs');
  const lRows = rowsOf(data, 'numberInSystemMean');
  const bySeries = new Set(waitRows.map((r) => r.params['serviceMeanNs'])).size > 1;
  const color = bySeries ? { color: 'serviceMeanNs', colorTitle: 'mean service time (ns)' } : {};
  return [
    measureVsParam({
      id: 'wait-vs-load',
      title: 'M/M/1: mean wait in queue vs load, simulated (95% CI) and Wq = ρ/(μ−λ)',
      summary: scaled(waitRows, NS_PER_MS),
      measure: 'waitMeanNs',
      x: 'load',
      xTitle: 'load ρ = λ/μ',
      yTitle: 'mean wait in queue Wq (ms, log scale)',
      yScale: 'log',
      ...color,
      theory: { label: 'theory ρ/(μ−λ)', points: theoryCurve(waitRows, 'waitMeanNs', NS_PER_MS, bySeries) },
    }),
    measureVsParam({
      id: 'number-in-system-vs-load',
      title: 'M/M/1: mean number in system vs load, simulated (95% CI) and L = ρ/(1−ρ)',
      summary: lRows,
      measure: 'numberInSystemMean',
      x: 'load',
      xTitle: 'load ρ = λ/μ',
      yTitle: 'mean number in system L (log scale)',
      yScale: 'log',
      ...color,
      theory: { label: 'theory ρ/(1−ρ)', points: theoryCurve(lRows, 'numberInSystemMean', 1, bySeries) },
    }),
  ];
}

/** "yes", or "no (1.3 hw)": how many CI half-widths the theory lies from the simulated mean. */
function verdict(row: SummaryRow, theory: number): string {
  if (inside(row, theory)) return 'yes';
  return row.halfWidth > 0 ? `no (${(Math.abs(row.mean - theory) / row.halfWidth).toFixed(2)} hw)` : 'no';
}

export function mm1ConsoleTable(data: StudyData): ConsoleTable {
  const waitRows = rowsOf(data, 'waitMeanNs');
  const lRows = rowsOf(data, 'numberInSystemMean');
  let waitIn = 0;
  let lIn = 0;
  const rows = waitRows.map((w, i) => {
    const l = lRows[i] as SummaryRow;
    const wT = theoryOf(w, 'waitMeanNs');
    const lT = theoryOf(l, 'numberInSystemMean');
    const wOk = inside(w, wT);
    const lOk = inside(l, lT);
    if (wOk) waitIn++;
    if (lOk) lIn++;
    return [
      fmt(Number(w.params['load']), 3),
      `${fmt(w.mean / NS_PER_MS)} ± ${fmt(w.halfWidth / NS_PER_MS, 2)}`,
      fmt(wT / NS_PER_MS),
      verdict(w, wT),
      `${fmt(l.mean)} ± ${fmt(l.halfWidth, 2)}`,
      fmt(lT),
      verdict(l, lT),
    ];
  });
  const n = waitRows[0]?.n ?? 0;
  return {
    title: `M/M/1 simulated (mean ± 95% CI over ${n} replications) vs analytic`,
    header: ['load', 'Wq sim (ms)', 'Wq theory', 'in CI', 'L sim', 'L theory', 'in CI'],
    rows,
    notes: [
      `theory inside the 95% CI: Wq at ${waitIn}/${waitRows.length} loads, L at ${lIn}/${lRows.length} loads ` +
        `(a 95% CI misses about 1 time in 20 by chance; "hw" = CI half-widths between theory and the simulated mean)`,
    ],
  };
}

export function mm1ReportSummary(data: StudyData): string[] {
  const waitRows = rowsOf(data, 'waitMeanNs');
  const lRows = rowsOf(data, 'numberInSystemMean');
  const count = (rows: SummaryRow[], m: 'waitMeanNs' | 'numberInSystemMean'): number => rows.filter((r) => inside(r, theoryOf(r, m))).length;
  const worst = Math.max(...waitRows.map((r) => Math.abs(r.mean / theoryOf(r, 'waitMeanNs') - 1)));
  return [
    `The analytic mean wait Wq = ρ/(μ−λ) lies inside the simulated 95% confidence interval at ${count(waitRows, 'waitMeanNs')} of ${waitRows.length} loads,`,
    `and L = ρ/(1−ρ) at ${count(lRows, 'numberInSystemMean')} of ${lRows.length};`,
    `the largest relative deviation of the simulated Wq from theory is ${(100 * worst).toFixed(2)}%.`,
  ];
}

export const mm1Validation = defineStudy({
  name: 'mm1-validation',
  version: 1,
  description: 'M/M/1 queue (generator processes + Resource): simulated mean wait and number in system vs theory, load 0.1-0.95',
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

// Synthetic CPU workloads for a domain's vCPU:
// - cpuBurstWorkload: a process alternating CPU bursts (demand on the vCPU) and blocking waits, both
//   drawn from distributions. Between a burst's completion and the next burst the vCPU has no demand,
//   so a positive wait blocks it (and the next burst wakes it through the scheduler); a zero wait
//   issues the next burst at the same instant and the vCPU keeps the CPU (host.ts, end of instant).
// - cpuBoundWorkload: pure CPU-bound (SPEC CINT2000-like: "compute-bound; almost no system calls",
//   docs/calibration.md); issues back-to-back chunks of demand and never blocks.
//
// Randomness: one Rng stream per (domain, vCPU, purpose), named
//   `cpu-burst/<domain name>/v<vcpu index>/burst` and `…/wait`,
// so adding a domain or a workload does not perturb the draws of the others (common random numbers),
// and bursts and waits are independent of each other.
// Distributions (all in ns, draws rounded to integer ns, negative draws clamped to 0):
//   { kind: 'constant', valueNs } | { kind: 'exponential', meanNs } | { kind: 'uniform', loNs, hiNs }
//   | { kind: 'erlang', k, meanNs } | { kind: 'lognormal', meanNs, sdNs }
//   | { kind: 'bounded-pareto', loNs, hiNs, shape }
// No defaults for the distributions: a study states them (and their source). cpuBoundWorkload's
// chunk (100 ms by default) only sets how often the process wakes to re-issue demand; it does not
// change the schedule (the vCPU never blocks between chunks).
// Units: ns.
import type { Process, ProcessGenerator, RandomStreams, Rng } from '../../sim/index.js';
import { checkInt, checkNumber, rangeFail } from '../validate.js';
import type { Domain } from '../host/domain.js';

export type CpuDistribution =
  | { readonly kind: 'constant'; readonly valueNs: number }
  | { readonly kind: 'exponential'; readonly meanNs: number }
  | { readonly kind: 'uniform'; readonly loNs: number; readonly hiNs: number }
  | { readonly kind: 'erlang'; readonly k: number; readonly meanNs: number }
  | { readonly kind: 'lognormal'; readonly meanNs: number; readonly sdNs: number }
  | { readonly kind: 'bounded-pareto'; readonly loNs: number; readonly hiNs: number; readonly shape: number };

export const DistributionKind = {
  constant: 'constant',
  exponential: 'exponential',
  uniform: 'uniform',
  erlang: 'erlang',
  lognormal: 'lognormal',
  boundedPareto: 'bounded-pareto',
} as const;

const BIG = 1e15;

/** Validates a distribution (RangeError naming the field). */
export function validateDistribution(where: string, field: string, d: CpuDistribution): void {
  if (d === null || typeof d !== 'object') rangeFail(where, field, 'a distribution object', d);
  switch (d.kind) {
    case 'constant':
      checkNumber(where, `${field}.valueNs`, d.valueNs, 0, BIG);
      return;
    case 'exponential':
      checkNumber(where, `${field}.meanNs`, d.meanNs, Number.MIN_VALUE, BIG);
      return;
    case 'uniform':
      checkNumber(where, `${field}.loNs`, d.loNs, 0, BIG);
      checkNumber(where, `${field}.hiNs`, d.hiNs, d.loNs, BIG);
      return;
    case 'erlang':
      checkInt(where, `${field}.k`, d.k, 1, 1000);
      checkNumber(where, `${field}.meanNs`, d.meanNs, Number.MIN_VALUE, BIG);
      return;
    case 'lognormal':
      checkNumber(where, `${field}.meanNs`, d.meanNs, Number.MIN_VALUE, BIG);
      checkNumber(where, `${field}.sdNs`, d.sdNs, 0, BIG);
      return;
    case 'bounded-pareto':
      checkNumber(where, `${field}.loNs`, d.loNs, Number.MIN_VALUE, BIG);
      checkNumber(where, `${field}.hiNs`, d.hiNs, d.loNs, BIG);
      checkNumber(where, `${field}.shape`, d.shape, Number.MIN_VALUE, 1000);
      return;
    default:
      rangeFail(
        where,
        `${field}.kind`,
        `one of ${Object.values(DistributionKind)
          .map((k) => JSON.stringify(k))
          .join(', ')}`,
        (d as { kind?: unknown }).kind,
      );
  }
}

/** One draw, integer ns ≥ 0. */
export function drawNs(rng: Rng, d: CpuDistribution): number {
  let x: number;
  switch (d.kind) {
    case 'constant':
      x = d.valueNs;
      break;
    case 'exponential':
      x = rng.exponential(d.meanNs);
      break;
    case 'uniform':
      x = rng.uniform(d.loNs, d.hiNs);
      break;
    case 'erlang':
      x = rng.erlang(d.k, d.meanNs);
      break;
    case 'lognormal':
      x = rng.lognormalMeanSd(d.meanNs, d.sdNs);
      break;
    case 'bounded-pareto':
      x = rng.boundedPareto(d.loNs, d.hiNs, d.shape);
      break;
  }
  return x > 0 ? Math.round(x) : 0;
}

export interface CpuBurstOptions {
  /** CPU burst lengths. */
  readonly burst: CpuDistribution;
  /** Blocking waits between bursts. */
  readonly wait: CpuDistribution;
  /** Which vCPU of the domain. Default 0. */
  readonly vcpuIndex?: number;
  /** Stop after this many bursts. Default: never. */
  readonly maxBursts?: number;
  /** Absolute start time, ns. Default: now. */
  readonly startAtNs?: number;
  /** Tag on the demands. Default 'cpu-burst'. */
  readonly tag?: string;
}

/** A running workload: its process and counters. */
export class CpuWorkload {
  /** Bursts (or chunks) completed. */
  burstsDone = 0;
  /** CPU demand issued so far, ns. */
  issuedNs = 0;
  private stopped = false;
  process: Process<void> | null = null;

  /** Stops issuing demand after the current burst (or wait). */
  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}

function vcpuOf(where: string, domain: Domain, index: number) {
  checkInt(where, 'vcpuIndex', index, 0, domain.vcpus.length - 1);
  return domain.vcpus[index] as (typeof domain.vcpus)[number];
}

/** Starts a burst/wait workload on a domain's vCPU. */
export function cpuBurstWorkload(domain: Domain, streams: RandomStreams, options: CpuBurstOptions): CpuWorkload {
  const where = `cpuBurstWorkload(${domain.name})`;
  validateDistribution(where, 'burst', options.burst);
  validateDistribution(where, 'wait', options.wait);
  const index = options.vcpuIndex ?? 0;
  const vcpu = vcpuOf(where, domain, index);
  const max = options.maxBursts === undefined ? Infinity : checkInt(where, 'maxBursts', options.maxBursts, 0);
  const sim = domain.host.sim;
  const startAt = checkInt(where, 'startAtNs', options.startAtNs ?? sim.now, sim.now);
  const base = `cpu-burst/${domain.name}/v${index}`;
  const burstRng = streams.stream(`${base}/burst`);
  const waitRng = streams.stream(`${base}/wait`);
  const tag = options.tag ?? 'cpu-burst';
  const w = new CpuWorkload();
  function* body(): ProcessGenerator<void> {
    if (startAt > sim.now) yield sim.timeout(startAt - sim.now);
    while (!w.isStopped && w.burstsDone < max && domain.alive) {
      const b = drawNs(burstRng, options.burst);
      w.issuedNs += b;
      yield vcpu.run(b, { tag });
      w.burstsDone++;
      const wait = drawNs(waitRng, options.wait);
      if (wait > 0) yield sim.timeout(wait);
    }
  }
  w.process = sim.process(body(), `${base}`);
  return w;
}

export interface CpuBoundOptions {
  /** Which vCPU. Default 0. */
  readonly vcpuIndex?: number;
  /** Demand per chunk, ns. Default 100 ms (bookkeeping only, see header). */
  readonly chunkNs?: number;
  readonly startAtNs?: number;
  readonly tag?: string;
}

/** Starts a pure CPU-bound workload (never blocks) on a domain's vCPU. */
export function cpuBoundWorkload(domain: Domain, options: CpuBoundOptions = {}): CpuWorkload {
  const where = `cpuBoundWorkload(${domain.name})`;
  const index = options.vcpuIndex ?? 0;
  const vcpu = vcpuOf(where, domain, index);
  const chunk = checkInt(where, 'chunkNs', options.chunkNs ?? 100_000_000, 1);
  const sim = domain.host.sim;
  const startAt = checkInt(where, 'startAtNs', options.startAtNs ?? sim.now, sim.now);
  const tag = options.tag ?? 'cpu-bound';
  const w = new CpuWorkload();
  function* body(): ProcessGenerator<void> {
    if (startAt > sim.now) yield sim.timeout(startAt - sim.now);
    while (!w.isStopped && domain.alive) {
      w.issuedNs += chunk;
      yield vcpu.run(chunk, { tag });
      w.burstsDone++;
    }
  }
  w.process = sim.process(body(), `cpu-bound/${domain.name}/v${index}`);
  return w;
}

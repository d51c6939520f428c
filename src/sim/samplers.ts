// Table-driven samplers: DiscreteSampler (weighted index, Vose alias method) and EmpiricalSampler
// (resampling observed data, or a piecewise-linear inverse CDF).
//
// Units: DiscreteSampler returns an index; EmpiricalSampler returns values in the unit of its data
// or CDF knots. No defaults here: the tables come from the calling model (and its calibration source).
// Every sample() draws exactly one uniform from the Rng it is given, so a sampler can be shared by
// several streams and stays aligned across sweep points (common random numbers).
import { rangeFail, rangeFailText } from './check.js';
import type { Rng } from './rng.js';

/** Throws the uniform bad-argument error (check.ts); a string `got` is a description, shown as is. */
function fail(fn: string, arg: string, allowed: string, got: number | string): never {
  if (typeof got === 'string') rangeFailText(fn, arg, allowed, got);
  return rangeFail(fn, arg, allowed, got);
}

/**
 * Draws index i with probability weights[i] / sum(weights), in O(1) per draw
 * (Vose, "A linear algorithm for generating random numbers with a given distribution", 1991).
 * Weights need not be normalised. An index of weight 0 is never returned, even with rounding.
 */
export class DiscreteSampler {
  /** prob[i]: probability of keeping i in column i (else alias[i]); exactly 0 for weight 0. */
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;
  private readonly n: number;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) fail('DiscreteSampler', 'weights', 'a non-empty array', 'an empty array');
    let total = 0;
    let heaviest = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!(w >= 0 && w < Infinity)) fail('DiscreteSampler', `weights[${i}]`, 'a finite number >= 0', w);
      total += w;
      if (w > (weights[heaviest] as number)) heaviest = i;
    }
    if (!(total > 0)) fail('DiscreteSampler', 'weights', 'an array with a positive sum', 'sum 0');
    if (!(total < Infinity)) fail('DiscreteSampler', 'weights', 'an array with a finite sum', `sum ${total}`);

    this.n = n;
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = new Float64Array(n);
    const small = new Uint32Array(n);
    const large = new Uint32Array(n);
    let nSmall = 0;
    let nLarge = 0;
    for (let i = 0; i < n; i++) {
      const p = ((weights[i] as number) / total) * n;
      scaled[i] = p;
      this.alias[i] = i;
      if (p < 1) small[nSmall++] = i;
      else large[nLarge++] = i;
    }
    while (nSmall > 0 && nLarge > 0) {
      const s = small[--nSmall] as number;
      const l = large[nLarge - 1] as number; // a large column always has weight > 0
      this.prob[s] = scaled[s] as number;
      this.alias[s] = l;
      const rest = (scaled[l] as number) + (scaled[s] as number) - 1;
      scaled[l] = rest;
      if (rest < 1) {
        nLarge--;
        small[nSmall++] = l;
      }
    }
    // What is left has scaled weight 1 up to rounding: keep it whole. A zero-weight index can be
    // left over only through rounding; it must never be returned, so send its column elsewhere.
    while (nLarge > 0) this.prob[large[--nLarge] as number] = 1;
    while (nSmall > 0) {
      const s = small[--nSmall] as number;
      if ((weights[s] as number) > 0) {
        this.prob[s] = 1;
      } else {
        this.prob[s] = 0;
        this.alias[s] = heaviest;
      }
    }
  }

  /** An index in [0, weights.length), using one uniform from `rng`. */
  sample(rng: Rng): number {
    const x = rng.next() * this.n; // < n: see Rng.int()
    const i = Math.floor(x);
    return x - i < (this.prob[i] as number) ? i : (this.alias[i] as number);
  }
}

/**
 * An empirical distribution: either uniform resampling of observed values (fromSamples), or a
 * piecewise-linear CDF through given knots, sampled by its inverse (fromCdf).
 */
export class EmpiricalSampler {
  /** The data (fromSamples) or the knots' x (fromCdf). */
  private readonly xs: Float64Array;
  /** The knots' cumulative probabilities (fromCdf), or null (fromSamples). */
  private readonly ps: Float64Array | null;

  private constructor(xs: Float64Array, ps: Float64Array | null) {
    this.xs = xs;
    this.ps = ps;
  }

  /** Each draw is one of `xs`, chosen uniformly (duplicates count with their multiplicity). */
  static fromSamples(xs: readonly number[]): EmpiricalSampler {
    if (xs.length === 0) fail('EmpiricalSampler.fromSamples', 'xs', 'a non-empty array', 'an empty array');
    const data = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      if (!Number.isFinite(x)) fail('EmpiricalSampler.fromSamples', `xs[${i}]`, 'a finite number', x);
      data[i] = x;
    }
    return new EmpiricalSampler(data, null);
  }

  /**
   * The distribution whose CDF is the piecewise-linear interpolation of `points`:
   * F(x_i) = p_i, linear in between, 0 below x_0. x and p must be nondecreasing, p in [0, 1], and
   * the last p equal to 1 (within 1e-9). A first p > 0 is an atom at x_0; two knots with the same
   * x are an atom there; a flat stretch (equal p) carries no probability.
   */
  static fromCdf(points: readonly { x: number; p: number }[]): EmpiricalSampler {
    const fn = 'EmpiricalSampler.fromCdf';
    const n = points.length;
    if (n === 0) fail(fn, 'points', 'a non-empty array', 'an empty array');
    const xs = new Float64Array(n);
    const ps = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const { x, p } = points[i] as { x: number; p: number };
      if (!Number.isFinite(x)) fail(fn, `points[${i}].x`, 'a finite number', x);
      if (!(p >= 0 && p <= 1)) fail(fn, `points[${i}].p`, 'a number in [0, 1]', p);
      if (i > 0) {
        const px = xs[i - 1] as number;
        const pp = ps[i - 1] as number;
        if (x < px) fail(fn, `points[${i}].x`, `>= points[${i - 1}].x (${px}) (x nondecreasing)`, x);
        if (p < pp) fail(fn, `points[${i}].p`, `>= points[${i - 1}].p (${pp}) (p nondecreasing)`, p);
      }
      xs[i] = x;
      ps[i] = p;
    }
    const last = ps[n - 1] as number;
    if (!(Math.abs(last - 1) <= 1e-9)) fail(fn, `points[${n - 1}].p`, '1 (the last knot closes the CDF)', last);
    ps[n - 1] = 1;
    return new EmpiricalSampler(xs, ps);
  }

  /** One draw, using one uniform from `rng`. */
  sample(rng: Rng): number {
    const u = rng.next();
    const xs = this.xs;
    const ps = this.ps;
    if (ps === null) return xs[Math.floor(u * xs.length)] as number;
    // The first knot i with u < p_i (exists: the last p is 1 > u).
    let lo = 0;
    let hi = ps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < (ps[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === 0) return xs[0] as number; // atom at x_0 of mass p_0
    const p0 = ps[lo - 1] as number; // p0 <= u < p1, so p1 - p0 > 0
    const p1 = ps[lo] as number;
    const x0 = xs[lo - 1] as number;
    const x1 = xs[lo] as number;
    const x = x0 + ((u - p0) / (p1 - p0)) * (x1 - x0);
    return x < x1 ? x : x1;
  }
}

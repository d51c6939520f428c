// Named random streams and the Rng with its samplers (exponential, normal, lognormal, Pareto,
// bounded Pareto, Erlang, gamma, Bernoulli, choice, shuffle).
//
// Units: none of its own; every sampler returns values in the unit of its parameters (a mean in ns
// gives draws in ns). Nothing here has defaults: every parameter comes from the calling model, whose
// header names the source (docs/calibration.md).
//
// Determinism. No Math.random and no clock: all randomness flows from a master seed.
//   RandomStreams(master).stream(name) === new Rng(deriveSeed(master, name)) (memoised), so a
//   stream's draws depend only on (master, name): creating, or drawing from, another stream never
//   changes them (common random numbers across sweep points and model variants).
//   A sweep derives per-run master seeds with deriveSeed(master, study, point, replication).
//
// Generator: seedrandom's `alea` (Baagøe's multiply-with-carry, period ~2^116, reported to pass
// TestU01 BigCrush), read through its 53-bit `double()`, so next() is a multiple of 2^-53 in [0, 1).
// Micro-benchmark (Node 20, this 2-core shared machine, 2e7 draws per case in its own process, best
// of 5 rounds; scratch script, not in the repo):
//               next() 32-bit   next() 53-bit (.double)   exponential (53-bit)
//   alea        5.8-6.4 ns      11.3-11.9 ns              22.7-23.7 ns
//   xor128      1.7-1.8 ns      5.3-6.7 ns                16.3-23.4 ns
//   xorshift7   3.5-3.7 ns      9.0-13.4 ns               24.1-32.8 ns
//   Through Rng (best runs, machine loaded): next 15 ns, uniform 17 ns, exponential 25 ns,
//   normal 33 ns, DiscreteSampler.sample 23 ns. Noise on this shared machine is +-50%.
// xor128 is fastest but is a pure xor-shift (fails BigCrush MatrixRank and LinearComp, and its
// output is GF(2)-linear in the seed: seeded with "d0".."d3", int32 draws satisfy d0^d1^d2^d3 = 0,
// checked on 1000 of 1000 draws). seedrandom's xorshift7 ignores the first 7 characters of a
// string seed (checked: 'aaaaaaaXYZ' and 'bbbbbbbXYZ' give the same sequence). alea is not
// linear, passes BigCrush, and costs a few ns more than xor128: small next to one event-queue
// operation.
// We read 53 bits (not alea's 32-bit default) so that the far tails (exponential beyond 22 means,
// Pareto maxima) are not quantised on a 2^-32 grid.
//
// Seeding: the seed string is hashed with cyrb128 (128 bits) and the hash is loaded as alea's state
// (s0, s1, s2 = 96 bits, carry c in [1, 2091637]) through seedrandom's documented `state` option.
// alea's own string seeding (Mash) keeps at most ~53 bits of state, which would make seed collisions
// plausible across millions of (study, point, replication, stream) combinations.
//
// Every sampler draws its uniforms through next() (so a test subclass can script them).
// Draw consumption (which matters for common random numbers): next/uniform/int/exponential/
// pareto/boundedPareto/bernoulli/choice use one uniform (uniform redraws only if rounding hits hi);
// erlang(k) uses k; shuffle(n) n-1;
// normal/lognormal use the Marsaglia polar method (a pair of normals per accepted pair of uniforms,
// the spare cached in the Rng and shared by normal, lognormal and gamma); gamma is a rejection
// method (Marsaglia-Tsang). Degenerate parameters (sd = 0, sigma = 0) still consume their draws, so
// sweeping a parameter down to 0 keeps the stream aligned.
import seedrandom from 'seedrandom';
import { rangeFail as fail, rangeFailText, showValue as show } from './check.js';

/** Multiplier of alea's multiply-with-carry recurrence; the carry must stay below it. */
const ALEA_MULTIPLIER = 2091639;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

function isPositiveFinite(x: number): boolean {
  return x > 0 && x < Infinity;
}

function isNonNegativeFinite(x: number): boolean {
  return x >= 0 && x < Infinity;
}

/**
 * cyrb128 (bryc, public domain): a fast non-cryptographic 128-bit string hash, as 4 unsigned
 * 32-bit lanes. Operates on UTF-16 code units.
 */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function hex8(x: number): string {
  return x.toString(16).padStart(8, '0');
}

/**
 * A stable seed string (32 lowercase hex digits) derived from `parts`, e.g.
 * `deriveSeed(master, study, point, replication)`.
 * Each part is length-prefixed before hashing, so the encoding is injective: ('a', 'b'), ('ab')
 * and ('a|b') all differ. Numbers enter as String(n), so 3 and '3' are the same part.
 * The result is a 128-bit cyrb128 hash: accidental collisions need ~2^64 distinct inputs.
 */
export function deriveSeed(...parts: readonly (string | number)[]): string {
  let encoded = 'hvsim.seed.v1';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    let text: string;
    if (typeof part === 'number') {
      if (!Number.isFinite(part)) fail('deriveSeed', `parts[${i}]`, 'a string or a finite number', part);
      text = String(part);
    } else if (typeof part === 'string') {
      text = part;
    } else {
      fail('deriveSeed', `parts[${i}]`, 'a string or a finite number', part);
    }
    encoded += `|${text.length}:${text}`;
  }
  const [a, b, c, d] = cyrb128(encoded);
  return hex8(a) + hex8(b) + hex8(c) + hex8(d);
}

/**
 * A family of independent, named random streams under one master seed.
 * stream(name) is memoised and equals `new Rng(deriveSeed(masterSeed, name))`.
 */
export class RandomStreams {
  readonly masterSeed: string;
  private readonly streams = new Map<string, Rng>();

  /** A number is used through String(n): 42 and '42' are the same master seed. */
  constructor(masterSeed: string | number) {
    if (typeof masterSeed === 'number') {
      if (!Number.isFinite(masterSeed)) {
        fail('RandomStreams', 'masterSeed', 'a non-empty string or a finite number', masterSeed);
      }
      this.masterSeed = String(masterSeed);
    } else if (typeof masterSeed === 'string' && masterSeed.length > 0) {
      this.masterSeed = masterSeed;
    } else {
      fail('RandomStreams', 'masterSeed', 'a non-empty string or a finite number', masterSeed);
    }
  }

  /** The stream called `name`; the same object on every call with the same name. */
  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      if (typeof name !== 'string' || name.length === 0) {
        fail('RandomStreams.stream', 'name', 'a non-empty string', name);
      }
      rng = new Rng(deriveSeed(this.masterSeed, name));
      this.streams.set(name, rng);
    }
    return rng;
  }
}

/** A seeded uniform source and the samplers built on it. Not thread-shared; cheap to create. */
export class Rng {
  /** seedrandom alea's 53-bit double(): multiples of 2^-53 in [0, 1). */
  private readonly u01: () => number;
  /** Marsaglia polar produces normals in pairs; the second is kept here (standard normal). */
  private spare = 0;
  private hasSpare = false;

  constructor(seed: string) {
    if (typeof seed !== 'string') fail('Rng', 'seed', 'a string', seed);
    const [a, b, c, d] = cyrb128(seed);
    const prng = seedrandom.alea('', {
      state: {
        s0: a * TWO_POW_MINUS_32,
        s1: b * TWO_POW_MINUS_32,
        s2: c * TWO_POW_MINUS_32,
        // Carry in [1, multiplier - 2]: avoids both fixed points of the MWC recurrence
        // (all zero with carry 0; all ones with carry multiplier - 1).
        c: 1 + (d % (ALEA_MULTIPLIER - 2)),
      },
    });
    this.u01 = prng.double;
  }

  /** Uniform in [0, 1), 53-bit resolution. Every sampler below draws its uniforms through this. */
  next(): number {
    return this.u01();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    const width = hi - lo;
    if (!(width > 0 && width < Infinity)) failUniform(lo, hi);
    for (;;) {
      const x = lo + width * this.next();
      if (x < hi) return x; // rounding can reach hi for some (lo, hi); redraw (practically never)
    }
  }

  /** Uniform integer in [lo, hiExclusive); both safe integers, hiExclusive - lo <= 2^53 - 1. */
  int(lo: number, hiExclusive: number): number {
    const n = hiExclusive - lo;
    if (!(Number.isSafeInteger(lo) && Number.isSafeInteger(hiExclusive) && n > 0 && Number.isSafeInteger(n))) {
      failInt(lo, hiExclusive);
    }
    // u <= 1 - 2^-53 and n < 2^53, so u * n rounds to below n: the index never reaches n.
    return lo + Math.floor(this.next() * n);
  }

  /** Exponential with the given mean (not rate). */
  exponential(mean: number): number {
    if (!(mean > 0 && mean < Infinity)) fail('exponential', 'mean', 'a finite number > 0', mean);
    // 1 - u is exact and in [2^-53, 1]; `0 - log` keeps u = 0 at +0 rather than -0.
    return mean * (0 - Math.log(1 - this.next()));
  }

  /** Normal (Gaussian) with the given mean and standard deviation (sd >= 0). */
  normal(mean: number, sd: number): number {
    if (!Number.isFinite(mean)) fail('normal', 'mean', 'a finite number', mean);
    if (!isNonNegativeFinite(sd)) fail('normal', 'sd', 'a finite number >= 0', sd);
    return mean + sd * this.standardNormal();
  }

  /** exp(N(mu, sigma^2)): mu and sigma are the parameters of the underlying normal. */
  lognormal(mu: number, sigma: number): number {
    if (!Number.isFinite(mu)) fail('lognormal', 'mu', 'a finite number', mu);
    if (!isNonNegativeFinite(sigma)) fail('lognormal', 'sigma', 'a finite number >= 0', sigma);
    return Math.exp(mu + sigma * this.standardNormal());
  }

  /** Lognormal given the distribution's own mean (> 0) and standard deviation (>= 0). */
  lognormalMeanSd(mean: number, sd: number): number {
    if (!isPositiveFinite(mean)) fail('lognormalMeanSd', 'mean', 'a finite number > 0', mean);
    if (!isNonNegativeFinite(sd)) fail('lognormalMeanSd', 'sd', 'a finite number >= 0', sd);
    const cv = sd / mean;
    const sigma2 = Math.log1p(cv * cv);
    const mu = Math.log(mean) - sigma2 / 2;
    return Math.exp(mu + Math.sqrt(sigma2) * this.standardNormal());
  }

  /** Pareto (type I) with minimum `scale` (x_m > 0) and tail index `shape` (alpha > 0). */
  pareto(scale: number, shape: number): number {
    if (!isPositiveFinite(scale)) fail('pareto', 'scale', 'a finite number > 0', scale);
    if (!isPositiveFinite(shape)) fail('pareto', 'shape', 'a finite number > 0', shape);
    return scale * Math.pow(1 - this.next(), -1 / shape);
  }

  /** Pareto truncated to [lo, hi] (0 < lo < hi), by its inverse CDF. */
  boundedPareto(lo: number, hi: number, shape: number): number {
    if (!isPositiveFinite(lo)) fail('boundedPareto', 'lo', 'a finite number > 0', lo);
    if (!(hi > lo && hi < Infinity)) fail('boundedPareto', 'hi', `a finite number > lo (${show(lo)})`, hi);
    if (!isPositiveFinite(shape)) fail('boundedPareto', 'shape', 'a finite number > 0', shape);
    // F(x) = (1 - (lo/x)^a) / (1 - (lo/hi)^a)  =>  x = lo * (1 - u (1 - (lo/hi)^a))^(-1/a).
    const tailMass = -Math.expm1(shape * Math.log(lo / hi)); // 1 - (lo/hi)^a, accurate when small
    const x = lo * Math.pow(1 - this.next() * tailMass, -1 / shape);
    return x < lo ? lo : x > hi ? hi : x; // clamp last-bit rounding
  }

  /** Erlang: the sum of k exponentials whose total mean is `mean` (each has mean / k). */
  erlang(k: number, mean: number): number {
    if (!(Number.isSafeInteger(k) && k >= 1)) fail('erlang', 'k', 'an integer >= 1', k);
    if (!isPositiveFinite(mean)) fail('erlang', 'mean', 'a finite number > 0', mean);
    // Sum of logs as one log of a product, flushed before it can underflow (each factor >= 2^-53).
    let logSum = 0;
    let product = 1;
    for (let i = 0; i < k; i++) {
      product *= 1 - this.next();
      if (product < 1e-280) {
        logSum += Math.log(product);
        product = 1;
      }
    }
    logSum += Math.log(product);
    return (mean / k) * (0 - logSum);
  }

  /**
   * Gamma with `shape` (k > 0) and `scale` (theta > 0); mean k * theta.
   * Marsaglia & Tsang (2000); for shape < 1, Gamma(shape + 1) * U^(1/shape).
   */
  gamma(shape: number, scale: number): number {
    if (!isPositiveFinite(shape)) fail('gamma', 'shape', 'a finite number > 0', shape);
    if (!isPositiveFinite(scale)) fail('gamma', 'scale', 'a finite number > 0', scale);
    if (shape < 1) {
      const g = this.marsagliaTsang(shape + 1);
      return g * Math.pow(1 - this.next(), 1 / shape) * scale;
    }
    return this.marsagliaTsang(shape) * scale;
  }

  /** true with probability p. */
  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) fail('bernoulli', 'p', 'a number in [0, 1]', p);
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  choice<T>(items: readonly T[]): T {
    const n = items.length;
    if (!(n > 0)) rangeFailText('choice', 'items', 'a non-empty array', `length ${n}`);
    return items[Math.floor(this.next() * n)] as T; // index in [0, n): see int()
  }

  /** Fisher-Yates shuffle in place; returns `items`. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /** N(0, 1) by the Marsaglia polar method, caching the second value of each pair. */
  private standardNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** Gamma(shape, 1) for shape >= 1 (Marsaglia & Tsang 2000, "A simple method ..."). */
  private marsagliaTsang(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.standardNormal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }
}

function failUniform(lo: number, hi: number): never {
  if (!Number.isFinite(lo)) fail('uniform', 'lo', 'a finite number', lo);
  if (!Number.isFinite(hi)) fail('uniform', 'hi', 'a finite number', hi);
  if (!(hi > lo)) fail('uniform', 'hi', `> lo (${show(lo)})`, hi);
  return fail('uniform', 'hi - lo', 'a finite number', hi - lo);
}

function failInt(lo: number, hiExclusive: number): never {
  if (!Number.isSafeInteger(lo)) fail('int', 'lo', 'a safe integer', lo);
  if (!Number.isSafeInteger(hiExclusive)) fail('int', 'hiExclusive', 'a safe integer', hiExclusive);
  if (!(hiExclusive > lo)) fail('int', 'hiExclusive', `> lo (${show(lo)})`, hiExclusive);
  return fail('int', 'hiExclusive - lo', 'at most 2^53 - 1', hiExclusive - lo);
}

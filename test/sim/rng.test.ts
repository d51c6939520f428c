// Tests for src/sim/rng.ts: determinism and stream independence, pinned draws of every sampler for a
// fixed seed, moments against closed-form theory (tolerance = 5 standard errors of the estimator),
// Kolmogorov-Smirnov checks against closed-form CDFs, properties (fast-check), bad arguments.
// Units: dimensionless; the parameters below are arbitrary test values, not model defaults.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed, RandomStreams, Rng } from '../../src/sim/rng.js';

/** An Rng whose uniforms are scripted, to drive samplers to their extreme inputs. */
class ScriptedRng extends Rng {
  private i = 0;
  constructor(private readonly us: readonly number[]) {
    super('scripted');
  }
  override next(): number {
    return this.us[this.i++ % this.us.length] as number;
  }
}

const ONE_MINUS_ULP = 1 - 2 ** -53; // the largest value next() can return

function draws(n: number, f: () => number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = f();
  return xs;
}

function meanVar(xs: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, variance: ss / (xs.length - 1) };
}

/**
 * Sample mean and variance of n draws against theory given as raw moments E[X^k], k = 1..4.
 * SE(mean) = sigma / sqrt(n); SE(variance) ~ sqrt((mu4 - sigma^4) / n) (needs E[X^4] < inf; without
 * m3/m4 only the mean is checked). Bound: 5 SE, a two-sided normal tail of 6e-7 per check.
 */
function checkMoments(f: () => number, raw: readonly number[], n = 200_000): void {
  const [m1, m2, m3, m4] = raw as [number, number, number | undefined, number | undefined];
  const variance = m2 - m1 * m1;
  const s = meanVar(draws(n, f));
  expect(Math.abs(s.mean - m1)).toBeLessThanOrEqual(5 * Math.sqrt(variance / n));
  if (m3 !== undefined && m4 !== undefined) {
    const mu4 = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4;
    expect(Math.abs(s.variance - variance)).toBeLessThanOrEqual(5 * Math.sqrt((mu4 - variance * variance) / n));
  }
}

/** Kolmogorov-Smirnov statistic D_n of the draws against the CDF `cdf`. */
function ksStatistic(xs: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i] as number);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}
/** Asymptotic KS critical value at significance 0.001: K = 1.9495 (Kolmogorov distribution). */
const ksCritical = (n: number): number => 1.9495 / Math.sqrt(n);

/** erf by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7, far below the KS bound used). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

const gammaRaw = (shape: number, scale: number): number[] =>
  [1, 2, 3, 4].map((k) => {
    let m = 1;
    for (let j = 0; j < k; j++) m *= (shape + j) * scale;
    return m;
  });
const lognormalRaw = (mu: number, sigma: number): number[] =>
  [1, 2, 3, 4].map((k) => Math.exp(k * mu + (k * k * sigma * sigma) / 2));

describe('determinism', () => {
  it('the same seed gives the same first 10 draws; another seed differs', () => {
    const a = new Rng('seed-1');
    const b = new Rng('seed-1');
    const c = new Rng('seed-2');
    const xa = Array.from({ length: 10 }, () => a.next());
    const xb = Array.from({ length: 10 }, () => b.next());
    const xc = Array.from({ length: 10 }, () => c.next());
    expect(xb).toStrictEqual(xa);
    expect(new Set(xa).size).toBe(10);
    for (let i = 0; i < 10; i++) expect(xc[i]).not.toBe(xa[i]);
  });

  it('deriveSeed is stable (pinned), hex, and treats 3 and "3" alike', () => {
    expect(deriveSeed('master', 'study', 3, 0)).toBe('47149776953466c1bcd245f0b39e5a5a');
    expect(deriveSeed(42, 'a')).toBe('63b8625aa770e90b1e704bda3f31c95a');
    expect(deriveSeed('master', 'study', 3, 0)).toBe(deriveSeed('master', 'study', '3', '0'));
    expect(deriveSeed('x')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('deriveSeed does not collide on concatenation, separators or part count', () => {
    const variants: (string | number)[][] = [
      ['a', 'b'],
      ['ab'],
      ['a|b'],
      ['a|', 'b'],
      ['a', '|b'],
      ['a', 'b', ''],
      ['', 'a', 'b'],
      ['1:a', 'b'],
      ['a', '1:b'],
      [],
      [''],
      ['1'],
      [1, 0],
      [10],
      ['10'],
    ];
    const seeds = variants.map((v) => deriveSeed(...v));
    // [10] and ['10'] are the same part by design; everything else must differ.
    expect(new Set(seeds).size).toBe(variants.length - 1);
    // No collision among 20k systematically varied run seeds.
    const many = new Set<string>();
    for (let p = 0; p < 200; p++) for (let r = 0; r < 100; r++) many.add(deriveSeed('m', 'study', p, r));
    expect(many.size).toBe(20_000);
  });

  it('a stream is new Rng(deriveSeed(master, name)), memoised, and 42 equals "42"', () => {
    const streams = new RandomStreams(42);
    expect(streams.masterSeed).toBe('42');
    const a = streams.stream('a');
    expect(streams.stream('a')).toBe(a);
    const ref = new Rng(deriveSeed('42', 'a'));
    const other = new RandomStreams('42').stream('a');
    for (let i = 0; i < 10; i++) {
      const x = a.next();
      expect(ref.next()).toBe(x);
      expect(other.next()).toBe(x);
    }
    expect(streams.stream('a').next()).toBe(ref.next()); // memoised: the same object, state carried on
  });

  it('creating or drawing from another stream never changes the draws of stream a', () => {
    const take = (r: Rng): number[] => Array.from({ length: 10 }, () => r.exponential(1));
    const alone = take(new RandomStreams('m').stream('a'));

    const before = new RandomStreams('m');
    const b1 = before.stream('b');
    take(b1);
    expect(take(before.stream('a'))).toStrictEqual(alone);

    const after = new RandomStreams('m');
    const a = after.stream('a');
    const got: number[] = [];
    for (let i = 0; i < 10; i++) {
      got.push(a.exponential(1));
      after.stream(`extra-${i}`).normal(0, 1); // interleave new streams and their draws
    }
    expect(got).toStrictEqual(alone);
  });

  it('different names and different masters give different sequences', () => {
    const s = new RandomStreams('m');
    const first = (r: Rng): number[] => Array.from({ length: 5 }, () => r.next());
    const a = first(s.stream('a'));
    expect(first(s.stream('b'))).not.toStrictEqual(a);
    expect(first(s.stream('A'))).not.toStrictEqual(a);
    expect(first(new RandomStreams('n').stream('a'))).not.toStrictEqual(a);
  });

  it('streams with structured names (d0..d7) are uncorrelated', () => {
    // A generator that is linear in its seed would make e.g. d0 ^ d1 ^ d2 ^ d3 vanish; here we
    // check pairwise Pearson correlation of 20k draws: |r| <= 5 / sqrt(n) under independence.
    const n = 20_000;
    const s = new RandomStreams('m');
    const cols = Array.from({ length: 8 }, (_, i) => draws(n, () => s.stream(`d${i}`).next()));
    for (let i = 0; i < 8; i++) {
      for (let j = i + 1; j < 8; j++) {
        const x = cols[i] as Float64Array;
        const y = cols[j] as Float64Array;
        let sxy = 0;
        let sxx = 0;
        let syy = 0;
        for (let k = 0; k < n; k++) {
          const dx = (x[k] as number) - 0.5;
          const dy = (y[k] as number) - 0.5;
          sxy += dx * dy;
          sxx += dx * dx;
          syy += dy * dy;
        }
        expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeLessThanOrEqual(5 / Math.sqrt(n));
      }
    }
  });

  it('next() is in [0, 1) on a 2^-53 grid, with more than 32 bits used', () => {
    const r = new Rng('bits');
    let finerThan32 = 0;
    for (let i = 0; i < 1000; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(Number.isInteger(u * 2 ** 53)).toBe(true);
      if (!Number.isInteger(u * 2 ** 32)) finerThan32++;
    }
    expect(finerThan32).toBeGreaterThan(990); // a 32-bit source would give 0
  });
});

describe('pinned draws for seed "pin" (guard against accidental changes)', () => {
  const first3 = <T>(f: (r: Rng) => T): T[] => {
    const r = new Rng('pin');
    return [f(r), f(r), f(r)];
  };
  it.each<[string, (r: Rng) => unknown, unknown[]]>([
    ['next', (r) => r.next(), [0.12865406757397901, 0.012617647150843792, 0.24937316415896682]],
    ['uniform(-2, 5)', (r) => r.uniform(-2, 5), [-1.0994215269821468, -1.9116764699440933, -0.25438785088723215]],
    ['int(-3, 1000)', (r) => r.int(-3, 1000), [126, 9, 247]],
    ['exponential(2.5)', (r) => r.exponential(2.5), [0.34429053503780804, 0.03174481414861062, 0.7171166010024015]],
    ['normal(10, 3)', (r) => r.normal(10, 3), [6.825475361849981, 12.485686496968164, 4.1320583363148184]],
    ['lognormal(1, 0.5)', (r) => r.lognormal(1, 0.5), [1.6014549508249831, 4.113528116696143, 1.0222537235079607]],
    [
      'lognormalMeanSd(100, 50)',
      (r) => r.lognormalMeanSd(100, 50),
      [54.25726993348481, 132.2898314756332, 35.50348617660658],
    ],
    ['pareto(2, 1.5)', (r) => r.pareto(2, 1.5), [2.192314839440369, 2.0170024312142663, 2.421478427677682]],
    [
      'boundedPareto(1, 1000, 1.2)',
      (r) => r.boundedPareto(1, 1000, 1.2),
      [1.121573495024456, 1.010635084516562, 1.2699395848435238],
    ],
    ['erlang(3, 6)', (r) => r.erlang(3, 6), [0.874521560151056, 4.385287424170141, 6.968581694411451]],
    ['gamma(2.5, 4)', (r) => r.gamma(2.5, 4), [3.8100265607533976, 14.51771228718992, 7.7953854594070995]],
    ['gamma(0.4, 2)', (r) => r.gamma(0.4, 2), [0.14209804970430961, 0.006064826738154603, 1.3086580280725009]],
    ['bernoulli(0.2)', (r) => r.bernoulli(0.2), [true, true, false]],
    ['choice(a..e)', (r) => r.choice(['a', 'b', 'c', 'd', 'e']), ['a', 'a', 'b']],
  ])('%s', (_name, f, expected) => {
    expect(first3(f)).toStrictEqual(expected);
  });

  it('shuffle(0..9)', () => {
    expect(new Rng('pin').shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toStrictEqual([3, 8, 6, 7, 5, 2, 4, 9, 0, 1]);
  });

  it('the pins are consistent with the uniforms (exponential and uniform by hand)', () => {
    const u = [0.12865406757397901, 0.012617647150843792];
    const r = new Rng('pin');
    expect(r.exponential(2.5)).toBeCloseTo(-2.5 * Math.log(1 - (u[0] as number)), 15);
    expect(r.uniform(-2, 5)).toBeCloseTo(-2 + 7 * (u[1] as number), 15);
  });
});

describe('moments against theory (200k draws, 5 standard errors)', () => {
  const r = new RandomStreams('moments');
  it('uniform(-2, 5)', () => {
    const [a, b] = [-2, 5];
    const raw = [1, 2, 3, 4].map((k) => (b ** (k + 1) - a ** (k + 1)) / ((k + 1) * (b - a)));
    const s = r.stream('uniform');
    checkMoments(() => s.uniform(a, b), raw);
  });
  it('int(0, 10)', () => {
    const raw = [1, 2, 3, 4].map((k) => Array.from({ length: 10 }, (_, i) => i ** k).reduce((x, y) => x + y) / 10);
    const s = r.stream('int');
    checkMoments(() => s.int(0, 10), raw);
  });
  it('exponential(2)', () => {
    const s = r.stream('exp');
    checkMoments(() => s.exponential(2), [2, 2 * 4, 6 * 8, 24 * 16]);
  });
  it('normal(10, 3)', () => {
    const [m, sd] = [10, 3];
    const s = r.stream('normal');
    checkMoments(
      () => s.normal(m, sd),
      [m, m * m + sd * sd, m ** 3 + 3 * m * sd * sd, m ** 4 + 6 * m * m * sd * sd + 3 * sd ** 4],
    );
  });
  it('lognormal(1, 0.5)', () => {
    const s = r.stream('lognormal');
    checkMoments(() => s.lognormal(1, 0.5), lognormalRaw(1, 0.5));
  });
  it('lognormalMeanSd(100, 50) has mean 100 and sd 50', () => {
    const sigma2 = Math.log(1 + 0.25);
    const raw = lognormalRaw(Math.log(100) - sigma2 / 2, Math.sqrt(sigma2));
    expect(raw[0]).toBeCloseTo(100, 9);
    expect((raw[1] as number) - 100 * 100).toBeCloseTo(2500, 6);
    const s = r.stream('lognormalMeanSd');
    checkMoments(() => s.lognormalMeanSd(100, 50), raw);
  });
  it.each([
    [2.5, 4],
    [0.4, 2], // shape < 1: boost trick
    [1, 3], // the exponential
    [30, 0.1],
  ])('gamma(%s, %s)', (shape, scale) => {
    const s = r.stream(`gamma-${shape}`);
    checkMoments(() => s.gamma(shape, scale), gammaRaw(shape, scale));
  });
  it('erlang(3, 6) = gamma(3, 2)', () => {
    const s = r.stream('erlang');
    checkMoments(() => s.erlang(3, 6), gammaRaw(3, 2));
  });
  it('pareto(2, 5): mean and variance; pareto(1, 2.5): mean', () => {
    const paretoRaw = (xm: number, a: number, ks: number[]): number[] => ks.map((k) => (a * xm ** k) / (a - k));
    const s = r.stream('pareto');
    checkMoments(() => s.pareto(2, 5), paretoRaw(2, 5, [1, 2, 3, 4]));
    checkMoments(() => s.pareto(1, 2.5), paretoRaw(1, 2.5, [1, 2]));
  });
  it('boundedPareto(1, 1000, 1.2) (closed-form moments)', () => {
    const [lo, hi, a] = [1, 1000, 1.2];
    const c = (a * lo ** a) / (1 - (lo / hi) ** a);
    const raw = [1, 2, 3, 4].map((k) => (c * (hi ** (k - a) - lo ** (k - a))) / (k - a));
    const s = r.stream('boundedPareto');
    checkMoments(() => s.boundedPareto(lo, hi, a), raw);
  });
  it('bernoulli(0.3)', () => {
    const s = r.stream('bernoulli');
    checkMoments(() => (s.bernoulli(0.3) ? 1 : 0), [0.3, 0.3, 0.3, 0.3]);
  });
});

describe('serial independence', () => {
  it('successive normals (the polar pair and its cached spare) are uncorrelated', () => {
    // Lag-1 Pearson correlation of 100k standard normals: |r| <= 5 / sqrt(n) under independence.
    const n = 100_000;
    const s = new RandomStreams('serial').stream('normal');
    const z = draws(n + 1, () => s.normal(0, 1));
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (z[i] as number) * (z[i + 1] as number);
      sxx += (z[i] as number) * (z[i] as number);
    }
    expect(Math.abs(sxy / sxx)).toBeLessThanOrEqual(5 / Math.sqrt(n));
  });
});

describe('Kolmogorov-Smirnov against closed-form CDFs (20k draws, significance 0.001)', () => {
  const n = 20_000;
  const r = new RandomStreams('ks');
  it('exponential(2)', () => {
    const s = r.stream('exp');
    expect(
      ksStatistic(
        draws(n, () => s.exponential(2)),
        (x) => 1 - Math.exp(-x / 2),
      ),
    ).toBeLessThan(ksCritical(n));
  });
  it('normal(10, 3)', () => {
    const s = r.stream('normal');
    const cdf = (x: number): number => 0.5 * (1 + erf((x - 10) / (3 * Math.SQRT2)));
    expect(
      ksStatistic(
        draws(n, () => s.normal(10, 3)),
        cdf,
      ),
    ).toBeLessThan(ksCritical(n));
  });
  it('erlang(3, 6)', () => {
    const s = r.stream('erlang');
    const cdf = (x: number): number => {
      const y = x / 2;
      return 1 - Math.exp(-y) * (1 + y + (y * y) / 2);
    };
    expect(
      ksStatistic(
        draws(n, () => s.erlang(3, 6)),
        cdf,
      ),
    ).toBeLessThan(ksCritical(n));
  });
  it('boundedPareto(1, 1000, 1.2)', () => {
    const s = r.stream('bp');
    const cdf = (x: number): number => (1 - (1 / x) ** 1.2) / (1 - (1 / 1000) ** 1.2);
    expect(
      ksStatistic(
        draws(n, () => s.boundedPareto(1, 1000, 1.2)),
        cdf,
      ),
    ).toBeLessThan(ksCritical(n));
  });
  it('the KS check can fail: exponential(2) is rejected against mean 2.2', () => {
    const s = r.stream('exp-wrong');
    expect(
      ksStatistic(
        draws(n, () => s.exponential(2)),
        (x) => 1 - Math.exp(-x / 2.2),
      ),
    ).toBeGreaterThan(ksCritical(n));
  });
});

describe('properties', () => {
  it('boundedPareto is always within [lo, hi], including at the extreme uniforms', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-9, max: 20, noNaN: true }), // log10(hi / lo)
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.string(),
        (lo, decades, shape, seed) => {
          const hi = lo * 10 ** decades;
          fc.pre(hi > lo);
          const rngs = [new Rng(seed), new ScriptedRng([0, ONE_MINUS_ULP, 0.5, 2 ** -53])];
          for (const rng of rngs) {
            for (let i = 0; i < 20; i++) {
              const x = rng.boundedPareto(lo, hi, shape);
              if (!(x >= lo && x <= hi)) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('int is an integer in [lo, hi) and uniform is in [lo, hi), including at u = 1 - 2^-53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
        fc.string(),
        (lo, span, flo, fspan, seed) => {
          const fhi = flo + fspan;
          fc.pre(fhi > flo);
          const sources = (): Rng[] => [new Rng(seed), new ScriptedRng([0, ONE_MINUS_ULP])];
          for (const rng of sources()) {
            for (let i = 0; i < 10; i++) {
              const k = rng.int(lo, lo + span);
              if (!(Number.isInteger(k) && k >= lo && k < lo + span)) return false;
            }
          }
          for (const rng of sources()) {
            for (let i = 0; i < 10; i++) {
              const x = rng.uniform(flo, fhi);
              if (!(x >= flo && x < fhi)) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('exponential, pareto and erlang stay finite and >= +0 at the extreme uniforms', () => {
    for (const u of [0, 2 ** -53, 0.5, ONE_MINUS_ULP]) {
      const at = (f: (r: Rng) => number): number => f(new ScriptedRng([u]));
      for (const x of [at((r) => r.exponential(1)), at((r) => r.pareto(1, 1.5)), at((r) => r.erlang(3, 1))]) {
        expect(Number.isFinite(x) && x >= 0).toBe(true);
        expect(Object.is(x, -0)).toBe(false);
      }
    }
    expect(new ScriptedRng([ONE_MINUS_ULP]).exponential(1)).toBeCloseTo(53 * Math.LN2, 12); // the largest draw
  });

  it('shuffle is a permutation; choice only returns items', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 40 }), fc.string(), (xs, seed) => {
        const rng = new Rng(seed);
        const copy = [...xs];
        const out = rng.shuffle(copy);
        expect(out).toBe(copy);
        expect([...out].sort((a, b) => a - b)).toStrictEqual([...xs].sort((a, b) => a - b));
        if (xs.length > 0) expect(xs).toContain(rng.choice(xs));
      }),
      { numRuns: 200 },
    );
  });
});

describe('bad arguments throw RangeError naming the argument', () => {
  const r = new Rng('bad');
  it('exponential has the documented message format', () => {
    expect(() => r.exponential(-1)).toThrow(new RangeError('exponential: mean must be a finite number > 0, got -1'));
  });
  it.each<[string, () => unknown, string]>([
    ['exponential(NaN)', () => r.exponential(NaN), 'mean'],
    ['exponential(0)', () => r.exponential(0), 'mean'],
    ['exponential(Infinity)', () => r.exponential(Infinity), 'mean'],
    ['uniform(1, 1)', () => r.uniform(1, 1), 'hi'],
    ['uniform(2, 1)', () => r.uniform(2, 1), 'hi'],
    ['uniform(NaN, 1)', () => r.uniform(NaN, 1), 'lo'],
    ['uniform(0, Infinity)', () => r.uniform(0, Infinity), 'hi'],
    ['uniform(-1e308, 1e308)', () => r.uniform(-1e308, 1e308), 'hi - lo'],
    ['int(0, 0)', () => r.int(0, 0), 'hiExclusive'],
    ['int(0.5, 3)', () => r.int(0.5, 3), 'lo'],
    ['int(0, 2.5)', () => r.int(0, 2.5), 'hiExclusive'],
    ['int(-2^52, 2^52)', () => r.int(-(2 ** 52), 2 ** 52), 'hiExclusive - lo'],
    ['normal(NaN, 1)', () => r.normal(NaN, 1), 'mean'],
    ['normal(0, -1)', () => r.normal(0, -1), 'sd'],
    ['normal(0, NaN)', () => r.normal(0, NaN), 'sd'],
    ['lognormal(Infinity, 1)', () => r.lognormal(Infinity, 1), 'mu'],
    ['lognormal(0, -0.1)', () => r.lognormal(0, -0.1), 'sigma'],
    ['lognormalMeanSd(0, 1)', () => r.lognormalMeanSd(0, 1), 'mean'],
    ['lognormalMeanSd(1, -1)', () => r.lognormalMeanSd(1, -1), 'sd'],
    ['pareto(0, 1)', () => r.pareto(0, 1), 'scale'],
    ['pareto(1, 0)', () => r.pareto(1, 0), 'shape'],
    ['pareto(1, NaN)', () => r.pareto(1, NaN), 'shape'],
    ['boundedPareto(0, 10, 1)', () => r.boundedPareto(0, 10, 1), 'lo'],
    ['boundedPareto(10, 10, 1)', () => r.boundedPareto(10, 10, 1), 'hi'],
    ['boundedPareto(10, 5, 1)', () => r.boundedPareto(10, 5, 1), 'hi'],
    ['boundedPareto(1, Infinity, 1)', () => r.boundedPareto(1, Infinity, 1), 'hi'],
    ['boundedPareto(1, 10, -1)', () => r.boundedPareto(1, 10, -1), 'shape'],
    ['erlang(0, 1)', () => r.erlang(0, 1), 'k'],
    ['erlang(1.5, 1)', () => r.erlang(1.5, 1), 'k'],
    ['erlang(2, -1)', () => r.erlang(2, -1), 'mean'],
    ['gamma(0, 1)', () => r.gamma(0, 1), 'shape'],
    ['gamma(-1, 1)', () => r.gamma(-1, 1), 'shape'],
    ['gamma(1, 0)', () => r.gamma(1, 0), 'scale'],
    ['bernoulli(-0.1)', () => r.bernoulli(-0.1), 'p'],
    ['bernoulli(1.1)', () => r.bernoulli(1.1), 'p'],
    ['bernoulli(NaN)', () => r.bernoulli(NaN), 'p'],
    ['choice([])', () => r.choice([]), 'items'],
    ['deriveSeed(NaN)', () => deriveSeed('a', NaN), 'parts[1]'],
    ['new RandomStreams(NaN)', () => new RandomStreams(NaN), 'masterSeed'],
    ['new RandomStreams("")', () => new RandomStreams(''), 'masterSeed'],
    ['stream("")', () => new RandomStreams('m').stream(''), 'name'],
  ])('%s', (_label, f, argName) => {
    expect(f).toThrow(RangeError);
    expect(f).toThrow(`: ${argName} must be`);
  });
  it('a bad call does not consume a draw', () => {
    const a = new Rng('same');
    const b = new Rng('same');
    expect(() => a.exponential(-1)).toThrow(RangeError);
    expect(a.next()).toBe(b.next());
  });
});

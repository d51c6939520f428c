/**
 * Quantiles: quantiles of a stream of observations (unit: that of the observations), exact for
 * small samples, a DDSketch for long runs.
 *
 * - While count <= exactLimit (default 100 000) every sample is kept in a growable Float64Array and
 *   quantile(q) is the type-7 estimator (Hyndman & Fan 1996; the default of R's quantile() and of
 *   numpy.quantile): with the sorted sample x[0..n-1] and h = (n − 1)·q,
 *   Q(q) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * - When the (exactLimit+1)-th sample arrives the kept samples are replayed into a DDSketch
 *   (Masson, Rim, Lee, "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
 *   guarantees", VLDB 2019; @datadog/sketches-js, unbounded dense stores, logarithmic mapping) and the
 *   array is released. The sketch holds positive values, negative values (a second store, keyed by
 *   |x|) and a zero count (|x| <= ~1.12e-308, reported as 0), so every sign is handled.
 *   The type-7 rule is then applied to the sketch: the order statistics x[⌊h⌋] and x[⌊h⌋+1] are each
 *   read from the sketch (within relativeAccuracy α of the true ones, the extremes exact) and
 *   interpolated. When both have the same sign the result is within α·|Q(q)| of the exact type-7
 *   value; across a sign change the error is bounded by α·((1−f)|x[⌊h⌋]| + f|x[⌊h⌋+1]|).
 *   Results are clamped to the exact [min, max].
 *
 * Samples must be finite. quantile() of an empty set is NaN; q outside [0, 1] throws.
 */
import { DDSketch } from '@datadog/sketches-js';
import type { Resettable } from './resettable.js';
import { argumentError, checkClosedUnit, checkInt } from '../check.js';

export interface QuantilesOptions {
  /** Samples kept exactly before switching to the sketch (default 100 000). */
  exactLimit?: number;
  /** DDSketch relative accuracy α, in (0, 1) (default 0.005, i.e. 0.5 %). */
  relativeAccuracy?: number;
}

const INITIAL_CAPACITY = 1024;

export class Quantiles implements Resettable {
  readonly exactLimit: number;
  readonly relativeAccuracy: number;
  private n = 0;
  private samples: Float64Array;
  private sorted = true;
  private sketch: DDSketch | null = null;

  constructor(opts: QuantilesOptions = {}) {
    const exactLimit = opts.exactLimit ?? 100_000;
    const relativeAccuracy = opts.relativeAccuracy ?? 0.005;
    checkInt('Quantiles constructor', 'exactLimit', exactLimit, 0);
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw argumentError('Quantiles constructor', 'relativeAccuracy', 'a number in (0, 1)', relativeAccuracy);
    }
    this.exactLimit = exactLimit;
    this.relativeAccuracy = relativeAccuracy;
    this.samples = new Float64Array(Math.min(INITIAL_CAPACITY, exactLimit));
  }

  add(x: number): void {
    if (!Number.isFinite(x)) throw argumentError('Quantiles.add', 'x', 'a finite number', x);
    const sketch = this.sketch;
    if (sketch !== null) {
      sketch.accept(x);
      this.n++;
      return;
    }
    const n = this.n;
    if (n === this.exactLimit) {
      this.switchToSketch().accept(x);
      this.n++;
      return;
    }
    if (n === this.samples.length) this.grow();
    if (this.sorted && n > 0 && x < (this.samples[n - 1] as number)) this.sorted = false;
    this.samples[n] = x;
    this.n = n + 1;
  }

  get count(): number {
    return this.n;
  }

  /** True while quantiles are computed from all samples kept exactly. */
  get isExact(): boolean {
    return this.sketch === null;
  }

  quantile(q: number): number {
    checkClosedUnit('Quantiles.quantile', 'q', q);
    const n = this.n;
    if (n === 0) return NaN;
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const f = h - lo;
    const hi = f > 0 ? lo + 1 : lo; // h <= n − 1, so lo + 1 <= n − 1 whenever f > 0
    const get = this.sketch === null ? this.exactAt() : this.sketchAt(this.sketch);
    const xLo = get(lo);
    if (hi === lo) return xLo;
    const xHi = get(hi);
    return xLo + f * (xHi - xLo);
  }

  reset(_nowNs?: number): void {
    this.n = 0;
    this.sorted = true;
    this.sketch = null;
    this.samples = new Float64Array(Math.min(INITIAL_CAPACITY, this.exactLimit));
  }

  private exactAt(): (rank: number) => number {
    const a = this.samples;
    if (!this.sorted) {
      a.subarray(0, this.n).sort();
      this.sorted = true;
    }
    return (rank) => a[rank] as number;
  }

  /** The order statistic of 0-based `rank` as estimated by the sketch (extremes exact). */
  private sketchAt(sk: DDSketch): (rank: number) => number {
    const last = this.n - 1;
    const min = sk.min;
    const max = sk.max;
    return (rank) => {
      if (rank <= 0) return min;
      if (rank >= last) return max;
      let v: number;
      const negatives = sk.negativeStore.count;
      if (rank < negatives) {
        // Negative values are stored by magnitude: ascending rank r is magnitude rank negatives−1−r.
        v = -sk.mapping.value(sk.negativeStore.keyAtRank(negatives - 1 - rank));
      } else if (rank < negatives + sk.zeroCount) {
        v = 0;
      } else {
        v = sk.mapping.value(sk.store.keyAtRank(rank - negatives - sk.zeroCount));
      }
      return v < min ? min : v > max ? max : v;
    };
  }

  private grow(): void {
    const next = new Float64Array(Math.min(Math.max(2 * this.samples.length, INITIAL_CAPACITY), this.exactLimit));
    next.set(this.samples);
    this.samples = next;
  }

  private switchToSketch(): DDSketch {
    const sk = new DDSketch({ relativeAccuracy: this.relativeAccuracy });
    const a = this.samples;
    for (let i = 0; i < this.n; i++) sk.accept(a[i] as number);
    this.sketch = sk;
    this.samples = new Float64Array(0);
    this.sorted = true;
    return sk;
  }
}

/**
 * Tally: streaming statistics of a sequence of observations (count, sum, mean, sample variance,
 * min, max) in O(1) memory. Unit: that of the observations (e.g. a latency in ns).
 *
 * Mean and variance use Welford's update, which is numerically stable where the textbook
 * Σx² − n·x̄² cancels catastrophically (e.g. 1e9 + {4, 7, 13, 16}). The sum is a Neumaier compensated
 * sum and the reported mean is sum / count (more accurate than the running Welford mean).
 * Two tallies combine with the pairwise formula of Chan, Golub and LeVeque.
 *
 * Sources: B. P. Welford, "Note on a method for calculating corrected sums of squares and products",
 * Technometrics 4 (1962) 419–420; T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating formulae and a
 * pairwise algorithm for computing sample variances", Stanford CS report STAN-CS-79-773 (1979);
 * Knuth, TAOCP vol. 2, 3rd ed., §4.2.2.
 *
 * Observations must be finite (a NaN latency is a model bug: it throws instead of poisoning the run).
 * Empty tally: mean, min, max are NaN; variance is NaN while count < 2.
 */
import { CompensatedSum } from './compensated-sum.js';
import type { Resettable } from './resettable.js';
import { argumentError } from '../check.js';

export class Tally implements Resettable {
  private n = 0;
  /** Welford running mean (used for the variance recurrence). */
  private wMean = 0;
  /** Sum of squared deviations from the running mean. */
  private m2 = 0;
  private readonly total = new CompensatedSum();
  private lo = Infinity;
  private hi = -Infinity;

  add(x: number): void {
    if (!Number.isFinite(x)) throw argumentError('Tally.add', 'x', 'a finite number', x);
    const n = ++this.n;
    const delta = x - this.wMean;
    this.wMean += delta / n;
    this.m2 += delta * (x - this.wMean);
    this.total.add(x);
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
  }

  get count(): number {
    return this.n;
  }

  get sum(): number {
    return this.total.value;
  }

  get mean(): number {
    return this.n === 0 ? NaN : this.total.value / this.n;
  }

  /** Sample variance (divisor n − 1); NaN if count < 2. */
  get variance(): number {
    if (this.n < 2) return NaN;
    // m2 is mathematically >= 0; clamp the rare −tiny from rounding.
    return Math.max(0, this.m2) / (this.n - 1);
  }

  /** Sample standard deviation; NaN if count < 2. */
  get stdDev(): number {
    return Math.sqrt(this.variance);
  }

  get min(): number {
    return this.n === 0 ? NaN : this.lo;
  }

  get max(): number {
    return this.n === 0 ? NaN : this.hi;
  }

  /** Adds all observations of `other` to this tally (Chan et al.); `other` is left unchanged. */
  merge(other: Tally): void {
    const nb = other.n;
    if (nb === 0) return;
    // Read everything from `other` first: `other` may be `this`.
    const meanB = other.wMean;
    const m2B = other.m2;
    const sumB = other.total.value;
    const loB = other.lo;
    const hiB = other.hi;
    const na = this.n;
    if (na === 0) {
      this.n = nb;
      this.wMean = meanB;
      this.m2 = m2B;
    } else {
      const n = na + nb;
      const delta = meanB - this.wMean;
      this.wMean += delta * (nb / n);
      this.m2 += m2B + delta * delta * ((na * nb) / n);
      this.n = n;
    }
    this.total.add(sumB);
    if (loB < this.lo) this.lo = loB;
    if (hiB > this.hi) this.hi = hiB;
  }

  reset(_nowNs?: number): void {
    this.n = 0;
    this.wMean = 0;
    this.m2 = 0;
    this.total.reset();
    this.lo = Infinity;
    this.hi = -Infinity;
  }
}

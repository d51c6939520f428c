/**
 * BatchMeans: the method of (non-overlapping) batch means for a confidence interval on a
 * steady-state mean from one long run (unit: that of the observations).
 *
 * Consecutive observations are grouped into batches of `batchSize`; each full batch contributes its
 * mean Y_j. With b full batches, the point estimate is Ȳ = mean of the Y_j (the trailing partial batch
 * is not used) and the half-width is t_{(1+c)/2, b−1} · s_Y / √b, s_Y the sample standard deviation
 * of the batch means. It is NaN with fewer than 2 batches. Batches must be long enough for the Y_j to
 * be nearly uncorrelated (Law recommends about 10–30 batches with batch size grown to fit).
 * Source: Law, Simulation Modeling and Analysis, 5th ed., §9.5.3.
 */
import { CompensatedSum } from './compensated-sum.js';
import type { Resettable } from './resettable.js';
import { tQuantile } from './student-t.js';
import { Tally } from './tally.js';
import { argumentError, checkInt, checkOpenUnit } from '../check.js';

export class BatchMeans implements Resettable {
  readonly batchSize: number;
  private readonly means: number[] = [];
  private readonly meanTally = new Tally();
  private readonly current = new CompensatedSum();
  private inBatch = 0;

  constructor(batchSize: number) {
    checkInt('BatchMeans constructor', 'batchSize', batchSize, 1);
    this.batchSize = batchSize;
  }

  add(x: number): void {
    if (!Number.isFinite(x)) throw argumentError('BatchMeans.add', 'x', 'a finite number', x);
    this.current.add(x);
    if (++this.inBatch === this.batchSize) {
      const m = this.current.value / this.batchSize;
      this.means.push(m);
      this.meanTally.add(m);
      this.current.reset();
      this.inBatch = 0;
    }
  }

  /** Means of the completed batches, in order. */
  get batches(): readonly number[] {
    return this.means;
  }

  /** Grand mean of the completed batches; NaN if there is none. */
  get mean(): number {
    return this.meanTally.mean;
  }

  /** Half-width of the confidence interval for the mean; NaN with fewer than 2 batches. */
  ciHalfWidth(confidence = 0.95): number {
    checkOpenUnit('BatchMeans.ciHalfWidth', 'confidence', confidence);
    const b = this.meanTally.count;
    if (b < 2) return NaN;
    return (tQuantile((1 + confidence) / 2, b - 1) * this.meanTally.stdDev) / Math.sqrt(b);
  }

  reset(_nowNs?: number): void {
    this.means.length = 0;
    this.meanTally.reset();
    this.current.reset();
    this.inBatch = 0;
  }
}

/**
 * summarize: summary of independent replications of a simulation (one value per replication, any
 * unit) with a Student-t confidence interval for the mean:
 *   mean ± t_{(1+c)/2, n−1} · sd / √n,   sd the sample standard deviation (divisor n − 1).
 * Source: Law, Simulation Modeling and Analysis, 5th ed., §4.5 and §9.4.1 (replication/deletion).
 *
 * n = 1: sd = 0 and halfWidth = 0 (lo = hi = mean): no interval can be estimated from one value.
 * n = 0: mean, sd, halfWidth, lo, hi are NaN.
 */
import { tQuantile } from './student-t.js';
import { Tally } from './tally.js';
import { argumentError, checkOpenUnit } from '../check.js';

export interface ReplicationSummary {
  n: number;
  mean: number;
  /** Sample standard deviation across replications. */
  sd: number;
  /** Half-width of the confidence interval for the mean. */
  halfWidth: number;
  lo: number;
  hi: number;
}

export function summarize(values: readonly number[], confidence = 0.95): ReplicationSummary {
  checkOpenUnit('summarize', 'confidence', confidence);
  const t = new Tally();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw argumentError('summarize', `values[${i}]`, 'a finite number', v);
    t.add(v);
  }
  const n = t.count;
  if (n === 0) return { n, mean: NaN, sd: NaN, halfWidth: NaN, lo: NaN, hi: NaN };
  const mean = t.mean;
  if (n === 1) return { n, mean, sd: 0, halfWidth: 0, lo: mean, hi: mean };
  const sd = t.stdDev;
  const halfWidth = (tQuantile((1 + confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, halfWidth, lo: mean - halfWidth, hi: mean + halfWidth };
}

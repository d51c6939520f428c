/**
 * mser5: the MSER-5 warm-up truncation point of an output series (unitless index).
 *
 * The series is cut into m = ⌊n/5⌋ batches of 5 consecutive observations (a trailing partial batch
 * is ignored) with means Z_1..Z_m. For each candidate number d of deleted batches,
 *   MSER(d) = Σ_{j=d+1..m} (Z_j − Z̄_{d})² / (m − d)²,   Z̄_{d} the mean of Z_{d+1..m},
 * and the truncation point is 5·d* for the d* minimising MSER (the first one on ties), i.e. the
 * index of the first observation to keep. As is standard, d is searched only in the first half of
 * the batches (d <= ⌊m/2⌋): MSER degenerates near the end of the series, and a minimum beyond the
 * half means the run is too short to estimate a warm-up from.
 * Series with fewer than 2 batches give 0. Suffix sums of squares are accumulated with Welford's
 * update from the end of the series (stable, O(n)).
 *
 * Sources: K. P. White Jr., "An effective truncation heuristic for bias reduction in simulation
 * output", Simulation 69(6) (1997) 323–334; K. P. White, M. J. Cobb, S. C. Spratt, "A comparison of
 * five steady-state truncation heuristics for simulation", WSC 2000.
 */
import { argumentError } from '../check.js';

const BATCH = 5;

export function mser5(series: readonly number[]): number {
  const m = Math.floor(series.length / BATCH);
  const z = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < BATCH; k++) {
      const i = j * BATCH + k;
      const v = series[i] as number;
      if (!Number.isFinite(v)) throw argumentError('mser5', `series[${i}]`, 'a finite number', v);
      s += v;
    }
    z[j] = s / BATCH;
  }
  if (m < 2) return 0;
  // mserOf[d] for d = 0..m-1, from a Welford accumulation over z[m-1], z[m-2], ..., z[d].
  const mserOf = new Float64Array(m);
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let d = m - 1; d >= 0; d--) {
    const x = z[d] as number;
    count++;
    const delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    mserOf[d] = m2 / (count * count);
  }
  const last = Math.floor(m / 2);
  let best = 0;
  let bestValue = mserOf[0] as number;
  for (let d = 1; d <= last; d++) {
    const v = mserOf[d] as number;
    if (v < bestValue) {
      bestValue = v;
      best = d;
    }
  }
  return best * BATCH;
}

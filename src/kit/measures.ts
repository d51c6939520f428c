// Measures that studies of CPU sharing compute alike: how far measured shares are from their ideal
// (proportional-share arithmetic: ideal_i = w_i / Σw). Pure functions on arrays; shares and ideals are
// fractions (no unit), errors in percent.

export interface ShareErrors {
  /** max_i |share_i / ideal_i − 1|, in percent. */
  readonly maxPct: number;
  /** mean_i |share_i / ideal_i − 1|, in percent. */
  readonly meanAbsPct: number;
  /** Jain's fairness index of the normalised shares share_i / ideal_i (1 = exactly proportional). */
  readonly jain: number;
}

/** The error of `shares` against `ideals` (same length; every ideal > 0). */
export function shareErrors(shares: readonly number[], ideals: readonly number[]): ShareErrors {
  let max = 0;
  let sumAbs = 0;
  let s = 0;
  let s2 = 0;
  shares.forEach((x, i) => {
    const r = x / (ideals[i] as number);
    const e = Math.abs(r - 1);
    if (e > max) max = e;
    sumAbs += e;
    s += r;
    s2 += r * r;
  });
  return { maxPct: 100 * max, meanAbsPct: (100 * sumAbs) / shares.length, jain: (s * s) / (shares.length * s2) };
}

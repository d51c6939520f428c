/**
 * tQuantile: quantile function of Student's t distribution with `df` degrees of freedom (unitless).
 *
 * For df up to 1e14 it is @stdlib/stats-base-dists-t-quantile (inverse regularized incomplete
 * beta function). That implementation returns 0 for df beyond ~1e16, so for df > 1e14 (and for
 * df = Infinity, the normal limit) we use the Cornish–Fisher expansion about the normal quantile z
 * (Abramowitz & Stegun 26.7.5):  t ≈ z + (z³ + z)/(4·df) + (5z⁵ + 16z³ + 3z)/(96·df²),
 * whose truncation error at df > 1e14 is far below double precision.
 * p = 0 and p = 1 give −Infinity and +Infinity.
 */
import stdlibTQuantile from '@stdlib/stats-base-dists-t-quantile';
import { normalQuantile } from './normal-quantile.js';
import { argumentError, checkClosedUnit } from '../check.js';

const LARGE_DF = 1e14;

export function tQuantile(p: number, df: number): number {
  checkClosedUnit('tQuantile', 'p', p);
  if (!(df > 0)) throw argumentError('tQuantile', 'df', 'a number > 0 (Infinity for the normal limit)', df);
  if (df <= LARGE_DF) return stdlibTQuantile(p, df);
  const z = normalQuantile(p);
  if (df === Infinity || !Number.isFinite(z)) return z;
  const z2 = z * z;
  return z + (z * (z2 + 1)) / (4 * df) + (z * ((5 * z2 + 16) * z2 + 3)) / (96 * df * df);
}

/**
 * Test helper: a tiny deterministic 32-bit linear congruential generator (Numerical Recipes
 * constants a = 1664525, c = 1013904223, m = 2^32) so that test data never depends on Math.random
 * nor on the engine's own random streams.
 */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296; // in (0, 1)
  };
}

/** Standard normal draws by Box–Muller from the LCG. */
export function normals(seed: number): () => number {
  const u = lcg(seed);
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Exact type-7 quantile of an ascending-sorted array (independent reference implementation). */
export function type7(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const xLo = sorted[lo] as number;
  const xHi = sorted[hi] as number;
  return xLo + (h - lo) * (xHi - xLo);
}

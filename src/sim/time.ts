// Simulated time: a `number` of integer nanoseconds since the start of the run (exact up to 2^53 ns,
// about 104 days). Helpers convert from other units and round to the nearest nanosecond, so model code
// can write `ms(2.5)` or `us(rng.exponential(100))`. No wall-clock time is ever read here.

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;

/** Rounds a (possibly fractional) nanosecond count to an integer number of nanoseconds. */
export function ns(x: number): number {
  return Math.round(x);
}
/** Microseconds to integer nanoseconds. */
export function us(x: number): number {
  return Math.round(x * NS_PER_US);
}
/** Milliseconds to integer nanoseconds. */
export function ms(x: number): number {
  return Math.round(x * NS_PER_MS);
}
/** Seconds to integer nanoseconds. */
export function s(x: number): number {
  return Math.round(x * NS_PER_S);
}

/** Human-readable time for messages: picks ns, µs, ms or s. */
export function formatNs(timeNs: number): string {
  const a = Math.abs(timeNs);
  if (a < NS_PER_US) return `${timeNs} ns`;
  if (a < NS_PER_MS) return `${trim(timeNs / NS_PER_US)} µs`;
  if (a < NS_PER_S) return `${trim(timeNs / NS_PER_MS)} ms`;
  return `${trim(timeNs / NS_PER_S)} s`;
}

function trim(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/**
 * Argument checks shared by the statistics modules.
 *
 * Every check throws a RangeError that names the function, the argument, the offending value and
 * what is allowed, e.g. `Tally.add: x = NaN is not allowed; expected a finite number`.
 * Internal to src/sim/stats (not re-exported from index.ts).
 */

function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export function rangeError(where: string, name: string, value: unknown, allowed: string): RangeError {
  return new RangeError(`${where}: ${name} = ${show(value)} is not allowed; expected ${allowed}`);
}

export function requireFinite(where: string, name: string, value: number): void {
  if (!Number.isFinite(value)) throw rangeError(where, name, value, 'a finite number');
}

/** 0 < value < 1, for confidence levels. */
export function requireOpenUnit(where: string, name: string, value: number): void {
  if (!(value > 0 && value < 1)) throw rangeError(where, name, value, 'a number in the open interval (0, 1)');
}

/** 0 <= value <= 1, for probabilities and quantile levels. */
export function requireClosedUnit(where: string, name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw rangeError(where, name, value, 'a number in [0, 1]');
}

export function requirePositiveInteger(where: string, name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw rangeError(where, name, value, 'a positive safe integer');
  }
}

export function requireNonNegativeInteger(where: string, name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw rangeError(where, name, value, 'a non-negative safe integer');
  }
}

// Deterministic number formatting for CSV files and numbers in run files.
//
// CSV: numbers are written in JavaScript's shortest round-trip form, `String(x)`: the fewest digits
// that read back to the same double (0.1, 0.30000000000000004, 1e-7, 123456789, 1.5e+21). Integers
// have no decimal point. A measure that is undefined for a run (nothing observed) is NaN; infinities
// are Infinity / -Infinity. -0 is written as 0. Booleans are true / false.
// This is exact (parsing the CSV gives back the very doubles the runs computed) and identical on every
// machine running the same code, which is what makes runs.csv byte-identical across jobs and shards.
//
// CSV cells (csvNumber, csvValue): a number that is not finite (a measure with no samples in that run:
// no wake-ups in the window, a domain that never started; or a summary statistic that cannot be
// estimated: the mean of zero values, the sd and CI of one) is written as an EMPTY cell, so runs.csv
// and summary.csv hold no NaN or Infinity; summary.csv's n says how many replications had a value.
// A text cell that begins with = + - @, a tab or a carriage return (a parameter value, a table's text)
// gets a leading apostrophe, so a spreadsheet shows it as text instead of evaluating it as a formula
// (OWASP "CSV injection"); numbers are never prefixed (-1 stays -1).
//
// Run files (JSON) cannot hold NaN or infinities, so a non-finite number is stored as the object
// {"nonFinite": "NaN" | "Infinity" | "-Infinity"} (an object, so a table's string "NaN" stays a string).

export function formatNumber(x: number): string {
  return String(x);
}

export function formatValue(v: number | string | boolean): string {
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/** A number as a CSV cell: shortest round-trip decimal; empty when not finite (see above). */
export function csvNumber(x: number): string {
  return Number.isFinite(x) ? formatNumber(x) : '';
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text as a CSV cell: prefixed with ' when a spreadsheet would read it as a formula. */
export function csvText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** A parameter value or table cell as a CSV cell. */
export function csvValue(v: number | string | boolean): string {
  if (typeof v === 'number') return csvNumber(v);
  return typeof v === 'boolean' ? String(v) : csvText(v);
}

export const NonFinite = { nan: 'NaN', inf: 'Infinity', negInf: '-Infinity' } as const;
export type NonFinite = (typeof NonFinite)[keyof typeof NonFinite];
export type EncodedNumber = number | { readonly nonFinite: NonFinite };

export function encodeNumber(x: number): EncodedNumber {
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return { nonFinite: NonFinite.nan };
  return { nonFinite: x > 0 ? NonFinite.inf : NonFinite.negInf };
}

/** Decodes a stored number; null when `x` is not an encoded number. */
export function decodeNumber(x: unknown): number | null {
  if (typeof x === 'number') return x;
  if (x !== null && typeof x === 'object' && 'nonFinite' in x) {
    const t = (x as { nonFinite: unknown }).nonFinite;
    if (t === NonFinite.nan) return NaN;
    if (t === NonFinite.inf) return Infinity;
    if (t === NonFinite.negInf) return -Infinity;
  }
  return null;
}

/** Encodes every number of a flat record (measures, table rows). */
export function encodeRecord(rec: Readonly<Record<string, number | string>>): Record<string, EncodedNumber | string> {
  const out: Record<string, EncodedNumber | string> = {};
  for (const [k, v] of Object.entries(rec)) out[k] = typeof v === 'number' ? encodeNumber(v) : v;
  return out;
}

/** Decodes a record written by encodeRecord; null if some value is neither a string nor a number. */
export function decodeRecord(rec: unknown): Record<string, number | string> | null {
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return null;
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (typeof v === 'string') out[k] = v;
    else {
      const x = decodeNumber(v);
      if (x === null) return null;
      out[k] = x;
    }
  }
  return out;
}

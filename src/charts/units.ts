// Parameter values as people read them, for the HTML report and `hvsim describe`: a time parameter
// (unit 'ns') in the largest fitting unit via formatNs (2000000 -> "2 ms"), any other number with its
// ParamSpec unit ("4 domains", "0.9"), strings and booleans as they are. Numbers keep their exact
// value (no rounding beyond formatNs's 6 significant digits). No chart code is imported here, so the
// runner and the CLI can use it without loading vega.

import type { ParamValue } from '../runner/study.js';
import { formatNs } from '../sim/time.js';

/** One parameter value with its unit, e.g. "2 ms", "4 domains", "0.9", "closed". */
export function formatParamValue(value: ParamValue, unit: string): string {
  if (typeof value !== 'number') return String(value);
  if (unit === 'ns') return formatNs(value);
  return unit === '' ? String(value) : `${value} ${unit}`;
}

/**
 * Several values of one parameter (a swept axis) with the unit once at the end where that reads
 * well: "1, 4, 16 domains", "0.5, 0.9"; times each in their own unit: "10 µs, 100 µs, 1 ms".
 */
export function formatParamValues(values: readonly ParamValue[], unit: string): string {
  if (unit === 'ns' || unit === '' || values.length === 1 || values.some((v) => typeof v !== 'number')) {
    return values.map((v) => formatParamValue(v, unit)).join(', ');
  }
  return `${values.map(String).join(', ')} ${unit}`;
}

// Grid expansion: from a study's Grid (cartesian, zipped or listed) plus command-line overrides to the
// ordered list of fully specified points. The position of a point in this list is its point index,
// which (with the master seed and the replication) determines the run's seed.
//
// Rules (documented in `hvsim describe` and the README):
// - cartesian: every combination; the first axis varies slowest (nested loops in declaration order).
// - zip: the i-th point takes the i-th value of every axis; all axes have the same length.
// - list: the points as written.
// - `--grid key=v1,v2` replaces the axis `key` of a cartesian grid in place (or adds it as the last
//   axis); for zip and list grids, `key` is removed from the listed points and the points are crossed
//   with the new axis (listed points vary slowest). Several --grid flags cross in the order given.
// - `--set key=value` pins `key` at every point (a grid axis collapses to that value).
// - Parameters a point does not name take their defaults (with quickParams under --quick).
// - Points that end up identical are run once (the first occurrence keeps its place).
import { UsageError } from './errors.js';
import { canonicalJson } from './hash.js';
import { checkValue, describeAllowed } from './params.js';
import type { Grid, ParamValue, Params, Study } from './study.js';

/** Command-line changes to a study's grid, in the order given. */
export interface GridOverrides {
  readonly axes: readonly (readonly [string, readonly ParamValue[]])[];
  readonly pins: readonly (readonly [string, ParamValue])[];
}

export const NO_OVERRIDES: GridOverrides = { axes: [], pins: [] };

/** Cartesian product of named axes; the first axis varies slowest. */
export function cartesian(axes: readonly (readonly [string, readonly ParamValue[]])[]): Params[] {
  let points: Params[] = [{}];
  for (const [name, values] of axes) {
    const next: Params[] = [];
    for (const p of points) for (const v of values) next.push({ ...p, [name]: v });
    points = next;
  }
  return points;
}

/** Zipped axes: the i-th point takes the i-th value of each axis. Throws if lengths differ. */
export function zip(axes: readonly (readonly [string, readonly ParamValue[]])[]): Params[] {
  const first = axes[0];
  if (first === undefined) return [{}];
  const n = first[1].length;
  for (const [name, values] of axes) {
    if (values.length !== n) {
      throw new Error(`zip grid: axis ${name} has ${values.length} values, axis ${first[0]} has ${n}`);
    }
  }
  const points: Params[] = [];
  for (let i = 0; i < n; i++) {
    const p: Params = {};
    for (const [name, values] of axes) p[name] = values[i] as ParamValue;
    points.push(p);
  }
  return points;
}

/** The (partial) points a grid names, in order. */
export function gridPoints(grid: Grid): Params[] {
  switch (grid.kind) {
    case 'cartesian':
      return cartesian(Object.entries(grid.axes));
    case 'zip':
      return zip(Object.entries(grid.axes));
    case 'list':
      return grid.points.map((p) => ({ ...p }));
  }
}

/** Removes later duplicates (same parameter values), keeping order. */
export function dedupe(points: readonly Params[]): Params[] {
  const seen = new Set<string>();
  const out: Params[] = [];
  for (const p of points) {
    const key = canonicalJson(p);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

/** Fills defaults and orders the keys as the study declares its parameters. */
export function completePoint(study: Study, base: Params, partial: Params): Params {
  const full: Params = {};
  for (const name of Object.keys(study.params)) {
    const v = Object.hasOwn(partial, name) ? partial[name] : base[name];
    if (v !== undefined) full[name] = v;
  }
  return full;
}

/** Problems with a study-declared grid: unknown parameters, bad values, unequal zip axes. */
export function gridProblems(study: Study, grid: Grid, label: string): string[] {
  const problems: string[] = [];
  const check = (name: string, v: ParamValue): void => {
    const spec = study.params[name];
    if (spec === undefined) problems.push(`${label} names unknown parameter ${name}`);
    else {
      const p = checkValue(spec, v);
      if (p !== null) problems.push(`${label}: ${name}=${String(v)}: ${p}; ${describeAllowed(name, spec)}`);
    }
  };
  if (grid.kind === 'list') {
    if (grid.points.length === 0) problems.push(`${label} lists no points`);
    for (const p of grid.points) for (const [k, v] of Object.entries(p)) check(k, v);
  } else {
    for (const [k, values] of Object.entries(grid.axes)) {
      if (values.length === 0) problems.push(`${label} axis ${k} has no values`);
      for (const v of values) check(k, v);
    }
    if (grid.kind === 'zip') {
      try {
        zip(Object.entries(grid.axes));
      } catch (e) {
        problems.push(`${label}: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

/**
 * How many points expandPoints would produce before deduplication (an upper bound of the final count),
 * computed without building any point, so an oversized sweep is refused before it costs memory.
 */
export function countPoints(grid: Grid, overrides: GridOverrides): number {
  let n: number;
  if (grid.kind === 'cartesian') {
    const lengths = new Map<string, number>(Object.entries(grid.axes).map(([k, v]) => [k, v.length]));
    for (const [name, values] of overrides.axes) lengths.set(name, values.length);
    for (const [name] of overrides.pins) if (lengths.has(name)) lengths.set(name, 1); // the axis collapses
    n = 1;
    for (const len of lengths.values()) n *= len;
  } else {
    n = grid.kind === 'zip' ? (Object.values(grid.axes)[0]?.length ?? 1) : grid.points.length;
    for (const [, values] of overrides.axes) n *= values.length;
  }
  return n;
}

/**
 * The study's points after command-line overrides, fully specified (every parameter present, in
 * declaration order), deduplicated. Values are assumed already validated (see params.ts).
 */
export function expandPoints(study: Study, base: Params, grid: Grid, overrides: GridOverrides): Params[] {
  let partial: Params[];
  if (grid.kind === 'cartesian') {
    const axes = Object.entries(grid.axes).map(([k, v]) => [k, v] as [string, readonly ParamValue[]]);
    for (const [name, values] of overrides.axes) {
      const at = axes.findIndex(([k]) => k === name);
      if (at >= 0) axes[at] = [name, values];
      else axes.push([name, values]);
    }
    partial = cartesian(axes);
  } else {
    const replaced = new Set(overrides.axes.map(([k]) => k));
    const listed = dedupe(
      gridPoints(grid).map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => !replaced.has(k)))),
    );
    const crossed = cartesian(overrides.axes);
    partial = [];
    for (const p of listed) for (const q of crossed) partial.push({ ...p, ...q });
  }
  for (const [name, value] of overrides.pins) for (const p of partial) p[name] = value;
  const points = dedupe(partial.map((p) => completePoint(study, base, p)));
  if (points.length === 0) throw new UsageError(`study ${study.name}: the grid has no points`);
  return points;
}

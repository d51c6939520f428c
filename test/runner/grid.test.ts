// Grid expansion: cartesian, zip and list grids, command-line overrides (--grid replaces or adds an
// axis, --set pins), defaults filled in declaration order, duplicates removed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cartesian, dedupe, expandPoints, gridPoints, gridProblems, zip } from '../../src/runner/grid.js';
import type { Params, Study } from '../../src/runner/study.js';

const study: Study = {
  name: 'toy',
  description: 'toy',
  details: '',
  params: {
    a: { kind: 'int', default: 1, min: 0, max: 100, unit: '', doc: 'a' },
    b: { kind: 'float', default: 0.5, min: 0, max: 1, unit: '', doc: 'b' },
    c: { kind: 'enum', default: 'x', values: ['x', 'y', 'z'], unit: '', doc: 'c' },
    warmupNs: { kind: 'int', default: 0, min: 0, unit: 'ns', doc: 'w' },
    runLengthNs: { kind: 'int', default: 10, min: 1, unit: 'ns', doc: 'r' },
  },
  grid: { kind: 'cartesian', axes: { a: [1, 2], b: [0.1, 0.2, 0.3] } },
  replications: 2,
  measures: { m: { unit: '', doc: 'm' } },
  run: () => ({ measures: { m: 0 }, events: 0 }),
  charts: () => [],
};
const base: Params = { a: 1, b: 0.5, c: 'x', warmupNs: 0, runLengthNs: 10 };

describe('grid expansion', () => {
  it('cartesian: every combination, first axis slowest', () => {
    expect(gridPoints(study.grid)).toEqual([
      { a: 1, b: 0.1 },
      { a: 1, b: 0.2 },
      { a: 1, b: 0.3 },
      { a: 2, b: 0.1 },
      { a: 2, b: 0.2 },
      { a: 2, b: 0.3 },
    ]);
  });

  it('cartesian: size is the product of axis lengths and all combinations are distinct', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 4 }),
        (lists) => {
          const axes = lists.map((vs, i) => [`p${i}`, vs] as const);
          const points = cartesian(axes);
          expect(points.length).toBe(lists.reduce((n, vs) => n * vs.length, 1));
          expect(dedupe(points).length).toBe(points.length);
        },
      ),
    );
  });

  it('zip: i-th values together; unequal lengths are rejected', () => {
    expect(
      zip([
        ['a', [1, 2, 3]],
        ['b', [0.1, 0.2, 0.3]],
      ]),
    ).toEqual([
      { a: 1, b: 0.1 },
      { a: 2, b: 0.2 },
      { a: 3, b: 0.3 },
    ]);
    expect(() =>
      zip([
        ['a', [1, 2]],
        ['b', [0.1]],
      ]),
    ).toThrow(/axis b has 1 values, axis a has 2/);
    expect(gridProblems(study, { kind: 'zip', axes: { a: [1, 2], b: [0.1] } }, 'grid')[0]).toMatch(
      /axis b has 1 values/,
    );
  });

  it('list: points as written', () => {
    const grid = { kind: 'list', points: [{ a: 5 }, { b: 0.9, c: 'z' }] } as const;
    expect(gridPoints(grid)).toEqual([{ a: 5 }, { b: 0.9, c: 'z' }]);
    expect(expandPoints(study, base, grid, { axes: [], pins: [] })).toEqual([
      { a: 5, b: 0.5, c: 'x', warmupNs: 0, runLengthNs: 10 },
      { a: 1, b: 0.9, c: 'z', warmupNs: 0, runLengthNs: 10 },
    ]);
  });

  it('fills defaults in declaration order', () => {
    const points = expandPoints(study, base, study.grid, { axes: [], pins: [] });
    expect(points).toHaveLength(6);
    expect(Object.keys(points[0] as Params)).toEqual(['a', 'b', 'c', 'warmupNs', 'runLengthNs']);
  });

  it('--grid replaces a cartesian axis in place and appends new axes', () => {
    const points = expandPoints(study, base, study.grid, {
      axes: [
        ['b', [0.9]],
        ['c', ['y', 'z']],
      ],
      pins: [],
    });
    expect(points.map((p) => [p.a, p.b, p.c])).toEqual([
      [1, 0.9, 'y'],
      [1, 0.9, 'z'],
      [2, 0.9, 'y'],
      [2, 0.9, 'z'],
    ]);
  });

  it('--grid on a zip or list grid crosses the listed points (without that key) with the new axis', () => {
    const grid = { kind: 'zip', axes: { a: [1, 2], b: [0.1, 0.2] } } as const;
    const points = expandPoints(study, base, grid, { axes: [['b', [0.7, 0.8]]], pins: [] });
    expect(points.map((p) => [p.a, p.b])).toEqual([
      [1, 0.7],
      [1, 0.8],
      [2, 0.7],
      [2, 0.8],
    ]);
  });

  it('--set pins a value at every point; collapsed duplicates are run once', () => {
    const points = expandPoints(study, base, study.grid, { axes: [], pins: [['a', 7]] });
    expect(points.map((p) => [p.a, p.b])).toEqual([
      [7, 0.1],
      [7, 0.2],
      [7, 0.3],
    ]);
    const pinnedAxis = expandPoints(study, base, study.grid, { axes: [], pins: [['b', 0.2]] });
    expect(pinnedAxis.map((p) => [p.a, p.b])).toEqual([
      [1, 0.2],
      [2, 0.2],
    ]);
  });

  it('reports study grids with unknown parameters or values out of range', () => {
    expect(gridProblems(study, { kind: 'cartesian', axes: { q: [1] } }, 'grid')).toEqual([
      'grid names unknown parameter q',
    ]);
    expect(gridProblems(study, { kind: 'cartesian', axes: { b: [2] } }, 'grid')[0]).toMatch(
      /b=2: value out of range; b is a float in \[0, 1\]/,
    );
    expect(gridProblems(study, { kind: 'list', points: [] }, 'grid')).toEqual(['grid lists no points']);
  });
});

// The one argument-check module (src/sim/check.ts): every checker throws a RangeError in the format
// `<where>: <field> must be <allowed>, got <value>` and returns the value when it is allowed.
import { describe, expect, it } from 'vitest';
import {
  checkBool,
  checkClosedUnit,
  checkFinite,
  checkInt,
  checkName,
  checkNumber,
  checkOneOf,
  checkOpenUnit,
  rangeFailText,
} from '../../src/sim/check.js';
import * as models from '../../src/models/validate.js';

describe('argument checks', () => {
  it('return allowed values unchanged', () => {
    expect(checkInt('f', 'n', 3, 1, 3)).toBe(3);
    expect(checkNumber('f', 'x', 0.5, 0, 1)).toBe(0.5);
    expect(checkFinite('f', 'x', -1e300)).toBe(-1e300);
    expect(checkOpenUnit('f', 'p', 0.95)).toBe(0.95);
    expect(checkClosedUnit('f', 'p', 1)).toBe(1);
    expect(checkOneOf('f', 'mode', 'a', { a: 'a', b: 'b' } as const)).toBe('a');
    expect(checkName('f', 'name', 'x', 4)).toBe('x');
    expect(checkBool('f', 'on', false)).toBe(false);
  });

  it('throw one message format naming where, field, allowed and value', () => {
    const cases: [() => unknown, string][] = [
      [() => checkInt('Thing', 'countN', 2.5, 1), 'Thing: countN must be an integer >= 1, got 2.5'],
      [() => checkInt('Thing', 'countN', 9, 1, 8), 'Thing: countN must be an integer >= 1 and <= 8, got 9'],
      [() => checkNumber('Thing', 'x', NaN, 0, 1), 'Thing: x must be a number in [0, 1], got NaN'],
      [() => checkFinite('Thing', 'x', Infinity), 'Thing: x must be a finite number, got Infinity'],
      [() => checkOpenUnit('Thing', 'p', 1), 'Thing: p must be a number in (0, 1), got 1'],
      [() => checkClosedUnit('Thing', 'p', 1.5), 'Thing: p must be a number in [0, 1], got 1.5'],
      [() => checkInt('Thing', 'n', -0, 1), 'Thing: n must be an integer >= 1, got -0'],
      [
        () => checkOneOf('Thing', 'mode', 'c', { a: 'a', b: 'b' } as const),
        'Thing: mode must be one of "a", "b", got "c"',
      ],
      [
        () => checkName('Thing', 'name', '', 4),
        'Thing: name must be a non-empty string of at most 4 characters, got ""',
      ],
      [() => checkBool('Thing', 'on', 1), 'Thing: on must be true or false, got 1'],
      [
        () => rangeFailText('Thing', 'xs', 'a non-empty array', 'an empty array'),
        'Thing: xs must be a non-empty array, got an empty array',
      ],
    ];
    for (const [f, message] of cases) expect(f).toThrow(new RangeError(message));
  });

  it('is the module the models use (one copy, not two)', () => {
    expect(models.checkInt).toBe(checkInt);
    expect(models.checkOneOf).toBe(checkOneOf);
  });
});

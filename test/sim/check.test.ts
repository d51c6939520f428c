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
  boundsText,
  inputErrorText,
  valueProblem,
} from '../../src/sim/check.js';
import * as models from '../../src/models/validate.js';
import { checkValue, parseParamValue } from '../../src/runner/params.js';
import type { ParamSpec } from '../../src/runner/study.js';

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

  it('is the module the runner uses: value rules and the typed-input message', () => {
    const load: ParamSpec = { kind: 'float', default: 0.5, min: 0.05, max: 0.99, unit: '', doc: '' };
    const n: ParamSpec = { kind: 'int', default: 1, min: 1, unit: '', doc: '' };
    const mode: ParamSpec = { kind: 'enum', default: 'a', values: ['a', 'b'], unit: '', doc: '' };
    // the rules, written out: kind first, then the inclusive range, then the listed values
    const rules: [ParamSpec, unknown, string | null][] = [
      [load, 0.05, null],
      [load, 0.99, null],
      [load, 1, 'value out of range'],
      [load, '0.5', 'not a number'],
      [load, NaN, 'not a finite number'],
      [n, 2.5, 'not an integer'],
      [n, 0, 'value out of range'],
      [n, 2 ** 53 - 1, null],
      [n, 2 ** 53, 'not an integer'], // not a safe integer
      [mode, 'b', null],
      [mode, 'c', 'not an allowed value'],
      [{ ...mode, kind: 'bool', default: true }, 1, 'not a boolean'],
      [{ ...mode, kind: 'string', default: '' }, 1, 'not a string'],
    ];
    for (const [rule, value, problem] of rules) {
      expect(valueProblem(rule, value)).toBe(problem);
      expect(checkValue(rule, value as number)).toBe(valueProblem(rule, value));
    }
    expect([
      boundsText(1, 2),
      boundsText(1, undefined),
      boundsText(undefined, 2),
      boundsText(undefined, undefined),
    ]).toEqual([' in [1, 2]', ' >= 1', ' <= 2', '']);
    expect(inputErrorText('--set x=3', 'value out of range', 'x', 'an integer <= 2')).toBe(
      '--set x=3: value out of range; x is an integer <= 2',
    );
    // the runner's message for a typed value is this shape, with what the parameter allows
    expect(() => parseParamValue('load', load, '1.5', '--set load=1.5')).toThrow(
      inputErrorText('--set load=1.5', 'value out of range', 'load', 'a float in [0.05, 0.99]'),
    );
  });
});

// Parameter values from the command line: spellings accepted per kind, range checks, and error
// messages that name the flag, the value and what is allowed.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/runner/errors.js';
import { checkValue, parseParamValue, studyProblems } from '../../src/runner/params.js';
import type { ParamSpec } from '../../src/runner/study.js';
import { mm1Validation } from '../../experiments/mm1-validation/index.js';

const load: ParamSpec = { kind: 'float', default: 0.5, min: 0.05, max: 0.99, unit: '', doc: '' };
const time: ParamSpec = { kind: 'int', default: 1000, min: 1, max: 1e12, unit: 'ns', doc: '' };
const count: ParamSpec = { kind: 'int', default: 3, min: 1, max: 64, unit: 'packets', doc: '' };
const flag: ParamSpec = { kind: 'bool', default: false, unit: '', doc: '' };
const policy: ParamSpec = { kind: 'enum', default: 'fifo', values: ['fifo', 'sstf', 4], unit: '', doc: '' };

function message(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseParamValue', () => {
  it('parses each kind', () => {
    expect(parseParamValue('load', load, '0.8', 'x')).toBe(0.8);
    expect(parseParamValue('load', load, '.5', 'x')).toBe(0.5);
    expect(parseParamValue('load', load, '5e-1', 'x')).toBe(0.5);
    expect(parseParamValue('n', count, '16', 'x')).toBe(16);
    expect(parseParamValue('n', count, '1e1', 'x')).toBe(10);
    expect(parseParamValue('f', flag, 'true', 'x')).toBe(true);
    expect(parseParamValue('f', flag, '0', 'x')).toBe(false);
    expect(parseParamValue('p', policy, 'sstf', 'x')).toBe('sstf');
    expect(parseParamValue('p', policy, '4', 'x')).toBe(4);
  });

  it('accepts time suffixes for ns parameters', () => {
    expect(parseParamValue('t', time, '500ns', 'x')).toBe(500);
    expect(parseParamValue('t', time, '20us', 'x')).toBe(20_000);
    expect(parseParamValue('t', time, '20µs', 'x')).toBe(20_000);
    expect(parseParamValue('t', time, '2.5ms', 'x')).toBe(2_500_000);
    expect(parseParamValue('t', time, '1.1s', 'x')).toBe(1_100_000_000);
    expect(message(() => parseParamValue('t', time, '0.5ns', '--set t=0.5ns'))).toMatch(
      /^--set t=0.5ns: '0.5ns' is not an integer; t is a time in/,
    );
    expect(message(() => parseParamValue('n', count, '2ms', '--set n=2ms'))).toMatch(/'2ms' is not a number/);
  });

  it('rejects out-of-range values, naming the flag, value and allowed range', () => {
    expect(message(() => parseParamValue('load', load, '1.5', '--set load=1.5'))).toBe(
      '--set load=1.5: value out of range; load is a float in [0.05, 0.99]',
    );
    expect(message(() => parseParamValue('n', count, '65', '--grid n=1,65'))).toBe(
      '--grid n=1,65: value out of range; n is an integer in [1, 64] (packets)',
    );
  });

  it('rejects values of the wrong type', () => {
    expect(message(() => parseParamValue('load', load, 'abc', 'L'))).toBe(
      "L: 'abc' is not a number; load is a float in [0.05, 0.99]",
    );
    expect(message(() => parseParamValue('load', load, 'NaN', 'L'))).toMatch(/'NaN' is not a number/);
    expect(message(() => parseParamValue('load', load, '', 'L'))).toMatch(/'' is not a number/);
    expect(message(() => parseParamValue('n', count, '2.5', 'L'))).toMatch(
      /'2.5' is not an integer; n is an integer in \[1, 64\]/,
    );
    expect(message(() => parseParamValue('f', flag, 'maybe', 'L'))).toBe(
      "L: 'maybe' is not a boolean; f is a boolean (true or false)",
    );
    expect(message(() => parseParamValue('p', policy, 'lifo', 'L'))).toBe(
      "L: 'lifo' is not an allowed value; p is one of fifo, sstf, 4",
    );
  });

  it('checkValue checks kind and range of study-declared values', () => {
    expect(checkValue(load, 0.5)).toBeNull();
    expect(checkValue(load, 1)).toBe('value out of range');
    expect(checkValue(count, 1.5)).toBe('not an integer');
    expect(checkValue(flag, 'true')).toBe('not a boolean');
  });

  it('registered studies are consistent', () => {
    expect(studyProblems(mm1Validation)).toEqual([]);
  });
});

// Argument checks shared by the engine (src/sim), the models (src/models) and the runner (src/runner).
// Every message names where, the field, what is allowed and the value, in one of two shapes:
// - a program's argument: `<where>: <field> must be <allowed>, got <value>`, thrown as a RangeError that
//   names the function or component (`where`), the argument or field, what is allowed and the value;
// - a value a user typed (a `--set`/`--grid` item, a sweep-file entry): `<input>: <problem>; <field> is
//   <allowed>`, where `<input>` repeats the value as written (`--set load=1.5: value out of range; load
//   is a float in [0.05, 0.99]`); the runner throws it as a UsageError (exit code 2).
//
// Holds: the throwers (`rangeFail`, `rangeFailText` for a described value such as "an empty array"),
// checkers for integers, finite numbers, unit intervals, closed sets (`as const` objects), names and
// booleans, and the rules of declared fields (`ValueRule`: kind, inclusive range, allowed values) with
// `valueProblem` (what is wrong with a value, or null), `boundsText` and `inputErrorText`. No defaults
// and no units here: units are those of the field names (`...Ns` = integer nanoseconds, `...Bytes` =
// bytes). Hot paths test their condition inline and call a thrower only when it fails (the throwers
// are never inlined into the caller's fast path).

/** A value as shown in messages: strings quoted, -0 kept, everything else as String(value). */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** `<field> must be <allowed>, got <value>`: the message without its `where` (for lists of problems). */
export function argumentText(field: string, allowed: string, value: unknown): string {
  return argumentTextGot(field, allowed, showValue(value));
}

/** As argumentText, with the value described (`got an empty array`, `got float in "ms"`). */
export function argumentTextGot(field: string, allowed: string, gotText: string): string {
  return `${field} must be ${allowed}, got ${gotText}`;
}

/** The uniform bad-argument error (returned, for callers that throw it themselves). */
export function argumentError(where: string, field: string, allowed: string, value: unknown): RangeError {
  return new RangeError(`${where}: ${argumentText(field, allowed, value)}`);
}

/** Throws the uniform bad-argument error. */
export function rangeFail(where: string, field: string, allowed: string, value: unknown): never {
  throw argumentError(where, field, allowed, value);
}

/** Throws the uniform error with a described value (`got an empty array`, `got sum 0`). */
export function rangeFailText(where: string, field: string, allowed: string, gotText: string): never {
  throw new RangeError(`${where}: ${argumentTextGot(field, allowed, gotText)}`);
}

/** An integer in [min, max] (max defaults to the largest safe integer). */
export function checkInt(
  where: string,
  field: string,
  value: unknown,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const hi = max >= Number.MAX_SAFE_INTEGER ? '' : ` and <= ${max}`;
    rangeFail(where, field, `an integer >= ${min}${hi}`, value);
  }
  return value;
}

/** A finite number in [min, max]. */
export function checkNumber(where: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    rangeFail(where, field, `a number in [${min}, ${max}]`, value);
  }
  return value;
}

/** Any finite number. */
export function checkFinite(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) rangeFail(where, field, 'a finite number', value);
  return value;
}

/** A number in the open interval (0, 1), e.g. a confidence level. */
export function checkOpenUnit(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) rangeFail(where, field, 'a number in (0, 1)', value);
  return value;
}

/** A number in [0, 1], e.g. a probability or a quantile level. */
export function checkClosedUnit(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) rangeFail(where, field, 'a number in [0, 1]', value);
  return value;
}

/** One of the values of a closed set declared `as const`. */
export function checkOneOf<T extends string>(
  where: string,
  field: string,
  value: unknown,
  allowed: Readonly<Record<string, T>>,
): T {
  const values = Object.values(allowed);
  if (typeof value !== 'string' || !values.includes(value as T)) {
    rangeFail(where, field, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, value);
  }
  return value as T;
}

/** A non-empty string of at most maxLength characters. */
export function checkName(where: string, field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    rangeFail(where, field, `a non-empty string of at most ${maxLength} characters`, value);
  }
  return value;
}

/** A boolean. */
export function checkBool(where: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') rangeFail(where, field, 'true or false', value);
  return value;
}

// ---- declared fields: study parameters, sweep-file entries, values typed on the command line ----

/** The kinds of value a declared field takes (the runner's ParamKind has the same members). */
export const ValueKind = { int: 'int', float: 'float', bool: 'bool', enum: 'enum', string: 'string' } as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

/** What a declared field allows: its kind, an inclusive range (int, float), the values (enum). */
export interface ValueRule {
  readonly kind: ValueKind;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly (string | number | boolean)[];
}

/** What can be wrong with a value of a declared field (the `<problem>` of the input message). */
export const ValueProblem = {
  notNumber: 'not a number',
  notFinite: 'not a finite number',
  notInteger: 'not an integer',
  outOfRange: 'value out of range',
  notBoolean: 'not a boolean',
  notAllowed: 'not an allowed value',
  notString: 'not a string',
} as const;
export type ValueProblem = (typeof ValueProblem)[keyof typeof ValueProblem];

/** What is wrong with `value` under `rule`, or null when it is allowed. */
export function valueProblem(rule: ValueRule, value: unknown): ValueProblem | null {
  switch (rule.kind) {
    case 'int':
    case 'float': {
      if (typeof value !== 'number') return ValueProblem.notNumber;
      if (!Number.isFinite(value)) return ValueProblem.notFinite;
      if (rule.kind === 'int' && !Number.isSafeInteger(value)) return ValueProblem.notInteger;
      if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
        return ValueProblem.outOfRange;
      }
      return null;
    }
    case 'bool':
      return typeof value === 'boolean' ? null : ValueProblem.notBoolean;
    case 'enum':
      return (rule.values ?? []).some((v) => v === value) ? null : ValueProblem.notAllowed;
    case 'string':
      return typeof value === 'string' ? null : ValueProblem.notString;
  }
}

/** An inclusive range as text: " in [a, b]", " >= a", " <= b", or "" (bounds shown by `show`). */
export function boundsText(
  min: number | undefined,
  max: number | undefined,
  show: (x: number) => string = String,
): string {
  if (min !== undefined && max !== undefined) return ` in [${show(min)}, ${show(max)}]`;
  if (min !== undefined) return ` >= ${show(min)}`;
  if (max !== undefined) return ` <= ${show(max)}`;
  return '';
}

/** The message for a bad typed value: `<input>: <problem>; <field> is <allowed>`. */
export function inputErrorText(input: string, problem: string, field: string, allowed: string): string {
  return `${input}: ${problem}; ${field} is ${allowed}`;
}

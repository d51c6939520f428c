// Parameter values: parsing from the command line, type and range checks, and the one-line
// description of what a parameter accepts (used in error messages and `hvsim describe`).
//
// Accepted spellings:
// - int:    a decimal integer, optionally with an exponent that keeps it whole (1e6); for parameters
//           whose unit is 'ns', a number with a time suffix: 500ns, 20us (or 20µs), 2.5ms, 10s.
// - float:  a decimal number (0.5, .5, 5e-1); no NaN, no Infinity.
// - bool:   true / false (also 1 / 0, yes / no).
// - enum:   one of the declared values, written as `String(value)`.
// - string: anything.
// Ranges (min/max) are inclusive.
//
// The checks and the message shape are those of the one argument-check module (src/sim/check.ts:
// valueProblem, boundsText, inputErrorText), which the engine and the models use too; this file adds
// what is the runner's own: parsing the spellings above and the units of a parameter.
import { argumentText, argumentTextGot, boundsText, inputErrorText, ValueProblem, valueProblem } from '../sim/check.js';
import { formatNs } from '../sim/time.js';
import { didYouMean } from './suggest.js';
import { UsageError } from './errors.js';
import type { ParamSpec, ParamValue, Params, Study } from './study.js';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const WITH_TIME_UNIT = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(ns|us|µs|ms|s)$/;

/** Nanoseconds per time suffix accepted by 'ns' parameters. */
export const NS_PER_SUFFIX = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 } as const;
type TimeSuffix = keyof typeof NS_PER_SUFFIX;

function kindPhrase(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'int':
      return 'an integer';
    case 'float':
      return 'a float';
    case 'bool':
      return 'a boolean (true or false)';
    case 'enum':
      return 'one of';
    case 'string':
      return 'a string';
  }
}

/** "load is a float in [0.05, 0.99]", "policy is one of fifo, elevator". */
export function describeAllowed(name: string, spec: ParamSpec): string {
  return `${name} is ${allowedPhrase(spec)}`;
}

/** "a float in [0.05, 0.99]" (the part after "is"). */
export function allowedPhrase(spec: ParamSpec): string {
  if (spec.kind === 'enum') return `one of ${(spec.values ?? []).map(String).join(', ')}`;
  let text = kindPhrase(spec);
  if (spec.kind === 'int' || spec.kind === 'float') {
    const time = spec.unit === 'ns' && spec.kind === 'int';
    const show = (x: number): string => (time ? formatNs(x).replace(/ /g, '') : String(x));
    if (time) text = 'a time';
    text += boundsText(spec.min, spec.max, show);
    if (time) text += ' (integer ns, or 500us, 2ms, 10s)';
    else if (spec.unit) text += ` (${spec.unit})`;
  }
  return text;
}

/**
 * Checks a value against its spec; returns null when it is fine, else the problem
 * ("value out of range", "not an integer", …: check.ts ValueProblem).
 */
export function checkValue(spec: ParamSpec, value: ParamValue): ValueProblem | null {
  return valueProblem(spec, value);
}

/** Parses a number written in decimal, or with a time suffix for 'ns' parameters. */
function parseNumber(spec: ParamSpec, raw: string): number | null {
  const text = raw.trim();
  if (DECIMAL.test(text)) return Number(text);
  if (spec.unit === 'ns' && spec.kind === 'int') {
    const m = WITH_TIME_UNIT.exec(text);
    if (m && m[1] !== undefined && m[2] !== undefined) {
      const exact = Number(m[1]) * NS_PER_SUFFIX[m[2] as TimeSuffix];
      const rounded = Math.round(exact);
      // Accept binary rounding noise (1.1s = 1100000000.0000002 ns), not fractions of a nanosecond.
      if (Math.abs(exact - rounded) <= 1e-9 * Math.abs(exact) + 1e-9) return rounded;
      return exact;
    }
  }
  return null;
}

/**
 * Parses one command-line value for parameter `name`. `label` is how the input is shown in the
 * error message (e.g. "--set load=1.5"). Throws UsageError naming the flag, the value and what is
 * allowed.
 */
export function parseParamValue(name: string, spec: ParamSpec, raw: string, label: string): ParamValue {
  const fail = (problem: string): never => {
    throw new UsageError(inputErrorText(label, problem, name, allowedPhrase(spec)));
  };
  let value: ParamValue;
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const x = parseNumber(spec, raw);
      if (x === null) return fail(`'${raw}' is not a number`);
      value = x;
      break;
    }
    case 'bool': {
      const t = raw.trim().toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes') value = true;
      else if (t === 'false' || t === '0' || t === 'no') value = false;
      else return fail(`'${raw}' is not a boolean`);
      break;
    }
    case 'enum': {
      const found = (spec.values ?? []).find((v) => String(v) === raw.trim());
      if (found === undefined) return fail(`'${raw}' is not an allowed value`);
      value = found;
      break;
    }
    case 'string':
      value = raw;
      break;
  }
  const problem = checkValue(spec, value);
  if (problem !== null) fail(problem === ValueProblem.outOfRange ? problem : `'${raw}' is ${problem}`);
  return value;
}

/** Looks a parameter up by name; throws UsageError listing the study's parameters. */
export function paramSpecOf(study: Study, name: string, label: string): ParamSpec {
  const spec = Object.hasOwn(study.params, name) ? study.params[name] : undefined;
  if (spec === undefined) {
    throw new UsageError(
      `${label}: unknown parameter '${name}' of study ${study.name}${didYouMean(name, Object.keys(study.params))}; ` +
        `parameters: ${Object.keys(study.params).join(', ')}`,
    );
  }
  return spec;
}

/** The study's defaults, with its quickParams applied under --quick. */
export function baseParams(study: Study, quick: boolean): Params {
  const out: Params = {};
  for (const [name, spec] of Object.entries(study.params)) out[name] = spec.default;
  if (quick && study.quickParams) Object.assign(out, study.quickParams);
  return out;
}

/**
 * Checks that a study is well-formed: defaults, quickParams and grid values of the declared kinds and
 * in range, the conventional warmupNs and runLengthNs parameters present. Returns the problems found.
 */
export function studyProblems(study: Study): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(study.name))
    problems.push(`name '${study.name}' is not lower-case words joined by '-'`);
  for (const [name, spec] of Object.entries(study.params)) {
    const p = checkValue(spec, spec.default);
    if (p !== null) {
      problems.push(inputErrorText(`default of ${name} (${String(spec.default)})`, p, name, allowedPhrase(spec)));
    }
    if (spec.kind === 'enum' && (spec.values === undefined || spec.values.length === 0))
      problems.push(`enum ${name} has no values`);
  }
  for (const [name, value] of Object.entries(study.quickParams ?? {})) {
    const spec = study.params[name];
    if (spec === undefined) problems.push(`quickParams names unknown parameter ${name}`);
    else {
      const p = checkValue(spec, value);
      const at = `quickParams.${name} (${String(value)})`;
      if (p !== null) problems.push(inputErrorText(at, p, name, allowedPhrase(spec)));
    }
  }
  for (const conventional of ['warmupNs', 'runLengthNs']) {
    const spec = study.params[conventional];
    if (spec === undefined) problems.push(`parameter ${conventional} missing (convention)`);
    else if (spec.kind !== 'int' || spec.unit !== 'ns') {
      const got = `${spec.kind} in ${JSON.stringify(spec.unit)}`;
      problems.push(argumentTextGot(conventional, 'an int in ns (convention)', got));
    }
  }
  if (!Number.isSafeInteger(study.replications) || study.replications < 1)
    problems.push(argumentText('replications', 'an integer >= 1', study.replications));
  if (
    study.quickReplications !== undefined &&
    (!Number.isSafeInteger(study.quickReplications) || study.quickReplications < 1)
  ) {
    problems.push(argumentText('quickReplications', 'an integer >= 1', study.quickReplications));
  }
  if (Object.keys(study.measures).length === 0) problems.push('no measures');
  return problems;
}

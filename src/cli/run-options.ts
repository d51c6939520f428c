// Parsing and validation of the `hvsim run` options into a sweep request. Every problem is a
// UsageError with one line naming the flag, the value given and what is allowed; nothing is written
// before all of them have been checked.
//
// Limits: --replications 1..100000 (and at most 100000 runs in all, runner/plan.ts PLAN_LIMITS);
// --jobs 1..1024 (default: os.availableParallelism(); more than that is capped to it by the run command);
// --seed 0..2^53−1 (default 1); --shard i/n with 1 <= i <= n <= 100000.
import { availableParallelism } from 'node:os';
import { UsageError } from '../runner/errors.js';
import type { GridOverrides } from '../runner/grid.js';
import { paramSpecOf, parseParamValue } from '../runner/params.js';
import { PLAN_LIMITS, type Shard } from '../runner/plan.js';
import type { ParamValue, Study } from '../runner/study.js';

export const LIMITS = {
  maxReplications: PLAN_LIMITS.maxReplications,
  maxJobs: 1024,
  maxShards: 100_000,
} as const;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** An integer option in [min, max] (1e3 is accepted as 1000). */
export function parseIntOption(flag: string, raw: string, min: number, max: number): number {
  const allowed = `${flag} takes an integer in [${min}, ${max}]`;
  const text = raw.trim();
  const x = NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(x) && Math.abs(x) !== Infinity)
    throw new UsageError(`${flag} ${raw}: '${raw}' is not a whole number; ${allowed}`);
  if (x < min || x > max) throw new UsageError(`${flag} ${raw}: value out of range; ${allowed}`);
  return x;
}

export function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(count) ||
    index < 1 ||
    count < 1 ||
    index > count ||
    count > LIMITS.maxShards
  ) {
    throw new UsageError(
      `--shard ${raw}: malformed; expected i/n with integers 1 <= i <= n <= ${LIMITS.maxShards} (e.g. --shard 2/8)`,
    );
  }
  return { index, count };
}

function splitAssignment(flag: string, raw: string, example: string): [string, string] {
  const at = raw.indexOf('=');
  const key = at > 0 ? raw.slice(0, at).trim() : '';
  if (at <= 0 || key === '') throw new UsageError(`${flag} ${raw}: malformed; expected ${example}`);
  return [key, raw.slice(at + 1)];
}

export function parseSet(study: Study, raw: string): [string, ParamValue] {
  const [key, value] = splitAssignment('--set', raw, 'key=value (e.g. --set load=0.8)');
  const label = `--set ${raw}`;
  return [key, parseParamValue(key, paramSpecOf(study, key, label), value, label)];
}

export function parseGrid(study: Study, raw: string): [string, ParamValue[]] {
  const example = 'key=v1,v2,... (e.g. --grid load=0.5,0.8,0.9)';
  const [key, list] = splitAssignment('--grid', raw, example);
  const label = `--grid ${raw}`;
  const spec = paramSpecOf(study, key, label);
  const items = list.split(',');
  if (list.trim() === '' || items.some((v) => v.trim() === ''))
    throw new UsageError(`${label}: malformed; expected ${example}`);
  return [key, items.map((v) => parseParamValue(key, spec, spec.kind === 'string' ? v : v.trim(), label))];
}

export interface RawRunOptions {
  readonly set: readonly string[];
  readonly grid: readonly string[];
  readonly replications?: string;
  readonly seed?: string;
  readonly jobs?: string;
  readonly shard?: string;
}

export interface RunRequest {
  readonly overrides: GridOverrides;
  readonly replications: number | undefined;
  readonly masterSeed: number | undefined;
  readonly jobs: number;
  readonly shard: Shard | undefined;
}

export function parseRunOptions(study: Study, raw: RawRunOptions): RunRequest {
  const pins: [string, ParamValue][] = [];
  for (const s of raw.set) {
    const [key, value] = parseSet(study, s);
    if (pins.some(([k]) => k === key))
      throw new UsageError(`--set ${s}: ${key} is set twice; give each parameter once`);
    pins.push([key, value]);
  }
  const axes: [string, ParamValue[]][] = [];
  for (const g of raw.grid) {
    const [key, values] = parseGrid(study, g);
    if (axes.some(([k]) => k === key))
      throw new UsageError(`--grid ${g}: ${key} is gridded twice; list all its values in one --grid`);
    if (pins.some(([k]) => k === key))
      throw new UsageError(`--grid ${g}: ${key} is also given with --set; use one or the other`);
    axes.push([key, values]);
  }
  return {
    overrides: { axes, pins },
    replications:
      raw.replications === undefined
        ? undefined
        : parseIntOption('--replications', raw.replications, 1, LIMITS.maxReplications),
    masterSeed: raw.seed === undefined ? undefined : parseIntOption('--seed', raw.seed, 0, Number.MAX_SAFE_INTEGER),
    jobs: raw.jobs === undefined ? availableParallelism() : parseIntOption('--jobs', raw.jobs, 1, LIMITS.maxJobs),
    shard: raw.shard === undefined ? undefined : parseShard(raw.shard),
  };
}

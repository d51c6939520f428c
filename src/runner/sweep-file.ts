// Sweep files: an experiment kept in a YAML or JSON file instead of a long command line, run with
// `hvsim run <file>`. The file is the same request as the flags of `hvsim run <study>`:
//
//   study: bvt-warp                 # required: a study name (hvsim list)
//   description: warp vs N hogs     # optional, free text
//   set:                            # optional: --set key=value for each entry
//     runLengthNs: 20s              #   values as on the command line: 2ms, 50us, 1s for ns parameters
//   grid:                           # optional: --grid key=v1,v2,... for each entry, in the order written
//     cpuBound: [1, 4, 16]
//   replications: 20                # optional: --replications
//   seed: 7                         # optional: --seed
//   quick: false                    # optional: --quick
//   out: results/warp-20s           # optional: --out (relative to the current directory, like --out)
//
// The shape is checked against SWEEP_SCHEMA (JSON Schema draft-07, shipped as schema/sweep.schema.json
// by scripts/sweep-schema.ts, so editors can complete and check sweep files), then every parameter
// name and value against the study. Every problem is a UsageError of one line naming the path in the
// file and the rule: `grid.k[2]: must be an integer in [1, 64], got 0` (exit 2, nothing written).
// Flags given next to the file override it key by key (mergeOverrides).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { UsageError } from './errors.js';
import type { GridOverrides } from './grid.js';
import { allowedPhrase, parseParamValue } from './params.js';
import { PLAN_LIMITS } from './plan.js';
import type { ParamSpec, ParamValue, Study } from './study.js';

export const SWEEP_FORMAT = 'hvsim-sweep/1';
/** Largest sweep file read (bytes): a sweep is a few lines; anything bigger is not one. */
export const MAX_SWEEP_FILE_BYTES = 1 << 20;

const SCALAR = { type: ['number', 'string', 'boolean'] } as const;

/** JSON Schema (draft-07) of a sweep file; the source of schema/sweep.schema.json. */
export const SWEEP_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://hvsim.invalid/schema/sweep.schema.json',
  title: 'hvsim sweep file',
  description:
    'A study run kept in a file: `hvsim run <file>` does what `hvsim run <study>` with the equivalent --set, --grid, ' +
    '--replications, --seed, --quick and --out flags does. Flags given next to the file override it.',
  type: 'object',
  additionalProperties: false,
  required: ['study'],
  properties: {
    $schema: { type: 'string', description: 'the schema of this file (for editors)' },
    study: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'study name (hvsim list)' },
    description: { type: 'string', description: 'free text, kept in the manifest with the file' },
    set: {
      type: 'object',
      description:
        'parameters pinned at every point (--set): a number, a boolean, an enum value, or a time such as 2ms, 50us, 1s for ns parameters',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      additionalProperties: SCALAR,
    },
    grid: {
      type: 'object',
      description: 'parameters swept over a list of values (--grid), crossed in the order written',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      additionalProperties: { type: 'array', minItems: 1, items: SCALAR },
    },
    replications: {
      type: 'integer',
      minimum: 1,
      maximum: PLAN_LIMITS.maxReplications,
      description: 'replications per point',
    },
    seed: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'master seed' },
    quick: { type: 'boolean', description: "start from the study's quick settings (--quick)" },
    out: {
      type: 'string',
      minLength: 1,
      pattern: '^\\S(.*\\S)?$',
      description: 'results folder, relative to the current directory (--out)',
    },
  },
} as const;

/** A sweep file after every check: what `hvsim run` needs, plus its provenance for the manifest. */
export interface SweepFile {
  readonly path: string;
  /** SHA-256 (hex) of the file's bytes. */
  readonly sha256: string;
  readonly content: string;
  readonly study: Study;
  readonly description: string | undefined;
  readonly overrides: GridOverrides;
  readonly replications: number | undefined;
  readonly seed: number | undefined;
  readonly quick: boolean | undefined;
  readonly out: string | undefined;
}

/** What the manifest records of a sweep file (manifest.json `sweepFile`). */
export interface SweepFileRecord {
  readonly path: string;
  readonly sha256: string;
  readonly content: string;
}

/** A `hvsim run` argument names a sweep file (not a study) when it has a dot or a slash in it. */
export function isSweepFileArg(arg: string): boolean {
  return /[./\\]/.test(arg);
}

/** "grid.k[2]" from ['grid', 'k', 2]; keys that are not identifiers are quoted: set["a b"]. */
export function pathText(parts: readonly (string | number)[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out === '' ? '(the file)' : out;
}

function shown(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'an object';
  const s = JSON.stringify(x);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

function pointerParts(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(root: unknown, parts: readonly (string | number)[]): unknown {
  let x = root;
  for (const p of parts)
    x = x !== null && typeof x === 'object' ? (x as Record<string | number, unknown>)[p] : undefined;
  return x;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

/** One ajv error as "path: rule, got value". */
function schemaMessage(err: ErrorObject, doc: unknown): string {
  const parts = pointerParts(err.instancePath);
  const value = valueAt(doc, parts);
  const p = err.params as Record<string, unknown>;
  const at = pathText(parts);
  switch (err.keyword) {
    case 'required':
      return `${pathText([...parts, String(p.missingProperty)])}: required (the study to run, e.g. study: mm1-validation)`;
    case 'additionalProperties': {
      const allowed = Object.keys(SWEEP_SCHEMA.properties).join(', ');
      return `${pathText([...parts, String(p.additionalProperty)])}: unknown key; a sweep file has ${allowed}`;
    }
    case 'propertyNames':
      return `${at}: key ${shown(p.propertyName)} is not a parameter name`;
    case 'type': {
      const types = String(p.type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t);
      const expected =
        types.length > 1
          ? types.join(' or ').replace(/^a number or a string or true or false$/, 'a number, a string or a boolean')
          : types[0];
      return `${at}: must be ${expected ?? 'of another type'}, got ${typeName(value)}${typeof value === 'object' ? '' : ` ${shown(value)}`}`;
    }
    case 'minimum':
      return `${at}: must be ${parts[0] === 'replications' || parts[0] === 'seed' ? 'an integer ' : ''}>= ${String(p.limit)}, got ${shown(value)}`;
    case 'maximum':
      return `${at}: must be ${parts[0] === 'replications' || parts[0] === 'seed' ? 'an integer ' : ''}<= ${String(p.limit)}, got ${shown(value)}`;
    case 'minItems':
      return `${at}: must list at least ${String(p.limit)} value, got an empty list`;
    case 'minLength':
      return `${at}: must not be empty`;
    case 'pattern':
      return parts[0] === 'study'
        ? `${at}: must be a study name (lower-case words joined by '-'), got ${shown(value)}`
        : `${at}: must not be blank or have leading or trailing blanks, got ${shown(value)}`;
    default:
      return `${at}: ${err.message ?? 'is not allowed'}, got ${shown(value)}`;
  }
}

type Validator = ((x: unknown) => boolean) & { errors?: ErrorObject[] | null };
let validator: Validator | undefined;

/** Checks a parsed document against SWEEP_SCHEMA; UsageError with the first problem. */
export function checkSweepShape(doc: unknown, label: string): void {
  validator ??= new Ajv({ strict: true, allErrors: false, allowUnionTypes: true }).compile(SWEEP_SCHEMA) as Validator;
  if (validator(doc)) return;
  const err = validator.errors?.[0];
  throw new UsageError(`${label}: ${err === undefined ? 'not a sweep file' : schemaMessage(err, doc)}`);
}

/** One parameter value from the file, checked like the command line's; the message names the path. */
function paramValue(name: string, spec: ParamSpec, raw: unknown, label: string, at: string): ParamValue {
  const text = String(raw);
  try {
    if (typeof raw === 'string' && spec.kind !== 'string' && raw.trim() !== raw) throw new UsageError('blanks');
    return parseParamValue(name, spec, text, at);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(`${label}: ${at}: must be ${allowedPhrase(spec)}, got ${shown(raw)}`);
  }
}

function paramSpec(study: Study, name: string, label: string, at: string): ParamSpec {
  const spec = Object.hasOwn(study.params, name) ? study.params[name] : undefined;
  if (spec === undefined) {
    throw new UsageError(
      `${label}: ${at}: unknown parameter of study ${study.name}; parameters: ${Object.keys(study.params).join(', ')}`,
    );
  }
  return spec;
}

/** Parses YAML (or JSON, which YAML reads too); UsageError naming the line on a syntax error. */
function parseDocument(text: string, label: string, json: boolean): unknown {
  if (json) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      const why = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
      throw new UsageError(`${label}: not valid JSON (${why})`);
    }
  }
  try {
    return parseYaml(text, { uniqueKeys: true, maxAliasCount: 100, prettyErrors: true }) as unknown;
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0];
      const first = err.message.split('\n')[0] ?? err.message;
      const where = line ? ` (line ${line.line}, column ${line.col})` : '';
      throw new UsageError(
        `${label}: not valid YAML${where}: ${first.replace(/ at line \d+, column \d+:?$/, '').trim()}`,
      );
    }
    throw new UsageError(`${label}: not valid YAML (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * Reads, parses and checks a sweep file. `lookup` finds a study by name (the CLI passes its registry).
 * Throws UsageError "<path>: <where in the file>: <rule>, got <value>" on the first problem.
 */
export function loadSweepFile(path: string, lookup: (name: string) => Study | undefined): SweepFile {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`sweep file ${path}: not a file`);
    if (st.size > MAX_SWEEP_FILE_BYTES)
      throw new UsageError(
        `sweep file ${path}: ${st.size} bytes, above the maximum of ${MAX_SWEEP_FILE_BYTES}; a sweep file is a few lines`,
      );
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `${path}: no such sweep file (hvsim run takes a study name, see hvsim list, or a .yaml/.json sweep file)`
        : `sweep file ${path}: cannot be read (${code ?? 'error'})`,
    );
  }
  const content = bytes.toString('utf8');
  if (Buffer.compare(Buffer.from(content, 'utf8'), bytes) !== 0) throw new UsageError(`${path}: not UTF-8 text`);
  return parseSweepFile(content, path, lookup, createHash('sha256').update(bytes).digest('hex'));
}

/** The checks of loadSweepFile on text already read (`path` names it in messages). */
export function parseSweepFile(
  content: string,
  path: string,
  lookup: (name: string) => Study | undefined,
  sha256?: string,
): SweepFile {
  const doc = parseDocument(content, path, /\.json$/i.test(path));
  checkSweepShape(doc, path);
  const d = doc as {
    study: string;
    description?: string;
    set?: Record<string, unknown>;
    grid?: Record<string, unknown[]>;
    replications?: number;
    seed?: number;
    quick?: boolean;
    out?: string;
  };
  const study = lookup(d.study);
  if (study === undefined) throw new UsageError(`${path}: study: unknown study '${d.study}' (see hvsim list)`);
  const pins: [string, ParamValue][] = [];
  for (const [name, raw] of Object.entries(d.set ?? {})) {
    const at = pathText(['set', name]);
    pins.push([name, paramValue(name, paramSpec(study, name, path, at), raw, path, at)]);
  }
  const axes: [string, ParamValue[]][] = [];
  for (const [name, list] of Object.entries(d.grid ?? {})) {
    const at = pathText(['grid', name]);
    const spec = paramSpec(study, name, path, at);
    if (pins.some(([k]) => k === name))
      throw new UsageError(`${path}: ${at}: ${name} is also under set; give it in one place`);
    axes.push([name, list.map((raw, i) => paramValue(name, spec, raw, path, pathText(['grid', name, i])))]);
  }
  return {
    path,
    sha256: sha256 ?? createHash('sha256').update(content, 'utf8').digest('hex'),
    content,
    study,
    description: d.description,
    overrides: { axes, pins },
    replications: d.replications,
    seed: d.seed,
    quick: d.quick,
    out: d.out,
  };
}

/**
 * The file's --set/--grid with the command line's on top: a key given on the command line (with
 * --set or --grid) replaces the file's entry for that key (a --grid axis keeps the file axis's place);
 * keys only on the command line are added after the file's.
 */
export function mergeOverrides(file: GridOverrides, cli: GridOverrides): GridOverrides {
  const cliKeys = new Set([...cli.pins.map(([k]) => k), ...cli.axes.map(([k]) => k)]);
  const pins = [...file.pins.filter(([k]) => !cliKeys.has(k)), ...cli.pins];
  const axes: (readonly [string, readonly ParamValue[]])[] = [];
  for (const [k, values] of file.axes) {
    if (!cliKeys.has(k)) axes.push([k, values]);
    else {
      const replaced = cli.axes.find(([c]) => c === k);
      if (replaced !== undefined) axes.push(replaced);
    }
  }
  for (const axis of cli.axes) if (!file.axes.some(([k]) => k === axis[0])) axes.push(axis);
  return { axes, pins };
}

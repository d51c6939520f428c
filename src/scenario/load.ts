// Reading and checking scenario files: YAML (.yaml/.yml) or JSON (.json), validated with ajv against
// the schema of schema.ts, then the cross-field rules a JSON Schema cannot state (unique template
// names, SLOs naming existing templates of the right workload, ring sizes a power of two, the vary
// section naming an integer field). Every problem is one line: `<path>: <rule>, got <value>`, e.g.
// `domains[2].workload.rateHz: must be > 0, got -3`; the CLI prefixes the file and exits with code 2
// before writing anything. `--set path=value` edits (whatif) are applied one at a time and the
// scenario is re-validated after each, so an error names the --set that caused it.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../runner/errors.js';
import { scenarioJsonSchema, type Scenario } from './schema.js';

/** A scenario problem: where (a path like domains[2].workload.rateHz, '' for the root) and the rule. */
export interface ScenarioProblem {
  readonly path: string;
  readonly rule: string;
}

export function problemText(p: ScenarioProblem): string {
  return p.path === '' ? p.rule : `${p.path}: ${p.rule}`;
}

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (compiled === null) {
    const ajv = new Ajv({
      allErrors: false,
      discriminator: true,
      verbose: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
    });
    compiled = ajv.compile(scenarioJsonSchema());
  }
  return compiled;
}

/** JSON pointer segments → `a.b[2].c`. */
export function pathOf(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^[0-9]+$/.test(s)) out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

function typeName(t: unknown): string {
  const name = Array.isArray(t) ? t.join(' or ') : String(t);
  return (
    (
      {
        integer: 'an integer',
        number: 'a number',
        string: 'a string',
        boolean: 'true or false',
        object: 'an object',
        array: 'a list',
      } as Record<string, string>
    )[name] ?? name
  );
}

function keysOf(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props === undefined ? [] : Object.keys(props);
}

/** The tag values of a discriminated oneOf (for "must be one of ..."). */
function tagValues(schema: unknown, tag: string): string[] {
  const branches =
    (schema as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] } | undefined)?.oneOf ?? [];
  return branches.map((b) => String(b.properties?.[tag]?.const));
}

/** One ajv error → a path and a rule. */
export function problemOfAjvError(e: ErrorObject): ScenarioProblem {
  const segs = pointerSegments(e.instancePath);
  const at = pathOf(segs);
  const p = e.params as Record<string, unknown>;
  const got = `, got ${show(e.data)}`;
  switch (e.keyword) {
    case 'required':
      return { path: pathOf([...segs, String(p['missingProperty'])]), rule: 'is required' };
    case 'additionalProperties':
      return {
        path: pathOf([...segs, String(p['additionalProperty'])]),
        rule: `is not a known field (allowed here: ${keysOf(e.parentSchema).join(', ')})`,
      };
    case 'minimum':
      return { path: at, rule: `must be >= ${String(p['limit'])}${got}` };
    case 'maximum':
      return { path: at, rule: `must be <= ${String(p['limit'])}${got}` };
    case 'exclusiveMinimum':
      return { path: at, rule: `must be > ${String(p['limit'])}${got}` };
    case 'exclusiveMaximum':
      return { path: at, rule: `must be < ${String(p['limit'])}${got}` };
    case 'type':
      return { path: at, rule: `must be ${typeName(p['type'])}${got}` };
    case 'enum':
      return {
        path: at,
        rule: `must be one of ${(p['allowedValues'] as unknown[]).map((v) => show(v)).join(', ')}${got}`,
      };
    case 'const':
      return { path: at, rule: `must be ${show(p['allowedValue'])}${got}` };
    case 'pattern':
      return { path: at, rule: `must match ${String(p['pattern'])}${got}` };
    case 'minItems':
      return {
        path: at,
        rule: `must have at least ${String(p['limit'])} item(s), got ${Array.isArray(e.data) ? e.data.length : show(e.data)}`,
      };
    case 'maxItems':
      return {
        path: at,
        rule: `must have at most ${String(p['limit'])} items, got ${Array.isArray(e.data) ? e.data.length : show(e.data)}`,
      };
    case 'maxLength':
      return { path: at, rule: `must be at most ${String(p['limit'])} characters long${got}` };
    case 'discriminator': {
      const tag = String(p['tag']);
      const allowed = tagValues(e.parentSchema, tag)
        .map((v) => JSON.stringify(v))
        .join(', ');
      const value = (e.data as Record<string, unknown> | null)?.[tag];
      return {
        path: pathOf([...segs, tag]),
        rule: value === undefined ? `is required (one of ${allowed})` : `must be one of ${allowed}, got ${show(value)}`,
      };
    }
    default:
      return { path: at, rule: `${e.message ?? e.keyword}${got}` };
  }
}

/** Schema problems of a parsed document (empty when it is a valid scenario). */
export function schemaProblems(doc: unknown): ScenarioProblem[] {
  const validate = validator();
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(problemOfAjvError);
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/** The rules between fields (the document already passed the schema). */
export function crossProblems(s: Scenario): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const names = new Map<string, number>();
  s.domains.forEach((t, i) => {
    const first = names.get(t.name);
    if (first !== undefined)
      out.push({
        path: `domains[${i}].name`,
        rule: `must be unique, ${JSON.stringify(t.name)} is also domains[${first}].name`,
      });
    else names.set(t.name, i);
    const w = t.workload;
    if (w.kind === 'request-response') {
      const size = w.ringSizeEntries ?? 256;
      if (!isPowerOfTwo(size))
        out.push({ path: `domains[${i}].workload.ringSizeEntries`, rule: `must be a power of two, got ${size}` });
      for (const f of ['requestNotify', 'responseNotify'] as const) {
        const k = w[f]?.everyItems;
        if (k !== undefined && k > size)
          out.push({
            path: `domains[${i}].workload.${f}.everyItems`,
            rule: `must be <= ringSizeEntries (${size}), got ${k}`,
          });
      }
    }
  });
  const known = [...names.keys()].join(', ');
  s.slos.forEach((slo, i) => {
    if (slo.metric === 'cpuHeadroom') return;
    const ti = names.get(slo.template);
    if (ti === undefined) {
      out.push({
        path: `slos[${i}].template`,
        rule: `must name a domain template (${known}), got ${JSON.stringify(slo.template)}`,
      });
      return;
    }
    const kind = s.domains[ti]?.workload.kind;
    if ((slo.metric === 'responseTime' || slo.metric === 'throughput') && kind !== 'request-response') {
      out.push({
        path: `slos[${i}].template`,
        rule: `must name a request-response template for metric ${slo.metric}, ${JSON.stringify(slo.template)} is ${String(kind)}`,
      });
    }
  });
  if (s.vary !== undefined) {
    const v = s.vary;
    if (v.max < v.min) out.push({ path: 'vary.max', rule: `must be >= vary.min (${v.min}), got ${v.max}` });
    const segs = parsePath(v.path);
    const current = segs === null ? undefined : getPath(s, segs);
    if (segs === null || !Number.isInteger(current)) {
      out.push({
        path: 'vary.path',
        rule: `must name an integer field of the scenario (e.g. domains[0].count or host.cpus), got ${JSON.stringify(v.path)}`,
      });
    } else if (v.path.startsWith('run.') || v.path.startsWith('vary.')) {
      out.push({
        path: 'vary.path',
        rule: `must name a field of the host, hypervisor or domains, got ${JSON.stringify(v.path)}`,
      });
    } else if (out.length === 0) {
      const { vary: _vary, ...fixed } = s;
      for (const [field, value] of [
        ['min', v.min],
        ['max', v.max],
      ] as const) {
        const trial = setPath(fixed, segs, value);
        const p = schemaProblems(trial)[0] ?? crossProblems(trial as Scenario)[0];
        if (p !== undefined) out.push({ path: `vary.${field}`, rule: `gives an invalid scenario (${problemText(p)})` });
      }
    }
  }
  return out;
}

/** Every problem of a parsed document: schema first, then the cross-field rules. */
export function scenarioProblems(doc: unknown): ScenarioProblem[] {
  const schema = schemaProblems(doc);
  return schema.length > 0 ? schema : crossProblems(doc as Scenario);
}

/** A parsed document as a Scenario, or a UsageError naming `source` and the first problem. */
export function checkScenario(doc: unknown, source: string): Scenario {
  const problems = scenarioProblems(doc);
  const first = problems[0];
  if (first !== undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new UsageError(`${source}: ${problemText(first)}${more}`);
  }
  return doc as Scenario;
}

/** Parses the text of a scenario file by its extension (.yaml, .yml, .json). */
export function parseScenarioText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (ext === '.yaml' || ext === '.yml') {
    try {
      return parseYaml(text, { prettyErrors: false }) as unknown;
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new UsageError(`${file}: not valid YAML: ${msg ?? ''}`);
    }
  }
  throw new UsageError(
    `${file}: a scenario file must end in .yaml, .yml or .json, got ${JSON.stringify(ext === '' ? file : ext)}`,
  );
}

/** Reads, parses and validates a scenario file (UsageError on any problem). */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err instanceof Error ? err.message : String(err));
    throw new UsageError(`${file}: cannot read the scenario file (${code})`);
  }
  return checkScenario(parseScenarioText(text, file), file);
}

// ---- dotted paths ----

/** `domains[2].workload.rateHz` → ['domains', 2, 'workload', 'rateHz']; null if malformed. */
export function parsePath(path: string): (string | number)[] | null {
  if (!/^[A-Za-z$][A-Za-z0-9$]*(\.[A-Za-z][A-Za-z0-9]*|\[[0-9]+\])*$/.test(path)) return null;
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([A-Za-z$][A-Za-z0-9$]*)|\[([0-9]+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(Number(m[2]));
  }
  return out;
}

export function getPath(doc: unknown, segs: readonly (string | number)[]): unknown {
  let cur: unknown = doc;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/** A deep copy of `doc` with the value at `segs` replaced (missing objects on the way are created). */
export function setPath<T>(doc: T, segs: readonly (string | number)[], value: unknown): T {
  const copy = structuredClone(doc) as unknown;
  let cur = copy as Record<string | number, unknown>;
  segs.forEach((s, i) => {
    if (i === segs.length - 1) {
      cur[s] = value;
      return;
    }
    const next = cur[s];
    if (next === null || typeof next !== 'object') {
      if (typeof segs[i + 1] === 'number')
        throw new UsageError(`${pathOf(segs.slice(0, i + 1))}: is not a list in this scenario`);
      cur[s] = {};
    } else if (Array.isArray(next) && typeof segs[i + 1] === 'number' && (segs[i + 1] as number) >= next.length) {
      throw new UsageError(
        `${pathOf(segs.slice(0, i + 2))}: ${pathOf(segs.slice(0, i + 1))} has ${next.length} item(s)`,
      );
    }
    cur = cur[s] as Record<string | number, unknown>;
  });
  return copy as T;
}

/** A scalar of a --set value, read as YAML (2 → number, true → boolean, credit → string). */
export function parseSetValue(text: string): unknown {
  try {
    const v = parseYaml(text) as unknown;
    return v === null && text.trim() === '' ? '' : v;
  } catch {
    return text;
  }
}

/** One `--set path=value` applied and validated; UsageError naming the --set and the problem. */
export function applySet(s: Scenario, assignment: string): Scenario {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set ${JSON.stringify(assignment)}: must be path=value, e.g. host.cpus=2`);
  const path = assignment.slice(0, eq).trim();
  const segs = parsePath(path);
  if (segs === null)
    throw new UsageError(
      `--set ${assignment}: ${JSON.stringify(path)} is not a dotted path like host.cpus or domains[0].count`,
    );
  let next: Scenario;
  try {
    next = setPath(s, segs, parseSetValue(assignment.slice(eq + 1)));
  } catch (err) {
    throw new UsageError(`--set ${assignment}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const p = scenarioProblems(next)[0];
  if (p !== undefined) throw new UsageError(`--set ${assignment}: ${problemText(p)}`);
  return next;
}

// Sweep files (src/runner/sweep-file.ts): the committed JSON Schema is the generated one; a corpus of
// malformed files (test/runner/fixtures/bad-sweeps/), each rejected with one line naming the path in
// the file and the rule; well-formed files give the overrides the equivalent flags give; flags
// override the file key by key. The CLI side (same bytes as the flags, manifest, exit 2 and nothing
// written) is test/cli/sweep-file.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findStudy } from '../../experiments/index.js';
import { parseRunOptions } from '../../src/cli/run-options.js';
import { configureSweep } from '../../src/runner/configure.js';
import { UsageError } from '../../src/runner/errors.js';
import { loadSweepFile, mergeOverrides, parseSweepFile, pathText, SWEEP_SCHEMA } from '../../src/runner/sweep-file.js';
import { sweepSchemaText } from '../../scripts/sweep-schema.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BAD = join(ROOT, 'test/runner/fixtures/bad-sweeps');

/** file → the whole message after "<path>: " (exact), so a wrong path or rule fails the case. */
const EXPECTED: Readonly<Record<string, string>> = {
  'duplicate-key.yaml': 'not valid YAML (line 4, column 3): Map keys must be unique',
  'grid-empty-list.yaml': 'grid.k: must list at least 1 value, got an empty list',
  'grid-not-a-list.yaml': 'grid.k: must be a list, got a number 4',
  'grid-null-value.json': 'grid.ratePerS[1]: must be a number, a string or a boolean, got null',
  'grid-value-below-min.yaml': 'grid.k[2]: must be an integer in [1, 1024] (items), got 0',
  'grid-value-not-integer.yaml': 'grid.k[1]: must be an integer in [1, 1024] (items), got 2.5',
  'json-syntax.json': `not valid JSON (Unexpected token ']', ..."k": [1, 2,]}} " is not valid JSON)`,
  'not-an-object.yaml': '(the file): must be an object, got a list',
  'out-blank.yaml': 'out: must not be blank or have leading or trailing blanks, got "  "',
  'quick-not-boolean.yaml': 'quick: must be true or false, got a string "yes please"',
  'replications-zero.yaml': 'replications: must be an integer >= 1, got 0',
  'seed-negative.yaml': 'seed: must be an integer >= 0, got -1',
  'set-and-grid-same-key.yaml': 'grid.k: k is also under set; give it in one place',
  'set-enum-not-allowed.yaml': 'set.arrival: must be one of open, closed, got "sometimes"',
  'set-float-out-of-range.yaml': 'set.ratePerS: must be a float in [1, 10000000] (requests/s), got 0',
  'set-time-bad-unit.yaml':
    'set.holdOffNs: must be a time in [0ns, 10s] (integer ns, or 500us, 2ms, 10s), got "2fortnights"',
  'set-time-with-space.yaml':
    'set.holdOffNs: must be a time in [0ns, 10s] (integer ns, or 500us, 2ms, 10s), got "2 ms"',
  'set-unknown-parameter.yaml':
    'set.kk: unknown parameter of study event-batching; parameters: k, holdOffNs, ratePerS,',
  'study-missing.yaml': 'study: required (the study to run, e.g. study: mm1-validation)',
  'study-unknown.yaml': "study: unknown study 'no-such-study' (see hvsim list)",
  'unknown-top-key.yaml':
    'repetitions: unknown key; a sweep file has $schema, study, description, set, grid, replications, seed, quick, out',
  'yaml-syntax.yaml':
    'not valid YAML (line 3, column 1): Flow sequence in block collection must be sufficiently indented and end with a ]',
};

function messageOf(path: string): string {
  try {
    loadSweepFile(path, findStudy);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${path} was accepted`);
}

describe('schema/sweep.schema.json', () => {
  it('is the rendering of SWEEP_SCHEMA (regenerate with npm run schema:sweep)', () => {
    expect(readFileSync(join(ROOT, 'schema/sweep.schema.json'), 'utf8')).toBe(sweepSchemaText());
  });

  it('is a valid draft-07 schema that accepts the example sweep files and rejects the shape errors of the corpus', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(sweepSchemaText()) as object);
    const examples = join(ROOT, 'experiments/sweeps');
    for (const f of readdirSync(examples)) {
      const doc = parseYaml(readFileSync(join(examples, f), 'utf8')) as unknown;
      expect(validate(doc), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    for (const f of ['grid-empty-list.yaml', 'replications-zero.yaml', 'unknown-top-key.yaml', 'study-missing.yaml']) {
      expect(validate(parseYaml(readFileSync(join(BAD, f), 'utf8'))), f).toBe(false);
    }
  });
});

describe('malformed sweep files', () => {
  const files = readdirSync(BAD).sort();
  it('every file of the corpus has an expected message, and there are at least 20', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });
  it.each(files)('%s is rejected with one line naming the path and the rule', (f) => {
    const msg = messageOf(join(BAD, f));
    expect(msg).not.toContain('\n');
    expect(msg.startsWith(`${join(BAD, f)}: `)).toBe(true);
    const rest = msg.slice(join(BAD, f).length + 2);
    const want = EXPECTED[f] ?? '';
    if (f === 'set-unknown-parameter.yaml') expect(rest.startsWith(want)).toBe(true);
    else expect(rest).toBe(want);
  });
});

describe('well-formed sweep files', () => {
  const study = findStudy('event-batching');
  if (study === undefined) throw new Error('event-batching not registered');

  it('give the overrides of the equivalent flags (units, order of grid axes, enums)', () => {
    const file = parseSweepFile(
      'study: event-batching\nset:\n  runLengthNs: 50ms\n  arrival: closed\ngrid:\n  k: [1, 4]\n  holdOffNs: [10us, 1ms, 0]\nreplications: 3\nseed: 9\nquick: true\n',
      'x.yaml',
      findStudy,
    );
    const flags = parseRunOptions(study, {
      set: ['runLengthNs=50ms', 'arrival=closed'],
      grid: ['k=1,4', 'holdOffNs=10us,1ms,0'],
    });
    expect(file.overrides).toEqual(flags.overrides);
    expect(file.overrides.pins).toEqual([
      ['runLengthNs', 50_000_000],
      ['arrival', 'closed'],
    ]);
    expect(file.overrides.axes).toEqual([
      ['k', [1, 4]],
      ['holdOffNs', [10_000, 1_000_000, 0]],
    ]);
    expect([file.replications, file.seed, file.quick, file.out]).toEqual([3, 9, true, undefined]);
  });

  it('JSON and YAML spellings of the same sweep give the same request', () => {
    const y = parseSweepFile('study: event-batching\ngrid:\n  k: [1, 2]\n', 'a.yaml', findStudy);
    const j = parseSweepFile('{"study":"event-batching","grid":{"k":[1,2]}}', 'a.json', findStudy);
    expect(j.overrides).toEqual(y.overrides);
    expect(j.sha256).not.toBe(y.sha256);
  });

  it('command-line flags override the file key by key; a --grid axis keeps the place of the file axis', () => {
    const file = parseSweepFile(
      'study: event-batching\nset:\n  ratePerS: 1000\ngrid:\n  k: [1, 2]\n  holdOffNs: [0, 1ms]\n',
      'a.yaml',
      findStudy,
    );
    const cli = parseRunOptions(study, { set: ['holdOffNs=5us'], grid: ['k=8,16', 'ratePerS=10,20'] }).overrides;
    const merged = mergeOverrides(file.overrides, cli);
    expect(merged.pins).toEqual([['holdOffNs', 5000]]);
    expect(merged.axes).toEqual([
      ['k', [8, 16]],
      ['ratePerS', [10, 20]],
    ]);
  });

  it('paths are printed as in the file: grid.k[2], set["odd key"]', () => {
    expect(pathText(['grid', 'k', 2])).toBe('grid.k[2]');
    expect(pathText(['set', 'odd key'])).toBe('set["odd key"]');
    expect(pathText([])).toBe('(the file)');
    expect(Object.keys(SWEEP_SCHEMA.properties)).toContain('grid');
  });
});

describe('the example sweep files in experiments/sweeps/', () => {
  const dir = join(ROOT, 'experiments/sweeps');
  const names = readdirSync(dir).sort();

  it('there are some, YAML and JSON', () => {
    expect(names.some((n) => n.endsWith('.yaml'))).toBe(true);
    expect(names.some((n) => n.endsWith('.json'))).toBe(true);
  });

  /** The "same as: hvsim run <study> <flags>" command each example documents, as argv words. */
  function documentedCommand(text: string): string[] {
    const flat = text.replace(/\n#\s+/g, ' ');
    const m = /[Ss]ame as: hvsim run ([^\n)"]+)/.exec(flat);
    if (m === null) throw new Error('no "Same as: hvsim run ..." line');
    return (m[1] as string).trim().split(/\s+/);
  }

  it.each(names)('%s is valid and plans exactly the sweep of the flags it documents', (name) => {
    const path = join(dir, name);
    const file = loadSweepFile(path, findStudy);
    const [studyName, ...args] = documentedCommand(readFileSync(path, 'utf8'));
    expect(studyName).toBe(file.study.name);
    const raw = {
      set: [] as string[],
      grid: [] as string[],
      quick: false,
      replications: undefined as string | undefined,
      seed: undefined as string | undefined,
      out: undefined as string | undefined,
    };
    for (let i = 0; i < args.length; i++) {
      const flag = args[i];
      const value = args[i + 1] ?? '';
      if (flag === '--quick') raw.quick = true;
      else if (flag === '--set') (raw.set.push(value), i++);
      else if (flag === '--grid') (raw.grid.push(value), i++);
      else if (flag === '--replications') ((raw.replications = value), i++);
      else if (flag === '--seed') ((raw.seed = value), i++);
      else if (flag === '--out') ((raw.out = value), i++);
      else throw new Error(`${name}: unexpected word ${flag}`);
    }
    const req = parseRunOptions(file.study, raw);
    const viaFlags = configureSweep(file.study, {
      quick: raw.quick,
      overrides: req.overrides,
      replications: req.replications,
      masterSeed: req.masterSeed,
    });
    const viaFile = configureSweep(file.study, {
      quick: file.quick === true,
      overrides: file.overrides,
      replications: file.replications,
      masterSeed: file.seed,
    });
    expect(viaFile.plan.planHash).toBe(viaFlags.plan.planHash);
    expect(viaFile.plan.runs.length).toBeGreaterThan(1);
    expect(file.out).toBe(raw.out);
  });
});

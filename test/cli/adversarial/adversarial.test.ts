// The adversarial suite: bad input and faults across run, merge, chart, report, list and describe,
// the way a hostile or careless user (or a damaged cluster shard) supplies them. Every case asserts
// the exit code, that stderr is exactly one line "hvsim: …" naming the field, flag or file, that no
// stack trace or "internal error" appears, that nothing is printed on stdout, and that nothing on disk
// changed (a hash of the case's folder before and after; no results/ appears in the working folder).
// The CLI runs in-process (runCli from dist/, with captured streams); the few cases that need a real
// process (closed stdout) are at the end. Kill-and-resume and concurrent starts are in resume.test.ts
// and determinism.test.ts.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStartTime } from '../../../src/runner/lock.js';
import { MAIN, tempDir } from '../cli-helpers.js';
import { BASE, hv, STUDY, treeHash } from './harness.js';

const root = tempDir('adversarial');
const fx = (name: string): string => join(root, 'fixtures', name);
const cwdBefore = process.cwd();

type Json = Record<string, unknown>;

function editJson(path: string, fn: (o: Json) => unknown): void {
  const o = JSON.parse(readFileSync(path, 'utf8')) as Json;
  const r = fn(o);
  writeFileSync(path, `${JSON.stringify(r === undefined ? o : r, null, 2)}\n`);
}

function copyFixture(name: string, to: string): string {
  cpSync(fx(name), to, { recursive: true });
  return to;
}

interface Case {
  readonly name: string;
  /** Prepares files in the case folder `d` (which exists, empty). */
  readonly setup?: (d: string) => void;
  readonly args: (d: string) => string[];
  readonly code?: number;
  /** What the one-line message must name (the field, flag or file). */
  readonly names: string | RegExp;
}

const cases: Case[] = [];
const add = (c: Case): void => void cases.push(c);

// ---- run: flags and parameter values ------------------------------------------------------------
const runBad: [string, string[], string | RegExp][] = [
  ['unknown study', ['run', 'nope'], "unknown study or suite 'nope'"],
  ['unknown parameter (--set)', ['--set', 'lod=0.5'], "--set lod=0.5: unknown parameter 'lod'"],
  ['unknown parameter (--grid)', ['--grid', 'lod=0.5,0.6'], "--grid lod=0.5,0.6: unknown parameter 'lod'"],
  ['float above range', ['--set', 'load=1.5'], '--set load=1.5: value out of range; load is a float in [0.05, 0.99]'],
  ['float below range', ['--set', 'load=-1'], '--set load=-1: value out of range'],
  ['NaN', ['--set', 'load=NaN'], "--set load=NaN: 'NaN' is not a number"],
  ['Infinity', ['--set', 'load=Infinity'], "--set load=Infinity: 'Infinity' is not a number"],
  ['overflowing exponent', ['--set', 'load=1e400'], '--set load=1e400'],
  ['empty value', ['--set', 'load='], "--set load=: '' is not a number"],
  ['hex value', ['--set', 'load=0x1'], "--set load=0x1: '0x1' is not a number"],
  ['fractional int', ['--set', 'serviceMeanNs=1.5'], "--set serviceMeanNs=1.5: '1.5' is not an integer"],
  ['zero service time', ['--set', 'serviceMeanNs=0'], '--set serviceMeanNs=0: value out of range'],
  ['negative time', ['--set', 'runLengthNs=-1s'], '--set runLengthNs=-1s: value out of range'],
  ['huge time', ['--set', 'runLengthNs=1e30'], '--set runLengthNs=1e30'],
  ['unknown time unit', ['--set', 'runLengthNs=5min'], "--set runLengthNs=5min: '5min' is not a number"],
  ['fraction of a ns', ['--set', 'runLengthNs=1.5ns'], '--set runLengthNs=1.5ns'],
  ['no key', ['--set', '=5'], '--set =5: malformed'],
  ['no =', ['--set', 'load'], '--set load: malformed; expected key=value'],
  ['set twice', ['--set', 'load=0.5', '--set', 'load=0.6'], '--set load=0.6: load is set twice'],
  ['prototype key', ['--set', '__proto__=1'], "--set __proto__=1: unknown parameter '__proto__'"],
  ['constructor key', ['--grid', 'constructor=1,2'], "unknown parameter 'constructor'"],
  ['grid without =', ['--grid', 'load'], '--grid load: malformed'],
  ['grid without values', ['--grid', 'load='], '--grid load=: malformed'],
  ['grid empty item', ['--grid', 'load=0.5,,0.7'], '--grid load=0.5,,0.7: malformed'],
  ['grid trailing comma', ['--grid', 'load=0.5,'], '--grid load=0.5,: malformed'],
  ['grid bad item', ['--grid', 'load=0.5,x'], "--grid load=0.5,x: 'x' is not a number"],
  ['grid item out of range', ['--grid', 'load=0.5,0.999'], '--grid load=0.5,0.999: value out of range'],
  ['grid twice', ['--grid', 'load=0.5', '--grid', 'load=0.6'], 'load is gridded twice'],
  ['grid and set', ['--set', 'load=0.5', '--grid', 'load=0.6,0.7'], 'load is also given with --set'],
  ['shard i > n', ['--shard', '3/2'], '--shard 3/2: malformed'],
  ['shard 0', ['--shard', '0/2'], '--shard 0/2: malformed'],
  ['shard text', ['--shard', 'half'], '--shard half: malformed'],
  ['shard n = 0', ['--shard', '1/0'], '--shard 1/0: malformed'],
  ['shard n too large', ['--shard', '1/100001'], '--shard 1/100001: malformed'],
  ['shard empty', ['--shard', ''], '--shard : malformed'],
  ['shard negative', ['--shard', '-1/2'], '--shard -1/2: malformed'],
  ['jobs 0', ['--jobs', '0'], '--jobs 0: value out of range'],
  ['jobs text', ['--jobs', 'many'], "--jobs many: 'many' is not a whole number"],
  ['jobs negative', ['--jobs', '-1'], '--jobs -1: value out of range'],
  ['jobs above maximum', ['--jobs', '1025'], '--jobs 1025: value out of range; --jobs takes an integer in [1, 1024]'],
  ['jobs fraction', ['--jobs', '1.5'], "--jobs 1.5: '1.5' is not a whole number"],
  ['replications 0', ['--replications', '0'], '--replications 0: value out of range'],
  ['replications fraction', ['--replications', '2.5'], "--replications 2.5: '2.5' is not a whole number"],
  ['replications 1e9', ['--replications', '1e9'], '--replications 1e9: value out of range'],
  ['replications above maximum', ['--replications', '100001'], '--replications 100001: value out of range'],
  ['replications empty', ['--replications', ''], "--replications : '' is not a whole number"],
  ['replications 1e400', ['--replications', '1e400'], '--replications 1e400: value out of range'],
  ['seed negative', ['--seed', '-1'], '--seed -1: value out of range'],
  ['seed 2^53', ['--seed', '9007199254740992'], '--seed 9007199254740992: value out of range'],
  ['seed text', ['--seed', 'abc'], "--seed abc: 'abc' is not a whole number"],
  ['seed fraction', ['--seed', '1.5'], "--seed 1.5: '1.5' is not a whole number"],
  ['progress mode', ['--progress', 'fancy'], /--progress.*fancy/],
  ['unknown option', ['--bogus'], "unknown option '--bogus'"],
  [
    'sweep too large',
    ['--grid', 'load=0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9', '--replications', '20000'],
    /180000 runs, above the maximum of 100000 runs.* h /,
  ],
  [
    'too many points',
    [
      '--grid',
      `load=${Array.from({ length: 120 }, (_, i) => (0.05 + i * 0.0078).toFixed(4)).join(',')}`,
      '--replications',
      '1000',
    ],
    /120000 runs/,
  ],
];
for (const [name, extra, names] of runBad) {
  add({
    name: `run: ${name}`,
    args: (d) =>
      extra[0] === 'run'
        ? [...extra, '--out', join(d, 'out')]
        : ['run', STUDY, '--quick', ...extra, '--out', join(d, 'out')],
    names,
  });
}
add({ name: 'run: missing study argument', args: () => ['run'], names: "missing required argument 'study'" });
add({
  name: 'run: two study arguments',
  args: (d) => ['run', STUDY, 'extra', '--out', join(d, 'o')],
  names: 'too many arguments',
});
add({
  name: 'run: bad input with --dry-run',
  args: (d) => ['run', STUDY, '--dry-run', '--set', 'load=2', '--out', join(d, 'o')],
  names: '--set load=2',
});
add({
  name: 'run: enum value not allowed',
  args: (d) => ['run', 'event-batching', '--set', 'arrival=sometimes', '--out', join(d, 'o')],
  names: "--set arrival=sometimes: 'sometimes' is not an allowed value",
});
add({
  name: 'run: bool value',
  args: (d) => ['run', 'event-batching', '--set', 'contextSwitchCosts=maybe', '--out', join(d, 'o')],
  names: "'maybe' is not a boolean",
});
add({
  name: 'run: enum number not listed',
  args: (d) => ['run', 'event-batching', '--set', 'ringSizeEntries=100', '--out', join(d, 'o')],
  names: '--set ringSizeEntries=100',
});

add({
  name: 'run: cross-parameter check (k > ring size)',
  args: (d) => ['run', 'event-batching', '--set', 'k=64', '--set', 'ringSizeEntries=32', '--out', join(d, 'o')],
  names: /event-batching: point 0 \(k=64, .*\): k must be at most ringSizeEntries \(32\), got k = 64/,
});
add({
  name: 'run: cross-parameter check (zero-cost closed loop)',
  args: (d) => [
    'run',
    'event-batching',
    '--quick',
    ...[
      'arrival=closed',
      'serviceMeanNs=0',
      'clientIssueNs=0',
      'clientResponseNs=0',
      'hypercallNs=0',
      'upcallNs=0',
    ].flatMap((x) => ['--set', x]),
    '--out',
    join(d, 'o'),
  ],
  names: /never advances simulated time/,
});

// ---- run: the output folder --------------------------------------------------------------------
add({ name: 'run: --out empty', args: () => [...BASE, '--out', ''], names: "--out '': empty path" });
add({ name: 'run: --out blank', args: () => [...BASE, '--out', '   '], names: "--out '   ': empty path" });
add({
  name: 'run: --out with a leading blank',
  args: (d) => [...BASE, '--out', ` ${join(d, 'x')}`],
  names: /--out ' .*': leading or trailing blanks/,
});
add({
  name: 'run: --out is a file',
  setup: (d) => writeFileSync(join(d, 'f'), 'x'),
  args: (d) => [...BASE, '--out', join(d, 'f')],
  names: /--out .*f: exists and is not a directory/,
});
add({
  name: 'run: --out under a file',
  setup: (d) => writeFileSync(join(d, 'f'), 'x'),
  args: (d) => [...BASE, '--out', join(d, 'f', 'sub')],
  names: /--out .*: .*is a file, not a directory/,
});
add({
  name: 'run: --out not writable',
  args: () => [...BASE, '--out', '/proc/hvsim-out'],
  names: /--out \/proc\/hvsim-out: not writable/,
});
add({
  name: "run: --out is a user's folder with a report",
  setup: (d) => {
    mkdirSync(join(d, 'paper', 'charts'), { recursive: true });
    writeFileSync(join(d, 'paper', 'report.html'), '<p>mine</p>');
    writeFileSync(join(d, 'paper', 'charts', 'fig1.svg'), '<svg/>');
  },
  args: (d) => [...BASE, '--out', join(d, 'paper')],
  names: /--out .*paper: it is not empty and not an hvsim results folder/,
});
add({
  name: "run: --out is a user's folder with a runs.csv",
  setup: (d) => {
    mkdirSync(join(d, 'mine'));
    writeFileSync(join(d, 'mine', 'runs.csv'), 'a,b\n');
  },
  args: (d) => [...BASE, '--out', join(d, 'mine')],
  names: /--out .*mine: it is not empty and not an hvsim results folder/,
});
add({
  name: 'run: --out with a foreign file in runs/',
  setup: (d) => {
    mkdirSync(join(d, 'o', 'runs'), { recursive: true });
    writeFileSync(join(d, 'o', 'runs', 'notes.txt'), 'x');
  },
  args: (d) => [...BASE, '--out', join(d, 'o')],
  names: 'not an hvsim results folder',
});
add({
  name: 'run: --out holds another replication count',
  setup: (d) => copyFixture('complete', join(d, 'r')),
  args: (d) => [...BASE, '--replications', '3', '--out', join(d, 'r')],
  names: /holds results of another configuration \(replications \(2 there, 3 now\)\); use --force/,
});
add({
  name: 'run: --out holds another seed',
  setup: (d) => copyFixture('complete', join(d, 'r')),
  args: (d) => [...BASE, '--seed', '7', '--out', join(d, 'r')],
  names: /another configuration \(seed \(1 there, 7 now\)\)/,
});
add({
  name: 'run: --out holds other parameters',
  setup: (d) => copyFixture('complete', join(d, 'r')),
  args: (d) => [...BASE, '--set', 'serviceMeanNs=2ms', '--out', join(d, 'r')],
  names: /another configuration \(parameter values of the points\)/,
});
add({
  name: 'run: --out holds other points',
  setup: (d) => copyFixture('complete', join(d, 'r')),
  args: (d) => [...BASE, '--grid', 'load=0.5', '--out', join(d, 'r')],
  names: /another configuration \(number of points \(5 there, 1 now\)\)/,
});
add({
  name: 'run: --out holds a full (not --quick) sweep',
  setup: (d) => copyFixture('complete', join(d, 'r')),
  args: (d) => [...BASE.filter((a) => a !== '--quick'), '--out', join(d, 'r')],
  names: /another configuration \(--quick \(true there, false now\)\)/,
});
add({
  name: 'run: --out holds another study',
  setup: (d) => copyFixture('complete', join(d, 'r')),
  args: (d) => ['run', 'event-batching', '--quick', '--out', join(d, 'r')],
  names: /another configuration \(study \(mm1-validation there, event-batching now\)\)/,
});

// ---- run: the lock ------------------------------------------------------------------------------
const lockCase = (name: string, content: () => string, names: string | RegExp): void =>
  add({
    name: `run: lock ${name}`,
    setup: (d) => {
      copyFixture('complete', join(d, 'r'));
      writeFileSync(join(d, 'r', '.hvsim.lock'), content());
    },
    args: (d) => [...BASE, '--out', join(d, 'r')],
    code: 1,
    names,
  });
lockCase(
  'held by a live hvsim process',
  () => `${process.ppid} ${hostname()} ${processStartTime(process.ppid)}\n`,
  `is in use by another hvsim process (pid ${process.ppid}`,
);
lockCase(
  'from another host',
  () => `123 other-host 5\n`,
  /locked by hvsim on host other-host \(pid 123\); if that run is dead, delete .*\.hvsim\.lock/,
);
lockCase('empty (being written)', () => '', /\.hvsim\.lock is not an hvsim lock/);
lockCase('garbage', () => 'hello world\n', /\.hvsim\.lock is not an hvsim lock/);

// ---- describe and list ---------------------------------------------------------------------------
add({ name: 'describe: unknown study', args: () => ['describe', 'nope'], names: "unknown study or suite 'nope'" });
add({ name: 'describe: no study', args: () => ['describe'], names: "missing required argument 'study'" });
add({ name: 'describe: two studies', args: () => ['describe', STUDY, 'x'], names: 'too many arguments' });
add({ name: 'describe: empty name', args: () => ['describe', ''], names: "unknown study or suite ''" });
add({
  name: 'describe: path-like name',
  args: () => ['describe', '../etc/passwd'],
  names: "unknown study or suite '../etc/passwd'",
});
add({ name: 'list: extra argument', args: () => ['list', 'x'], names: 'too many arguments' });
add({ name: 'list: unknown option', args: () => ['list', '--json-ish'], names: "unknown option '--json-ish'" });
add({ name: 'unknown command', args: () => ['frobnicate'], names: "unknown command 'frobnicate'" });

// ---- chart, report and merge on bad folders ----------------------------------------------------
const inputCmds: [string, (dir: string, d: string) => string[]][] = [
  ['report', (dir) => ['report', dir]],
  ['chart', (dir) => ['chart', dir]],
  ['merge', (dir, d) => ['merge', dir, '--out', join(d, 'merged')]],
];
for (const [cmd, args] of inputCmds) {
  add({ name: `${cmd}: no such folder`, args: (d) => args(join(d, 'none'), d), names: /none: no such directory/ });
  add({
    name: `${cmd}: a file`,
    setup: (d) => writeFileSync(join(d, 'f'), 'x'),
    args: (d) => args(join(d, 'f'), d),
    names: /f: not a directory/,
  });
  add({
    name: `${cmd}: empty folder`,
    setup: (d) => mkdirSync(join(d, 'e')),
    args: (d) => args(join(d, 'e'), d),
    names: /e is not a finished hvsim results folder \(no manifest\.json/,
  });
  add({ name: `${cmd}: empty path`, args: (d) => args('', d), names: "''" });
}
for (const cmd of ['report', 'chart']) {
  add({
    name: `${cmd}: a shard`,
    setup: (d) => copyFixture('shard1', join(d, 's')),
    args: (d) => [cmd, join(d, 's')],
    names: /s holds shard 1\/2 of a sweep; join the shards with 'hvsim merge' first/,
  });
}

// Tampered manifests: each goes through report, chart and merge.
const manifestMutations: [string, (m: Json) => unknown, string | RegExp][] = [
  ['not JSON', () => undefined, /manifest\.json: not valid JSON/],
  ['an array', () => [], /manifest\.json: the file is not an hvsim manifest/],
  ['null', () => null, /manifest\.json: the file is not an hvsim manifest/],
  ['another format', (m) => void (m.format = 'other/1'), /manifest\.json: format is "other\/1"/],
  ['unknown status', (m) => void (m.status = 'weird'), /manifest\.json: status must be/],
  ['points [null]', (m) => void (m.points = [null]), /manifest\.json: points\[0\] must be an object/],
  ['no points', (m) => void (m.points = []), /manifest\.json: points must be a non-empty list/],
  ['points not a list', (m) => void (m.points = 'all'), /manifest\.json: points must be a non-empty list/],
  [
    'replications 1e9',
    (m) => void (m.replications = 1e9),
    /manifest\.json: replications is 1000000000; must be an integer in \[1, 100000\]/,
  ],
  ['replications -1', (m) => void (m.replications = -1), /manifest\.json: replications is -1/],
  [
    'replications a string',
    (m) => void (m.replications = '2'),
    /manifest\.json: replications is 2; must be an integer/,
  ],
  [
    'runs above the maximum',
    (m) => void (m.replications = 50000),
    /manifest\.json: points × replications is 250000 runs/,
  ],
  ['seed a fraction', (m) => void (m.masterSeed = 1.5), /manifest\.json: masterSeed must be an integer/],
  ['seed a string', (m) => void (m.masterSeed = '1'), /manifest\.json: masterSeed must be an integer/],
  [
    'unknown study',
    (m) => void (m.study = 'no-such-study'),
    /manifest\.json: made by study 'no-such-study', which this hvsim does not have/,
  ],
  ['study a path', (m) => void (m.study = '../evil'), /manifest\.json: study is not a study name/],
  ['another study version', (m) => void (m.studyVersion = 99), /made by version 99 of study mm1-validation/],
  [
    'a parameter of the wrong type',
    (m) => void (((m.points as Json[])[0] as { params: Json }).params.load = 'high'),
    /manifest\.json: points\[0\]\.params\.load = "high": not a number; load is a float/,
  ],
  [
    'a parameter out of range',
    (m) => void (((m.points as Json[])[0] as { params: Json }).params.load = 5),
    /manifest\.json: points\[0\]\.params\.load = 5: value out of range/,
  ],
  [
    'a parameter missing',
    (m) => void delete ((m.points as Json[])[0] as { params: Json }).params.load,
    /manifest\.json: points\[0\]\.params has no value for load/,
  ],
  [
    'an unknown parameter',
    (m) => void (((m.points as Json[])[0] as { params: Json }).params.evil = 1),
    /manifest\.json: points\[0\]\.params names unknown parameter 'evil'/,
  ],
  [
    'a parameter edited in range',
    (m) => void (((m.points as Json[])[0] as { params: Json }).params.load = 0.11),
    /manifest\.json: planHash does not match/,
  ],
  ['planHash edited', (m) => void (m.planHash = '0'.repeat(64)), /manifest\.json: planHash does not match/],
  ['planHash not a hash', (m) => void (m.planHash = 'x'), /manifest\.json: planHash must be a SHA-256/],
  ['totals missing', (m) => void delete m.totals, /manifest\.json: totals must be an object/],
  ['quick a string', (m) => void (m.quick = 'yes'), /manifest\.json: quick must be true or false/],
  ['shard index above count', (m) => void (m.shard = { index: 3, count: 2 }), /manifest\.json: shard must be null or/],
  [
    'point index wrong',
    (m) => void (((m.points as Json[])[0] as Json).point = 7),
    /manifest\.json: points\[0\]\.point must be 0/,
  ],
  [
    'a NaN-like parameter',
    (m) => void (((m.points as Json[])[0] as { params: Json }).params.load = null),
    /manifest\.json: points\[0\]\.params must be an object of finite numbers/,
  ],
];
for (const [cmd, args] of inputCmds) {
  for (const [what, fn, names] of manifestMutations) {
    add({
      name: `${cmd}: manifest ${what}`,
      setup: (d) => {
        copyFixture('complete', join(d, 'r'));
        const path = join(d, 'r', 'manifest.json');
        if (what === 'not JSON') writeFileSync(path, readFileSync(path, 'utf8').slice(0, 200));
        else editJson(path, fn);
      },
      args: (d) => args(join(d, 'r'), d),
      names,
    });
  }
}

// Tampered run files: report, chart and merge.
const runMutations: [string, (runs: string) => void, string | RegExp][] = [
  [
    'deleted',
    (r) => rmSync(join(r, '1-1.json')),
    /1 of 10 run files missing \(e\.g\. runs\/1-1\.json\)|runs are missing/,
  ],
  [
    'truncated',
    (r) => writeFileSync(join(r, '1-1.json'), readFileSync(join(r, '1-1.json'), 'utf8').slice(0, 100)),
    /runs\/1-1\.json: not a valid run file/,
  ],
  [
    'params edited',
    (r) => editJson(join(r, '1-1.json'), (o) => void ((o.params as Json).load = 0.31)),
    /runs\/1-1\.json: not a valid run file/,
  ],
  [
    'params edited, hash recomputed elsewhere',
    (r) => editJson(join(r, '1-1.json'), (o) => void (o.params = { evil: 1 })),
    /runs\/1-1\.json: not a valid run file/,
  ],
  [
    'measure edited',
    (r) => editJson(join(r, '1-1.json'), (o) => void ((o.measures as Json).waitMeanNs = 1)),
    /runs\/1-1\.json: not a valid run file/,
  ],
  [
    'table text forged',
    (r) => editJson(join(r, '1-1.json'), (o) => void (o.tables = { x: [{ cell: '=HYPERLINK("http://e.vil")' }] })),
    /runs\/1-1\.json: not a valid run file/,
  ],
  [
    'configHash edited',
    (r) => editJson(join(r, '1-1.json'), (o) => void (o.configHash = 'f'.repeat(64))),
    /runs\/1-1\.json: not a valid run file/,
  ],
  [
    'copied from another run',
    (r) => cpSync(join(r, '0-0.json'), join(r, '1-1.json')),
    /runs\/1-1\.json: made with another configuration/,
  ],
  ['not JSON', (r) => writeFileSync(join(r, '1-1.json'), 'not json'), /runs\/1-1\.json: not a valid run file/],
  ['a folder', (r) => (rmSync(join(r, '1-1.json')), mkdirSync(join(r, '1-1.json'))), /runs\/1-1\.json: cannot be read/],
  [
    'runs folder missing',
    (r) => rmSync(r, { recursive: true }),
    /10 of 10 run files missing|10 of 10 runs are missing/,
  ],
];
for (const [cmd, args] of inputCmds) {
  for (const [what, fn, names] of runMutations) {
    add({
      name: `${cmd}: run file ${what}`,
      setup: (d) => fn(join(copyFixture('complete', join(d, 'r')), 'runs')),
      args: (d) => args(join(d, 'r'), d),
      names,
    });
  }
}

// ---- merge: inputs that are not shards of one sweep ----------------------------------------------
const mergeOf = (a: string, b: string, names: string | RegExp, name: string): void =>
  add({
    name: `merge: ${name}`,
    setup: (d) => {
      copyFixture(a, join(d, 'a'));
      copyFixture(b, join(d, 'b'));
    },
    args: (d) => ['merge', join(d, 'a'), join(d, 'b'), '--out', join(d, 'm')],
    names,
  });
mergeOf(
  'shard1',
  'shard2seed',
  /b is not a shard of the same sweep as .*a: masterSeed is 2 there, 1 in the first input/,
  'shards with different seeds',
);
mergeOf(
  'shard1',
  'shard2reps',
  /b is not a shard of the same sweep .*: replications is 3 there, 2 in the first input/,
  'shards with different replications',
);
mergeOf(
  'shard1',
  'shard2param',
  /b is not a shard of the same sweep .*: parameter serviceMeanNs of point 0 is 2000000 there, 1000000 in the first input/,
  'shards with a different parameter',
);
mergeOf(
  'shard1',
  'shard3of3',
  /b is not a shard of the same sweep .*: shard count is 3 there, 2 in the first input/,
  'shards of different shard counts',
);
add({
  name: 'merge: an input naming another study',
  setup: (d) => {
    copyFixture('shard1', join(d, 'a'));
    copyFixture('shard2', join(d, 'b'));
    editJson(join(d, 'b', 'manifest.json'), (m) => void (m.study = 'event-batching'));
  },
  args: (d) => ['merge', join(d, 'a'), join(d, 'b'), '--out', join(d, 'm')],
  names: /b is not a shard of the same sweep .*: study is event-batching there, mm1-validation in the first input/,
});
add({
  name: 'merge: one shard only',
  setup: (d) => copyFixture('shard1', join(d, 'a')),
  args: (d) => ['merge', join(d, 'a'), '--out', join(d, 'm')],
  names: /merge: 5 of 10 runs are missing from the inputs/,
});
add({
  name: 'merge: no inputs',
  args: (d) => ['merge', '--out', join(d, 'm')],
  names: "missing required argument 'dir'",
});
add({
  name: 'merge: no --out',
  setup: (d) => copyFixture('shard1', join(d, 'a')),
  args: (d) => ['merge', join(d, 'a')],
  names: "required option '--out <dir>' not specified",
});
add({
  name: 'merge: --out empty',
  setup: (d) => copyFixture('shard1', join(d, 'a')),
  args: (d) => ['merge', join(d, 'a'), '--out', ''],
  names: "--out '': empty path",
});
add({
  name: 'merge: --out blank',
  setup: (d) => copyFixture('shard1', join(d, 'a')),
  args: (d) => ['merge', join(d, 'a'), '--out', ' '],
  names: "--out ' ': empty path",
});
add({
  name: 'merge: --out is an input',
  setup: (d) => (copyFixture('shard1', join(d, 'a')), copyFixture('shard2', join(d, 'b'))),
  args: (d) => ['merge', join(d, 'a'), join(d, 'b'), '--out', join(d, 'b')],
  names: /--out .*b: is also an input folder/,
});
add({
  name: "merge: --out is a user's folder",
  setup: (d) => {
    copyFixture('shard1', join(d, 'a'));
    copyFixture('shard2', join(d, 'b'));
    mkdirSync(join(d, 'paper'));
    writeFileSync(join(d, 'paper', 'report.html'), 'mine');
  },
  args: (d) => ['merge', join(d, 'a'), join(d, 'b'), '--out', join(d, 'paper')],
  names: /--out .*paper: it is not empty and not an hvsim results folder/,
});
add({
  name: 'merge: input given twice',
  setup: (d) => copyFixture('shard1', join(d, 'a')),
  args: (d) => ['merge', join(d, 'a'), join(d, 'a'), '--out', join(d, 'm')],
  names: /5 of 10 runs are missing/,
});

// ---------------------------------------------------------------------------------------------------
describe('adversarial inputs', () => {
  beforeAll(async () => {
    process.chdir(root);
    const build = async (name: string, extra: string[]): Promise<void> => {
      const r = await hv([...BASE, ...extra, '--out', fx(name)]);
      expect(r.code, r.stderr.join('\n')).toBe(0);
    };
    await build('complete', []);
    await build('shard1', ['--shard', '1/2']);
    await build('shard2', ['--shard', '2/2']);
    await build('shard2seed', ['--shard', '2/2', '--seed', '2']);
    await build('shard2reps', ['--shard', '2/2', '--replications', '3']);
    await build('shard2param', ['--shard', '2/2', '--set', 'serviceMeanNs=2ms']);
    await build('shard3of3', ['--shard', '3/3']);
  }, 120_000);

  afterAll(() => {
    process.chdir(cwdBefore);
    rmSync(root, { recursive: true, force: true });
  });

  it('has at least 120 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(120);
  });

  let n = 0;
  for (const c of cases) {
    const id = n++;
    it(c.name, async () => {
      const d = join(root, `case-${id}`);
      mkdirSync(d);
      c.setup?.(d);
      const before = treeHash(d);
      const r = await hv(c.args(d));
      const err = r.stderr.join('\n');
      expect(r.code, err).toBe(c.code ?? 2);
      expect(r.stderr, 'one line on stderr').toHaveLength(1);
      expect(err).toMatch(/^hvsim: /);
      if (typeof c.names === 'string') expect(err).toContain(c.names);
      else expect(err).toMatch(c.names);
      expect(err).not.toMatch(/internal error|\n\s+at |TypeError|RangeError/);
      expect(r.stdout).toEqual([]);
      expect(treeHash(d), 'nothing on disk changed').toBe(before);
      expect(existsSync(join(root, 'results')), 'no results/ in the working folder').toBe(false);
    });
  }
});

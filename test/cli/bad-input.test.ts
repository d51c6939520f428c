// Every bad-input path of the CLI: one clear line on stderr naming the flag, the value and what is
// allowed, exit code 2, nothing on stdout, and nothing written (neither --out nor results/ in the
// working directory). The CLI runs in-process (runCli, see adversarial/harness.ts) in the case's
// working folder; the wider corpus is adversarial/adversarial.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hv } from './adversarial/harness.js';
import { listFiles, tempDir } from './cli-helpers.js';

const STUDY = 'mm1-validation';

interface Case {
  readonly name: string;
  readonly args: (out: string, cwd: string) => string[];
  /** Fragments the message must contain, in order. */
  readonly message: readonly (string | RegExp)[];
}

const cases: Case[] = [
  {
    name: 'unknown study',
    args: (o) => ['run', 'nope', '--out', o],
    message: ["unknown study or suite 'nope'", 'see hvsim list for the studies and suites'],
  },
  {
    name: 'unknown study (describe)',
    args: () => ['describe', 'nope'],
    message: ["unknown study or suite 'nope'", 'see hvsim list'],
  },
  {
    name: 'unknown parameter',
    args: (o) => ['run', STUDY, '--set', 'lod=0.5', '--out', o],
    message: ['--set lod=0.5', "unknown parameter 'lod'", 'parameters: load, serviceMeanNs, warmupNs, runLengthNs'],
  },
  {
    name: 'unknown parameter in --grid',
    args: (o) => ['run', STUDY, '--grid', 'lod=0.5,0.6', '--out', o],
    message: ['--grid lod=0.5,0.6', "unknown parameter 'lod'"],
  },
  {
    name: 'value out of range',
    args: (o) => ['run', STUDY, '--set', 'load=1.5', '--out', o],
    message: ['--set load=1.5: value out of range; load is a float in [0.05, 0.99]'],
  },
  {
    name: 'value out of range in --grid',
    args: (o) => ['run', STUDY, '--grid', 'load=0.5,0.999', '--out', o],
    message: ['--grid load=0.5,0.999: value out of range; load is a float in [0.05, 0.99]'],
  },
  {
    name: 'value of the wrong type',
    args: (o) => ['run', STUDY, '--set', 'load=high', '--out', o],
    message: ["--set load=high: 'high' is not a number; load is a float"],
  },
  {
    name: 'non-integer for an integer parameter',
    args: (o) => ['run', STUDY, '--set', 'serviceMeanNs=1.5', '--out', o],
    message: ["--set serviceMeanNs=1.5: '1.5' is not an integer; serviceMeanNs is a time in [1µs, 10s]"],
  },
  {
    name: 'bad time suffix',
    args: (o) => ['run', STUDY, '--set', 'runLengthNs=5min', '--out', o],
    message: ["--set runLengthNs=5min: '5min' is not a number"],
  },
  {
    name: 'malformed --set',
    args: (o) => ['run', STUDY, '--set', 'load', '--out', o],
    message: ['--set load: malformed; expected key=value'],
  },
  {
    name: 'parameter set twice',
    args: (o) => ['run', STUDY, '--set', 'load=0.5', '--set', 'load=0.6', '--out', o],
    message: ['--set load=0.6: load is set twice'],
  },
  {
    name: 'malformed --grid (no =)',
    args: (o) => ['run', STUDY, '--grid', 'load', '--out', o],
    message: ['--grid load: malformed; expected key=v1,v2,...'],
  },
  {
    name: 'malformed --grid (empty value)',
    args: (o) => ['run', STUDY, '--grid', 'load=0.5,,0.7', '--out', o],
    message: ['--grid load=0.5,,0.7: malformed'],
  },
  {
    name: 'malformed --grid (no values)',
    args: (o) => ['run', STUDY, '--grid', 'load=', '--out', o],
    message: ['--grid load=: malformed'],
  },
  {
    name: '--grid and --set on one parameter',
    args: (o) => ['run', STUDY, '--set', 'load=0.5', '--grid', 'load=0.6,0.7', '--out', o],
    message: ['--grid load=0.6,0.7: load is also given with --set'],
  },
  {
    name: 'malformed --shard (i > n)',
    args: (o) => ['run', STUDY, '--shard', '3/2', '--out', o],
    message: ['--shard 3/2: malformed; expected i/n with integers 1 <= i <= n'],
  },
  {
    name: 'malformed --shard (0)',
    args: (o) => ['run', STUDY, '--shard', '0/2', '--out', o],
    message: ['--shard 0/2: malformed'],
  },
  {
    name: 'malformed --shard (text)',
    args: (o) => ['run', STUDY, '--shard', 'half', '--out', o],
    message: ['--shard half: malformed'],
  },
  {
    name: 'bad --jobs (0)',
    args: (o) => ['run', STUDY, '--jobs', '0', '--out', o],
    message: ['--jobs 0: value out of range; --jobs takes an integer in [1, 1024]'],
  },
  {
    name: 'bad --jobs (text)',
    args: (o) => ['run', STUDY, '--jobs', 'many', '--out', o],
    message: ["--jobs many: 'many' is not a whole number; --jobs takes an integer in [1, 1024]"],
  },
  {
    name: 'bad --replications',
    args: (o) => ['run', STUDY, '--replications', '0', '--out', o],
    message: ['--replications 0: value out of range; --replications takes an integer in [1, 100000]'],
  },
  {
    name: 'bad --replications (fraction)',
    args: (o) => ['run', STUDY, '--replications', '2.5', '--out', o],
    message: ["--replications 2.5: '2.5' is not a whole number"],
  },
  {
    name: 'bad --seed (negative)',
    args: (o) => ['run', STUDY, '--seed', '-3', '--out', o],
    message: ['--seed -3: value out of range; --seed takes an integer in [0, 9007199254740991]'],
  },
  {
    name: 'bad --seed (text)',
    args: (o) => ['run', STUDY, '--seed', 'abc', '--out', o],
    message: ["--seed abc: 'abc' is not a whole number"],
  },
  {
    name: 'unwritable --out (read-only file system)',
    args: () => ['run', STUDY, '--quick', '--out', '/sys/hvsim-test-out'],
    message: ['--out /sys/hvsim-test-out: not writable'],
  },
  {
    name: '--out below a file',
    args: (_o, cwd) => ['run', STUDY, '--quick', '--out', join(cwd, 'afile', 'sub')],
    message: ['--out', 'afile is a file, not a directory'],
  },
  {
    name: '--out is a file',
    args: (_o, cwd) => ['run', STUDY, '--quick', '--out', join(cwd, 'afile')],
    message: ['exists and is not a directory'],
  },
  {
    name: 'unknown option',
    args: (o) => ['run', STUDY, '--jbos', '2', '--out', o],
    message: ["unknown option '--jbos'"],
  },
  { name: 'unknown command', args: () => ['runn', STUDY], message: ["unknown command 'runn'"] },
  { name: 'missing study', args: () => ['run'], message: ["missing required argument 'study'"] },
  {
    name: 'bad --progress',
    args: (o) => ['run', STUDY, '--progress', 'fancy', '--out', o],
    message: ["argument 'fancy' is invalid", 'auto, bar, plain, none'],
  },
  {
    name: 'merge of a missing folder',
    args: (o, cwd) => ['merge', join(cwd, 'nothere'), '--out', o],
    message: ['nothere: no such directory'],
  },
  {
    name: 'merge without --out',
    args: (_o, cwd) => ['merge', cwd],
    message: ["required option '--out <dir>' not specified"],
  },
  {
    name: 'merge of a folder that is not a results folder',
    args: (o, cwd) => ['merge', join(cwd, 'adir'), '--out', o],
    message: ['adir is not a finished hvsim results folder'],
  },
  {
    name: 'chart of a missing folder',
    args: (_o, cwd) => ['chart', join(cwd, 'nothere')],
    message: ['nothere: no such directory'],
  },
  {
    name: 'report of a missing folder',
    args: (_o, cwd) => ['report', join(cwd, 'nothere')],
    message: ['nothere: no such directory'],
  },
];

describe('bad input: exit code 2, one message, nothing written', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const cwd = tempDir('bad');
      writeFileSync(join(cwd, 'afile'), 'x');
      mkdirSync(join(cwd, 'adir'));
      const before = listFiles(cwd);
      const out = join(cwd, 'out');
      const home = process.cwd();
      process.chdir(cwd);
      const r = await hv(c.args(out, cwd)).finally(() => process.chdir(home));
      expect(r.code, r.stderr.join('\n')).toBe(2);
      expect(r.stdout).toEqual([]);
      const lines = r.stderr;
      expect(lines, r.stderr.join('\n')).toHaveLength(1);
      const line = lines[0] as string;
      expect(line.startsWith('hvsim: ')).toBe(true);
      let from = 0;
      for (const m of c.message) {
        const at = typeof m === 'string' ? line.indexOf(m, from) : line.slice(from).search(m);
        expect(at, `${JSON.stringify(m)} in ${line}`).toBeGreaterThanOrEqual(0);
        from = typeof m === 'string' ? at + m.length : from + at;
      }
      expect(listFiles(cwd)).toEqual(before);
    });
  }
});

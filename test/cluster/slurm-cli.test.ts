// `hvsim slurm` without a cluster: bad input (one line, exit 2, nothing written), --print (writes
// nothing), --dry-run (writes the scripts), and the submit.sh it writes run against a stand-in
// `sbatch` that records its arguments, so the exact submission (array range, study arguments with
// their quoting, the afterok dependency on the array's id, --tasks) is checked wherever the test runs.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { planSlurm, type SlurmCommandOptions } from '../../src/cli/commands/slurm.js';
import { UsageError } from '../../src/runner/errors.js';
import { hvsim, listFiles, tempDir } from '../cli/cli-helpers.js';

const BASE = ['slurm', 'mm1-validation', '--quick'];

const OPTS: SlurmCommandOptions = {
  shards: '2',
  report: true,
  dryRun: false,
  print: false,
  quick: true,
  set: [],
  grid: [],
};

describe('hvsim slurm: bad input', () => {
  const cases: [string, Partial<SlurmCommandOptions>, string][] = [
    ['--shards 0', { shards: '0' }, '--shards 0: value out of range'],
    [
      'more shards than runs',
      { shards: '26' },
      '--shards 26: value out of range; this sweep has 25 runs, so --shards takes an integer in [1, 25]',
    ],
    ['--time', { time: '5min' }, '--time 5min: malformed; expected a Slurm time limit'],
    ['--mem', { mem: '2GB' }, '--mem 2GB: malformed'],
    ['--partition', { partition: 'a b' }, '--partition a b: malformed'],
    [
      '--tasks out of range',
      { shards: '4', tasks: '2,5' },
      '--tasks 2,5: malformed or out of range; expected a list of shard numbers or ranges in 1..4',
    ],
    ['--tasks reversed range', { shards: '4', tasks: '3-2' }, '--tasks 3-2: malformed or out of range'],
    ['a study option', { set: ['lod=0.5'] }, "--set lod=0.5: unknown parameter 'lod'"],
    ['--cpus-per-task', { cpusPerTask: '0' }, '--cpus-per-task 0: value out of range'],
  ];
  for (const [name, opts, message] of cases) {
    it(name, () => {
      const out = join(tempDir('slurm-bad'), 'out');
      expect(() => planSlurm('mm1-validation', { ...OPTS, ...opts, out })).toThrow(UsageError);
      expect(() => planSlurm('mm1-validation', { ...OPTS, ...opts, out })).toThrow(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('on the command line: one line on stderr, exit code 2, nothing written', () => {
    const out = join(tempDir('slurm-bad'), 'out');
    const r = hvsim([...BASE, '--shards', '26', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('hvsim: --shards 26: value out of range');
    expect(existsSync(out)).toBe(false);
  });
});

describe('help', () => {
  it('documents every flag of slurm, k8s and estimate', () => {
    const flags: Record<string, string[]> = {
      slurm: [
        '--shards',
        '--out',
        '--partition',
        '--time',
        '--mem',
        '--cpus-per-task',
        '--tasks',
        '--no-report',
        '--dry-run',
        '--print',
        '--quick',
        '--set',
        '--grid',
        '--replications',
        '--seed',
      ],
      k8s: [
        '--shards',
        '--parallelism',
        '--name',
        '--image',
        '--claim',
        '--out-dir',
        '--print',
        '--quick',
        '--set',
        '--grid',
        '--replications',
        '--seed',
      ],
      estimate: ['--shards', '--jobs'],
    };
    const top = hvsim(['--help']);
    for (const [command, list] of Object.entries(flags)) {
      expect(top.stdout).toMatch(new RegExp(`\\n  ${command}\\b.*\\S`));
      const r = hvsim([command, '--help']);
      expect(r.status).toBe(0);
      for (const f of list) expect(r.stdout, `${command} ${f}`).toMatch(new RegExp(`${f}[^\\n]*\\s{2,}\\S`));
    }
  });
});

describe('hvsim slurm: scripts and submission', () => {
  it('--print prints the three scripts and writes nothing', () => {
    const out = join(tempDir('slurm-print'), 'out');
    const r = hvsim([...BASE, '--shards', '4', '--out', out, '--print']);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['hvsim-shard.sbatch', 'hvsim-merge.sbatch', 'submit.sh'])
      expect(r.stdout).toContain(`# ==> ${join(out, 'slurm', f)} <==`);
    expect(r.stdout).toContain('--array=1-4');
    expect(existsSync(out)).toBe(false);
  });

  it('--dry-run writes the scripts; submit.sh submits the array, then the merge after it, with the study arguments intact', () => {
    const tmp = tempDir('slurm-dry');
    const out = join(tmp, 'out dir'); // a space: every path must be quoted
    const grid = 'load=0.5,0.9';
    const r = hvsim([
      ...BASE,
      '--shards',
      '3',
      '--out',
      out,
      '--dry-run',
      '--grid',
      grid,
      '--set',
      'runLengthNs=2s',
      '--seed',
      '7',
      '--partition',
      'batch',
      '--time',
      '0:30:00',
      '--mem',
      '1G',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const slurmDir = join(out, 'slurm');
    expect(listFiles(slurmDir)).toEqual(['hvsim-merge.sbatch', 'hvsim-shard.sbatch', 'submit.sh']);
    for (const f of listFiles(slurmDir)) expect(statSync(join(slurmDir, f)).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(slurmDir, 'hvsim-shard.sbatch'), 'utf8')).toBe(
      readFileSync(join(import.meta.dirname, '../../deploy/slurm/hvsim-shard.sbatch'), 'utf8'),
    );

    // A stand-in sbatch: one line per call (arguments separated by tabs), prints a job id.
    const bin = join(tmp, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    const log = join(tmp, 'sbatch.log');
    writeFileSync(
      join(bin, 'sbatch'),
      `#!/usr/bin/env bash\nn=$(( $(wc -l < ${JSON.stringify(log)} 2>/dev/null || echo 0) + 1 ))\n(IFS=$'\\t'; echo "$*") >> ${JSON.stringify(log)}\necho "$((100 + n));cluster"\n`,
    );
    chmodSync(join(bin, 'sbatch'), 0o755);
    const sub = spawnSync('bash', [join(slurmDir, 'submit.sh')], {
      env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
      encoding: 'utf8',
    });
    expect(sub.status, sub.stderr).toBe(0);
    expect(sub.stdout).toContain('shards job array 101 (tasks 1-3 of 3), merge job 102');
    const [arrayCall, mergeCall] = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(arrayCall).toEqual([
      '--parsable',
      '--job-name=hvsim-mm1-validation',
      '--array=1-3',
      '--cpus-per-task=1',
      '--partition=batch',
      '--time=0:30:00',
      '--mem=1G',
      '--export=ALL',
      `--output=${join(slurmDir, 'logs', 'shard-%a-%A.out')}`,
      join(slurmDir, 'hvsim-shard.sbatch'),
      'mm1-validation',
      '--quick',
      '--set',
      'runLengthNs=2s',
      '--grid',
      grid,
      '--seed',
      '7',
    ]);
    expect(mergeCall?.slice(0, 3)).toEqual([
      '--parsable',
      '--dependency=afterok:101',
      '--job-name=hvsim-mm1-validation-merge',
    ]);
    expect(mergeCall).toContain('--kill-on-invalid-dep=yes');
    expect(mergeCall?.at(-1)).toBe(join(slurmDir, 'hvsim-merge.sbatch'));
    expect(existsSync(join(slurmDir, 'logs'))).toBe(true);
  });

  it('--tasks resubmits only the given array tasks', () => {
    const sub = planSlurm('mm1-validation', {
      ...OPTS,
      shards: '8',
      tasks: '3,5-6',
      out: join(tempDir('slurm-tasks'), 'out'),
    });
    const submit = sub.files.find((f) => f.path === sub.submitScript)?.text ?? '';
    expect(submit).toContain('--array=3,5-6 ');
    expect(submit).toContain('export HVSIM_SHARDS=8');
  });
  it('takes a sweep file as hvsim run does: the tasks get its absolute path, the plan is the file’s', () => {
    const file = 'experiments/sweeps/mm1-load.json';
    const sub = planSlurm(file, { ...OPTS, quick: false, shards: '3', out: join(tempDir('slurm-sweep'), 'out') });
    // the file: quick, load = 0.5, 0.8, 0.9 and 4 replications = 12 runs
    expect(sub.runs).toBe(12);
    const submit = sub.files.find((f) => f.path === sub.submitScript)?.text ?? '';
    expect(submit).toMatch(new RegExp(` ${resolve(file).replace(/[./]/g, (c) => `\\${c}`)}[ )]`));
    expect(() =>
      planSlurm('experiments/sweeps/no-such.yaml', { ...OPTS, out: join(tempDir('slurm-sweep'), 'o2') }),
    ).toThrow(UsageError);
  });
});

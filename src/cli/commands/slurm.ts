// `hvsim slurm <study> --shards N`: runs a sweep on a Slurm cluster as a job array of N tasks (task i,
// 1-based, runs `hvsim run <study> --shard i/N --out OUT/shard-i`) and a merge job that depends on the
// whole array (afterok) and writes OUT/merged (runs.csv, summary.csv, tables/ byte-identical to a
// one-machine run of the same sweep) with its report.
//
// Writes OUT/slurm/: hvsim-shard.sbatch and hvsim-merge.sbatch (copies of deploy/slurm/), submit.sh
// (the two sbatch commands with every option spelled out), logs/ (one file per task and the merge);
// then runs submit.sh unless --dry-run (write only) or --print (print the three scripts, write
// nothing). Running the same command again after a failure resubmits everything; tasks whose shard is
// complete finish at once (the runner's resume), the others run only their missing runs; --tasks
// resubmits only some array tasks. Study options (--quick, --set, --grid, --replications, --seed) are
// checked here exactly as `hvsim run` checks them and passed through unchanged.
//
// Limits: --shards 1..(number of runs of the sweep, at most 100000; Slurm's MaxArraySize, 1001 by
// default, caps the array index at 1000 unless the site raises it); --cpus-per-task 1..1024 (the
// worker threads of each task); --time in Slurm's formats (minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]]);
// --mem an integer with an optional K/M/G/T suffix (per node, as sbatch --mem).
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { configureSweep } from '../../runner/configure.js';
import { ExitCode, RunError, UsageError } from '../../runner/errors.js';
import { checkWritableDir } from '../../runner/out-dir.js';
import { packageRoot } from '../../runner/version.js';
import type { Io } from '../io.js';
import { addStudyPassThrough, studyRunArgs } from '../study-options.js';
import { LIMITS, parseIntOption, parseRunOptions } from '../run-options.js';
import { findStudy, requireStudy } from '../studies.js';
import { isSweepFileArg, loadSweepFile, mergeOverrides } from '../../runner/sweep-file.js';
import { sweepFileOutDir } from './run.js';
import { defaultOutDir } from './run.js';

export const SLURM_SCRIPTS = { shard: 'hvsim-shard.sbatch', merge: 'hvsim-merge.sbatch', submit: 'submit.sh' } as const;

export interface SlurmCommandOptions {
  readonly shards: string;
  readonly out?: string;
  readonly partition?: string;
  readonly time?: string;
  readonly mem?: string;
  readonly cpusPerTask?: string;
  readonly tasks?: string;
  readonly report: boolean;
  readonly dryRun: boolean;
  readonly print: boolean;
  readonly quick: boolean;
  readonly set: readonly string[];
  readonly grid: readonly string[];
  readonly replications?: string;
  readonly seed?: string;
}

export interface SlurmFile {
  readonly path: string;
  readonly text: string;
  readonly executable: boolean;
}

export interface SlurmSubmission {
  /** Absolute results folder: shard-1..N, merged/ and slurm/ go in it. */
  readonly outDir: string;
  readonly shards: number;
  readonly runs: number;
  readonly files: readonly SlurmFile[];
  readonly submitScript: string;
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word for a POSIX shell: unchanged when it needs no quoting, else in single quotes. */
export function shellQuote(word: string): string {
  return word !== '' && SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const SLURM_TIME =
  /^(?:\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/i;
const SLURM_MEM = /^\d+[KMGT]?$/i;
const SLURM_PARTITION = /^[A-Za-z0-9_.-]+(?:,[A-Za-z0-9_.-]+)*$/;

/** `--tasks 3,5-7` → the array spec "3,5-7" after checking every index is in 1..shards. */
export function parseTasks(raw: string, shards: number): string {
  const allowed = `expected a list of shard numbers or ranges in 1..${shards} (e.g. --tasks 3 or --tasks 2,5-7)`;
  const parts = raw.split(',').map((p) => p.trim());
  for (const p of parts) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(p);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || lo < 1 || hi > shards || lo > hi)
      throw new UsageError(`--tasks ${raw}: malformed or out of range; ${allowed}`);
  }
  return parts.join(',');
}

function deployDir(): string {
  const dir = packageRoot === null ? null : join(packageRoot, 'deploy', 'slurm');
  if (dir === null || !existsSync(join(dir, SLURM_SCRIPTS.shard)) || !existsSync(join(dir, SLURM_SCRIPTS.merge))) {
    throw new RunError(
      `slurm: the job scripts (deploy/slurm/${SLURM_SCRIPTS.shard}, ${SLURM_SCRIPTS.merge}) are not in this hvsim installation`,
    );
  }
  return dir;
}

/** Checks every option and builds the scripts (nothing is written). */
export function planSlurm(studyName: string, opts: SlurmCommandOptions): SlurmSubmission {
  // A sweep file (hvsim run <file>) is checked here as hvsim run checks it, and handed to the tasks by
  // its absolute path: every node must see it there, as it sees the hvsim installation.
  const file = isSweepFileArg(studyName) ? loadSweepFile(studyName, findStudy) : undefined;
  const study = file !== undefined ? requireStudy(file.study.name) : requireStudy(studyName);
  const req = parseRunOptions(study, {
    set: opts.set,
    grid: opts.grid,
    replications: opts.replications,
    seed: opts.seed,
  });
  const quick = opts.quick || file?.quick === true;
  const { plan } = configureSweep(study, {
    quick,
    overrides: file !== undefined ? mergeOverrides(file.overrides, req.overrides) : req.overrides,
    replications: req.replications ?? file?.replications,
    masterSeed: req.masterSeed ?? file?.seed,
  });
  const target = file !== undefined ? resolve(file.path) : study.name;
  const shards = parseIntOption('--shards', opts.shards, 1, LIMITS.maxShards);
  if (shards > plan.runs.length) {
    throw new UsageError(
      `--shards ${opts.shards}: value out of range; this sweep has ${plan.runs.length} runs, so --shards takes an integer in [1, ${plan.runs.length}]`,
    );
  }
  const cpus =
    opts.cpusPerTask === undefined ? 1 : parseIntOption('--cpus-per-task', opts.cpusPerTask, 1, LIMITS.maxJobs);
  if (opts.partition !== undefined && !SLURM_PARTITION.test(opts.partition)) {
    throw new UsageError(
      `--partition ${opts.partition}: malformed; expected a partition name (letters, digits, _ . -), or several separated by commas`,
    );
  }
  if (opts.time !== undefined && !SLURM_TIME.test(opts.time)) {
    throw new UsageError(
      `--time ${opts.time}: malformed; expected a Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. --time 2:00:00)`,
    );
  }
  if (opts.mem !== undefined && !SLURM_MEM.test(opts.mem)) {
    throw new UsageError(
      `--mem ${opts.mem}: malformed; expected an integer amount with an optional K, M, G or T suffix (e.g. --mem 2G)`,
    );
  }
  const array = opts.tasks === undefined ? `1-${shards}` : parseTasks(opts.tasks, shards);
  const outDir = resolve(
    opts.out ??
      `${file !== undefined ? (file.out ?? sweepFileOutDir(file, quick, { set: [], grid: [] })) : defaultOutDir(study.name, opts.quick)}-slurm`,
  );
  if (!opts.print) checkWritableDir(outDir, '--out');

  const src = deployDir();
  const slurmDir = join(outDir, 'slurm');
  const logs = join(slurmDir, 'logs');
  const shardScript = join(slurmDir, SLURM_SCRIPTS.shard);
  const mergeScript = join(slurmDir, SLURM_SCRIPTS.merge);
  const common = [
    ...(opts.partition !== undefined ? [`--partition=${opts.partition}`] : []),
    ...(opts.time !== undefined ? [`--time=${opts.time}`] : []),
    ...(opts.mem !== undefined ? [`--mem=${opts.mem}`] : []),
    '--export=ALL',
  ];
  const q = (words: readonly string[]): string => words.map(shellQuote).join(' ');
  const cli = cliPath();
  const submit = [
    '#!/usr/bin/env bash',
    `# Generated by hvsim slurm: ${plan.runs.length} runs of ${study.name} in ${shards} array tasks, then a merge job.`,
    '# Run it again after a failure: shards already complete finish at once, the others run only',
    '# their missing runs, then the merge runs. Logs: slurm/logs/ next to this script.',
    'set -euo pipefail',
    `export HVSIM_NODE=${shellQuote(process.execPath)}`,
    `export HVSIM_CLI=${shellQuote(cli)}`,
    `export HVSIM_SHARDS=${shards}`,
    `export HVSIM_OUT=${shellQuote(outDir)}`,
    `export HVSIM_REPORT=${opts.report ? 1 : 0}`,
    `mkdir -p ${shellQuote(logs)}`,
    `array=$(sbatch --parsable ${q([
      `--job-name=hvsim-${study.name}`,
      `--array=${array}`,
      `--cpus-per-task=${cpus}`,
      ...common,
      `--output=${join(logs, 'shard-%a-%A.out')}`,
      shardScript,
      ...studyRunArgs(target, opts),
    ])})`,
    'array=${array%%;*}',
    `merge=$(sbatch --parsable --dependency=afterok:"$array" ${q([
      `--job-name=hvsim-${study.name}-merge`,
      '--kill-on-invalid-dep=yes',
      '--cpus-per-task=1',
      ...common,
      `--output=${join(logs, 'merge-%j.out')}`,
      mergeScript,
    ])})`,
    'merge=${merge%%;*}',
    `echo "submitted: shards job array $array (tasks ${array} of ${shards}), merge job $merge (runs when every task succeeded)"`,
    `echo ${shellQuote(`merged results: ${join(outDir, 'merged')}`)}`,
    '',
  ].join('\n');
  const files: SlurmFile[] = [
    { path: shardScript, text: readFileSync(join(src, SLURM_SCRIPTS.shard), 'utf8'), executable: true },
    { path: mergeScript, text: readFileSync(join(src, SLURM_SCRIPTS.merge), 'utf8'), executable: true },
    { path: join(slurmDir, SLURM_SCRIPTS.submit), text: submit, executable: true },
  ];
  return { outDir, shards, runs: plan.runs.length, files, submitScript: join(slurmDir, SLURM_SCRIPTS.submit) };
}

/** The compiled CLI the jobs run: main.js next to this module's folder (dist/src/cli/), else the package's dist/. */
function cliPath(): string {
  const here = fileURLToPath(new URL('../main.js', import.meta.url));
  if (existsSync(here) || packageRoot === null) return here;
  return join(packageRoot, 'dist', 'src', 'cli', 'main.js');
}

function onPath(command: string): boolean {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

export function slurmCommand(studyName: string, opts: SlurmCommandOptions, io: Io): ExitCode {
  const sub = planSlurm(studyName, opts);
  if (opts.print) {
    for (const f of sub.files) {
      io.out(`# ==> ${f.path} <==`);
      for (const line of f.text.replace(/\n$/, '').split('\n')) io.out(line);
    }
    return ExitCode.ok;
  }
  mkdirSync(join(sub.outDir, 'slurm', 'logs'), { recursive: true });
  for (const f of sub.files) {
    writeFileAtomic(f.path, f.text);
    chmodSync(f.path, f.executable ? 0o755 : 0o644);
  }
  io.out(`slurm: ${sub.runs} runs in ${sub.shards} array tasks; scripts in ${join(sub.outDir, 'slurm')}`);
  if (opts.dryRun) {
    io.out(`submit with: bash ${shellQuote(sub.submitScript)}`);
    return ExitCode.ok;
  }
  if (!onPath('sbatch')) {
    throw new RunError(
      `slurm: sbatch is not on PATH; the scripts are written: run bash ${shellQuote(sub.submitScript)} on a Slurm submit host`,
    );
  }
  const r = spawnSync('bash', [sub.submitScript], { encoding: 'utf8' });
  for (const line of r.stdout.split('\n')) if (line !== '') io.out(line);
  for (const line of r.stderr.split('\n')) if (line !== '') io.err(line);
  if (r.status !== 0)
    throw new RunError(
      `slurm: submission failed (bash ${sub.submitScript} exited with ${r.status ?? r.signal}); nothing more was submitted`,
    );
  return ExitCode.ok;
}

export function registerSlurmCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  const cmd = program
    .command('slurm')
    .description(
      'run a sweep on Slurm: a job array of N tasks (task i runs --shard i/N into OUT/shard-i) and a merge job after all of them (OUT/merged, with the report). ' +
        'Writes OUT/slurm/ (scripts, submit.sh, logs/) and submits; the same command again after a failure reruns only what is missing.',
    )
    .argument('<study>', 'study name (see hvsim list) or sweep file (YAML or JSON, as for hvsim run)')
    .requiredOption('--shards <n>', 'number of array tasks (shards), at most the number of runs of the sweep')
    .option(
      '--out <dir>',
      'shared results folder every node can write (default: results/<study>-slurm, results/<study>-quick-slurm with --quick)',
    )
    .option('--partition <p>', 'Slurm partition (sbatch --partition)')
    .option('--time <t>', 'time limit of each task and of the merge (sbatch --time, e.g. 30, 2:00:00, 1-00)')
    .option('--mem <m>', 'memory of each task (sbatch --mem, e.g. 2G)')
    .option('--cpus-per-task <n>', 'CPUs, and so worker threads, of each task (default 1)')
    .option(
      '--tasks <list>',
      'submit only these array tasks (shard numbers, e.g. 3 or 2,5-7), e.g. to rerun the failed ones',
    )
    .option('--no-report', 'merge without charts and report.html')
    .option('--dry-run', 'write the scripts and submit.sh, submit nothing', false)
    .option('--print', 'print the scripts and submit.sh, write and submit nothing', false);
  addStudyPassThrough(cmd, "passed to hvsim run: the study's quick grid, replications and run length").action(
    (name: string, opts: SlurmCommandOptions) => {
      setExit(slurmCommand(name, opts, io));
    },
  );
}

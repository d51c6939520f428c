// The command-line interface (commander): `hvsim list | describe | run | merge | chart | report`,
// with help text for every command and flag. Usage errors (commander's own, and UsageError from the
// runner) are one line on stderr prefixed "hvsim: " and exit code 2; see main.ts.
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { ExitCode } from '../runner/errors.js';
import { ProgressMode } from '../runner/progress.js';
import { DEFAULT_MASTER_SEED, PLAN_LIMITS } from '../runner/plan.js';
import { hvsimVersion } from '../runner/version.js';
import type { Io } from './io.js';
import { LIMITS } from './run-options.js';
import { chartCommand, mergeCommand, reportCommand } from './commands/results.js';
import { describeCommand, listCommand } from './commands/info.js';
import { runCommand, type RunCommandOptions } from './commands/run.js';
import { registerClusterCommands } from './commands/cluster.js';
import { writeResultsIndex } from '../runner/results-index.js';
import { compareCommand, type CompareOptions } from './commands/compare.js';
import { AxisScale } from '../runner/compare.js';
import { registerScenarioCommands } from './commands/scenario.js';
import { collect } from './study-options.js';

/** Builds the program; `setExit` receives each command's exit code. */
export function createProgram(io: Io, setExit: (code: ExitCode) => void, argv: readonly string[]): Command {
  const program = new Command('hvsim');
  program
    .description(
      'Deterministic discrete-event simulator of a Xen-style paravirtualizing hypervisor host: run studies (parameter sweeps), merge shards, chart and report results.',
    )
    .version(hvsimVersion(), '-V, --version', 'print the hvsim version')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        for (const line of s.replace(/\n$/, '').split('\n')) io.out(line);
      },
      writeErr: (s) => {
        for (const line of s.replace(/\n$/, '').split('\n')) io.err(line);
      },
      outputError: (s, write) =>
        write(
          `hvsim: ${s
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')}\n`,
        ),
    })
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  hvsim list',
        '  hvsim describe mm1-validation',
        "  hvsim run paper                    # the paper's evaluation, quick: results/paper-quick/",
        '  hvsim describe paper               # its studies, what --full changes',
        '  hvsim run mm1-validation           # results/mm1-validation/, report.html',
        '  hvsim run mm1-validation --grid load=0.5,0.9 --set runLengthNs=50s --replications 20',
        '  hvsim run mm1-validation --shard 1/2 --out r/s1 && hvsim run mm1-validation --shard 2/2 --out r/s2',
        '  hvsim merge r/s1 r/s2 --out r/all',
        '  hvsim run experiments/sweeps/bvt-warp-hogs.yaml --replications 3   # a sweep file; flags override',
        '  hvsim compare results/a results/b --measure wakeLatencyMeanNs --out results/a-vs-b',
        '  hvsim index                        # results/index.html',
        '',
        'Exit codes: 0 ok, 1 a run or output failed, 2 bad input (nothing written), 130/143 interrupted',
        '(SIGINT/SIGTERM; finished runs are kept and the same command resumes).',
      ].join('\n'),
    );

  program
    .command('list')
    .description('list the studies with a one-line description, then the suites')
    .option(
      '--json',
      'print {"studies": [{name, version, description}], "suites": [{name, description, studies}]} as JSON',
      false,
    )
    .action((opts: { json: boolean }) => {
      setExit(listCommand(opts, io));
    });

  program
    .command('describe')
    .description(
      'show a study: parameters (kind, default, range, unit), grid, measures, CSV columns and number format; ' +
        'or a suite: its studies, what --full changes, how to run it',
    )
    .argument('<study>', 'study or suite name (see hvsim list)')
    .option(
      '--json',
      'print the study as JSON: name, version, description, details, params, grid, replications, masterSeed, quick, measures, tables ' +
        '(a suite: kind, name, description, members, fidelity, commands)',
      false,
    )
    .action((name: string, opts: { json: boolean }) => {
      setExit(describeCommand(name, opts, io));
    });

  program
    .command('run')
    .description(
      'run a study: expand the grid, run every point × replication in worker threads, write runs/, CSVs, manifest, charts and report.html. ' +
        'Re-running the same command resumes: finished runs with the same configuration are skipped.',
    )
    .argument(
      '<study>',
      "study name (see hvsim list), a suite (paper: the paper's evaluation, every study in turn), or a sweep file (.yaml/.json, schema/sweep.schema.json); flags given next to a file override it",
    )
    .option(
      '--set <key=value>',
      'set a parameter at every point (repeatable); ns parameters accept 500us, 2ms, 10s',
      collect,
      [],
    )
    .option(
      '--grid <key=v1,v2,...>',
      'sweep a parameter over these values, replacing its grid axis or adding one (repeatable; several cross)',
      collect,
      [],
    )
    .option(
      '--replications <n>',
      `replications per point (1..${LIMITS.maxReplications}, at most ${PLAN_LIMITS.maxRuns} runs in all; default: the study's)`,
    )
    .option(
      '--seed <n>',
      `master seed, an integer in [0, 2^53-1] (default ${DEFAULT_MASTER_SEED}); each run's seed = deriveSeed(seed, study, point, replication)`,
    )
    .option(
      '--jobs <n>',
      `worker threads (1..${LIMITS.maxJobs}, capped at the number of cores, ${availableParallelism()} here, which is the default)`,
    )
    .option(
      '--out <dir>',
      'results folder (default: results/<study>, or results/<study>-quick with --quick, followed by _<override> for each ' +
        '--set, --grid, --replications and --seed given, e.g. results/mm1-validation_load=0.8)',
    )
    .option('--force', 'replace the results of another configuration found in --out (its run files and outputs)', false)
    .option(
      '--dry-run',
      'print the points, the run count and an estimate of the time (from the finished runs in the folder, or one run ' +
        'of point 0 stopped after 2 s; a suite: 10 s in all), and run nothing, write nothing',
      false,
    )
    .option(
      '--shard <i/n>',
      'run only shard i of n (1-based; runs i-1, i-1+n, ... in point/replication order); join with hvsim merge',
    )
    .option('--quick', "short smoke run: the study's quick grid, replications and run length", false)
    .option(
      '--full',
      "suites only (hvsim run paper --full): publication fidelity, each study's own grid, replications and run length (default for a suite: quick)",
    )
    .option('--no-report', 'skip charts and report.html (CSV files and manifest are still written)')
    .addOption(
      new Option('--progress <mode>', 'progress display: bar on a terminal, plain lines otherwise')
        .choices(Object.values(ProgressMode))
        .default(ProgressMode.auto),
    )
    .option('-q, --quiet', 'print nothing but errors (no progress, no summary; the files are written as usual)', false)
    .action(async (name: string, opts: RunCommandOptions) => {
      const progress = opts.quiet ? ProgressMode.none : opts.progress;
      setExit(await runCommand(name, { ...opts, progress }, io, argv));
    });

  program
    .command('merge')
    .description(
      'join results folders of one sweep (its shards) into one folder; its CSVs are byte-identical to an unsharded run',
    )
    .argument('<dir...>', 'results folders written by hvsim run (e.g. one per --shard)')
    .requiredOption('--out <dir>', 'folder to write the merged results to (not one of the inputs)')
    .option('--no-report', 'skip charts and report.html')
    .action(async (dirs: string[], opts: { out: string; report: boolean }) => {
      setExit(await mergeCommand(dirs, opts, io, argv));
    });

  program
    .command('chart')
    .description("(re)build a results folder's charts: charts/<id>.vl.json, .svg and .png")
    .argument('<dir>', 'a complete results folder (from hvsim run or hvsim merge)')
    .action(async (dir: string) => {
      setExit(await chartCommand(dir, io));
    });

  program
    .command('report')
    .description("(re)build a results folder's charts and its self-contained report.html")
    .argument('<dir>', 'a complete results folder (from hvsim run or hvsim merge)')
    .action(async (dir: string) => {
      setExit(await reportCommand(dir, io));
    });

  registerClusterCommands(program, io, setExit);

  program
    .command('compare')
    .description(
      'overlay measures from several results folders (e.g. two scheduler variants) in one chart per measure ' +
        '(mean and 95% CI against a parameter, one line per folder) and one table, compare.csv',
    )
    .argument('<dir...>', 'finished results folders (from hvsim run or hvsim merge), at least two')
    .requiredOption(
      '--out <dir>',
      'folder for compare.csv, compare.json and charts/ (new, empty, or written by an earlier compare)',
    )
    .option(
      '--measure <name>',
      "a measure to compare (repeatable; default: the first study's first measure)",
      collect,
      [],
    )
    .option(
      '--x <param>',
      'the parameter on the x axis (default: the first numeric parameter swept in the first folder)',
    )
    .addOption(
      new Option('--x-scale <scale>', 'x axis scale').choices(Object.values(AxisScale)).default(AxisScale.linear),
    )
    .addOption(
      new Option('--y-scale <scale>', 'y axis scale').choices(Object.values(AxisScale)).default(AxisScale.linear),
    )
    .action(async (dirs: string[], opts: CompareOptions) => {
      setExit(await compareCommand(dirs, opts, io, argv));
    });

  program
    .command('index')
    .description(
      '(re)build DIR/index.html: every results folder under DIR with its study, parameters, date and first chart (run, merge, report and compare rebuild results/index.html themselves)',
    )
    .argument('[dir]', 'the folder holding results folders', 'results')
    .action((dir: string) => {
      const { path, entries } = writeResultsIndex(dir);
      io.out(`${path}: ${entries} results folder${entries === 1 ? '' : 's'}`);
      setExit(ExitCode.ok);
    });
  registerScenarioCommands(program, io, setExit, argv);

  return program;
}

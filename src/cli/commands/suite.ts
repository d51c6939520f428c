// `hvsim run <suite>` (a suite of experiments/suites.ts, e.g. `paper`): runs every member study in turn
// into <root>/<study> — quick fidelity by default, the studies' own defaults with --full — with a
// "[i/n]" line per study around each study's own progress, skipping members a previous run of the same
// command finished (src/runner/suite.ts memberFinished; an interrupted member resumes its finished
// runs through the runner), then writes <root>/index.html (every member's report), rebuilds
// results/index.html, prints a table of what ran and says where to look.
// Everything is checked before anything runs: the suite's definition, every member's plan and folder;
// study options that would change a member (--set, --grid, --replications, --seed, --shard) are refused
// with one line (run the study on its own for that). A member that fails is reported and the others
// still run (exit 1 at the end); an interrupted member (SIGINT/SIGTERM) stops the suite with its code.
// --dry-run prints each member's plan and time estimate (../dry-run.ts; the members' timing runs share
// one budget of 10 s) and the suite's total, and runs nothing.
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configureSweep } from '../../runner/configure.js';
import { ExitCode, messageOf, UsageError } from '../../runner/errors.js';
import { NO_OVERRIDES } from '../../runner/grid.js';
import { checkOutPath, checkWritableDir } from '../../runner/out-dir.js';
import { formatDuration } from '../../runner/progress.js';
import { INDEX_FILE, indexRootOf, writeResultsIndex } from '../../runner/results-index.js';
import { Fidelity, memberDir, memberFinished, suiteProblems, suiteRoot, type Suite } from '../../runner/suite.js';
import type { Io } from '../io.js';
import { textTable } from '../text-table.js';
import { findStudy, requireStudy, STUDY_REGISTRY_URL } from '../studies.js';
import { capJobs, runCommand, type RunCommandOptions } from './run.js';
import { wrapText } from '../../charts/notes.js';
import { TERMINAL_WIDTH } from '../describe.js';
import { printDryRun, totalText, type DryEstimate } from '../dry-run.js';
import { DryRunBudget, PointTimer, STUDY_BUDGET_MS, SUITE_BUDGET_MS } from '../point-timer.js';
import { LIMITS, parseIntOption } from '../run-options.js';

export interface SuiteCommandOptions extends RunCommandOptions {
  readonly full?: boolean;
}

const MemberStatus = { ran: 'ran', skipped: 'finished earlier', failed: 'failed' } as const;
type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];

/** Refuses the study options a suite does not take, naming the first one given. */
function checkSuiteOptions(suite: Suite, opts: SuiteCommandOptions): void {
  const given: [string, boolean][] = [
    ['--set', opts.set.length > 0],
    ['--grid', opts.grid.length > 0],
    ['--replications', opts.replications !== undefined],
    ['--seed', opts.seed !== undefined],
    ['--shard', opts.shard !== undefined],
  ];
  const flag = given.find(([, on]) => on)?.[0];
  if (flag !== undefined)
    throw new UsageError(
      `${flag} does not apply to suite ${suite.name} (it runs each study as the suite defines it); allowed with a suite: --full, --quick, --jobs, --out, --force, --dry-run, --progress, --quiet; to change a parameter run one study: hvsim run <study> ${flag} …`,
    );
  if (opts.full === true && opts.quick)
    throw new UsageError(`--full and --quick: choose one (suite ${suite.name} runs at quick fidelity by default)`);
}

export async function suiteCommand(
  suite: Suite,
  opts: SuiteCommandOptions,
  io: Io,
  argv: readonly string[],
): Promise<ExitCode> {
  const say = opts.quiet === true ? (): void => undefined : io.out;
  const problems = suiteProblems(suite, findStudy);
  if (problems.length > 0) throw new Error(`suite ${suite.name} is inconsistent: ${problems.join('; ')}`);
  checkSuiteOptions(suite, opts);
  const fidelity = opts.full === true ? Fidelity.full : Fidelity.quick;
  const quick = fidelity === Fidelity.quick;
  const root = opts.out ?? suiteRoot(suite, fidelity);
  checkOutPath(root, '--out');
  // every member's plan and folder, before anything runs
  const members = suite.members.map((m) => {
    const study = requireStudy(m.study);
    const { plan, baseParams } = configureSweep(study, {
      quick,
      overrides: NO_OVERRIDES,
      replications: undefined,
      masterSeed: undefined,
    });
    const dir = memberDir(root, m);
    checkWritableDir(dir, '--out');
    return { member: m, study, plan, baseParams, dir };
  });
  const n = members.length;
  const runs = members.reduce((s, m) => s + m.plan.runs.length, 0);
  say(`${suite.name}: ${n} studies, ${runs} runs at ${fidelity} fidelity, into ${root}`);

  const memberOpts = (dir: string): RunCommandOptions => ({
    set: [],
    grid: [],
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    out: dir,
    quick,
    report: true,
    progress: opts.progress,
    ...(opts.quiet !== undefined ? { quiet: opts.quiet } : {}),
    ...(opts.force !== undefined ? { force: opts.force } : {}),
  });

  if (opts.dryRun === true) {
    // One timing thread for every member; the members share SUITE_BUDGET_MS of timing runs.
    const jobs = capJobs(
      opts.jobs === undefined ? availableParallelism() : parseIntOption('--jobs', opts.jobs, 1, LIMITS.maxJobs),
      io.err,
    );
    const budget = new DryRunBudget(n, STUDY_BUDGET_MS, SUITE_BUDGET_MS);
    const timer = new PointTimer();
    const estimates: DryEstimate[] = [];
    try {
      for (const [i, { member, study, plan, baseParams, dir }] of members.entries()) {
        for (const line of wrapText(`[${i + 1}/${n}] ${member.study}: ${member.why}`, TERMINAL_WIDTH, '  ', ''))
          say(line);
        const runArgs = ['run', member.study, ...(quick ? ['--quick'] : []), '--out', dir];
        const input = { study, plan, baseParams, outDir: dir, jobs, registry: STUDY_REGISTRY_URL, runArgs };
        estimates.push(await printDryRun(input, timer, budget, say));
      }
    } finally {
      await timer.close();
    }
    say('');
    for (const line of wrapText(
      `${suite.name}: ${n} studies one after another, ${runs} runs at ${fidelity} fidelity: ${totalText(estimates)}`,
      TERMINAL_WIDTH,
      '  ',
      '',
    ))
      say(line);
    return ExitCode.ok;
  }

  const done: { study: string; status: MemberStatus; seconds: number; report: string }[] = [];
  const t0 = performance.now();
  for (const [i, { member, plan, dir }] of members.entries()) {
    const report = join(dir, 'report.html');
    for (const line of wrapText(`[${i + 1}/${n}] ${member.study}: ${member.why}`, TERMINAL_WIDTH, '  ', '')) say(line);
    if (memberFinished(dir, plan)) {
      say(`[${i + 1}/${n}] ${member.study}: finished by an earlier run, skipped (${report})`);
      done.push({ study: member.study, status: MemberStatus.skipped, seconds: 0, report });
      continue;
    }
    const start = performance.now();
    let code: ExitCode;
    try {
      code = await runCommand(member.study, memberOpts(dir), io, argv);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.err(`hvsim: ${suite.name}: ${member.study} failed: ${messageOf(err)}`);
      code = ExitCode.failure;
    }
    if (code === ExitCode.sigint || code === ExitCode.sigterm) {
      io.err(
        `hvsim: ${suite.name} interrupted in ${member.study}; the same command resumes (finished studies and runs are kept)`,
      );
      return code;
    }
    const seconds = (performance.now() - start) / 1000;
    done.push({
      study: member.study,
      status: code === ExitCode.ok ? MemberStatus.ran : MemberStatus.failed,
      seconds,
      report,
    });
  }

  let suiteIndex: string | undefined;
  try {
    suiteIndex = writeResultsIndex(root).path;
  } catch (err) {
    io.err(`hvsim: ${join(root, INDEX_FILE)} not written: ${messageOf(err)}`);
  }
  const resultsRoot = indexRootOf(join(root, 'x'));
  if (resultsRoot !== undefined && resultsRoot !== root) {
    try {
      writeResultsIndex(resultsRoot);
    } catch (err) {
      io.err(`hvsim: ${join(resultsRoot, INDEX_FILE)} not rebuilt: ${messageOf(err)}`);
    }
  }
  say('');
  say(`${suite.name} (${fidelity} fidelity): ${n} studies in ${formatDuration((performance.now() - t0) / 1000)}`);
  for (const line of textTable(
    ['study', 'status', 'time', 'report'],
    done.map((d) => [d.study, d.status, d.status === MemberStatus.ran ? formatDuration(d.seconds) : '-', d.report]),
  ))
    say(line);
  say('');
  if (suiteIndex !== undefined) say(`Where to look: ${suiteIndex} links every report of the suite`);
  if (resultsRoot !== undefined && resultsRoot !== root) {
    const shown = relative(process.cwd(), resultsRoot) || '.';
    say(`(${join(shown, INDEX_FILE)} lists every results folder under ${shown})`);
  }
  if (quick) say(`Publication fidelity (more replications, longer runs): hvsim run ${suite.name} --full`);
  const failed = done.filter((d) => d.status === MemberStatus.failed).map((d) => d.study);
  if (failed.length > 0) {
    io.err(`hvsim: ${suite.name}: ${failed.join(', ')} failed (see above); the other studies are complete`);
    return ExitCode.failure;
  }
  return ExitCode.ok;
}

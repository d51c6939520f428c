// `hvsim plan <scenario>` and `hvsim whatif <scenario> --set path=value …`: capacity planning from a
// scenario file (src/scenario). Both run the scenario's replications through the runner (runSweep
// with the generic `scenario` study, src/scenario/study.ts): parallel worker threads, run files written
// atomically, resumable — the same command again reuses every finished run.
//
// Output folder (--out, default results/scenario-<name>, or results/whatif-<name>): hvsim writes it only
// when it is new, empty or marked by an earlier plan/whatif (.hvsim-scenario); each evaluated scenario
// is a results folder of its own inside it (value-<v>/ for a goal-seek value, base/ for a plain plan,
// variant-<k>/ for whatif), every one with runs/, runs.csv, summary.csv, tables/templates.csv and a
// manifest. All evaluations use the same master seed and point index, hence the same run seeds: values
// and variants are compared with common random numbers.
//   plan:   slos.csv (one row per evaluated value × SLO: mean, 95% CI, verdict), charts/goal-seek-<i>
//           (SLO metric against the varied value, the limit, the answer marked; with a vary section),
//           answer.txt (the paragraph printed on stdout), scenario.json (the resolved scenario).
//   whatif: whatif.csv (one row per variant × measure), charts/whatif (one chart: a panel per SLO and
//           the host's CPU headroom, variants side by side with 95% CIs), scenario.json.
// --quick (both commands) runs the file's quick section instead of its run fields (load.ts
// quickScenario: shorter windows, fewer replications, a narrower vary range), before any --set; the
// default folder then ends in -quick.
// Bad input (the file, a --set, the folder) is one line naming the path and the rule, exit 2, nothing
// written. Units: ms, per s, MB/s, pages per s, fractions (see src/scenario/evaluate.ts).
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { writeCharts } from '../../charts/write.js';
import { xyChart, type XYPoint } from '../../charts/xy.js';
import { baseSpec } from '../../charts/specBase.js';
import { categoryScale, CI_FORMAT, VALUE_FORMAT } from '../../charts/theme.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { ExitCode, RunError, UsageError } from '../../runner/errors.js';
import { csvNumber, csvText } from '../../runner/format.js';
import { buildPlan } from '../../runner/plan.js';
import { ProgressMode } from '../../runner/progress.js';
import type { ChartSpec } from '../../runner/study.js';
import { runSweep, SweepStatus } from '../../runner/sweep.js';
import { hvsimVersion } from '../../runner/version.js';
import { decide, resultLine, sloValues, verdicts, type PointVerdict, type SloResult } from '../../scenario/evaluate.js';
import { goalSeek } from '../../scenario/goal-seek.js';
import { applySet, checkScenario, loadScenario, parsePath, quickScenario, setPath } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { scenarioNotes } from '../../scenario/run.js';
import { SCENARIO_REGISTRY_URL, scenarioParam, scenarioStudy } from '../../scenario/study.js';
import type { Io } from '../io.js';
import { textTable } from '../text-table.js';
import { collect } from '../study-options.js';

/** The marker of a folder written by plan or whatif. */
export const SCENARIO_MARKER = '.hvsim-scenario';

export interface ScenarioCommandOptions {
  readonly out?: string;
  readonly set: string[];
  readonly jobs?: string;
  readonly progress: ProgressMode;
  readonly quiet: boolean;
  /** Run the scenario's quick section (a run of seconds): load.ts quickScenario. */
  readonly quick?: boolean;
}

function parseJobs(text: string | undefined): number {
  const cores = availableParallelism();
  if (text === undefined) return cores;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > cores)
    throw new UsageError(
      `--jobs: must be an integer from 1 to ${cores} (the cores available), got ${JSON.stringify(text)}`,
    );
  return n;
}

/** Makes sure `dir` may be written (new, empty, or a plan/whatif folder); writes nothing. */
function checkOutDir(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new UsageError(`--out ${dir}: cannot be listed (${code ?? 'error'}); give a new or empty folder`);
  }
  if (names.length > 0 && !names.includes(SCENARIO_MARKER)) {
    throw new UsageError(
      `--out ${dir}: is not empty and not a folder written by hvsim plan or whatif (no ${SCENARIO_MARKER}); give a new or empty folder`,
    );
  }
}

function claimOutDir(dir: string, s: Scenario, command: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(
      `--out ${dir}: cannot be created (${(err as NodeJS.ErrnoException).code ?? 'error'}); give a new or empty folder`,
    );
  }
  const marker = join(dir, SCENARIO_MARKER);
  if (!existsSync(marker))
    writeFileAtomic(marker, `${JSON.stringify({ note: `written by hvsim ${command}`, scenario: s.name }, null, 2)}\n`);
}

interface Evaluation {
  readonly verdict: PointVerdict;
  readonly dir: string;
  readonly headroom: SloResult;
}

/** Runs one resolved scenario's replications into `dir` and decides its SLOs. */
async function evaluateScenario(
  s: Scenario,
  variant: string,
  dir: string,
  opts: ScenarioCommandOptions,
  io: Io,
  argv: readonly string[],
): Promise<Evaluation> {
  const plan = buildPlan(scenarioStudy, {
    points: [{ variant, scenario: scenarioParam(s) }],
    replications: s.run.replications,
    masterSeed: s.run.seed,
    quick: false,
    hvsimVersion: hvsimVersion(),
  });
  const outcome = await runSweep({
    study: scenarioStudy,
    plan,
    baseParams: {},
    jobs: parseJobs(opts.jobs),
    outDir: dir,
    progress: opts.quiet ? ProgressMode.none : opts.progress,
    command: argv,
    log: (line) => {
      if (!opts.quiet) io.err(line);
    },
    registry: SCENARIO_REGISTRY_URL,
  });
  if (outcome.status !== SweepStatus.complete || outcome.data === undefined) {
    throw new StopError(outcome.exitCode);
  }
  const verdict = verdicts(outcome.data, s.slos)[0];
  if (verdict === undefined) throw new RunError(`${dir}: no runs to decide`);
  // Host headroom is always reported (also without an SLO on it): its values, decided against no limit.
  const noLimit = { metric: 'cpuHeadroom', min: Number.MIN_VALUE } as const;
  return { verdict, dir, headroom: decide(noLimit, sloValues(outcome.data, 0, noLimit)) };
}

/** A sweep that stopped (interrupted or failed): its message is already printed. */
class StopError extends Error {
  constructor(readonly exitCode: ExitCode) {
    super(`stopped with exit code ${exitCode}`);
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : 'n/a';
}

/** The file, made quick with --quick, then each --set applied (so a --set wins over the quick section). */
function resolveScenario(file: string, sets: readonly string[], quick = false): Scenario {
  let s = loadScenario(file);
  if (quick) s = quickScenario(s, file);
  for (const a of sets) s = applySet(s, a);
  return s;
}

// ---- plan ----

function sloCsv(rows: readonly { value: string; r: SloResult }[]): string {
  const header = ['value', 'slo', 'limit', 'mean', 'ciLow', 'ciHigh', 'n', 'missing', 'holds'];
  const lines = rows.map(({ value, r }) =>
    [
      csvText(value),
      csvText(r.label),
      csvNumber(r.limit),
      csvNumber(r.mean),
      csvNumber(r.lo),
      csvNumber(r.hi),
      String(r.n),
      String(r.missing),
      String(r.holds),
    ]
      .map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

function goalSeekCharts(
  s: Scenario,
  evaluated: readonly { value: number; evaluation: Evaluation }[],
  answer: number | null,
): ChartSpec[] {
  const vary = s.vary;
  if (vary === undefined) return [];
  const sorted = [...evaluated].sort((a, b) => a.value - b.value);
  return s.slos.map((slo, i) => {
    const first = sorted[0]?.evaluation.verdict.slos[i];
    const metric = first?.metricLabel ?? `SLO ${i}`;
    const points: XYPoint[] = [];
    sorted.forEach(({ value, evaluation }, order) => {
      const r = evaluation.verdict.slos[i];
      if (r === undefined) return;
      points.push({
        series: 'simulated (95% CI)',
        x: value,
        y: r.mean,
        lo: r.lo,
        hi: r.hi,
        order,
        label: r.holds ? 'holds' : 'fails',
        n: r.n,
      });
      points.push({ series: 'SLO limit', x: value, y: r.limit, lo: r.limit, hi: r.limit, order, label: 'limit', n: 0 });
    });
    const ys = points.filter((p) => Number.isFinite(p.y)).map((p) => p.y);
    const log = ys.length > 0 && Math.min(...ys) > 0 && Math.max(...ys) / Math.min(...ys) > 50;
    return xyChart({
      id: `goal-seek-${i}`,
      title: `${s.name}: ${metric} against ${vary.path}`,
      subtitle: `${first?.label ?? ''}; a value passes when the whole 95% CI meets the SLO; every evaluated value shown`,
      points,
      seriesTitle: 'series',
      xTitle: vary.path,
      yTitle: metric,
      xScale: 'linear',
      yScale: log ? 'log' : 'linear',
      ...(answer === null ? {} : { rule: { x: answer, label: `answer: ${answer}` } }),
    });
  });
}

function describeHost(s: Scenario): string {
  const cpus = s.host.cpus === 1 ? '1 CPU' : `${s.host.cpus} CPUs`;
  return `${cpus} and the ${s.hypervisor.scheduler} scheduler`;
}

/** " Hypothetical: …" (scenario/run.ts scenarioNotes), or '' when the scenario needs no note. */
function notesText(s: Scenario): string {
  return scenarioNotes(s)
    .map((n) => ` ${n}`)
    .join('');
}

function method(s: Scenario): string {
  return `deciding on the 95% confidence interval over ${s.run.replications} replications of ${fmt(s.run.lengthMs / 1000)} s windows (after ${fmt(s.run.warmupMs / 1000)} s of warm-up), not on the mean alone`;
}

/** "p99 response time of web 67.19 ms (95% CI 57.35 to 77.02 ms, holds)". */
function sloSummary(v: PointVerdict): string {
  return v.slos
    .map((r) => {
      const unit = /\((.*)\)$/.exec(r.metricLabel)?.[1];
      const u = unit === undefined ? '' : unit.startsWith('/') ? unit : ` ${unit}`;
      const name = r.metricLabel.replace(/ \(.*\)$/, '');
      return `${name} ${fmt(r.mean)}${u} (95% CI ${fmt(r.lo)} to ${fmt(r.hi)}${u}, ${r.holds ? 'holds' : 'fails'})`;
    })
    .join('; ');
}

export async function planCommand(
  file: string,
  opts: ScenarioCommandOptions,
  io: Io,
  argv: readonly string[],
): Promise<ExitCode> {
  const s = resolveScenario(file, opts.set, opts.quick === true);
  parseJobs(opts.jobs);
  const out = opts.out ?? join('results', `scenario-${s.name}${opts.quick === true ? '-quick' : ''}`);
  checkOutDir(out);
  try {
    if (s.vary === undefined) return await planOnce(s, out, opts, io, argv);
    return await planSeek(s, out, opts, io, argv);
  } catch (err) {
    if (err instanceof StopError) return err.exitCode;
    throw err;
  }
}

async function planOnce(
  s: Scenario,
  out: string,
  opts: ScenarioCommandOptions,
  io: Io,
  argv: readonly string[],
): Promise<ExitCode> {
  claimOutDir(out, s, 'plan');
  writeFileAtomic(join(out, 'scenario.json'), `${JSON.stringify(s, null, 2)}\n`);
  const { verdict } = await evaluateScenario(s, 'base', join(out, 'base'), opts, io, argv);
  writeFileAtomic(join(out, 'slos.csv'), sloCsv(verdict.slos.map((r) => ({ value: 'base', r }))));
  const lines = verdict.slos.map(resultLine);
  const verdictText =
    verdict.slos.length === 0
      ? 'the scenario has no SLOs'
      : verdict.holds
        ? `every SLO holds (${verdict.slos.length} of ${verdict.slos.length})`
        : `${verdict.slos.filter((r) => !r.holds).length} of ${verdict.slos.length} SLOs fail`;
  const paragraph = `${s.name}: with ${describeHost(s)}, ${verdictText}, ${method(s)}.${verdict.slos.length > 0 ? ` ${sloSummary(verdict)}.` : ''}${notesText(s)}`;
  writeFileAtomic(join(out, 'answer.txt'), `${paragraph}\n`);
  for (const l of lines) io.out(l);
  io.out(paragraph);
  io.out(`written: ${out}/slos.csv, ${out}/answer.txt, ${out}/base/`);
  return ExitCode.ok;
}

async function planSeek(
  s: Scenario,
  out: string,
  opts: ScenarioCommandOptions,
  io: Io,
  argv: readonly string[],
): Promise<ExitCode> {
  const vary = s.vary as NonNullable<Scenario['vary']>;
  const segs = parsePath(vary.path);
  if (segs === null) throw new UsageError(`${vary.path}: not a path`);
  // every value of the range gives a valid scenario? checked for the ends by load.ts; check the rest before writing
  for (let v = vary.min; v <= vary.max; v += Math.max(1, Math.floor((vary.max - vary.min) / 64))) {
    checkScenario(setPath(s, segs, v), `vary ${vary.path}=${v}`);
  }
  claimOutDir(out, s, 'plan');
  writeFileAtomic(join(out, 'scenario.json'), `${JSON.stringify(s, null, 2)}\n`);
  const goal = vary.goal ?? 'largest';
  const result = await goalSeek({ min: vary.min, max: vary.max, goal }, async (value) => {
    const sv = checkScenario(setPath(s, segs, value), `vary ${vary.path}=${value}`);
    const evaluation = await evaluateScenario(sv, `${vary.path}=${value}`, join(out, `value-${value}`), opts, io, argv);
    if (!opts.quiet)
      io.err(`hvsim: ${vary.path} = ${value}: ${evaluation.verdict.holds ? 'every SLO holds' : 'an SLO fails'}`);
    return { holds: evaluation.verdict.holds, evaluation };
  });
  const sorted = [...result.evaluated].sort((a, b) => a.value - b.value);
  writeFileAtomic(
    join(out, 'slos.csv'),
    sloCsv(
      sorted.flatMap(({ value, evaluation }) => evaluation.verdict.slos.map((r) => ({ value: String(value), r }))),
    ),
  );
  await writeCharts(out, goalSeekCharts(s, result.evaluated, result.answer));

  const what = goal === 'largest' ? 'largest' : 'smallest';
  const at = (v: number | null): PointVerdict | undefined =>
    result.evaluated.find((e) => e.value === v)?.evaluation.verdict;
  const evaluatedList = sorted.map((e) => `${e.value} ${e.holds ? '✓' : '✗'}`).join(', ');
  const sloNames = s.slos.map((x) => decide(x, []).label).join(', ');
  let paragraph: string;
  if (result.answer === null) {
    paragraph =
      `${s.name}: with ${describeHost(s)}, no value of ${vary.path} in [${vary.min}, ${vary.max}] meets every SLO (${sloNames}): ` +
      `even ${goal === 'largest' ? vary.min : vary.max} fails (${sloSummary(at(result.firstFail) as PointVerdict)}), ${method(s)}.${notesText(s)}`;
  } else {
    const ans = at(result.answer) as PointVerdict;
    const bound = result.atRangeEnd ? ` (the end of the searched range: the limit lies beyond ${result.answer})` : '';
    const next =
      result.firstFail === null ? '' : ` At ${result.firstFail}: ${sloSummary(at(result.firstFail) as PointVerdict)}.`;
    paragraph =
      `${s.name}: with ${describeHost(s)}, the ${what} ${vary.path} that meets every SLO (${sloNames}) is ${result.answer}${bound}, ` +
      `${method(s)}. At ${result.answer}: ${sloSummary(ans)}.${next} Evaluated values (✓ holds, ✗ fails): ${evaluatedList}.${notesText(s)}`;
  }
  writeFileAtomic(join(out, 'answer.txt'), `${paragraph}\n`);
  io.out(paragraph);
  io.out(`written: ${out}/answer.txt, ${out}/slos.csv, ${out}/charts/goal-seek-*.svg, ${out}/value-*/`);
  return ExitCode.ok;
}

// ---- whatif ----

export interface Variant {
  readonly label: string;
  readonly scenario: Scenario;
}

/** The base and one variant per --set (several assignments in one --set, separated by spaces, make one variant). */
export function whatifVariants(file: string, sets: readonly string[], quick = false): Variant[] {
  const base = quick ? quickScenario(loadScenario(file), file) : loadScenario(file);
  const out: Variant[] = [{ label: 'base', scenario: base }];
  for (const group of sets) {
    const assignments = group
      .trim()
      .split(/\s+/)
      .filter((a) => a !== '');
    if (assignments.length === 0) throw new UsageError('--set: needs path=value, e.g. --set host.cpus=2');
    let s = base;
    for (const a of assignments) s = applySet(s, a);
    const label = assignments.join(' ');
    if (out.some((v) => v.label === label)) throw new UsageError(`--set ${label}: given twice`);
    out.push({ label, scenario: s });
  }
  return out;
}

export const WHATIF_COLUMNS = [
  'variant',
  'changes',
  'measure',
  'limit',
  'mean',
  'ciLow',
  'ciHigh',
  'n',
  'holds',
] as const;

interface WhatifRow {
  readonly variant: number;
  readonly changes: string;
  readonly r: SloResult;
  readonly isSlo: boolean;
}

function whatifCsv(rows: readonly WhatifRow[]): string {
  const cell = (c: string): string => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const lines = rows.map(({ variant, changes, r, isSlo }) =>
    [
      String(variant),
      csvText(changes),
      csvText(isSlo ? r.label : r.metricLabel),
      isSlo ? csvNumber(r.limit) : '',
      csvNumber(r.mean),
      csvNumber(r.lo),
      csvNumber(r.hi),
      String(r.n),
      isSlo ? String(r.holds) : '',
    ]
      .map(cell)
      .join(','),
  );
  return `${[WHATIF_COLUMNS.join(','), ...lines].join('\n')}\n`;
}

/**
 * One chart: a panel per measure (each SLO, and the host's CPU headroom when no SLO is on it), the
 * variants side by side in each as bars (mean over replications) with 95% CI error bars, the SLO limit
 * dashed; y scales independent per panel (the measures have different units).
 */
export function whatifChart(name: string, rows: readonly WhatifRow[]): ChartSpec {
  const measureOf = (r: WhatifRow): string => (r.isSlo ? r.r.label : r.r.metricLabel);
  const measures = [...new Set(rows.map(measureOf))];
  const variants = [...new Set(rows.map((r) => `${r.variant}: ${r.changes}`))];
  const values = rows.map((r) => ({
    measure: measureOf(r),
    variant: `${r.variant}: ${r.changes}`,
    y: Number.isFinite(r.r.mean) ? r.r.mean : null,
    lo: Number.isFinite(r.r.lo) ? r.r.lo : null,
    hi: Number.isFinite(r.r.hi) ? r.r.hi : null,
    // rows without an SLO draw an invisible rule at their mean (an empty field would give Vega an empty extent)
    limit: r.isSlo ? r.r.limit : Number.isFinite(r.r.mean) ? r.r.mean : 0,
    verdict: r.isSlo ? (r.r.holds ? 'holds' : 'fails') : 'no SLO',
    n: r.r.n,
  }));
  const verdictDomain = ['holds', 'fails', 'no SLO'].filter((v) => values.some((x) => x.verdict === v));
  const x = {
    field: 'variant',
    type: 'nominal',
    title: null,
    sort: variants,
    axis: { labelAngle: -30, labelLimit: 180, labelOverlap: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: 'mean (unit in the panel title)',
    scale: { zero: true },
    axis: { format: '~g' },
  };
  const {
    width: _w,
    height: _h,
    ...top
  } = baseSpec(
    `${name}: what if …`,
    'one panel per measure; bars: mean over replications, error bars: 95% CI; dashed: the SLO limit',
  );
  const spec = {
    ...top,
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: measures, header: { labelLimit: 320 } } },
    spec: {
      width: 240,
      height: 220,
      layer: [
        {
          mark: { type: 'bar', opacity: 0.85 },
          encoding: {
            x,
            y,
            color: {
              field: 'verdict',
              type: 'nominal',
              title: 'SLO',
              scale: categoryScale(verdictDomain),
              sort: verdictDomain,
            },
            tooltip: [
              { field: 'measure', type: 'nominal', title: 'measure' },
              { field: 'variant', type: 'nominal', title: 'variant' },
              { field: 'y', type: 'quantitative', title: 'mean', format: VALUE_FORMAT },
              { field: 'lo', type: 'quantitative', title: '95% CI low', format: CI_FORMAT },
              { field: 'hi', type: 'quantitative', title: '95% CI high', format: CI_FORMAT },
              { field: 'n', type: 'quantitative', title: 'replications' },
            ],
          },
        },
        {
          mark: { type: 'errorbar', ticks: true, thickness: 1.5, color: '#222222' },
          encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
        },
        {
          mark: { type: 'rule', color: '#333333', strokeDash: [6, 4], strokeWidth: 1.5 },
          encoding: {
            y: { field: 'limit', type: 'quantitative' },
            opacity: { condition: { test: "datum.verdict === 'no SLO'", value: 0 }, value: 1 },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
  return { id: 'whatif', title: `${name}: what if …`, spec };
}

export async function whatifCommand(
  file: string,
  opts: ScenarioCommandOptions,
  io: Io,
  argv: readonly string[],
): Promise<ExitCode> {
  const variants = whatifVariants(file, opts.set, opts.quick === true);
  parseJobs(opts.jobs);
  const base = variants[0] as Variant;
  const out = opts.out ?? join('results', `whatif-${base.scenario.name}${opts.quick === true ? '-quick' : ''}`);
  checkOutDir(out);
  if (base.scenario.vary !== undefined && !opts.quiet) {
    io.err(
      `hvsim: whatif runs each variant as written (${base.scenario.vary.path} = its value in the file); the vary section is for hvsim plan`,
    );
  }
  claimOutDir(out, base.scenario, 'whatif');
  writeFileAtomic(join(out, 'scenario.json'), `${JSON.stringify(base.scenario, null, 2)}\n`);
  const rows: WhatifRow[] = [];
  try {
    for (const [k, v] of variants.entries()) {
      const { verdict, headroom } = await evaluateScenario(
        v.scenario,
        v.label,
        join(out, `variant-${k}`),
        opts,
        io,
        argv,
      );
      for (const r of verdict.slos) rows.push({ variant: k, changes: v.label, r, isSlo: true });
      if (!v.scenario.slos.some((x) => x.metric === 'cpuHeadroom'))
        rows.push({ variant: k, changes: v.label, r: headroom, isSlo: false });
    }
  } catch (err) {
    if (err instanceof StopError) return err.exitCode;
    throw err;
  }
  writeFileAtomic(join(out, 'whatif.csv'), whatifCsv(rows));
  await writeCharts(out, [whatifChart(base.scenario.name, rows)]);
  const table = textTable(
    ['variant', 'changes', 'measure', 'mean', '95% CI', 'verdict'],
    rows.map((r) => [
      String(r.variant),
      r.changes,
      r.isSlo ? r.r.label : r.r.metricLabel,
      fmt(r.r.mean),
      `${fmt(r.r.lo)} to ${fmt(r.r.hi)}`,
      r.isSlo ? (r.r.holds ? 'holds' : 'fails') : '',
    ]),
  );
  for (const l of table) io.out(l);
  for (const [k, v] of variants.entries()) for (const n of scenarioNotes(v.scenario)) io.out(`variant ${k}: ${n}`);
  io.out(`written: ${out}/whatif.csv, ${out}/charts/whatif.svg, ${out}/variant-*/`);
  return ExitCode.ok;
}

// ---- registration ----

function scenarioOptions(cmd: Command, setHelp: string): Command {
  return cmd
    .option('--set <path=value>', setHelp, collect, [])
    .option(
      '--out <dir>',
      'output folder (new, empty, or written by an earlier plan/whatif of the scenario; finished runs are reused)',
    )
    .option('--jobs <n>', `worker threads (1..${availableParallelism()}, the cores available; default all)`)
    .addOption(
      new Option('--progress <mode>', 'progress display')
        .choices(Object.values(ProgressMode))
        .default(ProgressMode.auto),
    )
    .option('-q, --quiet', 'print only the answer and errors', false)
    .option(
      '--quick',
      "a run of seconds to try the file: the scenario's quick section (default: window min(lengthMs, 1000) ms, warm-up min(warmupMs, 100) ms, 2 replications)",
      false,
    );
}

/** Adds `plan` and `whatif` to the program. */
export function registerScenarioCommands(
  program: Command,
  io: Io,
  setExit: (code: ExitCode) => void,
  argv: readonly string[],
): void {
  scenarioOptions(
    program
      .command('plan')
      .description(
        'evaluate a scenario file (YAML or JSON, schema/scenario.schema.json): run its replications and say whether each SLO holds ' +
          'on its 95% CI; with a vary section, goal-seek the largest (or smallest) value meeting every SLO and chart it',
      )
      .argument('<scenario>', 'scenario file (.yaml, .yml or .json)'),
    'change a field before planning, e.g. host.cpus=2 (repeatable)',
  ).action(async (file: string, opts: ScenarioCommandOptions) => {
    setExit(await planCommand(file, opts, io, argv));
  });
  scenarioOptions(
    program
      .command('whatif')
      .description(
        'compare variants of a scenario side by side (one table, whatif.csv, and one chart per SLO): the base and one variant per --set',
      )
      .argument('<scenario>', 'scenario file (.yaml, .yml or .json)'),
    'a variant: path=value, several separated by spaces for one variant, e.g. --set host.cpus=2 --set "hypervisor.scheduler=credit host.cpus=2"',
  ).action(async (file: string, opts: ScenarioCommandOptions) => {
    setExit(await whatifCommand(file, opts, io, argv));
  });
}

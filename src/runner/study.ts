// The typed definition of a study (an experiment): parameters with defaults, ranges and units, the
// grid of points to run, replications, run length, the measures each run reports, and its charts.
// Every study in experiments/ exports one `Study`; the runner (src/runner) expands, runs and writes
// it, the chart builders (src/charts) turn its tidy results into Vega-Lite specs.
// Times are integer nanoseconds (see src/sim/time.ts).
//
// Conventions the runner relies on:
// - Warm-up and run length are ordinary parameters named `warmupNs` and `runLengthNs` (unit 'ns'), so
//   they can be swept and overridden like any other (`--set runLengthNs=20s`).
// - `run` is a pure function of (params, ctx.seed, ctx.quick): no wall-clock time, no Math.random, no
//   shared mutable state between runs (it is called in worker threads, in any order).
// - Point and replication indices are 0-based; the point index is the position in the expanded grid.
//
// Extensions after the first version (all optional, compatible): `version`, `quickParams`, `tables`,
// `consoleTable`, `reportSummary`, `check`, `calibrationNote`, `sweepTables` on Study.
//
// Typed studies: `defineStudy` takes the same fields with `run(p, ctx)`, `check(p)` and `calibrationNote(p)` receiving the
// parameters typed from their declarations (`kind: 'int'` → number, `kind: 'enum', values: ['a', 'b']`
// → 'a' | 'b'); grid axes and quick parameters may only name declared parameters. It returns the erased
// `Study` the runner consumes. A study registry is a module whose `studies` export lists studies
// (StudyRegistryModule); the runner's worker threads load studies from it by URL.

/** The closed set of parameter kinds. */
export const ParamKind = {
  int: 'int',
  float: 'float',
  bool: 'bool',
  enum: 'enum',
  string: 'string',
} as const;
export type ParamKind = (typeof ParamKind)[keyof typeof ParamKind];

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

export interface ParamSpec {
  readonly kind: ParamKind;
  readonly default: ParamValue;
  /** Inclusive bounds for int and float parameters. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for enum parameters. */
  readonly values?: readonly (string | number)[];
  /** Unit shown in `hvsim describe` and chart axes ('ns', 'ms', 'packets', '' for none). */
  readonly unit: string;
  /** One line of documentation. */
  readonly doc: string;
}

export interface MeasureSpec {
  readonly unit: string;
  readonly doc: string;
}

/** Documentation of an auxiliary table a run may emit (for `hvsim describe`). */
export interface TableSpec {
  readonly doc: string;
  /** Column name → one line (with the unit). The runner prepends point, parameters and replication. */
  readonly columns: Readonly<Record<string, string>>;
}

/** A small text table the CLI prints after `hvsim run` (e.g. simulated vs analytic). */
export interface ConsoleTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Lines printed after the table (e.g. "analytic value inside the 95% CI at 10/10 loads"). */
  readonly notes?: readonly string[];
}

/** Which points of the parameter space a study runs. Parameters not named take their defaults. */
export type Grid =
  | { readonly kind: 'cartesian'; readonly axes: Readonly<Record<string, readonly ParamValue[]>> }
  | { readonly kind: 'zip'; readonly axes: Readonly<Record<string, readonly ParamValue[]>> }
  | { readonly kind: 'list'; readonly points: readonly Params[] };

export interface RunContext {
  /** Seed string derived from (master seed, study, point, replication); feed it to RandomStreams. */
  readonly seed: string;
  readonly replication: number;
  /** True under --quick: studies may shorten run length for smoke runs. */
  readonly quick: boolean;
}

/** A row of an auxiliary table a run may emit (CDF points, time series, per-entity values). */
export type TableRow = Record<string, number | string>;

export interface RunResult {
  /** One number per declared measure (the same keys as Study.measures). */
  readonly measures: Record<string, number>;
  /** Simulated events processed by the run (for the manifest and events/s on the progress line). */
  readonly events: number;
  /** Optional auxiliary tables, written to tables/<name>.csv with the run's parameters prepended. */
  readonly tables?: Record<string, readonly TableRow[]>;
}

/**
 * One run: the point's parameters, replication, seed, measures, events, wall time. runs.csv holds all
 * of it except `wallMs`, which varies from run to run and goes to timing.csv (runs.csv is byte-identical
 * across job counts and shards).
 */
export interface RunRow {
  readonly point: number;
  readonly replication: number;
  readonly seed: string;
  readonly params: Params;
  readonly measures: Record<string, number>;
  readonly events: number;
  readonly wallMs: number;
}

/**
 * One row of summary.csv: per point and measure, across replications. Measures that are not finite
 * in some replication (NaN: nothing observed) are left out of that measure's n.
 */
export interface SummaryRow {
  readonly point: number;
  readonly params: Params;
  readonly measure: string;
  readonly mean: number;
  readonly sd: number;
  /** Student-t 95% confidence half-width (0 when n < 2). */
  readonly halfWidth: number;
  readonly n: number;
}

/** Everything a study's charts are built from. */
export interface StudyData {
  readonly runs: readonly RunRow[];
  readonly summary: readonly SummaryRow[];
  readonly tables: Readonly<Record<string, readonly TableRow[]>>;
}

/** A Vega-Lite spec with an id (file name stem) and a title. The spec is plain JSON. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly spec: Record<string, unknown>;
}

export interface Study {
  /** Lower-case words joined by '-': the command-line name and the default output folder. */
  readonly name: string;
  /**
   * Model revision (default 1). Part of every run's configuration hash: bump it when the model code
   * changes what a run computes, so a resumed sweep does not reuse results of the old model.
   */
  readonly version?: number;
  /** One line for `hvsim list`. */
  readonly description: string;
  /** Longer text for `hvsim describe`, including what the columns of its CSVs mean. */
  readonly details: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly grid: Grid;
  /** A smaller grid for --quick (defaults to `grid`). */
  readonly quickGrid?: Grid;
  readonly replications: number;
  readonly quickReplications?: number;
  /** Parameter defaults replaced under --quick (e.g. a shorter runLengthNs); --set still wins. */
  readonly quickParams?: Readonly<Params>;
  readonly measures: Readonly<Record<string, MeasureSpec>>;
  /** The auxiliary tables runs emit (documentation only; optional). */
  readonly tables?: Readonly<Record<string, TableSpec>>;
  /** Runs one replication of one point. Must be deterministic in (params, ctx.seed). */
  run(params: Params, ctx: RunContext): RunResult;
  /** Builds the study's charts from its results. */
  charts(data: StudyData): ChartSpec[];
  /**
   * Optional tables computed from the whole sweep (e.g. a figure's series normalised across points),
   * written to tables/<name>.csv with exactly the rows' columns (first-seen order; nothing prepended)
   * when the sweep is complete, by run and merge alike. A name must not be one of the runs' tables.
   */
  sweepTables?(data: StudyData): Record<string, readonly TableRow[]>;
  /** Optional table printed by `hvsim run` when the sweep is complete. */
  consoleTable?(data: StudyData): ConsoleTable;
  /** Optional key findings shown at the top of report.html (one sentence each). */
  reportSummary?(data: StudyData): string[];
  /**
   * Optional cross-parameter check, called for every point when the sweep is planned (before anything
   * runs or is written): a one-line reason when the combination is invalid (e.g. "k (64) exceeds
   * ringSizeEntries (32)"), undefined when it is fine. A point it rejects stops the command with exit 2;
   * a study made with defineStudy also applies it before every run.
   */
  readonly check?: (params: Params) => string | undefined;
  /**
   * Optional: a one-line reason when a point lies outside the range in which the model is calibrated
   * or its measures mean what the study says (e.g. a working set larger than the calibrated caches);
   * undefined when it is inside. The report lists such points next to the key results, so a number
   * from a degenerate setting is not read as a finding. It does not stop the run.
   */
  readonly calibrationNote?: (params: Params) => string | undefined;
}

// ---- typed studies ----

/** The value type of one parameter declaration. */
export type ParamValueOf<S> = S extends { readonly kind: 'int' | 'float' }
  ? number
  : S extends { readonly kind: 'bool' }
    ? boolean
    : S extends { readonly kind: 'enum'; readonly values: readonly (infer V)[] }
      ? V
      : S extends { readonly kind: 'string' }
        ? string
        : never;

/** The parameters of a study, typed from their declarations. */
export type ParamsOf<P> = { readonly [K in keyof P]: ParamValueOf<P[K]> };

/** A grid whose axes and points may name only the declared parameters. */
export type TypedGrid<P> =
  | { readonly kind: 'cartesian'; readonly axes: { readonly [K in keyof P]?: readonly ParamValueOf<P[K]>[] } }
  | { readonly kind: 'zip'; readonly axes: { readonly [K in keyof P]?: readonly ParamValueOf<P[K]>[] } }
  | { readonly kind: 'list'; readonly points: readonly { readonly [K in keyof P]?: ParamValueOf<P[K]> }[] };

/** A run's result whose measures are exactly the declared ones. */
export interface TypedRunResult<M> extends RunResult {
  readonly measures: Record<keyof M & string, number>;
}

/** What `defineStudy` takes: a Study whose parameter-facing members are typed from `params`. */
export interface StudyDefinition<
  P extends Readonly<Record<string, ParamSpec>>,
  M extends Readonly<Record<string, MeasureSpec>>,
> extends Omit<
  Study,
  'params' | 'grid' | 'quickGrid' | 'quickParams' | 'measures' | 'run' | 'check' | 'calibrationNote'
> {
  readonly params: P;
  readonly grid: TypedGrid<P>;
  readonly quickGrid?: TypedGrid<P>;
  readonly quickParams?: { readonly [K in keyof P]?: ParamValueOf<P[K]> };
  readonly measures: M;
  check?(p: ParamsOf<P>): string | undefined;
  calibrationNote?(p: ParamsOf<P>): string | undefined;
  run(p: ParamsOf<P>, ctx: RunContext): TypedRunResult<M>;
}

/**
 * A study with typed parameters: `run(p, ctx)` reads `p.k` (a number), `p.arrival` ('open' | 'closed');
 * a misspelt parameter name is a type error. Returns the erased `Study` the runner consumes (the runner
 * checks every point's parameters against the declarations before calling `run`); its `run` applies
 * `check` first and throws a RangeError with the check's message.
 */
export function defineStudy<
  const P extends Readonly<Record<string, ParamSpec>>,
  const M extends Readonly<Record<string, MeasureSpec>>,
>(def: StudyDefinition<P, M>): Study {
  const { run, check, calibrationNote, ...rest } = def;
  const study: Study = {
    ...(rest as Omit<Study, 'run' | 'check' | 'calibrationNote'>),
    run:
      check === undefined
        ? (params, ctx) => run(params as ParamsOf<P>, ctx)
        : (params, ctx) => {
            const problem = check(params as ParamsOf<P>);
            if (problem !== undefined) throw new RangeError(`${def.name}: ${problem}`);
            return run(params as ParamsOf<P>, ctx);
          },
  };
  return {
    ...study,
    ...(check === undefined ? {} : { check: (params: Params) => check(params as ParamsOf<P>) }),
    ...(calibrationNote === undefined
      ? {}
      : { calibrationNote: (params: Params) => calibrationNote(params as ParamsOf<P>) }),
  };
}

/** The shape of a study registry module: its `studies` export lists the studies, by unique name. */
export interface StudyRegistryModule {
  readonly studies: readonly Study[];
}

/** True when `mod` (an imported module namespace) is a study registry. */
export function isStudyRegistryModule(mod: unknown): mod is StudyRegistryModule {
  if (mod === null || typeof mod !== 'object') return false;
  const studies: unknown = (mod as Record<string, unknown>)['studies'];
  return (
    Array.isArray(studies) &&
    studies.every(
      (s) => s !== null && typeof s === 'object' && typeof (s as Record<string, unknown>)['name'] === 'string',
    )
  );
}

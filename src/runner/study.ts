// The typed definition of a study (an experiment): parameters with defaults, ranges and units, the
// grid of points to run, replications, run length, the measures each run reports, and its charts.
// Every study in experiments/ exports one `Study`; the runner (src/runner) expands, runs and writes
// it, the chart builders (src/charts) turn its tidy results into Vega-Lite specs.
// Times are integer nanoseconds (see src/sim/time.ts).

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

/** One row of runs.csv: the point's parameters, replication, seed, measures, events, wall time. */
export interface RunRow {
  readonly point: number;
  readonly replication: number;
  readonly seed: string;
  readonly params: Params;
  readonly measures: Record<string, number>;
  readonly events: number;
  readonly wallMs: number;
}

/** One row of summary.csv: per point and measure, across replications. */
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
  readonly name: string;
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
  readonly measures: Readonly<Record<string, MeasureSpec>>;
  /** Runs one replication of one point. Must be deterministic in (params, ctx.seed). */
  run(params: Params, ctx: RunContext): RunResult;
  /** Builds the study's charts from its results. */
  charts(data: StudyData): ChartSpec[];
}

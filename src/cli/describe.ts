// `hvsim describe <study>` and `hvsim list`: everything needed to run a study and read its outputs —
// parameters (kind, default with its unit, allowed range or values, doc), the grid, replications,
// --quick settings, measures, auxiliary tables, and the columns of every CSV file, with the number
// format. Text output fits a terminal: every line at most TERMINAL_WIDTH (100) columns, the study's
// notes re-wrapped (src/charts/notes.ts), times in ns/µs/ms/s (formatNs), and long grids summarised
// per parameter instead of listed point by point. `--json` gives the same content as one JSON
// document (fields: see StudyJson and ListJson below); its grids list every point.
import { notesAsText, wrapText } from '../charts/notes.js';
import { formatParamValue } from '../charts/units.js';
import { allowedPhrase } from '../runner/params.js';
import { gridPoints } from '../runner/grid.js';
import { DEFAULT_MASTER_SEED } from '../runner/plan.js';
import type { Grid, ParamKind, ParamSpec, ParamValue, Params, Study } from '../runner/study.js';
import { textTable } from './text-table.js';

/** Widest line `hvsim describe` and `hvsim list` print. */
export const TERMINAL_WIDTH = 100;
/** A parameter with more distinct grid values than this shows the first few, "…" and the last ones. */
const MAX_LISTED_VALUES = 12;

/** `hvsim list --json`: one entry per study, in registry order. */
export interface ListJson {
  readonly studies: readonly { readonly name: string; readonly version: number; readonly description: string }[];
}

/** A grid in `hvsim describe --json`: its kind, point count, and every point (parameters it sets). */
export interface GridJson {
  readonly kind: Grid['kind'];
  readonly pointCount: number;
  readonly points: readonly Params[];
}

/** `hvsim describe --json`. Times are integer ns, as --set and runs.csv take them. */
export interface StudyJson {
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly details: string;
  readonly params: Readonly<
    Record<
      string,
      {
        readonly kind: ParamKind;
        readonly default: ParamValue;
        readonly min?: number;
        readonly max?: number;
        readonly values?: readonly (string | number)[];
        readonly unit: string;
        readonly doc: string;
        /** The allowed values in words, as in the text output. */
        readonly allowed: string;
      }
    >
  >;
  readonly grid: GridJson;
  readonly replications: number;
  readonly masterSeed: number;
  readonly quick: { readonly grid: GridJson; readonly replications: number; readonly params: Readonly<Params> };
  readonly measures: Readonly<Record<string, { readonly unit: string; readonly doc: string }>>;
  readonly tables: Readonly<
    Record<string, { readonly doc: string; readonly columns: Readonly<Record<string, string>> }>
  >;
}

export function listJson(studies: readonly Study[]): ListJson {
  return { studies: studies.map((s) => ({ name: s.name, version: s.version ?? 1, description: s.description })) };
}

/** `hvsim list` as text: name and description, the description wrapped under itself. */
export function listText(studies: readonly Study[], width = TERMINAL_WIDTH): string[] {
  const nameWidth = Math.max(5, ...studies.map((s) => s.name.length));
  const indent = ' '.repeat(nameWidth + 2);
  const out = [`${'study'.padEnd(nameWidth)}  description`, `${'-'.repeat(nameWidth)}  ${'-'.repeat(11)}`];
  for (const s of studies) out.push(...wrapText(s.description, width, indent, `${s.name.padEnd(nameWidth)}  `));
  return out;
}

function gridJson(grid: Grid): GridJson {
  const points = gridPoints(grid);
  return { kind: grid.kind, pointCount: points.length, points };
}

export function describeJson(study: Study): StudyJson {
  const params: StudyJson['params'] = Object.fromEntries(
    Object.entries(study.params).map(([name, spec]) => [name, { ...spec, allowed: allowedPhrase(spec) }]),
  );
  return {
    name: study.name,
    version: study.version ?? 1,
    description: study.description,
    details: study.details,
    params,
    grid: gridJson(study.grid),
    replications: study.replications,
    masterSeed: DEFAULT_MASTER_SEED,
    quick: {
      grid: gridJson(study.quickGrid ?? study.grid),
      replications: study.quickReplications ?? study.replications,
      params: { ...(study.quickParams ?? {}) },
    },
    measures: Object.fromEntries(Object.entries(study.measures).map(([n, m]) => [n, { unit: m.unit, doc: m.doc }])),
    tables: Object.fromEntries(
      Object.entries(study.tables ?? {}).map(([n, t]) => [n, { doc: t.doc, columns: { ...t.columns } }]),
    ),
  };
}

/** One value of a parameter with its unit when the study declares the parameter. */
function valueOf(study: Study, name: string, v: ParamValue): string {
  const spec = study.params[name];
  return spec === undefined ? String(v) : formatParamValue(v, spec.unit);
}

/**
 * The distinct values of a parameter (numbers ascending), shortened to the first few and the last two;
 * `withCount`: followed by "(N values)" when shortened.
 */
export function valueSet(study: Study, name: string, given: readonly ParamValue[], withCount = true): string {
  const unit = study.params[name]?.unit ?? '';
  const values = given.every((v) => typeof v === 'number')
    ? [...given].sort((a, b) => (a as number) - (b as number))
    : given;
  const numeric = values.every((v) => typeof v === 'number');
  const one = (v: ParamValue): string => (unit === 'ns' || !numeric ? formatParamValue(v, unit) : String(v));
  const long = values.length > MAX_LISTED_VALUES;
  const items = long
    ? [...values.slice(0, MAX_LISTED_VALUES - 2).map(one), '…', ...values.slice(-2).map(one)]
    : values.map(one);
  const suffix = numeric && unit !== 'ns' && unit !== '' ? ` ${unit}` : '';
  return `{${items.join(', ')}${suffix}}${long && withCount ? ` (${values.length} values)` : ''}`;
}

/**
 * A grid in words: cartesian and zip grids by their axes; list grids by the values each parameter
 * takes (a list grid of many points would otherwise be one line of thousands of characters), with
 * the points themselves listed only when there are at most 4.
 */
export function describeGrid(grid: Grid, study: Study): string {
  switch (grid.kind) {
    case 'cartesian': {
      const axes = Object.entries(grid.axes);
      if (axes.length === 0) return 'one point (all defaults)';
      return `cartesian product (${gridPoints(grid).length} points): ${axes.map(([k, v]) => `${k} ∈ ${valueSet(study, k, v)}`).join(' × ')}`;
    }
    case 'zip':
      return `zipped (${gridPoints(grid).length} points): ${Object.entries(grid.axes)
        .map(([k, v]) => `${k} = ${valueSet(study, k, v)}`)
        .join(' with ')}`;
    case 'list': {
      const head = `${grid.points.length} listed point${grid.points.length === 1 ? '' : 's'}`;
      if (grid.points.length <= 4) {
        const pts = grid.points.map(
          (p) =>
            `{${Object.entries(p)
              .map(([k, v]) => `${k}=${valueOf(study, k, v)}`)
              .join(', ')}}`,
        );
        return `${head}: ${pts.join('; ')}`;
      }
      const names: string[] = [];
      for (const p of grid.points) for (const k of Object.keys(p)) if (!names.includes(k)) names.push(k);
      const sets = names.map((k) => {
        const vs: ParamValue[] = [];
        for (const p of grid.points) {
          const v = p[k];
          if (v !== undefined && !vs.includes(v)) vs.push(v);
        }
        return `${k} ∈ ${valueSet(study, k, vs)}`;
      });
      return `${head} (not all combinations), taking ${sets.join('; ')}`;
    }
  }
}

/** A block "label: text" wrapped to width, continuation lines indented by `indent`. */
function wrapped(text: string, width: number, indent = '    ', firstIndent = ''): string[] {
  return wrapText(text, width, indent, firstIndent);
}

/** Name-and-description entries: a table when it fits the width, else "name (unit)" then the doc below. */
function entries(rows: readonly { name: string; unit: string; doc: string }[], width: number): string[] {
  const table = textTable(
    ['name', 'unit', 'description'],
    rows.map((r) => [r.name, r.unit || '-', r.doc]),
  ).map((l) => `  ${l}`);
  if (table.every((l) => [...l].length <= width)) return table;
  return rows.flatMap((r) => [
    ...wrapped(`${r.name}${r.unit ? ` (${r.unit})` : ''}`, width, '    ', '  '),
    ...wrapped(r.doc, width, '      ', '      '),
  ]);
}

/** Per parameter: name, kind, default (with its unit), allowed values; the doc on the lines below. */
function paramLines(study: Study, width: number): string[] {
  const nameWidth = Math.max(...Object.keys(study.params).map((n) => n.length));
  return Object.entries(study.params).flatMap(([name, spec]: [string, ParamSpec]) => {
    const prefix = `  ${name.padEnd(nameWidth)}  ${spec.kind.padEnd(6)} `;
    const rest = `default ${formatParamValue(spec.default, spec.unit)}; ${allowedPhrase(spec)}`;
    return [
      ...wrapped(rest, width, ' '.repeat(prefix.length), prefix),
      ...wrapped(spec.doc, width, '      ', '      '),
    ];
  });
}

export function describeStudy(study: Study, width = TERMINAL_WIDTH): string[] {
  const paramNames = Object.keys(study.params);
  const measureNames = Object.keys(study.measures);
  const out: string[] = [];
  out.push(...wrapped(`${study.name} (version ${study.version ?? 1}): ${study.description}`, width, '  '), '');
  out.push(...notesAsText(study.details, width), '');
  out.push('Parameters (set with --set key=value, sweep with --grid key=v1,v2,...; times as 500us, 2ms, 10s):');
  out.push(...paramLines(study, width));
  out.push('');
  out.push(...wrapped(`Grid: ${describeGrid(study.grid, study)}`, width));
  out.push(`Replications: ${study.replications}; master seed ${DEFAULT_MASTER_SEED} unless --seed`);
  const quickParams = Object.entries(study.quickParams ?? {});
  out.push(
    ...wrapped(
      `--quick: grid ${study.quickGrid ? describeGrid(study.quickGrid, study) : 'as above'}; ` +
        `${study.quickReplications ?? study.replications} replications` +
        (quickParams.length > 0 ? `; ${quickParams.map(([k, v]) => `${k}=${valueOf(study, k, v)}`).join(', ')}` : ''),
      width,
    ),
  );
  out.push('');
  out.push('Measures (one number per run):');
  out.push(
    ...entries(
      Object.entries(study.measures).map(([name, m]) => ({ name, unit: m.unit, doc: m.doc })),
      width,
    ),
  );
  const tables = Object.entries(study.tables ?? {});
  if (tables.length > 0) {
    out.push('', 'Tables (tables/<name>.csv):');
    for (const [name, t] of tables) {
      out.push(...wrapped(`${name}: ${t.doc}`, width, '    ', '  '));
      for (const [c, doc] of Object.entries(t.columns)) out.push(...wrapped(`${c}: ${doc}`, width, '      ', '    '));
    }
  }
  const col = ' '.repeat(16);
  const cols = (text: string): string[] => wrapped(text, width, col, col);
  out.push(
    '',
    'Output folder (results/<study>/, or results/<study>-quick/ with --quick, unless --out):',
    `  runs.csv      one row per run, by point then replication:`,
    ...cols(`point, ${paramNames.join(', ')}, replication, seed, ${measureNames.join(', ')}, events`),
    `                (point and replication are 0-based; seed = deriveSeed(master seed, study, point,`,
    `                replication); events = simulated events processed by the run)`,
    `  summary.csv   one row per point and measure:`,
    ...cols(`point, ${paramNames.join(', ')}, measure, unit, n, mean, sd, ciHalfWidth, ciLo, ciHi`),
    `                (Student-t 95% CI across replications; n counts finite values)`,
    `  tables/<name>.csv  rows of the runs' auxiliary tables:`,
    ...cols(`point, ${paramNames.join(', ')}, replication, <columns>`),
    ...wrapped(
      'point, replication, seed, wallMs, events, eventsPerSecond: wall-clock cost per run. Wall time varies ' +
        'between runs, so it is kept out of runs.csv, which is byte-identical for any --jobs and for merged ' +
        'shards (as are summary.csv and tables/).',
      width,
      col,
      '  timing.csv    ',
    ),
    `  manifest.json hvsim version, git commit, Node version, command, study, parameters, points, seeds,`,
    `                totals (runs, executed, reused, events, wall time), start and end times`,
    `  runs/<point>-<replication>.json  one file per finished run (resume reuses it if its configuration`,
    `                hash matches)`,
    `  charts/<id>.vl.json|.svg|.png, report.html  charts and the self-contained HTML report`,
    '',
    'Numbers in CSV files: shortest round-trip decimal (JavaScript String(x)), e.g. 0.1, 1e-7, 123456789;',
    'they parse back to exactly the computed doubles. NaN marks a measure with nothing observed.',
  );
  return out;
}

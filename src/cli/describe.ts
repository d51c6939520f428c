// `hvsim describe <study>`: everything needed to run a study and read its outputs — parameters
// (kind, default, allowed range or values, unit, doc), the grid, replications, --quick settings,
// measures, auxiliary tables, and the columns of every CSV file, with the number format.
import { formatNs } from '../sim/time.js';
import { allowedPhrase } from '../runner/params.js';
import { gridPoints } from '../runner/grid.js';
import { DEFAULT_MASTER_SEED } from '../runner/plan.js';
import type { Grid, ParamValue, Study } from '../runner/study.js';
import { textTable } from './text-table.js';

function values(vs: readonly ParamValue[]): string {
  return vs.map(String).join(', ');
}

export function describeGrid(grid: Grid): string {
  switch (grid.kind) {
    case 'cartesian': {
      const axes = Object.entries(grid.axes);
      if (axes.length === 0) return 'one point (all defaults)';
      return `cartesian product (${gridPoints(grid).length} points): ${axes.map(([k, v]) => `${k} ∈ {${values(v)}}`).join(' × ')}`;
    }
    case 'zip':
      return `zipped (${gridPoints(grid).length} points): ${Object.entries(grid.axes).map(([k, v]) => `${k} = [${values(v)}]`).join(' with ')}`;
    case 'list':
      return `${grid.points.length} listed points: ${grid.points.map((p) => `{${Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(', ')}}`).join('; ')}`;
  }
}

export function describeStudy(study: Study): string[] {
  const paramNames = Object.keys(study.params);
  const measureNames = Object.keys(study.measures);
  const out: string[] = [];
  out.push(`${study.name} (version ${study.version ?? 1}): ${study.description}`, '');
  out.push(...study.details.split('\n'), '');
  out.push('Parameters (override with --set key=value, sweep with --grid key=v1,v2,...):');
  out.push(
    ...textTable(
      ['name', 'kind', 'default', 'allowed', 'unit', 'description'],
      Object.entries(study.params).map(([name, spec]) => [
        name,
        spec.kind,
        spec.unit === 'ns' && typeof spec.default === 'number' ? `${spec.default} (${formatNs(spec.default)})` : String(spec.default),
        allowedPhrase(spec),
        spec.unit || '-', spec.doc]),
    ).map((l) => `  ${l}`),
  );
  out.push('');
  out.push(`Grid: ${describeGrid(study.grid)}`);
  out.push(`Replications: ${study.replications}; master seed ${DEFAULT_MASTER_SEED} unless --seed`);
  const quickParams = Object.entries(study.quickParams ?? {});
  out.push(
    `--quick: grid ${study.quickGrid ? describeGrid(study.quickGrid) : 'as above'}; ${study.quickReplications ?? study.replications} replications` +
      (quickParams.length > 0 ? `; ${quickParams.map(([k, v]) => `${k}=${String(v)}`).join(', ')}` : ''),
  );
  out.push('');
  out.push('Measures (one number per run):');
  out.push(...textTable(['name', 'unit', 'description'], Object.entries(study.measures).map(([n, m]) => [n, m.unit || '-', m.doc])).map((l) => `  ${l}`));
  const tables = Object.entries(study.tables ?? {});
  if (tables.length > 0) {
    out.push('', 'Tables (tables/<name>.csv):');
    for (const [name, t] of tables) {
      out.push(`  ${name}: ${t.doc}`);
      for (const [c, doc] of Object.entries(t.columns)) out.push(`    ${c}: ${doc}`);
    }
  }
  out.push(
    '',
    'Output folder (results/<study>/, or results/<study>-quick/ with --quick, unless --out):',
    `  runs.csv      one row per run, by point then replication:`,
    `                point, ${paramNames.join(', ')}, replication, seed, ${measureNames.join(', ')}, events`,
    `                (point and replication are 0-based; seed = deriveSeed(master seed, study, point, replication);`,
    `                events = simulated events processed by the run)`,
    `  summary.csv   one row per point and measure: point, ${paramNames.join(', ')}, measure, unit, n, mean, sd,`,
    `                ciHalfWidth, ciLo, ciHi (Student-t 95% CI across replications; n counts finite values)`,
    `  tables/<name>.csv  rows of the runs' auxiliary tables: point, ${paramNames.join(', ')}, replication, <columns>`,
    `  timing.csv    point, replication, seed, wallMs, events, eventsPerSecond: wall-clock cost per run. Wall time`,
    `                varies between runs, so it is kept out of runs.csv, which is byte-identical for any --jobs and`,
    `                for merged shards (as are summary.csv and tables/).`,
    `  manifest.json hvsim version, git commit, Node version, command, study, parameters, points, seeds,`,
    `                totals (runs, executed, reused, events, wall time), start and end times`,
    `  runs/<point>-<replication>.json  one file per finished run (resume reuses it if its configuration hash matches)`,
    `  charts/<id>.vl.json|.svg|.png, report.html  charts and the self-contained HTML report`,
    '',
    'Numbers in CSV files: shortest round-trip decimal (JavaScript String(x)), e.g. 0.1, 1e-7, 123456789;',
    'they parse back to exactly the computed doubles. NaN marks a measure with nothing observed.',
  );
  return out;
}

// Every notebook in notebooks/ runs headless with the repo's Deno kernel (jupyter/kernels/deno) and
// must finish without a cell error and with its expected outputs. Runner: run_notebook.py (nbclient,
// reading a cell's late outputs after Deno's early "idle"). Needs /usr/bin/python3 with Debian's
// python3-nbclient jupyter-client jupyter-core, and node_modules/.bin/deno (devDependency `deno`);
// without them the executions are skipped with a warning. ~4 s per execution.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { eventBatching } from '../../experiments/event-batching/index.js';
import { validateSpec } from '../../src/charts/validate.js';
import { baseParams } from '../../src/runner/params.js';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const NOTEBOOKS = join(REPO, 'notebooks');
const RUNNER = join(REPO, 'test/notebooks/run_notebook.py');
const FIXTURE_RESULTS = join(REPO, 'test/notebooks/fixtures/event-batching-quick');
const PYTHON = process.env['HVSIM_NOTEBOOK_PYTHON'] ?? '/usr/bin/python3';
const DENO = join(REPO, 'node_modules/.bin/deno');
const VEGALITE = 'application/vnd.vegalite.v5+json';

function missing(): string | undefined {
  if (!existsSync(DENO)) return `${DENO} is missing (run \`npm ci\`: devDependency deno)`;
  const probe = spawnSync(PYTHON, ['-c', 'import nbclient, nbformat, jupyter_client, jupyter_core'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) {
    return `${PYTHON} cannot import nbclient/jupyter_client (as root: apt-get install -y python3-nbclient jupyter-client jupyter-core)`;
  }
  return undefined;
}
const why = missing();
if (why !== undefined) console.warn(`\n*** notebook tests SKIPPED: ${why} ***\n`);

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  outputs?: Output[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string } };
}

const join_ = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : (t ?? ''));
/** All outputs as text: streams, text/plain and text/markdown of display data and results. */
function outputText(nb: Notebook): string {
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .map(
      (o) =>
        join_(o.text) +
        join_(o.data?.['text/plain'] as string | string[] | undefined) +
        '\n' +
        join_(o.data?.['text/markdown'] as string | string[] | undefined),
    )
    .join('\n');
}
const bundles = (nb: Notebook, mime: string): unknown[] =>
  nb.cells.flatMap((c) => c.outputs ?? []).flatMap((o) => (o.data?.[mime] === undefined ? [] : [o.data[mime]]));

const tmp = mkdtempSync(join(tmpdir(), 'hvsim-notebooks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function execute(name: string, env: Record<string, string> = {}): Promise<Notebook> {
  const out = join(tmp, `${Object.keys(env).length}-${name}`);
  try {
    await run(PYTHON, [RUNNER, join(NOTEBOOKS, name), out], {
      cwd: REPO,
      env: { ...process.env, JUPYTER_PATH: join(REPO, 'jupyter'), NO_COLOR: '1', ...env },
      timeout: 90_000,
      maxBuffer: 16 << 20,
    });
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string };
    throw new Error(`executing notebooks/${name} failed (exit ${String(e.code)}):\n${e.stderr ?? String(err)}`);
  }
  const nb = JSON.parse(readFileSync(out, 'utf8')) as Notebook;
  const errors = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === 'error');
  expect(errors.map((o) => `${o.ename}: ${o.evalue}`)).toEqual([]);
  expect(nb.cells.filter((c) => c.cell_type === 'code').every((c) => typeof c.execution_count === 'number')).toBe(true);
  return nb;
}

const names = readdirSync(NOTEBOOKS)
  .filter((f) => f.endsWith('.ipynb'))
  .sort();

describe('notebooks', () => {
  it('are committed without outputs, for the repo kernel', () => {
    expect(names).toContain('event-batching.ipynb');
    for (const name of names) {
      const nb = JSON.parse(readFileSync(join(NOTEBOOKS, name), 'utf8')) as Notebook;
      expect(nb.metadata.kernelspec?.name, name).toBe('deno');
      for (const c of nb.cells.filter((cell) => cell.cell_type === 'code')) {
        expect(c.outputs, name).toEqual([]);
        expect(c.execution_count, name).toBeNull();
      }
    }
    expect(existsSync(join(REPO, 'jupyter/kernels/deno/kernel.json'))).toBe(true);
  });

  it('include a study-results explorer and a model sweep', () => {
    expect(names).toEqual(expect.arrayContaining(['event-batching.ipynb', 'results-explorer.ipynb']));
  });

  // Every notebook executes top to bottom; the two below have their own, stricter tests.
  for (const name of names.filter((n) => n !== 'event-batching.ipynb' && n !== 'results-explorer.ipynb')) {
    it(`${name} runs without errors`, async (ctx) => {
      if (why !== undefined) ctx.skip(why);
      await execute(name);
    });
  }

  it('event-batching.ipynb: sweep table and charts; no results folder → how to make one', async (ctx) => {
    if (why !== undefined) ctx.skip(why);
    const nb = await execute('event-batching.ipynb', { HVSIM_RESULTS: join(tmp, 'no-such-results') });
    const text = outputText(nb);
    expect(text).toContain('hvsim imported');
    expect(text).toMatch(/4 runs in/);
    expect(text).toContain('notificationsPerItem');
    for (const k of [1, 4, 16, 64]) expect(text).toMatch(new RegExp(`^ *${k} +\\d+ +\\d+\\.\\d{3} `, 'm'));
    // A number shown under a study's measure name is that measure: the notebook's notificationsPerItem
    // (and mean latency) at k = 1 and 16 equal the event-batching study's own run of the same point
    // and seed (notebook: 50k requests/s, hold-off 100 us, 20 ms warm-up, 200 ms window, seed 1).
    for (const k of [1, 16]) {
      const p = {
        ...baseParams(eventBatching, false),
        k,
        holdOffNs: 100_000,
        ratePerS: 50_000,
        warmupNs: 20_000_000,
        runLengthNs: 200_000_000,
      };
      const study = eventBatching.run(p, { seed: '1', replication: 0, quick: false }).measures;
      const row = new RegExp(`^ *${k} +\\d+ +(\\d+\\.\\d{3}) +\\d+\\.\\d{3} +\\d+\\.\\d{3} +(\\d+\\.\\d) `, 'm').exec(
        text,
      );
      expect(row, `table row k=${k}`).not.toBeNull();
      expect(row?.[1]).toBe((study['notificationsPerItem'] as number).toFixed(3));
      expect(row?.[2]).toBe(((study['latencyMeanNs'] as number) / 1e3).toFixed(1));
    }
    expect(text).toContain('npx hvsim run event-batching --quick');
    const charts = bundles(nb, VEGALITE) as { $schema?: string; layer?: unknown }[];
    expect(charts).toHaveLength(2);
    for (const c of charts) expect(c.$schema).toMatch(/vega-lite/);
  });

  it('event-batching.ipynb: charts a study summary.csv', async (ctx) => {
    if (why !== undefined) ctx.skip(why);
    const nb = await execute('event-batching.ipynb', { HVSIM_RESULTS: FIXTURE_RESULTS });
    const text = outputText(nb);
    expect(text).toContain('k sweep at 50000 requests/s: 8 points');
    expect(text).toMatch(/^ *64 +none +3 +789\.4 /m);
    expect(text).not.toContain('No event-batching results found');
    const charts = bundles(nb, VEGALITE);
    expect(charts).toHaveLength(3);
    expect(JSON.stringify(charts[2])).toContain('hold-off');
  });

  it('results-explorer.ipynb: shows summary.csv numbers under their measure names and schema-valid charts', async (ctx) => {
    if (why !== undefined) ctx.skip(why);
    const nb = await execute('results-explorer.ipynb', {
      HVSIM_RESULTS: FIXTURE_RESULTS,
      HVSIM_MEASURE: 'latencyMeanNs',
    });
    const text = outputText(nb);
    expect(text).toContain('8 points, 3 measures; swept: k, holdOffNs');
    // The table's latencyMeanNs at each point is the fixture's mean (7 significant digits).
    const csv = readFileSync(join(FIXTURE_RESULTS, 'summary.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const head = csv[0] ?? [];
    const rows = csv.slice(1).filter((r) => r[head.indexOf('measure')] === 'latencyMeanNs');
    expect(rows).toHaveLength(8);
    expect(text).toContain('latencyMeanNs (ns)');
    for (const r of rows) {
      const mean = String(Number(Number(r[head.indexOf('mean')]).toPrecision(7)));
      expect(text).toMatch(
        new RegExp(
          `^ *${r[0]} +${r[head.indexOf('k')]} +${r[head.indexOf('holdOffNs')]} +3 +${mean.replace('.', '\\.')} `,
          'm',
        ),
      );
    }
    const charts = bundles(nb, VEGALITE) as Record<string, unknown>[];
    expect(charts).toHaveLength(2);
    for (const c of charts) expect(validateSpec(c)).toEqual([]);
    expect(JSON.stringify(charts[1])).toContain('"bind"');
  });

  it('results-explorer.ipynb: no results folder → how to make one', async (ctx) => {
    if (why !== undefined) ctx.skip(why);
    const nb = await execute('results-explorer.ipynb', { HVSIM_RESULTS: join(tmp, 'no-such-results') });
    expect(outputText(nb)).toContain('No results folder found');
    expect(bundles(nb, VEGALITE)).toHaveLength(0);
  });
});

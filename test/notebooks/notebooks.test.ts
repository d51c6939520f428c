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
  const probe = spawnSync(PYTHON, ['-c', 'import nbclient, nbformat, jupyter_client, jupyter_core'], { encoding: 'utf8' });
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
    .map((o) => join_(o.text) + join_(o.data?.['text/plain'] as string | string[] | undefined) + '\n' +
      join_(o.data?.['text/markdown'] as string | string[] | undefined))
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

const names = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).sort();

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

  for (const name of names.filter((n) => n !== 'event-batching.ipynb')) {
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
    expect(text).toContain('notifications/request');
    for (const k of [1, 4, 16, 64]) expect(text).toMatch(new RegExp(`^ *${k} +\\d+ +\\d+\\.\\d{3} `, 'm'));
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
});

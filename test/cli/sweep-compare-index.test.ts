// The CLI side of sweep files, `hvsim compare` and results/index.html (in-process runCli from dist/):
// - a sweep file gives the same bytes (runs.csv, summary.csv, tables/) as the equivalent flags, and
//   its manifest records the file (path, SHA-256 of its bytes, content); flags next to the file
//   override it (the same plan as the merged flags, seen through --dry-run);
// - a malformed sweep file: exit 2, one line, nothing written;
// - compare.csv has the documented columns and the source folders' means and CIs, its charts are
//   schema-valid Vega-Lite with SVG and PNG; bad folders and a sweep's folder as --out are refused;
// - index.html lists every results folder, escapes their names, and is never written over a foreign
//   index.html.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../src/charts/validate.js';
import { hv, treeHash } from './adversarial/harness.js';
import { tempDir } from './cli-helpers.js';

const tmp = tempDir('sweepfiles');
const results = join(tmp, 'results');
mkdirSync(results);
const SWEEP = [
  '# a small M/M/1 sweep',
  'study: mm1-validation',
  'set:',
  '  runLengthNs: 2s',
  '  warmupNs: 100ms',
  'grid:',
  '  load: [0.5, 0.8]',
  'replications: 3',
  'seed: 5',
  '',
].join('\n');
const FLAGS = [
  '--set',
  'runLengthNs=2s',
  '--set',
  'warmupNs=100ms',
  '--grid',
  'load=0.5,0.8',
  '--replications',
  '3',
  '--seed',
  '5',
];
const sweepPath = join(tmp, 'mm1.yaml');
writeFileSync(sweepPath, SWEEP);

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of ['runs.csv', 'summary.csv']) out.set(name, readFileSync(join(dir, name), 'utf8'));
  for (const t of readdirSync(join(dir, 'tables')).sort())
    out.set(`tables/${t}`, readFileSync(join(dir, 'tables', t), 'utf8'));
  return out;
}

/** RFC 4180 rows (quoted fields with "" escapes; no newlines inside fields here). */
function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) =>
      [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => {
        const f = m[1] ?? '';
        return f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f;
      }),
    );
}

const dirA = join(results, 'from-file');
const dirB = join(results, 'from-flags');
const dirC = join(results, 'x<b>&"slow"');

describe('sweep files through the CLI', () => {
  it('hvsim run <file> writes the same bytes as the equivalent flags, and the manifest records the file', async () => {
    const a = await hv(['run', sweepPath, '--out', dirA, '-q', '--no-report']);
    expect(a.stderr).toEqual([]);
    expect(a.code).toBe(0);
    const b = await hv(['run', 'mm1-validation', ...FLAGS, '--out', dirB, '-q', '--no-report']);
    expect(b.code).toBe(0);
    const fa = files(dirA);
    expect([...fa.keys()]).toContain('runs.csv');
    expect(fa).toEqual(files(dirB));
    const ma = JSON.parse(readFileSync(join(dirA, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const mb = JSON.parse(readFileSync(join(dirB, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(ma['planHash']).toBe(mb['planHash']);
    expect(ma['sweepFile']).toEqual({
      path: sweepPath,
      sha256: createHash('sha256').update(SWEEP).digest('hex'),
      content: SWEEP,
    });
    expect(mb['sweepFile']).toBeUndefined();
  });

  it('shards of a sweep file merge into the same bytes, and the merged manifest keeps the file', async () => {
    const s1 = join(tmp, 'shard1');
    const s2 = join(tmp, 'shard2');
    const merged = join(tmp, 'merged');
    expect((await hv(['run', sweepPath, '--shard', '1/2', '--out', s1, '-q'])).code).toBe(0);
    expect((await hv(['run', sweepPath, '--shard', '2/2', '--out', s2, '-q'])).code).toBe(0);
    const m = await hv(['merge', s1, s2, '--out', merged, '--no-report']);
    expect(m.code).toBe(0);
    expect(files(merged)).toEqual(files(dirA));
    const mm = JSON.parse(readFileSync(join(merged, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect((mm['sweepFile'] as { sha256: string }).sha256).toBe(createHash('sha256').update(SWEEP).digest('hex'));
  });

  it('flags given next to the file override it: the plan is that of the merged flags', async () => {
    const viaFile = await hv([
      'run',
      sweepPath,
      '--set',
      'load=0.6',
      '--replications',
      '2',
      '--out',
      join(tmp, 'dry'),
      '--dry-run',
    ]);
    const viaFlags = await hv([
      'run',
      'mm1-validation',
      '--set',
      'runLengthNs=2s',
      '--set',
      'warmupNs=100ms',
      '--seed',
      '5',
      '--set',
      'load=0.6',
      '--replications',
      '2',
      '--out',
      join(tmp, 'dry'),
      '--dry-run',
    ]);
    expect(viaFile.code).toBe(0);
    // the plan: every line before the estimate (whose timing differs from run to run)
    const plan = (r: { stdout: string[] }): string[] =>
      r.stdout.slice(
        0,
        r.stdout.findIndex((l) => l.startsWith('estimated time')),
      );
    expect(plan(viaFile)).toEqual(plan(viaFlags));
    expect(plan(viaFile).length).toBeGreaterThan(1);
    expect(viaFile.stdout[0]).toContain('1 point × 2 replications = 2 runs');
    expect(viaFile.stdout.join('\n')).toContain('load=0.6');
  });

  it('without out in the file or --out, the folder is results/<file name>, followed by the overriding flags', async () => {
    const r = await hv(['run', sweepPath, '--set', 'load=0.6', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toMatch(/; output results\/mm1_load=0\.6$/);
  });

  it('a malformed sweep file: exit 2, one line naming the path and the rule, nothing written', async () => {
    const bad = join(tmp, 'bad.yaml');
    const out = join(tmp, 'bad-out');
    writeFileSync(bad, `study: mm1-validation\ngrid:\n  load: [0.5, 1.5]\nout: ${JSON.stringify(out)}\n`);
    const before = treeHash(tmp);
    const r = await hv(['run', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual([]);
    expect(r.stderr).toEqual([`hvsim: ${bad}: grid.load[1]: must be a float in [0.05, 0.99], got 1.5`]);
    expect(treeHash(tmp)).toBe(before);
    expect(existsSync(out)).toBe(false);
  });
});

describe('hvsim compare', () => {
  const out = join(results, 'compare');

  it('overlays a measure from two folders: compare.csv columns and values, schema-valid charts with SVG and PNG', async () => {
    const c = await hv([
      'run',
      'mm1-validation',
      ...FLAGS,
      '--set',
      'serviceMeanNs=2ms',
      '--out',
      dirC,
      '-q',
      '--no-report',
    ]);
    expect(c.code).toBe(0);
    const r = await hv([
      'compare',
      dirA,
      dirC,
      '--measure',
      'waitMeanNs',
      '--measure',
      'numberInSystemMean',
      '--y-scale',
      'log',
      '--out',
      out,
    ]);
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const rows = csvRows(readFileSync(join(out, 'compare.csv'), 'utf8'));
    expect(rows[0]).toEqual(['series', 'folder', 'load', 'measure', 'unit', 'n', 'mean', 'sd', 'ci95Low', 'ci95High']);
    expect(rows.length - 1).toBe(2 * 2 * 2); // folders × points × measures
    // Labels: the fixed parameter in which the folders differ.
    expect(new Set(rows.slice(1).map((x) => x[0]))).toEqual(
      new Set(['serviceMeanNs=1000000', 'serviceMeanNs=2000000']),
    );
    // Every value is the source folder's own summary (mean, sd, CI bounds), matched by load and measure.
    for (const [series, folder, load, measure, , n, mean, sd, lo, hi] of rows.slice(1)) {
      const summary = csvRows(readFileSync(join(folder as string, 'summary.csv'), 'utf8'));
      const head = summary[0] as string[];
      const col = (name: string): number => head.indexOf(name);
      const src = summary.find((s) => s[col('load')] === load && s[col('measure')] === measure);
      expect(src, `${series} ${load} ${measure}`).toBeDefined();
      expect([n, mean, sd, lo, hi]).toEqual([
        src?.[col('n')],
        src?.[col('mean')],
        src?.[col('sd')],
        src?.[col('ciLo')],
        src?.[col('ciHi')],
      ]);
    }
    for (const m of ['waitMeanNs', 'numberInSystemMean']) {
      const spec = JSON.parse(readFileSync(join(out, 'charts', `compare-${m}.vl.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(validateSpec(spec)).toEqual([]);
      expect(readFileSync(join(out, 'charts', `compare-${m}.svg`), 'utf8')).toContain('<svg');
      expect(
        readFileSync(join(out, 'charts', `compare-${m}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      // One line per folder; the y axis on the log scale asked for.
      const data = JSON.stringify(spec);
      expect(data).toContain('"type":"log"');
      expect(data).toContain('serviceMeanNs=1000000');
      expect(data).toContain('serviceMeanNs=2000000');
    }
    const meta = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as Record<string, unknown>;
    expect(meta['x']).toBe('load');
    expect(meta['sources']).toEqual([dirA, dirC]);
  });

  it('is in the help', async () => {
    const help = await hv(['--help']);
    expect(help.stdout.join('\n')).toMatch(/\n  compare \[options\] <dir\.\.\.>\s+overlay measures/);
    expect(help.stdout.join('\n')).toMatch(/\n  index \[dir\]\s+\(re\)build DIR\/index\.html/);
    const c = await hv(['compare', '--help']);
    for (const f of ['--out', '--measure', '--x ', '--x-scale', '--y-scale']) expect(c.stdout.join('\n')).toContain(f);
  });

  it('refuses a folder that is not a results folder, an unknown measure and a sweep folder as --out (exit 2, nothing written)', async () => {
    const notResults = join(tmp, 'empty-dir');
    mkdirSync(notResults);
    const before = treeHash(tmp);
    const cases: [string[], RegExp][] = [
      [['compare', dirA, notResults, '--out', join(tmp, 'c1')], /empty-dir is not a finished hvsim results folder/],
      [
        ['compare', dirA, dirB, '--measure', 'nope', '--out', join(tmp, 'c2')],
        /--measure nope: not a measure of study mm1-validation/,
      ],
      [
        ['compare', dirA, dirB, '--x', 'nope', '--out', join(tmp, 'c3')],
        /--x nope: not a parameter of study mm1-validation/,
      ],
      [['compare', dirA, dirB, '--out', dirB], /--out .* is one of the folders compared/],
      [['compare', dirA, dirC, '--out', dirB], /holds the results of a sweep/],
      [['compare', dirA, '--out', join(tmp, 'c4')], /at least two results folders/],
      [
        ['compare', dirA, dirB, '--y-scale', 'cubic', '--out', join(tmp, 'c5')],
        /option '--y-scale <scale>' argument 'cubic' is invalid/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await hv(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBe(1);
      expect(r.stderr[0]).toMatch(message);
    }
    expect(treeHash(tmp)).toBe(before);
  });
});

describe('results/index.html', () => {
  it('is rebuilt by run and compare under results/: every folder listed, names escaped, thumbnails that exist', () => {
    const html = readFileSync(join(results, 'index.html'), 'utf8');
    expect(html).toContain('<meta name="generator" content="hvsim-index">');
    for (const d of ['from-file', 'from-flags', 'compare']) expect(html).toContain(`>${d}</`);
    // The folder name with <, &, " is escaped in text and percent-encoded in links.
    expect(html).toContain('x&lt;b&gt;&amp;&quot;slow&quot;');
    expect(html).not.toContain('x<b>');
    expect(html).toContain('mm1-validation');
    expect(html).toContain('swept: load');
    expect(html).toContain(`sweep file ${sweepPath}`);
    const srcs = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) =>
      decodeURIComponent((m[1] as string).replace(/&amp;/g, '&')),
    );
    expect(srcs).toContain('compare/charts/compare-numberInSystemMean.svg');
    for (const s of srcs) expect(existsSync(join(results, s)), s).toBe(true);
  });

  it('hvsim index <dir> rebuilds it, and refuses to replace an index.html hvsim did not write', async () => {
    const r = await hv(['index', results]);
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([`${join(results, 'index.html')}: 4 results folders`]);
    const other = join(tmp, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'index.html'), '<p>mine</p>\n');
    const bad = await hv(['index', other]);
    expect(bad.code).toBe(2);
    expect(bad.stderr[0]).toMatch(/exists and was not written by hvsim/);
    expect(readFileSync(join(other, 'index.html'), 'utf8')).toBe('<p>mine</p>\n');
  });
});

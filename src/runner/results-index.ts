// results/index.html: one page listing every results folder under a root (default `results/`) with its
// study, the parameters it swept and fixed, its date, the run count and a thumbnail (the first chart's
// SVG, else its PNG), each linking to the folder's report.html. Everything shown comes from the
// folders' manifest.json files (the date is the manifest's finishedAt, written by the runner); every
// string is escaped for HTML. The page is rebuilt at the end of every `hvsim run`, `merge`, `chart`, `report`
// and `compare` whose folder lies under a folder named `results` (rebuildIndexFor), and by
// `hvsim index [dir]`. hvsim writes index.html only where none exists or where the one there is its
// own (a <meta name="generator" content="hvsim-index"> line); folders with a malformed manifest are
// listed with the problem instead of their contents. Folders are searched to a depth of 3.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { messageOf, UsageError } from './errors.js';
import { checkManifest, MANIFEST_FILE, type Manifest } from './manifest.js';

export const INDEX_FILE = 'index.html';
export const INDEX_GENERATOR = 'hvsim-index';
const MAX_DEPTH = 3;
/** Largest manifest read for the index (bytes); bigger ones are listed as too large. */
const MAX_MANIFEST_BYTES = 64 << 20;
/** The compare command's output marker (a folder of compared results, not a sweep). */
export const COMPARE_FILE = 'compare.json';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A path relative to the index page as a URL: each segment percent-encoded, '/' between them. */
function href(path: string): string {
  return path.split(sep).map(encodeURIComponent).join('/');
}

export interface IndexEntry {
  /** Path relative to the root, with '/' separators. */
  readonly dir: string;
  readonly manifest?: Manifest;
  /** Set instead of manifest when the folder's manifest is unreadable or malformed. */
  readonly problem?: string;
  readonly compare?: { readonly sources: readonly string[]; readonly measures: readonly string[] };
  readonly thumbnail?: string;
  readonly report: boolean;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function firstChart(dir: string): string | undefined {
  const charts = join(dir, 'charts');
  let names: string[];
  try {
    names = readdirSync(charts).sort();
  } catch {
    return undefined;
  }
  // The study's first chart: the first .vl.json in name order that has a rendering.
  for (const spec of names.filter((n) => n.endsWith('.vl.json'))) {
    const stem = spec.slice(0, -'.vl.json'.length);
    for (const ext of ['.svg', '.png']) if (names.includes(stem + ext)) return join('charts', stem + ext);
  }
  const any = names.find((n) => n.endsWith('.svg')) ?? names.find((n) => n.endsWith('.png'));
  return any === undefined ? undefined : join('charts', any);
}

function readEntry(root: string, dir: string): IndexEntry {
  const rel = relative(root, dir) || '.';
  const thumb = firstChart(dir);
  const base = {
    dir: rel.split(sep).join('/'),
    report: existsSync(join(dir, 'report.html')),
    ...(thumb ? { thumbnail: join(rel, thumb) } : {}),
  };
  const comparePath = join(dir, COMPARE_FILE);
  if (existsSync(comparePath)) {
    try {
      const c = JSON.parse(readFileSync(comparePath, 'utf8')) as { sources?: unknown; measures?: unknown };
      const strings = (x: unknown): string[] =>
        Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
      return { ...base, compare: { sources: strings(c.sources), measures: strings(c.measures) } };
    } catch (err) {
      return { ...base, problem: `${COMPARE_FILE}: ${messageOf(err)}` };
    }
  }
  const path = join(dir, MANIFEST_FILE);
  try {
    if (statSync(path).size > MAX_MANIFEST_BYTES)
      return { ...base, problem: `${MANIFEST_FILE} is larger than ${MAX_MANIFEST_BYTES} bytes` };
    return { ...base, manifest: checkManifest(JSON.parse(readFileSync(path, 'utf8')) as unknown, MANIFEST_FILE) };
  } catch (err) {
    return { ...base, problem: messageOf(err) };
  }
}

/** Every results folder (one with a manifest.json or compare.json) under root, in path order. */
export function findResultFolders(root: string): IndexEntry[] {
  const out: IndexEntry[] = [];
  const walk = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    if (depth > 0 && (names.includes(MANIFEST_FILE) || names.includes(COMPARE_FILE))) {
      out.push(readEntry(root, dir));
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const n of names) {
      if (n.startsWith('.') || n === 'runs' || n === 'charts' || n === 'tables') continue;
      const sub = join(dir, n);
      if (isDir(sub)) walk(sub, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

function paramsText(params: Readonly<Record<string, unknown>>, names: readonly string[]): string {
  return names.map((k) => `${k}=${String(params[k])}`).join(', ');
}

function row(e: IndexEntry): string {
  const link = (text: string): string =>
    e.report ? `<a href="${escapeHtml(href(join(e.dir, 'report.html')))}">${escapeHtml(text)}</a>` : escapeHtml(text);
  const thumb = e.thumbnail
    ? `<a href="${escapeHtml(href(e.thumbnail))}"><img src="${escapeHtml(href(e.thumbnail))}" alt="${escapeHtml(`first chart of ${e.dir}`)}" loading="lazy"></a>`
    : '';
  if (e.compare) {
    return (
      `<tr><td>${link(e.dir)}</td><td>compare</td><td>${escapeHtml(`${e.compare.measures.join(', ')} from ${e.compare.sources.join(', ')}`)}</td>` +
      `<td></td><td></td><td class="thumb">${thumb}</td></tr>`
    );
  }
  const m = e.manifest;
  if (m === undefined) {
    return `<tr class="bad"><td>${link(e.dir)}</td><td colspan="4">${escapeHtml(`not readable: ${e.problem ?? 'unknown problem'}`)}</td><td class="thumb">${thumb}</td></tr>`;
  }
  const swept = m.sweptParams.length > 0 ? `swept: ${m.sweptParams.join(', ')}` : 'one point';
  const fixedNames = Object.keys(m.baseParams).filter((k) => !m.sweptParams.includes(k));
  const fixed = fixedNames.length > 0 ? `fixed: ${paramsText(m.baseParams, fixedNames)}` : '';
  const extra = [
    m.quick ? '--quick' : '',
    `seed ${m.masterSeed}`,
    `${m.replications} replications`,
    m.status === 'shard' && m.shard ? `shard ${m.shard.index}/${m.shard.count}` : '',
    m.sweepFile ? `sweep file ${m.sweepFile.path}` : '',
  ].filter((s) => s !== '');
  return (
    `<tr><td>${link(e.dir)}</td><td>${escapeHtml(m.study)}</td>` +
    `<td>${escapeHtml(swept)}<br><small>${escapeHtml(fixed)}</small><br><small>${escapeHtml(extra.join(' · '))}</small></td>` +
    `<td>${escapeHtml(m.finishedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td><td>${escapeHtml(String(m.totals.runs))}</td>` +
    `<td class="thumb">${thumb}</td></tr>`
  );
}

/** The page for these entries (deterministic for the same folders and manifests). */
export function indexHtml(title: string, entries: readonly IndexEntry[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta name="generator" content="${INDEX_GENERATOR}">`,
    `<title>${escapeHtml(title)}</title>`,
    '<style>',
    'body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.4em .6em;text-align:left;vertical-align:top}',
    'td.thumb img{max-width:240px;max-height:150px;background:#fff}tr.bad td{color:#a00}small{color:#555}',
    '</style>',
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${entries.length} results folder${entries.length === 1 ? '' : 's'}; rebuilt by every hvsim run, merge, report and compare, and by <code>hvsim index</code>.</p>`,
    '<table>',
    '<thead><tr><th>folder</th><th>study</th><th>parameters</th><th>finished (UTC)</th><th>runs</th><th>first chart</th></tr></thead>',
    '<tbody>',
    ...entries.map(row),
    '</tbody>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** True when PATH is absent or an index.html written by hvsim (which may then be replaced). */
function ownIndex(path: string): boolean {
  if (!existsSync(path)) return true;
  try {
    return readFileSync(path, 'utf8').slice(0, 2000).includes(`<meta name="generator" content="${INDEX_GENERATOR}">`);
  } catch {
    return false;
  }
}

/** Writes ROOT/index.html; UsageError if ROOT is not a folder or its index.html is not hvsim's. */
export function writeResultsIndex(root: string): { path: string; entries: number } {
  if (!isDir(root)) throw new UsageError(`index ${root}: no such directory`);
  const path = join(root, INDEX_FILE);
  if (!ownIndex(path))
    throw new UsageError(`index ${root}: ${path} exists and was not written by hvsim; move it away first`);
  const entries = findResultFolders(root);
  writeFileAtomic(path, indexHtml(`hvsim results: ${basename(resolve(root))}`, entries));
  return { path, entries: entries.length };
}

/** The nearest ancestor of outDir named `results` (the folder whose index lists it), if any. */
export function indexRootOf(outDir: string): string | undefined {
  let dir = dirname(resolve(outDir));
  for (;;) {
    if (basename(dir) === 'results') return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * After a command wrote outDir: rebuilds <results>/index.html when outDir lies under a folder named
 * `results`. Never fails the command: a problem is one notice on `log`.
 */
export function rebuildIndexFor(outDir: string, log: (line: string) => void): void {
  const root = indexRootOf(outDir);
  if (root === undefined) return;
  try {
    writeResultsIndex(root);
  } catch (err) {
    log(`hvsim: ${join(root, INDEX_FILE)} not rebuilt: ${messageOf(err)}`);
  }
}

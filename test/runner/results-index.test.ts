// results/index.html (src/runner/results-index.ts) in-process: folders found at any depth up to 3
// (and not inside runs/ or charts/), every string from a manifest or a folder name escaped, a
// malformed manifest listed with its problem, the thumbnail the first chart with a rendering, the
// page rebuilt only under a folder named `results` and never over a foreign index.html.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  findResultFolders,
  indexRootOf,
  rebuildIndexFor,
  writeResultsIndex,
} from '../../src/runner/results-index.js';

function manifest(over: Record<string, unknown>): string {
  return JSON.stringify({
    format: 'hvsim-manifest/1',
    status: 'complete',
    hvsimVersion: '0.1.0',
    gitCommit: null,
    node: 'v20',
    platform: 'linux',
    command: ['run'],
    study: 'mm1-validation',
    studyVersion: 1,
    description: 'd',
    quick: false,
    masterSeed: 1,
    replications: 2,
    shard: null,
    jobs: 1,
    planHash: 'a'.repeat(64),
    baseParams: { load: 0.5, label: 'x' },
    sweptParams: ['load'],
    points: [
      { point: 0, params: { load: 0.5 } },
      { point: 1, params: { load: 0.8 } },
    ],
    runs: [],
    totals: { runs: 4, executed: 4, reused: 0, events: 1, runWallMs: 1, elapsedMs: 1 },
    startedAt: '2026-01-02T03:04:05.000Z',
    finishedAt: '2026-01-02T03:04:06.789Z',
    ...over,
  });
}

function tree(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'hvsim-index-')), 'results');
  const add = (rel: string, text: string): void => {
    mkdirSync(join(root, rel), { recursive: true });
    writeFileSync(join(root, rel, 'manifest.json'), text);
  };
  add('plain', manifest({}));
  add('deep/er/one', manifest({ masterSeed: 9 }));
  add('deep/er/one/runs', manifest({})); // inside a results folder: not a folder of its own
  add('<script>alert(1)</script>', manifest({ baseParams: { load: 0.5, label: '"><img src=x onerror=alert(2)>' } }));
  add('broken', '{"format": "hvsim-manifest/1"');
  mkdirSync(join(root, 'plain', 'charts'));
  for (const f of ['b.vl.json', 'b.svg', 'a.vl.json', 'a.png', 'z.svg'])
    writeFileSync(join(root, 'plain', 'charts', f), 'x');
  return root;
}

describe('results index', () => {
  it('finds every results folder in path order, not inside another results folder', () => {
    const root = tree();
    expect(findResultFolders(root).map((e) => e.dir)).toEqual([
      '<script>alert(1)</script>',
      'broken',
      'deep/er/one',
      'plain',
    ]);
  });

  it('escapes folder names and manifest strings; lists a malformed manifest with its problem; thumbnails the first chart', () => {
    const root = tree();
    writeResultsIndex(root);
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('label=&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('<tr class="bad"><td>broken</td><td colspan="4">not readable: ');
    expect(html.match(/<tr class="bad">/g)).toHaveLength(1);
    expect(html).toContain('<img src="plain/charts/a.png"');
    expect(html).toContain('2026-01-02 03:04:06Z');
    expect(html).toContain('seed 9');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('is rebuilt only under a folder named results, and never replaces a foreign index.html', () => {
    const root = tree();
    expect(indexRootOf(join(root, 'plain'))).toBe(root);
    expect(indexRootOf(join(root, 'deep/er/one'))).toBe(root);
    expect(indexRootOf('/tmp/elsewhere/out')).toBeUndefined();
    writeFileSync(join(root, 'index.html'), '<p>my own page</p>\n');
    const notes: string[] = [];
    rebuildIndexFor(join(root, 'plain'), (l) => void notes.push(l));
    expect(readFileSync(join(root, 'index.html'), 'utf8')).toBe('<p>my own page</p>\n');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/not rebuilt: .*was not written by hvsim/);
  });
});

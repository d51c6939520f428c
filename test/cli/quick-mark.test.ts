// A --quick run says so on every chart it writes and in its report (issue 7), and `hvsim chart` /
// `hvsim report` on that folder keep the mark (they read it from manifest.json).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUICK_NOTE } from '../../src/charts/specBase.js';
import { hvsim, tempDir } from './cli-helpers.js';

const out = join(tempDir('quick-mark'), 'r');

function subtitles(dir: string): Map<string, unknown> {
  const charts = join(dir, 'charts');
  const specs = readdirSync(charts).filter((f) => f.endsWith('.vl.json'));
  return new Map(
    specs.map((f) => {
      const spec = JSON.parse(readFileSync(join(charts, f), 'utf8')) as { title: { subtitle?: unknown } };
      return [f, spec.title.subtitle];
    }),
  );
}

describe('--quick mark', () => {
  beforeAll(() => {
    const r = hvsim([
      'run',
      'mm1-validation',
      '--quick',
      '--grid',
      'load=0.2,0.6',
      '--replications',
      '2',
      '--out',
      out,
      '-q',
    ]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('is the last subtitle line of every chart and a banner in the report', () => {
    const subs = subtitles(out);
    expect(subs.size).toBeGreaterThan(0);
    for (const [f, sub] of subs) expect(Array.isArray(sub) ? sub.at(-1) : sub, f).toBe(QUICK_NOTE);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`<p class="quick-banner">${QUICK_NOTE}</p>`);
    expect(html).toMatch(/<details class="manifest">/);
  });

  it('stays after hvsim chart and hvsim report rebuild the folder', () => {
    expect(hvsim(['chart', out]).status).toBe(0);
    for (const [f, sub] of subtitles(out)) expect(Array.isArray(sub) ? sub.at(-1) : sub, f).toBe(QUICK_NOTE);
    expect(hvsim(['report', out]).status).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('class="quick-banner"');
  });
});

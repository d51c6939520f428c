// The HTML report (src/charts/report.ts): self-contained, escaped, deterministic, and - in a real
// headless Chromium (Debian's /usr/bin/chromium via playwright-core) - every chart drawn by
// vegaEmbed with no console errors, page errors or failed requests. Without /usr/bin/chromium the
// browser test is skipped with a warning (.ci/run installs it).

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/charts/canonicalJson.js';
import { escapeHtml, reportHtml, scriptSafe } from '../../src/charts/report.js';
import { writeCharts, writeReport, type ReportInput } from '../../src/charts/index.js';
import { allCharts, BATCHES, SCHEDULERS, sweepSummary } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `\n*** SKIPPING the report browser test: ${CHROMIUM} not found. ` +
      `Install it with 'apt-get install -y chromium' (.ci/run does this as root). ***\n`,
  );
}

function input(): ReportInput {
  return {
    title: 'Event batching <study> & "friends"',
    description: 'How CPU cost per packet falls with batching.\n\nSecond paragraph: </script><b>not bold</b>.',
    charts: allCharts(),
    paramsTable: [
      { name: 'batch', value: BATCHES.join(', '), unit: 'packets', doc: 'packets per notification' },
      { name: 'sched', value: SCHEDULERS.join(', '), unit: '', doc: 'CPU scheduler' },
      { name: 'ring', value: '256', unit: 'entries', doc: 'ring size' },
    ],
    manifest: {
      version: '0.1.0',
      gitCommit: 'abc123',
      seeds: ['s1', 's2'],
      note: '</script><script>alert(1)</script>',
    },
    summary: sweepSummary(),
    findings: ['Batching 16 packets per notification cuts CPU per packet by 94% (< 1 µs).'],
  };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('reportHtml', () => {
  it('inlines the three bundles and loads nothing from elsewhere', () => {
    const html = reportHtml(input());
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(html).toContain('<link rel="icon" href="data:,">');
    for (const name of ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']) expect(html).toContain(`(${name}) */`);
    expect(html).not.toContain('sourceMappingURL');
    // Every <script> is closed by its own </script>: 3 bundles + data + page script.
    expect(html.match(/<script\b/g)).toHaveLength(5);
    expect(html.match(/<\/script>/g)).toHaveLength(5);
    expect(html.length).toBeGreaterThan(800_000);
  });

  it('escapes text and embeds the canonical specs', () => {
    const html = reportHtml(input());
    expect(html).toContain('<title>Event batching &lt;study&gt; &amp; &quot;friends&quot;</title>');
    expect(html).toContain('<p><strong>Second paragraph:</strong> &lt;/script&gt;&lt;b&gt;not bold&lt;/b&gt;.</p>');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(
      '<ul class="findings"><li>Batching 16 packets per notification cuts CPU per packet by 94% (&lt; 1 µs).</li></ul>',
    );
    const data = /<script type="application\/json" id="hvsim-charts">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    const charts = JSON.parse(data) as { id: string; spec: unknown }[];
    expect(charts.map((c) => c.id)).toEqual(allCharts().map((c) => c.id));
    expect(`${JSON.stringify(charts[0]?.spec, null, 2)}\n`).toBe(canonicalJson(allCharts()[0]?.spec));
  });

  it('shows the parameters and, collapsed, only the summary parameters that vary', () => {
    const html = reportHtml(input());
    expect(html).toContain(
      '<tr><td><code>batch</code></td><td class="num">1, 4, 16</td><td>packets per notification</td></tr>',
    );
    expect(html).toMatch(/<details class="summary"><summary>Summary: 12 rows/);
    expect(html).toContain('<th>point</th><th>batch</th><th>sched</th><th>measure</th>');
    expect(html).not.toContain('<th>ring</th>');
  });

  it('is byte-identical for the same input', async () => {
    const a = await mkdtemp(join(tmpdir(), 'hvsim-report-'));
    dirs.push(a);
    const p1 = await writeReport(a, input());
    const first = await readFile(p1);
    const p2 = await writeReport(a, input());
    expect(p2).toBe(p1);
    expect((await readFile(p2)).equals(first)).toBe(true);
    expect(await readdir(a)).toEqual(['report.html']);
  });

  it('escapes </script inside inlined code', () => {
    expect(scriptSafe('var s="</script>";\n//# sourceMappingURL=x.map\n')).toBe('var s="<\\/script>";\n\n');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('report in headless Chromium', () => {
  it('draws every chart with no errors or failed requests', async (ctx) => {
    if (!haveChromium) ctx.skip(`no Chromium at ${CHROMIUM}`);
    const dir = await mkdtemp(join(tmpdir(), 'hvsim-report-'));
    dirs.push(dir);
    const inp = input();
    await writeCharts(dir, inp.charts);
    const path = await writeReport(dir, inp);

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      await page.goto(pathToFileURL(path).href);
      await page.waitForSelector('body[data-charts-ready]', { timeout: 30_000 });
      expect(await page.getAttribute('body', 'data-charts-ready')).toBe('true');

      const count = (id: string, sel: string): Promise<number> => page.locator(`#chart-${id} ${sel}`).count();
      const marks = [];
      for (const id of await page
        .locator('div.chart')
        .evaluateAll((els) => els.map((e) => e.id.slice('chart-'.length)))) {
        marks.push({
          id,
          svgs: await count(id, 'svg.marks'),
          symbols: await count(id, 'g.mark-symbol.role-mark > path'),
          lines: await count(id, 'g.mark-line.role-mark > path'),
          rects: await count(id, 'g.mark-rect.role-mark > path'),
        });
      }
      expect(marks).toEqual([
        { id: 'cpu-vs-batch', svgs: 1, symbols: 6, lines: 2, rects: 12 },
        { id: 'cpu-theory', svgs: 1, symbols: 3, lines: 2, rects: 6 },
        { id: 'relative', svgs: 1, symbols: 0, lines: 0, rects: 18 },
        { id: 'latency-cdf', svgs: 1, symbols: 40, lines: 2, rects: 0 },
        { id: 'ring-depth', svgs: 1, symbols: 22, lines: 2, rects: 0 },
      ]);

      // Tooltips work: hovering the first point of the sweep shows its values.
      await page.hover('#chart-cpu-vs-batch g.mark-symbol.role-mark > path >> nth=0');
      const tip = page.locator('#vg-tooltip-element');
      await tip.waitFor({ state: 'visible', timeout: 5_000 });
      expect(await tip.textContent()).toMatch(/scheduler\s*bvt[\s\S]*replications\s*5/);

      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

// The HTML report of one output directory: a single self-contained file (report.html) with the
// browser builds of vega, vega-lite and vega-embed inlined (so it works from file:// and offline),
// every chart drawn interactively by vegaEmbed (SVG renderer, tooltips, export menu), then the
// parameter table (values with their units), the model notes as paragraphs and lists, a collapsible
// summary table and the collapsed run manifest. A --quick run says so in a banner and on every chart.
// All text from studies and manifests goes through escapeHtml, the one escaping function here. When every vegaEmbed promise has
// settled the page sets document.body.dataset.chartsReady to 'true' (all drawn) or 'error'.
// Deterministic: the same input gives the same bytes (no timestamps, no generated ids).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChartSpec, ParamValue, SummaryRow } from '../runner/study.js';
import { writeFileAtomicAsync as writeFileAtomic } from '../io/atomic-write.js';
import { canonicalJson } from './canonicalJson.js';
import { parseNotes } from './notes.js';
import { QUICK_NOTE } from './specBase.js';
import { formatParamValue } from './units.js';
import { CHARTS_SUBDIR, checkCharts, finalCharts } from './write.js';

export interface ReportParam {
  readonly name: string;
  /** The value(s) as shown, with their unit (e.g. "2 ms", "1, 4, 16 domains"; see units.ts). */
  readonly value: string;
  /** The ParamSpec unit ('ns' for times); the value text already carries it. */
  readonly unit: string;
  readonly doc: string;
}

export interface ReportInput {
  readonly title: string;
  /** Plain text; blank lines separate paragraphs. */
  readonly description: string;
  readonly charts: readonly ChartSpec[];
  readonly paramsTable: readonly ReportParam[];
  readonly manifest: Record<string, unknown>;
  readonly summary?: readonly SummaryRow[];
  /** Key findings, one sentence each, listed under the description (Study.reportSummary). */
  readonly findings?: readonly string[];
  /** Model notes (Study.details): paragraphs and lists in the format of notes.ts. */
  readonly notes?: string;
  /** The results come from a --quick run: a banner says so and every chart gets QUICK_NOTE. */
  readonly quick?: boolean;
  /** Unit of each parameter (ParamSpec.unit), so the summary table shows "100 µs", not 100000. */
  readonly paramUnits?: Readonly<Record<string, string>>;
  /** Unit of each measure (MeasureSpec.unit), shown next to the measure in the summary table. */
  readonly measureUnits?: Readonly<Record<string, string>>;
}

export const REPORT_FILE = 'report.html';

/** The browser bundles, in load order: vega-lite needs vega, vega-embed needs both. */
const BUNDLES = [
  { pkg: 'vega', file: 'vega.min.js' },
  { pkg: 'vega-lite', file: 'vega-lite.min.js' },
  { pkg: 'vega-embed', file: 'vega-embed.min.js' },
] as const;

let scripts: string | undefined;

/** The three bundles as <script> elements, read once per process. */
function inlineScripts(): string {
  if (scripts !== undefined) return scripts;
  const require = createRequire(import.meta.url);
  scripts = BUNDLES.map(({ pkg, file }) => {
    const path = join(dirname(require.resolve(pkg)), file);
    let code: string;
    try {
      code = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`report: cannot read the browser build of ${pkg} at ${path}: ${String(err)}`);
    }
    return `<script>/* ${pkg} (${file}) */\n${scriptSafe(code)}\n</script>`;
  }).join('\n');
  return scripts;
}

/**
 * Makes JavaScript safe inside a <script> element: `</script` would end the element early (inside
 * a string, regex or comment `<\/script` means the same to JS), and the source map comments would
 * point at files that are not there.
 */
export function scriptSafe(code: string): string {
  const out = code.replace(/^\/\/# sourceMappingURL=.*$/gm, '').replace(/<\/(script)/gi, '<\\/$1');
  if (/<!--/.test(out) && /<script/i.test(out)) {
    throw new Error('report: an inlined script contains both "<!--" and "<script", which HTML would misparse');
  }
  return out;
}

/** JSON inside <script type="application/json">: no '<' at all, so nothing can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Numbers in the summary table: integers as is, others to 4 significant digits. */
function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(4)));
}

function formatParam(v: ParamValue | undefined, unit: string | undefined): string {
  if (v === undefined) return '';
  if (unit === 'ns' && typeof v === 'number') return formatParamValue(v, unit);
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/** Escaped text with `code` spans as <code>. */
function inlineText(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Text in the notes format (notes.ts) as HTML paragraphs and lists. */
export function notesHtml(text: string): string {
  return parseNotes(text)
    .map((b) => {
      if (b.kind === 'list') {
        const tag = b.ordered ? 'ol' : 'ul';
        return `<${tag}>${b.items.map((i) => `<li>${inlineText(i)}</li>`).join('')}</${tag}>`;
      }
      const label = b.label === undefined ? '' : `<strong>${escapeHtml(b.label)}:</strong> `;
      return `<p>${label}${inlineText(b.text)}</p>`;
    })
    .join('\n');
}

function paramsTable(rows: readonly ReportParam[]): string {
  if (rows.length === 0) return '<p class="empty">No parameters.</p>';
  const body = rows
    .map(
      (r) =>
        `<tr><td><code>${escapeHtml(r.name)}</code></td><td class="num">${escapeHtml(r.value)}</td>` +
        `<td>${escapeHtml(r.doc)}</td></tr>`,
    )
    .join('\n');
  return `<table class="params"><thead><tr><th>parameter</th><th>value</th><th>meaning</th></tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** The summary, one row per (point, measure); only the parameters that vary get a column. */
function summaryTable(
  rows: readonly SummaryRow[],
  units: Readonly<Record<string, string>>,
  measureUnits: Readonly<Record<string, string>>,
): string {
  const names: string[] = [];
  for (const r of rows) for (const k of Object.keys(r.params)) if (!names.includes(k)) names.push(k);
  const varying = names.filter((k) => new Set(rows.map((r) => JSON.stringify(r.params[k] ?? null))).size > 1);
  const head = ['point', ...varying, 'measure', 'unit', 'mean', '± 95% CI', 'sd', 'n'];
  const body = rows
    .map((r) => {
      const cells = [
        `<td class="num">${r.point}</td>`,
        ...varying.map((k) => `<td class="num">${escapeHtml(formatParam(r.params[k], units[k]))}</td>`),
        `<td>${escapeHtml(r.measure)}</td>`,
        `<td>${escapeHtml(measureUnits[r.measure] ?? '')}</td>`,
        `<td class="num">${formatNumber(r.mean)}</td>`,
        // one replication has no spread: no CI and no sd rather than "± 0"
        `<td class="num">${r.n >= 2 ? formatNumber(r.halfWidth) : ''}</td>`,
        `<td class="num">${r.n >= 2 ? formatNumber(r.sd) : ''}</td>`,
        `<td class="num">${r.n}</td>`,
      ];
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return (
    `<details class="summary"><summary>Summary: ${rows.length} rows (per point and measure, across replications)</summary>\n` +
    `<table class="summary-table"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n` +
    `<tbody>\n${body}\n</tbody></table>\n</details>`
  );
}

function chartFigures(charts: readonly ChartSpec[]): string {
  return charts
    .map((c, i) => {
      const base = `${CHARTS_SUBDIR}/${encodeURIComponent(c.id)}`;
      return (
        `<figure class="chart-figure" id="fig-${c.id}">\n` +
        `<div class="chart" id="chart-${c.id}" data-chart-id="${c.id}"></div>\n` +
        `<figcaption><span class="fignum">Figure ${i + 1}.</span> ${escapeHtml(c.title)} ` +
        `<span class="files">(<a href="${base}.svg">SVG</a> · <a href="${base}.png">PNG</a> · ` +
        `<a href="${base}.vl.json">Vega-Lite</a>)</span></figcaption>\n</figure>`
      );
    })
    .join('\n');
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, Helvetica, Arial, sans-serif; color: #1a1a1a; background: #fff;
  margin: 0; padding: 1.5rem 2rem 3rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
p, .notes ul, .notes ol { margin: .3rem 0 .6rem; max-width: 120ch; }
.notes li { margin: .15rem 0; }
.quick-banner { background: #fff4e5; border: 1px solid #e69f00; border-left-width: 6px; padding: .5rem 1rem;
  font-weight: bold; max-width: none; }
nav ol { margin: .4rem 0; padding-left: 1.4rem; columns: 2; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem 2rem; }
.chart-figure { margin: 0; }
.chart-figure figcaption { font-size: .9rem; color: #333; margin-top: .3rem; }
.fignum { font-weight: bold; }
.files { color: #666; font-size: .85rem; }
.chart-error { color: #b00020; border: 1px solid #b00020; padding: .5rem; }
table { border-collapse: collapse; font-size: .88rem; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
details.summary > summary { cursor: pointer; font-weight: bold; margin: .4rem 0; }
.summary-table { max-height: 32rem; }
details.manifest > summary { cursor: pointer; font-weight: bold; margin: .4rem 0; }
pre.manifest { background: #f7f7f7; border: 1px solid #e3e3e3; padding: .8rem; overflow: auto; font-size: .82rem; max-height: 36rem; }
code { font-size: .92em; }
ul.findings { background: #f3f7fb; border-left: 4px solid #0072B2; padding: .6rem 1rem .6rem 2rem; max-width: 120ch; }
table.params, .summary-table { width: 100%; }
`;

/** The page script: draw every chart, then flag the outcome on <body data-charts-ready>. */
const PAGE_SCRIPT = `
(function () {
  'use strict';
  function done(ok) { document.body.dataset.chartsReady = ok ? 'true' : 'error'; }
  try {
    var charts = JSON.parse(document.getElementById('hvsim-charts').textContent);
    var jobs = charts.map(function (c) {
      var el = document.getElementById('chart-' + c.id);
      return vegaEmbed(el, c.spec, {
        renderer: 'svg',
        actions: { export: true, source: false, compiled: false, editor: false }
      }).catch(function (err) {
        el.classList.add('chart-error');
        el.textContent = 'This chart could not be drawn: ' + (err && err.message ? err.message : err);
        console.error('chart ' + c.id + ':', err);
        throw err;
      });
    });
    Promise.allSettled(jobs).then(function (results) {
      done(results.every(function (r) { return r.status === 'fulfilled'; }));
    });
  } catch (err) {
    console.error('report:', err);
    done(false);
  }
})();
`;

/** Builds the report's HTML text (exported for tests; writeReport writes it). */
export function reportHtml(input: ReportInput): string {
  // The charts as writeCharts writes them (quick-run subtitle included).
  const final = finalCharts(input.charts, { quick: input.quick === true });
  checkCharts(final);
  // Embed each spec in its canonical form: the same bytes as the chart's .vl.json file.
  const charts = final.map((c) => ({ id: c.id, spec: JSON.parse(canonicalJson(c.spec)) as unknown }));
  const nav =
    final.length === 0
      ? ''
      : `<nav><ol>${final.map((c) => `<li><a href="#fig-${c.id}">${escapeHtml(c.title)}</a></li>`).join('')}</ol></nav>`;
  const notes = input.notes === undefined ? '' : notesHtml(input.notes);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${STYLE}</style>`,
    inlineScripts(),
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(input.title)}</h1>`,
    ...(input.quick === true ? [`<p class="quick-banner">${escapeHtml(QUICK_NOTE)}</p>`] : []),
    notesHtml(input.description),
    ...(input.findings === undefined || input.findings.length === 0
      ? []
      : [`<ul class="findings">${input.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`]),
    nav,
    '</header>',
    '<main>',
    '<h2>Charts</h2>',
    final.length === 0
      ? '<p class="empty">No charts.</p>'
      : `<section class="charts">\n${chartFigures(final)}\n</section>`,
    '<h2>Parameters</h2>',
    paramsTable(input.paramsTable),
    ...(notes === '' ? [] : ['<h2>Model notes</h2>', `<section class="notes">\n${notes}\n</section>`]),
    ...(input.summary === undefined
      ? []
      : ['<h2>Summary</h2>', summaryTable(input.summary, input.paramUnits ?? {}, input.measureUnits ?? {})]),
    '<h2>Manifest</h2>',
    '<details class="manifest"><summary>manifest.json: versions, command, seeds, points, totals, times</summary>',
    `<pre class="manifest">${escapeHtml(JSON.stringify(input.manifest, null, 2) ?? 'null')}</pre>`,
    '</details>',
    '</main>',
    `<script type="application/json" id="hvsim-charts">${jsonForScript(charts)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Writes <dir>/report.html atomically and returns its path. */
export async function writeReport(dir: string, input: ReportInput): Promise<string> {
  const path = join(dir, REPORT_FILE);
  await writeFileAtomic(path, reportHtml(input));
  return path;
}

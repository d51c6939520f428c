// What a reader of the charts and the report sees (issue 7, first contact): the --quick mark on
// every chart and in the report, tooltips in the axes' units, series dodged apart, labelled decades
// on log axes, the model notes as paragraphs and lists, parameters with units, the folded manifest.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureVsParam, validateSpec, writeCharts } from '../../src/charts/index.js';
import { notesAsText, parseNotes } from '../../src/charts/notes.js';
import { notesHtml, reportHtml, type ReportInput } from '../../src/charts/report.js';
import { logTicks, QUICK_NOTE, tooltipTitle, withQuickNote } from '../../src/charts/specBase.js';
import { formatParamValue, formatParamValues } from '../../src/charts/units.js';
import type { ChartSpec, SummaryRow } from '../../src/runner/study.js';
import { allCharts, cdfChart, seriesChart, sweepChart, sweepSummary, theoryChart, variantCharts } from './fixtures.js';

type Row = Record<string, unknown>;
const layersOf = (c: ChartSpec): Row[] => c.spec['layer'] as Row[];
const subtitleOf = (spec: Row): unknown => (spec['title'] as Row)['subtitle'];

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('--quick mark', () => {
  it('ends the subtitle of every chart written for a quick run, and of none otherwise', async () => {
    const quick = await mkdtemp(join(tmpdir(), 'hvsim-quick-'));
    const full = await mkdtemp(join(tmpdir(), 'hvsim-full-'));
    dirs.push(quick, full);
    const charts = allCharts();
    await writeCharts(quick, charts, { quick: true });
    await writeCharts(full, charts);
    const specs = (await readdir(join(quick, 'charts'))).filter((f) => f.endsWith('.vl.json'));
    expect(specs).toHaveLength(charts.length);
    for (const f of specs) {
      const q = JSON.parse(await readFile(join(quick, 'charts', f), 'utf8')) as Row;
      const lines = subtitleOf(q) as string[];
      expect(lines[lines.length - 1], f).toBe(QUICK_NOTE);
      const plain = JSON.parse(await readFile(join(full, 'charts', f), 'utf8')) as Row;
      expect(JSON.stringify(subtitleOf(plain) ?? null), f).not.toContain('QUICK');
      // The note adds a line; the chart's own subtitle lines stay before it.
      const own = subtitleOf(plain);
      expect(lines.slice(0, -1), f).toEqual(own === undefined ? [] : Array.isArray(own) ? own : [own]);
    }
    const svg = await readFile(join(quick, 'charts', `${charts[0]?.id ?? ''}.svg`), 'utf8');
    expect(svg).toContain('QUICK RUN (--quick)');
  });

  it('keeps every spec schema-valid and is applied once', () => {
    for (const chart of [...allCharts(), ...variantCharts()]) {
      const once = withQuickNote(chart.spec);
      expect(validateSpec(once), chart.id).toEqual([]);
      expect(withQuickNote(once)).toEqual(once);
    }
    // A title given as a plain string becomes an object with the note as its subtitle.
    expect(withQuickNote({ title: 'T' })['title']).toEqual({ text: 'T', subtitle: [QUICK_NOTE] });
  });

  it('shows a banner in the report and embeds the marked specs', () => {
    const input: ReportInput = {
      title: 't',
      description: 'd',
      charts: [sweepChart(), cdfChart()],
      paramsTable: [],
      manifest: { quick: true },
      quick: true,
    };
    const html = reportHtml(input);
    expect(html).toContain(`<p class="quick-banner">${QUICK_NOTE}</p>`);
    const data = /<script type="application\/json" id="hvsim-charts">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    const embedded = JSON.parse(data) as { id: string; spec: Row }[];
    expect(embedded).toHaveLength(2);
    for (const c of embedded) expect((subtitleOf(c.spec) as string[]).at(-1)).toBe(QUICK_NOTE);
    expect(reportHtml({ ...input, quick: false })).not.toContain('quick-banner"');
  });
});

describe('tooltips', () => {
  it('use the axis titles (units included) without the scale remark', () => {
    expect(tooltipTitle('mean latency (µs, log scale)')).toBe('mean latency (µs)');
    expect(tooltipTitle('notification batch k (items, log2 scale)')).toBe('notification batch k (items)');
    expect(tooltipTitle('CPU-bound domains N (log scale)')).toBe('CPU-bound domains N');
    expect(tooltipTitle('share (%)')).toBe('share (%)');
  });

  it('of measureVsParam name the y axis quantity and unit, not the measure (e.g. ...Ns)', () => {
    const summary: SummaryRow[] = sweepSummary().map((r) => ({
      ...r,
      measure: r.measure === 'cpuUs' ? 'cpuNs' : r.measure,
    }));
    const chart = measureVsParam({
      id: 'c',
      title: 't',
      summary,
      measure: 'cpuNs',
      x: 'batch',
      color: 'sched',
      xTitle: 'batch (log scale)',
      yTitle: 'CPU per packet (µs, log scale)',
      xScale: 'log',
      yScale: 'log',
    });
    const point = layersOf(chart).find((l) => (l['mark'] as Row)['type'] === 'point') ?? {};
    const tooltip = (point['encoding'] as Row)['tooltip'] as Row[];
    const titles = tooltip.map((t) => t['title']);
    expect(titles).toContain('CPU per packet (µs): mean');
    expect(titles).toContain('batch');
    expect(titles.join(' ')).not.toMatch(/Ns\b/);
  });
});

describe('series dodge', () => {
  it('draws series a few px to either side of the true x; tooltips and theory keep the true x', () => {
    const chart = sweepChart();
    const rows = chart.spec['data'] as { values: Row[] };
    for (const r of rows.values) {
      const x = r['x'] as number;
      const xPlot = r['xPlot'] as number;
      // Two series 8 px apart on a log axis over [1, 20] drawn on 440 - 2 * 12 px: each moves 4 px,
      // a factor 20^(4/416) ≈ 1.029.
      if (r['series'] === 'bvt') expect(xPlot / x).toBeCloseTo(20 ** (-4 / 416), 9);
      else expect(xPlot / x).toBeCloseTo(20 ** (4 / 416), 9);
    }
    for (const l of layersOf(chart)) expect(((l['encoding'] as Row)['x'] as Row)['field']).toBe('xPlot');
    const theory = layersOf(theoryChart())[2] ?? {};
    expect(((theory['encoding'] as Row)['x'] as Row)['field']).toBe('x');
    // One series: nothing to separate, no note.
    const single = theoryChart().spec['data'] as { values: Row[] };
    expect(single.values.every((r) => r['xPlot'] === r['x'])).toBe(true);
  });
});

describe('line series that may coincide', () => {
  it('get distinct dash patterns in cdf and timeSeries, with one legend of line segments', () => {
    for (const chart of [cdfChart(), seriesChart()]) {
      const line = layersOf(chart)[0] ?? {};
      const enc = line['encoding'] as Record<string, Row>;
      const dash = enc['strokeDash'] ?? {};
      const scale = dash['scale'] as { domain: string[]; range: number[][] };
      expect(scale.domain.length, chart.id).toBeGreaterThanOrEqual(2);
      expect(new Set(scale.range.map((r) => JSON.stringify(r))).size, chart.id).toBe(scale.domain.length);
      expect(dash['title'], chart.id).toBe(enc['color']?.['title']);
      expect((enc['color']?.['legend'] as Row)['symbolType'], chart.id).toBe('stroke');
      expect(validateSpec(chart.spec), chart.id).toEqual([]);
    }
  });
});

describe('log axes', () => {
  it('label every decade, with 2 and 5 steps only on short ranges', () => {
    // Data from 2 to 5e5: before, ticks fell on 2, 20, 200, ... (no decade labelled).
    expect(logTicks([2, 500_000])).toEqual([10, 100, 1000, 10_000, 100_000]);
    expect(logTicks([1.1, 11])).toEqual([1, 2, 5, 10, 20]);
    expect(logTicks([0.02, 0.9])).toEqual([0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    // No power of ten inside: the ends of the domain.
    expect(logTicks([3, 4])).toEqual([2, 5]);
  });

  it('are used by measureVsParam (y) and cdf (x) with a plain-number format', () => {
    const chart = measureVsParam({
      id: 'c',
      title: 't',
      summary: sweepSummary(),
      measure: 'cpuUs',
      x: 'batch',
      color: 'sched',
      xTitle: 'x',
      yTitle: 'y',
      yScale: 'log',
    });
    const y = ((layersOf(chart)[2]?.['encoding'] as Row)['y'] as Row)['axis'] as Row;
    // Means ± CI span 4.25..112: domain [2, 200], two decades, so 2 and 5 steps are labelled too.
    expect(y['values']).toEqual([2, 5, 10, 20, 50, 100, 200]);
    expect(y['format']).toBe(',~r');
    expect(validateSpec(chart.spec)).toEqual([]);
  });
});

describe('legends', () => {
  it('do not truncate labels', () => {
    const config = sweepChart().spec['config'] as Row;
    expect((config['legend'] as Row)['labelLimit']).toBe(0);
  });
});

describe('model notes', () => {
  const text = [
    'Model: one CPU; N CPU-bound domains',
    'and one latency-sensitive domain <lat>.',
    'Plain text continues `here`.',
    '',
    'Steps:',
    '- first item',
    '  continued',
    '- second & last',
    '1. numbered',
  ].join('\n');

  it('parse into labelled paragraphs and lists, joining hard wraps', () => {
    expect(parseNotes(text)).toEqual([
      {
        kind: 'paragraph',
        label: 'Model',
        text: 'one CPU; N CPU-bound domains and one latency-sensitive domain <lat>. Plain text continues `here`.',
      },
      { kind: 'paragraph', text: 'Steps:' },
      { kind: 'list', ordered: false, items: ['first item continued', 'second & last'] },
      { kind: 'list', ordered: true, items: ['numbered'] },
    ]);
  });

  it('render as escaped HTML', () => {
    expect(notesHtml(text)).toBe(
      [
        '<p><strong>Model:</strong> one CPU; N CPU-bound domains and one latency-sensitive domain &lt;lat&gt;. ' +
          'Plain text continues <code>here</code>.</p>',
        '<p>Steps:</p>',
        '<ul><li>first item continued</li><li>second &amp; last</li></ul>',
        '<ol><li>numbered</li></ol>',
      ].join('\n'),
    );
  });

  it('re-wrap as text within a width', () => {
    const lines = notesAsText(`${'word '.repeat(60)}\n- ${'item '.repeat(30)}`, 40);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
    expect(lines.filter((l) => l.startsWith('- '))).toHaveLength(1);
    expect(
      lines
        .join(' ')
        .split(/\s+/)
        .filter((w) => w === 'word'),
    ).toHaveLength(60);
  });

  it('appear in the report under their own heading, the manifest folded', () => {
    const html = reportHtml({
      title: 't',
      description: 'd',
      charts: [],
      paramsTable: [],
      manifest: { a: '<b>' },
      notes: text,
    });
    expect(html).toContain('<h2>Model notes</h2>\n<section class="notes">\n<p><strong>Model:</strong>');
    const manifest = html.slice(html.indexOf('<h2>Manifest</h2>'), html.indexOf('</main>'));
    expect(manifest).toMatch(
      /^<h2>Manifest<\/h2>\n<details class="manifest"><summary>[^<]+<\/summary>\n<pre class="manifest">\{\n {2}&quot;a&quot;: &quot;&lt;b&gt;&quot;\n\}<\/pre>\n<\/details>\n$/,
    );
    // Folded: no "open" attribute.
    expect(manifest).not.toMatch(/<details[^>]* open/);
  });
});

describe('parameter values with units', () => {
  it('show times in their unit and other numbers with the ParamSpec unit', () => {
    expect(formatParamValue(2_000_000, 'ns')).toBe('2 ms');
    expect(formatParamValue(100_000, 'ns')).toBe('100 µs');
    expect(formatParamValue(4, 'domains')).toBe('4 domains');
    expect(formatParamValue(0.9, '')).toBe('0.9');
    expect(formatParamValue('credit', '')).toBe('credit');
    expect(formatParamValues([10_000, 100_000, 1_000_000, 0], 'ns')).toBe('10 µs, 100 µs, 1 ms, 0 ns');
    expect(formatParamValues([1, 4, 16], 'domains')).toBe('1, 4, 16 domains');
  });

  it('appear so in the summary table of the report', () => {
    const summary: SummaryRow[] = [1_000_000, 2_000_000].map((t, i) => ({
      point: i,
      params: { holdOffNs: t },
      measure: 'm',
      mean: 1,
      sd: 0,
      halfWidth: 0,
      n: 1,
    }));
    const html = reportHtml({
      title: 't',
      description: 'd',
      charts: [],
      manifest: {},
      summary,
      paramsTable: [
        { name: 'holdOffNs', value: formatParamValues([1_000_000, 2_000_000], 'ns'), unit: 'ns', doc: 'hold-off' },
      ],
      paramUnits: { holdOffNs: 'ns' },
      measureUnits: { m: 'requests/s' },
    });
    expect(html).toContain('<td class="num">1 ms, 2 ms</td>');
    expect(html).toContain('<td class="num">2 ms</td><td>m</td><td>requests/s</td>');
    expect(html).not.toContain('2000000');
  });
});

// Rendering without a browser (src/charts/render.ts, fonts.ts): the SVG holds exactly the marks the
// data implies and the axis titles; Vega-Lite warnings fail the render; the PNG is a PNG of
// PNG_SCALE x the SVG size whose text is really drawn (DejaVu Sans loaded).

import { describe, expect, it } from 'vitest';
import { PNG_SCALE, renderPng, renderSvg, VEGA_LITE_SCHEMA_URL } from '../../src/charts/index.js';
import { findDejaVuSans } from '../../src/charts/fonts.js';
import { barsChart, cdfChart, markCounts, seriesChart, sweepChart, theoryChart, variantCharts } from './fixtures.js';
import { darkPixels, decodePng, PNG_MAGIC } from './png.js';

const svgSize = (svg: string): { width: number; height: number } => {
  const m = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  return { width: Number(m?.[1]), height: Number(m?.[2]) };
};

describe('renderSvg', () => {
  it('draws 6 points, 6 error bars with 12 caps and 2 lines for a 3 x 2 sweep', async () => {
    const svg = await renderSvg(sweepChart().spec);
    expect(markCounts(svg)).toEqual({ symbol: 6, line: 2, rule: 6, rect: 12 });
    expect(svg).toContain('>packets per notification</text>');
    expect(svg).toContain('>CPU time per packet (µs)</text>');
    expect(svg).toContain('>scheduler</text>');
    // Ticks exactly at the swept values.
    for (const t of ['1', '4', '16']) expect(svg).toContain(`>${t}</text>`);
    expect(svg).toContain('font-family="DejaVu Sans');
  });

  it('draws the theory curve as a second, dashed line with both legend entries', async () => {
    const svg = await renderSvg(theoryChart().spec);
    expect(markCounts(svg)).toMatchObject({ symbol: 3, line: 2 });
    expect(svg).toMatch(/stroke-dasharray="6,4"/);
    expect(svg).toContain('>simulated (95% CI)</text>');
    expect(svg).toContain('>100 / batch (theory)</text>');
  });

  it('draws one bar per row, one error bar per row and the baseline rule', async () => {
    const svg = await renderSvg(barsChart().spec);
    expect(markCounts(svg)).toEqual({ rect: 6 + 12, rule: 6 + 1 });
    expect(svg).toContain('>score relative to native</text>');
    expect(svg).toContain('>OSDB-OLTP</text>');
  });

  it('draws one step curve per CDF series and one line per time series', async () => {
    expect(markCounts(await renderSvg(cdfChart().spec))).toEqual({ line: 2, symbol: 40 });
    const ts = await renderSvg(seriesChart().spec);
    expect(markCounts(ts)).toEqual({ line: 2, symbol: 22 });
    expect(ts).toContain('>simulated time (s)</text>');
  });

  it('gives the same bytes every time, also when renders overlap', async () => {
    const specs = [sweepChart().spec, barsChart().spec, sweepChart().spec];
    const [a, b, c] = await Promise.all(specs.map((s) => renderSvg(s)));
    expect(c).toBe(a);
    expect(await renderSvg(barsChart().spec)).toBe(b);
  });

  it('restarts clip-path ids for each render (vega numbers them process-wide)', async () => {
    const base = sweepChart().spec;
    const layers = (base['layer'] as Record<string, unknown>[]).map((l) => ({
      ...l,
      mark: { ...(l['mark'] as Record<string, unknown>), clip: true },
    }));
    const spec = { ...base, layer: layers };
    const first = await renderSvg(spec);
    expect(first).toContain('clip-path="url(#clip1)"');
    expect(await renderSvg(spec)).toBe(first);
  });

  it('renders every builder variant without warnings', async () => {
    const counts: Record<string, Record<string, number>> = {};
    for (const c of variantCharts()) counts[c.id] = markCounts(await renderSvg(c.spec));
    expect(counts).toEqual({
      'v-ordinal-x': { rect: 12, rule: 6, line: 3, symbol: 6 },
      'v-log-y': { rect: 12, rule: 6, line: 2, symbol: 6 },
      'v-theory-series': { rect: 12, rule: 6, line: 2 + 2 + 1, symbol: 6 },
      'v-plain': { rect: 6, rule: 3, line: 1, symbol: 3 },
      'v-cdf-plain': { line: 1, symbol: 30 }, // 40 samples, 30 distinct values
      'v-ts-long': { line: 1, symbol: 300 },
    });
  });

  it('throws on Vega-Lite warnings', async () => {
    const spec = {
      $schema: VEGA_LITE_SCHEMA_URL,
      data: { values: [{ a: 1, b: 'x' }] },
      mark: 'bar',
      encoding: { x: { field: 'a', type: 'quantitative' }, shape: { field: 'b', type: 'nominal' } },
    };
    await expect(renderSvg(spec)).rejects.toThrow(/vega-lite compile reported 1 problem\(s\):\n {2}WARN: .*shape/);
  });
});

describe('renderPng', () => {
  it(`is a PNG of ${PNG_SCALE} x the SVG size with its text drawn`, async () => {
    const svg = await renderSvg(sweepChart().spec);
    const png = renderPng(svg);
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    const img = decodePng(png);
    const size = svgSize(svg);
    expect(size.width).toBeGreaterThan(400);
    expect([img.width, img.height]).toEqual([size.width * PNG_SCALE, size.height * PNG_SCALE]);
    // The band above the plot holds only the title and subtitle: dark pixels there are text.
    const titleBand = darkPixels(img, 0, 0, 300 * PNG_SCALE, 40 * PNG_SCALE);
    expect(titleBand).toBeGreaterThan(1000);
    // Removing the text leaves that band white.
    const noText = decodePng(renderPng(svg.replace(/<text[^>]*>[\s\S]*?<\/text>/g, '')));
    expect(darkPixels(noText, 0, 0, 300 * PNG_SCALE, 40 * PNG_SCALE)).toBe(0);
  });

  it('is deterministic', async () => {
    const svg = await renderSvg(barsChart().spec);
    expect(renderPng(svg).equals(renderPng(svg))).toBe(true);
  });

  it('fails loudly when DejaVu Sans is missing', () => {
    expect(() => findDejaVuSans(['/nonexistent/fonts'])).toThrow(/DejaVu Sans not found.*fonts-dejavu-core/);
  });
});

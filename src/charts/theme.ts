// The shared look of every hvsim chart: the Vega-Lite schema URL the specs declare, the font (the one
// renderPng loads, see fonts.ts), default sizes in CSS pixels, a colour-blind-safe palette
// (Okabe & Ito, "Color Universal Design", 2008, without its yellow, which is unreadable on white) and
// a Vega-Lite `config` tuned for print: dark text, 12-13 px labels, light grid, 2 px lines.

/** The Vega-Lite major version the specs target (vega-lite 6.x ships with the project). */
export const VEGA_LITE_SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Font of all chart text. renderPng loads exactly this family; browsers fall back in order. */
export const FONT_FAMILY = 'DejaVu Sans';
const FONT_STACK = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';

/** Plot-area size in CSS pixels (axes, legend and title come on top). */
export const CHART_WIDTH = 440;
export const CHART_HEIGHT = 280;

/** Okabe-Ito colours (blue, vermillion, bluish green, reddish purple, orange, sky blue, black, grey). */
export const PALETTE: readonly string[] = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#999999',
];

/** Colour of a single unnamed series, and of theory curves that belong to no series. */
export const SINGLE_SERIES_COLOR = '#0072B2';
export const THEORY_COLOR = '#333333';

/** Legend label of simulated values when a theory curve is shown next to them. */
export const SIMULATED_LABEL = 'simulated (95% CI)';

/**
 * Dash patterns of the series of a line chart whose curves may coincide (CDFs, time series): drawn in
 * order, a later dashed curve lets an earlier one show through its gaps.
 */
export const SERIES_DASHES: readonly (readonly number[])[] = [
  [1, 0],
  [8, 4],
  [2, 3],
  [10, 3, 2, 3],
  [4, 4],
  [1, 4],
  [12, 3, 3, 3, 3, 3],
  [6, 2],
];

/** Legend of line series: short line segments (showing colour and dash), not circles. */
export const LINE_LEGEND = { symbolType: 'stroke', symbolSize: 400, symbolStrokeWidth: 2 } as const;

/**
 * Colour and (for 2..8 series) dash encodings of the series of a line chart, with one merged legend
 * of line segments.
 */
export function seriesLineEncoding(field: string, title: string, domain: readonly string[]): Record<string, unknown> {
  const color = { field, type: 'nominal', title, scale: categoryScale(domain), legend: { ...LINE_LEGEND } };
  if (domain.length < 2 || domain.length > SERIES_DASHES.length) return { color };
  return {
    color,
    strokeDash: {
      field,
      type: 'nominal',
      title,
      scale: { domain: [...domain], range: SERIES_DASHES.slice(0, domain.length).map((d) => [...d]) },
      legend: { ...LINE_LEGEND },
    },
  };
}

/** Dash patterns (px on, px off): solid for simulation, dashed for theory. */
export const SOLID_DASH: readonly number[] = [1, 0];
export const THEORY_DASH: readonly number[] = [6, 4];

/** Number formats (d3-format) used in tooltips. */
export const VALUE_FORMAT = '.4~g';
export const CI_FORMAT = '.3~g';

/** A fresh copy of the Vega-Lite config every builder puts into its spec. */
export function chartConfig(): Record<string, unknown> {
  const text = '#1a1a1a';
  const ink = '#333333';
  return {
    background: 'white',
    font: FONT_STACK,
    padding: 8,
    view: { stroke: null },
    title: {
      fontSize: 15,
      fontWeight: 'bold',
      color: '#111111',
      anchor: 'start',
      offset: 10,
      subtitleFontSize: 12,
      subtitleColor: '#444444',
    },
    axis: {
      labelFontSize: 12,
      labelColor: text,
      titleFontSize: 13,
      titleFontWeight: 'bold',
      titleColor: '#111111',
      titlePadding: 8,
      domainColor: ink,
      tickColor: ink,
      gridColor: '#e4e4e4',
      labelOverlap: true,
    },
    legend: {
      labelFontSize: 12,
      labelColor: text,
      titleFontSize: 12,
      titleColor: '#111111',
      symbolStrokeWidth: 2,
      symbolOpacity: 1,
      // No truncation: a cut legend label hides what a series is (the chart widens instead).
      labelLimit: 0,
    },
    line: { strokeWidth: 2 },
    point: { size: 50, filled: true },
    bar: { stroke: null },
    range: { category: [...PALETTE] },
  };
}

/** Point shapes of the series in legend order, so series stay distinguishable in greyscale print. */
export const SERIES_SHAPES: readonly string[] = [
  'circle',
  'square',
  'triangle-up',
  'diamond',
  'cross',
  'triangle-down',
  'triangle-left',
  'triangle-right',
];

/** The colour scale for a nominal series domain: the palette, or tableau20 beyond its length. */
export function categoryScale(domain: readonly string[]): Record<string, unknown> {
  return domain.length <= PALETTE.length
    ? { domain: [...domain], range: PALETTE.slice(0, domain.length) }
    : { domain: [...domain], scheme: 'tableau20' };
}

/**
 * The colour encoding of bars by a nominal field: the labels in the given order (legend and scale), the
 * legend above the chart without a title, its entries in a row (`horizontal`) or as vega lays them out.
 */
export function barColor(field: string, labels: readonly string[], horizontal: boolean): Record<string, unknown> {
  return {
    field,
    type: 'nominal',
    title: null,
    sort: labels,
    scale: categoryScale(labels),
    legend: horizontal ? { orient: 'top', direction: 'horizontal' } : { orient: 'top' },
  };
}

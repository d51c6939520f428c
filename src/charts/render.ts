// Rendering without a browser: Vega-Lite spec -> Vega spec (vega-lite compile) -> headless vega View
// (renderer 'none') -> SVG string; SVG -> PNG with resvg-js at PNG_SCALE times the SVG's CSS-pixel
// size, using the DejaVu Sans files found by fonts.ts (system fonts are not loaded, so a PNG depends
// only on DejaVu and is the same on every machine that has it). Text is laid out with DejaVu Sans
// advance widths (textMetrics.ts, installed into vega's process-wide textMetrics on first use), so
// SVG rendering needs the font too. Any Vega-Lite or Vega warning or error fails the render.
// See docs/charts.md.

import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { dejaVuSans } from './fonts.js';
import { loadFontMetrics, vegaTextWidth } from './textMetrics.js';
import { FONT_FAMILY } from './theme.js';

/** PNG pixels per SVG (CSS) pixel: 2 gives print-quality figures (~190 dpi at the usual 3.4" width). */
export const PNG_SCALE = 2;

let queue: Promise<unknown> = Promise.resolve();
let metricsInstalled = false;

/** Lays text out with DejaVu Sans widths instead of vega's 0.8 em per character guess (textMetrics.ts). */
function installTextMetrics(): void {
  if (metricsInstalled) return;
  const [regular, bold] = dejaVuSans().files;
  if (regular === undefined || bold === undefined)
    throw new Error('renderSvg: DejaVu Sans regular and bold are both needed');
  // vega re-exports vega-scenegraph's textMetrics at run time; its typings do not declare it.
  const metrics: unknown = (vega as unknown as Record<string, unknown>)['textMetrics'];
  if (typeof metrics !== 'object' || metrics === null || !('width' in metrics)) {
    throw new Error('renderSvg: this vega version has no textMetrics.width hook');
  }
  (metrics as { width: unknown }).width = vegaTextWidth(loadFontMetrics(regular), loadFontMetrics(bold));
  metricsInstalled = true;
}

/**
 * Renders a Vega-Lite spec to an SVG string. Throws on any Vega-Lite or Vega warning or error.
 * Calls are serialised: vega numbers clip paths and gradients with process-wide counters, which are
 * reset before each render so the same spec always gives the same bytes.
 */
export function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const run = queue.then(() => renderOnce(spec));
  queue = run.catch(() => undefined);
  return run;
}

async function renderOnce(spec: Record<string, unknown>): Promise<string> {
  installTextMetrics();
  const messages: string[] = [];
  const logger = vega.logger(vega.Warn, undefined, (_method, level, args) => {
    messages.push(`${level}: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`);
  });
  const fail = (stage: string): never => {
    throw new Error(`renderSvg: ${stage} reported ${messages.length} problem(s):\n  ${messages.join('\n  ')}`);
  };
  // The caller's spec is plain JSON; vega-lite checks it further while compiling.
  const compiled = compile(spec as unknown as TopLevelSpec, { logger }).spec;
  if (messages.length > 0) fail('vega-lite compile');
  const view = new vega.View(vega.parse(compiled as vega.Spec), { renderer: 'none', logger, logLevel: vega.Warn });
  try {
    vega.resetSVGDefIds();
    const svg = await view.toSVG();
    if (messages.length > 0) fail('vega');
    return svg;
  } finally {
    view.finalize();
  }
}

/** Renders an SVG (as made by renderSvg) to a PNG at PNG_SCALE, white background, DejaVu Sans text. */
export function renderPng(svg: string): Buffer {
  const font = dejaVuSans();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: 'white',
    font: {
      loadSystemFonts: false,
      fontFiles: [...font.files],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
    },
    logLevel: 'error',
  });
  return resvg.render().asPng();
}

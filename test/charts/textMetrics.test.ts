// Text widths for headless layout (src/charts/textMetrics.ts), checked against an independent
// measurement: the ink extent resvg draws for the same string with the same font.

import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { dejaVuSans } from '../../src/charts/fonts.js';
import { loadFontMetrics, textWidth, vegaTextWidth } from '../../src/charts/textMetrics.js';

const [regularPath, boldPath] = dejaVuSans().files;
const regular = loadFontMetrics(regularPath ?? '');
const bold = loadFontMetrics(boldPath ?? '');

/** Width of the ink resvg draws for `text` at `size` px (side bearings excluded). */
function inkWidth(text: string, size: number, weight: 'normal' | 'bold'): number {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="100"><text x="10" y="60" ` +
    `font-family="DejaVu Sans" font-size="${size}" font-weight="${weight}">${text}</text></svg>`;
  const r = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [...dejaVuSans().files], defaultFontFamily: 'DejaVu Sans' },
  });
  return r.innerBBox()?.width ?? 0;
}

describe('DejaVu Sans text widths', () => {
  it.each([
    ['packets per notification', 13, 'bold'],
    ['mean ± 95% CI (Student t), n = 5 replications', 12, 'normal'],
    ['CPU time per packet (µs)', 13, 'bold'],
    ['offered load ρ', 12, 'normal'],
  ] as const)('%s at %d px (%s) matches what resvg draws', (text, size, weight) => {
    const w = textWidth(weight === 'bold' ? bold : regular, text, size);
    const ink = inkWidth(text, size, weight);
    expect(ink).toBeGreaterThan(50);
    // Advance widths include the first and last glyphs' side bearings (about 1 px each) and no kerning.
    expect(Math.abs(w - ink)).toBeLessThan(0.02 * ink + 3);
  });

  it('is much narrower than vega’s 0.8 em per character guess', () => {
    const text = 'response time (ms)';
    expect(textWidth(regular, text, 12)).toBeLessThan(0.7 * 0.8 * 12 * text.length);
  });

  it('follows vega’s item conventions: weight, trimming, limit, default size', () => {
    const width = vegaTextWidth(regular, bold);
    const plain = width({ fontSize: 12 }, 'scheduler');
    expect(width({ fontSize: 12, fontWeight: 'bold' }, 'scheduler')).toBeGreaterThan(plain);
    expect(width({ fontSize: 12 }, '  scheduler ')).toBe(plain);
    expect(width({ fontSize: 12, limit: 20 }, 'scheduler')).toBe(20);
    expect(width({}, 'scheduler')).toBeCloseTo((plain * 11) / 12, 9);
    expect(width({ fontSize: 12 }, null)).toBe(0);
  });
});

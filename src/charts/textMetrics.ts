// Text widths for headless vega layout, from the DejaVu Sans font files themselves. Without a canvas
// vega estimates every string as 0.8 em per character, about a third wider than DejaVu Sans, which
// leaves blank margins, misplaces legends and makes axes drop labels as "overlapping". This module
// reads advance widths (TrueType head/hhea/hmtx tables, cmap format 4 or 12) of the regular and bold
// faces and installs them as vega's textMetrics.width, the hook vega provides for this (vl-convert
// uses it too). Kerning is ignored (under 1% on typical labels). Widths are in CSS pixels.

import { readFileSync } from 'node:fs';

export interface FontMetrics {
  readonly unitsPerEm: number;
  /** Advance width of a code point in font units (the missing-glyph advance when absent). */
  advance(codePoint: number): number;
}

function tableOffsets(buf: Buffer, path: string): Map<string, number> {
  const tables = new Map<string, number>();
  const count = buf.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const rec = 12 + 16 * i;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  for (const t of ['head', 'hhea', 'hmtx', 'cmap']) {
    if (!tables.has(t)) throw new Error(`${path}: not a TrueType font with a ${t} table`);
  }
  return tables;
}

/** Code point -> glyph id from the best Unicode cmap subtable. */
function cmapLookup(buf: Buffer, cmap: number, path: string): (cp: number) => number {
  const n = buf.readUInt16BE(cmap + 2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const sub = cmap + buf.readUInt32BE(rec + 4);
    const format = buf.readUInt16BE(sub);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && format12 < 0) format12 = sub;
    if (format === 4 && format4 < 0) format4 = sub;
  }
  if (format12 >= 0) {
    const groups = buf.readUInt32BE(format12 + 12);
    return (cp) => {
      for (let g = 0; g < groups; g++) {
        const rec = format12 + 16 + 12 * g;
        const start = buf.readUInt32BE(rec);
        if (cp >= start && cp <= buf.readUInt32BE(rec + 4)) return buf.readUInt32BE(rec + 8) + (cp - start);
      }
      return 0;
    };
  }
  if (format4 < 0) throw new Error(`${path}: no Unicode cmap (format 4 or 12)`);
  const segs = buf.readUInt16BE(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + 2 * segs + 2;
  const deltas = starts + 2 * segs;
  const rangeOffsets = deltas + 2 * segs;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segs; s++) {
      if (buf.readUInt16BE(ends + 2 * s) < cp) continue;
      const start = buf.readUInt16BE(starts + 2 * s);
      if (start > cp) return 0;
      const delta = buf.readUInt16BE(deltas + 2 * s);
      const ro = buf.readUInt16BE(rangeOffsets + 2 * s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const glyph = buf.readUInt16BE(rangeOffsets + 2 * s + ro + 2 * (cp - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

export function loadFontMetrics(path: string): FontMetrics {
  const buf = readFileSync(path);
  const t = tableOffsets(buf, path);
  const unitsPerEm = buf.readUInt16BE((t.get('head') ?? 0) + 18);
  const longMetrics = buf.readUInt16BE((t.get('hhea') ?? 0) + 34);
  const hmtx = t.get('hmtx') ?? 0;
  const glyphOf = cmapLookup(buf, t.get('cmap') ?? 0, path);
  const cache = new Map<number, number>();
  return {
    unitsPerEm,
    advance(cp: number): number {
      let w = cache.get(cp);
      if (w === undefined) {
        const g = Math.min(glyphOf(cp), longMetrics - 1);
        w = buf.readUInt16BE(hmtx + 4 * g);
        cache.set(cp, w);
      }
      return w;
    },
  };
}

/** Width in px of one line of text at fontSize px. */
export function textWidth(metrics: FontMetrics, text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) units += metrics.advance(ch.codePointAt(0) ?? 0);
  return (units * fontSize) / metrics.unitsPerEm;
}

/** The parts of a vega text item that its width depends on. */
interface TextItem {
  fontSize?: unknown;
  fontWeight?: unknown;
  limit?: unknown;
}

/**
 * vega's textMetrics.width(item, text) with DejaVu Sans metrics: the line is trimmed as vega does, and
 * a positive `limit` (vega truncates such text with an ellipsis when drawing it) caps the width.
 */
export function vegaTextWidth(regular: FontMetrics, bold: FontMetrics): (item: TextItem, text: unknown) => number {
  return (item, text) => {
    const line = text === null || text === undefined ? '' : String(text).trim();
    const size = item.fontSize === null || item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
    if (size <= 0 || line === '') return 0;
    const weight = item.fontWeight;
    const isBold =
      weight === 'bold' ||
      weight === 'bolder' ||
      (typeof weight === 'number' && weight >= 600) ||
      weight === '600' ||
      weight === '700' ||
      weight === '800' ||
      weight === '900';
    const w = textWidth(isBold ? bold : regular, line, size);
    const limit = Number(item.limit);
    return limit > 0 ? Math.min(w, limit) : w;
  };
}

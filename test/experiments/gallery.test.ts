// The README's gallery is what `npm run gallery` (scripts/gallery.ts) writes from experiments/suites.ts:
// the section between the markers is galleryMarkdown(paperSuite) (a member added to the suite without
// re-running the script fails here: run `npm run gallery`), and every picture it shows is a committed
// PNG in docs/gallery/; rewriting the section touches nothing else and a README without the markers is
// refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperSuite } from '../../experiments/suites.js';
import { GALLERY_BEGIN, GALLERY_END, galleryImage, galleryMarkdown, withGallery } from '../../scripts/gallery.js';
import { ROOT } from '../cli/cli-helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('README gallery', () => {
  it('is the rendering of the paper suite (else: npm run gallery)', () => {
    const a = readme.indexOf(GALLERY_BEGIN);
    const b = readme.indexOf(GALLERY_END);
    expect(a).toBeGreaterThan(0);
    expect(readme.slice(a + GALLERY_BEGIN.length, b)).toBe(galleryMarkdown(paperSuite));
  });

  it('shows one committed PNG and one sentence per member', () => {
    for (const m of paperSuite.members) {
      const png = join(ROOT, galleryImage(m));
      expect(existsSync(png), `${png}: run npm run gallery`).toBe(true);
      expect(readFileSync(png).subarray(0, 8).equals(PNG_MAGIC), png).toBe(true);
      expect(readme).toContain(`**${m.study}** — ${m.why}.`);
    }
  });

  it('rewriting the section changes only the section, and needs the markers', () => {
    const doc = `# t\n\nbefore\n${GALLERY_BEGIN}\nold text\n${GALLERY_END}\nafter\n`;
    const out = withGallery(doc, paperSuite);
    expect(out).toBe(`# t\n\nbefore\n${GALLERY_BEGIN}${galleryMarkdown(paperSuite)}${GALLERY_END}\nafter\n`);
    expect(withGallery(out, paperSuite)).toBe(out);
    expect(() => withGallery('# no markers\n', paperSuite)).toThrow(/no gallery section/);
  });
});

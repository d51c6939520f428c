// The README's gallery: runs the paper suite at quick fidelity (`hvsim run paper`, resuming what is
// finished), copies each member's main chart (experiments/suites.ts `chart`, else its first chart in
// name order) from results/paper-quick/<study>/charts/<chart>.png to docs/gallery/<study>.png, and
// rewrites the README between the gallery markers: one sentence (the member's `why`) and the picture
// per study. test/experiments/gallery.test.ts checks that the committed README section is this
// rendering and that every picture it shows exists.
// Run: npm run gallery   (builds, then runs the suite and rewrites docs/gallery/ and the README section)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { paperSuite } from '../experiments/suites.js';
import { runCli } from '../src/cli/cli.js';
import { processIo } from '../src/cli/io.js';
import { ExitCode } from '../src/runner/errors.js';
import { Fidelity, memberDir, suiteRoot, type Suite, type SuiteMember } from '../src/runner/suite.js';

export const GALLERY_BEGIN = '<!-- gallery:begin (npm run gallery writes this section) -->';
export const GALLERY_END = '<!-- gallery:end -->';
export const GALLERY_DIR = join('docs', 'gallery');

/** The picture of a member in the gallery, relative to the repository root. */
export function galleryImage(member: SuiteMember): string {
  return `${GALLERY_DIR}/${member.study}.png`;
}

/** The README's gallery section (between the markers, markers excluded). */
export function galleryMarkdown(suite: Suite): string {
  const lines: string[] = [''];
  for (const m of suite.members) {
    lines.push(`**${m.study}** — ${m.why}.`, '', `![${m.study}](${galleryImage(m)})`, '');
  }
  return lines.join('\n');
}

/** `readme` with its gallery section replaced; Error when the markers are missing. */
export function withGallery(readme: string, suite: Suite): string {
  const a = readme.indexOf(GALLERY_BEGIN);
  const b = readme.indexOf(GALLERY_END);
  if (a < 0 || b < a) throw new Error(`README.md: no gallery section (${GALLERY_BEGIN} … ${GALLERY_END})`);
  return readme.slice(0, a + GALLERY_BEGIN.length) + galleryMarkdown(suite) + readme.slice(b);
}

/** The member's main chart PNG in a finished suite folder. */
export function mainChartPng(root: string, member: SuiteMember): string {
  const charts = join(memberDir(root, member), 'charts');
  const id =
    member.chart ??
    readdirSync(charts)
      .filter((f) => f.endsWith('.png'))
      .sort()[0]
      ?.replace(/\.png$/, '');
  if (id === undefined) throw new Error(`${charts}: no chart`);
  return join(charts, `${id}.png`);
}

async function main(): Promise<void> {
  // dist/scripts/gallery.js → the repository root is two folders up.
  process.chdir(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const code = await runCli(['run', paperSuite.name], processIo);
  if (code !== ExitCode.ok) {
    process.exitCode = code;
    return;
  }
  const root = suiteRoot(paperSuite, Fidelity.quick);
  mkdirSync(GALLERY_DIR, { recursive: true });
  for (const m of paperSuite.members) {
    const png = mainChartPng(root, m);
    if (!existsSync(png))
      throw new Error(`${png}: missing (is the chart id of ${m.study} in experiments/suites.ts right?)`);
    copyFileSync(png, galleryImage(m));
    console.log(`${galleryImage(m)} ← ${png}`);
  }
  writeFileSync('README.md', withGallery(readFileSync('README.md', 'utf8'), paperSuite));
  console.log('README.md: gallery section rewritten');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

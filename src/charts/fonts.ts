// Locating the DejaVu Sans font files that renderPng hands to resvg. resvg silently drops text whose
// font it cannot load, so a missing font is an error here, naming the Debian package to install
// (fonts-dejavu-core). HVSIM_FONT_DIR, if set, is searched first.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

const FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;

const SEARCH_DIRS = [
  '/usr/share/fonts/truetype/dejavu', // Debian, Ubuntu
  '/usr/share/fonts/dejavu-sans-fonts', // Fedora
  '/usr/share/fonts/dejavu', // Alpine, openSUSE
  '/usr/share/fonts/TTF', // Arch
  '/usr/local/share/fonts/dejavu',
  '/opt/homebrew/share/fonts',
  '/Library/Fonts',
];

export interface FontSet {
  readonly dir: string;
  /** Regular and bold, in that order. */
  readonly files: readonly string[];
}

let found: FontSet | undefined;

/** The first folder of `dirs` holding DejaVu Sans regular and bold, or an error saying what to install. */
export function findDejaVuSans(dirs: readonly string[]): FontSet {
  for (const dir of dirs) {
    const files = FILES.map((f) => join(dir, f));
    if (files.every((f) => existsSync(f))) return { dir, files };
  }
  throw new Error(
    `DejaVu Sans not found: looked for ${FILES.join(' and ')} in ${dirs.join(', ')}. ` +
      `PNG charts need it (without it resvg drops all text). Install it, e.g. ` +
      `'apt-get install -y fonts-dejavu-core' on Debian/Ubuntu, or set HVSIM_FONT_DIR to a folder holding these files.`,
  );
}

/** DejaVu Sans from HVSIM_FONT_DIR or the usual system folders; looked up once per process. */
export function dejaVuSans(): FontSet {
  if (found === undefined) {
    const env = process.env['HVSIM_FONT_DIR'];
    found = findDejaVuSans(env !== undefined && env !== '' ? [env, ...SEARCH_DIRS] : SEARCH_DIRS);
  }
  return found;
}

// Provenance for manifests: the hvsim version (from the package.json above this module, whether it
// runs from src/ under vitest or from dist/src/ when compiled), the git commit of the checkout when
// git and a repository are available (null otherwise; "-dirty" appended when tracked files changed),
// and the Node.js version.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown };
        if (pkg.name === 'hvsim') return dir;
      } catch {
        // not ours; keep looking upwards
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The folder holding hvsim's package.json (null if not found). */
export const packageRoot: string | null = findPackageRoot();

let cachedVersion: string | undefined;
export function hvsimVersion(): string {
  if (cachedVersion === undefined) {
    cachedVersion = '0.0.0';
    if (packageRoot !== null) {
      const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') cachedVersion = pkg.version;
    }
  }
  return cachedVersion;
}

/** The commit of the hvsim checkout, with "-dirty" if tracked files differ; null without git. */
export function gitCommit(): string | null {
  if (packageRoot === null) return null;
  try {
    const opts = {
      cwd: packageRoot,
      encoding: 'utf8' as const,
      stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    };
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    if (!/^[0-9a-f]{40}$/.test(commit)) return null;
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim();
    return status === '' ? commit : `${commit}-dirty`;
  } catch {
    return null;
  }
}

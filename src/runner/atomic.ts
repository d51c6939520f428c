// Atomic file writes: the data goes to a temporary file in the same folder, which is then renamed over
// the target (rename is atomic within a file system), so a reader — or a resumed sweep after a kill —
// sees either the old file or the complete new one, never a half-written one.
// Temporary files are named ".<target>.<pid>-<n>.hvsim-tmp"; a killed process can leave them behind,
// and `removeTempFiles` (called when a sweep starts or resumes, under the folder's lock) deletes them.
// No fsync: this protects against killed processes, not against power loss.
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const TEMP_SUFFIX = '.hvsim-tmp';
let counter = 0;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${counter++}${TEMP_SUFFIX}`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Deletes temporary files left by killed writers in the given folders (missing folders are fine). */
export function removeTempFiles(dirs: readonly string[]): number {
  let removed = 0;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX)) {
        rmSync(join(dir, name), { force: true });
        removed++;
      }
    }
  }
  return removed;
}

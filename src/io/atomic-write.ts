// Atomic file writes (used by the runner's run files, CSVs and manifest, and by the chart and report
// writers): the data goes to a temporary file in the same folder, which is then renamed over
// the target (rename is atomic within a file system), so a reader — or a resumed sweep after a kill —
// sees either the old file or the complete new one, never a half-written one.
// Temporary files are named ".<target>.<pid>-<n>.hvsim-tmp"; a killed process can leave them behind,
// and `removeTempFiles` (called when a sweep starts or resumes, under the folder's lock) deletes them.
// No fsync: this protects against killed processes, not against power loss.
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_SUFFIX = '.hvsim-tmp';
let counter = 0;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${counter++}${TEMP_SUFFIX}`);
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The same as writeFileAtomic, without blocking the event loop. */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
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

// Atomic file replacement: write a temporary file in the destination's folder, then rename it over
// the destination, so a reader (or a killed writer) never sees a half-written file. The temporary
// name is deterministic per process (.<name>.<pid>.tmp) and removed if the write fails.

import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

// Checks that an output folder can be created and written, before anything is written. Access bits
// are not enough (root passes access(2) on read-only or virtual file systems such as /sys), so the
// check creates and at once removes an empty probe folder in the folder itself, or in its nearest
// existing ancestor when it does not exist yet. Failures are UsageErrors naming the flag and path.
import { mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

export function checkWritableDir(dir: string, label: string): void {
  const target = resolve(dir);
  let probeIn = target;
  for (;;) {
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(probeIn);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UsageError(`${label} ${dir}: cannot be used (${code ?? 'error'} on ${probeIn})`);
    }
    if (st !== undefined) {
      if (!st.isDirectory()) {
        throw new UsageError(
          probeIn === target
            ? `${label} ${dir}: exists and is not a directory; give a directory path`
            : `${label} ${dir}: ${probeIn} is a file, not a directory; give a directory path`,
        );
      }
      break;
    }
    const up = dirname(probeIn);
    if (up === probeIn) break;
    probeIn = up;
  }
  try {
    const probe = mkdtempSync(join(probeIn, '.hvsim-probe-'));
    rmdirSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${label} ${dir}: not writable (${code} creating a folder in ${probeIn}); give a writable directory`);
  }
}

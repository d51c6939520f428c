// The results-folder lock: DIR/.hvsim.lock holds "<pid> <hostname>" of the hvsim process writing the
// folder, created exclusively. A second run into the same folder while the first is alive fails
// with a message naming the holder. A lock left by a killed process (same host, pid no longer alive)
// is taken over. Released on exit, including after SIGINT/SIGTERM.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunError } from './errors.js';

export const LOCK_FILE = '.hvsim.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DirLock {
  private released = false;
  private constructor(readonly path: string) {}

  static acquire(dir: string): DirLock {
    const path = join(dir, LOCK_FILE);
    const me = `${process.pid} ${hostname()}\n`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(path, me, { flag: 'wx' });
        return new DirLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let holder = '';
      try {
        holder = readFileSync(path, 'utf8').trim();
      } catch {
        continue; // released in between
      }
      const [pidText, host] = holder.split(' ');
      const pid = Number(pidText);
      if (host === hostname() && Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new RunError(`${dir} is in use by another hvsim process (pid ${pid}); wait for it or use another --out`);
      }
      if (host !== undefined && host !== hostname()) {
        throw new RunError(`${dir} is locked by hvsim on host ${host} (pid ${pidText}); if that run is dead, delete ${path}`);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
    throw new RunError(`could not lock ${dir}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(this.path, { force: true });
  }
}

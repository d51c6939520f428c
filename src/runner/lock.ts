// The results-folder lock: DIR/.hvsim.lock holds "<pid> <hostname> <start>" of the hvsim process
// writing the folder, where <start> is the process's start time in clock ticks since boot (field 22
// of /proc/<pid>/stat; "-" where /proc is absent). The file is written complete to a temporary name
// and then hard-linked to .hvsim.lock (link fails if it exists), so no other process ever sees an
// empty or half-written lock. A second run into the same folder while the holder is alive fails with
// a message naming the holder. A lock is taken over when its process is gone, or when the pid is alive
// but started at another time (the pid was reused by an unrelated process). A lock from another host,
// or one that cannot be read as a lock, is never taken over: the message says which file to delete.
// Released on exit, including after SIGINT/SIGTERM.
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Start time of a process in clock ticks since boot, from /proc; '-' when unavailable. */
export function processStartTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19]; // field 22 overall
    return start !== undefined && /^\d+$/.test(start) ? start : '-';
  } catch {
    return '-';
  }
}

let counter = 0;

export class DirLock {
  private released = false;
  private constructor(readonly path: string) {}

  static acquire(dir: string): DirLock {
    const path = join(dir, LOCK_FILE);
    const me = `${process.pid} ${hostname()} ${processStartTime(process.pid)}\n`;
    const tmp = join(dir, `.hvsim.lock.${process.pid}-${counter++}.hvsim-tmp`);
    writeFileSync(tmp, me);
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          linkSync(tmp, path);
          return new DirLock(path);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            // The holder's start-up cleanup removed our temporary file: write it again and retry.
            writeFileSync(tmp, me);
            continue;
          }
          if (code !== 'EEXIST') throw err;
        }
        let holder: string;
        try {
          holder = readFileSync(path, 'utf8').trim();
        } catch {
          continue; // released in between
        }
        const [pidText, host, start] = holder.split(' ');
        const pid = Number(pidText);
        if (!/^\d+$/.test(pidText ?? '') || !Number.isSafeInteger(pid) || pid <= 0 || host === undefined) {
          throw new RunError(
            `${path} is not an hvsim lock ('${holder.slice(0, 40)}'); if no hvsim process is writing ${dir}, delete it`,
          );
        }
        if (host !== hostname()) {
          throw new RunError(
            `${dir} is locked by hvsim on host ${host} (pid ${pid}); if that run is dead, delete ${path}`,
          );
        }
        if (pid !== process.pid && alive(pid)) {
          const now = processStartTime(pid);
          const sameProcess = start === undefined || start === '-' || now === '-' || now === start;
          if (sameProcess) {
            throw new RunError(
              `${dir} is in use by another hvsim process (pid ${pid}, started at tick ${start ?? '?'}); wait for it or use another --out ` +
                `(if pid ${pid} is not hvsim, delete ${path})`,
            );
          }
        }
        // Stale: its process is gone, or the pid now names another process. Remove it only if it still
        // holds what we read (another starter may have replaced it meanwhile).
        let again = '';
        try {
          again = readFileSync(path, 'utf8').trim();
        } catch {
          continue;
        }
        if (again === holder) rmSync(path, { force: true });
      }
      throw new RunError(`could not lock ${dir} (another process keeps taking ${path}); try again`);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(this.path, { force: true });
  }
}

// Harness of the adversarial suite: calls the CLI in-process (runCli from the compiled dist/, so the
// worker threads load compiled code) with captured stdout/stderr, and hashes folders so a case can
// assert that nothing on disk changed. Not a test file itself.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { runCli as RunCli } from '../../../src/cli/cli.js';
import { ROOT } from '../cli-helpers.js';

/** The study the suites run, and a small run of it: 5 points × 2 replications of 1 s simulated (well under a second of work). */
export const STUDY = 'mm1-validation';
export const SMALL_RUN = ['run', STUDY, '--quick', '--replications', '2', '--set', 'runLengthNs=1s', '--jobs', '1'];
export const BASE = [...SMALL_RUN, '--no-report', '-q'];

export interface Captured {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

let cli: typeof RunCli | undefined;

/** Runs `hvsim <args>` in this process; the module is compiled code from dist/ (npm run build). */
export async function hv(args: readonly string[]): Promise<Captured> {
  if (cli === undefined) {
    const path = join(ROOT, 'dist/src/cli/cli.js');
    cli = ((await import(path)) as { runCli: typeof RunCli }).runCli;
  }
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await cli(args, { out: (l) => void stdout.push(l), err: (l) => void stderr.push(l) });
  return { code, stdout, stderr };
}

/** SHA-256 over every path (files, folders, links) under `dir` and every file's bytes. */
export function treeHash(dir: string): string {
  const h = createHash('sha256');
  if (!existsSync(dir)) return 'absent';
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = `${rel}/${name}`;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        h.update(`D ${r}\n`);
        walk(p, r);
      } else if (st.isFile()) {
        h.update(`F ${r} ${st.size}\n`);
        h.update(readFileSync(p));
      } else h.update(`O ${r}\n`);
    }
  };
  walk(dir, '');
  return h.digest('hex');
}

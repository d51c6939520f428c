// Helpers for tests that spawn the compiled CLI (`node dist/src/cli/main.js`; run `npm run build`
// first — `npm test` does). Not a test file itself.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = join(ROOT, 'dist/src/cli/main.js');

if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' before these tests`);

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function hvsim(args: readonly string[], cwd: string = ROOT): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export interface Running {
  readonly pid: number;
  kill(signal: NodeJS.Signals): void;
  readonly done: Promise<CliResult>;
}

export function hvsimAsync(args: readonly string[], cwd: string = ROOT): Running {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult>((resolveDone) => {
    child.on('close', (status, signal) => resolveDone({ status, signal, stdout, stderr }));
  });
  return { pid: child.pid ?? -1, kill: (s) => void child.kill(s), done };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hvsim-${prefix}-`));
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Every file under `dir` (relative paths, sorted), including dot files. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

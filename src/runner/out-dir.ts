// Checks that an output folder can be created and written, before anything is written. Access bits
// are not enough (root passes access(2) on read-only or virtual file systems such as /sys), so the
// check creates and at once removes an empty probe folder in the folder itself, or in its nearest
// existing ancestor when it does not exist yet. Failures are UsageErrors naming the flag and path.
// Also here: empty or blank output paths are refused, and which folders hvsim may clean (ownership,
// below).
import { mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic-write.js';
import { hashOf } from './hash.js';
import { LOCK_FILE } from './lock.js';
import type { Plan } from './plan.js';
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
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new UsageError(`${label} ${dir}: cannot be used (${code ?? 'error'} on ${probeIn})`);
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
    throw new UsageError(
      `${label} ${dir}: not writable (${code} creating a folder in ${probeIn}); give a writable directory`,
    );
  }
}

/** An output path given on the command line: empty or blank is bad input (an unset shell variable). */
export function checkOutPath(dir: string, label: string): void {
  if (dir.trim() === '')
    throw new UsageError(
      `${label} '${dir}': empty path; give a folder name (an empty value would mean the current directory)`,
    );
  if (dir !== dir.trim())
    throw new UsageError(`${label} '${dir}': leading or trailing blanks; give the folder name without them`);
}

// ---------------------------------------------------------------------------------------------------
// Ownership of a results folder. hvsim removes or replaces files only in a folder it can prove it
// wrote: one holding its marker file DIR/.hvsim-results (written when a sweep or merge starts in it),
// or — for folders written before the marker existed — a valid hvsim manifest.json, or nothing but
// hvsim run files. Any other non-empty folder is refused (exit 2, nothing touched).
// The marker records the sweep's configuration (study, --quick, seed, replications, points): a run
// whose configuration differs is refused unless --force, which replaces the folder's run files.

export const MARKER_FILE = '.hvsim-results';
export const MARKER_FORMAT = 'hvsim-results/1';
const RUN_FILE = /^\d+-\d+\.json$/;
const TEMP = /\.hvsim-tmp$/;

/** What makes two sweeps "the same configuration" (independent of hvsim and study versions). */
export interface SweepIdentity {
  readonly study: string;
  readonly quick: boolean;
  readonly masterSeed: number;
  readonly replications: number;
  readonly points: number;
  readonly pointsHash: string;
}

export function sweepIdentity(p: {
  study: string;
  quick: boolean;
  masterSeed: number;
  replications: number;
  points: readonly { params: unknown }[];
}): SweepIdentity {
  return {
    study: p.study,
    quick: p.quick,
    masterSeed: p.masterSeed,
    replications: p.replications,
    points: p.points.length,
    pointsHash: hashOf(p.points.map((x) => x.params)),
  };
}

export function planIdentity(plan: Plan): SweepIdentity {
  return sweepIdentity(plan);
}

/** The first field in which two identities differ, as "field (a here, b requested)"; null if same. */
export function identityDifference(have: SweepIdentity, want: SweepIdentity): string | null {
  const fields: [string, unknown, unknown][] = [
    ['study', have.study, want.study],
    ['--quick', have.quick, want.quick],
    ['seed', have.masterSeed, want.masterSeed],
    ['replications', have.replications, want.replications],
    ['number of points', have.points, want.points],
  ];
  for (const [f, a, b] of fields) if (a !== b) return `${f} (${String(a)} there, ${String(b)} now)`;
  if (have.pointsHash !== want.pointsHash) return 'parameter values of the points';
  return null;
}

export type FolderState =
  | { readonly kind: 'absent' | 'empty' }
  | { readonly kind: 'owned'; readonly identity: SweepIdentity | null }
  | { readonly kind: 'foreign'; readonly why: string };

function readMarker(dir: string): SweepIdentity | null | undefined {
  const path = join(dir, MARKER_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (m.format !== MARKER_FORMAT) return null;
    const id = m.identity as SweepIdentity | undefined;
    if (id === undefined || typeof id.study !== 'string' || typeof id.pointsHash !== 'string') return null;
    return id;
  } catch {
    return null;
  }
}

function legacyIdentity(dir: string): SweepIdentity | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    if (m.format !== 'hvsim-manifest/1' || typeof m.study !== 'string' || !Array.isArray(m.points)) return undefined;
    return sweepIdentity({
      study: m.study,
      quick: m.quick === true,
      masterSeed: Number(m.masterSeed),
      replications: Number(m.replications),
      points: m.points as { params: unknown }[],
    });
  } catch {
    return undefined;
  }
}

/** Classifies an output folder (see above). Never modifies it. */
export function folderState(dir: string): FolderState {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'foreign', why: `cannot be listed (${code ?? 'error'})` };
  }
  const entries = names.filter((n) => n !== LOCK_FILE && !TEMP.test(n));
  if (entries.length === 0) return { kind: 'empty' };
  const marker = readMarker(dir);
  if (marker !== undefined) return { kind: 'owned', identity: marker };
  const legacy = legacyIdentity(dir);
  if (legacy !== undefined) return { kind: 'owned', identity: legacy };
  if (entries.every((n) => n === 'runs')) {
    let runs: string[] = [];
    try {
      runs = readdirSync(join(dir, 'runs'));
    } catch {
      return { kind: 'foreign', why: 'runs is not a folder' };
    }
    if (runs.every((n) => RUN_FILE.test(n) || TEMP.test(n))) return { kind: 'owned', identity: null };
  }
  return {
    kind: 'foreign',
    why: `it is not empty and not an hvsim results folder (no ${MARKER_FILE} or hvsim manifest.json)`,
  };
}

export function writeMarker(dir: string, identity: SweepIdentity): void {
  writeFileAtomic(
    join(dir, MARKER_FILE),
    `${JSON.stringify({ format: MARKER_FORMAT, note: 'written by hvsim: this folder holds hvsim results', identity }, null, 2)}\n`,
  );
}

/** Deletes the run files under DIR/runs (only names hvsim writes); returns how many. */
export function removeRunFiles(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(join(dir, 'runs'));
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    if (RUN_FILE.test(name)) {
      rmSync(join(dir, 'runs', name), { force: true });
      n++;
    }
  }
  return n;
}

// manifest.json of a results folder: provenance and totals of the sweep that produced it.
//
//   format          "hvsim-manifest/1"
//   status          "complete" (all runs, CSVs written) or "shard" (a --shard i/n slice: run files only)
//   hvsimVersion, gitCommit (null without git; "-dirty" suffix when tracked files were modified),
//   node (process.version), platform ("linux x64, 2 cpus"), command (argv after the script)
//   study, studyVersion, description, quick, masterSeed, replications, shard ({index, count} or null),
//   jobs, planHash (see plan.ts)
//   baseParams      every parameter's value before the grid (defaults, quickParams, --set)
//   sweptParams     the parameters that differ between points
//   points          [{point, params}] in point order
//   runs            [{point, replication, seed, configHash}] of the whole plan
//   totals          {runs: planned in this folder's scope, executed: run by this invocation,
//                    reused: found finished, events: simulated events of those runs,
//                    runWallMs: sum of their wall times (timing.csv), elapsedMs: this invocation}
//   startedAt, finishedAt  ISO times of this invocation (merge: earliest start, latest finish)
//   sources         (merge only) the folders merged, with their shard, start and finish
//   sweepFile       (hvsim run <sweep file> only) {path, sha256, content} of the file (sweep-file.ts)
// Unlike runs.csv, the manifest is not byte-stable (it holds times).
import { readFileSync } from 'node:fs';
import { cpus, platform, arch } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { UsageError } from './errors.js';
import { PLAN_LIMITS, type Plan, type Shard } from './plan.js';
import type { Params } from './study.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'hvsim-manifest/1';

export const ManifestStatus = { complete: 'complete', shard: 'shard' } as const;
export type ManifestStatus = (typeof ManifestStatus)[keyof typeof ManifestStatus];

export interface ManifestTotals {
  readonly runs: number;
  readonly executed: number;
  readonly reused: number;
  readonly events: number;
  readonly runWallMs: number;
  readonly elapsedMs: number;
}

export interface ManifestSource {
  readonly dir: string;
  readonly shard: Shard | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly totals: ManifestTotals;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly status: ManifestStatus;
  readonly hvsimVersion: string;
  readonly gitCommit: string | null;
  readonly node: string;
  readonly platform: string;
  readonly command: readonly string[];
  readonly study: string;
  readonly studyVersion: number;
  readonly description: string;
  readonly quick: boolean;
  readonly masterSeed: number;
  readonly replications: number;
  readonly shard: Shard | null;
  readonly jobs: number;
  readonly planHash: string;
  readonly baseParams: Params;
  readonly sweptParams: readonly string[];
  readonly points: readonly { readonly point: number; readonly params: Params }[];
  readonly runs: readonly {
    readonly point: number;
    readonly replication: number;
    readonly seed: string;
    readonly configHash: string;
  }[];
  readonly totals: ManifestTotals;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly sources?: readonly ManifestSource[];
  readonly sweepFile?: { readonly path: string; readonly sha256: string; readonly content: string };
}

export function platformString(): string {
  return `${platform()} ${arch()}, ${cpus().length} cpus`;
}

/** Parameters whose value differs between points, in declaration order. */
export function sweptParams(plan: Plan): string[] {
  const first = plan.points[0]?.params ?? {};
  return Object.keys(first).filter((k) => plan.points.some((p) => p.params[k] !== first[k]));
}

export function planSection(
  plan: Plan,
): Pick<
  Manifest,
  | 'study'
  | 'studyVersion'
  | 'quick'
  | 'masterSeed'
  | 'replications'
  | 'planHash'
  | 'sweptParams'
  | 'points'
  | 'runs'
  | 'hvsimVersion'
> {
  return {
    study: plan.study,
    studyVersion: plan.studyVersion,
    hvsimVersion: plan.hvsimVersion,
    quick: plan.quick,
    masterSeed: plan.masterSeed,
    replications: plan.replications,
    planHash: plan.planHash,
    sweptParams: sweptParams(plan),
    points: plan.points.map((p) => ({ point: p.index, params: p.params })),
    runs: plan.runs.map((r) => ({
      point: r.point,
      replication: r.replication,
      seed: r.seed,
      configHash: r.configHash,
    })),
  };
}

export function writeManifest(outDir: string, manifest: Manifest): void {
  writeFileAtomic(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads DIR/manifest.json and checks every field it is used for (see checkManifest). */
export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `${dir} is not a finished hvsim results folder (no ${MANIFEST_FILE}; an interrupted sweep writes it when resumed to the end)`
        : `${path}: cannot be read (${code ?? 'error'})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`${path}: not valid JSON (truncated or not an hvsim manifest)`);
  }
  return checkManifest(raw, path);
}

const HASH = /^[0-9a-f]{64}$/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function isPrimitiveParams(x: unknown): x is Params {
  return (
    isRecord(x) &&
    Object.values(x).every(
      (v) => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean',
    )
  );
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Shape and range checks of a manifest read from disk (results folders come from elsewhere: cluster
 * shards, copies): every field the runner uses has its type, counts are bounded by PLAN_LIMITS before
 * anything is built from them. UsageError "<path>: <field> <problem>" on the first problem. The
 * parameter values of the points are checked against the study later (results.ts), once it is known.
 */
export function checkManifest(raw: unknown, path: string): Manifest {
  const bad = (field: string, problem: string): never => {
    throw new UsageError(`${path}: ${field} ${problem}`);
  };
  if (!isRecord(raw)) return bad('the file', 'is not an hvsim manifest (not a JSON object)');
  const m = raw;
  if (m.format !== MANIFEST_FORMAT)
    bad('format', `is ${JSON.stringify(m.format) ?? 'missing'}, not "${MANIFEST_FORMAT}"`);
  if (m.status !== ManifestStatus.complete && m.status !== ManifestStatus.shard)
    bad('status', 'must be "complete" or "shard"');
  for (const f of ['study', 'hvsimVersion', 'description', 'node', 'platform', 'startedAt', 'finishedAt'] as const) {
    if (typeof m[f] !== 'string') bad(f, 'must be a string');
  }
  if (typeof m.study === 'string' && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(m.study)) bad('study', 'is not a study name');
  if (m.gitCommit !== null && typeof m.gitCommit !== 'string') bad('gitCommit', 'must be a string or null');
  if (!Array.isArray(m.command) || !m.command.every((c) => typeof c === 'string'))
    bad('command', 'must be a list of strings');
  if (typeof m.studyVersion !== 'number' || !Number.isSafeInteger(m.studyVersion) || m.studyVersion < 1)
    bad('studyVersion', 'must be an integer >= 1');
  if (typeof m.quick !== 'boolean') bad('quick', 'must be true or false');
  if (!isCount(m.masterSeed)) bad('masterSeed', `must be an integer in [0, 2^53-1]`);
  const reps = m.replications;
  if (typeof reps !== 'number' || !Number.isSafeInteger(reps) || reps < 1 || reps > PLAN_LIMITS.maxReplications) {
    bad('replications', `is ${String(reps)}; must be an integer in [1, ${PLAN_LIMITS.maxReplications}]`);
  }
  if (typeof m.planHash !== 'string' || !HASH.test(m.planHash)) bad('planHash', 'must be a SHA-256 hex digest');
  if (typeof m.jobs !== 'number' || !Number.isSafeInteger(m.jobs) || m.jobs < 1) bad('jobs', 'must be an integer >= 1');
  if (m.shard !== null) {
    const sh = m.shard;
    if (!isRecord(sh) || !isCount(sh.index) || !isCount(sh.count) || sh.index < 1 || sh.index > sh.count) {
      bad('shard', 'must be null or {index, count} with 1 <= index <= count');
    }
  }
  if (m.status === ManifestStatus.shard && m.shard === null) bad('shard', 'is null but status is "shard"');
  if (!isPrimitiveParams(m.baseParams)) bad('baseParams', 'must be an object of numbers, strings and booleans');
  if (!Array.isArray(m.sweptParams) || !m.sweptParams.every((x) => typeof x === 'string'))
    bad('sweptParams', 'must be a list of names');
  const points = m.points;
  if (!Array.isArray(points) || points.length === 0) return bad('points', 'must be a non-empty list');
  if (points.length > PLAN_LIMITS.maxPoints || points.length * (reps as number) > PLAN_LIMITS.maxRuns) {
    bad(
      'points',
      `× replications is ${points.length * (reps as number)} runs, above the maximum of ${PLAN_LIMITS.maxRuns}`,
    );
  }
  points.forEach((p: unknown, i) => {
    if (!isRecord(p)) return bad(`points[${i}]`, 'must be an object {point, params}');
    if (p.point !== i) bad(`points[${i}].point`, `must be ${i}`);
    if (!isPrimitiveParams(p.params))
      bad(`points[${i}].params`, 'must be an object of finite numbers, strings and booleans');
    return undefined;
  });
  if (!Array.isArray(m.runs)) bad('runs', 'must be a list');
  if (m.sweepFile !== undefined) {
    const f = m.sweepFile;
    if (
      !isRecord(f) ||
      typeof f.path !== 'string' ||
      typeof f.content !== 'string' ||
      typeof f.sha256 !== 'string' ||
      !HASH.test(f.sha256)
    ) {
      bad('sweepFile', 'must be {path, sha256, content} (strings; sha256 a SHA-256 hex digest)');
    }
  }
  const t = m.totals;
  if (!isRecord(t)) return bad('totals', 'must be an object');
  for (const f of ['runs', 'executed', 'reused', 'events', 'runWallMs', 'elapsedMs'] as const) {
    const v = t[f];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(`totals.${f}`, 'must be a number >= 0');
  }
  return m as unknown as Manifest;
}

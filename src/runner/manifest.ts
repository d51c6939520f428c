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
// Unlike runs.csv, the manifest is not byte-stable (it holds times).
import { readFileSync } from 'node:fs';
import { cpus, platform, arch } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { RunError } from './errors.js';
import type { Plan, Shard } from './plan.js';
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
  readonly runs: readonly { readonly point: number; readonly replication: number; readonly seed: string; readonly configHash: string }[];
  readonly totals: ManifestTotals;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly sources?: readonly ManifestSource[];
}

export function platformString(): string {
  return `${platform()} ${arch()}, ${cpus().length} cpus`;
}

/** Parameters whose value differs between points, in declaration order. */
export function sweptParams(plan: Plan): string[] {
  const first = plan.points[0]?.params ?? {};
  return Object.keys(first).filter((k) => plan.points.some((p) => p.params[k] !== first[k]));
}

export function planSection(plan: Plan): Pick<Manifest, 'study' | 'studyVersion' | 'quick' | 'masterSeed' | 'replications' | 'planHash' | 'sweptParams' | 'points' | 'runs' | 'hvsimVersion'> {
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
    runs: plan.runs.map((r) => ({ point: r.point, replication: r.replication, seed: r.seed, configHash: r.configHash })),
  };
}

export function writeManifest(outDir: string, manifest: Manifest): void {
  writeFileAtomic(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads and shape-checks DIR/manifest.json; RunError naming the folder when absent or malformed. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RunError(
      code === 'ENOENT'
        ? `${dir} is not a finished hvsim results folder (no ${MANIFEST_FILE}; an interrupted sweep writes it when resumed to the end)`
        : `${path} is not valid JSON`,
    );
  }
  const m = raw as Partial<Manifest> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    m.format !== MANIFEST_FORMAT ||
    typeof m.study !== 'string' ||
    typeof m.planHash !== 'string' ||
    typeof m.masterSeed !== 'number' ||
    typeof m.replications !== 'number' ||
    typeof m.quick !== 'boolean' ||
    typeof m.hvsimVersion !== 'string' ||
    !Array.isArray(m.points)
  ) {
    throw new RunError(`${path} is not an hvsim manifest (format ${MANIFEST_FORMAT})`);
  }
  return m as Manifest;
}

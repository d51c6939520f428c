// The plan of a sweep: the study's points (after overrides), the replications, and for every run
// (point × replication) its seed and configuration hash; plus the deterministic shard selection.
//
// - Seed of a run = deriveSeed(master seed, study name, point index, replication) (src/sim/rng.ts):
//   it depends on nothing else, so results do not depend on run order, job count or sharding.
// - Configuration hash of a run = SHA-256 of (hvsim version, study name and version, --quick, the
//   point's parameters, seed, replication, measure names). A finished run is reused on resume only if
//   its stored hash equals the planned one.
// - Plan hash = SHA-256 of (hvsim version, study and version, --quick, master seed, replications,
//   points, measure names): shards of one sweep share it, and `merge` refuses folders that differ.
// - Shard i of n (1-based) takes the runs at positions i−1, i−1+n, i−1+2n, … of the run list ordered
//   by (point, replication): a round-robin that spreads cheap and expensive points over the shards.
import { deriveSeed } from '../sim/rng.js';
import { createHash } from 'node:crypto';
import { canonicalJson, hashOf } from './hash.js';
import type { Params, Study } from './study.js';

/** Default master seed when --seed is not given. */
export const DEFAULT_MASTER_SEED = 1;

/**
 * Documented maxima of a sweep (checked before the grid is expanded, and again on manifests read back
 * from a results folder): replications per point, points, and runs (points × replications). A larger
 * sweep is refused with its count and a time estimate; split it with --shard or run it in parts.
 */
export const PLAN_LIMITS = {
  maxReplications: 100_000,
  maxPoints: 100_000,
  maxRuns: 100_000,
} as const;

export interface PlannedPoint {
  readonly index: number;
  readonly params: Params;
}

export interface PlannedRun {
  readonly point: number;
  readonly replication: number;
  readonly seed: string;
  readonly configHash: string;
  /** "<point>-<replication>": the stem of the run's file under runs/. */
  readonly key: string;
}

export interface Plan {
  readonly study: string;
  readonly studyVersion: number;
  readonly hvsimVersion: string;
  readonly quick: boolean;
  readonly masterSeed: number;
  readonly replications: number;
  readonly points: readonly PlannedPoint[];
  /** All runs, ordered by (point, replication). */
  readonly runs: readonly PlannedRun[];
  readonly planHash: string;
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function runSeed(masterSeed: number, study: string, point: number, replication: number): string {
  return deriveSeed(masterSeed, study, point, replication);
}

export function runKey(point: number, replication: number): string {
  return `${point}-${replication}`;
}

export function runConfigHash(
  study: Study,
  hvsimVersion: string,
  quick: boolean,
  params: Params,
  seed: string,
  replication: number,
): string {
  return hashOf({
    format: 'hvsim-run-config/1',
    hvsim: hvsimVersion,
    study: study.name,
    studyVersion: study.version ?? 1,
    quick,
    params,
    seed,
    replication,
    measures: Object.keys(study.measures),
  });
}

/**
 * runConfigHash for every replication of one point, with the canonical JSON of the point's part built
 * once (planning 10⁵ runs stays well under a second of hashing). Gives exactly runConfigHash's values:
 * the text is the canonical JSON (keys sorted) of the same object.
 */
function pointConfigHasher(
  study: Study,
  hvsimVersion: string,
  quick: boolean,
  params: Params,
): (seed: string, replication: number) => string {
  const head =
    `{"format":"hvsim-run-config/1","hvsim":${JSON.stringify(hvsimVersion)},"measures":${canonicalJson(Object.keys(study.measures))},` +
    `"params":${canonicalJson(params)},"quick":${String(quick)},"replication":`;
  const tail = `,"study":${JSON.stringify(study.name)},"studyVersion":${JSON.stringify(study.version ?? 1)}}`;
  return (seed, replication) =>
    createHash('sha256')
      .update(`${head}${JSON.stringify(replication)},"seed":${JSON.stringify(seed)}${tail}`)
      .digest('hex');
}

export interface PlanInput {
  readonly points: readonly Params[];
  readonly replications: number;
  readonly masterSeed: number;
  readonly quick: boolean;
  readonly hvsimVersion: string;
}

export function buildPlan(study: Study, input: PlanInput): Plan {
  const points = input.points.map((params, index) => ({ index, params }));
  const runs: PlannedRun[] = [];
  for (const { index, params } of points) {
    const configHash = pointConfigHasher(study, input.hvsimVersion, input.quick, params);
    for (let r = 0; r < input.replications; r++) {
      const seed = runSeed(input.masterSeed, study.name, index, r);
      runs.push({
        point: index,
        replication: r,
        seed,
        configHash: configHash(seed, r),
        key: runKey(index, r),
      });
    }
  }
  const planHash = hashOf({
    format: 'hvsim-plan/1',
    hvsim: input.hvsimVersion,
    study: study.name,
    studyVersion: study.version ?? 1,
    quick: input.quick,
    masterSeed: input.masterSeed,
    replications: input.replications,
    points: input.points,
    measures: Object.keys(study.measures),
  });
  return {
    study: study.name,
    studyVersion: study.version ?? 1,
    hvsimVersion: input.hvsimVersion,
    quick: input.quick,
    masterSeed: input.masterSeed,
    replications: input.replications,
    points,
    runs,
    planHash,
  };
}

/** The runs shard `shard` executes (all runs when shard is undefined or 1/1). */
export function shardRuns(runs: readonly PlannedRun[], shard: Shard | undefined): PlannedRun[] {
  if (shard === undefined) return [...runs];
  return runs.filter((_, position) => position % shard.count === shard.index - 1);
}

// Planning: seeds derived from (master seed, study, point, replication) only — independent of the
// order runs are planned or executed in, of sharding and of job counts; configuration hashes change
// with anything a run depends on; shards partition the runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed } from '../../src/sim/rng.js';
import { buildPlan, runConfigHash, runSeed, shardRuns } from '../../src/runner/plan.js';
import type { Params, Study } from '../../src/runner/study.js';

const study: Study = {
  name: 'toy',
  description: 'toy',
  details: '',
  params: {
    a: { kind: 'int', default: 1, min: 0, max: 100, unit: '', doc: 'a' },
    warmupNs: { kind: 'int', default: 0, min: 0, unit: 'ns', doc: 'w' },
    runLengthNs: { kind: 'int', default: 10, min: 1, unit: 'ns', doc: 'r' },
  },
  grid: { kind: 'cartesian', axes: { a: [1, 2, 3] } },
  replications: 2,
  measures: { m: { unit: '', doc: 'm' } },
  run: () => ({ measures: { m: 0 }, events: 0 }),
  charts: () => [],
};
const points: Params[] = [1, 2, 3, 4, 5].map((a) => ({ a, warmupNs: 0, runLengthNs: 10 }));
const input = { points, replications: 3, masterSeed: 42, quick: false, hvsimVersion: '1.0.0' };

describe('run seeds', () => {
  it('are deriveSeed(master seed, study, point, replication)', () => {
    const plan = buildPlan(study, input);
    for (const r of plan.runs) expect(r.seed).toBe(deriveSeed(42, 'toy', r.point, r.replication));
  });

  it('do not depend on the order in which runs are derived', () => {
    const plan = buildPlan(study, input);
    const expected = new Map(plan.runs.map((r) => [r.key, r.seed]));
    fc.assert(
      fc.property(fc.shuffledSubarray(plan.runs.map((r) => [r.point, r.replication] as const)), (order) => {
        for (const [p, rep] of order) expect(runSeed(42, 'toy', p, rep)).toBe(expected.get(`${p}-${rep}`));
      }),
    );
  });

  it('are distinct across points, replications and master seeds', () => {
    const a = buildPlan(study, input).runs.map((r) => r.seed);
    const b = buildPlan(study, { ...input, masterSeed: 43 }).runs.map((r) => r.seed);
    expect(new Set([...a, ...b]).size).toBe(a.length + b.length);
  });

  it('are the same in every shard as in the unsharded plan', () => {
    const plan = buildPlan(study, input);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (n) => {
        const seen = new Map<string, string>();
        for (let i = 1; i <= n; i++) {
          for (const r of shardRuns(plan.runs, { index: i, count: n })) {
            expect(seen.has(r.key)).toBe(false); // shards are disjoint
            seen.set(r.key, r.seed);
          }
        }
        expect(seen.size).toBe(plan.runs.length); // and cover every run
        for (const r of plan.runs) expect(seen.get(r.key)).toBe(r.seed);
      }),
    );
  });
});

describe('configuration hashes', () => {
  it('are stable, and change with parameters, seed, --quick and hvsim version', () => {
    const base = buildPlan(study, input);
    expect(buildPlan(study, input)).toEqual(base);
    const changed = [
      buildPlan(study, { ...input, points: points.map((p) => ({ ...p, runLengthNs: 11 })) }),
      buildPlan(study, { ...input, masterSeed: 7 }),
      buildPlan(study, { ...input, quick: true }),
      buildPlan(study, { ...input, hvsimVersion: '1.0.1' }),
      buildPlan({ ...study, version: 2 }, input),
    ];
    for (const other of changed) {
      expect(other.planHash).not.toBe(base.planHash);
      other.runs.forEach((r, i) => expect(r.configHash).not.toBe(base.runs[i]?.configHash));
    }
  });

  it('of a run do not depend on the number of replications or other points', () => {
    const a = buildPlan(study, input);
    const b = buildPlan(study, { ...input, replications: 5 });
    for (const r of a.runs) expect(b.runs.find((x) => x.key === r.key)?.configHash).toBe(r.configHash);
  });
});

describe('configuration hashes of a plan', () => {
  it('equal runConfigHash (the canonical-JSON hash) for any parameter values, seed and version', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean()),
          { maxKeys: 5 },
        ),
        fc.boolean(),
        fc.string(),
        fc.integer({ min: 1, max: 5 }),
        (params, quick, hvsim, version) => {
          const s: Study = { ...study, version };
          const plan = buildPlan(s, { points: [params], replications: 2, masterSeed: 7, quick, hvsimVersion: hvsim });
          for (const r of plan.runs)
            expect(r.configHash).toBe(runConfigHash(s, hvsim, quick, params, r.seed, r.replication));
        },
      ),
    );
  });
});

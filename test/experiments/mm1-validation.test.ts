// mm1-validation in process: runs are deterministic in (params, seed) and sensitive to the seed; the
// number-in-system distribution table sums to 1. (The end-to-end --quick checks against M/M/1 theory
// and Little's law are in quick.test.ts, with the other studies.)
import { describe, expect, it } from 'vitest';
import { runMm1 } from '../../experiments/mm1-validation/index.js';

describe('runMm1 (in process)', () => {
  it('is deterministic in (params, seed) and sensitive to the seed', () => {
    const params = { load: 0.7, serviceMeanNs: 1_000_000, warmupNs: 100_000_000, runLengthNs: 1_000_000_000 };
    const a = runMm1(params, { seed: 's', replication: 0, quick: true });
    const b = runMm1(params, { seed: 's', replication: 0, quick: true });
    const c = runMm1(params, { seed: 't', replication: 0, quick: true });
    expect(b).toEqual(a);
    expect(c.measures['waitMeanNs']).not.toBe(a.measures['waitMeanNs']);
    expect(a.events).toBeGreaterThan(0);
    // The distribution table sums to 1 (every instant of the window is at some level).
    const rows = a.tables?.['numberInSystemDistribution'] ?? [];
    const total = rows.reduce((s, r) => s + Number(r['probability']), 0);
    expect(total).toBeCloseTo(1, 12);
  });
});

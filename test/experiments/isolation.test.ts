// The isolation study's own checks: the cross-parameter check, determinism of a run, and the known
// model behaviour it reports (under C-LOOK a dd-style stream starves a small-file creator on the same
// disk; FIFO serves both).
import { describe, expect, it } from 'vitest';
import { checkIsolation, isolation } from '../../experiments/isolation/index.js';

const BASE = {
  benchmark: 'osdb-ir',
  system: 'xen',
  antagonists: 'on',
  antagonistSet: 'disk',
  diskScheduler: 'clook',
  webClients: 40,
  webCompetitors: 2,
  warmupNs: 100_000_000,
  runLengthNs: 400_000_000,
} as const;
const ctx = { seed: 'isolation-test', replication: 0, quick: true };

describe('isolation', () => {
  it('rejects the web benchmark on native with a one-line reason', () => {
    expect(checkIsolation({ ...BASE, benchmark: 'web', system: 'native' })).toBe(
      "benchmark 'web' needs system 'xen' (the web scenario builds a Xen host only), got system 'native'",
    );
    expect(checkIsolation({ ...BASE, system: 'native' })).toBeUndefined();
  });

  it('is deterministic: the same seed gives the same measures', () => {
    const a = isolation.run({ ...BASE, antagonistSet: 'all' }, ctx);
    const b = isolation.run({ ...BASE, antagonistSet: 'all' }, ctx);
    expect(a).toEqual(b);
  });

  it('C-LOOK: the dd-style stream starves the small-file creator and OSDB-IR; FIFO serves them', () => {
    for (const system of ['xen', 'native'] as const) {
      const clook = isolation.run({ ...BASE, system }, ctx).measures;
      const fifo = isolation.run({ ...BASE, system, diskScheduler: 'fifo' }, ctx).measures;
      expect(clook['diskHogMBps']).toBeGreaterThan(10);
      expect(clook['smallFilesPerS']).toBe(0);
      expect(clook['score']).toBe(0);
      expect(fifo['smallFilesPerS']).toBeGreaterThan(0);
      expect(fifo['score']).toBeGreaterThan(0);
    }
  });
});

// The balloon studies with swap on the guests' VBDs (version 2): determinism, every fault a swap read
// through the block back end, the sizes of balloon-footprint independent of the swap device (the model's
// exact theory), its footprint table, and the cross-parameter check on the swap areas.
import { describe, expect, it } from 'vitest';
import { balloonFootprint, footprintRows, footprintTheory } from '../../experiments/balloon-footprint/index.js';
import { balloonOvercommit, checkOvercommit } from '../../experiments/balloon-overcommit/index.js';

function defaults(params: Readonly<Record<string, { readonly default: unknown }>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.default]));
}

const OC = { ...defaults(balloonOvercommit.params), domains: 4, warmupNs: 2e9, runLengthNs: 10e9 };
const FP: Record<string, unknown> = { ...defaults(balloonFootprint.params), workingSetPages: 1024 };

describe('balloon-overcommit with VBD swap', () => {
  it('defaults to swap on the VBD; version 2; deterministic for a seed', () => {
    expect(balloonOvercommit.version).toBe(2);
    expect(balloonOvercommit.params.swapDevice?.default).toBe('vbd');
    const a = balloonOvercommit.run({ ...OC, policy: 'static' }, { seed: 7 } as never);
    const b = balloonOvercommit.run({ ...OC, policy: 'static' }, { seed: 7 } as never);
    expect(a.measures).toEqual(b.measures);
  });

  it('every fault is one swap read on the disk (vbd and fixed); the VBD disk is busy less than always', () => {
    for (const swapDevice of ['vbd', 'fixed']) {
      // 8 static shares of 512 MB are below kernel + active working set: the guests page
      const m = balloonOvercommit.run({ ...OC, domains: 8, policy: 'static', swapDevice }, {
        seed: 3,
      } as never).measures;
      expect(m.faultsPerS).toBeGreaterThan(0);
      // reads counted at the fault; the window's first and last faults may straddle its edges
      expect(Math.abs((m.swapReadsPerS as number) - (m.faultsPerS as number))).toBeLessThanOrEqual(0.2);
      // half the victims are dirty
      expect((m.swapWritesPerS as number) / (m.swapReadsPerS as number)).toBeCloseTo(0.5, 1);
      expect(m.swapUtilisation).toBeGreaterThan(0);
      expect(m.swapUtilisation).toBeLessThanOrEqual(1);
    }
  });

  it('swap areas must fit on the disk: one line naming the parameters', () => {
    expect(checkOvercommit({ ...OC, domains: 256, swapPages: 4_000_000 } as never)).toMatch(
      /^swapPages \(4000000\) × domains \(256\) must fit on the disk \(\d+ pages\)$/,
    );
    expect(checkOvercommit({ ...OC, domains: 256, swapPages: 4_000_000, swapDevice: 'fixed' } as never)).toBe(
      undefined,
    );
  });
});

describe('balloon-footprint with VBD swap', () => {
  it('the sizes follow the theory whatever the swap device', () => {
    expect(balloonFootprint.version).toBe(3);
    for (const swap of ['on', 'off'] as const) {
      const theory = footprintTheory({ ...(FP as unknown as Parameters<typeof footprintTheory>[0]), swap });
      const runs = (['vbd', 'fixed'] as const).map((swapDevice) =>
        balloonFootprint.run({ ...FP, swap, swapDevice }, { seed: 1 } as never),
      );
      for (const r of runs) {
        expect(r.measures.minPages).toBe(theory.minPages);
        expect(r.measures.firstFaultPages).toBeLessThan(theory.pagingBelowPages);
        expect(r.measures.firstFaultPages).toBeGreaterThanOrEqual(
          theory.pagingBelowPages - (FP['stepPages'] as number),
        );
      }
      expect(runs[0]?.measures.firstFaultPages).toBe(runs[1]?.measures.firstFaultPages);
      // at the smallest size the guest pages; the VBD (sequential swap-out, C-LOOK, short seeks inside a
      // 128 MB area) serves faults faster than the 7.9 ms-per-access stand-in
      expect(runs[0]?.measures.faultsPerSAtMin).toBeGreaterThan(runs[1]?.measures.faultsPerSAtMin as number);
    }
  });
});

describe('balloon-footprint tables/footprint.csv rows', () => {
  const run = (swap: string, w: number, minMB: number, replication = 0) => ({
    point: 0,
    replication,
    seed: 's',
    params: { swap, workingSetPages: w },
    measures: { minMB },
    events: 0,
    wallMs: 0,
  });
  it('one row per swap setting at the working set closest to 1024 pages (smaller on a tie), mean of replications', () => {
    const runs = [
      run('on', 512, 3),
      run('on', 2048, 3.5),
      run('off', 512, 4),
      run('off', 512, 5, 1),
      run('off', 2048, 7),
      run('on', 4096, 9),
    ];
    // 512 and 2048 are both 512 / 1024 pages away: |512 − 1024| = 512 < |2048 − 1024| = 1024, so 512
    expect(footprintRows(runs)).toEqual([
      { swap: 'on', footprintMB: 3 },
      { swap: 'off', footprintMB: 4.5 },
    ]);
    // with 1024 swept, it is the reference; a swap setting without runs there has no row
    expect(footprintRows([run('on', 1024, 3), run('off', 256, 3.5)])).toEqual([{ swap: 'on', footprintMB: 3 }]);
  });
});

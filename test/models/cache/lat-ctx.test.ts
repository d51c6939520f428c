// lmbench lat_ctx replayed through the footprint cache model (src/models/cache/lat-ctx.ts) with the
// fitted profiles of src/models/calibration.ts: every context-switch column of the paper's Table 3
// within 10% for native Linux (L-UP) and Xen; lmbench's arithmetic (the pipe and the warm sum cancel).
import { describe, expect, it } from 'vitest';
import { FootprintCache, type SwitchCostParams } from '../../../src/models/cache/footprint.js';
import { LAT_CTX_CELLS, replayLatCtx } from '../../../src/models/cache/lat-ctx.js';
import {
  SWITCH_PROFILE_FITS,
  SWITCH_PROFILES,
  TABLE3,
  TABLE3_CONTEXT_SWITCH_COLUMNS,
} from '../../../src/models/calibration.js';
import { FIT_KEYS, FIT_PLAN } from '../../../scripts/fit-lat-ctx.js';
import { XEON_GEOMETRY } from '../../../src/models/cpu/context-switch.js';

const model = (p: SwitchCostParams) => (): FootprintCache => new FootprintCache(XEON_GEOMETRY, p);

describe('lat_ctx replay', () => {
  for (const profile of ['L-UP', 'Xen'] as const) {
    it(`reproduces every context-switch column of Table 3 for ${profile} within 10%`, () => {
      const published = TABLE3.contextSwitch.rows[profile];
      LAT_CTX_CELLS.forEach((c, i) => {
        const r = replayLatCtx(model(SWITCH_PROFILE_FITS[profile]), {
          processes: c.processes,
          sizeBytes: c.sizeKb * 1024,
        });
        const want = (published[i] as number) * 1000;
        expect(`${TABLE3_CONTEXT_SWITCH_COLUMNS[i]}`).toBe(`${c.processes}p/${c.sizeKb}K`);
        expect(
          Math.abs(r.perSwitchNs - want) / want,
          `${profile} ${c.processes}p/${c.sizeKb}K: ${r.perSwitchNs} ns vs ${want}`,
        ).toBeLessThanOrEqual(0.1);
      });
    });
  }

  // issue 9: the four profiles of the guest OS (native L-UP, xen Xen, full-virt VMware, hosted UML)
  for (const profile of ['L-UP', 'Xen', 'VMware', 'UML'] as const) {
    it(`reproduces every context-switch column of Table 3 for ${profile} within 5%`, () => {
      const published = TABLE3.contextSwitch.rows[profile];
      LAT_CTX_CELLS.forEach((c, i) => {
        const r = replayLatCtx(model(SWITCH_PROFILE_FITS[profile]), {
          processes: c.processes,
          sizeBytes: c.sizeKb * 1024,
        });
        const want = (published[i] as number) * 1000;
        expect(
          Math.abs(r.perSwitchNs - want) / want,
          `${profile} ${c.processes}p/${c.sizeKb}K: ${r.perSwitchNs} ns vs ${want}`,
        ).toBeLessThanOrEqual(0.05);
      });
    });
  }

  it('the stored profiles follow the fit plan: 0 where a row has no such mechanism, L-UP values where it inherits', () => {
    let fitted = 0;
    for (const profile of SWITCH_PROFILES) {
      const plan = FIT_PLAN[profile];
      const p = SWITCH_PROFILE_FITS[profile];
      expect(p.addressSpaceSlots, profile).toBe(plan.addressSpaceSlots);
      for (const k of FIT_KEYS) {
        if (plan.fromNative.includes(k)) expect(p[k], `${profile} ${k}`).toBe(SWITCH_PROFILE_FITS['L-UP'][k]);
        else if (!plan.free.includes(k)) expect(p[k], `${profile} ${k}`).toBe(0);
      }
      if (profile !== 'L-SMP') fitted += plan.free.length;
    }
    // the four guest profiles: 23 parameters fitted to 28 cells
    expect(fitted).toBe(23);
    expect(4 * LAT_CTX_CELLS.length).toBe(28);
  });

  it('full-virt: the 16-process cells pay the shadow page-table rebuild, the 8-process cells do not', () => {
    const p = SWITCH_PROFILE_FITS.VMware;
    expect(p.addressSpaceSlots).toBe(8);
    const without = { ...p, addressSpaceMissNs: 0 };
    for (const c of LAT_CTX_CELLS) {
      const o = { processes: c.processes, sizeBytes: c.sizeKb * 1024 };
      const diff = replayLatCtx(model(p), o).perSwitchNs - replayLatCtx(model(without), o).perSwitchNs;
      // each switch is rounded to whole ns, so the two runs can differ by 1 ns per switch
      const want = c.processes > 8 ? p.addressSpaceMissNs : 0;
      expect(Math.abs(diff - want), `${c.processes}p/${c.sizeKb}K: ${diff}`).toBeLessThanOrEqual(1);
    }
  });

  it('subtracts the pipe and the warm sum as lmbench does: they cancel whatever their cost', () => {
    const p = SWITCH_PROFILE_FITS.Xen;
    const a = replayLatCtx(model(p), { processes: 8, sizeBytes: 64 * 1024 });
    const b = replayLatCtx(model(p), { processes: 8, sizeBytes: 64 * 1024, pipeNs: 12_345, sumNsPerByte: 3.5 });
    expect(b.overheadNs).toBeCloseTo(12_345 + 3.5 * 65536, 6);
    expect(b.perSwitchNs).toBeCloseTo(a.perSwitchNs, 6);
  });

  it('with a direct cost only, lat_ctx reports exactly that cost; with a free model, zero', () => {
    const direct: SwitchCostParams = {
      directNs: 1234,
      tlbMissNs: 0,
      l1RefillNsPerLine: 0,
      memRefillNsPerLine: 0,
      entityOverheadBytes: 0,
      switchPollutionBytes: 0,
    };
    for (const n of [2, 8, 16]) {
      expect(replayLatCtx(model(direct), { processes: n, sizeBytes: 64 * 1024 }).perSwitchNs).toBeCloseTo(1234, 9);
      expect(
        replayLatCtx(model({ ...direct, directNs: 0 }), { processes: n, sizeBytes: 64 * 1024 }).perSwitchNs,
      ).toBeCloseTo(0, 9);
    }
  });

  it('a trip is N switches: with a refill-only model it is N times the stateless cost at the ring stack distance', () => {
    const p: SwitchCostParams = {
      directNs: 0,
      tlbMissNs: 0,
      l1RefillNsPerLine: 0,
      memRefillNsPerLine: 20,
      entityOverheadBytes: 4096,
      switchPollutionBytes: 1024,
    };
    const c = new FootprintCache(XEON_GEOMETRY, p);
    // in the ring, each process finds the other N − 1 footprints (S + 4 KB) and N switches' pollution
    const n = 8;
    const s = 64 * 1024;
    const want = Math.round(c.refillCostNs(s, (n - 1) * (s + 4096) + n * 1024, false));
    expect(replayLatCtx(model(p), { processes: n, sizeBytes: s }).perSwitchNs).toBeCloseTo(want, 9);
  });

  it('rejects a ring of one process with the field named', () => {
    expect(() => replayLatCtx(model(SWITCH_PROFILE_FITS.Xen), { processes: 1, sizeBytes: 0 })).toThrow(
      /replayLatCtx: processes must be an integer >= 2/,
    );
  });
});

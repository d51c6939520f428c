// The footprint cache model (src/models/cache/footprint.ts): the eviction curve against hand values,
// the stack distance (distinct bytes touched by others, plus anonymous pollution) against hand-derived
// sequences, cold cases, and a property test against a naive reference that rescans the whole history.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FootprintCache,
  poissonTailAtLeast,
  type CacheGeometry,
  type SwitchCostParams,
} from '../../../src/models/cache/footprint.js';
import { XEON_GEOMETRY } from '../../../src/models/cpu/context-switch.js';

const KB = 1024;
/** Only the memory refill counts, 1 ns per line; nothing else. */
const MEM_ONLY: SwitchCostParams = {
  directNs: 0,
  tlbMissNs: 0,
  l1RefillNsPerLine: 0,
  memRefillNsPerLine: 1,
  entityOverheadBytes: 0,
  switchPollutionBytes: 0,
};

describe('poissonTailAtLeast', () => {
  it('matches hand-computed Poisson tails', () => {
    expect(poissonTailAtLeast(0, 8)).toBe(0);
    expect(poissonTailAtLeast(1, 1)).toBeCloseTo(1 - Math.exp(-1), 14);
    // P(X ≥ 2 | λ = 2) = 1 − e^−2 (1 + 2) = 0.593994…
    expect(poissonTailAtLeast(2, 2)).toBeCloseTo(1 - 3 * Math.exp(-2), 14);
    // P(X ≤ 7 | λ = 8) = 0.452961 (tables of the Poisson distribution)
    expect(poissonTailAtLeast(8, 8)).toBeCloseTo(1 - 0.452961, 5);
    expect(poissonTailAtLeast(1000, 8)).toBe(1);
  });
});

describe('FootprintCache', () => {
  const g = XEON_GEOMETRY;
  const t2 = (bytes: number): number => poissonTailAtLeast((g.l2Ways * bytes) / g.l2Bytes, g.l2Ways);

  it('charges the extra L2 misses of the stack distance D: lines(R) · (T(D + R) − T(R))', () => {
    const c = new FootprintCache(g, MEM_ONLY);
    const r = 64 * KB;
    const d = 300 * KB;
    // by hand: 1024 lines · (T(364 KB) − T(64 KB)), 1 ns per line
    expect(c.refillCostNs(r, d, false)).toBeCloseTo(1024 * (t2(d + r) - t2(r)), 9);
    // cold: every line the entity keeps resident when it runs alone
    expect(c.refillCostNs(r, 0, true)).toBeCloseTo(1024 * (1 - t2(r)), 9);
    // a working set larger than L2 reuses at most L2's worth
    expect(c.refillCostNs(4096 * KB, 0, true)).toBeCloseTo(8192 * (1 - t2(512 * KB)), 9);
  });

  it('counts the distinct entities that ran since, not how often or how long they ran', () => {
    const c = new FootprintCache(g, MEM_ONLY);
    const wa = 64 * KB;
    const wb = 100 * KB;
    const wc = 200 * KB;
    expect(c.switchIn(0, 0, wa)).toBe(Math.round(c.refillCostNs(wa, 0, true)));
    c.switchIn(0, 1, wb);
    c.switchIn(0, 2, wc);
    c.switchIn(0, 1, wb);
    c.switchIn(0, 2, wc);
    c.switchIn(0, 1, wb);
    // A's stack distance: B and C once each (B ran three times)
    expect(c.switchIn(0, 0, wa)).toBe(Math.round(c.refillCostNs(wa, wb + wc, false)));
    expect(c.lruList(0)).toEqual([0, 1, 2]);
    // C's: A and B
    expect(c.switchIn(0, 2, wc)).toBe(Math.round(c.refillCostNs(wc, wa + wb, false)));
    // switching to the current entity costs nothing
    expect(c.switchIn(0, 2, wc)).toBe(0);
  });

  it('adds the switch pollution and the hypervisor bytes to the stack distance', () => {
    const params = { ...MEM_ONLY, switchPollutionBytes: 3 * KB };
    const c = new FootprintCache(g, params);
    c.switchIn(0, 0, 64 * KB);
    c.switchIn(0, 1, 32 * KB);
    c.pollute(0, 50 * KB);
    // two switches since A left (to B, back to A): 2 · 3 KB, plus 50 KB, plus B's 32 KB
    expect(c.switchIn(0, 0, 64 * KB)).toBe(Math.round(c.refillCostNs(64 * KB, 6 * KB + 50 * KB + 32 * KB, false)));
    // pollution on another CPU does not count
    c.switchIn(0, 1, 32 * KB);
    c.pollute(1, 10_000 * KB);
    expect(c.switchIn(0, 0, 64 * KB)).toBe(Math.round(c.refillCostNs(64 * KB, 6 * KB + 32 * KB, false)));
  });

  it('counts the switch path bytes once in the stack distance, however many switches happened', () => {
    const path = 40 * KB;
    const c = new FootprintCache(g, { ...MEM_ONLY, switchPathBytes: path });
    c.switchIn(0, 0, 64 * KB);
    c.switchIn(0, 1, 32 * KB);
    c.switchIn(0, 2, 16 * KB);
    c.switchIn(0, 1, 32 * KB);
    // A's distance: B and C once each, plus the switch path's 40 KB once (three switches since A left)
    const want = 1024 * (t2(64 * KB + 32 * KB + 16 * KB + path) - t2(64 * KB));
    expect(c.switchIn(0, 0, 64 * KB)).toBe(Math.round(want));
    // the stateless cost adds them the same way
    expect(c.refillCostNs(64 * KB, 48 * KB, false)).toBeCloseTo(want, 9);
    // a zero working set with no overhead has nothing to refill: the path bytes cost it nothing
    expect(c.switchIn(0, 3, 0)).toBe(0);
  });

  it('address-space state: kept for the `slots` most recent entities, a miss costs addressSpaceMissNs', () => {
    const miss = 1000;
    const only = { ...MEM_ONLY, memRefillNsPerLine: 0, addressSpaceSlots: 3, addressSpaceMissNs: miss };
    // a ring of 3 entities: each first switch misses (never ran here), then every switch hits
    const c3 = new FootprintCache(g, only);
    const ring = (c: FootprintCache, n: number, trips: number): number[] => {
      const out: number[] = [];
      for (let r = 0; r < trips; r++) for (let e = 0; e < n; e++) out.push(c.switchIn(0, e, 16 * KB));
      return out;
    };
    expect(ring(c3, 3, 3)).toEqual([miss, miss, miss, 0, 0, 0, 0, 0, 0]);
    // a ring of 4 with 3 slots: 3 others ran since each entity, so every switch misses (cyclic LRU)
    const c4 = new FootprintCache(g, only);
    expect(ring(c4, 4, 3)).toEqual(new Array<number>(12).fill(miss));
    // 0, 1, 2, 0, 1: when 0 and 1 come back, 2 others ran since each (hit); 3 and 4 then push 0 out
    const c = new FootprintCache(g, only);
    expect([0, 1, 2, 0, 1].map((e) => c.switchIn(0, e, 0))).toEqual([miss, miss, miss, 0, 0]);
    expect(c.switchIn(0, 3, 0)).toBe(miss);
    expect(c.switchIn(0, 4, 0)).toBe(miss);
    expect(c.switchIn(0, 0, 0)).toBe(miss); // 1, 3 and 4 ran since 0: 3 others
    expect(c.switchIn(0, 4, 0)).toBe(0); // only 0 since 4
    // another CPU keeps its own: an entity that moves there misses
    expect(c.switchIn(1, 4, 0)).toBe(miss);
    // 0 slots: nothing kept and nothing charged, whatever the miss cost
    const none = new FootprintCache(g, { ...only, addressSpaceSlots: 0 });
    expect(ring(none, 5, 2)).toEqual(new Array<number>(10).fill(0));
    // the stateless cost: a cold entity misses, a warm one is taken to hit
    expect(c.refillCostNs(0, 0, true)).toBe(miss);
    expect(c.refillCostNs(0, 0, false)).toBe(0);
  });

  it('the entity overhead is part of every footprint', () => {
    const params = { ...MEM_ONLY, entityOverheadBytes: 8 * KB };
    const c = new FootprintCache(g, params);
    c.switchIn(0, 0, 16 * KB);
    c.switchIn(0, 1, 16 * KB);
    const got = c.switchIn(0, 0, 16 * KB);
    // R = 16 + 8 KB = 384 lines; D = B's 24 KB
    expect(got).toBe(Math.round(384 * (t2(48 * KB) - t2(24 * KB))));
  });

  it('is cold after a move to another CPU and after a phase change', () => {
    const c = new FootprintCache(g, MEM_ONLY);
    const cold = Math.round(c.refillCostNs(64 * KB, 0, true));
    c.switchIn(0, 0, 64 * KB);
    c.switchIn(0, 1, 0);
    expect(c.switchIn(1, 0, 64 * KB)).toBe(cold);
    expect(c.lruList(0)).toEqual([1]);
    expect(c.lruList(1)).toEqual([0]);
    c.switchIn(1, 2, 0);
    expect(c.switchIn(1, 0, 64 * KB, 1)).toBe(cold); // new phase
    c.switchIn(1, 2, 0);
    expect(c.switchIn(1, 0, 64 * KB, 1)).toBe(Math.round(c.refillCostNs(64 * KB, 0, false)));
  });

  it('drops entities behind the saturation point from the list (they come back cold)', () => {
    const c = new FootprintCache(g, MEM_ONLY);
    for (let i = 0; i < 4; i++) c.switchIn(0, i, 64 * KB);
    // a huge entity, then entity 0 again: the walk passes 5 (≥ saturation) and drops 1, 2, 3 … and 0
    c.switchIn(0, 5, 16 * 1024 * KB);
    expect(c.switchIn(0, 0, 64 * KB)).toBe(Math.round(c.refillCostNs(64 * KB, 0, true)));
    expect(c.lruList(0)).toEqual([0, 5]);
    expect(c.switchIn(0, 3, 64 * KB)).toBe(Math.round(c.refillCostNs(64 * KB, 0, true)));
  });

  it('TLB: a flush per switch, at most the data-TLB entries; L1 like L2 with its own geometry', () => {
    const p: SwitchCostParams = {
      directNs: 100,
      tlbMissNs: 10,
      l1RefillNsPerLine: 2,
      memRefillNsPerLine: 0,
      entityOverheadBytes: 0,
      switchPollutionBytes: 0,
    };
    const c = new FootprintCache(g, p);
    const t1 = (bytes: number): number => poissonTailAtLeast((g.l1Ways * bytes) / g.l1Bytes, g.l1Ways);
    // 16 KB: 4 pages, L1 resident part 8 KB = 128 lines
    expect(c.refillCostNs(16 * KB, 20 * KB, false)).toBeCloseTo(100 + 40 + 2 * 128 * (t1(28 * KB) - t1(8 * KB)), 9);
    // 1 MB: 256 pages, capped at 64 entries
    expect(c.refillCostNs(1024 * KB, 0, true)).toBeCloseTo(100 + 640 + 2 * 128 * (1 - t1(8 * KB)), 9);
  });

  it('rejects bad geometry and ids with the field named', () => {
    const bad: CacheGeometry = { ...g, l2Ways: 0 };
    expect(() => new FootprintCache(bad, MEM_ONLY)).toThrow(/l2Ways must be an integer >= 1 and <= 64, got 0/);
    expect(() => new FootprintCache(g, { ...MEM_ONLY, memRefillNsPerLine: -1 })).toThrow(
      /memRefillNsPerLine must be a number in \[0, 1000000\], got -1/,
    );
    expect(() => new FootprintCache(g, { ...MEM_ONLY, addressSpaceSlots: 2.5 })).toThrow(
      /addressSpaceSlots must be an integer >= 0 and <= 1000000, got 2.5/,
    );
    const c = new FootprintCache(g, MEM_ONLY);
    expect(() => c.switchIn(0, -2, 0)).toThrow(/entity must be an integer/);
    expect(() => c.switchIn(1.5, 0, 0)).toThrow(/cpu must be an integer >= 0, got 1.5/);
  });

  it('an entity that moves away still counts on its old CPU for those that ran before it', () => {
    const c = new FootprintCache(g, MEM_ONLY);
    c.switchIn(0, 0, 64 * KB); // A
    c.switchIn(0, 1, 100 * KB); // B
    c.switchIn(0, 2, 50 * KB); // C
    c.switchIn(1, 1, 100 * KB); // B moves to CPU 1
    expect(c.lruList(0)).toEqual([2, 0]);
    // A on CPU 0: C and B's lines (left behind) since A ran
    expect(c.switchIn(0, 0, 64 * KB)).toBe(Math.round(c.refillCostNs(64 * KB, 150 * KB, false)));
    // C on CPU 0: only A (B ran before C)
    expect(c.switchIn(0, 2, 50 * KB)).toBe(Math.round(c.refillCostNs(50 * KB, 64 * KB, false)));
    // a forgotten entity's lines count the same way
    c.forget(0);
    expect(c.lruList(0)).toEqual([2]);
    c.switchIn(0, 3, 0);
    expect(c.switchIn(0, 2, 50 * KB)).toBe(Math.round(c.refillCostNs(50 * KB, 0, false)));
  });

  it('agrees with a naive reference that rescans the whole history on one CPU (property)', () => {
    const params: SwitchCostParams = {
      directNs: 500,
      tlbMissNs: 7,
      l1RefillNsPerLine: 1.5,
      memRefillNsPerLine: 30,
      entityOverheadBytes: 6 * KB,
      switchPollutionBytes: 2 * KB,
    };
    type Op =
      { kind: 'switch'; cpu: number; entity: number; phase: number } | { kind: 'pollute'; cpu: number; bytes: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('switch' as const),
          cpu: fc.constant(0),
          entity: fc.integer({ min: 0, max: 9 }),
          phase: fc.integer({ min: 0, max: 1 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('pollute' as const),
          cpu: fc.constant(0),
          bytes: fc.integer({ min: 0, max: 2048 * KB }),
        }),
      },
    );
    // fixed working set per entity (0 … 1.5 MB)
    const wsOf = (e: number): number => ([0, 16, 64, 128, 256, 300, 512, 700, 1024, 1536][e] as number) * KB;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const c = new FootprintCache(g, params);
        // reference: per CPU the history of events; per entity its last (cpu, phase, index in history)
        type Ev = { entity: number; bytes: number };
        const hist: Ev[][] = [[], []];
        const current: number[] = [-1, -1];
        const last = new Map<number, { cpu: number; phase: number; at: number }>();
        for (const o of ops) {
          if (o.kind === 'pollute') {
            c.pollute(o.cpu, o.bytes);
            (hist[o.cpu] as Ev[]).push({ entity: -1, bytes: o.bytes });
            continue;
          }
          const ws = wsOf(o.entity);
          const got = c.switchIn(o.cpu, o.entity, ws, o.phase);
          if (current[o.cpu] === o.entity) {
            expect(got).toBe(0);
            continue;
          }
          const h = hist[o.cpu] as Ev[];
          // what happened while the previous entity was current (pollution included) is before it left
          const prevCur = current[o.cpu] as number;
          const pl = last.get(prevCur);
          if (pl !== undefined) pl.at = h.length - 1;
          h.push({ entity: -1, bytes: params.switchPollutionBytes });
          const l = last.get(o.entity);
          let want: number;
          if (l === undefined || l.cpu !== o.cpu || l.phase !== o.phase) want = c.refillCostNs(ws, 0, true);
          else {
            let d = 0;
            const seen = new Set<number>();
            for (let i = h.length - 1; i > l.at; i--) {
              const ev = h[i] as Ev;
              if (ev.entity < 0) d += ev.bytes;
              else if (!seen.has(ev.entity)) {
                seen.add(ev.entity);
                d += ev.bytes;
              }
            }
            want = d >= c.saturationBytes ? c.refillCostNs(ws, 0, true) : c.refillCostNs(ws, d, false);
          }
          expect(Math.abs(got - want)).toBeLessThanOrEqual(0.5 + 1e-6);
          h.push({ entity: o.entity, bytes: ws + params.entityOverheadBytes });
          last.set(o.entity, { cpu: o.cpu, phase: o.phase, at: h.length - 1 });
          current[o.cpu] = o.entity;
        }
      }),
      { numRuns: 200 },
    );
  });
});

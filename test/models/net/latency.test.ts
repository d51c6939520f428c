// pingLatencyAmongBusy (net/latency.ts): UDP ping round trips to a busy domain and to an extra idle one
// among CPU-bound domains, checked against the round-robin arithmetic of equal-weight BVT domains and
// against the wake rule of Xen 1.0's BVT (test/models/cpu/bvt-wake-latency.test.ts has the trace).
import { describe, expect, it } from 'vitest';
import { pingLatencyAmongBusy } from '../../../src/models/net/latency.js';

const MS = 1_000_000;
const CTX_ALLOW = 5 * MS;

/**
 * Mean wait of a probe for a busy domain among k equal CPU-bound domains taking slices of s in turn:
 * with probability 1/k it arrives while the domain runs (no wait), otherwise the wait is uniform over the
 * other k − 1 slices: (k − 1)/k · (k − 1)s/2.
 */
function busyMeanNs(k: number, sliceNs: number): number {
  return (((k - 1) / k) * (k - 1) * sliceNs) / 2;
}

/**
 * Standard deviation of that wait: 0 with probability 1/k, else uniform on [0, R] with R = (k − 1)s, so
 * E[W²] = (k − 1)/k · R²/3 and sd = √(E[W²] − E[W]²) (the data path adds a near-constant, no spread).
 */
function busySdNs(k: number, sliceNs: number): number {
  const p = (k - 1) / k;
  const r = (k - 1) * sliceNs;
  const m = (p * r) / 2;
  return Math.sqrt((p * r * r) / 3 - m * m);
}

describe('pingLatencyAmongBusy', () => {
  it('the busy target answers after half a round on average, with the s.d. of that wait (k equal domains, ctx_allow slices), never after more than a round', () => {
    for (const k of [8, 32]) {
      const r = pingLatencyAmongBusy({ busyDomains: k, cpus: 1, seed: 7 });
      expect(r.busy.count).toBeGreaterThan(90); // 10 s at one probe per 100 ms on average
      // ±20 %: about three standard errors of the mean of ~100 waits whose s.d. is ~0.6 of the mean
      expect(Math.abs(r.busy.meanNs / busyMeanNs(k, CTX_ALLOW) - 1)).toBeLessThan(0.2);
      // the probe's s.d. (what scalability's udp-latency table reports beside the mean) against the same
      // arithmetic: ±20 %, about four standard errors of an s.d. of ~100 such waits
      expect(Math.abs(r.busy.sdNs / busySdNs(k, CTX_ALLOW) - 1)).toBeLessThan(0.2);
      expect(r.busy.maxNs).toBeLessThan(k * CTX_ALLOW + MS);
      expect(r.idle.maxNs).toBeLessThan(k * CTX_ALLOW + MS);
    }
  });

  it('xen1: an idle domain waits many ctx_allows while the hogs are in lockstep (cold start), about half a slice once their avts have spread; warp removes the wait', () => {
    const common = { busyDomains: 30, cpus: 1, intervalNs: 7 * MS, startJitterNs: 0 } as const;
    // cold start: 30 hogs created at one instant share avt levels (svt and svt + one slice); a pinged domain
    // that has run in the round (charged ≥ 1 MCU) sits above svt and waits for every hog still at svt
    const cold = pingLatencyAmongBusy({ ...common, warmupNs: 0, runLengthNs: 1_000 * MS });
    expect(cold.idle.count).toBeGreaterThan(100);
    expect(cold.idle.meanNs).toBeGreaterThan(5 * CTX_ALLOW);
    // later the 51-MCU charges of slices a few ns over ctx_allow have spread the hogs over the band of one
    // slice: the woken domain is at svt or one MCU above it and waits for the rest of the current slice
    // (s/2 on average) and rarely one more
    const warm = pingLatencyAmongBusy({ ...common, warmupNs: 6_000 * MS, runLengthNs: 1_000 * MS });
    expect(warm.idle.meanNs).toBeLessThan(CTX_ALLOW);
    expect(warm.idle.maxNs).toBeLessThan(3 * CTX_ALLOW);
    // the busy target still waits half a round of the 30 hogs at every phase
    expect(Math.abs(warm.busy.meanNs / busyMeanNs(30, CTX_ALLOW) - 1)).toBeLessThan(0.25);
    const warped = pingLatencyAmongBusy({
      ...common,
      warmupNs: 0,
      runLengthNs: 1_000 * MS,
      variant: 'textbook',
      idleWarp: 1_000_000,
    });
    // warped far below every hog's evt, it preempts at once: the round trip is the data path alone
    expect(warped.idle.maxNs).toBeLessThan(100_000);
  });

  it('is deterministic for a seed, places Xen 1.0 style (domain d on CPU d mod 2) and rejects bad input', () => {
    const a = pingLatencyAmongBusy({ busyDomains: 6, runLengthNs: 1_000 * MS, seed: 3 });
    const b = pingLatencyAmongBusy({ busyDomains: 6, runLengthNs: 1_000 * MS, seed: 3 });
    expect(a).toEqual(b);
    expect(a.busyCpu).toBe(1); // busy1 is domain 1
    expect(a.idleCpu).toBe(7 % 2); // the idle one is domain 7
    expect(() => pingLatencyAmongBusy({ busyDomains: 0 })).toThrow(/busyDomains/);
    expect(() => pingLatencyAmongBusy({ busyDomains: 2, intervalNs: -1 })).toThrow(/intervalNs/);
    expect(() => pingLatencyAmongBusy({ busyDomains: 2, workingSetBytes: -1 })).toThrow(/workingSetBytes/);
  });
});

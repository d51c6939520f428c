// Context-switch cost between vCPUs on one physical CPU: a direct cost plus a cache/TLB refill
// penalty that grows with the incoming domain's working set and with how much the cache was used by
// others while it was away. During a switch nobody progresses (the host accounts it as "switching").
//
//   costNs = directNs + wsKB · [ residentCostPerKbNs · (1 − f) + evictedCostPerKbNs · f ]
//   wsKB   = min(workingSetBytes, cacheBytes) / 1024
//   f      = 1 − exp(−awayBusyNs / evictionTauNs)   (evicted fraction; f = 1 on a cold cache)
//
// Assumptions:
// - The cache is the per-CPU L2 of the paper's machine: Dell 2650, 2 × Xeon 2.4 GHz (calibration.md,
//   "The paper's test machine"); a 2.4 GHz Xeon (Prestonia) has 512 KB of L2 per CPU. Per-CPU caches:
//   a vCPU that last ran on another PCPU, or never ran, finds a cold cache (f = 1).
// - "Away" time counts only the time the PCPU was busy running other vCPUs since this vCPU left it:
//   an idle CPU does not evict anything. (The host passes that busy time.)
// - Eviction is exponential in the away time (a memoryless approximation of LRU replacement by
//   others' traffic). Its time constant is the time a domain missing on every access needs to stream
//   a whole L2's worth of lines: evictionTauNs = (cacheBytes / 1 KB) · evictedCostPerKbNs
//   = 512 · 417.66 ns ≈ 213.8 µs. This is a derived bound (fast eviction), not a measured value.
// - The cost is charged only when the dispatched vCPU differs from the last vCPU that ran on this
//   PCPU (an idle period in between does not count as a switch).
//
// Defaults (calibration.md, paper Table 3, lmbench context switch, Xen row, µs):
//   2p/0K = 1.97, 2p/64K = 2.67, 8p/64K = 28.7.
// - directNs = 2p/0K = 1.97 µs = 1970 ns: a switch with no working set.
// - residentCostPerKbNs = (2p/64K − 2p/0K) / 64 KB = 0.70 µs / 64 = 10.9375 ns per KB: two processes
//   of 64 KB stay in the 512 KB L2, so this is the cost of re-touching a KB that is still in L2.
// - evictedCostPerKbNs = (8p/64K − 2p/0K) / 64 KB = 26.73 µs / 64 = 417.65625 ns per KB: eight
//   processes of 64 KB (512 KB, the whole L2, plus kernel and code) no longer fit, so each switch
//   refetches the 64 KB from memory; the jump from 8p/16K (3.07) to 8p/64K (28.7) is this effect.
// Units: ns, bytes. The result is rounded to an integer number of ns.
import { checkInt, checkNumber } from '../validate.js';

export interface ContextSwitchOptions {
  /** Direct cost of a switch, ns. Default 1970 (Table 3, Xen, 2p/0K = 1.97 µs). */
  readonly directNs?: number;
  /** Refill cost per KB of working set still resident in L2, ns/KB. Default 10.9375 ((2.67 − 1.97) µs / 64 KB). */
  readonly residentCostPerKbNs?: number;
  /** Refill cost per KB of working set evicted from L2, ns/KB. Default 417.65625 ((28.7 − 1.97) µs / 64 KB). */
  readonly evictedCostPerKbNs?: number;
  /** Per-CPU cache size, bytes. Default 512 KB (L2 of a 2.4 GHz Xeon, the paper's machine). */
  readonly cacheBytes?: number;
  /** Eviction time constant, ns of others' busy time. Default cacheKB · evictedCostPerKbNs ≈ 213.8 µs. */
  readonly evictionTauNs?: number;
}

export const CONTEXT_SWITCH_DEFAULTS = {
  directNs: 1970,
  residentCostPerKbNs: ((2.67 - 1.97) * 1000) / 64,
  evictedCostPerKbNs: ((28.7 - 1.97) * 1000) / 64,
  cacheBytes: 512 * 1024,
} as const;

export class ContextSwitchModel {
  readonly directNs: number;
  readonly residentCostPerKbNs: number;
  readonly evictedCostPerKbNs: number;
  readonly cacheBytes: number;
  readonly evictionTauNs: number;

  constructor(options: ContextSwitchOptions = {}) {
    const where = 'ContextSwitchModel';
    const d = CONTEXT_SWITCH_DEFAULTS;
    this.directNs = checkInt(where, 'directNs', options.directNs ?? d.directNs, 0);
    this.residentCostPerKbNs = checkNumber(where, 'residentCostPerKbNs', options.residentCostPerKbNs ?? d.residentCostPerKbNs, 0, 1e9);
    this.evictedCostPerKbNs = checkNumber(where, 'evictedCostPerKbNs', options.evictedCostPerKbNs ?? d.evictedCostPerKbNs, 0, 1e9);
    this.cacheBytes = checkInt(where, 'cacheBytes', options.cacheBytes ?? d.cacheBytes, 0);
    const tau = options.evictionTauNs ?? Math.max(1, Math.round((this.cacheBytes / 1024) * this.evictedCostPerKbNs));
    this.evictionTauNs = checkNumber(where, 'evictionTauNs', tau, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER);
  }

  /** A model with no cost at all (useful for hand-computed traces). */
  static free(): ContextSwitchModel {
    return new ContextSwitchModel({ directNs: 0, residentCostPerKbNs: 0, evictedCostPerKbNs: 0 });
  }

  /** Evicted fraction after `awayBusyNs` of others' busy time; 1 for a cold cache. */
  evictedFraction(awayBusyNs: number, cold: boolean): number {
    if (cold) return 1;
    return 1 - Math.exp(-awayBusyNs / this.evictionTauNs);
  }

  /** Cost of switching to a vCPU whose domain has `workingSetBytes`, in integer ns. */
  costNs(workingSetBytes: number, awayBusyNs: number, cold: boolean): number {
    const wsKb = Math.min(workingSetBytes, this.cacheBytes) / 1024;
    if (wsKb === 0) return this.directNs;
    const f = this.evictedFraction(awayBusyNs, cold);
    return this.directNs + Math.round(wsKb * (this.residentCostPerKbNs * (1 - f) + this.evictedCostPerKbNs * f));
  }
}

// Footprint cache model: what an entity (a domain's vCPU, or a process inside a guest) finds evicted
// when it is switched back in depends on the bytes the others (and the hypervisor) touched on that
// CPU since it last ran, relative to the cache sizes — not on how long they ran.
//
// State, per physical CPU: an LRU list of the entities that ran on it (most recent first), each with
// the footprint it touched at its last run, and a counter of anonymous bytes (hypervisor and device
// work, `pollute`, plus `switchPollutionBytes` on every switch). Per entity: the CPU whose cache
// holds its lines, its footprint, the anonymous counter when it left, and its phase. An entity that
// moves to another CPU (or is forgotten) leaves its old list, but its footprint still counts there for
// the entities that ran before it (a "ghost" carried by the entity ahead of it in the list).
//
// At a switch to entity x with working set W on CPU c:
//   D   = anonymous bytes since x left + Σ footprints of the distinct entities that ran on c since x
//         ran (the entities ahead of x in c's LRU list): x's LRU stack distance in bytes.
//   R1  = min(W, L1), R2 = min(W + entityOverheadBytes, L2): what x keeps resident when it runs alone
//         (a working set larger than a cache reuses at most a cache's worth from one run to the next).
//   T(x) = P(Poisson(A·x/C) ≥ A): the probability that a line with a reuse distance of x bytes was
//         evicted from a C-byte, A-way cache with random placement of lines into sets and LRU within
//         a set. x re-touches its own R bytes before it reuses a given line (a cyclic sweep, as lmbench
//         does), so a line's reuse distance is R when x runs alone and D + R after a switch.
//   extra misses at level L = R_L / line · (T_L(D + R_L) − T_L(R_L))   (what the switch adds to the
//         misses x has anyway; lmbench subtracts the latter). A cold entity (never ran on c, moved
//         from another CPU, or changed phase) misses R_L / line · (1 − T_L(R_L)).
//   TLB: every switch changes the address space, which flushes the (untagged) TLB: min(⌈W / page⌉,
//         data-TLB entries) misses.
//   costNs = directNs + tlbMissNs · pages + l1RefillNsPerLine · L1 misses + memRefillNsPerLine · L2 misses
//            + addressSpaceMissNs if x is not among the addressSpaceSlots most recent entities on c
//   D also counts switchPathBytes once: what the switch path (kernel, hypervisor, VMM, host) touches at
//   every switch is the same lines each time, so it is one more footprint in x's stack distance, unlike
//   switchPollutionBytes (new lines at every switch, counted once per switch).
//   Address-space state (full virtualization's shadow page tables): the switch path keeps it for the
//   addressSpaceSlots entities that ran most recently on the CPU (LRU, by count, not by bytes); a switch
//   to any other entity (never ran there, moved, fully evicted, or more than that many others ran since)
//   rebuilds it for addressSpaceMissNs. 0 slots: nothing kept and nothing charged.
//
// Assumptions (moves: switching loss and wake-up latency wherever working sets are set):
// - each run of an entity touches its whole footprint (working set + entityOverheadBytes), in a cyclic
//   sweep; lines are placed in sets at random (physical pages at random colours, as Linux 2.4 allocates
//   them) and replaced LRU within a set; the footprints of different entities are disjoint;
// - anonymous bytes (pollution) are new lines each time they are touched; entities' bytes are counted
//   once however often the entity ran (its lines are the same);
// - caches are per CPU; the TLB is untagged and flushed on every switch; code (trace cache, ITLB) is
//   part of the direct cost.
// A consequence of random placement: an entity keeps at most about 56% of L2 resident (R·(1 − T(R)) is
// largest near R ≈ 0.73 · L2), so the cold refill of a 384 KB working set exceeds that of a 512 KB one.
//
// The walk over the LRU list stops at x, or as soon as D makes the L2 eviction certain (T2 ≥ 1 − 1e-12);
// then x and every entity behind it are fully evicted: they leave the list and count as cold, so the
// lists stay short. Per switch: O(entities that ran since x), no allocation (typed arrays indexed by
// entity id, grown by doubling; 64 bytes per entity).
//
// Refill as a lump. The host charges the cost as switching time before the entity runs, rather than as
// a slower first part of its run. For CPU throughput and switching loss the two are the same as long as
// the entity runs longer than the refill (it would have refetched every line anyway, and the CPU time
// lost per switch is the same): a full L2 refill is about 8192 lines · 30 ns ≈ 0.25 ms, well inside a
// 5 ms slice. The lump overstates the cost for an entity that blocks or is pre-empted before it has
// touched its working set, and it delays the first instruction after a wake-up by the whole refill: for
// such entities give as working set what one activation touches. The address-space miss is work of the
// switch path itself (rebuilding shadow page tables before the entity runs), so the lump is exact for it.
//
// Units: bytes, ns. Geometry defaults: the paper's Xeon (calibration.ts, datasheet-class figures); the
// cost parameters: fitted to lmbench lat_ctx (calibration.ts, scripts/fit-lat-ctx.ts).
import { checkInt, checkNumber } from '../validate.js';

/** Sizes of the caches and TLB of one CPU. */
export interface CacheGeometry {
  readonly lineBytes: number;
  readonly l1Bytes: number;
  readonly l1Ways: number;
  readonly l2Bytes: number;
  readonly l2Ways: number;
  readonly pageBytes: number;
  readonly dtlbEntries: number;
}

/** Cost parameters of a switch (one profile per OS/hypervisor configuration). */
export interface SwitchCostParams {
  /** Fixed cost of a switch (kernel/hypervisor path), ns. */
  readonly directNs: number;
  /** Cost of one data-TLB miss after the flush, ns. */
  readonly tlbMissNs: number;
  /** Cost of refetching one line evicted from L1 that is still in L2, ns. */
  readonly l1RefillNsPerLine: number;
  /** Cost of refetching one line evicted from L2 (from memory), ns. */
  readonly memRefillNsPerLine: number;
  /** Bytes an entity touches at each run besides its working set (kernel stack, task, page tables), bytes. */
  readonly entityOverheadBytes: number;
  /** Bytes the switch path itself brings into the cache on every switch, new lines each time, bytes. */
  readonly switchPollutionBytes: number;
  /**
   * Bytes of its own data the switch path (kernel, hypervisor, VMM or host) touches at every switch, the
   * same lines each time: they count once in every entity's stack distance (their own refill is part of
   * directNs). Optional, default 0.
   */
  readonly switchPathBytes?: number;
  /**
   * Address spaces whose switch state the switch path keeps per CPU (full virtualization: shadow page
   * tables); 0: none kept, no miss cost. Optional, default 0.
   */
  readonly addressSpaceSlots?: number;
  /** Cost of a switch to an entity whose address-space state is not among the kept ones, ns. Default 0. */
  readonly addressSpaceMissNs?: number;
}

/** P(Poisson(λ) ≥ k) for an integer k ≥ 1, without allocation. */
export function poissonTailAtLeast(lambda: number, k: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 700) return 1;
  let term = Math.exp(-lambda);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term = (term * lambda) / (i + 1);
  }
  const t = 1 - below;
  return t < 0 ? 0 : t;
}

const NONE = -1;
const SATURATION = 1 - 1e-12;

function grownInt(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n).fill(NONE);
  b.set(a);
  return b;
}
function grownFloat(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

export class FootprintCache {
  readonly geometry: CacheGeometry;
  readonly params: SwitchCostParams;
  /** Smallest reuse distance, bytes, at which an L2 line is evicted with probability ≥ 1 − 1e-12. */
  readonly saturationBytes: number;
  private readonly pathBytes: number;
  private readonly slots: number;
  private readonly slotMissNs: number;

  // per entity
  private next: Int32Array = new Int32Array(0);
  private prev: Int32Array = new Int32Array(0);
  private cpuOf: Int32Array = new Int32Array(0);
  private phaseOf: Int32Array = new Int32Array(0);
  private foot: Float64Array = new Float64Array(0);
  private mark: Float64Array = new Float64Array(0);
  private ghost: Float64Array = new Float64Array(0);
  /** The working set at the last switch (−1: none) and T1, T2 of its resident parts (cached). */
  private lastWs: Float64Array = new Float64Array(0);
  private tR1: Float64Array = new Float64Array(0);
  private tR2: Float64Array = new Float64Array(0);
  // per CPU
  private head: Int32Array = new Int32Array(0);
  private cur: Int32Array = new Int32Array(0);
  private anon: Float64Array = new Float64Array(0);

  constructor(geometry: CacheGeometry, params: SwitchCostParams) {
    const where = 'FootprintCache';
    const g = geometry;
    checkInt(where, 'lineBytes', g.lineBytes, 1);
    checkInt(where, 'l1Bytes', g.l1Bytes, g.lineBytes);
    checkInt(where, 'l1Ways', g.l1Ways, 1, 64);
    checkInt(where, 'l2Bytes', g.l2Bytes, g.lineBytes);
    checkInt(where, 'l2Ways', g.l2Ways, 1, 64);
    checkInt(where, 'pageBytes', g.pageBytes, 1);
    checkInt(where, 'dtlbEntries', g.dtlbEntries, 0);
    const p = params;
    checkNumber(where, 'directNs', p.directNs, 0, 1e9);
    checkNumber(where, 'tlbMissNs', p.tlbMissNs, 0, 1e6);
    checkNumber(where, 'l1RefillNsPerLine', p.l1RefillNsPerLine, 0, 1e6);
    checkNumber(where, 'memRefillNsPerLine', p.memRefillNsPerLine, 0, 1e6);
    checkNumber(where, 'entityOverheadBytes', p.entityOverheadBytes, 0, 1e12);
    checkNumber(where, 'switchPollutionBytes', p.switchPollutionBytes, 0, 1e12);
    checkNumber(where, 'switchPathBytes', p.switchPathBytes ?? 0, 0, 1e12);
    checkInt(where, 'addressSpaceSlots', p.addressSpaceSlots ?? 0, 0, 1_000_000);
    checkNumber(where, 'addressSpaceMissNs', p.addressSpaceMissNs ?? 0, 0, 1e9);
    this.geometry = { ...g };
    this.params = { ...p };
    this.pathBytes = p.switchPathBytes ?? 0;
    this.slots = p.addressSpaceSlots ?? 0;
    this.slotMissNs = this.slots > 0 ? (p.addressSpaceMissNs ?? 0) : 0;
    let x = g.l2Bytes;
    while (this.t2(x) < SATURATION) x *= 1.25;
    this.saturationBytes = x;
  }

  /** Probability that an L1 line with a reuse distance of `bytes` was evicted. */
  t1(bytes: number): number {
    const g = this.geometry;
    return poissonTailAtLeast((g.l1Ways * bytes) / g.l1Bytes, g.l1Ways);
  }

  /** Probability that an L2 line with a reuse distance of `bytes` was evicted. */
  t2(bytes: number): number {
    const g = this.geometry;
    return poissonTailAtLeast((g.l2Ways * bytes) / g.l2Bytes, g.l2Ways);
  }

  /**
   * Cost, ns (not rounded), of a switch to an entity with `workingSetBytes` after others (entities,
   * hypervisor, devices) touched `othersBytes` since it ran (the switch path's switchPathBytes are added:
   * its stack distance D), or with a cold cache. A cold entity also pays the address-space miss (if the
   * profile keeps address-space state); a warm one is taken to be among the kept ones. Pure.
   */
  refillCostNs(workingSetBytes: number, othersBytes: number, cold: boolean): number {
    const g = this.geometry;
    const w = workingSetBytes;
    const r1 = w < g.l1Bytes ? w : g.l1Bytes;
    const w2 = w + this.params.entityOverheadBytes;
    const r2 = w2 < g.l2Bytes ? w2 : g.l2Bytes;
    const d = othersBytes + this.pathBytes;
    return (
      this.cost(w, r1, r2, this.t1(r1), this.t2(r2), d, cold || d >= this.saturationBytes) +
      (cold ? this.slotMissNs : 0)
    );
  }

  /** refillCostNs with T1(r1) and T2(r2) given (switchIn keeps them per entity). */
  private cost(
    w: number,
    r1: number,
    r2: number,
    t1r: number,
    t2r: number,
    othersBytes: number,
    cold: boolean,
  ): number {
    const g = this.geometry;
    const p = this.params;
    let g1: number;
    let g2: number;
    if (cold) {
      g1 = 1 - t1r;
      g2 = 1 - t2r;
    } else {
      g1 = r1 === 0 ? 0 : this.t1(othersBytes + r1) - t1r;
      g2 = r2 === 0 ? 0 : this.t2(othersBytes + r2) - t2r;
    }
    let pages = Math.ceil(w / g.pageBytes);
    if (pages > g.dtlbEntries) pages = g.dtlbEntries;
    return (
      p.directNs +
      p.tlbMissNs * pages +
      (p.l1RefillNsPerLine * r1 * g1) / g.lineBytes +
      (p.memRefillNsPerLine * r2 * g2) / g.lineBytes
    );
  }

  /**
   * Switches `cpu` to `entity` (a non-negative integer id of the caller's choice) whose working set
   * is now `workingSetBytes` in phase `phase` (a new phase finds its data cold); returns the cost in
   * integer ns (0 if the entity is already the current one on this CPU) and updates the state.
   */
  switchIn(cpu: number, entity: number, workingSetBytes: number, phase = 0): number {
    this.ensure(cpu, entity);
    const cur = this.cur;
    const was = cur[cpu] as number;
    if (was === entity) return 0;
    const anon = this.anon;
    if (was !== NONE) this.mark[was] = anon[cpu] as number;
    anon[cpu] = (anon[cpu] as number) + this.params.switchPollutionBytes;
    const cpuOf = this.cpuOf;
    const home = cpuOf[entity] as number;
    let cold = home !== cpu || this.phaseOf[entity] !== phase;
    let d = 0;
    let extraNs = 0;
    if (this.slots > 0) {
      // address-space state kept for the `slots` most recent entities on this CPU (x included)
      let ahead = 0;
      if (home === cpu) {
        for (
          let e = this.head[cpu] as number;
          e !== entity && e !== NONE && ahead < this.slots;
          e = this.next[e] as number
        )
          ahead++;
      }
      if (home !== cpu || ahead >= this.slots) extraNs = this.slotMissNs;
    }
    if (home !== cpu) {
      // a move: its lines stay in the old CPU's cache (a ghost for the entities behind it there)
      if (home !== NONE && cur[home] === entity) cur[home] = NONE;
      this.unlink(entity, true);
    } else if (cold || workingSetBytes + this.params.entityOverheadBytes === 0) {
      // nothing of it to refill (cold: all of it): the stack distance does not matter
      this.unlink(entity, false);
    } else {
      d = (anon[cpu] as number) - (this.mark[entity] as number) + this.pathBytes;
      const sat = this.saturationBytes;
      const next = this.next;
      const foot = this.foot;
      const ghost = this.ghost;
      let e = this.head[cpu] as number;
      if (d >= sat) {
        cold = true; // the hypervisor alone evicted everything: no walk
        e = entity;
      }
      while (e !== entity && e !== NONE) {
        d += (foot[e] as number) + (ghost[e] as number);
        if (d >= sat) {
          this.truncateAfter(cpu, e);
          cold = true;
          break;
        }
        e = next[e] as number;
      }
      this.unlink(entity, false);
    }
    cur[cpu] = entity;
    this.pushFront(cpu, entity);
    this.phaseOf[entity] = phase;
    const w2 = workingSetBytes + this.params.entityOverheadBytes;
    this.foot[entity] = w2;
    const g = this.geometry;
    const r1 = workingSetBytes < g.l1Bytes ? workingSetBytes : g.l1Bytes;
    const r2 = w2 < g.l2Bytes ? w2 : g.l2Bytes;
    if (this.lastWs[entity] !== workingSetBytes) {
      this.lastWs[entity] = workingSetBytes;
      this.tR1[entity] = this.t1(r1);
      this.tR2[entity] = this.t2(r2);
    }
    return Math.round(
      this.cost(workingSetBytes, r1, r2, this.tR1[entity] as number, this.tR2[entity] as number, d, cold) + extraNs,
    );
  }

  /** Forgets every entity and CPU (a fresh cache, same geometry and parameters). */
  reset(): void {
    this.next.fill(NONE);
    this.prev.fill(NONE);
    this.cpuOf.fill(NONE);
    this.phaseOf.fill(NONE);
    this.foot.fill(0);
    this.mark.fill(0);
    this.ghost.fill(0);
    this.lastWs.fill(-1);
    this.head.fill(NONE);
    this.cur.fill(NONE);
    this.anon.fill(0);
  }

  /** Bytes touched on `cpu` by the hypervisor or a device (interrupt handlers, copies): they evict. */
  pollute(cpu: number, bytes: number): void {
    this.ensure(cpu, NONE);
    this.anon[cpu] = (this.anon[cpu] as number) + bytes;
  }

  /**
   * The entity is gone (a destroyed domain, an exited process): it leaves its CPU's list; what it
   * touched still counts for the entities that ran before it there (its lines stay until evicted).
   */
  forget(entity: number): void {
    if (entity >= this.cpuOf.length) return;
    const c = this.cpuOf[entity] as number;
    if (c !== NONE && this.cur[c] === entity) this.cur[c] = NONE;
    this.unlink(entity, true);
  }

  /** Entities in `cpu`'s LRU list, most recent first (for tests and traces; allocates). */
  lruList(cpu: number): number[] {
    const out: number[] = [];
    if (cpu >= this.head.length) return out;
    for (let e = this.head[cpu] as number; e !== NONE; e = this.next[e] as number) out.push(e);
    return out;
  }

  private ensure(cpu: number, entity: number): void {
    if (!(Number.isSafeInteger(cpu) && cpu >= 0))
      throw new RangeError(`FootprintCache: cpu must be an integer >= 0, got ${String(cpu)}`);
    if (entity !== NONE && !(Number.isSafeInteger(entity) && entity >= 0 && entity < 0x7fffffff)) {
      throw new RangeError(`FootprintCache: entity must be an integer in [0, 2147483646], got ${String(entity)}`);
    }
    if (cpu >= this.head.length) {
      const n = Math.max(cpu + 1, this.head.length * 2, 4);
      this.head = grownInt(this.head, n);
      this.cur = grownInt(this.cur, n);
      this.anon = grownFloat(this.anon, n);
    }
    if (entity >= this.cpuOf.length) {
      const n = Math.max(entity + 1, this.cpuOf.length * 2, 16);
      this.next = grownInt(this.next, n);
      this.prev = grownInt(this.prev, n);
      this.cpuOf = grownInt(this.cpuOf, n);
      this.phaseOf = grownInt(this.phaseOf, n);
      this.foot = grownFloat(this.foot, n);
      this.mark = grownFloat(this.mark, n);
      this.ghost = grownFloat(this.ghost, n);
      const lw = new Float64Array(n).fill(-1);
      lw.set(this.lastWs);
      this.lastWs = lw;
      this.tR1 = grownFloat(this.tR1, n);
      this.tR2 = grownFloat(this.tR2, n);
    }
  }

  /**
   * Takes `e` out of its CPU's list. Its ghost bytes (entities that left that list from behind it) and,
   * if `leaveGhost`, its own footprint stay counted for the entities behind it: they move to the entity
   * ahead of it, or to the CPU's anonymous counter if it was the most recent.
   */
  private unlink(e: number, leaveGhost: boolean): void {
    const c = this.cpuOf[e] as number;
    if (c === NONE) return;
    const p = this.prev[e] as number;
    const n = this.next[e] as number;
    const bytes = (this.ghost[e] as number) + (leaveGhost ? (this.foot[e] as number) : 0);
    this.ghost[e] = 0;
    if (p === NONE) {
      this.head[c] = n;
      this.anon[c] = (this.anon[c] as number) + bytes;
    } else {
      this.next[p] = n;
      this.ghost[p] = (this.ghost[p] as number) + bytes;
    }
    if (n !== NONE) this.prev[n] = p;
    this.prev[e] = NONE;
    this.next[e] = NONE;
    this.cpuOf[e] = NONE;
  }

  private pushFront(cpu: number, e: number): void {
    const h = this.head[cpu] as number;
    this.prev[e] = NONE;
    this.next[e] = h;
    if (h !== NONE) this.prev[h] = e;
    this.head[cpu] = e;
    this.cpuOf[e] = cpu;
  }

  /** Every entity behind `e` in `cpu`'s list is fully evicted: it leaves the list. */
  private truncateAfter(cpu: number, e: number): void {
    let x = this.next[e] as number;
    this.next[e] = NONE;
    this.ghost[e] = 0;
    while (x !== NONE) {
      const n = this.next[x] as number;
      this.prev[x] = NONE;
      this.next[x] = NONE;
      this.cpuOf[x] = NONE;
      this.ghost[x] = 0;
      if (this.cur[cpu] === x) this.cur[cpu] = NONE;
      x = n;
    }
  }
}

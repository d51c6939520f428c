// A replay of lmbench's lat_ctx through the footprint cache model (footprint.ts), computing its result
// the way lat_ctx does (lmbench 3 src/lat_ctx.c).
//
// lat_ctx: N processes in a ring of pipes pass a token; each, when it gets the token, sums its private
// array of S bytes (`sumit`) and writes the token to the next pipe. One trip around the ring is N
// switches. The result per switch is
//     trip time / N − overhead,
// where the overhead is measured first with one process that writes and reads a pipe and sums its own
// (warm) array, with no switch in between: lmbench subtracts the pipe and the warm sum, so what remains
// is the switch and what the switch made the sum refetch.
//
// Here all processes run on CPU 0 (lat_ctx on the paper's single-CPU runs); each process is a model
// entity with working set S; the pipe and the warm sum cost `pipeNs` and `sumNsPerByte · S` in both
// measurements, so they cancel exactly (their values do not matter; the test checks that).
// Units: ns, bytes.
import { checkInt, checkNumber } from '../validate.js';
import type { FootprintCache } from './footprint.js';

export interface LatCtxOptions {
  /** Processes in the ring (lat_ctx's argument), ≥ 2. */
  readonly processes: number;
  /** Working set of each process (lat_ctx -s, in bytes), ≥ 0. */
  readonly sizeBytes: number;
  /** Trips around the ring that are measured. Default 10. */
  readonly rounds?: number;
  /** Trips before the measurement (the caches start cold). Default 3. */
  readonly warmupRounds?: number;
  /** Pipe write + read per pass, ns. Default 1000 (cancels out). */
  readonly pipeNs?: number;
  /** Warm sum per byte, ns. Default 0.1 (cancels out). */
  readonly sumNsPerByte?: number;
}

export interface LatCtxResult {
  /** lat_ctx's result: per-switch time minus the overhead, ns. */
  readonly perSwitchNs: number;
  /** The overhead lmbench subtracts (one process, no switch), ns. */
  readonly overheadNs: number;
  /** Mean time of one trip around the ring, ns. */
  readonly tripNs: number;
}

/** Replays lat_ctx on a fresh model made by `makeModel` (one per call, so replays are independent). */
export function replayLatCtx(makeModel: () => FootprintCache, options: LatCtxOptions): LatCtxResult {
  const where = 'replayLatCtx';
  const n = checkInt(where, 'processes', options.processes, 2, 100_000);
  const size = checkInt(where, 'sizeBytes', options.sizeBytes, 0);
  const rounds = checkInt(where, 'rounds', options.rounds ?? 10, 1);
  const warmup = checkInt(where, 'warmupRounds', options.warmupRounds ?? 3, 0);
  const pipeNs = checkNumber(where, 'pipeNs', options.pipeNs ?? 1000, 0, 1e9);
  const sumNs = checkNumber(where, 'sumNsPerByte', options.sumNsPerByte ?? 0.1, 0, 1e6) * size;

  // overhead: one process, pipe + warm sum, no switch (benchmark_overhead)
  const solo = makeModel();
  let t = solo.switchIn(0, 0, size); // its first run (cold), before timing starts
  t = 0;
  const iterations = rounds * n;
  for (let i = 0; i < iterations; i++) t += solo.switchIn(0, 0, size) + pipeNs + sumNs;
  const overheadNs = t / iterations;

  // the ring (benchmark): process i passes the token to i + 1 mod n
  const ring = makeModel();
  for (let r = 0; r < warmup; r++) for (let i = 0; i < n; i++) ring.switchIn(0, i, size);
  t = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) t += ring.switchIn(0, i, size) + pipeNs + sumNs;
  }
  const tripNs = t / rounds;
  return { perSwitchNs: tripNs / n - overheadNs, overheadNs, tripNs };
}

/** The context-switch columns of the paper's Table 3: (processes, working set in KB). */
export const LAT_CTX_CELLS = [
  { processes: 2, sizeKb: 0 },
  { processes: 2, sizeKb: 16 },
  { processes: 2, sizeKb: 64 },
  { processes: 8, sizeKb: 16 },
  { processes: 8, sizeKb: 64 },
  { processes: 16, sizeKb: 16 },
  { processes: 16, sizeKb: 64 },
] as const;

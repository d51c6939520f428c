// The storage studies' run functions: same seed → identical measures (determinism); different seeds
// differ; the measures obey independent checks (closed loop: Little's law on the disk-scheduling run;
// SSD throughput = outstanding / service time when every channel is busy).
import { describe, expect, it } from 'vitest';
import { diskScheduling } from '../../../experiments/disk-scheduling/index.js';
import { barriers } from '../../../experiments/barriers/index.js';

const dsParams = {
  disk: 'dk32ej',
  scheduler: 'clook',
  backend: 'none',
  domains: 2,
  depth: 4,
  writeFraction: 0.1,
  warmupNs: 100_000_000,
  runLengthNs: 2_000_000_000,
} as const;

describe('disk-scheduling run', () => {
  it('is deterministic for a seed and varies with it', () => {
    const a = diskScheduling.run(dsParams, { seed: 11 } as never);
    const b = diskScheduling.run(dsParams, { seed: 11 } as never);
    const c = diskScheduling.run(dsParams, { seed: 12 } as never);
    expect(a.measures).toEqual(b.measures);
    expect(a.measures.requestsPerS).not.toBe(c.measures.requestsPerS);
  });

  it("Little's law: 8 outstanding requests = throughput × mean latency (closed loop)", () => {
    const r = diskScheduling.run(dsParams, { seed: 3 } as never).measures;
    expect(((r.requestsPerS as number) * (r.latencyMeanNs as number)) / 1e9 / 8).toBeCloseTo(1, 1);
  });

  it('SSD-like: 32 outstanding reads keep all 8 channels busy: 8 / (50 µs + 4 KB at 50 MB/s)', () => {
    const r = diskScheduling.run({ ...dsParams, disk: 'ssd', depth: 16, writeFraction: 0, runLengthNs: 200_000_000 }, {
      seed: 1,
    } as never).measures;
    expect((r.requestsPerS as number) / (8 / (50e-6 + 4096 / 50e6))).toBeCloseTo(1, 2);
    expect(r.diskBusyFraction).toBeCloseTo(1, 2);
  });

  it("back-end CPU: each request costs 1.88 µs of dom0's (or the hypervisor's) time", () => {
    for (const backend of ['dom0', 'hypervisor'] as const) {
      const r = diskScheduling.run({ ...dsParams, disk: 'ssd', backend, runLengthNs: 100_000_000 }, {
        seed: 2,
      } as never).measures;
      expect((r.backendCpuFraction as number) / (((r.requestsPerS as number) * 1880) / 1e9)).toBeCloseTo(1, 1);
    }
    expect(diskScheduling.run(dsParams, { seed: 2 } as never).measures.backendCpuFraction).toBe(0);
  });
});

describe('barriers run', () => {
  it('is deterministic, and a barrier on every commit costs C-LOOK throughput', () => {
    const p = {
      scheduler: 'clook',
      barrierEvery: 1,
      domains: 1,
      clients: 8,
      readsPerTx: 3,
      writesPerTx: 3,
      warmupNs: 200_000_000,
      runLengthNs: 3_000_000_000,
    } as const;
    const a = barriers.run(p, { seed: 5 } as never);
    expect(barriers.run(p, { seed: 5 } as never).measures).toEqual(a.measures);
    expect(a.measures.barrierFraction).toBe(1);
    const none = barriers.run({ ...p, barrierEvery: 0 }, { seed: 5 } as never);
    expect(none.measures.txPerS).toBeGreaterThan(a.measures.txPerS as number);
  });
});

// Disk service model on hand-computed cases: zero seek, full stroke, the seek curve's mean, rotation,
// sequential streaming at the media rate, read-ahead, the SSD-like preset.
import { describe, expect, it } from 'vitest';
import { DISK } from '../../../src/models/calibration.js';
import {
  DK32EJ_10K,
  DiskModel,
  SSD_LIKE,
  diskParams,
  type RotatingDiskParams,
} from '../../../src/models/disk/service.js';

// a small hand-checkable disk: 6000 RPM (10 ms per turn), 512 KB/s... media 51.2 MB/s → 1000 sectors per track
const SMALL: RotatingDiskParams = {
  kind: 'rotating',
  capacitySectors: 100 * 4000,
  sectorBytes: 512,
  cylinders: 100,
  rpm: 6000,
  avgSeekNs: 4_000_000,
  settleNs: 1_000_000,
  seekBoundaryFraction: 1,
  mediaBytesPerS: 51.2e6,
  commandOverheadNs: 0,
  rotation: 'position',
  readAheadSectors: 0,
};

describe('DiskModel (rotating)', () => {
  it('derives the geometry: 1000 sectors per track, 4000 per cylinder, 10 ms per turn', () => {
    const m = new DiskModel(SMALL);
    expect(m.revolutionNs).toBe(10_000_000);
    expect(m.sectorsPerTrack).toBeCloseTo(1000, 9);
    expect(m.sectorsPerCylinder).toBe(4000);
  });

  it('pure √ curve (boundary 1): k solved from the mean of √(99x) over density 2(1 − x) = 16/15·√99', () => {
    const m = new DiskModel(SMALL);
    // E[√x] under 2(1 − x) = 2(2/3 − 2/5) = 8/15; so k = (4 ms − 1 ms) / (8/15 · √99)
    const k = 3_000_000 / ((8 / 15) * Math.sqrt(99));
    expect(m.seekSqrtNs).toBeCloseTo(k, -1);
    expect(m.seekNs(0)).toBe(0);
    expect(m.seekNs(1)).toBeCloseTo(1_000_000 + k, -1);
    expect(m.fullStrokeNs).toBeCloseTo(1_000_000 + k * Math.sqrt(99), -1);
  });

  it('zero seek, zero rotation: a request at the head position and angle costs only its transfer', () => {
    const m = new DiskModel(SMALL);
    // sector 0 is at angle 0, which is under the head at t = 0 and at every whole turn
    expect(m.serviceNs(0, 8, false, 0)).toBe(80_000); // 8 sectors of 1000 per 10 ms turn
    expect(m.serviceNs(0, 8, false, 20_000_000)).toBe(80_000);
  });

  it('rotation: waits for the sector to come round (position-aware)', () => {
    const m = new DiskModel(SMALL);
    // sector 500 is half a turn away at t = 0
    expect(m.serviceNs(500, 1, false, 0)).toBe(5_000_000 + 10_000);
    // at t = 6 ms the head is at 0.6: sector 500 (0.5) is 0.9 of a turn away
    expect(m.serviceNs(500, 1, false, 6_000_000)).toBe(9_000_000 + 10_000);
  });

  it('full stroke: seek from cylinder 0 to the last, then rotation to the target angle', () => {
    const m = new DiskModel(SMALL);
    const target = 99 * 4000; // first sector of the last cylinder
    const seek = m.fullStrokeNs;
    const head = seek / 10_000_000;
    let wait = m.angleOf(target) - (head - Math.floor(head));
    if (wait < 0) wait += 1;
    expect(m.serviceNs(target, 1, false, 0)).toBe(Math.round(seek + wait * 10_000_000 + 10_000));
    expect(m.headCylinder).toBe(99);
  });

  it('sequential streaming runs at the media rate (no rotation lost), also across cylinders (skew)', () => {
    const m = new DiskModel(SMALL);
    let t = 0;
    let sector = 0;
    const n = 64;
    for (let i = 0; i < 1000; i++) {
      t += m.serviceNs(sector, n, false, t);
      sector += n;
    }
    // 64 000 sectors = 16 cylinders: 15 crossings of one track-to-track seek each
    const expected = (64_000 * 512 * 1e9) / 51.2e6 + 15 * m.seekNs(1);
    expect(Math.abs(t - expected)).toBeLessThanOrEqual(1000); // rounding of 1000 requests
    const within = new DiskModel(SMALL);
    let u = 0;
    for (let s = 0; s < 3200; s += 32) u += within.serviceNs(s, 32, false, u);
    expect(u).toBe(32_000_000); // 3200 sectors at 100 000 sectors/s, exactly
  });

  it('uniform rotation draws a latency from the stream; mean is half a turn', () => {
    const m = new DiskModel({ ...SMALL, rotation: 'uniform' }, { next: () => 0.25 });
    expect(m.serviceNs(0, 1, false, 0)).toBe(2_500_000 + 10_000);
    const h = new DiskModel({ ...SMALL, rotation: 'mean' });
    expect(h.serviceNs(0, 1, false, 0)).toBe(5_000_000 + 10_000);
  });

  it('read-ahead: the next sequential read is served from the buffer when its data has been read', () => {
    const m = new DiskModel({ ...SMALL, readAheadSectors: 256 });
    const t0 = m.serviceNs(0, 8, false, 0); // 80 µs
    // arriving 1 ms later, sectors 8..15 were read at 80..160 µs: ready at once → 1 ns (minimum)
    expect(m.serviceNs(8, 8, false, t0 + 1_000_000)).toBe(1);
    // arriving at once: waits until its last sector is read (8 sectors · 10 µs)
    const m2 = new DiskModel({ ...SMALL, readAheadSectors: 256 });
    const u0 = m2.serviceNs(0, 8, false, 0);
    expect(m2.serviceNs(8, 8, false, u0)).toBe(80_000);
    expect(m2.readAheadHits).toBe(1);
    // a write drops the buffer
    m2.serviceNs(5000, 1, true, 1_000_000);
    m2.serviceNs(16, 1, false, 50_000_000);
    expect(m2.readAheadHits).toBe(1);
  });

  it('the DK32EJ preset: average seek 4.9 ms over random pairs, 6 ms per turn, random 4 KB ≈ 8 ms', () => {
    const m = new DiskModel(DK32EJ_10K);
    expect(m.revolutionNs).toBe(6_000_000);
    // Monte Carlo of the mean seek with a deterministic LCG (independent of the midpoint rule)
    let x = 12345;
    const rnd = (): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
    let sum = 0;
    const N = 200_000;
    for (let i = 0; i < N; i++) sum += m.seekNs(Math.abs(Math.floor(rnd() * 50_000) - Math.floor(rnd() * 50_000)));
    expect(sum / N / DISK.avgSeekNs.value).toBeCloseTo(1, 2);
    expect(m.fullStrokeNs).toBeGreaterThan(2 * DISK.avgSeekNs.value);
    // random 4 KB reads: ≈ overhead 0.1 + seek 4.9 + rotation 3 + transfer 0.07 ms
    let t = 0;
    for (let i = 0; i < 5000; i++) t += m.serviceNs(Math.floor(rnd() * (DK32EJ_10K.capacitySectors - 8)), 8, false, t);
    expect(t / 5000 / 1e6).toBeGreaterThan(7.6);
    expect(t / 5000 / 1e6).toBeLessThan(8.6);
  });

  it('rejects bad parameters with the field named', () => {
    expect(() => new DiskModel({ ...SMALL, rpm: 0 })).toThrow(/rpm/);
    expect(() => new DiskModel({ ...SMALL, rotation: 'uniform' })).toThrow(/rng/);
    expect(() => diskParams('dk32ej', { channels: 3 } as never)).toThrow(/channels/);
  });
});

describe('DiskModel (SSD-like)', () => {
  it('access time plus transfer on one channel; no head state', () => {
    const m = new DiskModel(SSD_LIKE);
    expect(m.channels).toBe(8);
    expect(m.serviceNs(1_000_000, 8, false, 0)).toBe(50_000 + Math.round((4096 * 1e9) / 50e6));
    expect(m.serviceNs(0, 8, true, 0)).toBe(200_000 + Math.round((4096 * 1e9) / 50e6));
  });
});

// Sizes in scenario files (src/scenario/units.ts): binary units worked out by hand, the paper's 2 GB
// machine is the host's default page count, fractions round down to a whole byte, and a malformed text
// is NaN (the schema rejects it before it gets here). Link rates: decimal units, 1 Gbps = 10^9 bit/s.
import { describe, expect, it } from 'vitest';
import { HOST_DEFAULTS } from '../../src/models/host/host.js';
import { rateBitsPerS, showSize, sizeBytes, sizePages, sizeSectors } from '../../src/scenario/units.js';

describe('sizes', () => {
  it('reads bytes and binary units', () => {
    expect(sizeBytes(4096)).toBe(4096);
    expect(sizeBytes('4096B')).toBe(4096);
    expect(sizeBytes('64KB')).toBe(65_536);
    expect(sizeBytes('64 KiB')).toBe(65_536);
    expect(sizeBytes('512 MiB')).toBe(536_870_912);
    expect(sizeBytes('2GB')).toBe(2_147_483_648);
    expect(sizeBytes('1.5GB')).toBe(1_610_612_736);
    expect(sizeBytes('1TB')).toBe(1_099_511_627_776);
    expect(sizeBytes('0.1KB')).toBe(102); // 102.4 rounded down
  });

  it("2GB is the host's default machine memory in 4 KB pages; sectors are 512 bytes", () => {
    expect(sizePages('2GB')).toBe(HOST_DEFAULTS.machineMemoryPages);
    expect(sizePages('6KB')).toBe(1);
    expect(sizeSectors('4GB')).toBe(8_388_608);
  });

  it('malformed sizes are NaN', () => {
    for (const bad of ['2 gigs', 'GB', '-1GB', '1e3MB', ''] as const) expect(sizeBytes(bad)).toBeNaN();
    expect(sizeBytes(-1)).toBeNaN();
    expect(sizeBytes(1.5)).toBeNaN();
  });

  it('prints sizes for messages', () => {
    expect(showSize(2 ** 31)).toBe('2 GiB');
    expect(showSize(96 * 2 ** 20)).toBe('96 MiB');
    expect(showSize(16.0625 * 2 ** 20)).toBe('16.06 MiB');
    expect(showSize(100)).toBe('100 B');
  });
});

describe('link rates', () => {
  it('reads bit/s and decimal units (1 Gbps = 10^9 bit/s, as links are quoted)', () => {
    expect(rateBitsPerS(1e9)).toBe(1_000_000_000);
    expect(rateBitsPerS('1Gbps')).toBe(1_000_000_000);
    expect(rateBitsPerS('100 Mbps')).toBe(100_000_000);
    expect(rateBitsPerS('2.5Gbit/s')).toBe(2_500_000_000);
    expect(rateBitsPerS('64Kbps')).toBe(64_000);
    expect(rateBitsPerS('10 bps')).toBe(10);
  });

  it('a malformed text or a non-positive number is NaN', () => {
    expect(rateBitsPerS('1 gigabit')).toBeNaN();
    expect(rateBitsPerS('1GBps')).toBeNaN();
    expect(rateBitsPerS(0)).toBeNaN();
    expect(rateBitsPerS(-5)).toBeNaN();
  });
});

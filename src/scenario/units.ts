// Sizes in scenario files: an integer number of bytes (4096) or a number with a unit (`2GB`, `512 MiB`,
// `64KB`, `1.5GB`). Memory and disk sizes are binary, as Xen, Linux and the paper quote them: KB = KiB =
// 1024 bytes, MB = MiB = 2^20, GB = GiB = 2^30, TB = TiB = 2^40 (the paper's "2 GB" machine is 2^31
// bytes = 524 288 pages of 4 KB). B is bytes. The schema (schema.ts) accepts the shape with SIZE_PATTERN;
// sizeBytes() turns it into an integer of bytes (fractions rounded down to a whole byte).
export const SIZE_UNITS = {
  B: 1,
  KB: 1024,
  KiB: 1024,
  MB: 1024 ** 2,
  MiB: 1024 ** 2,
  GB: 1024 ** 3,
  GiB: 1024 ** 3,
  TB: 1024 ** 4,
  TiB: 1024 ** 4,
} as const;
export type SizeUnit = keyof typeof SIZE_UNITS;

/** The text form of a size: a number, optional spaces, a unit of SIZE_UNITS. */
export const SIZE_PATTERN = `^[0-9]+(\\.[0-9]+)?\\s*(${Object.keys(SIZE_UNITS).join('|')})$`;

/** A size as written in a scenario (bytes, or a string with a unit). */
export type Size = number | string;

/** Bytes of a size (already checked by the schema), or NaN if it is malformed. */
export function sizeBytes(size: Size): number {
  if (typeof size === 'number') return Number.isSafeInteger(size) && size >= 0 ? size : NaN;
  const m = new RegExp(SIZE_PATTERN).exec(size.trim());
  if (m === null) return NaN;
  const unit = m[2] as SizeUnit;
  const value = Number(
    size
      .trim()
      .slice(0, size.trim().length - unit.length)
      .trim(),
  );
  return Math.floor(value * SIZE_UNITS[unit]);
}

/** Bytes per page (4 KB pages: calibration MACHINE, memory/machine-memory.ts). */
export const PAGE_BYTES = 4096;

/** Whole 4 KB pages of a size (rounded down). */
export function sizePages(size: Size): number {
  return Math.floor(sizeBytes(size) / PAGE_BYTES);
}

/** 512-byte sectors of a size (rounded down). */
export function sizeSectors(size: Size): number {
  return Math.floor(sizeBytes(size) / 512);
}

/** "2 GiB", "96 MiB", "4096 B": a readable size for messages. */
export function showSize(bytes: number): string {
  for (const [unit, n] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= n) return `${Number((bytes / n).toPrecision(4))} ${unit}`;
  }
  return `${bytes} B`;
}

// Link rates in scenario files: bit/s as a number (1000000000) or a number with a unit (`1Gbps`,
// `100 Mbps`, `10Gbit/s`). Rates are decimal, as links are quoted: Kbps = 10^3, Mbps = 10^6, Gbps = 10^9
// bit/s.
export const RATE_UNITS = {
  bps: 1,
  Kbps: 1e3,
  Mbps: 1e6,
  Gbps: 1e9,
  'bit/s': 1,
  'Kbit/s': 1e3,
  'Mbit/s': 1e6,
  'Gbit/s': 1e9,
} as const;
export type RateUnit = keyof typeof RATE_UNITS;

/** The text form of a rate: a number, optional spaces, a unit of RATE_UNITS. */
export const RATE_PATTERN = `^[0-9]+(\\.[0-9]+)?\\s*(${Object.keys(RATE_UNITS)
  .map((u) => u.replace('/', '\\/'))
  .join('|')})$`;

/** A rate as written in a scenario (bit/s, or a string with a unit). */
export type Rate = number | string;

/** bit/s of a rate (already checked by the schema), rounded to an integer, or NaN if it is malformed. */
export function rateBitsPerS(rate: Rate): number {
  if (typeof rate === 'number') return Number.isFinite(rate) && rate > 0 ? Math.round(rate) : NaN;
  const m = new RegExp(RATE_PATTERN).exec(rate.trim());
  if (m === null) return NaN;
  const unit = m[2] as RateUnit;
  return Math.round(Number(m[0].slice(0, m[0].length - unit.length).trim()) * RATE_UNITS[unit]);
}

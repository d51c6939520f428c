// Virtual block devices: what a domain sees as a disk, and the hypervisor's translation and check.
//
// A VBD is an ordered list of extents (physical disk index, start sector, length in sectors) with a
// mode, 'r' (read-only) or 'rw'. Virtual sector v lies in the extent where the running sum of the
// earlier extents' lengths ≤ v < that sum + the extent's length. `translate` maps a request
// (virtual sector, sector count, write) to (disk, physical sector), or to an error:
//   outOfRange  the request does not lie wholly inside one extent (past the end, negative, or
//               straddling two extents: a simplification — a request is never split here);
//   permission  a write to a read-only VBD.
// The block back end (blkback.ts) answers such a request with an error response at once; it never
// reaches the disk, and it is counted.
// Units: sectors. Source: the paper §3.3.6 (VBDs: extents with access-control information, translated
// and checked by Xen); the extent list as in Xen 1.0's xen_vbd.c, the one-extent rule our simplification.
import { checkInt, checkOneOf, rangeFail } from '../validate.js';

export const VbdMode = { r: 'r', rw: 'rw' } as const;
export type VbdMode = (typeof VbdMode)[keyof typeof VbdMode];

export const VbdError = { outOfRange: 'outOfRange', permission: 'permission' } as const;
export type VbdError = (typeof VbdError)[keyof typeof VbdError];

export interface VbdExtent {
  readonly disk: number;
  readonly startSector: number;
  readonly lengthSectors: number;
}

export interface VbdConfig {
  readonly extents: readonly VbdExtent[];
  readonly mode: VbdMode;
}

/** Result of a translation (reused by the caller: no allocation per request). */
export interface VbdTranslation {
  disk: number;
  sector: number;
}

export class Vbd {
  readonly extents: readonly VbdExtent[];
  readonly mode: VbdMode;
  readonly sizeSectors: number;
  private readonly starts: number[];

  constructor(config: VbdConfig, where = 'Vbd') {
    if (config === null || typeof config !== 'object')
      rangeFail(where, 'config', 'an object { extents, mode }', config);
    this.mode = checkOneOf(where, 'mode', config.mode, VbdMode);
    if (!Array.isArray(config.extents) || config.extents.length === 0)
      rangeFail(where, 'extents', 'a non-empty array of { disk, startSector, lengthSectors }', config.extents);
    const ext: VbdExtent[] = [];
    this.starts = [];
    let sum = 0;
    config.extents.forEach((e: VbdExtent, i: number) => {
      if (e === null || typeof e !== 'object')
        rangeFail(where, `extents[${i}]`, 'an object { disk, startSector, lengthSectors }', e);
      const x = {
        disk: checkInt(where, `extents[${i}].disk`, e.disk, 0),
        startSector: checkInt(where, `extents[${i}].startSector`, e.startSector, 0),
        lengthSectors: checkInt(where, `extents[${i}].lengthSectors`, e.lengthSectors, 1),
      };
      ext.push(Object.freeze(x));
      this.starts.push(sum);
      sum += x.lengthSectors;
    });
    this.extents = Object.freeze(ext);
    this.sizeSectors = sum;
  }

  /** Translates into `out`; returns null on success or the error. */
  translate(sector: number, sectors: number, write: boolean, out: VbdTranslation): VbdError | null {
    if (write && this.mode === VbdMode.r) return VbdError.permission;
    if (!(sector >= 0) || !(sectors >= 1) || sector + sectors > this.sizeSectors) return VbdError.outOfRange;
    const starts = this.starts;
    let i = starts.length - 1;
    while ((starts[i] as number) > sector) i--;
    const e = this.extents[i] as VbdExtent;
    const off = sector - (starts[i] as number);
    if (off + sectors > e.lengthSectors) return VbdError.outOfRange;
    out.disk = e.disk;
    out.sector = e.startSector + off;
    return null;
  }
}

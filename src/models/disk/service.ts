// Disk service model: how long a physical disk takes to serve one request, given where its head is.
//
// What it holds. `DiskModel` keeps the head's cylinder and computes, for a request (start sector,
// sector count, read/write) arriving at the disk at time t, its service time in integer ns:
//   commandOverhead + seek(distance) + rotational latency + transfer (+ settles at cylinder crossings)
// and moves the head to the request's last sector. An SSD-like model has no head: a fixed access time
// per request plus transfer, on `channels` independent channels (the block back end, blkback.ts,
// keeps up to `channels` requests on the device at once; a rotating disk has one).
//
// Geometry (logical, as a simulator needs it, not the drive's real zone table): sectors of
// `sectorBytes`; `sectorsPerTrack` = mediaBytesPerS · revolution / sectorBytes (may be fractional: it is
// the angular size of a sector) so that reading one track's worth of sectors takes exactly one
// revolution and sequential transfer proceeds at exactly mediaBytesPerS; `cylinders` cylinders of
// capacity / cylinders sectors each. Cylinder c = floor(sector / sectorsPerCylinder).
//
// Seek time for a distance of d ≥ 1 cylinders (Ruemmler & Wilkes, "An introduction to disk drive
// modeling", IEEE Computer 1994: short seeks ∝ √d (the arm accelerates then decelerates), long seeks
// linear (it coasts)):
//   seek(d) = settle + k·√d                              for d ≤ B
//   seek(d) = settle + k·√B + (k / (2√B))·(d − B)          for d > B       (value and slope continuous)
// with B = boundaryFraction · (cylinders − 1); seek(0) = 0. k is solved so that the mean seek over two
// independent uniform positions (distance density 2(1 − x) on [0, 1] of the full stroke, the usual
// definition of a data sheet's "average seek") equals avgSeekNs; the full-stroke time follows.
//
// Rotation: the platters turn from angle 0 at t = 0, one revolution every 60e9 / rpm ns. Sector s sits
// at angle frac(s / sectorsPerTrack + c · skew), where skew = seek(1) / revolution is the cylinder
// skew (a real disk's track skew, so that a sequential transfer crossing a cylinder loses only the
// track-to-track seek, not a revolution). 'position' (default): after the seek the disk waits until the first
// sector comes under the head; 'uniform': a latency uniform in [0, revolution) from the given random
// stream (the classic independent-latency model); 'mean': always half a revolution.
// Transfer: sectorBytes · n / mediaBytesPerS, plus seek(1) per cylinder boundary crossed inside the
// request (no zoning: one media rate for the whole disk — zoned recording is not modelled).
// Read-ahead (optional, readAheadSectors > 0): after a read the disk keeps reading the following
// sectors into its buffer at the media rate, until a request of another kind or place arrives; a read
// that lies wholly in the range being read ahead is served from the buffer, at the later of its
// arrival and the time its last sector has been read (no seek, no rotation), and the window moves on
// to readAheadSectors past it (a sequential stream is read at the media rate). A write drops the buffer.
//
// Units: ns, sectors, bytes, bytes/s. Presets: DK32EJ_10K (calibration.ts DISK: the paper's Hitachi
// DK32EJ 146 GB 10,000 RPM SCSI disk; average seek 4.9 ms and 50–70 MB/s are datasheet-class figures,
// the other parameters assumptions, each marked) and SSD_LIKE (assumptions: a generic flash device,
// not a part of the paper's machine).
import { DISK, DISK_MODEL } from '../calibration.js';
import { checkInt, rangeFail } from '../validate.js';

export const RotationModel = { position: 'position', uniform: 'uniform', mean: 'mean' } as const;
export type RotationModel = (typeof RotationModel)[keyof typeof RotationModel];

export const DiskKind = { rotating: 'rotating', ssd: 'ssd' } as const;
export type DiskKind = (typeof DiskKind)[keyof typeof DiskKind];

export interface RotatingDiskParams {
  readonly kind: 'rotating';
  readonly capacitySectors: number;
  readonly sectorBytes: number;
  readonly cylinders: number;
  readonly rpm: number;
  readonly avgSeekNs: number;
  /** Settle time: the constant term of every non-zero seek. */
  readonly settleNs: number;
  /** Boundary between the √ and the linear part of the seek curve, fraction of the full stroke, (0, 1]. */
  readonly seekBoundaryFraction: number;
  readonly mediaBytesPerS: number;
  /** Controller/command overhead per request (not per read-ahead hit). */
  readonly commandOverheadNs: number;
  readonly rotation: RotationModel;
  /** Read-ahead window, sectors; 0 = no read-ahead cache. */
  readonly readAheadSectors: number;
}

export interface SsdParams {
  readonly kind: 'ssd';
  readonly capacitySectors: number;
  readonly sectorBytes: number;
  readonly channels: number;
  readonly readAccessNs: number;
  readonly writeAccessNs: number;
  /** Transfer rate of one channel. */
  readonly channelBytesPerS: number;
}

export type DiskParams = RotatingDiskParams | SsdParams;

/** The paper's disk (calibration.ts DISK and DISK_MODEL). */
export const DK32EJ_10K: RotatingDiskParams = Object.freeze({
  kind: 'rotating',
  capacitySectors: Math.floor(DISK.capacityBytes.value / DISK_MODEL.sectorBytes.value),
  sectorBytes: DISK_MODEL.sectorBytes.value,
  cylinders: DISK_MODEL.cylinders.value,
  rpm: DISK.rpm.value,
  avgSeekNs: DISK.avgSeekNs.value,
  settleNs: DISK_MODEL.settleNs.value,
  seekBoundaryFraction: DISK_MODEL.seekBoundaryFraction.value,
  mediaBytesPerS: DISK.mediaBytesPerS.value,
  commandOverheadNs: DISK_MODEL.commandOverheadNs.value,
  rotation: RotationModel.position,
  readAheadSectors: DISK_MODEL.readAheadSectors.value,
});

/** A generic SSD-like device (assumptions, calibration.ts DISK_MODEL ssd*). */
export const SSD_LIKE: SsdParams = Object.freeze({
  kind: 'ssd',
  capacitySectors: Math.floor(DISK.capacityBytes.value / DISK_MODEL.sectorBytes.value),
  sectorBytes: DISK_MODEL.sectorBytes.value,
  channels: DISK_MODEL.ssdChannels.value,
  readAccessNs: DISK_MODEL.ssdReadAccessNs.value,
  writeAccessNs: DISK_MODEL.ssdWriteAccessNs.value,
  channelBytesPerS: DISK_MODEL.ssdChannelBytesPerS.value,
});

export const DISK_PRESETS = { dk32ej: DK32EJ_10K, ssd: SSD_LIKE } as const;
export type DiskPreset = keyof typeof DISK_PRESETS;

function checkPositive(where: string, field: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) rangeFail(where, field, 'a finite number > 0', v);
  return v;
}

/** A source of uniform numbers in [0, 1) (an Rng stream's next()). */
export interface UniformSource {
  next(): number;
}

/** Service-time model of one disk. Stateful (head position, read-ahead buffer); not shared between disks. */
export class DiskModel {
  readonly params: DiskParams;
  /** Parallel requests the device can serve (1 for a rotating disk). */
  readonly channels: number;
  readonly revolutionNs: number;
  readonly sectorsPerTrack: number;
  readonly sectorsPerCylinder: number;
  /** k of the seek curve, ns per √cylinder. */
  readonly seekSqrtNs: number;
  readonly seekBoundaryCyl: number;
  readonly fullStrokeNs: number;
  /** seek(1): the cost of crossing to the next cylinder, and the cylinder skew. */
  readonly trackToTrackNs: number;
  private headCyl = 0;
  // the last request's exact (unrounded) end, and the integer ns it was reported as: a request that
  // starts at that integer instant starts at the exact end (no drift from rounding, streams stay aligned)
  private lastEndExactNs = 0;
  private lastEndNs = 0;
  // read-ahead buffer: sectors [raStart, raEnd) being read from raStartNs at one sector per sectorNs
  private raStart = -1;
  private raEnd = -1;
  private raStartNs = 0;
  /** Requests served from the read-ahead buffer. */
  readAheadHits = 0;

  constructor(
    params: DiskParams,
    private readonly rng: UniformSource | null = null,
  ) {
    const where = 'DiskModel';
    checkInt(where, 'capacitySectors', params.capacitySectors, 1);
    checkInt(where, 'sectorBytes', params.sectorBytes, 1);
    this.params = params;
    if (params.kind === DiskKind.ssd) {
      this.channels = checkInt(where, 'channels', params.channels, 1, 1024);
      checkInt(where, 'readAccessNs', params.readAccessNs, 0);
      checkInt(where, 'writeAccessNs', params.writeAccessNs, 0);
      checkPositive(where, 'channelBytesPerS', params.channelBytesPerS);
      this.revolutionNs = 0;
      this.sectorsPerTrack = 0;
      this.sectorsPerCylinder = params.capacitySectors;
      this.seekSqrtNs = 0;
      this.seekBoundaryCyl = 0;
      this.fullStrokeNs = 0;
      this.trackToTrackNs = 0;
      return;
    }
    if (params.kind !== DiskKind.rotating)
      rangeFail(where, 'kind', "'rotating' or 'ssd'", (params as { kind: unknown }).kind);
    this.channels = 1;
    checkInt(where, 'cylinders', params.cylinders, 2, params.capacitySectors);
    checkPositive(where, 'rpm', params.rpm);
    checkInt(where, 'settleNs', params.settleNs, 0);
    checkInt(where, 'avgSeekNs', params.avgSeekNs, params.settleNs + 1);
    checkPositive(where, 'seekBoundaryFraction', params.seekBoundaryFraction);
    if (params.seekBoundaryFraction > 1)
      rangeFail(where, 'seekBoundaryFraction', 'a number in (0, 1]', params.seekBoundaryFraction);
    checkPositive(where, 'mediaBytesPerS', params.mediaBytesPerS);
    checkInt(where, 'commandOverheadNs', params.commandOverheadNs, 0);
    checkInt(where, 'readAheadSectors', params.readAheadSectors, 0);
    if (!Object.values(RotationModel).includes(params.rotation))
      rangeFail(where, 'rotation', Object.values(RotationModel).join(', '), params.rotation);
    if (params.rotation === RotationModel.uniform && rng === null)
      rangeFail(where, 'rng', 'a random stream when rotation is uniform', rng);
    this.revolutionNs = 60e9 / params.rpm;
    this.sectorsPerTrack = (params.mediaBytesPerS * this.revolutionNs) / 1e9 / params.sectorBytes;
    this.sectorsPerCylinder = params.capacitySectors / params.cylinders;
    const maxD = params.cylinders - 1;
    this.seekBoundaryCyl = Math.max(1, params.seekBoundaryFraction * maxD);
    // mean of g(d) (seek minus settle, per unit k) over the distance of two uniform positions:
    // density 2(1 − x) on x = d / maxD ∈ [0, 1]; midpoint rule, 20,000 strips
    const n = 20_000;
    let meanG = 0;
    for (let i = 0; i < n; i++) {
      const x = (i + 0.5) / n;
      meanG += (2 * (1 - x) * this.seekShape(x * maxD)) / n;
    }
    this.seekSqrtNs = (params.avgSeekNs - params.settleNs) / meanG;
    this.fullStrokeNs = this.seekNs(maxD);
    this.trackToTrackNs = this.seekNs(1);
  }

  /** g(d): the seek curve without settle, per unit of k. */
  private seekShape(d: number): number {
    const b = this.seekBoundaryCyl;
    if (d <= b) return Math.sqrt(d);
    return Math.sqrt(b) + (d - b) / (2 * Math.sqrt(b));
  }

  /** Seek time for a distance of `d` cylinders (real ns, not rounded); 0 for d = 0. */
  seekNs(d: number): number {
    if (d <= 0 || this.params.kind !== DiskKind.rotating) return 0;
    return this.params.settleNs + this.seekSqrtNs * this.seekShape(d);
  }

  cylinderOf(sector: number): number {
    return Math.floor(sector / this.sectorsPerCylinder);
  }

  /** Angle (fraction of a revolution) at which `sector` passes under the head. */
  angleOf(sector: number): number {
    const skew = this.trackToTrackNs / this.revolutionNs;
    const a = sector / this.sectorsPerTrack + this.cylinderOf(sector) * skew;
    return a - Math.floor(a);
  }

  /** Head cylinder (rotating disks). */
  get headCylinder(): number {
    return this.headCyl;
  }

  /**
   * Service time, integer ns ≥ 1, of a request of `sectors` sectors at `sector`, started at `nowNs`;
   * moves the head (and the read-ahead buffer) as the request leaves them.
   */
  serviceNs(sector: number, sectors: number, write: boolean, nowNs: number): number {
    const p = this.params;
    if (p.kind === DiskKind.ssd) {
      const t = (write ? p.writeAccessNs : p.readAccessNs) + (sectors * p.sectorBytes * 1e9) / p.channelBytesPerS;
      return Math.max(1, Math.round(t));
    }
    const sectorNs = (p.sectorBytes * 1e9) / p.mediaBytesPerS;
    const end = sector + sectors;
    if (p.readAheadSectors > 0) {
      if (!write && sector >= this.raStart && end <= this.raEnd) {
        const readyNs = this.raStartNs + (end - this.raStart) * sectorNs;
        this.readAheadHits++;
        // the disk keeps reading ahead of the stream
        this.raEnd = Math.min(p.capacitySectors, end + p.readAheadSectors);
        return Math.max(1, Math.round(readyNs - nowNs));
      }
    }
    const startCyl = this.cylinderOf(sector);
    const lastCyl = this.cylinderOf(end - 1);
    let t = p.commandOverheadNs;
    t += this.seekNs(Math.abs(startCyl - this.headCyl));
    if (p.rotation === RotationModel.mean) t += this.revolutionNs / 2;
    else if (p.rotation === RotationModel.uniform) t += (this.rng as UniformSource).next() * this.revolutionNs;
    else {
      const startNs = nowNs === this.lastEndNs ? this.lastEndExactNs : nowNs;
      const head = (startNs + t) / this.revolutionNs;
      let wait = this.angleOf(sector) - (head - Math.floor(head));
      if (wait < 0) wait += 1;
      // within 2 ns of a whole turn is the same sector (integer-ns rounding of earlier requests)
      if (wait > 1 - 2 / this.revolutionNs) wait = 0;
      t += wait * this.revolutionNs;
    }
    t += sectors * sectorNs + (lastCyl - startCyl) * this.trackToTrackNs;
    this.headCyl = lastCyl;
    const total = Math.max(1, Math.round(t));
    this.lastEndExactNs = (nowNs === this.lastEndNs ? this.lastEndExactNs : nowNs) + t;
    this.lastEndNs = nowNs + total;
    if (p.readAheadSectors > 0) {
      if (write) {
        this.raStart = -1;
        this.raEnd = -1;
      } else {
        this.raStart = end;
        this.raEnd = Math.min(p.capacitySectors, end + p.readAheadSectors);
        this.raStartNs = nowNs + total;
      }
    }
    return total;
  }
}

/** Preset by name, with overrides (validated by DiskModel's constructor). */
export function diskParams(
  preset: DiskPreset,
  overrides: Partial<Omit<RotatingDiskParams, 'kind'>> & Partial<Omit<SsdParams, 'kind'>> = {},
): DiskParams {
  const base = DISK_PRESETS[preset];
  if (base === undefined) rangeFail('diskParams', 'preset', Object.keys(DISK_PRESETS).join(', '), preset);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in base))
      rangeFail('diskParams', k, `a field of the ${preset} preset (${Object.keys(base).join(', ')})`, v);
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as DiskParams;
}

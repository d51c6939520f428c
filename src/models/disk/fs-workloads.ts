// File-system workloads over a domain's VBD: a small-file creator and a dbench-like mix (one client).
// Both are closed loops of file-system operations; each operation costs guest CPU priced by the guest
// profile's operation vocabulary (guest/operations.ts, guest/profile.ts: Table 3 cells where an
// operation has one, Xen profile by default) and turns into block requests on the domain's block front
// end (blkback.ts): synchronous ones, which the process waits for, and asynchronous ones (write-back of
// dirty pages and delayed metadata), which it does not. Each block request also costs the profile's
// 'block request' operation (the guest driver path), as in workloads.ts.
//
// A shared file-system model (FsWorkload), at the level of block traffic:
//   * two regions of the VBD: metadata (inodes, directories, bitmaps, the journal) and data; a metadata
//     block is one 4 KB block drawn uniformly from the metadata region (large directories: the block a
//     name lives in is anywhere), data either allocated sequentially (new files) or at a uniform place.
//   * write-back throttling: at most maxDirtyRequests asynchronous writes outstanding; a process that
//     would exceed it waits until one completes (Linux's balance_dirty_pages, as a request count;
//     default 64, assumption: the ring's size);
//   * the page cache (option writeBackDelayNs, default 0 = none): an asynchronous write stays dirty in the
//     guest's page cache and becomes a block request only once it is writeBackDelayNs old (Linux 2.4
//     kupdate writes back buffers older than age_buffer = 30 s: calibration.ts DISK_MODEL
//     pageCacheWriteBackAgeNs), or when a flush (fsync) writes back everything; a write-back's
//     'block request' CPU runs when it is issued. No limit on the dirty data held (assumption: a run's
//     writes fit the guest's memory), and data of files deleted before write-back is still written;
//   * an operation's CPU runs on the given vCPU; without one it takes the same time as a plain delay
//     (at least 1 ns, so a loop of cached operations always advances the clock).
//
// SmallFileCreator (the paper's disk antagonist, §4.4: "creating many small files in large
// directories", next to dd): creates files of fileBytes (default 10 KB: Table 3's "10K create") one
// after another and deletes the oldest once more than filesKept exist (default 1000; assumption).
//   create: CPU '0K create' + ('10K create' − '0K create') × fileBytes / 10 KB (Table 3 prices a 0 KB and
//     a 10 KB file; linear in between and beyond: assumption), then the inode block and then the
//     directory block are written, each synchronously when syncMetadata (default true: the Unix Fast
//     File System writes the new inode before the directory entry that names it, synchronously, to
//     keep the on-disk structure recoverable: McKusick et al., "A Fast File System for UNIX", ACM TOCS
//     1984; Ganger & Patt, "Metadata Update Performance in File Systems", OSDI 1994), and the data,
//     ⌈fileBytes / 4 KB⌉ pages in requests of up to 11 pages at the next sequential place of the data
//     region, asynchronously (delayed write). Without syncMetadata every write is asynchronous (ext2).
//   delete: CPU '0K delete' + ('10K delete' − '0K delete') × fileBytes / 10 KB; the directory block
//     synchronously (when syncMetadata), then the inode and bitmap block asynchronously (one request).
//
// DbenchMix: dbench's file-system mix of one client (dbench replays the NetBench file-server trace,
// its client.txt load file, as POSIX calls; A. Tridgell, dbench, https://dbench.samba.org). Operation
// weights are the operation counts of a published dbench 4 run of that load file (Yufen Yu,
// "[PATCH v3 00/11] md/raid5: set STRIPE_SIZE as a configurable value", linux-raid, 27 May 2020,
// ext4, 4 KB stripe column; DBENCH_MIX below). Operations are chosen by smooth weighted round robin
// over the weights (deterministic; each operation's share over any prefix is within a few operations of
// its weight share). What each operation does (the file system: ext3-like, metadata written back by
// the journal, not synchronously; each mapping an assumption except where it names its Table 3 cell):
//   NTCreateX  split in 'create' (as many as Unlink: in the load file every file created is deleted
//              again) — CPU '0K create', inode and directory blocks written asynchronously — and 'open'
//              — CPU 'open/close';
//   Close, Qfileinfo, Qfsinfo, LockX, UnlockX — CPU 'null call' (no Table 3 cell of their own);
//   Qpathinfo  CPU 'stat';  Find (a directory search) CPU 'open/close';
//   Sfileinfo  CPU 'null call', the inode block written asynchronously;
//   Rename, Unlink, Deltree — CPU '0K delete', the directory block written asynchronously; Mkdir — CPU
//              '0K create', directory and inode blocks asynchronously;
//   WriteX     CPU 'null I/O' + writeBytes × copyNsPerByte (the copy into the page cache; default
//              calibration.ts NETWORK guestCopyNsPerByte, an assumption); writeBytes of dirty pages at a
//              uniform place of the data region, written back asynchronously (after writeBackDelayNs);
//   ReadX      CPU 'null I/O' + readBytes × copyNsPerByte; a fraction readMissFraction of reads (default 0:
//              dbench starts in an empty directory and reads only files it wrote during the run, which
//              the page cache still holds — dbench 1.2 fileio.c nb_readx is a pread of a file nb_createx
//              opened) reads readBytes from a uniform place of the data region synchronously; misses are
//              spread by a running fractional carry (deterministic, as paging.ts's faults);
//   Flush      with flushSyncs (dbench 4, whose nb_flush calls fsync): waits until every asynchronous write
//              the client issued has completed, then writes a 2-page journal commit block synchronously
//              at the next place of the metadata region, a reorder barrier when flushBarrier (default
//              true: ext3 mounted with barriers). Without it (the default: dbench 1.2, A. Tridgell and
//              M. Pool 2001, fileio.c nb_flush only looks the handle up — "noop" — as in the dbench of
//              the paper's time) no system call and no I/O: 1 ns of CPU (the clock advances).
// A run of fixed length: stopAfterOps (the paper's dbench run: one client, about 90 000 operations);
// finishedAtNs is when the last one completed, so operations per second = stopAfterOps / finishedAtNs.
// Defaults model the paper's dbench (one client, a 2003 dbench, Linux 2.4 page cache): write-back
// after 30 s, no fsync at Flush, reads from the page cache, so a run shorter than 30 s never waits for
// the disk: its operations per second are bounded by 1 / (the mean CPU of one operation), the
// profile's system-call prices (DbenchMix.meanOpCpuNs).
// Sizes: readBytes = writeBytes = 16 KB by default (the run above moved 376.777 MB/s for 1000 s in
// 18 809 742 ReadX and 5 981 890 WriteX: about 15.2 kB per call if MB = 10^6 B and the counts cover
// the 1000 s; rounded up to whole pages: a derived estimate).
// Units: bytes, sectors (512 B), pages (4 KB), ns.
import type { Rng } from '../../sim/rng.js';
import type { Simulation } from '../../sim/simulation.js';
import { DISK_MODEL, NETWORK } from '../calibration.js';
import { GuestProfile } from '../guest/profile.js';
import { GUEST_OPS, VirtProfile, type GuestOp } from '../guest/operations.js';
import { checkBool, checkInt, checkNumber, checkOneOf, rangeFail } from '../validate.js';
import { BLKBACK_DEFAULTS, BlockRequest, type BlockFront } from './blkback.js';
import {
  BlockWorkload,
  checkRegion,
  randomSector,
  type BlockWorkloadOptions,
  type WorkloadRegion,
} from './workloads.js';

const PAGE_SECTORS = 8;
const PAGE_BYTES = 4096;
/** Table 3 prices a 0 KB and a 10 KB file (lmbench lat_fs). */
const TABLE3_FILE_BYTES = 10_240;

export interface FsWorkloadOptions extends BlockWorkloadOptions {
  /** Metadata region (inodes, directories, bitmaps, journal) of the VBD. */
  readonly meta: WorkloadRegion;
  /** Data region of the VBD. */
  readonly data: WorkloadRegion;
  readonly rng: Rng;
  /** Profile whose operation vocabulary prices the guest CPU. Default 'xen'. */
  readonly profile?: VirtProfile;
  /** Overrides of the profile's price of some operations, ns. */
  readonly opCostNs?: Readonly<Partial<Record<GuestOp, number>>>;
  /** Asynchronous writes outstanding at most before the process waits. Default 64. */
  readonly maxDirtyRequests?: number;
  /** Age at which a dirty page-cache write becomes a block request, ns; 0 = at once. Default 0. */
  readonly writeBackDelayNs?: number;
}

/** A write held dirty in the page cache. */
interface CachedWrite {
  readonly dueNs: number;
  readonly region: WorkloadRegion;
  readonly vsector: number;
  readonly sectors: number;
}

type Continuation = () => void;

/** The file-system model both workloads share (header). */
export abstract class FsWorkload extends BlockWorkload {
  readonly profile: VirtProfile;
  readonly maxDirtyRequests: number;
  readonly writeBackDelayNs: number;
  /** Asynchronous writes put in the page cache (writeBackDelayNs > 0) and how many became requests. */
  cachedWrites = 0;
  writtenBack = 0;
  /** Operations completed (a create, a delete, one dbench call). */
  ops = 0;
  syncWrites = 0;
  asyncWrites = 0;
  syncReads = 0;
  /** Time the process spent waiting for synchronous requests, throttling and flushes, ns. */
  waitNs = 0;
  protected readonly meta: WorkloadRegion;
  protected readonly data: WorkloadRegion;
  protected readonly rng: Rng;
  private readonly prices = new Map<GuestOp, number>();
  private readonly guestProfile: GuestProfile;
  private asyncOutstanding = 0;
  private parked: Continuation | null = null;
  private parkedAtNs = 0;
  /** Park until no asynchronous write is outstanding (flush) rather than until one slot frees. */
  private parkedForDrain = false;
  private readonly overrides: Readonly<Partial<Record<GuestOp, number>>>;
  private readonly cache: CachedWrite[] = [];
  private cacheHead = 0;
  private writeBackArmed = false;

  constructor(where: string, sim: Simulation, front: BlockFront, o: FsWorkloadOptions) {
    if (o === null || typeof o !== 'object') rangeFail(where, 'options', 'an object', o);
    const profile = checkOneOf(where, 'profile', o.profile ?? VirtProfile.xen, VirtProfile);
    const g = new GuestProfile(profile);
    const overrides = o.opCostNs ?? {};
    for (const [k, v] of Object.entries(overrides)) {
      if (!Object.hasOwn(GUEST_OPS, k))
        rangeFail(where, 'opCostNs', `keys among ${Object.keys(GUEST_OPS).join(', ')}`, k);
      checkNumber(where, `opCostNs.${k}`, v, 0, 1e12);
    }
    const blockNs = overrides.blockRequest ?? g.opNs('blockRequest', g.newPageTable());
    super(where, sim, front, { ...o, cpuNs: o.cpuNs ?? Math.round(blockNs) });
    this.profile = profile;
    this.guestProfile = g;
    this.overrides = overrides;
    this.meta = checkRegion(`${where}.meta`, o.meta);
    this.data = checkRegion(`${where}.data`, o.data);
    if (o.rng === null || typeof o.rng !== 'object' || typeof o.rng.int !== 'function')
      rangeFail(where, 'rng', 'a random stream (RandomStreams.stream(name))', o.rng);
    this.rng = o.rng;
    this.maxDirtyRequests = checkInt(where, 'maxDirtyRequests', o.maxDirtyRequests ?? 64, 1, 1 << 20);
    this.writeBackDelayNs = checkInt(where, 'writeBackDelayNs', o.writeBackDelayNs ?? 0, 0, 3.6e15);
  }

  /** Dirty writes held in the page cache, not yet block requests. */
  get cachedDirty(): number {
    return this.cache.length - this.cacheHead;
  }

  /** The guest CPU of `op` in this profile, ns (priced once; overrides first). */
  price(op: GuestOp): number {
    let ns = this.prices.get(op);
    if (ns === undefined) {
      ns = this.overrides[op] ?? this.guestProfile.opNs(op, this.guestProfile.newPageTable());
      this.prices.set(op, ns);
    }
    return ns;
  }

  /** Asynchronous writes issued and not yet completed. */
  get dirtyOutstanding(): number {
    return this.asyncOutstanding;
  }

  /** Runs `ns` of guest CPU (or waits as long without a vCPU, at least 1 ns), then `next`. */
  protected compute(ns: number, next: Continuation): void {
    const t = Math.max(1, Math.round(ns));
    if (this.cpu !== null) this.cpu.run(t, { tag: 'fs' }).addCallback(next);
    else this.sim.schedule(t, next);
  }

  /** A metadata block (4 KB) drawn uniformly from the metadata region. */
  protected metaBlock(): number {
    return randomSector(this.rng, this.meta, PAGE_SECTORS);
  }

  /** A synchronous request: `next` runs when it has completed. */
  protected syncIo(
    region: WorkloadRegion,
    vsector: number,
    sectors: number,
    write: boolean,
    barrier: boolean,
    next: Continuation,
  ): void {
    if (write) this.syncWrites++;
    else this.syncReads++;
    const t0 = this.sim.now;
    const k: Continuation = () => {
      this.waitNs += this.sim.now - t0;
      next();
    };
    this.issue(new BlockRequest(region.vbd, vsector, sectors, write, barrier, Math.ceil(sectors / PAGE_SECTORS), k));
  }

  /** An asynchronous write of `sectors`: into the page cache (writeBackDelayNs > 0) or written back at once. */
  protected asyncWrite(region: WorkloadRegion, vsector: number, sectors: number): void {
    if (this.writeBackDelayNs === 0) {
      this.writeBack(region, vsector, sectors);
      return;
    }
    this.cachedWrites++;
    this.cache.push({ dueNs: this.sim.now + this.writeBackDelayNs, region, vsector, sectors });
    this.armWriteBack();
  }

  /** Issues the cached writes due by now (all of them when `all`), oldest first. */
  private writeBackDue(all: boolean): void {
    while (this.cacheHead < this.cache.length) {
      const w = this.cache[this.cacheHead] as CachedWrite;
      if (!all && w.dueNs > this.sim.now) break;
      this.cacheHead++;
      this.writtenBack++;
      this.writeBack(w.region, w.vsector, w.sectors);
    }
    if (this.cacheHead === this.cache.length) {
      this.cache.length = 0;
      this.cacheHead = 0;
    }
  }

  /** One timer at the oldest cached write's due time (deterministic: FIFO, due times never decrease). */
  private armWriteBack(): void {
    if (this.writeBackArmed || this.cacheHead === this.cache.length) return;
    this.writeBackArmed = true;
    const head = this.cache[this.cacheHead] as CachedWrite;
    this.sim.schedule(Math.max(0, head.dueNs - this.sim.now), () => {
      this.writeBackArmed = false;
      this.writeBackDue(false);
      this.armWriteBack();
    });
  }

  /** Block requests for `sectors` (split into requests of at most 11 pages), not waited for. */
  private writeBack(region: WorkloadRegion, vsector: number, sectors: number): void {
    const most = BLKBACK_DEFAULTS.maxSegments * PAGE_SECTORS;
    for (let s = 0; s < sectors; s += most) {
      const n = Math.min(most, sectors - s);
      this.asyncWrites++;
      this.asyncOutstanding++;
      this.issue(new BlockRequest(region.vbd, vsector + s, n, true, false, Math.ceil(n / PAGE_SECTORS), null));
    }
  }

  /** Runs `next` now if fewer than maxDirtyRequests writes are outstanding, else when one completes. */
  protected throttle(next: Continuation): void {
    if (this.asyncOutstanding < this.maxDirtyRequests) next();
    else this.park(next, false);
  }

  /** Runs `next` once every asynchronous write issued so far (page cache included) has completed (fsync). */
  protected drain(next: Continuation): void {
    this.writeBackDue(true);
    if (this.asyncOutstanding === 0) next();
    else this.park(next, true);
  }

  protected onDone(r: BlockRequest): void {
    const tag = r.tag;
    if (typeof tag === 'function') {
      (tag as Continuation)();
      return;
    }
    this.asyncOutstanding--;
    const k = this.parked;
    if (k === null) return;
    if (this.parkedForDrain ? this.asyncOutstanding === 0 : this.asyncOutstanding < this.maxDirtyRequests) {
      this.parked = null;
      this.waitNs += this.sim.now - this.parkedAtNs;
      k();
    }
  }

  private park(next: Continuation, drain: boolean): void {
    this.parked = next;
    this.parkedForDrain = drain;
    this.parkedAtNs = this.sim.now;
  }
}

export interface SmallFileOptions extends FsWorkloadOptions {
  /** Bytes written to each file. Default 10 240 (Table 3's "10K create"). */
  readonly fileBytes?: number;
  /** Files kept before the oldest is deleted. Default 1000 (assumption). */
  readonly filesKept?: number;
  /** Inode and directory writes synchronous (FFS). Default true. */
  readonly syncMetadata?: boolean;
}

export class SmallFileCreator extends FsWorkload {
  readonly fileBytes: number;
  readonly filesKept: number;
  readonly syncMetadata: boolean;
  filesCreated = 0;
  filesDeleted = 0;
  /** Sum over completed creates of (create start → its synchronous writes done), ns. */
  createLatencySumNs = 0;
  private live = 0;
  private dataNext: number;
  private started = false;

  constructor(sim: Simulation, front: BlockFront, o: SmallFileOptions) {
    const where = 'SmallFileCreator';
    super(where, sim, front, o);
    this.fileBytes = checkInt(where, 'fileBytes', o.fileBytes ?? TABLE3_FILE_BYTES, 0, 1 << 30);
    this.filesKept = checkInt(where, 'filesKept', o.filesKept ?? 1000, 0, 1 << 30);
    this.syncMetadata = checkBool(where, 'syncMetadata', o.syncMetadata ?? true);
    if (Math.ceil(this.fileBytes / PAGE_BYTES) * PAGE_SECTORS > this.data.lengthSectors)
      rangeFail(where, 'fileBytes', `at most the data region (${this.data.lengthSectors * 512} bytes)`, this.fileBytes);
    this.dataNext = this.data.startSector;
  }

  /** CPU of one create, ns: '0K create' + ('10K create' − '0K create') × fileBytes / 10 KB. */
  get createCpuNs(): number {
    const c0 = this.price('create0k');
    return c0 + ((this.price('create10k') - c0) * this.fileBytes) / TABLE3_FILE_BYTES;
  }

  /** CPU of one delete, ns: '0K delete' + ('10K delete' − '0K delete') × fileBytes / 10 KB. */
  get deleteCpuNs(): number {
    const d0 = this.price('delete0k');
    return d0 + ((this.price('delete10k') - d0) * this.fileBytes) / TABLE3_FILE_BYTES;
  }

  start(): void {
    if (this.started) throw new RangeError('SmallFileCreator.start: already started');
    this.started = true;
    this.create();
  }

  private create(): void {
    if (this.stopped) return;
    const t0 = this.sim.now;
    this.compute(this.createCpuNs, () => {
      const done = (): void => {
        this.createLatencySumNs += this.sim.now - t0;
        this.filesCreated++;
        this.live++;
        this.ops++;
        this.writeData();
        this.throttle(() => (this.live > this.filesKept ? this.remove() : this.create()));
      };
      // FFS order: the inode before the directory entry naming it
      this.metaWrite(() => this.metaWrite(done));
    });
  }

  private remove(): void {
    if (this.stopped) return;
    this.compute(this.deleteCpuNs, () => {
      this.metaWrite(() => {
        this.asyncWrite(this.meta, this.metaBlock(), PAGE_SECTORS); // inode and bitmap
        this.filesDeleted++;
        this.live--;
        this.ops++;
        this.throttle(() => this.create());
      });
    });
  }

  /** One metadata block: synchronous when syncMetadata, else written back. */
  private metaWrite(next: Continuation): void {
    if (this.syncMetadata) this.syncIo(this.meta, this.metaBlock(), PAGE_SECTORS, true, false, next);
    else {
      this.asyncWrite(this.meta, this.metaBlock(), PAGE_SECTORS);
      next();
    }
  }

  private writeData(): void {
    const sectors = Math.ceil(this.fileBytes / PAGE_BYTES) * PAGE_SECTORS;
    if (sectors === 0) return;
    const d = this.data;
    if (this.dataNext + sectors > d.startSector + d.lengthSectors) this.dataNext = d.startSector;
    this.asyncWrite(d, this.dataNext, sectors);
    this.dataNext += sectors;
  }
}

/** dbench's operations (NetBench's SMB calls as dbench names them). */
export const DbenchOp = {
  ntCreateX: 'NTCreateX',
  close: 'Close',
  rename: 'Rename',
  unlink: 'Unlink',
  deltree: 'Deltree',
  mkdir: 'Mkdir',
  qpathinfo: 'Qpathinfo',
  qfileinfo: 'Qfileinfo',
  qfsinfo: 'Qfsinfo',
  sfileinfo: 'Sfileinfo',
  find: 'Find',
  writeX: 'WriteX',
  readX: 'ReadX',
  lockX: 'LockX',
  unlockX: 'UnlockX',
  flush: 'Flush',
} as const;
export type DbenchOp = keyof typeof DbenchOp;
export const DBENCH_OPS = Object.keys(DbenchOp) as DbenchOp[];

/**
 * Operation counts of one dbench 4 run of its client.txt load file (10 clients, 1000 s, ext4; Yufen Yu,
 * linux-raid, 27 May 2020, "[PATCH v3 00/11] md/raid5: set STRIPE_SIZE as a configurable value",
 * STRIPE_SIZE = 4KB table). Only their ratios are used: the mix of one client.
 */
export const DBENCH_MIX: Readonly<Record<DbenchOp, number>> = Object.freeze({
  ntCreateX: 11_999_166,
  close: 8_814_128,
  rename: 508_113,
  unlink: 2_423_242,
  deltree: 300,
  mkdir: 150,
  qpathinfo: 10_875_921,
  qfileinfo: 1_905_837,
  qfsinfo: 1_994_304,
  sfileinfo: 977_450,
  find: 4_204_952,
  writeX: 5_981_890,
  readX: 18_809_742,
  lockX: 39_074,
  unlockX: 39_074,
  flush: 841_022,
});

export interface DbenchOptions extends FsWorkloadOptions {
  /** Operation weights (non-negative integers, at least one positive). Default DBENCH_MIX. */
  readonly mix?: Readonly<Partial<Record<DbenchOp, number>>>;
  /** Bytes per ReadX. Default 16 384. */
  readonly readBytes?: number;
  /** Bytes per WriteX. Default 16 384. */
  readonly writeBytes?: number;
  /** Fraction of ReadX that miss the page cache and read the disk. Default 0 (header). */
  readonly readMissFraction?: number;
  /** Flush is an fsync (dbench 4) rather than a no-op (dbench 1.2, the default: false). */
  readonly flushSyncs?: boolean;
  /** With flushSyncs: Flush's journal commit is a reorder barrier. Default true. */
  readonly flushBarrier?: boolean;
  /** CPU per byte copied by ReadX and WriteX, ns. Default NETWORK.guestCopyNsPerByte (1). */
  readonly copyNsPerByte?: number;
  /** Stop after this many operations (a dbench run of a fixed length; the paper's: about 90 000). 0 = never. */
  readonly stopAfterOps?: number;
}

/** The steps the mix is drawn over: NTCreateX split into create and open (header). */
export const DBENCH_STEPS = ['create', 'open', ...DBENCH_OPS.filter((o) => o !== 'ntCreateX')] as const;
export type DbenchStep = (typeof DBENCH_STEPS)[number];

export class DbenchMix extends FsWorkload {
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly readMissFraction: number;
  readonly flushSyncs: boolean;
  readonly flushBarrier: boolean;
  readonly copyNsPerByte: number;
  /** Calls completed, by dbench operation (creates and opens both count as NTCreateX). */
  readonly counts: Record<DbenchOp, number>;
  bytesRead = 0;
  bytesWritten = 0;
  flushes = 0;
  flushLatencySumNs = 0;
  private readonly weights: number[];
  private readonly current: number[];
  private readonly total: number;
  readonly stopAfterOps: number;
  /** When the stopAfterOps-th operation completed (NaN until then). */
  finishedAtNs = NaN;
  private missCarry = 0;
  private journalNext: number;
  private started = false;

  constructor(sim: Simulation, front: BlockFront, o: DbenchOptions) {
    const where = 'DbenchMix';
    super(where, sim, front, {
      ...o,
      writeBackDelayNs: o.writeBackDelayNs ?? DISK_MODEL.pageCacheWriteBackAgeNs.value,
    });
    const mix = o.mix ?? DBENCH_MIX;
    if (mix === null || typeof mix !== 'object') rangeFail(where, 'mix', 'an object of operation weights', mix);
    for (const k of Object.keys(mix))
      if (!Object.hasOwn(DbenchOp, k)) rangeFail(where, 'mix', `weights of ${DBENCH_OPS.join(', ')}`, k);
    const w = (op: DbenchOp): number => checkInt(where, `mix.${op}`, mix[op] ?? 0, 0, 2 ** 40);
    const creates = Math.min(w('unlink'), w('ntCreateX'));
    this.weights = DBENCH_STEPS.map((s) =>
      s === 'create' ? creates : s === 'open' ? w('ntCreateX') - creates : w(s as DbenchOp),
    );
    this.total = this.weights.reduce((a, b) => a + b, 0);
    if (this.total === 0) rangeFail(where, 'mix', 'weights with at least one positive', JSON.stringify(mix));
    this.current = this.weights.map(() => 0);
    this.readBytes = checkInt(where, 'readBytes', o.readBytes ?? 16_384, 1, BLKBACK_DEFAULTS.maxSegments * PAGE_BYTES);
    this.writeBytes = checkInt(where, 'writeBytes', o.writeBytes ?? 16_384, 1, 1 << 30);
    this.readMissFraction = checkNumber(where, 'readMissFraction', o.readMissFraction ?? 0, 0, 1);
    this.flushSyncs = checkBool(where, 'flushSyncs', o.flushSyncs ?? false);
    this.flushBarrier = checkBool(where, 'flushBarrier', o.flushBarrier ?? true);
    this.copyNsPerByte = checkNumber(
      where,
      'copyNsPerByte',
      o.copyNsPerByte ?? NETWORK.guestCopyNsPerByte.value,
      0,
      1e6,
    );
    this.stopAfterOps = checkInt(where, 'stopAfterOps', o.stopAfterOps ?? 0, 0, Number.MAX_SAFE_INTEGER);
    for (const [field, bytes] of [
      ['readBytes', this.readBytes],
      ['writeBytes', this.writeBytes],
    ] as const)
      if (Math.ceil(bytes / PAGE_BYTES) * PAGE_SECTORS > this.data.lengthSectors)
        rangeFail(where, field, `at most the data region (${this.data.lengthSectors * 512} bytes)`, bytes);
    if (this.meta.lengthSectors < 2 * PAGE_SECTORS)
      rangeFail(where, 'meta.lengthSectors', 'at least 16 (a 2-page journal commit)', this.meta.lengthSectors);
    this.journalNext = this.meta.startSector;
    this.counts = Object.fromEntries(DBENCH_OPS.map((op) => [op, 0])) as Record<DbenchOp, number>;
  }

  start(): void {
    if (this.started) throw new RangeError('DbenchMix.start: already started');
    this.started = true;
    this.next();
  }

  /** CPU of one step, ns (before any I/O it waits for; compute() rounds and takes at least 1 ns). */
  stepCpuNs(step: DbenchStep): number {
    switch (step) {
      case 'create':
      case 'mkdir':
        return this.price('create0k');
      case 'open':
      case 'find':
        return this.price('openClose');
      case 'qpathinfo':
        return this.price('stat');
      case 'close':
      case 'qfileinfo':
      case 'qfsinfo':
      case 'lockX':
      case 'unlockX':
      case 'sfileinfo':
        return this.price('nullCall');
      case 'rename':
      case 'unlink':
      case 'deltree':
        return this.price('delete0k');
      case 'writeX':
        return this.price('nullIo') + this.writeBytes * this.copyNsPerByte;
      case 'readX':
        return this.price('nullIo') + this.readBytes * this.copyNsPerByte;
      case 'flush':
        return this.flushSyncs ? this.price('nullCall') : 0;
    }
  }

  /** The mix's mean CPU per operation, ns: Σ weight × stepCpuNs (each at least 1 ns) / Σ weight. */
  get meanOpCpuNs(): number {
    let sum = 0;
    DBENCH_STEPS.forEach((st, i) => (sum += (this.weights[i] as number) * Math.max(1, Math.round(this.stepCpuNs(st)))));
    return sum / this.total;
  }

  /** Smooth weighted round robin: the next step. */
  private pick(): DbenchStep {
    let best = 0;
    for (let i = 0; i < this.weights.length; i++) {
      this.current[i] = (this.current[i] as number) + (this.weights[i] as number);
      if ((this.current[i] as number) > (this.current[best] as number)) best = i;
    }
    this.current[best] = (this.current[best] as number) - this.total;
    return DBENCH_STEPS[best] as DbenchStep;
  }

  private next(): void {
    if (this.stopped) return;
    const step = this.pick();
    const done = (): void => {
      this.counts[step === 'create' || step === 'open' ? 'ntCreateX' : (step as DbenchOp)]++;
      this.ops++;
      if (this.ops === this.stopAfterOps) {
        this.finishedAtNs = this.sim.now;
        this.stop();
        return;
      }
      this.throttle(() => this.next());
    };
    const cpu = this.stepCpuNs(step);
    switch (step) {
      case 'create':
      case 'mkdir':
        return this.compute(cpu, () => this.metaAsync(2, done));
      case 'sfileinfo':
        return this.compute(cpu, () => this.metaAsync(1, done));
      case 'rename':
      case 'unlink':
      case 'deltree':
        return this.compute(cpu, () => this.metaAsync(1, done));
      case 'writeX':
        return this.compute(cpu, () => {
          const sectors = Math.ceil(this.writeBytes / PAGE_BYTES) * PAGE_SECTORS;
          this.asyncWrite(this.data, randomSector(this.rng, this.data, sectors), sectors);
          this.bytesWritten += this.writeBytes;
          done();
        });
      case 'readX':
        return this.compute(cpu, () => {
          this.bytesRead += this.readBytes;
          const c = this.missCarry + this.readMissFraction;
          if (c < 1) {
            this.missCarry = c;
            done();
            return;
          }
          this.missCarry = c - 1;
          const sectors = Math.ceil(this.readBytes / PAGE_BYTES) * PAGE_SECTORS;
          this.syncIo(this.data, randomSector(this.rng, this.data, sectors), sectors, false, false, done);
        });
      case 'flush':
        if (!this.flushSyncs)
          return this.compute(cpu, () => {
            this.flushes++;
            done();
          });
        return this.compute(cpu, () => {
          const t0 = this.sim.now;
          this.drain(() => {
            const m = this.meta;
            if (this.journalNext + 2 * PAGE_SECTORS > m.startSector + m.lengthSectors) this.journalNext = m.startSector;
            const at = this.journalNext;
            this.journalNext += 2 * PAGE_SECTORS;
            this.syncIo(m, at, 2 * PAGE_SECTORS, true, this.flushBarrier, () => {
              this.flushes++;
              this.flushLatencySumNs += this.sim.now - t0;
              done();
            });
          });
        });
      default:
        return this.compute(cpu, done);
    }
  }

  /** `blocks` metadata blocks written back (asynchronously), then `next`. */
  private metaAsync(blocks: number, next: Continuation): void {
    for (let i = 0; i < blocks; i++) this.asyncWrite(this.meta, this.metaBlock(), PAGE_SECTORS);
    next();
  }
}

// Swap on the domain's VBD: a SwapDevice (swap.ts) whose reads and writes are real block requests on
// the guest's block front end, so they go through the domain's ring, the back end's batched round robin,
// the VBD translation and check, the barrier gate, the disk scheduler and the disk model (disk/*), and
// compete there with every other request of every domain.
//
// The swap area is a region of one of the domain's VBDs (a swap partition), cut into 4 KB slots
// (8 sectors each). Slot choice (a model of Linux's swap allocator, mm/swapfile.c scan_swap_map, at the
// level that matters for the disk: where the head has to go):
//   write of k pages: k consecutive slots at the allocation cursor, which moves on and wraps to the
//     area's start when fewer than k slots are left (Linux allocates swap in sequential clusters, so
//     write-out of evicted pages is sequential on disk). Slots are never freed explicitly: the paging
//     model (paging.ts) has no page identities, and a wrapped cursor overwrites the oldest slots.
//   read of k pages: k consecutive slots starting at a slot drawn uniformly from those written so far
//     (from the given random stream: the paging model references its working set uniformly, so the
//     page faulted in is any of the evicted ones); from the whole area when fewer than k were written
//     (a file-backed page read back from its file, as in the footprint study's swap-off case).
// A request carries at most maxSegments pages (11, the block ring's segments per request); a transfer
// of more pages is split into several requests, and `done` is called when the last one has completed.
// Guest CPU per request (optional `cpu`): the profile's 'block request' operation (guest/profile.ts,
// Xen profile by default) runs on the given vCPU before the request goes on the ring.
// Responses come back through BlockRequest.onDone (each client's requests carry their own receiver), so
// the swap device shares the front end with the domain's block workloads. A swap request the back end refuses
// (the area is checked against the VBD at construction, so only a VBD detached under it) is an
// InvariantError: a guest cannot lose a page silently.
// Units: pages of 4 KB, sectors of 512 bytes, ns.
import { Deque } from '../../sim/deque.js';
import { InvariantError } from '../../sim/errors.js';
import type { Rng } from '../../sim/rng.js';
import { BLKBACK_DEFAULTS, BlockRequest, BlockStatus, type BlockFront } from '../disk/blkback.js';
import type { GuestCpu, WorkloadRegion } from '../disk/workloads.js';
import { GuestProfile } from '../guest/profile.js';
import { VirtProfile } from '../guest/operations.js';
import { checkInt, checkOneOf, rangeFail } from '../validate.js';
import type { SwapDevice } from './swap.js';

export const SECTORS_PER_PAGE = 8;

export interface VbdSwapOptions {
  /** The swap area: a VBD of the domain and a sector range of it (whole 4 KB slots are used). */
  readonly region: WorkloadRegion;
  /** Draws the slot a swap-in reads (a named stream, e.g. `swap/<domain>`). */
  readonly rng: Rng;
  /** The vCPU that runs the guest's per-request CPU; null = none. */
  readonly cpu?: GuestCpu | null;
  /** Profile whose 'block request' operation prices a request. Default 'xen'. */
  readonly profile?: VirtProfile;
  /** Guest CPU per request, ns (overrides the profile). */
  readonly cpuNs?: number;
}

/** Per-transfer bookkeeping (one per read/write call; requests point at it through their tag). */
class SwapTransfer {
  left = 0;
  constructor(readonly done: () => void) {}
}

export class VbdSwap implements SwapDevice {
  readonly slots: number;
  readonly region: WorkloadRegion;
  readonly cpuNs: number;
  reads = 0;
  writes = 0;
  pagesRead = 0;
  pagesWritten = 0;
  /** Block requests issued and answered. */
  requests = 0;
  answered = 0;
  /** Sum of request latencies (ring submission to response), ns. */
  latencySumNs = 0;
  private readonly maxPages: number;
  private cursor = 0;
  private written = 0;
  private readonly overflow = new Deque<BlockRequest>(16);
  private waiting = false;
  private readonly cpu: GuestCpu | null;

  constructor(
    private readonly front: BlockFront,
    private readonly o: VbdSwapOptions,
  ) {
    const where = 'VbdSwap';
    if (o === null || typeof o !== 'object') rangeFail(where, 'options', 'an object { region, rng }', o);
    const r = o.region;
    if (r === null || typeof r !== 'object')
      rangeFail(where, 'region', 'an object { vbd, startSector, lengthSectors }', r);
    checkInt(where, 'region.vbd', r.vbd, 0);
    checkInt(where, 'region.startSector', r.startSector, 0);
    checkInt(where, 'region.lengthSectors', r.lengthSectors, SECTORS_PER_PAGE);
    const vbd = front.vbds[r.vbd];
    if (vbd === undefined)
      rangeFail(where, 'region.vbd', `a VBD attached to domain ${front.domainId} (0..${front.vbds.length - 1})`, r.vbd);
    if (r.startSector + r.lengthSectors > vbd.sizeSectors)
      rangeFail(
        where,
        'region',
        `a range inside VBD ${r.vbd} (${vbd.sizeSectors} sectors)`,
        `[${r.startSector}, +${r.lengthSectors})`,
      );
    if (vbd.mode !== 'rw') rangeFail(where, 'region.vbd', 'a writable (rw) VBD', `${r.vbd} (mode ${vbd.mode})`);
    if (o.rng === null || typeof o.rng !== 'object' || typeof o.rng.int !== 'function')
      rangeFail(where, 'rng', 'a random stream (RandomStreams.stream(name))', o.rng);
    this.region = r;
    this.slots = Math.floor(r.lengthSectors / SECTORS_PER_PAGE);
    this.maxPages = BLKBACK_DEFAULTS.maxSegments;
    this.cpu = o.cpu ?? null;
    const profile = checkOneOf(where, 'profile', o.profile ?? VirtProfile.xen, VirtProfile);
    const g = new GuestProfile(profile);
    this.cpuNs = checkInt(where, 'cpuNs', o.cpuNs ?? Math.round(g.opNs('blockRequest', g.newPageTable())), 0);
  }

  read(pages: number, done: () => void): void {
    checkInt('VbdSwap.read', 'pages', pages, 1, this.slots);
    this.reads++;
    this.pagesRead += pages;
    const avail = this.written >= pages ? this.written : this.slots;
    const first = this.o.rng.int(0, avail - pages + 1);
    this.transfer(first, pages, false, done);
  }

  write(pages: number, done: () => void): void {
    checkInt('VbdSwap.write', 'pages', pages, 1, this.slots);
    this.writes++;
    this.pagesWritten += pages;
    if (this.cursor + pages > this.slots) this.cursor = 0;
    const first = this.cursor;
    this.cursor += pages;
    this.written = Math.min(this.slots, Math.max(this.written, this.cursor));
    this.transfer(first, pages, true, done);
  }

  /** Requests not yet answered (on the ring, in the back end, or waiting for ring space). */
  get outstanding(): number {
    return this.requests - this.answered;
  }

  private transfer(firstSlot: number, pages: number, write: boolean, done: () => void): void {
    const t = new SwapTransfer(done);
    t.left = Math.ceil(pages / this.maxPages);
    for (let p = 0; p < pages; p += this.maxPages) {
      const n = Math.min(this.maxPages, pages - p);
      const sector = this.region.startSector + (firstSlot + p) * SECTORS_PER_PAGE;
      const r = new BlockRequest(this.region.vbd, sector, n * SECTORS_PER_PAGE, write, false, n, t);
      r.onDone = this.onResponse;
      this.requests++;
      if (this.cpu !== null && this.cpuNs > 0)
        this.cpu.run(this.cpuNs, { tag: 'swap' }).addCallback(() => this.push(r));
      else this.push(r);
    }
  }

  private push(r: BlockRequest): void {
    if (this.overflow.length > 0 || !this.front.submit(r)) {
      this.overflow.push(r);
      this.waitSpace();
    }
  }

  private waitSpace(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.front.ring.onSpace(() => {
      this.waiting = false;
      for (;;) {
        const r = this.overflow.at(0);
        if (r === undefined || !this.front.submit(r)) break;
        this.overflow.shift();
      }
      if (this.overflow.length > 0) this.waitSpace();
    });
  }

  private readonly onResponse = (r: BlockRequest): void => {
    if (r.status !== BlockStatus.ok)
      throw new InvariantError(
        'VbdSwap',
        `domain ${this.front.domainId}: swap ${r.write ? 'write' : 'read'} at sector ${r.vsector} failed (${r.status})`,
        r.completedAtNs,
      );
    this.answered++;
    this.latencySumNs += r.completedAtNs - r.submittedAtNs;
    const t = r.tag as SwapTransfer;
    if (--t.left === 0) t.done();
  };
}

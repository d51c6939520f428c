// Swap I/O. Guest paging (paging.ts) reads and writes pages through the small SwapDevice interface,
// so the disk side (src/models/disk: VBDs, block rings, the disk model) can be plugged in later: an
// adapter that turns read/write(pages) into block requests on the domain's swap VBD.
//
// FixedLatencySwap is the stand-in used by the memory tests and studies: one FIFO server (a single
// disk arm): each request takes accessNs + pages × transferNsPerPage, served one at a time in arrival
// order. Defaults (calibration MEMORY, datasheet-class for the paper's 10k RPM SCSI disk): 4.9 ms
// average seek + 3 ms average rotational latency = 7.9 ms per access, 4 KB at 60 MB/s = 68 267 ns per
// page. No locality (every access pays the average seek and rotation): an upper bound for swap that
// is read back in clusters. Units: ns, pages.
import { Deque, type Simulation } from '../../sim/index.js';
import { checkInt } from '../validate.js';
import { MEMORY_DEFAULTS } from './defaults.js';

/** Where swapped pages go. `done` is called (from the event queue) when the transfer has completed. */
export interface SwapDevice {
  read(pages: number, done: () => void): void;
  write(pages: number, done: () => void): void;
  /** Swap space, pages, when the device has a size (VbdSwap: its area's slots); absent: unbounded. */
  readonly slots?: number;
}

export interface FixedLatencySwapOptions {
  /** Positioning time per request, ns. Default 7 900 000 (4.9 ms seek + 3 ms rotation). */
  readonly accessNs?: number;
  /** Transfer time per page, ns. Default 68 267 (60 MB/s). */
  readonly transferNsPerPage?: number;
}

interface SwapRequest {
  readonly pages: number;
  readonly write: boolean;
  readonly done: () => void;
}

export class FixedLatencySwap implements SwapDevice {
  readonly accessNs: number;
  readonly transferNsPerPage: number;
  reads = 0;
  writes = 0;
  pagesRead = 0;
  pagesWritten = 0;
  busyNs = 0;
  private readonly queue = new Deque<SwapRequest>();
  private serving = false;

  constructor(
    private readonly sim: Simulation,
    options: FixedLatencySwapOptions = {},
  ) {
    this.accessNs = checkInt('FixedLatencySwap', 'accessNs', options.accessNs ?? MEMORY_DEFAULTS.swapAccessNs, 0);
    this.transferNsPerPage = checkInt(
      'FixedLatencySwap',
      'transferNsPerPage',
      options.transferNsPerPage ?? MEMORY_DEFAULTS.swapTransferNsPerPage,
      0,
    );
  }

  read(pages: number, done: () => void): void {
    this.submit(pages, false, done);
  }

  write(pages: number, done: () => void): void {
    this.submit(pages, true, done);
  }

  /** Requests waiting or in service. */
  get queueLength(): number {
    return this.queue.length + (this.serving ? 1 : 0);
  }

  private submit(pages: number, write: boolean, done: () => void): void {
    checkInt(write ? 'FixedLatencySwap.write' : 'FixedLatencySwap.read', 'pages', pages, 1);
    this.queue.push({ pages, write, done });
    if (!this.serving) this.next();
  }

  private next(): void {
    const r = this.queue.shift();
    if (r === undefined) {
      this.serving = false;
      return;
    }
    this.serving = true;
    const ns = this.accessNs + r.pages * this.transferNsPerPage;
    this.busyNs += ns;
    if (r.write) {
      this.writes++;
      this.pagesWritten += r.pages;
    } else {
      this.reads++;
      this.pagesRead += r.pages;
    }
    this.sim.schedule(ns, () => {
      r.done();
      this.next();
    });
  }
}

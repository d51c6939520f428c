// Defaults of the memory models (pages of 4 KB, ns), each with its source; the calibration table
// (src/models/calibration.ts, group MEMORY) carries the same numbers with their citations and a test
// checks that the two agree.
export const MEMORY_DEFAULTS = {
  /** assumption: the hypervisor's own image, frame table and heap at start, 16 MB (moves free pages only). */
  hypervisorPages: 4096,
  /** Paper: about 20 kB of hypervisor state per domain → 5 pages of 4 KB. */
  perDomainStatePages: 5,
  /** assumption: the balloon driver moves at most 64 Ki pages (256 MB) per second. */
  balloonRatePagesPerS: 65_536,
  /** assumption: anchor on Table 3 Xen "page fault" 2.73 µs (a page handed over with a validated map update). */
  balloonCostNsPerPage: 2730,
  /** Linux balloon driver (linux-2.6.18-xen drivers/xen/balloon/balloon.c): frame_list holds PAGE_SIZE / sizeof(long) = 1024 frames per hypercall on 32-bit x86. */
  balloonBatchPages: 1024,
  /** assumption: no floor below which the driver refuses to inflate (a study sets one per domain). */
  balloonFloorPages: 0,
  /** Paper Table 3, Xen "page fault" 2.73 µs: CPU of one guest page fault. */
  pageFaultNs: 2730,
  /** datasheet-class, calibration DISK: 4.9 ms average seek + 3 ms average rotational latency. */
  swapAccessNs: 7_900_000,
  /** calibration DISK media rate 60 MB/s: one 4 KB page transfers in 68 267 ns. */
  swapTransferNsPerPage: 68_267,
} as const;

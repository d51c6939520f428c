// Study balloon-overcommit: N domains share machine memory, either as a static partition (each holds
// free/N pages for ever) or with ballooning (each starts at min(free/N, ceiling) and a dom0 policy moves
// memory to where the working sets are). As N grows: throughput (work units completed), page faults,
// swap I/O.
//
// Model. One CPU (BVT, Xen 1.0), `machineMemoryPages` of machine memory (default 131 072 = 512 MB,
// smaller than the paper's 2 GB so that a few domains already overcommit it; the ratio of memory to
// working sets is what matters), a 16 MB hypervisor allocation and 20 kB of state per domain
// (calibration MEMORY). Each guest: kernelPages non-pageable, a MemoryWorker (units of unitCpuNs of
// CPU then touchesPerUnit page references, memory/workloads.ts) and working-set phases: active
// (activeWorkingSetPages for activeNs) then idle (idleWorkingSetPages for idleNs), cycling, each domain
// starting at a uniform offset in the cycle (stream phase/d<i>). Paging follows memory/paging.ts: a
// reference misses with probability (W − R)/W when the resident pageable memory R is below W; a miss
// costs 2.73 µs of CPU (Table 3) and a one-page read from swap; half the victims are written back
// (assumption). Swap (swapDevice):
//   vbd (default): each guest swaps to a VBD of its own, swapPages 4 KB slots (128 MB by default:
//     assumption, twice the active working set), attached through the control plane
//     (control.attachDevice) at consecutive places of one disk, the paper's 10k RPM SCSI disk
//     (disk/service.ts DK32EJ_10K). Every swap read and write is a block request through the guest's
//     ring, the batched round robin of the block back end (1.88 µs of back-end CPU per request), the
//     disk scheduler (`scheduler`, C-LOOK by default) and the disk model (memory/vbd-swap.ts: writes
//     sequential at an allocation cursor, reads from a uniformly drawn written slot, stream swap/d<i>),
//     so the domains' swap traffic competes at the disk; each request also costs the guest the Xen
//     profile's 'block request' CPU. Request conservation is checked after every run.
//   fixed: the earlier stand-in (version 1): one FIFO server shared by all guests, 7.9 ms per access +
//     68 µs per page (memory/swap.ts FixedLatencySwap, datasheet-class), with no seek locality.
// Policies:
//   static: reservation = ceiling = ⌊free/N⌋; no balloon moves.
//   balloon: ceiling = kernel + active working set; reservation min(ceiling, ⌊free/N⌋); floor = kernel;
//     at each phase change dom0 sets the target (control.setMemoryTarget) to kernel + the phase's working
//     set; a faulting guest also asks to grow (autoGrow). Growth waits for free pages. Balloon moves cost
//     2.73 µs of guest CPU per page at most 65 536 pages/s (assumptions, calibration MEMORY).
// Measures over [warmupNs, warmupNs + runLengthNs): unitsPerS (all guests), faultsPerS, swapReadsPerS,
// swapWritesPerS, swapUtilisation (disk busy / window, capped at 1), balloonPagesPerS (pages moved either way),
// balloonCpuFraction (guest CPU on balloon moves / window), freeFraction (free machine pages / machine,
// sampled every 100 ms).
// Working-set sizes, kernel size, the duty cycle and the touch rate are assumptions (no source): the
// study shows the mechanism (ballooning lends idle domains' memory to active ones), not the paper's
// numbers. Phases: 10 s active, 30 s idle (a working set that moves every few seconds makes the
// balloon move tens of MB per second, whose per-page CPU then dominates). Defaults: warm-up 10 s, 80 s
// runs (two cycles), 3 replications, N ∈ {1, 2, 4, 8, 16, 32} × 2 policies. --quick: N ∈ {2, 8}, 2
// replications, 5 s warm-up, 40 s runs.
import { buildScenario, defineStudy, MeasurementWindow } from '../../src/kit/index.js';
import { BlockBackend } from '../../src/models/disk/blkback.js';
import { DiskModel, DK32EJ_10K } from '../../src/models/disk/service.js';
import { FixedLatencySwap } from '../../src/models/memory/swap.js';
import { SECTORS_PER_PAGE, VbdSwap } from '../../src/models/memory/vbd-swap.js';
import { GuestPaging } from '../../src/models/memory/paging.js';
import { MemoryWorker } from '../../src/models/memory/workloads.js';
import { overcommitCharts, overcommitConsoleTable, overcommitReportSummary } from './charts.js';
import { checkOvercommit, OVERCOMMIT_MEASURES, OVERCOMMIT_PARAMS } from './params.js';

export { overcommitCharts, overcommitConsoleTable, overcommitReportSummary } from './charts.js';
export { checkOvercommit, OVERCOMMIT_MEASURES, OVERCOMMIT_PARAMS } from './params.js';

const S = 1_000_000_000;

export const balloonOvercommit = defineStudy({
  name: 'balloon-overcommit',
  version: 2,
  description: 'N domains sharing machine memory, static partition vs ballooning: throughput, page faults, swap I/O',
  details: [
    'One CPU (BVT Xen 1.0); N guests with active/idle working-set phases (uniform offsets, stream phase/d<i>), each',
    'running work units of unitCpuNs CPU + touchesPerUnit page references. Paging: uniform references over the',
    'working set, miss probability (W − R)/W; 2.73 µs CPU + one swap read per fault, half the victims written back;',
    "swap (vbd, default): block requests on each guest's swap VBD through its ring, the batched round robin, the disk",
    'scheduler and the 10k RPM disk model, all guests on one disk; swapDevice fixed: one shared 7.9 ms FIFO stand-in.',
    'static: ⌊free/N⌋ pages each, fixed. balloon: ceiling',
    'kernel + active working set, floor kernel, dom0 sets kernel + the phase working set at each phase change, guests',
    'grow on faults while pages are free. Sizes and duty cycle are assumptions (see experiments/balloon-overcommit).',
  ].join('\n'),
  params: OVERCOMMIT_PARAMS,
  grid: { kind: 'cartesian', axes: { policy: ['static', 'balloon'], domains: [1, 2, 4, 8, 16, 32] } },
  quickGrid: { kind: 'cartesian', axes: { policy: ['static', 'balloon'], domains: [2, 8] } },
  replications: 3,
  quickReplications: 2,
  quickParams: { warmupNs: 5_000_000_000, runLengthNs: 40_000_000_000 },
  measures: OVERCOMMIT_MEASURES,
  check: checkOvercommit,
  run(p, ctx) {
    const balloon = p.policy === 'balloon';
    const sc = buildScenario(ctx.seed, {
      scheduler: 'bvt-xen1',
      controlCosts: 'free',
      machineMemoryPages: p.machineMemoryPages,
      balloon: { floorPages: p.kernelPages },
    });
    const { sim, host, streams } = sc;
    const fixed = p.swapDevice === 'fixed' ? new FixedLatencySwap(sim) : null;
    const be =
      fixed === null
        ? new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], scheduler: p.scheduler, host })
        : null;
    const vbdSwaps: VbdSwap[] = [];
    const areaSectors = p.swapPages * SECTORS_PER_PAGE;
    const n = p.domains;
    const free = host.memory.freePages - n * host.memory.perDomainStatePages;
    const share = Math.floor(free / n);
    const ceiling = p.kernelPages + p.activeWorkingSetPages;
    const cycleNs = p.activeNs + p.idleNs;
    const pagings: GuestPaging[] = [];
    const workers: MemoryWorker[] = [];
    for (let i = 0; i < n; i++) {
      const reservation = balloon ? Math.min(ceiling, share) : share;
      const d = host.control.createDomain({
        name: `d${i}`,
        memoryReservationPages: reservation,
        memoryCeilingPages: balloon ? Math.max(ceiling, reservation) : reservation,
      });
      let swap: FixedLatencySwap | VbdSwap;
      if (be === null) swap = fixed as FixedLatencySwap;
      else {
        // the guest's swap partition: a VBD on the shared disk, attached through the control plane
        host.control.attachDevice(d.id, 'vbd', {
          extents: [{ disk: 0, startSector: i * areaSectors, lengthSectors: areaSectors }],
        });
        swap = new VbdSwap(be.front(d.id), {
          region: { vbd: 0, startSector: 0, lengthSectors: areaSectors },
          rng: streams.stream(`swap/d${i}`),
          cpu: d.vcpus[0] ?? null,
        });
        vbdSwaps.push(swap);
      }
      const paging = new GuestPaging(d, {
        kernelPages: p.kernelPages,
        workingSetPages: p.idleWorkingSetPages,
        swap,
        growOnFault: balloon,
      });
      pagings.push(paging);
      const worker = new MemoryWorker(paging, { chunkCpuNs: p.unitCpuNs, touchesPerUnit: p.touchesPerUnit });
      workers.push(worker);
      worker.start();
      // phases: offset uniform in the cycle; active first
      const offset = Math.floor(streams.stream(`phase/d${i}`).uniform(0, cycleNs));
      const enter = (active: boolean): void => {
        if (!d.alive) return;
        const ws = active ? p.activeWorkingSetPages : p.idleWorkingSetPages;
        paging.setWorkingSet(ws);
        if (balloon) host.control.setMemoryTarget(d.id, p.kernelPages + ws);
        sim.schedule(active ? p.activeNs : p.idleNs, () => enter(!active));
      };
      // at t = 0 the domain is somewhere in its cycle
      if (offset < p.activeNs) {
        enter(true);
      } else {
        paging.setWorkingSet(p.idleWorkingSetPages);
        if (balloon) host.control.setMemoryTarget(d.id, p.kernelPages + p.idleWorkingSetPages);
        sim.scheduleAt(cycleNs - offset, () => enter(true));
      }
    }
    const win = new MeasurementWindow(sim, host, p);
    win.open();
    const units0 = workers.reduce((s, w) => s + w.units, 0);
    const faults0 = pagings.reduce((s, g) => s + g.faults, 0);
    const swapTotals = () =>
      fixed !== null
        ? { read: fixed.pagesRead, written: fixed.pagesWritten, busyNs: fixed.busyNs }
        : {
            read: vbdSwaps.reduce((a, w) => a + w.pagesRead, 0),
            written: vbdSwaps.reduce((a, w) => a + w.pagesWritten, 0),
            busyNs: (be as BlockBackend).diskStats(0).busyNs,
          };
    const sw0 = swapTotals();
    const balloonStats = () => {
      let pages = 0;
      let cpu = 0;
      for (const d of host.domains) {
        if (d.isDom0) continue;
        const s = host.balloons.statsOf(d.id);
        pages += s.pagesIn + s.pagesOut;
        cpu += s.cpuNs;
      }
      return { pages, cpu };
    };
    const b0 = balloonStats();
    let freeSum = 0;
    let samples = 0;
    for (let t = 0; t < p.runLengthNs; t += 100_000_000) {
      win.at(t, () => {
        freeSum += host.memory.freePages / host.memory.totalPages;
        samples++;
      });
    }
    win.close();
    be?.checkConservation();
    const sw1 = swapTotals();
    const b1 = balloonStats();
    const secs = p.runLengthNs / S;
    // swap busy time counts service that was started in the window (it may end after it): cap at 1
    const swapBusy = Math.min(sw1.busyNs - sw0.busyNs, p.runLengthNs);
    return {
      measures: {
        unitsPerS: (workers.reduce((s, w) => s + w.units, 0) - units0) / secs,
        faultsPerS: (pagings.reduce((s, g) => s + g.faults, 0) - faults0) / secs,
        swapReadsPerS: (sw1.read - sw0.read) / secs,
        swapWritesPerS: (sw1.written - sw0.written) / secs,
        swapUtilisation: swapBusy / p.runLengthNs,
        balloonPagesPerS: (b1.pages - b0.pages) / secs,
        balloonCpuFraction: (b1.cpu - b0.cpu) / win.cpuNs,
        freeFraction: samples > 0 ? freeSum / samples : NaN,
      },
      events: sim.eventsProcessed,
    };
  },
  charts: overcommitCharts,
  consoleTable: overcommitConsoleTable,
  reportSummary: overcommitReportSummary,
});

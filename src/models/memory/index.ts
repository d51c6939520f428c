// The memory models: machine memory in pages, balloon drivers, guest paging over a swap device, and
// memory workloads (see each module's header).
export { MachineMemory, type DomainMemory, type MachineMemoryOptions } from './machine-memory.js';
export { BalloonDrivers, type BalloonOptions } from './balloon.js';
export { MEMORY_DEFAULTS } from './defaults.js';
export { FixedLatencySwap, type SwapDevice, type FixedLatencySwapOptions } from './swap.js';
export { VbdSwap, SECTORS_PER_PAGE, type VbdSwapOptions } from './vbd-swap.js';
export { GuestPaging, PAGING_DEFAULTS, type GuestPagingOptions } from './paging.js';
export {
  MemoryWorker,
  MemoryHog,
  WorkingSetPhases,
  type MemoryWorkerOptions,
  type MemoryHogOptions,
  type WorkingSetPhase,
} from './workloads.js';

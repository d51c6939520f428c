// Storage models (src/models/disk): disk service model and presets (service.ts), disk schedulers
// (scheduler.ts), reorder barriers (barrier.ts), VBDs (vbd.ts), the block back end with its per-domain
// rings and batched round robin (blkback.ts), and block workloads (workloads.ts). Re-exports only.
export * from './service.js';
export * from './scheduler.js';
export * from './barrier.js';
export * from './vbd.js';
export * from './blkback.js';
export * from './workloads.js';
export * from './fs-workloads.js';

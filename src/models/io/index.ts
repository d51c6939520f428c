// I/O descriptor rings (src/models/io): the generic shared ring with its notification policy
// (ring.ts) and its connection to an event channel (ring-channel.ts). Re-exports only.
export * from './ring.js';
export * from './ring-channel.js';

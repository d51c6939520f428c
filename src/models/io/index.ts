// I/O descriptor rings (src/models/io): the generic shared ring with its notification policy
// (ring.ts), its connection to an event channel (ring-channel.ts) and the consumer's drain loop
// (ring-consumer.ts). Re-exports only.
export * from './ring.js';
export * from './ring-channel.js';
export * from './ring-consumer.js';

// Event channels (src/models/events): the per-domain bitmaps (bitmaps.ts) and the event-channel model
// with its costs (event-channels.ts). Re-exports only; see each module's header.
export * from './bitmaps.js';
export * from './event-channels.js';

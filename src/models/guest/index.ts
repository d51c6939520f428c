// The guest-OS layer: operation vocabulary, virtualization profiles derived from Table 3, the page-table
// queue, the guest OS and the lmbench-like programs (see each module's header).
export * from './operations.js';
export * from './profile-fit.js';
export * from './profile.js';
export * from './page-table.js';
export * from './guest-os.js';
export * from './lmbench.js';

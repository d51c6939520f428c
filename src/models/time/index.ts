// Guest time (src/models/time): real time since boot, per-domain virtual time, wall clock and the
// per-guest real-time and virtual-time alarms (guest-time.ts). Re-exports only.
export * from './guest-time.js';

// The models' public API (src/models). Each subsystem adds its re-exports here.

// CPU scheduling (src/models/cpu)
export * from './cpu/scheduler.js';
export * from './cpu/bvt.js';
export * from './cpu/credit.js';
export * from './cpu/round-robin.js';
export * from './cpu/run-queues.js';
export * from './cpu/context-switch.js';
export * from './cache/footprint.js';
export * from './cache/lat-ctx.js';
export * as calibration from './calibration.js';

// Host, domains, vCPUs, control plane (src/models/host)
export * from './host/host.js';
export * from './host/domain.js';
export * from './host/vcpu.js';
export * from './host/control.js';
export { Signal, type Listener } from '../sim/signal.js';
export { HvWorkKind, type HvWorkCallback, type HypervisorWorkOptions } from './host/hypervisor-work.js';
export * from './host/interrupts.js';
export * from './host/backend.js';
export * from './host/bare-metal.js';

// Workloads (src/models/workloads)
export * from './workloads/cpu-burst.js';
export * from './workloads/op-mix.js';
export * from './workloads/kernel-build.js';
export * from './workloads/spec-int.js';
export * from './workloads/fork-bomb.js';
export * from './workloads/on-profile.js';
export * from './workloads/osdb.js';

// Event channels (src/models/events), descriptor rings (src/models/io), guest time (src/models/time)
export * from './events/index.js';
export * from './io/index.js';

// Machine memory, balloon, guest paging (src/models/memory)
export * from './memory/index.js';
export * from './time/index.js';
export * from './workloads/request-response.js';

// Storage: disk model, schedulers, barriers, VBDs, block back end, block workloads (src/models/disk)
export * from './disk/index.js';
// Guest OS, operation vocabulary and virtualization profiles (src/models/guest)
export * from './guest/index.js';
// Network: packets, VIFs, VFR, NIC and link, endpoints, the data path, UDP (src/models/net)
export * from './net/index.js';

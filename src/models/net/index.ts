// Network models (src/models/net): the shared Packet and its pool (packet.ts), VIF configuration
// (vif.ts), the virtual firewall-router's rules (vfr.ts), the NIC and its link (nic.ts), endpoints and
// remote client hosts (endpoint.ts), the data path with VIF rings, round-robin transmit and page-flip
// receive (network.ts), UDP sockets and the UDP workloads (udp.ts). Re-exports only.
export * from './packet.js';
export * from './vif.js';
export * from './vfr.js';
export * from './nic.js';
export * from './endpoint.js';
export * from './network.js';
export * from './udp.js';

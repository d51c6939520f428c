// Test helpers for the network tests: a host (free control, no timer tick unless asked) with a Network,
// N guest domains with one VIF each, and remote client hosts.
import { Simulation } from '../../../src/sim/index.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { EventChannels } from '../../../src/models/events/event-channels.js';
import type { BackendPlacement } from '../../../src/models/host/backend.js';
import type { Domain } from '../../../src/models/host/domain.js';
import { Host } from '../../../src/models/host/host.js';
import { Network, type NetworkOptions } from '../../../src/models/net/network.js';
import { ipv4 } from '../../../src/models/net/packet.js';

export const FREE_CONTROL = {
  createDomainCostNs: 0,
  destroyDomainCostNs: 0,
  setSchedParamsCostNs: 0,
  setMemoryTargetCostNs: 0,
  attachDeviceCostNs: 0,
} as const;

export interface NetSetup {
  readonly sim: Simulation;
  readonly host: Host;
  readonly net: Network;
  readonly guests: Domain[];
  readonly channels: EventChannels | null;
}

export function clientAddr(i: number): number {
  return ipv4(`192.168.0.${i + 1}`);
}

export function makeNet(
  options: {
    guests?: number;
    placement?: BackendPlacement;
    channels?: boolean;
    cpus?: number;
    net?: Omit<NetworkOptions, 'host' | 'channels'>;
    vif?: (i: number) => Record<string, unknown>;
  } = {},
): NetSetup {
  const sim = new Simulation();
  const host = new Host(sim, {
    timerTickNs: 0,
    cpus: options.cpus ?? 1,
    contextSwitch: ContextSwitchModel.free(),
    backendPlacement: options.placement ?? 'hypervisor',
    controlCosts: FREE_CONTROL,
  });
  const channels = options.channels === false ? null : new EventChannels(host);
  const net = new Network(sim, { host, channels, ...options.net });
  const guests: Domain[] = [];
  for (let i = 0; i < (options.guests ?? 1); i++) {
    const d = host.control.createDomain({ name: `g${i + 1}` });
    host.control.attachDevice(d.id, 'vif', options.vif?.(i) ?? {});
    guests.push(d);
  }
  return { sim, host, net, guests, channels };
}

// One ttcp run of the paper's Table 4 setup: a server with one CPU running one guest (a Xen guest with
// the xen, full-virt or hosted profile; the native kernel on a bare-metal host for 'native'), its VIF,
// the back end (in the hypervisor, Xen 1.0), the NIC at 1 Gb/s, and a client machine beyond it, with
// ttcp moving `totalBytes` over one TCP connection — the guest transmitting (Table 4's Tx columns) or
// receiving (Rx). Both machines use 128 kB socket buffers (Table 4). The client's CPU is not modelled
// (network.ts's default; assumption: the client is not the bottleneck).
// Where the CPU goes: the guest's path cost per packet (the profile's netPacket operation, derived from
// Table 3 by guest/profile-fit.ts) and per byte (copyNsPerByte), the back end's per-packet cost and the
// page flip (network.ts), and, when `tcpCosts` is given, the TCP endpoint's own protocol costs on the
// guest's vCPU (tcp-net.ts VcpuTcpCpu); the client side is free.
// Units: bytes, ns, Mb/s (10^6 bit/s).
import { Simulation } from '../../sim/index.js';
import { EventChannels } from '../events/event-channels.js';
import { NET_COSTS, NETWORK } from '../calibration.js';
import { VirtProfile } from '../guest/operations.js';
import { GuestProfile } from '../guest/profile.js';
import { Host } from '../host/host.js';
import { Network, type GuestEndpointOptions } from './network.js';
import { ipv4 } from './packet.js';
import { TCP_DEFAULTS, type TcpCosts } from './tcp.js';
import { VcpuTcpCpu, connectTcp, type TcpSideOptions } from './tcp-net.js';
import { Ttcp, TTCP_DEFAULTS, type TtcpResult } from './ttcp.js';
import { checkInt, checkOneOf } from '../validate.js';

export const TtcpDirection = { transmit: 'transmit', receive: 'receive' } as const;
export type TtcpDirection = (typeof TtcpDirection)[keyof typeof TtcpDirection];

/** The guest's network path costs of a bulk TCP transfer. */
export interface BulkTcpGuestCosts {
  /** Guest CPU per packet sent or received (data or ACK), ns. */
  readonly perPacketNs: number;
  /** Guest CPU per payload byte sent or received, ns/byte. */
  readonly copyNsPerByte: number;
}

/** What is fitted to Table 4 for a (profile, direction): nothing, the per-packet cost, or both costs. */
export const NetCostFit = { none: 'none', packet: 'packet', packetAndByte: 'packetAndByte' } as const;
export type NetCostFit = (typeof NetCostFit)[keyof typeof NetCostFit];

/**
 * Which costs are fitted (scripts/fit-net-costs.ts): those pairs where the Table 3 estimate leaves a cell
 * beyond 10 % (ttcp study version 2); per byte only for hosted, whose two cells per direction are both
 * CPU-bound and whose per-packet estimate is far too dear. 8 parameters (calibration.ts NET_COSTS).
 */
export const NET_COST_FIT_PLAN: Readonly<Record<VirtProfile, Readonly<Record<TtcpDirection, NetCostFit>>>> = {
  native: { transmit: NetCostFit.packet, receive: NetCostFit.none },
  xen: { transmit: NetCostFit.none, receive: NetCostFit.packet },
  'full-virt': { transmit: NetCostFit.packet, receive: NetCostFit.packet },
  hosted: { transmit: NetCostFit.packetAndByte, receive: NetCostFit.packetAndByte },
};

/** The Table 3 estimate: the profile's netPacket per packet, one copy per byte (NETWORK.guestCopyNsPerByte). */
export function table3GuestCosts(profile: VirtProfile): BulkTcpGuestCosts {
  const g = new GuestProfile(profile);
  return { perPacketNs: g.opNs('netPacket', g.newPageTable()), copyNsPerByte: NETWORK.guestCopyNsPerByte.value };
}

function costs(profile: VirtProfile, packetNs?: number, byteNs?: number): BulkTcpGuestCosts {
  const t3 = table3GuestCosts(profile);
  return { perPacketNs: packetNs ?? t3.perPacketNs, copyNsPerByte: byteNs ?? t3.copyNsPerByte };
}

/** The costs the ttcp scenario charges by default: NET_COSTS where fitted, else the Table 3 estimate. */
export const BULK_TCP_GUEST_COSTS: Readonly<Record<VirtProfile, Readonly<Record<TtcpDirection, BulkTcpGuestCosts>>>> = {
  native: {
    transmit: costs(VirtProfile.native, NET_COSTS.nativeTxPacketNs.value),
    receive: costs(VirtProfile.native),
  },
  xen: {
    transmit: costs(VirtProfile.xen),
    receive: costs(VirtProfile.xen, NET_COSTS.xenRxPacketNs.value),
  },
  'full-virt': {
    transmit: costs(VirtProfile.fullVirt, NET_COSTS.fullVirtTxPacketNs.value),
    receive: costs(VirtProfile.fullVirt, NET_COSTS.fullVirtRxPacketNs.value),
  },
  hosted: {
    transmit: costs(VirtProfile.hosted, NET_COSTS.hostedTxPacketNs.value, NET_COSTS.hostedTxByteNs.value),
    receive: costs(VirtProfile.hosted, NET_COSTS.hostedRxPacketNs.value, NET_COSTS.hostedRxByteNs.value),
  },
};

export interface TtcpCellOptions {
  readonly profile: VirtProfile;
  readonly direction: TtcpDirection;
  readonly mtuBytes: number;
  readonly totalBytes: number;
  readonly writeBytes?: number;
  /** Send and receive buffer of both sockets; default 128 kB (Table 4). */
  readonly sockBufBytes?: number;
  /** The guest's TCP protocol costs on its vCPU (default none: the path's costs only). */
  readonly tcpCosts?: TcpCosts | null;
  /**
   * Overrides of the guest side of the VIF (per-packet and per-byte cost, receive buffers). Default: the
   * bulk-TCP costs of the profile and direction (BULK_TCP_GUEST_COSTS).
   */
  readonly guest?: Pick<GuestEndpointOptions, 'perPacketNs' | 'copyNsPerByte' | 'rxBuffers'>;
  /** Charge the Table 3 estimate (the profile's netPacket, one copy per byte) instead of the fitted costs. */
  readonly table3Costs?: boolean;
  /** Give up (throw) if the transfer has not finished by then, simulated ns. Default 600 s. */
  readonly limitNs?: number;
}

export interface TtcpCellResult {
  /** What ttcp reports on the receiving side, Mb/s. */
  readonly mbps: number;
  readonly ttcp: TtcpResult;
  /** Data segments the sender retransmitted, and its timeouts. */
  readonly retransmits: number;
  readonly timeouts: number;
  /** Packets the network dropped (any reason). */
  readonly drops: number;
  /** Share of the server CPU busy (guest, hypervisor work, switches) from the start to the last byte received. */
  readonly serverCpuShare: number;
  readonly events: number;
}

export function runTtcpCell(o: TtcpCellOptions): TtcpCellResult {
  const where = 'runTtcpCell';
  const profile = checkOneOf(where, 'profile', o.profile, VirtProfile);
  const direction = checkOneOf(where, 'direction', o.direction, TtcpDirection);
  const limitNs = checkInt(where, 'limitNs', o.limitNs ?? 600e9, 1);
  const sockBufBytes = o.sockBufBytes ?? TCP_DEFAULTS.sndBufBytes;
  const sim = new Simulation();
  const native = profile === VirtProfile.native;
  const host = new Host(sim, { cpus: 1, mode: native ? 'bare-metal' : 'xen' });
  const net = new Network(sim, {
    host,
    channels: new EventChannels(host),
    nic: { mtuBytes: o.mtuBytes },
    guest: { profile, ...(o.table3Costs === true ? {} : BULK_TCP_GUEST_COSTS[profile][direction]), ...o.guest },
  });
  const domId = native
    ? (host.kernel as NonNullable<typeof host.kernel>).id
    : host.control.createDomain({ name: 'ttcp' }).id;
  host.control.attachDevice(domId, 'vif', { addr: ipv4('10.0.0.1') });
  const guest = net.endpoint(domId);
  const client = net.addRemoteHost({ name: 'client', addr: ipv4('192.168.0.2') });
  const costs = o.tcpCosts ?? null;
  const guestSide: TcpSideOptions = {
    sndBufBytes: sockBufBytes,
    rcvBufBytes: sockBufBytes,
    ...(costs === null ? {} : { cpu: new VcpuTcpCpu(host.domain(domId).vcpus[0]!), costs }),
  };
  const clientSide: TcpSideOptions = { sndBufBytes: sockBufBytes, rcvBufBytes: sockBufBytes };
  const tx = direction === TtcpDirection.transmit;
  const conn = tx
    ? connectTcp(sim, guest, client, { client: guestSide, server: clientSide })
    : connectTcp(sim, client, guest, { client: clientSide, server: guestSide });
  const ttcp = new Ttcp(sim, conn.client, conn.server, {
    totalBytes: o.totalBytes,
    writeBytes: o.writeBytes ?? TTCP_DEFAULTS.writeBytes,
  });
  ttcp.onDone = () => sim.stop();
  const a0 = host.accounting();
  let a1 = a0;
  ttcp.onReceived = () => {
    a1 = host.accounting();
  };
  ttcp.start();
  sim.run(limitNs);
  const r = ttcp.result;
  if (r === null)
    throw new Error(
      `${where}: ${profile} ${direction} MTU ${o.mtuBytes}: transfer not finished after ${limitNs} ns ` +
        `(${ttcp.bytesReceived} of ${o.totalBytes} bytes)`,
    );
  net.checkConservation();
  const busyNs = a1.busyNs - a0.busyNs + (a1.hypervisorNs - a0.hypervisorNs) + (a1.switchingNs - a0.switchingNs);
  return {
    mbps: r.receiveMbps,
    ttcp: r,
    retransmits: conn.client.stats.retransmits,
    timeouts: conn.client.stats.timeouts,
    drops: net.droppedTotal,
    serverCpuShare: busyNs / (a1.elapsedNs - a0.elapsedNs),
    events: sim.eventsProcessed,
  };
}

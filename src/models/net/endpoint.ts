// Network endpoints: what transports (UDP here, TCP in tcp*.ts) and workloads send and receive through.
// `NetEndpoint` is one interface for both sides of the NIC:
//   * GuestEndpoint (network.ts): a guest domain's stack on one of its VIFs — send charges the guest's
//     CPU and puts the packet on the VIF's transmit ring; received packets arrive by page flip.
//   * RemoteHost (here): a client machine beyond the NIC — send puts the packet on the link towards the
//     server (after the client's CPU, when modelled); received packets come off the link.
//
// The API (all a transport needs):
//   ep.addr                       this endpoint's IPv4 address (packets it sends must carry it as srcAddr)
//   ep.mtuBytes                   the IP MTU of the path (the NIC's); ep.maxPayloadBytes(protocol)
//   ep.newPacket(protocol)        a packet from the network's pool with srcAddr = ep.addr and
//                                 createdAtNs = now; the caller fills dst, ports, payloadBytes, TCP fields
//   ep.send(p, urgent?)           hands the packet over (ownership passes to the network); never call it
//                                 twice for one packet. Throws if ipBytes > MTU. urgent: the guest sends
//                                 it from kernel interrupt/softirq context (ICMP echo replies, TCP ACKs
//                                 sent from the receive path), so its CPU is an urgent demand served before
//                                 the vCPU's normal demand; default false: a system call in process context,
//                                 FIFO behind the vCPU's other normal demand (e.g. a CPU-bound chunk)
//   ep.bind(protocol, port, h)    h(p) is called for every packet delivered to (protocol, port); the
//                                 packet is released to the pool when h returns (h must not keep it)
//   ep.unbind(protocol, port)     ep.onReceive: catch-all handler for unbound ports (else drop noSocket)
//   ep.allocatePort()             a fresh ephemeral port (49152, 49153, …)
//   ep.txQueuedPackets            packets accepted by send and not yet on the wire's side of the host
//                                 (guest: CPU + backlog + ring; remote: CPU) — for pacing
//   ep.onTxSpace                  optional callback when the guest's transmit path frees room
// Every packet handed to send is counted as sent by the network and ends delivered, dropped (by
// reason) or in flight: Network.checkConservation().
// No allocation per packet: handlers are looked up in a Map; the remote CPU is a FIFO of packets.
// Units: ns, bytes. Remote CPU defaults: off (null): the client machines are not the bottleneck in the
// paper's setups (assumption); when on, per packet and per byte costs are the caller's.
import { Deque } from '../../sim/deque.js';
import type { Simulation } from '../../sim/simulation.js';
import { checkInt, checkNumber, rangeFail } from '../validate.js';
import { DropReason, maxPayloadBytes, Protocol, type Packet, type PacketPool } from './packet.js';

export type PacketHandler = (p: Packet) => void;

/** What every endpoint offers (module header). */
export interface NetEndpoint {
  readonly name: string;
  readonly addr: number;
  readonly mtuBytes: number;
  readonly pool: PacketPool;
  readonly txQueuedPackets: number;
  onReceive: PacketHandler | null;
  onTxSpace: (() => void) | null;
  newPacket(protocol?: Protocol): Packet;
  send(p: Packet, urgent?: boolean): void;
  bind(protocol: Protocol, port: number, handler: PacketHandler): void;
  unbind(protocol: Protocol, port: number): void;
  allocatePort(): number;
  maxPayloadBytes(protocol: Protocol): number;
}

/** @internal What endpoints need of the network (network.ts implements it). */
export interface NetCore {
  readonly sim: Simulation;
  readonly pool: PacketPool;
  readonly mtuBytes: number;
  _sent(p: Packet): void;
  _delivered(p: Packet): void;
  _drop(p: Packet, reason: DropReason): void;
  /** Puts a client's packet on the inbound lane; false when its queue is full. */
  _toInbound(p: Packet): boolean;
}

const FIRST_EPHEMERAL_PORT = 49152;

/** Port demultiplexing, counters and packet helpers shared by both kinds of endpoint. */
export abstract class EndpointBase implements NetEndpoint {
  onReceive: PacketHandler | null = null;
  onTxSpace: (() => void) | null = null;
  sentPackets = 0;
  sentPayloadBytes = 0;
  receivedPackets = 0;
  receivedPayloadBytes = 0;
  private readonly handlers = new Map<number, PacketHandler>();
  private nextPort = FIRST_EPHEMERAL_PORT;

  constructor(
    protected readonly core: NetCore,
    readonly name: string,
    readonly addr: number,
  ) {}

  get mtuBytes(): number {
    return this.core.mtuBytes;
  }

  get pool(): PacketPool {
    return this.core.pool;
  }

  abstract get txQueuedPackets(): number;

  abstract send(p: Packet, urgent?: boolean): void;

  maxPayloadBytes(protocol: Protocol): number {
    return maxPayloadBytes(protocol, this.core.mtuBytes);
  }

  newPacket(protocol: Protocol = Protocol.udp): Packet {
    const p = this.core.pool.acquire();
    p.protocol = protocol;
    p.srcAddr = this.addr;
    p.createdAtNs = this.core.sim.now;
    return p;
  }

  bind(protocol: Protocol, port: number, handler: PacketHandler): void {
    const where = `endpoint ${this.name}: bind`;
    checkInt(where, 'port', port, 0, 65535);
    if (typeof handler !== 'function') rangeFail(where, 'handler', 'a function', handler);
    const key = portKey(protocol, port);
    if (this.handlers.has(key)) rangeFail(where, 'port', 'a port not bound yet', `${protocol}/${port}`);
    this.handlers.set(key, handler);
  }

  unbind(protocol: Protocol, port: number): void {
    this.handlers.delete(portKey(protocol, port));
  }

  allocatePort(): number {
    while (
      this.handlers.has(portKey(Protocol.udp, this.nextPort)) ||
      this.handlers.has(portKey(Protocol.tcp, this.nextPort))
    )
      this.nextPort++;
    if (this.nextPort > 65535) throw new RangeError(`endpoint ${this.name}: no ephemeral port left`);
    return this.nextPort++;
  }

  /** Common checks and counters of send; returns false if the packet was refused (and dropped). */
  protected accept(p: Packet): void {
    if (p.id === 0) throw new RangeError(`endpoint ${this.name}: send: packet is not from the pool (or was released)`);
    if (p.ipBytes > this.core.mtuBytes)
      rangeFail(`endpoint ${this.name}: send`, 'packet ipBytes', `at most the MTU ${this.core.mtuBytes}`, p.ipBytes);
    this.sentPackets++;
    this.sentPayloadBytes += p.payloadBytes;
    this.core._sent(p);
  }

  /** @internal A packet arrived for this endpoint: handler, then release (or drop noSocket). */
  _deliver(p: Packet): void {
    const h = this.handlers.get(portKey(p.protocol, p.dstPort)) ?? this.onReceive;
    if (h === null) {
      this.core._drop(p, DropReason.noSocket);
      return;
    }
    this.receivedPackets++;
    this.receivedPayloadBytes += p.payloadBytes;
    this.core._delivered(p);
    h(p);
    this.core.pool.release(p);
  }
}

function portKey(protocol: Protocol, port: number): number {
  return protocol === Protocol.tcp ? 65536 + port : port;
}

/** CPU of a remote client machine (per packet, either direction), when it could be the bottleneck. */
export interface RemoteCpuOptions {
  readonly perPacketNs: number;
  readonly perByteNs: number;
}

export interface RemoteHostOptions {
  readonly name: string;
  readonly addr: number;
  /** null (default): the client's CPU is not modelled (free and instantaneous). */
  readonly cpu?: RemoteCpuOptions | null;
}

const HOP_REMOTE_TX = -2;
const HOP_REMOTE_RX = -3;

/** A client machine beyond the NIC (module header). */
export class RemoteHost extends EndpointBase {
  readonly cpu: RemoteCpuOptions | null;
  /** Remote CPU busy time so far, ns. */
  cpuBusyNs = 0;
  private readonly cpuQueue = new Deque<Packet>(16);
  private cpuBusy = false;

  constructor(core: NetCore, options: RemoteHostOptions) {
    super(core, options.name, options.addr);
    const where = `RemoteHost ${options.name}`;
    const c = options.cpu ?? null;
    this.cpu =
      c === null
        ? null
        : Object.freeze({
            perPacketNs: checkInt(where, 'cpu.perPacketNs', c.perPacketNs, 0),
            perByteNs: checkNumber(where, 'cpu.perByteNs', c.perByteNs, 0, 1e6),
          });
  }

  get txQueuedPackets(): number {
    return this.cpuQueue.length;
  }

  /** Packets inside the client (its CPU queue): in flight for conservation. */
  get inFlight(): number {
    return this.cpuQueue.length;
  }

  /** `urgent` is ignored: the client's CPU is one FIFO. */
  send(p: Packet, _urgent = false): void {
    this.accept(p);
    if (this.cpu === null) {
      this.toLink(p);
      return;
    }
    p.hop = HOP_REMOTE_TX;
    this.cpuEnqueue(p);
  }

  /** @internal A frame for this client came off the link. */
  _arrive(p: Packet): void {
    if (this.cpu === null) {
      this._deliver(p);
      return;
    }
    p.hop = HOP_REMOTE_RX;
    this.cpuEnqueue(p);
  }

  private toLink(p: Packet): void {
    if (!this.core._toInbound(p)) this.core._drop(p, DropReason.queueFull);
  }

  private cpuEnqueue(p: Packet): void {
    this.cpuQueue.push(p);
    if (!this.cpuBusy) this.cpuStart();
  }

  private cpuStart(): void {
    const p = this.cpuQueue.at(0);
    if (p === undefined) {
      this.cpuBusy = false;
      return;
    }
    this.cpuBusy = true;
    const c = this.cpu as RemoteCpuOptions;
    const ns = Math.round(c.perPacketNs + c.perByteNs * p.payloadBytes);
    this.cpuBusyNs += ns;
    this.core.sim.schedule(ns, this.cpuDone, p);
  }

  private readonly cpuDone = (p: Packet): void => {
    this.cpuQueue.shift();
    if (p.hop === HOP_REMOTE_TX) {
      p.hop = -1;
      this.toLink(p);
    } else {
      p.hop = -1;
      this._deliver(p);
    }
    this.cpuStart();
  };
}

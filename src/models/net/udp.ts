// UDP on the network endpoints (endpoint.ts), and three small UDP workloads built on it:
//   * UdpSocket: bound to a port of an endpoint (guest or remote); sendTo(dst, port, payloadBytes, tag)
//     sends one datagram (no fragmentation: at most the path MTU), onMessage receives.
//   * UdpEcho: answers every datagram on its port with one of the same size back to the sender,
//     keeping its `createdAtNs` and `tag` (the ping probe's timestamp and sequence number); by default
//     from the kernel's receive path, like an ICMP echo reply (urgent CPU on the guest's vCPU).
//   * UdpPing: the latency probe later studies reuse (e.g. ping to a busy and to an idle domain among
//     128): sends a request every intervalNs (optionally jittered uniformly in [0.5, 1.5]·interval from
//     a named stream, so probes do not phase-lock with scheduler ticks) to an echo server and records
//     the round-trip time, request creation → reply delivered to the prober's socket (so the
//     prober's own receive path is included when it is a guest), in a Tally (mean, s.d.) and a
//     Quantiles (percentiles), only while `measuring`. Lost probes (dropped on the way) are
//     sent − received.
//   * UdpSource: a sender of fixed-size datagrams, either at an offered rate (bit/s of payload; one
//     datagram every payload·8/rate s, or exponential gaps of that mean from a given stream) or backlogged (it keeps the endpoint's transmit queue filled to
//     `backlogPackets`, refilled from onTxSpace), for bulk and fairness studies. UdpSink counts what
//     arrives, per source address.
// No allocation per datagram (the pool's packets, callbacks bound once).
// Units: ns, bytes, bit/s. Defaults: UDP header 8 bytes (packet.ts); ping interval 10 ms, payload 56 bytes
// (ping(8)'s default payload size; assumption for a UDP probe).
import type { Rng } from '../../sim/rng.js';
import type { Simulation } from '../../sim/simulation.js';
import { Quantiles } from '../../sim/stats/quantiles.js';
import { Tally } from '../../sim/stats/tally.js';
import { NET_WORKLOADS } from '../calibration.js';
import { checkInt, checkNumber, rangeFail } from '../validate.js';
import type { NetEndpoint, PacketHandler } from './endpoint.js';
import { Protocol, type Packet } from './packet.js';

export class UdpSocket {
  readonly port: number;
  /** Called for every datagram delivered to this socket (the packet is released after it returns). */
  onMessage: PacketHandler | null = null;
  sent = 0;
  received = 0;
  receivedBytes = 0;
  private open = true;

  /** Binds `port` (0 = an ephemeral port) of `endpoint`. */
  constructor(
    readonly endpoint: NetEndpoint,
    port = 0,
  ) {
    this.port = port === 0 ? endpoint.allocatePort() : checkInt('UdpSocket', 'port', port, 1, 65535);
    endpoint.bind(Protocol.udp, this.port, this.onPacket);
  }

  /**
   * Sends one datagram of `payloadBytes` to (dstAddr, dstPort); returns the packet (already sent).
   * `urgent`: sent from kernel softirq context (endpoint.ts send).
   */
  sendTo(dstAddr: number, dstPort: number, payloadBytes: number, tag = 0, createdAtNs = -1, urgent = false): Packet {
    if (!this.open) throw new RangeError(`UdpSocket ${this.port}: sendTo after close`);
    const max = this.endpoint.maxPayloadBytes(Protocol.udp);
    if (!(Number.isSafeInteger(payloadBytes) && payloadBytes >= 0 && payloadBytes <= max))
      rangeFail('UdpSocket.sendTo', 'payloadBytes', `an integer in [0, ${max}] (the MTU less headers)`, payloadBytes);
    const p = this.endpoint.newPacket(Protocol.udp);
    p.srcPort = this.port;
    p.dstAddr = dstAddr;
    p.dstPort = dstPort;
    p.payloadBytes = payloadBytes;
    p.tag = tag;
    if (createdAtNs >= 0) p.createdAtNs = createdAtNs;
    this.sent++;
    this.endpoint.send(p, urgent);
    return p;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.endpoint.unbind(Protocol.udp, this.port);
  }

  private readonly onPacket = (p: Packet): void => {
    this.received++;
    this.receivedBytes += p.payloadBytes;
    if (this.onMessage !== null) this.onMessage(p);
  };
}

/**
 * Echo server: every datagram goes back to its sender with the same size, tag and createdAtNs. By
 * default the reply is sent from the kernel's receive path (`inKernel`, as an ICMP echo reply is: urgent
 * CPU, not queued behind the domain's processes); inKernel = false answers from a process (normal demand).
 */
export class UdpEcho {
  readonly socket: UdpSocket;
  constructor(
    endpoint: NetEndpoint,
    port = 7,
    readonly inKernel = true,
  ) {
    this.socket = new UdpSocket(endpoint, port);
    this.socket.onMessage = this.reply;
  }

  private readonly reply = (p: Packet): void => {
    this.socket.sendTo(p.srcAddr, p.srcPort, p.payloadBytes, p.tag, p.createdAtNs, this.inKernel);
  };
}

export interface UdpPingOptions {
  /** Echo server address and port. */
  readonly targetAddr: number;
  readonly targetPort?: number;
  /** Mean interval between probes, ns. Default 10 ms. */
  readonly intervalNs?: number;
  /** Probe payload, bytes. Default 56. */
  readonly payloadBytes?: number;
  /** Jitter source: intervals uniform in [0.5, 1.5]·intervalNs; null = fixed interval. */
  readonly rng?: Rng | null;
  /** First probe at this time, ns. Default: now + one interval. */
  readonly startAtNs?: number;
}

/** The UDP ping probe (module header). */
export class UdpPing {
  readonly socket: UdpSocket;
  readonly intervalNs: number;
  readonly payloadBytes: number;
  readonly rtt = new Tally();
  readonly rttQuantiles = new Quantiles();
  /** Record round trips only while true. */
  measuring = true;
  sentProbes = 0;
  receivedProbes = 0;
  private running = true;
  private readonly targetAddr: number;
  private readonly targetPort: number;
  private readonly rng: Rng | null;

  constructor(
    private readonly sim: Simulation,
    endpoint: NetEndpoint,
    options: UdpPingOptions,
  ) {
    const where = 'UdpPing';
    this.targetAddr = checkInt(where, 'targetAddr', options.targetAddr, 1, 0xffffffff);
    this.targetPort = checkInt(where, 'targetPort', options.targetPort ?? 7, 1, 65535);
    this.intervalNs = checkInt(where, 'intervalNs', options.intervalNs ?? NET_WORKLOADS.pingIntervalNs.value, 1);
    this.payloadBytes = checkInt(
      where,
      'payloadBytes',
      options.payloadBytes ?? NET_WORKLOADS.pingPayloadBytes.value,
      0,
      endpoint.maxPayloadBytes(Protocol.udp),
    );
    this.rng = options.rng ?? null;
    this.socket = new UdpSocket(endpoint);
    this.socket.onMessage = this.onReply;
    const start = options.startAtNs ?? sim.now + this.intervalNs;
    checkInt(where, 'startAtNs', start, sim.now);
    sim.schedule(start - sim.now, this.tick, this);
  }

  /** Stops sending probes (replies still count). */
  stop(): void {
    this.running = false;
  }

  /** Forgets the round trips recorded so far (e.g. at the end of a warm-up). */
  resetStats(): void {
    this.rtt.reset();
    this.rttQuantiles.reset();
  }

  get lostProbes(): number {
    return this.sentProbes - this.receivedProbes;
  }

  private readonly tick = (): void => {
    if (!this.running) return;
    this.sentProbes++;
    this.socket.sendTo(this.targetAddr, this.targetPort, this.payloadBytes, this.sentProbes);
    const next =
      this.rng === null ? this.intervalNs : Math.max(1, Math.round(this.rng.uniform(0.5, 1.5) * this.intervalNs));
    this.sim.schedule(next, this.tick, this);
  };

  private readonly onReply = (p: Packet): void => {
    this.receivedProbes++;
    if (!this.measuring) return;
    const rtt = this.sim.now - p.createdAtNs;
    this.rtt.add(rtt);
    this.rttQuantiles.add(rtt);
  };
}

export interface UdpSourceOptions {
  readonly dstAddr: number;
  readonly dstPort: number;
  /** Payload per datagram, bytes. Default: the largest the MTU allows. */
  readonly payloadBytes?: number;
  /** Offered payload rate, bit/s; null = backlogged (keep the transmit queue filled). */
  readonly rateBitsPerS?: number | null;
  /** Backlogged mode: datagrams kept queued in the endpoint. Default 32. */
  readonly backlogPackets?: number;
  /** Start time, ns (default now). */
  readonly startAtNs?: number;
  /** Rate mode: exponential gaps (Poisson arrivals) from this stream; null/absent = fixed gaps. */
  readonly rng?: Rng | null;
}

/** A bulk UDP sender (module header). */
export class UdpSource {
  readonly socket: UdpSocket;
  readonly payloadBytes: number;
  readonly rateBitsPerS: number | null;
  readonly backlogPackets: number;
  private running = true;
  private readonly intervalNs: number;
  private readonly rng: Rng | null;

  constructor(
    private readonly sim: Simulation,
    private readonly endpoint: NetEndpoint,
    private readonly options: UdpSourceOptions,
  ) {
    const where = 'UdpSource';
    const max = endpoint.maxPayloadBytes(Protocol.udp);
    this.payloadBytes = checkInt(where, 'payloadBytes', options.payloadBytes ?? max, 0, max);
    this.rateBitsPerS =
      options.rateBitsPerS == null ? null : checkNumber(where, 'rateBitsPerS', options.rateBitsPerS, 1, 1e12);
    this.backlogPackets = checkInt(
      where,
      'backlogPackets',
      options.backlogPackets ?? NET_WORKLOADS.udpSourceBacklogPackets.value,
      1,
      1 << 20,
    );
    this.intervalNs =
      this.rateBitsPerS === null ? 0 : Math.max(1, Math.round((this.payloadBytes * 8 * 1e9) / this.rateBitsPerS));
    this.rng = options.rng ?? null;
    this.socket = new UdpSocket(endpoint);
    const start = options.startAtNs ?? sim.now;
    checkInt(where, 'startAtNs', start, sim.now);
    if (this.rateBitsPerS === null) {
      endpoint.onTxSpace = this.fill;
      sim.schedule(start - sim.now, this.fill, undefined);
    } else {
      sim.schedule(start - sim.now, this.tick, undefined);
    }
  }

  stop(): void {
    this.running = false;
  }

  private readonly tick = (): void => {
    if (!this.running) return;
    this.socket.sendTo(this.options.dstAddr, this.options.dstPort, this.payloadBytes);
    const gap = this.rng === null ? this.intervalNs : Math.max(1, Math.round(this.rng.exponential(this.intervalNs)));
    this.sim.schedule(gap, this.tick, undefined);
  };

  private readonly fill = (): void => {
    if (!this.running) return;
    // at most backlogPackets per call: an endpoint whose queue never grows (a remote host without CPU) stops
    const n = this.backlogPackets - this.endpoint.txQueuedPackets;
    for (let i = 0; i < n; i++) this.socket.sendTo(this.options.dstAddr, this.options.dstPort, this.payloadBytes);
  };
}

/** Counts datagrams arriving on a port, per source address. */
export class UdpSink {
  readonly socket: UdpSocket;
  /** Payload bytes and datagrams by source address, while `measuring`. */
  readonly bytesBySource = new Map<number, number>();
  readonly packetsBySource = new Map<number, number>();
  measuring = true;

  constructor(endpoint: NetEndpoint, port: number) {
    this.socket = new UdpSocket(endpoint, port);
    this.socket.onMessage = this.onPacket;
  }

  resetStats(): void {
    this.bytesBySource.clear();
    this.packetsBySource.clear();
  }

  bytesFrom(addr: number): number {
    return this.bytesBySource.get(addr) ?? 0;
  }

  private readonly onPacket = (p: Packet): void => {
    if (!this.measuring) return;
    this.bytesBySource.set(p.srcAddr, (this.bytesBySource.get(p.srcAddr) ?? 0) + p.payloadBytes);
    this.packetsBySource.set(p.srcAddr, (this.packetsBySource.get(p.srcAddr) ?? 0) + 1);
  };
}

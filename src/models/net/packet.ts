// A network packet as every part of the network model sees it (VIF rings, the VFR, the NIC, the
// transports), the header sizes that turn payload into wire bytes, the reasons a packet can be
// dropped, and a free-list pool so the per-packet path allocates nothing in the steady state.
//
// One `Packet` object travels the whole path (guest → transmit ring → VFR → NIC → link → remote host,
// and back); it is an Ethernet frame carrying IPv4 and UDP or TCP. Addresses are IPv4 addresses as
// unsigned 32-bit integers (`ipv4('10.0.0.1')`), ports 0…65535. TCP fields are meaningful only when
// `protocol` is 'tcp'. `id` makes a packet a ring item (io/ring.ts).
//
// Units: bytes, ns. Header sizes (calibration.ts NETWORK): Ethernet II header 14 bytes + 4-byte FCS, IPv4
// 20 bytes without options (RFC 791), UDP 8 bytes (RFC 768), TCP 20 bytes without options (RFC 793); on
// the wire each frame also takes an 8-byte preamble and a 12-byte inter-frame gap (IEEE 802.3). The MTU
// counts the IP packet (IP header + transport header + payload), as Linux's does.
import { NETWORK } from '../calibration.js';

export const Protocol = { udp: 'udp', tcp: 'tcp' } as const;
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

/** TCP flag bits (RFC 793), or-ed into `Packet.tcpFlags`. */
export const TcpFlag = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16 } as const;
export type TcpFlag = (typeof TcpFlag)[keyof typeof TcpFlag];

/** Header and framing sizes in bytes (header comment for sources). */
export const HEADER_BYTES = {
  ethernet: NETWORK.ethernetHeaderBytes.value,
  ethernetFcs: NETWORK.ethernetFcsBytes.value,
  ethernetPreamble: NETWORK.ethernetPreambleBytes.value,
  ethernetInterFrameGap: NETWORK.ethernetInterFrameGapBytes.value,
  ipv4: NETWORK.ipv4HeaderBytes.value,
  udp: NETWORK.udpHeaderBytes.value,
  tcp: NETWORK.tcpHeaderOnlyBytes.value,
} as const;

/** Why a packet did not reach its destination; every drop is counted under one of these. */
export const DropReason = {
  /** Receive: no buffer posted by the guest (page flip needs one). */
  noRxBuffer: 'noRxBuffer',
  /** Transmit: source address not the VIF's own (VFR anti-spoofing; ports are not checked). */
  spoofed: 'spoofed',
  /** A VFR rule's action was drop. */
  ruleDrop: 'ruleDrop',
  /** No rule and no VIF matched the destination. */
  noRoute: 'noRoute',
  /** A bounded queue (NIC transmit queue, socket buffer, a full ring) had no room. */
  queueFull: 'queueFull',
  /** Lost on the link (loss injected by a test or a study). */
  linkLoss: 'linkLoss',
  /** Reached its endpoint, but no socket is bound to its protocol and destination port. */
  noSocket: 'noSocket',
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];
export const DROP_REASONS = Object.values(DropReason);

export class Packet {
  id = 0;
  protocol: Protocol = Protocol.udp;
  srcAddr = 0;
  dstAddr = 0;
  srcPort = 0;
  dstPort = 0;
  /** Application bytes carried (0 for a bare TCP ACK). */
  payloadBytes = 0;
  /** TCP: sequence number of the first payload byte (or of SYN/FIN), modulo 2^32. */
  tcpSeq = 0;
  /** TCP: next byte expected from the peer, valid when TcpFlag.ack is set. */
  tcpAck = 0;
  tcpFlags = 0;
  /** TCP: receive window advertised, bytes (window scaling assumed: no 64 KB cap). */
  tcpWindowBytes = 0;
  /** When the sending application handed it over (for latency measures). */
  createdAtNs = 0;
  /** Free for the application (e.g. a request number or a flow index). */
  tag = 0;
  /** @internal The network model's routing note while the packet is in flight (net/network.ts). */
  hop = -1;

  /** IP packet bytes: what the MTU limits. */
  get ipBytes(): number {
    return HEADER_BYTES.ipv4 + transportHeaderBytes(this.protocol) + this.payloadBytes;
  }

  /** Ethernet frame bytes (header + IP packet + FCS): what DMA and copies move. */
  get frameBytes(): number {
    return HEADER_BYTES.ethernet + this.ipBytes + HEADER_BYTES.ethernetFcs;
  }

  /** Bytes of link time: the frame plus preamble and inter-frame gap. */
  get wireBytes(): number {
    return this.frameBytes + HEADER_BYTES.ethernetPreamble + HEADER_BYTES.ethernetInterFrameGap;
  }
}

export function transportHeaderBytes(protocol: Protocol): number {
  return protocol === Protocol.tcp ? HEADER_BYTES.tcp : HEADER_BYTES.udp;
}

/** Largest payload a packet of `protocol` can carry under an IP MTU of `mtuBytes`. */
export function maxPayloadBytes(protocol: Protocol, mtuBytes: number): number {
  return mtuBytes - HEADER_BYTES.ipv4 - transportHeaderBytes(protocol);
}

/** `ipv4('10.0.0.1')` → 167772161. Throws on anything but four decimal octets. */
export function ipv4(dotted: string): number {
  const parts = dotted.split('.');
  if (parts.length !== 4)
    throw new RangeError(`ipv4: address must be four dot-separated octets, got ${JSON.stringify(dotted)}`);
  let v = 0;
  for (const p of parts) {
    const n = Number(p);
    if (!/^\d{1,3}$/.test(p) || n > 255)
      throw new RangeError(`ipv4: each octet must be an integer in [0, 255], got ${JSON.stringify(dotted)}`);
    v = v * 256 + n;
  }
  return v;
}

/** 167772161 → '10.0.0.1'. */
export function formatIpv4(addr: number): string {
  return [addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255].join('.');
}

/**
 * A free list of packets. `acquire()` returns a reset packet with a fresh id; `release(p)` returns it
 * once nothing refers to it any more. Ids grow monotonically per pool, so they stay deterministic.
 */
export class PacketPool {
  private readonly free: Packet[] = [];
  private nextId = 1;
  private outstanding = 0;

  acquire(): Packet {
    const p = this.free.pop() ?? new Packet();
    p.id = this.nextId++;
    p.protocol = Protocol.udp;
    p.srcAddr = 0;
    p.dstAddr = 0;
    p.srcPort = 0;
    p.dstPort = 0;
    p.payloadBytes = 0;
    p.tcpSeq = 0;
    p.tcpAck = 0;
    p.tcpFlags = 0;
    p.tcpWindowBytes = 0;
    p.createdAtNs = 0;
    p.tag = 0;
    p.hop = -1;
    this.outstanding++;
    return p;
  }

  release(p: Packet): void {
    if (p.id === 0) throw new Error('PacketPool: packet released twice (or never acquired)');
    p.id = 0;
    this.outstanding--;
    this.free.push(p);
  }

  /** Packets acquired and not yet released. */
  get inUse(): number {
    return this.outstanding;
  }
}

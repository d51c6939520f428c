// TCP endpoints as a protocol model driven by the Simulation: one `TcpEndpoint` per side of a
// connection, sending through an injected `transmit(p, fromKernel)` and receiving through `receive(p)`,
// with its protocol CPU charged through an injected `TcpCpu` (per packet and per byte, so a smaller MTU
// costs more CPU per byte moved). Packets carry sequence numbers and lengths, not bytes: the byte stream
// is the sequence of stream offsets 0, 1, 2, …, and `onDeliver(offset, bytes)` hands the application
// every offset exactly once, in order.
//
// What is modelled (and where it comes from):
//   * Sliding window: the sender keeps snd_una ≤ snd_nxt ≤ snd_max and sends while
//     snd_nxt < snd_una + min(cwnd, peer window) (RFC 793), full-sized segments only except the tail of
//     the stream or when nothing is in flight (Nagle, RFC 896; sender SWS avoidance, RFC 1122 4.2.3.4);
//     the TCP_NODELAY option (`noDelay`, setNoDelay) turns Nagle off: a small segment leaves at once.
//   * Congestion control: NewReno — slow start and congestion avoidance per RFC 5681 §3.1 (eq. 2: cwnd +=
//     min(acked, SMSS) per ACK below ssthresh; eq. 3: cwnd += SMSS·SMSS/cwnd above it), fast retransmit on
//     the third duplicate ACK and fast recovery with partial-ACK retransmission per RFC 6582 §3.2 (the
//     "impatient" timer: only the first partial ACK restarts the retransmission timer; full ACK deflates
//     cwnd to min(ssthresh, max(FlightSize, SMSS) + SMSS)). Initial window 2 segments (Linux 2.4,
//     net/ipv4/tcp_minisocks.c: snd_cwnd = 2). No SACK (Linux 2.4 negotiates it: left out, NewReno is the
//     fallback its recovery reduces to without SACK blocks).
//   * Retransmission timeout per RFC 6298: SRTT/RTTVAR from one timed segment at a time (Karn's rule:
//     never time a retransmitted segment), RTO = SRTT + max(G, 4·RTTVAR) clamped to [minRto, maxRto],
//     doubled on each expiry; on expiry ssthresh = max(FlightSize/2, 2·SMSS), cwnd = 1 SMSS (RFC 5681
//     eq. 4 and the loss window) and go-back-N from snd_una. Linux 2.4 constants (include/net/tcp.h,
//     HZ = 100 on i386): TCP_RTO_MIN = HZ/5 = 200 ms, TCP_RTO_MAX = 120 s, TCP_TIMEOUT_INIT = 3 s,
//     G = one jiffy = 10 ms.
//   * ACK clocking and delayed ACKs (RFC 1122 4.2.3.2, RFC 5681 §4.2): the receiver ACKs every second
//     in-order segment at once and otherwise after the delayed-ACK timer, TCP_DELACK_MIN = HZ/25 = 40 ms
//     (Linux 2.4 include/net/tcp.h); an out-of-order segment, a duplicate, or one that fills a gap is
//     ACKed at once (RFC 5681 §4.2). Data segments piggyback the ACK. Linux's "quick-ACK" start-up mode
//     is not modelled.
//   * Socket buffers (Table 4's runs used 128 kB): the send buffer bounds written-but-unacknowledged
//     bytes; the application is told it may write again (`onWritable`) when at most 2/3 of it is queued
//     (Linux 2.4 tcp_write_space: free ≥ queued/2). The receiving application consumes in-order data as
//     it is delivered, so the receive buffer holds only out-of-order data, which the sender's window
//     keeps inside it: the advertised window is the whole receive buffer (window scaling assumed;
//     Linux's overhead share of the buffer, tcp_adv_win_scale, is not modelled).
//   * MSS = MTU − 40 (IPv4 and TCP headers without options, packet.ts).
//   * Connection set-up: by default the endpoints start established, as after a handshake in which each
//     side advertised its receive buffer. With `open: 'active'` / `'passive'` they run the three-way
//     handshake of RFC 793 instead (SYN, SYN-ACK, ACK; no data before it completes; a lost SYN or
//     SYN-ACK is sent again when the retransmission timer expires, from the initial 3 s with back-off,
//     without Linux's limit of tcp_syn_retries = 5; the handshake gives the first RTT sample).
// Simplified (said so): no FIN exchange or TIME_WAIT (the application's close only lets the tail of the
// stream go out; ttcp measures the data); the SYN takes sequence number ISS and the first data byte is
// ISS + 1 (RFC 793); stream offsets start at 0 and go on the wire as (ISS + 1 + offset) mod 2^32,
// unwrapped against snd_una / rcv_nxt; no persist timer (the window never closes, see above); no
// timestamps option (one RTT sample per window; Linux 2.4 sends the option, 12 bytes per segment).
//
// Ownership: a packet handed to `transmit` belongs to the path (which releases it if it drops it); a
// packet handed to `receive` belongs to the endpoint, which releases it to `pool` once processed
// (`receiveBorrowed` for a packet the caller releases itself).
// Allocation: none per packet in the steady state (packets from the pool, timers are lazy deadlines
// re-armed when they fire, the out-of-order list is a typed array that grows only when a window has
// more holes than ever before).
// Constants: calibration.ts TCP (the Linux 2.4 values and RFC rules above, with their sources), read into
// TCP_DEFAULTS; every one can be overridden per endpoint.
// Units: bytes, ns; rates in bits per second.
import type { Simulation } from '../../sim/index.js';
import { NETWORK, TCP } from '../calibration.js';
import { checkInt, checkNumber, checkOneOf, rangeFail } from '../validate.js';
import { HEADER_BYTES, Protocol, TcpFlag, type Packet, type PacketPool } from './packet.js';

/** Defaults: calibration.ts TCP (Linux 2.4 constants, RFC 5681 / 6298 / 6582; sources there). */
export const TCP_DEFAULTS = {
  mtuBytes: NETWORK.mtuBytes.value,
  /** IPv4 + TCP headers without options: MSS = MTU − headerBytes. */
  headerBytes: TCP.headerBytes.value,
  sndBufBytes: TCP.sockBufBytes.value,
  rcvBufBytes: TCP.sockBufBytes.value,
  initialCwndSegments: TCP.initialCwndSegments.value,
  ackEverySegments: TCP.ackEverySegments.value,
  delayedAckNs: TCP.delayedAckNs.value,
  minRtoNs: TCP.minRtoNs.value,
  maxRtoNs: TCP.maxRtoNs.value,
  initialRtoNs: TCP.initialRtoNs.value,
  clockGranularityNs: TCP.clockGranularityNs.value,
  dupAckThreshold: TCP.dupAckThreshold.value,
} as const;

/** The integer options that default to TCP_DEFAULTS. */
type IntOption =
  | 'initialCwndSegments'
  | 'ackEverySegments'
  | 'delayedAckNs'
  | 'minRtoNs'
  | 'maxRtoNs'
  | 'initialRtoNs'
  | 'clockGranularityNs';

/** How a connection opens (module header). */
export const TcpOpen = { established: 'established', active: 'active', passive: 'passive' } as const;
export type TcpOpen = (typeof TcpOpen)[keyof typeof TcpOpen];

/** Connection states this model goes through (RFC 793 names). */
export const TcpState = {
  closed: 'closed',
  listen: 'listen',
  synSent: 'synSent',
  synReceived: 'synReceived',
  established: 'established',
} as const;
export type TcpState = (typeof TcpState)[keyof typeof TcpState];

/** The protocol CPU of one endpoint: runs `costNs` of work, then calls `fn(arg)`; calls finish in order. */
export interface TcpCpu {
  run<A>(costNs: number, fn: (arg: A) => void, arg: A): void;
}

/**
 * CPU costs of the protocol path, ns. Sending a segment of b payload bytes costs
 * `txPacketNs + b·txByteNs` (an ACK: `txPacketNs`); receiving one costs `rxPacketNs + b·rxByteNs`.
 */
export interface TcpCosts {
  readonly txPacketNs: number;
  readonly txByteNs: number;
  readonly rxPacketNs: number;
  readonly rxByteNs: number;
}

export const ZERO_TCP_COSTS: TcpCosts = { txPacketNs: 0, txByteNs: 0, rxPacketNs: 0, rxByteNs: 0 };

/**
 * A processor that does one job at a time in arrival order (a FIFO single server): a job submitted at t
 * finishes at max(t, previous finish) + cost. `busyNs` is the work done (utilisation = busyNs / elapsed).
 */
export class FifoCpu implements TcpCpu {
  busyNs = 0;
  private freeAtNs = 0;

  constructor(private readonly sim: Simulation) {}

  run<A>(costNs: number, fn: (arg: A) => void, arg: A): void {
    const now = this.sim.now;
    const c = Math.round(costNs);
    const end = (this.freeAtNs > now ? this.freeAtNs : now) + c;
    this.freeAtNs = end;
    this.busyNs += c;
    this.sim.scheduleAt(end, fn, arg);
  }
}

export interface TcpEndpointOptions {
  /** For messages. */
  readonly name?: string;
  readonly pool: PacketPool;
  /**
   * Hands a packet to the path (which owns it from then on). `fromKernel` is true for packets sent from
   * the receive path or a timer (ACKs, ACK-clocked data, retransmissions: softirq work in a real
   * kernel), false for those the application's write, close or connect sends.
   */
  readonly transmit: (p: Packet, fromKernel: boolean) => void;
  readonly localAddr: number;
  readonly localPort: number;
  readonly remoteAddr: number;
  readonly remotePort: number;
  /** IP MTU, 68 … 65535 bytes; MSS = MTU − 40. Default 1500 (Ethernet). */
  readonly mtuBytes?: number;
  readonly sndBufBytes?: number;
  readonly rcvBufBytes?: number;
  /** The window the peer advertised at connection set-up; default this side's rcvBufBytes. */
  readonly peerWindowBytes?: number;
  /** Initial send sequence number (RFC 793 ISS) on the wire, 0 … 2^32 − 1; default 0. */
  readonly initialSeq?: number;
  /** The peer's initial sequence number (RFC 793 IRS) when the connection starts established; default 0. */
  readonly peerInitialSeq?: number;
  /** 'established' (default), or run the handshake: 'active' (connect() sends the SYN) or 'passive'. */
  readonly open?: TcpOpen;
  readonly initialCwndSegments?: number;
  /** ACK at once after this many in-order segments (RFC 1122: 2); 1 turns delayed ACKs off. */
  readonly ackEverySegments?: number;
  readonly delayedAckNs?: number;
  readonly minRtoNs?: number;
  readonly maxRtoNs?: number;
  readonly initialRtoNs?: number;
  readonly clockGranularityNs?: number;
  /**
   * TCP_NODELAY (Linux setsockopt; RFC 1122 §4.2.3.4 lets an application turn the Nagle algorithm off): a
   * small segment is sent at once even while data is in flight. Default false (Nagle on). setNoDelay() changes it later.
   */
  readonly noDelay?: boolean;
  /** Where protocol work runs; null (default) = instantly, in the caller's event. */
  readonly cpu?: TcpCpu | null;
  readonly costs?: TcpCosts;
}

/** Counters of one endpoint (sender and receiver side). */
export class TcpStats {
  /** Segments with payload sent, first transmissions and retransmissions. */
  dataSegmentsSent = 0;
  /** Of those, retransmissions (fast, partial-ACK and after a timeout). */
  retransmits = 0;
  /** Times fast retransmit/recovery was entered. */
  fastRecoveries = 0;
  /** Retransmission timer expiries. */
  timeouts = 0;
  /** Pure ACKs sent. */
  acksSent = 0;
  dupAcksReceived = 0;
  /** Data segments received entirely below rcv_nxt (duplicates). */
  duplicateSegments = 0;
  outOfOrderSegments = 0;
  /** Stream bytes delivered in order to the application. */
  bytesDelivered = 0;
  /** Stream bytes acknowledged by the peer. */
  bytesAcked = 0;
  rttSamples = 0;
  /** Packets received that were not TCP or acknowledged data never sent (ignored). */
  ignored = 0;
}

const ACK = TcpFlag.ack;
const SYN = TcpFlag.syn;
const PSH = TcpFlag.psh;

function rtoTimerFired(ep: TcpEndpoint): void {
  ep._rtoTimer();
}
function delAckTimerFired(ep: TcpEndpoint): void {
  ep._delAckTimer();
}

export class TcpEndpoint {
  readonly name: string;
  readonly mssBytes: number;
  readonly mtuBytes: number;
  readonly sndBufBytes: number;
  readonly rcvBufBytes: number;
  readonly stats = new TcpStats();
  /** In-order stream bytes reach the application: offsets [offset, offset + bytes). */
  onDeliver: ((offset: number, bytes: number) => void) | null = null;
  /** The send buffer has room again after a write was refused or partial. */
  onWritable: (() => void) | null = null;
  /** Everything written so far has been acknowledged. */
  onAllAcked: (() => void) | null = null;
  /** The handshake completed (not called for a connection that starts established). */
  onEstablished: (() => void) | null = null;
  private _state: TcpState;

  private readonly sim: Simulation;
  private readonly pool: PacketPool;
  private readonly transmitFn: (p: Packet, fromKernel: boolean) => void;
  private readonly transmitKernelFn: (p: Packet) => void;
  private readonly transmitAppFn: (p: Packet) => void;
  /** Inside write, close or connect (application context). */
  private appContext = false;
  private readonly cpu: TcpCpu | null;
  private readonly costs: TcpCosts;
  private readonly processFn: (p: Packet) => void;
  private readonly localAddr: number;
  private readonly localPort: number;
  private readonly remoteAddr: number;
  private readonly remotePort: number;
  private readonly ackEvery: number;
  private readonly delayedAckNs: number;
  private readonly minRtoNs: number;
  private readonly maxRtoNs: number;
  private readonly granularityNs: number;
  private noDelay: boolean;
  private readonly iss: number;
  /** Wire sequence numbers of stream offset 0, sent and received (ISS + 1, IRS + 1). */
  private readonly sndWire0: number;
  private rcvWire0: number;
  private synSentAtNs = 0;
  private synRetransmitted = false;

  // ---- sender (absolute stream offsets) ----
  private sndUna = 0;
  private sndNxt = 0;
  private sndMax = 0;
  /** Bytes the application has written (end of the stream so far). */
  private written = 0;
  private closed = false;
  private wantWritable = false;
  private _cwndBytes: number;
  private _ssthreshBytes = Number.MAX_SAFE_INTEGER;
  private sndWnd: number;
  private dupAcks = 0;
  private inRecovery = false;
  /** RFC 6582 "recover"; −1 so that a loss of the very first segment can start fast retransmit. */
  private recover = -1;
  private firstPartialAck = false;
  private srttNs = 0;
  private rttvarNs = 0;
  private _rtoNs: number;
  private timedEnd = -1;
  private timedAtNs = 0;
  private rtoDeadlineNs = Infinity;
  private rtoEventAtNs = -1;
  private rtoHandle = 0;

  // ---- receiver ----
  private rcvNxt = 0;
  private segsUnacked = 0;
  private delAckDeadlineNs = Infinity;
  private delAckEventAtNs = -1;
  private delAckHandle = 0;
  /** Out-of-order ranges [start, end), sorted, disjoint and not adjacent: pairs in one array. */
  private ooo = new Float64Array(64);
  private oooCount = 0;

  constructor(sim: Simulation, options: TcpEndpointOptions) {
    const where = `TcpEndpoint${options.name === undefined ? '' : `(${options.name})`}`;
    this.name = options.name ?? 'tcp';
    this.sim = sim;
    this.pool = options.pool;
    this.transmitFn = options.transmit;
    if (typeof this.transmitFn !== 'function') rangeFail(where, 'transmit', 'a function', this.transmitFn);
    this.transmitKernelFn = (p: Packet) => this.transmitFn(p, true);
    this.transmitAppFn = (p: Packet) => this.transmitFn(p, false);
    this.localAddr = checkInt(where, 'localAddr', options.localAddr, 0, 0xffffffff);
    this.localPort = checkInt(where, 'localPort', options.localPort, 0, 65535);
    this.remoteAddr = checkInt(where, 'remoteAddr', options.remoteAddr, 0, 0xffffffff);
    this.remotePort = checkInt(where, 'remotePort', options.remotePort, 0, 65535);
    this.mtuBytes = checkInt(where, 'mtuBytes', options.mtuBytes ?? TCP_DEFAULTS.mtuBytes, 68, 65535);
    this.mssBytes = this.mtuBytes - TCP_DEFAULTS.headerBytes;
    this.sndBufBytes = checkInt(where, 'sndBufBytes', options.sndBufBytes ?? TCP_DEFAULTS.sndBufBytes, this.mssBytes);
    this.rcvBufBytes = checkInt(where, 'rcvBufBytes', options.rcvBufBytes ?? TCP_DEFAULTS.rcvBufBytes, this.mssBytes);
    this.sndWnd = checkInt(where, 'peerWindowBytes', options.peerWindowBytes ?? this.rcvBufBytes, this.mssBytes);
    /** An integer option, its TCP_DEFAULTS value when absent, checked against [min, max]. */
    const opt = (name: IntOption, min: number, max?: number): number =>
      checkInt(where, name, options[name] ?? TCP_DEFAULTS[name], min, max);
    this._cwndBytes = opt('initialCwndSegments', 1, 64) * this.mssBytes;
    this.ackEvery = opt('ackEverySegments', 1, 64);
    this.delayedAckNs = opt('delayedAckNs', 1);
    this.minRtoNs = opt('minRtoNs', 1);
    this.maxRtoNs = opt('maxRtoNs', this.minRtoNs);
    this._rtoNs = opt('initialRtoNs', this.minRtoNs, this.maxRtoNs);
    this.granularityNs = opt('clockGranularityNs', 0);
    this.noDelay = options.noDelay === true;
    this.iss = checkInt(where, 'initialSeq', options.initialSeq ?? 0, 0, 0xffffffff);
    this.sndWire0 = (this.iss + 1) >>> 0;
    this.rcvWire0 = (checkInt(where, 'peerInitialSeq', options.peerInitialSeq ?? 0, 0, 0xffffffff) + 1) >>> 0;
    const open = checkOneOf(where, 'open', options.open ?? TcpOpen.established, TcpOpen);
    this._state =
      open === TcpOpen.established
        ? TcpState.established
        : open === TcpOpen.passive
          ? TcpState.listen
          : TcpState.closed;
    this.cpu = options.cpu ?? null;
    const c = options.costs ?? ZERO_TCP_COSTS;
    checkNumber(where, 'costs.txPacketNs', c.txPacketNs, 0, 1e9);
    checkNumber(where, 'costs.txByteNs', c.txByteNs, 0, 1e6);
    checkNumber(where, 'costs.rxPacketNs', c.rxPacketNs, 0, 1e9);
    checkNumber(where, 'costs.rxByteNs', c.rxByteNs, 0, 1e6);
    this.costs = c;
    this.processFn = (p: Packet) => this.process(p);
  }

  // ---- application side ----

  /** Congestion window, bytes. */
  get cwndBytes(): number {
    return this._cwndBytes;
  }
  /** Slow-start threshold, bytes (MAX_SAFE_INTEGER until the first loss). */
  get ssthreshBytes(): number {
    return this._ssthreshBytes;
  }
  /** Current retransmission timeout, ns. */
  get rtoNs(): number {
    return this._rtoNs;
  }
  /** Smoothed RTT, ns (0 before the first sample). */
  get srttValueNs(): number {
    return this.srttNs;
  }
  /** Bytes written and not yet acknowledged. */
  get sendQueuedBytes(): number {
    return this.written - this.sndUna;
  }
  /** Room in the send buffer, bytes. */
  get writableBytes(): number {
    return this.sndBufBytes - (this.written - this.sndUna);
  }
  /** Bytes the application has written in all. */
  get writtenBytes(): number {
    return this.written;
  }
  /** Stream bytes acknowledged by the peer. */
  get ackedBytes(): number {
    return this.sndUna;
  }
  /** Next stream offset the receiver expects. */
  get receivedBytes(): number {
    return this.rcvNxt;
  }
  /** Bytes sent and not yet acknowledged. */
  get flightBytes(): number {
    return this.sndMax - this.sndUna;
  }

  /**
   * Queues up to `bytes` stream bytes for sending; returns how many the send buffer took (0 … bytes).
   * When fewer than `bytes` were taken, `onWritable` fires once there is room again.
   */
  write(bytes: number): number {
    if (this.closed) throw new Error(`TcpEndpoint(${this.name}): write after close`);
    if (!(bytes >= 0) || !Number.isSafeInteger(bytes))
      rangeFail(`TcpEndpoint(${this.name}).write`, 'bytes', 'a non-negative integer', bytes);
    const room = this.sndBufBytes - (this.written - this.sndUna);
    const n = bytes < room ? bytes : room;
    if (n < bytes) this.wantWritable = true;
    if (n > 0) {
      this.written += n;
      this.outputFromApp();
    }
    return n;
  }

  /** TCP_NODELAY on or off (TcpEndpointOptions.noDelay); turning it on sends what Nagle held back (Linux tcp_push_pending_frames). */
  setNoDelay(on: boolean): void {
    this.noDelay = on;
    if (on) this.outputFromApp();
  }

  /** TCP_NODELAY is on. */
  get noDelayOn(): boolean {
    return this.noDelay;
  }

  /** output() in application context (its packets go as process-context demand). */
  private outputFromApp(): void {
    this.appContext = true;
    this.output();
    this.appContext = false;
  }

  /** No more writes: the tail of the stream (less than a segment) may go out at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.outputFromApp();
  }

  // ---- network side ----

  /** A packet from the path; the endpoint owns it and releases it once processed. */
  receive(p: Packet): void {
    const cpu = this.cpu;
    if (cpu === null) {
      this.process(p);
      return;
    }
    const c = this.costs;
    cpu.run(c.rxPacketNs + p.payloadBytes * c.rxByteNs, this.processFn, p);
  }

  /**
   * A packet the caller keeps and releases after this returns (e.g. a socket handler of the network's
   * endpoints): processed at once without a CPU, else copied into a pooled packet for the CPU queue.
   */
  receiveBorrowed(p: Packet): void {
    if (this.cpu === null) {
      this.process(p, false);
      return;
    }
    const q = this.pool.acquire();
    copyPacket(p, q);
    this.receive(q);
  }

  private process(p: Packet, owned = true): void {
    if (p.protocol !== Protocol.tcp) {
      this.stats.ignored++;
    } else if ((p.tcpFlags & SYN) !== 0 || this._state !== TcpState.established) {
      if (this.handshake(p)) {
        if ((p.tcpFlags & ACK) !== 0) this.handleAck(p);
        if (p.payloadBytes > 0) this.handleData(p);
      }
    } else {
      if ((p.tcpFlags & ACK) !== 0) this.handleAck(p);
      if (p.payloadBytes > 0) this.handleData(p);
    }
    if (owned) this.pool.release(p);
    this.output();
  }

  // ---- connection set-up ----

  /** The connection's state. */
  get state(): TcpState {
    return this._state;
  }

  /** Active open: sends the SYN (only for `open: 'active'`, once). */
  connect(): void {
    if (this._state !== TcpState.closed)
      throw new Error(
        `TcpEndpoint(${this.name}): connect() needs open: 'active' and a closed connection, state ${this._state}`,
      );
    this._state = TcpState.synSent;
    this.appContext = true;
    this.sendSyn(false);
    this.appContext = false;
  }

  /** A packet while not established, or any SYN; returns true when it should also be processed as a segment. */
  private handshake(p: Packet): boolean {
    const f = p.tcpFlags;
    const syn = (f & SYN) !== 0;
    const ackOfSyn = (f & ACK) !== 0 && p.tcpAck === this.sndWire0;
    switch (this._state) {
      case TcpState.listen:
        if (syn && (f & ACK) === 0) {
          this.rcvWire0 = (p.tcpSeq + 1) >>> 0;
          this.sndWnd = p.tcpWindowBytes;
          this._state = TcpState.synReceived;
          this.sendSyn(true);
        }
        return false;
      case TcpState.synSent:
        if (syn && ackOfSyn) {
          this.rcvWire0 = (p.tcpSeq + 1) >>> 0;
          this.sndWnd = p.tcpWindowBytes;
          this.establish(); // sends queued data, which carries the ACK
          if (this.sndMax === 0) this.sendAck();
        }
        return false;
      case TcpState.synReceived:
        if (syn) {
          if ((f & ACK) === 0) this.sendSyn(true); // the peer did not get our SYN-ACK
          return false;
        }
        if (!ackOfSyn) return false;
        this.establish();
        return true; // the ACK may carry data
      case TcpState.established:
        // A SYN-ACK again: our ACK of it was lost. Acknowledge again; nothing else.
        if (syn && (f & ACK) !== 0) this.sendAck();
        return false;
      default:
        return false;
    }
  }

  private establish(): void {
    this._state = TcpState.established;
    this.rtoDeadlineNs = Infinity;
    if (!this.synRetransmitted) this.rttSample(this.sim.now - this.synSentAtNs);
    this.onEstablished?.();
    this.output();
  }

  /** A segment of this connection from the pool: addresses, ports, window and the given fields filled in. */
  private newSegment(payloadBytes: number, seqWire: number, ackWire: number, flags: number): Packet {
    const p = this.pool.acquire();
    p.protocol = Protocol.tcp;
    p.srcAddr = this.localAddr;
    p.dstAddr = this.remoteAddr;
    p.srcPort = this.localPort;
    p.dstPort = this.remotePort;
    p.payloadBytes = payloadBytes;
    p.tcpSeq = seqWire;
    p.tcpAck = ackWire;
    p.tcpFlags = flags;
    p.tcpWindowBytes = this.rcvBufBytes;
    p.createdAtNs = this.sim.now;
    return p;
  }

  private sendSyn(withAck: boolean): void {
    const p = this.newSegment(0, this.iss, withAck ? this.rcvWire0 : 0, withAck ? SYN | ACK : SYN);
    this.synSentAtNs = this.sim.now;
    this.armRto(this.sim.now + this._rtoNs);
    this.emit(p);
  }

  // ---- sender ----

  private handleAck(p: Packet): void {
    const una = this.sndUna;
    const ack = una + ((p.tcpAck - ((this.sndWire0 + una) >>> 0)) | 0);
    if (ack > this.sndMax) {
      this.stats.ignored++;
      return;
    }
    if (ack < una) return;
    const wnd = p.tcpWindowBytes;
    if (ack === una) {
      if (p.payloadBytes === 0 && wnd === this.sndWnd && this.sndMax > una) this.onDupAck();
      else this.sndWnd = wnd;
      return;
    }
    this.sndWnd = wnd;
    this.onNewAck(ack);
  }

  private onDupAck(): void {
    this.stats.dupAcksReceived++;
    const n = ++this.dupAcks;
    const mss = this.mssBytes;
    if (this.inRecovery) {
      this._cwndBytes += mss; // RFC 6582 §3.2 step 4: inflate by one segment per further duplicate
      return;
    }
    if (n === TCP_DEFAULTS.dupAckThreshold && this.sndUna > this.recover) {
      // RFC 6582 §3.2 step 2 (RFC 5681 eq. 4): halve, retransmit, inflate by the three segments that left.
      const flight = this.sndMax - this.sndUna;
      this._ssthreshBytes = Math.max(Math.floor(flight / 2), 2 * mss);
      this.recover = this.sndMax;
      this.inRecovery = true;
      this.firstPartialAck = true;
      this.stats.fastRecoveries++;
      this.retransmitHead();
      this._cwndBytes = this._ssthreshBytes + 3 * mss;
    }
  }

  private onNewAck(ack: number): void {
    const acked = ack - this.sndUna;
    const mss = this.mssBytes;
    this.sndUna = ack;
    this.stats.bytesAcked += acked;
    if (this.sndNxt < ack) this.sndNxt = ack; // go-back-N after a timeout: the receiver held more
    if (this.timedEnd >= 0 && ack >= this.timedEnd) {
      this.rttSample(this.sim.now - this.timedAtNs);
      this.timedEnd = -1;
    }
    let restartTimer = true;
    if (this.inRecovery) {
      if (ack >= this.recover) {
        // Full acknowledgement (RFC 6582 §3.2 step 3, option 1).
        this.inRecovery = false;
        this.dupAcks = 0;
        const flight = this.sndMax - this.sndUna;
        const deflated = (flight > mss ? flight : mss) + mss;
        this._cwndBytes = this._ssthreshBytes < deflated ? this._ssthreshBytes : deflated;
      } else {
        // Partial acknowledgement (step 5): retransmit the next hole, deflate by what left, add one.
        this.retransmitHead();
        let w = this._cwndBytes - acked + (acked >= mss ? mss : 0);
        if (w < mss) w = mss;
        this._cwndBytes = w;
        restartTimer = this.firstPartialAck;
        this.firstPartialAck = false;
      }
    } else {
      this.dupAcks = 0;
      const w = this._cwndBytes;
      if (w < this._ssthreshBytes) this._cwndBytes = w + (acked < mss ? acked : mss);
      else this._cwndBytes = w + Math.max(1, Math.floor((mss * mss) / w));
    }
    if (this.sndUna === this.sndMax)
      this.rtoDeadlineNs = Infinity; // RFC 6298 5.2
    else if (restartTimer) this.armRto(this.sim.now + this._rtoNs); // RFC 6298 5.3
    if (this.wantWritable && 3 * (this.written - this.sndUna) <= 2 * this.sndBufBytes) {
      this.wantWritable = false;
      this.onWritable?.();
    }
    if (this.sndUna === this.written) this.onAllAcked?.();
  }

  private rttSample(rNs: number): void {
    this.stats.rttSamples++;
    if (this.srttNs === 0) {
      this.srttNs = rNs;
      this.rttvarNs = rNs / 2;
    } else {
      const d = this.srttNs - rNs;
      this.rttvarNs = 0.75 * this.rttvarNs + 0.25 * (d < 0 ? -d : d);
      this.srttNs = 0.875 * this.srttNs + 0.125 * rNs;
    }
    const k = 4 * this.rttvarNs;
    let rto = Math.round(this.srttNs + (k > this.granularityNs ? k : this.granularityNs));
    if (rto < this.minRtoNs) rto = this.minRtoNs;
    if (rto > this.maxRtoNs) rto = this.maxRtoNs;
    this._rtoNs = rto;
  }

  /** Sends what the windows, the send buffer and Nagle allow. */
  private output(): void {
    if (this._state !== TcpState.established) return;
    const mss = this.mssBytes;
    for (;;) {
      const wnd = this._cwndBytes < this.sndWnd ? this._cwndBytes : this.sndWnd;
      const nxt = this.sndNxt;
      const usable = this.sndUna + wnd - nxt;
      const avail = this.written - nxt;
      if (avail <= 0 || usable <= 0) return;
      let len = avail < mss ? avail : mss;
      if (len > usable) len = usable;
      if (len < mss) {
        const inFlight = nxt > this.sndUna;
        if (len < avail && inFlight) return; // window-limited: wait rather than send a runt (SWS)
        if (!this.closed && !this.noDelay && inFlight) return; // Nagle: a small tail waits for the ACK
      }
      this.sendSegment(nxt, len);
      this.sndNxt = nxt + len;
      if (this.sndNxt > this.sndMax) this.sndMax = this.sndNxt;
    }
  }

  /** Retransmits the segment at snd_una (fast retransmit, partial ACK). */
  private retransmitHead(): void {
    const end = this.sndMax;
    const una = this.sndUna;
    const len = end - una < this.mssBytes ? end - una : this.mssBytes;
    if (len > 0) this.sendSegment(una, len);
  }

  private sendSegment(seq: number, len: number): void {
    const p = this.newSegment(len, (this.sndWire0 + seq) >>> 0, (this.rcvWire0 + this.rcvNxt) >>> 0, ACK | PSH);
    this.stats.dataSegmentsSent++;
    if (seq < this.sndMax) {
      this.stats.retransmits++;
      this.timedEnd = -1; // Karn: a retransmission invalidates the timed segment
    } else if (this.timedEnd < 0) {
      this.timedEnd = seq + len;
      this.timedAtNs = this.sim.now;
    }
    this.segsUnacked = 0; // the ACK rides along
    this.delAckDeadlineNs = Infinity;
    if (this.rtoDeadlineNs === Infinity) this.armRto(this.sim.now + this._rtoNs); // RFC 6298 5.1
    this.emit(p);
  }

  private emit(p: Packet): void {
    const cpu = this.cpu;
    if (cpu === null) {
      this.transmitFn(p, !this.appContext);
      return;
    }
    const c = this.costs;
    cpu.run(
      c.txPacketNs + p.payloadBytes * c.txByteNs,
      this.appContext ? this.transmitAppFn : this.transmitKernelFn,
      p,
    );
  }

  private armRto(deadlineNs: number): void {
    this.rtoDeadlineNs = deadlineNs;
    const at = this.rtoEventAtNs;
    if (at >= 0 && at <= deadlineNs) return; // the pending event re-arms itself when it fires
    if (at >= 0) this.sim.cancel(this.rtoHandle);
    this.rtoEventAtNs = deadlineNs;
    this.rtoHandle = this.sim.scheduleAt(deadlineNs, rtoTimerFired, this);
  }

  /** @internal */
  _rtoTimer(): void {
    this.rtoEventAtNs = -1;
    const d = this.rtoDeadlineNs;
    if (d === Infinity) return;
    if (this.sim.now < d) {
      this.armRto(d);
      return;
    }
    this.rtoDeadlineNs = Infinity;
    if (this._state === TcpState.synSent || this._state === TcpState.synReceived) {
      // The SYN (or SYN-ACK) was lost: back off and send it again (RFC 6298 5.5, RFC 793).
      this.stats.timeouts++;
      this.synRetransmitted = true;
      this.backOffRto();
      this.sendSyn(this._state === TcpState.synReceived);
      return;
    }
    if (this.sndUna === this.sndMax) return;
    // RFC 6298 5.4–5.6 and RFC 5681 eq. 4: back off, collapse the window, go back to snd_una.
    this.stats.timeouts++;
    const mss = this.mssBytes;
    const flight = this.sndMax - this.sndUna;
    this._ssthreshBytes = Math.max(Math.floor(flight / 2), 2 * mss);
    this._cwndBytes = mss;
    this.recover = this.sndMax; // RFC 6582 §4: no fast retransmit for losses from before the timeout
    this.inRecovery = false;
    this.dupAcks = 0;
    this.sndNxt = this.sndUna;
    this.timedEnd = -1;
    this.backOffRto();
    this.output();
  }

  /** RFC 6298 5.5: double the RTO, up to maxRtoNs. */
  private backOffRto(): void {
    this._rtoNs = this._rtoNs * 2 < this.maxRtoNs ? this._rtoNs * 2 : this.maxRtoNs;
  }

  // ---- receiver ----

  private handleData(p: Packet): void {
    const len = p.payloadBytes;
    const nxt = this.rcvNxt;
    const seq = nxt + ((p.tcpSeq - ((this.rcvWire0 + nxt) >>> 0)) | 0);
    const end = seq + len;
    if (end <= nxt) {
      this.stats.duplicateSegments++;
      this.sendAck();
      return;
    }
    if (seq > nxt) {
      this.stats.outOfOrderSegments++;
      const limit = nxt + this.rcvBufBytes;
      if (seq < limit) this.insertOoo(seq, end < limit ? end : limit);
      this.sendAck(); // duplicate ACK at once (RFC 5681 §4.2)
      return;
    }
    // In order (seq ≤ rcv_nxt < end).
    const hadHoles = this.oooCount > 0;
    this.deliver(nxt, end - nxt);
    this.drainOoo();
    if (hadHoles || seq < nxt) {
      this.sendAck(); // fills (part of) a gap, or partly duplicate: ACK at once
      return;
    }
    if (++this.segsUnacked >= this.ackEvery) {
      this.sendAck();
      return;
    }
    if (this.delAckDeadlineNs === Infinity) {
      const d = this.sim.now + this.delayedAckNs;
      this.delAckDeadlineNs = d;
      if (this.delAckEventAtNs < 0 || this.delAckEventAtNs > d) {
        if (this.delAckEventAtNs >= 0) this.sim.cancel(this.delAckHandle);
        this.scheduleDelAck(d);
      }
    }
  }

  private scheduleDelAck(atNs: number): void {
    this.delAckEventAtNs = atNs;
    this.delAckHandle = this.sim.scheduleAt(atNs, delAckTimerFired, this);
  }

  /** @internal */
  _delAckTimer(): void {
    this.delAckEventAtNs = -1;
    const d = this.delAckDeadlineNs;
    if (d === Infinity) return;
    if (this.sim.now < d) {
      this.scheduleDelAck(d);
      return;
    }
    this.sendAck();
  }

  private deliver(offset: number, bytes: number): void {
    this.rcvNxt = offset + bytes;
    this.stats.bytesDelivered += bytes;
    this.onDeliver?.(offset, bytes);
  }

  private drainOoo(): void {
    const r = this.ooo;
    let i = 0;
    const n = this.oooCount;
    while (i < n && (r[2 * i] as number) <= this.rcvNxt) {
      const e = r[2 * i + 1] as number;
      if (e > this.rcvNxt) this.deliver(this.rcvNxt, e - this.rcvNxt);
      i++;
    }
    if (i > 0) {
      r.copyWithin(0, 2 * i, 2 * n);
      this.oooCount = n - i;
    }
  }

  /** Adds [s, e) to the sorted out-of-order ranges, merging overlaps and neighbours. */
  private insertOoo(s: number, e: number): void {
    let r = this.ooo;
    const n = this.oooCount;
    let i = 0;
    while (i < n && (r[2 * i + 1] as number) < s) i++; // first range that ends at or after s
    let j = i;
    let ns = s;
    let ne = e;
    while (j < n && (r[2 * j] as number) <= e) {
      const rs = r[2 * j] as number;
      const re = r[2 * j + 1] as number;
      if (rs < ns) ns = rs;
      if (re > ne) ne = re;
      j++;
    }
    if (j === i) {
      // No overlap: insert a new range at i.
      if (2 * (n + 1) > r.length) {
        const bigger = new Float64Array(r.length * 2);
        bigger.set(r);
        this.ooo = r = bigger;
      }
      r.copyWithin(2 * i + 2, 2 * i, 2 * n);
      r[2 * i] = ns;
      r[2 * i + 1] = ne;
      this.oooCount = n + 1;
      return;
    }
    // Ranges i … j−1 merge into one.
    r[2 * i] = ns;
    r[2 * i + 1] = ne;
    if (j > i + 1) {
      r.copyWithin(2 * i + 2, 2 * j, 2 * n);
      this.oooCount = n - (j - i - 1);
    }
  }

  /** Out-of-order bytes held (for tests and probes). */
  get outOfOrderBytes(): number {
    let b = 0;
    for (let i = 0; i < this.oooCount; i++) b += (this.ooo[2 * i + 1] as number) - (this.ooo[2 * i] as number);
    return b;
  }

  private sendAck(): void {
    const p = this.newSegment(0, (this.sndWire0 + this.sndNxt) >>> 0, (this.rcvWire0 + this.rcvNxt) >>> 0, ACK);
    this.stats.acksSent++;
    this.segsUnacked = 0;
    this.delAckDeadlineNs = Infinity;
    this.emit(p);
  }
}

/** Copies every field but `id` (which stays the pool's). */
export function copyPacket(from: Packet, to: Packet): void {
  to.protocol = from.protocol;
  to.srcAddr = from.srcAddr;
  to.dstAddr = from.dstAddr;
  to.srcPort = from.srcPort;
  to.dstPort = from.dstPort;
  to.payloadBytes = from.payloadBytes;
  to.tcpSeq = from.tcpSeq;
  to.tcpAck = from.tcpAck;
  to.tcpFlags = from.tcpFlags;
  to.tcpWindowBytes = from.tcpWindowBytes;
  to.createdAtNs = from.createdAtNs;
  to.tag = from.tag;
}

/** Goodput of a saturated link, bits/s: the link rate times payload over wire bytes per full segment. */
export function tcpGoodputLimitBps(linkBitsPerSecond: number, mtuBytes: number): number {
  const mss = mtuBytes - TCP_DEFAULTS.headerBytes;
  const wire =
    mtuBytes +
    HEADER_BYTES.ethernet +
    HEADER_BYTES.ethernetFcs +
    HEADER_BYTES.ethernetPreamble +
    HEADER_BYTES.ethernetInterFrameGap;
  return (linkBitsPerSecond * mss) / wire;
}

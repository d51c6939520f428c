// Test helper: a point-to-point pipe for TCP tests, independent of the VIF/VFR/NIC path. Each direction
// is a FIFO link with a rate (serialisation time = wire bytes · 8 / rate, preamble and gap included), a
// propagation latency, an optional drop-tail queue limit and injected loss (a predicate on the packet and
// its index among the packets that direction was offered, 0-based). Lost and dropped packets are
// released to the pool; delivered ones are handed to the far endpoint, which releases them.
// Units: ns, bits per second, bytes.
import type { Simulation } from '../../../src/sim/index.js';
import type { Packet, PacketPool } from '../../../src/models/net/packet.js';
import { TcpEndpoint, type TcpEndpointOptions } from '../../../src/models/net/tcp.js';

export interface TestLinkOptions {
  readonly rateBitsPerSecond: number;
  readonly latencyNs: number;
  /** Packets waiting for the wire beyond which an arriving one is dropped (default unlimited). */
  readonly queuePackets?: number;
  /** Injected loss: true drops the packet. */
  readonly lose?: (p: Packet, index: number) => boolean;
}

export class TestLink {
  offered = 0;
  delivered = 0;
  lost = 0;
  dropped = 0;
  wireBytes = 0;
  /** Time the last bit of the last packet left the sender side. */
  lastTxEndNs = 0;
  private freeAtNs = 0;
  private readonly rate: number;
  private readonly latencyNs: number;
  private readonly queuePackets: number;
  private readonly lose: ((p: Packet, index: number) => boolean) | null;
  private deliverTo: ((p: Packet) => void) | null = null;
  private readonly arrive = (p: Packet): void => {
    this.delivered++;
    (this.deliverTo as (p: Packet) => void)(p);
  };

  constructor(
    private readonly sim: Simulation,
    private readonly pool: PacketPool,
    options: TestLinkOptions,
  ) {
    this.rate = options.rateBitsPerSecond;
    this.latencyNs = options.latencyNs;
    this.queuePackets = options.queuePackets ?? Infinity;
    this.lose = options.lose ?? null;
  }

  connect(deliver: (p: Packet) => void): void {
    this.deliverTo = deliver;
  }

  send(p: Packet): void {
    const index = this.offered++;
    if (this.lose !== null && this.lose(p, index)) {
      this.lost++;
      this.pool.release(p);
      return;
    }
    const now = this.sim.now;
    const txNs = Math.round((p.wireBytes * 8 * 1e9) / this.rate);
    const backlogNs = this.freeAtNs - now;
    if (backlogNs > 0 && backlogNs / txNs > this.queuePackets) {
      this.dropped++;
      this.pool.release(p);
      return;
    }
    const end = (this.freeAtNs > now ? this.freeAtNs : now) + txNs;
    this.freeAtNs = end;
    this.lastTxEndNs = end;
    this.wireBytes += p.wireBytes;
    this.sim.scheduleAt(end + this.latencyNs, this.arrive, p);
  }
}

export interface TestPipeOptions {
  readonly rateBitsPerSecond?: number;
  readonly latencyNs?: number;
  readonly queuePackets?: number;
  /** Loss on the a → b direction (data when a sends). */
  readonly loseAB?: (p: Packet, index: number) => boolean;
  /** Loss on the b → a direction (ACKs when a sends). */
  readonly loseBA?: (p: Packet, index: number) => boolean;
  /** Options for both endpoints (addresses, ports, transmit and pool are filled in). */
  readonly endpoint?: Partial<Omit<TcpEndpointOptions, 'transmit' | 'pool'>>;
  readonly endpointA?: Partial<Omit<TcpEndpointOptions, 'transmit' | 'pool'>>;
  readonly endpointB?: Partial<Omit<TcpEndpointOptions, 'transmit' | 'pool'>>;
  /** Deliver with receiveBorrowed and release after it returns (as the network's socket handlers do). */
  readonly borrowed?: boolean;
}

export interface TestPipe {
  readonly a: TcpEndpoint;
  readonly b: TcpEndpoint;
  readonly ab: TestLink;
  readonly ba: TestLink;
}

/** Two connected endpoints (a = 10.0.0.1:5001, b = 10.0.0.2:5001) over a full-duplex pipe. */
export function makeTcpPipe(sim: Simulation, pool: PacketPool, options: TestPipeOptions = {}): TestPipe {
  const rate = options.rateBitsPerSecond ?? 1e9;
  const latencyNs = options.latencyNs ?? 50_000;
  const ab = new TestLink(sim, pool, {
    rateBitsPerSecond: rate,
    latencyNs,
    queuePackets: options.queuePackets,
    lose: options.loseAB,
  });
  const ba = new TestLink(sim, pool, {
    rateBitsPerSecond: rate,
    latencyNs,
    queuePackets: options.queuePackets,
    lose: options.loseBA,
  });
  const A = 0x0a000001;
  const B = 0x0a000002;
  const a = new TcpEndpoint(sim, {
    name: 'a',
    pool,
    transmit: (p) => ab.send(p),
    localAddr: A,
    localPort: 5001,
    remoteAddr: B,
    remotePort: 5001,
    ...options.endpoint,
    ...options.endpointA,
  });
  const b = new TcpEndpoint(sim, {
    name: 'b',
    pool,
    transmit: (p) => ba.send(p),
    localAddr: B,
    localPort: 5001,
    remoteAddr: A,
    remotePort: 5001,
    ...options.endpoint,
    ...options.endpointB,
  });
  if (options.borrowed === true) {
    ab.connect((p) => {
      b.receiveBorrowed(p);
      pool.release(p);
    });
    ba.connect((p) => {
      a.receiveBorrowed(p);
      pool.release(p);
    });
  } else {
    ab.connect((p) => b.receive(p));
    ba.connect((p) => a.receive(p));
  }
  return { a, b, ab, ba };
}

/** The byte at stream offset i of the test pattern. */
export function patternByte(i: number): number {
  return (i * 2654435761 + (i >>> 8)) & 0xff;
}

/**
 * Records what a receiver delivers: checks order and contiguity as it goes and keeps a checksum
 * (Fletcher-style over the pattern bytes) to compare with the expected one.
 */
export class DeliveryRecorder {
  nextOffset = 0;
  errors = 0;
  sumA = 0;
  sumB = 0;
  /** Simulated time of the last delivery. */
  lastDeliveryNs = -1;

  attach(ep: TcpEndpoint, sim: Simulation): this {
    ep.onDeliver = (offset, bytes) => {
      this.lastDeliveryNs = sim.now;
      if (offset !== this.nextOffset || bytes <= 0) this.errors++;
      for (let i = offset; i < offset + bytes; i++) {
        this.sumA = (this.sumA + patternByte(i)) % 65521;
        this.sumB = (this.sumB + this.sumA) % 65521;
      }
      this.nextOffset = offset + bytes;
    };
    return this;
  }

  static expected(totalBytes: number): { sumA: number; sumB: number } {
    let a = 0;
    let b = 0;
    for (let i = 0; i < totalBytes; i++) {
      a = (a + patternByte(i)) % 65521;
      b = (b + a) % 65521;
    }
    return { sumA: a, sumB: b };
  }
}

/** Writes `totalBytes` into `ep` as fast as its send buffer takes them, then closes it. */
export function bulkWrite(ep: TcpEndpoint, totalBytes: number): void {
  let left = totalBytes;
  const pump = (): void => {
    while (left > 0) {
      const n = ep.write(left);
      left -= n;
      if (n === 0) return;
    }
    ep.close();
  };
  ep.onWritable = pump;
  pump();
}

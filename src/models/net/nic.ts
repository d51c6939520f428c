// The physical NIC and its full-duplex link: two independent lanes, outbound (host → clients) and
// inbound (clients → host), each a bounded FIFO transmit queue in front of a serializer at the link
// rate, then a fixed latency to the far end.
//
// A lane transmits one frame at a time: a frame occupies the link for ceil(wireBytes · 8 · 10^9 / rate)
// ns (wireBytes = frame + preamble + inter-frame gap, packet.ts), so the lane never carries more than its
// rate; frames arrive at the far end `latencyNs` after their last bit left. The NIC fetches a frame from
// memory by DMA before sending it: on an idle lane the first frame waits frameBytes / dmaBytesPerS
// (later frames are fetched while the previous one is on the wire, as NICs prefetch descriptors);
// on the inbound lane the DMA into memory is added to the arrival. A frame that finds the queue full is
// refused (enqueue returns false; the caller drops it as queueFull or waits for onSpace).
// The outbound queue is the NIC's transmit ring; the inbound queue stands for the clients' NICs and the
// switch port in front of the server (assumption: one queue of the same size, shared by all clients).
// No allocation per packet: the queues are deques, the callbacks are bound once.
// Units: ns, bytes, bit/s. Defaults (NIC_DEFAULTS): calibration.ts MACHINE.nicBitsPerS (1 Gb/s, Tigon 3),
// NETWORK.mtuBytes (1500), NETWORK.linkLatencyNs (assumption), NETWORK.nicTxQueuePackets (tg3: 512),
// NETWORK.dmaBytesPerS (PCI-X 133 MHz).
import { Deque } from '../../sim/deque.js';
import type { Simulation } from '../../sim/simulation.js';
import { Signal } from '../../sim/signal.js';
import { MACHINE, NETWORK } from '../calibration.js';
import { checkInt, checkNumber } from '../validate.js';
import { HEADER_BYTES, type Packet } from './packet.js';

export const NIC_DEFAULTS = {
  rateBitsPerS: MACHINE.nicBitsPerS.value,
  mtuBytes: NETWORK.mtuBytes.value,
  latencyNs: NETWORK.linkLatencyNs.value,
  txQueuePackets: NETWORK.nicTxQueuePackets.value,
  dmaBytesPerS: NETWORK.dmaBytesPerS.value,
} as const;

export interface NicOptions {
  /** Link rate, bit/s (each direction). */
  readonly rateBitsPerS?: number;
  /** IP MTU, bytes (68 … 9000). */
  readonly mtuBytes?: number;
  /** One-way latency after serialization, ns. */
  readonly latencyNs?: number;
  /** Frames each lane's queue holds (including the one on the wire). */
  readonly txQueuePackets?: number;
  /** DMA rate between memory and the NIC, bytes/s (0 = no DMA latency). */
  readonly dmaBytesPerS?: number;
}

/** One direction of the link. */
export class LinkLane {
  readonly name: string;
  /** Frames handed to the far end so far, and their wire bytes. */
  packetsDelivered = 0;
  wireBytesDelivered = 0;
  /** Link busy time so far (serialization), ns. */
  busyNs = 0;
  /** Observation: (packet, start ns, end ns) of each serialization, before the far end sees it. */
  readonly onTransmit = new Signal<Packet, number, number>();
  /** Called when a queue slot frees (set by the producer). */
  onSpace: (() => void) | null = null;
  private readonly queue: Deque<Packet>;
  private wire = 0;
  private busy = false;
  private current: Packet | null = null;
  /** One-entry caches of serializationNs and dmaNs (a stream's frames mostly have one size); -1: empty. */
  private serBytes = -1;
  private serNs = 0;
  private dmaBytes = -1;
  private dmaNsCached = 0;

  constructor(
    private readonly sim: Simulation,
    name: string,
    readonly rateBitsPerS: number,
    readonly latencyNs: number,
    readonly capacityPackets: number,
    private readonly dmaBytesPerS: number,
    /** Addition to the latency on arrival: DMA into memory (inbound lane). */
    private readonly dmaOnArrival: boolean,
    /** The far end: receives each frame. */
    private readonly deliver: (p: Packet) => void,
  ) {
    this.name = name;
    this.queue = new Deque<Packet>(Math.min(capacityPackets, 1024));
  }

  /** Frames queued (including the one being serialized). */
  get queued(): number {
    return this.queue.length + (this.current === null ? 0 : 1);
  }

  /** Frames serialized and not yet at the far end (propagating). */
  get onWire(): number {
    return this.wire;
  }

  get space(): number {
    return this.capacityPackets - this.queued;
  }

  /** Serialization time of a frame, ns. */
  serializationNs(p: Packet): number {
    const w = p.wireBytes;
    if (w !== this.serBytes) {
      this.serNs = Math.ceil((w * 8 * 1e9) / this.rateBitsPerS);
      this.serBytes = w;
    }
    return this.serNs;
  }

  dmaNs(p: Packet): number {
    if (this.dmaBytesPerS === 0) return 0;
    const f = p.frameBytes;
    if (f !== this.dmaBytes) {
      this.dmaNsCached = Math.ceil((f * 1e9) / this.dmaBytesPerS);
      this.dmaBytes = f;
    }
    return this.dmaNsCached;
  }

  /** Queues a frame; false (nothing done) when the queue is full. */
  enqueue(p: Packet): boolean {
    if (this.queued >= this.capacityPackets) return false;
    this.queue.push(p);
    if (!this.busy) {
      this.busy = true;
      const first = this.queue.shift() as Packet;
      this.current = first;
      const dma = this.dmaOnArrival ? 0 : this.dmaNs(first);
      if (dma > 0) this.sim.schedule(dma, this.startCb, first);
      else this.start(first);
    }
    return true;
  }

  private readonly startCb = (p: Packet): void => this.start(p);

  private start(p: Packet): void {
    const t = this.serializationNs(p);
    this.busyNs += t;
    if (this.onTransmit.size > 0) this.onTransmit.emit(p, this.sim.now, this.sim.now + t, undefined);
    this.sim.schedule(t, this.sent, p);
  }

  private readonly sent = (p: Packet): void => {
    this.current = null;
    this.wire++;
    const delay = this.latencyNs + (this.dmaOnArrival ? this.dmaNs(p) : 0);
    this.sim.schedule(delay, this.arrived, p);
    const next = this.queue.shift();
    if (next !== undefined) {
      this.current = next;
      this.start(next);
    } else {
      this.busy = false;
    }
    if (this.onSpace !== null) this.onSpace();
  };

  private readonly arrived = (p: Packet): void => {
    this.wire--;
    this.packetsDelivered++;
    this.wireBytesDelivered += p.wireBytes;
    this.deliver(p);
  };
}

/** The physical NIC: its MTU and the two lanes of its link. */
export class Nic {
  readonly rateBitsPerS: number;
  readonly mtuBytes: number;
  readonly latencyNs: number;
  readonly txQueuePackets: number;
  readonly dmaBytesPerS: number;
  /** Host → clients. */
  readonly outbound: LinkLane;
  /** Clients → host. */
  readonly inbound: LinkLane;

  constructor(sim: Simulation, options: NicOptions, toClients: (p: Packet) => void, toHost: (p: Packet) => void) {
    const where = 'Nic';
    const d = NIC_DEFAULTS;
    this.rateBitsPerS = checkNumber(where, 'rateBitsPerS', options.rateBitsPerS ?? d.rateBitsPerS, 1e3, 1e12);
    this.mtuBytes = checkInt(where, 'mtuBytes', options.mtuBytes ?? d.mtuBytes, 68, 9000);
    this.latencyNs = checkInt(where, 'latencyNs', options.latencyNs ?? d.latencyNs, 0);
    this.txQueuePackets = checkInt(where, 'txQueuePackets', options.txQueuePackets ?? d.txQueuePackets, 1, 1 << 20);
    this.dmaBytesPerS = checkNumber(where, 'dmaBytesPerS', options.dmaBytesPerS ?? d.dmaBytesPerS, 0, 1e12);
    this.outbound = new LinkLane(
      sim,
      'outbound',
      this.rateBitsPerS,
      this.latencyNs,
      this.txQueuePackets,
      this.dmaBytesPerS,
      false,
      toClients,
    );
    this.inbound = new LinkLane(
      sim,
      'inbound',
      this.rateBitsPerS,
      this.latencyNs,
      this.txQueuePackets,
      this.dmaBytesPerS,
      true,
      toHost,
    );
  }

  /** Largest payload of a `protocol` packet under this MTU, bytes. */
  maxPayloadBytes(transportHeaderBytes: number): number {
    return this.mtuBytes - HEADER_BYTES.ipv4 - transportHeaderBytes;
  }

  /** The most IP-payload bits per second the link carries for full-size packets (goodput ceiling). */
  goodputBitsPerS(transportHeaderBytes: number): number {
    const payload = this.maxPayloadBytes(transportHeaderBytes);
    const wire =
      this.mtuBytes +
      HEADER_BYTES.ethernet +
      HEADER_BYTES.ethernetFcs +
      HEADER_BYTES.ethernetPreamble +
      HEADER_BYTES.ethernetInterFrameGap;
    return (this.rateBitsPerS * payload) / wire;
  }
}

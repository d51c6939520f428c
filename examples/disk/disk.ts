// examples/disk/disk.ts — the model: a disk with a FIFO queue behind a descriptor ring.
// A client puts read requests on an IoRing (its backlog holds what does not fit); the disk back end
// takes them one at a time in ring order (the ring is the FIFO queue) and serves each for an
// exponential time, then answers on the same ring. Both sides drain with RingConsumer, and a push that
// notifies kicks the other side (notifications are free here: no host, no event channel). Units: ns.
import { Deque, Tally, type Rng, type Simulation } from 'hvsim';
import { IoRing, RingConsumer } from 'hvsim/models';

interface Io {
  readonly id: number;
  readonly arrivedAtNs: number;
}

export class RingDisk {
  readonly ring: IoRing<Io, Io>;
  /** Arrival → response taken by the client, ns (only while `measuring`). */
  readonly latency = new Tally();
  busyNs = 0;
  measuring = false;
  private readonly backlog = new Deque<number>();
  private readonly disk: RingConsumer<Io>;
  private readonly client: RingConsumer<Io>;
  private nextId = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly service: Rng,
    private readonly serviceMeanNs: number,
    ringSizeEntries: number,
  ) {
    const every1 = { everyItems: 1, holdOffNs: null };
    this.ring = new IoRing<Io, Io>(sim, { name: 'disk', sizeEntries: ringSizeEntries, requestNotify: every1, responseNotify: every1 });
    const ring = this.ring;
    this.disk = new RingConsumer({ take: () => ring.takeRequest(), finalCheck: () => ring.finalCheckForRequests() }, (io) => this.serve(io));
    this.client = new RingConsumer({ take: () => ring.takeResponse(), finalCheck: () => ring.finalCheckForResponses() }, (io) => this.complete(io));
    this.disk.kick(); // idle: arm the event indexes
    this.client.kick();
  }

  /** A request arrives at the client. */
  arrive(): void {
    this.backlog.push(this.sim.now);
    this.issue();
  }

  private issue(): void {
    while (this.backlog.length > 0 && !this.ring.full) {
      if (this.ring.submitRequest({ id: this.nextId++, arrivedAtNs: this.backlog.shift() as number })) this.disk.kick();
    }
  }

  private serve(io: Io): void {
    const ns = Math.max(1, Math.round(this.service.exponential(this.serviceMeanNs)));
    if (this.measuring) this.busyNs += ns;
    this.sim.schedule(ns, () => {
      if (this.ring.submitResponse(io)) this.client.kick();
      this.disk.done();
    });
  }

  private complete(io: Io): void {
    if (this.measuring) this.latency.add(this.sim.now - io.arrivedAtNs);
    this.client.done(); // frees a ring slot: let the backlog in
    this.issue();
  }
}

// The consumer side of a ring, written once: one item at a time, the drain loop of ring.h's consumers.
// kick() (on a notification, or when the consumer becomes free): unless busy, take the next item and
// hand it to the handler; when none is left, do the final check (RING_FINAL_CHECK_FOR_REQUESTS /
// _RESPONSES: re-arm the event index, then look once more) and go idle only if it finds nothing. The
// handler processes its item (e.g. a CPU demand on the consumer's vCPU) and calls done() when finished,
// which frees the consumer and drains on. A back end (block, net) supplies take, finalCheck and the
// handler; it writes no loop of its own. No allocation per item.
//
// release() and kick() are done() in two halves, for handlers that must free the consumer, do other
// work (e.g. let the next request in), and only then drain on. A handler that calls done() at once
// (in the same call) recurses once per item: give it a CPU demand or an event to wait for.

export interface RingConsumerSide<T> {
  /** The next item, or undefined when none is waiting (ring.takeRequest / takeResponse). */
  take(): T | undefined;
  /** Re-arms the event index; true if items arrived meanwhile (ring.finalCheckForRequests / …Responses). */
  finalCheck(): boolean;
}

export class RingConsumer<T> {
  private busyFlag = false;

  constructor(
    private readonly side: RingConsumerSide<T>,
    /** Starts processing one item; must call consumer.done() (or release() then kick()) when finished. */
    private readonly handle: (item: T) => void,
  ) {}

  /** True while an item is being processed. */
  get busy(): boolean {
    return this.busyFlag;
  }

  /** Takes the next item if free; idles only after a final check that finds nothing. */
  kick(): void {
    if (this.busyFlag) return;
    for (;;) {
      const item = this.side.take();
      if (item !== undefined) {
        this.busyFlag = true;
        this.handle(item);
        return;
      }
      if (!this.side.finalCheck()) return; // re-armed: idle until notified
    }
  }

  /** Frees the consumer (the current item is finished) without draining on. */
  release(): void {
    this.busyFlag = false;
  }

  /** The current item is finished: free the consumer and take the next one. */
  done(): void {
    this.busyFlag = false;
    this.kick();
  }
}

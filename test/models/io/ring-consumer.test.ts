// RingConsumer: the consumer's drain loop over a real IoRing. One item at a time in ring order; the
// consumer idles only after a final check that finds nothing, and is then woken by exactly the
// notifications ring.h's event-index protocol sends (k = 2: the 2nd item pushed while it is idle;
// none while it is busy, because it finds new items itself).
import { describe, expect, it } from 'vitest';
import { IoRing } from '../../../src/models/io/ring.js';
import { RingConsumer } from '../../../src/models/io/ring-consumer.js';
import { Simulation } from '../../../src/sim/simulation.js';

interface Item {
  readonly id: number;
}

describe('RingConsumer', () => {
  it('drains in order, one at a time, and re-arms when idle', () => {
    const sim = new Simulation();
    const ring = new IoRing<Item, Item>(sim, {
      name: 't',
      sizeEntries: 8,
      requestNotify: { everyItems: 2, holdOffNs: null },
      responseNotify: { everyItems: 1, holdOffNs: null },
    });
    const seen: number[] = [];
    let inHand = 0;
    let maxInHand = 0;
    const consumer: RingConsumer<Item> = new RingConsumer(
      { take: () => ring.takeRequest(), finalCheck: () => ring.finalCheckForRequests() },
      (item) => {
        seen.push(item.id);
        inHand++;
        maxInHand = Math.max(maxInHand, inHand);
        sim.schedule(10, () => {
          inHand--;
          ring.submitResponse(item);
          consumer.done();
        });
      },
    );
    let notifies = 0;
    const push = (id: number): void => {
      if (ring.submitRequest({ id })) {
        notifies++;
        consumer.kick();
      }
    };
    consumer.kick(); // idle at start: final check finds nothing and re-arms
    expect(consumer.busy).toBe(false);
    for (let i = 0; i < 4; i++) push(i); // k = 2: the 2nd push notifies; the consumer is busy after it
    expect(notifies).toBe(1);
    sim.run(1_000);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(maxInHand).toBe(1);
    expect(consumer.busy).toBe(false);
    // idle and re-armed 2 ahead: one more push does not notify, the second does
    push(4);
    expect(notifies).toBe(1);
    push(5);
    expect(notifies).toBe(2);
    sim.run(2_000);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

// A ring connected to an event channel: each notification is a send by the producing domain (it pays
// the hypercall), delivered on the consumer's port (it pays the upcall), counted on both sides;
// hold-off notifications are sent by the producer too.
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL_DEFAULTS, EventChannels } from '../../../src/models/events/event-channels.js';
import { connectRing } from '../../../src/models/io/ring-channel.js';
import { IoRing, type RingItem } from '../../../src/models/io/ring.js';
import { testHost } from '../events/helpers.js';

const H = EVENT_CHANNEL_DEFAULTS.hypercallNs;
const U = EVENT_CHANNEL_DEFAULTS.upcallNs;

describe('connectRing', () => {
  it('routes request notifications front → back and responses back → front, charging the producer', () => {
    const { sim, host, a: front, b: back } = testHost({ cpus: 2 });
    const ch = new EventChannels(host);
    const ring = new IoRing<RingItem, RingItem>(sim, {
      name: 'blk',
      sizeEntries: 64,
      responseNotify: { everyItems: 2, holdOffNs: 10_000 },
    });
    const conn = connectRing(ring, ch, front, back);
    const log: string[] = [];
    ch.onEvent(back, conn.backPort, () => {
      // back end: answer everything at once, then re-arm
      do {
        for (let q = ring.takeRequest(); q !== undefined; q = ring.takeRequest()) ring.putResponse({ id: q.id });
      } while (ring.finalCheckForRequests());
      log.push(`${sim.now} back pushes`);
      ring.pushResponses();
    });
    ch.onEvent(front, conn.frontPort, () => {
      let n = 0;
      do {
        while (ring.takeResponse() !== undefined) n++;
      } while (ring.finalCheckForResponses());
      log.push(`${sim.now} front got ${n}`);
    });
    ring.submitRequest({ id: 1 }); // k = 1 on requests: notifies
    sim.scheduleAt(10_000, () => ring.submitRequest({ id: 2 }));
    sim.run(1_000_000);
    // 1st exchange: front's hypercall 0..450, back's upcall 450..1740 → the response passes the initial
    // rsp_event = 1 (SHARED_RING_INIT) and notifies at once: back's hypercall 1740..2190, front's
    // upcall 2190..3480; the front re-arms rsp_event = 1 + 2 = 3.
    // 2nd exchange at 10 µs: back pushes at 10 000 + H + U = 11 740 one response, below k = 2: the
    // back's hold-off timer fires at 21 740, the back sends (450) and the front's upcall (1290) ends
    // at 23 480.
    expect(log).toEqual([
      `${H + U} back pushes`,
      `${2 * (H + U)} front got 1`,
      `${10_000 + H + U} back pushes`,
      `${10_000 + H + U + 10_000 + H + U} front got 1`,
    ]);
    expect(ch.counts(front)).toMatchObject({ hypercalls: 2, upcalls: 2 });
    expect(ch.counts(back)).toMatchObject({ hypercalls: 2, upcalls: 2 });
    expect(ring.counts).toMatchObject({ requestNotifies: 2, responseNotifies: 2, responseHoldOffNotifies: 1 });
    expect(front.busyNs).toBe(2 * (H + U));
    expect(back.busyNs).toBe(2 * (U + H));
  });
});

// Property test of the back end's transmit round robin (fast-check, seeded in test/setup.ts): VIFs with
// random backlogs and random packet sizes are all on their rings while the slow link sends the first
// packet; from then on the back end must serve one packet per VIF per turn, so any two VIFs that both
// still have packets never differ by more than one in packets served (from the second frame on), every packet leaves exactly once, in
// each VIF's own order, and the counts per VIF equal the backlogs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Protocol } from '../../../src/models/net/packet.js';
import { clientAddr, makeNet } from './helpers.js';

describe('transmit round robin (property)', () => {
  it('one packet per VIF per turn, whatever the backlogs and sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 1472 }), { minLength: 0, maxLength: 30 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (backlogs) => {
          // a 1 Mb/s link with room for one frame: the first frame takes ≥ 0.5 ms on the wire, long after
          // every guest's packets are on its ring (each costs the guest a few µs of CPU)
          const { sim, net, guests } = makeNet({
            guests: backlogs.length,
            net: { nic: { rateBitsPerS: 1e6, txQueuePackets: 1 } },
          });
          const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
          const order: number[] = [];
          const seqs: number[] = [];
          net.nic.outbound.onTransmit.add((p) => {
            order.push(guests.findIndex((g) => net.endpoint(g.id).addr === p.srcAddr));
            seqs.push(p.tag);
          });
          c.onReceive = () => undefined;
          backlogs.forEach((sizes, i) => {
            const ep = net.endpoint(guests[i]!.id);
            sizes.forEach((bytes, k) => {
              const p = ep.newPacket(Protocol.udp);
              p.dstAddr = c.addr;
              p.dstPort = 9;
              p.payloadBytes = bytes;
              p.tag = k;
              ep.send(p);
            });
          });
          sim.run(2_000_000_000);
          net.checkConservation();
          const total = backlogs.reduce((a, b) => a + b.length, 0);
          expect(order).toHaveLength(total);
          expect(net.counters.delivered).toBe(total);
          const sent = backlogs.map(() => 0);
          // counted from the second frame: the first left before the other VIFs were on their rings
          const served = backlogs.map(() => 0);
          for (let j = 0; j < order.length; j++) {
            const v = order[j]!;
            expect(seqs[j]).toBe(sent[v]); // each VIF's packets in its own order
            sent[v]!++;
            if (j === 0) continue;
            served[v]!++;
            for (let a = 0; a < sent.length; a++)
              for (let b = 0; b < sent.length; b++) {
                const aPending = sent[a]! < backlogs[a]!.length;
                const bPending = sent[b]! < backlogs[b]!.length;
                if (aPending && bPending) expect(Math.abs(served[a]! - served[b]!)).toBeLessThanOrEqual(1);
              }
          }
          expect(sent).toEqual(backlogs.map((b) => b.length));
        },
      ),
      { numRuns: 40 },
    );
  });
});

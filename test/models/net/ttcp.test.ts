// The ttcp workload over the test pipe: byte counts, write calls, and the reported rates against the
// link's goodput limit (clean link) and against a receiver CPU bound (per-packet/per-byte arithmetic).
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/index.js';
import { PacketPool } from '../../../src/models/net/packet.js';
import { FifoCpu, tcpGoodputLimitBps } from '../../../src/models/net/tcp.js';
import { Ttcp } from '../../../src/models/net/ttcp.js';
import { makeTcpPipe } from './tcp-pipe.js';

describe('ttcp', () => {
  it('moves N bytes in writes of 8192 and reports a rate within 5% of the link goodput limit', () => {
    const sim = new Simulation();
    const pool = new PacketPool();
    const { a, b } = makeTcpPipe(sim, pool);
    const total = 20_000_000;
    const t = new Ttcp(sim, a, b, { totalBytes: total });
    let calls = 0;
    t.onDone = () => calls++;
    t.start();
    sim.run();
    const r = t.result!;
    expect(calls).toBe(1);
    expect(r.bytes).toBe(total);
    expect(t.bytesReceived).toBe(total);
    expect(r.writeCalls).toBe(Math.ceil(total / 8192));
    const limitMbps = tcpGoodputLimitBps(1e9, 1500) / 1e6;
    expect(r.receiveMbps).toBeLessThanOrEqual(limitMbps);
    expect(r.receiveMbps).toBeGreaterThan(0.95 * limitMbps);
    expect(r.transmitMbps).toBeLessThanOrEqual(r.receiveMbps);
    expect(r.senderDoneNs).toBeGreaterThan(r.receiverDoneNs);
    expect(r.receiveMbps).toBeCloseTo((total * 8 * 1e3) / (r.receiverDoneNs - r.startNs), 9);
    expect(pool.inUse).toBe(0);
  });

  it('reports the CPU-bound rate when the receiver CPU is the bottleneck, lower at a smaller MTU', () => {
    const rates: number[] = [];
    for (const mtu of [1500, 500]) {
      const sim = new Simulation();
      const pool = new PacketPool();
      const costs = { txPacketNs: 0, txByteNs: 0, rxPacketNs: 20_000, rxByteNs: 2 };
      const { a, b } = makeTcpPipe(sim, pool, {
        endpoint: { mtuBytes: mtu },
        endpointB: { cpu: new FifoCpu(sim), costs },
      });
      const t = new Ttcp(sim, a, b, { totalBytes: 4_000_000, writeBytes: 1000 });
      t.start();
      sim.run();
      const mss = mtu - 40;
      const boundMbps = (mss * 8 * 1e3) / (costs.rxPacketNs + mss * costs.rxByteNs);
      expect(t.result!.receiveMbps / boundMbps).toBeGreaterThan(0.97);
      expect(t.result!.receiveMbps / boundMbps).toBeLessThanOrEqual(1.0001);
      rates.push(t.result!.receiveMbps);
    }
    expect(rates[1]!).toBeLessThan(rates[0]! / 2);
  });

  it('refuses bad options', () => {
    const sim = new Simulation();
    const { a, b } = makeTcpPipe(sim, new PacketPool());
    expect(() => new Ttcp(sim, a, b, { totalBytes: 0 })).toThrow('Ttcp: totalBytes must be an integer >= 1, got 0');
    expect(() => new Ttcp(sim, a, a, { totalBytes: 10 })).toThrow(/Ttcp: receiver must be an endpoint other than/);
  });
});

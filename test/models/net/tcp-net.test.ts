// TCP through the network's data path (tcp-net.ts over network.ts): a guest domain's TCP endpoint ↔
// its VIF's rings ↔ the back end and the VFR ↔ the NIC and link ↔ a client machine. Checked: byte-exact
// delivery in both directions, goodput against the link's limit less header overhead, packet
// conservation (network.checkConservation) and the pool, recovery when the guest posts too few receive
// buffers (drops counted as noRxBuffer, repaired by TCP), and TCP protocol costs charged on the vCPU.
import { describe, expect, it } from 'vitest';
import { DropReason } from '../../../src/models/net/packet.js';
import { tcpGoodputLimitBps } from '../../../src/models/net/tcp.js';
import { connectTcp, VcpuTcpCpu, TTCP_PORT } from '../../../src/models/net/tcp-net.js';
import { Ttcp } from '../../../src/models/net/ttcp.js';
import { clientAddr, makeNet } from './helpers.js';
import { DeliveryRecorder } from './tcp-pipe.js';

function setup(opts: Parameters<typeof makeNet>[0] = {}) {
  const s = makeNet(opts);
  const guest = s.net.endpoint(s.guests[0]!.id);
  const client = s.net.addRemoteHost({ name: 'client', addr: clientAddr(1) });
  return { ...s, guest, client };
}

describe('TCP through VIF, VFR and NIC', () => {
  for (const dir of ['guest transmits', 'guest receives'] as const)
    it(`${dir}: 8 MB byte-exact, within 5% of the link goodput limit, packets conserved`, () => {
      const { sim, net, guest, client } = setup();
      const conn = dir === 'guest transmits' ? connectTcp(sim, guest, client) : connectTcp(sim, client, guest);
      expect(conn.serverPort).toBe(TTCP_PORT);
      const rec = new DeliveryRecorder().attach(conn.server, sim);
      const total = 8_000_000;
      const t = new Ttcp(sim, conn.client, conn.server, { totalBytes: total });
      t.start();
      sim.run(2e9);
      expect(rec.errors).toBe(0);
      expect(rec.nextOffset).toBe(total);
      const want = DeliveryRecorder.expected(total);
      expect([rec.sumA, rec.sumB]).toEqual([want.sumA, want.sumB]);
      const limitMbps = tcpGoodputLimitBps(1e9, 1500) / 1e6;
      expect(t.result!.receiveMbps).toBeLessThanOrEqual(limitMbps);
      expect(t.result!.receiveMbps).toBeGreaterThan(0.95 * limitMbps);
      expect(conn.client.stats.retransmits).toBe(0);
      net.checkConservation();
      expect(net.counters.sent).toBe(net.counters.delivered + net.droppedTotal + net.inFlight);
      expect(net.pool.inUse).toBe(net.inFlight);
    });

  it('a slow guest with too few receive buffers: drops counted as noRxBuffer, TCP repairs them, exact', () => {
    // The hosted profile's per-packet cost (about 46 µs) is far above a frame's 12 µs on the wire: a
    // burst overruns 4 posted buffers.
    const { sim, net, guest, client } = setup({
      net: { guest: { profile: 'hosted', rxBuffers: 4, rxRepostBatch: 1 } },
    });
    const conn = connectTcp(sim, client, guest);
    const rec = new DeliveryRecorder().attach(conn.server, sim);
    const total = 3_000_000;
    const t = new Ttcp(sim, conn.client, conn.server, { totalBytes: total });
    t.start();
    sim.run(30e9);
    expect(net.counters.dropped[DropReason.noRxBuffer]).toBeGreaterThan(0);
    expect(conn.client.stats.retransmits).toBeGreaterThan(0);
    expect(rec.errors).toBe(0);
    expect(rec.nextOffset).toBe(total);
    expect(t.result).not.toBeNull();
    net.checkConservation();
  });

  it('link loss both ways (the network lossFilter): counted as linkLoss, repaired by TCP, delivery exact', () => {
    for (const guestSends of [true, false]) {
      const { sim, net, guest, client } = setup();
      let n = 0;
      net.lossFilter = () => ++n % 97 === 0; // every 97th frame off the link, either lane
      const conn = guestSends ? connectTcp(sim, guest, client) : connectTcp(sim, client, guest);
      const rec = new DeliveryRecorder().attach(conn.server, sim);
      const t = new Ttcp(sim, conn.client, conn.server, { totalBytes: 4_000_000 });
      t.start();
      sim.run(60e9);
      expect(net.counters.dropped[DropReason.linkLoss]).toBeGreaterThan(20);
      expect(conn.client.stats.retransmits).toBeGreaterThan(0);
      expect(rec.errors).toBe(0);
      expect(rec.nextOffset).toBe(4_000_000);
      expect(t.result).not.toBeNull();
      net.checkConservation();
    }
  });

  it("TCP protocol costs on the guest's vCPU make a CPU-bound stream slower and keep it exact", () => {
    const rates: number[] = [];
    for (const tcpPacketNs of [0, 20_000]) {
      const { sim, net, host, guests, guest, client } = setup();
      const vcpu = host.domain(guests[0]!.id).vcpus[0]!;
      const costs = { txPacketNs: tcpPacketNs, rxPacketNs: tcpPacketNs, txByteNs: 0, rxByteNs: 0 };
      const side = tcpPacketNs === 0 ? {} : { cpu: new VcpuTcpCpu(vcpu), costs };
      const conn = connectTcp(sim, guest, client, { client: side });
      const rec = new DeliveryRecorder().attach(conn.server, sim);
      const t = new Ttcp(sim, conn.client, conn.server, { totalBytes: 2_000_000 });
      t.start();
      sim.run(5e9);
      expect(rec.nextOffset).toBe(2_000_000);
      expect(rec.errors).toBe(0);
      rates.push(t.result!.receiveMbps);
      net.checkConservation();
    }
    // 20 µs per data segment and per ACK pair share: at most 1460 B / 20 µs = 584 Mb/s.
    expect(rates[1]!).toBeLessThan(((1460 * 8) / 20_000) * 1e3);
    expect(rates[1]!).toBeLessThan(rates[0]! * 0.7);
  });

  it('with the handshake: SYN, SYN-ACK and ACK cross the path first (one round trip later), then exact', () => {
    const firstByte: number[] = [];
    for (const handshake of [false, true]) {
      const { sim, net, guest, client } = setup();
      const conn = connectTcp(sim, client, guest, { handshake });
      expect(conn.client.state).toBe(handshake ? 'synSent' : 'established');
      const rec = new DeliveryRecorder().attach(conn.server, sim);
      const t = new Ttcp(sim, conn.client, conn.server, { totalBytes: 1_000_000 });
      t.start();
      sim.run(1e9);
      expect([conn.client.state, conn.server.state]).toEqual(['established', 'established']);
      expect(rec.nextOffset).toBe(1_000_000);
      expect(rec.errors).toBe(0);
      net.checkConservation();
      firstByte.push(t.result!.firstByteNs);
    }
    // At least two more link crossings (SYN there, SYN-ACK back: 5 µs latency each, calibration NETWORK).
    expect(firstByte[1]! - firstByte[0]!).toBeGreaterThan(10_000);
  });

  it('refuses a connection to itself', () => {
    const { sim, guest } = setup();
    expect(() => connectTcp(sim, guest, guest)).toThrow(/connectTcp: server must be an endpoint other than the client/);
  });
});

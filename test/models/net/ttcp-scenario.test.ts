// The Table 4 ttcp scenario (ttcp-scenario.ts): deterministic, link-bound for xen at MTU 1500 (within 5%
// of the link's goodput limit), CPU-bound for the hosted profile (its server CPU saturated and its rate
// far below the link), full-virt bounded by its Table 3 per-packet CPU (emulated NIC host round trip
// included), a CPU-bound cell bounded by the fitted bulk-TCP costs (calibration.ts NET_COSTS),
// the same bytes cost more CPU at MTU 500, and bad options refused.
import { describe, expect, it } from 'vitest';
import { tcpGoodputLimitBps } from '../../../src/models/net/tcp.js';
import { BULK_TCP_GUEST_COSTS, runTtcpCell } from '../../../src/models/net/ttcp-scenario.js';

const MB = 1024 * 1024;

describe('ttcp scenario (Table 4 setup)', () => {
  it('is deterministic: the same cell twice gives the same numbers', () => {
    const a = runTtcpCell({ profile: 'xen', direction: 'receive', mtuBytes: 500, totalBytes: MB });
    const b = runTtcpCell({ profile: 'xen', direction: 'receive', mtuBytes: 500, totalBytes: MB });
    expect(b).toEqual(a);
  });

  it('xen at MTU 1500 is link-bound in both directions (within 5% of the goodput limit)', () => {
    const limit = tcpGoodputLimitBps(1e9, 1500) / 1e6;
    for (const direction of ['transmit', 'receive'] as const) {
      const r = runTtcpCell({ profile: 'xen', direction, mtuBytes: 1500, totalBytes: 4 * MB });
      expect(r.mbps).toBeLessThanOrEqual(limit);
      expect(r.mbps).toBeGreaterThan(0.95 * limit);
      expect(r.serverCpuShare).toBeLessThan(0.9);
      expect(r.retransmits).toBe(0);
    }
  });

  it('hosted is CPU-bound: the server CPU saturated and the rate far below the link', () => {
    const r = runTtcpCell({ profile: 'hosted', direction: 'transmit', mtuBytes: 1500, totalBytes: 2 * MB });
    expect(r.serverCpuShare).toBeGreaterThan(0.95);
    expect(r.mbps).toBeLessThan(0.5 * (tcpGoodputLimitBps(1e9, 1500) / 1e6));
  });

  it("full-virt pays its emulated NIC's host round trip: CPU-bound below the per-segment CPU bound", () => {
    // Per data segment at least: netPacket (0.83 + 3.90 µs Table 3 VMware + 22.7 µs · 733/2400) + one copy of
    // the 1460-byte payload (1 ns/byte), and half an ACK's netPacket (delayed ACKs, every second segment).
    const netPacketNs = 830 + 3900 + (22_700 * 733) / 2400;
    const perSegmentNs = netPacketNs + 1460 + netPacketNs / 2;
    const boundMbps = (1460 * 8) / perSegmentNs / 1e-3;
    const r = runTtcpCell({
      profile: 'full-virt',
      direction: 'transmit',
      mtuBytes: 1500,
      totalBytes: 2 * MB,
      table3Costs: true,
    });
    expect(r.serverCpuShare).toBeGreaterThan(0.95);
    expect(r.mbps).toBeLessThanOrEqual(boundMbps);
    expect(r.mbps).toBeGreaterThan(0.6 * boundMbps);
  });

  it('with the fitted bulk-TCP costs, a CPU-bound cell stays below its per-segment CPU bound', () => {
    // hosted transmit at MTU 500: per data segment at least the fitted per-packet cost and per-byte cost of
    // the 460-byte payload, plus half an ACK's per-packet cost (delayed ACKs); the back end and the upcalls
    // add more, so the rate is below the bound but not far below it.
    const c = BULK_TCP_GUEST_COSTS.hosted.transmit;
    const perSegmentNs = c.perPacketNs + 460 * c.copyNsPerByte + c.perPacketNs / 2;
    const boundMbps = (460 * 8) / perSegmentNs / 1e-3;
    const r = runTtcpCell({ profile: 'hosted', direction: 'transmit', mtuBytes: 500, totalBytes: MB });
    expect(r.serverCpuShare).toBeGreaterThan(0.95);
    expect(r.mbps).toBeLessThanOrEqual(boundMbps);
    expect(r.mbps).toBeGreaterThan(0.6 * boundMbps);
    // The override replaces the fitted costs: a dearer packet is slower.
    const dear = runTtcpCell({
      profile: 'hosted',
      direction: 'transmit',
      mtuBytes: 500,
      totalBytes: MB,
      guest: { perPacketNs: 2 * c.perPacketNs },
    });
    expect(dear.mbps).toBeLessThan(0.75 * r.mbps);
  });

  it('a smaller MTU costs more CPU per byte: native at MTU 500 is slower than at 1500 and busier', () => {
    const big = runTtcpCell({ profile: 'native', direction: 'transmit', mtuBytes: 1500, totalBytes: 2 * MB });
    const small = runTtcpCell({ profile: 'native', direction: 'transmit', mtuBytes: 500, totalBytes: 2 * MB });
    expect(small.mbps).toBeLessThan(big.mbps);
    expect(small.serverCpuShare).toBeGreaterThan(big.serverCpuShare);
  });

  it('refuses bad options', () => {
    expect(() =>
      runTtcpCell({ profile: 'xen', direction: 'sideways' as 'receive', mtuBytes: 1500, totalBytes: MB }),
    ).toThrow(/runTtcpCell: direction must be one of/);
    expect(() =>
      runTtcpCell({ profile: 'xen', direction: 'receive', mtuBytes: 1500, totalBytes: MB, limitNs: 1000 }),
    ).toThrow(/transfer not finished after 1000 ns/);
  });
});

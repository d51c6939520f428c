// Who pays the CPU in backend-placement (experiments/backend-placement): with the back end in the
// hypervisor the transmitting guest pays more CPU than with it in dom0 for the same bytes. The test shows
// the mechanism is the ring notifications, not an accounting error: the guest's CPU is its network path
// (per-packet and per-byte costs, the same in both placements for the same packets) plus its event-channel
// costs (hypercalls × hypercallNs + upcalls × upcallNs, counted by the event-channel model), and the
// difference between the placements is the difference of those notification costs. A back end in the
// hypervisor runs each packet at once (a softirq preempting the guest), so its rings are always re-armed:
// every transmit push notifies (a hypercall) and every response is a separate upcall. A back end in dom0
// waits to be scheduled, finds several packets per notification, and its responses arrive in bursts that
// one upcall delivers.
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL_DEFAULTS } from '../../src/models/events/event-channels.js';
import type { Domain } from '../../src/models/host/domain.js';
import type { NetEndpoint } from '../../src/models/net/endpoint.js';
import { ipv4 } from '../../src/models/net/packet.js';
import { connectTcp } from '../../src/models/net/tcp-net.js';
import { Ttcp } from '../../src/models/net/ttcp.js';
import { WebHost } from '../../src/models/net/web-host.js';

const H = EVENT_CHANNEL_DEFAULTS.hypercallNs;
const U = EVENT_CHANNEL_DEFAULTS.upcallNs;

function bulk(placement: 'hypervisor' | 'dom0') {
  const wh = new WebHost({ seed: 3, backendPlacement: placement, guest: { profile: 'xen' } });
  const d: Domain = wh.addDomain('guest1', ipv4('10.0.0.1'));
  const ep = wh.net.endpoint(d.id);
  const conn = connectTcp(wh.sim, ep, wh.clients[0] as NetEndpoint, {});
  const t = new Ttcp(wh.sim, conn.client, conn.server, { totalBytes: 1e15 });
  t.start();
  let net0 = 0;
  let busy0 = 0;
  let ev0 = { hypercalls: 0, upcalls: 0 };
  let bytes0 = 0;
  const ch = wh.channels!;
  const cpu = wh.run(30_000_000, 100_000_000, () => {
    net0 = ep.cpuNs;
    busy0 = d.busyNs;
    const c = ch.counts(d);
    ev0 = { hypercalls: c.hypercalls, upcalls: c.upcalls };
    bytes0 = t.bytesReceived;
  });
  const c = ch.counts(d);
  const hypercalls = c.hypercalls - ev0.hypercalls;
  const upcalls = c.upcalls - ev0.upcalls;
  return {
    cpu,
    guestNs: d.busyNs - busy0,
    netPathNs: ep.cpuNs - net0,
    notifyNs: hypercalls * H + upcalls * U,
    bytes: t.bytesReceived - bytes0,
  };
}

describe('backend-placement: who pays the CPU', () => {
  it('the guest pays its network path plus its notifications; the placements differ by the notifications', () => {
    const hv = bulk('hypervisor');
    const d0 = bulk('dom0');
    // the link is the limit in both: the same bytes, so the same network-path CPU (within 1%)
    expect(Math.abs(hv.bytes - d0.bytes) / d0.bytes).toBeLessThan(0.01);
    expect(Math.abs(hv.netPathNs - d0.netPathNs) / d0.netPathNs).toBeLessThan(0.01);
    for (const r of [hv, d0]) {
      // guest CPU = network path + notifications (+ the timer tick's few µs, and demands cut by the window's edges)
      const explained = r.netPathNs + r.notifyNs;
      expect(Math.abs(r.guestNs - explained) / r.guestNs).toBeLessThan(0.01);
    }
    // the gap between the placements (≈ 15 points of the CPU) is the notification costs' gap
    const gap = hv.guestNs - d0.guestNs;
    expect(gap / hv.cpu.spanNs).toBeGreaterThan(0.1);
    expect(Math.abs(gap - (hv.notifyNs - d0.notifyNs)) / gap).toBeLessThan(0.05);
  });
});

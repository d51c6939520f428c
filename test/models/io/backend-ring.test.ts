// Back ends in the hypervisor (Xen 1.0) or in domain 0 (Xen 2.0 split drivers): one request/response
// exchange over connectBackendRing under both placements, with hand-computed times, who pays the CPU
// (the guest, dom0 or the hypervisor), and that a hypervisor/device producer wakes no domain but the
// consumer.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/index.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { RoundRobinScheduler } from '../../../src/models/cpu/round-robin.js';
import { EVENT_CHANNEL_DEFAULTS, EventChannels, PortKind } from '../../../src/models/events/event-channels.js';
import type { BackendPlacement } from '../../../src/models/host/backend.js';
import { Host } from '../../../src/models/host/host.js';
import { connectBackendRing } from '../../../src/models/io/ring-channel.js';
import { IoRing, type RingItem } from '../../../src/models/io/ring.js';

const H = EVENT_CHANNEL_DEFAULTS.hypercallNs;
const U = EVENT_CHANNEL_DEFAULTS.upcallNs;
const W = 10_000; // back-end work per request, ns (test value)

function exchange(placement: BackendPlacement) {
  const sim = new Simulation();
  const host = new Host(sim, {
    timerTickNs: 0,
    contextSwitch: ContextSwitchModel.free(),
    scheduler: new RoundRobinScheduler(),
    backendPlacement: placement,
    controlCosts: {
      createDomainCostNs: 0,
      destroyDomainCostNs: 0,
      setSchedParamsCostNs: 0,
      setMemoryTargetCostNs: 0,
      attachDeviceCostNs: 0,
    },
  });
  const guest = host.control.createDomain({ name: 'guest' });
  const ch = new EventChannels(host);
  const ring = new IoRing<RingItem, RingItem>(sim, { name: 'vbd', sizeEntries: 32 });
  const wakes: string[] = [];
  host.onWake.add((v, now) => wakes.push(`${now} ${v.domain.name}`));
  const conn = connectBackendRing(ring, ch, host, guest, () => {
    for (let q = ring.takeRequest(); q !== undefined; q = ring.takeRequest()) {
      const id = q.id;
      host.backendWork(W).addCallback(() => ring.submitResponse({ id }));
    }
    ring.finalCheckForRequests();
  });
  let gotAt = -1;
  ch.onEvent(guest, conn.guestPort, () => {
    while (ring.takeResponse() !== undefined) gotAt = sim.now;
    ring.finalCheckForResponses();
  });
  ring.submitRequest({ id: 7 });
  sim.run(1_000_000);
  const acc = host.checkConservation();
  return { host, guest, ch, conn, gotAt, wakes, acc };
}

describe('connectBackendRing and host.backendWork', () => {
  it("'hypervisor': the guest pays hypercall + upcall, the hypervisor the back-end work; dom0 is never woken", () => {
    const { host, guest, ch, conn, gotAt, wakes, acc } = exchange('hypervisor');
    expect(conn.placement).toBe('hypervisor');
    expect(ch.portKind(guest, conn.guestPort)).toBe(PortKind.device);
    // hypercall 0..H, back end (softirq on CPU 0) H..H+W, the device raises the port: upcall ..+U
    expect(gotAt).toBe(H + W + U);
    expect(guest.busyNs).toBe(H + U);
    expect(host.dom0.busyNs).toBe(0);
    expect(acc.hypervisorNs).toBe(W);
    // the softirq interrupts the guest right after its hypercall (before it blocks), so the response's
    // upcall finds it still current: one wake only, and dom0's never
    expect(wakes).toEqual(['0 guest']);
    expect((guest.vcpus[0] as { times(): { interruptedNs: number } }).times().interruptedNs).toBe(W);
    expect(ch.counts(guest)).toMatchObject({ hypercalls: 1, upcalls: 1, deliveries: 1 });
  });

  it("'dom0': dom0 is woken by the request, pays upcall + work + its send; no hypervisor time", () => {
    const { host, guest, ch, conn, gotAt, wakes, acc } = exchange('dom0');
    expect(conn.placement).toBe('dom0');
    expect(conn.backPort).toBeGreaterThan(0);
    // 1 CPU, round robin: guest hypercall 0..H; dom0 upcall H..H+U, work ..+W, send ..+H; guest upcall ..+U
    expect(gotAt).toBe(2 * H + 2 * U + W);
    expect(guest.busyNs).toBe(H + U);
    expect(host.dom0.busyNs).toBe(U + W + H);
    expect(acc.hypervisorNs).toBe(0);
    expect(wakes).toEqual(['0 guest', `${H} Domain-0`, `${2 * H + U + W} guest`]);
    expect(ch.counts(host.dom0)).toMatchObject({ hypercalls: 1, upcalls: 1 });
  });

  it('a device raising a port wakes only the consumer, never a blocked domain on the other side', () => {
    const sim = new Simulation();
    const host = new Host(sim, {
      timerTickNs: 0,
      contextSwitch: ContextSwitchModel.free(),
      controlCosts: { createDomainCostNs: 0 },
    });
    const g = host.control.createDomain({ name: 'g' });
    const ch = new EventChannels(host);
    let backendCalls = 0;
    const port = ch.bindDevice(g, () => backendCalls++);
    const wakes: string[] = [];
    host.onWake.add((v) => wakes.push(v.domain.name));
    sim.scheduleAt(1000, () => ch.raise(g, port));
    sim.run(100_000);
    expect(wakes).toEqual(['g']);
    expect(backendCalls).toBe(0);
    expect(g.busyNs).toBe(U);
    host.checkConservation();
  });

  it('rejects a bad placement naming the field', () => {
    expect(() => new Host(new Simulation(), { backendPlacement: 'driver-domain' as BackendPlacement })).toThrow(
      /backendPlacement/,
    );
  });
});

// The control interface for the network (VIFs attached and VFR rules installed by domain 0, with their
// validation and cost), the native baseline (a bare-metal host's kernel with a VIF-like driver path), a
// client whose CPU is the bottleneck, and the ping probe to a busy and an idle domain among many.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/index.js';
import { EventChannels } from '../../../src/models/events/event-channels.js';
import { Host } from '../../../src/models/host/host.js';
import { cpuBoundWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { Network } from '../../../src/models/net/network.js';
import { ipv4 } from '../../../src/models/net/packet.js';
import { UdpEcho, UdpPing, UdpSink, UdpSocket, UdpSource } from '../../../src/models/net/udp.js';
import { vifAddress } from '../../../src/models/net/vif.js';
import { clientAddr, FREE_CONTROL, makeNet } from './helpers.js';

const MS = 1_000_000;

describe('control interface', () => {
  it('attachDevice builds VIFs with default addresses, at most 8 per domain; bad configs name the field', () => {
    const { host, net, guests } = makeNet();
    const d = guests[0]!;
    expect(net.endpoint(d.id).addr).toBe(vifAddress(d.id, 0));
    expect(vifAddress(258, 2)).toBe(ipv4('10.1.2.3'));
    for (let i = 1; i < 8; i++) host.control.attachDevice(d.id, 'vif');
    expect(net.endpoint(d.id, 7).addr).toBe(vifAddress(d.id, 7));
    expect(() => host.control.attachDevice(d.id, 'vif')).toThrow(/vif count must be at most 8 per domain, got 9/);
    const e = host.control.createDomain({ name: 'e' });
    expect(() => host.control.attachDevice(e.id, 'vif', { creditBytes: 100 })).toThrow(
      /creditBytes must be 0 \(no limit\) or at least 9018.*100/,
    );
    expect(() => host.control.attachDevice(e.id, 'vif', { addr: -1 })).toThrow(/addr must be/);
    expect(() => host.control.attachDevice(e.id, 'vif', { port: 1 })).toThrow(/unknown vif option "port"/);
    expect(() => host.control.attachDevice(e.id, 'vif', { mac: 'zz' })).toThrow(/mac must be six colon-separated/);
    // an address already taken is refused by the network
    expect(() => host.control.attachDevice(e.id, 'vif', { addr: vifAddress(d.id, 0) })).toThrow(/addr must be unused/);
  });

  it('installVfrRule validates, charges dom0 and reaches the network', () => {
    const sim = new Simulation();
    const host = new Host(sim, { timerTickNs: 0 });
    const net = new Network(sim, { host });
    const ops: string[] = [];
    host.control.onOperation.add((op) => ops.push(op));
    host.control.installVfrRule('rx', { dstPort: 9, action: 'drop' });
    expect(() => host.control.installVfrRule('up' as never, { action: 'drop' })).toThrow(/direction must be one of/);
    expect(() => host.control.installVfrRule('tx', { action: 'nat' as never })).toThrow(/action must be one of/);
    sim.run(MS);
    expect(ops).toEqual(['installVfrRule']);
    expect(host.dom0.busyNs).toBe(host.control.installVfrRuleCostNs);
    expect(host.control.installVfrRuleCostNs).toBe(host.control.costs.setSchedParamsCostNs);
    expect(net.vfr.rules('rx')).toHaveLength(1);
    // free control stays free
    expect(makeNet().host.control.installVfrRuleCostNs).toBe(FREE_CONTROL.setSchedParamsCostNs);
  });
});

describe('native baseline (bare-metal host)', () => {
  it("the kernel's VIF sends and receives; the driver work is interrupt time", () => {
    const sim = new Simulation();
    const host = new Host(sim, { mode: 'bare-metal', timerTickNs: 0 });
    const net = new Network(sim, { host, channels: new EventChannels(host) });
    host.control.attachDevice(host.dom0.id, 'vif');
    const ep = net.endpoint(host.dom0.id);
    expect(ep.profile.profile).toBe('native');
    expect(net.vif(host.dom0.id).flipNs).toBe(0);
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    new UdpEcho(ep, 7);
    const ping = new UdpPing(sim, c, { targetAddr: ep.addr, intervalNs: MS });
    sim.run(20.5 * MS);
    net.checkConservation();
    expect(ping.rtt.count).toBe(20);
    expect(host.accounting().hypervisorNs).toBe(net.backendNs);
  });
});

describe('addresses added during a run', () => {
  it('a remote host or a VIF added after packets to its address went nowhere receives the next ones', () => {
    const { sim, net, guests, host } = makeNet({ guests: 1 });
    const ep = net.endpoint((guests[0] as (typeof guests)[number]).id);
    const tx = new UdpSocket(ep, 0);
    const steps: [() => void, () => void][] = [];
    // each address: one packet to it while nobody has it (noRoute), then its owner appears, then one more
    const later = clientAddr(5);
    let atClient: UdpSink | null = null;
    steps.push([
      () => tx.sendTo(later, 9, 100),
      () => (atClient = new UdpSink(net.addRemoteHost({ name: 'late', addr: later }), 9)),
    ]);
    const local = ipv4('10.9.9.9'); // guest → guest (the transmit side's local lookup)
    const local2 = ipv4('10.9.9.10'); // client → guest (the receive side's demultiplexing)
    const sinks: UdpSink[] = [];
    const addVif = (addr: number): void => {
      const d = host.control.createDomain({ name: `late${addr}` });
      host.control.attachDevice(d.id, 'vif', { addr });
      sinks.push(new UdpSink(net.endpoint(d.id), 9));
    };
    steps.push([() => tx.sendTo(local, 9, 100), () => addVif(local)]);
    const client = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const fromClient = new UdpSocket(client, 0);
    steps.push([() => fromClient.sendTo(local2, 9, 100), () => addVif(local2)]);
    let t = 0;
    steps.forEach(([send, add], i) => {
      send();
      sim.run((t += MS));
      expect(net.counters.dropped.noRoute).toBe(i + 1);
      add();
      sim.run((t += MS));
      send();
      sim.run((t += MS));
      expect(net.counters.dropped.noRoute).toBe(i + 1);
    });
    net.checkConservation();
    expect((atClient as UdpSink | null)?.packetsBySource.get(ep.addr)).toBe(1);
    expect(sinks.map((k) => [...k.packetsBySource.values()])).toEqual([[1], [1]]);
  });
});

describe('remote client CPU', () => {
  it('a client whose CPU costs more per packet than the wire limits the rate to 1 / cost', () => {
    // 20 µs + 0.01 ns/byte per packet: 1472 bytes → 20 015 ns (wire: 12 304 ns): the client's CPU
    // is the bottleneck, so the guest receives one datagram per 20 015 ns
    const { sim, net, guests } = makeNet();
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1), cpu: { perPacketNs: 20_000, perByteNs: 0.01 } });
    const g = net.endpoint(guests[0]!.id);
    const sink = new UdpSink(g, 9);
    new UdpSource(sim, c, { dstAddr: g.addr, dstPort: 9, rateBitsPerS: 900e6 });
    sim.run(10 * MS);
    sink.resetStats();
    sim.run(110 * MS);
    net.checkConservation();
    const perPacketNs = Math.round(20_000 + 0.01 * 1472);
    const expected = (100 * MS) / perPacketNs;
    const got = sink.packetsBySource.get(c.addr) ?? 0;
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(1);
    expect(c.cpuBusyNs).toBeGreaterThan(0);
  });
});

describe('ping probe among many domains', () => {
  function pingAmong(domains: number, hogs: number): { rttMeanNs: number; count: number } {
    const sim = new Simulation();
    const host = new Host(sim, { controlCosts: FREE_CONTROL });
    const net = new Network(sim, { host, channels: new EventChannels(host) });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    let target = 0;
    for (let i = 0; i < domains; i++) {
      const d = host.control.createDomain({ name: `d${i}` });
      host.control.attachDevice(d.id, 'vif');
      new UdpEcho(net.endpoint(d.id), 7);
      if (i === 0) target = net.endpoint(d.id).addr;
      else if (i <= hogs) cpuBoundWorkload(d, { startAtNs: 0, chunkNs: MS });
    }
    const ping = new UdpPing(sim, c, { targetAddr: target, intervalNs: 7 * MS });
    sim.run(300 * MS);
    net.checkConservation();
    return { rttMeanNs: ping.rtt.mean, count: ping.rtt.count };
  }

  it('an idle domain among idle ones answers as fast as a lone one; CPU-bound neighbours make it wait', () => {
    const lone = pingAmong(1, 0);
    const crowd = pingAmong(32, 0);
    const busy = pingAmong(9, 8);
    expect(lone.count).toBe(42);
    expect(crowd.count).toBe(42);
    // the only other activity is every domain's 20 ms timer event (Xen 1.0): a few µs on average
    expect(Math.abs(crowd.rttMeanNs - lone.rttMeanNs)).toBeLessThan(20_000);
    expect(lone.rttMeanNs).toBeLessThan(30_000);
    // with 8 CPU-bound neighbours the target waits for the CPU (BVT slices of milliseconds)
    expect(busy.count).toBe(42);
    expect(busy.rttMeanNs).toBeGreaterThan(1_000_000);
  });
});

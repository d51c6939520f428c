// The network data path end to end: packet conservation (checked during and after mixed runs with drops
// of several kinds), anti-spoofing, the link rate, equal sharing by backlogged VIFs and the credit rate
// limit, receive buffers (drop without, receive again once posted), VFR rules installed through the
// control interface, an idle ping traced by hand, and who pays the back end under both placements.
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL_DEFAULTS } from '../../../src/models/events/event-channels.js';
import { NETWORK_DEFAULTS, type NetworkOptions } from '../../../src/models/net/network.js';
import { HEADER_BYTES, ipv4, Protocol } from '../../../src/models/net/packet.js';
import { UdpEcho, UdpPing, UdpSink, UdpSocket, UdpSource } from '../../../src/models/net/udp.js';
import { clientAddr, makeNet } from './helpers.js';

const MS = 1_000_000;

describe('packet conservation', () => {
  it('sent = delivered + dropped by reason + in flight, at every check of a mixed run', () => {
    // two guests: g1 echoes pings and sinks a flood it has too few buffers for (noRxBuffer), g2 transmits
    // in bulk (NIC back-pressure) and to a closed port and a nowhere address (noSocket, noRoute); a VFR
    // rule drops one port (ruleDrop)
    const { sim, host, net, guests } = makeNet({
      guests: 2,
      net: { guest: (d) => (d === 1 ? { rxBuffers: 8, rxRepostBatch: 8 } : {}) },
    });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const g1 = net.endpoint(guests[0]!.id);
    const g2 = net.endpoint(guests[1]!.id);
    host.control.installVfrRule('rx', { protocol: 'udp', dstPort: 13, action: 'drop' });
    new UdpEcho(g1, 7);
    new UdpSink(g1, 9);
    new UdpSink(c, 9);
    const ping = new UdpPing(sim, c, { targetAddr: g1.addr, intervalNs: MS / 4 });
    new UdpSource(sim, c, { dstAddr: g1.addr, dstPort: 9, rateBitsPerS: 600e6 });
    new UdpSource(sim, c, { dstAddr: g1.addr, dstPort: 13, rateBitsPerS: 10e6 });
    new UdpSource(sim, g2, { dstAddr: c.addr, dstPort: 9 });
    new UdpSource(sim, g2, { dstAddr: c.addr, dstPort: 10, rateBitsPerS: 5e6 });
    new UdpSource(sim, g2, { dstAddr: ipv4('172.16.0.1'), dstPort: 9, rateBitsPerS: 5e6 });
    let checks = 0;
    const check = (): void => {
      net.checkConservation();
      checks++;
      if (sim.now < 40 * MS) sim.schedule(333_333, check);
    };
    sim.schedule(1, check);
    sim.run(40 * MS);
    net.checkConservation();
    const d = net.counters.dropped;
    expect(checks).toBeGreaterThan(100);
    for (const reason of ['noRxBuffer', 'ruleDrop', 'noRoute', 'noSocket'] as const)
      expect(d[reason], reason).toBeGreaterThan(0);
    expect(net.counters.delivered).toBeGreaterThan(3000);
    expect(net.inFlight).toBeGreaterThan(0);
    expect(ping.receivedProbes).toBeGreaterThan(0);
    // the three counters and the in-flight census are independent: breaking one breaks the check
    net.counters.delivered++;
    expect(() => net.checkConservation()).toThrow(/network: .*sent \d+ ≠ delivered/);
  });
});

describe('anti-spoofing', () => {
  it('a transmitted packet whose source is not its VIF address is dropped, counted and never delivered', () => {
    const { sim, net, guests } = makeNet({ guests: 2 });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const g1 = net.endpoint(guests[0]!.id);
    const g2 = net.endpoint(guests[1]!.id);
    const sinkC = new UdpSink(c, 9);
    const sinkG2 = new UdpSink(g2, 9);
    let honest = 0;
    for (let i = 0; i < 200; i++) {
      const p = g1.newPacket(Protocol.udp);
      p.dstPort = 9;
      p.payloadBytes = 100;
      p.dstAddr = i % 2 === 0 ? c.addr : g2.addr;
      // every third packet claims another address: the client's, g2's, or one nobody has
      if (i % 3 === 0) p.srcAddr = [c.addr, g2.addr, ipv4('10.9.9.9')][i % 9 === 0 ? 0 : i % 9 === 3 ? 1 : 2]!;
      else honest++;
      g1.send(p);
    }
    sim.run(20 * MS);
    net.checkConservation();
    const spoofed = 200 - honest;
    expect(net.counters.dropped.spoofed).toBe(spoofed);
    expect(net.vif(guests[0]!.id).counters.dropped.spoofed).toBe(spoofed);
    for (const sink of [sinkC, sinkG2]) {
      for (const src of sink.bytesBySource.keys()) expect(src).toBe(g1.addr);
    }
    expect(sinkC.socket.received + sinkG2.socket.received).toBe(honest);
  });
});

describe('the link', () => {
  it('never carries more than its rate: transmissions do not overlap and each lasts its serialization time', () => {
    const rate = 100e6;
    const { sim, net, guests } = makeNet({ guests: 3, net: { nic: { rateBitsPerS: rate } } });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    new UdpSink(c, 9);
    const sizes = [1472, 200, 18];
    guests.forEach(
      (g, i) => new UdpSource(sim, net.endpoint(g.id), { dstAddr: c.addr, dstPort: 9, payloadBytes: sizes[i] }),
    );
    const spans: [number, number, number][] = [];
    net.nic.outbound.onTransmit.add((p, start, end) => spans.push([start, end, p.wireBytes]));
    sim.run(50 * MS);
    net.checkConservation();
    expect(spans.length).toBeGreaterThan(1000);
    let bits = 0;
    for (let i = 0; i < spans.length; i++) {
      const [start, end, wire] = spans[i]!;
      expect(end - start).toBeGreaterThanOrEqual((wire * 8 * 1e9) / rate);
      if (i > 0) expect(start).toBeGreaterThanOrEqual(spans[i - 1]![1]);
      bits += wire * 8;
    }
    // over the whole run: at most rate × time, and (backlogged) within 1% of it
    const t = spans[spans.length - 1]![1] - spans[0]![0];
    expect(bits).toBeLessThanOrEqual((rate * t) / 1e9 + 1);
    expect(bits).toBeGreaterThan(0.99 * ((rate * t) / 1e9));
  });
});

describe('transmit scheduling', () => {
  it('equal backlogged VIFs share the link within 1%', () => {
    const { sim, net, guests } = makeNet({ guests: 4 });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const sink = new UdpSink(c, 9);
    for (const g of guests) new UdpSource(sim, net.endpoint(g.id), { dstAddr: c.addr, dstPort: 9 });
    sim.run(20 * MS);
    sink.resetStats();
    sim.run(220 * MS);
    net.checkConservation();
    const bytes = guests.map((g) => sink.bytesFrom(net.endpoint(g.id).addr));
    const mean = bytes.reduce((a, b) => a + b, 0) / bytes.length;
    for (const b of bytes) expect(Math.abs(b / mean - 1)).toBeLessThan(0.01);
    // and together they fill the link (UDP goodput ceiling)
    const total = (bytes.reduce((a, b) => a + b, 0) * 8) / 0.2;
    expect(total / net.nic.goodputBitsPerS(HEADER_BYTES.udp)).toBeGreaterThan(0.99);
  });

  it('a credit limit holds a VIF to creditBytes per period and the others share the rest', () => {
    // g1: 25 000 bytes of frames per 1 ms = 200 Mb/s of frames; g2, g3 unlimited
    const { sim, net, guests } = makeNet({
      guests: 3,
      vif: (i) => (i === 0 ? { creditBytes: 25_000, creditPeriodNs: MS } : {}),
    });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const sink = new UdpSink(c, 9);
    for (const g of guests) new UdpSource(sim, net.endpoint(g.id), { dstAddr: c.addr, dstPort: 9 });
    sim.run(20 * MS);
    sink.resetStats();
    sim.run(220 * MS);
    net.checkConservation();
    const frame = 1500 + HEADER_BYTES.ethernet + HEADER_BYTES.ethernetFcs;
    const perPeriod = Math.floor(25_000 / frame); // whole frames within the credit (16)
    const g1 = sink.packetsBySource.get(net.endpoint(guests[0]!.id).addr) ?? 0;
    // 200 periods of 1 ms: perPeriod frames each (± one period's worth at the window edges)
    expect(Math.abs(g1 - 200 * perPeriod)).toBeLessThanOrEqual(perPeriod);
    const g2 = sink.bytesFrom(net.endpoint(guests[1]!.id).addr);
    const g3 = sink.bytesFrom(net.endpoint(guests[2]!.id).addr);
    expect(Math.abs(g2 / g3 - 1)).toBeLessThan(0.01);
    const totalBits = ((sink.bytesFrom(net.endpoint(guests[0]!.id).addr) + g2 + g3) * 8) / 0.2;
    expect(totalBits / net.nic.goodputBitsPerS(HEADER_BYTES.udp)).toBeGreaterThan(0.99);
  });
});

describe('receive buffers', () => {
  it('a VIF without posted buffers drops every packet, and receives again once buffers are posted', () => {
    const { sim, net, guests } = makeNet({ net: { guest: { rxBuffers: 0 } } });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const g = net.endpoint(guests[0]!.id);
    const sink = new UdpSink(g, 9);
    const s = new UdpSocket(c);
    for (let i = 0; i < 50; i++) sim.schedule(i * 20_000, () => s.sendTo(g.addr, 9, 1000));
    sim.run(5 * MS);
    net.checkConservation();
    expect(sink.socket.received).toBe(0);
    expect(net.counters.dropped.noRxBuffer).toBe(50);
    expect(net.vif(guests[0]!.id).counters.dropped.noRxBuffer).toBe(50);
    g.setRxBuffers(16);
    expect(g.rxPosted).toBe(16);
    for (let i = 0; i < 50; i++) sim.schedule(i * 20_000, () => s.sendTo(g.addr, 9, 1000));
    sim.run(10 * MS);
    net.checkConservation();
    expect(sink.socket.received).toBe(50);
    expect(net.counters.dropped.noRxBuffer).toBe(50);
  });

  it('a burst larger than the posted buffers loses exactly the excess (the guest cannot repost in time)', () => {
    // 16 buffers, reposted in a batch of 16. A back-to-back burst of 40 small packets (672 ns apart on
    // the wire) needs more back-end time per packet (1 µs + the flip) than the wire gives, and the back
    // end (a hypervisor softirq) preempts the guest on the one CPU: the guest runs only after the
    // burst's back-end work is over, so the first 16 packets take the 16 buffers and the other 24 drop.
    const burst = (buffers: number) => {
      const b = makeNet({ net: { guest: { rxBuffers: buffers, rxRepostBatch: 16 } } });
      const c = b.net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
      const g = b.net.endpoint(b.guests[0]!.id);
      const sink = new UdpSink(g, 9);
      const s = new UdpSocket(c);
      for (let i = 0; i < 40; i++) s.sendTo(g.addr, 9, 18);
      b.sim.run(5 * MS);
      b.net.checkConservation();
      return [sink.socket.received, b.net.counters.dropped.noRxBuffer];
    };
    expect(burst(16)).toEqual([16, 24]);
    // with buffers for the whole burst nothing is lost
    expect(burst(64)).toEqual([40, 0]);
  });
});

describe('VFR rules installed through the control interface', () => {
  it('rx drop and route rules, and a tx drop rule, act on the traffic', () => {
    const { sim, host, net, guests } = makeNet({ guests: 2 });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const g1 = net.endpoint(guests[0]!.id);
    const g2 = net.endpoint(guests[1]!.id);
    host.control.installVfrRule('rx', { protocol: 'udp', dstPort: 13, action: 'drop' });
    // packets for port 99 at g1's address go to g2 instead
    host.control.installVfrRule('rx', {
      dstAddr: g1.addr,
      dstPort: 99,
      action: 'route',
      routeTo: { domain: guests[1]!.id, vif: 0 },
    });
    host.control.installVfrRule('tx', { dstPort: 25, action: 'drop' });
    const s13 = new UdpSink(g1, 13);
    const s99a = new UdpSink(g1, 99);
    const s99b = new UdpSink(g2, 99);
    const s25 = new UdpSink(c, 25);
    const s26 = new UdpSink(c, 26);
    const cs = new UdpSocket(c);
    const gs = new UdpSocket(g2);
    for (let i = 0; i < 10; i++) {
      cs.sendTo(g1.addr, 13, 100);
      cs.sendTo(g1.addr, 99, 100);
      gs.sendTo(c.addr, 25, 100);
      gs.sendTo(c.addr, 26, 100);
    }
    sim.run(10 * MS);
    net.checkConservation();
    expect([
      s13.socket.received,
      s99a.socket.received,
      s99b.socket.received,
      s25.socket.received,
      s26.socket.received,
    ]).toEqual([0, 0, 10, 0, 10]);
    expect(net.counters.dropped.ruleDrop).toBe(20);
    expect(net.vfr.hits.rx).toEqual([10, 10]);
    expect(net.vfr.hits.tx).toEqual([10]);
  });

  it('two guests talk through the back end without the NIC (inter-domain)', () => {
    const { sim, net, guests } = makeNet({ guests: 2 });
    const g1 = net.endpoint(guests[0]!.id);
    const g2 = net.endpoint(guests[1]!.id);
    new UdpEcho(g2, 7);
    const ping = new UdpPing(sim, g1, { targetAddr: g2.addr, intervalNs: MS });
    sim.run(20 * MS);
    net.checkConservation();
    expect(ping.receivedProbes).toBe(19);
    expect(net.nic.outbound.packetsDelivered + net.nic.inbound.packetsDelivered).toBe(0);
  });
});

describe('loss injection', () => {
  it('lossFilter drops the frames it names as linkLoss, in either direction, and nothing else', () => {
    const { sim, net, guests } = makeNet();
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const g = net.endpoint(guests[0]!.id);
    const sinkG = new UdpSink(g, 9);
    const sinkC = new UdpSink(c, 9);
    const cs = new UdpSocket(c);
    const gs = new UdpSocket(g);
    // lose datagrams whose tag is a multiple of 5 (tags 0…19 each way: 4 lost each way)
    net.lossFilter = (p, lane) => p.tag % 5 === 0 && (lane === 'inbound' ? p.dstAddr === g.addr : p.dstAddr === c.addr);
    for (let i = 0; i < 20; i++) {
      cs.sendTo(g.addr, 9, 500, i);
      gs.sendTo(c.addr, 9, 500, i);
    }
    sim.run(10 * MS);
    net.checkConservation();
    expect(net.counters.dropped.linkLoss).toBe(8);
    expect(sinkG.socket.received).toBe(16);
    expect(sinkC.socket.received).toBe(16);
  });
});

describe('an idle ping, traced by hand', () => {
  it('round trip = both link crossings + back-end and guest costs, exactly (direct notifications)', () => {
    const { sim, net, guests } = makeNet({ channels: false });
    const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const g = net.endpoint(guests[0]!.id);
    new UdpEcho(g, 7);
    const ping = new UdpPing(sim, c, { targetAddr: g.addr, intervalNs: MS, payloadBytes: 56 });
    sim.run(10.5 * MS);
    net.checkConservation();
    const frame = HEADER_BYTES.ethernet + HEADER_BYTES.ipv4 + HEADER_BYTES.udp + 56 + HEADER_BYTES.ethernetFcs; // 102
    const ser = Math.ceil((frame + 20) * 8); // 122 wire bytes at 1 Gb/s: 976 ns
    const dma = Math.ceil((frame * 1e9) / 1.064e9); // 96 ns
    const lat = 5000;
    const guestNs = g.packetCostNs(56);
    const vif = net.vif(guests[0]!.id);
    const expected =
      ser +
      lat +
      dma +
      (NETWORK_DEFAULTS.backendRxPacketNs + vif.flipNs) +
      guestNs +
      guestNs +
      // the transmit completion interrupt (nicIrqHandlerNs of the per-packet cost) comes after the frame left
      NETWORK_DEFAULTS.backendTxPacketNs -
      NETWORK_DEFAULTS.nicIrqHandlerNs +
      dma +
      ser +
      lat;
    expect(ping.rtt.count).toBe(10);
    expect(ping.rtt.min).toBe(expected);
    expect(ping.rtt.max).toBe(expected);
    expect(ping.rtt.stdDev).toBe(0);
  });
});

describe('back-end placement', () => {
  const H = EVENT_CHANNEL_DEFAULTS.hypercallNs;
  const U = EVENT_CHANNEL_DEFAULTS.upcallNs;
  function run(placement: 'hypervisor' | 'dom0') {
    const s = makeNet({ placement });
    const c = s.net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const g = s.net.endpoint(s.guests[0]!.id);
    const sink = new UdpSink(g, 9);
    const src = new UdpSource(s.sim, c, { dstAddr: g.addr, dstPort: 9, rateBitsPerS: 300e6 });
    const gs = new UdpSource(s.sim, g, { dstAddr: c.addr, dstPort: 9, rateBitsPerS: 100e6 });
    new UdpSink(c, 9);
    s.sim.run(30 * MS);
    src.stop();
    gs.stop();
    s.sim.run(40 * MS); // quiesce: every packet delivered
    s.net.checkConservation();
    expect(s.net.inFlight).toBe(0);
    const acc = s.host.checkConservation();
    return { s, acc, received: sink.socket.received };
  }

  it("'hypervisor' (Xen 1.0): the back end is hypervisor time, dom0 does nothing", () => {
    const { s, acc, received } = run('hypervisor');
    expect(received).toBeGreaterThan(700);
    expect(s.net.backendNs).toBeGreaterThan(0);
    expect(acc.hypervisorNs).toBe(s.net.backendNs);
    expect(s.host.dom0.busyNs).toBe(0);
    // one NIC interrupt per frame (no coalescing): the per-packet totals of the folded model
    const frames = s.net.nic.inbound.packetsDelivered + s.net.nic.outbound.packetsDelivered;
    expect(s.net.interrupts).toBe(frames);
  });

  it("'dom0' (Xen 2.0): the back end runs on dom0's vCPU, with its event-channel costs, no hypervisor time", () => {
    const { s, acc, received } = run('dom0');
    const hv = run('hypervisor');
    expect(received).toBe(hv.received);
    // the NIC interrupt's handler stays in the hypervisor (Xen owns the physical interrupt); the rest is dom0's
    const irqNs = s.net.interrupts * NETWORK_DEFAULTS.nicIrqHandlerNs;
    expect(s.net.interrupts).toBeGreaterThan(0);
    expect(acc.hypervisorNs).toBe(irqNs);
    const ev = s.channels!.counts(s.host.dom0);
    expect(ev.hypercalls + ev.upcalls).toBeGreaterThan(0);
    expect(s.host.dom0.busyNs).toBe(s.net.backendNs - irqNs + ev.hypercalls * H + ev.upcalls * U);
    // the same packets cost the same back-end total in both placements
    expect(s.net.backendNs).toBe(hv.s.net.backendNs);
  });
});

describe('NIC interrupts', () => {
  const X = NETWORK_DEFAULTS.nicIrqHandlerNs;
  const BRX = NETWORK_DEFAULTS.backendRxPacketNs;
  const BTX = NETWORK_DEFAULTS.backendTxPacketNs;

  /** A receive-only UDP flow into guest 1 on a two-CPU host, quiesced; the interrupt line's routing given. */
  function rxFlow(net: Omit<NetworkOptions, 'host' | 'channels'>, rateBitsPerS = 200e6) {
    const s = makeNet({ cpus: 2, net });
    const c = s.net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
    const g = s.net.endpoint(s.guests[0]!.id);
    const sink = new UdpSink(g, 9);
    const src = new UdpSource(s.sim, c, { dstAddr: g.addr, dstPort: 9, rateBitsPerS });
    s.sim.run(20 * MS);
    src.stop();
    s.sim.run(30 * MS);
    s.net.checkConservation();
    expect(s.net.inFlight).toBe(0);
    return { s, received: sink.socket.received, flip: s.net.vif(s.guests[0]!.id).flipNs };
  }

  it('round robin alternates the interrupts; each CPU runs the handler and the receive work of its frames', () => {
    const { s, received, flip } = rxFlow({ nicIrq: { routing: 'round-robin', cpus: [0, 1] } });
    const raised = s.net.irqLine.raisedPerCpu;
    expect(received).toBeGreaterThan(300);
    expect(raised[0]! + raised[1]!).toBe(s.net.interrupts);
    expect(s.net.interrupts).toBe(received); // one interrupt per frame (no coalescing)
    expect(Math.abs(raised[0]! - raised[1]!)).toBeLessThanOrEqual(1);
    // hypervisor time of CPU c = its interrupts × (handler + the rest of the receive work + the flip), exactly
    for (const c of [0, 1]) expect(s.host.cpuTimes(c).hypervisorNs).toBe(raised[c]! * (X + (BRX - X) + flip));
    // CPU-time conservation: guest + hypervisor + switching + idle = elapsed × CPUs
    const a = s.host.checkConservation();
    expect(a.busyNs + a.hypervisorNs + a.switchingNs + a.idleNs).toBe(a.elapsedNs * 2);
  });

  it("'fixed' keeps every interrupt and its receive work on the first CPU of the line", () => {
    const { s } = rxFlow({ nicIrq: { routing: 'fixed', cpus: [1, 0] } });
    expect(s.net.irqLine.raisedPerCpu[0]).toBe(0);
    expect(s.host.cpuTimes(0).hypervisorNs).toBe(0);
    expect(s.host.cpuTimes(1).hypervisorNs).toBe(s.net.backendNs);
  });

  it('coalescing: fewer interrupts, the same frames, back-end CPU = frames × per-frame work + interrupts × handler', () => {
    // a frame every ≈ 20 µs at 600 Mb/s: a 72 µs coalescing window holds about 3.6 of them
    const plain = rxFlow({}, 600e6);
    const { s, received, flip } = rxFlow({ nicIrq: { rxMaxFrames: 8, rxDelayNs: 72_000 } }, 600e6);
    expect(received).toBe(plain.received);
    expect(s.net.counters.dropped.noRxBuffer).toBe(0);
    expect(s.net.interrupts).toBeLessThan(received / 3);
    expect(s.net.backendNs).toBe(received * (BRX - X + flip) + s.net.interrupts * X);
    expect(s.net.backendNs).toBeLessThan(plain.s.net.backendNs);
  });

  it('a lone frame waits rxDelayNs for its interrupt: an idle ping takes exactly that much longer', () => {
    const rtt = (nicIrq: { rxMaxFrames?: number; rxDelayNs?: number }): number => {
      const { sim, net, guests } = makeNet({ channels: false, net: { nicIrq } });
      const c = net.addRemoteHost({ name: 'c', addr: clientAddr(1) });
      const g = net.endpoint(guests[0]!.id);
      new UdpEcho(g, 7);
      const ping = new UdpPing(sim, c, { targetAddr: g.addr, intervalNs: MS, payloadBytes: 56 });
      sim.run(10.5 * MS);
      expect(ping.rtt.count).toBe(10);
      expect(ping.rtt.stdDev).toBe(0);
      return ping.rtt.min;
    };
    expect(rtt({ rxMaxFrames: 8, rxDelayNs: 72_000 })).toBe(rtt({}) + 72_000);
  });

  it('rejects a handler dearer than the per-packet back end, and frame coalescing without a delay', () => {
    expect(() => makeNet({ net: { nicIrq: { handlerNs: Math.min(BRX, BTX) + 1 } } })).toThrow(
      /nicIrq\.handlerNs must be at most/,
    );
    expect(() => makeNet({ net: { nicIrq: { rxMaxFrames: 4 } } })).toThrow(/nicIrq\.rxDelayNs/);
    expect(() => makeNet({ cpus: 2, net: { nicIrq: { cpus: [0, 2] } } })).toThrow(/cpus\[\].*2/);
  });
});

// TCP endpoints over the test pipe (tcp-pipe.ts): byte-exact delivery, recovery from injected loss
// (single loss → fast retransmit, burst → NewReno partial ACKs, lost retransmission → timeout), bulk
// goodput against the link rate less header overhead, delayed ACKs against a hand-computed trace,
// slow start's first rounds, TCP_NODELAY against Nagle on a hand-computed trace, CPU-bound throughput
// against the per-packet/per-byte arithmetic, packet conservation (every packet back in the pool) and a
// fast-check property over seeded loss patterns.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../src/sim/index.js';
import { PacketPool, type Packet } from '../../../src/models/net/packet.js';
import { FifoCpu, TCP_DEFAULTS, TcpEndpoint, tcpGoodputLimitBps } from '../../../src/models/net/tcp.js';
import { DeliveryRecorder, bulkWrite, makeTcpPipe, type TestPipeOptions } from './tcp-pipe.js';

interface Transfer {
  readonly sim: Simulation;
  readonly pool: PacketPool;
  readonly pipe: ReturnType<typeof makeTcpPipe>;
  readonly rec: DeliveryRecorder;
  doneAtNs: number;
}

/**
 * a sends `totalBytes` to b over a pipe with `options`; runs until quiet (or `untilNs`). With `handshake`,
 * a opens actively and b passively (three-way handshake) before the data.
 */
function transfer(totalBytes: number, options: TestPipeOptions = {}, untilNs?: number, handshake = false): Transfer {
  const sim = new Simulation();
  const pool = new PacketPool();
  const opts: TestPipeOptions = handshake
    ? {
        ...options,
        endpointA: { ...options.endpointA, open: 'active' },
        endpointB: { ...options.endpointB, open: 'passive' },
      }
    : options;
  const pipe = makeTcpPipe(sim, pool, opts);
  const rec = new DeliveryRecorder().attach(pipe.b, sim);
  const t: Transfer = { sim, pool, pipe, rec, doneAtNs: -1 };
  pipe.a.onAllAcked = () => {
    if (pipe.a.ackedBytes === totalBytes) t.doneAtNs = sim.now;
  };
  if (handshake) pipe.a.connect();
  bulkWrite(pipe.a, totalBytes);
  sim.run(untilNs);
  return t;
}

function expectExact(t: Transfer, totalBytes: number): void {
  expect(t.rec.errors).toBe(0);
  expect(t.rec.nextOffset).toBe(totalBytes);
  const want = DeliveryRecorder.expected(totalBytes);
  expect([t.rec.sumA, t.rec.sumB]).toEqual([want.sumA, want.sumB]);
  expect(t.pipe.b.stats.bytesDelivered).toBe(totalBytes);
  expect(t.pipe.a.ackedBytes).toBe(totalBytes);
  expect(t.doneAtNs).toBeGreaterThan(0);
  expect(t.pool.inUse).toBe(0); // conservation: every packet delivered and released, or lost and released
}

/** Loses the packets whose index (in the direction's order) is in `lost`. */
const loseIndices =
  (...lost: number[]) =>
  (_p: Packet, i: number): boolean =>
    lost.includes(i);

describe('TCP over a clean link', () => {
  it('moves 4 MB byte-exact, with no retransmission and about one ACK per two segments', () => {
    const total = 4_000_000;
    const t = transfer(total);
    expectExact(t, total);
    const { a, b } = t.pipe;
    expect(a.stats.retransmits).toBe(0);
    expect(a.stats.timeouts).toBe(0);
    const segments = Math.ceil(total / a.mssBytes);
    expect(a.stats.dataSegmentsSent).toBe(segments);
    expect(b.stats.acksSent).toBeGreaterThanOrEqual(Math.floor(segments / 2));
    expect(b.stats.acksSent).toBeLessThanOrEqual(Math.ceil(segments / 2) + 2);
  });

  for (const mtu of [1500, 500]) {
    it(`bulk goodput at MTU ${mtu} is within 5% of 1 Gb/s less header overhead, and never above it`, () => {
      const total = 30_000_000;
      const t = transfer(total, { endpoint: { mtuBytes: mtu } });
      expectExact(t, total);
      // Goodput from the start to the receiver's last delivery (slow start included).
      const limit = tcpGoodputLimitBps(1e9, mtu);
      const goodput = (total * 8 * 1e9) / t.rec.lastDeliveryNs;
      expect(goodput).toBeLessThanOrEqual(limit);
      expect(goodput).toBeGreaterThanOrEqual(0.95 * limit);
      // The link's own busy time: never above its rate.
      expect((t.pipe.ab.wireBytes * 8 * 1e9) / t.pipe.ab.lastTxEndNs).toBeLessThanOrEqual(1e9 * 1.000001);
    });
  }

  it('the goodput limit is the link rate times MSS over wire bytes (1460/1538 at MTU 1500)', () => {
    expect(tcpGoodputLimitBps(1e9, 1500)).toBeCloseTo((1e9 * 1460) / 1538, 6);
    expect(tcpGoodputLimitBps(1e9, 500)).toBeCloseTo((1e9 * 460) / 538, 6);
  });
});

describe('TCP loss recovery', () => {
  it('a single lost segment is repaired by one fast retransmit, without a timeout', () => {
    const total = 2_000_000;
    const t = transfer(total, { loseAB: loseIndices(100) });
    expectExact(t, total);
    expect(t.pipe.a.stats.fastRecoveries).toBe(1);
    expect(t.pipe.a.stats.retransmits).toBe(1);
    expect(t.pipe.a.stats.timeouts).toBe(0);
    expect(t.pipe.a.ssthreshBytes).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(t.pipe.b.stats.outOfOrderSegments).toBeGreaterThanOrEqual(3);
  });

  it('the retransmission that fills the gap is ACKed at once, not after the delayed-ACK timer', () => {
    const total = 11 * 1460; // segments 7…10 (0-based) follow the lost 6: four duplicate ACKs, no data after
    const t = transfer(total, { loseAB: loseIndices(6) });
    expectExact(t, total);
    expect(t.pipe.a.stats.fastRecoveries).toBe(1);
    expect(t.pipe.a.stats.timeouts).toBe(0);
    expect(t.doneAtNs).toBeLessThan(TCP_DEFAULTS.delayedAckNs / 4);
  });

  it('a burst of 5 lost segments is repaired in one recovery by partial ACKs (NewReno), without a timeout', () => {
    const total = 2_000_000;
    const t = transfer(total, { loseAB: loseIndices(200, 201, 202, 203, 204) });
    expectExact(t, total);
    expect(t.pipe.a.stats.fastRecoveries).toBe(1);
    expect(t.pipe.a.stats.retransmits).toBe(5);
    expect(t.pipe.a.stats.timeouts).toBe(0);
  });

  it('a lost retransmission is repaired by the retransmission timeout (≥ 200 ms minimum RTO)', () => {
    const total = 2_000_000;
    // Index 100 is the first copy of a segment; find its retransmission by sequence number.
    let lostSeq = -1;
    let copies = 0;
    const lose = (p: Packet, i: number): boolean => {
      if (i === 100) {
        lostSeq = p.tcpSeq;
        copies = 1;
        return true;
      }
      if (p.tcpSeq === lostSeq && p.payloadBytes > 0 && copies === 1) {
        copies = 2;
        return true;
      }
      return false;
    };
    const clean = transfer(total);
    const t = transfer(total, { loseAB: lose });
    expect(copies).toBe(2);
    expectExact(t, total);
    expect(t.pipe.a.stats.timeouts).toBe(1);
    expect(t.pipe.a.stats.fastRecoveries).toBe(1);
    expect(t.doneAtNs - clean.doneAtNs).toBeGreaterThanOrEqual(TCP_DEFAULTS.minRtoNs);
    expect(t.pipe.a.cwndBytes).toBeGreaterThan(0);
  });

  it('losing the only segment of a short transfer costs the initial RTO (3 s), then completes', () => {
    const t = transfer(1000, { loseAB: loseIndices(0) });
    expectExact(t, 1000);
    expect(t.pipe.a.stats.timeouts).toBe(1);
    expect(t.doneAtNs).toBeGreaterThanOrEqual(TCP_DEFAULTS.initialRtoNs);
    expect(t.doneAtNs).toBeLessThan(TCP_DEFAULTS.initialRtoNs + TCP_DEFAULTS.delayedAckNs + 1_000_000);
  });

  it('the timer backs off: the same segment lost three times costs 3 + 6 + 12 s (RFC 6298 5.5)', () => {
    const t = transfer(1000, { loseAB: loseIndices(0, 1, 2) });
    expectExact(t, 1000);
    expect(t.pipe.a.stats.timeouts).toBe(3);
    const backoffNs = 7 * TCP_DEFAULTS.initialRtoNs;
    expect(t.doneAtNs).toBeGreaterThanOrEqual(backoffNs);
    expect(t.doneAtNs).toBeLessThan(backoffNs + TCP_DEFAULTS.delayedAckNs + 1_000_000);
    // No RTT sample is possible (Karn: the only segment was retransmitted), so the backed-off timer
    // stays: 3 s · 2^3.
    expect(t.pipe.a.rtoNs).toBe(8 * TCP_DEFAULTS.initialRtoNs);
  });

  it('lost ACKs are covered by later cumulative ACKs', () => {
    const total = 1_000_000;
    const t = transfer(total, { loseBA: (_p, i) => i % 3 === 1 });
    expectExact(t, total);
    expect(t.pipe.a.stats.timeouts).toBe(0);
    expect(t.pipe.a.stats.retransmits).toBe(0);
  });

  it('a drop-tail queue at the bottleneck: repeated losses, still byte-exact', () => {
    const total = 3_000_000;
    const t = transfer(total, { rateBitsPerSecond: 100e6, latencyNs: 1_000_000, queuePackets: 8 });
    expect(t.pipe.ab.dropped).toBeGreaterThan(0);
    expectExact(t, total);
    expect(t.pipe.a.stats.retransmits).toBeGreaterThanOrEqual(t.pipe.ab.dropped);
  });

  it('property: any seeded loss pattern (data and ACKs) still delivers every byte exactly once, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300_000 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 30 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 20 }),
        fc.constantFrom(1500, 576, 500),
        fc.boolean(),
        (total, lostData, lostAcks, mtu, handshake) => {
          const dataSet = new Set(lostData);
          const ackSet = new Set(lostAcks);
          const lossy = {
            endpoint: { mtuBytes: mtu },
            loseAB: (_p: Packet, i: number) => dataSet.has(i),
            loseBA: (_p: Packet, i: number) => ackSet.has(i),
          };
          const t = transfer(total, lossy, undefined, handshake);
          expectExact(t, total);
          // Every segment sent once, plus one per retransmission.
          const a = t.pipe.a.stats;
          expect(a.dataSegmentsSent - a.retransmits).toBe(Math.ceil(total / t.pipe.a.mssBytes));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('TCP three-way handshake (open: active / passive)', () => {
  // SYN, SYN-ACK and a bare ACK are 40-byte IP packets: 78 bytes on the wire = 624 ns at 1 Gb/s.
  const ctlNs = 624;
  const lat = 50_000;

  it('data flows one round trip after connect(), both ends established, then byte-exact', () => {
    const sim = new Simulation();
    const pool = new PacketPool();
    const pipe = makeTcpPipe(sim, pool, { endpointA: { open: 'active' }, endpointB: { open: 'passive' } });
    expect([pipe.a.state, pipe.b.state]).toEqual(['closed', 'listen']);
    const firstData: number[] = [];
    const send = pipe.ab.send.bind(pipe.ab);
    pipe.ab.send = (p: Packet) => {
      if (p.payloadBytes > 0 && firstData.length === 0) firstData.push(sim.now);
      send(p);
    };
    let established = 0;
    pipe.b.onEstablished = () => established++;
    const rec = new DeliveryRecorder().attach(pipe.b, sim);
    pipe.a.connect();
    bulkWrite(pipe.a, 300_000);
    sim.run();
    expect(firstData[0]).toBe(2 * (ctlNs + lat)); // SYN there, SYN-ACK back
    expect([pipe.a.state, pipe.b.state]).toEqual(['established', 'established']);
    expect(established).toBe(1);
    expect(rec.nextOffset).toBe(300_000);
    expect(rec.errors).toBe(0);
    // The handshake gave the first RTT sample: the timer left its initial 3 s.
    expect(pipe.a.rtoNs).toBe(TCP_DEFAULTS.minRtoNs);
    expect(() => pipe.a.connect()).toThrow(/connect\(\) needs open: 'active' and a closed connection/);
  });

  it('a lost SYN is sent again after the initial RTO (3 s)', () => {
    const t = transfer(10_000, { loseAB: loseIndices(0) }, undefined, true);
    expectExact(t, 10_000);
    expect(t.pipe.a.stats.timeouts).toBe(1);
    expect(t.doneAtNs).toBeGreaterThan(TCP_DEFAULTS.initialRtoNs);
    expect(t.doneAtNs).toBeLessThan(TCP_DEFAULTS.initialRtoNs + TCP_DEFAULTS.delayedAckNs + 1_000_000);
  });

  it('a lost SYN-ACK: the SYN is sent again and answered, the transfer completes', () => {
    const t = transfer(10_000, { loseBA: loseIndices(0) }, undefined, true);
    expectExact(t, 10_000);
    expect(t.doneAtNs).toBeGreaterThan(TCP_DEFAULTS.initialRtoNs);
  });

  it('a lost final ACK costs nothing: the first data segment carries the ACK that completes the handshake', () => {
    for (const lose of [false, true]) {
      const sim = new Simulation();
      const pool = new PacketPool();
      const pipe = makeTcpPipe(sim, pool, {
        endpointA: { open: 'active' },
        endpointB: { open: 'passive' },
        loseAB: (_p, i) => lose && i === 1, // 0: SYN, 1: the bare ACK (no data queued yet)
      });
      const rec = new DeliveryRecorder().attach(pipe.b, sim);
      pipe.a.connect();
      sim.run(1_000_000);
      expect(pipe.a.state).toBe('established');
      expect(pipe.b.state).toBe(lose ? 'synReceived' : 'established');
      bulkWrite(pipe.a, 10_000);
      sim.run();
      expect(pipe.b.state).toBe('established');
      expect(rec.nextOffset).toBe(10_000);
      expect(pipe.a.stats.timeouts + pipe.b.stats.timeouts).toBe(0);
      expect(pipe.ab.lost).toBe(lose ? 1 : 0);
    }
  });
});

describe('TCP timing against hand-computed traces', () => {
  it('one 1000-byte segment is ACKed by the delayed-ACK timer (40 ms, Linux 2.4 TCP_DELACK_MIN)', () => {
    const t = transfer(1000, { latencyNs: 50_000 });
    expectExact(t, 1000);
    // Wire: 1000 + 40 + 14 + 4 + 8 + 12 = 1078 bytes = 8624 ns at 1 Gb/s; the ACK: 40 + 38 = 78 bytes = 624 ns.
    const dataArrive = 8624 + 50_000;
    const ackArrive = dataArrive + 40_000_000 + (40 + 38) * 8 + 50_000;
    expect(t.doneAtNs).toBe(ackArrive);
    expect(t.pipe.b.stats.acksSent).toBe(1);
  });

  it('slow start: two segments, then three (one ACK for two grows cwnd by one MSS), then more', () => {
    const sim = new Simulation();
    const pool = new PacketPool();
    const rounds: number[] = [];
    const pipe = makeTcpPipe(sim, pool, { latencyNs: 10_000_000 }); // 20 ms RTT: rounds are apart
    let lastRoundAt = -1e12;
    const send = pipe.ab.send.bind(pipe.ab);
    pipe.ab.send = (p: Packet) => {
      if (sim.now - lastRoundAt > 5_000_000) {
        rounds.push(0);
        lastRoundAt = sim.now;
      }
      rounds[rounds.length - 1]! += 1;
      send(p);
    };
    bulkWrite(pipe.a, 100 * 1460);
    sim.run(4 * 20_000_000 + 1_000_000);
    // Round 1: IW = 2 segments. The receiver ACKs the second at once (every second segment): one ACK for
    // two segments adds one MSS in slow start (RFC 5681 eq. 2) → cwnd 3, so round 2 is 3 segments.
    expect(rounds[0]).toBe(2);
    expect(rounds[1]).toBe(3);
    expect(rounds.length).toBeGreaterThanOrEqual(3);
  });

  it('RTO follows RFC 6298 on a steady RTT and never falls below the 200 ms minimum', () => {
    const t = transfer(3_000_000, { latencyNs: 1_000_000 });
    expectExact(t, 3_000_000);
    const a = t.pipe.a;
    expect(a.stats.rttSamples).toBeGreaterThan(10);
    expect(a.srttValueNs).toBeGreaterThanOrEqual(2_000_000); // at least the two-way propagation
    expect(a.rtoNs).toBe(TCP_DEFAULTS.minRtoNs);
  });
});

describe('TCP CPU hooks', () => {
  it('a receiver-CPU-bound transfer runs at the rate its per-packet and per-byte costs allow', () => {
    for (const mtu of [1500, 500]) {
      const rx = { txPacketNs: 2_000, txByteNs: 0, rxPacketNs: 10_000, rxByteNs: 5 };
      const sim = new Simulation();
      const pool = new PacketPool();
      const cpu = new FifoCpu(sim);
      const pipe = makeTcpPipe(sim, pool, { endpoint: { mtuBytes: mtu }, endpointB: { cpu, costs: rx } });
      const total = 5_000_000;
      const rec = new DeliveryRecorder().attach(pipe.b, sim);
      bulkWrite(pipe.a, total);
      sim.run();
      expect(pipe.b.stats.bytesDelivered).toBe(total);
      const mss = mtu - 40;
      // Per two segments: two receptions and one ACK.
      const nsPerTwo = 2 * (rx.rxPacketNs + mss * rx.rxByteNs) + rx.txPacketNs;
      const predicted = (2 * mss * 8 * 1e9) / nsPerTwo;
      const done = rec.lastDeliveryNs;
      const goodput = (total * 8 * 1e9) / done;
      expect(goodput / predicted).toBeGreaterThan(0.97);
      expect(goodput / predicted).toBeLessThan(1.0001);
    }
  });

  it('the same bytes cost more CPU at a smaller MTU', () => {
    const busy: number[] = [];
    for (const mtu of [1500, 500]) {
      const sim = new Simulation();
      const pool = new PacketPool();
      const cpu = new FifoCpu(sim);
      const costs = { txPacketNs: 3_000, txByteNs: 1, rxPacketNs: 3_000, rxByteNs: 1 };
      const pipe = makeTcpPipe(sim, pool, { endpoint: { mtuBytes: mtu }, endpointA: { cpu, costs } });
      bulkWrite(pipe.a, 1_000_000);
      sim.run();
      expect(pipe.b.stats.bytesDelivered).toBe(1_000_000);
      busy.push(cpu.busyNs);
    }
    expect(busy[1]! / busy[0]!).toBeGreaterThan(2);
  });
});

describe('TCP receiving borrowed packets (the caller releases them)', () => {
  for (const withCpu of [false, true])
    it(`is byte-exact under loss and returns every packet to the pool (${withCpu ? 'with' : 'without'} a CPU)`, () => {
      const total = 500_000;
      const sim = new Simulation();
      const pool = new PacketPool();
      const costs = { txPacketNs: 1_000, txByteNs: 1, rxPacketNs: 1_000, rxByteNs: 1 };
      const cpu = withCpu ? { cpu: new FifoCpu(sim), costs } : {};
      const pipe = makeTcpPipe(sim, pool, { borrowed: true, endpointB: cpu, loseAB: loseIndices(30, 31, 90) });
      const rec = new DeliveryRecorder().attach(pipe.b, sim);
      bulkWrite(pipe.a, total);
      sim.run();
      expect(rec.errors).toBe(0);
      expect(rec.nextOffset).toBe(total);
      expect(pipe.a.ackedBytes).toBe(total);
      expect(pool.inUse).toBe(0);
    });
});

describe('TCP transmit context', () => {
  it("marks what the application's write sends (false) apart from what ACKs and timers send (true)", () => {
    const sim = new Simulation();
    const pool = new PacketPool();
    const seen: string[] = [];
    const pipe = makeTcpPipe(sim, pool, { latencyNs: 1_000_000 });
    // Wrap a's transmit as the endpoint sees it: re-create a with a recording transmit.
    const a = new TcpEndpoint(sim, {
      name: 'a2',
      pool,
      transmit: (p, fromKernel) => {
        seen.push(`${p.payloadBytes > 0 ? 'data' : 'ack'}:${fromKernel ? 'kernel' : 'app'}`);
        pipe.ab.send(p);
      },
      localAddr: 0x0a000001,
      localPort: 5001,
      remoteAddr: 0x0a000002,
      remotePort: 5001,
    });
    pipe.ba.connect((p) => a.receive(p));
    a.write(10 * 1460);
    a.close();
    sim.run();
    // Initial window: two segments from write; everything after is clocked out by ACKs.
    expect(seen.slice(0, 3)).toEqual(['data:app', 'data:app', 'data:kernel']);
    expect(seen.filter((x) => x === 'data:app')).toHaveLength(2);
    expect(pipe.b.stats.bytesDelivered).toBe(10 * 1460);
  });
});

describe('TCP options', () => {
  it('refuses bad options with one line naming the field', () => {
    const sim = new Simulation();
    const base = {
      pool: new PacketPool(),
      transmit: () => {},
      localAddr: 1,
      localPort: 1,
      remoteAddr: 2,
      remotePort: 2,
    };
    expect(() => new TcpEndpoint(sim, { ...base, mtuBytes: 40 })).toThrow(
      'TcpEndpoint: mtuBytes must be an integer >= 68 and <= 65535, got 40',
    );
    expect(() => new TcpEndpoint(sim, { ...base, name: 'x', sndBufBytes: 100 })).toThrow(
      /TcpEndpoint\(x\): sndBufBytes/,
    );
    expect(() => new TcpEndpoint(sim, base).write(-1)).toThrow(/bytes must be a non-negative integer, got -1/);
  });

  it('sequence numbers wrap modulo 2^32 on the wire and delivery stays exact across the wrap (with losses)', () => {
    const total = 400_000;
    const issA = 2 ** 32 - 100_000; // a's stream crosses 2^32 after 100 kB
    const issB = 2 ** 32 - 1;
    const seqs: number[] = [];
    const t = transfer(total, {
      endpointA: { initialSeq: issA, peerInitialSeq: issB },
      endpointB: { initialSeq: issB, peerInitialSeq: issA },
      loseAB: (p, i) => {
        seqs.push(p.tcpSeq);
        return i === 60 || i === 75 || i === 120;
      },
    });
    expectExact(t, total);
    expect(seqs[0]).toBe(issA + 1); // the first data byte follows the (notional) SYN at ISS
    expect(seqs.some((q) => q < 100_000)).toBe(true); // wrapped
    expect(t.pipe.a.stats.timeouts).toBe(0);
  });
});

describe('TCP_NODELAY (Nagle off)', () => {
  /**
   * a writes 100 bytes at t = 0 and 100 more at 1, 2, 3 and 4 µs over the default pipe (1 Gb/s, 50 µs each
   * way); returns (time, payload) of every data segment a sends. `setNoDelayAtNs`: switch the option on then.
   */
  function smallWrites(noDelay: boolean, setNoDelayAtNs = -1): [number, number][] {
    const sim = new Simulation();
    const pool = new PacketPool();
    const pipe = makeTcpPipe(sim, pool, { endpointA: { noDelay } });
    const sent: [number, number][] = [];
    const send = pipe.ab.send.bind(pipe.ab);
    pipe.ab.send = (p: Packet) => {
      if (p.payloadBytes > 0) sent.push([sim.now, p.payloadBytes]);
      send(p);
    };
    for (let i = 0; i < 5; i++) sim.schedule(i * 1000, () => expect(pipe.a.write(100)).toBe(100));
    if (setNoDelayAtNs >= 0) sim.schedule(setNoDelayAtNs, () => pipe.a.setNoDelay(true));
    sim.run(1e9);
    expect(pipe.b.receivedBytes).toBe(500);
    return sent;
  }

  it('without it (Nagle on) the small writes coalesce and wait for the ACK of the first (delayed 40 ms)', () => {
    // data 1: 178 wire bytes = 1424 ns + 50 µs → at b at 51 424 ns; b's delayed ACK 40 ms later; the ACK
    // (78 wire bytes, 624 ns) + 50 µs → at a at 40 102 048 ns, when the other four writes leave as one.
    expect(smallWrites(false)).toEqual([
      [0, 100],
      [40_102_048, 400],
    ]);
  });

  it('with it every small write leaves at once, without waiting for an ACK', () => {
    expect(smallWrites(true)).toEqual([
      [0, 100],
      [1000, 100],
      [2000, 100],
      [3000, 100],
      [4000, 100],
    ]);
  });

  it('setNoDelay(true) sends what Nagle held back at once', () => {
    expect(smallWrites(false, 10_000)).toEqual([
      [0, 100],
      [10_000, 400],
    ]);
  });
});

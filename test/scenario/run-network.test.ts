// The network part of a scenario run (src/scenario/run.ts: host.nic and udp-request-response) against
// independent arithmetic: at a low rate every request meets an idle path, so its response time is the
// hand sum of the two link crossings (serialization of the wire bytes at the link rate, the one-way
// latency, the NIC's DMA), the back end's per-packet costs and page flip, the guest's per-packet CPU on
// both sides, one event-channel upcall and one hypercall, and the service CPU; the link utilisation is
// requests × serialization time / window in each direction; a server offered twice what its CPU can do
// answers at its service rate and drops the rest (drop rate 1 − μ/λ); the back end in dom0 moves the
// per-packet costs from hypervisor time to dom0's CPU. Packet conservation is checked inside every run.
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL_DEFAULTS } from '../../src/models/events/event-channels.js';
import { NETWORK_DEFAULTS } from '../../src/models/net/network.js';
import { HEADER_BYTES } from '../../src/models/net/packet.js';
import { NIC_DEFAULTS } from '../../src/models/net/nic.js';
import { checkScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { makeNet } from '../models/net/helpers.js';

const UDP_FRAME = HEADER_BYTES.ethernet + HEADER_BYTES.ipv4 + HEADER_BYTES.udp + HEADER_BYTES.ethernetFcs; // 46
const WIRE_EXTRA = 20; // preamble + inter-frame gap (packet.ts)

function scenario(
  workload: Record<string, unknown>,
  over: { nic?: Record<string, unknown>; placement?: 'hypervisor' | 'dom0'; lengthMs?: number; count?: number } = {},
): Scenario {
  return checkScenario(
    {
      name: 'net',
      host: { cpus: 1, contextSwitchCosts: false, timerTickMs: 0, nic: over.nic ?? {} },
      hypervisor: {
        scheduler: 'credit',
        ...(over.placement === undefined ? {} : { backendPlacement: over.placement }),
      },
      domains: [{ name: 'udp', count: over.count ?? 1, workload: { kind: 'udp-request-response', ...workload } }],
      slos: [],
      run: { lengthMs: over.lengthMs ?? 2000, warmupMs: 100, replications: 2, seed: 1 },
    },
    'test',
  );
}

function udpRow(r: ReturnType<typeof runScenario>): Record<string, number | string> {
  const t = r.templates[0];
  if (t === undefined) throw new Error('no row');
  return t;
}

describe('udp-request-response', () => {
  it('an idle path: response time = the hand-summed network and CPU path, exactly', () => {
    const rateBitsPerS = 100e6;
    const latencyNs = 20_000;
    const s = scenario(
      { rateHz: 10, requestBytes: 100, responseBytes: 1000, service: { distribution: 'constant', meanMs: 1 } },
      { nic: { rate: '100Mbps', latencyUs: 20 } },
    );
    const r = runScenario(s, 'x');
    // the guest's per-packet costs and the page flip, as the network model prices them for a guest
    const { net, guests } = makeNet({ channels: false });
    const g = net.endpoint((guests[0] as { id: number }).id);
    const flipNs = net.vif((guests[0] as { id: number }).id).flipNs;
    const ser = (frame: number): number => Math.ceil(((frame + WIRE_EXTRA) * 8 * 1e9) / rateBitsPerS);
    const dma = (frame: number): number => Math.ceil((frame * 1e9) / NIC_DEFAULTS.dmaBytesPerS);
    const req = UDP_FRAME + 100;
    const resp = UDP_FRAME + 1000;
    const expectedNs =
      ser(req) +
      latencyNs +
      dma(req) + // client → NIC
      NETWORK_DEFAULTS.backendRxPacketNs +
      flipNs + // back end receive and page flip
      EVENT_CHANNEL_DEFAULTS.upcallNs + // the receive notification to the guest
      g.packetCostNs(100) + // guest receive
      1_000_000 + // service
      g.packetCostNs(1000) + // guest transmit
      EVENT_CHANNEL_DEFAULTS.hypercallNs + // the transmit notification to the back end
      NETWORK_DEFAULTS.backendTxPacketNs -
      NETWORK_DEFAULTS.nicIrqHandlerNs + // its transmit-completion interrupt comes after the frame left
      dma(resp) +
      ser(resp) +
      latencyNs; // NIC → client
    const row = udpRow(r);
    expect(row['responses']).toBe(20);
    expect(row['respP50Ms']).toBe(expectedNs / 1e6);
    expect(row['respP999Ms']).toBe(expectedNs / 1e6);
    expect(row['respMeanMs']).toBeCloseTo(expectedNs / 1e6, 9);
    expect(row['dropRate']).toBe(0);
    // link utilisation: each request and response occupies its lane for its serialization time
    expect(r.measures.nicInUtilisation).toBeCloseTo((20 * ser(req)) / 2e9, 12);
    expect(r.measures.nicOutUtilisation).toBeCloseTo((20 * ser(resp)) / 2e9, 12);
    expect(r).toEqual(runScenario(s, 'x'));
  });

  it('a server offered twice its capacity answers at most at its service rate and drops the rest (about 1 − μ/λ)', () => {
    const s = scenario(
      { rateHz: 2000, requestBytes: 64, responseBytes: 64, service: { distribution: 'constant', meanMs: 1 } },
      { lengthMs: 3000 },
    );
    const r = runScenario(s, 'x');
    const row = udpRow(r);
    const { net, guests } = makeNet({ channels: false });
    const g = net.endpoint((guests[0] as { id: number }).id);
    // the domain's CPU per answered request: service + receive + transmit + the notifications
    const perRequestNs =
      1e6 + 2 * g.packetCostNs(64) + EVENT_CHANNEL_DEFAULTS.upcallNs + EVENT_CHANNEL_DEFAULTS.hypercallNs;
    const mu = 1e9 / perRequestNs;
    const tput = row['throughputPerS'] as number;
    expect(tput).toBeLessThanOrEqual(mu); // cannot answer faster than its CPU allows
    expect(tput / mu).toBeGreaterThan(0.9); // dropped requests cost receive CPU too, a few per cent here
    // every request is answered or dropped (a queue of at most 128 + 256 ring buffers in flight at the ends)
    expect(Math.abs((row['dropRate'] as number) - (1 - tput / 2000))).toBeLessThan(0.05);
    expect(row['dropRate'] as number).toBeGreaterThan(1 - mu / 2000 - 0.02);
    expect(r.measures.cpuHeadroom).toBeLessThan(0.02);
  });

  it("backendPlacement dom0 moves the back end's per-packet work from hypervisor time to dom0", () => {
    const w = { rateHz: 500, requestBytes: 64, responseBytes: 512 };
    const hv = runScenario(scenario(w, { placement: 'hypervisor' }), 'x');
    const d0 = runScenario(scenario(w, { placement: 'dom0' }), 'x');
    // 2 packets per request, 1 µs each direction: about 500 × 2 µs / s of back-end work
    expect(hv.measures.hypervisorFraction).toBeGreaterThan(0.0009);
    // only the NIC interrupt handlers stay in the hypervisor: one per frame, 2 frames per request
    expect(d0.measures.hypervisorFraction).toBeCloseTo((2 * 500 * NETWORK_DEFAULTS.nicIrqHandlerNs) / 1e9, 5);
    expect(udpRow(d0)['respMeanMs'] as number).toBeGreaterThan(udpRow(hv)['respMeanMs'] as number);
  });
});

// The SPECweb99-like web workload (net/web.ts, web-scenario.ts): the file set against its hand-computed
// mean, request conservation (issued = completed + in flight + failed) with failures forced by a short
// timeout, a single request on an idle host (Table 3 pricing of the request path, and a dynamic request
// taking exactly dynamicComputeNs longer than the same static one), the conformance arithmetic of a
// paced client, the score search on a synthetic probe and on a real CPU-bound server, determinism, and
// bad parameters.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/index.js';
import { Rng } from '../../../src/sim/rng.js';
import { EventChannels } from '../../../src/models/events/event-channels.js';
import { GuestProfile } from '../../../src/models/guest/profile.js';
import { Host } from '../../../src/models/host/host.js';
import { Network } from '../../../src/models/net/network.js';
import { ipv4 } from '../../../src/models/net/packet.js';
import {
  drawFileBytes,
  findWebScore,
  meanFileBytes,
  WebWorkload,
  type WebParams,
  type WebWindow,
} from '../../../src/models/net/web.js';
import { runWebCell } from '../../../src/models/net/web-scenario.js';

/** A scripted Rng: next() cycles through `seq`. */
function scripted(seq: readonly number[]): Rng {
  let i = 0;
  return { next: () => seq[i++ % seq.length] as number } as unknown as Rng;
}

/** One idle Xen host, one server domain, one client; returns the workload after `runNs`. */
function oneClient(rng: Rng, params: Partial<WebParams>, runNs: number): { w: WebWorkload; net: Network } {
  const sim = new Simulation();
  const host = new Host(sim, { cpus: 1, mode: 'xen' });
  const net = new Network(sim, { host, channels: new EventChannels(host), guest: { profile: 'xen' } });
  const d = host.control.createDomain({ name: 'web' });
  host.control.attachDevice(d.id, 'vif', { addr: ipv4('10.0.0.1') });
  const client = net.addRemoteHost({ name: 'client', addr: ipv4('192.168.0.2') });
  const w = new WebWorkload(sim, {
    clients: 1,
    server: net.endpoint(d.id),
    serverVcpu: d.vcpus[0] as NonNullable<(typeof d.vcpus)[0]>,
    profile: new GuestProfile('xen'),
    clientHosts: [client],
    rng,
    params,
  });
  w.start();
  sim.run(runNs);
  return { w, net };
}

// Static request: 0.99 ≥ dynamicShare; class 0 (u = 0); rank 1 (v = 0) → 5 × 100 = 500 bytes.
const STATIC_500 = [0.99, 0, 0];
// Dynamic GET: 0 < dynamicShare; 0.5 ≥ post + cgi shares → dynamic; then the same 500-byte file.
const DYNAMIC_500 = [0, 0.5, 0, 0];

describe('web workload (SPECweb99-like)', () => {
  it('file set: mean file size matches the hand-computed 14,267 bytes, and class 0 is 35% of draws', () => {
    // Σ_r (1/r)/H9 · size_r with sizes 5,4,6,3,7,2,8,1,9 = 13.7512/2.82897 = 4.8609 base sizes;
    // × (0.35·100 + 0.5·1000 + 0.14·10^4 + 0.01·10^5 = 2935 bytes) = 14,267 bytes.
    expect(meanFileBytes()).toBeCloseTo(14_267, -1);
    const rng = new Rng('files');
    let sum = 0;
    let small = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const b = drawFileBytes(rng);
      sum += b;
      if (b < 1000) small++;
    }
    expect(Math.abs(sum / n / meanFileBytes() - 1)).toBeLessThan(0.03);
    expect(Math.abs(small / n - 0.35)).toBeLessThan(0.005);
  });

  it('request conservation: issued = completed + in flight + failed, with failures forced by a short timeout', () => {
    const r = runWebCell({
      seed: 3,
      clientsPerGuest: 40,
      warmupNs: 0,
      runLengthNs: 300_000_000,
      params: { timeoutNs: 1_500_000 },
    });
    expect(r.total.failed).toBeGreaterThan(0);
    expect(r.total.completed).toBeGreaterThan(0);
    // runWebCell checks conservation itself (it throws otherwise); check the window's counts too.
    const { w } = oneClient(new Rng('c'), { timeoutNs: 300_000 }, 2_000_000_000);
    expect(w.issued).toBe(w.completed + w.inFlight + w.failed);
    expect(w.issued).toBeGreaterThan(5);
    expect(w.failed).toBeGreaterThan(0);
    expect(w.issuedByKind.static + w.issuedByKind.dynamic + w.issuedByKind.post + w.issuedByKind.cgi).toBe(w.issued);
    w.checkConservation();
  });

  it('one request on an idle host: Table 3 prices the path; a dynamic GET takes exactly dynamicComputeNs more', () => {
    const dynamicComputeNs = 150_000;
    const s = oneClient(scripted(STATIC_500), { dynamicComputeNs }, 5_000_000);
    const d = oneClient(scripted(DYNAMIC_500), { dynamicComputeNs }, 5_000_000);
    // Xen row of Table 3: select TCP 5.69 + 2 × null I/O 0.50 + stat 1.22 + open/close 1.88 = 9.79 µs.
    expect(s.w.requestCpuNs('static')).toBe(9_790);
    expect(s.w.requestCpuNs('dynamic')).toBe(9_790 + dynamicComputeNs);
    // fork 198 + exec 768 µs on top of the dynamic cost (page-table work is inside the Table 3 cells).
    expect(Math.abs(s.w.requestCpuNs('cgi') - (9_790 + dynamicComputeNs + 966_000))).toBeLessThan(1_000);
    expect(s.w.responseNs.length).toBe(1);
    expect(d.w.responseNs.length).toBe(1);
    const rtS = s.w.responseNs[0] as number;
    const rtD = d.w.responseNs[0] as number;
    expect(rtD - rtS).toBe(dynamicComputeNs);
    // Lower bound: the request (300 + 40 header bytes) and the response (500 + 40) each cross the 1 Gb/s link.
    expect(rtS).toBeGreaterThan(((340 + 540) * 8) / 1 + 9_790);
    s.net.checkConservation();
    d.net.checkConservation();
  });

  it('conformance: a paced client faster than its pacing runs at exactly the target rate; a slow server halves it', () => {
    // All requests POSTs with a 1000-byte response: pacing 8000 bits / 400 kbit/s = 20 ms per request.
    const allPost = { dynamicShare: 1, postShareOfDynamic: 1, cgiShareOfDynamic: 0 };
    const fast = oneClient(new Rng('f'), { ...allPost, dynamicComputeNs: 1_000_000 }, 1_000_000_000);
    const wf = fast.w.window();
    expect(wf.clientBps[0]).toBeCloseTo(400_000, 6);
    expect(wf.conformantClients).toBe(1);
    expect(wf.clientRateMbps).toBeLessThanOrEqual(0.4 + 1e-12);
    expect(wf.completed).toBe(50); // one request every 20 ms over 1 s (the 50th completes at 980 ms + rt)
    // 40 ms of computation per request: the client's time per request is the response time (> pacing),
    // so its rate is 8000 bits / rt ≤ 8000 / 40 ms = 200 kbit/s < 320 kbit/s: not conformant.
    const slow = oneClient(new Rng('s'), { ...allPost, dynamicComputeNs: 40_000_000 }, 1_000_000_000);
    const ws = slow.w.window();
    const rtMs = ws.meanMs;
    expect(rtMs).toBeGreaterThan(40);
    expect(rtMs).toBeLessThan(42);
    const bps = ws.clientBps[0] as number;
    expect(bps).toBeLessThanOrEqual(200_000);
    expect(bps).toBeGreaterThan(8000 / 0.042);
    expect(ws.conformantClients).toBe(0);
  });

  it('score search: bisection finds the largest count whose conformant share is ≥ 95%', () => {
    const probe = (n: number): WebWindow => ({ conformantClients: Math.min(n, 37) }) as WebWindow;
    const r = findWebScore(probe, 100);
    // 38 clients: 37 ≥ 0.95·38 = 36.1 passes; 39: 37 < 37.05 fails.
    expect(r.passingClients).toBe(38);
    expect(r.score).toBe(37);
    expect(r.probes.length).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(101)));
    expect(findWebScore(() => ({ conformantClients: 0 }) as WebWindow, 8).score).toBe(0);
  });

  it('score search on a CPU-bound server: about capacity / per-client demand clients', () => {
    // Every request dynamic with 20 ms of computation: the server does at most 50 requests/s. A conformant
    // client needs, per request of mean 14.27 kB, 8·14267/320k = 357 ms at most: ≥ 2.8 requests/s; so at
    // most 50 / 2.8 ≈ 17.9 clients can be conformant (fewer: variance of the file sizes).
    const params = { dynamicShare: 1, postShareOfDynamic: 0, cgiShareOfDynamic: 0, dynamicComputeNs: 20_000_000 };
    const probe = (n: number): WebWindow =>
      runWebCell({ seed: 7, clientsPerGuest: n, warmupNs: 500_000_000, runLengthNs: 3_000_000_000, params }).total;
    const r = findWebScore(probe, 32);
    expect(r.score).toBeGreaterThan(4);
    expect(r.score).toBeLessThanOrEqual(18);
  });

  it('is deterministic: the same cell twice gives the same numbers', () => {
    const o = { seed: 11, clientsPerGuest: 20, warmupNs: 50_000_000, runLengthNs: 200_000_000 };
    expect(runWebCell(o)).toEqual(runWebCell(o));
  });

  it('bad parameters get one clear message naming the field', () => {
    const o = { seed: 1, warmupNs: 0, runLengthNs: 1_000_000 };
    expect(() => runWebCell({ ...o, clientsPerGuest: 0 })).toThrow(
      /WebWorkload: clients must be .*got 0|clientsPerGuest/,
    );
    expect(() => runWebCell({ ...o, clientsPerGuest: 1, notifyEveryItems: 0 })).toThrow(/notifyEveryItems must be/);
    expect(() =>
      runWebCell({ ...o, clientsPerGuest: 1, params: { postShareOfDynamic: 0.7, cgiShareOfDynamic: 0.5 } }),
    ).toThrow(/cgiShareOfDynamic must be at most 1 − postShareOfDynamic/);
    expect(() => runWebCell({ ...o, clientsPerGuest: 1, params: { dynamicShare: 1.5 } })).toThrow(
      /dynamicShare must be a number in \[0, 1\], got 1.5/,
    );
  });
});

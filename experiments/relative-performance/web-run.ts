// The relative-performance study's SPECweb99-like row: one web server (src/models/net/web.ts: request
// mix, file set, 400 kbit/s paced clients, conformant at ≥ 320 kbit/s) on one profile, one CPU, set up
// like the study's other rows (src/models/workloads/on-profile.ts hostForProfile: native on the
// bare-metal host, its kernel's packet path as the NIC interrupt's softirq; xen, full-virt and hosted as
// one guest beside an idle domain 0 on a one-CPU Xen host with the timer event). The server's network
// path is the network model (src/models/net/network.ts): one VIF (native: one interface of the kernel),
// the back end in the hypervisor (native: the driver's softirq), event-channel notifications (Xen host),
// every packet's guest-side cost the profile's 'net packet' operation plus the per-byte copy, the page
// flip priced by the profile; the request's own CPU priced by the profile (web.ts). Clients: 4 remote
// machines beyond the 1 Gb/s NIC (web-scenario.ts's default). Ramp (assumption, after SPECweb99's
// ramp-up): the clients join in groups of 64, evenly spaced over the first half of the warm-up, group g
// with its own request-mix stream web/g<g> and port range (measured, all 1000 at once on native: 488
// first packets dropped — 512 got through — and those clients waited out TCP's 3 s initial RTO, longer
// than a probe, so a probe measured the start burst, not the server). Packet, request and CPU-time
// conservation are checked after every run.
// Score: web.ts findWebScore — bisection over the client count for the largest count with ≥ 95% of the
// clients conformant, one fresh run per probe; the probes are multiples of `clientStep` (clientStep 1:
// the standard search; larger steps: a coarser, cheaper search whose score is still the conformant
// clients of a run that passed). Units: ns, clients.
import { EventChannels } from '../../src/models/events/event-channels.js';
import type { VirtProfile } from '../../src/models/guest/operations.js';
import { GuestProfile } from '../../src/models/guest/profile.js';
import type { NetEndpoint } from '../../src/models/net/endpoint.js';
import { Network } from '../../src/models/net/network.js';
import { ipv4 } from '../../src/models/net/packet.js';
import { findWebScore, quantileSorted, WEB_DEFAULTS, WebWorkload, type WebWindow } from '../../src/models/net/web.js';
import { hostForProfile } from '../../src/models/workloads/on-profile.js';
import { RandomStreams } from '../../src/sim/index.js';

export interface WebRunOptions {
  readonly seed: string;
  readonly timerTickNs: number;
  readonly ptBatch: number;
  readonly warmupNs: number;
  readonly runLengthNs: number;
}

/** One probe's measured window (all client groups together) and what the run says about the server. */
export interface WebRun extends WebWindow {
  /** Busy share of the CPU over the window (guest or kernel, hypervisor, switching). */
  readonly cpuBusyShare: number;
  /** Packets the network dropped since the start (any reason). */
  readonly drops: number;
  readonly events: number;
}

/** Clients that join at once (module header: the ramp). */
const RAMP_GROUP_CLIENTS = 64;

/** One run of `clients` clients against the web server on `profile`. */
export function runWebOnProfile(profile: VirtProfile, clients: number, o: WebRunOptions): WebRun {
  const { sim, host, os } = hostForProfile(profile, { timerTickNs: o.timerTickNs, ptBatch: o.ptBatch });
  const streams = new RandomStreams(o.seed);
  const net = new Network(sim, {
    host,
    channels: host.bareMetal ? null : new EventChannels(host),
    guest: { profile },
  });
  const dom = os.domain;
  const gp = new GuestProfile(profile);
  host.control.attachDevice(dom.id, 'vif', { addr: ipv4('10.0.0.1') });
  const hosts: NetEndpoint[] = [];
  for (let i = 0; i < 4; i++) hosts.push(net.addRemoteHost({ name: `client${i}`, addr: ipv4(`192.168.0.${i + 2}`) }));
  // the clients join in groups of RAMP_GROUP_CLIENTS, evenly spaced over the first half of the warm-up
  const groups = Math.ceil(clients / RAMP_GROUP_CLIENTS);
  const ws: WebWorkload[] = [];
  for (let g = 0; g < groups; g++) {
    const n = Math.min(RAMP_GROUP_CLIENTS, clients - g * RAMP_GROUP_CLIENTS);
    const w = new WebWorkload(sim, {
      clients: n,
      server: net.endpoint(dom.id),
      serverVcpu: os.vcpu,
      profile: gp,
      clientHosts: hosts,
      rng: streams.stream(`web/g${g}`),
      basePort: WEB_DEFAULTS.basePort + g * RAMP_GROUP_CLIENTS,
    });
    ws.push(w);
    sim.scheduleAt(Math.floor((g * o.warmupNs) / 2 / groups), () => w.start());
  }
  const cpuBusyNs = (): number => {
    const t = host.cpuTimes(0);
    return t.busyNs + t.hypervisorNs + t.switchingNs;
  };
  let busy0 = 0;
  sim.schedule(o.warmupNs, () => {
    for (const w of ws) w.startMeasuring();
    busy0 = cpuBusyNs();
  });
  sim.run(o.warmupNs + o.runLengthNs);
  net.checkConservation();
  for (const w of ws) w.checkConservation();
  host.checkConservation();
  const busy1 = cpuBusyNs();
  return {
    ...mergeWindows(ws),
    cpuBusyShare: (busy1 - busy0) / o.runLengthNs,
    drops: net.droppedTotal,
    events: sim.eventsProcessed,
  };
}

/** The client groups' windows as one (percentiles over every response). */
function mergeWindows(ws: readonly WebWorkload[]): WebWindow {
  const wins = ws.map((w) => w.window());
  const sum = (f: (w: WebWindow) => number): number => wins.reduce((a, w) => a + f(w), 0);
  const samples = ws.flatMap((w) => w.responseNs).sort((a, b) => a - b);
  const q = (p: number): number => quantileSorted(samples, p) / 1e6;
  const completed = sum((w) => w.completed);
  return {
    clients: sum((w) => w.clients),
    conformantClients: sum((w) => w.conformantClients),
    completed,
    failed: sum((w) => w.failed),
    bytes: sum((w) => w.bytes),
    throughputMbps: sum((w) => w.throughputMbps),
    clientRateMbps: sum((w) => w.clientRateMbps),
    requestsPerSec: sum((w) => w.requestsPerSec),
    p50Ms: q(0.5),
    p90Ms: q(0.9),
    p99Ms: q(0.99),
    meanMs: completed === 0 ? NaN : sum((w) => (w.completed > 0 ? w.meanMs * w.completed : 0)) / completed,
    clientBps: wins.flatMap((w) => w.clientBps),
  };
}

/** The web score on one profile and the run it comes from (the largest passing probe; else the last). */
export interface WebScore {
  readonly score: number;
  readonly passingClients: number;
  readonly probes: number;
  readonly run: WebRun;
  readonly events: number;
}

export function webScoreOnProfile(
  profile: VirtProfile,
  search: { readonly maxClients: number; readonly clientStep: number },
  o: WebRunOptions,
): WebScore {
  const step = search.clientStep;
  const runs = new Map<number, WebRun>();
  let events = 0;
  // findWebScore searches k = clients / step and passes a probe when conformant ≥ 95% of k: the probe
  // reports its conformant clients divided by step, so the test is conformant ≥ 95% of k × step
  const s = findWebScore(
    (k) => {
      const r = runWebOnProfile(profile, k * step, o);
      events += r.events;
      runs.set(k, r);
      return { ...r, conformantClients: r.conformantClients / step };
    },
    Math.max(1, Math.floor(search.maxClients / step)),
  );
  const at = s.passingClients > 0 ? s.passingClients : (s.probes[s.probes.length - 1]?.clients ?? 1);
  const run = runs.get(at) as WebRun;
  return {
    score: s.passingClients > 0 ? run.conformantClients : 0,
    passingClients: s.passingClients * step,
    probes: s.probes.length,
    run,
    events,
  };
}

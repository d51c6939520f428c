// One concurrent-web run: `servers` SPECweb99-like web servers (net/web.ts) on the paper's two-CPU
// server, either as Xen web-serving domains (Xen profile, one vCPU each, BVT as Xen 1.0 places them, the
// network back end in the hypervisor) or as server processes of the native kernel on the bare-metal host
// (native profile; process i on CPU i mod 2). Each server has its own clients (web.ts: one persistent connection each, paced to 400 kbit/s, conformant at ≥ 320 kbit/s) on
// 4 remote machines beyond the 1 Gb/s NIC. Xen: each domain has its own VIF and address; native: one
// interface per CPU whose kernel packet path runs on that CPU (network.ts GuestEndpointOptions.vcpu), the
// servers on CPU c using interface c on disjoint port ranges (web.ts `basePort`) — an approximation of
// Linux processing a connection's packets on its process's CPU (assumption). Interrupt load balancing: the back end's per-packet work (the
// NIC interrupt's softirq work, hypervisor or native kernel) goes to PCPU 0 only ('fixed') or to the two
// PCPUs in turn, one packet each ('balanced', network.ts `backendCpus`; the paper does not say how its
// interrupts were balanced: assumption). Packet, request and CPU-time conservation are checked at
// the end of every run. Units: ns, Mb/s, ms. Defaults: none (the study gives them).
import { buildScenario } from '../../src/kit/index.js';
import { EventChannels } from '../../src/models/events/event-channels.js';
import { GuestProfile } from '../../src/models/guest/profile.js';
import { Host } from '../../src/models/host/host.js';
import type { Vcpu } from '../../src/models/host/vcpu.js';
import type { NetEndpoint } from '../../src/models/net/endpoint.js';
import { Network } from '../../src/models/net/network.js';
import { ipv4 } from '../../src/models/net/packet.js';
import { WEB_DEFAULTS, WebWorkload, type WebWindow } from '../../src/models/net/web.js';
import { Simulation } from '../../src/sim/simulation.js';
import { RandomStreams } from '../../src/sim/rng.js';

export const CwebSystem = { xen: 'xen', native: 'native' } as const;
export type CwebSystem = (typeof CwebSystem)[keyof typeof CwebSystem];
export const CwebIrq = { balanced: 'balanced', fixed: 'fixed' } as const;
export type CwebIrq = (typeof CwebIrq)[keyof typeof CwebIrq];

export interface CwebOptions {
  readonly seed: string | number;
  readonly system: CwebSystem;
  readonly servers: number;
  /** Clients of all servers together, spread as evenly as possible (server g gets one more if g < rest). */
  readonly totalClients: number;
  readonly irq: CwebIrq;
  readonly warmupNs: number;
  readonly runLengthNs: number;
}

export interface CwebResult {
  readonly clients: number;
  readonly conformantClients: number;
  readonly completed: number;
  readonly requestsPerSec: number;
  readonly throughputMbps: number;
  readonly clientRateMbps: number;
  /** Busy share (guest/process + interrupt/hypervisor + switching) of the two CPUs over the window. */
  readonly cpuBusy: number;
  /** Busy share of each CPU. */
  readonly cpu0Busy: number;
  readonly cpu1Busy: number;
  /** Interrupt/hypervisor-context time on CPU 0 / on both CPUs (NaN if none). */
  readonly irqShareCpu0: number;
  readonly drops: number;
  readonly events: number;
}

const CPUS = 2;

export function runConcurrentWeb(o: CwebOptions): CwebResult {
  let sim: Simulation;
  let host: Host;
  let streams: RandomStreams;
  const backendCpus = o.irq === CwebIrq.balanced ? [0, 1] : [0];
  let net: Network;
  const servers: { ep: () => NetEndpoint; vcpu: Vcpu; profile: GuestProfile }[] = [];
  if (o.system === CwebSystem.xen) {
    const sc = buildScenario(o.seed, { scheduler: 'bvt-xen1', controlCosts: 'free', cpus: CPUS });
    ({ sim, host, streams } = sc);
    net = new Network(sim, { host, channels: new EventChannels(host), backendCpus });
    const prof = new GuestProfile('xen');
    for (let g = 0; g < o.servers; g++) {
      const d = host.control.createDomain({ name: `web${g}` });
      host.control.attachDevice(d.id, 'vif', { addr: ipv4(`10.0.0.${g + 1}`) });
      const v = d.vcpus[0];
      if (v === undefined) throw new Error(`concurrent-web: domain ${d.name} has no vCPU`);
      const id = d.id;
      servers.push({ ep: () => net.endpoint(id), vcpu: v, profile: prof });
    }
  } else {
    sim = new Simulation();
    streams = new RandomStreams(o.seed);
    host = new Host(sim, { mode: 'bare-metal', cpus: CPUS });
    const k = host.kernel;
    if (k === null) throw new Error('concurrent-web: the bare-metal host has no kernel');
    // one interface per CPU, its kernel packet path on that CPU (GuestEndpointOptions.vcpu)
    net = new Network(sim, { host, backendCpus, guest: (_d, vif) => ({ vcpu: vif }) });
    const prof = new GuestProfile('native');
    for (let c = 0; c < CPUS; c++) host.control.attachDevice(k.id, 'vif', { addr: ipv4(`10.0.0.${c + 1}`) });
    for (let g = 0; g < o.servers; g++) {
      const c = g % CPUS;
      const v = k.vcpus[c];
      if (v === undefined) throw new Error('concurrent-web: the native kernel has fewer vCPUs than CPUs');
      servers.push({ ep: () => net.endpoint(k.id, c), vcpu: v, profile: prof });
    }
  }
  const hosts: NetEndpoint[] = [];
  for (let i = 0; i < 4; i++) hosts.push(net.addRemoteHost({ name: `client${i}`, addr: ipv4(`192.168.0.${i + 2}`) }));
  const workloads: WebWorkload[] = [];
  const base = Math.floor(o.totalClients / o.servers);
  const rest = o.totalClients % o.servers;
  let port = WEB_DEFAULTS.basePort;
  for (let g = 0; g < o.servers; g++) {
    const n = base + (g < rest ? 1 : 0);
    if (n === 0) continue;
    const basePort = port;
    port += n;
    const s = servers[g] as (typeof servers)[number];
    workloads.push(
      new WebWorkload(sim, {
        clients: n,
        server: s.ep(),
        serverVcpu: s.vcpu,
        profile: s.profile,
        clientHosts: hosts,
        rng: streams.stream(`web/g${g}`),
        basePort,
      }),
    );
  }
  const startRng = streams.stream('web/start');
  for (const w of workloads) sim.scheduleAt(Math.floor(startRng.uniform(0, 10_000_000)), () => w.start());
  const times = (): { busy: number; hv: number }[] =>
    [0, 1].map((c) => {
      const t = host.cpuTimes(c);
      return { busy: t.busyNs + t.hypervisorNs + t.switchingNs, hv: t.hypervisorNs };
    });
  let t0 = times();
  sim.schedule(o.warmupNs, () => {
    for (const w of workloads) w.startMeasuring();
    t0 = times();
  });
  sim.run(o.warmupNs + o.runLengthNs);
  net.checkConservation();
  for (const w of workloads) w.checkConservation();
  host.checkConservation();
  const t1 = times();
  const span = o.runLengthNs;
  const d = (c: number, k: 'busy' | 'hv'): number => (t1[c]?.[k] ?? 0) - (t0[c]?.[k] ?? 0);
  const wins: WebWindow[] = workloads.map((w) => w.window());
  const sum = (f: (w: WebWindow) => number): number => wins.reduce((a, w) => a + f(w), 0);
  const hvAll = d(0, 'hv') + d(1, 'hv');
  return {
    clients: sum((w) => w.clients),
    conformantClients: sum((w) => w.conformantClients),
    completed: sum((w) => w.completed),
    requestsPerSec: sum((w) => w.requestsPerSec),
    throughputMbps: sum((w) => w.throughputMbps),
    clientRateMbps: sum((w) => w.clientRateMbps),
    cpuBusy: (d(0, 'busy') + d(1, 'busy')) / (CPUS * span),
    cpu0Busy: d(0, 'busy') / span,
    cpu1Busy: d(1, 'busy') / span,
    irqShareCpu0: hvAll === 0 ? NaN : d(0, 'hv') / hvAll,
    drops: net.droppedTotal,
    events: sim.eventsProcessed,
  };
}

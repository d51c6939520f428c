// One concurrent-web run: `servers` SPECweb99-like web servers (net/web.ts) on the paper's two-CPU
// server, either as Xen web-serving domains (Xen profile, one vCPU each, BVT as Xen 1.0 places them, the
// network back end in the hypervisor) or as server processes of the native kernel on the bare-metal host
// (native profile; process i on CPU i mod 2), built with net/web-host.ts (WebHost). Each server has its
// own clients (web.ts: one persistent connection each, paced to 400 kbit/s, conformant at ≥ 320 kbit/s)
// on 4 remote machines beyond the 1 Gb/s NIC. Xen: each domain has its own VIF and address; native: one
// interface per CPU whose kernel packet path runs on that CPU (network.ts GuestEndpointOptions.vcpu), the
// servers on CPU c using interface c on disjoint port ranges (web.ts `basePort`) — an approximation of
// Linux processing a connection's packets on its process's CPU (assumption). Interrupt load balancing:
// the NIC's interrupt line (network.ts nicIrq, host/interrupts.ts) is routed to PCPU 0 only ('fixed'), to
// the two PCPUs in turn, one interrupt each ('balanced': round-robin; the paper does not say how its
// interrupts were balanced: assumption), or to the less loaded one ('least-loaded'); the handler and the
// receive back-end work run where the interrupt went. Packet, request and CPU-time conservation are
// checked at the end of every run. Units: ns, Mb/s, ms. Defaults: none (the study gives them).
import { GuestProfile } from '../../src/models/guest/profile.js';
import type { Domain } from '../../src/models/host/domain.js';
import type { Vcpu } from '../../src/models/host/vcpu.js';
import type { NetEndpoint } from '../../src/models/net/endpoint.js';
import { ipv4 } from '../../src/models/net/packet.js';
import { WEB_DEFAULTS, type WebWindow } from '../../src/models/net/web.js';
import { WebHost, type WebCpu } from '../../src/models/net/web-host.js';

export const CwebSystem = { xen: 'xen', native: 'native' } as const;
export type CwebSystem = (typeof CwebSystem)[keyof typeof CwebSystem];
export const CwebIrq = { balanced: 'balanced', fixed: 'fixed', leastLoaded: 'least-loaded' } as const;
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
  /** NIC interrupts routed to CPU 0 / all NIC interrupts (NaN if none), over the whole run. */
  readonly nicIrqShareCpu0: number;
  readonly drops: number;
  readonly events: number;
}

const CPUS = 2;

export function runConcurrentWeb(o: CwebOptions): CwebResult {
  const routing = o.irq === CwebIrq.fixed ? 'fixed' : o.irq === CwebIrq.balanced ? 'round-robin' : 'least-loaded';
  const xen = o.system === CwebSystem.xen;
  const wh = new WebHost({ seed: o.seed, system: o.system, cpus: CPUS, nicIrq: { routing, cpus: [0, 1] } });
  const servers: { server: NetEndpoint; vcpu: Vcpu; profile: GuestProfile }[] = [];
  if (xen) {
    const prof = new GuestProfile('xen');
    for (let g = 0; g < o.servers; g++)
      servers.push({ ...wh.domainServer(wh.addDomain(`web${g}`, ipv4(`10.0.0.${g + 1}`))), profile: prof });
  } else {
    // one interface per CPU, its kernel packet path on that CPU; server g on CPU g mod 2
    const prof = new GuestProfile('native');
    const k = wh.host.kernel as Domain;
    const ifs = Array.from({ length: CPUS }, (_, c) => wh.addNativeInterface(ipv4(`10.0.0.${c + 1}`)));
    for (let g = 0; g < o.servers; g++) {
      const c = g % CPUS;
      servers.push({ server: ifs[c] as NetEndpoint, vcpu: k.vcpus[c] as Vcpu, profile: prof });
    }
  }
  const base = Math.floor(o.totalClients / o.servers);
  const rest = o.totalClients % o.servers;
  let port = WEB_DEFAULTS.basePort;
  for (let g = 0; g < o.servers; g++) {
    const n = base + (g < rest ? 1 : 0);
    if (n === 0) continue;
    wh.serve({ ...(servers[g] as (typeof servers)[number]), clients: n, index: g, basePort: port });
    port += n;
  }
  wh.startClients();
  const cpu = wh.run(o.warmupNs, o.runLengthNs);
  const span = o.runLengthNs;
  const wins: WebWindow[] = wh.workloads.map((w) => w.window());
  const sum = (f: (w: WebWindow) => number): number => wins.reduce((a, w) => a + f(w), 0);
  const c0 = cpu.perCpu[0] as WebCpu['perCpu'][number];
  const c1 = cpu.perCpu[1] as WebCpu['perCpu'][number];
  const hvAll = c0.hypervisorNs + c1.hypervisorNs;
  const raised = wh.net.irqLine.raisedPerCpu;
  const irqs = raised.reduce((a, x) => a + x, 0);
  return {
    clients: sum((w) => w.clients),
    conformantClients: sum((w) => w.conformantClients),
    completed: sum((w) => w.completed),
    requestsPerSec: sum((w) => w.requestsPerSec),
    throughputMbps: sum((w) => w.throughputMbps),
    clientRateMbps: sum((w) => w.clientRateMbps),
    cpuBusy: (c0.busyNs + c1.busyNs) / (CPUS * span),
    cpu0Busy: c0.busyNs / span,
    cpu1Busy: c1.busyNs / span,
    irqShareCpu0: hvAll === 0 ? NaN : c0.hypervisorNs / hvAll,
    nicIrqShareCpu0: irqs === 0 ? NaN : (raised[0] ?? 0) / irqs,
    drops: wh.net.droppedTotal,
    events: wh.sim.eventsProcessed,
  };
}

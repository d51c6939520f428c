// One web-serving run (web.ts) on a one-CPU Xen host: `guests` web-server domains (Xen profile unless
// given), each with one VIF and its own `clientsPerGuest` clients, the clients spread over `clientHosts`
// remote machines beyond the 1 Gb/s NIC; event-channel ring notifications under the given notification
// policy (every k items, optional hold-off) on all four ring directions; the back end in the hypervisor
// (Xen 1.0) or in domain 0 (Xen 2.0) as `backendPlacement` says. Clients start at times uniform in the
// first 10 ms (stream `web/start`), `competitors` CPU-bound guests (kit cpuBoundDomains) share the CPU, the request mix draws from stream `web/g<i>`. After `warmupNs` the
// measured window of `runLengthNs` starts. Request, packet and CPU-time conservation are checked at the end
// (the host, network, clients and window are web-host.ts's WebHost, which the other web studies share).
// CPU accounting over the window (host.accounting() and dom0's own time): who pays — the hypervisor
// (hypervisor-context work: the back end when it lives there, notifications), domain 0 (the back end
// when it lives there), the guests — and context switching. Remote clients' CPUs are not modelled
// (network.ts default: assumption, the clients are not the bottleneck). Units: ns, Mb/s, ms.
import { NET_WORKLOADS } from '../calibration.js';
import { cpuBoundDomains, type Scenario } from '../../kit/scenario.js';
import { GuestProfile } from '../guest/profile.js';
import { VirtProfile } from '../guest/operations.js';
import { BackendPlacement } from '../host/backend.js';
import type { Domain } from '../host/domain.js';
import { checkInt, checkOneOf } from '../validate.js';
import { ipv4 } from './packet.js';
import { WebHost } from './web-host.js';
import { quantileSorted, type WebWorkload, type WebParams, type WebWindow } from './web.js';

export interface WebCellOptions {
  readonly seed: string | number;
  readonly clientsPerGuest: number;
  /** Web-server domains, 1 … 64; default 1. */
  readonly guests?: number;
  readonly profile?: VirtProfile;
  readonly backendPlacement?: BackendPlacement;
  /** Ring notification threshold (items), 1 … 256; default 1 (every item). */
  readonly notifyEveryItems?: number;
  /** Ring notification hold-off, ns (null: none); default null. */
  readonly notifyHoldOffNs?: number | null;
  readonly clientHosts?: number;
  /** CPU-bound guests sharing the CPU (kit cpuBoundDomains, named hog1 …); default 0. */
  readonly competitors?: number;
  readonly warmupNs: number;
  readonly runLengthNs: number;
  readonly params?: Partial<WebParams>;
}

export interface WebCellResult {
  /** All guests' clients together (percentiles over all responses). */
  readonly total: WebWindow;
  readonly perGuest: readonly WebWindow[];
  /** Shares of the window's CPU time (one CPU). */
  readonly hypervisorCpu: number;
  readonly dom0Cpu: number;
  /** All guests (web servers and competitors). */
  readonly guestsCpu: number;
  /** The web-server domains only. */
  readonly serverCpu: number;
  readonly switchingCpu: number;
  /** Back-end work issued in the window, share of the window (wherever it ran). */
  readonly backendCpu: number;
  /** Ring notifications (all VIFs, both rings, both directions) in the window. */
  readonly notifications: number;
  /** Packets the network dropped since the start (any reason). */
  readonly drops: number;
  readonly events: number;
}

export function runWebCell(o: WebCellOptions): WebCellResult {
  const where = 'runWebCell';
  const guests = checkInt(where, 'guests', o.guests ?? 1, 1, 64);
  const clients = checkInt(where, 'clientsPerGuest', o.clientsPerGuest, 1, 4096);
  const profile = checkOneOf(where, 'profile', o.profile ?? VirtProfile.xen, VirtProfile);
  const placement = checkOneOf(where, 'backendPlacement', o.backendPlacement ?? 'hypervisor', BackendPlacement);
  const everyItems = checkInt(where, 'notifyEveryItems', o.notifyEveryItems ?? 1, 1, 256);
  const holdOff = o.notifyHoldOffNs ?? null;
  if (holdOff !== null) checkInt(where, 'notifyHoldOffNs', holdOff, 1, 1e12);
  const competitors = checkInt(where, 'competitors', o.competitors ?? 0, 0, 64);
  const nHosts = checkInt(where, 'clientHosts', o.clientHosts ?? NET_WORKLOADS.webClientHosts.value, 1, 64);
  const warmupNs = checkInt(where, 'warmupNs', o.warmupNs, 0, 1e13);
  const runLengthNs = checkInt(where, 'runLengthNs', o.runLengthNs, 1, 1e13);
  const wh = new WebHost({
    seed: o.seed,
    backendPlacement: placement,
    notify: { everyItems, holdOffNs: holdOff },
    guest: { profile },
    clientHosts: nHosts,
  });
  const gp = new GuestProfile(profile);
  const domains: Domain[] = [];
  for (let g = 0; g < guests; g++) {
    const d = wh.addDomain(`web${g}`, ipv4(`10.0.${Math.floor(g / 200)}.${(g % 200) + 1}`));
    domains.push(d);
    wh.serve({
      ...wh.domainServer(d),
      profile: gp,
      clients,
      index: g,
      ...(o.params === undefined ? {} : { params: o.params }),
    });
  }
  const net = wh.net;
  /** Notifications sent on all VIF rings (both directions of both rings). */
  const countNotifies = (): number => {
    let k = 0;
    for (const d of domains) {
      const v = net.vif(d.id);
      for (const r of [v.txRing.counts, v.rxRing.counts]) k += r.requestNotifies + r.responseNotifies;
    }
    return k;
  };
  cpuBoundDomains(wh.scenario as Scenario, { count: competitors, name: (i) => `hog${i + 1}`, workingSetBytes: 0 });
  const serverBusy = (): number => domains.reduce((a, d) => a + d.busyNs, 0);
  let server0 = 0;
  let notif0 = 0;
  wh.startClients();
  const cpu = wh.run(warmupNs, runLengthNs, () => {
    server0 = serverBusy();
    notif0 = countNotifies();
  });
  const notifications = countNotifies() - notif0;
  const span = cpu.spanNs;
  const perGuest = wh.workloads.map((w) => w.window());
  return {
    total: mergeWindows(wh.workloads, perGuest),
    perGuest,
    hypervisorCpu: cpu.hypervisorNs / span,
    dom0Cpu: cpu.dom0Ns / span,
    guestsCpu: cpu.guestsNs / span,
    serverCpu: (serverBusy() - server0) / span,
    switchingCpu: cpu.switchingNs / span,
    backendCpu: cpu.backendNs / span,
    notifications,
    drops: net.droppedTotal,
    events: wh.sim.eventsProcessed,
  };
}

/** The window of all workloads together (percentiles over every response). */
export function mergeWindows(ws: readonly WebWorkload[], wins: readonly WebWindow[]): WebWindow {
  if (ws.length === 1) return wins[0] as WebWindow;
  const samples: number[] = [];
  for (const w of ws) for (const x of w.responseNs) samples.push(x);
  samples.sort((a, b) => a - b);
  const q = (p: number): number => quantileSorted(samples, p) / 1e6;
  let completed = 0;
  let failed = 0;
  let bytes = 0;
  let conformant = 0;
  let clients = 0;
  let mbps = 0;
  let rateMbps = 0;
  let rps = 0;
  let sumMs = 0;
  const clientBps: number[] = [];
  for (const w of wins) {
    completed += w.completed;
    failed += w.failed;
    bytes += w.bytes;
    conformant += w.conformantClients;
    clients += w.clients;
    mbps += w.throughputMbps;
    rateMbps += w.clientRateMbps;
    rps += w.requestsPerSec;
    if (w.completed > 0) sumMs += w.meanMs * w.completed;
    clientBps.push(...w.clientBps);
  }
  return {
    clients,
    conformantClients: conformant,
    completed,
    failed,
    bytes,
    throughputMbps: mbps,
    clientRateMbps: rateMbps,
    requestsPerSec: rps,
    p50Ms: q(0.5),
    p90Ms: q(0.9),
    p99Ms: q(0.99),
    meanMs: completed === 0 ? NaN : sumMs / completed,
    clientBps,
  };
}

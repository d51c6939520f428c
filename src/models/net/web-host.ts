// The setup every web-serving study shares: a host with the network data path, the client machines
// beyond its NIC, web-server domains (or native server processes) with their SPECweb99-like clients
// (web.ts), the clients' staggered start, and the measurement window of the host's CPU.
//
// What it holds. `new WebHost({ seed, system, cpus, backendPlacement, notify, guest, nicIrq, clientHosts })`
// builds the simulation, the host and the Network:
//   * system 'xen' (default): the kit's scenario (BVT as in Xen 1.0, control operations free), event-
//     channel ring notifications under one policy for all four ring directions (`notify`, default: every
//     item), the back end where `backendPlacement` says (default in the hypervisor, Xen 1.0);
//     `addDomain(name, addr)` creates a guest domain with one VIF.
//   * system 'native': the bare-metal host (host/bare-metal.ts), the servers being processes of its one
//     kernel; `addNativeInterface(addr)` adds an interface whose kernel packet path runs on the kernel's
//     vCPU of the same index (network.ts GuestEndpointOptions.vcpu, one interface per CPU).
// `clientHosts` remote machines (default 4, 192.168.0.2 …) carry the clients; their CPUs are not modelled
// (network.ts default: assumption, the clients are not the bottleneck). `serve(…)` adds a WebWorkload (its
// request mix from stream `web/g<index>`), `startClients()` starts every workload at a time uniform in
// [0, 10 ms) (stream `web/start`, one draw per workload in the order served), and `run(warmupNs,
// runLengthNs, onOpen)` runs the warm-up, opens the window (every workload starts measuring, then
// `onOpen`), runs to its end, checks packet, request and CPU-time conservation and returns the CPU time of
// the window split by who paid it (WebCpu). Units: ns. Defaults: as listed (assumptions of the studies
// that used them before this module: 4 client machines, 10 ms start spread).
import { MACHINE, NET_WORKLOADS } from '../calibration.js';
import { buildScenario, type Scenario } from '../../kit/scenario.js';
import { RandomStreams } from '../../sim/rng.js';
import { Simulation } from '../../sim/simulation.js';
import { EventChannels } from '../events/event-channels.js';
import type { GuestProfile } from '../guest/profile.js';
import { BackendPlacement } from '../host/backend.js';
import type { Domain } from '../host/domain.js';
import { Host } from '../host/host.js';
import type { Vcpu } from '../host/vcpu.js';
import type { NotifyPolicy } from '../io/ring.js';
import { checkInt, checkOneOf } from '../validate.js';
import type { NetEndpoint } from './endpoint.js';
import { Network, type NetworkOptions, type NicIrqOptions } from './network.js';
import { ipv4 } from './packet.js';
import { WebWorkload, type WebParams } from './web.js';

export const WebSystem = { xen: 'xen', native: 'native' } as const;
export type WebSystem = (typeof WebSystem)[keyof typeof WebSystem];

/** Clients start at times uniform in [0, this) ns (stream web/start). */
export const WEB_START_SPREAD_NS = NET_WORKLOADS.webClientStartSpreadNs.value;

export interface WebHostOptions {
  readonly seed: string | number;
  /** Xen guest domains (default) or native processes on the bare-metal host. */
  readonly system?: WebSystem;
  /** Physical CPUs, 1 … 64 (default 1). */
  readonly cpus?: number;
  /** Xen: where the back end runs (default 'hypervisor'). */
  readonly backendPlacement?: BackendPlacement;
  /** Xen: notification policy of all four ring directions (default: every item). */
  readonly notify?: NotifyPolicy;
  /** Guest side of each VIF (network.ts); native default: the interface's kernel path on vCPU `vif`. */
  readonly guest?: NetworkOptions['guest'];
  /** The NIC's interrupt line: routing over PCPUs, coalescing (network.ts NicIrqOptions). */
  readonly nicIrq?: NicIrqOptions;
  /** Client machines beyond the NIC, 1 … 64 (default 4). */
  readonly clientHosts?: number;
}

/** CPU time of a window, ns, by who paid it (all CPUs together unless per CPU). */
export interface WebCpu {
  readonly spanNs: number;
  readonly cpus: number;
  /** Hypervisor-context time (native: the kernel's interrupt and softirq time). */
  readonly hypervisorNs: number;
  /** Domain 0 (0 on a native host). */
  readonly dom0Ns: number;
  /** Every domain but dom0 (native: the kernel's process-context time). */
  readonly guestsNs: number;
  readonly switchingNs: number;
  readonly idleNs: number;
  /** Back-end work issued in the window (network.ts backendNs), wherever it ran. */
  readonly backendNs: number;
  /** Per CPU: guest/process + hypervisor + switching time, and hypervisor time. */
  readonly perCpu: readonly { readonly busyNs: number; readonly hypervisorNs: number }[];
}

export interface ServeOptions {
  readonly server: NetEndpoint;
  readonly vcpu: Vcpu;
  readonly profile: GuestProfile;
  readonly clients: number;
  /** Names the request-mix stream `web/g<index>`. */
  readonly index: number;
  readonly basePort?: number;
  readonly params?: Partial<WebParams>;
}

export class WebHost {
  readonly system: WebSystem;
  readonly sim: Simulation;
  readonly host: Host;
  readonly streams: RandomStreams;
  /** The kit scenario (Xen only; null on a native host): for kit helpers such as cpuBoundDomains. */
  readonly scenario: Scenario | null;
  readonly net: Network;
  /** Xen: the event channels of the ring notifications (counts per domain); null on a native host. */
  readonly channels: EventChannels | null;
  readonly clients: readonly NetEndpoint[];
  readonly workloads: WebWorkload[] = [];
  private nativeVifs = 0;

  constructor(o: WebHostOptions) {
    const where = 'WebHost';
    this.system = checkOneOf(where, 'system', o.system ?? WebSystem.xen, WebSystem);
    const cpus = checkInt(where, 'cpus', o.cpus ?? MACHINE.singleCpuRuns.value, 1, 64);
    const nHosts = checkInt(where, 'clientHosts', o.clientHosts ?? NET_WORKLOADS.webClientHosts.value, 1, 64);
    const irq = o.nicIrq === undefined ? {} : { nicIrq: o.nicIrq };
    if (this.system === WebSystem.xen) {
      const placement = checkOneOf(where, 'backendPlacement', o.backendPlacement ?? 'hypervisor', BackendPlacement);
      const sc = buildScenario(o.seed, {
        scheduler: 'bvt-xen1',
        controlCosts: 'free',
        ...(cpus === 1 ? {} : { cpus }),
        backendPlacement: placement,
      });
      this.scenario = sc;
      ({ sim: this.sim, host: this.host, streams: this.streams } = sc);
      const policy = o.notify;
      this.channels = new EventChannels(this.host);
      this.net = new Network(this.sim, {
        host: this.host,
        channels: this.channels,
        ...(policy === undefined
          ? {}
          : { txRequestNotify: policy, txResponseNotify: policy, rxRequestNotify: policy, rxResponseNotify: policy }),
        ...(o.guest === undefined ? {} : { guest: o.guest }),
        ...irq,
      });
    } else {
      this.scenario = null;
      this.channels = null;
      this.sim = new Simulation();
      this.streams = new RandomStreams(o.seed);
      this.host = new Host(this.sim, { mode: 'bare-metal', cpus });
      this.net = new Network(this.sim, {
        host: this.host,
        guest: o.guest ?? ((_d: number, vif: number) => ({ vcpu: vif })),
        ...irq,
      });
    }
    const hosts: NetEndpoint[] = [];
    for (let i = 0; i < nHosts; i++)
      hosts.push(this.net.addRemoteHost({ name: `client${i}`, addr: ipv4(`192.168.0.${i + 2}`) }));
    this.clients = hosts;
  }

  /** Xen: a guest domain with one VIF at `addr`. */
  addDomain(name: string, addr: number): Domain {
    if (this.system !== WebSystem.xen) throw new RangeError(`WebHost: addDomain needs system 'xen', got 'native'`);
    const d = this.host.control.createDomain({ name });
    this.host.control.attachDevice(d.id, 'vif', { addr });
    return d;
  }

  /** Native: an interface of the kernel at `addr`, its packet path on the kernel's vCPU of its index. */
  addNativeInterface(addr: number): NetEndpoint {
    const k = this.host.kernel;
    if (k === null) throw new RangeError(`WebHost: addNativeInterface needs system 'native', got 'xen'`);
    this.host.control.attachDevice(k.id, 'vif', { addr });
    return this.net.endpoint(k.id, this.nativeVifs++);
  }

  /** A domain's first VIF endpoint and first vCPU. */
  domainServer(d: Domain): { server: NetEndpoint; vcpu: Vcpu } {
    const v = d.vcpus[0];
    if (v === undefined) throw new RangeError(`WebHost: domain ${d.name} must have a vCPU, it has none`);
    return { server: this.net.endpoint(d.id), vcpu: v };
  }

  /** A web server with its clients (spread over the client machines). */
  serve(o: ServeOptions): WebWorkload {
    const w = new WebWorkload(this.sim, {
      clients: o.clients,
      server: o.server,
      serverVcpu: o.vcpu,
      profile: o.profile,
      clientHosts: this.clients,
      rng: this.streams.stream(`web/g${o.index}`),
      ...(o.basePort === undefined ? {} : { basePort: o.basePort }),
      ...(o.params === undefined ? {} : { params: o.params }),
    });
    this.workloads.push(w);
    return w;
  }

  /** Starts every workload served so far at a time uniform in [0, 10 ms) (stream web/start). */
  startClients(): void {
    const rng = this.streams.stream('web/start');
    for (const w of this.workloads)
      this.sim.scheduleAt(Math.floor(rng.uniform(0, WEB_START_SPREAD_NS)), () => w.start());
  }

  /**
   * Runs the warm-up, opens the window (workloads start measuring, then `onOpen`), runs to its end,
   * checks packet, request and CPU-time conservation, and returns the window's CPU time by payer.
   */
  run(warmupNs: number, runLengthNs: number, onOpen: (() => void) | null = null): WebCpu {
    const host = this.host;
    const cpus = host.numCpus;
    const dom0Busy = (): number => (host.bareMetal ? 0 : host.dom0.busyNs);
    const perCpu = (): { busyNs: number; hypervisorNs: number }[] =>
      Array.from({ length: cpus }, (_, c) => {
        const t = host.cpuTimes(c);
        return { busyNs: t.busyNs + t.hypervisorNs + t.switchingNs, hypervisorNs: t.hypervisorNs };
      });
    let a0 = host.accounting();
    let dom00 = 0;
    let be0 = 0;
    let c0 = perCpu();
    this.sim.schedule(warmupNs, () => {
      for (const w of this.workloads) w.startMeasuring();
      if (onOpen !== null) onOpen();
      a0 = host.accounting();
      dom00 = dom0Busy();
      be0 = this.net.backendNs;
      c0 = perCpu();
    });
    this.sim.run(warmupNs + runLengthNs);
    this.net.checkConservation();
    for (const w of this.workloads) w.checkConservation();
    const a1 = host.checkConservation();
    const c1 = perCpu();
    const dom0 = dom0Busy() - dom00;
    return {
      spanNs: a1.elapsedNs - a0.elapsedNs,
      cpus,
      hypervisorNs: a1.hypervisorNs - a0.hypervisorNs,
      dom0Ns: dom0,
      guestsNs: a1.busyNs - a0.busyNs - dom0,
      switchingNs: a1.switchingNs - a0.switchingNs,
      idleNs: a1.idleNs - a0.idleNs,
      backendNs: this.net.backendNs - be0,
      perCpu: c1.map((x, i) => ({
        busyNs: x.busyNs - (c0[i]?.busyNs ?? 0),
        hypervisorNs: x.hypervisorNs - (c0[i]?.hypervisorNs ?? 0),
      })),
    };
  }
}

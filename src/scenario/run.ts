// One replication of a scenario: builds the host (src/kit/scenario.ts) with the scheduler named in the
// scenario, its machine memory and (with host.disk) one disk behind the block back end, creates every
// template's domains and workloads, runs the warm-up and the measurement window (src/kit/window.ts),
// and returns host measures plus one row per template. Pure function of (scenario, seed): no wall
// clock, no shared state.
//
// Domains: template `web` with count 3 gives `web-0`, `web-1`, `web-2`. A request-response instance
// is a client domain plus, with `server: guest` (the default), its own server domain `web-<i>-srv`
// (a pair, one ring and one event channel between them); with `server: dom0` the clients are served
// by domain 0. Each instance draws from its own random streams (master seed `<seed>/<domain>`), so
// adding a domain never changes the draws of the others. CPU-bound domains start at t = 0.
// Control-plane costs are free (domain creation is not what is measured).
//
// Memory (src/models/memory). Machine memory is host.memory (default 2 GB) in 4 KB pages, with the
// hypervisor's 16 MB and 20 kB per domain (MEMORY_DEFAULTS). A template's `memory` goes to the domain of
// each instance that does the work (a request-response pair: its server; the client stands for remote
// browsers and holds none; domains without `memory` hold none: their memory is not modelled, as before).
// Reservation, ceiling (Xen max_pages) and initial balloon target go to control.createDomain; the balloon
// drivers (memory/balloon.ts) move pages towards the target. A memory-worker domain references pages
// through GuestPaging (memory/paging.ts): kernel pages are not pageable, a reference misses with
// probability (W − R)/W. The working set is memory.workingSet or cycles through memory.phases, each
// domain starting at a uniform point of the cycle (stream `<seed>/<domain>` 'phase'). With
// followWorkingSet, dom0 sets the target to kernel + working set at each phase change, the floor is the
// kernel, and a faulting guest asks to grow (balloon autoGrow); the target is clamped to the ceiling.
// Swap: every domain with swap on pages to a swap partition of its own (memory/vbd-swap.ts VbdSwap): a
// VBD of SWAP_AREA_BYTES (128 MB, assumption, as in experiments/balloon-overcommit) attached through
// control.attachDevice, laid out on the disk after the block workloads' VBDs in template and instance
// order; every swap read and write is a block request through the domain's ring, the block back end's
// batched round robin, the disk scheduler and the disk model, competing there with every other request
// (writes sequential at an allocation cursor, reads from a uniformly drawn written slot, stream
// `<seed>/<domain>` 'swap'; each request costs the guest the Xen profile's block-request CPU on vCPU 0).
// The disk is host.disk; without host.disk a scenario with swap gets one dk32ej disk (the paper's 10k
// RPM SCSI disk) used for swap only. With swap off a fault is an invariant
// violation (load.ts lets swap off only when kernel + working set fits the memory held).
// Page conservation (machine = free + domains + hypervisor) is checked by MachineMemory after every
// change and once more at the end of the run.
//
// Disk (src/models/disk). With host.disk: one DiskModel of the preset (service.ts), the block back end
// (blkback.ts) with the disk scheduler, the batching (perTurn, maxInFlight, refillBelow) and ring
// notifications through event channels to the back end where hypervisor.backendPlacement puts it
// (hypervisor: softirq CPU; dom0: dom0's vCPU), 1.88 µs of back-end CPU per request (calibration). Each
// domain of an oltp, ir or seq-hog template gets one read-write VBD, an extent of the disk laid out in
// template and instance order (oltp: data region then log region), and the workload of
// disk/workloads.ts on its front end, with its guest CPU per request on the domain's vCPU 0 (the
// calibration table's estimate). Request conservation of the back end (taken = completed + errors + in
// flight, per domain submitted = answered + on ring + in flight) is checked at the end of every run.
//
// Network (src/models/net). With a udp-request-response template: one Network (network.ts) with the NIC
// of host.nic (nic.ts NicOptions; NIC_DEFAULTS for what it leaves out: 1 Gb/s, MTU 1500, 5 µs, 512
// frames), its back end where hypervisor.backendPlacement puts it, ring notifications through the event
// channels. Each domain of the template gets one VIF (control.attachDevice, address 10.d.d.1) and a
// remote client host of its own beyond the NIC (192.168.0.1, .2, … in template and instance order;
// client CPU not modelled). The client sends UDP requests of requestBytes at Poisson times of rate rateHz
// (stream `<seed>/<domain>` 'arrivals') to port 7; the domain's socket holds at most socketQueue requests
// waiting for its CPU (more are dropped); each costs the service CPU (stream 'service') on vCPU 0 as a
// normal demand, FIFO, after the guest stack's receive cost, and is answered with responseBytes. Response
// time: request created at the client → response delivered to the client's socket. Drops: every network
// drop of a request to or a response from the domain (net.onDrop, any reason) plus socket overflows,
// counted in the window, over the requests sent in the window. Packet conservation (sent = delivered +
// dropped + in flight) is checked at the end of every run.
//
// Per-template measures over the window (table `templates`, one row per template and run):
//   cpuShare         CPU time received by the template's domains (client + own server) / window /
//                    count: the fraction of one CPU per instance;
//   throughputPerS   per second per instance: responses (request-response, udp-request-response), work units
//                    (memory-worker), transactions (oltp), block requests (ir, seq-hog);
//   responses        the completions throughputPerS counts, all instances;
//   respMeanMs, respP50Ms … respP999Ms: response time, pooled over the template's instances, ms:
//                    request arrival at the client → response processed (request-response), block
//                    request submitted → answered (oltp, ir, seq-hog); empty when none completed;
//   txMeanMs         oltp: mean transaction time (begin → commit completed), ms;
//   commitMeanMs, commitP50Ms … commitP999Ms: oltp commit write submitted → completed, pooled, ms;
//   diskMBPerS       bytes completed per second per instance / 10^6 (oltp, ir, seq-hog);
//   faultsPerS       page faults per second per instance (memory-worker);
//   memoryMiB        memory held per instance at the end of the window, MiB (templates with memory);
//   dropRate         udp-request-response: drops in the window / requests sent in the window.
// Host measures: cpuHeadroom = idle / (window × CPUs), hostUtilisation = busy / (window × CPUs),
// switchingFraction = context-switch time / (window × CPUs), hypervisorFraction = hypervisor-context
// work (a back end in the hypervisor) / (window × CPUs) (the four sum to 1: CPU-time conservation);
// swapPagesPerS (read + written), balloonPagesPerS (moved either way), freeMemoryFraction (free pages /
// machine, mean of 100 samples), diskBusyFraction (disk service started / window; NaN without a disk),
// nicInUtilisation and nicOutUtilisation (each lane's serialization time / window; NaN without a network).
// Defaults for fields the scenario leaves out: the models' defaults (REQUEST_RESPONSE_DEFAULTS,
// BVT_DEFAULTS, CREDIT_DEFAULTS, ROUND_ROBIN_DEFAULTS, HOST_DEFAULTS, MEMORY_DEFAULTS, BLKBACK_DEFAULTS,
// the workloads' own, NIC_DEFAULTS, NETWORK_DEFAULTS), which cite their sources; the region sizes, the
// memory worker's unit, the swap area and the UDP sizes and socket queue are assumptions (schema.ts).
import { BVT_VARIANT_NOTES } from '../models/cpu/bvt.js';
import { ContextSwitchModel } from '../models/cpu/context-switch.js';
import type { SchedulerTuning } from '../models/cpu/registry.js';
import type { DomainSchedParams } from '../models/cpu/scheduler.js';
import { EventChannels } from '../models/events/event-channels.js';
import type { Domain } from '../models/host/domain.js';
import { HOST_DEFAULTS, type Host } from '../models/host/host.js';
import type { NotifyPolicy } from '../models/io/ring.js';
import type { CpuDistribution } from '../models/workloads/cpu-burst.js';
import { cpuBoundWorkload, drawNs } from '../models/workloads/cpu-burst.js';
import { Network } from '../models/net/network.js';
import type { Packet } from '../models/net/packet.js';
import { UdpSocket } from '../models/net/udp.js';
import {
  REQUEST_RESPONSE_DEFAULTS,
  RequestResponseWorkload,
  validateWorkloadParams,
  type RequestResponseWorkloadParams,
} from '../models/workloads/request-response.js';
import type { TableRow } from '../runner/study.js';
import { RandomStreams } from '../sim/rng.js';
import type { Simulation } from '../sim/simulation.js';
import { Quantiles } from '../sim/stats/quantiles.js';
import { Tally } from '../sim/stats/tally.js';
import { buildScenario } from '../kit/scenario.js';
import { MeasurementWindow } from '../kit/window.js';
import { BlockBackend, BLKBACK_DEFAULTS } from '../models/disk/blkback.js';
import { DISK_PRESETS, DiskModel } from '../models/disk/service.js';
import { IrWorkload, OltpWorkload, SeqHog } from '../models/disk/workloads.js';
import type { SwapDevice } from '../models/memory/swap.js';
import { SECTORS_PER_PAGE, VbdSwap } from '../models/memory/vbd-swap.js';
import { GuestPaging } from '../models/memory/paging.js';
import { MemoryWorker } from '../models/memory/workloads.js';
import { InvariantError } from '../sim/errors.js';
import { DEFAULT_KERNEL_BYTES, machinePages, SWAP_AREA_BYTES, swaps, usesNetwork, vbdSectors } from './load.js';
import type { DiskWorkloadSpec, DomainTemplate, MemorySpec, RequestResponseWorkloadSpec, Scenario } from './schema.js';
import { PAGE_BYTES, rateBitsPerS, sizePages, sizeSectors } from './units.js';

const NS_PER_MS = 1e6;
const NS_PER_US = 1e3;

/** ms (or µs) → integer ns. */
export function msToNs(ms: number): number {
  return Math.round(ms * NS_PER_MS);
}
function usToNs(us: number): number {
  return Math.round(us * NS_PER_US);
}

/** Only the defined entries (the models' option objects take absent fields as "default"). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Response-time percentiles reported per template (the SLO percentiles of schema.ts). */
export const RESPONSE_COLUMNS = {
  50: 'respP50Ms',
  90: 'respP90Ms',
  95: 'respP95Ms',
  99: 'respP99Ms',
  99.9: 'respP999Ms',
} as const;

export const SCENARIO_MEASURES = {
  cpuHeadroom: { unit: '', doc: 'host idle time / (window × CPUs)' },
  hostUtilisation: { unit: '', doc: 'host busy time (domains, dom0 included) / (window × CPUs)' },
  switchingFraction: { unit: '', doc: 'host context-switch time / (window × CPUs)' },
  hypervisorFraction: { unit: '', doc: 'hypervisor-context work (a back end in the hypervisor) / (window × CPUs)' },
  guestDomains: { unit: 'domains', doc: 'guest domains on the host (servers of request-response pairs included)' },
  swapPagesPerS: { unit: 'pages/s', doc: 'pages read from and written to swap per second, whole host' },
  balloonPagesPerS: { unit: 'pages/s', doc: 'pages moved by the balloon drivers (either way) per second' },
  freeMemoryFraction: { unit: '', doc: 'free machine pages / machine pages, mean of 100 samples over the window' },
  diskBusyFraction: { unit: '', doc: 'disk service started in the window / (window × channels); NaN without a disk' },
  nicInUtilisation: {
    unit: '',
    doc: 'inbound link busy (serialization) time / window; NaN without a network workload',
  },
  nicOutUtilisation: {
    unit: '',
    doc: 'outbound link busy (serialization) time / window; NaN without a network workload',
  },
} as const;
export type ScenarioMeasure = keyof typeof SCENARIO_MEASURES;

/** Commit-latency percentiles reported per oltp template. */
export const COMMIT_COLUMNS = {
  50: 'commitP50Ms',
  90: 'commitP90Ms',
  95: 'commitP95Ms',
  99: 'commitP99Ms',
  99.9: 'commitP999Ms',
} as const;

export const TEMPLATE_COLUMNS = {
  template: 'the template name',
  count: 'instances of the template',
  cpuShare: 'CPU time per instance / window (fraction of one CPU; a request-response instance counts its own server)',
  throughputPerS:
    'per second per instance: responses (request-response), work units (memory-worker), transactions (oltp), block requests (ir, seq-hog); empty for cpu-bound',
  responses: 'the completions throughputPerS counts, all instances (empty for cpu-bound)',
  respMeanMs:
    'mean response time, ms (request-response: request arrival → response processed; oltp, ir, seq-hog: block request submitted → answered; pooled over the instances)',
  respP50Ms: 'median response time, ms',
  respP90Ms: '90th percentile response time, ms',
  respP95Ms: '95th percentile response time, ms',
  respP99Ms: '99th percentile response time, ms',
  respP999Ms: '99.9th percentile response time, ms',
  txMeanMs: 'oltp: mean transaction time, begin → commit completed, ms',
  commitMeanMs: 'oltp: mean commit latency (commit write submitted → completed), ms',
  commitP50Ms: 'oltp: median commit latency, ms',
  commitP90Ms: 'oltp: 90th percentile commit latency, ms',
  commitP95Ms: 'oltp: 95th percentile commit latency, ms',
  commitP99Ms: 'oltp: 99th percentile commit latency, ms',
  commitP999Ms: 'oltp: 99.9th percentile commit latency, ms',
  diskMBPerS: 'bytes completed per second per instance / 10^6 (oltp, ir, seq-hog)',
  faultsPerS: 'page faults per second per instance (memory-worker)',
  memoryMiB: 'memory held per instance at the end of the window, MiB (templates with memory)',
  dropRate:
    'udp-request-response: requests and responses lost in the window (network drops, socket overflow) / requests sent in the window',
} as const;

export interface ScenarioRunResult {
  readonly measures: Record<ScenarioMeasure, number>;
  readonly events: number;
  readonly templates: TableRow[];
}

function tuningOf(s: Scenario): SchedulerTuning {
  const h = s.hypervisor;
  return {
    bvt: defined({
      ctxAllowNs: h.bvt?.ctxAllowMs === undefined ? undefined : msToNs(h.bvt.ctxAllowMs),
      mcuNs: h.bvt?.mcuUs === undefined ? undefined : usToNs(h.bvt.mcuUs),
    }),
    credit: defined({
      tickNs: h.credit?.tickMs === undefined ? undefined : msToNs(h.credit.tickMs),
      ticksPerSlice: h.credit?.ticksPerSlice,
      boost: h.credit?.boost,
    }),
    roundRobin: defined({
      quantumNs: h.roundRobin?.quantumMs === undefined ? undefined : msToNs(h.roundRobin.quantumMs),
    }),
  };
}

/**
 * Notes on what a scenario's results mean (printed with plan/whatif answers and in the study report).
 * A warped template under 'bvt-xen1' is hypothetical: Xen 1.0 ignored the warp fields of DOM0_ADJUSTDOM
 * (BVT_VARIANT_NOTES.xen1; BvtScheduler.warpHypothetical).
 */
export function scenarioNotes(s: Scenario): string[] {
  const warped = s.domains.filter((t) => (t.sched?.warp ?? 0) > 0).map((t) => t.name);
  if (s.hypervisor.scheduler !== 'bvt-xen1' || warped.length === 0) return [];
  return [`Hypothetical: bvt-xen1 with warp (templates ${warped.join(', ')}). ${BVT_VARIANT_NOTES.xen1}`];
}

function schedOf(t: DomainTemplate): DomainSchedParams {
  const p = t.sched;
  if (p === undefined) return {};
  return defined({
    mcuAdvance: p.mcuAdvance,
    warp: p.warp,
    warpLimitNs: p.warpLimitMs === undefined ? undefined : msToNs(p.warpLimitMs),
    unwarpReqNs: p.unwarpReqMs === undefined ? undefined : msToNs(p.unwarpReqMs),
    weight: p.weight,
    capPercent: p.capPercent,
  });
}

function policyOf(p: { everyItems: number; holdOffMs?: number } | undefined, def: NotifyPolicy): NotifyPolicy {
  if (p === undefined) return def;
  return { everyItems: p.everyItems, holdOffNs: p.holdOffMs === undefined ? null : msToNs(p.holdOffMs) };
}

/** The workload parameters of a request-response template (model defaults for what it leaves out). */
export function requestResponseParams(w: RequestResponseWorkloadSpec): RequestResponseWorkloadParams {
  const d = REQUEST_RESPONSE_DEFAULTS;
  const service: CpuDistribution =
    w.service === undefined
      ? d.serviceNs
      : w.service.distribution === 'exponential'
        ? { kind: 'exponential', meanNs: msToNs(w.service.meanMs) }
        : { kind: 'constant', valueNs: msToNs(w.service.meanMs) };
  const p: RequestResponseWorkloadParams = {
    arrival: w.arrival ?? d.arrival,
    ratePerS: w.rateHz ?? d.ratePerS,
    outstanding: w.outstanding ?? d.outstanding,
    serviceNs: service,
    clientIssueNs: w.clientIssueUs === undefined ? d.clientIssueNs : usToNs(w.clientIssueUs),
    clientResponseNs: w.clientResponseUs === undefined ? d.clientResponseNs : usToNs(w.clientResponseUs),
    ringSizeEntries: w.ringSizeEntries ?? d.ringSizeEntries,
    requestNotify: policyOf(w.requestNotify, d.requestNotify),
    responseNotify: policyOf(w.responseNotify, d.responseNotify),
    maxBacklog: d.maxBacklog,
  };
  validateWorkloadParams(p);
  return p;
}

type BlockLoad = OltpWorkload | IrWorkload | SeqHog;

interface TemplateState {
  readonly template: DomainTemplate;
  readonly domains: Domain[];
  /** The domains holding the template's memory (one per instance). */
  readonly memDomains: Domain[];
  readonly workloads: RequestResponseWorkload[];
  readonly workers: MemoryWorker[];
  readonly pagings: GuestPaging[];
  readonly blocks: BlockLoad[];
  readonly udp: UdpCounts;
  readonly latency: Tally;
  readonly quantiles: Quantiles;
  readonly commits: Quantiles;
}

/** Window counts of a udp-request-response template (all its instances). */
interface UdpCounts {
  sent: number;
  responses: number;
  dropped: number;
}

/** The host.nic fields as the network model's NicOptions. */
function nicOf(s: Scenario): ConstructorParameters<typeof Network>[1]['nic'] {
  const n = s.host.nic;
  if (n === undefined) return {};
  return defined({
    rateBitsPerS: n.rate === undefined ? undefined : rateBitsPerS(n.rate),
    mtuBytes: n.mtuBytes,
    latencyNs: n.latencyUs === undefined ? undefined : usToNs(n.latencyUs),
    txQueuePackets: n.queuePackets,
  });
}

/** UDP port the request-response servers listen on (assumption: any fixed port does). */
const UDP_SERVICE_PORT = 7;
/** First remote client address, 192.168.0.1; client k gets this + k. */
const FIRST_CLIENT_ADDR = 0xc0a80001;

/**
 * One udp-request-response instance: a remote client sending Poisson requests to the domain's VIF, and
 * the domain's server: a socket whose requests wait (at most socketQueue) for the CPU per request on
 * vCPU 0 (normal demand, FIFO), then a response of responseBytes back to the client.
 */
function startUdpInstance(
  net: Network,
  d: Domain,
  clientAddr: number,
  w: Extract<DomainTemplate['workload'], { kind: 'udp-request-response' }>,
  st: TemplateState,
  streams: RandomStreams,
  measuring: () => boolean,
): void {
  const sim = net.sim;
  const ep = net.endpoint(d.id);
  const service: CpuDistribution =
    w.service === undefined
      ? REQUEST_RESPONSE_DEFAULTS.serviceNs
      : w.service.distribution === 'exponential'
        ? { kind: 'exponential', meanNs: msToNs(w.service.meanMs) }
        : { kind: 'constant', valueNs: msToNs(w.service.meanMs) };
  const requestBytes = w.requestBytes ?? 64;
  const responseBytes = w.responseBytes ?? 1024;
  const limit = w.socketQueue ?? 128;
  const vcpu = d.vcpus[0];
  if (vcpu === undefined) throw new RangeError(`runScenario: domain ${d.name} has no vCPU`);
  const serviceRng = streams.stream('service');
  const server = new UdpSocket(ep, UDP_SERVICE_PORT);
  let waiting = 0;
  server.onMessage = (p: Packet): void => {
    if (waiting >= limit) {
      if (measuring()) st.udp.dropped++;
      return;
    }
    waiting++;
    const src = p.srcAddr;
    const port = p.srcPort;
    const tag = p.tag;
    const created = p.createdAtNs;
    vcpu.run(Math.max(1, drawNs(serviceRng, service)), { tag: 'udp-service' }).addCallback(() => {
      waiting--;
      server.sendTo(src, port, responseBytes, tag, created);
    });
  };
  const remote = net.addRemoteHost({ name: `${d.name}-client`, addr: clientAddr });
  const client = new UdpSocket(remote);
  client.onMessage = (p: Packet): void => {
    if (!measuring()) return;
    st.udp.responses++;
    const latencyNs = sim.now - p.createdAtNs;
    st.latency.add(latencyNs);
    st.quantiles.add(latencyNs);
  };
  const arrivals = streams.stream('arrivals');
  const meanGapNs = 1e9 / w.rateHz;
  let seq = 0;
  const issue = (): void => {
    if (measuring()) st.udp.sent++;
    client.sendTo(ep.addr, UDP_SERVICE_PORT, requestBytes, seq++);
    sim.schedule(Math.max(1, Math.round(arrivals.exponential(meanGapNs))), issue);
  };
  sim.schedule(Math.max(1, Math.round(arrivals.exponential(meanGapNs))), issue);
}

/** The swap of a domain without swap: any use is a modelling error (load.ts lets it happen only when the working set fits). */
class NoSwap implements SwapDevice {
  constructor(
    private readonly domain: string,
    private readonly now: () => number,
  ) {}
  read(): void {
    throw new InvariantError('memory', `domain ${this.domain} has no swap but took a page fault`, this.now());
  }
  write(): void {
    this.read();
  }
}

/** The memory options of control.createDomain for a template's memory. */
function memoryOf(m: MemorySpec | undefined): {
  memoryReservationPages?: number;
  memoryCeilingPages?: number;
  memoryTargetPages?: number;
} {
  if (m === undefined) return {};
  const reservation = sizePages(m.reservation);
  return {
    memoryReservationPages: reservation,
    memoryCeilingPages: m.ceiling === undefined ? reservation : sizePages(m.ceiling),
    memoryTargetPages: m.target === undefined ? reservation : sizePages(m.target),
  };
}

/** Runs one replication of the scenario with the run's seed. */
export function runScenario(s: Scenario, seed: string): ScenarioRunResult {
  const diskSpec = s.host.disk;
  const { sim, host } = buildScenario(seed, {
    cpus: s.host.cpus,
    scheduler: s.hypervisor.scheduler,
    tuning: tuningOf(s),
    contextSwitch: s.host.contextSwitchCosts === false ? ContextSwitchModel.free() : new ContextSwitchModel(),
    timerTickNs: s.host.timerTickMs === undefined ? HOST_DEFAULTS.timerTickNs : msToNs(s.host.timerTickMs),
    controlCosts: 'free',
    machineMemoryPages: machinePages(s),
    backendPlacement: s.hypervisor.backendPlacement ?? 'hypervisor',
  });
  const ec = s.hypervisor.eventChannel;
  const channels = new EventChannels(host, defined({ hypercallNs: ec?.hypercallNs, upcallNs: ec?.upcallNs }));
  const win = new MeasurementWindow(sim, host, {
    warmupNs: msToNs(s.run.warmupMs),
    runLengthNs: msToNs(s.run.lengthMs),
  });
  const needsSwap = s.domains.some((t) => t.count > 0 && swaps(t));
  const swapDevices: VbdSwap[] = [];
  let backend: BlockBackend | null = null;
  let diskModel: DiskModel | null = null;
  if (diskSpec !== undefined || needsSwap) {
    diskModel = new DiskModel(DISK_PRESETS[diskSpec?.preset ?? 'dk32ej']);
    const b = s.hypervisor.block;
    const maxInFlight = b?.maxInFlight ?? BLKBACK_DEFAULTS.maxInFlight;
    backend = new BlockBackend(sim, {
      disks: [diskModel],
      scheduler: diskSpec?.scheduler ?? 'clook',
      host,
      channels,
      perTurn: b?.perTurn ?? BLKBACK_DEFAULTS.perTurn,
      maxInFlight,
      refillBelow: b?.refillBelow ?? Math.min(BLKBACK_DEFAULTS.refillBelow, maxInFlight),
    });
  }
  const net = usesNetwork(s) ? new Network(sim, { host, channels, nic: nicOf(s) }) : null;
  const udpByAddr = new Map<number, UdpCounts>(); // a domain's VIF address → its template's counts
  net?.onDrop.add((p: Packet) => {
    if (!win.measuring) return;
    const c = udpByAddr.get(p.dstAddr) ?? udpByAddr.get(p.srcAddr);
    if (c !== undefined) c.dropped++;
  });
  let clients = 0;
  let nextSector = 0; // VBD extents laid out in template and instance order
  for (const t of s.domains) nextSector += t.count * vbdSectors(t.workload);
  let workloadSector = 0; // the block workloads' VBDs first, then the swap areas
  const swapSectors = sizeSectors(SWAP_AREA_BYTES);
  const states: TemplateState[] = [];
  let guests = 0;
  for (const t of s.domains) {
    const st: TemplateState = {
      template: t,
      domains: [],
      memDomains: [],
      workloads: [],
      workers: [],
      pagings: [],
      blocks: [],
      udp: { sent: 0, responses: 0, dropped: 0 },
      latency: new Tally(),
      quantiles: new Quantiles(),
      commits: new Quantiles(),
    };
    states.push(st);
    const sched = schedOf(t);
    const workingSetBytes = (t.workingSetKiB ?? 0) * 1024;
    const mem = memoryOf(t.memory);
    const w = t.workload;
    const rr = w.kind === 'request-response' ? requestResponseParams(w) : null;
    for (let i = 0; i < t.count; i++) {
      const name = `${t.name}-${i}`;
      const ownServer = w.kind === 'request-response' && (w.server ?? 'guest') === 'guest';
      const d = host.control.createDomain({ name, workingSetBytes, ...sched, ...(ownServer ? {} : mem) });
      guests++;
      st.domains.push(d);
      const streams = new RandomStreams(`${seed}/${name}`);
      if (w.kind === 'cpu-bound') {
        cpuBoundWorkload(d, { startAtNs: 0 });
        st.memDomains.push(d);
      } else if (w.kind === 'request-response' && rr !== null) {
        let server = host.dom0;
        if (ownServer) {
          server = host.control.createDomain({ name: `${name}-srv`, workingSetBytes, ...sched, ...mem });
          guests++;
          st.domains.push(server);
          st.memDomains.push(server);
        } else st.memDomains.push(d);
        const wl = new RequestResponseWorkload(host, channels, d, server, rr, streams);
        wl.onComplete.add((_id, latencyNs) => {
          if (!win.measuring) return;
          st.latency.add(latencyNs);
          st.quantiles.add(latencyNs);
        });
        st.workloads.push(wl);
      } else if (w.kind === 'memory-worker') {
        st.memDomains.push(d);
        let swap: VbdSwap | null = null;
        if (swaps(t) && backend !== null) {
          // the domain's swap partition: a VBD on the disk, attached through the control plane
          host.control.attachDevice(d.id, 'vbd', {
            extents: [{ disk: 0, startSector: nextSector, lengthSectors: swapSectors }],
          });
          nextSector += swapSectors;
          swap = new VbdSwap(backend.front(d.id), {
            region: { vbd: 0, startSector: 0, lengthSectors: swapSectors },
            rng: streams.stream('swap'),
            cpu: d.vcpus[0] ?? null,
          });
          swapDevices.push(swap);
        }
        startMemoryWorker(t, d, st, swap, streams);
      } else if (w.kind === 'udp-request-response') {
        if (net === null) throw new RangeError(`runScenario: ${t.name}: no network`);
        st.memDomains.push(d);
        host.control.attachDevice(d.id, 'vif', {});
        udpByAddr.set(net.endpoint(d.id).addr, st.udp);
        startUdpInstance(net, d, FIRST_CLIENT_ADDR + clients++, w, st, streams, () => win.measuring);
      } else if (w.kind !== 'request-response') {
        if (backend === null) throw new RangeError(`runScenario: ${t.name}: a ${w.kind} workload needs host.disk`);
        st.memDomains.push(d);
        const sectors = vbdSectors(w);
        backend.addVbd(d.id, {
          extents: [{ disk: 0, startSector: workloadSector, lengthSectors: sectors }],
          mode: 'rw',
        });
        workloadSector += sectors;
        st.blocks.push(blockWorkload(w, sim, backend, d, st, streams));
      }
    }
  }
  for (const st of states) for (const wl of st.workloads) wl.start();
  for (const st of states) for (const b of st.blocks) b.start();
  win.open();
  const acc0 = host.accounting();
  for (const st of states) for (const b of st.blocks) b.resetStats();
  const done0 = states.map((st) => st.workloads.reduce((a, wl) => a + wl.counts.completed, 0));
  const units0 = states.map((st) => st.workers.reduce((a, x) => a + x.units, 0));
  const faults0 = states.map((st) => st.pagings.reduce((a, g) => a + g.faults, 0));
  const swapPages = (): number => swapDevices.reduce((a, x) => a + x.pagesRead + x.pagesWritten, 0);
  const swap0 = swapPages();
  const balloon0 = balloonPages(host);
  const diskBusy0 = backend === null ? 0 : backend.diskStats(0).busyNs;
  const nicIn0 = net === null ? 0 : net.nic.inbound.busyNs;
  const nicOut0 = net === null ? 0 : net.nic.outbound.busyNs;
  let freeSum = 0;
  let samples = 0;
  const lengthNs = win.lengthNs;
  for (let k = 0; k < 100; k++) {
    win.at(Math.floor((k * lengthNs) / 100), () => {
      freeSum += host.memory.freePages / host.memory.totalPages;
      samples++;
    });
  }
  const acc1 = win.close();
  for (const st of states) for (const wl of st.workloads) wl.checkConservation();
  host.memory.check();
  backend?.checkConservation();
  net?.checkConservation();

  const cpuNs = win.cpuNs;
  const delta = win.hostDelta();
  const lengthS = lengthNs / 1e9;
  const ms = (ns: number): number | string => (Number.isFinite(ns) ? ns / NS_PER_MS : '');
  const templates: TableRow[] = states.map((st, k) => {
    const t = st.template;
    const count = t.count;
    const row: TableRow = {
      template: t.name,
      count,
      cpuShare: count > 0 ? win.busySumNs(st.domains) / lengthNs / count : '',
    };
    for (const c of Object.keys(TEMPLATE_COLUMNS)) if (!(c in row)) row[c] = '';
    if (count === 0) return row;
    if (t.memory !== undefined) {
      const pages = st.memDomains.reduce((a, d) => a + host.memory.of(d.id).pages, 0);
      row['memoryMiB'] = (pages * PAGE_BYTES) / 1024 ** 2 / count;
    }
    const kind = t.workload.kind;
    if (kind === 'request-response') {
      const responses = st.workloads.reduce((a, wl) => a + wl.counts.completed, 0) - (done0[k] ?? 0);
      row['throughputPerS'] = responses / lengthS / count;
      row['responses'] = responses;
      row['respMeanMs'] = st.latency.count > 0 ? ms(st.latency.mean) : '';
      for (const [p, col] of Object.entries(RESPONSE_COLUMNS))
        row[col] = st.latency.count > 0 ? ms(st.quantiles.quantile(Number(p) / 100)) : '';
    } else if (kind === 'udp-request-response') {
      const u = st.udp;
      row['throughputPerS'] = u.responses / lengthS / count;
      row['responses'] = u.responses;
      row['dropRate'] = u.sent > 0 ? u.dropped / u.sent : '';
      row['respMeanMs'] = st.latency.count > 0 ? ms(st.latency.mean) : '';
      for (const [p, col] of Object.entries(RESPONSE_COLUMNS))
        row[col] = st.latency.count > 0 ? ms(st.quantiles.quantile(Number(p) / 100)) : '';
    } else if (kind === 'memory-worker') {
      const units = st.workers.reduce((a, x) => a + x.units, 0) - (units0[k] ?? 0);
      row['throughputPerS'] = units / lengthS / count;
      row['responses'] = units;
      row['faultsPerS'] = (st.pagings.reduce((a, g) => a + g.faults, 0) - (faults0[k] ?? 0)) / lengthS / count;
    } else if (kind !== 'cpu-bound') {
      const oltp = st.blocks.filter((b): b is OltpWorkload => b instanceof OltpWorkload);
      const completed = st.blocks.reduce((a, b) => a + b.completed, 0);
      const done = kind === 'oltp' ? oltp.reduce((a, b) => a + b.transactions, 0) : completed;
      row['throughputPerS'] = done / lengthS / count;
      row['responses'] = done;
      row['diskMBPerS'] = st.blocks.reduce((a, b) => a + b.bytes, 0) / 1e6 / lengthS / count;
      if (completed > 0) {
        row['respMeanMs'] = ms(st.blocks.reduce((a, b) => a + b.latencySumNs, 0) / completed);
        for (const [p, col] of Object.entries(RESPONSE_COLUMNS)) row[col] = ms(st.quantiles.quantile(Number(p) / 100));
      }
      if (kind === 'oltp' && done > 0) {
        row['txMeanMs'] = ms(oltp.reduce((a, b) => a + b.txSumNs, 0) / done);
        row['commitMeanMs'] = ms(oltp.reduce((a, b) => a + b.commitSumNs, 0) / done);
        for (const [p, col] of Object.entries(COMMIT_COLUMNS)) row[col] = ms(st.commits.quantile(Number(p) / 100));
      }
    }
    return row;
  });
  return {
    measures: {
      cpuHeadroom: delta.idleNs / cpuNs,
      hostUtilisation: delta.busyNs / cpuNs,
      switchingFraction: delta.switchingNs / cpuNs,
      hypervisorFraction: (acc1.hypervisorNs - acc0.hypervisorNs) / cpuNs,
      guestDomains: guests,
      swapPagesPerS: (swapPages() - swap0) / lengthS,
      balloonPagesPerS: (balloonPages(host) - balloon0) / lengthS,
      freeMemoryFraction: samples > 0 ? freeSum / samples : NaN,
      diskBusyFraction:
        backend === null || diskModel === null
          ? NaN
          : Math.min(1, (backend.diskStats(0).busyNs - diskBusy0) / (lengthNs * diskModel.channels)),
      nicInUtilisation: net === null ? NaN : (net.nic.inbound.busyNs - nicIn0) / lengthNs,
      nicOutUtilisation: net === null ? NaN : (net.nic.outbound.busyNs - nicOut0) / lengthNs,
    },
    events: sim.eventsProcessed,
    templates,
  };
}

/** Pages moved by every guest's balloon driver so far (either way). */
function balloonPages(host: Host): number {
  let pages = 0;
  for (const d of host.domains) {
    if (d.isDom0 || !host.memory.has(d.id)) continue;
    const b = host.balloons.statsOf(d.id);
    pages += b.pagesIn + b.pagesOut;
  }
  return pages;
}

/** A memory-worker domain: its paging model, working set (or phases, with the balloon following) and worker. */
function startMemoryWorker(
  t: DomainTemplate,
  d: Domain,
  st: TemplateState,
  swap: VbdSwap | null,
  streams: RandomStreams,
): void {
  const m = t.memory as MemorySpec;
  const w = t.workload as Extract<DomainTemplate['workload'], { kind: 'memory-worker' }>;
  const host = d.host;
  const sim = host.sim;
  const kernel = sizePages(m.kernel ?? DEFAULT_KERNEL_BYTES);
  const follow = m.followWorkingSet === true;
  const phases =
    m.phases !== undefined
      ? m.phases.map((p) => ({ durationNs: Math.max(1, msToNs(p.forMs)), pages: sizePages(p.workingSet) }))
      : [{ durationNs: 0, pages: sizePages(m.workingSet ?? 0) }];
  const device = m.swap === false || swap === null ? new NoSwap(d.name, () => sim.now) : swap;
  const paging = new GuestPaging(d, {
    kernelPages: kernel,
    workingSetPages: (phases[0] as { pages: number }).pages,
    swap: device,
    growOnFault: follow,
  });
  st.pagings.push(paging);
  if (follow) host.balloons.setFloor(d.id, kernel);
  const enter = (pages: number): void => {
    paging.setWorkingSet(pages);
    if (follow) host.control.setMemoryTarget(d.id, Math.min(kernel + pages, host.machineMemoryPages));
  };
  if (m.phases !== undefined) {
    // each domain starts at a uniform point of the cycle
    const cycleNs = phases.reduce((a, p) => a + p.durationNs, 0);
    let offset = Math.floor(streams.stream('phase').uniform(0, cycleNs));
    let index = 0;
    while (offset >= (phases[index] as { durationNs: number }).durationNs) {
      offset -= (phases[index] as { durationNs: number }).durationNs;
      index++;
    }
    const next = (): void => {
      if (!d.alive) return;
      index = (index + 1) % phases.length;
      const p = phases[index] as { durationNs: number; pages: number };
      enter(p.pages);
      sim.schedule(p.durationNs, next);
    };
    const first = phases[index] as { durationNs: number; pages: number };
    enter(first.pages);
    sim.schedule(first.durationNs - offset, next);
  } else enter((phases[0] as { pages: number }).pages);
  const worker = new MemoryWorker(paging, {
    chunkCpuNs: Math.max(1, usToNs(w.unitCpuUs ?? 1000)),
    touchesPerUnit: w.touchesPerUnit ?? 100,
  });
  st.workers.push(worker);
  worker.start();
}

/** The block workload of a disk template on domain `d`'s VBD 0. */
function blockWorkload(
  w: DiskWorkloadSpec,
  sim: Simulation,
  backend: BlockBackend,
  d: Domain,
  st: TemplateState,
  streams: RandomStreams,
): BlockLoad {
  const front = backend.front(d);
  const common = { cpu: d.vcpus[0] ?? null, latency: st.quantiles };
  const G4 = 4 * 1024 ** 3;
  switch (w.kind) {
    case 'oltp': {
      const data = sizeSectors(w.dataSize ?? G4);
      return new OltpWorkload(sim, front, {
        ...common,
        data: { vbd: 0, startSector: 0, lengthSectors: data },
        log: { vbd: 0, startSector: data, lengthSectors: sizeSectors(w.logSize ?? 256 * 1024 ** 2) },
        ...defined({
          clients: w.clients,
          readsPerTx: w.readsPerTx,
          writesPerTx: w.writesPerTx,
          barrierEvery: w.barrierEvery,
        }),
        commitLatency: st.commits,
        rng: streams.stream('disk'),
      });
    }
    case 'ir':
      return new IrWorkload(sim, front, {
        ...common,
        region: { vbd: 0, startSector: 0, lengthSectors: sizeSectors(w.size ?? G4) },
        ...defined({ clients: w.clients, writeFraction: w.writeFraction }),
        rng: streams.stream('disk'),
      });
    case 'seq-hog':
      return new SeqHog(sim, front, {
        ...common,
        region: { vbd: 0, startSector: 0, lengthSectors: sizeSectors(w.size ?? G4) },
        ...defined({ requestSectors: w.requestSectors, depth: w.depth, write: w.write }),
      });
  }
}

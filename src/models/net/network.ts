// The network data path of one host: VIFs with their transmit and receive rings, the guest side of
// each VIF (GuestEndpoint), the back end (round-robin transmit with per-VIF credit, VFR with
// anti-spoofing, demultiplexing, page-flip receive), the physical NIC and its link, and the remote client
// hosts beyond it. One `Network` per host; build it before attaching VIFs:
//
//   const net = new Network(sim, { host, channels });            // channels: null = direct notifications
//   host.control.attachDevice(d.id, 'vif', { addr: ipv4('10.0.1.1') });   // builds vif0 of domain d
//   const ep = net.endpoint(d.id);                                // GuestEndpoint of vif0 (endpoint.ts API)
//   const client = net.addRemoteHost({ name: 'client', addr: ipv4('192.168.0.2') });
//   host.control.installVfrRule('rx', { protocol: 'udp', dstPort: 9, action: 'drop' });
//   … run …; net.checkConservation();
//
// Path of a transmitted packet. ep.send(p) counts it sent and charges the guest's vCPU (normal demand,
// or urgent with ep.send(p, true) for packets the kernel sends from its receive path; tag 'net-tx') perPacketNs (the profile's netPacket operation) + copyNsPerByte · payload; then it goes on
// the VIF's transmit ring (256 entries) as a descriptor, or waits in the endpoint's backlog (at most
// txQueuePackets; beyond it: drop queueFull) while the ring is full. The ring notifies the back end
// under its notification policy (through connectBackendRing when event channels are given, so the back
// end is in the hypervisor or in dom0 as host.backendPlacement says). The back end serves VIFs with
// pending packets in round robin, one packet per VIF per turn, one packet at a time, and only while the
// NIC's transmit queue has room (back-pressure onto the rings). A VIF with a credit limit
// (creditBytes per creditPeriodNs, Xen's credit scheduler: the credit is reset to creditBytes once a
// period has passed since the last reset, never accumulated) whose next frame exceeds its remaining
// credit leaves the round robin until its next reset. Each packet costs backendTxPacketNs of back-end
// work (host.backendWork's placement: hypervisor softirq or dom0's vCPU; header copy, VFR, NIC
// descriptor); the NIC's DMA is in nic.ts. Then: source address not the VIF's → drop spoofed; the VFR's
// tx rules: drop → ruleDrop, route → that VIF's receive path, accept → a local VIF owning the
// destination address gets it (inter-domain), else the NIC's outbound lane. The descriptor returns to
// the guest as the transmit response (freeing the ring slot).
// Path of a received packet. The inbound lane delivers it to the back end: the VFR's rx rules decide
// (drop, route to a VIF, or accept → the VIF owning dstAddr; none → drop noRoute). The back end then
// costs backendRxPacketNs + the page flip (from the receiving guest's profile: two page-table updates and
// one flush, 2·updateNs + flushNs) of back-end work, after which it takes a buffer the guest posted on
// the receive ring: none → drop noRxBuffer; else the packet is flipped into it and the response is
// pushed (notifying the guest under the ring's policy). The guest drains responses one at a time: each
// costs perPacketNs + copyNsPerByte · payload on its vCPU (urgent: softirq, tag 'net-rx'), then the
// packet is delivered to the bound socket (endpoint.ts) and the buffer is free; free buffers are reposted
// when at least `rxRepostBatch` can be posted (and never more than the endpoint's rxBuffers target).
// Conservation (checkConservation(), called by the studies after every run):
//   sent = delivered + Σ dropped[reason] + in flight,
// with in flight counted stage by stage (guest CPU and backlog, transmit rings, back end, NIC queues
// and wire, receive rings and guest receive CPU, remote CPUs), independently of the three counters.
// No allocation per packet in this module: packets come from a pool, ring descriptors are preallocated
// per VIF, callbacks are bound once per object; the host recycles its CPU-demand and hypervisor-work
// records, so the per-packet path allocates nothing there either.
// Loss injection: `lossFilter(p, lane)` decides, per frame coming off the link, whether it is lost
// (dropped as linkLoss); e.g. lose the 10th data segment to test TCP's recovery.
// Assumption: a transmit descriptor returns to the guest once the back end has handed the packet on
// (to the NIC's queue or a local VIF), not when the NIC has sent it (Xen kept the guest's page until
// the DMA was done); the NIC's own queue bounds what is outstanding beyond the rings.
// NIC interrupts. The NIC raises its one interrupt line (host/interrupts.ts InterruptLine 'nic') when
// frames have been received (rxMaxFrames of them, or rxDelayNs after the first one not yet reported) or
// sent (txMaxFrames / txDelayNs: transmit completions); one interrupt reports every pending frame of both
// kinds (the Tigon 3's status block). The line is routed to a PCPU ('fixed', 'round-robin' or
// 'least-loaded' over nicIrq.cpus) and its hard handler (nicIrqHandlerNs) runs there as hypervisor-context
// work whatever the back-end placement (Xen owns the physical interrupts; on a bare-metal host it is the
// kernel's interrupt time). Once it has run, the frames it reported go through the VFR's rx rules and
// each costs the receive back-end work backendRxPacketNs − nicIrqHandlerNs + the page flip: a softirq on
// that same PCPU (back end in the hypervisor or the native kernel) or dom0's vCPU. Transmit back-end work
// (backendTxPacketNs − nicIrqHandlerNs) runs on the PCPU of the sending guest's vCPU (Xen 1.0's transmit
// work is started by the guest's own hypercall on its CPU: assumption) or dom0's vCPU. Without
// coalescing (the default, rx/txMaxFrames 1: assumption, one interrupt per frame) every packet costs
// exactly what it cost when the interrupt was folded into the back end; TG3_COALESCING is the tg3
// driver's preset. An inter-domain packet (routed to a local VIF) raises no interrupt: it costs
// backendTxPacketNs − nicIrqHandlerNs + backendRxPacketNs + the flip.
// Bytes touched: under hypervisor (or native) placement the NIC handler, each packet's back-end work and
// the page flip touch nicIrqHandlerBytes, backendTx/RxPacketBytes and pageFlipBytes on their PCPU, which
// the host counts as pollution of its caches (the next domain there finds them evicted); under dom0
// placement they are part of dom0's working set.
// Not modelled: domain destruction (a destroyed domain's VIFs stay attached), checksum and
// segmentation offload, interrupt masking while the back end polls (NAPI).
// Units: ns, bytes. Defaults (NETWORK_DEFAULTS): calibration.ts NETWORK (nicIrqHandlerNs and the interrupt
// per frame: assumptions; TG3_COALESCING: tg3.h), NET_WORKLOADS.irqFixedCpu and HYPERVISOR.netRingEntries.
import { Deque } from '../../sim/deque.js';
import { InvariantError } from '../../sim/errors.js';
import type { Simulation } from '../../sim/simulation.js';
import { Signal } from '../../sim/signal.js';
import { HYPERVISOR, NET_WORKLOADS, NETWORK } from '../calibration.js';
import type { EventChannels } from '../events/event-channels.js';
import { GuestProfile } from '../guest/profile.js';
import { VirtProfile } from '../guest/operations.js';
import { BackendPlacement } from '../host/backend.js';
import { DeviceKind } from '../host/domain.js';
import type { Host } from '../host/host.js';
import { HvWorkKind } from '../host/hypervisor-work.js';
import { InterruptLine, IrqRouting } from '../host/interrupts.js';
import { IoRing, type NotifyPolicy, RingDirection } from '../io/ring.js';
import { connectBackendRing } from '../io/ring-channel.js';
import { RingConsumer } from '../io/ring-consumer.js';
import { checkInt, checkNumber, checkOneOf } from '../validate.js';
import { EndpointBase, RemoteHost, type NetCore, type RemoteHostOptions } from './endpoint.js';
import { Nic, type NicOptions } from './nic.js';
import { DROP_REASONS, DropReason, PacketPool, type Packet } from './packet.js';
import { Vfr, VfrAction, VfrDirection, type VfrVerdict } from './vfr.js';
import { MAX_VIFS, type VifConfig } from './vif.js';

export const NETWORK_DEFAULTS = {
  ringEntries: HYPERVISOR.netRingEntries.value,
  backendTxPacketNs: NETWORK.backendTxPacketNs.value,
  backendRxPacketNs: NETWORK.backendRxPacketNs.value,
  copyNsPerByte: NETWORK.guestCopyNsPerByte.value,
  txQueuePackets: NETWORK.guestTxQueuePackets.value,
  rxRepostBatch: NETWORK.rxRepostBatch.value,
  nicIrqHandlerNs: NETWORK.nicIrqHandlerNs.value,
  /** Interrupt coalescing off: one interrupt per frame received and per frame sent (assumption). */
  nicIrqRxMaxFrames: NETWORK.nicIrqRxMaxFrames.value,
  nicIrqTxMaxFrames: NETWORK.nicIrqTxMaxFrames.value,
  /** The NIC interrupt's PCPU when none is given ('fixed' routing to the boot CPU: assumption). */
  nicIrqCpu: NET_WORKLOADS.irqFixedCpu.value,
  /** Bytes touched (pollution of the PCPU's caches under hypervisor placement, host.ts). */
  nicIrqHandlerBytes: NETWORK.nicIrqHandlerBytes.value,
  backendTxPacketBytes: NETWORK.backendTxPacketBytes.value,
  backendRxPacketBytes: NETWORK.backendRxPacketBytes.value,
  pageFlipBytes: NETWORK.pageFlipBytes.value,
} as const;

/**
 * The Broadcom Tigon 3's host-coalescing defaults as the Linux tg3 driver sets them (drivers/net/tg3.h,
 * Linux 2.6: DEFAULT_RXCOL_TICKS 0x48 = 72 µs, DEFAULT_RXMAX_FRAMES 8, DEFAULT_TXCOL_TICKS 0x12c = 300 µs,
 * DEFAULT_TXMAX_FRAMES 0x4b = 75; one tick = 1 µs): a preset for NicIrqOptions, not the default.
 */
export const TG3_COALESCING = {
  rxMaxFrames: NETWORK.tg3RxMaxFrames.value,
  rxDelayNs: NETWORK.tg3RxCoalesceNs.value,
  txMaxFrames: NETWORK.tg3TxMaxFrames.value,
  txDelayNs: NETWORK.tg3TxCoalesceNs.value,
} as const;

/** The NIC's interrupt line (module header, "NIC interrupts"). */
export interface NicIrqOptions {
  /** Routing over `cpus` (host/interrupts.ts): 'fixed' (default), 'round-robin', 'least-loaded'. */
  readonly routing?: IrqRouting;
  /** PCPUs the line may be routed to, in order (default [0]; 'fixed' uses the first). */
  readonly cpus?: readonly number[];
  /** Hard handler per interrupt, ns (taken out of the per-packet back-end costs; ≤ both). */
  readonly handlerNs?: number;
  /** Interrupt once this many frames were received (1 … 256; default 1: every frame) … */
  readonly rxMaxFrames?: number;
  /** … or this long after the first frame not yet reported, ns (needed when rxMaxFrames > 1). */
  readonly rxDelayNs?: number;
  /** The same for transmit completions (default 1: every frame sent). */
  readonly txMaxFrames?: number;
  readonly txDelayNs?: number;
}

/** Options of a guest's side of one VIF. */
export interface GuestEndpointOptions {
  /** Virtualization profile (per-packet cost, page-flip cost). Default 'xen' ('native' on a bare-metal host). */
  readonly profile?: VirtProfile | GuestProfile;
  /** vCPU that pays the guest's network costs. Default 0. */
  readonly vcpu?: number;
  /** Guest CPU per packet sent or received, ns. Default: the profile's netPacket operation. */
  readonly perPacketNs?: number;
  /** Guest CPU per payload byte sent or received, ns. */
  readonly copyNsPerByte?: number;
  /** Packets the endpoint holds while the transmit ring is full. */
  readonly txQueuePackets?: number;
  /** Receive buffers the guest keeps posted (target), 0 … ring entries. Default: the ring size. */
  readonly rxBuffers?: number;
  /** Free buffers are reposted when at least this many can be posted, 1 … ring entries. */
  readonly rxRepostBatch?: number;
}

export interface NetworkOptions {
  readonly host: Host;
  /** Event channels for the ring notifications (connectBackendRing); null/absent = direct callbacks. */
  readonly channels?: EventChannels | null;
  readonly nic?: NicOptions;
  readonly ringEntries?: number;
  readonly backendTxPacketNs?: number;
  readonly backendRxPacketNs?: number;
  /** Notification policies of the VIF rings (default: notify on every item). */
  readonly txRequestNotify?: NotifyPolicy;
  readonly txResponseNotify?: NotifyPolicy;
  readonly rxRequestNotify?: NotifyPolicy;
  readonly rxResponseNotify?: NotifyPolicy;
  /** Guest-side options of each VIF (by domain id and VIF index), read when the VIF is attached. */
  readonly guest?: GuestEndpointOptions | ((domain: number, vif: number) => GuestEndpointOptions);
  /**
   * Shorthand for nicIrq { cpus, routing }: the NIC interrupt's PCPUs, taken in turn ('round-robin') when
   * more than one, else 'fixed' (interrupt load balancing, as in the paper's two-CPU runs: assumption on
   * how). Ignored when nicIrq.cpus is given.
   */
  readonly backendCpus?: readonly number[];
  /** The NIC's interrupt line: routing, handler cost, coalescing (default: every frame, fixed on PCPU 0). */
  readonly nicIrq?: NicIrqOptions;
}

/** A transmit descriptor: one per ring slot, reused. */
class TxDesc {
  packet: Packet | null = null;
  constructor(
    readonly id: number,
    readonly vif: Vif,
  ) {}
}

/** A receive buffer (one page): one per ring slot, reused. */
class RxBuf {
  packet: Packet | null = null;
  constructor(
    readonly id: number,
    readonly vif: Vif,
  ) {}
}

/** Per-VIF counters (the back end's view). */
export interface VifCounters {
  /** Packets the back end forwarded (to the NIC or a local VIF) from this VIF, and their payload bytes. */
  txPackets: number;
  txPayloadBytes: number;
  /** Packets flipped into this VIF's receive ring, and their payload bytes. */
  rxPackets: number;
  rxPayloadBytes: number;
  /** Drops charged to this VIF, by reason. */
  readonly dropped: Record<DropReason, number>;
}

/** A one-entry cache of a map lookup by address (addresses are non-negative integers); clear() on any change of the map. */
class LastLookup<V> {
  private addr = -1;
  private value: V | undefined = undefined;
  get(map: ReadonlyMap<number, V>, addr: number): V | undefined {
    if (addr === this.addr) return this.value;
    const v = map.get(addr);
    this.addr = addr;
    this.value = v;
    return v;
  }
  clear(): void {
    this.addr = -1;
    this.value = undefined;
  }
}

function zeroDrops(): Record<DropReason, number> {
  const r = {} as Record<DropReason, number>;
  for (const k of DROP_REASONS) r[k] = 0;
  return r;
}

/** A virtual network interface: its rings, configuration, credit state and counters. */
export class Vif {
  readonly txRing: IoRing<TxDesc, TxDesc>;
  readonly rxRing: IoRing<RxBuf, RxBuf>;
  readonly counters: VifCounters = {
    txPackets: 0,
    txPayloadBytes: 0,
    rxPackets: 0,
    rxPayloadBytes: 0,
    dropped: zeroDrops(),
  };
  /** The guest side (set right after construction). */
  endpoint!: GuestEndpoint;
  /** Page-flip cost of a packet received on this VIF, ns (from the guest's profile). */
  flipNs = 0;
  /** @internal back-end state */
  inRr = false;
  /** @internal */ parked = false;
  /** @internal a descriptor taken off the ring and waiting for credit */
  held: TxDesc | null = null;
  /** @internal */ creditRemaining: number;
  /** @internal */ creditResetAtNs = 0;

  constructor(
    sim: Simulation,
    readonly slot: number,
    readonly domain: number,
    readonly index: number,
    readonly config: VifConfig,
    ringEntries: number,
    o: NetworkOptions,
  ) {
    this.txRing = new IoRing<TxDesc, TxDesc>(sim, {
      name: `vif${domain}.${index}-tx`,
      sizeEntries: ringEntries,
      ...(o.txRequestNotify === undefined ? {} : { requestNotify: o.txRequestNotify }),
      ...(o.txResponseNotify === undefined ? {} : { responseNotify: o.txResponseNotify }),
    });
    this.rxRing = new IoRing<RxBuf, RxBuf>(sim, {
      name: `vif${domain}.${index}-rx`,
      sizeEntries: ringEntries,
      ...(o.rxRequestNotify === undefined ? {} : { requestNotify: o.rxRequestNotify }),
      ...(o.rxResponseNotify === undefined ? {} : { responseNotify: o.rxResponseNotify }),
    });
    this.creditRemaining = config.creditBytes;
  }

  get addr(): number {
    return this.config.addr;
  }

  /** Packets in this VIF's part of the path (rings, held descriptor, the guest side). */
  get inFlight(): number {
    return (
      this.txRing.unconsumedRequests +
      (this.held === null ? 0 : 1) +
      this.rxRing.unconsumedResponses +
      this.endpoint.inFlight
    );
  }
}

const TAG_TX = 'net-tx';
const TAG_RX = 'net-rx';
const TAG_BACKEND = 'netback';

/**
 * A guest domain's network stack on one VIF (endpoint.ts API): send charges the guest and uses the
 * transmit ring; receive drains the receive ring and reposts buffers in batches.
 */
export class GuestEndpoint extends EndpointBase {
  readonly profile: GuestProfile;
  /** The guest's per-packet cost (profile netPacket), ns. */
  readonly perPacketNs: number;
  readonly copyNsPerByte: number;
  readonly txQueuePackets: number;
  readonly vcpuIndex: number;
  rxRepostBatch: number;
  /** Guest CPU spent on the network path (send and receive costs), ns. */
  cpuNs = 0;
  private rxTarget: number;
  private readonly txFree: TxDesc[] = [];
  private readonly rxFree: RxBuf[] = [];
  private readonly backlog = new Deque<Packet>(16);
  private txCpu = 0;
  private rxCpu = 0;
  private readonly rxConsumer: RingConsumer<RxBuf>;
  private readonly vcpu: {
    readonly cpu: number;
    runThen<T>(ns: number, fn: (a: T) => void, arg: T, urgent?: boolean, tag?: string | null): void;
  };

  constructor(
    core: NetCore,
    readonly vif: Vif,
    host: Host,
    ringEntries: number,
    options: GuestEndpointOptions,
  ) {
    const dom = host.domain(vif.domain);
    super(core, `${dom.name}/vif${vif.index}`, vif.addr);
    const where = `GuestEndpoint ${this.name}`;
    const prof = options.profile ?? (host.bareMetal ? VirtProfile.native : VirtProfile.xen);
    this.profile =
      prof instanceof GuestProfile ? prof : new GuestProfile(checkOneOf(where, 'profile', prof, VirtProfile));
    this.perPacketNs =
      options.perPacketNs === undefined
        ? this.profile.opNs('netPacket', this.profile.newPageTable())
        : checkNumber(where, 'perPacketNs', options.perPacketNs, 0, 1e9);
    const pp = this.profile.params;
    vif.flipNs = Math.round(2 * pp.updateNs + pp.flushNs);
    this.copyNsPerByte = checkNumber(
      where,
      'copyNsPerByte',
      options.copyNsPerByte ?? NETWORK_DEFAULTS.copyNsPerByte,
      0,
      1e6,
    );
    this.txQueuePackets = checkInt(
      where,
      'txQueuePackets',
      options.txQueuePackets ?? NETWORK_DEFAULTS.txQueuePackets,
      0,
    );
    this.rxTarget = checkInt(where, 'rxBuffers', options.rxBuffers ?? ringEntries, 0, ringEntries);
    this.rxRepostBatch = checkInt(
      where,
      'rxRepostBatch',
      options.rxRepostBatch ?? Math.min(NETWORK_DEFAULTS.rxRepostBatch, ringEntries),
      1,
      ringEntries,
    );
    this.vcpuIndex = checkInt(where, 'vcpu', options.vcpu ?? 0, 0, dom.vcpus.length - 1);
    this.vcpu = dom.vcpus[this.vcpuIndex] as (typeof dom.vcpus)[number];
    for (let i = ringEntries; i >= 1; i--) {
      this.txFree.push(new TxDesc(i, vif));
      this.rxFree.push(new RxBuf(i, vif));
    }
    const ring = vif.rxRing;
    this.rxConsumer = new RingConsumer<RxBuf>(
      { take: () => ring.takeResponse(), finalCheck: () => ring.finalCheckForResponses() },
      this.rxHandle,
    );
  }

  /** The PCPU whose run queue holds the vCPU that pays this endpoint's costs (vcpu.cpu). */
  get cpu(): number {
    return this.vcpu.cpu;
  }

  /** Packets accepted by send and still in the guest (CPU, backlog). */
  get txQueuedPackets(): number {
    return this.txCpu + this.backlog.length;
  }

  /** Packets in the guest: send CPU, backlog, receive CPU. */
  get inFlight(): number {
    return this.txCpu + this.backlog.length + this.rxCpu;
  }

  /** Buffers the guest keeps posted (target). */
  get rxBuffers(): number {
    return this.rxTarget;
  }

  /** Buffers on the receive ring now (posted, not yet filled). */
  get rxPosted(): number {
    return this.vif.rxRing.unconsumedRequests;
  }

  /** Sets the receive-buffer target and posts free buffers up to it at once. */
  setRxBuffers(n: number): void {
    this.rxTarget = checkInt(`GuestEndpoint ${this.name}: setRxBuffers`, 'n', n, 0, this.vif.rxRing.sizeEntries);
    this.post(1);
  }

  /** The guest's CPU cost of one packet of `payloadBytes`, ns (send or receive). */
  packetCostNs(payloadBytes: number): number {
    return Math.round(this.perPacketNs + this.copyNsPerByte * payloadBytes);
  }

  /** Sends `p` (endpoint.ts); `urgent`: from kernel softirq context (served before normal demand). */
  send(p: Packet, urgent = false): void {
    this.accept(p);
    this.txCpu++;
    const ns = this.packetCostNs(p.payloadBytes);
    this.cpuNs += ns;
    this.vcpu.runThen(ns, this.afterTxCpu, p, urgent, TAG_TX);
  }

  /** @internal posts the initial buffers and arms the consumers (called once the rings are connected). */
  _start(): void {
    this.post(1);
    this.rxConsumer.kick();
  }

  /** @internal drains transmit responses (on a response notification). */
  _drainTx(): void {
    const ring = this.vif.txRing;
    let freed = false;
    for (;;) {
      const d = ring.takeResponse();
      if (d !== undefined) {
        this.txFree.push(d);
        freed = true;
        continue;
      }
      if (!ring.finalCheckForResponses()) break;
    }
    if (!freed) return;
    let put = false;
    while (this.backlog.length > 0 && this.txFree.length > 0) {
      this.putTx(this.backlog.shift() as Packet);
      put = true;
    }
    if (put) ring.pushRequests();
    if (this.onTxSpace !== null && this.backlog.length < this.txQueuePackets) this.onTxSpace();
  }

  /** @internal the rx ring notified. */
  _kickRx(): void {
    this.rxConsumer.kick();
  }

  private readonly afterTxCpu = (p: Packet): void => {
    this.txCpu--;
    if (this.txFree.length > 0 && this.backlog.length === 0) {
      this.putTx(p);
      this.vif.txRing.pushRequests();
    } else if (this.backlog.length < this.txQueuePackets) {
      this.backlog.push(p);
    } else {
      this.core._drop(p, DropReason.queueFull);
      this.vif.counters.dropped.queueFull++;
    }
  };

  private putTx(p: Packet): void {
    const d = this.txFree.pop() as TxDesc;
    d.packet = p;
    this.vif.txRing.putRequest(d);
  }

  private readonly rxHandle = (b: RxBuf): void => {
    this.rxCpu++;
    const ns = this.packetCostNs((b.packet as Packet).payloadBytes);
    this.cpuNs += ns;
    this.vcpu.runThen(ns, this.afterRxCpu, b, true, TAG_RX);
  };

  private readonly afterRxCpu = (b: RxBuf): void => {
    const p = b.packet as Packet;
    b.packet = null;
    this.rxCpu--;
    this.rxFree.push(b);
    this.post(this.rxRepostBatch);
    this._deliver(p);
    this.rxConsumer.done();
  };

  /** Posts free buffers (up to the target) if at least `min` can be posted. */
  private post(min: number): void {
    const ring = this.vif.rxRing;
    const outstanding = ring.sizeEntries - this.rxFree.length;
    const n = Math.min(this.rxFree.length, this.rxTarget - outstanding);
    if (n <= 0 || n < min) return;
    for (let i = 0; i < n; i++) ring.putRequest(this.rxFree.pop() as RxBuf);
    ring.pushRequests();
  }
}

/** Totals of the network (conservation terms). */
export interface NetworkCounters {
  sent: number;
  delivered: number;
  readonly dropped: Record<DropReason, number>;
}

/** The network data path of one host (module header). */
export class Network implements NetCore {
  readonly sim: Simulation;
  readonly host: Host;
  readonly pool = new PacketPool();
  readonly vfr = new Vfr();
  readonly nic: Nic;
  readonly ringEntries: number;
  readonly backendTxPacketNs: number;
  readonly backendRxPacketNs: number;
  readonly counters: NetworkCounters = { sent: 0, delivered: 0, dropped: zeroDrops() };
  /** Observation: (packet, reason) just before a dropped packet is released. */
  readonly onDrop = new Signal<Packet, DropReason>();
  /** Back-end CPU issued so far (transmit and receive work), ns. */
  backendNs = 0;
  /**
   * Loss injection (tests, studies): called for every frame as it comes off the link; true = lost
   * (dropped as linkLoss). 'outbound' = host → clients, 'inbound' = clients → host. null = no loss.
   */
  lossFilter: ((p: Packet, lane: 'outbound' | 'inbound') => boolean) | null = null;
  private readonly channels: EventChannels | null;
  private readonly options: NetworkOptions;
  private readonly vifs: Vif[] = [];
  private readonly byAddr = new Map<number, Vif>();
  /**
   * One-entry caches of the address lookups on the per-packet path (transmit: is the destination local?,
   * receive demultiplexing, the remote host a frame goes to), so a stream does not hash its addresses per
   * packet. Addresses are only ever added, never removed; every add clears the caches (-1: empty).
   */
  // one-entry caches of the per-packet address lookups (a bulk stream repeats one address)
  private readonly txLookup = new LastLookup<Vif>();
  private readonly rxLookup = new LastLookup<Vif>();
  private readonly remoteLookup = new LastLookup<RemoteHost>();
  private readonly remotes = new Map<number, RemoteHost>();
  private readonly remoteList: RemoteHost[] = [];
  private readonly rr = new Deque<Vif>(16);
  private txBusy = false;
  private rxInWork = 0;
  private readonly verdict: VfrVerdict = { action: VfrAction.accept, routeTo: null, rule: -1 };
  /** The NIC's interrupt line (routing, counts per PCPU). */
  readonly irqLine: InterruptLine;
  readonly nicIrqHandlerNs: number;
  readonly rxMaxFrames: number;
  readonly rxDelayNs: number;
  readonly txMaxFrames: number;
  readonly txDelayNs: number;
  /** NIC interrupts raised so far. */
  interrupts = 0;
  /** Back-end CPU per packet after the interrupt's share: transmit, receive (before the page flip), ns. */
  private readonly txSoftNs: number;
  private readonly rxSoftNs: number;
  /** Frames received and not yet reported by an interrupt; transmit completions not yet reported. */
  private readonly rxPending = new Deque<Packet>(64);
  private txPending = 0;
  /** Per PCPU: frames whose interrupt is raised there and not yet handled, and each interrupt's count. */
  private readonly irqFrames: Deque<Packet>[] = [];
  private readonly irqCounts: Deque<number>[] = [];
  private irqQueued = 0;
  /** Raises so far: a coalescing timer armed before the latest raise is stale. */
  private irqGen = 0;

  constructor(sim: Simulation, options: NetworkOptions) {
    const where = 'Network';
    if (options === null || typeof options !== 'object' || options.host === undefined)
      throw new RangeError(`${where}: options.host must be the Host, got ${String(options?.host)}`);
    this.sim = sim;
    this.host = options.host;
    this.options = options;
    this.channels = options.channels ?? null;
    const d = NETWORK_DEFAULTS;
    this.ringEntries = options.ringEntries ?? d.ringEntries;
    if (
      !Number.isSafeInteger(this.ringEntries) ||
      this.ringEntries < 1 ||
      (this.ringEntries & (this.ringEntries - 1)) !== 0
    )
      throw new RangeError(`${where}: ringEntries must be a power of two ≥ 1, got ${this.ringEntries}`);
    this.backendTxPacketNs = checkInt(where, 'backendTxPacketNs', options.backendTxPacketNs ?? d.backendTxPacketNs, 0);
    this.backendRxPacketNs = checkInt(where, 'backendRxPacketNs', options.backendRxPacketNs ?? d.backendRxPacketNs, 0);
    const bc = options.backendCpus ?? [d.nicIrqCpu];
    if (bc.length === 0) throw new RangeError(`${where}: backendCpus must list at least one CPU, got []`);
    for (const c of bc) checkInt(where, 'backendCpus[]', c, 0, this.host.numCpus - 1);
    const irq = options.nicIrq ?? {};
    const handler = checkInt(where, 'nicIrq.handlerNs', irq.handlerNs ?? d.nicIrqHandlerNs, 0);
    if (handler > Math.min(this.backendTxPacketNs, this.backendRxPacketNs))
      throw new RangeError(
        `${where}: nicIrq.handlerNs must be at most the per-packet back-end costs (${Math.min(this.backendTxPacketNs, this.backendRxPacketNs)} ns), got ${handler}`,
      );
    this.nicIrqHandlerNs = handler;
    this.txSoftNs = this.backendTxPacketNs - handler;
    this.rxSoftNs = this.backendRxPacketNs - handler;
    this.rxMaxFrames = checkInt(where, 'nicIrq.rxMaxFrames', irq.rxMaxFrames ?? d.nicIrqRxMaxFrames, 1, 256);
    this.txMaxFrames = checkInt(where, 'nicIrq.txMaxFrames', irq.txMaxFrames ?? d.nicIrqTxMaxFrames, 1, 256);
    this.rxDelayNs = checkInt(where, 'nicIrq.rxDelayNs', irq.rxDelayNs ?? 0, this.rxMaxFrames > 1 ? 1 : 0, 1e12);
    this.txDelayNs = checkInt(where, 'nicIrq.txDelayNs', irq.txDelayNs ?? 0, this.txMaxFrames > 1 ? 1 : 0, 1e12);
    const cpus = irq.cpus ?? bc;
    const routing = irq.routing ?? (irq.cpus === undefined && bc.length > 1 ? IrqRouting.roundRobin : IrqRouting.fixed);
    this.irqLine = new InterruptLine(this.host, {
      name: 'nic',
      handlerNs: handler,
      handlerBytes: d.nicIrqHandlerBytes,
      routing,
      cpus,
    });
    for (let c = 0; c < this.host.numCpus; c++) {
      this.irqFrames.push(new Deque<Packet>(16));
      this.irqCounts.push(new Deque<number>(8));
    }
    this.nic = new Nic(sim, options.nic ?? {}, this.toClients, this.fromWire);
    this.nic.outbound.onSpace = this.onTxDone;
    const control = this.host.control;
    control.onDeviceAttached.add((domainId, kind, config) => {
      if (kind === DeviceKind.vif) this.attachVif(domainId, config as unknown as VifConfig);
    });
    control.onVfrRule.add((direction, rule) => {
      this.vfr.installValidated(direction, rule);
    });
  }

  get mtuBytes(): number {
    return this.nic.mtuBytes;
  }

  /** The VIF `index` of domain `domain` (throws if not attached). */
  vif(domain: number, index = 0): Vif {
    for (const v of this.vifs) if (v.domain === domain && v.index === index) return v;
    throw new RangeError(
      `Network.vif: vif ${index} of domain ${domain} must be attached (control.attachDevice), it is not`,
    );
  }

  /** The guest endpoint of VIF `index` of domain `domain`. */
  endpoint(domain: number, index = 0): GuestEndpoint {
    return this.vif(domain, index).endpoint;
  }

  /** Every VIF, in attachment order. */
  get allVifs(): readonly Vif[] {
    return this.vifs;
  }

  /** Adds a client machine beyond the NIC (its address must be unique). */
  addRemoteHost(options: RemoteHostOptions): RemoteHost {
    const where = 'Network.addRemoteHost';
    checkInt(where, 'addr', options.addr, 1, 0xffffffff);
    if (this.remotes.has(options.addr) || this.byAddr.has(options.addr))
      throw new RangeError(`${where}: addr must be unused, got ${options.addr} (already taken)`);
    const r = new RemoteHost(this, options);
    this.remotes.set(options.addr, r);
    this.clearLookups();
    this.remoteList.push(r);
    return r;
  }

  get remoteHosts(): readonly RemoteHost[] {
    return this.remoteList;
  }

  get droppedTotal(): number {
    let n = 0;
    for (const k of DROP_REASONS) n += this.counters.dropped[k];
    return n;
  }

  /** Packets sent and not yet delivered or dropped, counted stage by stage (header). */
  get inFlight(): number {
    let n = (this.txBusy ? 1 : 0) + this.rxInWork + this.rxPending.length + this.irqQueued;
    n += this.nic.outbound.queued + this.nic.outbound.onWire + this.nic.inbound.queued + this.nic.inbound.onWire;
    for (const v of this.vifs) n += v.inFlight;
    for (const r of this.remoteList) n += r.inFlight;
    return n;
  }

  /** Throws InvariantError unless sent = delivered + dropped + in flight (header). */
  checkConservation(): void {
    const c = this.counters;
    const dropped = this.droppedTotal;
    const inFlight = this.inFlight;
    if (c.sent !== c.delivered + dropped + inFlight)
      throw new InvariantError(
        'network',
        `sent ${c.sent} ≠ delivered ${c.delivered} + dropped ${dropped} + in flight ${inFlight}`,
        this.sim.now,
      );
  }

  // ---- NetCore ----

  /** @internal */
  _sent(_p: Packet): void {
    this.counters.sent++;
  }

  /** @internal */
  _delivered(_p: Packet): void {
    this.counters.delivered++;
  }

  /** @internal */
  _drop(p: Packet, reason: DropReason): void {
    this.counters.dropped[reason]++;
    if (this.onDrop.size > 0) this.onDrop.emit(p, reason, undefined, undefined);
    this.pool.release(p);
  }

  /** @internal */
  _toInbound(p: Packet): boolean {
    return this.nic.inbound.enqueue(p);
  }

  // ---- VIFs ----

  private attachVif(domainId: number, config: VifConfig): void {
    const index = this.vifs.filter((v) => v.domain === domainId).length;
    if (index >= MAX_VIFS)
      throw new RangeError(`Network: vif count must be at most ${MAX_VIFS} per domain, got ${index + 1}`);
    if (this.byAddr.has(config.addr) || this.remotes.has(config.addr))
      throw new RangeError(`Network: vif addr must be unused, got ${config.addr} (already taken)`);
    const vif = new Vif(this.sim, this.vifs.length, domainId, index, config, this.ringEntries, this.options);
    const g = this.options.guest;
    const gOpts = typeof g === 'function' ? g(domainId, index) : (g ?? {});
    const ep = new GuestEndpoint(this, vif, this.host, this.ringEntries, gOpts);
    vif.endpoint = ep;
    this.vifs.push(vif);
    this.byAddr.set(config.addr, vif);
    this.clearLookups();
    const onTx = (): void => this.onTxRequests(vif);
    const ch = this.channels;
    if (ch !== null) {
      const dom = this.host.domain(domainId);
      const txConn = connectBackendRing(vif.txRing, ch, this.host, dom, onTx);
      ch.onEvent(dom, txConn.guestPort, () => ep._drainTx());
      const rxConn = connectBackendRing(vif.rxRing, ch, this.host, dom, () => undefined);
      ch.onEvent(dom, rxConn.guestPort, () => ep._kickRx());
    } else {
      vif.txRing.notifier = (direction) => {
        if (direction === RingDirection.requests) onTx();
        else ep._drainTx();
      };
      vif.rxRing.notifier = (direction) => {
        if (direction === RingDirection.responses) ep._kickRx();
      };
    }
    ep._start();
  }

  // ---- back end: transmit ----

  private onTxRequests(v: Vif): void {
    if (!v.inRr && !v.parked) {
      v.inRr = true;
      this.rr.push(v);
    }
    this.pump();
  }

  private readonly pumpCb = (): void => this.pump();

  /** Round robin: one packet per VIF per turn, one packet in the back end at a time, while the NIC has room. */
  private pump(): void {
    while (!this.txBusy && this.rr.length > 0 && this.nic.outbound.space > 0) {
      const v = this.rr.shift() as Vif;
      v.inRr = false;
      let d = v.held ?? v.txRing.takeRequest();
      if (d === undefined) {
        if (!v.txRing.finalCheckForRequests()) continue; // re-armed: the next push notifies
        d = v.txRing.takeRequest() as TxDesc;
      }
      v.held = null;
      const frame = (d.packet as Packet).frameBytes;
      if (v.config.creditBytes > 0 && v.creditRemaining < frame) {
        const resetAt = v.creditResetAtNs + v.config.creditPeriodNs;
        if (this.sim.now >= resetAt) {
          v.creditRemaining = v.config.creditBytes;
          v.creditResetAtNs = this.sim.now;
        } else {
          v.held = d;
          v.parked = true;
          this.sim.schedule(resetAt - this.sim.now, this.unpark, v);
          continue;
        }
      }
      if (v.config.creditBytes > 0) v.creditRemaining -= frame;
      this.txBusy = true;
      this.backendWork(this.txSoftNs, this.afterTxWork, d, v.endpoint.cpu, NETWORK_DEFAULTS.backendTxPacketBytes);
    }
  }

  private readonly unpark = (v: Vif): void => {
    v.parked = false;
    v.creditRemaining = v.config.creditBytes;
    v.creditResetAtNs = this.sim.now;
    if (!v.inRr) {
      v.inRr = true;
      this.rr.push(v);
    }
    this.pump();
  };

  private readonly afterTxWork = (d: TxDesc): void => {
    this.txBusy = false;
    const v = d.vif;
    const p = d.packet as Packet;
    d.packet = null;
    v.txRing.submitResponse(d);
    if (p.srcAddr !== v.addr) {
      v.counters.dropped.spoofed++;
      this._drop(p, DropReason.spoofed);
    } else {
      const verdict = this.vfr.classify(VfrDirection.tx, p, this.verdict);
      if (verdict.action === VfrAction.drop) {
        v.counters.dropped.ruleDrop++;
        this._drop(p, DropReason.ruleDrop);
      } else {
        v.counters.txPackets++;
        v.counters.txPayloadBytes += p.payloadBytes;
        let local: Vif | undefined;
        if (verdict.action === VfrAction.route) local = this.vifByRef(verdict.routeTo);
        else local = this.txLookup.get(this.byAddr, p.dstAddr);
        if (local !== undefined) this.toVif(local, p, this.backendRxPacketNs, v.endpoint.cpu);
        else if (verdict.action === VfrAction.route) this._drop(p, DropReason.noRoute);
        else if (!this.nic.outbound.enqueue(p)) this._drop(p, DropReason.queueFull);
      }
    }
    // the VIF goes to the back of the round robin if it has more (the final check re-arms it otherwise)
    if (!v.inRr && !v.parked && (v.txRing.unconsumedRequests > 0 || v.txRing.finalCheckForRequests())) {
      v.inRr = true;
      this.rr.push(v);
    }
    this.pump();
  };

  private clearLookups(): void {
    this.txLookup.clear();
    this.rxLookup.clear();
    this.remoteLookup.clear();
  }

  private vifByRef(ref: { readonly domain: number; readonly vif: number } | null): Vif | undefined {
    if (ref === null) return undefined;
    for (const v of this.vifs) if (v.domain === ref.domain && v.index === ref.vif) return v;
    return undefined;
  }

  // ---- back end: receive ----

  private readonly fromWire = (p: Packet): void => {
    if (this.lossFilter !== null && this.lossFilter(p, 'inbound')) {
      this._drop(p, DropReason.linkLoss);
      return;
    }
    this.rxPending.push(p);
    if (this.rxPending.length >= this.rxMaxFrames) this.raiseIrq();
    else if (this.rxPending.length === 1) this.sim.schedule(this.rxDelayNs, this.irqTimeout, this.irqGen);
  };

  // ---- the NIC's interrupt (module header, "NIC interrupts") ----

  /** A frame left the NIC: its transmit completion is reported by an interrupt; the back end may go on. */
  private readonly onTxDone = (): void => {
    this.txPending++;
    if (this.txPending >= this.txMaxFrames) this.raiseIrq();
    else if (this.txPending === 1) this.sim.schedule(this.txDelayNs, this.irqTimeout, this.irqGen);
    this.pump();
  };

  private readonly irqTimeout = (gen: number): void => {
    if (gen === this.irqGen && (this.rxPending.length > 0 || this.txPending > 0)) this.raiseIrq();
  };

  /** One interrupt reports every pending frame (received and sent); the handler runs on the routed PCPU. */
  private raiseIrq(): void {
    this.irqGen++;
    this.interrupts++;
    this.txPending = 0;
    const cpu = this.irqLine.route();
    const n = this.rxPending.length;
    const frames = this.irqFrames[cpu] as Deque<Packet>;
    for (let i = 0; i < n; i++) frames.push(this.rxPending.shift() as Packet);
    (this.irqCounts[cpu] as Deque<number>).push(n);
    this.irqQueued += n;
    this.backendNs += this.nicIrqHandlerNs;
    this.irqLine.raise(0, this.irqDone);
  }

  /** The handler has run on `cpu`: the frames it reported go to the back end. */
  private readonly irqDone = (cpu: number): void => {
    const n = (this.irqCounts[cpu] as Deque<number>).shift() as number;
    const frames = this.irqFrames[cpu] as Deque<Packet>;
    this.irqQueued -= n;
    for (let i = 0; i < n; i++) this.demux(frames.shift() as Packet, cpu);
  };

  /** The back end's receive demultiplexing (VFR rx rules), then the VIF's receive work on `cpu`. */
  private demux(p: Packet, cpu: number): void {
    const verdict = this.vfr.classify(VfrDirection.rx, p, this.verdict);
    if (verdict.action === VfrAction.drop) {
      this._drop(p, DropReason.ruleDrop);
      return;
    }
    let v: Vif | undefined;
    if (verdict.action === VfrAction.route) v = this.vifByRef(verdict.routeTo);
    else v = this.rxLookup.get(this.byAddr, p.dstAddr);
    if (v === undefined) {
      this._drop(p, DropReason.noRoute);
      return;
    }
    this.toVif(v, p, this.rxSoftNs, cpu);
  }

  /** Receive work of `p` into VIF `v` (`cpuNs` before the flip: full for inter-domain packets, no interrupt). */
  private toVif(v: Vif, p: Packet, cpuNs: number, cpu: number): void {
    this.rxInWork++;
    p.hop = v.slot;
    const d = NETWORK_DEFAULTS;
    const bytes = d.backendRxPacketBytes + (v.flipNs > 0 ? d.pageFlipBytes : 0);
    this.backendWork(cpuNs + v.flipNs, this.afterRxWork, p, cpu, bytes);
  }

  private readonly afterRxWork = (p: Packet): void => {
    this.rxInWork--;
    const v = this.vifs[p.hop] as Vif;
    p.hop = -1;
    const ring = v.rxRing;
    let b = ring.takeRequest();
    if (b === undefined && ring.finalCheckForRequests()) b = ring.takeRequest();
    if (b === undefined) {
      v.counters.dropped.noRxBuffer++;
      this._drop(p, DropReason.noRxBuffer);
      return;
    }
    v.counters.rxPackets++;
    v.counters.rxPayloadBytes += p.payloadBytes;
    b.packet = p;
    ring.submitResponse(b);
  };

  private readonly toClients = (p: Packet): void => {
    if (this.lossFilter !== null && this.lossFilter(p, 'outbound')) {
      this._drop(p, DropReason.linkLoss);
      return;
    }
    const r = this.remoteLookup.get(this.remotes, p.dstAddr);
    if (r === undefined) this._drop(p, DropReason.noRoute);
    else r._arrive(p);
  };

  /**
   * Back-end work where the host's placement puts it (hypervisor or native kernel: a softirq on PCPU `cpu`;
   * dom0: its vCPU 0); fn(arg) when it has run (never synchronously).
   */
  private backendWork<T>(cpuNs: number, fn: (arg: T) => void, arg: T, cpu: number, bytes: number): void {
    if (cpuNs === 0) {
      this.sim.schedule(0, fn, arg);
      return;
    }
    this.backendNs += cpuNs;
    const h = this.host;
    if (h.bareMetal || h.backendPlacement === BackendPlacement.hypervisor) {
      h.hypervisorWorkCb(cpu, cpuNs, HvWorkKind.softirq, TAG_BACKEND, fn, arg, bytes);
    } else (h.dom0.vcpus[0] as (typeof h.dom0.vcpus)[number]).runThen(cpuNs, fn, arg, true, TAG_BACKEND);
  }
}

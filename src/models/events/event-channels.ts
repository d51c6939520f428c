// Event channels: Xen's asynchronous notification mechanism between domains and from the hypervisor
// (virtual IRQs) to domains, with the CPU cost of each notification charged to the right domain.
//
// What it holds. Per domain: the bitmaps of bitmaps.ts (pending, mask, selector, upcall flags) and a
// port table. Ports are bound in pairs between two domains (EVTCHNOP_bind_interdomain) or to a virtual
// IRQ of one domain (EVTCHNOP_bind_virq, e.g. the timer); closing one end of an interdomain pair leaves
// the other end unbound (sends on it are dropped, as Xen returns -EINVAL). Port 0 is never allocated
// (Xen reserves it). A 'device' port (`bindDevice`) connects a domain to a back end that lives in the
// hypervisor or in a device rather than in another domain (Xen 1.0's in-hypervisor VIF/VBD back ends,
// which notified the guest through per-device event bits): the guest's `send` on it is a hypercall
// whose completion runs the back end's notification callback in the hypervisor; the back end
// notifies the guest with `raise` (no hypercall, and no domain but the guest is woken).
//
// Behaviour.
//   * `send(domain, port)` is the guest's EVTCHNOP_send hypercall: `hypercallNs` of CPU demand on the
//     sender's vCPU; when it has been served, the remote port's pending bit is set (evtchn_set_pending).
//     The returned event succeeds then. `raise` / `raiseVirq` are the hypervisor-side equivalent (a
//     device or timer interrupt): no hypercall, the pending bit is set at once.
//   * Upcall: when a port becomes pending while unmasked and no upcall is pending, and the domain has
//     not masked upcalls, an upcall starts: an urgent CPU demand of `upcallNs` (hypervisor bounce
//     frame + guest callback entry + demultiplexing scan + return) on the domain's vCPU 0, which wakes
//     a blocked vCPU through the CPU scheduler's wake rule. When the demand has been served, the scan
//     of evtchn_do_upcall runs: upcallPending cleared, the selector swapped with 0, and every pending
//     unmasked port, lowest first, has its pending bit cleared and is delivered to its waiters
//     (`wait`) and handlers (`onEvent`), in that order. Sends that arrive while an upcall is pending are
//     delivered by that same upcall (one upcall per unmasked pending burst); a send to a port that is
//     already pending is coalesced into the one delivery (Xen's pending bit is a bit, not a counter).
//   * Masking: a masked port collects pending bits without upcalls; unmasking it (unmask_evtchn)
//     starts an upcall if it is pending, so nothing sent while masked is lost. `maskUpcalls` (the
//     global evtchn_upcall_mask, __cli) holds off every upcall; `unmaskUpcalls` (__sti) starts the
//     pending one. If the guest masks upcalls while an upcall's CPU demand is queued, the scan is
//     deferred to the next unmask (the entry cost already charged is not refunded).
//   * Blocking and waking (Xen 2.0): a vCPU that blocks clears its upcall mask (do_block sets
//     evtchn_upcall_mask = 0 before blocking; XenLinux's idle loop blocks with interrupts off and
//     relies on this implicit __sti), and an upcall already pending then starts at once (do_block's
//     event_pending check: the vCPU does not stay blocked). A port that becomes pending while unmasked
//     wakes a blocked vCPU 0 whatever its upcall mask (evtchn_set_pending calls exec_domain_unblock
//     without looking at the mask): the vCPU resumes with the mask clear and takes the upcall. So
//     batching by masking can delay an event while the guest runs, never lose a blocked domain's
//     wake-up. The model learns of blocking through the host's onBlock signal (when the host given to
//     the constructor has one) and of a vCPU's state through `vcpu.state`.
//   * Domain destruction: `closeDomain(domain)` closes every port of the domain (each as
//     EVTCHNOP_close: remote ends become unbound, waiters and handlers are dropped); the host calls it
//     for a destroyed domain when these channels are attached to it (host.attachEventChannels).
//   * vCPU: every upcall goes to vCPU 0 (Xen 2.0 delivers through vcpu_data[0]); a send is charged to
//     vCPU 0 unless a vCPU index is given.
//
// Units: ns for costs; ports are indices. Defaults (EVENT_CHANNEL_DEFAULTS), from docs/calibration.md,
// paper Table 3 (lmbench, µs), derived as follows:
//   * hypercallNs = 450 ns. An event-channel send is one software trap from the guest kernel into the
//     hypervisor and back plus a few bit operations. The hardware path is that of a native null system
//     call (trap to ring 0 and back): L-UP "null call" = 0.45 µs. (The Xen − L-UP difference of the
//     null call, 0.01 µs, measures the virtualization overhead of a guest's own system calls, which
//     Xen's fast trap handlers keep off the hypervisor path; it says nothing about a hypercall's cost.)
//   * upcallNs = 1290 ns. lmbench "sig handle" = kill() system call + signal frame set-up + handler +
//     sigreturn. An upcall is the same shape without the sending system call: the hypervisor builds a
//     bounce frame on the guest kernel stack, the guest callback demultiplexes and returns. So
//     upcallNs = Xen sig handle − Xen null call = 1.75 − 0.46 = 1.29 µs. (The Xen − L-UP difference,
//     1.75 − 2.49 < 0, is again a guest-overhead figure, not a delivery cost.) Handlers' own work is
//     the workload's, charged by the workload.
//   * layout = xen2 (1024 ports, selector word); xen1 = one 32-bit pending word and one mask word
//     (docs/calibration.md "event channels").
// Sources: xen-project tree xen/include/xen/event.h (evtchn_set_pending), xen/common/event_channel.c
// (bind_interdomain, bind_virq, close, send), XenLinux include/asm-xen/evtchn.h and
// arch/xen/kernel/evtchn.c (mask/unmask/clear_evtchn, evtchn_do_upcall).
import { Event } from '../../sim/event.js';
import { InvariantError } from '../../sim/errors.js';
import type { Simulation } from '../../sim/simulation.js';
import { Signal } from '../../sim/signal.js';
import { EventBitmaps, EventLayout, PORT_COUNT, SET_COALESCED, SET_UPCALL } from './bitmaps.js';

/** Virtual IRQs a domain can bind (numbers as Xen's VIRQ_TIMER = 0; the virtual-time alarm is ours). */
export const Virq = { timer: 0, virtualTimer: 1, console: 2, debug: 3 } as const;
export type Virq = (typeof Virq)[keyof typeof Virq];

/** What a port is bound to. */
export const PortKind = {
  free: 'free',
  interdomain: 'interdomain',
  unbound: 'unbound',
  virq: 'virq',
  device: 'device',
} as const;
export type PortKind = (typeof PortKind)[keyof typeof PortKind];

/** CPU demand tags used for notification costs (host accounting by tag, if any, groups by these). */
export const EventCostTag = { hypercall: 'evtchn-hypercall', upcall: 'evtchn-upcall' } as const;
export type EventCostTag = (typeof EventCostTag)[keyof typeof EventCostTag];

export interface EventChannelParams {
  /** Port-space layout (Xen 1.0: 32 ports; Xen 2.0: 1024). */
  readonly layout: EventLayout;
  /** CPU cost of the sender's EVTCHNOP_send hypercall, ns. */
  readonly hypercallNs: number;
  /** CPU cost of one upcall (bounce frame, callback entry, scan, return) at the receiver, ns. */
  readonly upcallNs: number;
}

/** Defaults; derivations in the header. */
export const EVENT_CHANNEL_DEFAULTS: EventChannelParams = Object.freeze({
  layout: EventLayout.xen2,
  hypercallNs: 450, // calibration.md Table 3: L-UP null call 0.45 µs
  upcallNs: 1290, // calibration.md Table 3: Xen sig handle 1.75 µs − Xen null call 0.46 µs
});

/** What the model needs of a vCPU (the host's Vcpu satisfies it). */
export interface EvtchnVcpu {
  run(cpuNs: number, opts?: { urgent?: boolean; tag?: string }): Event<void>;
  /** Scheduling state ('blocked' = no work: an event wakes it); absent = never known to be blocked. */
  readonly state?: string;
  /** Slot for this model's per-vCPU record (saves a map lookup on every block), when present. */
  evtchnData?: unknown;
  /** Callback form of run (no Event allocated), used for upcalls when present. */
  runThen?<T>(cpuNs: number, fn: (arg: T) => void, arg: T, urgent?: boolean, tag?: string | null): void;
}
/** What the model needs of a domain (the host's Domain satisfies it). */
export interface EvtchnDomain {
  readonly id: number;
  readonly name: string;
  readonly vcpus: readonly EvtchnVcpu[];
  /** Slot for this model's per-domain record (one hop on every raise), when present. */
  evtchnData?: unknown;
}
/** A vCPU-blocked signal (the host's onBlock satisfies it). */
export interface BlockSignal {
  add(fn: (vcpu: EvtchnVcpu, nowNs: number) => void): unknown;
}
/** What the model needs of the host. */
export interface EvtchnHost {
  readonly sim: Simulation;
  /** (vcpu, now): a vCPU ran out of work and blocked (do_block clears its upcall mask). */
  readonly onBlock?: BlockSignal;
}

/** A port handler: called synchronously in the upcall's scan with the delivered port. */
export type PortHandler = (port: number) => void;

interface PortState {
  kind: PortKind;
  remote: DomainEvents | null;
  remotePort: number;
  virq: number;
  /** Back-end callback of a device port (the guest notified it), or null. */
  device: (() => void) | null;
  /** Handlers (replaced, never mutated: onEvent's remover may run during a delivery). */
  handlers: readonly PortHandler[];
  /** Waiters of `wait`, or null when there are none (no array per port until one waits). */
  waiters: Event<void>[] | null;
}

/** Per-domain counters (plain integers; observation beyond counts goes through the signals). */
export interface DomainEventCounts {
  /** EVTCHNOP_send hypercalls issued by this domain (each charged hypercallNs). */
  hypercalls: number;
  /** Upcalls whose CPU demand was served at this domain (each charged upcallNs). */
  upcalls: number;
  /** Port deliveries (a port's pending bit taken by a scan). */
  deliveries: number;
  /** Sends or raises that found the destination port already pending (coalesced). */
  coalesced: number;
  /** Sends on a port whose remote end was closed (dropped; the hypercall is still charged). */
  dropped: number;
}

/**
 * Per-domain state. It is also the domain's bitmaps (it extends them; `bitmaps` is itself) and its
 * counts: one object to touch per event instead of three.
 */
class DomainEvents extends EventBitmaps implements DomainEventCounts {
  readonly bitmaps: EventBitmaps;
  /** The model this state belongs to (for the upcall's completion callback). */
  ch: EventChannels | null = null;
  readonly ports: PortState[] = [];
  /** An upcall's CPU demand has been requested and not yet served. */
  upcallQueued = false;
  /** Port bound to each virq (index: the Virq number), -1 if none (an array: no Map per domain). */
  readonly virqPort: number[] = [-1, -1, -1, -1];
  hypercalls = 0;
  upcalls = 0;
  deliveries = 0;
  coalesced = 0;
  dropped = 0;
  closed = false;

  constructor(
    readonly domain: EvtchnDomain,
    layout: EventLayout,
  ) {
    super(layout);
    this.bitmaps = this;
  }
}

const NO_HANDLERS: readonly PortHandler[] = Object.freeze([]);

function freePort(): PortState {
  return {
    kind: PortKind.free,
    remote: null,
    remotePort: 0,
    virq: -1,
    device: null,
    handlers: NO_HANDLERS,
    waiters: null,
  };
}

/** Port 0 of every domain: reserved, never allocated nor changed (one shared record). */
const RESERVED_PORT: PortState = freePort();

const MODEL = 'event-channels';

function upcallServed(d: DomainEvents): void {
  (d.ch as EventChannels)._upcallServed(d);
}

function startUpcallLater(d: DomainEvents): void {
  (d.ch as EventChannels)._startUpcallIfPending(d);
}

export class EventChannels {
  readonly sim: Simulation;
  readonly params: EventChannelParams;
  /** A pending bit was set by a send or raise: (destination domain, destination port, source domain or null for the hypervisor, coalesced). */
  readonly onNotify = new Signal<EvtchnDomain, number, EvtchnDomain | null, boolean>();
  /** An upcall's scan ran at a domain: (domain, number of ports delivered). */
  readonly onUpcall = new Signal<EvtchnDomain, number>();
  /** A port was delivered at a domain: (domain, port). */
  readonly onDeliver = new Signal<EvtchnDomain, number>();
  private readonly doms = new Map<number, DomainEvents>();
  /** vCPU 0 of each domain with event state → that state (for the block hook). */
  private readonly byVcpu0 = new Map<EvtchnVcpu, DomainEvents>();

  constructor(host: EvtchnHost, params: Partial<EventChannelParams> = {}) {
    this.sim = host.sim;
    const p = { ...EVENT_CHANNEL_DEFAULTS, ...params };
    if (p.layout !== EventLayout.xen1 && p.layout !== EventLayout.xen2) {
      throw new RangeError(`EventChannels: layout must be one of "xen1", "xen2", got ${JSON.stringify(p.layout)}`);
    }
    for (const f of ['hypercallNs', 'upcallNs'] as const) {
      const v = p[f];
      if (!Number.isSafeInteger(v) || v < 0)
        throw new RangeError(`EventChannels: ${f} must be a non-negative integer number of ns, got ${v}`);
    }
    this.params = Object.freeze(p);
    if (host.onBlock !== undefined) host.onBlock.add((v) => this.blocked(v));
  }

  // ---- binding ----

  /** EVTCHNOP_bind_interdomain: a fresh port in each domain, bound to each other. */
  bindInterdomain(a: EvtchnDomain, b: EvtchnDomain): { readonly portA: number; readonly portB: number } {
    if (a === b)
      throw new RangeError(`EventChannels.bindInterdomain: both ends are domain ${a.id}; bind two different domains`);
    const da = this.state(a);
    const db = this.state(b);
    const portA = this.allocPort(da);
    const sa = da.ports[portA] as PortState;
    sa.kind = PortKind.interdomain; // reserve before allocating the other end
    const portB = this.allocPort(db);
    const sb = db.ports[portB] as PortState;
    sa.remote = db;
    sa.remotePort = portB;
    sb.kind = PortKind.interdomain;
    sb.remote = da;
    sb.remotePort = portA;
    return { portA, portB };
  }

  /** EVTCHNOP_bind_virq: a fresh port of `domain` receiving the virtual IRQ (one port per virq). */
  bindVirq(domain: EvtchnDomain, virq: Virq): number {
    const d = this.state(domain);
    const bound = d.virqPort[virq] ?? -1;
    if (bound >= 0)
      throw new RangeError(
        `EventChannels.bindVirq: virq ${virq} is already bound in domain ${domain.id} (port ${bound})`,
      );
    const port = this.allocPort(d);
    const s = d.ports[port] as PortState;
    s.kind = PortKind.virq;
    s.virq = virq;
    d.virqPort[virq] = port;
    return port;
  }

  /**
   * A fresh port of `domain` connected to a back end in the hypervisor or a device: `send` on it
   * charges the guest's hypercall and then calls `onGuestNotify` (in the hypervisor); the back end
   * notifies the guest with `raise(domain, port)`.
   */
  bindDevice(domain: EvtchnDomain, onGuestNotify: () => void): number {
    const d = this.state(domain);
    const port = this.allocPort(d);
    const s = d.ports[port] as PortState;
    s.kind = PortKind.device;
    s.device = onGuestNotify;
    return port;
  }

  /** The port bound to a virq of a domain, or -1. */
  virqPort(domain: EvtchnDomain, virq: Virq): number {
    return this.state(domain).virqPort[virq] ?? -1;
  }

  /** EVTCHNOP_close: frees the port (pending bit, handlers and waiters dropped); the remote end becomes unbound. */
  close(domain: EvtchnDomain, port: number): void {
    const d = this.state(domain);
    const s = this.port(d, port, 'close');
    if (s.kind === PortKind.interdomain && s.remote !== null) {
      const r = s.remote.ports[s.remotePort];
      if (r !== undefined && r.kind === PortKind.interdomain) {
        r.kind = PortKind.unbound;
        r.remote = null;
      }
    }
    if (s.kind === PortKind.virq) d.virqPort[s.virq] = -1;
    d.bitmaps.clearPort(port);
    d.bitmaps.unmaskPort(port); // a fresh port starts unmasked (not pending, so no upcall)
    d.ports[port] = freePort();
  }

  /** Kind of a port. */
  portKind(domain: EvtchnDomain, port: number): PortKind {
    return this.state(domain).ports[port]?.kind ?? PortKind.free;
  }

  /**
   * Closes every port of a destroyed domain (EVTCHNOP_close on each: remote interdomain ends become
   * unbound, pending bits, handlers and waiters dropped); its event state is then forgotten (a new
   * domain object with the same id starts afresh). An upcall of the domain still queued does nothing.
   */
  closeDomain(domain: EvtchnDomain): void {
    const d = this.doms.get(domain.id);
    if (d === undefined || d.domain !== domain) return;
    for (let port = 1; port < d.ports.length; port++) {
      if ((d.ports[port] as PortState).kind !== PortKind.free) this.close(domain, port);
    }
    d.closed = true;
    this.doms.delete(domain.id);
    const v0 = domain.vcpus[0];
    if (v0 !== undefined) {
      this.byVcpu0.delete(v0);
      if (v0.evtchnData === d) v0.evtchnData = null;
    }
    if (domain.evtchnData === d) domain.evtchnData = null;
  }

  // ---- notification ----

  /**
   * EVTCHNOP_send from `domain`'s `port`: charges hypercallNs on the sender's vCPU (urgent: the guest
   * kernel makes the call now, before its queued work); when served, sets the remote port pending.
   * The event succeeds then.
   */
  send(domain: EvtchnDomain, port: number, vcpuIndex = 0): Event<void> {
    const d = this.state(domain);
    const s = this.port(d, port, 'send');
    if (s.kind !== PortKind.interdomain && s.kind !== PortKind.unbound && s.kind !== PortKind.device) {
      throw new RangeError(
        `EventChannels.send: port ${port} of domain ${domain.id} is a ${s.kind} port; only interdomain and device ports can be sent on`,
      );
    }
    const vcpu = domain.vcpus[vcpuIndex];
    if (vcpu === undefined) throw new RangeError(`EventChannels.send: domain ${domain.id} has no vCPU ${vcpuIndex}`);
    d.hypercalls++;
    const done = vcpu.run(this.params.hypercallNs, { urgent: true, tag: EventCostTag.hypercall });
    done.addCallback(() => this.completeSend(d, port));
    return done;
  }

  /** Hypervisor-side notification of a domain's port (device interrupt): sets it pending now, no hypercall. */
  raise(domain: EvtchnDomain, port: number): void {
    const d = this.state(domain);
    const s = this.port(d, port, 'raise');
    if (s.kind === PortKind.free)
      throw new RangeError(`EventChannels.raise: port ${port} of domain ${domain.id} is not bound`);
    this.setPending(d, port, null);
  }

  /** send_guest_virq: sets the port bound to `virq` pending; returns false if the virq is not bound. */
  raiseVirq(domain: EvtchnDomain, virq: Virq): boolean {
    const d = this.state(domain);
    const port = d.virqPort[virq] ?? -1;
    if (port < 0) return false;
    this.setPending(d, port, null);
    return true;
  }

  // ---- guest-side masking ----

  /** mask_evtchn. */
  maskPort(domain: EvtchnDomain, port: number): void {
    const d = this.state(domain);
    this.port(d, port, 'maskPort');
    d.bitmaps.maskPort(port);
  }

  /** unmask_evtchn: an event that arrived while masked starts an upcall now. */
  unmaskPort(domain: EvtchnDomain, port: number): void {
    const d = this.state(domain);
    this.port(d, port, 'unmaskPort');
    if (d.bitmaps.unmaskPort(port)) this.startUpcall(d);
  }

  /** Sets the global upcall mask (holds off every upcall of the domain). */
  maskUpcalls(domain: EvtchnDomain): void {
    this.state(domain).bitmaps.maskUpcalls();
  }

  /** Clears the global upcall mask; a pending upcall starts now. */
  unmaskUpcalls(domain: EvtchnDomain): void {
    const d = this.state(domain);
    if (d.bitmaps.unmaskUpcalls()) this.startUpcall(d);
  }

  isPending(domain: EvtchnDomain, port: number): boolean {
    return this.state(domain).bitmaps.isPending(port);
  }
  isMasked(domain: EvtchnDomain, port: number): boolean {
    return this.state(domain).bitmaps.isMasked(port);
  }
  upcallsMasked(domain: EvtchnDomain): boolean {
    return this.state(domain).bitmaps.upcallMask;
  }
  upcallPending(domain: EvtchnDomain): boolean {
    return this.state(domain).bitmaps.upcallPending;
  }
  /** The domain's bitmaps (read them; drive them only through this model). */
  bitmaps(domain: EvtchnDomain): EventBitmaps {
    return this.state(domain).bitmaps;
  }
  /** Per-domain counts. */
  counts(domain: EvtchnDomain): Readonly<DomainEventCounts> {
    return this.state(domain);
  }

  // ---- guest-side delivery API ----

  /** Registers a handler for deliveries of `port` (callback style); returns a function that removes it. */
  onEvent(domain: EvtchnDomain, port: number, handler: PortHandler): () => void {
    const d = this.state(domain);
    const s = this.port(d, port, 'onEvent');
    s.handlers = [...s.handlers, handler];
    return () => {
      s.handlers = s.handlers.filter((h) => h !== handler);
    };
  }

  /** An event that succeeds at the next delivery of `port` (process style: `yield channels.wait(d, port)`). */
  wait(domain: EvtchnDomain, port: number): Event<void> {
    const d = this.state(domain);
    const s = this.port(d, port, 'wait');
    const ev = new Event<void>(this.sim);
    if (s.waiters === null) s.waiters = [ev];
    else s.waiters.push(ev);
    return ev;
  }

  // ---- internals ----

  private state(domain: EvtchnDomain): DomainEvents {
    // fast path: the record kept on the domain, else on vCPU 0 (set below when this model took the
    // slot; cleared on close)
    const y = domain.evtchnData;
    if (y instanceof DomainEvents && y.ch === this && y.domain === domain) return y;
    const x = domain.vcpus[0]?.evtchnData;
    if (x instanceof DomainEvents && x.ch === this && x.domain === domain) return x;
    let d = this.doms.get(domain.id);
    if (d === undefined) {
      d = new DomainEvents(domain, this.params.layout);
      d.ch = this;
      d.ports.push(RESERVED_PORT); // port 0: reserved, never allocated
      this.doms.set(domain.id, d);
      if (domain.evtchnData === null) domain.evtchnData = d; // first model on this domain takes the slot
      const v0 = domain.vcpus[0];
      if (v0 !== undefined) {
        this.byVcpu0.set(v0, d);
        if (v0.evtchnData === null) v0.evtchnData = d; // first model on this vCPU takes the slot
      }
    } else if (d.domain !== domain) {
      throw new InvariantError(MODEL, `two different domain objects with id ${domain.id}`, this.sim.now);
    }
    return d;
  }

  private allocPort(d: DomainEvents): number {
    for (let p = 1; p < d.ports.length; p++) if ((d.ports[p] as PortState).kind === PortKind.free) return p;
    const port = d.ports.length;
    if (port >= PORT_COUNT[this.params.layout]) {
      throw new RangeError(
        `EventChannels: domain ${d.domain.id} has no free port (all ${PORT_COUNT[this.params.layout] - 1} in use, layout ${this.params.layout})`,
      );
    }
    d.ports.push(freePort());
    return port;
  }

  private port(d: DomainEvents, port: number, op: string): PortState {
    const s = Number.isInteger(port) && port > 0 ? d.ports[port] : undefined;
    if (s === undefined || s.kind === PortKind.free) {
      throw new RangeError(`EventChannels.${op}: port ${port} of domain ${d.domain.id} is not bound`);
    }
    return s;
  }

  private completeSend(d: DomainEvents, port: number): void {
    const s = d.ports[port];
    if (s !== undefined && s.kind === PortKind.device && s.device !== null && !d.closed) {
      s.device(); // the back end in the hypervisor is notified: no event-channel state changes
      return;
    }
    // the port may have been closed (or its remote end) while the hypercall was queued
    if (s === undefined || s.kind !== PortKind.interdomain || s.remote === null) {
      d.dropped++;
      return;
    }
    this.setPending(s.remote, s.remotePort, d.domain);
  }

  private setPending(d: DomainEvents, port: number, from: EvtchnDomain | null): void {
    const b = d.bitmaps;
    // (the port is bound, so in range: the bitmaps' unchecked form)
    const r = b._set(port);
    const wasPending = r === SET_COALESCED;
    if (wasPending) d.coalesced++;
    if (r === SET_UPCALL) this.startUpcall(d);
    else if (b.upcallPending && b.upcallMask && !d.upcallQueued && d.domain.vcpus[0]?.state === 'blocked') {
      // evtchn_set_pending unblocks the vCPU whatever its mask; it resumes with the mask clear
      // (do_block cleared it) and takes the upcall
      b.unmaskUpcalls();
      this.startUpcall(d);
    }
    if (this.onNotify.size > 0) this.onNotify.emit(d.domain, port, from, wasPending);
  }

  /** do_block: the upcall mask is cleared; an upcall already pending starts (the vCPU wakes again). */
  private blocked(v: EvtchnVcpu): void {
    const x = v.evtchnData;
    const d = x instanceof DomainEvents && x.ch === this ? x : this.byVcpu0.get(v);
    if (d === undefined || d.closed) return;
    if (d.bitmaps.unmaskUpcalls() && !d.upcallQueued) {
      // not from inside the host's hook: at the same instant, once the dispatcher is done
      this.sim.schedule(0, startUpcallLater, d); // (d.ch is this model: no record allocated)
    }
  }

  /** @internal */
  _startUpcallIfPending(d: DomainEvents): void {
    const b = d.bitmaps;
    if (d.closed || d.upcallQueued || b.upcallMask || !b.upcallPending) return;
    this.startUpcall(d);
  }

  private startUpcall(d: DomainEvents): void {
    if (d.upcallQueued) return;
    const vcpu = d.domain.vcpus[0];
    if (vcpu === undefined)
      throw new InvariantError(MODEL, `domain ${d.domain.id} has no vCPU to take an upcall`, this.sim.now);
    d.upcallQueued = true;
    if (vcpu.runThen !== undefined) vcpu.runThen(this.params.upcallNs, upcallServed, d, true, EventCostTag.upcall);
    else
      vcpu.run(this.params.upcallNs, { urgent: true, tag: EventCostTag.upcall }).addCallback(() => this.runUpcall(d));
  }

  /** @internal */
  _upcallServed(d: DomainEvents): void {
    this.runUpcall(d);
  }

  /** The scan of evtchn_do_upcall, after the upcall's CPU demand has been served. */
  private runUpcall(d: DomainEvents): void {
    d.upcallQueued = false;
    if (d.closed) return; // the domain was destroyed while its upcall was queued
    d.upcalls++;
    const b = d.bitmaps;
    if (b.upcallMask) return; // masked meanwhile: the next unmaskUpcalls starts a fresh upcall
    if (!b.upcallPending) {
      throw new InvariantError(MODEL, `upcall at domain ${d.domain.id} without a pending upcall flag`, this.sim.now);
    }
    let sel = b.beginUpcall();
    let delivered = 0;
    while (sel !== 0) {
      const w = 31 - Math.clz32(sel & -sel);
      sel &= ~(1 << w);
      for (;;) {
        const port = b.takeNext(w);
        if (port < 0) break;
        delivered++;
        this.deliver(d, port);
      }
    }
    if (this.onUpcall.size > 0) this.onUpcall.emit(d.domain, delivered);
  }

  private deliver(d: DomainEvents, port: number): void {
    d.deliveries++;
    const s = d.ports[port];
    if (s === undefined || s.kind === PortKind.free) return;
    const ws = s.waiters;
    if (ws !== null) {
      s.waiters = null;
      for (const w of ws) w.succeed();
    }
    const hs = s.handlers;
    for (let i = 0; i < hs.length; i++) (hs[i] as PortHandler)(port);
    if (this.onDeliver.size > 0) this.onDeliver.emit(d.domain, port);
  }
}

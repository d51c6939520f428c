// The host's periodic timer delivered through event channels: once a host's event channels are
// attached (host.attachEventChannels), every domain has its VIRQ_TIMER port bound (at attachment or
// at creation; an existing binding, e.g. guest-time.ts's, is reused), each timer tick raises that
// virtual IRQ instead of adding a demand to each vCPU directly, and a destroyed domain's ports close.
//
// What changes for the guest: the tick is an event like any other. It can be masked per port or by
// the upcall mask and is then held off; ticks that find the port still pending coalesce into one
// delivery (the pending bit is a bit), and one upcall delivers the timer together with every other
// pending port. Each delivery runs the guest's timer handler: an urgent demand of `handlerNs` on
// vCPU 0 tagged 'timer', after the upcall's own cost (event-channels.ts, upcallNs). Delivery is to
// vCPU 0 only (all upcalls go there, event-channels.ts), where the direct tick reached every vCPU.
//
// Cost. The direct tick charges timerTickCostNs = 1.75 µs per tick (Table 3 Xen "sig handle",
// docs/calibration.md), an anchor for the whole delivery. Through the channel the delivery is split
// into the upcall (upcallNs = sig handle − null call, 1.29 µs) and the handler: handlerNs =
// max(0, timerTickCostNs − upcallNs) = 0.46 µs by default, so an uncoalesced tick costs the same as
// the direct one (assumption: the split is the one of the upcall derivation; Linux's timer handler
// accounts for lost ticks from system time in one run, so coalesced ticks cost one handler).
// Units: ns.
import type { EventChannels } from '../events/event-channels.js';
import { Virq } from '../events/event-channels.js';
import type { Domain } from './domain.js';

export const TIMER_HANDLER_TAG = 'timer';

function handlerDone(): void {}

/** @internal the host's link to its attached event channels. */
export class VirqTimer {
  readonly handlerNs: number;

  constructor(
    readonly channels: EventChannels,
    timerTickCostNs: number,
  ) {
    this.handlerNs = Math.max(0, timerTickCostNs - channels.params.upcallNs);
  }

  /** Binds VIRQ_TIMER in a domain (unless bound) and registers the guest's timer handler on it. */
  bind(d: Domain): void {
    const ch = this.channels;
    let port = ch.virqPort(d, Virq.timer);
    if (port < 0) port = ch.bindVirq(d, Virq.timer);
    const cost = this.handlerNs;
    const v0 = d.vcpus[0];
    // (runThen with a no-op: the completion takes the same place in the event queue as run's event,
    // without allocating one)
    if (cost > 0 && v0 !== undefined)
      ch.onEvent(d, port, () => v0.runThen(cost, handlerDone, null, true, TIMER_HANDLER_TAG));
  }

  /** One tick: raises VIRQ_TIMER in every live domain (a domain that closed the port gets nothing). */
  tick(domains: Iterable<Domain>): void {
    const ch = this.channels;
    for (const d of domains) ch.raiseVirq(d, Virq.timer);
  }

  /** One tick to one domain (Xen 2.0 t_timer_fn: the domain current on the PCPU whose tick fired). */
  tickDomain(d: Domain): void {
    this.channels.raiseVirq(d, Virq.timer);
  }

  close(d: Domain): void {
    this.channels.closeDomain(d);
  }
}

// Connecting an I/O ring to an event channel: a split-driver pair (front end in one domain, back end
// in another) sharing one ring and one interdomain event channel, as Xen's block and network drivers do.
//
// What it holds: `connectRing` binds an interdomain channel between the front and back domains and
// sets the ring's notifier: a request notification is EVTCHNOP_send on the front's port (hypercall
// charged to the front's vCPU; the back end's port becomes pending → upcall there), a response
// notification is a send on the back's port. Hold-off-timer notifications are sent the same way, by
// the producing domain (the timer interrupt that triggers them is not charged separately).
// The returned connection names both ports, so each side registers its handler:
// `channels.onEvent(back, conn.backPort, …)` for requests, `channels.onEvent(front, conn.frontPort, …)`
// for responses. Both directions share the channel, as in Xen: a domain's handler for the port should
// look at the ring for whichever work is there.
//
// `connectBackendRing` connects a guest's ring to a back end wherever the host's `backendPlacement`
// puts it (host/backend.ts), so the network and storage models run unchanged under both:
//   * 'hypervisor' (Xen 1.0) or a bare-metal host: the back end is not a domain. The guest's request
//     notification is a hypercall on a device port (hypercallNs on the guest's vCPU, then the back
//     end's `onRequests` runs, in the hypervisor: it does its work with host.backendWork). The back
//     end (the hypervisor or the device, as producer of responses) notifies by raising the guest's
//     port: no hypercall, and no domain is woken but the guest (through its upcall).
//   * 'dom0' (Xen 2.0 split drivers): `connectRing` between the guest and dom0; `onRequests` runs in
//     dom0's upcall scan; responses are dom0's sends (its hypercall).
//
// Units: none of its own. Defaults: none. Source: Xen 2.0 split drivers (blkfront/blkback,
// netfront/netback): one event channel per device connection, notify_via_evtchn after
// RING_PUSH_*_AND_CHECK_NOTIFY; Xen 1.0 (paper §3.3.5–3.3.6): VIF/VFR and VBD back ends inside Xen.
import type { EventChannels, EvtchnDomain } from '../events/event-channels.js';
import { BackendPlacement } from '../host/backend.js';
import { type IoRing, type NotifyCause, RingDirection, type RingItem } from './ring.js';

export interface RingConnection {
  readonly front: EvtchnDomain;
  readonly back: EvtchnDomain;
  /** The front end's port (responses are delivered here; requests are sent from here). */
  readonly frontPort: number;
  /** The back end's port (requests are delivered here; responses are sent from here). */
  readonly backPort: number;
}

/** Binds a channel between `front` and `back` and routes the ring's notifications through it. */
export function connectRing<Req extends RingItem, Rsp extends RingItem>(
  ring: IoRing<Req, Rsp>,
  channels: EventChannels,
  front: EvtchnDomain,
  back: EvtchnDomain,
): RingConnection {
  const { portA, portB } = channels.bindInterdomain(front, back);
  ring.notifier = (direction: RingDirection, _cause: NotifyCause): void => {
    if (direction === RingDirection.requests) channels.send(front, portA);
    else channels.send(back, portB);
  };
  return Object.freeze({ front, back, frontPort: portA, backPort: portB });
}

/** A guest's ring connected to its back end (connectBackendRing). */
export interface BackendConnection {
  readonly placement: BackendPlacement;
  readonly guest: EvtchnDomain;
  /** The guest's port: responses are delivered here, requests are sent from here. */
  readonly guestPort: number;
  /** dom0's port for placement 'dom0', -1 otherwise. */
  readonly backPort: number;
}

/** What connectBackendRing needs of the host (host.ts satisfies it). */
export interface BackendRingHost {
  readonly backendPlacement: BackendPlacement;
  readonly bareMetal: boolean;
  readonly dom0: EvtchnDomain;
}

/**
 * Connects `guest`'s ring to its back end where the host's backendPlacement puts it (header); the
 * back end's `onRequests()` is called when the guest notifies requests. Returns the ports; the guest
 * registers its response handler with `channels.onEvent(guest, conn.guestPort, …)`.
 */
export function connectBackendRing<Req extends RingItem, Rsp extends RingItem>(
  ring: IoRing<Req, Rsp>,
  channels: EventChannels,
  host: BackendRingHost,
  guest: EvtchnDomain,
  onRequests: () => void,
): BackendConnection {
  if (!host.bareMetal && host.backendPlacement === BackendPlacement.dom0) {
    const c = connectRing(ring, channels, guest, host.dom0);
    channels.onEvent(host.dom0, c.backPort, () => onRequests());
    return Object.freeze({ placement: BackendPlacement.dom0, guest, guestPort: c.frontPort, backPort: c.backPort });
  }
  const port = channels.bindDevice(guest, onRequests);
  ring.notifier = (direction: RingDirection, _cause: NotifyCause): void => {
    if (direction === RingDirection.requests) channels.send(guest, port);
    else channels.raise(guest, port);
  };
  return Object.freeze({ placement: BackendPlacement.hypervisor, guest, guestPort: port, backPort: -1 });
}

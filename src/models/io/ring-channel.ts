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
// Units: none of its own. Defaults: none. Source: Xen 2.0 split drivers (blkfront/blkback,
// netfront/netback): one event channel per device connection, notify_via_evtchn after
// RING_PUSH_*_AND_CHECK_NOTIFY.
import type { EventChannels, EvtchnDomain } from '../events/event-channels.js';
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

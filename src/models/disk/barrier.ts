// Reorder barriers: the gate between a domain's request stream and a reordering disk scheduler.
//
// The invariant (DESIGN "Disk", issue 11): no request after a barrier is issued to the disk before
// every earlier request of that domain has completed. The gate keeps, per domain, the requests it has
// admitted and not yet seen complete (`active`) and a FIFO of held requests, and admits in stream order:
//   * a barrier request is admitted only when nothing earlier of its domain is active (every earlier
//     request has completed); while it is active (admitted, not completed) nothing later is admitted;
//   * a plain request is admitted when no barrier is active or held ahead of it.
// So the scheduler may reorder freely among what it holds: between two barriers, and never across one.
// Other domains are independent (a barrier orders only its own domain's stream, as a file system's
// journal commit does). `admit` hands a request on (to the scheduler); `complete(r)` must be called
// when the disk finishes an admitted request. The gate allocates nothing per request (a Deque per
// domain, created at the domain's first request).
// Units: none. Source: the semantics of Linux 2.4/2.6 write barriers (ordered requests) and Xen's
// BLKIF_OP_WRITE_BARRIER; the per-domain scope follows the issue text.
import { Deque } from '../../sim/deque.js';

export interface BarrierRequest {
  /** Index of the stream the barrier orders (the domain id). */
  readonly domain: number;
  readonly barrier: boolean;
}

class DomainGate<R> {
  readonly held = new Deque<R>(16);
  active = 0;
  barrierActive = false;
}

export class BarrierGate<R extends BarrierRequest> {
  private readonly gates: (DomainGate<R> | undefined)[] = [];
  /** Requests held back by a barrier at some point (each counted once, when held). */
  heldCount = 0;

  constructor(private readonly admit: (request: R) => void) {}

  private gate(domain: number): DomainGate<R> {
    let g = this.gates[domain];
    if (g === undefined) {
      g = new DomainGate<R>();
      this.gates[domain] = g;
    }
    return g;
  }

  /** Admitted and not yet completed requests of `domain`. */
  active(domain: number): number {
    return this.gates[domain]?.active ?? 0;
  }

  /** Requests of `domain` held back. */
  held(domain: number): number {
    return this.gates[domain]?.held.length ?? 0;
  }

  submit(request: R): void {
    const g = this.gate(request.domain);
    if (g.held.length > 0 || g.barrierActive || (request.barrier && g.active > 0)) {
      g.held.push(request);
      this.heldCount++;
      return;
    }
    this.pass(g, request);
  }

  /** An admitted request finished at the disk (or failed there). */
  complete(request: R): void {
    const g = this.gate(request.domain);
    g.active--;
    if (request.barrier) g.barrierActive = false;
    for (;;) {
      const h = g.held.at(0);
      if (h === undefined || g.barrierActive || (h.barrier && g.active > 0)) return;
      g.held.shift();
      this.pass(g, h);
    }
  }

  private pass(g: DomainGate<R>, request: R): void {
    g.active++;
    if (request.barrier) g.barrierActive = true;
    this.admit(request);
  }
}

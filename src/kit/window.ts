// The measurement window every study uses: run the warm-up, snapshot the host (each domain's CPU time,
// the host's CPU accounting), let the study sample inside the window, run to its end, check CPU-time
// conservation (host.checkConservation), and report differences over the window. Units: ns.
// A study's counters read `window.measuring` (true from the end of the warm-up on) so that only
// events inside the window count.
import type { Domain } from '../models/host/domain.js';
import type { Host, HostAccounting } from '../models/host/host.js';
import type { Simulation } from '../sim/simulation.js';

export interface WindowOptions {
  readonly warmupNs: number;
  readonly runLengthNs: number;
}

export class MeasurementWindow {
  readonly startNs: number;
  readonly endNs: number;
  readonly lengthNs: number;
  /** True once the warm-up has run (the window is open); counters use it to skip the warm-up. */
  measuring = false;
  private readonly busy0 = new Map<Domain, number>();
  private acc0: HostAccounting | null = null;
  private acc1: HostAccounting | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly host: Host,
    opts: WindowOptions,
  ) {
    this.startNs = opts.warmupNs;
    this.lengthNs = opts.runLengthNs;
    this.endNs = opts.warmupNs + opts.runLengthNs;
  }

  /** Window length × CPUs: the CPU time the window holds. */
  get cpuNs(): number {
    return this.lengthNs * this.host.numCpus;
  }

  /** Runs the warm-up and snapshots every domain's CPU time and the host's accounting. */
  open(): this {
    this.sim.run(this.startNs);
    for (const d of this.host.allDomains) this.busy0.set(d, d.busyNs);
    this.acc0 = this.host.accounting();
    this.measuring = true;
    return this;
  }

  /** Calls `fn` at `offsetNs` after the start of the window (call after open()). */
  at(offsetNs: number, fn: () => void): void {
    this.sim.scheduleAt(this.startNs + offsetNs, fn);
  }

  /** Runs to the end of the window and checks CPU-time conservation; returns the host's accounting. */
  close(): HostAccounting {
    this.sim.run(this.endNs);
    this.acc1 = this.host.checkConservation();
    return this.acc1;
  }

  /** CPU time domain `d` received since the window opened (up to now). */
  busyNs(d: Domain): number {
    return d.busyNs - (this.busy0.get(d) ?? 0);
  }

  /** Σ busyNs over `domains`. */
  busySumNs(domains: readonly Domain[]): number {
    let s = 0;
    for (const d of domains) s += this.busyNs(d);
    return s;
  }

  /** Each domain's part of the CPU time the `domains` received since the window opened (NaN if none). */
  sharesOf(domains: readonly Domain[]): number[] {
    const got = domains.map((d) => this.busyNs(d));
    const total = got.reduce((a, b) => a + b, 0);
    return got.map((g) => (total > 0 ? g / total : NaN));
  }

  /** Host-wide busy and switching time inside the window (after close()). */
  hostDelta(): { readonly busyNs: number; readonly switchingNs: number; readonly idleNs: number } {
    if (this.acc0 === null || this.acc1 === null)
      throw new Error('MeasurementWindow: hostDelta() before open() and close()');
    return {
      busyNs: this.acc1.busyNs - this.acc0.busyNs,
      switchingNs: this.acc1.switchingNs - this.acc0.switchingNs,
      idleNs: this.acc1.idleNs - this.acc0.idleNs,
    };
  }
}

/** 1-2-5 sampling offsets in (0, endNs]: 100 ms, 200 ms, 500 ms, 1 s … and endNs itself. */
export function logTimes(endNs: number, fromNs = 100_000_000): number[] {
  const out: number[] = [];
  for (let dec = fromNs; dec < endNs; dec *= 10) {
    for (const m of [1, 2, 5]) {
      const t = dec * m;
      if (t < endNs) out.push(t);
    }
  }
  out.push(endNs);
  return out;
}

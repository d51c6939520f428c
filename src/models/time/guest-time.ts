// Guest time: the three clocks Xen gives a guest and its two alarms.
//
// What it holds.
//   * Real time: ns since the host booted = sim.now − host.startNs (Xen's system time, "ns since boot").
//   * Virtual time of a domain: the CPU time its vCPUs have received (Σ vcpu.virtualTimeNs, which the
//     host advances only while a vCPU makes progress on a PCPU: not while blocked, queued or being
//     context-switched to). For the usual one-vCPU domain this is Xen 1.0's per-domain virtual time.
//   * Wall clock: real time + an offset set by the control plane (Xen's shared_info wc_sec/wc_usec,
//     one value for the whole host): `setWallClockOffset(offsetNs)` or `setWallClock(wallNs)`.
//   * Alarms: each domain has one real-time alarm and one virtual-time alarm (absolute times on their
//     clocks). Setting one replaces (cancels) the previous one of the same kind; `cancel…` removes it.
//     A real-time alarm fires at boot + its time; a virtual-time alarm fires at the instant the
//     domain's virtual time reaches it. An alarm already due when set fires at once (at the current
//     instant), as Xen raises the timer event for a deadline in the past. Firing raises a virtual IRQ
//     on the domain's event channels — Virq.timer for the real-time alarm, Virq.virtualTimer for the
//     virtual-time one (bound on first use; `timerPort` / `virtualTimerPort` give the ports, for
//     `channels.onEvent` / `channels.wait`). The upcall then costs the domain as any event does.
//
// Virtual-time alarms need to know when a domain's vCPUs progress. The host's hooks give that:
// `onDispatch` (a vCPU is chosen at `now`; it progresses from `now` unless a context switch follows),
// `onSwitch` (… from `now + costNs`), `onDeschedule` (it stops). On each of these for a domain with a
// virtual-time alarm the model recomputes the earliest instant the alarm can be due — virtual time now
// plus the progress of its vCPUs from their start instants — and arms one callback there; the
// callback re-checks the actual virtual time (re-arming if the domain made less progress than
// predicted — its vCPU was interrupted by hypervisor-context work, which has no hook — or firing). A domain none of whose vCPUs is
// progressing has no callback armed, so a descheduled domain costs nothing.
//
// Units: ns. Defaults: none (times are the guest's). Sources: docs/calibration.md "time" (real time in ns
// since boot; per-domain virtual time; wall clock as an offset; one real-time and one virtual-time
// alarm per guest); Xen 1.0/2.0 shared_info (system_time, wc_sec/wc_usec) and set_timer_op;
// paper §3.3 "Time and timers".
import { InvariantError } from '../../sim/errors.js';
import type { Handle } from '../../sim/queue.js';
import type { Simulation } from '../../sim/simulation.js';
import type { Domain } from '../host/domain.js';
import type { Host } from '../host/host.js';
import { Signal } from '../../sim/signal.js';
import type { Vcpu } from '../host/vcpu.js';
import { type EventChannels, Virq } from '../events/event-channels.js';

/** The two alarm kinds. */
export const AlarmKind = { realTime: 'realTime', virtualTime: 'virtualTime' } as const;
export type AlarmKind = (typeof AlarmKind)[keyof typeof AlarmKind];

const MODEL = 'guest-time';

interface DomainClock {
  readonly domain: Domain;
  realAlarmNs: number; // real time (since boot) of the alarm, -1 = none
  realHandle: Handle;
  virtualAlarmNs: number; // virtual time of the alarm, -1 = none
  virtualHandle: Handle;
}

function fireReal(c: { gt: GuestTime; clock: DomainClock }): void {
  c.gt._realDue(c.clock);
}
function checkVirtual(c: { gt: GuestTime; clock: DomainClock }): void {
  c.gt._virtualCheck(c.clock);
}

export class GuestTime {
  readonly host: Host;
  readonly sim: Simulation;
  readonly channels: EventChannels;
  /** (domain, kind, alarm time on its clock, now): an alarm fired (its virq has been raised). */
  readonly onAlarm = new Signal<Domain, AlarmKind, number, number>();
  private wallOffsetNs = 0;
  private readonly clocks = new Map<number, { gt: GuestTime; clock: DomainClock }>();
  /** vCPU id → the instant it starts (or started) progressing; absent = not progressing. */
  private readonly progressFrom = new Map<number, number>();
  private readonly detach: (() => void)[] = [];

  constructor(host: Host, channels: EventChannels) {
    this.host = host;
    this.sim = host.sim;
    this.channels = channels;
    this.detach.push(
      host.onDispatch.add((_cpu, v, _slice, now) => {
        if (v === null) return;
        this.progressFrom.set(v.id, now);
        this.touch(v);
      }),
      host.onSwitch.add((_cpu, _from, to, costNs) => {
        this.progressFrom.set(to.id, this.sim.now + costNs);
        this.touch(to);
      }),
      host.onDeschedule.add((_cpu, v) => {
        this.progressFrom.delete(v.id);
        this.touch(v);
      }),
    );
  }

  /** Removes the host hooks (the alarms already armed stay armed). */
  dispose(): void {
    for (const f of this.detach) f();
    this.detach.length = 0;
  }

  // ---- clocks ----

  /** ns since the host booted. */
  realTimeNs(): number {
    return this.sim.now - this.host.startNs;
  }

  /** The domain's virtual time: CPU time received by its vCPUs, ns. */
  virtualTimeNs(domain: Domain): number {
    return domain.busyNs;
  }

  /** Wall-clock time, ns: real time + the offset set by the control plane. */
  wallClockNs(): number {
    return this.realTimeNs() + this.wallOffsetNs;
  }

  /** The wall-clock offset, ns. */
  get wallClockOffsetNs(): number {
    return this.wallOffsetNs;
  }

  /** Control plane: sets the wall-clock offset (any safe integer, ns). */
  setWallClockOffset(offsetNs: number): void {
    if (!Number.isSafeInteger(offsetNs))
      throw new RangeError(
        `GuestTime.setWallClockOffset: offsetNs must be a safe integer number of ns, got ${offsetNs}`,
      );
    this.wallOffsetNs = offsetNs;
  }

  /** Control plane: sets the wall clock so that it reads `wallNs` now. */
  setWallClock(wallNs: number): void {
    if (!Number.isSafeInteger(wallNs))
      throw new RangeError(`GuestTime.setWallClock: wallNs must be a safe integer number of ns, got ${wallNs}`);
    this.wallOffsetNs = wallNs - this.realTimeNs();
  }

  // ---- ports ----

  /** The domain's port for real-time alarms (Virq.timer), bound on first use. */
  timerPort(domain: Domain): number {
    const p = this.channels.virqPort(domain, Virq.timer);
    return p >= 0 ? p : this.channels.bindVirq(domain, Virq.timer);
  }

  /** The domain's port for virtual-time alarms (Virq.virtualTimer), bound on first use. */
  virtualTimerPort(domain: Domain): number {
    const p = this.channels.virqPort(domain, Virq.virtualTimer);
    return p >= 0 ? p : this.channels.bindVirq(domain, Virq.virtualTimer);
  }

  // ---- alarms ----

  /** Sets the domain's real-time alarm at `atRealNs` (ns since boot), replacing any previous one. */
  setRealTimeAlarm(domain: Domain, atRealNs: number): void {
    if (!Number.isSafeInteger(atRealNs) || atRealNs < 0) {
      throw new RangeError(
        `GuestTime.setRealTimeAlarm: atRealNs must be a non-negative integer number of ns since boot, got ${atRealNs}`,
      );
    }
    this.timerPort(domain);
    const c = this.clock(domain);
    this.cancelReal(c.clock);
    c.clock.realAlarmNs = atRealNs;
    const at = Math.max(this.sim.now, this.host.startNs + atRealNs);
    c.clock.realHandle = this.sim.scheduleAt(at, fireReal, c);
  }

  /** Sets the domain's virtual-time alarm at `atVirtualNs` (ns of its CPU time), replacing any previous one. */
  setVirtualTimeAlarm(domain: Domain, atVirtualNs: number): void {
    if (!Number.isSafeInteger(atVirtualNs) || atVirtualNs < 0) {
      throw new RangeError(
        `GuestTime.setVirtualTimeAlarm: atVirtualNs must be a non-negative integer number of ns of CPU time, got ${atVirtualNs}`,
      );
    }
    this.virtualTimerPort(domain);
    const c = this.clock(domain);
    this.cancelVirtual(c.clock);
    c.clock.virtualAlarmNs = atVirtualNs;
    this.armVirtual(c);
  }

  /** Removes the domain's real-time alarm (if any). */
  cancelRealTimeAlarm(domain: Domain): void {
    const c = this.clocks.get(domain.id);
    if (c !== undefined) this.cancelReal(c.clock);
  }

  /** Removes the domain's virtual-time alarm (if any). */
  cancelVirtualTimeAlarm(domain: Domain): void {
    const c = this.clocks.get(domain.id);
    if (c !== undefined) this.cancelVirtual(c.clock);
  }

  /** The pending alarm of a kind, on its clock (ns), or null. */
  alarm(domain: Domain, kind: AlarmKind): number | null {
    const c = this.clocks.get(domain.id)?.clock;
    if (c === undefined) return null;
    const t = kind === AlarmKind.realTime ? c.realAlarmNs : c.virtualAlarmNs;
    return t >= 0 ? t : null;
  }

  // ---- internals ----

  private clock(domain: Domain): { gt: GuestTime; clock: DomainClock } {
    let c = this.clocks.get(domain.id);
    if (c === undefined) {
      c = { gt: this, clock: { domain, realAlarmNs: -1, realHandle: -1, virtualAlarmNs: -1, virtualHandle: -1 } };
      this.clocks.set(domain.id, c);
    } else if (c.clock.domain !== domain) {
      throw new InvariantError(MODEL, `two different domain objects with id ${domain.id}`, this.sim.now);
    }
    return c;
  }

  private cancelReal(c: DomainClock): void {
    if (c.realHandle >= 0) this.sim.cancel(c.realHandle);
    c.realHandle = -1;
    c.realAlarmNs = -1;
  }

  private cancelVirtual(c: DomainClock): void {
    if (c.virtualHandle >= 0) this.sim.cancel(c.virtualHandle);
    c.virtualHandle = -1;
    c.virtualAlarmNs = -1;
  }

  private touch(v: Vcpu): void {
    const c = this.clocks.get(v.domain.id);
    if (c !== undefined && c.clock.virtualAlarmNs >= 0) this.armVirtual(c);
  }

  /** Arms the check of a virtual-time alarm at the earliest instant it can be due (or fires it now). */
  private armVirtual(c: { gt: GuestTime; clock: DomainClock }): void {
    const clock = c.clock;
    if (clock.virtualHandle >= 0) this.sim.cancel(clock.virtualHandle);
    clock.virtualHandle = -1;
    const d = clock.domain;
    if (!d.alive) return;
    const now = this.sim.now;
    let remaining = clock.virtualAlarmNs - d.busyNs;
    if (remaining <= 0) {
      clock.virtualHandle = this.sim.schedule(0, checkVirtual, c);
      return;
    }
    // progress start instants of the domain's vCPUs, ascending
    const starts: number[] = [];
    for (const v of d.vcpus) {
      const s = this.progressFrom.get(v.id);
      if (s !== undefined) starts.push(Math.max(s, now));
    }
    if (starts.length === 0) return; // nothing progresses: a dispatch hook re-arms
    starts.sort((a, b) => a - b);
    // piecewise-linear progress: between starts[i] and starts[i+1], (i + 1) vCPUs progress
    let t = starts[0] as number;
    for (let i = 0; i < starts.length; i++) {
      const rate = i + 1;
      const next = i + 1 < starts.length ? (starts[i + 1] as number) : Infinity;
      const need = Math.ceil(remaining / rate);
      if (t + need <= next) {
        t += need;
        remaining = 0;
        break;
      }
      remaining -= (next - t) * rate;
      t = next;
    }
    clock.virtualHandle = this.sim.scheduleAt(t, checkVirtual, c);
  }

  /** @internal */
  _realDue(c: DomainClock): void {
    c.realHandle = -1;
    const at = c.realAlarmNs;
    c.realAlarmNs = -1;
    if (!c.domain.alive) return;
    this.channels.raiseVirq(c.domain, Virq.timer);
    if (this.onAlarm.size > 0) this.onAlarm.emit(c.domain, AlarmKind.realTime, at, this.sim.now);
  }

  /** @internal */
  _virtualCheck(c: DomainClock): void {
    c.virtualHandle = -1;
    const entry = this.clocks.get(c.domain.id);
    if (entry === undefined || c.virtualAlarmNs < 0) return;
    if (!c.domain.alive) {
      c.virtualAlarmNs = -1;
      return;
    }
    if (c.domain.busyNs < c.virtualAlarmNs) {
      this.armVirtual(entry);
      return;
    }
    const at = c.virtualAlarmNs;
    c.virtualAlarmNs = -1;
    this.channels.raiseVirq(c.domain, Virq.virtualTimer);
    if (this.onAlarm.size > 0) this.onAlarm.emit(c.domain, AlarmKind.virtualTime, at, this.sim.now);
  }
}

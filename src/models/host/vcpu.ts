// A virtual CPU: the schedulable entity. Holds the vCPU's CPU demand (the contract other models code
// against), its state and its accounting.
//
// Demand API: `vcpu.run(cpuNs, { urgent?, tag? })` adds `cpuNs` of CPU work and returns an event that
// succeeds once the vCPU has received that much CPU time. Demands are served FIFO within the vCPU;
// urgent demands (interrupt / event-upcall handlers) are served before any normal demand, FIFO among
// themselves, and an urgent demand arriving while a normal one is being served pre-empts it within
// the vCPU (the normal one resumes afterwards). A vCPU with no demand is blocked; demand arriving
// while blocked wakes it through the scheduler (the scheduler's wake rule and wake-up preemption).
//
// States: 'blocked' (no demand), 'runnable' (demand, waiting for or being switched to a PCPU),
// 'running' (current on a PCPU: making progress, or interrupted by hypervisor-context work there).
// `virtualTimeNs` is the CPU time received so far: the domain's virtual time, which advances only
// while the vCPU makes progress (not while it is switched to or interrupted).
//
// Assumptions: after the last demand completes, the vCPU blocks only once the guest activity of the
// same instant is over (a workload that issues its next burst at the same instant keeps the CPU, as
// a guest kernel would run its next runnable process without calling the hypervisor's block).
// A destroyed domain's outstanding demands never complete (processes waiting on them stay waiting).
// Units: integer ns.
import type { Event } from '../../sim/index.js';
import { checkInt } from '../validate.js';
import type { Domain } from './domain.js';
import type { Host } from './host.js';

export const VcpuState = { blocked: 'blocked', runnable: 'runnable', running: 'running' } as const;
export type VcpuState = (typeof VcpuState)[keyof typeof VcpuState];

export interface RunOptions {
  /** Serve before normal demand (interrupt / upcall handlers). Default false. */
  readonly urgent?: boolean;
  /** Free label for traces and observers (e.g. 'timer', 'net-rx'). */
  readonly tag?: string;
}

/** Completion callback of a demand added with runThen. */
export type DemandCallback<T> = (arg: T) => void;

/**
 * @internal One unit of CPU demand. The host recycles a demand once it has completed (Host._demand),
 * so nothing may keep a reference to one after its completion.
 */
export class Demand {
  /** @internal the next demand in the vCPU's urgent or normal list (intrusive: no queue object per vCPU). */
  next: Demand | null = null;
  constructor(
    public remainingNs: number,
    public event: Event<void> | null,
    public tag: string | null,
    public urgent: boolean,
    public fn: DemandCallback<unknown> | null = null,
    public arg: unknown = null,
  ) {}
}

/** Where a vCPU's lifetime went, integer ns: Σ = lifetime (creation to now or destruction). */
export interface VcpuTimes {
  /** No demand (the domain's "idle" time on this vCPU). */
  readonly blockedNs: number;
  /** Runnable, waiting for a PCPU. */
  readonly waitingNs: number;
  /** Being switched to (context-switch cost paid for it). */
  readonly switchingNs: number;
  /** Running: CPU time received (= virtualTimeNs). */
  readonly runningNs: number;
  /** Current on a PCPU but interrupted by hypervisor-context work there (no progress, no switch). */
  readonly interruptedNs: number;
}

export class Vcpu {
  readonly domain: Domain;
  /** Index within the domain. */
  readonly index: number;
  /** Host-unique id (creation order, from 0), usable as an array index by schedulers. */
  readonly id: number;
  readonly name: string;
  private _state: VcpuState = VcpuState.blocked;
  private _stateSinceNs: number;
  private _blockedNs = 0;
  private _runnableNs = 0;
  /** The PCPU whose run queue holds this vCPU (set by the scheduler's placement and migration). */
  cpu = 0;
  /** Event-channel model's record for this vCPU (events/event-channels.ts), null if none. */
  evtchnData: unknown = null;

  /** @internal CPU time received up to `_settledAtNs`. */
  _virtualNs = 0;
  /** @internal time from which the vCPU is progressing, -1 when it is not. */
  _progressSinceNs = -1;
  /** @internal ns of context switching paid to switch to this vCPU. */
  _switchingNs = 0;
  /** @internal start of the switch to this vCPU in progress, -1 if none. */
  _switchStartNs = -1;
  /** @internal number of dispatches that needed a context switch. */
  _switches = 0;
  /** @internal the PCPU it last ran on (-1: never ran), and that PCPU's busy time when it left. */
  _lastCpu = -1;
  _cpuBusyAtLeaveNs = 0;
  /** @internal the last demand completed, the vCPU waits for the instant's end to block. */
  _pendingIdle = false;
  /** @internal removed from the host (domain destroyed). */
  _removed = false;
  /** @internal time spent interrupted by hypervisor work while current (closed), and the open start or -1. */
  _interruptedNs = 0;
  _hvStartNs = -1;
  /** @internal the PCPU on which it is current (running or being switched to), -1 if none. */
  _curCpu = -1;

  // Demands: two FIFO lists linked through Demand.next (urgent, then normal). A vCPU holds a few
  // demands at a time, so intrusive lists cost two fields each and no per-vCPU buffer.
  private urgentHead: Demand | null = null;
  private urgentTail: Demand | null = null;
  private normalHead: Demand | null = null;
  private normalTail: Demand | null = null;
  private demands = 0;
  /** The demand being served: the head of the urgent list, else of the normal list. */
  private headDemand: Demand | undefined = undefined;
  private demandTotalNs = 0;

  constructor(
    private readonly host: Host,
    domain: Domain,
    index: number,
    id: number,
  ) {
    this.domain = domain;
    this.index = index;
    this.id = id;
    this.name = `${domain.name}.v${index}`;
    this._stateSinceNs = host.sim.now;
  }

  /** Scheduling state (see header); changed only by the host. */
  get state(): VcpuState {
    return this._state;
  }

  /** @internal state change at `now`, closing the time spent in the previous state. */
  _setState(next: VcpuState, now: number): void {
    const dt = now - this._stateSinceNs;
    if (this._state === VcpuState.blocked) this._blockedNs += dt;
    else if (this._state === VcpuState.runnable) this._runnableNs += dt;
    this._state = next;
    this._stateSinceNs = now;
  }

  /**
   * Blocked / waiting / switching / running / interrupted time since creation (until destruction for
   * a destroyed domain). Exact: the five sum to the vCPU's lifetime.
   */
  times(): VcpuTimes {
    const end = this.domain.destroyedAtNs ?? this.host.sim.now;
    const open = end - this._stateSinceNs;
    const blocked = this._blockedNs + (this._state === VcpuState.blocked ? open : 0);
    const runnable = this._runnableNs + (this._state === VcpuState.runnable ? open : 0);
    // switching happens while the vCPU is runnable; an unfinished switch counts as switching
    const p = this._switchStartNs >= 0 ? end - this._switchStartNs : 0;
    const interrupted = this._interruptedNs + (this._hvStartNs >= 0 ? end - this._hvStartNs : 0);
    return {
      blockedNs: blocked,
      waitingNs: runnable - this._switchingNs - p,
      switchingNs: this._switchingNs + p,
      runningNs: this._virtualNs + (this._progressSinceNs >= 0 ? end - this._progressSinceNs : 0),
      interruptedNs: interrupted,
    };
  }

  /**
   * Adds `cpuNs` (a non-negative integer) of CPU demand. The event succeeds when the vCPU has received
   * that much CPU time (at once if cpuNs = 0).
   */
  run(cpuNs: number, opts?: RunOptions): Event<void> {
    if (!(Number.isSafeInteger(cpuNs) && cpuNs >= 0)) checkInt(`vcpu ${this.name}: run`, 'cpuNs', cpuNs, 0);
    const ev = this.host.sim.event<void>();
    if (cpuNs === 0) {
      ev.succeed();
      return ev;
    }
    this.host._addDemand(this, this.host._demand(cpuNs, ev, opts?.tag ?? null, opts?.urgent === true, null, null));
    return ev;
  }

  /**
   * Callback form of run for hot paths (no Event allocated): `fn(arg)` is called, from the event
   * queue at normal priority, at the instant the vCPU has received `cpuNs` — the same instant and the
   * same position in the queue as the callbacks of run's event.
   */
  runThen<T>(cpuNs: number, fn: DemandCallback<T>, arg: T, urgent = false, tag: string | null = null): void {
    if (!(Number.isSafeInteger(cpuNs) && cpuNs >= 0)) checkInt(`vcpu ${this.name}: runThen`, 'cpuNs', cpuNs, 0);
    if (cpuNs === 0) {
      this.host.sim.schedule(0, fn, arg);
      return;
    }
    this.host._addDemand(this, this.host._demand(cpuNs, null, tag, urgent, fn as DemandCallback<unknown>, arg));
  }

  /**
   * A guest one-shot timer (a guest OS's sleep or timeout): `fn(arg)` runs `delayNs` from now. With a
   * scheduler that keeps Xen 2.0's timer heap (BVT 'xen2') it is the domain's timer (set_timer_op) in
   * its PCPU's heap: it fires in heap order with the PCPU's other timers, after a block of the same
   * instant, up to the heap's slop early (guest-timers.ts); otherwise it is an event at normal priority.
   * A destroyed domain's timers never fire.
   */
  timerThen<T>(delayNs: number, fn: (arg: T) => void, arg: T): void {
    if (!(Number.isSafeInteger(delayNs) && delayNs >= 0))
      checkInt(`vcpu ${this.name}: timerThen`, 'delayNs', delayNs, 0);
    this.host._guestTimer(this, delayNs, fn, arg);
  }

  /** Gives up the PCPU if running (the scheduler's yield); stays runnable. */
  yieldCpu(): void {
    this.host._yield(this);
  }

  /** CPU time received so far, ns (the domain's virtual time for this vCPU). */
  get virtualTimeNs(): number {
    return this._progressSinceNs >= 0 ? this._virtualNs + (this.host.sim.now - this._progressSinceNs) : this._virtualNs;
  }

  /** Context-switch time paid to switch to this vCPU, ns. */
  get switchingNs(): number {
    return this._switchingNs;
  }

  /** Dispatches that needed a context switch. */
  get switches(): number {
    return this._switches;
  }

  /** Outstanding CPU demand, ns (as of the last progress update). */
  get demandNs(): number {
    return this.demandTotalNs;
  }

  /** Whether the vCPU has outstanding demand. */
  get hasDemand(): boolean {
    return this.demandTotalNs > 0;
  }

  /** Number of outstanding demands. */
  get demandCount(): number {
    return this.demands;
  }

  // ---- internal, used by the host's dispatcher ----

  /** @internal */
  _push(d: Demand): void {
    d.next = null;
    if (d.urgent) {
      // an urgent demand goes ahead of every normal one, behind the urgent ones already queued
      const t = this.urgentTail;
      if (t === null) {
        this.urgentHead = d;
        this.headDemand = d;
      } else t.next = d;
      this.urgentTail = d;
    } else {
      const t = this.normalTail;
      if (t === null) this.normalHead = d;
      else t.next = d;
      this.normalTail = d;
      if (this.headDemand === undefined) this.headDemand = d;
    }
    this.demands++;
    this.demandTotalNs += d.remainingNs;
  }

  /** @internal the demand being served (urgent first). */
  _head(): Demand | undefined {
    return this.headDemand;
  }

  /** @internal serves `ns` of CPU to the head demand (never more than it needs). */
  _consume(ns: number): void {
    const d = this.headDemand;
    if (d === undefined) return;
    d.remainingNs -= ns;
    this.demandTotalNs -= ns;
  }

  /** @internal removes the completed head demand. */
  _popHead(): Demand | undefined {
    let d = this.urgentHead;
    if (d !== null) {
      const n = d.next;
      this.urgentHead = n;
      if (n === null) this.urgentTail = null;
    } else {
      d = this.normalHead;
      if (d === null) return undefined;
      const n = d.next;
      this.normalHead = n;
      if (n === null) this.normalTail = null;
    }
    d.next = null;
    this.demands--;
    const h = this.urgentHead ?? this.normalHead;
    this.headDemand = h === null ? undefined : h;
    return d;
  }
}

// The host: N physical CPUs, domain 0 and the guest domains, and the per-PCPU dispatcher that runs
// vCPUs on PCPUs under a CpuScheduler (cpu/scheduler.ts).
//
// Dispatcher (one per PCPU, callback style, no allocation per event). A PCPU is in one of three
// phases: idle (nobody progresses), switching (a context switch to the chosen vCPU: nobody
// progresses; accounted as "switching"), running (the current vCPU's head demand progresses).
// At a scheduling point the dispatcher (1) settles the current vCPU's progress, (2) tells the
// scheduler it leaves the CPU (`charge`, with the time since the dispatch decision, and whether it
// is still runnable), (3) asks `pickNext(cpu)` for (vCPU or idle, slice), (4) pays the context-switch
// cost (context-switch.ts) if the vCPU differs from the last one that ran on this PCPU, then runs it
// until its demand is done, its slice ends, or the scheduler asks for a reschedule (wake-up
// preemption). The slice is measured from the decision, so a switch eats into it (as Xen's timer,
// set before switch_to).
//
// Scheduling points happen at the end of an instant: reschedule requests, slice ends and "the vCPU
// ran out of demand" are handled by one callback per PCPU at priority LATE_PRIORITY, after the
// normal-priority events of the same instant (so a guest that issues its next burst at the instant
// its previous one completes keeps the CPU instead of blocking and waking; as Xen's softirq runs on
// the way out of the hypervisor).
//
// Timer event (Xen 1.0 schedule.c virt_timer): every `timerTickNs` (20 ms, docs/calibration.md
// "per-domain timer event"; first one at host start, as schedulers_start() calls virt_timer(0)) every
// vCPU of every live domain gets an urgent demand of `timerTickCostNs` (its timer-interrupt handler);
// it wakes blocked vCPUs. Default cost 1.75 µs: docs/calibration.md Table 3, Xen "sig handle" (delivering
// an asynchronous notification to a handler in the guest) — an anchor, not a measurement of Xen's
// timer path. Set timerTickNs = 0 to turn the tick off. A scheduler that follows Xen 2.0 (BVT 'xen2')
// declares Xen 2.0's event instead (cpu/scheduler.ts TimerEventPolicy): every 10 ms, to the vCPU
// current on each PCPU only (t_timer_fn's VIRQ_TIMER), which never wakes a vCPU.
// Once event channels are attached (attachEventChannels) the tick is delivered as VIRQ_TIMER through
// them instead (virq-timer.ts), to the same domains.
//
// Hypervisor context (hypervisor-work.ts): `hypervisorWork(cpuNs, { cpu, kind })` queues interrupt
// ('irq') or softirq work on one PCPU; interrupts.ts routes device interrupts to PCPUs. The work
// preempts the vCPU running there without a domain switch: the vCPU stays current (state 'running',
// no context switch, no scheduler call), its demand makes no progress until every queued handler has
// run (hard interrupts first, a hard interrupt preempting a running softirq), then it resumes where it
// was, so its demand completes later by exactly the handlers' time. On an idle PCPU the work ends
// the idle period. A context switch in progress finishes first (Xen switches with interrupts off).
// Scheduling points raised meanwhile (wake-up preemption, slice end) are taken when the handlers are
// done, as Xen's schedule softirq runs on the way out of the hypervisor. The slice keeps running in
// real time and the scheduler's charge (`ranNs`, time since the decision) includes the handlers' time,
// as Xen charges the current domain for the time since it was scheduled (Xen 1.0/2.0 schedule.c).
// The work's `bytesTouched` go to the context-switch model as pollution of that PCPU's caches
// (ContextSwitchModel.pollute, at queueing): every domain but the current one finds them evicted when
// it next runs there; the current one's own refill after the handlers is not charged (no switch).
//
// Accounting: per PCPU guest (busy) / hypervisor / switching / idle (integer ns), per vCPU and
// domain CPU time received (busy) and switching paid. Conservation, exact in integers and checked by
// checkConservation():
//   Σ_cpus (busy + hypervisor + switching + idle) = (now − start) · cpus,   Σ_domains busy = Σ_cpus busy.
// Invariants checked at run time (InvariantError('host', …)): the scheduler never dispatches a
// blocked, removed or demand-less vCPU, never one that is current on another PCPU, nor one whose
// run queue (vcpu.cpu) is another PCPU; slices are positive integers or Infinity.
//
// Periodic events (the timer event, Credit's ticks) never stop: run a host with a horizon,
// `sim.run(untilNs)`, not `sim.run()`.
//
// Defaults: 1 CPU (the paper's single-CPU runs, docs/calibration.md); scheduler BVT as in Xen 1.0;
// machine memory 2 GB = 524288 pages of 4 KB (docs/calibration.md, the paper's test machine).
import { Deque, type Event, InvariantError, type Simulation } from '../../sim/index.js';
import { ContextSwitchModel, type ContextSwitchOptions } from '../cpu/context-switch.js';
import { createDefaultScheduler } from '../cpu/registry.js';
import {
  TimerEventTarget,
  type CpuScheduler,
  type DomainSchedParams,
  type SchedulerContext,
  type SchedVcpu,
} from '../cpu/scheduler.js';
import { checkInt, checkNumber, checkOneOf } from '../validate.js';
import { BackendPlacement, runBackendWork, type BackendWorkOptions } from './backend.js';
import { BARE_METAL_KERNEL_NAME, BareMetalScheduler, HostMode } from './bare-metal.js';
import { Control, type ControlCostOptions } from './control.js';
import { Domain } from './domain.js';
import { Signal } from '../../sim/signal.js';
import { HvWork, HvWorkKind, type HypervisorWorkOptions, type HvWorkCallback } from './hypervisor-work.js';
import { Demand, Vcpu, VcpuState, type DemandCallback } from './vcpu.js';
import { VirqTimer } from './virq-timer.js';
import { GuestTimerList } from './guest-timers.js';
import type { EventChannels } from '../events/event-channels.js';
import { MachineMemory } from '../memory/machine-memory.js';
import { BalloonDrivers, type BalloonOptions } from '../memory/balloon.js';
import { MEMORY_DEFAULTS } from '../memory/defaults.js';

/** Priority of the dispatcher's end-of-instant callback (after Priority.normal = 1). */
export const LATE_PRIORITY = 1000;

export const HOST_DEFAULTS = {
  cpus: 1,
  /** docs/calibration.md: per-domain timer event every 20 ms. */
  timerTickNs: 20_000_000,
  /** docs/calibration.md Table 3, Xen "sig handle" 1.75 µs (anchor for the guest's timer handler). */
  timerTickCostNs: 1750,
  /** docs/calibration.md: 2 GB of memory, 4 KB pages. */
  machineMemoryPages: (2 * 1024 * 1024 * 1024) / 4096,
} as const;

export interface Dom0Options {
  readonly name?: string;
  readonly vcpus?: number;
  readonly workingSetBytes?: number;
  readonly sched?: DomainSchedParams;
  readonly memoryTargetPages?: number;
  /** Machine pages of domain 0 (control.ts memoryReservationPages). Default: memoryTargetPages, else 0. */
  readonly memoryReservationPages?: number;
  readonly memoryCeilingPages?: number;
}

export interface HostOptions {
  /** Physical CPUs, 1..64. Default 1. */
  readonly cpus?: number;
  /** The scheduler (one instance per host). Default: the registry's default (cpu/registry.ts: Xen 1.0 BVT). */
  readonly scheduler?: CpuScheduler;
  /** Context-switch cost model or its options. Default: new ContextSwitchModel(). */
  readonly contextSwitch?: ContextSwitchModel | ContextSwitchOptions;
  /** Period of the timer event, ns; 0 = off. Default: the scheduler's timerEvent period, else 20 ms. */
  readonly timerTickNs?: number;
  /** CPU cost of one timer event in each vCPU, ns. Default 1750. */
  readonly timerTickCostNs?: number;
  /** Machine memory, 4 KB pages. Default 524288 (2 GB). */
  readonly machineMemoryPages?: number;
  /** The hypervisor's own allocation at start, pages (memory/defaults.ts). Default 4096 (16 MB; assumption). */
  readonly hypervisorMemoryPages?: number;
  /** Balloon drivers' rate, per-page cost and floor (memory/balloon.ts). */
  readonly balloon?: BalloonOptions;
  readonly dom0?: Dom0Options;
  /** dom0 CPU cost of each control operation (control.ts). */
  readonly controlCosts?: ControlCostOptions;
  /** 'xen' (default) or 'bare-metal': native kernel, no hypervisor (bare-metal.ts). */
  readonly mode?: HostMode;
  /** Where device back ends run: 'hypervisor' (Xen 1.0, default) or 'dom0' (Xen 2.0); backend.ts. */
  readonly backendPlacement?: BackendPlacement;
}

/** CPU time of a PCPU or of the whole host, integer ns. */
export interface CpuTimes {
  /** Guest time: a vCPU's demand progressed. */
  readonly busyNs: number;
  /** Hypervisor-context work (interrupt and softirq handlers, hypervisor back ends). */
  readonly hypervisorNs: number;
  readonly switchingNs: number;
  readonly idleNs: number;
}

export interface HostAccounting extends CpuTimes {
  readonly elapsedNs: number;
  readonly cpus: number;
  readonly perCpu: readonly CpuTimes[];
}

const PHASE_IDLE = 0;
const PHASE_SWITCHING = 1;
const PHASE_RUNNING = 2;
/** Hypervisor-context work runs; `hvResume` is the phase (idle or running) it interrupted. */
const PHASE_HV = 3;

const FLAG_RESCHED = 1;
const FLAG_SLICE = 2;
const FLAG_IDLE_CHECK = 4;

/** @internal per-PCPU dispatcher state. */
class Pcpu {
  phase = PHASE_IDLE;
  cur: Vcpu | null = null;
  lastVcpu: Vcpu | null = null;
  phaseStartNs: number;
  dispatchNs: number;
  sliceEndNs = Infinity;
  lastSettleNs: number;
  timer = -1;
  late = -1;
  flags = 0;
  busyNs = 0;
  switchingNs = 0;
  idleNs = 0;
  switchCostNs = 0;
  /** Start of the switching time not yet attributed to a domain. */
  switchAttribFromNs = 0;
  /** Hypervisor work: hard interrupt handlers (served first), then softirqs; FIFO within each. */
  readonly hvIrq = new Deque<HvWork>(4);
  readonly hvSoft = new Deque<HvWork>(4);
  /** Hypervisor time settled, ns; the head of the hypervisor queues progresses from hvLastNs. */
  hvNs = 0;
  hvLastNs = 0;
  /** Σ remaining ns of the queued hypervisor work (as of hvLastNs). */
  hvOutstandingNs = 0;
  hvResume = PHASE_IDLE;
  constructor(
    readonly host: Host,
    readonly index: number,
    startNs: number,
  ) {
    this.phaseStartNs = startNs;
    this.dispatchNs = startNs;
    this.lastSettleNs = startNs;
  }
}

function onTimer(p: Pcpu): void {
  p.timer = -1;
  p.host._onTimer(p);
}
function onLate(p: Pcpu): void {
  p.late = -1;
  p.host._onLate(p);
}
function onTick(host: Host): void {
  host._tick();
}

export class Host {
  readonly sim: Simulation;
  readonly numCpus: number;
  readonly scheduler: CpuScheduler;
  readonly contextSwitch: ContextSwitchModel;
  readonly timerTickNs: number;
  /** Who gets the timer event: every vCPU (Xen 1.0) or the running ones (Xen 2.0); the scheduler's choice. */
  readonly timerTickTarget: TimerEventTarget;
  readonly timerTickCostNs: number;
  readonly machineMemoryPages: number;
  /** Machine memory: free pool, hypervisor and domain allocations, page conservation (memory/). */
  readonly memory: MachineMemory;
  /** One balloon driver per domain with memory, driven by control.setMemoryTarget (memory/balloon.ts). */
  readonly balloons: BalloonDrivers;
  readonly startNs: number;
  readonly control: Control;
  /** Domain 0; on a bare-metal host, the native kernel's pseudo-domain (= kernel). */
  readonly dom0: Domain;
  readonly mode: HostMode;
  /** mode === 'bare-metal'. */
  readonly bareMetal: boolean;
  readonly backendPlacement: BackendPlacement;

  /** (vcpu, now): a blocked vCPU became runnable (before the scheduler's wake). */
  readonly onWake = new Signal<Vcpu, number>();
  /** (vcpu, now): a vCPU ran out of demand and blocked. */
  readonly onBlock = new Signal<Vcpu, number>();
  /** (cpu, vcpu or null = idle, sliceNs, now): every scheduling decision. */
  readonly onDispatch = new Signal<number, Vcpu | null, number, number>();
  /** (cpu, from (last vCPU on this PCPU) or null, to, costNs): a context switch starts. */
  readonly onSwitch = new Signal<number, Vcpu | null, Vcpu, number>();
  /** (cpu, vcpu, ranNs since the decision, now): a vCPU leaves a PCPU (before the scheduler is told). */
  readonly onDeschedule = new Signal<number, Vcpu, number, number>();
  /** (vcpu, tag, now): a demand completed (tag null for untagged). */
  readonly onDemandDone = new Signal<Vcpu, string | null, number>();
  /** (cpu, tag, cpuNs, now): a unit of hypervisor-context work completed on a PCPU. */
  readonly onHypervisorWork = new Signal<number, string | null, number, number>();

  private readonly pcpus: Pcpu[] = [];
  /** Every vCPU ever created, by id (the scheduler hands back the SchedVcpu view; this maps it). */
  private readonly vcpuById: Vcpu[] = [];
  private readonly live = new Map<number, Domain>();
  private readonly all: Domain[] = [];
  private nextDomainId = 0;
  private nextVcpuId = 0;
  /** Switching time after the target vCPU's domain was destroyed mid-switch. */
  private orphanSwitchingNs = 0;
  private readonly ctx: SchedulerContext;
  private virqTimer: VirqTimer | null = null;
  /** Completed demands, recycled by _demand (so the demand path allocates nothing in steady state). */
  private readonly demandPool: Demand[] = [];
  /** Completed hypervisor-work records, reused by queueHv (no allocation per back-end packet). */
  private readonly hvPool: HvWork[] = [];
  /** Per vCPU id, its guest timers on the scheduler's timer heap (only with one: BVT 'xen2'). */
  private readonly guestTimers: (GuestTimerList | undefined)[] = [];
  /** PCPUs with a current vCPU (p.cur !== null), kept at every assignment of p.cur. */
  private busyCpus = 0;

  constructor(sim: Simulation, options: HostOptions = {}) {
    const where = 'Host';
    this.sim = sim;
    this.numCpus = checkInt(where, 'cpus', options.cpus ?? HOST_DEFAULTS.cpus, 1, 64);
    this.mode = checkOneOf(where, 'mode', options.mode ?? HostMode.xen, HostMode);
    this.bareMetal = this.mode === HostMode.bareMetal;
    this.backendPlacement = checkOneOf(
      where,
      'backendPlacement',
      options.backendPlacement ?? BackendPlacement.hypervisor,
      BackendPlacement,
    );
    if (this.bareMetal) {
      for (const f of ['scheduler', 'contextSwitch', 'dom0', 'backendPlacement'] as const) {
        if (options[f] !== undefined)
          throw new RangeError(
            `Host: ${f} must be left out in mode "bare-metal" (no hypervisor), got ${String(options[f])}`,
          );
      }
      if ((options.timerTickNs ?? 0) !== 0)
        throw new RangeError(
          `Host: timerTickNs must be 0 in mode "bare-metal" (no virtual timer), got ${options.timerTickNs}`,
        );
    }
    this.timerTickCostNs = checkInt(
      where,
      'timerTickCostNs',
      options.timerTickCostNs ?? HOST_DEFAULTS.timerTickCostNs,
      0,
    );
    this.machineMemoryPages = checkInt(
      where,
      'machineMemoryPages',
      options.machineMemoryPages ?? HOST_DEFAULTS.machineMemoryPages,
      1,
    );
    this.memory = new MachineMemory(sim, {
      totalPages: this.machineMemoryPages,
      hypervisorPages: checkInt(
        where,
        'hypervisorMemoryPages',
        options.hypervisorMemoryPages ?? MEMORY_DEFAULTS.hypervisorPages,
        0,
        this.machineMemoryPages,
      ),
      perDomainStatePages: MEMORY_DEFAULTS.perDomainStatePages,
    });
    this.balloons = new BalloonDrivers(this, options.balloon ?? {});
    const cs = options.contextSwitch;
    this.contextSwitch = cs instanceof ContextSwitchModel ? cs : new ContextSwitchModel(cs ?? {});
    this.scheduler = options.scheduler ?? createDefaultScheduler();
    if (this.bareMetal) {
      this.contextSwitch = ContextSwitchModel.free();
      this.scheduler = new BareMetalScheduler();
    }
    const tick = this.scheduler.timerEvent;
    this.timerTickNs = this.bareMetal
      ? 0
      : checkInt(where, 'timerTickNs', options.timerTickNs ?? tick?.periodNs ?? HOST_DEFAULTS.timerTickNs, 0);
    this.timerTickTarget = tick?.target ?? TimerEventTarget.everyDomain;
    this.startNs = sim.now;
    for (let i = 0; i < this.numCpus; i++) this.pcpus.push(new Pcpu(this, i, this.startNs));

    const pcpus = this.pcpus;
    const self = this;
    this.ctx = {
      sim,
      numCpus: this.numCpus,
      current: (cpu) => pcpuAt(pcpus, cpu).cur,
      idleCount: () => self.numCpus - self.busyCpus,
      dispatchedAtNs: (cpu) => pcpuAt(pcpus, cpu).dispatchNs,
      sliceEndNs: (cpu) => pcpuAt(pcpus, cpu).sliceEndNs,
      reschedule: (cpu) => self._request(pcpuAt(pcpus, cpu), FLAG_RESCHED),
      rescheduleAt: (cpu, timeNs) => self._shortenSlice(pcpuAt(pcpus, cpu), timeNs),
    };
    this.scheduler.attach(this.ctx);
    this.control = new Control(this, options.controlCosts ?? {});
    const d0 = options.dom0 ?? {};
    this.dom0 = this.bareMetal
      ? this._newDomain(BARE_METAL_KERNEL_NAME, this.numCpus, 0, Object.freeze({}), null)
      : this.control._createDom0({
          name: d0.name ?? 'Domain-0',
          vcpus: d0.vcpus ?? 1,
          workingSetBytes: d0.workingSetBytes ?? 0,
          ...(d0.sched ?? {}),
          ...(d0.memoryTargetPages !== undefined ? { memoryTargetPages: d0.memoryTargetPages } : {}),
          ...(d0.memoryReservationPages !== undefined ? { memoryReservationPages: d0.memoryReservationPages } : {}),
          ...(d0.memoryCeilingPages !== undefined ? { memoryCeilingPages: d0.memoryCeilingPages } : {}),
        });
    if (this.timerTickNs > 0) {
      const heap = this.scheduler.timerHeap;
      // Xen 2.0's t_timer is a timer of each PCPU's heap (BVT 'xen2'); otherwise the host's own event
      if (heap !== undefined && this.timerTickTarget === TimerEventTarget.running)
        heap.startTick(this.timerTickNs, (cpu, cur) => this._tickCpu(cpu, cur));
      else sim.schedule(0, onTick, this as Host);
    }
  }

  // ---- domains ----

  /** Live domains, by id (domain 0 first). */
  get domains(): readonly Domain[] {
    return [...this.live.values()];
  }

  /** Every domain ever created, destroyed ones included, by id. */
  get allDomains(): readonly Domain[] {
    return this.all;
  }

  /** The live domain with this id; throws RangeError if there is none. */
  domain(id: number): Domain {
    const d = this.live.get(id);
    if (d === undefined) {
      throw new RangeError(
        `host: domain id must be the id of a live domain (${[...this.live.keys()].join(', ')}), got ${String(id)}`,
      );
    }
    return d;
  }

  /** Whether a live domain has this id. */
  hasDomain(id: number): boolean {
    return this.live.has(id);
  }

  /** The vCPU current on `cpu` (running or being switched to), or null. */
  current(cpu: number): Vcpu | null {
    return pcpuAt(this.pcpus, cpu).cur;
  }

  /**
   * Attaches the host's event channels (once): from now on every domain (live and future) has its
   * VIRQ_TIMER port bound, the periodic tick is raised on it (maskable, coalescing), and a destroyed
   * domain's ports are closed (virq-timer.ts).
   */
  attachEventChannels(channels: EventChannels): void {
    if (this.virqTimer !== null)
      throw new RangeError('host: attachEventChannels: event channels are already attached to this host');
    if (channels.sim !== this.sim)
      throw new RangeError('host: attachEventChannels: the channels belong to another simulation');
    this.virqTimer = new VirqTimer(channels, this.timerTickCostNs);
    for (const d of this.live.values()) this.virqTimer.bind(d);
  }

  /** The native kernel's pseudo-domain of a bare-metal host (one vCPU per PCPU); null on a Xen host. */
  get kernel(): Domain | null {
    return this.bareMetal ? this.dom0 : null;
  }

  /**
   * Device back-end work of `cpuNs` where `backendPlacement` puts it (backend.ts): a softirq on a PCPU
   * in the hypervisor (or the native kernel), or an urgent demand on dom0's vCPU. Succeeds when done.
   */
  backendWork(cpuNs: number, opts: BackendWorkOptions = {}): Event<void> {
    return runBackendWork(this, cpuNs, opts);
  }

  /** The attached event channels, or null. */
  get eventChannels(): EventChannels | null {
    return this.virqTimer === null ? null : this.virqTimer.channels;
  }

  // ---- accounting ----

  /** CPU times of one PCPU up to now. */
  cpuTimes(cpu: number): CpuTimes {
    const p = pcpuAt(this.pcpus, cpu);
    const now = this.sim.now;
    let busy = p.busyNs;
    let hv = p.hvNs;
    let switching = p.switchingNs;
    let idle = p.idleNs;
    if (p.phase === PHASE_RUNNING) busy += now - p.lastSettleNs;
    else if (p.phase === PHASE_SWITCHING) switching += now - p.phaseStartNs;
    else if (p.phase === PHASE_HV) hv += now - p.hvLastNs;
    else idle += now - p.phaseStartNs;
    return { busyNs: busy, hypervisorNs: hv, switchingNs: switching, idleNs: idle };
  }

  /** Host-wide CPU times up to now. */
  accounting(): HostAccounting {
    const perCpu: CpuTimes[] = [];
    let busy = 0;
    let hv = 0;
    let switching = 0;
    let idle = 0;
    for (let i = 0; i < this.numCpus; i++) {
      const t = this.cpuTimes(i);
      perCpu.push(t);
      busy += t.busyNs;
      hv += t.hypervisorNs;
      switching += t.switchingNs;
      idle += t.idleNs;
    }
    return {
      elapsedNs: this.sim.now - this.startNs,
      cpus: this.numCpus,
      busyNs: busy,
      hypervisorNs: hv,
      switchingNs: switching,
      idleNs: idle,
      perCpu,
    };
  }

  /**
   * Checks CPU-time conservation (exact): per PCPU guest (busy) + hypervisor + switching + idle =
   * elapsed; the CPU time received by all domains (destroyed ones included) = Σ PCPU busy, and the
   * same for switching; per vCPU blocked + waiting + switching + running + interrupted = its lifetime.
   * Throws InvariantError('host', …) if not; returns the accounting.
   */
  checkConservation(): HostAccounting {
    const acc = this.accounting();
    const now = this.sim.now;
    for (let i = 0; i < acc.perCpu.length; i++) {
      const t = acc.perCpu[i] as CpuTimes;
      const sum = t.busyNs + t.hypervisorNs + t.switchingNs + t.idleNs;
      if (sum !== acc.elapsedNs) {
        throw new InvariantError(
          'host',
          `CPU ${i}: guest ${t.busyNs} + hypervisor ${t.hypervisorNs} + switching ${t.switchingNs} + idle ${t.idleNs} = ${sum} ns ≠ elapsed ${acc.elapsedNs} ns`,
          now,
        );
      }
    }
    let domBusy = 0;
    let domSwitching = 0;
    for (const d of this.all) {
      domBusy += d.busyNs;
      domSwitching += d.switchingNs;
    }
    let openSwitching = this.orphanSwitchingNs;
    for (const p of this.pcpus) if (p.phase === PHASE_SWITCHING) openSwitching += now - p.switchAttribFromNs;
    if (domBusy !== acc.busyNs)
      throw new InvariantError('host', `Σ domain CPU time ${domBusy} ns ≠ Σ PCPU busy ${acc.busyNs} ns`, now);
    if (domSwitching + openSwitching !== acc.switchingNs) {
      throw new InvariantError(
        'host',
        `Σ domain switching ${domSwitching} ns (+ ${openSwitching} in progress or orphaned) ≠ Σ PCPU switching ${acc.switchingNs} ns`,
        now,
      );
    }
    for (const d of this.all) {
      const life = (d.destroyedAtNs ?? now) - d.createdAtNs;
      for (const v of d.vcpus) {
        const t = v.times();
        const sum = t.blockedNs + t.waitingNs + t.switchingNs + t.runningNs + t.interruptedNs;
        if (sum !== life || t.waitingNs < 0) {
          throw new InvariantError(
            'host',
            `${v.name}: blocked ${t.blockedNs} + waiting ${t.waitingNs} + switching ${t.switchingNs} + running ${t.runningNs} + interrupted ${t.interruptedNs} = ${sum} ns ≠ lifetime ${life} ns`,
            now,
          );
        }
      }
    }
    return acc;
  }

  // ---- internal: domain life cycle (used by control.ts) ----

  /** @internal */
  _newDomain(
    name: string,
    vcpuCount: number,
    workingSetBytes: number,
    sched: DomainSchedParams,
    memoryTargetPages: number | null,
    memoryReservationPages = 0,
    memoryCeilingPages = memoryReservationPages,
  ): Domain {
    const id = this.nextDomainId++;
    this.memory.addDomain(id, name, memoryReservationPages, memoryCeilingPages);
    const d = new Domain(this, id, name, workingSetBytes, sched, memoryTargetPages, (dom) => {
      const vs: Vcpu[] = [];
      for (let i = 0; i < vcpuCount; i++) vs.push(new Vcpu(this, dom, i, this.nextVcpuId++));
      return vs;
    });
    this.live.set(id, d);
    this.all.push(d);
    for (const v of d.vcpus) this.vcpuById[v.id] = v;
    const now = this.sim.now;
    for (const v of d.vcpus) this.scheduler.addVcpu(v, now);
    for (const v of d.vcpus) {
      if (!(Number.isInteger(v.cpu) && v.cpu >= 0 && v.cpu < this.numCpus)) {
        throw new InvariantError(
          'host',
          `scheduler ${this.scheduler.name} placed ${v.name} on CPU ${v.cpu} (host has ${this.numCpus})`,
          now,
        );
      }
    }
    if (this.virqTimer !== null) this.virqTimer.bind(d);
    this.balloons._add(d, memoryTargetPages ?? memoryReservationPages);
    return d;
  }

  /** @internal */
  _destroyDomain(d: Domain): void {
    const now = this.sim.now;
    for (const v of d.vcpus) {
      const p = this.onCpu(v);
      if (p !== null && p.phase === PHASE_SWITCHING) {
        // the switch goes on (the PCPU is busy switching); its time after now belongs to no domain
        v._switchingNs += now - p.switchAttribFromNs;
        p.switchAttribFromNs = now;
      }
      if (p !== null && v._hvStartNs >= 0) {
        // interrupted by hypervisor work: the interruption ends with the domain
        v._interruptedNs += now - v._hvStartNs;
        v._hvStartNs = -1;
      }
      if (p !== null) {
        this.settle(p, now);
        if (p.timer >= 0 && p.phase === PHASE_RUNNING) {
          this.sim.cancel(p.timer);
          p.timer = -1;
        }
      }
      v._removed = true;
      v._pendingIdle = false;
      v._progressSinceNs = -1;
      v._switchStartNs = -1;
      v._setState(VcpuState.blocked, now);
      this.guestTimers[v.id]?.clear();
      this.scheduler.removeVcpu(v, now);
      if (p !== null) this._request(p, FLAG_RESCHED);
    }
    d.destroyedAtNs = now;
    this.live.delete(d.id);
    this.balloons._remove(d.id);
    this.memory.removeDomain(d.id);
    if (this.virqTimer !== null) this.virqTimer.close(d);
  }

  // ---- internal: demand ----

  /** @internal a demand record, recycled from a completed one when there is one. */
  _demand(
    cpuNs: number,
    event: Event<void> | null,
    tag: string | null,
    urgent: boolean,
    fn: DemandCallback<unknown> | null,
    arg: unknown,
  ): Demand {
    const d = this.demandPool.pop();
    if (d === undefined) return new Demand(cpuNs, event, tag, urgent, fn, arg);
    d.remainingNs = cpuNs;
    d.event = event;
    d.tag = tag;
    d.urgent = urgent;
    d.fn = fn;
    d.arg = arg;
    return d;
  }

  /** @internal */
  _addDemand(v: Vcpu, d: Demand): void {
    if (v._removed) return; // the domain is gone: the demand never completes
    const now = this.sim.now;
    if (v.state === VcpuState.running) {
      const p = this.onCpu(v);
      if (p === null) throw new InvariantError('host', `${v.name} is running but no PCPU holds it`, now);
      if (p.phase === PHASE_HV) {
        // interrupted by hypervisor work: the demand waits for the handlers' end (exitHv re-arms)
        v._push(d);
        v._pendingIdle = false;
        return;
      }
      this.settle(p, now);
      v._push(d);
      if (v._pendingIdle) {
        v._pendingIdle = false;
        v._progressSinceNs = now;
      }
      if (p.flags === 0) this.arm(p, now);
      else if (p.timer >= 0) {
        // a scheduling point is pending at this instant; it re-arms if the vCPU keeps the CPU
        this.sim.cancel(p.timer);
        p.timer = -1;
      }
    } else if (v.state === VcpuState.runnable) {
      v._push(d);
      if (d.urgent && this.scheduler.notify !== undefined) this.scheduler.notify(v, now);
    } else {
      v._push(d);
      v._setState(VcpuState.runnable, now);
      this.sim.tracer?.record(now, 'cpu', 'wake', { vcpu: v.name });
      if (this.onWake.size > 0) this.onWake.emit(v, now, undefined, undefined);
      this.scheduler.wake(v, now);
    }
  }

  /** @internal */
  _yield(v: Vcpu): void {
    if (v._removed) return;
    const now = this.sim.now;
    this.scheduler.yield(v, now);
    const p = this.onCpu(v);
    if (p !== null) this._request(p, FLAG_RESCHED);
  }

  /**
   * @internal a guest one-shot timer (vcpu.timerThen): through the scheduler's timer heap when it keeps
   * one (the domain timer, guest-timers.ts), else an event at normal priority after delayNs.
   */
  _guestTimer<T>(v: Vcpu, delayNs: number, fn: (arg: T) => void, arg: T): void {
    const heap = this.scheduler.timerHeap;
    if (heap === undefined) {
      this.sim.schedule(delayNs, fn, arg);
      return;
    }
    if (v._removed) return;
    let list = this.guestTimers[v.id];
    if (list === undefined) {
      list = new GuestTimerList(heap, v);
      this.guestTimers[v.id] = list;
    }
    list.add(this.sim.now + delayNs, fn, arg);
  }

  /** @internal the periodic tick of one PCPU from the scheduler's timer heap (Xen 2.0 t_timer_fn). */
  _tickCpu(_cpu: number, cur: SchedVcpu | null): void {
    if (cur === null) return;
    const v = this.vcpuById[cur.id];
    if (v === undefined || v._removed) return;
    if (this.virqTimer !== null) this.virqTimer.tickDomain(v.domain);
    else if (this.timerTickCostNs > 0)
      this._addDemand(v, this._demand(this.timerTickCostNs, null, 'timer', true, null, null));
  }

  /** @internal the periodic timer event. */
  _tick(): void {
    const cost = this.timerTickCostNs;
    const toRunning = this.timerTickTarget === TimerEventTarget.running;
    if (this.virqTimer !== null) {
      // VIRQ_TIMER through the event channels: to every live domain (Xen 1.0), or to the domains
      // current on a PCPU (Xen 2.0 t_timer_fn)
      this.virqTimer.tick(
        toRunning ? this.pcpus.flatMap((p) => (p.cur === null ? [] : [p.cur.domain])) : this.live.values(),
      );
    } else if (cost > 0 && toRunning) {
      // Xen 2.0 t_timer_fn: VIRQ_TIMER to the domain current on each CPU (not idle), no scheduler call
      for (const p of this.pcpus)
        if (p.cur !== null) this._addDemand(p.cur, this._demand(cost, null, 'timer', true, null, null));
    } else if (cost > 0) {
      for (const d of this.live.values()) {
        for (const v of d.vcpus) this._addDemand(v, this._demand(cost, null, 'timer', true, null, null));
      }
    }
    this.sim.schedule(this.timerTickNs, onTick, this as Host);
  }

  // ---- hypervisor-context work ----

  /**
   * Queues `cpuNs` (a non-negative integer) of hypervisor-context work (an interrupt handler by
   * default, or a softirq) on PCPU `opts.cpu` (default 0). It preempts the vCPU running there without
   * a domain switch and is accounted as the PCPU's hypervisor time. The event succeeds when it has run
   * (at once for 0 ns).
   */
  hypervisorWork(cpuNs: number, opts: HypervisorWorkOptions = {}): Event<void> {
    const ev = this.sim.event<void>();
    const cpu = opts.cpu ?? 0;
    const kind = opts.kind ?? HvWorkKind.irq;
    if (kind !== HvWorkKind.irq && kind !== HvWorkKind.softirq) {
      throw new RangeError(`host: hypervisorWork: kind must be one of "irq", "softirq", got ${JSON.stringify(kind)}`);
    }
    const bytes = opts.bytesTouched ?? 0;
    if (bytes !== 0) checkNumber('host: hypervisorWork', 'bytesTouched', bytes, 0, 1e12);
    this.queueHv(cpu, cpuNs, kind === HvWorkKind.softirq, opts.tag ?? null, ev, null, null);
    if (bytes !== 0) this.contextSwitch.pollute(cpu, bytes);
    return ev;
  }

  /**
   * Callback form of hypervisorWork (no Event allocated): `fn(arg)` runs when the work has run.
   * `bytesTouched` (default 0, a non-negative number): as HypervisorWorkOptions.bytesTouched.
   */
  hypervisorWorkCb<T>(
    cpu: number,
    cpuNs: number,
    kind: HvWorkKind,
    tag: string | null,
    fn: HvWorkCallback<T>,
    arg: T,
    bytesTouched = 0,
  ): void {
    this.queueHv(cpu, cpuNs, kind === HvWorkKind.softirq, tag, null, fn as HvWorkCallback<unknown>, arg);
    if (bytesTouched > 0) this.contextSwitch.pollute(cpu, bytesTouched);
  }

  /** Hypervisor work queued on a PCPU and not yet run, ns (the least-loaded interrupt routing reads it). */
  hypervisorBacklogNs(cpu: number): number {
    const p = pcpuAt(this.pcpus, cpu);
    return p.phase === PHASE_HV ? p.hvOutstandingNs - (this.sim.now - p.hvLastNs) : p.hvOutstandingNs;
  }

  /** Whether a PCPU is idle: no vCPU current and no hypervisor work running. */
  isIdle(cpu: number): boolean {
    return pcpuAt(this.pcpus, cpu).phase === PHASE_IDLE;
  }

  private queueHv(
    cpu: number,
    cpuNs: number,
    softirq: boolean,
    tag: string | null,
    ev: Event<void> | null,
    fn: HvWorkCallback<unknown> | null,
    arg: unknown,
  ): void {
    const p = pcpuAt(this.pcpus, cpu);
    if (!(Number.isSafeInteger(cpuNs) && cpuNs >= 0)) checkInt('host: hypervisorWork', 'cpuNs', cpuNs, 0);
    if (cpuNs === 0) {
      if (ev !== null) ev.succeed();
      if (fn !== null) fn(arg);
      return;
    }
    let w = this.hvPool.pop();
    if (w === undefined) w = new HvWork(cpuNs, cpuNs, softirq, tag, ev, fn, arg);
    else {
      w.remainingNs = cpuNs;
      w.sizeNs = cpuNs;
      w.softirq = softirq;
      w.tag = tag;
      w.event = ev;
      w.fn = fn;
      w.arg = arg;
    }
    const now = this.sim.now;
    if (p.phase === PHASE_HV) {
      // a hard interrupt preempts a softirq that is running (it becomes the head)
      const preempt = !softirq && p.hvIrq.length === 0;
      if (preempt) this.settleHv(p, now);
      p.hvOutstandingNs += cpuNs;
      if (softirq) p.hvSoft.push(w);
      else p.hvIrq.push(w);
      if (preempt) this.armHv(p, now);
      return;
    }
    p.hvOutstandingNs += cpuNs;
    if (softirq) p.hvSoft.push(w);
    else p.hvIrq.push(w);
    if (p.phase !== PHASE_SWITCHING) this.enterHv(p, now); // a switch runs with interrupts off
  }

  // ---- internal: dispatcher ----

  private onCpu(v: Vcpu): Pcpu | null {
    const p = this.pcpus[v.cpu];
    return p !== undefined && p.cur === v ? p : null;
  }

  /** Credits the current vCPU with the CPU time since the last settlement. */
  private settle(p: Pcpu, now: number): void {
    if (p.phase !== PHASE_RUNNING) return;
    const v = p.cur;
    const ran = now - p.lastSettleNs;
    p.lastSettleNs = now;
    if (ran === 0 || v === null) return;
    if (v._pendingIdle || v._removed) {
      throw new InvariantError('host', `CPU ${p.index}: ${ran} ns passed while ${v.name} had no demand`, now);
    }
    v._consume(ran);
    v._virtualNs += ran;
    v._progressSinceNs = now;
    p.busyNs += ran;
  }

  /** Sets the PCPU's timer to the head demand's completion or the slice end, whichever first. */
  private arm(p: Pcpu, now: number): void {
    if (p.timer >= 0) {
      this.sim.cancel(p.timer);
      p.timer = -1;
    }
    const v = p.cur as Vcpu;
    const h = v._head();
    if (h === undefined) return;
    // the head has progressed since the last settlement: it completes at lastSettle + remaining
    const done = p.lastSettleNs + h.remainingNs;
    if (p.sliceEndNs <= now) {
      this._request(p, FLAG_SLICE);
      return;
    }
    p.timer = this.sim.scheduleAt(done < p.sliceEndNs ? done : p.sliceEndNs, onTimer, p);
  }

  /** @internal */
  _request(p: Pcpu, flag: number): void {
    p.flags |= flag;
    if (p.late < 0) p.late = this.sim.schedule(0, onLate, p, LATE_PRIORITY);
  }

  private _shortenSlice(p: Pcpu, timeNs: number): void {
    const now = this.sim.now;
    if (!(timeNs < p.sliceEndNs)) return;
    p.sliceEndNs = Math.max(timeNs, now);
    if (p.phase === PHASE_SWITCHING || p.phase === PHASE_HV) return; // their end looks at the slice end
    if (p.sliceEndNs <= now) {
      this._request(p, FLAG_SLICE);
      return;
    }
    if (p.phase === PHASE_RUNNING) {
      if ((p.cur as Vcpu)._pendingIdle || p.flags !== 0) return;
      this.arm(p, now);
    } else {
      if (p.timer >= 0) this.sim.cancel(p.timer);
      p.timer = this.sim.scheduleAt(p.sliceEndNs, onTimer, p);
    }
  }

  /** Completes the finished head demands of the current vCPU; returns whether demand remains. */
  private completeHeads(p: Pcpu, now: number): boolean {
    const v = p.cur as Vcpu;
    for (;;) {
      const h = v._head();
      if (h === undefined) return false;
      if (h.remainingNs > 0) return true;
      v._popHead();
      if (h.event !== null) h.event.succeed();
      else if (h.fn !== null) this.sim.schedule(0, h.fn, h.arg);
      if (this.onDemandDone.size > 0) this.onDemandDone.emit(v, h.tag, now, undefined);
      h.event = null;
      h.fn = null;
      h.arg = null;
      this.demandPool.push(h);
    }
  }

  /** @internal */
  _onTimer(p: Pcpu): void {
    const now = this.sim.now;
    if (p.phase === PHASE_HV) {
      this.hvStep(p, now);
      return;
    }
    if (p.phase === PHASE_SWITCHING) {
      this.switchDone(p, now);
      return;
    }
    if (p.phase === PHASE_IDLE) {
      this._request(p, FLAG_SLICE);
      return;
    }
    this.settle(p, now);
    const v = p.cur as Vcpu;
    if (!this.completeHeads(p, now)) {
      v._pendingIdle = true;
      v._progressSinceNs = -1;
      this._request(p, now >= p.sliceEndNs ? FLAG_IDLE_CHECK | FLAG_SLICE : FLAG_IDLE_CHECK);
      return;
    }
    if (now >= p.sliceEndNs) this._request(p, FLAG_SLICE);
    else this.arm(p, now);
  }

  /** @internal the end-of-instant scheduling point. */
  _onLate(p: Pcpu): void {
    if (p.phase === PHASE_SWITCHING || p.phase === PHASE_HV) return; // switchDone / exitHv pick the flags up
    const now = this.sim.now;
    const flags = p.flags;
    p.flags = 0;
    if (p.phase === PHASE_IDLE) {
      this.schedule(p, now, null, false);
      return;
    }
    const v = p.cur as Vcpu;
    if (v._removed) {
      this.schedule(p, now, null, false);
      return;
    }
    this.settle(p, now);
    const hasDemand = this.completeHeads(p, now);
    if (!hasDemand) {
      v._pendingIdle = false;
      v._progressSinceNs = -1;
      this.scheduler.block(v, now);
      this.schedule(p, now, v, false);
      return;
    }
    if (v._pendingIdle) {
      v._pendingIdle = false;
      v._progressSinceNs = now;
    }
    if ((flags & (FLAG_RESCHED | FLAG_SLICE)) === 0 && now < p.sliceEndNs) {
      this.arm(p, now);
      return;
    }
    this.schedule(p, now, v, true);
  }

  /** The scheduling decision: descheduling `prev` (if any) and dispatching what pickNext returns. */
  private schedule(p: Pcpu, now: number, prev: Vcpu | null, prevRunnable: boolean): void {
    if (p.timer >= 0) {
      this.sim.cancel(p.timer);
      p.timer = -1;
    }
    if (p.phase === PHASE_IDLE) {
      p.idleNs += now - p.phaseStartNs;
    }
    if (prev !== null) {
      const ran = now - p.dispatchNs;
      prev._progressSinceNs = -1;
      prev._lastCpu = p.index;
      prev._cpuBusyAtLeaveNs = p.busyNs;
      prev._curCpu = -1;
      if (p.cur !== null) this.busyCpus--;
      p.cur = null;
      if (!prevRunnable) {
        prev._setState(VcpuState.blocked, now);
        this.sim.tracer?.record(now, 'cpu', 'block', { vcpu: prev.name, cpu: p.index });
        if (this.onBlock.size > 0) this.onBlock.emit(prev, now, undefined, undefined);
      } else {
        prev._setState(VcpuState.runnable, now);
      }
      if (this.onDeschedule.size > 0) this.onDeschedule.emit(p.index, prev, ran, now);
      this.scheduler.charge(prev, p.index, ran, prevRunnable, now);
    }
    if (p.cur !== null) {
      p.cur._curCpu = -1;
      this.busyCpus--;
    }
    p.cur = null;
    p.flags = 0;

    const decision = this.scheduler.pickNext(p.index, now);
    const slice = decision.sliceNs;
    const v = decision.vcpu === null ? null : (this.vcpuById[decision.vcpu.id] ?? null);
    if (v !== decision.vcpu) {
      throw new InvariantError(
        'host',
        `scheduler ${this.scheduler.name} dispatched ${decision.vcpu?.name ?? '?'} on CPU ${p.index}, which is not a vCPU of this host`,
        now,
      );
    }
    if (!(slice === Infinity || (Number.isSafeInteger(slice) && slice > 0))) {
      throw new InvariantError(
        'host',
        `scheduler ${this.scheduler.name} gave CPU ${p.index} a slice of ${slice} ns (must be a positive integer or Infinity)`,
        now,
      );
    }
    if (v !== null) this.checkDispatchable(p, v, now);
    p.dispatchNs = now;
    p.sliceEndNs = slice === Infinity ? Infinity : now + slice;
    this.sim.tracer?.record(now, 'cpu', 'dispatch', {
      cpu: p.index,
      vcpu: v === null ? null : v.name,
      sliceNs: slice === Infinity ? -1 : slice,
    });
    if (this.onDispatch.size > 0) this.onDispatch.emit(p.index, v, slice, now);
    p.phaseStartNs = now;
    if (v === null) {
      p.phase = PHASE_IDLE;
      if (p.hvIrq.length + p.hvSoft.length > 0) {
        this.enterHv(p, now); // queued during a switch
        return;
      }
      if (p.sliceEndNs !== Infinity) p.timer = this.sim.scheduleAt(p.sliceEndNs, onTimer, p);
      return;
    }
    p.cur = v;
    this.busyCpus++;
    v._curCpu = p.index;
    if (v === p.lastVcpu) {
      this.startRunning(p, now);
      return;
    }
    const cost = this.contextSwitch.switchCostNs(p.index, v.id, v.domain.workingSetBytes);
    this.sim.tracer?.record(now, 'cpu', 'switch', {
      cpu: p.index,
      from: p.lastVcpu === null ? null : p.lastVcpu.name,
      to: v.name,
      costNs: cost,
    });
    if (this.onSwitch.size > 0) this.onSwitch.emit(p.index, p.lastVcpu, v, cost);
    p.lastVcpu = v;
    v._switches++;
    if (cost === 0) {
      this.startRunning(p, now);
      return;
    }
    p.phase = PHASE_SWITCHING;
    p.switchCostNs = cost;
    p.switchAttribFromNs = now;
    v._switchStartNs = now;
    p.timer = this.sim.scheduleAt(now + cost, onTimer, p);
  }

  private checkDispatchable(p: Pcpu, v: Vcpu, now: number): void {
    // (the message is built only on failure: this runs at every dispatch)
    let why: string | null = null;
    if (v._removed) why = 'its domain was destroyed';
    else if (v.state === VcpuState.blocked) why = 'it is blocked';
    else if (!v.hasDemand) why = 'it has no CPU demand';
    // (O(1): every assignment of a PCPU's current vCPU maintains vcpu._curCpu)
    else if (v._curCpu >= 0 && v._curCpu !== p.index) why = `it is already current on CPU ${v._curCpu}`;
    else if (v.cpu !== p.index) why = `its run queue is CPU ${v.cpu}`;
    if (why !== null)
      throw new InvariantError(
        'host',
        `scheduler ${this.scheduler.name} dispatched ${v.name} on CPU ${p.index}, but ${why}`,
        now,
      );
  }

  private switchDone(p: Pcpu, now: number): void {
    const v = p.cur as Vcpu;
    p.switchingNs += now - p.phaseStartNs;
    if (v._removed) this.orphanSwitchingNs += now - p.switchAttribFromNs;
    else v._switchingNs += now - p.switchAttribFromNs;
    v._switchStartNs = -1;
    p.phaseStartNs = now;
    if (v._removed) {
      p.phase = PHASE_RUNNING;
      p.lastSettleNs = now;
      this.schedule(p, now, null, false);
      return;
    }
    this.startRunning(p, now);
  }

  private startRunning(p: Pcpu, now: number): void {
    const v = p.cur as Vcpu;
    p.phase = PHASE_RUNNING;
    p.phaseStartNs = now;
    p.lastSettleNs = now;
    v._setState(VcpuState.running, now);
    v._progressSinceNs = now;
    if (p.hvIrq.length + p.hvSoft.length > 0) {
      this.enterHv(p, now); // queued during the switch: runs before the vCPU makes progress
      return;
    }
    if (p.flags !== 0) {
      const f = p.flags;
      p.flags = 0;
      this._request(p, f);
      return;
    }
    if (now >= p.sliceEndNs) this._request(p, FLAG_SLICE);
    else this.arm(p, now);
  }

  /** Stops what the PCPU was doing (running vCPU or idle) and starts its queued hypervisor work. */
  private enterHv(p: Pcpu, now: number): void {
    if (p.timer >= 0) {
      this.sim.cancel(p.timer);
      p.timer = -1;
    }
    if (p.phase === PHASE_RUNNING) {
      this.settle(p, now);
      const v = p.cur as Vcpu;
      v._progressSinceNs = -1;
      v._hvStartNs = now;
      p.hvResume = PHASE_RUNNING;
    } else {
      p.idleNs += now - p.phaseStartNs;
      p.hvResume = PHASE_IDLE;
    }
    p.phase = PHASE_HV;
    p.phaseStartNs = now;
    p.hvLastNs = now;
    this.armHv(p, now);
  }

  /** Credits the head of the hypervisor queues with the time since hvLastNs. */
  private settleHv(p: Pcpu, now: number): void {
    const ran = now - p.hvLastNs;
    p.hvLastNs = now;
    if (ran === 0) return;
    const h = p.hvIrq.length > 0 ? p.hvIrq.at(0) : p.hvSoft.at(0);
    if (h === undefined)
      throw new InvariantError('host', `CPU ${p.index}: ${ran} ns of hypervisor time with no hypervisor work`, now);
    h.remainingNs -= ran;
    p.hvOutstandingNs -= ran;
    p.hvNs += ran;
  }

  private armHv(p: Pcpu, now: number): void {
    if (p.timer >= 0) this.sim.cancel(p.timer);
    const h = (p.hvIrq.length > 0 ? p.hvIrq.at(0) : p.hvSoft.at(0)) as HvWork;
    p.timer = this.sim.scheduleAt(now + h.remainingNs, onTimer, p);
  }

  /** The head of the hypervisor queues is due: completes what has run, then goes on or resumes. */
  private hvStep(p: Pcpu, now: number): void {
    this.settleHv(p, now);
    for (;;) {
      const q = p.hvIrq.length > 0 ? p.hvIrq : p.hvSoft;
      const h = q.at(0);
      if (h === undefined || h.remainingNs > 0) break;
      q.shift();
      // completion runs in hypervisor context: new work it queues here runs before the vCPU resumes
      if (h.event !== null) h.event.succeed();
      if (h.fn !== null) h.fn(h.arg);
      if (this.onHypervisorWork.size > 0) this.onHypervisorWork.emit(p.index, h.tag, h.sizeNs, now);
      h.event = null;
      h.fn = null;
      h.arg = null;
      this.hvPool.push(h);
    }
    if (p.hvIrq.length + p.hvSoft.length > 0) {
      this.armHv(p, now);
      return;
    }
    this.exitHv(p, now);
  }

  /** Hypervisor work done: back to the interrupted vCPU (no domain switch) or to idle. */
  private exitHv(p: Pcpu, now: number): void {
    p.timer = -1;
    p.phaseStartNs = now;
    let f = p.flags;
    p.flags = 0;
    if (p.hvResume === PHASE_RUNNING) {
      const v = p.cur as Vcpu;
      p.phase = PHASE_RUNNING;
      p.lastSettleNs = now;
      if (v._hvStartNs >= 0) {
        v._interruptedNs += now - v._hvStartNs;
        v._hvStartNs = -1;
      }
      if (v._removed) f |= FLAG_RESCHED;
      else if (!v._pendingIdle) v._progressSinceNs = now;
      if (f !== 0) this._request(p, f);
      else if (now >= p.sliceEndNs) this._request(p, FLAG_SLICE);
      else this.arm(p, now);
      return;
    }
    p.phase = PHASE_IDLE;
    if (f !== 0) this._request(p, f);
    else if (p.sliceEndNs <= now) this._request(p, FLAG_SLICE);
    else if (p.sliceEndNs !== Infinity) p.timer = this.sim.scheduleAt(p.sliceEndNs, onTimer, p);
  }
}

function pcpuAt(pcpus: readonly Pcpu[], cpu: number): Pcpu {
  const p = pcpus[cpu];
  if (p === undefined) throw new RangeError(`host: cpu must be an integer in [0, ${pcpus.length - 1}], got ${cpu}`);
  return p;
}

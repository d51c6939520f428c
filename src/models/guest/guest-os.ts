// The guest OS: processes inside a domain, run by the guest kernel's own scheduler on the domain's
// vCPU 0 (option vcpuIndex: another vCPU), their work priced by a virtualization profile (profile.ts).
//
// A process is a program: an iterator of steps — an operation of the vocabulary (operations.ts, `count`
// times), computation (`computeNs`), a sleep (`sleepNs`), a wait on a guest wait queue (a pipe, a
// semaphore: `wait`), a wake of one (`wake`), or a wait on one of the domain's event-channel ports
// (`waitPort`: the guest blocks on I/O until the back end or another domain notifies it). Every CPU
// step becomes demand on the vCPU (vcpu.runThen), so the hypervisor's scheduler decides when the guest
// runs at all; the guest decides which of its processes runs.
//
// Scheduler (Linux 2.4-like, simplified): one run queue, FIFO; the running process keeps the vCPU until
// it blocks, exits or uses its quantum (calibration.ts GUEST.guestQuantumNs, 60 ms: NICE_TO_TICKS(0) at
// HZ = 100); at quantum expiry it goes to the back of the queue if another process is runnable, else it
// gets a new quantum. Simplifications (assumption; they move only workloads with several CPU-bound
// processes in one guest): the quantum restarts at every dispatch (2.4 keeps the counter across blocks
// and recomputes it per epoch), there are no priorities, nice levels or goodness() bonuses.
// Process switch: when the vCPU passes to another process, the guest pays a context switch costed by
// the footprint cache model with the profile's lat_ctx fit (cache/footprint.ts, calibration.ts
// SWITCH_PROFILE_FITS; native → L-UP, xen → Xen, full-virt → VMware, hosted → UML), with each process's
// working set; the switch also flushes the TLB, so queued page-table updates are flushed first (xen).
// Timers: a sleeping process is woken at its time by the guest's timer interrupt, which costs the
// profile's event delivery (urgent demand on the vCPU) before the process becomes runnable. I/O: with
// the host's event channels attached (host.attachEventChannels), `waitPort` blocks until a delivery on
// that port (the upcall's CPU is charged by the event-channel model).
// On the bare-metal host (mode 'bare-metal') the same guest OS runs on the native kernel's CPU 0 with
// the native profile; the profile must match the host (native ⇔ bare metal).
// Accounting: every ns of demand the guest OS puts on the vCPU is either a process's CPU (its operations
// and computation; of it, processOpNs for the operations), a process switch, or a timer delivery:
// stats() gives the three; with nothing else on the vCPU they sum to its running time (test/models/guest/guest-os.test.ts).
// Units: integer ns (each step's cost is rounded to whole ns), bytes.
import type { Event, Simulation } from '../../sim/index.js';
import { Deque } from '../../sim/index.js';
import { GUEST } from '../calibration.js';
import { ContextSwitchModel } from '../cpu/context-switch.js';
import type { Domain } from '../host/domain.js';
import type { Vcpu } from '../host/vcpu.js';
import { checkInt, checkName } from '../validate.js';
import { GUEST_OPS, type VirtProfile, type GuestOp } from './operations.js';
import { FlushReason, type PageTableQueue } from './page-table.js';
import { GuestProfile } from './profile.js';

/** A guest wait queue (a pipe's reader side, a semaphore): wakes bank as tokens when nobody waits. */
export class GuestWaitQueue {
  /** @internal */ readonly waiters = new Deque<GuestProcess>(2);
  /** @internal */ tokens = 0;
  constructor(readonly name: string) {}
}

/** One step of a guest process's program. */
export type GuestStep =
  | { readonly op: GuestOp; readonly count?: number }
  | { readonly computeNs: number }
  | { readonly sleepNs: number }
  | { readonly wait: GuestWaitQueue }
  | { readonly wake: GuestWaitQueue }
  | { readonly waitPort: number };

export type GuestProgram = Iterator<GuestStep, void, undefined>;

export const ProcState = { runnable: 'runnable', running: 'running', blocked: 'blocked', exited: 'exited' } as const;
export type ProcState = (typeof ProcState)[keyof typeof ProcState];

export class GuestProcess {
  state: ProcState = ProcState.runnable;
  /** CPU time received for operations and computation, ns. */
  cpuNs = 0;
  /** Operations executed (each `count` counted). */
  ops = 0;
  /** Of cpuNs, the part owed to operations (guest-kernel time; the rest is computation), ns. */
  opNs = 0;
  /** @internal CPU still owed to the current step, ns. */
  remainingNs = 0;
  /** Succeeds when the program ends. */
  readonly exited: Event<void>;
  constructor(
    /** Guest-local id (the entity id in the guest's cache model). */
    readonly id: number,
    readonly name: string,
    readonly workingSetBytes: number,
    /** @internal */ readonly program: GuestProgram,
    sim: Simulation,
  ) {
    this.exited = sim.event<void>();
  }
}

export interface GuestOsOptions {
  /** Profile, or its name. Default: 'native' on a bare-metal host, else 'xen'. */
  readonly profile?: VirtProfile | GuestProfile;
  /** Page-table batch (xen), 1 … 2048, when `profile` is a name. Default 2048. */
  readonly ptBatch?: number;
  /** Scheduler quantum, ns, ≥ 1. Default GUEST.guestQuantumNs (60 ms). */
  readonly quantumNs?: number;
  /** Record the order in which page-table updates are applied (tests). Default false. */
  readonly recordPageTable?: boolean;
  /** The domain's vCPU the guest OS runs on (one run queue per vCPU, e.g. per CPU of native SMP). Default 0. */
  readonly vcpuIndex?: number;
}

export interface GuestOsStats {
  readonly processCpuNs: number;
  /** Of processCpuNs, the CPU owed to operations (guest-kernel time), ns (priced when each op starts). */
  readonly processOpNs: number;
  readonly switchNs: number;
  readonly switches: number;
  readonly timerDeliveryNs: number;
  readonly ops: number;
}

export const GUEST_OS_DEFAULTS = { quantumNs: GUEST.guestQuantumNs.value } as const;

export class GuestOS {
  readonly domain: Domain;
  readonly sim: Simulation;
  readonly vcpu: Vcpu;
  readonly profile: GuestProfile;
  readonly quantumNs: number;
  readonly pageTable: PageTableQueue;
  readonly contextSwitch: ContextSwitchModel;
  private readonly runQ = new Deque<GuestProcess>(8);
  private readonly procs: GuestProcess[] = [];
  private current: GuestProcess | null = null;
  private lastRan: GuestProcess | null = null;
  private busy = false;
  private chunkNs = 0;
  private quantumLeftNs = 0;
  private switchNsTotal = 0;
  private switchCount = 0;
  private timerNs = 0;
  private opCount = 0;

  constructor(domain: Domain, options: GuestOsOptions = {}) {
    const where = 'GuestOS';
    this.domain = domain;
    this.sim = domain.host.sim;
    const vi = options.vcpuIndex ?? 0;
    const v = domain.vcpus[vi];
    if (v === undefined)
      throw new RangeError(
        `${where}: vcpuIndex must be a vCPU of ${domain.name} (${domain.vcpus.length} vCPUs), got ${vi}`,
      );
    this.vcpu = v;
    const bare = domain.host.mode === 'bare-metal';
    const prof = options.profile ?? (bare ? 'native' : 'xen');
    this.profile =
      prof instanceof GuestProfile
        ? prof
        : new GuestProfile(prof, options.ptBatch === undefined ? {} : { ptBatch: options.ptBatch });
    if (bare !== (this.profile.profile === 'native')) {
      throw new RangeError(
        `${where}: profile must be ${bare ? '"native" on a bare-metal host' : 'one of "xen", "full-virt", "hosted" on a virtualized host (native runs on mode "bare-metal")'}, got "${this.profile.profile}"`,
      );
    }
    this.quantumNs = checkInt(where, 'quantumNs', options.quantumNs ?? GUEST_OS_DEFAULTS.quantumNs, 1);
    this.pageTable = this.profile.newPageTable(options.recordPageTable === true);
    this.contextSwitch = new ContextSwitchModel({ profile: this.profile.switchProfile });
  }

  /**
   * Wakes one waiter of `queue` from outside the guest's processes (an interrupt handler: a disk
   * completion, a request from the network), or banks a token when nobody waits. Not from inside a
   * process's program (a `wake` step is for that).
   */
  signal(queue: GuestWaitQueue): void {
    const w = queue.waiters.shift();
    if (w === undefined) queue.tokens++;
    else this.makeRunnable(w);
  }

  /** Starts a process running `program`, with `workingSetBytes` for its switch cost (default 0). */
  spawn(name: string, program: GuestProgram, workingSetBytes = 0): GuestProcess {
    checkName('GuestOS.spawn', 'name', name, 64);
    checkInt('GuestOS.spawn', 'workingSetBytes', workingSetBytes, 0);
    const p = new GuestProcess(this.procs.length, name, workingSetBytes, program, this.sim);
    this.procs.push(p);
    this.runQ.push(p);
    this.dispatch();
    return p;
  }

  get processes(): readonly GuestProcess[] {
    return this.procs;
  }

  stats(): GuestOsStats {
    let cpu = 0;
    let opNs = 0;
    for (const p of this.procs) {
      cpu += p.cpuNs;
      opNs += p.opNs;
    }
    return {
      processCpuNs: cpu,
      processOpNs: opNs,
      switchNs: this.switchNsTotal,
      switches: this.switchCount,
      timerDeliveryNs: this.timerNs,
      ops: this.opCount,
    };
  }

  // ---- the scheduler ----

  private makeRunnable(p: GuestProcess): void {
    if (p.state !== ProcState.blocked) return;
    p.state = ProcState.runnable;
    this.runQ.push(p);
    this.dispatch();
  }

  private block(p: GuestProcess): void {
    p.state = ProcState.blocked;
    this.current = null;
  }

  private dispatch(): void {
    while (!this.busy) {
      let p = this.current;
      if (p === null) {
        p = this.runQ.shift() ?? null;
        if (p === null) return; // nothing runnable: the vCPU's demand runs out and it blocks
        this.current = p;
        p.state = ProcState.running;
        this.quantumLeftNs = this.quantumNs;
      }
      if (p !== this.lastRan) {
        const prev = this.lastRan;
        this.lastRan = p;
        if (prev !== null) {
          // a process switch: the address-space change flushes the TLB, so queued updates go first
          const cost = Math.round(
            this.pageTable.flush(FlushReason.tlbFlush) + this.contextSwitch.switchCostNs(0, p.id, p.workingSetBytes),
          );
          this.switchCount++;
          this.switchNsTotal += cost;
          if (cost > 0) {
            this.busy = true;
            this.vcpu.runThen(cost, GuestOS.afterSwitch, this);
            return;
          }
        } else {
          this.contextSwitch.switchCostNs(0, p.id, p.workingSetBytes); // the first process: its cache state starts here
        }
      }
      if (!this.advance(p)) continue;
      return;
    }
  }

  private static afterSwitch(os: GuestOS): void {
    os.busy = false;
    os.dispatch();
  }

  /** Runs p's steps until one needs CPU (true: demand issued) or p blocks or exits (false). */
  private advance(p: GuestProcess): boolean {
    while (p.remainingNs === 0) {
      const r = p.program.next();
      if (r.done === true) {
        p.state = ProcState.exited;
        this.current = null;
        p.exited.succeed();
        return false;
      }
      const s = r.value;
      if ('op' in s) {
        const count = s.count ?? 1;
        checkInt(`GuestOS process ${p.name}`, 'count', count, 1);
        if (!Object.hasOwn(GUEST_OPS, s.op))
          throw new RangeError(
            `GuestOS process ${p.name}: op must be one of ${Object.keys(GUEST_OPS).join(', ')}, got ${String(s.op)}`,
          );
        let ns = 0;
        for (let i = 0; i < count; i++) ns += this.profile.opNs(s.op, this.pageTable);
        p.remainingNs = Math.round(ns);
        p.opNs += p.remainingNs;
        p.ops += count;
        this.opCount += count;
      } else if ('computeNs' in s) {
        p.remainingNs = checkInt(`GuestOS process ${p.name}`, 'computeNs', s.computeNs, 0);
      } else if ('sleepNs' in s) {
        checkInt(`GuestOS process ${p.name}`, 'sleepNs', s.sleepNs, 0);
        this.block(p);
        this.vcpu.timerThen(s.sleepNs, GuestOS.timerFires, { os: this, p });
        return false;
      } else if ('wait' in s) {
        if (s.wait.tokens > 0) {
          s.wait.tokens--;
          continue;
        }
        this.block(p);
        s.wait.waiters.push(p);
        return false;
      } else if ('wake' in s) {
        const w = s.wake.waiters.shift();
        if (w === undefined) s.wake.tokens++;
        else this.makeRunnableLater(w);
      } else {
        const ev = this.domain.host.eventChannels;
        if (ev === null)
          throw new RangeError(
            `GuestOS process ${p.name}: waitPort needs event channels attached to the host (host.attachEventChannels), got none`,
          );
        this.block(p);
        ev.wait(this.domain, s.waitPort).addCallback(() => this.makeRunnable(p));
        return false;
      }
    }
    if (this.quantumLeftNs === 0) {
      // quantum used up and more CPU wanted: to the back of the run queue if another process is runnable
      if (this.runQ.length > 0) {
        p.state = ProcState.runnable;
        this.runQ.push(p);
        this.current = null;
        return false;
      }
      this.quantumLeftNs = this.quantumNs;
    }
    const chunk = Math.min(p.remainingNs, this.quantumLeftNs);
    this.chunkNs = chunk;
    this.busy = true;
    this.vcpu.runThen(chunk, GuestOS.afterChunk, this);
    return true;
  }

  /** A wake from inside a running process: the waker keeps the vCPU (no preemption on wake-up). */
  private makeRunnableLater(w: GuestProcess): void {
    w.state = ProcState.runnable;
    this.runQ.push(w);
  }

  private static afterChunk(os: GuestOS): void {
    os.busy = false;
    const p = os.current;
    if (p === null) return;
    const chunk = os.chunkNs;
    p.remainingNs -= chunk;
    p.cpuNs += chunk;
    os.quantumLeftNs -= chunk;
    os.dispatch();
  }

  private static timerFires(a: { os: GuestOS; p: GuestProcess }): void {
    const os = a.os;
    const cost = Math.round(os.profile.params.eventDeliveryNs);
    os.timerNs += cost;
    os.vcpu.runThen(cost, GuestOS.timerDelivered, a, true, 'guest-timer');
  }

  private static timerDelivered(a: { os: GuestOS; p: GuestProcess }): void {
    a.os.makeRunnable(a.p);
  }
}

// Interrupt lines: a device's interrupts routed to physical CPUs, each one run as hypervisor-context
// work there (host.hypervisorWork): a hard handler, then optionally a softirq on the same PCPU.
//
// What it holds: `new InterruptLine(host, { name, handlerNs, softirqNs, routing, cpus })`, and
// `line.raise(extraSoftirqNs?, done?)`, which picks a PCPU by the routing policy, queues the handler
// (kind 'irq') and the softirq work (kind 'softirq': handlerNs's deferred part plus the per-raise
// extra, e.g. per-packet work) there, and calls `done(cpu)` once both have run. Counts per PCPU.
//
// Routing policies (IrqRouting):
//   * 'fixed' — every interrupt goes to one PCPU (the first of `cpus`; default CPU 0, the boot CPU:
//     assumption, the paper does not say where its single-CPU-routed interrupts went).
//   * 'round-robin' — the PCPUs of `cpus` in turn, one interrupt each (balanced, as in the paper's
//     two-CPU runs; the paper does not say how: assumption).
//   * 'least-loaded' — the PCPU with the least hypervisor work outstanding, an idle PCPU before a
//     busy one at equal backlog, then the lowest index (an approximation of the IO-APIC's
//     lowest-priority delivery mode: assumption).
//
// Units: ns, bytes. Defaults: routing 'fixed', cpus = all PCPUs, softirqNs 0, handlerBytes 0 (the bytes
// the hard handler touches, passed to the host as hypervisor work's bytesTouched). handlerNs has no default: the
// device model that creates a line gives its cost and cites it (docs/calibration.md).
import { Deque } from '../../sim/deque.js';
import { checkInt, checkName, checkNumber, checkOneOf } from '../validate.js';
import type { Host } from './host.js';
import { HvWorkKind } from './hypervisor-work.js';

export const IrqRouting = { fixed: 'fixed', roundRobin: 'round-robin', leastLoaded: 'least-loaded' } as const;
export type IrqRouting = (typeof IrqRouting)[keyof typeof IrqRouting];

export interface InterruptLineOptions {
  /** Label (tags of the hypervisor work: `irq:<name>`, `softirq:<name>`). */
  readonly name: string;
  /** CPU cost of the hard interrupt handler, ns. */
  readonly handlerNs: number;
  /** CPU cost of the softirq run after each interrupt, ns (default 0). */
  readonly softirqNs?: number;
  /** Bytes the hard handler touches per interrupt (pollution of the PCPU's caches, host.ts), default 0. */
  readonly handlerBytes?: number;
  /** Routing policy (default 'fixed'). */
  readonly routing?: IrqRouting;
  /** PCPUs the line may be routed to, in order (default all; 'fixed' uses the first). */
  readonly cpus?: readonly number[];
}

/** Completion of one raised interrupt (handler and softirq run): called with the PCPU that ran it. */
export type IrqDone = (cpu: number) => void;

export class InterruptLine {
  readonly host: Host;
  readonly name: string;
  readonly handlerNs: number;
  readonly softirqNs: number;
  readonly handlerBytes: number;
  readonly routing: IrqRouting;
  readonly cpus: readonly number[];
  /** Interrupts raised / completed on each PCPU (index = PCPU). */
  readonly raisedPerCpu: number[];
  readonly completedPerCpu: number[];
  private next = 0;
  /**
   * Per PCPU, the completion callbacks of raised interrupts in raise order: one queue for interrupts that
   * end with their handler, one for those that end with their softirq (hypervisor work of one kind runs
   * FIFO on a PCPU, so each queue completes in order; no allocation per interrupt).
   */
  private readonly doneIrq: Deque<IrqDone | null>[] = [];
  private readonly doneSoft: Deque<IrqDone | null>[] = [];
  private readonly irqTag: string;
  private readonly softTag: string;

  constructor(host: Host, options: InterruptLineOptions) {
    const where = 'InterruptLine';
    this.host = host;
    this.name = checkName(where, 'name', options.name, 64);
    this.handlerNs = checkInt(where, 'handlerNs', options.handlerNs, 0);
    this.softirqNs = checkInt(where, 'softirqNs', options.softirqNs ?? 0, 0);
    this.handlerBytes = checkNumber(where, 'handlerBytes', options.handlerBytes ?? 0, 0, 1e12);
    this.routing = checkOneOf(where, 'routing', options.routing ?? IrqRouting.fixed, IrqRouting);
    const cpus = options.cpus ?? Array.from({ length: host.numCpus }, (_, i) => i);
    if (cpus.length === 0) throw new RangeError(`${where}: cpus must list at least one CPU, got []`);
    for (const c of cpus) checkInt(where, 'cpus[]', c, 0, host.numCpus - 1);
    this.cpus = Object.freeze([...cpus]);
    this.raisedPerCpu = new Array<number>(host.numCpus).fill(0);
    this.completedPerCpu = new Array<number>(host.numCpus).fill(0);
    for (let c = 0; c < host.numCpus; c++) {
      this.doneIrq.push(new Deque<IrqDone | null>(4));
      this.doneSoft.push(new Deque<IrqDone | null>(4));
    }
    this.irqTag = `irq:${this.name}`;
    this.softTag = `softirq:${this.name}`;
  }

  /** The PCPU the next interrupt goes to (advances the round-robin cursor only when raised). */
  route(): number {
    const cs = this.cpus;
    if (this.routing === IrqRouting.fixed) return cs[0] as number;
    if (this.routing === IrqRouting.roundRobin) return cs[this.next % cs.length] as number;
    let best = cs[0] as number;
    let bestLoad = this.host.hypervisorBacklogNs(best);
    let bestIdle = this.host.isIdle(best);
    for (let i = 1; i < cs.length; i++) {
      const c = cs[i] as number;
      const load = this.host.hypervisorBacklogNs(c);
      const idle = this.host.isIdle(c);
      if (
        load < bestLoad ||
        (load === bestLoad && idle && !bestIdle) ||
        (load === bestLoad && idle === bestIdle && c < best)
      ) {
        best = c;
        bestLoad = load;
        bestIdle = idle;
      }
    }
    return best;
  }

  /**
   * Raises one interrupt: the handler (handlerNs) and then the softirq (softirqNs + extraSoftirqNs)
   * run as hypervisor work on the routed PCPU; `done(cpu)` is called when both have run. Returns the PCPU.
   */
  raise(extraSoftirqNs = 0, done: IrqDone | null = null): number {
    if (!(Number.isSafeInteger(extraSoftirqNs) && extraSoftirqNs >= 0))
      checkInt(`InterruptLine ${this.name}: raise`, 'extraSoftirqNs', extraSoftirqNs, 0);
    const cpu = this.route();
    if (this.routing === IrqRouting.roundRobin) this.next++;
    this.raisedPerCpu[cpu] = (this.raisedPerCpu[cpu] as number) + 1;
    const soft = this.softirqNs + extraSoftirqNs;
    const hb = this.handlerBytes;
    if (soft === 0) {
      (this.doneIrq[cpu] as Deque<IrqDone | null>).push(done);
      this.host.hypervisorWorkCb(cpu, this.handlerNs, HvWorkKind.irq, this.irqTag, this.finishIrq, cpu, hb);
    } else {
      (this.doneSoft[cpu] as Deque<IrqDone | null>).push(done);
      this.host.hypervisorWorkCb(cpu, this.handlerNs, HvWorkKind.irq, this.irqTag, noop, null, hb);
      this.host.hypervisorWorkCb(cpu, soft, HvWorkKind.softirq, this.softTag, this.finishSoft, cpu);
    }
    return cpu;
  }

  private readonly finishIrq = (cpu: number): void => this.finish(cpu, this.doneIrq[cpu] as Deque<IrqDone | null>);
  private readonly finishSoft = (cpu: number): void => this.finish(cpu, this.doneSoft[cpu] as Deque<IrqDone | null>);

  private finish(cpu: number, q: Deque<IrqDone | null>): void {
    this.completedPerCpu[cpu] = (this.completedPerCpu[cpu] as number) + 1;
    const done = q.shift() as IrqDone | null;
    if (done !== null) done(cpu);
  }
}

function noop(): void {}

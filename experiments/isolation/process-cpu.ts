// OsProcessCpu: CPU work of a native workload (the database's client, the web server) as processes of a
// guest OS (guest/guest-os.ts), so that the guest's scheduler shares the CPU between them and the fork
// bomb's processes, as one Linux would. Used by the isolation study's native mix (runs.ts). Units: ns.
import { Deque, type Event, type Simulation } from '../../src/sim/index.js';
import type { GuestCpu } from '../../src/models/disk/workloads.js';
import { GuestWaitQueue, type GuestOS, type GuestProgram } from '../../src/models/guest/guest-os.js';
import type { Vcpu } from '../../src/models/host/vcpu.js';
import type { RunThen } from '../../src/models/net/tcp-net.js';

/**
 * CPU work as processes of a guest OS: `processes` processes wait on one queue; each run(ns) (GuestCpu)
 * or non-urgent runThen (the web server's request work) is a burst that one idle process takes, so the
 * guest's scheduler (round robin, 60 ms quantum) shares the CPU between them and the guest's other
 * processes (the fork bomb's). Urgent work (the kernel's TCP path) goes to the vCPU itself, as interrupt
 * context. The wake-up is deferred to a fresh event (an interrupt from outside the guest's processes).
 */
export class OsProcessCpu implements GuestCpu, RunThen {
  private readonly ready = new GuestWaitQueue('ready');
  private readonly jobs = new Deque<{ ns: number; done: () => void }>(16);

  constructor(
    private readonly sim: Simulation,
    private readonly os: GuestOS,
    private readonly vcpu: Vcpu,
    name: string,
    processes = 1,
  ) {
    for (let i = 0; i < processes; i++) os.spawn(`${name}${i}`, this.program());
  }

  run(cpuNs: number): Event<void> {
    const done = this.sim.event<void>();
    this.submit(cpuNs, () => done.succeed());
    return done;
  }

  runThen<T>(cpuNs: number, fn: (arg: T) => void, arg: T, urgent = false, tag: string | null = null): void {
    if (urgent) this.vcpu.runThen(cpuNs, fn, arg, true, tag);
    else this.submit(cpuNs, () => fn(arg));
  }

  private submit(ns: number, done: () => void): void {
    this.jobs.push({ ns: Math.max(0, Math.round(ns)), done });
    this.sim.schedule(0, () => this.os.signal(this.ready));
  }

  private *program(): GuestProgram {
    for (;;) {
      yield { wait: this.ready };
      const job = this.jobs.shift();
      if (job === undefined) continue;
      yield { computeNs: job.ns };
      job.done();
    }
  }
}

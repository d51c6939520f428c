// The fork-bomb antagonist (Paper §4.4's "fork bomb", calibration.ts WORKLOADS) on the guest OS: the
// classic `for (;;) fork();` — every process, parent and child alike, loops for ever: a little user work,
// then a fork. Forks succeed while the guest has fewer than `maxProcesses` bomb processes (the guest
// kernel's per-user process limit, RLIMIT_NPROC); after that every attempt fails at once and the loop
// goes on. So the process count grows to the limit within the first quantum and stays there, and the
// domain's vCPU never blocks: the bomb wants all the CPU it is given, and the guest scheduler spreads it
// over the limit's worth of processes (a process switch every quantum). What it does to other domains is
// the hypervisor scheduler's business (the isolation the paper shows).
// Costs (the guest's profile prices them): a successful fork = the profile's "fork" (lmbench's fork + exit
// + wait: it overstates a fork whose child does not exit by the exit's cost; assumption); a refused fork
// = one kernel entry, a null call (assumption: do_fork checks the limit first and returns EAGAIN).
// Defaults (assumptions): maxProcesses 512; computeNsPerIteration 10 µs (a loop iteration of the program
// around its fork); workingSetBytes 64 KB per process (its stack, data and page tables).
// A new process starts at the instant its fork completes (scheduled, never from inside the parent's
// program). Units: ns, bytes, counts.
import type { GuestOS, GuestProgram } from '../guest/guest-os.js';
import { WORKLOAD_MODEL } from '../calibration.js';
import { checkInt } from '../validate.js';

export const FORK_BOMB_DEFAULTS = {
  maxProcesses: WORKLOAD_MODEL.forkBombMaxProcesses.value,
  computeNsPerIteration: WORKLOAD_MODEL.forkBombComputeNsPerIteration.value,
  workingSetBytes: WORKLOAD_MODEL.forkBombWorkingSetBytes.value,
} as const;

export interface ForkBombOptions {
  /** The guest's process limit, 1 … 100000. Default 512 (assumption). */
  readonly maxProcesses?: number;
  /** User work per loop iteration, ns, 1 … 1e9. Default 10000 (assumption). */
  readonly computeNsPerIteration?: number;
  /** Working set of each process, bytes. Default 65536 (assumption). */
  readonly workingSetBytes?: number;
}

export class ForkBomb {
  readonly maxProcesses: number;
  readonly computeNsPerIteration: number;
  readonly workingSetBytes: number;
  /** Bomb processes alive (the first included). */
  processes = 0;
  /** Forks that created a process. */
  forks = 0;
  /** Forks refused at the process limit. */
  failedForks = 0;
  private os: GuestOS | null = null;

  constructor(options: ForkBombOptions = {}) {
    const where = 'ForkBomb';
    this.maxProcesses = checkInt(
      where,
      'maxProcesses',
      options.maxProcesses ?? FORK_BOMB_DEFAULTS.maxProcesses,
      1,
      100_000,
    );
    this.computeNsPerIteration = checkInt(
      where,
      'computeNsPerIteration',
      options.computeNsPerIteration ?? FORK_BOMB_DEFAULTS.computeNsPerIteration,
      1,
      1e9,
    );
    this.workingSetBytes = checkInt(
      where,
      'workingSetBytes',
      options.workingSetBytes ?? FORK_BOMB_DEFAULTS.workingSetBytes,
      0,
    );
  }

  /** Starts the first bomb process in `os` (once). */
  start(os: GuestOS): void {
    if (this.os !== null) throw new RangeError('ForkBomb.start: already started');
    this.os = os;
    this.processes = 1;
    this.launch(0);
  }

  private launch(i: number): void {
    const os = this.os as GuestOS;
    os.spawn(`bomb${i}`, this.loop(), this.workingSetBytes);
  }

  private *loop(): GuestProgram {
    for (;;) {
      yield { computeNs: this.computeNsPerIteration };
      if (this.processes < this.maxProcesses) {
        const i = this.processes++; // the slot is taken when the fork starts
        yield { op: 'fork' };
        this.forks++;
        (this.os as GuestOS).sim.schedule(0, launchCb, { bomb: this, i });
      } else {
        yield { op: 'nullCall' };
        this.failedForks++;
      }
    }
  }

  /** @internal */
  _launch(i: number): void {
    this.launch(i);
  }
}
function launchCb(a: { readonly bomb: ForkBomb; readonly i: number }): void {
  a.bomb._launch(a.i);
}

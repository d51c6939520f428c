// The native side of the scalability study: the same CPU-bound work as processes of one Linux-like
// kernel on the bare-metal host (src/models/host/bare-metal.ts), with the guest OS of
// src/models/guest/guest-os.ts and the native profile, instead of one domain each under Xen.
//
// Model. The bare-metal host's native kernel has one vCPU per CPU; one GuestOS run queue per CPU
// (GuestOsOptions.vcpuIndex), process i on CPU i mod cpus for ever. ASSUMPTION: Linux 2.4 SMP has one
// global run queue, but goodness() gives a process a bonus on the CPU it last ran on
// (PROC_CHANGE_PENALTY), so CPU-bound processes stay where they are and the two CPUs share them evenly,
// which is what per-CPU queues with a fixed placement give. Each process computes for ever (100 ms
// steps; the guest kernel preempts it after its quantum, GUEST.guestQuantumNs = 60 ms, when another
// process waits); a process switch costs the footprint cache model with the native lat_ctx fit and the
// process's working set. A process whose start is jittered first sleeps (one timer delivery).
// Left out: the 100 Hz tick of each CPU (per CPU, not per process: the same at every process count, so
// it cancels in the throughput relative to one process), load balancing across CPUs.
// Measures over [warmupNs, warmupNs + runLengthNs): the CPU time the processes received (the kernel's
// CPU time minus its process switches and timer deliveries: exact at the window's edges, where a
// process's own counter moves only when a step ends), the CPU fraction spent switching processes, and
// process switches per second.
// Units: ns, bytes.
import { HostMode } from '../../src/models/host/bare-metal.js';
import { Host } from '../../src/models/host/host.js';
import { GuestOS, type GuestProgram } from '../../src/models/guest/guest-os.js';
import { jitteredStartNs, type WindowOptions } from '../../src/kit/index.js';
import { RandomStreams } from '../../src/sim/rng.js';
import { Simulation } from '../../src/sim/simulation.js';

/** The window is [warmupNs, warmupNs + runLengthNs), as MeasurementWindow's. */
export interface NativeCpuBoundParams extends WindowOptions {
  readonly domains: number;
  readonly cpus: number;
  readonly workingSetBytes: number;
  readonly startJitterNs: number;
}

export interface NativeCpuBoundRun {
  /** CPU time the processes received per second of elapsed time (all CPUs). */
  readonly workCpuPerS: number;
  /** Fraction of the CPUs spent switching between processes. */
  readonly switchingFraction: number;
  readonly switchesPerS: number;
  readonly events: number;
}

/** Computation step of a CPU-bound process, ns (bookkeeping only: the quantum preempts it). */
const STEP_NS = 100_000_000;

function* cpuBoundProcess(startNs: number): GuestProgram {
  if (startNs > 0) yield { sleepNs: startNs };
  for (;;) yield { computeNs: STEP_NS };
}

/** Process switches and timer-delivery time of every run queue so far. */
function overheads(oses: readonly GuestOS[]): { switchNs: number; timerNs: number; switches: number } {
  let switchNs = 0;
  let timerNs = 0;
  let switches = 0;
  for (const os of oses) {
    const s = os.stats();
    switchNs += s.switchNs;
    timerNs += s.timerDeliveryNs;
    switches += s.switches;
  }
  return { switchNs, timerNs, switches };
}

/** One run: `domains` CPU-bound processes on native Linux with `cpus` CPUs. */
export function runNativeCpuBound(p: NativeCpuBoundParams, seed: string): NativeCpuBoundRun {
  const sim = new Simulation();
  const host = new Host(sim, { mode: HostMode.bareMetal, cpus: p.cpus });
  const kernel = host.kernel;
  if (kernel === null) throw new Error('scalability: the bare-metal host has no native kernel');
  const streams = new RandomStreams(seed);
  const oses = Array.from({ length: p.cpus }, (_, k) => new GuestOS(kernel, { vcpuIndex: k }));
  for (let i = 0; i < p.domains; i++) {
    const name = `p${i}`;
    const os = oses[i % p.cpus] as GuestOS;
    os.spawn(name, cpuBoundProcess(jitteredStartNs(streams, name, p.startJitterNs)), p.workingSetBytes);
  }
  sim.run(p.warmupNs);
  const busy0 = kernel.busyNs;
  const o0 = overheads(oses);
  sim.run(p.warmupNs + p.runLengthNs);
  host.checkConservation();
  const o1 = overheads(oses);
  const switchNs = o1.switchNs - o0.switchNs;
  const workNs = kernel.busyNs - busy0 - switchNs - (o1.timerNs - o0.timerNs);
  return {
    workCpuPerS: workNs / p.runLengthNs,
    switchingFraction: switchNs / (p.runLengthNs * p.cpus),
    switchesPerS: ((o1.switches - o0.switches) * 1e9) / p.runLengthNs,
    events: sim.eventsProcessed,
  };
}

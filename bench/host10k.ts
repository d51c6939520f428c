// host10k benchmark (issue 8, "Scale"): 10,000 domains on 64 physical CPUs, once under BVT (Xen 1.0
// preset) and once under Credit, reporting simulated events per second of wall time and heap bytes per
// domain. Run by bench/engine.ts (`npm run bench -- --json`, key `host10k`, one sub-entry per
// scheduler) or alone: `node --expose-gc dist/bench/host10k.js [--quick]`.
//
// The scenario (bench values, assumptions chosen to exercise the host, not calibrated):
//   * 20% CPU-bound domains (cpuBoundWorkload, 10 ms chunks) and 80% I/O-waiting ones. An I/O domain
//     blocks until a device raises its event-channel port (channels.raise: no hypercall, a device
//     producer), takes the upcall, computes a burst (exponential, mean 50 µs) and blocks again; the
//     device raises its port again after an exponential think time (mean 20 ms) from the burst's end.
//   * The host's event channels are attached, so the 20 ms timer reaches every domain as VIRQ_TIMER.
//   * Context switches and control operations cost nothing here (the refill model is not what is
//     measured); the host runs 64 PCPUs.
// eventsPerSec = engine events processed / wall seconds of the measured run (best of `reps`);
// bytesPerDomain = heap growth from before the host is built to after a warm-up run (gc'd), per domain
// (needs --expose-gc; without it the figure is noisier).
import { RandomStreams, Simulation, ms, us } from '../src/sim/index.js';
import { BvtScheduler } from '../src/models/cpu/bvt.js';
import { ContextSwitchModel } from '../src/models/cpu/context-switch.js';
import { CreditScheduler } from '../src/models/cpu/credit.js';
import type { CpuScheduler } from '../src/models/cpu/scheduler.js';
import { EventChannels } from '../src/models/events/event-channels.js';
import type { Domain } from '../src/models/host/domain.js';
import { Host } from '../src/models/host/host.js';
import type { Vcpu } from '../src/models/host/vcpu.js';
import { cpuBoundWorkload } from '../src/models/workloads/cpu-burst.js';

export const Host10kScheduler = { bvt: 'bvt', credit: 'credit' } as const;
export type Host10kScheduler = (typeof Host10kScheduler)[keyof typeof Host10kScheduler];

export interface Host10kOptions {
  readonly domains: number;
  readonly cpus: number;
  readonly scheduler: Host10kScheduler;
  readonly seed?: number;
}

/** One built scenario: run it with `sim.run(untilNs)`. */
export interface Host10kScenario {
  readonly sim: Simulation;
  readonly host: Host;
  readonly channels: EventChannels;
  /** I/O wake-ups delivered (handler runs) so far. */
  wakeups(): number;
}

interface IoDomain {
  readonly dom: Domain;
  readonly vcpu: Vcpu;
  port: number;
  readonly ctx: Ctx;
}
interface Ctx {
  readonly sim: Simulation;
  readonly channels: EventChannels;
  readonly think: () => number;
  readonly burst: () => number;
  wakeups: number;
}

function raiseIo(io: IoDomain): void {
  io.ctx.channels.raise(io.dom, io.port);
}
function burstDone(io: IoDomain): void {
  io.ctx.sim.schedule(io.ctx.think(), raiseIo, io);
}

/** Builds the scenario (domains created at time 0, I/O domains' first raise after a think time). */
export function buildHost10k(o: Host10kOptions): Host10kScenario {
  const sim = new Simulation();
  const scheduler: CpuScheduler = o.scheduler === Host10kScheduler.bvt ? new BvtScheduler({ variant: 'xen1' }) : new CreditScheduler();
  const host = new Host(sim, {
    cpus: o.cpus,
    scheduler,
    contextSwitch: ContextSwitchModel.free(),
    controlCosts: { createDomainCostNs: 0, destroyDomainCostNs: 0, setSchedParamsCostNs: 0, setMemoryTargetCostNs: 0, attachDeviceCostNs: 0 },
  });
  const channels = new EventChannels(host);
  host.attachEventChannels(channels);
  const rng = new RandomStreams(o.seed ?? 1).stream('host10k');
  const ctx: Ctx = {
    sim,
    channels,
    think: () => Math.round(rng.exponential(ms(20))),
    burst: () => 1 + Math.round(rng.exponential(us(50))),
    wakeups: 0,
  };
  const cpuBound = Math.round(o.domains * 0.2);
  for (let i = 0; i < o.domains; i++) {
    const d = host.control.createDomain({ name: i < cpuBound ? `hog${i}` : `io${i}` });
    if (i < cpuBound) {
      cpuBoundWorkload(d, { chunkNs: ms(10) });
      continue;
    }
    const io: IoDomain = { dom: d, vcpu: d.vcpus[0] as Vcpu, port: 0, ctx };
    io.port = channels.bindDevice(d, noop);
    channels.onEvent(d, io.port, () => {
      ctx.wakeups++;
      io.vcpu.run(ctx.burst()).addCallback(() => burstDone(io));
    });
    sim.schedule(ctx.think(), raiseIo, io);
  }
  return { sim, host, channels, wakeups: () => ctx.wakeups };
}

function noop(): void {}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) g();
}

export interface Host10kResult {
  readonly eventsPerSec: number;
  readonly bytesPerDomain: number;
  readonly domains: number;
  readonly cpus: number;
  readonly simulatedMs: number;
  readonly events: number;
  readonly wakeupsPerSimSec: number;
}

/** Builds, warms up (50 ms simulated) and measures `measureMs` of simulated time, best of `reps`. */
export function measureHost10k(o: Host10kOptions, measureMs: number, reps: number): Host10kResult {
  let best = 0;
  let bytes = Infinity;
  let events = 0;
  let wake = 0;
  for (let r = 0; r < reps; r++) {
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const sc = buildHost10k(o);
    sc.sim.run(ms(50));
    gc();
    bytes = Math.min(bytes, (process.memoryUsage().heapUsed - heap0) / o.domains);
    const e0 = sc.sim.eventsProcessed;
    const w0 = sc.wakeups();
    const t0 = performance.now();
    sc.sim.run(ms(50 + measureMs));
    const t1 = performance.now();
    const n = sc.sim.eventsProcessed - e0;
    const rate = (n / (t1 - t0)) * 1000;
    if (rate > best) {
      best = rate;
      events = n;
      wake = ((sc.wakeups() - w0) / measureMs) * 1000;
    }
    sc.host.checkConservation();
  }
  return { eventsPerSec: best, bytesPerDomain: bytes, domains: o.domains, cpus: o.cpus, simulatedMs: measureMs, events, wakeupsPerSimSec: wake };
}

/** The bench entry: both schedulers at full size (or a tenth with scale 0.1). */
export function host10k(scale: number): Record<Host10kScheduler, Host10kResult> {
  const domains = Math.max(100, Math.round(10_000 * scale));
  const measureMs = scale < 1 ? 20 : 100;
  const reps = scale < 1 ? 1 : 2;
  return {
    bvt: measureHost10k({ domains, cpus: 64, scheduler: Host10kScheduler.bvt }, measureMs, reps),
    credit: measureHost10k({ domains, cpus: 64, scheduler: Host10kScheduler.credit }, measureMs, reps),
  };
}

if (process.argv[1] !== undefined && /host10k\.js$/.test(process.argv[1])) {
  const r = host10k(process.argv.includes('--quick') ? 0.1 : 1);
  console.log(JSON.stringify(r));
}

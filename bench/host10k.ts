// host10k benchmark (issue 8, "Scale"): 10,000 domains on 64 physical CPUs, once under BVT (Xen 1.0
// preset) and once under Credit, reporting simulated events per second of wall time and heap bytes per
// domain. Run by bench/engine.ts (`npm run bench -- --json`, key `host10k`, one sub-entry per
// scheduler) or alone: `node --expose-gc dist/bench/host10k.js [--quick]`.
//
// The scenario (bench values, assumptions chosen to exercise the host, not calibrated):
//   * 1% CPU-bound domains (cpuBoundWorkload, 10 ms chunks: 100 hogs keep the 64 PCPUs busy) and
//     99% I/O-waiting ones. An I/O domain
//     blocks until a device raises its event-channel port (channels.raise: no hypercall, a device
//     producer), takes the upcall, computes a burst (exponential, mean 50 µs) and blocks again; the
//     device raises its port again after an exponential think time (mean 20 ms) from the burst's end.
//   * The host's event channels are attached, so the 20 ms timer reaches every domain as VIRQ_TIMER.
//   * Context switches and control operations cost nothing here (the refill model is not what is
//     measured); the host runs 64 PCPUs.
// eventsPerSec = engine events processed / wall seconds, best of 3 consecutive measured windows after
// a 50 ms warm-up (eventsPerCpuSec: the same events per CPU second of the process, a steadier figure on
// a shared machine); bytesPerDomain = heap growth from before the host is built to after the warm-up
// (gc'd), per domain (needs --expose-gc; without it the figure is noisier).
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

/** Share of CPU-bound domains (bench value): 100 of 10,000 keep the 64 PCPUs saturated. */
const CPU_BOUND_SHARE = 0.01;

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
  const scheduler: CpuScheduler =
    o.scheduler === Host10kScheduler.bvt ? new BvtScheduler({ variant: 'xen1' }) : new CreditScheduler();
  const host = new Host(sim, {
    cpus: o.cpus,
    scheduler,
    contextSwitch: ContextSwitchModel.free(),
    controlCosts: {
      createDomainCostNs: 0,
      destroyDomainCostNs: 0,
      setSchedParamsCostNs: 0,
      setMemoryTargetCostNs: 0,
      attachDeviceCostNs: 0,
    },
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
  const cpuBound = Math.round(o.domains * CPU_BOUND_SHARE);
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
      io.vcpu.runThen(ctx.burst(), burstDone, io);
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
  /** Engine events per second of wall time (best window). */
  readonly eventsPerSec: number;
  /** Engine events per second of this process's CPU time (user + system) in the same window. */
  readonly eventsPerCpuSec: number;
  readonly bytesPerDomain: number;
  readonly domains: number;
  readonly cpus: number;
  /** Simulated length of each measured window, ms. */
  readonly windowMs: number;
  /** Events in the best window. */
  readonly events: number;
  /** I/O wake-ups (handler runs) per simulated second over all windows. */
  readonly wakeupsPerSimSec: number;
}

/**
 * Builds the scenario once, warms it up (50 ms simulated), takes the heap growth per domain, then runs
 * `windows` consecutive windows of `windowMs` simulated ms and keeps the fastest.
 */
export function measureHost10k(o: Host10kOptions, windowMs: number, windows: number): Host10kResult {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const sc = buildHost10k(o);
  sc.sim.run(ms(50));
  gc();
  const bytes = (process.memoryUsage().heapUsed - heap0) / o.domains;
  let best = 0;
  let bestCpu = 0;
  let events = 0;
  const w0 = sc.wakeups();
  let t = ms(50);
  for (let r = 0; r < windows; r++) {
    const e0 = sc.sim.eventsProcessed;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    t += ms(windowMs);
    sc.sim.run(t);
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    const n = sc.sim.eventsProcessed - e0;
    const rate = (n / (t1 - t0)) * 1000;
    if (rate > best) {
      best = rate;
      events = n;
      bestCpu = (n / (c.user + c.system)) * 1e6;
    }
  }
  const wake = ((sc.wakeups() - w0) / (windowMs * windows)) * 1000;
  sc.host.checkConservation();
  return {
    eventsPerSec: best,
    eventsPerCpuSec: bestCpu,
    bytesPerDomain: bytes,
    domains: o.domains,
    cpus: o.cpus,
    windowMs,
    events,
    wakeupsPerSimSec: wake,
  };
}

/** The bench entry: both schedulers at full size (or a tenth with scale 0.1). */
export function host10k(scale: number): Record<Host10kScheduler, Host10kResult> {
  const domains = Math.max(100, Math.round(10_000 * scale));
  const windowMs = scale < 1 ? 20 : 50;
  const windows = 3;
  return {
    bvt: measureHost10k({ domains, cpus: 64, scheduler: Host10kScheduler.bvt }, windowMs, windows),
    credit: measureHost10k({ domains, cpus: 64, scheduler: Host10kScheduler.credit }, windowMs, windows),
  };
}

if (process.argv[1] !== undefined && /host10k\.js$/.test(process.argv[1])) {
  const r = host10k(process.argv.includes('--quick') ? 0.1 : 1);
  console.log(JSON.stringify(r));
}

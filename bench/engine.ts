// Engine benchmark (`npm run bench`, `npm run bench -- --json`). Measures, each in its own process after a
// warm-up, simulated events per second of wall time:
// - hold1k / hold1m: the classic hold model (each event's handler schedules one new event at
//   now + Exp(1 µs)) with 1,000 and 1,000,000 pending events through the callback API, and the same
//   model on a minimal flat typed-array binary heap of (time, seq) with handler ids written here,
//   as the baseline; ratio = ours / baseline.
// - timeouts1k / timeouts100k: K generator processes each waiting N/K timeouts of Exp(1 µs);
//   bytesPerProcess = heap growth per live, suspended process (needs --expose-gc, set by npm run bench).
// - mm1: arrivals λ = 0.8, service μ = 1 (per µs), one Resource, one process per customer; baseline:
//   the same two generators over a minimal hand-written engine (a binary heap of wake-ups, a FIFO of
//   zero-delay resumptions, a one-unit server, no checks); ratio = ours / baseline.
// - pingpong: two processes exchanging messages through two Stores with zero delay; baseline: the
//   same two generators over a minimal hand-written engine (a plain FIFO of resumptions, one object
//   per waiting get, a shared completed put, no checks), the floor of generator-based processes
//   (two generator resumptions per message); ratio = ours / baseline.
// - ttcp: one bulk TCP stream through a VIF, the VFR and the NIC at 1 Gb/s (bench/ttcp.ts): simulated
//   seconds and packets per second of wall time.
// Delays are drawn in advance into a table (from a named Rng stream) so the RNG's cost does not
// dilute the comparison; both sides of each ratio use the same table.
//
// Noise (this is a shared virtual machine, and a JIT):
// - Each benchmark runs in a fresh child process (as JMH forks), so the type feedback the JIT gathered
//   on one workload does not slow the next: run in one process after the hold and timeout benches,
//   pingpong measured 10–15% lower than alone, and the figures depended on the order of the list.
//   `--in-process` runs the list in this process instead.
// - A neighbour on the host slows memory-bound code by up to 40% for seconds at a time (a pure ALU
//   loop barely notices), and both sides of a comparison alike. A machine probe tells those phases
//   apart: the mm1 baseline below on 100,000 customers (best of 2, ~40 ms), whose best figure over
//   the whole run (the parent passes the best so far to each child) is the machine's calm speed.
// - The paired figures (hold, mm1, pingpong) take (probe, baseline, ours) triples after a warm-up,
//   until MIN_CALM_PAIRS triples had a probe of at least PAIR_CALM_FRACTION of the calm speed, at
//   most MAX_PAIRS, and report the best of ours and of the baseline. The output says how many were
//   taken while the machine was slowed; the JSON holds `pairs` and `slowedPairs`.
// - Every child also times the probe when it starts (after a warm-up) and when it ends, and reports
//   the lower of the two. A child whose probe ran below PROBE_CALM_FRACTION of the best probe of the
//   run, or a paired child that never got MIN_CALM_PAIRS calm pairs, is run again once the list is
//   done (at most MAX_RERUNS more times); the run with calm pairs, then the faster probe, is kept. The
//   output marks each rerun; the JSON holds `probes` and `reruns` by benchmark.
// No test asserts on these numbers; they are reported (see README, "Performance").
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Resource, Simulation, Store, type ProcessGenerator } from '../src/sim/index.js';
import { RandomStreams } from '../src/sim/rng.js';
import { host10k } from './host10k.js';
import { diskBench } from './disk.js';
import { ttcpBench } from './ttcp.js';

const JSON_MODE = process.argv.includes('--json');
const QUICK = process.argv.includes('--quick');
const IN_PROCESS = process.argv.includes('--in-process');
/** `--only name[,name]` runs a subset (hold1k, hold1m, timeouts1k, timeouts100k, mm1, pingpong, host10k, disk, ttcp). */
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : null;
const wanted = (name: string): boolean => ONLY === null || ONLY.has(name);
const log = (s: string): void => {
  if (!JSON_MODE) console.log(s);
};
const scale = QUICK ? 0.1 : 1;

const TABLE_SIZE = 1 << 20;
const TABLE_MASK = TABLE_SIZE - 1;
const streams = new RandomStreams('bench');
const expTable = new Float64Array(TABLE_SIZE);
{
  const r = streams.stream('exp');
  for (let i = 0; i < TABLE_SIZE; i++) expTable[i] = Math.round(r.exponential(1000)); // mean 1 µs in ns
}
const arrivalTable = new Float64Array(TABLE_SIZE);
const serviceTable = new Float64Array(TABLE_SIZE);
{
  const r = streams.stream('mm1');
  for (let i = 0; i < TABLE_SIZE; i++) {
    arrivalTable[i] = Math.round(r.exponential(1000 / 0.8));
    serviceTable[i] = Math.round(r.exponential(1000));
  }
}

/** A pair counts as calm when its probe ran at least this fraction of the machine's calm speed. */
const PAIR_CALM_FRACTION = 0.85;
const MIN_CALM_PAIRS = 3;
const MAX_PAIRS = 8;
/** Reruns of a slowed child (none under --quick, which only checks that the benchmarks work). */
const MAX_RERUNS = QUICK ? 0 : 2;
/**
 * A child is rerun when its probe ran below this fraction of the best probe of the run:
 * it varies by ±10–15% between processes on this shared VM, a slowed machine takes 30–40% off it.
 */
const PROBE_CALM_FRACTION = 0.75;

/** `--probe-ref X`: the best probe of the run so far (customers/s), passed by the parent to a child. */
const probeRefArg = process.argv.indexOf('--probe-ref');
const PROBE_REF = probeRefArg >= 0 ? Number(process.argv[probeRefArg + 1]) || 0 : 0;
/** The best probe of this process. */
let probeBest = 0;
/** The machine's calm speed as known so far (customers/s of the probe). */
const calmSpeed = (): number => Math.max(PROBE_REF, probeBest);

/** One probe (see header): customers/s of the mm1 baseline, best of 2 runs of 100,000 customers. */
function probeOnce(): number {
  const v = Math.max(mm1Baseline(100_000), mm1Baseline(100_000));
  probeBest = Math.max(probeBest, v);
  return v;
}

/** The probe as a child starts: after a warm-up (the first run includes the JIT's compilation). */
function startProbe(): number {
  mm1Baseline(200_000);
  return Math.max(probeOnce(), probeOnce());
}

/** The JSON record of a paired benchmark: ours and the baseline under their names, ratio, pairs. */
type PairedRecord<O extends string, B extends string> = Record<O | B, number> & {
  ratio: number;
  pairs: number;
  /** Pairs whose probe ran below PAIR_CALM_FRACTION of the calm speed (machine slowed). */
  slowedPairs: number;
};

/**
 * (probe, baseline, ours) triples until MIN_CALM_PAIRS are calm or MAX_PAIRS were taken (see header);
 * the record holds the best of ours and the best of the baseline under their names.
 */
function pairedRecord<O extends string, B extends string>(
  oursKey: O,
  baseKey: B,
  base: () => number,
  ours: () => number,
): PairedRecord<O, B> {
  const p: number[] = [];
  const b: number[] = [];
  const o: number[] = [];
  for (;;) {
    p.push(probeOnce());
    b.push(base());
    o.push(ours());
    const calm = p.filter((x) => x >= PAIR_CALM_FRACTION * calmSpeed()).length;
    if (calm >= MIN_CALM_PAIRS || p.length >= MAX_PAIRS) {
      const best = Math.max(...o);
      const bestBase = Math.max(...b);
      return {
        [oursKey]: best,
        [baseKey]: bestBase,
        ratio: best / bestBase,
        pairs: p.length,
        slowedPairs: p.length - calm,
      } as PairedRecord<O, B>;
    }
  }
}

/** False for a paired benchmark's record that never got MIN_CALM_PAIRS calm pairs (see header). */
function pairsCalm(rec: unknown): boolean {
  const r = rec as { pairs?: unknown; slowedPairs?: unknown };
  if (typeof r.pairs !== 'number' || typeof r.slowedPairs !== 'number') return true;
  return r.pairs - r.slowedPairs >= MIN_CALM_PAIRS;
}

function nowMs(): number {
  return performance.now();
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) g();
}

// ---------------- hold model: ours ----------------
function holdOurs(pending: number, events: number): number {
  const sim = new Simulation({ queueCapacity: pending + 16 });
  let k = 0;
  let count = 0;
  let target = 0;
  const handler = (): void => {
    sim.schedule(expTable[k++ & TABLE_MASK] as number, handler);
    if (++count === target) sim.stop();
  };
  for (let i = 0; i < pending; i++) sim.schedule(expTable[k++ & TABLE_MASK] as number, handler);
  target = Math.max(pending, 200_000); // warm-up
  sim.run();
  count = 0;
  target = events;
  const t0 = nowMs();
  sim.run();
  const t1 = nowMs();
  return (events / (t1 - t0)) * 1000;
}

// ---------------- hold model: baseline minimal binary heap ----------------
class BaselineHeap {
  t: Float64Array;
  q: Float64Array;
  h: Int32Array;
  n = 0;
  seq = 0;
  constructor(cap: number) {
    this.t = new Float64Array(cap);
    this.q = new Float64Array(cap);
    this.h = new Int32Array(cap);
  }
  push(time: number, handler: number): void {
    let i = this.n++;
    const s = this.seq++;
    const t = this.t;
    const q = this.q;
    const h = this.h;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = t[p] as number;
      if (time < pt || (time === pt && s < (q[p] as number))) {
        t[i] = pt;
        q[i] = q[p] as number;
        h[i] = h[p] as number;
        i = p;
      } else break;
    }
    t[i] = time;
    q[i] = s;
    h[i] = handler;
  }
  /** pops the top into (topTime, topHandler) */
  topTime = 0;
  topHandler = 0;
  pop(): void {
    const t = this.t;
    const q = this.q;
    const h = this.h;
    this.topTime = t[0] as number;
    this.topHandler = h[0] as number;
    const n = --this.n;
    const lt = t[n] as number;
    const lq = q[n] as number;
    const lh = h[n] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (
        r < n &&
        ((t[r] as number) < (t[c] as number) ||
          ((t[r] as number) === (t[c] as number) && (q[r] as number) < (q[c] as number)))
      )
        c = r;
      const ct = t[c] as number;
      if (ct < lt || (ct === lt && (q[c] as number) < lq)) {
        t[i] = ct;
        q[i] = q[c] as number;
        h[i] = h[c] as number;
        i = c;
      } else break;
    }
    t[i] = lt;
    q[i] = lq;
    h[i] = lh;
  }
}

function holdBaseline(pending: number, events: number): number {
  const heap = new BaselineHeap(pending + 16);
  let now = 0;
  let k = 0;
  const handlers: (() => void)[] = [];
  handlers.push(() => heap.push(now + (expTable[k++ & TABLE_MASK] as number), 0));
  const runN = (n: number): void => {
    for (let i = 0; i < n; i++) {
      heap.pop();
      now = heap.topTime;
      (handlers[heap.topHandler] as () => void)();
    }
  };
  for (let i = 0; i < pending; i++) heap.push(now + (expTable[k++ & TABLE_MASK] as number), 0);
  runN(Math.max(pending, 200_000));
  const t0 = nowMs();
  runN(events);
  const t1 = nowMs();
  return (events / (t1 - t0)) * 1000;
}

// ---------------- timeouts with K processes ----------------
function timeouts(k: number, total: number): { timeoutsPerSec: number; bytesPerProcess: number } {
  const per = Math.max(1, Math.floor(total / k));
  const run = (measure: boolean): { rate: number; bytes: number } => {
    const sim = new Simulation({ queueCapacity: k + 16 });
    let idx = 0;
    function* body(): ProcessGenerator {
      for (let i = 0; i < per; i++) yield sim.sleep(expTable[idx++ & TABLE_MASK] as number);
    }
    gc();
    const h0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < k; i++) sim.process(body());
    sim.run(1); // every process started and suspended at its first timeout
    gc();
    const h1 = process.memoryUsage().heapUsed;
    const t0 = nowMs();
    sim.run();
    const t1 = nowMs();
    return { rate: measure ? ((k * per) / (t1 - t0)) * 1000 : 0, bytes: (h1 - h0) / k };
  };
  run(false);
  let best = { rate: 0, bytes: Infinity };
  for (let i = 0; i < 3; i++) {
    const r = run(true);
    best = { rate: Math.max(best.rate, r.rate), bytes: Math.min(best.bytes, r.bytes) };
  }
  return { timeoutsPerSec: best.rate, bytesPerProcess: best.bytes };
}

// ---------------- M/M/1 with processes and a Resource ----------------
function mm1(customers: number): PairedRecord<'customersPerSec', 'baselineCustomersPerSec'> & { meanWait: number } {
  const go = (n: number): { rate: number; meanWait: number } => {
    const sim = new Simulation();
    const server = new Resource(sim, 1, 'server');
    let ai = 0;
    let si = 0;
    let waitSum = 0;
    let served = 0;
    function* customer(): ProcessGenerator {
      const arrive = sim.now;
      const req = server.request();
      yield req;
      waitSum += sim.now - arrive;
      yield sim.sleep(serviceTable[si++ & TABLE_MASK] as number);
      server.release(req);
      served++;
    }
    function* source(): ProcessGenerator {
      for (let i = 0; i < n; i++) {
        yield sim.sleep(arrivalTable[ai++ & TABLE_MASK] as number);
        sim.process(customer(), 'customer');
      }
    }
    sim.process(source(), 'source');
    const t0 = nowMs();
    sim.run();
    const t1 = nowMs();
    return { rate: (served / (t1 - t0)) * 1000, meanWait: waitSum / served / 1000 };
  };
  go(Math.min(customers, 200_000));
  mm1Baseline(Math.min(customers, 200_000));
  let meanWait = NaN;
  const r = pairedRecord(
    'customersPerSec',
    'baselineCustomersPerSec',
    () => mm1Baseline(customers),
    () => {
      const g = go(customers);
      meanWait = g.meanWait; // identical in every repetition (same delay tables)
      return g.rate;
    },
  );
  return { ...r, meanWait };
}

// ---------------- M/M/1 baseline: minimal generator engine ----------------
// The same customer and source generators over a minimal hand-written engine: a binary heap of timed
// wake-ups (BaselineHeap, keyed by time then insertion) whose handler ids index a table of suspended
// processes, a plain FIFO of zero-delay resumptions (process starts, grants) that runs before the
// heap's entries at later times, a one-unit server with a FIFO of waiting processes, no checks. Same
// event order as the engine: entries at the same time run in insertion order (a heap entry at the
// current time was inserted at an earlier time, so before every FIFO entry).
interface MiniMm1Proc {
  gen: Generator<number, void, unknown>;
}
/** What a mini M/M/1 process yields: a delay in ns (>= 0), or REQUEST for the server. */
const REQUEST = -1;

function mm1Baseline(n: number): number {
  const heap = new BaselineHeap(1024);
  const sleepers: (MiniMm1Proc | null)[] = [];
  const freeIds: number[] = [];
  const ready = new MiniFifo<MiniMm1Proc>();
  const queue = new MiniFifo<MiniMm1Proc>();
  let busy = false;
  let now = 0;
  let ai = 0;
  let si = 0;
  let waitSum = 0;
  let served = 0;
  const step = (p: MiniMm1Proc): void => {
    for (;;) {
      const r = p.gen.next();
      if (r.done === true) return;
      const y = r.value;
      if (y === REQUEST) {
        if (!busy) {
          busy = true;
          continue;
        }
        queue.push(p);
        return;
      }
      const id = freeIds.length > 0 ? (freeIds.pop() as number) : sleepers.length;
      sleepers[id] = p;
      heap.push(now + y, id);
      return;
    }
  };
  const release = (): void => {
    if (queue.length > 0) {
      ready.push(queue.shift()); // the unit passes straight to the next waiter
    } else busy = false;
  };
  function* customer(): Generator<number, void, unknown> {
    const arrive = now;
    yield REQUEST;
    waitSum += now - arrive;
    yield serviceTable[si++ & TABLE_MASK] as number;
    release();
    served++;
  }
  function* source(): Generator<number, void, unknown> {
    for (let i = 0; i < n; i++) {
      yield arrivalTable[ai++ & TABLE_MASK] as number;
      ready.push({ gen: customer() });
    }
  }
  const t0 = nowMs();
  ready.push({ gen: source() });
  for (;;) {
    if (ready.length > 0 && (heap.n === 0 || (heap.t[0] as number) > now)) {
      step(ready.shift());
    } else if (heap.n > 0) {
      heap.pop();
      now = heap.topTime;
      const p = sleepers[heap.topHandler] as MiniMm1Proc;
      sleepers[heap.topHandler] = null;
      freeIds.push(heap.topHandler);
      step(p);
    } else break;
  }
  const t1 = nowMs();
  if (Math.abs(waitSum / served / 1000 - 4) > 0.5)
    throw new Error(`mm1 baseline: mean wait ${waitSum / served / 1000}`);
  return (served / (t1 - t0)) * 1000;
}

// ---------------- ping-pong through two Stores ----------------
function pingpong(messages: number): PairedRecord<'messagesPerSec', 'baselineMessagesPerSec'> {
  const go = (n: number): number => {
    const sim = new Simulation();
    const a = new Store<number>(sim);
    const b = new Store<number>(sim);
    let count = 0;
    function* ping(): ProcessGenerator {
      for (let i = 0; i < n; i++) {
        yield b.put(i);
        yield a.get();
        count++;
      }
    }
    function* pong(): ProcessGenerator {
      for (let i = 0; i < n; i++) {
        const v = (yield b.get()) as number;
        yield a.put(v);
        count++;
      }
    }
    sim.process(ping(), 'ping');
    sim.process(pong(), 'pong');
    const t0 = nowMs();
    sim.run();
    const t1 = nowMs();
    return (count / (t1 - t0)) * 1000;
  };
  go(Math.min(messages, 200_000));
  pingpongBaseline(Math.min(messages, 200_000));
  return pairedRecord(
    'messagesPerSec',
    'baselineMessagesPerSec',
    () => pingpongBaseline(messages),
    () => go(messages),
  );
}

// ---------------- ping-pong baseline: minimal generator engine ----------------
interface MiniEvent {
  done: boolean;
  value: unknown;
  waiter: MiniProc | null;
}
interface MiniProc {
  gen: Generator<MiniEvent, void, unknown>;
}
/**
 * The baselines' FIFO: a fixed ring of MINI_FIFO_SIZE entries, small enough to stay in the L1 cache.
 * Their queues stay short: at most 2 entries in pingpong; in mm1 at ρ = 0.8 a queue of n waiting
 * customers has probability 0.8^n, about 10^-99 at 1,024. An array with push and a periodic splice,
 * used before, ran about 4 times slower in some processes and made the pingpong ratio meaningless.
 */
const MINI_FIFO_SIZE = 1 << 10;
class MiniFifo<T> {
  private readonly buf: (T | null)[] = new Array<T | null>(MINI_FIFO_SIZE).fill(null);
  private head = 0;
  private n = 0;
  get length(): number {
    return this.n;
  }
  push(x: T): void {
    if (this.n === MINI_FIFO_SIZE) throw new Error('bench baseline: FIFO overflow');
    this.buf[(this.head + this.n) & (MINI_FIFO_SIZE - 1)] = x;
    this.n++;
  }
  /** The oldest entry (the caller checks length > 0). */
  shift(): T {
    const x = this.buf[this.head] as T;
    this.buf[this.head] = null;
    this.head = (this.head + 1) & (MINI_FIFO_SIZE - 1);
    this.n--;
    return x;
  }
}
class MiniStore {
  readonly items = new MiniFifo<unknown>();
  readonly getters = new MiniFifo<MiniEvent>();
}

function pingpongBaseline(n: number): number {
  const ready = new MiniFifo<MiniEvent>();
  const donePut: MiniEvent = { done: true, value: undefined, waiter: null };
  const put = (st: MiniStore, x: unknown): MiniEvent => {
    if (st.getters.length > 0) {
      const g = st.getters.shift();
      g.value = x;
      ready.push(g);
    } else st.items.push(x);
    return donePut;
  };
  const get = (st: MiniStore): MiniEvent => {
    const ev: MiniEvent = { done: false, value: undefined, waiter: null };
    if (st.items.length > 0) {
      ev.value = st.items.shift();
      ev.done = true;
    } else st.getters.push(ev);
    return ev;
  };
  const step = (p: MiniProc, value: unknown): void => {
    for (;;) {
      const r = p.gen.next(value);
      if (r.done === true) return;
      const ev = r.value;
      if (ev.done) {
        value = ev.value;
        continue;
      }
      ev.waiter = p;
      return;
    }
  };
  const a = new MiniStore();
  const b = new MiniStore();
  let count = 0;
  function* ping(): Generator<MiniEvent, void, unknown> {
    for (let i = 0; i < n; i++) {
      yield put(b, i);
      yield get(a);
      count++;
    }
  }
  function* pong(): Generator<MiniEvent, void, unknown> {
    for (let i = 0; i < n; i++) {
      const v = yield get(b);
      yield put(a, v);
      count++;
    }
  }
  const t0 = nowMs();
  step({ gen: ping() }, undefined);
  step({ gen: pong() }, undefined);
  while (ready.length > 0) {
    const ev = ready.shift();
    ev.done = true;
    step(ev.waiter as MiniProc, ev.value);
  }
  const t1 = nowMs();
  return (count / (t1 - t0)) * 1000;
}

function fmt(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(2);
}

/** The benchmarks, in the order they run; each returns its JSON record. */
const BENCHES: Record<string, () => unknown> = {
  hold1k: () => holdPair(1_000),
  hold1m: () => holdPair(1_000_000),
  timeouts1k: () => timeouts(1_000, Math.round(3_000_000 * scale)),
  timeouts100k: () => timeouts(100_000, Math.round(3_000_000 * scale)),
  mm1: () => mm1(Math.round(2_000_000 * scale)),
  pingpong: () => pingpong(Math.round(3_000_000 * scale)),
  host10k: () => host10k(scale),
  disk: () => diskBench(scale),
  ttcp: () => ttcpBench(scale),
};

function holdPair(pending: number): PairedRecord<'eventsPerSec', 'baselineEventsPerSec'> {
  const events = Math.round(3_000_000 * scale);
  return pairedRecord(
    'eventsPerSec',
    'baselineEventsPerSec',
    () => holdBaseline(pending, events),
    () => holdOurs(pending, events),
  );
}

/** ", 2 of 5 pairs slowed" when the machine slowed some pairs (see header), else "". */
function slowedNote(r: { pairs: number; slowedPairs: number }): string {
  return r.slowedPairs > 0 ? `   (${r.slowedPairs} of ${r.pairs} pairs slowed by the machine)` : '';
}

/** The lines printed for one benchmark's record. */
function describe(name: string, rec: unknown): string[] {
  switch (name) {
    case 'hold1k':
    case 'hold1m': {
      const r = rec as ReturnType<typeof holdPair>;
      return [
        `${name.padEnd(13)} ${fmt(r.eventsPerSec)} events/s   baseline ${fmt(r.baselineEventsPerSec)}   ratio ${r.ratio.toFixed(2)}${slowedNote(r)}`,
      ];
    }
    case 'timeouts1k':
    case 'timeouts100k': {
      const r = rec as ReturnType<typeof timeouts>;
      return [`${name.padEnd(13)} ${fmt(r.timeoutsPerSec)} timeouts/s   ${r.bytesPerProcess.toFixed(0)} bytes/process`];
    }
    case 'mm1': {
      const r = rec as ReturnType<typeof mm1>;
      return [
        `mm1           ${fmt(r.customersPerSec)} customers/s   baseline ${fmt(r.baselineCustomersPerSec)}   ratio ${r.ratio.toFixed(2)}   mean wait ${r.meanWait.toFixed(3)} (theory 4.000)${slowedNote(r)}`,
      ];
    }
    case 'pingpong': {
      const r = rec as ReturnType<typeof pingpong>;
      return [
        `pingpong      ${fmt(r.messagesPerSec)} messages/s   baseline ${fmt(r.baselineMessagesPerSec)}   ratio ${r.ratio.toFixed(2)}${slowedNote(r)}`,
      ];
    }
    case 'host10k':
      return Object.entries(rec as ReturnType<typeof host10k>).map(
        ([k, v]) =>
          `host10k ${k.padEnd(6)} ${fmt(v.eventsPerSec)} events/s (${fmt(v.eventsPerCpuSec)} per CPU s)   ${v.bytesPerDomain.toFixed(0)} bytes/domain`,
      );
    case 'disk': {
      const r = rec as ReturnType<typeof diskBench>;
      return [
        `disk          ${fmt(r.requestsPerSec)} requests/s (${fmt(r.requestsPerCpuSec)} per CPU s)   ${r.simRequestsPerSimSec.toFixed(0)} simulated requests per simulated s`,
      ];
    }
    case 'ttcp': {
      const r = rec as ReturnType<typeof ttcpBench>;
      return [
        `ttcp          ${r.simSecondsPerWallSecond.toFixed(2)} simulated s per s (${r.simSecondsPerCpuSecond.toFixed(2)} per CPU s)   ${fmt(r.packetsPerSec)} packets/s   ${r.goodputMbps.toFixed(0)} Mb/s simulated`,
      ];
    }
    default:
      return [];
  }
}

interface ChildRun {
  readonly rec: unknown;
  /** The child's probe: the lower of the one at its start and the one at its end. */
  readonly probe: number;
}

/** Runs one benchmark in a fresh child process (same node flags): its record and machine probe. */
function runInChild(name: string, probeRef: number): ChildRun {
  const args = [
    ...process.execArgv,
    fileURLToPath(import.meta.url),
    '--in-process',
    '--json',
    '--only',
    name,
    '--probe-ref',
    String(probeRef),
    ...(QUICK ? ['--quick'] : []),
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    console.error(`bench: benchmark '${name}' failed in its child process (exit ${String(r.status ?? r.signal)})`);
    process.exit(1);
  }
  const last = r.stdout.trim().split('\n').pop() ?? '';
  const json = JSON.parse(last) as Record<string, unknown>;
  return { rec: json[name], probe: json['probe'] as number };
}

/** Runs every benchmark in its own child, then reruns those whose machine probe was slow (see header). */
function runForked(names: readonly string[]): { runs: ChildRun[]; reruns: number[] } {
  const runs: ChildRun[] = [];
  const best = (): number => Math.max(0, ...runs.map((r) => r.probe));
  for (const name of names) {
    if (!JSON_MODE) process.stderr.write(`  running ${name}…\n`);
    runs.push(runInChild(name, best()));
  }
  const reruns = names.map(() => 0);
  for (let round = 0; round < MAX_RERUNS; round++) {
    const slow = runs.flatMap((r, i) => (r.probe < PROBE_CALM_FRACTION * best() || !pairsCalm(r.rec) ? [i] : []));
    if (slow.length === 0) break;
    for (const i of slow) {
      const name = names[i] as string;
      if (!JSON_MODE) process.stderr.write(`  running ${name} again (the machine ran slow during it)…\n`);
      const again = runInChild(name, best());
      reruns[i] = (reruns[i] as number) + 1;
      const prev = runs[i] as ChildRun;
      // keep a run whose pairs were calm, then the faster probe
      const calmAgain = pairsCalm(again.rec);
      if ((calmAgain && !pairsCalm(prev.rec)) || (calmAgain === pairsCalm(prev.rec) && again.probe > prev.probe)) {
        runs[i] = again;
      }
    }
  }
  return { runs, reruns };
}

function main(): void {
  const unknown = ONLY === null ? [] : [...ONLY].filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    console.error(
      `bench: --only: unknown benchmark '${unknown.join(',')}'; allowed: ${Object.keys(BENCHES).join(', ')}`,
    );
    process.exit(2);
  }
  const names = Object.keys(BENCHES).filter(wanted);
  const forked = !IN_PROCESS;
  log(
    `hvsim engine benchmark (node ${process.version}${QUICK ? ', --quick' : ''}${forked ? ', one process per benchmark' : ', in one process'})`,
  );
  const out: Record<string, unknown> = { node: process.version };
  if (forked) {
    const { runs, reruns } = runForked(names);
    const probes: Record<string, number> = {};
    const rerunCounts: Record<string, number> = {};
    out['probes'] = probes;
    out['reruns'] = rerunCounts;
    names.forEach((name, i) => {
      const run = runs[i] as ChildRun;
      const n = reruns[i] as number;
      out[name] = run.rec;
      probes[name] = run.probe;
      rerunCounts[name] = n;
      const note = n > 0 ? `   (run ${n + 1} times: the machine ran slow)` : '';
      describe(name, run.rec).forEach((line, j) => log(j === 0 ? line + note : line));
    });
  } else {
    // a child (or --in-process): the probe runs first and last (see header)
    const start = startProbe();
    for (const name of names) {
      const rec = (BENCHES[name] as () => unknown)();
      out[name] = rec;
      for (const line of describe(name, rec)) log(line);
    }
    out['probe'] = Math.min(start, Math.max(probeOnce(), probeOnce()));
  }
  if (JSON_MODE) console.log(JSON.stringify(out));
}

main();

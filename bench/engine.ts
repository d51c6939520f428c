// Engine benchmark (`npm run bench`, `npm run bench -- --json`). Measures, in one process and after a
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
// dilute the comparison; both sides of each ratio use the same table. Every figure is the best of
// 3 measured repetitions after a warm-up, which damps the noise of a shared virtual machine.
// No test asserts on these numbers; they are reported (see README, "Performance").
import { Resource, Simulation, Store, type ProcessGenerator } from '../src/sim/index.js';
import { RandomStreams } from '../src/sim/rng.js';
import { host10k } from './host10k.js';
import { diskBench } from './disk.js';
import { ttcpBench } from './ttcp.js';

const JSON_MODE = process.argv.includes('--json');
const QUICK = process.argv.includes('--quick');
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
function mm1(customers: number): {
  customersPerSec: number;
  meanWait: number;
  baselineCustomersPerSec: number;
  ratio: number;
} {
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
  // interleave ours and baseline, best of 3 each (as the hold pair)
  let rate = 0;
  let base = 0;
  let meanWait = NaN;
  for (let i = 0; i < 3; i++) {
    base = Math.max(base, mm1Baseline(customers));
    const r = go(customers);
    rate = Math.max(rate, r.rate);
    meanWait = r.meanWait; // identical in every repetition (same delay tables)
  }
  return { customersPerSec: rate, meanWait, baselineCustomersPerSec: base, ratio: rate / base };
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
  const ready: MiniMm1Proc[] = [];
  let rHead = 0;
  const queue: MiniMm1Proc[] = [];
  let qHead = 0;
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
    if (qHead < queue.length) {
      ready.push(queue[qHead++] as MiniMm1Proc); // the unit passes straight to the next waiter
      if (qHead >= 4096) {
        queue.splice(0, qHead);
        qHead = 0;
      }
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
    if (rHead < ready.length && (heap.n === 0 || (heap.t[0] as number) > now)) {
      step(ready[rHead++] as MiniMm1Proc);
      if (rHead >= 4096) {
        ready.splice(0, rHead);
        rHead = 0;
      }
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
function pingpong(messages: number): { messagesPerSec: number; baselineMessagesPerSec: number; ratio: number } {
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
  // interleave ours and baseline, best of 3 each (as the hold pair)
  let ours = 0;
  let base = 0;
  for (let i = 0; i < 3; i++) {
    base = Math.max(base, pingpongBaseline(messages));
    ours = Math.max(ours, go(messages));
  }
  return { messagesPerSec: ours, baselineMessagesPerSec: base, ratio: ours / base };
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
class MiniStore {
  readonly items: unknown[] = [];
  head = 0;
  readonly getters: MiniEvent[] = [];
  gHead = 0;
}

function pingpongBaseline(n: number): number {
  const ready: MiniEvent[] = [];
  let rHead = 0;
  const donePut: MiniEvent = { done: true, value: undefined, waiter: null };
  const put = (st: MiniStore, x: unknown): MiniEvent => {
    if (st.gHead < st.getters.length) {
      const g = st.getters[st.gHead++] as MiniEvent;
      g.value = x;
      ready.push(g);
    } else st.items.push(x);
    return donePut;
  };
  const get = (st: MiniStore): MiniEvent => {
    const ev: MiniEvent = { done: false, value: undefined, waiter: null };
    if (st.head < st.items.length) {
      ev.value = st.items[st.head++];
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
  while (rHead < ready.length) {
    const ev = ready[rHead++] as MiniEvent;
    ev.done = true;
    step(ev.waiter as MiniProc, ev.value);
    if (rHead >= 4096) {
      // drop the consumed prefixes (of the FIFO and of the stores' getter lists) now and then
      ready.splice(0, rHead);
      rHead = 0;
      for (const st of [a, b]) {
        st.getters.splice(0, st.gHead);
        st.gHead = 0;
      }
    }
  }
  const t1 = nowMs();
  return (count / (t1 - t0)) * 1000;
}

function fmt(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(2);
}

function main(): void {
  const holdEvents = Math.round(3_000_000 * scale);
  log(`hvsim engine benchmark (node ${process.version}${QUICK ? ', --quick' : ''})`);
  const holdPair = (
    pending: number,
    events: number,
  ): { eventsPerSec: number; baselineEventsPerSec: number; ratio: number } => {
    // interleave ours and baseline, take the best of 3 each, to damp noise from other processes
    let ours = 0;
    let base = 0;
    for (let i = 0; i < 3; i++) {
      base = Math.max(base, holdBaseline(pending, events));
      ours = Math.max(ours, holdOurs(pending, events));
    }
    return { eventsPerSec: ours, baselineEventsPerSec: base, ratio: ours / base };
  };
  const out: Record<string, unknown> = { node: process.version };
  if (wanted('hold1k')) {
    const r = holdPair(1_000, holdEvents);
    out['hold1k'] = r;
    log(
      `hold1k        ${fmt(r.eventsPerSec)} events/s   baseline ${fmt(r.baselineEventsPerSec)}   ratio ${r.ratio.toFixed(2)}`,
    );
  }
  if (wanted('hold1m')) {
    const r = holdPair(1_000_000, holdEvents);
    out['hold1m'] = r;
    log(
      `hold1m        ${fmt(r.eventsPerSec)} events/s   baseline ${fmt(r.baselineEventsPerSec)}   ratio ${r.ratio.toFixed(2)}`,
    );
  }
  if (wanted('timeouts1k')) {
    const r = timeouts(1_000, Math.round(3_000_000 * scale));
    out['timeouts1k'] = r;
    log(`timeouts1k    ${fmt(r.timeoutsPerSec)} timeouts/s   ${r.bytesPerProcess.toFixed(0)} bytes/process`);
  }
  if (wanted('timeouts100k')) {
    const r = timeouts(100_000, Math.round(3_000_000 * scale));
    out['timeouts100k'] = r;
    log(`timeouts100k  ${fmt(r.timeoutsPerSec)} timeouts/s   ${r.bytesPerProcess.toFixed(0)} bytes/process`);
  }
  if (wanted('mm1')) {
    const r = mm1(Math.round(2_000_000 * scale));
    out['mm1'] = r;
    log(
      `mm1           ${fmt(r.customersPerSec)} customers/s   baseline ${fmt(r.baselineCustomersPerSec)}   ratio ${r.ratio.toFixed(2)}   mean wait ${r.meanWait.toFixed(3)} (theory 4.000)`,
    );
  }
  if (wanted('pingpong')) {
    const r = pingpong(Math.round(3_000_000 * scale));
    out['pingpong'] = r;
    log(
      `pingpong      ${fmt(r.messagesPerSec)} messages/s   baseline ${fmt(r.baselineMessagesPerSec)}   ratio ${r.ratio.toFixed(2)}`,
    );
  }
  if (wanted('host10k')) {
    const r = host10k(scale);
    out['host10k'] = r;
    for (const [k, v] of Object.entries(r))
      log(
        `host10k ${k.padEnd(6)} ${fmt(v.eventsPerSec)} events/s (${fmt(v.eventsPerCpuSec)} per CPU s)   ${v.bytesPerDomain.toFixed(0)} bytes/domain`,
      );
  }
  if (wanted('disk')) {
    const r = diskBench(scale);
    out['disk'] = r;
    log(
      `disk          ${fmt(r.requestsPerSec)} requests/s (${fmt(r.requestsPerCpuSec)} per CPU s)   ${r.simRequestsPerSimSec.toFixed(0)} simulated requests per simulated s`,
    );
  }
  if (wanted('ttcp')) {
    const r = ttcpBench(scale);
    out['ttcp'] = r;
    log(
      `ttcp          ${r.simSecondsPerWallSecond.toFixed(2)} simulated s per s (${r.simSecondsPerCpuSecond.toFixed(2)} per CPU s)   ${fmt(r.packetsPerSec)} packets/s   ${r.goodputMbps.toFixed(0)} Mb/s simulated`,
    );
  }
  if (JSON_MODE) console.log(JSON.stringify(out));
}

main();

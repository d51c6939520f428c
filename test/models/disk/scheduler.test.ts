// Disk schedulers on hand-made queues (C-LOOK, SSTF, FIFO, deadline) and the reorder-barrier invariant
// as a property test over random request streams, scheduler choices and completion orders.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarrierGate } from '../../../src/models/disk/barrier.js';
import {
  createDiskScheduler,
  DeadlineScheduler,
  DiskSchedulerKind,
  LinusScheduler,
  type SchedRequest,
} from '../../../src/models/disk/scheduler.js';

interface R extends SchedRequest {
  readonly name: string;
  readonly domain: number;
  readonly barrier: boolean;
  readonly pos: number;
}

function req(name: string, sector: number, queuedAtNs = 0, write = false, sectors = 8): R {
  return { name, sector, sectors, write, queuedAtNs, domain: 0, barrier: false, pos: 0 };
}

function order(kind: DiskSchedulerKind, head: number, sectors: readonly number[], nowNs = 0): string[] {
  const s = createDiskScheduler<R>(kind);
  // move the head: take one request ending at `head`
  s.add(req('h', head - 1, 0, false, 1));
  s.take(0);
  // one-sector requests: the head sits one past the last request taken
  sectors.forEach((x, i) => s.add(req(String.fromCharCode(97 + i) + x, x, 0, false, 1)));
  const out: string[] = [];
  for (let r = s.take(nowNs); r !== undefined; r = s.take(nowNs)) out.push(r.name);
  return out;
}

describe('disk schedulers on hand-made queues', () => {
  // the textbook queue (Silberschatz): 98, 183, 37, 122, 14, 124, 65, 67 with the head at 53
  const Q = [98, 183, 37, 122, 14, 124, 65, 67];
  it('C-LOOK: up from the head, then wrap to the lowest', () => {
    expect(order('clook', 53, Q).map((n) => Number(n.slice(1)))).toEqual([65, 67, 98, 122, 124, 183, 14, 37]);
  });
  it('SSTF: nearest to the head each time (head = end of the last request)', () => {
    // head 53 → 65 (12 vs 37 at 16) → head 66: 67 (1) → head 68: 98 (30) beats 37 (31) → 99: 122 (23)
    // → 123: 124 (1) → 125: 183 (58) beats 37 (88) → 184: 37 → 38: 14
    expect(order('sstf', 53, Q).map((n) => Number(n.slice(1)))).toEqual([65, 67, 98, 122, 124, 183, 37, 14]);
  });
  it('SSTF differs from C-LOOK when the nearest request is behind the head', () => {
    expect(order('sstf', 100, [90, 150]).map((n) => Number(n.slice(1)))).toEqual([90, 150]);
    expect(order('clook', 100, [90, 150]).map((n) => Number(n.slice(1)))).toEqual([150, 90]);
  });
  it('FIFO: arrival order; ties in C-LOOK go to the earlier arrival', () => {
    expect(order('fifo', 53, Q).map((n) => Number(n.slice(1)))).toEqual(Q);
    expect(order('clook', 0, [40, 40, 40])).toEqual(['a40', 'b40', 'c40']);
  });
  it('deadline: C-LOOK until the oldest read expires, then the oldest expired read first', () => {
    const s = new DeadlineScheduler<R>({ readExpireNs: 100, writeExpireNs: 1000 });
    s.add(req('old', 5, 0));
    s.add(req('w', 1, 0, true));
    s.add(req('x', 50, 90));
    s.add(req('y', 60, 90));
    // at t = 50 nothing expired: C-LOOK from head 0 → w (sector 1)
    expect(s.take(50)?.name).toBe('w');
    // at t = 100 the read queued at 0 has waited 100: it goes first although x, y are ahead
    s.add(req('z', 20, 100));
    expect(s.take(100)?.name).toBe('old');
    expect(s.take(100)?.name).toBe('z');
    expect(s.take(100)?.name).toBe('x');
  });
  it('Linux 2.4 elevator: a queue that arrives at once is inserted in C-LOOK order (hand trace)', () => {
    // 98 | 183 behind | 37 behind | 122 between 98 and 183 | 14 between 183 and 37 (wrap) | 124 between
    // 122 and 183 | 65 before 98 (from the head, 53) | 67 between 65 and 98
    expect(order('linus', 53, Q).map((n) => Number(n.slice(1)))).toEqual([65, 67, 98, 122, 124, 183, 14, 37]);
  });
  it('Linux 2.4 elevator: a request can be passed only its budget of times, then nothing goes ahead', () => {
    const s = new LinusScheduler<R>({ readPassovers: 2, writePassovers: 4 });
    s.add(req('h', 999, 0, false, 1));
    s.take(); // head at 1000
    s.add(req('low', 10));
    // a sequential stream just ahead of the head: under C-LOOK it would always go first
    s.add(req('s0', 1000));
    expect(s.budgets()).toEqual([2, 1]);
    s.add(req('s1', 1008));
    expect(s.budgets()).toEqual([2, 2, 0]);
    s.add(req('s2', 1016)); // low's budget is used up: s2 goes behind it
    s.add(req('w', 500, 0, true)); // nothing may pass 'low' either: behind s2
    expect(s.budgets()).toEqual([2, 2, 0, 2, 4]);
    const out: string[] = [];
    for (let r = s.take(); r !== undefined; r = s.take()) out.push(r.name);
    expect(out).toEqual(['s0', 's1', 'low', 's2', 'w']);
    // the same stream under C-LOOK leaves 'low' last
    expect(order('clook', 1000, [10, 1000, 1008, 1016])).toEqual(['b1000', 'c1008', 'd1016', 'a10']);
  });
  it('rejects an unknown kind', () => {
    expect(() => createDiskScheduler('cfq' as DiskSchedulerKind)).toThrow(/kind/);
  });
});

describe('reorder barriers (property)', () => {
  const kinds = Object.values(DiskSchedulerKind);
  const stream = fc.array(
    fc.record({
      domain: fc.integer({ min: 0, max: 3 }),
      sector: fc.integer({ min: 0, max: 10_000 }),
      barrier: fc.boolean(),
      write: fc.boolean(),
    }),
    { minLength: 1, maxLength: 60 },
  );
  it('no request after a barrier is issued before every earlier request of its domain completed', () => {
    fc.assert(
      fc.property(
        stream,
        fc.constantFrom(...kinds),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 200, maxLength: 200 }),
        (items, kind, channels, choices) => {
          const sched = createDiskScheduler<R>(kind, { readExpireNs: 5, writeExpireNs: 9 });
          const gate = new BarrierGate<R>((r) => sched.add(r));
          const nextPos = [0, 0, 0, 0];
          const reqs: R[] = items.map((it, i) => ({
            name: String(i),
            sector: it.sector,
            sectors: 8,
            write: it.write,
            queuedAtNs: i,
            domain: it.domain,
            barrier: it.barrier,
            pos: nextPos[it.domain]!++,
          }));
          // independent record: per domain, positions completed, and the barrier positions
          const completed = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()];
          const barriers = [[], [], [], []] as number[][];
          for (const r of reqs) if (r.barrier) barriers[r.domain]!.push(r.pos);
          const onDisk: R[] = [];
          let submitted = 0;
          let issued = 0;
          let now = 0;
          let c = 0;
          const choose = (n: number): number => (choices[c++ % choices.length] as number) % n;
          const issue = (): void => {
            while (onDisk.length < channels) {
              const r = sched.take(now);
              if (r === undefined) return;
              // the invariant: every earlier request of the domain up to the last barrier before it (or,
              // for a barrier, every earlier request) has completed
              const last = r.barrier ? r.pos - 1 : Math.max(-1, ...barriers[r.domain]!.filter((b) => b < r.pos));
              for (let p = 0; p <= last; p++)
                if (!completed[r.domain]!.has(p))
                  return expect.fail(`domain ${r.domain} pos ${r.pos} issued before pos ${p} completed`);
              onDisk.push(r);
              issued++;
            }
          };
          while (submitted < reqs.length || onDisk.length > 0 || sched.size > 0) {
            now++;
            // either a new request arrives or a request on the disk completes (random choice)
            if (submitted < reqs.length && (onDisk.length === 0 || choose(2) === 0))
              gate.submit(reqs[submitted++] as R);
            else if (onDisk.length > 0) {
              const [r] = onDisk.splice(choose(onDisk.length), 1) as [R];
              completed[r.domain]!.add(r.pos);
              gate.complete(r);
            }
            issue();
            if (submitted === reqs.length && onDisk.length === 0 && sched.size === 0) {
              // liveness: nothing may stay held when everything admitted has completed
              for (let d = 0; d < 4; d++) expect(gate.held(d)).toBe(0);
            }
          }
          expect(issued).toBe(reqs.length);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

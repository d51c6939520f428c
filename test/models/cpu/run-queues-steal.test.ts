// RunQueues.steal, the idle-steal rule of run-queues.ts, against a scan written out from its header:
// the least queuedSinceNs over the other PCPUs' queued, not running, eligible entries, ties to the
// lowest PCPU index, then the earliest queue position; the entry leaves its queue and moves to the
// stealing PCPU. Property over random operations (inserts at any position, at the instant or keeping
// an older wait, removals, running flags, in-place reordering as Credit's runq sort does, ties in
// queuedSinceNs). (A list of all queued entries by wait was tried in place of the scan for host10k;
// it was slower than the scan under Credit and was dropped; this test guards any such replacement.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunQueues, type QueueEntry } from '../../../src/models/cpu/run-queues.js';
import type { SchedVcpu } from '../../../src/models/cpu/scheduler.js';

interface Entry extends QueueEntry {
  pri: number;
}

/** The rule, written out as a scan: no side effects. */
function scan(rq: RunQueues<Entry>, cpu: number, minPri: number | null): Entry | null {
  let best: Entry | null = null;
  for (let c = 0; c < rq.numCpus; c++) {
    if (c === cpu) continue;
    for (const e of rq.queue(c)) {
      if (e.running) continue;
      if (minPri !== null && !(e.pri > minPri)) continue;
      if (best === null || e.queuedSinceNs < best.queuedSinceNs) best = e;
    }
  }
  return best;
}

const Op = { insert: 0, insertOld: 1, remove: 2, run: 3, sort: 4, steal: 5, tick: 6 } as const;

describe('RunQueues.steal (property, against the scan)', () => {
  it('takes the same entry as the scan over every queue, ties included', () => {
    let found = 0;
    let tied = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(
          fc.record({
            op: fc.integer({ min: 0, max: 9 }).map((x) => (x >= 7 ? (x === 9 ? Op.steal : Op.insert) : x)),
            a: fc.nat(1000),
            b: fc.nat(1000),
            c: fc.integer({ min: -3, max: 2 }),
          }),
          { minLength: 1, maxLength: 120 },
        ),
        (cpus, n, steps) => {
          const rq = new RunQueues<Entry>(cpus, { migration: 'idle-steal' }, 'test');
          const entries: Entry[] = [];
          for (let i = 0; i < n; i++) {
            const v = { id: i, index: 0, name: `v${i}`, cpu: 0, state: 'runnable' };
            const vcpu = v as unknown as SchedVcpu;
            rq.place(vcpu);
            entries.push({ vcpu, queued: false, running: false, queuedSinceNs: 0, pri: 0 });
          }
          let now = 0;
          for (const s of steps) {
            const e = entries[s.a % n] as Entry;
            switch (s.op) {
              case Op.tick:
                now += s.b % 3; // 0: several inserts at one instant (ties)
                break;
              case Op.insert:
              case Op.insertOld:
                if (e.queued) break;
                e.pri = s.c;
                rq.insert(e, s.b % (rq.length(e.vcpu.cpu) + 1), now, s.op === Op.insert);
                break;
              case Op.remove:
                if (e.queued) rq.remove(e);
                break;
              case Op.run:
                e.running = !e.running;
                break;
              case Op.sort: {
                // Credit's csched_runq_sort: a stable partition of one queue, in place
                const q = rq.queue(s.b % cpus) as Entry[];
                const hi = q.filter((x) => x.pri >= -1);
                const lo = q.filter((x) => x.pri < -1);
                q.length = 0;
                q.push(...hi, ...lo);
                break;
              }
              case Op.steal: {
                const cpu = s.b % cpus;
                const minPri = s.c === 2 ? null : s.c;
                const want = scan(rq, cpu, minPri);
                if (want !== null) {
                  let same = 0;
                  for (let c = 0; c < cpus; c++) {
                    if (c === cpu) continue;
                    for (const x of rq.queue(c)) if (x.queuedSinceNs === want.queuedSinceNs) same++;
                  }
                  if (same > 1) tied++;
                }
                const got = rq.steal(cpu, minPri === null ? null : (x) => x.pri > minPri);
                expect(got).toBe(want);
                if (got !== null) {
                  found++;
                  expect(got.queued).toBe(false);
                  expect(got.vcpu.cpu).toBe(cpu);
                  for (let c = 0; c < cpus; c++) expect(rq.queue(c)).not.toContain(got);
                }
                break;
              }
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
    // the property saw real steals, and steals among entries that waited equally long
    expect(found).toBeGreaterThan(100);
    expect(tied).toBeGreaterThan(10);
  });
});

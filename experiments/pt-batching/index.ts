// Study pt-batching: what queueing page-table updates and flushing them in one hypercall buys Xen.
// The cost of fork, exec and mmap (lmbench programs on the guest OS, src/models/guest/lmbench.ts) in the
// xen profile against the page-table batch size b = 1 … 2048 (XenoLinux's queue holds 2048), beside the
// same operations under full virtualization, where every page-table write traps into the VMM to update
// its shadow page table (trap per update).
//
// Model. The xen profile (src/models/guest/profile-fit.ts, derived from Table 3) splits each operation
// into kernel entries, page faults, page-table updates in phases and kernel work; the guest's queue
// (src/models/guest/page-table.ts) flushes when it holds b updates and before anything that depends on
// them (a TLB flush, a page fault's return, a return to user mode); each flush is one mmu_update
// hypercall (ANCHORS.hypercallNs, 450 ns) plus the hypervisor's validation of each update (the fitted
// per-update cost, paid whatever b). So the cost at b is the cost at 2048 plus 450 ns per extra flush:
// Σ over the operation's phases of ⌈u/b⌉ − ⌈u/2048⌉ — the theory line on the charts. At b = 2048 the
// xen cells of Table 3 come back (fork 198 µs, exec 768 µs, mmap 139 µs).
// Measures per point: the three latencies (µs) and the flush hypercalls per fork, from the queue's
// counters; the full-virt latencies for comparison (independent of b).
// Deterministic: no randomness (one replication). --quick: b = 1, 16, 2048; 2 iterations.
import { GUEST } from '../../src/models/calibration.js';
import { guestOnIdleHost, latOpNs } from '../../src/models/guest/lmbench.js';
import { OP_MECHANISMS, flushesOf } from '../../src/models/guest/profile-fit.js';
import type { GuestProgram } from '../../src/models/guest/guest-os.js';
import type { Table3Op } from '../../src/models/guest/operations.js';
import { defineStudy, measureVsParam, ptBatchParam, StudyQuery, unusedWindowParams } from '../../src/kit/index.js';
import type { ChartSpec, ConsoleTable, StudyData } from '../../src/runner/study.js';

const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
const HYPERCALL_NS = 450;

/** Flush hypercalls of one op at batch b (its phases, and one per page fault). */
export function flushesPerOp(op: Table3Op, batch: number): number {
  const m = OP_MECHANISMS[op];
  let f = m.faults; // each fault flushes its one update
  for (const u of m.ptPhases) f += flushesOf(u, batch);
  return f;
}

/** Theory: cost at b = cost at 2048 + 450 ns per extra flush, µs. */
export function theoryUs(op: Table3Op, batch: number, at2048Us: number): number {
  return at2048Us + ((flushesPerOp(op, batch) - flushesPerOp(op, 2048)) * HYPERCALL_NS) / 1000;
}

function hypercallsPerFork(batch: number, iterations: number): number {
  const { sim, os } = guestOnIdleHost('xen', { ptBatch: batch });
  let before = 0;
  let after = 0;
  function* prog(): GuestProgram {
    yield { op: 'fork' };
    before = os.pageTable.flushes;
    for (let i = 0; i < iterations; i++) yield { op: 'fork' };
    after = os.pageTable.flushes;
  }
  sim.run(os.spawn('fork', prog()).exited);
  return (after - before) / iterations;
}

const OPS = ['fork', 'exec', 'mmap'] as const;

export const ptBatching = defineStudy({
  name: 'pt-batching',
  version: 1,
  description:
    'Xen page-table update batching: fork, exec and mmap cost vs batch size 1-2048, and full virtualization (trap per update)',
  details: [
    'Model: lmbench fork/exec/mmap loops on the guest OS, xen profile, page-table queue of ptBatch updates per',
    'flush hypercall (450 ns each) plus per-update validation; full-virt (one shadow trap per update) for comparison.',
    'Theory: cost(b) = cost(2048) + 450 ns × (Σ⌈u/b⌉ − Σ⌈u/2048⌉) over the operation phases.',
  ].join('\n'),
  params: {
    ptBatch: ptBatchParam('page-table updates per flush hypercall (XenoLinux: 2048)'),
    iterations: {
      kind: 'int',
      default: 10,
      min: 1,
      max: 100_000,
      unit: 'iterations',
      doc: 'timed iterations per operation',
    },
    ...unusedWindowParams('the loops time a number of iterations, not a window'),
  },
  grid: { kind: 'cartesian', axes: { ptBatch: BATCHES } },
  quickGrid: { kind: 'cartesian', axes: { ptBatch: [1, 16, 2048] } },
  replications: 1,
  quickReplications: 1,
  quickParams: { iterations: 2 },
  measures: {
    forkUs: { unit: 'µs', doc: 'fork + exit + wait in the xen profile' },
    execUs: { unit: 'µs', doc: 'fork + execve + exit + wait in the xen profile' },
    mmapUs: { unit: 'µs', doc: 'mmap + munmap of 1 MB in the xen profile' },
    hypercallsPerFork: { unit: 'hypercalls', doc: 'page-table flush hypercalls per fork (queue counter)' },
    fullVirtForkUs: { unit: 'µs', doc: 'fork under full virtualization (a shadow trap per update)' },
    fullVirtExecUs: { unit: 'µs', doc: 'exec under full virtualization' },
    fullVirtMmapUs: { unit: 'µs', doc: 'mmap under full virtualization' },
  },
  run(p) {
    const opt = { ptBatch: p.ptBatch };
    return {
      measures: {
        forkUs: latOpNs('xen', 'fork', p.iterations, opt) / 1000,
        execUs: latOpNs('xen', 'exec', p.iterations, opt) / 1000,
        mmapUs: latOpNs('xen', 'mmap', p.iterations, opt) / 1000,
        hypercallsPerFork: hypercallsPerFork(p.ptBatch, p.iterations),
        fullVirtForkUs: latOpNs('full-virt', 'fork', p.iterations) / 1000,
        fullVirtExecUs: latOpNs('full-virt', 'exec', p.iterations) / 1000,
        fullVirtMmapUs: latOpNs('full-virt', 'mmap', p.iterations) / 1000,
      },
      events: 0,
    };
  },
  charts(data: StudyData): ChartSpec[] {
    const q = new StudyQuery(data);
    return OPS.map((op) => {
      const measure = `${op}Us`;
      const summary = q.rows(measure);
      const at2048 = q.mean({ ptBatch: 2048 }, measure);
      const xs = summary.map((r) => Number(r.params['ptBatch'])).sort((a, b) => a - b);
      return measureVsParam({
        id: `${op}-vs-batch`,
        title: `Xen ${op} (lmbench) vs page-table batch size`,
        summary,
        measure,
        x: 'ptBatch',
        xTitle: 'page-table updates per flush hypercall',
        yTitle: `${op} latency (µs)`,
        xScale: 'log',
        ...(at2048 === undefined
          ? {}
          : {
              theory: {
                label: 'cost(2048) + 450 ns per extra flush',
                points: xs.map((x) => ({ x, y: theoryUs(op, x, at2048) })),
              },
            }),
      });
    });
  },
  consoleTable(data: StudyData): ConsoleTable {
    const q = new StudyQuery(data);
    const get = (b: number, m: string): number => q.mean({ ptBatch: b }, m) ?? NaN;
    const bs = q.distinct<number>('ptBatch').sort((a, b) => a - b);
    const fv = (m: string): string => get(bs[0] ?? 2048, m).toFixed(1);
    return {
      title: 'Xen fork / exec / mmap (µs) vs page-table batch size',
      header: ['batch', 'fork', 'exec', 'mmap', 'hypercalls per fork'],
      rows: bs.map((b) => [
        String(b),
        get(b, 'forkUs').toFixed(1),
        get(b, 'execUs').toFixed(1),
        get(b, 'mmapUs').toFixed(1),
        get(b, 'hypercallsPerFork').toFixed(0),
      ]),
      notes: [
        `full virtualization (one shadow trap per update): fork ${fv('fullVirtForkUs')}, exec ${fv('fullVirtExecUs')}, mmap ${fv('fullVirtMmapUs')} µs; image ${GUEST.lmbenchImagePages.value} pages (assumption)`,
      ],
    };
  },
});

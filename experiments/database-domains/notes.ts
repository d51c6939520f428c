// Console table, report summary and model notes of the database-domains study (charts.ts holds the
// charts and the weighted-share rows): the aggregate score by instances and system, what the model
// predicts and why, what it leaves out, and where it departs from the paper's text. Scores: IR
// queries/s, OLTP transactions/s; shares in percent.
import type { StudyData } from '../../src/runner/study.js';
import { fmt, StudyQuery, type ConsoleTable } from '../../src/kit/index.js';
import { GRADED_GROUP, gradedShares, KIND_TITLE } from './charts.js';

export function databaseDomainsConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const cell = (workload: string, system: string, instances: number, weights: string): string => {
    const m = q.mean({ workload, system, instances, weights }, 'scorePerS');
    const d = q.mean({ workload, system, instances, weights }, 'diskBusyFraction');
    const c = q.mean({ workload, system, instances, weights }, 'cpuUtilisation');
    return m === undefined ? '-' : `${fmt(m, 4)} (cpu ${fmt(100 * (c ?? NaN), 2)}%, disk ${fmt(100 * (d ?? NaN), 2)}%)`;
  };
  const rows: string[][] = [];
  for (const n of [1, 2, 4, 8])
    rows.push([
      String(n),
      cell('ir', 'native', n, 'equal'),
      cell('ir', 'xen', n, 'equal'),
      cell('oltp', 'native', n, 'equal'),
      cell('oltp', 'xen', n, 'equal'),
    ]);
  rows.push([GRADED_GROUP, '-', cell('ir', 'xen', 8, 'graded'), '-', cell('oltp', 'xen', 8, 'graded')]);
  return {
    title: 'Aggregate score by instances (CPU utilisation of 2 CPUs, disk busy)',
    header: ['instances', 'IR Linux q/s', 'IR Xen q/s', 'OLTP Linux tx/s', 'OLTP Xen tx/s'],
    rows,
    notes: ["Model prediction; nothing fitted to the paper's figure."],
  };
}

export function databaseDomainsReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const out: string[] = [];
  for (const kind of ['ir', 'oltp']) {
    const x1 = q.mean({ workload: kind, system: 'xen', instances: 1, weights: 'equal' }, 'scorePerS');
    const x8 = q.mean({ workload: kind, system: 'xen', instances: 8, weights: 'equal' }, 'scorePerS');
    const l1 = q.mean({ workload: kind, system: 'native', instances: 1, weights: 'equal' }, 'scorePerS');
    const l8 = q.mean({ workload: kind, system: 'native', instances: 8, weights: 'equal' }, 'scorePerS');
    const d8 = q.mean({ workload: kind, system: 'xen', instances: 8, weights: 'equal' }, 'diskBusyFraction');
    const c8 = q.mean({ workload: kind, system: 'xen', instances: 8, weights: 'equal' }, 'cpuUtilisation');
    if (x1 === undefined || x8 === undefined || l1 === undefined || l8 === undefined) continue;
    out.push(
      `${KIND_TITLE[kind]}: 1 → 8 instances, Xen ${fmt(x1, 4)} → ${fmt(x8, 4)}, Linux ${fmt(l1, 4)} → ${fmt(l8, 4)}; ` +
        `at 8 Xen domains the CPUs are ${fmt(100 * (c8 ?? NaN), 3)}% busy and the disk ${fmt(100 * (d8 ?? NaN), 3)}%.`,
    );
  }
  const shares = gradedShares(data);
  for (const kind of ['ir', 'oltp']) {
    const s = shares.filter((r) => r.kind === kind);
    if (s.length === 0) continue;
    const gap = Math.max(...s.map((r) => Math.abs(r.tputPct - r.weightPct)));
    const gapCpu = Math.max(...s.map((r) => Math.abs(r.tputPct - r.perCpuPct)));
    const lo = s[0];
    const hi = s[s.length - 1];
    if (lo === undefined || hi === undefined) continue;
    out.push(
      `${KIND_TITLE[kind]} with weights 1..8: the weight-1 domain gets ${fmt(lo.tputPct, 3)}% of the throughput ` +
        `(weight share ${fmt(lo.weightPct, 3)}%), the weight-8 domain ${fmt(hi.tputPct, 3)}% (weight share ` +
        `${fmt(hi.weightPct, 3)}%); largest gap ${fmt(gap, 3)} points from the weight shares, ${fmt(gapCpu, 3)} ` +
        'points from the per-CPU weight shares.',
    );
  }
  return [...out, ...DATABASE_DOMAINS_NOTES];
}

/** What the model predicts and why, what it leaves out, and where it departs from the paper. */
export const DATABASE_DOMAINS_NOTES: readonly string[] = [
  'Mechanisms. IR is CPU-bound: a query is about 2 ms of guest CPU and 0.1 disk reads, so one instance (one client, ' +
    'one vCPU) keeps one of the two CPUs busy most of the time and the disk mostly idle; two instances use both CPUs and almost double the score; ' +
    'beyond that the two CPUs are saturated and the aggregate stays flat. OLTP is disk-bound from one instance on: ' +
    'each transaction waits for a synchronous, ordered commit and its reads on a 10k RPM disk (a few ms each) while ' +
    'its CPU is about 2 ms, so the CPUs stay mostly idle and more instances only share the same disk.',
  'Weights. BVT weights divide CPU time, so the CPU-bound IR domains get throughput that grows with the weight; but ' +
    'Xen 1.0 BVT keeps one run queue per CPU and places each domain on a CPU at creation (least loaded first), so ' +
    'the weights divide each CPU only among the domains on it: with weights 1..8 the odd weights share one CPU (Σ 16) ' +
    'and the even ones the other (Σ 20), weight 7 gets 7/32 of the machine and weight 8 only 8/40, and the ' +
    'throughput shares follow these per-CPU shares much more closely than the global w/Σw. ' +
    "The OLTP domains do not: the disk is the bottleneck, and the block back end's round robin over the domains' " +
    'rings (16 requests per domain per turn) and the elevator ignore CPU weights; with one synchronous request ' +
    'chain per domain every domain advances by one request per sweep, so the shares come out equal whatever the weight.',
  'Xen vs Linux. The CPU price of the operations differs little (syscalls, selects and page faults: Table 3), and on ' +
    'native the same partitions share one block queue, so the model predicts Xen close to Linux for both workloads.',
  'Left out: PostgreSQL itself (locks, shared buffers, SMP scalability), the page cache (a fixed miss rate per query, ' +
    'independent of the memory each domain has), the guest process-switch cost, interrupt and event-channel paths ' +
    'other than the priced event delivery, cache and TLB refill when domains switch (working set 0), and Linux 2.4 ' +
    "SMP kernel costs on native (priced as the uniprocessor L-UP row). The counts per query are assumptions, not OSDB's.",
  "Against the paper's text (SOSP 2003 §4.3, paraphrased; its values are not shown because the model is not fitted to " +
    'them): it reports that a second domain almost doubles the throughput (the model agrees for IR); that more domains ' +
    'reduce it a little through context switching and disk head movement (the model leaves out the switch cost, so ' +
    'it predicts a flat line); that multiple PostgreSQL instances on one Linux score 25–35% below Xen, attributed to ' +
    "PostgreSQL's SMP scalability and Linux's block-cache use (both left out here, so the model shows no such gap); " +
    "that each IR domain's throughput is within about 4% of its expected size (the model departs here: its IR shares " +
    'follow the per-CPU weight shares, off w/Σw by up to about 4 points, 18% of the weight-8 share, because of the ' +
    'static per-CPU placement; the paper does not say how its domains were placed), and that OLTP domains with ' +
    'larger weights do not score proportionally higher because of the disk scheduling (the model reproduces this, ' +
    'from the mechanisms above).',
];

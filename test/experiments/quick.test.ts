// Every registered study, end to end through the compiled CLI at --quick, one table: exit 0, every
// planned run in runs.csv with a column per declared measure, a complete manifest, valid Vega-Lite
// charts (validateSpec) with their PNGs, report.html; then what each study's own entry adds (its
// chart list, a theory label, its console table, and for mm1-validation the theory checks).
// A registered study without an entry here fails the test: a new study gets its line in the table.
//
// Theory inside the CI: with several loads and two measures, a 95% interval misses one of ten checks
// about four runs in ten by chance alone; the checks use 99.9% intervals (Student t, the summary's n),
// so a harmless change in draw order fails them about once in a hundred, and `the check can fail`
// shows that a wrong theory (off by 20%) is caught.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateSpec } from '../../src/charts/index.js';
import { tQuantile } from '../../src/sim/stats/student-t.js';
import { studies } from '../../experiments/index.js';
import { mm1Theory } from '../../experiments/mm1-validation/index.js';
import { TABLE3 } from '../../src/models/calibration.js';
import { tcpGoodputLimitBps } from '../../src/models/net/tcp.js';
import { hvsim, read, tempDir, type CliResult } from '../cli/cli-helpers.js';

type Row = Record<string, string>;

function parseCsv(text: string): Row[] {
  // The columns of these files hold no quotes or commas (numbers, names).
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = (head as string).split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] as string, v])));
}

/** Is `theory` inside the `confidence` interval of a summary row (mean, 95% half-width, n)? */
function insideCi(row: Row, theory: number, confidence: number): boolean {
  const n = Number(row['n']);
  const hw95 = (Number(row['ciHi']) - Number(row['ciLo'])) / 2;
  const hw = (hw95 * tQuantile(1 - (1 - confidence) / 2, n - 1)) / tQuantile(0.975, n - 1);
  return Math.abs(Number(row['mean']) - theory) <= hw;
}

function mm1Misses(out: string, theoryScale: number): string[] {
  const misses: string[] = [];
  for (const row of parseCsv(read(join(out, 'summary.csv')))) {
    const m = row['measure'];
    if (m !== 'waitMeanNs' && m !== 'numberInSystemMean') continue;
    const theory = theoryScale * mm1Theory(Number(row['load']), Number(row['serviceMeanNs']))[m];
    if (!insideCi(row, theory, 0.999))
      misses.push(`${m} at load ${row['load']}: theory ${theory}, mean ${row['mean']}`);
  }
  return misses;
}

interface Entry {
  readonly charts: readonly string[];
  readonly tables?: readonly string[];
  /** [chart id, text its spec contains] */
  readonly chartText?: readonly (readonly [string, string])[];
  readonly stdout: RegExp;
  readonly extra?: (out: string, result: CliResult) => void;
}

const TABLE: Readonly<Record<string, Entry>> = {
  'mm1-validation': {
    charts: ['number-in-system-vs-load', 'wait-vs-load'],
    tables: ['numberInSystemDistribution'],
    chartText: [
      ['wait-vs-load', 'theory ρ/(μ−λ)'],
      ['number-in-system-vs-load', 'theory ρ/(1−ρ)'],
    ],
    stdout: /load\s+Wq sim \(ms\)\s+Wq theory\s+in CI\s+L sim\s+L theory\s+in CI/,
    extra: (out, result) => {
      const summary = parseCsv(read(join(out, 'summary.csv')));
      expect([...new Set(summary.map((r) => Number(r['load'])))]).toEqual([0.1, 0.3, 0.5, 0.7, 0.9]);
      expect(mm1Misses(out, 1), 'M/M/1 theory outside the 99.9% CI').toEqual([]);
      // Little's law, run by run (L = λW up to edge effects)
      for (const r of parseCsv(read(join(out, 'runs.csv')))) {
        const L = Number(r['numberInSystemMean']);
        expect(
          Math.abs(L - (Number(r['load']) / Number(r['serviceMeanNs'])) * Number(r['sojournMeanNs'])) / L,
        ).toBeLessThan(0.05);
      }
      expect(result.stdout).toContain(`report: ${join(out, 'report.html')}`);
    },
  },
  'bvt-weights': {
    charts: ['share-error-convergence', 'share-error-vs-weight', 'share-relative-to-ideal', 'share-vs-weight'],
    tables: ['shares', 'convergence'],
    chartText: [['share-vs-weight', 'ideal share w/Σw']],
    stdout: /weight\s+ideal %\s+BVT \(Xen 1\.0\) %\s+BVT \(textbook\) %\s+Credit %/,
  },
  'bvt-warp': {
    charts: [
      'burst-delay-vs-n',
      'lat-cpu-share-vs-n',
      'wake-latency-cdf',
      'wake-latency-mean-vs-n',
      'wake-latency-p99-vs-n',
    ],
    tables: ['wakeLatencyQuantiles'],
    stdout: /BVT paper \(textbook\) \+ warp\s+BVT Xen 2\.0, no warp\s+BVT Xen 2\.0 \+ warp \(adjdom\)/,
  },
  'slice-length': {
    charts: [
      'relative-throughput-vs-domains',
      'switch-cost-vs-domains',
      'switch-rate-vs-domains',
      'switching-fraction-vs-domains',
      'throughput-vs-domains',
      'wait-between-runs-vs-domains',
    ],
    chartText: [['throughput-vs-domains', '1 − c/ctxAllow']],
    stdout: /Aggregate throughput \(guest CPU-s per s; relative to 1 domain\)[\s\S]*domains\s+5 ms\s+50 ms/,
  },
  lmbench: {
    charts: ['table3-full-virt', 'table3-hosted', 'table3-native', 'table3-xen'],
    tables: ['table3'],
    stdout: /lmbench through the guest OS: simulated \/ published/,
    extra: (out) => {
      const rows = parseCsv(read(join(out, 'tables', 'table3.csv')));
      expect(rows.length).toBe(4 * 24);
      for (const r of rows) {
        const err = Math.abs(Number(r['relError']));
        // the operation cells come back exactly; the context-switch cells (lat_ctx on the guest OS) within 5 %
        if (String(r['operation']).startsWith('ctx '))
          expect(err, `${r['profile']} ${r['operation']}`).toBeLessThanOrEqual(0.05);
        else expect(err, `${r['profile']} ${r['operation']}`).toBeLessThan(1e-3);
      }
    },
  },
  'pt-batching': {
    charts: ['exec-vs-batch', 'fork-vs-batch', 'mmap-vs-batch'],
    chartText: [['fork-vs-batch', 'cost(2048) + 450 ns per extra flush']],
    stdout: /Xen fork \/ exec \/ mmap \(µs\) vs page-table batch size/,
    extra: (out) => {
      const runs = parseCsv(read(join(out, 'runs.csv')));
      const at = (b: number) => runs.find((r) => Number(r['ptBatch']) === b) as Record<string, string>;
      expect(Number(at(2048)['forkUs'])).toBeCloseTo(198, 3); // Table 3 Xen fork comes back at the default batch
      // batch 1: one hypercall per update: fork's 3 × 192 updates → 576 flushes, 574 more than at 2048
      expect(Number(at(1)['hypercallsPerFork'])).toBe(576);
      expect(Number(at(1)['forkUs'])).toBeCloseTo(198 + (574 * 450) / 1000, 3);
    },
  },
  'relative-cpu': {
    charts: ['breakdown-kernel-build', 'breakdown-spec-int', 'relative-performance', 'spec-benchmarks-relative'],
    tables: ['relative', 'spec-benchmarks', 'breakdown'],
    chartText: [['relative-performance', 'relative to native (> 1 faster)']],
    stdout: /Relative performance \(score, and relative to native: > 1 faster\)/,
    extra: (out) => {
      const rows = parseCsv(read(join(out, 'tables', 'relative.csv')));
      expect(rows.map((r) => `${r['workload']}/${r['profile']}`)).toEqual(
        ['spec-int', 'kernel-build'].flatMap((w) => ['native', 'xen', 'full-virt', 'hosted'].map((p) => `${w}/${p}`)),
      );
      const at = (w: string, p: string) => rows.find((r) => r['workload'] === w && r['profile'] === p) as Row;
      // the kernel build's time, from Table 3 alone: units × (Σ count × the profile's cell + the computation
      // that makes the native OS share 7%); the host adds less than 1% (dispatches, timer events)
      const row = { native: 'L-UP', xen: 'Xen', 'full-virt': 'VMware', hosted: 'UML' } as const;
      const cell = (cfg: string, col: string): number => {
        for (const part of [TABLE3.processes, TABLE3.fileVm] as const) {
          const i = (part.columns as readonly string[]).indexOf(col);
          if (i >= 0) return ((part.rows as Record<string, readonly number[]>)[cfg]?.[i] as number) * 1e-6;
        }
        throw new Error(col);
      };
      const mix: [string, number][] = [
        ['sh', 1],
        ['exec', 3],
        ['page fault', 1500],
        ['mmap', 20],
        ['open/close', 150],
        ['stat', 300],
        ['null I/O', 600],
        ['10K create', 1],
        ['sig inst', 4],
      ];
      const osS = (cfg: string): number => mix.reduce((s, [c, n]) => s + n * cell(cfg, c), 0);
      const computeS = (osS('L-UP') * 0.93) / 0.07;
      const units = Number(at('kernel-build', 'native')['buildUnits']);
      for (const [p, cfg] of Object.entries(row)) {
        const expected = units * (osS(cfg) + computeS);
        const got = Number(at('kernel-build', p)['score']);
        expect(got / expected - 1, p).toBeGreaterThanOrEqual(-1e-6);
        expect(got / expected - 1, p).toBeLessThan(0.01);
        expect(Number(at('kernel-build', p)['relativeToNative'])).toBeCloseTo(
          Number(at('kernel-build', 'native')['score']) / got,
          6,
        );
      }
      // SPEC: almost no OS work, so every profile within a few per cent of native, and none faster
      for (const p of ['xen', 'full-virt', 'hosted']) {
        const rel = Number(at('spec-int', p)['relativeToNative']);
        expect(rel, p).toBeGreaterThan(0.95);
        expect(rel, p).toBeLessThan(1);
      }
      expect(Number(at('spec-int', 'native')['relativeToNative'])).toBe(1);
      const runs = parseCsv(read(join(out, 'runs.csv')));
      expect(Number(runs[0]?.['buildNativeOsShare'])).toBeCloseTo(0.07, 9);
    },
  },
  'relative-performance': {
    charts: ['disk-shares', 'relative-performance'],
    tables: ['figure3', 'disk-detail', 'web-detail'],
    chartText: [
      ['relative-performance', 'relative to native (> 1 better)'],
      ['relative-performance', "paper's Figure 3 (approximate, for comparison)"],
    ],
    stdout: /Relative performance \(score, and relative to native: > 1 better\)/,
    extra: (out) => {
      const text = read(join(out, 'tables', 'figure3.csv'));
      // exactly the columns (a sweep table: no point, parameter or replication prepended)
      expect(text.split('\n')[0]).toBe('workload,system,score,scoreUnit,relativeToNative');
      const rows = parseCsv(text);
      expect(rows).toHaveLength(24);
      const systems = ['native', 'xen', 'full-virt', 'hosted'];
      // the six workloads of the paper's figure, in its order, on the four systems
      expect(rows.map((r) => `${r['workload']}/${r['system']}`)).toEqual(
        ['spec-int', 'kernel-build', 'osdb-ir', 'osdb-oltp', 'dbench', 'specweb'].flatMap((w) =>
          systems.map((s) => `${w}/${s}`),
        ),
      );
      for (const r of rows) {
        const score = Number(r['score']);
        const native = Number(rows.find((x) => x['workload'] === r['workload'] && x['system'] === 'native')?.['score']);
        expect(Number.isFinite(score) && score > 0, `${r['workload']}/${r['system']}`).toBe(true);
        // > 1 = better whatever the unit: a longer build is below 1
        const expected = r['workload'] === 'kernel-build' ? native / score : score / native;
        expect(Number(r['relativeToNative'])).toBeCloseTo(expected, 6);
      }
      // the CPU rows are the relative-cpu study's (same parameters at --quick): its kernel-build times
      const build = rows.filter((r) => r['workload'] === 'kernel-build').map((r) => Number(r['score']));
      expect(build[0]).toBeLessThan(build[1] as number);
      expect(build[3]).toBeGreaterThan(build[2] as number);
      const detail = parseCsv(read(join(out, 'tables', 'disk-detail.csv')));
      expect(detail).toHaveLength(12);
      for (const d of detail) {
        for (const k of ['diskBusyShare']) {
          expect(Number(d[k]), k).toBeGreaterThanOrEqual(0);
          expect(Number(d[k]), k).toBeLessThanOrEqual(1 + 1e-9);
        }
      }
      // the web score: conformant clients of a passing probe (≥ 95% of its clients, a multiple of the quick
      // step of 16), the figure's specweb score; hosted pays more per call and per packet than native
      const web = parseCsv(read(join(out, 'tables', 'web-detail.csv')));
      expect(web.map((w) => w['system'])).toEqual(systems);
      for (const w of web) {
        const score = Number(w['score']);
        const passing = Number(w['passingClients']);
        expect(passing % 16, String(w['system'])).toBe(0);
        expect(passing).toBeGreaterThan(0);
        expect(score).toBeLessThanOrEqual(passing);
        expect(score).toBeGreaterThanOrEqual(0.95 * passing);
        expect(Number(w['cpuBusyShare'])).toBeLessThanOrEqual(1 + 1e-9);
        const fig = rows.find((r) => r['workload'] === 'specweb' && r['system'] === w['system']);
        expect(Number(fig?.['score'])).toBe(score);
      }
      expect(Number(web[3]?.['score'])).toBeLessThan(Number(web[0]?.['score']));
    },
  },
  'event-batching': {
    charts: [
      'cpu-per-request-vs-k',
      'latency-mean-vs-k',
      'latency-p99-vs-k',
      'latency-vs-throughput',
      'notification-cpu-vs-k',
      'notifications-per-item-vs-k',
      'p99-latency-vs-throughput',
      'switching-vs-k',
      'throughput-vs-k',
      'tradeoff-cpu-vs-latency',
    ],
    chartText: [['notifications-per-item-vs-k', '1/min(k, 1 + λ·hold-off)']],
    stdout: /Mean latency \(µs\) \/ notifications per item \/ CPU per request/,
    extra: (out) => {
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html.indexOf('What batching buys and costs')).toBeGreaterThan(0);
      expect(html.indexOf('What batching buys and costs')).toBeLessThan(
        html.indexOf('Mean request latency vs notification batch k'),
      );
    },
  },
  'disk-scheduling': {
    charts: ['p99-latency-vs-depth', 'throughput-vs-depth'],
    stdout: /Disk scheduling: requests\/s and p99 latency \(ms\) per point/,
  },
  barriers: {
    charts: ['commit-latency-vs-barriers', 'tx-per-s-vs-barriers'],
    stdout: /Transactions per second \(median commit ms\) by barrier frequency and scheduler/,
  },
  'balloon-overcommit': {
    charts: [
      'faults-vs-domains',
      'free-memory-vs-domains',
      'swap-io-vs-domains',
      'swap-utilisation-vs-domains',
      'throughput-vs-domains',
    ],
    stdout: /Work units per second \(page faults per second\) by domains and memory policy/,
    extra: (out) => {
      // ballooning lends idle domains' memory to active ones: fewer faults than a static partition at 8 domains
      const runs = parseCsv(read(join(out, 'runs.csv')));
      const mean = (policy: string, m: string) => {
        const rs = runs.filter((r) => r['policy'] === policy && r['domains'] === '8');
        return rs.reduce((s, r) => s + Number(r[m]), 0) / rs.length;
      };
      expect(mean('balloon', 'faultsPerS')).toBeLessThan(mean('static', 'faultsPerS'));
      for (const r of runs) if (r['policy'] === 'static') expect(Number(r['balloonPagesPerS'])).toBe(0);
    },
  },
  'vif-fairness': {
    charts: ['fairness-vs-domains', 'per-domain-throughput', 'throughput-vs-domains'],
    tables: ['domains'],
    stdout: /VIF fairness: Jain's index vs max-min \(aggregate Mb\/s\) by domains/,
    extra: (out) => {
      // round robin with equal packets is max-min fair: every domain within 2% of its water-filling share,
      // and the link never carries more than its UDP goodput (957.09 Mb/s, + one window-edge frame)
      for (const r of parseCsv(read(join(out, 'runs.csv')))) {
        expect(Number(r['maxRelErrorPct'])).toBeLessThan(2);
        expect(Number(r['totalMbps'])).toBeLessThan(957.09 * 1.001);
      }
    },
  },
  'rx-buffers': {
    charts: ['drop-rate-vs-buffers', 'throughput-vs-buffers'],
    stdout: /Receive drop rate % \(delivered Mb\/s\) by posted buffers and repost batch/,
    extra: (out) => {
      // more posted buffers never drop more (per batch, mean over replications), and nothing is
      // delivered beyond what the client sent
      const runs = parseCsv(read(join(out, 'runs.csv')));
      const mean = (batch: string, buffers: string, m: string) => {
        const rs = runs.filter((r) => r['repostBatch'] === batch && r['buffers'] === buffers);
        return rs.reduce((a, r) => a + Number(r[m]), 0) / rs.length;
      };
      for (const batch of ['1', '16']) {
        expect(mean(batch, '64', 'dropRate')).toBeLessThan(mean(batch, '16', 'dropRate'));
        expect(mean(batch, '256', 'dropRate')).toBeLessThan(mean(batch, '64', 'dropRate'));
      }
      for (const r of runs)
        expect(Number(r['throughputMbps'])).toBeLessThanOrEqual(Number(r['offeredMbpsMeasured']) * 1.01);
    },
  },
  'database-domains': {
    charts: ['score-vs-instances-ir', 'score-vs-instances-oltp', 'share-vs-weight'],
    tables: ['scores', 'shares'],
    stdout: /Aggregate score by instances \(CPU utilisation of 2 CPUs, disk busy\)/,
    extra: (out) => {
      // one score per run, finite and positive; per run the instances' throughput shares sum to 100%
      const runs = parseCsv(read(join(out, 'runs.csv')));
      const scores = parseCsv(read(join(out, 'tables', 'scores.csv')));
      expect(scores.length).toBe(runs.length);
      for (const [i, r] of scores.entries()) {
        expect(Number(r['score'])).toBeGreaterThan(0);
        expect(Number(r['score'])).toBe(Number(runs[i]?.['scorePerS']));
        expect(r['scoreUnit']).toBe(r['workload'] === 'ir' ? 'queries/s' : 'tx/s');
      }
      const shares = parseCsv(read(join(out, 'tables', 'shares.csv')));
      for (const r of runs) {
        const mine = shares.filter((x) => x['point'] === r['point'] && x['replication'] === r['replication']);
        expect(mine.length).toBe(Number(r['instances']));
        expect(mine.reduce((a, x) => a + Number(x['throughputSharePct']), 0)).toBeCloseTo(100, 6);
      }
    },
  },
  'web-batching': {
    charts: ['notifications-vs-threshold', 'p50-vs-threshold', 'p99-vs-threshold', 'throughput-vs-threshold'],
    stdout: /Web serving by ring notification threshold/,
    extra: (out) => {
      // a larger notification threshold sends fewer notifications per request (batching works), and no
      // client runs above its 400 kbit/s target (Σ client rates ≤ clients × 0.4 Mb/s)
      const runs = parseCsv(read(join(out, 'runs.csv')));
      const at = (k: string) => Number(runs.find((r) => r['notifyEvery'] === k)?.['notificationsPerRequest']);
      expect(at('8')).toBeLessThan(at('1'));
      expect(at('64')).toBeLessThan(at('8'));
      for (const r of runs) {
        expect(Number(r['conformantShare'])).toBeLessThanOrEqual(1);
        expect(Number(r['clientRateMbps'])).toBeLessThanOrEqual(Number(r['clients']) * 0.4 * (1 + 1e-9));
      }
    },
  },
  'backend-placement': {
    charts: [
      'bulk-dom0-cpu',
      'bulk-guests-cpu',
      'bulk-hypervisor-cpu',
      'bulk-ping-p99',
      'bulk-throughput',
      'rr-dom0-cpu',
      'rr-guests-cpu',
      'rr-hypervisor-cpu',
      'rr-ping-p99',
      'rr-response-p99',
      'rr-throughput',
    ],
    stdout: /Back-end placement: throughput, latency \(ms\) and CPU shares/,
    extra: (out) => {
      // who pays follows the placement: the hypervisor's context with the back end there, dom0's vCPU
      // otherwise, but for the NIC interrupt handlers (half the per-packet back-end cost: hypervisor time
      // in both placements, so dom0's share is below the hypervisor's share in the other placement); bulk
      // never exceeds the link's TCP goodput; the CPU shares never sum above one CPU
      for (const r of parseCsv(read(join(out, 'runs.csv')))) {
        const n = (k: string) => Number(r[k]);
        if (r['traffic'] === 'bulk') {
          expect(n('throughputMbps')).toBeLessThan((tcpGoodputLimitBps(1e9, 1500) / 1e6) * 1.001);
          if (r['backend'] === 'hypervisor') {
            expect(n('hypervisorCpu')).toBeGreaterThan(0.05);
            expect(n('dom0Cpu')).toBeLessThan(0.01);
          } else {
            expect(n('dom0Cpu')).toBeGreaterThan(0.05);
            expect(n('hypervisorCpu')).toBeGreaterThan(0.02);
            expect(n('hypervisorCpu')).toBeLessThan(n('dom0Cpu'));
          }
        }
        if (r['traffic'] === 'rr')
          expect(n('clientRateMbps')).toBeLessThanOrEqual(n('guests') * n('clientsPerGuest') * 0.4 * (1 + 1e-9));
        const sum = n('hypervisorCpu') + n('dom0Cpu') + n('guestsCpu') + n('switchingCpu') + n('idleCpu');
        expect(sum).toBeLessThan(1.0001);
        expect(sum).toBeGreaterThan(0.999);
      }
    },
  },
  'balloon-footprint': {
    charts: ['faults-at-min-vs-working-set', 'min-size-vs-working-set', 'paging-onset-vs-working-set'],
    chartText: [['paging-onset-vs-working-set', 'K + W (model)']],
    stdout: /Paging starts at \/ smallest size \(MB\) by working set, 64 MB domain/,
    extra: (out) => {
      // the model's exact answers: paging starts in the first step below K + W; the smallest size is K
      // (swap on) or K + ⌈anon·W⌉ (swap off)
      for (const r of parseCsv(read(join(out, 'runs.csv')))) {
        const k = Number(r['kernelPages']);
        const w = Number(r['workingSetPages']);
        const first = Number(r['firstFaultPages']);
        expect(first).toBeLessThan(k + w);
        expect(first).toBeGreaterThanOrEqual(k + w - Number(r['stepPages']));
        const floor = r['swap'] === 'on' ? k : k + Math.ceil(Number(r['anonFraction']) * w);
        expect(Number(r['minPages'])).toBe(floor);
      }
      // tables/footprint.csv (issue 12): exactly swap,footprintMB; one row per swap setting, the smallest
      // size at the reference working set (--quick: 512 pages, the grid's closest to 1024, smaller on a tie),
      // K with swap (3 MB) and K + half of W without (4 MB)
      const csv = read(join(out, 'tables', 'footprint.csv'));
      expect(csv.split('\n')[0]).toBe('swap,footprintMB');
      const rows = parseCsv(csv);
      expect(rows.map((r) => [r['swap'], Number(r['footprintMB'])])).toEqual([
        ['on', 3],
        ['off', 4],
      ]);
    },
  },
  scalability: {
    charts: ['figure6-relative-throughput', 'switching-vs-domains'],
    tables: ['figure6', 'udp-latency'],
    chartText: [['figure6-relative-throughput', 'no overhead: min(N, CPUs)']],
    stdout:
      /Aggregate throughput relative to one copy \(figure 6\)[\s\S]*native Linux\s+Xen, 50 ms slice\s+Xen, 5 ms slice/,
    extra: (out) => {
      // figure6.csv: the columns, one row per point, 1 at one copy, never above min(N, 2 CPUs)
      const text = read(join(out, 'tables', 'figure6.csv'));
      expect(text.split('\n')[0]).toBe('domains,system,ctxAllowMs,relativeThroughput');
      const rows = parseCsv(text);
      // 7 measures per point; every point but the one xen-udp point has a figure-6 row
      expect(rows).toHaveLength(parseCsv(read(join(out, 'summary.csv'))).length / 7 - 1);
      for (const r of rows) {
        expect(r['ctxAllowMs'] === '', JSON.stringify(r)).toBe(r['system'] === 'native');
        const rel = Number(r['relativeThroughput']);
        if (r['domains'] === '1') expect(rel).toBe(1);
        else expect(rel).toBeLessThanOrEqual(Math.min(Number(r['domains']), 2) + 1e-9);
        expect(rel).toBeGreaterThan(0.9);
      }
      // udp-latency.csv: the columns, busy then idle, positive numbers (the quick warm-up is
      // short: only the structure is checked here; idle < busy at the default warm-up is in scalability.test.ts)
      const udpText = read(join(out, 'tables', 'udp-latency.csv'));
      expect(udpText.split('\n')[0]).toBe('target,meanMs,sdMs');
      expect(udpText).not.toMatch(/NaN|Infinity/);
      const udp = parseCsv(udpText);
      expect(udp.map((r) => r['target'])).toEqual(['busy', 'idle']);
      for (const r of udp) {
        expect(Number(r['meanMs'])).toBeGreaterThan(0);
        expect(Number(r['sdMs'])).toBeGreaterThan(0);
      }
    },
  },
  ttcp: {
    charts: ['table4-rx-1500', 'table4-rx-500', 'table4-tx-1500', 'table4-tx-500'],
    tables: ['cells', 'table4'],
    stdout: /ttcp \(Table 4\): simulated \/ published Mb\/s/,
    extra: (out) => {
      const text = read(join(out, 'tables', 'table4.csv'));
      // exactly the columns (a sweep table: no point, parameter or replication prepended)
      expect(text.split('\n')[0]).toBe('direction,mtu,profile,publishedMbps,simulatedMbps,relError');
      const rows = parseCsv(text);
      expect(rows.length).toBe(16);
      // one row per published cell: the four profiles × Table 4's four columns, each once
      expect(new Set(rows.map((r) => `${r['profile']}/${r['direction']}/${r['mtu']}`)).size).toBe(16);
      // the same numbers as the run's cells (one replication)
      const cells = parseCsv(read(join(out, 'tables', 'cells.csv')));
      expect(cells.map((r) => [r['simulatedMbps'], r['relError']])).toEqual(
        rows.map((r) => [r['simulatedMbps'], r['relError']]),
      );
      for (const r of rows) {
        // relError is simulated / published − 1; the link caps every cell (goodput 1460/1538 · 1 Gb/s)
        expect(Number(r['relError'])).toBeCloseTo(Number(r['simulatedMbps']) / Number(r['publishedMbps']) - 1, 4);
        expect(Number(r['simulatedMbps'])).toBeLessThanOrEqual(949.3);
        // The per-packet/per-byte costs are fitted to Table 4 (calibration.ts NET_COSTS): a calibration
        // check. Every cell within 10 % but full-virt's receive pair, which no per-packet and per-byte
        // cost ≥ 0 can place both within 10 % (experiments/ttcp/index.ts header): within 25 %.
        const limit = r['profile'] === 'full-virt' && r['direction'] === 'rx' ? 0.25 : 0.1;
        expect(Math.abs(Number(r['relError'])), `${r['profile']} ${r['direction']} ${r['mtu']}`).toBeLessThanOrEqual(
          limit,
        );
      }
    },
  },
  isolation: {
    charts: ['isolation-osdb-ir', 'isolation-relative', 'isolation-specweb'],
    tables: ['isolation'],
    stdout: /Isolation: benchmark scores solo and with antagonists/,
    extra: (out) => {
      // one row per (benchmark, system); relativeChange = with / solo − 1 of the runs' measures; the
      // antagonists' own disk work shows only when they run (and the solo runs carry none)
      const runs = parseCsv(read(join(out, 'runs.csv')));
      const rows = parseCsv(read(join(out, 'tables', 'isolation.csv')));
      expect(Object.keys(rows[0] ?? {})).toEqual([
        'benchmark',
        'system',
        'soloScore',
        'withAntagonistsScore',
        'relativeChange',
      ]);
      expect(rows.map((r) => `${r['benchmark']}/${r['system']}`)).toEqual([
        'osdb-ir/xen',
        'osdb-ir/native',
        'specweb/xen',
        'specweb/native',
      ]);
      const measure: Record<string, string> = { 'osdb-ir': 'osdbQps', specweb: 'webScore' };
      const score = (b: string, s: string, a: string): number =>
        Number(runs.find((r) => r['system'] === s && r['antagonists'] === a)?.[measure[b] as string]);
      for (const r of rows) {
        const b = r['benchmark'] as string;
        const s = r['system'] as string;
        expect(Number(r['soloScore'])).toBe(score(b, s, 'off'));
        expect(Number(r['withAntagonistsScore'])).toBe(score(b, s, 'on'));
        expect(Number(r['soloScore'])).toBeGreaterThan(0);
        expect(Number(r['relativeChange'])).toBeCloseTo(score(b, s, 'on') / score(b, s, 'off') - 1, 9);
      }
      for (const r of runs) {
        if (r['antagonists'] === 'off') expect(Number(r['diskHogMBps'])).toBe(0);
        else expect(Number(r['diskHogMBps'])).toBeGreaterThan(1);
        // --quick: the fixed load, so the web score is a count of conformant clients out of webClients
        expect(Number(r['webScore'])).toBeLessThanOrEqual(Number(r['webClients']));
        expect(Number(r['webScore'])).toBe(Number(r['webConformantShare']) * Number(r['webClients']));
      }
    },
  },
  'concurrent-web': {
    charts: ['cpu-vs-servers', 'score-vs-servers'],
    tables: ['probes'],
    stdout: /Concurrent web serving: aggregate score/,
    extra: (out) => {
      // fixed-load score: conformant clients ≤ the 800 clients offered, busy shares in [0, 1], both systems
      // at every server count, and one run per point (no search in --quick)
      const runs = parseCsv(read(join(out, 'runs.csv')));
      expect(runs.length).toBe(10);
      for (const r of runs) {
        expect(Number(r['offeredClients'])).toBe(800);
        expect(Number(r['clientsAtScore'])).toBe(800);
        expect(Number(r['score'])).toBeLessThanOrEqual(Number(r['clientsAtScore']));
        expect(Number(r['score'])).toBeGreaterThanOrEqual(0);
        expect(Number(r['probes'])).toBe(1);
        for (const m of ['cpuBusy', 'cpu0Busy', 'cpu1Busy']) {
          expect(Number(r[m])).toBeGreaterThan(0);
          expect(Number(r[m])).toBeLessThanOrEqual(1 + 1e-9);
        }
        // balanced interrupts: the NIC's interrupts alternate (round robin, one each), so CPU 0 takes half of
        // them, and neither all nor none of the interrupt-context time
        expect(Math.abs(Number(r['nicIrqShareCpu0']) - 0.5)).toBeLessThan(1e-3);
        expect(Number(r['irqShareCpu0'])).toBeGreaterThan(0.2);
        expect(Number(r['irqShareCpu0'])).toBeLessThan(0.8);
      }
      // 800 clients overload one CPU: one server (one CPU) scores below two servers (two CPUs), either system
      const score = (sys: string, n: number): number =>
        Number(runs.find((r) => r['system'] === sys && Number(r['servers']) === n)?.['score']);
      for (const sys of ['xen', 'native']) expect(score(sys, 1)).toBeLessThan(score(sys, 2));
      // the probes table: one row per run, the same clients and conformant count as the run's measures
      const probes = parseCsv(read(join(out, 'tables', 'probes.csv')));
      expect(probes.length).toBe(runs.length);
      for (const r of runs) {
        const mine = probes.filter((x) => x['point'] === r['point'] && x['replication'] === r['replication']);
        expect(mine.length).toBe(1);
        expect(Number(mine[0]?.['clients'])).toBe(Number(r['clientsAtScore']));
        expect(Number(mine[0]?.['conformant'])).toBe(Number(r['score']));
      }
    },
  },
};

describe('every registered study has an entry in this table', () => {
  it('names match', () => {
    expect(studies.map((s) => s.name).sort()).toEqual(Object.keys(TABLE).sort());
  });
});

for (const study of studies) {
  const entry = TABLE[study.name];
  describe.runIf(entry !== undefined)(`${study.name} --quick (compiled CLI)`, () => {
    const out = join(tempDir(study.name), 'results');
    let result: CliResult;
    beforeAll(() => {
      result = hvsim(['run', study.name, '--quick', '--out', out, '--progress', 'none']);
      expect(result.status, result.stderr).toBe(0);
    });

    it('writes every planned run, the summary, a complete manifest, valid charts with PNGs and the report', () => {
      const e = entry as Entry;
      const manifest = JSON.parse(read(join(out, 'manifest.json'))) as { status: string; totals: { runs: number } };
      expect(manifest.status).toBe('complete');
      const runs = parseCsv(read(join(out, 'runs.csv')));
      expect(runs).toHaveLength(manifest.totals.runs);
      for (const m of Object.keys(study.measures)) expect(Object.keys(runs[0] ?? {}), m).toContain(m);
      expect(existsSync(join(out, 'summary.csv'))).toBe(true);
      const specs = readdirSync(join(out, 'charts'))
        .filter((f) => f.endsWith('.vl.json'))
        .sort();
      expect(specs).toEqual(e.charts.map((c) => `${c}.vl.json`));
      for (const f of specs) {
        expect(validateSpec(JSON.parse(read(join(out, 'charts', f)))), f).toEqual([]);
        expect(existsSync(join(out, 'charts', f.replace('.vl.json', '.png'))), f).toBe(true);
      }
      for (const [chart, text] of e.chartText ?? [])
        expect(read(join(out, 'charts', `${chart}.vl.json`)), chart).toContain(text);
      for (const t of e.tables ?? []) expect(existsSync(join(out, 'tables', `${t}.csv`)), t).toBe(true);
      expect(existsSync(join(out, 'report.html'))).toBe(true);
      expect(result.stdout).toMatch(e.stdout);
    });

    it('CSV outputs validate: named, unique columns; the declared parameters, measures and table columns; no NaN or Infinity; every measure given by some run', () => {
      const tablesDir = join(out, 'tables');
      const files = [
        'runs.csv',
        'summary.csv',
        ...(existsSync(tablesDir)
          ? readdirSync(tablesDir)
              .filter((f) => f.endsWith('.csv'))
              .map((f) => join('tables', f))
          : []),
      ];
      for (const f of files) {
        const text = read(join(out, f));
        const cols = (text.split('\n')[0] ?? '').split(',');
        expect(cols.length, f).toBeGreaterThan(0);
        expect(
          cols.every((c) => c.length > 0),
          `${f}: an unnamed column`,
        ).toBe(true);
        expect(new Set(cols).size, `${f}: a repeated column`).toBe(cols.length);
        expect(text, `${f}: NaN or Infinity in a cell`).not.toMatch(/(^|,)(NaN|-?Infinity)(,|\r?$)/m);
        expect(parseCsv(text).length, `${f}: no rows`).toBeGreaterThan(0);
      }
      const runs = parseCsv(read(join(out, 'runs.csv')));
      const header = Object.keys(runs[0] ?? {});
      for (const p of Object.keys(study.params)) expect(header, `runs.csv parameter ${p}`).toContain(p);
      for (const m of Object.keys(study.measures))
        expect(
          runs.some((r) => (r[m] ?? '') !== ''),
          `measure ${m} has no value in any run`,
        ).toBe(true);
      for (const [t, spec] of Object.entries(study.tables ?? {})) {
        const cols = (read(join(tablesDir, `${t}.csv`)).split('\n')[0] ?? '').split(',');
        for (const c of Object.keys(spec.columns)) expect(cols, `tables/${t}.csv column ${c}`).toContain(c);
      }
    });

    if (entry?.extra !== undefined) {
      const extra = entry.extra;
      it('study-specific checks', () => extra(out, result));
    }

    if (study.name === 'mm1-validation') {
      it('the check can fail: a theory 20% off is outside the 99.9% CI at some load', () => {
        expect(mm1Misses(out, 1.2).length).toBeGreaterThan(0);
      });
    }
  });
}

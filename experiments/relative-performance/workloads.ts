// The workloads of the paper's relative-performance figure, in its order, as one table (WORKLOADS): each
// entry names its score's unit, which way is better, and how it runs on the four profiles. Where each
// comes from: spec-int and kernel-build are the relative-cpu study's runs (experiments/relative-cpu/
// cpu-runs.ts); osdb-ir, osdb-oltp and dbench are disk-runs.ts; specweb is web-run.ts. Measures: each
// workload's native score and its ratio to native on the other three profiles. Units as the entries say.
import { VIRT_PROFILES, type VirtProfile } from '../../src/models/guest/operations.js';
import { OSDB_SCORE_UNIT } from '../../src/models/workloads/osdb.js';
import type { TableRow } from '../../src/runner/study.js';
import { round6, SCORE_UNITS, type CpuRuns } from '../relative-cpu/cpu-runs.js';
import { diskEntry, runDbench, runOsdb } from './disk-runs.js';
import type { RelperfParams } from './params.js';
import { webScoreOnProfile } from './web-run.js';

/** The paper's system names, as the figure's rows: the four profiles. */
export const FIGURE3_SYSTEMS: readonly VirtProfile[] = VIRT_PROFILES;

/** What a workload entry needs to run: parameters, seeds and the CPU runs (computed once, on demand). */
export interface RunInput {
  readonly p: RelperfParams;
  readonly seed: string;
  cpuRuns(): CpuRuns;
}

export interface WorkloadEntry {
  /** The figure's name of the workload (tables/figure3.csv's workload column). */
  readonly id: string;
  /** The unit of the score and which way is better. */
  readonly scoreUnit: string;
  readonly higherIsBetter: boolean;
  /** Scores per profile, detail rows by table name, events simulated. */
  run(input: RunInput): { scores: Map<VirtProfile, number>; tables: Record<string, TableRow[]>; events: number };
}

/** SPECweb99-like: web.ts's score (conformant clients, bisection) on each profile, one detail row each. */
const specweb: WorkloadEntry = {
  id: 'specweb',
  scoreUnit: 'conformant clients (higher is better)',
  higherIsBetter: true,
  run({ p, seed }) {
    const scores = new Map<VirtProfile, number>();
    const detail: TableRow[] = [];
    let events = 0;
    const o = {
      seed: `${seed}/web`,
      timerTickNs: p.timerTickNs,
      ptBatch: p.ptBatch,
      warmupNs: p.webWarmupNs,
      runLengthNs: p.webRunLengthNs,
    };
    for (const profile of VIRT_PROFILES) {
      const s = webScoreOnProfile(profile, { maxClients: p.webMaxClients, clientStep: p.webClientStep }, o);
      events += s.events;
      scores.set(profile, s.score);
      detail.push({
        system: profile,
        score: s.score,
        passingClients: s.passingClients,
        probes: s.probes,
        runClients: s.run.clients,
        requestsPerSec: round6(s.run.requestsPerSec),
        throughputMbps: round6(s.run.throughputMbps),
        cpuBusyShare: round6(s.run.cpuBusyShare),
        p50Ms: round6(s.run.p50Ms),
        p99Ms: round6(s.run.p99Ms),
        drops: s.run.drops,
      });
    }
    return { scores, tables: { 'web-detail': detail }, events };
  },
};

/** The figure's workloads, in its order. */
export const WORKLOADS: readonly WorkloadEntry[] = [
  {
    id: 'spec-int',
    scoreUnit: SCORE_UNITS['spec-int'],
    higherIsBetter: true,
    run: ({ cpuRuns }) => ({ scores: new Map(cpuRuns().specScore), tables: {}, events: 0 }),
  },
  {
    id: 'kernel-build',
    scoreUnit: SCORE_UNITS['kernel-build'],
    higherIsBetter: false,
    run: ({ cpuRuns }) => ({ scores: new Map(cpuRuns().buildS), tables: {}, events: 0 }),
  },
  diskEntry('osdb-ir', `${OSDB_SCORE_UNIT.ir} (higher is better)`, (pr, p, seed, i) => runOsdb('ir', pr, p, seed, i)),
  diskEntry('osdb-oltp', `${OSDB_SCORE_UNIT.oltp} (higher is better)`, (pr, p, seed, i) =>
    runOsdb('oltp', pr, p, seed, i),
  ),
  diskEntry('dbench', 'MB/s (higher is better)', runDbench),
  specweb,
];
export const FIGURE3_WORKLOADS: readonly string[] = WORKLOADS.map((w) => w.id);

const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Measure name of a (workload, profile) ratio, e.g. osdbOltpFullVirtRel. */
export function relMeasure(workload: string, profile: VirtProfile): string {
  return `${camel(workload)}${cap(camel(profile))}Rel`;
}

/** Measure name of a workload's native score, e.g. osdbIrNativeScore. */
export function nativeMeasure(workload: string): string {
  return `${camel(workload)}NativeScore`;
}

export const RELPERF_MEASURES: Record<string, { unit: string; doc: string }> = {};
for (const w of WORKLOADS) {
  RELPERF_MEASURES[nativeMeasure(w.id)] = {
    unit: w.scoreUnit.replace(/ \(.*\)$/, ''),
    doc: `${w.id} score on native Linux`,
  };
  for (const pr of VIRT_PROFILES)
    if (pr !== 'native')
      RELPERF_MEASURES[relMeasure(w.id, pr)] = { unit: '', doc: `${w.id}: ${pr} relative to native (> 1 = better)` };
}

/**
 * tables/figure3.csv from the runs' measures (a sweep table: its own columns only): one row per workload
 * and system, the score (native: the native score measure; other systems: recovered from the ratio,
 * score = ratio × native when higher is better, native / ratio otherwise) and relativeToNative, each
 * the mean over the given runs (the default sweep has one point and one replication).
 */
export function figure3Rows(runs: readonly { readonly measures: Readonly<Record<string, number>> }[]): TableRow[] {
  const rows: TableRow[] = [];
  if (runs.length === 0) return rows;
  const mean = (f: (m: Readonly<Record<string, number>>) => number): number =>
    runs.reduce((a, r) => a + f(r.measures), 0) / runs.length;
  for (const w of WORKLOADS) {
    const native = (m: Readonly<Record<string, number>>): number => m[nativeMeasure(w.id)] ?? NaN;
    for (const profile of VIRT_PROFILES) {
      const rel = (m: Readonly<Record<string, number>>): number =>
        profile === 'native' ? 1 : (m[relMeasure(w.id, profile)] ?? NaN);
      const score = (m: Readonly<Record<string, number>>): number =>
        profile === 'native' ? native(m) : w.higherIsBetter ? rel(m) * native(m) : native(m) / rel(m);
      rows.push({
        workload: w.id,
        system: profile,
        score: round6(mean(score)),
        scoreUnit: w.scoreUnit,
        relativeToNative: round6(mean(rel)),
      });
    }
  }
  return rows;
}

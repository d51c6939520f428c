// Deciding SLOs on replications: for each point of a scenario sweep and each SLO, the per-replication
// values (a response-time percentile of the template's pooled responses, its throughput or CPU share
// per instance, the host's CPU headroom), their mean and Student-t 95% confidence interval across
// replications (src/sim/stats/replication.ts), and the verdict. Metrics added with the memory and disk
// models: a commit-latency percentile (oltp), disk throughput per domain (MB/s), page faults per second
// per domain, and the host's swap pages per second (read + written). An SLO holds only when the whole CI
// is on the right side of the limit: for an upper limit (response time) the CI's upper bound must be
// at most the limit, for a floor (throughput, CPU share, headroom) its lower bound at least the floor.
// A replication with no value (no response completed in the window) makes the SLO fail.
// Units: response and commit times in ms, throughput per s, disk throughput in MB/s (10^6 bytes), fault
// rates per s, swap I/O in pages per s, shares as fractions.
import type { StudyData, TableRow } from '../runner/study.js';
import { summarize } from '../sim/stats/replication.js';
import { COMMIT_COLUMNS, RESPONSE_COLUMNS } from './run.js';
import type { Slo } from './schema.js';

export interface SloResult {
  readonly slo: Slo;
  /** e.g. "p99 response time of web <= 100 ms". */
  readonly label: string;
  /** The metric's name with its unit, for axes and columns (e.g. "p99 response time of web (ms)"). */
  readonly metricLabel: string;
  readonly limit: number;
  readonly direction: 'max' | 'min';
  readonly n: number;
  readonly missing: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly holds: boolean;
}

export interface PointVerdict {
  readonly point: number;
  readonly variant: string;
  readonly slos: readonly SloResult[];
  /** Every SLO holds (true when there are none). */
  readonly holds: boolean;
}

export function sloLabel(slo: Slo): { label: string; metricLabel: string; limit: number; direction: 'max' | 'min' } {
  switch (slo.metric) {
    case 'responseTime':
      return {
        label: `p${slo.percentile} response time of ${slo.template} <= ${slo.maxMs} ms`,
        metricLabel: `p${slo.percentile} response time of ${slo.template} (ms)`,
        limit: slo.maxMs,
        direction: 'max',
      };
    case 'throughput':
      return {
        label: `throughput per ${slo.template} domain >= ${slo.minPerS}/s`,
        metricLabel: `throughput per ${slo.template} domain (/s)`,
        limit: slo.minPerS,
        direction: 'min',
      };
    case 'cpuShare':
      return {
        label: `CPU share per ${slo.template} domain >= ${slo.min}`,
        metricLabel: `CPU share per ${slo.template} domain`,
        limit: slo.min,
        direction: 'min',
      };
    case 'cpuHeadroom':
      return {
        label: `host CPU headroom >= ${slo.min}`,
        metricLabel: 'host CPU headroom',
        limit: slo.min,
        direction: 'min',
      };
    case 'commitLatency':
      return {
        label: `p${slo.percentile} commit latency of ${slo.template} <= ${slo.maxMs} ms`,
        metricLabel: `p${slo.percentile} commit latency of ${slo.template} (ms)`,
        limit: slo.maxMs,
        direction: 'max',
      };
    case 'diskThroughput':
      return {
        label: `disk throughput per ${slo.template} domain >= ${slo.minMBPerS} MB/s`,
        metricLabel: `disk throughput per ${slo.template} domain (MB/s)`,
        limit: slo.minMBPerS,
        direction: 'min',
      };
    case 'pageFaultRate':
      return {
        label: `page faults per ${slo.template} domain <= ${slo.maxPerS}/s`,
        metricLabel: `page faults per ${slo.template} domain (/s)`,
        limit: slo.maxPerS,
        direction: 'max',
      };
    case 'swapIo':
      return {
        label: `host swap I/O <= ${slo.maxPagesPerS} pages/s`,
        metricLabel: 'host swap I/O (pages/s)',
        limit: slo.maxPagesPerS,
        direction: 'max',
      };
    case 'dropRate':
      return {
        label: `drop rate of ${slo.template} <= ${slo.max}`,
        metricLabel: `drop rate of ${slo.template} (fraction of requests)`,
        limit: slo.max,
        direction: 'max',
      };
  }
}

/** The measure (host SLOs: cpuHeadroom, swapIo) or templates-table column an SLO reads. */
export function sloColumn(slo: Slo): string {
  switch (slo.metric) {
    case 'responseTime':
      return RESPONSE_COLUMNS[slo.percentile];
    case 'throughput':
      return 'throughputPerS';
    case 'cpuShare':
      return 'cpuShare';
    case 'cpuHeadroom':
      return 'cpuHeadroom';
    case 'commitLatency':
      return COMMIT_COLUMNS[slo.percentile];
    case 'diskThroughput':
      return 'diskMBPerS';
    case 'pageFaultRate':
      return 'faultsPerS';
    case 'swapIo':
      return 'swapPagesPerS';
    case 'dropRate':
      return 'dropRate';
  }
}

/** Per-replication values of an SLO's metric at one point (NaN where the run has no value). */
export function sloValues(data: StudyData, point: number, slo: Slo): number[] {
  if (slo.metric === 'cpuHeadroom' || slo.metric === 'swapIo') {
    const measure = sloColumn(slo);
    return data.runs.filter((r) => r.point === point).map((r) => r.measures[measure] ?? NaN);
  }
  const col = sloColumn(slo);
  const rows = (data.tables['templates'] ?? []).filter(
    (r: TableRow) => r['point'] === point && r['template'] === slo.template,
  );
  return rows.map((r) => (typeof r[col] === 'number' ? (r[col] as number) : NaN));
}

export function decide(slo: Slo, values: readonly number[]): SloResult {
  const { label, metricLabel, limit, direction } = sloLabel(slo);
  const finite = values.filter((v) => Number.isFinite(v));
  const missing = values.length - finite.length;
  const s = summarize(finite);
  const ok = missing === 0 && s.n >= 2 && (direction === 'max' ? s.hi <= limit : s.lo >= limit);
  return { slo, label, metricLabel, limit, direction, n: s.n, missing, mean: s.mean, lo: s.lo, hi: s.hi, holds: ok };
}

/** The verdict of every point of a complete scenario sweep. */
export function verdicts(data: StudyData, slos: readonly Slo[]): PointVerdict[] {
  const points = [...new Set(data.runs.map((r) => r.point))].sort((a, b) => a - b);
  return points.map((point) => {
    const variant = String(data.runs.find((r) => r.point === point)?.params['variant'] ?? '');
    const results = slos.map((slo) => decide(slo, sloValues(data, point, slo)));
    return { point, variant, slos: results, holds: results.every((r) => r.holds) };
  });
}

/** "p99 response time of web <= 100 ms: holds (mean 41.2, 95% CI 38.1–44.3)". */
export function resultLine(r: SloResult): string {
  const f = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : 'n/a');
  const verdict = r.holds ? 'holds' : 'fails';
  const why = r.missing > 0 ? `; ${r.missing} of ${r.n + r.missing} runs have no value` : '';
  return `${r.label}: ${verdict} (mean ${f(r.mean)}, 95% CI ${f(r.lo)} to ${f(r.hi)}, n = ${r.n}${why})`;
}

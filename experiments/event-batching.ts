// Study event-batching: "how do throughput, latency and CPU overhead move when the guest asks for an
// event notification every 1, 2, 4 … 64 items?" A request stream over one shared I/O ring between a
// client and a server domain; both directions notify through one event channel under the ring's
// notification policy: the consumer re-arms its event index k items ahead (`k`), and a producer
// notifies at the latest `holdOffNs` after the first un-notified item (0 = no hold-off timer).
//
// Model: src/models/workloads/request-response.ts (runRequestResponse), unchanged. Per request the client
// spends clientIssueNs (500 ns) to issue it, the server an exponential service time (mean
// serviceMeanNs, 1880 ns), the client clientResponseNs (500 ns) to consume the response; each
// notification costs the sender an EVTCHNOP_send hypercall (450 ns) and the receiver an upcall
// (1290 ns) — anchors on the paper's Table 3, see that module and events/event-channels.ts — and wakes
// the receiving domain through the CPU scheduler (Xen 1.0 BVT), which costs a context switch on the one
// CPU (calibrated context-switch model). Ring: 256 entries (calibration.md). The same k and hold-off
// apply to both directions. A consumer that is still busy when items arrive finds them in its final
// check without being notified (ring.h's event-index protocol), so under load the ring batches by
// itself.
// Load: open loop, Poisson arrivals at ratePerS (or closed loop with `outstanding` requests).
//
// The default grid has two parts (a list grid):
//   A. the k sweep: k = 1, 2, 4 … 64 × hold-off ∈ {10 µs, 100 µs, 1 ms, none} at 50 000 requests/s
//      (≈ 15-30 % of the CPU: a moderate load at which notifications are needed);
//   B. the load sweep: k ∈ {1, 4, 16, 64} × 25 000 … 330 000 requests/s at a 100 µs hold-off, for the
//      latency-throughput trade-off (the CPU saturates near 345 000 requests/s).
// Charts are built from the part they need: the k-sweep charts from the points at the most common
// ratePerS, the latency-throughput chart from the hold-off with the most loads. Other parameters that
// vary (e.g. --grid cpus=1,2) are added to the series labels.
//
// Measures (window [warmupNs, warmupNs + runLengthNs)) are runRequestResponse's, plus:
//   notificationsPerItem = mean over the two directions of notifications per item pushed (1/k when
//     every batch of k items finds the consumer idle and armed: the dashed line);
//   switchingFraction = context-switch time / (window · CPUs);
//   cpuPerRequestNs = (host busy + switching time) / completed requests: everything the host spent,
//     whose floor is the useful work clientIssueNs + serviceMeanNs + clientResponseNs.
// Latency: arrival at the client → response consumed and processed (mean, p50, p99).
// Theory drawn: 1/k notifications per item; the useful-work floor of the CPU per request; the offered
// load on the throughput chart; and for the no-hold-off series the batching approximation
// L(k) ≈ L(1) + (k − 1)(1/λ + S + R)/2 (item i of a batch waits for k − i more arrivals, its response
// for k − i more services S, and its processing behind i − 1 others, R = clientResponseNs; L(1) is the
// simulated k = 1 mean).
// Reading the results: with a hold-off shorter than the time k items take to arrive, a request batch
// is cut by the timer before it holds k items, so its responses never reach the client's event index
// either and wait for the response-side timer too: latency ≈ the request wait + a full hold-off
// (e.g. 1 ms at k = 64 and 50k requests/s is slower than no timer at all). And under heavy load the
// consumers stay active and find new items in their final checks, so notifications per item fall
// below 1/k whatever k is; k then matters little (the latency-throughput chart).
// Randomness: request-response/arrivals and request-response/service (common random numbers across k
// and hold-off). Defaults: warm-up 50 ms, 1 s runs, 5 replications: 56 points, 280 runs, about 1.5-2
// minutes on 2 cores. --quick: k ∈ {1, 4, 16, 64}, hold-off ∈ {100 µs, none}, loads {50k, 200k}, 3
// replications of 200 ms.
import { measureVsParam } from '../src/charts/measureVsParam.js';
import { baseSpec, checkLogPositive, logDomain } from '../src/charts/specBase.js';
import { categoryScale, CI_FORMAT, VALUE_FORMAT } from '../src/charts/theme.js';
import { EVENT_CHANNEL_DEFAULTS } from '../src/models/events/event-channels.js';
import { runRequestResponse, type RequestResponseParams } from '../src/models/workloads/request-response.js';
import type { ChartSpec, ConsoleTable, Params, RunContext, RunResult, Study, StudyData, SummaryRow } from '../src/runner/study.js';
import { formatNs } from '../src/sim/time.js';
import { addSubtitle, bool, distinct, fmt, lineRows, num, pointEntries, pointsOf, seriesLabeler, str } from './hypervisor-core-helpers.js';

const WHERE = 'event-batching';
const US = 1e-3;
const KS = [1, 2, 4, 8, 16, 32, 64];
const HOLD_OFFS = [10_000, 100_000, 1_000_000, 0];
const K_SWEEP_RATE = 50_000;
const TRADEOFF_KS = [1, 4, 16, 64];
const TRADEOFF_RATES = [25_000, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 330_000];
const TRADEOFF_HOLD_OFF = 100_000;

function listGrid(ks: readonly number[], holdOffs: readonly number[], sweepRate: number, tks: readonly number[], rates: readonly number[], tHold: number): Params[] {
  const pts: Params[] = [];
  for (const holdOffNs of holdOffs) for (const k of ks) pts.push({ ratePerS: sweepRate, holdOffNs, k });
  for (const k of tks) {
    for (const ratePerS of rates) {
      // the k sweep already holds (sweepRate, tHold, k)
      if (!(ratePerS === sweepRate && holdOffs.includes(tHold) && ks.includes(k))) pts.push({ ratePerS, holdOffNs: tHold, k });
    }
  }
  return pts;
}

export const EVENT_BATCHING_MEASURES = {
  throughputPerS: { unit: 'requests/s', doc: 'responses consumed by the client per second of the window' },
  latencyMeanNs: { unit: 'ns', doc: 'mean latency: arrival at the client → response consumed and processed' },
  latencyP50Ns: { unit: 'ns', doc: 'median latency' },
  latencyP99Ns: { unit: 'ns', doc: '99th-percentile latency' },
  notificationsPerItem: { unit: 'notifications/item', doc: 'notifications per item pushed, mean of the two directions (1/k at best)' },
  requestNotifiesPerItem: { unit: 'notifications/item', doc: 'client → server notifications per request pushed' },
  responseNotifiesPerItem: { unit: 'notifications/item', doc: 'server → client notifications per response pushed' },
  holdOffNotifyFraction: { unit: '', doc: 'fraction of the notifications sent by a hold-off timer' },
  notificationCpuFraction: { unit: '', doc: 'CPU on notifications (hypercalls + upcalls) / (notifications + useful work)' },
  notificationCpuPerItemNs: { unit: 'ns', doc: 'CPU on notifications per completed request' },
  switchingFraction: { unit: '', doc: 'context-switch time / (window · CPUs)' },
  cpuPerRequestNs: { unit: 'ns', doc: '(host busy + switching time) / completed requests' },
  hostUtilisation: { unit: '', doc: 'host busy time / (window · CPUs)' },
  backlogAtEnd: { unit: 'requests', doc: 'requests waiting at the client at the end (grows without bound past saturation)' },
} as const;

/** The workload's parameters for a study point. */
export function workloadParams(params: Params): Partial<RequestResponseParams> {
  const k = num(WHERE, params, 'k');
  const ring = num(WHERE, params, 'ringSizeEntries');
  if (k > ring) throw new RangeError(`${WHERE}: k must be at most ringSizeEntries (${ring}), got ${k}`);
  const hold = num(WHERE, params, 'holdOffNs');
  const policy = { everyItems: k, holdOffNs: hold === 0 ? null : hold };
  const meanNs = num(WHERE, params, 'serviceMeanNs');
  return {
    arrival: str(WHERE, params, 'arrival') as 'open' | 'closed',
    ratePerS: num(WHERE, params, 'ratePerS'),
    outstanding: num(WHERE, params, 'outstanding'),
    serviceNs: str(WHERE, params, 'serviceDistribution') === 'constant' ? { kind: 'constant', valueNs: meanNs } : { kind: 'exponential', meanNs },
    clientIssueNs: num(WHERE, params, 'clientIssueNs'),
    clientResponseNs: num(WHERE, params, 'clientResponseNs'),
    ringSizeEntries: ring,
    requestNotify: policy,
    responseNotify: policy,
    hypercallNs: num(WHERE, params, 'hypercallNs'),
    upcallNs: num(WHERE, params, 'upcallNs'),
    cpus: num(WHERE, params, 'cpus'),
    server: str(WHERE, params, 'server') as 'guest' | 'dom0',
    contextSwitchCosts: bool(WHERE, params, 'contextSwitchCosts'),
    warmupNs: num(WHERE, params, 'warmupNs'),
    runLengthNs: num(WHERE, params, 'runLengthNs'),
  };
}

export function runEventBatching(params: Params, ctx: RunContext): RunResult {
  const p = workloadParams(params);
  const m = runRequestResponse(p, ctx.seed);
  const cpuNs = m.windowNs * (p.cpus ?? 1);
  const busyNs = m.hostUtilisation * cpuNs;
  return {
    measures: {
      throughputPerS: m.throughputPerS,
      latencyMeanNs: m.latencyMeanNs,
      latencyP50Ns: m.latencyP50Ns,
      latencyP99Ns: m.latencyP99Ns,
      notificationsPerItem: (m.requestNotifiesPerItem + m.responseNotifiesPerItem) / 2,
      requestNotifiesPerItem: m.requestNotifiesPerItem,
      responseNotifiesPerItem: m.responseNotifiesPerItem,
      holdOffNotifyFraction: m.holdOffNotifyFraction,
      notificationCpuFraction: m.notificationCpuFraction,
      notificationCpuPerItemNs: m.notificationCpuPerItemNs,
      switchingFraction: m.switchingNs / cpuNs,
      cpuPerRequestNs: m.completedInWindow > 0 ? (busyNs + m.switchingNs) / m.completedInWindow : NaN,
      hostUtilisation: m.hostUtilisation,
      backlogAtEnd: m.backlogAtEnd,
    },
    events: m.events,
  };
}

// ---- charts ----

/** "none" for 0, else "10 µs", "1 ms". */
export function holdOffLabel(v: unknown): string {
  return v === 0 ? 'none' : formatNs(Number(v));
}

/** Effective hold-off for ordering: none = ∞. */
const holdOffRank = (v: unknown): number => (v === 0 ? Infinity : Number(v));

function most<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestN = 0;
  for (const [v, n] of counts) if (n > bestN) [best, bestN] = [v, n];
  return best;
}

interface XYPoint {
  series: string;
  x: number;
  y: number;
  lo: number;
  hi: number;
  order: number;
  label: string;
  n: number;
}

/**
 * A chart of one measure against another (no swept parameter on x): one line per series through
 * points ordered by `order`, y error bars (95% CI), optional text labels, an optional vertical
 * reference rule. Used for the trade-off charts.
 */
function xyChart(opts: {
  id: string;
  title: string;
  subtitle: string;
  points: XYPoint[];
  seriesTitle: string;
  xTitle: string;
  yTitle: string;
  xScale: 'linear' | 'log';
  yScale: 'linear' | 'log';
  labelSeries?: string;
  rule?: { x: number; label: string };
}): ChartSpec {
  const where = `${WHERE} chart ${opts.id}`;
  const pts = opts.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  for (const p of pts) {
    if (opts.yScale === 'log') checkLogPositive(where, 'y', p.y, `point ${p.series}/${p.label}`);
    if (opts.xScale === 'log') checkLogPositive(where, 'x', p.x, `point ${p.series}/${p.label}`);
    if (opts.yScale === 'log' && p.lo <= 0) p.lo = p.y;
  }
  const seriesDomain = [...new Set(pts.map((p) => p.series))];
  const scaleFor = (type: 'linear' | 'log', values: number[], zero: boolean): Record<string, unknown> =>
    type === 'log' ? { type: 'log', domain: logDomain(values), nice: false } : { type: 'linear', zero };
  const xs = [...pts.map((p) => p.x), ...(opts.rule === undefined ? [] : [opts.rule.x])];
  const ys = pts.flatMap((p) => [p.lo, p.hi, p.y]);
  const x = { field: 'x', type: 'quantitative', title: opts.xTitle, scale: scaleFor(opts.xScale, xs, true), axis: opts.xScale === 'log' ? { format: '~g' } : {} };
  const y = { field: 'y', type: 'quantitative', title: opts.yTitle, scale: scaleFor(opts.yScale, ys, false), axis: opts.yScale === 'log' ? { format: '~g' } : {} };
  const color = { field: 'series', type: 'nominal', title: opts.seriesTitle, scale: categoryScale(seriesDomain), sort: seriesDomain };
  const shapes = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-left', 'triangle-right'];
  const shape =
    seriesDomain.length <= shapes.length
      ? { shape: { field: 'series', type: 'nominal', title: opts.seriesTitle, sort: seriesDomain, scale: { domain: seriesDomain, range: shapes.slice(0, seriesDomain.length) } } }
      : {};
  const tooltip = [
    { field: 'series', type: 'nominal', title: opts.seriesTitle },
    { field: 'label', type: 'nominal', title: 'point' },
    { field: 'x', type: 'quantitative', title: opts.xTitle, format: VALUE_FORMAT },
    { field: 'y', type: 'quantitative', title: opts.yTitle, format: VALUE_FORMAT },
    { field: 'lo', type: 'quantitative', title: '95% CI low', format: CI_FORMAT },
    { field: 'hi', type: 'quantitative', title: '95% CI high', format: CI_FORMAT },
    { field: 'n', type: 'quantitative', title: 'replications' },
  ];
  const layers: Record<string, unknown>[] = [];
  if (opts.rule !== undefined) {
    layers.push(
      {
        data: { values: [{ x: opts.rule.x }] },
        mark: { type: 'rule', color: '#333333', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { x: { field: 'x', type: 'quantitative', scale: x.scale } },
      },
      {
        data: { values: [{ x: opts.rule.x, y: Math.min(...ys.filter((v) => opts.yScale !== 'log' || v > 0)), label: opts.rule.label }] },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -5, dy: -2, fontSize: 11, color: '#333333' },
        encoding: { x: { field: 'x', type: 'quantitative', scale: x.scale }, y: { ...y }, text: { field: 'label', type: 'nominal' } },
      },
    );
  }
  layers.push(
    { mark: { type: 'errorbar', ticks: true, thickness: 1.5 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
    { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } } },
    { mark: { type: 'point', filled: true, size: 55, opacity: 1 }, encoding: { x, y, color, ...shape, tooltip } },
  );
  if (opts.labelSeries !== undefined) {
    layers.push({
      transform: [{ filter: { field: 'series', equal: opts.labelSeries } }],
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 6, dy: -4, fontSize: 11, color: '#222222' },
      encoding: { x, y, text: { field: 'label', type: 'nominal' } },
    });
  }
  const spec = { ...baseSpec(opts.title, opts.subtitle), data: { values: pts }, layer: layers };
  return { id: opts.id, title: opts.title, spec };
}

/** Summary row of `measure` at `point`. */
function at(summary: readonly SummaryRow[], point: number, measure: string): SummaryRow | undefined {
  return summary.find((r) => r.point === point && r.measure === measure);
}

export function eventBatchingCharts(data: StudyData): ChartSpec[] {
  const entries = pointEntries(data.summary);
  const points = entries.map((e) => e.params);
  if (points.length === 0) return [];
  const pointOf = (p: Params): number => entries.find((e) => e.params === p)?.point ?? -1;
  const charts: ChartSpec[] = [];
  const n = Math.max(...data.summary.map((r) => r.n));
  const ciNote = n >= 2 ? `mean ± 95% CI (Student t), n = ${n} replications` : `mean of ${n} replication, no CI`;

  // ---- the k sweep: points at the most common ratePerS ----
  const sweepRate = most(points.map((p) => p['ratePerS']));
  const inSweep = (p: Params): boolean => p['ratePerS'] === sweepRate;
  const sweepPoints = points.filter(inSweep);
  const holdSeries = seriesLabeler(sweepPoints, 'holdOffNs', ['k', 'ratePerS'], { holdOffNs: holdOffLabel });
  const holdOrder = (a: Params, b: Params): number => holdOffRank(a['holdOffNs']) - holdOffRank(b['holdOffNs']) || (a['k'] as number) - (b['k'] as number);
  const ks = distinct<number>(sweepPoints.map((params) => ({ params })), 'k').sort((a, b) => a - b);
  const kSweep = ks.length >= 2;
  const rate = Number(sweepRate);
  const rateText = `${fmt(rate / 1000, 4)}k requests/s`;
  const kRows = (measure: string, scale = 1) =>
    lineRows(data.summary, measure, { x: 'k', xValue: (p) => p['k'] as number, series: holdSeries, filter: inSweep, order: holdOrder, scale });
  const kCommon = {
    x: 'k',
    color: 'series',
    colorTitle: 'hold-off',
    xTitle: 'notification batch k (items, log2 scale)',
    xScale: 'log' as const,
  };
  const first = sweepPoints[0] as Params;
  const usefulNs = num(WHERE, first, 'clientIssueNs') + num(WHERE, first, 'serviceMeanNs') + num(WHERE, first, 'clientResponseNs');
  const sameUseful = points.every(
    (p) => num(WHERE, p, 'clientIssueNs') + num(WHERE, p, 'serviceMeanNs') + num(WHERE, p, 'clientResponseNs') === usefulNs,
  );

  if (kSweep) {
    // 1. The trade-off: CPU per request vs mean latency, one line per hold-off through k = 1 … 64.
    const tradeoff: XYPoint[] = [];
    for (const p of [...sweepPoints].sort(holdOrder)) {
      const point = pointOf(p);
      const cpu = at(data.summary, point, 'cpuPerRequestNs');
      const lat = at(data.summary, point, 'latencyMeanNs');
      if (cpu === undefined || lat === undefined) continue;
      tradeoff.push({
        series: holdSeries(p),
        x: cpu.mean * US,
        y: lat.mean * US,
        lo: (lat.mean - lat.halfWidth) * US,
        hi: (lat.mean + lat.halfWidth) * US,
        order: p['k'] as number,
        label: `k=${String(p['k'])}`,
        n: lat.n,
      });
    }
    // label the points of the series that spans the widest CPU range (usually "none")
    const span = (s: string): number => {
      const xs = tradeoff.filter((t) => t.series === s).map((t) => t.x);
      return Math.max(...xs) - Math.min(...xs);
    };
    const labelSeries = [...new Set(tradeoff.map((t) => t.series))].sort((a, b) => span(b) - span(a))[0];
    charts.push(
      xyChart({
        id: 'tradeoff-cpu-vs-latency',
        title: `What batching buys and costs at ${rateText}: CPU per request vs mean latency`,
        subtitle: `lower left is better; one line per hold-off through k = ${ks.join(', ')} (labels: k); ${ciNote} on latency`,
        points: tradeoff,
        seriesTitle: 'hold-off',
        xTitle: 'host CPU per request (µs): work + notifications + switches',
        yTitle: 'mean latency (µs, log scale)',
        xScale: 'linear',
        yScale: 'log',
        ...(labelSeries === undefined ? {} : { labelSeries }),
        ...(sameUseful ? { rule: { x: usefulNs * US, label: 'useful work only' } } : {}),
      }),
    );

    // 2-3. Latency vs k.
    const meanRows = kRows('latencyMeanNs', US).filter((r) => r.mean > 0);
    const noneLabel = sweepPoints.filter((p) => p['holdOffNs'] === 0).map(holdSeries);
    const approx: { x: number; y: number; series: string }[] = [];
    for (const label of new Set(noneLabel)) {
      const p = sweepPoints.find((q) => holdSeries(q) === label);
      const l1 = meanRows.find((r) => r.params['series'] === label && r.params['k'] === 1);
      if (p === undefined || l1 === undefined || str(WHERE, p, 'arrival') !== 'open') continue;
      const perItemUs = (1e6 / rate + num(WHERE, p, 'serviceMeanNs') * US + num(WHERE, p, 'clientResponseNs') * US) / 2;
      for (const k of ks) approx.push({ x: k, y: l1.mean + (k - 1) * perItemUs, series: label });
    }
    const meanChart = measureVsParam({
      ...kCommon,
      id: 'latency-mean-vs-k',
      title: `Mean request latency vs notification batch k at ${rateText}`,
      summary: meanRows,
      measure: 'latencyMeanNs',
      yTitle: 'mean latency (µs, log scale)',
      yScale: 'log',
      ...(approx.length > 0 ? { theory: { label: 'batching approx. (no hold-off)', points: approx } } : {}),
    });
    if (approx.length > 0) addSubtitle(meanChart, 'dashed: L(k) ≈ L(1) + (k−1)(1/λ + S + R)/2; λ arrival rate, S mean service, R response CPU');
    charts.push(
      meanChart,
      measureVsParam({
        ...kCommon,
        id: 'latency-p99-vs-k',
        title: `99th-percentile request latency vs notification batch k at ${rateText}`,
        summary: kRows('latencyP99Ns', US).filter((r) => r.mean > 0),
        measure: 'latencyP99Ns',
        yTitle: 'p99 latency (µs, log scale)',
        yScale: 'log',
      }),
    );
    // 4. Notifications per item vs 1/k.
    charts.push(
      addSubtitle(measureVsParam({
        ...kCommon,
        id: 'notifications-per-item-vs-k',
        title: `Notifications per item (mean of both directions) vs batch k at ${rateText}`,
        summary: kRows('notificationsPerItem').filter((r) => r.mean > 0),
        measure: 'notificationsPerItem',
        yTitle: 'notifications per item (log scale)',
        yScale: 'log',
        theory:
          first['arrival'] === 'open'
            ? {
                label: 'approx. 1/min(k, 1 + λ·hold-off)',
                points: sweepPoints.map((p) => {
                  const h = num(WHERE, p, 'holdOffNs');
                  const k = p['k'] as number;
                  return { x: k, y: 1 / (h === 0 ? k : Math.min(k, 1 + (rate * h) / 1e9)), series: holdSeries(p) };
                }),
              }
            : { label: 'one notification per k items: 1/k', points: ks.map((k) => ({ x: k, y: 1 / k })) },
      }), 'dashed: a batch ends at its k-th item or when the hold-off expires, whichever first (λ = arrival rate)'),
    );
    // 5. CPU on notifications.
    charts.push(
      measureVsParam({
        ...kCommon,
        id: 'notification-cpu-vs-k',
        title: `CPU spent on notifications (hypercalls + upcalls) vs batch k at ${rateText}`,
        summary: kRows('notificationCpuFraction', 100),
        measure: 'notificationCpuFraction',
        yTitle: "notifications' share of the stream CPU (%)",
      }),
      addSubtitle(measureVsParam({
        ...kCommon,
        id: 'cpu-per-request-vs-k',
        title: `Host CPU per request (work + notifications + context switches) vs batch k at ${rateText}`,
        summary: kRows('cpuPerRequestNs', US),
        measure: 'cpuPerRequestNs',
        yTitle: 'host CPU per request (µs)',
        ...(sameUseful ? { theory: { label: `useful work only (${fmt(usefulNs * US, 3)} µs)`, points: ks.map((k) => ({ x: k, y: usefulNs * US })) } } : {}),
      }), 'host busy + context-switch time per completed request; useful work = issue + mean service + response'),
      measureVsParam({
        ...kCommon,
        id: 'switching-vs-k',
        title: `CPU lost to context switches between the two domains vs batch k at ${rateText}`,
        summary: kRows('switchingFraction', 100),
        measure: 'switchingFraction',
        yTitle: 'context-switch time (% of the CPU)',
      }),
    );
  }

  // ---- the load sweep: latency vs throughput, one line per k, at the hold-off with the most loads ----
  const holds = distinct<number>(points.map((params) => ({ params })), 'holdOffNs');
  const loadsPerHold = holds.map((h) => new Set(points.filter((p) => p['holdOffNs'] === h).map((p) => p['ratePerS'])).size);
  const bestHold = holds[loadsPerHold.indexOf(Math.max(...loadsPerHold))];
  if (bestHold !== undefined && Math.max(...loadsPerHold) >= 3) {
    const loadPoints = points.filter((p) => p['holdOffNs'] === bestHold);
    const kSeries = seriesLabeler(loadPoints, 'k', ['ratePerS', 'holdOffNs']);
    for (const [measure, id, yTitle, what] of [
      ['latencyMeanNs', 'latency-vs-throughput', 'mean latency (µs, log scale)', 'Mean latency'],
      ['latencyP99Ns', 'p99-latency-vs-throughput', 'p99 latency (µs, log scale)', '99th-percentile latency'],
    ] as const) {
      const xy: XYPoint[] = [];
      const byK = (a: Params, b: Params): number => (a['k'] as number) - (b['k'] as number) || (a['ratePerS'] as number) - (b['ratePerS'] as number);
      for (const p of [...loadPoints].sort(byK)) {
        const point = pointOf(p);
        const x = at(data.summary, point, 'throughputPerS');
        const y = at(data.summary, point, measure);
        if (x === undefined || y === undefined || !(y.mean > 0)) continue;
        xy.push({
          series: kSeries(p),
          x: x.mean / 1000,
          y: y.mean * US,
          lo: (y.mean - y.halfWidth) * US,
          hi: (y.mean + y.halfWidth) * US,
          order: p['ratePerS'] as number,
          label: `${fmt((p['ratePerS'] as number) / 1000, 4)}k/s offered`,
          n: y.n,
        });
      }
      const counts = new Map<string, number>();
      for (const q of xy) counts.set(q.series, (counts.get(q.series) ?? 0) + 1);
      const lines = xy.filter((q) => (counts.get(q.series) ?? 0) >= 2);
      if (lines.length === 0) continue;
      charts.push(
        xyChart({
          id,
          title: `${what} vs throughput as the offered load rises (hold-off ${holdOffLabel(bestHold)})`,
          subtitle: `one line per batch k, points at increasing Poisson offered loads; ${ciNote}`,
          points: lines,
          seriesTitle: 'notification batch k',
          xTitle: 'throughput (thousand requests/s)',
          yTitle,
          xScale: 'linear',
          yScale: 'log',
        }),
      );
    }
  }

  if (kSweep) {
    charts.push(
      measureVsParam({
        ...kCommon,
        id: 'throughput-vs-k',
        title: `Throughput vs batch k at an offered load of ${rateText}`,
        summary: kRows('throughputPerS', 1e-3),
        measure: 'throughputPerS',
        yTitle: 'throughput (thousand requests/s)',
        ...(first['arrival'] === 'open' ? { theory: { label: 'offered load λ', points: ks.map((k) => ({ x: k, y: rate / 1000 })) } } : {}),
      }),
    );
  }
  return charts;
}

export function eventBatchingConsoleTable(data: StudyData): ConsoleTable {
  const points = pointsOf(data.summary);
  const sweepRate = most(points.map((p) => p['ratePerS']));
  const sweep = points.filter((p) => p['ratePerS'] === sweepRate);
  const holds = distinct<number>(sweep.map((params) => ({ params })), 'holdOffNs').sort((a, b) => holdOffRank(a) - holdOffRank(b));
  const ks = distinct<number>(sweep.map((params) => ({ params })), 'k').sort((a, b) => a - b);
  const cell = (k: number, h: number, m: string, scale: number, digits: number): string => {
    const p = sweep.find((q) => q['k'] === k && q['holdOffNs'] === h);
    const r = p === undefined ? undefined : data.summary.find((x) => x.params === p && x.measure === m);
    return r === undefined || !Number.isFinite(r.mean) ? '-' : fmt(r.mean * scale, digits);
  };
  return {
    title: `Mean latency (µs) / notifications per item / CPU per request (µs) at ${fmt(Number(sweepRate) / 1000, 4)}k requests/s`,
    header: ['k', ...holds.map((h) => `hold-off ${holdOffLabel(h)}`)],
    rows: ks.map((k) => [
      String(k),
      ...holds.map((h) => `${cell(k, h, 'latencyMeanNs', US, 4)} / ${cell(k, h, 'notificationsPerItem', 1, 3)} / ${cell(k, h, 'cpuPerRequestNs', US, 3)}`),
    ]),
  };
}

export function eventBatchingReportSummary(data: StudyData): string[] {
  const points = pointsOf(data.summary);
  const sweepRate = most(points.map((p) => p['ratePerS']));
  const get = (k: number, h: number, m: string): number | undefined => {
    const p = points.find((q) => q['ratePerS'] === sweepRate && q['k'] === k && q['holdOffNs'] === h);
    return p === undefined ? undefined : data.summary.find((r) => r.params === p && r.measure === m)?.mean;
  };
  const out: string[] = [];
  const ks = distinct<number>(points.map((params) => ({ params })), 'k').sort((a, b) => a - b);
  const kMax = ks[ks.length - 1];
  for (const h of [0, 100_000]) {
    if (kMax === undefined) break;
    const c1 = get(1, h, 'cpuPerRequestNs');
    const cK = get(kMax, h, 'cpuPerRequestNs');
    const l1 = get(1, h, 'latencyMeanNs');
    const lK = get(kMax, h, 'latencyMeanNs');
    const n1 = get(1, h, 'notificationsPerItem');
    const nK = get(kMax, h, 'notificationsPerItem');
    if ([c1, cK, l1, lK, n1, nK].some((x) => x === undefined)) continue;
    out.push(
      `At ${fmt(Number(sweepRate) / 1000, 4)}k requests/s with hold-off ${holdOffLabel(h)}, going from k = 1 to k = ${kMax} cuts notifications per item from ${fmt(n1 as number, 3)} to ${fmt(nK as number, 3)} and host CPU per request from ${fmt((c1 as number) * US, 3)} µs to ${fmt((cK as number) * US, 3)} µs, and raises the mean latency from ${fmt((l1 as number) * US, 3)} µs to ${fmt((lK as number) * US, 3)} µs.`,
    );
  }
  // Under load the ring batches by itself (consumers still busy find new items in their final check).
  const loadHold = most(points.filter((p) => p['ratePerS'] !== sweepRate).map((p) => p['holdOffNs']));
  const loaded = points.filter((p) => p['holdOffNs'] === loadHold && p['k'] === 1);
  const top = loaded.sort((a, b) => (b['ratePerS'] as number) - (a['ratePerS'] as number))[0];
  if (top !== undefined && top['ratePerS'] !== sweepRate) {
    const n1 = data.summary.find((r) => r.params === top && r.measure === 'notificationsPerItem')?.mean;
    const x = data.summary.find((r) => r.params === top && r.measure === 'throughputPerS')?.mean;
    if (n1 !== undefined && x !== undefined) {
      out.push(
        `Under load the ring batches by itself: at ${fmt(x / 1000, 4)}k requests/s even k = 1 sends only ${fmt(n1, 3)} notifications per item, so explicit batching mostly trades latency for CPU at light and moderate loads.`,
      );
    }
  }
  return out;
}

export const eventBatching: Study = {
  name: 'event-batching',
  version: 2,
  description: 'Event batching on an I/O ring: notify every k = 1..64 items with hold-off timers; throughput, latency, notifications, notification CPU',
  details: [
    'Model: runRequestResponse (src/models/workloads/request-response.ts): a client and a server domain on one CPU',
    '(Xen 1.0 BVT, calibrated context switches) share a 256-entry ring and one event channel. Both directions use',
    'the same policy: the consumer re-arms its event index k items ahead; a producer notifies at the latest',
    'holdOffNs after the first un-notified item (holdOffNs = 0: no timer — items wait for the k-th). Costs per',
    'request: issue 500 ns, service exponential with mean serviceMeanNs, response 500 ns; per notification a',
    'hypercall (450 ns) at the sender and an upcall (1290 ns) at the receiver, plus the context switch to it.',
    'Arrivals: Poisson at ratePerS (arrival=open) or `outstanding` requests in a closed loop.',
    'Default grid (list): the k sweep k ∈ {1..64} × hold-off ∈ {10 µs, 100 µs, 1 ms, none} at 50k requests/s, and',
    'the load sweep k ∈ {1, 4, 16, 64} × 25k..330k requests/s at hold-off 100 µs.',
    'Columns of runs.csv: throughputPerS, latencyMeanNs, latencyP50Ns, latencyP99Ns (arrival → response processed),',
    'notificationsPerItem (mean of requestNotifiesPerItem and responseNotifiesPerItem), holdOffNotifyFraction,',
    'notificationCpuFraction (hypercall + upcall CPU over that plus the useful work), notificationCpuPerItemNs,',
    'switchingFraction, cpuPerRequestNs ((busy + switching) / completed), hostUtilisation, backlogAtEnd.',
    '`events` in runs.csv counts the engine events the run processed.',
    'Charts, most important first: CPU per request vs mean latency (the trade-off, one line per hold-off through k),',
    'mean and p99 latency vs k, notifications per item vs 1/k, notification CPU, CPU per request vs the useful-work',
    'floor, context-switch CPU, latency vs throughput as the load rises (one line per k), throughput vs k.',
  ].join('\n'),
  params: {
    k: { kind: 'int', default: 1, min: 1, max: 1024, unit: 'items', doc: 'notification batch: the consumer re-arms its event index k items ahead (both directions; ≤ ring size)' },
    holdOffNs: { kind: 'int', default: 100_000, min: 0, max: 10_000_000_000, unit: 'ns', doc: 'hold-off: notify at the latest this long after the first un-notified item; 0 = no timer' },
    ratePerS: { kind: 'float', default: 50_000, min: 1, max: 10_000_000, unit: 'requests/s', doc: 'open loop: Poisson arrival rate' },
    arrival: { kind: 'enum', default: 'open', values: ['open', 'closed'], unit: '', doc: 'open: Poisson arrivals at ratePerS; closed: `outstanding` requests always in the system' },
    outstanding: { kind: 'int', default: 32, min: 1, max: 100_000, unit: 'requests', doc: 'closed loop: requests always outstanding' },
    serviceMeanNs: { kind: 'int', default: 1880, min: 0, max: 1_000_000_000, unit: 'ns', doc: 'server CPU per request, mean (1.88 µs: Table 3 Xen open/close anchor)' },
    serviceDistribution: { kind: 'enum', default: 'exponential', values: ['exponential', 'constant'], unit: '', doc: 'distribution of the server CPU per request' },
    clientIssueNs: { kind: 'int', default: 500, min: 0, max: 1_000_000_000, unit: 'ns', doc: 'client CPU to issue a request (0.5 µs: Table 3 Xen null I/O anchor)' },
    clientResponseNs: { kind: 'int', default: 500, min: 0, max: 1_000_000_000, unit: 'ns', doc: 'client CPU to consume a response' },
    ringSizeEntries: { kind: 'enum', default: 256, values: [16, 32, 64, 128, 256, 512, 1024], unit: 'entries', doc: 'ring size (256: Xen network rings)' },
    hypercallNs: { kind: 'int', default: EVENT_CHANNEL_DEFAULTS.hypercallNs, min: 0, max: 1_000_000_000, unit: 'ns', doc: 'EVTCHNOP_send cost at the sender (event-channels.ts)' },
    upcallNs: { kind: 'int', default: EVENT_CHANNEL_DEFAULTS.upcallNs, min: 0, max: 1_000_000_000, unit: 'ns', doc: 'upcall cost at the receiver (event-channels.ts)' },
    server: { kind: 'enum', default: 'guest', values: ['guest', 'dom0'], unit: '', doc: 'the serving domain: a second guest or domain 0' },
    cpus: { kind: 'int', default: 1, min: 1, max: 64, unit: 'CPUs', doc: 'physical CPUs (1: the paper’s single-CPU runs)' },
    contextSwitchCosts: { kind: 'bool', default: true, unit: '', doc: 'charge the calibrated context-switch cost (false: free switches)' },
    warmupNs: { kind: 'int', default: 50_000_000, min: 0, max: 1_000_000_000_000, unit: 'ns', doc: 'warm-up before measuring' },
    runLengthNs: { kind: 'int', default: 1_000_000_000, min: 1_000_000, max: 1_000_000_000_000, unit: 'ns', doc: 'measured window' },
  },
  grid: { kind: 'list', points: listGrid(KS, HOLD_OFFS, K_SWEEP_RATE, TRADEOFF_KS, TRADEOFF_RATES, TRADEOFF_HOLD_OFF) },
  quickGrid: { kind: 'list', points: listGrid([1, 4, 16, 64], [100_000, 0], K_SWEEP_RATE, [1, 16, 64], [25_000, 100_000, 200_000], TRADEOFF_HOLD_OFF) },
  replications: 5,
  quickReplications: 3,
  quickParams: { warmupNs: 20_000_000, runLengthNs: 200_000_000 },
  measures: EVENT_BATCHING_MEASURES,
  // Cross-parameter constraints, checked when the sweep is planned (exit 2, nothing written).
  check: (p) => {
    if ((p.k as number) > (p.ringSizeEntries as number)) return `k (${String(p.k)}) must be at most ringSizeEntries (${String(p.ringSizeEntries)})`;
    const costs = ['serviceMeanNs', 'clientIssueNs', 'clientResponseNs', 'hypercallNs', 'upcallNs'] as const;
    if (p.arrival === 'closed' && costs.every((c) => p[c] === 0)) {
      return `a closed loop with ${costs.join(', ')} all 0 never advances simulated time; give one of them a cost > 0`;
    }
    return undefined;
  },
  run: runEventBatching,
  charts: eventBatchingCharts,
  consoleTable: eventBatchingConsoleTable,
  reportSummary: eventBatchingReportSummary,
};

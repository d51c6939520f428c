// Charts and console table of the bvt-weights study (index.ts holds the model and the declarations):
// share vs weight against the ideal w/Σw, relative errors, measured/ideal bars and the convergence of
// the cumulative error. Shares in percent of the guests' CPU time.
import type { StudyData, SummaryRow } from '../../src/runner/study.js';
import {
  meanCi,
  fmt,
  groupedBarsNormalised,
  measureVsParam,
  pointsOf,
  seriesLabeler,
  StudyQuery,
  summaryRowOf,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';
import { domainSettings } from './index.js';
import { SCHEDULER_LABEL } from './params.js';

const schedulerSeries = (summary: readonly SummaryRow[]) =>
  seriesLabeler(pointsOf(summary), 'scheduler', [], {
    scheduler: (v) => SCHEDULER_LABEL[String(v)] ?? String(v),
  });

/** domainSettings of a point of the results. */
function settingsOf(params: Readonly<Record<string, unknown>>) {
  const n = (k: string): number => Number(params[k]);
  return domainSettings({
    domains: n('domains'),
    mcuAdvanceBase: n('mcuAdvanceBase'),
    creditWeightUnit: n('creditWeightUnit'),
    scheduler: params['scheduler'] === 'credit' ? 'credit' : 'bvt',
  });
}

interface DomainRow {
  readonly label: string;
  readonly weight: number;
  readonly ideal: number;
  readonly share: SummaryRow;
}

/** Per point and domain: the share's summary and its ideal. */
function domainRows(data: StudyData): DomainRow[] {
  const q = new StudyQuery(data);
  const label = schedulerSeries(data.summary);
  return q.entries.flatMap(({ point, params }) =>
    settingsOf(params).flatMap((s) => {
      const share = q.at(point, `share${s.weight}`);
      return share === undefined || !Number.isFinite(share.mean)
        ? []
        : [{ label: label(params), weight: s.weight, ideal: s.ideal, share }];
    }),
  );
}

function relRow(r: DomainRow, measure: string, f: (x: number) => number, g: (x: number) => number): SummaryRow {
  return {
    ...r.share,
    params: { domainWeight: r.weight, series: r.label },
    measure,
    mean: f(r.share.mean),
    sd: g(r.share.sd),
    halfWidth: g(r.share.halfWidth),
  };
}

export function bvtWeightsCharts(data: StudyData): ChartSpec[] {
  const rows = domainRows(data);
  if (rows.length === 0) return [];
  const shareRows = rows.map((r) =>
    relRow(
      r,
      'sharePct',
      (x) => 100 * x,
      (x) => 100 * x,
    ),
  );
  const errRows = rows.map((r) =>
    relRow(
      r,
      'relErrorPct',
      (x) => 100 * (x / r.ideal - 1),
      (x) => (100 * x) / r.ideal,
    ),
  );
  // The ideal line: one per distinct ideal vector (labelled per series only if the ideals differ).
  const idealBySeries = new Map<string, { x: number; y: number }[]>();
  for (const r of rows)
    idealBySeries.set(r.label, [
      ...(idealBySeries.get(r.label) ?? []),
      { x: r.weight, y: Number((100 * r.ideal).toPrecision(12)) },
    ]);
  const idealVectors = [...new Set([...idealBySeries.values()].map((l) => JSON.stringify(l)))];
  const idealPoints =
    idealVectors.length === 1
      ? (JSON.parse(idealVectors[0] as string) as { x: number; y: number }[])
      : [...idealBySeries.entries()].flatMap(([series, l]) => l.map((p) => ({ ...p, series })));
  const n = Math.max(...rows.map((r) => r.weight));
  const counts = new StudyQuery(data).distinct('domains');
  const who = counts.length === 1 ? `${n} CPU-bound domains` : 'CPU-bound domains';
  const byScheduler = { x: 'domainWeight', color: 'series', colorTitle: 'scheduler' };
  const weights = [...new Set(rows.map((r) => r.weight))];
  const charts: ChartSpec[] = [
    measureVsParam({
      ...byScheduler,
      id: 'share-vs-weight',
      title: `CPU share of ${who} with weights 1..${counts.length === 1 ? String(n) : 'N'}: measured (95% CI) vs ideal w/Σw`,
      summary: shareRows,
      measure: 'sharePct',
      xTitle: 'domain weight w (BVT: mcuAdvance ∝ 1/w)',
      yTitle: "share of the guests' CPU time (%)",
      theory: { label: 'ideal share w/Σw', points: idealPoints },
    }),
    measureVsParam({
      ...byScheduler,
      id: 'share-error-vs-weight',
      title: 'Relative error of each domain’s CPU share vs its ideal w/Σw (95% CI)',
      summary: errRows,
      measure: 'relErrorPct',
      xTitle: 'domain weight w',
      yTitle: 'measured / ideal share − 1 (%)',
      theory: { label: 'exact proportional share (0)', points: weights.map((x) => ({ x, y: 0 })) },
    }),
  ];
  // Grouped bars: measured / ideal per domain, one bar per scheduler next to the ideal (= 1); only when
  // every series has the same ideal shares (the bars divide by one ideal per group).
  if (idealVectors.length === 1) {
    const bars = [
      ...weights.map((w) => ({
        group: `w=${w}`,
        bar: 'ideal w/Σw',
        value: (rows.find((x) => x.weight === w) as DomainRow).ideal,
      })),
      ...rows.map((r) => ({
        group: `w=${r.weight}`,
        bar: r.label,
        value: r.share.mean,
        lo: r.share.mean - r.share.halfWidth,
        hi: r.share.mean + r.share.halfWidth,
      })),
    ];
    charts.push(
      groupedBarsNormalised({
        id: 'share-relative-to-ideal',
        title: 'Measured CPU share relative to the ideal w/Σw, per domain (error bars: 95% CI)',
        rows: bars,
        baseline: 'ideal w/Σw',
        yTitle: 'measured share / ideal share',
      }),
    );
  }
  // Convergence of the cumulative shares (table convergence), mean over replications.
  const conv = data.tables['convergence'] ?? [];
  if (conv.length > 0) {
    const q = new StudyQuery(data);
    const label = schedulerSeries(data.summary);
    const byKey = new Map<
      string,
      { point: number; params: Record<string, number | string | boolean>; t: number; values: number[] }
    >();
    for (const row of conv) {
      const point = Number(row['point']);
      const params = q.entries.find((e) => e.point === point)?.params;
      if (params === undefined) continue;
      const t = Number(row['elapsedS']);
      const e = byKey.get(`${point}/${t}`) ?? { point, params, t, values: [] };
      e.values.push(Number(row['maxRelErrorPctNow']));
      byKey.set(`${point}/${t}`, e);
    }
    const convRows = [...byKey.values()].map((e) =>
      summaryRowOf(e.point, { elapsedS: e.t, series: label(e.params) }, 'maxRelErrorPct', e.values),
    );
    const positive = convRows.every((r) => r.mean > 0);
    charts.push(
      measureVsParam({
        ...byScheduler,
        id: 'share-error-convergence',
        title: 'Largest relative share error of the cumulative shares vs measured time (mean, 95% CI)',
        summary: convRows,
        measure: 'maxRelErrorPct',
        x: 'elapsedS',
        xTitle: 'time since the end of the warm-up (s, log scale)',
        yTitle: positive ? 'max_i |share_i/ideal_i − 1| (%, log scale)' : 'max_i |share_i/ideal_i − 1| (%)',
        xScale: 'log',
        yScale: positive ? 'log' : 'linear',
      }),
    );
  }
  return charts;
}

export function bvtWeightsConsoleTable(data: StudyData): ConsoleTable {
  const rows = domainRows(data);
  const labels = [...new Set(rows.map((r) => r.label))];
  const label = schedulerSeries(data.summary);
  return {
    title: "CPU share of each domain (% of the guests' CPU, mean ± 95% CI) vs the ideal w/Σw",
    header: ['weight', 'ideal %', ...labels.map((l) => `${l} %`)],
    rows: [...new Set(rows.map((r) => r.weight))].map((w) => [
      String(w),
      fmt(100 * (rows.find((r) => r.weight === w) as DomainRow).ideal),
      ...labels.map((l) => {
        const r = rows.find((x) => x.weight === w && x.label === l);
        return r === undefined ? '-' : meanCi(r.share, 100);
      }),
    ]),
    notes: new StudyQuery(data)
      .rows('maxRelErrorPct')
      .map(
        (r) =>
          `${label(r.params)}: largest relative error ${fmt(r.mean, 3)}%${r.n >= 2 ? ` (± ${fmt(r.halfWidth, 2)})` : ''}`,
      ),
  };
}

export function bvtWeightsReportSummary(data: StudyData): string[] {
  const label = schedulerSeries(data.summary);
  return new StudyQuery(data)
    .rows('maxRelErrorPct')
    .map(
      (r) =>
        `${label(r.params)}: every domain's CPU share is within ${fmt(r.mean, 2)}% (relative, mean over ${r.n} replications) of its ideal w/Σw.`,
    );
}

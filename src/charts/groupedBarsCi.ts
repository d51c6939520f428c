// Chart builder: grouped bars of absolute values (the SOSP'03 figures' style: each group a number of
// instances, a system or a benchmark; each bar a system or a case side by side in it), with the 95%
// confidence interval of each bar as an error bar when the rows carry one, and each bar's value
// printed above it. Values are plotted as given, in the caller's unit (the axis title carries it); a
// half-width that is not finite (one replication: no CI) draws no interval. Without half-widths the
// chart has no error-bar layer and the labels sit on the bars.

import type { ChartSpec } from '../runner/study.js';
import { baseSpec, checkId } from './specBase.js';
import { barColor, CHART_HEIGHT, CHART_WIDTH, VALUE_FORMAT } from './theme.js';

export interface GroupedBarsCiRow {
  readonly group: string;
  readonly bar: string;
  /** The bar's value (mean over replications), in the unit of the y axis. */
  readonly value: number;
  /** Half-width of its 95% CI, same unit; NaN (one replication) draws no interval. */
  readonly halfWidth?: number;
}

export interface GroupedBarsCiOptions {
  readonly id: string;
  /** The chart's heading in the spec. */
  readonly title: string;
  /** Its name in the report's list of charts (default: title). */
  readonly listTitle?: string;
  /** Subtitle lines (what is compared, what the error bars are). */
  readonly subtitle: readonly string[];
  readonly rows: readonly GroupedBarsCiRow[];
  /** Group order on the x axis and bar order within a group (and in the legend). */
  readonly groups: readonly string[];
  readonly bars: readonly string[];
  /** Field names of the group and the value in the spec's data (they name the tooltip's columns too). */
  readonly groupField?: string;
  readonly valueField?: string;
  readonly xTitle: string | null;
  readonly yTitle: string;
  /** Tooltip titles of the group, the bar and the value. */
  readonly groupTooltip: string;
  readonly barTooltip: string;
  readonly valueTooltip: string;
  /** The text printed above each bar. */
  readonly label: (value: number) => string;
  /** Chart width in px (default CHART_WIDTH). */
  readonly width?: number;
  /** Longest x-axis label in px before it is cut (default: vega's). */
  readonly xLabelLimit?: number;
}

const INK = '#333333';

export function groupedBarsCi(opts: GroupedBarsCiOptions): ChartSpec {
  const where = `groupedBarsCi(${opts.id})`;
  checkId('groupedBarsCi', opts.id);
  if (opts.rows.length === 0) throw new Error(`${where}: no rows`);
  const groupField = opts.groupField ?? 'group';
  const valueField = opts.valueField ?? 'value';
  for (const f of [groupField, valueField]) {
    if (['bar', 'lo', 'hi', 'label'].includes(f) || groupField === valueField) {
      throw new Error(`${where}: field name ${JSON.stringify(f)} is taken; use another groupField / valueField`);
    }
  }
  const withCi = opts.rows.some((r) => r.halfWidth !== undefined);
  const seen = new Set<string>();
  const values = opts.rows.map((r, i) => {
    if (!Number.isFinite(r.value)) {
      throw new Error(`${where}: row ${i} (${r.group} / ${r.bar}) has non-finite value ${r.value}`);
    }
    const key = JSON.stringify([r.group, r.bar]);
    if (seen.has(key))
      throw new Error(`${where}: two rows for group ${JSON.stringify(r.group)}, bar ${JSON.stringify(r.bar)}`);
    seen.add(key);
    const row: Record<string, string | number> = { [groupField]: r.group, bar: r.bar, [valueField]: r.value };
    if (withCi) {
      const hw = r.halfWidth !== undefined && Number.isFinite(r.halfWidth) ? r.halfWidth : 0;
      row['lo'] = r.value - hw;
      row['hi'] = r.value + hw;
    }
    row['label'] = opts.label(r.value);
    return row;
  });

  const axis: Record<string, unknown> = { labelAngle: 0 };
  if (opts.xLabelLimit !== undefined) axis['labelLimit'] = opts.xLabelLimit;
  const layer: Record<string, unknown>[] = [
    {
      mark: { type: 'bar' },
      encoding: {
        y: { field: valueField, type: 'quantitative', title: opts.yTitle, scale: { zero: true } },
        tooltip: [
          { field: groupField, type: 'nominal', title: opts.groupTooltip },
          { field: 'bar', type: 'nominal', title: opts.barTooltip },
          { field: valueField, type: 'quantitative', title: opts.valueTooltip, format: VALUE_FORMAT },
        ],
      },
    },
  ];
  if (withCi) {
    layer.push({
      mark: { type: 'rule', color: INK },
      encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
    });
  }
  layer.push({
    mark: { type: 'text', dy: -8, fontSize: 9 },
    encoding: {
      y: { field: withCi ? 'hi' : valueField, type: 'quantitative' },
      text: { field: 'label' },
      color: { value: INK },
    },
  });

  const spec: Record<string, unknown> = {
    ...baseSpec(opts.title, opts.subtitle, { width: opts.width ?? CHART_WIDTH, height: CHART_HEIGHT }),
    data: { values },
    encoding: {
      x: { field: groupField, type: 'nominal', title: opts.xTitle, sort: opts.groups, axis },
      xOffset: { field: 'bar', type: 'nominal', sort: opts.bars },
      color: barColor('bar', opts.bars, false),
    },
    layer,
  };
  return { id: opts.id, title: opts.listTitle ?? opts.title, spec };
}

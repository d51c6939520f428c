// Chart builder: grouped bars normalised to a baseline bar, the shape of the SOSP'03 "relative
// performance" figures (each benchmark = a group, each system = a bar, native Linux = 1). Every
// group's values, and their optional interval bounds lo/hi, are divided by the value of the baseline
// bar of the same group (the baseline's own uncertainty is not propagated). The values are unitless
// ratios; the caller's yTitle says of what.

import type { ChartSpec } from '../runner/study.js';
import { baseSpec, checkId, orderLabels } from './specBase.js';
import { barColor, CHART_HEIGHT, CHART_WIDTH, CI_FORMAT, VALUE_FORMAT } from './theme.js';

export interface GroupedBarRow {
  readonly group: string;
  readonly bar: string;
  /** Raw value (any unit; the chart shows value / baseline value of the same group). */
  readonly value: number;
  /** Optional interval around value, same unit as value (e.g. mean ± 95% CI half-width). */
  readonly lo?: number;
  readonly hi?: number;
}

export interface GroupedBarsNormalisedOptions {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly GroupedBarRow[];
  /** The bar every group is divided by (e.g. "native"). */
  readonly baseline: string;
  readonly yTitle: string;
  /** Tooltip title of the raw values, with their unit (e.g. "CPU share (%)"; default "raw value"). */
  readonly valueTitle?: string;
}

/** Pixels per bar and between groups, so many groups widen the chart instead of squeezing bars. */
const PX_PER_BAR = 22;
const PX_PER_GROUP_GAP = 24;

export function groupedBarsNormalised(opts: GroupedBarsNormalisedOptions): ChartSpec {
  const where = `groupedBarsNormalised(${opts.id})`;
  checkId('groupedBarsNormalised', opts.id);
  if (opts.rows.length === 0) throw new Error(`${where}: no rows`);

  const groups = orderLabels(opts.rows.map((r) => r.group));
  // Bars keep the caller's order, with the baseline first.
  const bars = [opts.baseline, ...orderLabels(opts.rows.map((r) => r.bar)).filter((b) => b !== opts.baseline)];
  const byKey = new Map<string, GroupedBarRow>();
  opts.rows.forEach((r, i) => {
    for (const [name, v] of [
      ['value', r.value],
      ['lo', r.lo],
      ['hi', r.hi],
    ] as const) {
      if (v !== undefined && !Number.isFinite(v)) {
        throw new Error(`${where}: row ${i} (${r.group} / ${r.bar}) has non-finite ${name} ${v}`);
      }
    }
    if ((r.lo === undefined) !== (r.hi === undefined)) {
      throw new Error(`${where}: row ${i} (${r.group} / ${r.bar}) gives only one of lo and hi`);
    }
    const key = JSON.stringify([r.group, r.bar]);
    if (byKey.has(key))
      throw new Error(`${where}: two rows for group ${JSON.stringify(r.group)}, bar ${JSON.stringify(r.bar)}`);
    byKey.set(key, r);
  });

  const values: Record<string, number | string>[] = [];
  let withInterval = 0;
  for (const group of groups) {
    const base = byKey.get(JSON.stringify([group, opts.baseline]));
    if (base === undefined) {
      throw new Error(
        `${where}: group ${JSON.stringify(group)} has no baseline bar ${JSON.stringify(opts.baseline)} ` +
          `(bars in it: ${bars.filter((b) => byKey.has(JSON.stringify([group, b]))).join(', ')})`,
      );
    }
    if (base.value === 0) {
      throw new Error(`${where}: group ${JSON.stringify(group)} has baseline value 0; cannot normalise`);
    }
    for (const bar of bars) {
      const r = byKey.get(JSON.stringify([group, bar]));
      if (r === undefined) continue;
      const row: Record<string, number | string> = {
        group,
        bar,
        value: r.value,
        baselineValue: base.value,
        relative: r.value / base.value,
      };
      if (r.lo !== undefined && r.hi !== undefined) {
        const a = r.lo / base.value;
        const b = r.hi / base.value;
        row['relativeLo'] = Math.min(a, b);
        row['relativeHi'] = Math.max(a, b);
        withInterval++;
      }
      values.push(row);
    }
  }

  // Node has no canvas to measure text, so size the chart from the label lengths (DejaVu Sans 12 px
  // averages ~7.5 px per character) instead of letting labels be dropped as overlapping.
  const band = Math.max(
    bars.length * PX_PER_BAR + PX_PER_GROUP_GAP,
    Math.ceil(Math.max(...groups.map((g) => g.length)) * 7.5) + 12,
  );
  const width = Math.max(CHART_WIDTH, groups.length * band);
  const x = {
    field: 'group',
    type: 'nominal',
    title: null,
    sort: groups,
    axis: { labelAngle: 0, labelOverlap: false, labelLimit: 240, ticks: false, labelPadding: 6 },
    scale: { paddingInner: 0.2 },
  };
  const xOffset = { field: 'bar', type: 'nominal', sort: bars, scale: { paddingInner: 0.05 } };
  const color = barColor('bar', bars, true);
  const y = { field: 'relative', type: 'quantitative', title: opts.yTitle, scale: { zero: true } };
  const tooltip = [
    { field: 'group', type: 'nominal', title: 'group' },
    { field: 'bar', type: 'nominal', title: 'bar' },
    { field: 'relative', type: 'quantitative', title: `relative to ${opts.baseline}`, format: VALUE_FORMAT },
    { field: 'value', type: 'quantitative', title: opts.valueTitle ?? 'raw value', format: VALUE_FORMAT },
    {
      field: 'baselineValue',
      type: 'quantitative',
      title: `${opts.baseline}: ${opts.valueTitle ?? 'raw value'}`,
      format: VALUE_FORMAT,
    },
    ...(withInterval > 0
      ? [
          { field: 'relativeLo', type: 'quantitative', title: 'interval low', format: CI_FORMAT },
          { field: 'relativeHi', type: 'quantitative', title: 'interval high', format: CI_FORMAT },
        ]
      : []),
  ];

  const layers: Record<string, unknown>[] = [{ mark: { type: 'bar' }, encoding: { x, xOffset, y, color, tooltip } }];
  if (withInterval > 0) {
    layers.push({
      transform: [{ filter: 'isValid(datum.relativeLo)' }],
      mark: { type: 'errorbar', ticks: true, color: '#222222', thickness: 1.2, opacity: 1 },
      encoding: { x, xOffset, y: { ...y, field: 'relativeLo' }, y2: { field: 'relativeHi' } },
    });
  }
  layers.push({
    data: { values: [{ baseline: 1 }] },
    mark: { type: 'rule', color: '#444444', strokeDash: [4, 3], strokeWidth: 1 },
    encoding: { y: { field: 'baseline', type: 'quantitative' } },
  });

  const subtitle =
    `each group divided by its ${opts.baseline} value` + (withInterval > 0 ? '; error bars: interval / baseline' : '');
  const spec = {
    ...baseSpec(opts.title, subtitle, { width, height: CHART_HEIGHT }),
    data: { values },
    layer: layers,
  };
  return { id: opts.id, title: opts.title, spec };
}

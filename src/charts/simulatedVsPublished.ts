// Chart builder: a simulated value beside the published one it reproduces (a paper's table cell), as
// grouped bars normalised to the published bar = 1 (groupedBarsNormalised with baseline 'published').
// One group per cell (an operation, a profile); values in the caller's unit, named by valueTitle
// (e.g. "latency (µs)"), shown raw in the tooltips.

import type { ChartSpec } from '../runner/study.js';
import { groupedBarsNormalised } from './groupedBarsNormalised.js';

export interface SimulatedVsPublishedRow {
  readonly group: string;
  readonly published: number;
  readonly simulated: number;
}

export function simulatedVsPublished(opts: {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly SimulatedVsPublishedRow[];
  /** Tooltip title of the raw values, with their unit. */
  readonly valueTitle: string;
}): ChartSpec {
  return groupedBarsNormalised({
    id: opts.id,
    title: opts.title,
    rows: opts.rows.flatMap((r) => [
      { group: r.group, bar: 'published', value: r.published },
      { group: r.group, bar: 'simulated', value: r.simulated },
    ]),
    baseline: 'published',
    yTitle: 'simulated / published',
    valueTitle: opts.valueTitle,
  });
}

// Small edits of a built chart: append a subtitle line (the builders put the CI note in the
// subtitle), let linear y scales start away from zero, replace the subtitle. Plain JSON edits.
import type { ChartSpec } from '../runner/study.js';

type Title = { text: string; subtitle?: string | string[] };

/** Appends a line to a built chart's subtitle. */
export function addSubtitle(chart: ChartSpec, line: string): ChartSpec {
  const title = chart.spec['title'] as Title;
  const prev = title.subtitle === undefined ? [] : Array.isArray(title.subtitle) ? title.subtitle : [title.subtitle];
  title.subtitle = [...prev, line];
  return chart;
}

/** Replaces a built chart's subtitle. */
export function setSubtitle(chart: ChartSpec, subtitle: string): ChartSpec {
  (chart.spec['title'] as Title).subtitle = subtitle;
  return chart;
}

/** Lets a built chart's linear y scales start away from zero (small differences near 1 become visible). */
export function unzeroY(chart: ChartSpec): ChartSpec {
  const layers = (chart.spec['layer'] ?? []) as { encoding?: { y?: { scale?: Record<string, unknown> } } }[];
  for (const l of layers) {
    const scale = l.encoding?.y?.scale;
    if (scale !== undefined && scale['type'] !== 'log') scale['zero'] = false;
  }
  return chart;
}

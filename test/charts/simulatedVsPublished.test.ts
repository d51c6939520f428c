// simulatedVsPublished (src/charts/simulatedVsPublished.ts) on a hand-made table: each group holds a
// published and a simulated bar, divided by the published value (published = 1, simulated = s/p).

import { describe, expect, it } from 'vitest';
import { simulatedVsPublished, validateSpec } from '../../src/charts/index.js';

describe('simulatedVsPublished', () => {
  const chart = simulatedVsPublished({
    id: 'table-x',
    title: 'Table X: simulated vs published',
    rows: [
      { group: 'fork', published: 200, simulated: 210 },
      { group: 'exec', published: 800, simulated: 760 },
    ],
    valueTitle: 'latency (µs)',
  });

  it('is a valid spec; published = 1 and simulated = simulated / published in each group', () => {
    expect(validateSpec(chart.spec)).toEqual([]);
    const values = (chart.spec['data'] as { values: Record<string, unknown>[] }).values;
    expect(values.map((v) => [v['group'], v['bar'], v['value'], v['relative']])).toEqual([
      ['fork', 'published', 200, 1],
      ['fork', 'simulated', 210, 1.05],
      ['exec', 'published', 800, 1],
      ['exec', 'simulated', 760, 0.95],
    ]);
  });

  it('names the ratio on the y axis and the unit in the tooltips', () => {
    const bars = (chart.spec['layer'] as { encoding: Record<string, unknown> }[])[0];
    expect((bars?.encoding['y'] as Record<string, unknown>)['title']).toBe('simulated / published');
    const titles = (bars?.encoding['tooltip'] as { title: string }[]).map((t) => t.title);
    expect(titles).toContain('latency (µs)');
    expect(titles).toContain('published: latency (µs)');
  });
});

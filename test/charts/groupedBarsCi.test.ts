// groupedBarsCi (src/charts/groupedBarsCi.ts) on a hand-made table: the spec is schema-valid; its data
// rows carry each bar's value and its CI bounds value ± half-width (none drawn for a NaN half-width);
// the layers are bars, CI rules from lo to hi and labels above the interval; without half-widths there
// is no rule layer and the labels sit on the bars; bad input is one clear error.

import { describe, expect, it } from 'vitest';
import { groupedBarsCi, validateSpec, type GroupedBarsCiOptions } from '../../src/charts/index.js';
import { CHART_WIDTH } from '../../src/charts/theme.js';

type Row = Record<string, unknown>;

const BASE: GroupedBarsCiOptions = {
  id: 'score-bars',
  title: 'Score by servers',
  listTitle: 'Score vs servers',
  subtitle: ['line one', 'line two'],
  rows: [
    { group: '1', bar: 'native', value: 100, halfWidth: 5 },
    { group: '1', bar: 'xen', value: 90, halfWidth: 2.5 },
    { group: '2', bar: 'native', value: 180, halfWidth: NaN },
    { group: '2', bar: 'xen', value: 170, halfWidth: 10 },
  ],
  groups: ['1', '2'],
  bars: ['native', 'xen'],
  groupField: 'servers',
  valueField: 'score',
  xTitle: 'servers',
  yTitle: 'score (clients)',
  groupTooltip: 'servers',
  barTooltip: 'system',
  valueTooltip: 'score',
  label: (v) => `${v}!`,
  width: 777,
  xLabelLimit: 240,
};

const dataOf = (spec: Row): Row[] => (spec['data'] as { values: Row[] }).values;
const layersOf = (spec: Row): { mark: Row; encoding: Row }[] => spec['layer'] as { mark: Row; encoding: Row }[];

describe('groupedBarsCi', () => {
  it('is a valid spec with the ids, titles and size given', () => {
    const c = groupedBarsCi(BASE);
    expect(validateSpec(c.spec)).toEqual([]);
    expect(c.id).toBe('score-bars');
    expect(c.title).toBe('Score vs servers');
    expect(c.spec['title']).toEqual({ text: 'Score by servers', subtitle: ['line one', 'line two'] });
    expect(c.spec['width']).toBe(777);
    expect(groupedBarsCi({ ...BASE, listTitle: undefined, width: undefined }).title).toBe('Score by servers');
    expect(groupedBarsCi({ ...BASE, width: undefined }).spec['width']).toBe(CHART_WIDTH);
  });

  it('data: one row per bar, CI bounds value ± half-width (0 for NaN), the label of the value', () => {
    expect(dataOf(groupedBarsCi(BASE).spec)).toEqual([
      { servers: '1', bar: 'native', score: 100, lo: 95, hi: 105, label: '100!' },
      { servers: '1', bar: 'xen', score: 90, lo: 87.5, hi: 92.5, label: '90!' },
      { servers: '2', bar: 'native', score: 180, lo: 180, hi: 180, label: '180!' },
      { servers: '2', bar: 'xen', score: 170, lo: 160, hi: 180, label: '170!' },
    ]);
  });

  it('encodings: groups on x, bars side by side and coloured in the given orders', () => {
    const enc = groupedBarsCi(BASE).spec['encoding'] as Record<string, Row>;
    expect(enc['x']).toEqual({
      field: 'servers',
      type: 'nominal',
      title: 'servers',
      sort: ['1', '2'],
      axis: { labelAngle: 0, labelLimit: 240 },
    });
    expect(enc['xOffset']).toEqual({ field: 'bar', type: 'nominal', sort: ['native', 'xen'] });
    expect(enc['color']?.['field']).toBe('bar');
    expect(enc['color']?.['sort']).toEqual(['native', 'xen']);
    expect((enc['color']?.['scale'] as Row)['domain']).toEqual(['native', 'xen']);
    const noLimit = groupedBarsCi({ ...BASE, xLabelLimit: undefined }).spec['encoding'] as Record<string, Row>;
    expect(noLimit['x']?.['axis']).toEqual({ labelAngle: 0 });
  });

  it('layers: bars of the value, a rule from lo to hi, the label above hi', () => {
    const layers = layersOf(groupedBarsCi(BASE).spec);
    expect(layers.map((l) => l.mark['type'])).toEqual(['bar', 'rule', 'text']);
    const [bars, rule, text] = layers;
    expect(bars?.encoding['y']).toEqual({
      field: 'score',
      type: 'quantitative',
      title: 'score (clients)',
      scale: { zero: true },
    });
    expect((bars?.encoding['tooltip'] as Row[]).map((t) => [t['field'], t['title']])).toEqual([
      ['servers', 'servers'],
      ['bar', 'system'],
      ['score', 'score'],
    ]);
    expect(rule?.encoding).toEqual({ y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } });
    expect(text?.encoding['y']).toEqual({ field: 'hi', type: 'quantitative' });
    expect(text?.encoding['text']).toEqual({ field: 'label' });
  });

  it('without half-widths: no bounds, no rule layer, labels on the bars; default field names', () => {
    const rows = BASE.rows.map(({ group, bar, value }) => ({ group, bar, value }));
    const { groupField: _g, valueField: _v, ...rest } = BASE;
    const c = groupedBarsCi({ ...rest, rows });
    expect(validateSpec(c.spec)).toEqual([]);
    expect(dataOf(c.spec)[0]).toEqual({ group: '1', bar: 'native', value: 100, label: '100!' });
    const layers = layersOf(c.spec);
    expect(layers.map((l) => l.mark['type'])).toEqual(['bar', 'text']);
    expect(layers[1]?.encoding['y']).toEqual({ field: 'value', type: 'quantitative' });
  });

  it('bad input: one clear error naming the chart and the row', () => {
    expect(() => groupedBarsCi({ ...BASE, rows: [] })).toThrow('groupedBarsCi(score-bars): no rows');
    const bad = [...BASE.rows, { group: '3', bar: 'xen', value: Infinity }];
    expect(() => groupedBarsCi({ ...BASE, rows: bad })).toThrow(
      'groupedBarsCi(score-bars): row 4 (3 / xen) has non-finite value Infinity',
    );
    const twice = [...BASE.rows, { group: '1', bar: 'xen', value: 1 }];
    expect(() => groupedBarsCi({ ...BASE, rows: twice })).toThrow('two rows for group "1", bar "xen"');
    expect(() => groupedBarsCi({ ...BASE, valueField: 'lo' })).toThrow('field name "lo" is taken');
    expect(() => groupedBarsCi({ ...BASE, id: 'a b' })).toThrow('not a valid file name stem');
  });
});

// Writing chart files (src/charts/write.ts, atomicWrite.ts, canonicalJson.ts): three files per
// chart, no temporary files left, canonical JSON, nothing written for invalid input, same bytes on
// every write.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/charts/canonicalJson.js';
import { renderSvg, VEGA_LITE_SCHEMA_URL, writeCharts } from '../../src/charts/index.js';
import type { ChartSpec } from '../../src/runner/study.js';
import { allCharts, barsChart, sweepChart } from './fixtures.js';
import { PNG_MAGIC } from './png.js';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hvsim-charts-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of (await readdir(join(dir, 'charts'))).sort())
    out.set(name, await readFile(join(dir, 'charts', name)));
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } }, 0)).toBe('{"a":{"c":null,"d":[3,1]},"b":1}\n');
  });
  it('rejects values JSON cannot hold, naming the path', () => {
    expect(() => canonicalJson({ data: { values: [{ y: Number.NaN }] } })).toThrow('$.data.values[0].y is NaN');
    expect(() => canonicalJson({ a: undefined })).toThrow('$.a is undefined');
  });
});

describe('writeCharts', () => {
  it('writes .vl.json, .svg and .png for every chart and no temporary files', async () => {
    const dir = await freshDir();
    const charts = allCharts();
    await writeCharts(dir, charts);
    const names = (await readdir(join(dir, 'charts'))).sort();
    const expected = charts.flatMap((c) => [`${c.id}.png`, `${c.id}.svg`, `${c.id}.vl.json`]).sort();
    expect(names).toEqual(expected);
    expect(await readdir(dir)).toEqual(['charts']);

    const json = await readFile(join(dir, 'charts', 'relative.vl.json'), 'utf8');
    expect(json).toBe(canonicalJson(barsChart().spec));
    expect(json.startsWith(`{\n  "$schema": "${VEGA_LITE_SCHEMA_URL}",\n  "config": {`)).toBe(true);
    expect(JSON.parse(json)).toEqual(barsChart().spec);

    const svg = await readFile(join(dir, 'charts', 'relative.svg'), 'utf8');
    expect(svg).toBe(`${await renderSvg(JSON.parse(json) as Record<string, unknown>)}\n`);
    const png = await readFile(join(dir, 'charts', 'relative.png'));
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  });

  it('gives identical bytes when the same charts are written again', async () => {
    const a = await freshDir();
    const b = await freshDir();
    await writeCharts(a, allCharts());
    await writeCharts(b, allCharts());
    await writeCharts(b, allCharts()); // overwrite in place
    const sa = await snapshot(a);
    const sb = await snapshot(b);
    expect([...sb.keys()]).toEqual([...sa.keys()]);
    for (const [name, bytes] of sa) expect(sb.get(name)?.equals(bytes), name).toBe(true);
  });

  it('throws listing the schema errors and writes nothing when a spec is invalid', async () => {
    const dir = await freshDir();
    const bad: ChartSpec = { id: 'bad', title: 'bad', spec: { ...sweepChart().spec, height: 'tall' } };
    await expect(writeCharts(dir, [barsChart(), bad])).rejects.toThrow(
      /invalid chart spec\(s\), nothing written:\n {2}chart "bad": \/height must/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects duplicate and unsafe ids', async () => {
    const dir = await freshDir();
    const dup = [barsChart(), barsChart(), { ...sweepChart(), id: '../escape' }];
    await expect(writeCharts(dir, dup)).rejects.toThrow(
      /"relative" is used twice[\s\S]*"\.\.\/escape" is not a valid file name/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes nothing when a schema-valid spec fails to render', async () => {
    const dir = await freshDir();
    const warns: ChartSpec = {
      id: 'warns',
      title: 'warns',
      spec: {
        $schema: VEGA_LITE_SCHEMA_URL,
        data: { values: [{ a: 1, b: 'x' }] },
        mark: 'bar',
        encoding: { x: { field: 'a', type: 'quantitative' }, shape: { field: 'b', type: 'nominal' } },
      },
    };
    await expect(writeCharts(dir, [barsChart(), warns])).rejects.toThrow(/chart "warns": renderSvg: vega-lite compile/);
    expect(await readdir(dir)).toEqual([]);
  });
});

// docs/adding-a-model-and-study.md: the files it shows are the files in examples/disk/ byte for byte,
// and the command it gives runs the example study through the runner on 2 worker threads with
// latencies that agree with M/M/1 theory W = S/(1 − ρ) (FIFO, exponential service) within 10%.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const guide = readFileSync(join(root, 'docs', 'adding-a-model-and-study.md'), 'utf8');

describe('the adding-a-model-and-study guide', () => {
  it('shows the example files as they are', () => {
    const blocks = [...guide.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    const files = ['disk.ts', 'study.ts', 'run.ts', 'worker.mjs'];
    expect(blocks).toHaveLength(files.length);
    files.forEach((f, i) => expect(blocks[i], f).toBe(readFileSync(join(root, 'examples', 'disk', f), 'utf8')));
  });

  it('runs with the command it gives, and the latencies agree with M/M/1 theory', () => {
    const command = /```sh\n(npx tsx examples\/disk\/run\.ts)\n```/.exec(guide)?.[1];
    expect(command, 'the guide gives the command').toBeDefined();
    const out = execSync(command as string, { cwd: root, encoding: 'utf8', timeout: 300_000 });
    const rows = [...out.matchAll(/load ([\d.]+): latency ([\d.]+) ± [\d.]+ ms, M\/M\/1 ([\d.]+) ms/g)];
    expect(
      rows.map((r) => Number(r[1])),
      out,
    ).toEqual([0.3, 0.6, 0.9]);
    for (const [, load, sim] of rows) {
      const theoryMs = 4 / (1 - Number(load)); // S = 4 ms
      expect(Math.abs(Number(sim) / theoryMs - 1), `load ${load}: ${sim} ms vs ${theoryMs} ms`).toBeLessThan(0.1);
    }
  }, 300_000);
});

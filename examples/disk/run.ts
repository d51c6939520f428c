// examples/disk/run.ts — runs the ring-disk study through the runner on 2 worker threads (the runner
// is handed this example's registry module) and prints the latency next to M/M/1 theory.
// Run: npx tsx examples/disk/run.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureSweep, NO_OVERRIDES, runSweep } from 'hvsim/runner';
import { diskStudy } from './study.js';

const { plan, baseParams } = configureSweep(diskStudy, { quick: false, overrides: NO_OVERRIDES });
const outDir = join(mkdtempSync(join(tmpdir(), 'ring-disk-')), 'results');
const outcome = await runSweep({
  study: diskStudy,
  registry: new URL('./study.ts', import.meta.url).href,
  plan,
  baseParams,
  jobs: 2,
  outDir,
  progress: 'none',
  command: process.argv.slice(2),
  log: (line) => console.error(line),
  workerFile: new URL('./worker.mjs', import.meta.url).href, // tsx in the worker threads
});
if (outcome.data === undefined) throw new Error(`sweep ${outcome.status}`);
for (const row of outcome.data.summary.filter((r) => r.measure === 'latencyMeanNs')) {
  const load = Number(row.params['load']);
  const theory = Number(row.params['serviceMeanNs']) / (1 - load);
  console.log(`load ${load}: latency ${(row.mean / 1e6).toFixed(2)} ± ${(row.halfWidth / 1e6).toFixed(2)} ms, M/M/1 ${(theory / 1e6).toFixed(2)} ms`);
}
console.log(`results in ${outDir}`);

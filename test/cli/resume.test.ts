// Interrupted sweeps: a real child process is killed mid-sweep with SIGINT or SIGTERM (clean stop:
// exit 130 / 143, finished runs kept, no temporary files, no lock, no CSVs) and, separately, with
// SIGKILL (stale lock and maybe temporary files left, plus a damaged run file we add). Re-running the same command executes only the missing runs
// (counted from the manifest) and gives outputs byte-identical to an uninterrupted run.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/runner/manifest.js';
import { hvsim, hvsimAsync, listFiles, read, sleep, tempDir } from './cli-helpers.js';

// 40 short runs on one thread: long enough to be killed part-way, short enough for the suite.
const SWEEP = [
  'run',
  'mm1-validation',
  '--quick',
  '--replications',
  '8',
  '--set',
  'runLengthNs=20s',
  '--jobs',
  '1',
  '--no-report',
  '--progress',
  'plain',
];
const TOTAL = 40;
const COMPARED = ['runs.csv', 'summary.csv', 'tables/numberInSystemDistribution.csv'];

function runFiles(dir: string): string[] {
  const d = join(dir, 'runs');
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')) : [];
}

async function killPartWay(
  out: string,
  signal: NodeJS.Signals,
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = hvsimAsync([...SWEEP, '--out', out]);
  const deadline = Date.now() + 60_000;
  while (runFiles(out).length < 4) {
    if (Date.now() > deadline) throw new Error('the sweep did not start');
    await sleep(10);
  }
  child.kill(signal);
  return child.done;
}

describe('resume after an interrupted sweep', () => {
  const root = tempDir('resume');
  const reference = join(root, 'reference');

  beforeAll(() => {
    const r = hvsim([...SWEEP, '--out', reference]);
    expect(r.status, r.stderr).toBe(0);
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    it(`${signal}: keeps finished runs; the re-run executes only the missing ones and matches`, async () => {
      const out = join(root, signal);
      const killed = await killPartWay(out, signal);
      if (signal !== 'SIGKILL') {
        expect(killed.status, killed.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
        expect(killed.stderr).toMatch(new RegExp(`interrupted by ${signal}; \\d+/40 runs kept`));
        // Clean stop: no temporary files, no lock, no partial CSVs or manifest; the ownership marker stays.
        expect(listFiles(out).filter((f) => !/^runs\/\d+-\d+\.json$/.test(f))).toEqual(['.hvsim-results']);
      } else {
        expect(killed.signal).toBe('SIGKILL');
        // What a kill -9 can leave behind: a stale lock and a temporary file; plus a damaged run file.
        writeFileSync(join(out, 'runs', `.0-0.json.${process.pid}-9.hvsim-tmp`), '{"format":');
        writeFileSync(join(out, '.hvsim.lock'), `999999999 ${hostname()}\n`);
      }
      let finished = runFiles(out);
      expect(finished.length).toBeGreaterThanOrEqual(4);
      expect(finished.length, 'the sweep was killed part-way').toBeLessThan(TOTAL);
      if (signal === 'SIGKILL') {
        // A damaged run file is not reused: it is run again.
        writeFileSync(join(out, 'runs', finished[0] as string), '{"format":"hvsim-run/1", "trunc');
        finished = finished.slice(1);
      }

      const rerun = hvsim([...SWEEP, '--out', out]);
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(rerun.stderr).toContain(`${finished.length} already done, ${TOTAL - finished.length} to run`);
      const m = JSON.parse(read(join(out, 'manifest.json'))) as Manifest;
      expect(m.totals).toMatchObject({ runs: TOTAL, executed: TOTAL - finished.length, reused: finished.length });
      for (const f of COMPARED) expect(read(join(out, f)), f).toBe(read(join(reference, f)));
      expect(listFiles(out).filter((f) => f.endsWith('.hvsim-tmp') || f.endsWith('.lock'))).toEqual([]);
      expect(runFiles(out)).toHaveLength(TOTAL);
    });
  }
});

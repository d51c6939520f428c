// `hvsim slurm` end to end on a real single-node Slurm started by this test (slurm-cluster.ts): a
// small sweep (mm1-validation --quick, 25 runs) as a job array of 4 tasks plus the afterok merge job;
// array task 3 is cancelled with scancel as soon as its hvsim has started (it stops on SIGTERM), which must cancel the merge
// (kill-on-invalid-dep) and leave shard 3 incomplete; the same `hvsim slurm` command is submitted
// again: shards 1, 2 and 4 are complete and rerun nothing (the runner's resume), shard 3 runs, the
// merge runs, and the merged runs.csv and summary.csv are byte-identical to a one-machine run of the
// same sweep. Without Slurm (not root, packages missing: .ci/run installs them) it warns and is skipped.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, hvsim, tempDir } from '../cli/cli-helpers.js';
import { SlurmCluster, slurmAvailability } from './slurm-cluster.js';

const SWEEP = ['mm1-validation', '--quick'] as const;
const SHARDS = 4;
const RUNS_PER_SHARD = [7, 6, 6, 6]; // 25 runs dealt round-robin to 4 shards

const unavailable = await slurmAvailability();
if (unavailable !== null) console.warn(`WARNING: Slurm end-to-end test SKIPPED: ${unavailable}`);

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI with the cluster's SLURM_CONF (async, so the test's event loop keeps running). */
async function hvsimOn(cluster: SlurmCluster, args: readonly string[]): Promise<Result> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: cluster.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return await new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

function logsOf(out: string, arrayId: string): Map<number, string> {
  const dir = join(out, 'slurm', 'logs');
  const logs = new Map<number, string>();
  for (const f of readdirSync(dir)) {
    const m = /^shard-(\d+)-(\d+)\.out$/.exec(f);
    if (m && m[2] === arrayId) logs.set(Number(m[1]), readFileSync(join(dir, f), 'utf8'));
  }
  return logs;
}

function allLogs(out: string): string {
  const dir = join(out, 'slurm', 'logs');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .map((f) => `\n--- ${f}:\n${readFileSync(join(dir, f), 'utf8')}`)
    .join('');
}

describe.skipIf(unavailable !== null)('hvsim slurm on a real single-node Slurm', () => {
  let cluster: SlurmCluster | undefined;
  let startError: string | undefined;
  const ref = tempDir('slurm-ref');
  const out = tempDir('slurm-out');
  const timings: string[] = [];

  beforeAll(async () => {
    const t0 = Date.now();
    try {
      cluster = await SlurmCluster.start();
      timings.push(`cluster up ${Date.now() - t0} ms`);
    } catch (err) {
      startError = (err as Error).message;
    }
  });

  afterAll(async () => {
    const t0 = Date.now();
    await cluster?.stop();
    timings.push(`cluster down ${Date.now() - t0} ms`);
    console.log(`slurm e2e timings: ${timings.join(', ')}`);
  });

  it('4 array tasks + merge, one task cancelled and resubmitted: runs.csv and summary.csv identical to one machine', async (ctx) => {
    if (cluster === undefined) {
      console.warn(`WARNING: Slurm end-to-end test SKIPPED: Slurm did not start: ${startError}`);
      ctx.skip();
      return;
    }
    const c = cluster;
    let t = Date.now();
    const one = hvsim(['run', ...SWEEP, '--out', ref, '--no-report', '--progress', 'none']);
    expect(one.status, one.stderr).toBe(0);
    timings.push(`one-machine run ${Date.now() - t} ms`);

    // Round 1: submit, cancel task 3 as soon as its hvsim has started (its shard folder exists).
    t = Date.now();
    const submit = ['slurm', ...SWEEP, '--shards', String(SHARDS), '--out', out, '--no-report'];
    const first = await hvsimOn(c, submit);
    expect(first.status, first.stderr).toBe(0);
    const array1 = /shards job array (\d+)/.exec(first.stdout)?.[1] as string;
    expect(array1, first.stdout).toMatch(/^\d+$/);
    // hvsim has planned its shard (and installed its SIGTERM handler) once it logs "... to run on"
    const started = (): boolean => /to run on/.test(logsOf(out, array1).get(3) ?? '');
    for (let i = 0; i < 1200 && !started(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(started(), `task 3 never started${allLogs(out)}${c.logs()}`).toBe(true);
    c.client('scancel', [`${array1}_3`]);
    await c.waitEmpty(60_000);
    expect(logsOf(out, array1).get(3), 'scancel stops hvsim with SIGTERM, which keeps the finished runs').toContain(
      'interrupted by SIGTERM',
    );
    timings.push(`round 1 (cancelled) ${Date.now() - t} ms`);
    expect(existsSync(join(out, 'merged')), 'the merge must not run after a cancelled task').toBe(false);
    expect(existsSync(join(out, 'shard-3', 'manifest.json')), 'shard 3 must be incomplete after scancel').toBe(false);
    for (const i of [1, 2, 4])
      expect(existsSync(join(out, `shard-${i}`, 'manifest.json')), `shard ${i} complete${allLogs(out)}`).toBe(true);

    // Round 2: the same command again.
    t = Date.now();
    const second = await hvsimOn(c, submit);
    expect(second.status, second.stderr).toBe(0);
    const array2 = /shards job array (\d+)/.exec(second.stdout)?.[1] as string;
    await c.waitEmpty(90_000);
    timings.push(`round 2 (resubmitted) ${Date.now() - t} ms`);

    const logs = logsOf(out, array2);
    for (const i of [1, 2, 4]) {
      expect(logs.get(i), `task ${i} of the resubmission reruns nothing`).toContain(
        `(0 run now, ${RUNS_PER_SHARD[i - 1]} reused)`,
      );
    }
    const rerun = /\((\d+) run now, (\d+) reused\)/.exec(logs.get(3) ?? '');
    expect(rerun, `task 3 of the resubmission${allLogs(out)}`).not.toBeNull();
    expect(Number(rerun?.[1]) + Number(rerun?.[2])).toBe(RUNS_PER_SHARD[2]);
    expect(Number(rerun?.[1])).toBeGreaterThan(0);

    const merged = join(out, 'merged');
    expect(existsSync(join(merged, 'runs.csv')), `merge output${allLogs(out)}`).toBe(true);
    for (const f of ['runs.csv', 'summary.csv']) {
      expect(
        readFileSync(join(merged, f)).equals(readFileSync(join(ref, f))),
        `${f} byte-identical to the one-machine run`,
      ).toBe(true);
    }
  }, 300_000); // under load: a 60 s wait for the task, then two rounds of up to 60 and 90 s
});

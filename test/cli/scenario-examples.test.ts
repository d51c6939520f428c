// Every example scenario in experiments/scenarios/ runs through the compiled CLI with --quick (the
// file's quick section: seconds): `hvsim plan` exits 0 and writes its answer and SLO table. Then what the
// memory and disk examples must show whatever the seed (physics, not the verdicts of a short run):
// db-web-mix: the databases' p99 commit latency grows with the number of databases sharing the disk
// (closed OLTP loops on one arm); balloon-overcommit: whatif against the static partition, which pages
// several times more (page faults per domain and host swap I/O) than ballooning at the same 1.5×
// overcommit. A new example file is picked up by the first loop without changes here.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN, ROOT, tempDir, type CliResult } from './cli-helpers.js';

const EXAMPLES = join(ROOT, 'experiments/scenarios');
const files = readdirSync(EXAMPLES)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

/** The CLI with a longer limit than cli-helpers' hvsim (a goal-seek evaluates several values). */
function hvsimLong(args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 540_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

type Row = Record<string, string>;

/** CSV rows; quoted cells (labels with commas) are read as written by csvText. */
function parseCsv(text: string): Row[] {
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        out.push(cur);
        cur = '';
      } else cur += c;
    }
    out.push(cur);
    return out;
  };
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = split(head as string);
  return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [cols[i] as string, v])));
}

describe('example scenarios, hvsim plan --quick', () => {
  it('there are the four examples of issue 13', () => {
    for (const f of [
      'web-consolidation.yaml',
      'ctx-allow-interactive.yaml',
      'db-web-mix.yaml',
      'balloon-overcommit.yaml',
    ])
      expect(files).toContain(f);
  });

  for (const f of files) {
    it(`${f}: exit 0, an answer and an SLO table`, { timeout: 600_000 }, () => {
      const out = join(tempDir('example'), 'out');
      const r = hvsimLong(['plan', join(EXAMPLES, f), '--quick', '--out', out, '--progress', 'none']);
      expect(r.stderr).not.toContain('internal error');
      expect(r.status, r.stderr).toBe(0);
      const answer = readFileSync(join(out, 'answer.txt'), 'utf8').trim();
      expect(answer.startsWith(f.replace(/\.ya?ml$/, ''))).toBe(true);
      expect(r.stdout).toContain(answer);
      const slos = parseCsv(readFileSync(join(out, 'slos.csv'), 'utf8'));
      expect(slos.length).toBeGreaterThan(0);
      for (const row of slos) expect(Number.isFinite(Number(row['mean']))).toBe(true);

      if (f === 'db-web-mix.yaml') {
        // p99 commit latency against the number of databases: grows with every database added
        const commits = slos
          .filter((row) => (row['slo'] ?? '').startsWith('p99 commit latency of db'))
          .map((row) => ({ n: Number(row['value']), mean: Number(row['mean']) }))
          .sort((a, b) => a.n - b.n);
        expect(commits.length).toBeGreaterThanOrEqual(2);
        for (let i = 1; i < commits.length; i++)
          expect(commits[i]?.mean as number).toBeGreaterThan(commits[i - 1]?.mean as number);
      }
    });
  }

  it(
    'balloon-overcommit: whatif --quick against the static partition, which pages several times more',
    { timeout: 600_000 },
    () => {
      const out = join(tempDir('balloon'), 'out');
      const r = hvsimLong([
        'whatif',
        join(EXAMPLES, 'balloon-overcommit.yaml'),
        '--quick',
        '--set',
        'domains[0].memory.ceiling=82MB domains[0].memory.followWorkingSet=false',
        '--out',
        out,
        '--progress',
        'none',
      ]);
      expect(r.status, r.stderr).toBe(0);
      const rows = parseCsv(readFileSync(join(out, 'whatif.csv'), 'utf8'));
      const mean = (variant: string, prefix: string): number =>
        Number(rows.find((row) => row['variant'] === variant && (row['measure'] ?? '').startsWith(prefix))?.['mean']);
      for (const prefix of ['page faults per vm domain', 'host swap I/O']) {
        const balloon = mean('0', prefix);
        const fixed = mean('1', prefix);
        expect(Number.isFinite(balloon) && Number.isFinite(fixed)).toBe(true);
        expect(fixed).toBeGreaterThan(2 * balloon);
      }
    },
  );
});

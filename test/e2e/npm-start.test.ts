// `npm start` (the README's first command: the paper suite at quick fidelity) completes from an empty
// folder: exit 0, every member study's report and main chart (the gallery's picture), the suite's
// index page linking each report, and the closing lines that say where to look. It runs the real thing
// (build included), so it takes minutes: it lives in the e2e project. Its wall time is printed, never
// asserted (the README quotes a measured figure).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperSuite } from '../../experiments/suites.js';
import { ROOT, tempDir } from '../cli/cli-helpers.js';

describe('npm start', () => {
  it(
    'runs the paper suite at quick fidelity to the end and says where to look',
    () => {
      const root = join(tempDir('npm-start'), 'results', 'paper-quick');
      const t0 = Date.now();
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const r = spawnSync(npm, ['start', '--', '--out', root, '--progress', 'none'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 20 * 60_000,
      });
      console.log(`npm start: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Where to look: ${join(root, 'index.html')} links every report of the suite`);
      const index = readFileSync(join(root, 'index.html'), 'utf8');
      paperSuite.members.forEach((m, i) => {
        expect(r.stdout).toContain(`[${i + 1}/${paperSuite.members.length}] ${m.study}: `);
        expect(existsSync(join(root, m.study, 'report.html')), m.study).toBe(true);
        expect(index).toContain(`${m.study}/report.html`);
        if (m.chart !== undefined)
          expect(existsSync(join(root, m.study, 'charts', `${m.chart}.png`)), `${m.study}: ${m.chart}`).toBe(true);
        const manifest = JSON.parse(readFileSync(join(root, m.study, 'manifest.json'), 'utf8')) as { quick: boolean };
        expect(manifest.quick, m.study).toBe(true);
      });
    },
    25 * 60_000,
  );
});

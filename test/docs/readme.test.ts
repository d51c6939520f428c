// The README's engine example runs as printed and its answer agrees with M/M/1 theory, so the
// documentation cannot drift from the code. (Imports 'hvsim', i.e. the built package: npm test builds first.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('starts with the two commands a new user needs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npm ci && npm start');
    expect(firstBlock).toContain('npm ci && npm test');
  });

  it('the engine example runs and matches M/M/1 theory within 10%', () => {
    const block = /## The engine in 15 lines[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has the engine example').toBeDefined();
    // strip the type-only import so plain Node runs it; everything else runs verbatim
    const js = (block as string)
      .replace(', type ProcessGenerator', '')
      .replace(/\(\): ProcessGenerator/g, '()');
    const dir = mkdtempSync(join(root, 'test', 'docs', '.tmp-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, js);
      const out = execFileSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
      const m = /mean wait ([\d.]+) ms/.exec(out);
      expect(m, out).not.toBeNull();
      expect(Math.abs(Number(m?.[1]) - 16) / 16).toBeLessThan(0.1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

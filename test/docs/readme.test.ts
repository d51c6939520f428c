// The README's first-contact instructions hold as printed: its two commands, and its engine example,
// which is examples/mm1.ts byte for byte and runs with exactly the command the README gives (`npx tsx
// examples/mm1.ts`, tsx being a devDependency), with an answer that agrees with M/M/1 theory.
// (The example imports 'hvsim', i.e. the built package: npm test builds first.)
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it('the engine example is examples/mm1.ts, runs with the command the README gives, and matches M/M/1 theory within 10%', () => {
    const section = /## The engine in 20 lines([\s\S]*?)```ts\n([\s\S]*?)```/.exec(readme);
    expect(section, 'README has the engine example').not.toBeNull();
    const [, prose, block] = section as RegExpExecArray;
    expect(readFileSync(join(root, 'examples', 'mm1.ts'), 'utf8')).toBe(block);
    const command = /`(npx tsx examples\/mm1\.ts)`/.exec(prose as string)?.[1];
    expect(command, 'README names the command that runs the example').toBeDefined();
    const out = execSync(command as string, { cwd: root, encoding: 'utf8' });
    const m = /mean wait ([\d.]+) ms/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - 16) / 16).toBeLessThan(0.1);
  });
});

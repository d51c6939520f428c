// Writes schema/sweep.schema.json from SWEEP_SCHEMA (src/runner/sweep-file.ts, the source of truth;
// test/runner/sweep-file.test.ts checks that the committed file is this rendering).
// Run: npm run schema:sweep   (builds, then rewrites schema/sweep.schema.json)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SWEEP_SCHEMA } from '../src/runner/sweep-file.js';

/** The file's exact text: the schema as 2-space JSON with a final newline. */
export function sweepSchemaText(): string {
  return `${JSON.stringify(SWEEP_SCHEMA, null, 2)}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // dist/scripts/sweep-schema.js → the repository root is two folders up.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const path = join(root, 'schema', 'sweep.schema.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, sweepSchemaText());
  console.log(`wrote ${path}`);
}

// Writes schema/scenario.schema.json from the TypeBox definition in src/scenario/schema.ts (the single
// source of the scenario format): `npm run schema:scenario`. test/scenario/schema.test.ts fails when
// the committed file differs from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_SCHEMA_FILE, scenarioSchemaText } from '../src/scenario/schema.js';

const here = dirname(fileURLToPath(import.meta.url));
// dist/scripts/ when built, scripts/ under tsx: the project root is the first parent with package.json.
const root = here.includes(`${join('dist', 'scripts')}`) ? resolve(here, '../..') : resolve(here, '..');
const file = join(root, SCENARIO_SCHEMA_FILE);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, scenarioSchemaText());
console.log(`wrote ${file}`);

// The shipped JSON Schema is the generated one, the scheduler enum is the registry, and the example
// scenarios in experiments/scenarios/ are valid (both by ajv on the shipped file and by loadScenario).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCHEDULERS } from '../../src/models/cpu/registry.js';
import { loadScenario } from '../../src/scenario/load.js';
import { SCENARIO_SCHEMA_FILE, scenarioSchemaText } from '../../src/scenario/schema.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(ROOT, 'experiments/scenarios');

describe('scenario JSON Schema', () => {
  const shipped = readFileSync(join(ROOT, SCENARIO_SCHEMA_FILE), 'utf8');

  it('the committed schema/scenario.schema.json equals the generated one (npm run schema:scenario)', () => {
    expect(shipped, `${SCENARIO_SCHEMA_FILE} is stale: run npm run schema:scenario`).toBe(scenarioSchemaText());
  });

  it("offers exactly the registry's schedulers", () => {
    const schema = JSON.parse(shipped) as {
      properties: { hypervisor: { properties: { scheduler: { enum: string[] } } } };
    };
    expect(schema.properties.hypervisor.properties.scheduler.enum).toEqual(Object.keys(SCHEDULERS));
  });

  const examples = readdirSync(EXAMPLES)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
  it('there are example scenarios', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });
  for (const f of examples) {
    it(`${f} is valid (shipped schema, plain ajv; and loadScenario)`, () => {
      const ajv = new Ajv({ strict: false, discriminator: true });
      const validate = ajv.compile(JSON.parse(shipped) as object);
      const doc = parse(readFileSync(join(EXAMPLES, f), 'utf8')) as unknown;
      const ok = validate(doc);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
      expect(loadScenario(join(EXAMPLES, f)).name).toBe(f.replace(/\.(ya?ml|json)$/, ''));
    });
  }
});

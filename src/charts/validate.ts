// Validation of chart specs against the Vega-Lite JSON schema shipped with the installed vega-lite
// (vega-lite/vega-lite-schema.json, draft-07), plus the one thing the schema does not require but
// vega-embed needs to pick Vega-Lite mode: a `$schema` naming Vega-Lite v6. The ajv validator is
// compiled once per process (1.7-3.4 s, see docs/charts.md).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { VEGA_LITE_SCHEMA_URL } from './theme.js';

/** At most this many schema errors are reported (the most specific first). */
const MAX_ERRORS = 8;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const schemaPath = createRequire(import.meta.url).resolve('vega-lite/vega-lite-schema.json');
    const schema: unknown = JSON.parse(readFileSync(schemaPath, 'utf8'));
    if (typeof schema !== 'object' || schema === null) throw new Error(`${schemaPath} is not a JSON schema`);
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(top level)' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  let detail = '';
  if (e.keyword === 'additionalProperties') detail = ` (${JSON.stringify(params['additionalProperty'])})`;
  else if (e.keyword === 'enum') detail = `: ${JSON.stringify(params['allowedValues'])}`;
  else if (e.keyword === 'const') detail = `: ${JSON.stringify(params['allowedValue'])}`;
  else if (e.keyword === 'required') detail = ` (missing ${JSON.stringify(params['missingProperty'])})`;
  return `${at} ${e.message ?? e.keyword}${detail}`;
}

/** Keyword order within one path: the most telling first. */
const KEYWORD_RANK: Record<string, number> = { enum: 0, additionalProperties: 1, required: 2, type: 3, const: 4 };

/**
 * The errors worth showing. The schema's top level is an anyOf over every kind of view (unit, layer,
 * facet, concat ...) and most fields are anyOf as well, so ajv reports each branch's complaint. Keep
 * the errors at the deepest paths (an error at /encoding/x/type makes "/encoding/x matches no
 * branch" noise), drop the generic anyOf summaries, and where an enum lists the allowed values drop
 * the other branches' "must be equal to constant" / "must be object" at the same path.
 */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  let out = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const paths = [...new Set(out.map((e) => e.instancePath))];
  out = out.filter((e) => !paths.some((p) => p !== e.instancePath && p.startsWith(`${e.instancePath}/`)));
  const withEnum = new Set(out.filter((e) => e.keyword === 'enum').map((e) => e.instancePath));
  out = out.filter((e) => !(withEnum.has(e.instancePath) && (e.keyword === 'const' || e.keyword === 'type')));
  const rank = (e: ErrorObject): number => KEYWORD_RANK[e.keyword] ?? 9;
  out.sort((a, b) => rank(a) - rank(b));
  return out.length > 0 ? out : errors.slice();
}

/**
 * Checks a spec against the Vega-Lite schema. Returns [] when valid, else readable messages (the
 * most specific first, at most MAX_ERRORS). Also requires `$schema` to name Vega-Lite v6.
 */
export function validateSpec(spec: unknown): string[] {
  const out: string[] = [];
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    return ['(top level) a Vega-Lite spec must be a JSON object'];
  }
  const declared = (spec as Record<string, unknown>)['$schema'];
  if (declared !== VEGA_LITE_SCHEMA_URL) {
    out.push(
      `/$schema must be ${JSON.stringify(VEGA_LITE_SCHEMA_URL)} (vega-embed picks the renderer from it), got ${
        declared === undefined ? 'nothing' : JSON.stringify(declared)
      }`,
    );
  }
  const validate = validator();
  if (!validate(spec)) {
    const messages = [...new Set(relevant(validate.errors ?? []).map(describe))];
    out.push(...messages.slice(0, MAX_ERRORS));
    if (messages.length > MAX_ERRORS) out.push(`... and ${messages.length - MAX_ERRORS} more schema errors`);
    if (messages.length === 0) out.push('(top level) does not match the Vega-Lite schema');
  }
  return out;
}

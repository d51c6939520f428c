// Canonical JSON for files that must be byte-identical across runs: object keys sorted (code-unit
// order) at every depth, two-space indent, trailing newline. Values that JSON cannot represent
// (NaN, Infinity, undefined, functions, bigint, symbols) are errors naming their path, instead of
// JSON.stringify's silent null or omission.

export function canonicalJson(value: unknown, indent = 2): string {
  return `${JSON.stringify(canonicalize(value, '$'), null, indent)}\n`;
}

function canonicalize(value: unknown, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${path} is ${value}, which JSON cannot hold`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => canonicalize(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const src = value as Record<string, unknown>;
    for (const key of Object.keys(src).sort()) {
      const v = src[key];
      if (v === undefined) throw new Error(`canonicalJson: ${path}.${key} is undefined`);
      out[key] = canonicalize(v, `${path}.${key}`);
    }
    return out;
  }
  throw new Error(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold`);
}

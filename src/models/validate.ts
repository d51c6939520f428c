// Parameter validation shared by the hypervisor models (schedulers, host, control plane, workloads): one uniform RangeError,
// `<where>: <field> must be <allowed range>, got <value>`, naming the field, the value and the range.
//
// Holds: checkers for integers, numbers and closed sets (`as const` objects). No defaults here;
// units are those of the field names (`...Ns` = integer nanoseconds, `...Bytes` = bytes).

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** Throws the uniform bad-parameter error. */
export function rangeFail(where: string, field: string, allowed: string, value: unknown): never {
  throw new RangeError(`${where}: ${field} must be ${allowed}, got ${show(value)}`);
}

/** An integer in [min, max] (max may be Infinity, meaning any safe integer ≥ min). */
export function checkInt(where: string, field: string, value: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const hi = max >= Number.MAX_SAFE_INTEGER ? '' : ` and <= ${max}`;
    rangeFail(where, field, `an integer >= ${min}${hi}`, value);
  }
  return value;
}

/** A finite number in [min, max]. */
export function checkNumber(where: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    rangeFail(where, field, `a number in [${min}, ${max}]`, value);
  }
  return value;
}

/** One of the values of a closed set declared `as const`. */
export function checkOneOf<T extends string>(where: string, field: string, value: unknown, allowed: Readonly<Record<string, T>>): T {
  const values = Object.values(allowed);
  if (typeof value !== 'string' || !values.includes(value as T)) {
    rangeFail(where, field, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, value);
  }
  return value as T;
}

/** A non-empty string of at most maxLength characters. */
export function checkName(where: string, field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    rangeFail(where, field, `a non-empty string of at most ${maxLength} characters`, value);
  }
  return value;
}

/** A boolean. */
export function checkBool(where: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') rangeFail(where, field, 'true or false', value);
  return value;
}

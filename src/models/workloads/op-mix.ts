// The generic operation-mix workload: a guest process whose work is a number of units, each unit a
// fixed mix of guest-kernel operations (guest/operations.ts, priced by the guest's profile) followed by
// its computation. Every named workload of the CPU studies (SPEC CINT2000-like, kernel build: spec-int.ts,
// kernel-build.ts) is such a mix, and a study or a scenario can supply its own (OpMixOptionsSchema, a
// TypeBox schema whose static type is OpMixOptions; checkOpMixOptions gives one-line errors).
//
// First the operations of `opsAtStart`, once (integer counts: the exec that starts a program). Then
// unit i (0-based) issues, for each operation o with count c(o) per unit, ⌊(i+1)·c⌋ − ⌊i·c⌋ operations,
// in the fixed order of GUEST_OP_NAMES, then ⌊(i+1)·C⌋ − ⌊i·C⌋ ns of computation (C = computeNsPerUnit).
// So fractional counts (0.25 forks per unit) are exact over the run: n units issue ⌊n·c⌋ operations and
// ⌊n·C⌋ ns. Which operations a unit issues is the same for every profile; only their price differs,
// which is the point (DESIGN "Virtualization profiles": macro results emerge from mix × costs).
// Counting: `unitsDone` after each unit; `osNsPerUnit(profile)` prices one average unit from the Table 3
// cells of the profile (for derivations and checks; the guest OS prices the real run).
// A memory-touching loop on the guest OS is such a mix (a page fault and some computation per page);
// the paper's memory-hog antagonist with paging, swap and restart on failure is memory/workloads.ts
// MemoryHog, which drives the guest's paging model directly (not duplicated here).
// Units: ns, bytes, counts. Defaults: units unbounded (the process runs until the simulation stops),
// workingSetBytes 0 (the guest's process-switch cost uses it; the host's domain working set is separate).
import { Type, type Static, type TInteger, type TNumber, type TOptional } from '@sinclair/typebox';
import type { GuestOS, GuestProcess, GuestProgram } from '../guest/guest-os.js';
import { GUEST_OP_NAMES, type GuestOp } from '../guest/operations.js';
import { rangeFail } from '../validate.js';

/** Largest count of one operation per unit, and largest computation per unit (1 hour), for sanity. */
export const OP_MIX_LIMITS = { maxCountPerUnit: 1e7, maxComputeNsPerUnit: 3.6e12, maxUnits: 1e9 } as const;

const opCounts = Type.Object(
  Object.fromEntries(
    GUEST_OP_NAMES.map((op) => [
      op,
      Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: OP_MIX_LIMITS.maxCountPerUnit,
          description: `${op} operations per unit of work (may be fractional)`,
        }),
      ),
    ]),
  ) as Record<GuestOp, TOptional<TNumber>>,
  { additionalProperties: false, description: 'operations per unit of work, by operation name' },
);

/** The options of an operation-mix workload, as a TypeBox schema (a scenario embeds it). */
export const OpMixOptionsSchema = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'process name in the guest OS (default "op-mix")' }),
    ),
    opsAtStart: Type.Optional(
      Type.Object(
        Object.fromEntries(
          GUEST_OP_NAMES.map((op) => [
            op,
            Type.Optional(Type.Integer({ minimum: 0, maximum: OP_MIX_LIMITS.maxCountPerUnit })),
          ]),
        ) as Record<GuestOp, TOptional<TInteger>>,
        {
          additionalProperties: false,
          description: 'operations issued once, before the first unit (e.g. the exec that starts a program)',
        },
      ),
    ),
    opsPerUnit: opCounts,
    computeNsPerUnit: Type.Number({
      minimum: 0,
      maximum: OP_MIX_LIMITS.maxComputeNsPerUnit,
      description: 'user-mode computation per unit of work, ns (may be fractional; issued in whole ns)',
    }),
    units: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: OP_MIX_LIMITS.maxUnits,
        description: 'units of work; absent = run until the simulation stops',
      }),
    ),
    workingSetBytes: Type.Optional(
      Type.Integer({ minimum: 0, description: "the process's working set for the guest's switch cost, bytes" }),
    ),
  },
  { additionalProperties: false },
);
export type OpMixOptions = Static<typeof OpMixOptionsSchema>;

const KEYS = ['name', 'opsAtStart', 'opsPerUnit', 'computeNsPerUnit', 'units', 'workingSetBytes'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkNonNeg(where: string, field: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)
    rangeFail(where, field, `a number in [0, ${max}]`, v);
  return v;
}

/** Checks an options object (from code, a study or a scenario); throws one RangeError naming the field. */
export function checkOpMixOptions(where: string, value: unknown): OpMixOptions {
  if (!isObject(value)) rangeFail(where, 'options', 'an object', value);
  for (const k of Object.keys(value))
    if (!(KEYS as readonly string[]).includes(k)) rangeFail(where, 'option', `one of ${KEYS.join(', ')}`, k);
  const name = value['name'];
  if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > 64))
    rangeFail(where, 'name', 'a string of 1 to 64 characters', name);
  const start = value['opsAtStart'];
  if (start !== undefined) {
    if (!isObject(start)) rangeFail(where, 'opsAtStart', 'an object of operation counts', start);
    for (const [op, c] of Object.entries(start)) {
      if (!(GUEST_OP_NAMES as readonly string[]).includes(op))
        rangeFail(where, 'opsAtStart key', `one of ${GUEST_OP_NAMES.join(', ')}`, op);
      if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0 || c > OP_MIX_LIMITS.maxCountPerUnit)
        rangeFail(where, `opsAtStart.${op}`, `an integer in [0, ${OP_MIX_LIMITS.maxCountPerUnit}]`, c);
    }
  }
  const ops = value['opsPerUnit'];
  if (!isObject(ops)) rangeFail(where, 'opsPerUnit', 'an object of operation counts', ops);
  for (const [op, c] of Object.entries(ops)) {
    if (!(GUEST_OP_NAMES as readonly string[]).includes(op))
      rangeFail(where, 'opsPerUnit key', `one of ${GUEST_OP_NAMES.join(', ')}`, op);
    checkNonNeg(where, `opsPerUnit.${op}`, c, OP_MIX_LIMITS.maxCountPerUnit);
  }
  checkNonNeg(where, 'computeNsPerUnit', value['computeNsPerUnit'], OP_MIX_LIMITS.maxComputeNsPerUnit);
  const units = value['units'];
  if (
    units !== undefined &&
    (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 1 || units > OP_MIX_LIMITS.maxUnits)
  )
    rangeFail(where, 'units', `an integer in [1, ${OP_MIX_LIMITS.maxUnits}] or absent (unbounded)`, units);
  const ws = value['workingSetBytes'];
  if (ws !== undefined && (typeof ws !== 'number' || !Number.isSafeInteger(ws) || ws < 0))
    rangeFail(where, 'workingSetBytes', 'an integer >= 0', ws);
  let any = (value['computeNsPerUnit'] as number) > 0;
  for (const c of Object.values(ops)) if ((c as number) > 0) any = true;
  if (!any)
    rangeFail(
      where,
      'opsPerUnit and computeNsPerUnit',
      'some work per unit (an operation count or computation > 0)',
      0,
    );
  return value as OpMixOptions;
}

/** How many of a per-unit amount `c` unit i issues (exact over a run: n units issue ⌊n·c⌋). */
export function amountOfUnit(c: number, i: number): number {
  return Math.floor((i + 1) * c) - Math.floor(i * c);
}

/** The operations of unit i, in issue order, as [operation, count] pairs (counts > 0 only). */
export function opsOfUnit(opsPerUnit: OpMixOptions['opsPerUnit'], i: number): [GuestOp, number][] {
  const out: [GuestOp, number][] = [];
  for (const op of GUEST_OP_NAMES) {
    const c = opsPerUnit[op];
    if (c === undefined || c === 0) continue;
    const n = amountOfUnit(c, i);
    if (n > 0) out.push([op, n]);
  }
  return out;
}

/** One operation-mix workload: make it, then spawn it on a guest OS (once). */
export class OpMixWorkload {
  readonly options: OpMixOptions;
  readonly name: string;
  /** Units completed so far. */
  unitsDone = 0;
  /** Simulated time of the process's start and end, ns (−1 until then). */
  startNs = -1;
  endNs = -1;
  private process: GuestProcess | null = null;

  constructor(options: OpMixOptions, where = 'OpMixWorkload') {
    this.options = checkOpMixOptions(where, options);
    this.name = options.name ?? 'op-mix';
  }

  /** The program (a fresh iterator each call); `now` reads the clock for startNs / endNs. */
  program(now: () => number = () => -1): GuestProgram {
    const o = this.options;
    const units = o.units ?? Infinity;
    const self = this;
    return (function* (): GuestProgram {
      self.startNs = now();
      if (o.opsAtStart !== undefined) for (const [op, count] of opsOfUnit(o.opsAtStart, 0)) yield { op, count };
      for (let i = 0; i < units; i++) {
        for (const [op, count] of opsOfUnit(o.opsPerUnit, i)) yield { op, count };
        const c = amountOfUnit(o.computeNsPerUnit, i);
        if (c > 0) yield { computeNs: c };
        self.unitsDone++;
      }
      self.endNs = now();
    })();
  }

  /** Starts the workload as a process of `os`. */
  spawn(os: GuestOS): GuestProcess {
    if (this.process !== null) rangeFail('OpMixWorkload.spawn', 'workload', 'not yet spawned', this.name);
    const sim = os.sim;
    this.process = os.spawn(
      this.name,
      this.program(() => sim.now),
      this.options.workingSetBytes ?? 0,
    );
    return this.process;
  }

  /** Elapsed time from start to end, ns (NaN until it has ended). */
  get elapsedNs(): number {
    return this.endNs < 0 ? NaN : this.endNs - this.startNs;
  }
}

/**
 * The OS time of one average unit priced by `priceNs` (e.g. a profile's Table 3 cells), ns:
 * Σ_o c(o) · priceNs(o). With a unit's computation C, the OS share of a unit is osNs / (osNs + C).
 */
export function osNsPerUnit(opsPerUnit: OpMixOptions['opsPerUnit'], priceNs: (op: GuestOp) => number): number {
  let ns = 0;
  for (const op of GUEST_OP_NAMES) {
    const c = opsPerUnit[op];
    if (c !== undefined && c > 0) ns += c * priceNs(op);
  }
  return ns;
}

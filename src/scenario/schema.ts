// The scenario file format (capacity planning), defined once as a TypeBox schema: the TypeScript type
// `Scenario` is derived from it, schema/scenario.schema.json is generated from it (npm run
// schema:scenario; a test checks the committed file equals the generated one), and ajv validates files
// against it (load.ts). A scenario describes what exists in the models today:
//   host        CPUs, context-switch costs on/off, the per-domain timer event;
//   hypervisor  the CPU scheduler by registry name (src/models/cpu/registry.ts: any name registered
//               there is accepted, the enum is read from the registry) and its parameters, the event
//               channel costs;
//   domains     templates: a workload ('cpu-bound' or 'request-response' with its parameters), the
//               per-domain scheduling parameters, a working set, and a count;
//   slos        response-time percentile (request/response), throughput floor (request/response),
//               CPU share floor (any template), host CPU headroom;
//   run         window length, warm-up, replications (≥ 2: SLOs are decided on confidence intervals),
//               master seed;
//   vary        optional: goal-seek an integer field (e.g. domains[0].count) for the largest (or
//               smallest) value meeting every SLO.
// Not in the format yet, because no model measures them (they come with the guest memory, network and
// storage models): host memory, NIC and disk presets, memory reservations and ceilings, drop rates,
// block batching. Units are in the field names (Ms, Us, Ns, Hz, PerS, KiB); times are converted to
// integer ns when the scenario is built (run.ts). Defaults (documented per field, applied in run.ts)
// are the models' own defaults, which cite their sources (docs/calibration.md).
// Extending the format when a model lands (e.g. memory or a disk): add the fields here (with units in
// their names and the limits the model checks), map them to the model's options in run.ts, add what
// the model measures to the template table and, if an SLO can use it, a branch of `Slo` and of
// evaluate.ts; then `npm run schema:scenario` and a malformed file per new rule in
// test/scenario/malformed/. A scheduler added to the registry needs nothing but the regenerated schema.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { SCHEDULERS, type SchedulerName } from '../models/cpu/registry.js';
import { SCHED_PARAM_LIMITS } from '../models/cpu/scheduler.js';

/** The URL-like identifier of the generated JSON Schema. */
export const SCENARIO_SCHEMA_ID = 'https://hvsim.invalid/schema/scenario.schema.json';

const NAME_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$';
/** Longest template name (domain names are `<template>-<i>` and `<template>-<i>-srv`, at most 64 long). */
const MAX_TEMPLATE_NAME = 48;

/** Percentiles a response-time SLO may name (the ones the run measures). */
export const SLO_PERCENTILES = [50, 90, 95, 99, 99.9] as const;
export type SloPercentile = (typeof SLO_PERCENTILES)[number];

/** A string enum as a plain JSON Schema `enum` (clean ajv messages) with a literal-union static type. */
function stringEnum<T extends string>(values: readonly T[], description: string, def?: T): TSchema & { static: T } {
  return Type.Unsafe<T>({
    type: 'string',
    enum: [...values],
    description,
    ...(def === undefined ? {} : { default: def }),
  });
}

function numberEnum<T extends number>(values: readonly T[], description: string): TSchema & { static: T } {
  return Type.Unsafe<T>({ type: 'number', enum: [...values], description });
}

/** A discriminated union (oneOf + discriminator): ajv reports only the errors of the branch named by the tag. */
function tagged<T extends TSchema[]>(
  tag: string,
  branches: [...T],
  description: string,
): TSchema & { static: Static<T[number]> } {
  return Type.Unsafe<Static<T[number]>>({
    type: 'object',
    oneOf: branches,
    discriminator: { propertyName: tag },
    required: [tag],
    description,
  });
}

/** Xen's field limits (SCHED_PARAM_LIMITS: { min, max }) as JSON Schema bounds. */
function limits(l: { readonly min: number; readonly max: number }): { minimum: number; maximum: number } {
  return { minimum: l.min, maximum: l.max };
}

const schedulerNames = Object.keys(SCHEDULERS) as SchedulerName[];

const Host = Type.Object(
  {
    cpus: Type.Integer({ minimum: 1, maximum: 64, description: "physical CPUs (the paper's server: 2 Xeon CPUs)" }),
    contextSwitchCosts: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'charge the calibrated context-switch cost (src/models/cpu/context-switch.ts); false: free switches',
      }),
    ),
    timerTickMs: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1000,
        default: 20,
        description: 'per-domain timer event period, ms; 0 = off (default 20 ms, docs/calibration.md)',
      }),
    ),
  },
  { additionalProperties: false, description: 'the physical host' },
);

const Bvt = Type.Object(
  {
    ctxAllowMs: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 10_000,
        description: 'context-switch allowance, ms (Xen 1.0 ctx_allow: 5 ms)',
      }),
    ),
    mcuUs: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1_000_000,
        description: 'minimum charging unit, µs (Xen 1.0: 100 µs)',
      }),
    ),
  },
  { additionalProperties: false, description: 'BVT parameters (schedulers bvt-*)' },
);

const Credit = Type.Object(
  {
    tickMs: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 10_000, description: 'tick period, ms (Xen: 10 ms)' }),
    ),
    ticksPerSlice: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'ticks per time slice (Xen: 3)' }),
    ),
    boost: Type.Optional(Type.Boolean({ description: 'BOOST waking UNDER vCPUs (Xen: true)' })),
  },
  { additionalProperties: false, description: 'Credit parameters (scheduler credit)' },
);

const RoundRobin = Type.Object(
  {
    quantumMs: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 10_000, description: 'quantum, ms (Xen 2.0 sched_rrobin: 10 ms)' }),
    ),
  },
  { additionalProperties: false, description: 'round-robin parameters (scheduler round-robin)' },
);

const EventChannel = Type.Object(
  {
    hypercallNs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000_000,
        description: 'CPU of one EVTCHNOP_send hypercall, ns (default: Table 3 anchor)',
      }),
    ),
    upcallNs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000_000,
        description: 'CPU of one upcall, ns (default: Table 3 anchor)',
      }),
    ),
  },
  { additionalProperties: false, description: 'event channel costs' },
);

const Hypervisor = Type.Object(
  {
    scheduler: stringEnum(schedulerNames, 'CPU scheduler by registry name (src/models/cpu/registry.ts)'),
    bvt: Type.Optional(Bvt),
    credit: Type.Optional(Credit),
    roundRobin: Type.Optional(RoundRobin),
    eventChannel: Type.Optional(EventChannel),
  },
  { additionalProperties: false, description: 'the hypervisor: scheduler and its parameters' },
);

const NotifyPolicy = Type.Object(
  {
    everyItems: Type.Integer({
      minimum: 1,
      maximum: 2 ** 30,
      description: 'notify every k items (1 = every item, ring.h default)',
    }),
    holdOffMs: Type.Optional(
      Type.Number({ minimum: 0, maximum: 10_000, description: 'hold-off timer, ms (absent: no timer)' }),
    ),
  },
  { additionalProperties: false, description: 'ring notification threshold' },
);

const CpuBound = Type.Object(
  { kind: Type.Literal('cpu-bound', { description: 'a CPU hog: never blocks' }) },
  { additionalProperties: false, description: 'CPU-bound workload (src/models/workloads/cpu-burst.ts)' },
);

const Service = Type.Object(
  {
    distribution: stringEnum(['exponential', 'constant'] as const, 'server CPU per request: distribution'),
    meanMs: Type.Number({ exclusiveMinimum: 0, maximum: 10_000, description: 'server CPU per request: mean, ms' }),
  },
  {
    additionalProperties: false,
    description: 'server CPU per request (default: exponential, mean 0.00188 ms, Table 3 anchor)',
  },
);

const RequestResponse = Type.Object(
  {
    kind: Type.Literal('request-response', {
      description: 'a client issuing requests to a server over a descriptor ring',
    }),
    arrival: Type.Optional(
      stringEnum(
        ['open', 'closed'] as const,
        'open: Poisson arrivals at rateHz; closed: `outstanding` requests always in the system',
        'open',
      ),
    ),
    rateHz: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1e9,
        description: 'open loop: requests per second (default 10000, assumption)',
      }),
    ),
    outstanding: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description: 'closed loop: requests always outstanding (default 1)',
      }),
    ),
    service: Type.Optional(Service),
    clientIssueUs: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1e6,
        description: 'client CPU to issue one request, µs (default 0.5, Table 3 anchor)',
      }),
    ),
    clientResponseUs: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1e6,
        description: 'client CPU per response, µs (default 0.5, Table 3 anchor)',
      }),
    ),
    ringSizeEntries: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2 ** 30,
        description: 'ring entries, a power of two (default 256, docs/calibration.md)',
      }),
    ),
    requestNotify: Type.Optional(NotifyPolicy),
    responseNotify: Type.Optional(NotifyPolicy),
    server: Type.Optional(
      stringEnum(
        ['guest', 'dom0'] as const,
        'guest: a server domain per client (a pair); dom0: served by domain 0',
        'guest',
      ),
    ),
  },
  { additionalProperties: false, description: 'request/response workload (src/models/workloads/request-response.ts)' },
);

const Sched = Type.Object(
  {
    mcuAdvance: Type.Optional(
      Type.Integer({
        ...limits(SCHED_PARAM_LIMITS.mcuAdvance),
        description: 'BVT inverse weight (Xen 1.0 default 10)',
      }),
    ),
    warp: Type.Optional(
      Type.Integer({ ...limits(SCHED_PARAM_LIMITS.warp), description: 'BVT warp, virtual-time units (0 = none)' }),
    ),
    warpLimitMs: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9, description: 'BVT warp limit, ms' })),
    unwarpReqMs: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9, description: 'BVT unwarp requirement, ms' })),
    weight: Type.Optional(
      Type.Integer({ ...limits(SCHED_PARAM_LIMITS.weight), description: 'Credit weight (default 256)' }),
    ),
    capPercent: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 6400, description: 'Credit cap, % of one CPU (0 = none)' }),
    ),
  },
  { additionalProperties: false, description: 'per-domain scheduling parameters' },
);

const Template = Type.Object(
  {
    name: Type.String({
      pattern: NAME_PATTERN,
      maxLength: MAX_TEMPLATE_NAME,
      description: 'template name (lower-case words joined by -)',
    }),
    count: Type.Integer({ minimum: 0, maximum: 256, description: 'domains made from this template' }),
    workload: tagged('kind', [CpuBound, RequestResponse], 'what runs in each domain'),
    sched: Type.Optional(Sched),
    workingSetKiB: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 16 * 1024 * 1024,
        description: 'working set for the context-switch refill cost, KiB (default 0)',
      }),
    ),
  },
  { additionalProperties: false, description: 'a domain template' },
);

const TemplateRef = Type.String({ pattern: NAME_PATTERN, description: 'the name of a domain template' });

const ResponseTimeSlo = Type.Object(
  {
    metric: Type.Literal('responseTime', {
      description: "request arrival → response processed, pooled over the template's domains",
    }),
    template: TemplateRef,
    percentile: numberEnum(SLO_PERCENTILES, 'which percentile'),
    maxMs: Type.Number({ exclusiveMinimum: 0, description: 'holds when the 95% CI upper bound is at most this, ms' }),
  },
  { additionalProperties: false },
);
const ThroughputSlo = Type.Object(
  {
    metric: Type.Literal('throughput', { description: 'responses per second per domain of the template' }),
    template: TemplateRef,
    minPerS: Type.Number({
      exclusiveMinimum: 0,
      description: 'holds when the 95% CI lower bound is at least this, per s',
    }),
  },
  { additionalProperties: false },
);
const CpuShareSlo = Type.Object(
  {
    metric: Type.Literal('cpuShare', {
      description: 'CPU time per domain of the template / window (fraction of one CPU)',
    }),
    template: TemplateRef,
    min: Type.Number({
      exclusiveMinimum: 0,
      maximum: 64,
      description: 'holds when the 95% CI lower bound is at least this',
    }),
  },
  { additionalProperties: false },
);
const HeadroomSlo = Type.Object(
  {
    metric: Type.Literal('cpuHeadroom', { description: 'host idle time / (window × CPUs)' }),
    min: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      description: 'holds when the 95% CI lower bound is at least this',
    }),
  },
  { additionalProperties: false },
);

const Slo = tagged('metric', [ResponseTimeSlo, ThroughputSlo, CpuShareSlo, HeadroomSlo], 'a service-level objective');

const Run = Type.Object(
  {
    lengthMs: Type.Number({ exclusiveMinimum: 0, maximum: 1e7, description: 'measurement window, ms' }),
    warmupMs: Type.Number({ minimum: 0, maximum: 1e7, description: 'warm-up before the window, ms' }),
    replications: Type.Integer({
      minimum: 2,
      maximum: 1000,
      description: 'replications (≥ 2: SLOs are decided on 95% confidence intervals)',
    }),
    seed: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'master seed' }),
  },
  { additionalProperties: false, description: 'run control' },
);

const Vary = Type.Object(
  {
    path: Type.String({
      pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*|\\[[0-9]+\\])*$',
      description: 'dotted path of an integer field, e.g. domains[0].count',
    }),
    min: Type.Integer({ minimum: 0, maximum: 100_000, description: 'smallest value searched' }),
    max: Type.Integer({ minimum: 0, maximum: 100_000, description: 'largest value searched' }),
    goal: Type.Optional(
      stringEnum(
        ['largest', 'smallest'] as const,
        'the largest value meeting every SLO (they get worse as it grows), or the smallest (they get better)',
        'largest',
      ),
    ),
  },
  { additionalProperties: false, description: 'goal-seek: search an integer field' },
);

export const ScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'the JSON Schema this file follows (for editors)' })),
    name: Type.String({
      pattern: NAME_PATTERN,
      maxLength: 64,
      description: 'scenario name (lower-case words joined by -)',
    }),
    description: Type.Optional(Type.String({ description: 'the question the scenario answers' })),
    host: Host,
    hypervisor: Hypervisor,
    domains: Type.Array(Template, { minItems: 1, maxItems: 64, description: 'domain templates' }),
    slos: Type.Array(Slo, { maxItems: 64, description: 'service-level objectives' }),
    run: Run,
    vary: Type.Optional(Vary),
  },
  { $id: SCENARIO_SCHEMA_ID, title: 'hvsim scenario', additionalProperties: false },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type DomainTemplate = Scenario['domains'][number];
export type Slo = Scenario['slos'][number];
export type Workload = DomainTemplate['workload'];
export type RequestResponseWorkloadSpec = Extract<Workload, { kind: 'request-response' }>;

/** The JSON Schema document (plain JSON, with the draft-07 `$schema` keyword). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(JSON.parse(JSON.stringify(ScenarioSchema)) as Record<string, unknown>),
  };
}

/** Where the generated schema is committed (relative to the project root). */
export const SCENARIO_SCHEMA_FILE = 'schema/scenario.schema.json';

/** The text of schema/scenario.schema.json (2-space JSON, a final newline). */
export function scenarioSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

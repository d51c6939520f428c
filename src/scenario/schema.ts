// The scenario file format (capacity planning), defined once as a TypeBox schema: the TypeScript type
// `Scenario` is derived from it, schema/scenario.schema.json is generated from it (npm run
// schema:scenario; a test checks the committed file equals the generated one), and ajv validates files
// against it (load.ts). A scenario describes what exists in the models today:
//   host        CPUs, context-switch costs on/off, the per-domain timer event; machine memory (a size:
//               bytes or `2GB`, units.ts); the disk (a preset of src/models/disk/service.ts and the
//               back end's disk scheduler, src/models/disk/scheduler.ts); the NIC (src/models/net/nic.ts);
//   hypervisor  the CPU scheduler by registry name (src/models/cpu/registry.ts: any name registered
//               there is accepted, the enum is read from the registry) and its parameters, the event
//               channel costs, the block back end's batching (perTurn, maxInFlight, refillBelow:
//               src/models/disk/blkback.ts) and where back ends run (hypervisor, Xen 1.0; dom0, Xen 2.0);
//   domains     templates: a workload ('cpu-bound', 'request-response', 'memory-worker', or a block
//               workload of src/models/disk/workloads.ts: 'oltp', 'ir', 'seq-hog') with its
//               parameters, the per-domain scheduling parameters, the cache working set, memory
//               (reservation, ceiling, balloon target, kernel, the paging working set or its phases,
//               following the working set with the balloon, swap on/off), and a count;
//   slos        response-time percentile (request/response, and the block workloads' transaction or
//               request latency), commit-latency percentile (oltp), throughput floor, disk throughput
//               floor, page-fault rate ceiling, host swap I/O ceiling, CPU share floor, host CPU headroom;
//   run         window length, warm-up, replications (≥ 2: SLOs are decided on confidence intervals),
//               master seed;
//   vary        optional: goal-seek an integer field (e.g. domains[0].count) for the largest (or
//               smallest) value meeting every SLO;
//   quick       optional: the shorter run (and narrower vary range) `--quick` uses.
// The NIC (host.nic: rate with units, MTU, latency, queue) and a network workload
// ('udp-request-response', src/models/net) with a drop-rate SLO came with the network model. Units are
// in the field names (Ms, Us, Ns, Hz, PerS, KiB, MBPerS) or, for memory and disk sizes and link rates,
// in the value (units.ts); times are converted to integer ns and sizes
// to pages or sectors when the scenario is built (run.ts). Defaults (documented per field, applied in
// run.ts) are the models' own defaults, which cite their sources (docs/calibration.md), or are marked
// "assumption".
// Extending the format when a model lands (e.g. the network): add the fields here (with units in
// their names and the limits the model checks), map them to the model's options in run.ts, add what
// the model measures to the template table and, if an SLO can use it, a branch of `Slo` and of
// evaluate.ts; then `npm run schema:scenario` and a malformed file per new rule in
// test/scenario/malformed/. A scheduler added to the registry needs nothing but the regenerated schema.
import { Type, type Static, type TProperties, type TSchema } from '@sinclair/typebox';
import { SCHEDULERS, type SchedulerName } from '../models/cpu/registry.js';
import { SCHED_PARAM_LIMITS } from '../models/cpu/scheduler.js';
import { DiskSchedulerKind } from '../models/disk/scheduler.js';
import { DISK_PRESETS, type DiskPreset } from '../models/disk/service.js';
import { RATE_PATTERN, SIZE_PATTERN, type Rate, type Size } from './units.js';

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

/** A size: an integer of bytes or a string with a unit (`2GB`, `512 MiB`; units.ts, binary units). */
function size(description: string): TSchema & { static: Size } {
  return Type.Unsafe<Size>({
    type: ['integer', 'string'],
    pattern: SIZE_PATTERN,
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: `${description}; bytes, or a number with a unit: B, KB/KiB, MB/MiB, GB/GiB, TB/TiB (binary: 1 GB = 2^30 bytes)`,
  });
}

/** A link rate: bit/s or a number with a unit (units.ts). */
function rate(description: string): TSchema & { static: Rate } {
  return Type.Unsafe<Rate>({
    type: ['number', 'string'],
    pattern: RATE_PATTERN,
    exclusiveMinimum: 0,
    maximum: 1e12,
    description: `${description}; bit/s, or a number with a unit: bps, Kbps, Mbps, Gbps (decimal: 1 Gbps = 10^9 bit/s)`,
  });
}

/** The NIC's fields (src/models/net/nic.ts NicOptions; defaults NIC_DEFAULTS from calibration.ts). */
const Nic = Type.Object(
  {
    rate: Type.Optional(rate("link rate, each direction (default 1Gbps: the paper's Tigon 3 gigabit NIC)")),
    mtuBytes: Type.Optional(
      Type.Integer({ minimum: 68, maximum: 9000, default: 1500, description: 'IP MTU, bytes (default 1500)' }),
    ),
    latencyUs: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1e6,
        description: 'one-way link latency after serialization, µs (default 5 µs, assumption: one switch hop)',
      }),
    ),
    queuePackets: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 65536,
        description:
          "frames each direction's queue holds (default 512: tg3's transmit ring; the inbound queue stands for the switch port)",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'the physical NIC and its full-duplex link to the remote clients (src/models/net/nic.ts)',
  },
);

/** Disk presets of src/models/disk/service.ts (DISK_PRESETS). */
export const DISK_PRESET_NAMES = Object.keys(DISK_PRESETS) as DiskPreset[];
/** Disk schedulers of src/models/disk/scheduler.ts. */
export const DISK_SCHEDULER_NAMES = Object.values(DiskSchedulerKind);

const Disk = Type.Object(
  {
    preset: stringEnum(
      DISK_PRESET_NAMES,
      "dk32ej: the paper's Hitachi DK32EJ 146 GB 10k RPM SCSI disk; ssd: a generic SSD-like device (assumptions); src/models/disk/service.ts",
    ),
    scheduler: Type.Optional(
      stringEnum(
        DISK_SCHEDULER_NAMES,
        "the block back end's disk scheduler (src/models/disk/scheduler.ts): fifo, clook (C-LOOK), sstf, deadline, linus (the Linux 2.4 elevator)",
        'clook',
      ),
    ),
  },
  { additionalProperties: false, description: 'the physical disk every VBD lies on (one disk)' },
);

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
    memory: Type.Optional(
      size("machine memory (default 2GB: the paper's machine, docs/calibration.md); 4 KB pages, rounded down"),
    ),
    disk: Type.Optional(Disk),
    nic: Type.Optional(Nic),
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

const Block = Type.Object(
  {
    perTurn: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1024,
        description: 'requests taken off one domain ring per round-robin turn (Xen 1.0: 16)',
      }),
    ),
    maxInFlight: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 4096,
        description: 'requests in flight in the back end at most (Xen 1.0: 64)',
      }),
    ),
    refillBelow: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 4096,
        description: 'take more off the rings when fewer than this are in flight (Xen 1.0: 32; at most maxInFlight)',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "the block back end's batched round robin over the domains' rings (src/models/disk/blkback.ts)",
  },
);

const Hypervisor = Type.Object(
  {
    scheduler: stringEnum(schedulerNames, 'CPU scheduler by registry name (src/models/cpu/registry.ts)'),
    bvt: Type.Optional(Bvt),
    credit: Type.Optional(Credit),
    roundRobin: Type.Optional(RoundRobin),
    eventChannel: Type.Optional(EventChannel),
    block: Type.Optional(Block),
    backendPlacement: Type.Optional(
      stringEnum(
        ['hypervisor', 'dom0'] as const,
        "where device back ends run: hypervisor (Xen 1.0: softirq on a CPU) or dom0 (Xen 2.0: dom0's vCPU)",
        'hypervisor',
      ),
    ),
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

const MemoryWorker = Type.Object(
  {
    kind: Type.Literal('memory-worker', {
      description: 'a closed loop of work units, each CPU then page references (src/models/memory/workloads.ts)',
    }),
    unitCpuUs: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1e7,
        description: 'CPU per work unit, µs (default 1000, assumption)',
      }),
    ),
    touchesPerUnit: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000,
        description: 'page references per work unit (default 100, assumption)',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "memory worker: its page references fault when memory.workingSet exceeds the guest's memory",
  },
);

const UdpRequestResponse = Type.Object(
  {
    kind: Type.Literal('udp-request-response', {
      description:
        'remote clients beyond the NIC send UDP requests to the domain, which spends CPU per request and answers (src/models/net)',
    }),
    rateHz: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1e6,
      description: 'requests per second to each domain, Poisson arrivals',
    }),
    requestBytes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 8972,
        description: 'UDP payload of a request, bytes (default 64, assumption)',
      }),
    ),
    responseBytes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 8972,
        description: 'UDP payload of a response, bytes (default 1024, assumption); at most the MTU less 28 bytes',
      }),
    ),
    service: Type.Optional(Service),
    socketQueue: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 65536,
        description:
          "requests the server's socket holds waiting for its CPU (default 128, assumption: about Linux 2.4's 64 KB UDP receive buffer); more are dropped",
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'UDP request/response over the network: client CPU not modelled; the guest stack charges its per-packet costs (net/network.ts)',
  },
);

const DISK_REGION_DEFAULT = 'default 4GB, assumption';

const Oltp = Type.Object(
  {
    kind: Type.Literal('oltp', {
      description: 'OLTP-like transactions: random reads, write-back data writes, a synchronous log commit',
    }),
    clients: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, description: 'concurrent clients (default 4, assumption)' }),
    ),
    readsPerTx: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        description: 'random 4 KB reads per transaction, one after another (default 3)',
      }),
    ),
    writesPerTx: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        description: 'random 4 KB data writes per transaction, not waited for (default 3)',
      }),
    ),
    barrierEvery: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000,
        description: 'every n-th commit is a reorder barrier; 0 = never (default 1)',
      }),
    ),
    dataSize: Type.Optional(size(`the data region on the domain's VBD (${DISK_REGION_DEFAULT})`)),
    logSize: Type.Optional(size("the log region on the domain's VBD (default 256MB, assumption)")),
  },
  { additionalProperties: false, description: 'OLTP-like block workload (OltpWorkload, src/models/disk/workloads.ts)' },
);

const Ir = Type.Object(
  {
    kind: Type.Literal('ir', { description: 'information-retrieval-like: random 4 KB reads, a few writes' }),
    clients: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, description: 'clients, one request each at a time (default 4)' }),
    ),
    writeFraction: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'fraction of requests that are writes (default 0.02)' }),
    ),
    size: Type.Optional(size(`the region read on the domain's VBD (${DISK_REGION_DEFAULT})`)),
  },
  { additionalProperties: false, description: 'IR-like block workload (IrWorkload, src/models/disk/workloads.ts)' },
);

const SeqHog = Type.Object(
  {
    kind: Type.Literal('seq-hog', { description: 'dd-style sequential hog (the paper §4.4 disk antagonist)' }),
    requestSectors: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 88,
        description: 'sectors per request (default 88 = 11 segments of 4 KB, the largest block request)',
      }),
    ),
    depth: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1024, description: 'requests outstanding (default 2, assumption)' }),
    ),
    write: Type.Optional(Type.Boolean({ description: 'write instead of read (default false)' })),
    size: Type.Optional(size(`the region streamed on the domain's VBD (${DISK_REGION_DEFAULT})`)),
  },
  { additionalProperties: false, description: 'sequential block hog (SeqHog, src/models/disk/workloads.ts)' },
);

/** Workload kinds whose domains drive the disk. */
export const DISK_WORKLOAD_KINDS = ['oltp', 'ir', 'seq-hog'] as const;

const Phase = Type.Object(
  {
    forMs: Type.Number({ exclusiveMinimum: 0, maximum: 1e7, description: 'phase length, ms' }),
    workingSet: size('working set in this phase'),
  },
  { additionalProperties: false, description: 'a working-set phase' },
);

const Memory = Type.Object(
  {
    reservation: size('memory allocated at creation (Xen: the initial reservation)'),
    ceiling: Type.Optional(size('the most the domain may hold (Xen max_pages; default: the reservation)')),
    target: Type.Optional(
      size('balloon target at start: the balloon driver moves the domain towards it (default: the reservation)'),
    ),
    kernel: Type.Optional(
      size('non-pageable guest memory: kernel, page tables, pinned buffers (default 4MB, assumption)'),
    ),
    workingSet: Type.Optional(
      size('pages the workload references (memory-worker): it faults while kernel + working set > memory'),
    ),
    phases: Type.Optional(
      Type.Array(Phase, {
        minItems: 1,
        maxItems: 64,
        description:
          'working-set phases, cycled, each domain starting at a uniform random point of the cycle (instead of workingSet)',
      }),
    ),
    followWorkingSet: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'ballooning: dom0 sets the target to kernel + working set at each phase change and a faulting guest asks to grow (up to the ceiling); false: the target stays',
      }),
    ),
    swap: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'page faults are served from a 128 MB swap partition of its own (a VBD on host.disk, or on a dk32ej disk used for swap only, through the block back end); false: no swap, kernel + working set must fit the reservation',
      }),
    ),
  },
  { additionalProperties: false, description: "the domain's memory (src/models/memory)" },
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
    workload: tagged(
      'kind',
      [CpuBound, RequestResponse, MemoryWorker, Oltp, Ir, SeqHog, UdpRequestResponse],
      'what runs in each domain',
    ),
    sched: Type.Optional(Sched),
    workingSetKiB: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 16 * 1024 * 1024,
        description: 'working set for the context-switch refill cost, KiB (default 0)',
      }),
    ),
    memory: Type.Optional(Memory),
  },
  { additionalProperties: false, description: 'a domain template' },
);

const TemplateRef = Type.String({ pattern: NAME_PATTERN, description: 'the name of a domain template' });

/**
 * One branch of `Slo`: the metric's tag (with what it measures), then the branch's fields (the template
 * it reads, a percentile, its bound), closed to other properties. Every SLO branch is built here.
 */
function sloBranch<M extends string, F extends TProperties>(metric: M, description: string, fields: F) {
  return Type.Object({ metric: Type.Literal(metric, { description }), ...fields }, { additionalProperties: false });
}

/**
 * An SLO's bound: holds when the 95% confidence interval's upper bound is at most it (`upper`) or its
 * lower bound at least it (`lower`); `range` are its JSON Schema limits, `unit` ends the description.
 */
function ciBound(
  side: 'upper' | 'lower',
  range: { readonly exclusiveMinimum?: number; readonly minimum?: number; readonly maximum?: number },
  unit = '',
) {
  const holds = side === 'upper' ? 'upper bound is at most' : 'lower bound is at least';
  return Type.Number({ ...range, description: `holds when the 95% CI ${holds} this${unit}` });
}

const SloPercentile = numberEnum(SLO_PERCENTILES, 'which percentile');

const ResponseTimeSlo = sloBranch(
  'responseTime',
  "request/response: request arrival → response processed; oltp: transaction begin → commit done; ir, seq-hog: block request submitted → answered; pooled over the template's domains",
  { template: TemplateRef, percentile: SloPercentile, maxMs: ciBound('upper', { exclusiveMinimum: 0 }, ', ms') },
);
const ThroughputSlo = sloBranch(
  'throughput',
  'per second per domain of the template: responses (request-response), work units (memory-worker), transactions (oltp), block requests (ir, seq-hog)',
  { template: TemplateRef, minPerS: ciBound('lower', { exclusiveMinimum: 0 }, ', per s') },
);
const CpuShareSlo = sloBranch('cpuShare', 'CPU time per domain of the template / window (fraction of one CPU)', {
  template: TemplateRef,
  min: ciBound('lower', { exclusiveMinimum: 0, maximum: 64 }),
});
const HeadroomSlo = sloBranch('cpuHeadroom', 'host idle time / (window × CPUs)', {
  min: ciBound('lower', { exclusiveMinimum: 0, maximum: 1 }),
});
const CommitLatencySlo = sloBranch(
  'commitLatency',
  "oltp: commit write submitted → completed, pooled over the template's domains",
  { template: TemplateRef, percentile: SloPercentile, maxMs: ciBound('upper', { exclusiveMinimum: 0 }, ', ms') },
);
const DiskThroughputSlo = sloBranch(
  'diskThroughput',
  'bytes completed per second per domain of the template (oltp, ir, seq-hog), MB/s of 10^6 bytes',
  { template: TemplateRef, minMBPerS: ciBound('lower', { exclusiveMinimum: 0 }, ', MB/s') },
);
const PageFaultRateSlo = sloBranch(
  'pageFaultRate',
  'page faults per second per domain of the template (memory-worker)',
  { template: TemplateRef, maxPerS: ciBound('upper', { minimum: 0 }, ', per s') },
);
const SwapIoSlo = sloBranch('swapIo', 'pages read from and written to swap per second, whole host', {
  maxPagesPerS: ciBound('upper', { minimum: 0 }, ', pages per s'),
});
const DropRateSlo = sloBranch(
  'dropRate',
  "udp-request-response: requests or responses lost (network drops of either, socket overflow) / requests sent, pooled over the template's domains",
  { template: TemplateRef, max: ciBound('upper', { minimum: 0, maximum: 1 }, ' (a fraction)') },
);

const Slo = tagged(
  'metric',
  [
    ResponseTimeSlo,
    ThroughputSlo,
    CpuShareSlo,
    HeadroomSlo,
    CommitLatencySlo,
    DiskThroughputSlo,
    PageFaultRateSlo,
    SwapIoSlo,
    DropRateSlo,
  ],
  'a service-level objective',
);

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

const Quick = Type.Object(
  {
    lengthMs: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1e7, description: 'measurement window with --quick, ms' }),
    ),
    warmupMs: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7, description: 'warm-up with --quick, ms' })),
    replications: Type.Optional(
      Type.Integer({ minimum: 2, maximum: 1000, description: 'replications with --quick (default 2)' }),
    ),
    varyMin: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100_000, description: 'vary.min with --quick (a narrower search)' }),
    ),
    varyMax: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100_000, description: 'vary.max with --quick (a narrower search)' }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'what --quick changes (a run of seconds, to try the file); absent fields: window min(lengthMs, 1000), warm-up min(warmupMs, 100), 2 replications',
  },
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
    quick: Type.Optional(Quick),
  },
  { $id: SCENARIO_SCHEMA_ID, title: 'hvsim scenario', additionalProperties: false },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type DomainTemplate = Scenario['domains'][number];
export type Slo = Scenario['slos'][number];
export type Workload = DomainTemplate['workload'];
export type RequestResponseWorkloadSpec = Extract<Workload, { kind: 'request-response' }>;
export type DiskWorkloadSpec = Extract<Workload, { kind: (typeof DISK_WORKLOAD_KINDS)[number] }>;
export type MemorySpec = NonNullable<DomainTemplate['memory']>;

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

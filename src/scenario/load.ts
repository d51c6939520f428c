// Reading and checking scenario files: YAML (.yaml/.yml) or JSON (.json), validated with ajv against
// the schema of schema.ts, then the cross-field rules a JSON Schema cannot state (unique template
// names, SLOs naming existing templates of the right workload, ring sizes a power of two, the vary
// section naming an integer field; memory: ceiling ≥ reservation ≥ kernel, target ≤ ceiling, the
// reservations fit machine memory, working sets only on memory workers, no swap only when the working
// set fits; disk: block workloads need host.disk and their VBDs fit on it, refillBelow ≤ maxInFlight). Every problem is one line: `<path>: <rule>, got <value>`, e.g.
// `domains[2].workload.rateHz: must be > 0, got -3`; the CLI prefixes the file and exits with code 2
// before writing anything. `--set path=value` edits (whatif) are applied one at a time and the
// scenario is re-validated after each, so an error names the --set that caused it
// (`--set host.disk=<preset>` is short for host.disk.preset=<preset>, keeping the disk's scheduler).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../runner/errors.js';
import { DISK_PRESETS } from '../models/disk/service.js';
import { HOST_DEFAULTS } from '../models/host/host.js';
import { MEMORY_DEFAULTS } from '../models/memory/defaults.js';
import { BLKBACK_DEFAULTS } from '../models/disk/blkback.js';
import { DISK_WORKLOAD_KINDS, scenarioJsonSchema, type DomainTemplate, type Scenario } from './schema.js';
import {
  PAGE_BYTES,
  RATE_PATTERN,
  RATE_UNITS,
  showSize,
  SIZE_PATTERN,
  SIZE_UNITS,
  sizePages,
  sizeSectors,
  type Size,
} from './units.js';
import { NIC_DEFAULTS } from '../models/net/nic.js';

/** A scenario problem: where (a path like domains[2].workload.rateHz, '' for the root) and the rule. */
export interface ScenarioProblem {
  readonly path: string;
  readonly rule: string;
}

export function problemText(p: ScenarioProblem): string {
  return p.path === '' ? p.rule : `${p.path}: ${p.rule}`;
}

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (compiled === null) {
    const ajv = new Ajv({
      allErrors: false,
      discriminator: true,
      verbose: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
    });
    compiled = ajv.compile(scenarioJsonSchema());
  }
  return compiled;
}

/** JSON pointer segments → `a.b[2].c`. */
export function pathOf(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^[0-9]+$/.test(s)) out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

function typeName(t: unknown): string {
  const name = Array.isArray(t) ? t.join(' or ') : String(t);
  return (
    (
      {
        integer: 'an integer',
        number: 'a number',
        string: 'a string',
        boolean: 'true or false',
        object: 'an object',
        array: 'a list',
      } as Record<string, string>
    )[name] ?? name
  );
}

function keysOf(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props === undefined ? [] : Object.keys(props);
}

/** The tag values of a discriminated oneOf (for "must be one of ..."). */
function tagValues(schema: unknown, tag: string): string[] {
  const branches =
    (schema as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] } | undefined)?.oneOf ?? [];
  return branches.map((b) => String(b.properties?.[tag]?.const));
}

/** One ajv error → a path and a rule. */
export function problemOfAjvError(e: ErrorObject): ScenarioProblem {
  const segs = pointerSegments(e.instancePath);
  const at = pathOf(segs);
  const p = e.params as Record<string, unknown>;
  const got = `, got ${show(e.data)}`;
  switch (e.keyword) {
    case 'required':
      return { path: pathOf([...segs, String(p['missingProperty'])]), rule: 'is required' };
    case 'additionalProperties':
      return {
        path: pathOf([...segs, String(p['additionalProperty'])]),
        rule: `is not a known field (allowed here: ${keysOf(e.parentSchema).join(', ')})`,
      };
    case 'minimum':
      return { path: at, rule: `must be >= ${String(p['limit'])}${got}` };
    case 'maximum':
      return { path: at, rule: `must be <= ${String(p['limit'])}${got}` };
    case 'exclusiveMinimum':
      return { path: at, rule: `must be > ${String(p['limit'])}${got}` };
    case 'exclusiveMaximum':
      return { path: at, rule: `must be < ${String(p['limit'])}${got}` };
    case 'type':
      return { path: at, rule: `must be ${typeName(p['type'])}${got}` };
    case 'enum':
      return {
        path: at,
        rule: `must be one of ${(p['allowedValues'] as unknown[]).map((v) => show(v)).join(', ')}${got}`,
      };
    case 'const':
      return { path: at, rule: `must be ${show(p['allowedValue'])}${got}` };
    case 'pattern':
      if (p['pattern'] === SIZE_PATTERN)
        return {
          path: at,
          rule: `must be bytes or a size with a unit (e.g. 2GB, 512 MiB; units ${Object.keys(SIZE_UNITS).join(', ')})${got}`,
        };
      if (p['pattern'] === RATE_PATTERN)
        return {
          path: at,
          rule: `must be bit/s or a rate with a unit (e.g. 1Gbps, 100 Mbps; units ${Object.keys(RATE_UNITS).join(', ')})${got}`,
        };
      return { path: at, rule: `must match ${String(p['pattern'])}${got}` };
    case 'minItems':
      return {
        path: at,
        rule: `must have at least ${String(p['limit'])} item(s), got ${Array.isArray(e.data) ? e.data.length : show(e.data)}`,
      };
    case 'maxItems':
      return {
        path: at,
        rule: `must have at most ${String(p['limit'])} items, got ${Array.isArray(e.data) ? e.data.length : show(e.data)}`,
      };
    case 'maxLength':
      return { path: at, rule: `must be at most ${String(p['limit'])} characters long${got}` };
    case 'discriminator': {
      const tag = String(p['tag']);
      const allowed = tagValues(e.parentSchema, tag)
        .map((v) => JSON.stringify(v))
        .join(', ');
      const value = (e.data as Record<string, unknown> | null)?.[tag];
      return {
        path: pathOf([...segs, tag]),
        rule: value === undefined ? `is required (one of ${allowed})` : `must be one of ${allowed}, got ${show(value)}`,
      };
    }
    default:
      return { path: at, rule: `${e.message ?? e.keyword}${got}` };
  }
}

/** Schema problems of a parsed document (empty when it is a valid scenario). */
export function schemaProblems(doc: unknown): ScenarioProblem[] {
  const validate = validator();
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(problemOfAjvError);
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/** The rules between fields (the document already passed the schema). */
export function crossProblems(s: Scenario): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const names = new Map<string, number>();
  s.domains.forEach((t, i) => {
    const first = names.get(t.name);
    if (first !== undefined)
      out.push({
        path: `domains[${i}].name`,
        rule: `must be unique, ${JSON.stringify(t.name)} is also domains[${first}].name`,
      });
    else names.set(t.name, i);
    const w = t.workload;
    if (w.kind === 'request-response') {
      const size = w.ringSizeEntries ?? 256;
      if (!isPowerOfTwo(size))
        out.push({ path: `domains[${i}].workload.ringSizeEntries`, rule: `must be a power of two, got ${size}` });
      for (const f of ['requestNotify', 'responseNotify'] as const) {
        const k = w[f]?.everyItems;
        if (k !== undefined && k > size)
          out.push({
            path: `domains[${i}].workload.${f}.everyItems`,
            rule: `must be <= ringSizeEntries (${size}), got ${k}`,
          });
      }
    }
  });
  out.push(...memoryProblems(s), ...diskProblems(s), ...networkProblems(s));
  const known = [...names.keys()].join(', ');
  s.slos.forEach((slo, i) => {
    if (slo.metric === 'cpuHeadroom' || slo.metric === 'swapIo') return;
    const ti = names.get(slo.template);
    if (ti === undefined) {
      out.push({
        path: `slos[${i}].template`,
        rule: `must name a domain template (${known}), got ${JSON.stringify(slo.template)}`,
      });
      return;
    }
    const kind = s.domains[ti]?.workload.kind ?? 'cpu-bound';
    const allowed = SLO_KINDS[slo.metric];
    if (!allowed.includes(kind)) {
      out.push({
        path: `slos[${i}].template`,
        rule: `must name a template whose workload is ${orList(allowed)} for metric ${slo.metric}, ${JSON.stringify(slo.template)} is ${kind}`,
      });
    }
  });
  const q = s.quick;
  if (q !== undefined && (q.varyMin !== undefined || q.varyMax !== undefined)) {
    if (s.vary === undefined)
      out.push({ path: q.varyMin !== undefined ? 'quick.varyMin' : 'quick.varyMax', rule: 'needs a vary section' });
    else {
      const lo = q.varyMin ?? s.vary.min;
      const hi = q.varyMax ?? s.vary.max;
      if (hi < lo) out.push({ path: 'quick.varyMax', rule: `must be >= the quick vary minimum (${lo}), got ${hi}` });
    }
  }
  if (s.vary !== undefined) {
    const v = s.vary;
    if (v.max < v.min) out.push({ path: 'vary.max', rule: `must be >= vary.min (${v.min}), got ${v.max}` });
    const segs = parsePath(v.path);
    const current = segs === null ? undefined : getPath(s, segs);
    if (segs === null || !Number.isInteger(current)) {
      out.push({
        path: 'vary.path',
        rule: `must name an integer field of the scenario (e.g. domains[0].count or host.cpus), got ${JSON.stringify(v.path)}`,
      });
    } else if (v.path.startsWith('run.') || v.path.startsWith('vary.')) {
      out.push({
        path: 'vary.path',
        rule: `must name a field of the host, hypervisor or domains, got ${JSON.stringify(v.path)}`,
      });
    } else if (out.length === 0) {
      const { vary: _vary, quick: _quick, ...fixed } = s;
      for (const [field, value] of [
        ['min', v.min],
        ['max', v.max],
      ] as const) {
        const trial = setPath(fixed, segs, value);
        const p = schemaProblems(trial)[0] ?? crossProblems(trial as Scenario)[0];
        if (p !== undefined) out.push({ path: `vary.${field}`, rule: `gives an invalid scenario (${problemText(p)})` });
      }
    }
  }
  return out;
}

type WorkloadKind = DomainTemplate['workload']['kind'];

/** "a, b or c". */
function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1] ?? ''}`;
}
type TemplateSlo = Exclude<Scenario['slos'][number], { metric: 'cpuHeadroom' } | { metric: 'swapIo' }>;

/** The workload kinds an SLO on a template may name. */
const SLO_KINDS: Record<TemplateSlo['metric'], readonly WorkloadKind[]> = {
  responseTime: ['request-response', ...DISK_WORKLOAD_KINDS, 'udp-request-response'],
  throughput: ['request-response', 'memory-worker', ...DISK_WORKLOAD_KINDS, 'udp-request-response'],
  cpuShare: ['cpu-bound', 'request-response', 'memory-worker', ...DISK_WORKLOAD_KINDS, 'udp-request-response'],
  dropRate: ['udp-request-response'],
  commitLatency: ['oltp'],
  diskThroughput: [...DISK_WORKLOAD_KINDS],
  pageFaultRate: ['memory-worker'],
};

/** The default kernel (non-pageable) size of a domain with memory: 4 MB (assumption, as balloon-overcommit). */
export const DEFAULT_KERNEL_BYTES = 4 * 1024 * 1024;

/** Machine memory of the scenario, pages. */
export function machinePages(s: Scenario): number {
  return s.host.memory === undefined ? HOST_DEFAULTS.machineMemoryPages : sizePages(s.host.memory);
}

/** Domains a template creates (a request-response pair with its own server: two per instance). */
export function domainsPerInstance(t: DomainTemplate): number {
  return t.workload.kind === 'request-response' && (t.workload.server ?? 'guest') === 'guest' ? 2 : 1;
}

function shown(v: Size): string {
  return typeof v === 'number' ? `${v} (${showSize(v)})` : JSON.stringify(v);
}

function memoryProblems(s: Scenario): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const machine = machinePages(s);
  const hv = MEMORY_DEFAULTS.hypervisorPages;
  if (machine <= hv) {
    out.push({
      path: 'host.memory',
      rule: `must be more than the hypervisor's own ${showSize(hv * PAGE_BYTES)}, got ${shown(s.host.memory ?? 0)}`,
    });
    return out;
  }
  let reserved = 0;
  let domains = 0;
  s.domains.forEach((t, i) => {
    domains += t.count * domainsPerInstance(t);
    const m = t.memory;
    const at = `domains[${i}].memory`;
    if (m === undefined) {
      if (t.workload.kind === 'memory-worker')
        out.push({ path: at, rule: 'is required for a memory-worker workload (its reservation and working set)' });
      return;
    }
    const res = sizePages(m.reservation);
    const ceil = m.ceiling === undefined ? res : sizePages(m.ceiling);
    const target = m.target === undefined ? res : sizePages(m.target);
    const kernel = sizePages(m.kernel ?? DEFAULT_KERNEL_BYTES);
    const pg = (p: number): string => showSize(p * PAGE_BYTES);
    if (ceil < res)
      out.push({
        path: `${at}.ceiling`,
        rule: `must be >= memory.reservation (${pg(res)}), got ${shown(m.ceiling ?? 0)}`,
      });
    if (m.target !== undefined && target > ceil)
      out.push({ path: `${at}.target`, rule: `must be <= memory.ceiling (${pg(ceil)}), got ${shown(m.target)}` });
    if (kernel > res)
      out.push({
        path: `${at}.kernel`,
        rule: `must be <= memory.reservation (${pg(res)}), got ${m.kernel === undefined ? `${pg(kernel)} (the default)` : shown(m.kernel)}`,
      });
    if (m.workingSet !== undefined && m.phases !== undefined)
      out.push({ path: `${at}.phases`, rule: 'give memory.workingSet or memory.phases, not both' });
    const refs = m.workingSet !== undefined || m.phases !== undefined;
    if (refs && t.workload.kind !== 'memory-worker')
      out.push({
        path: `${at}.${m.workingSet !== undefined ? 'workingSet' : 'phases'}`,
        rule: `only a memory-worker workload references pages, this template's workload is ${t.workload.kind}`,
      });
    if (!refs && t.workload.kind === 'memory-worker')
      out.push({ path: `${at}.workingSet`, rule: 'is required for a memory-worker workload (or memory.phases)' });
    if (m.followWorkingSet === true && !refs)
      out.push({ path: `${at}.followWorkingSet`, rule: 'needs memory.workingSet or memory.phases to follow' });
    if (m.followWorkingSet === true && m.target !== undefined)
      out.push({
        path: `${at}.target`,
        rule: 'cannot go with followWorkingSet: true (dom0 sets the target from the working set from the start)',
      });
    if (m.swap === false) {
      const ws = Math.max(
        m.workingSet === undefined ? 0 : sizePages(m.workingSet),
        ...(m.phases ?? []).map((p) => sizePages(p.workingSet)),
      );
      const starts = Math.min(res, target);
      if (m.followWorkingSet === true)
        out.push({
          path: `${at}.swap`,
          rule: 'false cannot go with followWorkingSet: true (a growing guest may wait for free pages while it faults)',
        });
      else if (kernel + ws > starts)
        out.push({
          path: `${at}.swap`,
          rule: `false needs kernel + working set (${pg(kernel + ws)}) to fit the memory the domain holds (${pg(starts)})`,
        });
    }
    reserved += t.count * res; // one domain per instance holds it (a pair: the server)
  });
  const state = MEMORY_DEFAULTS.perDomainStatePages * (domains + 1); // + dom0
  if (out.length === 0 && reserved + state + hv > machine) {
    out.push({
      path: 'host.memory',
      rule: `must hold the domains' reservations (${showSize(reserved * PAGE_BYTES)}) plus ${showSize((state + hv) * PAGE_BYTES)} of hypervisor state, got ${shown(s.host.memory ?? HOST_DEFAULTS.machineMemoryPages * PAGE_BYTES)}`,
    });
  }
  return out;
}

/** Size of each swapping domain's swap partition (assumption, as experiments/balloon-overcommit's 128 MB). */
export const SWAP_AREA_BYTES = 128 * 1024 ** 2;

/** Whether the template's domains swap (memory workers with memory and swap not off): each gets a swap VBD. */
export function swaps(t: DomainTemplate): boolean {
  return t.workload.kind === 'memory-worker' && t.memory !== undefined && t.memory.swap !== false;
}

/** Whether the scenario has a network workload (then run.ts builds the network and its back end). */
export function usesNetwork(s: Scenario): boolean {
  return s.domains.some((t) => t.workload.kind === 'udp-request-response');
}

/** UDP payloads must fit the NIC's MTU (no fragmentation: net/udp.ts): MTU − 20 (IPv4) − 8 (UDP). */
function networkProblems(s: Scenario): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const mtu = s.host.nic?.mtuBytes ?? NIC_DEFAULTS.mtuBytes;
  const max = mtu - 28;
  s.domains.forEach((t, i) => {
    const w = t.workload;
    if (w.kind !== 'udp-request-response') return;
    for (const f of ['requestBytes', 'responseBytes'] as const) {
      const v = w[f];
      if (v !== undefined && v > max)
        out.push({
          path: `domains[${i}].workload.${f}`,
          rule: `must be <= ${max} (host.nic.mtuBytes ${mtu} less 28 bytes of IPv4 and UDP headers), got ${v}`,
        });
    }
  });
  return out;
}

/** Sectors of the VBD a disk workload's domain gets. */
export function vbdSectors(w: DomainTemplate['workload']): number {
  const G4 = 4 * 1024 ** 3;
  switch (w.kind) {
    case 'oltp':
      return sizeSectors(w.dataSize ?? G4) + sizeSectors(w.logSize ?? 256 * 1024 ** 2);
    case 'ir':
    case 'seq-hog':
      return sizeSectors(w.size ?? G4);
    default:
      return 0;
  }
}

function diskProblems(s: Scenario): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const disk = s.host.disk;
  let need = 0;
  s.domains.forEach((t, i) => {
    const w = t.workload;
    if (!(DISK_WORKLOAD_KINDS as readonly string[]).includes(w.kind)) return;
    if (disk === undefined) {
      out.push({
        path: `domains[${i}].workload.kind`,
        rule: `${JSON.stringify(w.kind)} needs host.disk (the disk its VBD lies on)`,
      });
      return;
    }
    const checks: [string, Size | undefined, number][] =
      w.kind === 'oltp'
        ? [
            ['dataSize', w.dataSize, 8],
            ['logSize', w.logSize, 16],
          ]
        : w.kind === 'seq-hog'
          ? [['size', w.size, w.requestSectors ?? 88]]
          : w.kind === 'ir'
            ? [['size', w.size, 8]]
            : [];
    for (const [field, v, min] of checks) {
      if (v !== undefined && sizeSectors(v) < min)
        out.push({
          path: `domains[${i}].workload.${field}`,
          rule: `must be at least ${min} sectors (${showSize(min * 512)}), got ${shown(v)}`,
        });
    }
    need += t.count * vbdSectors(w);
  });
  const swapping = s.domains.reduce((a, t) => a + (swaps(t) ? t.count : 0), 0);
  need += swapping * sizeSectors(SWAP_AREA_BYTES);
  const b = s.hypervisor.block;
  if (disk === undefined && swapping > 0) {
    // swap only: one dk32ej disk behind the block back end (run.ts)
    const capacity = DISK_PRESETS.dk32ej.capacitySectors;
    if (out.length === 0 && need > capacity)
      out.push({
        path: 'domains',
        rule: `the swap disk (dk32ej, no host.disk) holds ${showSize(capacity * 512)}, ${swapping} swap areas of ${showSize(SWAP_AREA_BYTES)} need ${showSize(need * 512)}`,
      });
    return out;
  }
  if (disk === undefined) {
    if (b !== undefined) out.push({ path: 'hypervisor.block', rule: 'needs host.disk (the block back end serves it)' });
    if (s.hypervisor.backendPlacement !== undefined && !usesNetwork(s))
      out.push({
        path: 'hypervisor.backendPlacement',
        rule: 'needs a back end to place: host.disk, a domain with swap or a network workload',
      });
    return out;
  }
  const maxInFlight = b?.maxInFlight ?? BLKBACK_DEFAULTS.maxInFlight;
  if (b?.refillBelow !== undefined && b.refillBelow > maxInFlight)
    out.push({
      path: 'hypervisor.block.refillBelow',
      rule: `must be <= maxInFlight (${maxInFlight}), got ${b.refillBelow}`,
    });
  const capacity = DISK_PRESETS[disk.preset].capacitySectors;
  if (out.length === 0 && need > capacity)
    out.push({
      path: 'host.disk.preset',
      rule: `${disk.preset} holds ${showSize(capacity * 512)}, the domains' VBDs need ${showSize(need * 512)}`,
    });
  return out;
}

/** Every problem of a parsed document: schema first, then the cross-field rules. */
export function scenarioProblems(doc: unknown): ScenarioProblem[] {
  const schema = schemaProblems(doc);
  return schema.length > 0 ? schema : crossProblems(doc as Scenario);
}

/** A parsed document as a Scenario, or a UsageError naming `source` and the first problem. */
export function checkScenario(doc: unknown, source: string): Scenario {
  const problems = scenarioProblems(doc);
  const first = problems[0];
  if (first !== undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new UsageError(`${source}: ${problemText(first)}${more}`);
  }
  return doc as Scenario;
}

/** Parses the text of a scenario file by its extension (.yaml, .yml, .json). */
export function parseScenarioText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (ext === '.yaml' || ext === '.yml') {
    try {
      return parseYaml(text, { prettyErrors: false }) as unknown;
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new UsageError(`${file}: not valid YAML: ${msg ?? ''}`);
    }
  }
  throw new UsageError(
    `${file}: a scenario file must end in .yaml, .yml or .json, got ${JSON.stringify(ext === '' ? file : ext)}`,
  );
}

/** Reads, parses and validates a scenario file (UsageError on any problem). */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err instanceof Error ? err.message : String(err));
    throw new UsageError(`${file}: cannot read the scenario file (${code})`);
  }
  return checkScenario(parseScenarioText(text, file), file);
}

/**
 * The scenario `--quick` runs: the quick section's run fields and vary range, or (absent fields) a
 * window of min(lengthMs, 1000) ms after min(warmupMs, 100) ms of warm-up, 2 replications; the quick
 * section itself is dropped. Validated again (UsageError naming `source`).
 */
export function quickScenario(s: Scenario, source: string): Scenario {
  const q = s.quick ?? {};
  const { quick: _quick, ...rest } = s;
  const out: Scenario = {
    ...rest,
    run: {
      ...s.run,
      lengthMs: q.lengthMs ?? Math.min(s.run.lengthMs, 1000),
      warmupMs: q.warmupMs ?? Math.min(s.run.warmupMs, 100),
      replications: q.replications ?? 2,
    },
    ...(s.vary === undefined
      ? {}
      : { vary: { ...s.vary, min: q.varyMin ?? s.vary.min, max: q.varyMax ?? s.vary.max } }),
  };
  return checkScenario(out, `${source} (--quick)`);
}

// ---- dotted paths ----

/** `domains[2].workload.rateHz` → ['domains', 2, 'workload', 'rateHz']; null if malformed. */
export function parsePath(path: string): (string | number)[] | null {
  if (!/^[A-Za-z$][A-Za-z0-9$]*(\.[A-Za-z][A-Za-z0-9]*|\[[0-9]+\])*$/.test(path)) return null;
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([A-Za-z$][A-Za-z0-9$]*)|\[([0-9]+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(Number(m[2]));
  }
  return out;
}

export function getPath(doc: unknown, segs: readonly (string | number)[]): unknown {
  let cur: unknown = doc;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/** A deep copy of `doc` with the value at `segs` replaced (missing objects on the way are created). */
export function setPath<T>(doc: T, segs: readonly (string | number)[], value: unknown): T {
  const copy = structuredClone(doc) as unknown;
  let cur = copy as Record<string | number, unknown>;
  segs.forEach((s, i) => {
    if (i === segs.length - 1) {
      cur[s] = value;
      return;
    }
    const next = cur[s];
    if (next === null || typeof next !== 'object') {
      if (typeof segs[i + 1] === 'number')
        throw new UsageError(`${pathOf(segs.slice(0, i + 1))}: is not a list in this scenario`);
      cur[s] = {};
    } else if (Array.isArray(next) && typeof segs[i + 1] === 'number' && (segs[i + 1] as number) >= next.length) {
      throw new UsageError(
        `${pathOf(segs.slice(0, i + 2))}: ${pathOf(segs.slice(0, i + 1))} has ${next.length} item(s)`,
      );
    }
    cur = cur[s] as Record<string | number, unknown>;
  });
  return copy as T;
}

/** A scalar of a --set value, read as YAML (2 → number, true → boolean, credit → string). */
export function parseSetValue(text: string): unknown {
  try {
    const v = parseYaml(text) as unknown;
    return v === null && text.trim() === '' ? '' : v;
  } catch {
    return text;
  }
}

/** One `--set path=value` applied and validated; UsageError naming the --set and the problem. */
export function applySet(s: Scenario, assignment: string): Scenario {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set ${JSON.stringify(assignment)}: must be path=value, e.g. host.cpus=2`);
  const path = assignment.slice(0, eq).trim();
  const segs = parsePath(path);
  if (segs === null)
    throw new UsageError(
      `--set ${assignment}: ${JSON.stringify(path)} is not a dotted path like host.cpus or domains[0].count`,
    );
  const value = parseSetValue(assignment.slice(eq + 1));
  // Shorthand: `--set host.disk=ssd` swaps the disk for a preset and keeps the rest of host.disk (its
  // scheduler), as a what-if on the disk reads; the long form is host.disk.preset=ssd.
  if (path === 'host.disk' && typeof value === 'string') segs.push('preset');
  let next: Scenario;
  try {
    next = setPath(s, segs, value);
  } catch (err) {
    throw new UsageError(`--set ${assignment}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const p = scenarioProblems(next)[0];
  if (p !== undefined) throw new UsageError(`--set ${assignment}: ${problemText(p)}`);
  return next;
}

// One replication of a scenario: builds the host (src/kit/scenario.ts) with the scheduler named in the
// scenario, creates every template's domains and workloads, runs the warm-up and the measurement
// window (src/kit/window.ts), and returns host measures plus one row per template. Pure function of
// (scenario, seed): no wall clock, no shared state.
//
// Domains: template `web` with count 3 gives `web-0`, `web-1`, `web-2`. A request-response instance
// is a client domain plus, with `server: guest` (the default), its own server domain `web-<i>-srv`
// (a pair, one ring and one event channel between them); with `server: dom0` the clients are served
// by domain 0. Each instance draws from its own random streams (master seed `<seed>/<domain>`), so
// adding a domain never changes the draws of the others. CPU-bound domains start at t = 0.
// Control-plane costs are free (domain creation is not what is measured).
//
// Per-template measures over the window (table `templates`, one row per template and run):
//   cpuShare         CPU time received by the template's domains (client + own server) / window /
//                    count: the fraction of one CPU per instance;
//   throughputPerS   responses processed in the window per second per instance (request-response);
//   respMeanMs, respP50Ms … respP999Ms: response time (request arrival at the client → response
//                    processed), pooled over the template's instances, ms; empty when none completed.
// Host measures: cpuHeadroom = idle / (window × CPUs), hostUtilisation = busy / (window × CPUs),
// switchingFraction = context-switch time / (window × CPUs) (they sum to 1: CPU-time conservation).
// Defaults for fields the scenario leaves out: the models' defaults (REQUEST_RESPONSE_DEFAULTS,
// BVT_DEFAULTS, CREDIT_DEFAULTS, ROUND_ROBIN_DEFAULTS, HOST_DEFAULTS), which cite their sources.
import { ContextSwitchModel } from '../models/cpu/context-switch.js';
import type { SchedulerTuning } from '../models/cpu/registry.js';
import type { DomainSchedParams } from '../models/cpu/scheduler.js';
import { EventChannels } from '../models/events/event-channels.js';
import type { Domain } from '../models/host/domain.js';
import { HOST_DEFAULTS } from '../models/host/host.js';
import type { NotifyPolicy } from '../models/io/ring.js';
import type { CpuDistribution } from '../models/workloads/cpu-burst.js';
import { cpuBoundWorkload } from '../models/workloads/cpu-burst.js';
import {
  REQUEST_RESPONSE_DEFAULTS,
  RequestResponseWorkload,
  validateWorkloadParams,
  type RequestResponseWorkloadParams,
} from '../models/workloads/request-response.js';
import type { TableRow } from '../runner/study.js';
import { RandomStreams } from '../sim/rng.js';
import { Quantiles } from '../sim/stats/quantiles.js';
import { Tally } from '../sim/stats/tally.js';
import { buildScenario } from '../kit/scenario.js';
import { MeasurementWindow } from '../kit/window.js';
import type { DomainTemplate, RequestResponseWorkloadSpec, Scenario } from './schema.js';

const NS_PER_MS = 1e6;
const NS_PER_US = 1e3;

/** ms (or µs) → integer ns. */
export function msToNs(ms: number): number {
  return Math.round(ms * NS_PER_MS);
}
function usToNs(us: number): number {
  return Math.round(us * NS_PER_US);
}

/** Only the defined entries (the models' option objects take absent fields as "default"). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Response-time percentiles reported per template (the SLO percentiles of schema.ts). */
export const RESPONSE_COLUMNS = {
  50: 'respP50Ms',
  90: 'respP90Ms',
  95: 'respP95Ms',
  99: 'respP99Ms',
  99.9: 'respP999Ms',
} as const;

export const SCENARIO_MEASURES = {
  cpuHeadroom: { unit: '', doc: 'host idle time / (window × CPUs)' },
  hostUtilisation: { unit: '', doc: 'host busy time (domains, dom0 included) / (window × CPUs)' },
  switchingFraction: { unit: '', doc: 'host context-switch time / (window × CPUs)' },
  guestDomains: { unit: 'domains', doc: 'guest domains on the host (servers of request-response pairs included)' },
} as const;
export type ScenarioMeasure = keyof typeof SCENARIO_MEASURES;

export const TEMPLATE_COLUMNS = {
  template: 'the template name',
  count: 'instances of the template',
  cpuShare: 'CPU time per instance / window (fraction of one CPU; a request-response instance counts its own server)',
  throughputPerS: 'responses processed per second per instance (request-response; empty otherwise)',
  responses: 'responses processed in the window, all instances (request-response; empty otherwise)',
  respMeanMs: 'mean response time, ms (request arrival → response processed; pooled over the instances)',
  respP50Ms: 'median response time, ms',
  respP90Ms: '90th percentile response time, ms',
  respP95Ms: '95th percentile response time, ms',
  respP99Ms: '99th percentile response time, ms',
  respP999Ms: '99.9th percentile response time, ms',
} as const;

export interface ScenarioRunResult {
  readonly measures: Record<ScenarioMeasure, number>;
  readonly events: number;
  readonly templates: TableRow[];
}

function tuningOf(s: Scenario): SchedulerTuning {
  const h = s.hypervisor;
  return {
    bvt: defined({
      ctxAllowNs: h.bvt?.ctxAllowMs === undefined ? undefined : msToNs(h.bvt.ctxAllowMs),
      mcuNs: h.bvt?.mcuUs === undefined ? undefined : usToNs(h.bvt.mcuUs),
    }),
    credit: defined({
      tickNs: h.credit?.tickMs === undefined ? undefined : msToNs(h.credit.tickMs),
      ticksPerSlice: h.credit?.ticksPerSlice,
      boost: h.credit?.boost,
    }),
    roundRobin: defined({
      quantumNs: h.roundRobin?.quantumMs === undefined ? undefined : msToNs(h.roundRobin.quantumMs),
    }),
  };
}

function schedOf(t: DomainTemplate): DomainSchedParams {
  const p = t.sched;
  if (p === undefined) return {};
  return defined({
    mcuAdvance: p.mcuAdvance,
    warp: p.warp,
    warpLimitNs: p.warpLimitMs === undefined ? undefined : msToNs(p.warpLimitMs),
    unwarpReqNs: p.unwarpReqMs === undefined ? undefined : msToNs(p.unwarpReqMs),
    weight: p.weight,
    capPercent: p.capPercent,
  });
}

function policyOf(p: { everyItems: number; holdOffMs?: number } | undefined, def: NotifyPolicy): NotifyPolicy {
  if (p === undefined) return def;
  return { everyItems: p.everyItems, holdOffNs: p.holdOffMs === undefined ? null : msToNs(p.holdOffMs) };
}

/** The workload parameters of a request-response template (model defaults for what it leaves out). */
export function requestResponseParams(w: RequestResponseWorkloadSpec): RequestResponseWorkloadParams {
  const d = REQUEST_RESPONSE_DEFAULTS;
  const service: CpuDistribution =
    w.service === undefined
      ? d.serviceNs
      : w.service.distribution === 'exponential'
        ? { kind: 'exponential', meanNs: msToNs(w.service.meanMs) }
        : { kind: 'constant', valueNs: msToNs(w.service.meanMs) };
  const p: RequestResponseWorkloadParams = {
    arrival: w.arrival ?? d.arrival,
    ratePerS: w.rateHz ?? d.ratePerS,
    outstanding: w.outstanding ?? d.outstanding,
    serviceNs: service,
    clientIssueNs: w.clientIssueUs === undefined ? d.clientIssueNs : usToNs(w.clientIssueUs),
    clientResponseNs: w.clientResponseUs === undefined ? d.clientResponseNs : usToNs(w.clientResponseUs),
    ringSizeEntries: w.ringSizeEntries ?? d.ringSizeEntries,
    requestNotify: policyOf(w.requestNotify, d.requestNotify),
    responseNotify: policyOf(w.responseNotify, d.responseNotify),
    maxBacklog: d.maxBacklog,
  };
  validateWorkloadParams(p);
  return p;
}

interface TemplateState {
  readonly template: DomainTemplate;
  readonly domains: Domain[];
  readonly workloads: RequestResponseWorkload[];
  readonly latency: Tally;
  readonly quantiles: Quantiles;
}

/** Runs one replication of the scenario with the run's seed. */
export function runScenario(s: Scenario, seed: string): ScenarioRunResult {
  const { sim, host } = buildScenario(seed, {
    cpus: s.host.cpus,
    scheduler: s.hypervisor.scheduler,
    tuning: tuningOf(s),
    contextSwitch: s.host.contextSwitchCosts === false ? ContextSwitchModel.free() : new ContextSwitchModel(),
    timerTickNs: s.host.timerTickMs === undefined ? HOST_DEFAULTS.timerTickNs : msToNs(s.host.timerTickMs),
    controlCosts: 'free',
  });
  const ec = s.hypervisor.eventChannel;
  const channels = new EventChannels(host, defined({ hypercallNs: ec?.hypercallNs, upcallNs: ec?.upcallNs }));
  const win = new MeasurementWindow(sim, host, {
    warmupNs: msToNs(s.run.warmupMs),
    runLengthNs: msToNs(s.run.lengthMs),
  });
  const states: TemplateState[] = [];
  let guests = 0;
  for (const t of s.domains) {
    const st: TemplateState = {
      template: t,
      domains: [],
      workloads: [],
      latency: new Tally(),
      quantiles: new Quantiles(),
    };
    states.push(st);
    const sched = schedOf(t);
    const workingSetBytes = (t.workingSetKiB ?? 0) * 1024;
    const w = t.workload;
    const rr = w.kind === 'request-response' ? requestResponseParams(w) : null;
    for (let i = 0; i < t.count; i++) {
      const name = `${t.name}-${i}`;
      const d = host.control.createDomain({ name, workingSetBytes, ...sched });
      guests++;
      st.domains.push(d);
      if (rr === null || w.kind !== 'request-response') {
        cpuBoundWorkload(d, { startAtNs: 0 });
        continue;
      }
      let server = host.dom0;
      if ((w.server ?? 'guest') === 'guest') {
        server = host.control.createDomain({ name: `${name}-srv`, workingSetBytes, ...sched });
        guests++;
        st.domains.push(server);
      }
      const wl = new RequestResponseWorkload(host, channels, d, server, rr, new RandomStreams(`${seed}/${name}`));
      wl.onComplete.add((_id, latencyNs) => {
        if (!win.measuring) return;
        st.latency.add(latencyNs);
        st.quantiles.add(latencyNs);
      });
      st.workloads.push(wl);
    }
  }
  for (const st of states) for (const wl of st.workloads) wl.start();
  win.open();
  const done0 = states.map((st) => st.workloads.reduce((a, wl) => a + wl.counts.completed, 0));
  win.close();
  for (const st of states) for (const wl of st.workloads) wl.checkConservation();

  const cpuNs = win.cpuNs;
  const delta = win.hostDelta();
  const lengthS = win.lengthNs / 1e9;
  const templates: TableRow[] = states.map((st, k) => {
    const count = st.template.count;
    const row: TableRow = {
      template: st.template.name,
      count,
      cpuShare: count > 0 ? win.busySumNs(st.domains) / win.lengthNs / count : '',
    };
    if (st.template.workload.kind !== 'request-response' || count === 0) {
      for (const c of ['throughputPerS', 'responses', 'respMeanMs', ...Object.values(RESPONSE_COLUMNS)]) row[c] = '';
      return row;
    }
    const responses = st.workloads.reduce((a, wl) => a + wl.counts.completed, 0) - (done0[k] ?? 0);
    row['throughputPerS'] = responses / lengthS / count;
    row['responses'] = responses;
    const ms = (ns: number): number | string => (Number.isFinite(ns) ? ns / NS_PER_MS : '');
    row['respMeanMs'] = st.latency.count > 0 ? ms(st.latency.mean) : '';
    for (const [p, col] of Object.entries(RESPONSE_COLUMNS))
      row[col] = st.latency.count > 0 ? ms(st.quantiles.quantile(Number(p) / 100)) : '';
    return row;
  });
  return {
    measures: {
      cpuHeadroom: delta.idleNs / cpuNs,
      hostUtilisation: delta.busyNs / cpuNs,
      switchingFraction: delta.switchingNs / cpuNs,
      guestDomains: guests,
    },
    events: sim.eventsProcessed,
    templates,
  };
}

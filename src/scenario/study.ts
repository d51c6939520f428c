// The runner's view of a scenario: one generic study, `scenario`, whose points carry the resolved
// scenario as canonical JSON (parameter `scenario`) and a short label (`variant`: the base scenario,
// a goal-seek value such as `domains[0].count=7`, or a whatif variant's --set list). The runner's
// worker threads load it from this module's `studies` export (a study registry, see
// src/runner/study.ts), so scenario runs are parallel, resumable and reproducible like any study:
// each run's seed is deriveSeed(scenario seed, 'scenario', point, replication).
// Measures: SCENARIO_MEASURES (host: CPU, memory, swap, disk); table `templates`: one row per template
// (run.ts).
import { canonicalJson } from '../runner/hash.js';
import { defineStudy } from '../runner/study.js';
import { checkScenario } from './load.js';
import { runScenario, SCENARIO_MEASURES, scenarioNotes, TEMPLATE_COLUMNS } from './run.js';
import type { Scenario } from './schema.js';

export const SCENARIO_STUDY_NAME = 'scenario';

/** The default point: a one-CPU host with one CPU-bound domain (only so the declaration is complete). */
const DEFAULT_SCENARIO: Scenario = {
  name: 'default',
  host: { cpus: 1 },
  hypervisor: { scheduler: 'bvt-xen1' },
  domains: [{ name: 'hog', count: 1, workload: { kind: 'cpu-bound' } }],
  slos: [],
  run: { lengthMs: 100, warmupMs: 0, replications: 2, seed: 1 },
};

/** The text of the `scenario` parameter: canonical JSON (sorted keys) of the scenario without its vary and quick sections. */
export function scenarioParam(s: Scenario): string {
  const { vary: _vary, quick: _quick, ...rest } = s;
  return canonicalJson(rest);
}

export const scenarioStudy = defineStudy({
  name: SCENARIO_STUDY_NAME,
  description: 'a scenario file (hvsim plan / whatif): a host, a hypervisor, domain templates, SLOs',
  details:
    'Runs one replication of the scenario given as canonical JSON in the parameter `scenario` (see ' +
    'src/scenario/schema.ts and schema/scenario.schema.json). Measures: host CPU headroom, utilisation, ' +
    'switching and hypervisor fractions, swap and balloon pages per second, free memory, disk busy; table ' +
    'templates: per-template CPU share, throughput, response-time and commit-latency percentiles, disk ' +
    'MB/s, page faults per second, memory held. Page and block-request conservation are checked in every run.',
  params: {
    variant: {
      kind: 'string',
      default: 'base',
      unit: '',
      doc: 'label of the point (base, a goal-seek value, a whatif --set list)',
    },
    scenario: {
      kind: 'string',
      default: scenarioParam(DEFAULT_SCENARIO),
      unit: '',
      doc: 'the resolved scenario, canonical JSON',
    },
  },
  grid: { kind: 'list', points: [{}] },
  replications: 2,
  measures: SCENARIO_MEASURES,
  tables: { templates: { doc: 'per-template measures over the window', columns: TEMPLATE_COLUMNS } },
  check(p) {
    try {
      checkScenario(JSON.parse(p.scenario) as unknown, 'scenario');
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  },
  calibrationNote(p) {
    const notes = scenarioNotes(JSON.parse(p.scenario) as Scenario);
    return notes.length === 0 ? undefined : notes.join(' ');
  },
  run(p, ctx) {
    const s = JSON.parse(p.scenario) as Scenario;
    const r = runScenario(s, ctx.seed);
    return { measures: r.measures, events: r.events, tables: { templates: r.templates } };
  },
  charts: () => [],
});

/** The study registry the runner's workers load scenario runs from. */
export const studies = [scenarioStudy];

/** URL of this module (handed to runSweep as `registry`). */
export const SCENARIO_REGISTRY_URL = import.meta.url;

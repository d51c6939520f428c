// From a study and the command-line choices to the plan of a sweep: base parameters (defaults, then
// quickParams under --quick), the grid (quickGrid under --quick) with --grid/--set applied, the number
// of replications (--replications, else quickReplications under --quick, else the study's), and the
// master seed (--seed, else DEFAULT_MASTER_SEED).
import { expandPoints, type GridOverrides } from './grid.js';
import { baseParams } from './params.js';
import { buildPlan, DEFAULT_MASTER_SEED, type Plan } from './plan.js';
import type { Params, Study } from './study.js';
import { hvsimVersion } from './version.js';

export interface SweepChoices {
  readonly quick: boolean;
  readonly overrides: GridOverrides;
  readonly replications?: number | undefined;
  readonly masterSeed?: number | undefined;
}

export interface ConfiguredSweep {
  readonly plan: Plan;
  /** Every parameter's value before the grid: defaults, quickParams, --set pins. */
  readonly baseParams: Params;
}

export function configureSweep(study: Study, choices: SweepChoices): ConfiguredSweep {
  const base = baseParams(study, choices.quick);
  for (const [k, v] of choices.overrides.pins) base[k] = v;
  const grid = choices.quick ? (study.quickGrid ?? study.grid) : study.grid;
  const points = expandPoints(study, base, grid, choices.overrides);
  const replications = choices.replications ?? (choices.quick ? (study.quickReplications ?? study.replications) : study.replications);
  const plan = buildPlan(study, {
    points,
    replications,
    masterSeed: choices.masterSeed ?? DEFAULT_MASTER_SEED,
    quick: choices.quick,
    hvsimVersion: hvsimVersion(),
  });
  return { plan, baseParams: base };
}

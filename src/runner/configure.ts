// From a study and the command-line choices to the plan of a sweep: base parameters (defaults, then
// quickParams under --quick), the grid (quickGrid under --quick) with --grid/--set applied, the number
// of replications (--replications, else quickReplications under --quick, else the study's), and the
// master seed (--seed, else DEFAULT_MASTER_SEED).
//
// Before anything is expanded, the points and runs are counted (countPoints) and a sweep above
// PLAN_LIMITS is refused with the count; after expansion every point goes through the study's
// cross-parameter check (Study.check). Both are UsageErrors (exit 2, nothing written).
import { UsageError } from './errors.js';
import { countPoints, expandPoints, type GridOverrides } from './grid.js';
import { baseParams } from './params.js';
import { buildPlan, DEFAULT_MASTER_SEED, PLAN_LIMITS, type Plan } from './plan.js';
import type { ParamSpec, Params, Study } from './study.js';
import { formatParamValue } from '../charts/units.js';
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

/**
 * "load=0.5, runLengthNs=2000000" (the parameters of a point, for messages); given the study's parameter
 * declarations, values carry their units as people read them: "load=0.5, runLengthNs=2 ms" (formatParamValue).
 */
export function pointText(params: Params, specs?: Readonly<Record<string, ParamSpec>>): string {
  return Object.entries(params)
    .map(([k, v]) => {
      const spec = specs?.[k];
      return `${k}=${spec === undefined ? String(v) : formatParamValue(v, spec.unit)}`;
    })
    .join(', ');
}

/** Refuses a sweep whose point or run count is above PLAN_LIMITS (counted before expansion). */
export function checkSweepSize(points: number, replications: number): void {
  const runs = points * replications;
  if (points > PLAN_LIMITS.maxPoints || runs > PLAN_LIMITS.maxRuns) {
    throw new UsageError(
      `the sweep has ${points} points × ${replications} replications = ${runs} runs, above the maximum of ` +
        `${PLAN_LIMITS.maxRuns} runs (${PLAN_LIMITS.maxPoints} points); at even 10 ms a run that is at least ` +
        `${Math.ceil((runs * 0.01) / 3600)} h of one core; use fewer --grid values or --replications, or split it into several sweeps`,
    );
  }
}

/** Runs Study.check on every point; UsageError naming the first point it rejects. */
export function checkPoints(study: Study, points: readonly Params[]): void {
  if (study.check === undefined) return;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Params;
    const problem = study.check(p);
    if (problem !== undefined) throw new UsageError(`${study.name}: point ${i} (${pointText(p)}): ${problem}`);
  }
}

export function configureSweep(study: Study, choices: SweepChoices): ConfiguredSweep {
  const base = baseParams(study, choices.quick);
  for (const [k, v] of choices.overrides.pins) base[k] = v;
  const grid = choices.quick ? (study.quickGrid ?? study.grid) : study.grid;
  const replications =
    choices.replications ?? (choices.quick ? (study.quickReplications ?? study.replications) : study.replications);
  checkSweepSize(countPoints(grid, choices.overrides), replications);
  const points = expandPoints(study, base, grid, choices.overrides);
  checkPoints(study, points);
  const plan = buildPlan(study, {
    points,
    replications,
    masterSeed: choices.masterSeed ?? DEFAULT_MASTER_SEED,
    quick: choices.quick,
    hvsimVersion: hvsimVersion(),
  });
  return { plan, baseParams: base };
}

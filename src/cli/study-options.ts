// The study options that cluster commands (`hvsim slurm`, `hvsim k8s`) check and pass through to the
// `hvsim run` each task or pod executes: --quick, --set, --grid, --replications and --seed, declared once
// for commander and turned back into `hvsim run` arguments once. `collect` gathers a repeatable option.
import type { Command } from 'commander';

/** The pass-through study options as commander parses them (values are checked by the caller). */
export interface StudyPassThrough {
  readonly quick: boolean;
  readonly set: readonly string[];
  readonly grid: readonly string[];
  readonly replications?: string;
  readonly seed?: string;
}

/** Commander's accumulator for a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Declares the pass-through study options on `cmd` (help text says they go to hvsim run). */
export function addStudyPassThrough(cmd: Command, quickHelp = 'passed to hvsim run'): Command {
  return cmd
    .option('--quick', quickHelp, false)
    .option('--set <key=value>', 'passed to hvsim run (repeatable)', collect, [])
    .option('--grid <key=v1,v2,...>', 'passed to hvsim run (repeatable)', collect, [])
    .option('--replications <n>', 'passed to hvsim run')
    .option('--seed <n>', 'passed to hvsim run');
}

/** The `hvsim run` arguments for `target` (a study name or a sweep file) with the options as given. */
export function studyRunArgs(target: string, opts: StudyPassThrough): string[] {
  const args = [target];
  if (opts.quick) args.push('--quick');
  for (const s of opts.set) args.push('--set', s);
  for (const g of opts.grid) args.push('--grid', g);
  if (opts.replications !== undefined) args.push('--replications', opts.replications);
  if (opts.seed !== undefined) args.push('--seed', opts.seed);
  return args;
}

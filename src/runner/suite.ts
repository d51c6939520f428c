// Suites: a named list of studies run one after another into one folder (`hvsim run <suite>`), e.g. the
// paper's evaluation (experiments/suites.ts). A suite is data: its members name registered studies and
// say, in one line, which part of the paper each re-creates. Fidelity: 'quick' runs every member as
// `hvsim run <study> --quick` (the study's smoke-test grid, replications and run length), 'full' at the
// study's own defaults (its publication fidelity: the full grid, more replications, longer runs, as each
// study documents). Member folders: <root>/<study>, root default results/<suite>-quick (quick) or
// results/<suite> (full), so a quick run never touches the runs of a full one.
// Resume: a member whose folder holds a complete sweep of the same plan (manifest.json with status
// complete and the plan's hash) and its report.html is finished and skipped; any other member runs
// through the runner, which itself keeps the finished runs of an interrupted sweep.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, readManifest } from './manifest.js';
import type { Plan } from './plan.js';
import type { Study } from './study.js';

export const Fidelity = { quick: 'quick', full: 'full' } as const;
export type Fidelity = (typeof Fidelity)[keyof typeof Fidelity];

export interface SuiteMember {
  /** A registered study's name. */
  readonly study: string;
  /** One line: what of the paper it re-creates (shown by `hvsim run <suite> --dry-run` and in the summary). */
  readonly why: string;
  /** Its main chart's id (charts/<id>.png: the gallery's picture); default the first chart in name order. */
  readonly chart?: string;
}

export interface Suite {
  /** Lower-case words joined by '-', distinct from every study's name. */
  readonly name: string;
  readonly description: string;
  readonly members: readonly SuiteMember[];
}

/** Problems with a suite's definition (unknown or repeated studies, a name a study has), none when fine. */
export function suiteProblems(suite: Suite, findStudy: (name: string) => Study | undefined): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(suite.name))
    problems.push(`name '${suite.name}' must be lower-case words joined by '-'`);
  if (findStudy(suite.name) !== undefined) problems.push(`name '${suite.name}' is also a study's name`);
  if (suite.members.length === 0) problems.push('no members');
  const seen = new Set<string>();
  for (const m of suite.members) {
    if (findStudy(m.study) === undefined) problems.push(`member '${m.study}' is not a registered study`);
    if (seen.has(m.study)) problems.push(`member '${m.study}' is listed twice`);
    seen.add(m.study);
  }
  return problems;
}

/** The suite's default folder: results/<suite>-quick or results/<suite>. */
export function suiteRoot(suite: Suite, fidelity: Fidelity): string {
  return join('results', fidelity === Fidelity.quick ? `${suite.name}-quick` : suite.name);
}

/** A member's results folder inside the suite's folder. */
export function memberDir(root: string, member: SuiteMember): string {
  return join(root, member.study);
}

/**
 * True when `dir` holds a finished sweep of `plan`: a complete manifest with the plan's hash (same study
 * version, points, seeds, replications, hvsim version) and the report written after it.
 */
export function memberFinished(dir: string, plan: Plan): boolean {
  if (!existsSync(join(dir, MANIFEST_FILE)) || !existsSync(join(dir, 'report.html'))) return false;
  try {
    const m = readManifest(dir);
    return m.status === 'complete' && m.planHash === plan.planHash;
  } catch {
    return false;
  }
}

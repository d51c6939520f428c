// Looking studies up in the registry (experiments/index.ts) for the CLI: an unknown name is a
// UsageError with "did you mean" for a likely typo (over the suites too where a suite is accepted) and
// "see hvsim list"; registered studies
// are checked for consistency (defaults, quick settings and grids valid) the first time they are
// used, so a broken study fails loudly.
import { findStudy, studies } from '../../experiments/index.js';
import { suites } from '../../experiments/suites.js';
import { UsageError } from '../runner/errors.js';
import { gridProblems } from '../runner/grid.js';
import { studyProblems } from '../runner/params.js';
import type { Study } from '../runner/study.js';
import { didYouMean } from '../runner/suggest.js';

export { findStudy, studies };

/** URL of the project's study registry module (its `studies` export), handed to the runner's workers. */
export const STUDY_REGISTRY_URL = new URL('../../experiments/index.js', import.meta.url).href;

export function registryProblems(study: Study): string[] {
  return [
    ...studyProblems(study),
    ...gridProblems(study, study.grid, 'grid'),
    ...(study.quickGrid ? gridProblems(study, study.quickGrid, 'quickGrid') : []),
  ];
}

/**
 * The study named `name`; else a UsageError "unknown study", with "did you mean" over the studies (and
 * the suites too when `suitesToo`: where a suite is accepted, as by run and describe) and "see hvsim list".
 */
export function requireStudy(name: string, suitesToo = false): Study {
  const study = findStudy(name);
  if (study === undefined) {
    const names = [...studies.map((s) => s.name), ...(suitesToo ? suites.map((s) => s.name) : [])];
    throw new UsageError(
      `unknown ${suitesToo ? 'study or suite' : 'study'} '${name}'${didYouMean(name, names)}; see hvsim list for ` +
        `the ${suitesToo ? 'studies and suites' : 'studies'}`,
    );
  }
  const problems = registryProblems(study);
  if (problems.length > 0) throw new Error(`study ${study.name} is inconsistent: ${problems.join('; ')}`);
  return study;
}

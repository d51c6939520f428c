// `hvsim list` and `hvsim describe`: the studies and suites and what each one runs and writes, as text
// that fits a terminal (see ../describe.ts and ../describe-suite.ts) or, with --json, as one JSON
// document on stdout (ListJson with its suites, StudyJson, SuiteJson) for scripts. list's text ends with
// the suites (experiments/suites.ts) and their studies; `hvsim describe <suite>` describes a suite.
import { ExitCode } from '../../runner/errors.js';
import { describeJson, describeStudy, listJson, listText } from '../describe.js';
import { describeSuite, describeSuiteJson, suiteListJson, suitesText } from '../describe-suite.js';
import type { Io } from '../io.js';
import { requireStudy, studies } from '../studies.js';
import { findSuite, suites } from '../../../experiments/suites.js';

export function listCommand(opts: { readonly json?: boolean }, io: Io): ExitCode {
  if (opts.json === true) io.out(JSON.stringify({ ...listJson(studies), suites: suiteListJson(suites) }, null, 2));
  else {
    for (const line of listText(studies)) io.out(line);
    io.out('');
    for (const line of suitesText(suites)) io.out(line);
  }
  return ExitCode.ok;
}

export function describeCommand(name: string, opts: { readonly json?: boolean }, io: Io): ExitCode {
  const suite = findSuite(name);
  if (suite !== undefined) {
    const lookup = (n: string): ReturnType<typeof requireStudy> => requireStudy(n);
    if (opts.json === true) io.out(JSON.stringify(describeSuiteJson(suite, lookup), null, 2));
    else for (const line of describeSuite(suite, lookup)) io.out(line);
    return ExitCode.ok;
  }
  const study = requireStudy(name, true);
  if (opts.json === true) io.out(JSON.stringify(describeJson(study), null, 2));
  else for (const line of describeStudy(study)) io.out(line);
  return ExitCode.ok;
}

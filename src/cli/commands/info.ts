// `hvsim list` and `hvsim describe`: the studies and what each one runs and writes, as text that
// fits a terminal (see ../describe.ts) or, with --json, as one JSON document on stdout (ListJson,
// StudyJson) for scripts. list's text ends with the suites (experiments/suites.ts) and their studies.
import { ExitCode } from '../../runner/errors.js';
import { describeJson, describeStudy, listJson, listText } from '../describe.js';
import type { Io } from '../io.js';
import { requireStudy, studies } from '../studies.js';
import { suites } from '../../../experiments/suites.js';

export function listCommand(opts: { readonly json?: boolean }, io: Io): ExitCode {
  if (opts.json === true) io.out(JSON.stringify(listJson(studies), null, 2));
  else {
    for (const line of listText(studies)) io.out(line);
    io.out('');
    io.out('suites (hvsim run <suite>: every study in turn, quick; --full: the studies at publication fidelity):');
    for (const s of suites) io.out(`  ${s.name}  ${s.description}: ${s.members.map((m) => m.study).join(', ')}`);
  }
  return ExitCode.ok;
}

export function describeCommand(name: string, opts: { readonly json?: boolean }, io: Io): ExitCode {
  const study = requireStudy(name);
  if (opts.json === true) io.out(JSON.stringify(describeJson(study), null, 2));
  else for (const line of describeStudy(study)) io.out(line);
  return ExitCode.ok;
}

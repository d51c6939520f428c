// `hvsim list` and `hvsim describe`: the studies and what each one runs and writes, as text that
// fits a terminal (see ../describe.ts) or, with --json, as one JSON document on stdout (ListJson,
// StudyJson) for scripts.
import { ExitCode } from '../../runner/errors.js';
import { describeJson, describeStudy, listJson, listText } from '../describe.js';
import type { Io } from '../io.js';
import { requireStudy, studies } from '../studies.js';

export function listCommand(opts: { readonly json?: boolean }, io: Io): ExitCode {
  if (opts.json === true) io.out(JSON.stringify(listJson(studies), null, 2));
  else for (const line of listText(studies)) io.out(line);
  return ExitCode.ok;
}

export function describeCommand(name: string, opts: { readonly json?: boolean }, io: Io): ExitCode {
  const study = requireStudy(name);
  if (opts.json === true) io.out(JSON.stringify(describeJson(study), null, 2));
  else for (const line of describeStudy(study)) io.out(line);
  return ExitCode.ok;
}

#!/usr/bin/env node
// Entry point of the `hvsim` command (bin in package.json: dist/src/cli/main.js). Runs the commander
// program and maps failures to exit codes: UsageError and commander's usage errors → 2 (one line,
// "hvsim: ..."), RunError → 1, anything unexpected → 1 with the stack trace (a bug).
import { CommanderError } from 'commander';
import { ExitCode, RunError, UsageError } from '../runner/errors.js';
import { processIo } from './io.js';
import { createProgram } from './program.js';

export async function main(argv: readonly string[]): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  const program = createProgram(processIo, (c) => (code = c), argv.slice(2));
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (err instanceof UsageError) {
      processIo.err(`hvsim: ${err.message}`);
      return ExitCode.usage;
    }
    if (err instanceof RunError) {
      processIo.err(`hvsim: ${err.message}`);
      return ExitCode.failure;
    }
    processIo.err(`hvsim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return ExitCode.failure;
  }
}

// A reader that stops early (`hvsim describe x | head`) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv);

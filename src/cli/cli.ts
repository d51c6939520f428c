// The CLI as a function: runCli(args, io) parses `args` (the words after `hvsim`), runs the command
// with its output going to `io`, and returns the exit code. main.ts calls it with the process streams;
// tests call it in-process with captured streams (no child process per case). Failures map to exit
// codes here: UsageError and commander's usage errors → 2 (one line, "hvsim: ..."), RunError → 1,
// anything unexpected → 1 with the stack trace (a bug).
import { CommanderError } from 'commander';
import { ExitCode, RunError, UsageError } from '../runner/errors.js';
import type { Io } from './io.js';
import { createProgram } from './program.js';

export async function runCli(args: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  const program = createProgram(io, (c) => (code = c), args);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (err instanceof UsageError) {
      io.err(`hvsim: ${err.message}`);
      return ExitCode.usage;
    }
    if (err instanceof RunError) {
      io.err(`hvsim: ${err.message}`);
      return ExitCode.failure;
    }
    io.err(`hvsim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return ExitCode.failure;
  }
}

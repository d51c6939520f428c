// Errors of the runner and the CLI, with the process exit code each one maps to.
// - UsageError (exit 2): bad input from the command line (unknown study or parameter, a value of the
//   wrong type or out of range, a malformed flag, an unwritable output folder). The message is one line
//   naming the flag, the value and what is allowed; it is raised before anything is written.
// - RunError (exit 1): the input was fine but the work failed (a run threw, a merge is missing runs,
//   a results folder is unreadable).
// Exit codes 130 and 143 (interrupted by SIGINT / SIGTERM) are set by the sweep, not thrown.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  sigint: 130,
  sigterm: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class RunError extends Error {
  readonly exitCode = ExitCode.failure;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunError';
  }
}

/** The message of anything thrown (Error or not). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

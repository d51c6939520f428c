// Where the CLI writes: results and tables to stdout, progress and messages to stderr. Commands take
// an Io so tests can capture output; main.ts passes the process streams.
export interface Io {
  /** A line on stdout. */
  out(line: string): void;
  /** A line on stderr. */
  err(line: string): void;
}

export const processIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

// Where the CLI writes: results and tables to stdout, progress and messages to stderr. Commands take
// an Io so tests can capture output; main.ts passes the process streams (processIo).
// A stream whose reader went away (EPIPE: `hvsim run … | head -1`) is marked closed and further lines
// to it are dropped, so the command still finishes (writes its charts, report and manifest) instead
// of dying half-way.
export interface Io {
  /** A line on stdout. */
  out(line: string): void;
  /** A line on stderr. */
  err(line: string): void;
}

const closed = new Set<NodeJS.WriteStream>();

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // EPIPE: the reader went away; ERR_STREAM_DESTROYED: a later write (progress) to that stream.
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed.add(stream);
    else throw err;
  });
}

function writeLine(stream: NodeJS.WriteStream, line: string): void {
  if (closed.has(stream) || stream.destroyed) return;
  stream.write(`${line}\n`);
}

export const processIo: Io = {
  out: (line) => writeLine(process.stdout, line),
  err: (line) => writeLine(process.stderr, line),
};

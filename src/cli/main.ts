#!/usr/bin/env node
// Entry point of the `hvsim` command (bin in package.json: dist/src/cli/main.js): runs runCli (cli.ts)
// on the process's arguments and streams.
// A reader that stops early (`hvsim run … | head -1`, `hvsim describe x | head`) closes the pipe:
// that is not an error, and the command still finishes its work (charts, report.html, manifest);
// later output to the closed stream is dropped (io.ts).
import { runCli } from './cli.js';
import { processIo } from './io.js';

process.exitCode = await runCli(process.argv.slice(2), processIo);

// The cluster commands, registered on the program in one call: `hvsim slurm` (slurm.ts: a sweep as a
// Slurm job array plus a merge job) and `hvsim estimate` (estimate.ts: one machine versus N tasks,
// from recorded run wall times). Kubernetes needs no command: deploy/k8s/ holds the manifests.
import type { Command } from 'commander';
import type { ExitCode } from '../../runner/errors.js';
import type { Io } from '../io.js';
import { registerEstimateCommand } from './estimate.js';
import { registerSlurmCommand } from './slurm.js';

export function registerClusterCommands(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  registerSlurmCommand(program, io, setExit);
  registerEstimateCommand(program, io, setExit);
}

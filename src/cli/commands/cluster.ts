// The cluster commands, registered on the program in one call: `hvsim slurm` (slurm.ts: a sweep as a
// Slurm job array plus a merge job), `hvsim k8s` (k8s.ts: the Kubernetes manifests of deploy/k8s/
// rendered for one sweep) and `hvsim estimate` (estimate.ts: one machine versus N tasks, from
// recorded run wall times).
import type { Command } from 'commander';
import type { ExitCode } from '../../runner/errors.js';
import type { Io } from '../io.js';
import { registerEstimateCommand } from './estimate.js';
import { registerK8sCommand } from './k8s.js';
import { registerSlurmCommand } from './slurm.js';

export function registerClusterCommands(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  registerSlurmCommand(program, io, setExit);
  registerK8sCommand(program, io, setExit);
  registerEstimateCommand(program, io, setExit);
}

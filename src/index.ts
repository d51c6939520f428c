// The package entry point (`import { Simulation } from 'hvsim'`): the engine's public API.
// Hypervisor models are under 'hvsim/models', the study runner under 'hvsim/runner'.
export * from './sim/index.js';

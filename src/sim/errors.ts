// Errors thrown by the engine. A SimulationError names the simulated time (ns) at which things went
// wrong; model invariant violations use InvariantError, which also names the model.
import { formatNs } from './time.js';

export class SimulationError extends Error {
  readonly timeNs: number;
  constructor(message: string, timeNs: number, options?: { cause?: unknown }) {
    super(`${message} (at t = ${formatNs(timeNs)})`, options);
    this.name = 'SimulationError';
    this.timeNs = timeNs;
  }
}

/** A model's run-time invariant does not hold. Thrown by `invariant()` in model code. */
export class InvariantError extends SimulationError {
  readonly model: string;
  constructor(model: string, message: string, timeNs: number) {
    super(`invariant violated in ${model}: ${message}`, timeNs);
    this.name = 'InvariantError';
    this.model = model;
  }
}

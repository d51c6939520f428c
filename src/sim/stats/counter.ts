/**
 * Counter: a monotone count of occurrences (packets dropped, context switches, bytes sent…).
 *
 * Unit: whatever is counted (name the variable after it, e.g. `droppedPackets`, `sentBytes`).
 * Integer increments are exact up to 2^53; fractional increments are summed with Neumaier
 * compensation (see compensated-sum.ts). Increments must be finite and non-negative.
 */
import { CompensatedSum } from './compensated-sum.js';
import type { Resettable } from './resettable.js';
import { argumentError } from '../check.js';

export class Counter implements Resettable {
  private readonly total = new CompensatedSum();

  inc(n = 1): void {
    if (!(n >= 0 && n !== Infinity)) {
      throw argumentError('Counter.inc', 'n', 'a finite number >= 0', n);
    }
    this.total.add(n);
  }

  get value(): number {
    return this.total.value;
  }

  reset(_nowNs?: number): void {
    this.total.reset();
  }
}

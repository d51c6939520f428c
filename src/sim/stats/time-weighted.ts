/**
 * TimeWeighted: a piecewise-constant level (queue length, busy CPUs, utilisation 0..1) and its
 * time average. Times are simulated integer nanoseconds; the level has its own unit.
 *
 * The level set at time t holds until the next update. The time average over [t0, now] is
 * (∫ level dt) / (now − t0), where t0 is the construction time or the last reset; the integral
 * Σ level_i·(t_{i+1} − t_i) is a Neumaier compensated sum (compensated-sum.ts).
 * Source: Law, Simulation Modeling and Analysis, 5th ed., §1.4 (time-average number in queue).
 *
 * min/max are over every level taken since t0 (including the level held at t0 and levels held for
 * zero time). Over an empty interval (now = t0) the mean is NaN, like an empty Tally.
 * Time never goes backwards: an earlier time throws a RangeError naming both times.
 */
import { CompensatedSum } from './compensated-sum.js';
import type { Resettable } from './resettable.js';
import { argumentError, checkFinite } from '../check.js';

export class TimeWeighted implements Resettable {
  private startNs: number;
  private lastNs: number;
  private current: number;
  private readonly area = new CompensatedSum();
  private lo: number;
  private hi: number;

  constructor(startNs: number, level = 0) {
    checkFinite('TimeWeighted constructor', 'startNs', startNs);
    checkFinite('TimeWeighted constructor', 'level', level);
    this.startNs = startNs;
    this.lastNs = startNs;
    this.current = level;
    this.lo = level;
    this.hi = level;
  }

  /** Sets the level from `nowNs` on. */
  update(nowNs: number, level: number): void {
    if (!Number.isFinite(level)) throw argumentError('TimeWeighted.update', 'level', 'a finite number', level);
    this.advance('TimeWeighted.update', nowNs);
    this.current = level;
    if (level < this.lo) this.lo = level;
    if (level > this.hi) this.hi = level;
  }

  /** Changes the level by `delta` at `nowNs` (e.g. +1 on arrival, −1 on departure). */
  add(nowNs: number, delta: number): void {
    if (!Number.isFinite(delta)) throw argumentError('TimeWeighted.add', 'delta', 'a finite number', delta);
    this.update(nowNs, this.current + delta);
  }

  get level(): number {
    return this.current;
  }

  /** Time average of the level over [start or last reset, nowNs]; NaN if that interval is empty. */
  mean(nowNs: number): number {
    this.check('TimeWeighted.mean', nowNs);
    const spanNs = nowNs - this.startNs;
    if (spanNs === 0) return NaN;
    return (this.area.value + this.current * (nowNs - this.lastNs)) / spanNs;
  }

  get min(): number {
    return this.lo;
  }

  get max(): number {
    return this.hi;
  }

  /** Keeps the current level and restarts the integral (and min/max) at `nowNs`. */
  reset(nowNs: number): void {
    this.check('TimeWeighted.reset', nowNs);
    this.area.reset();
    this.startNs = nowNs;
    this.lastNs = nowNs;
    this.lo = this.current;
    this.hi = this.current;
  }

  private check(where: string, nowNs: number): void {
    if (!Number.isFinite(nowNs)) throw argumentError(where, 'nowNs', 'a finite time in ns', nowNs);
    if (nowNs < this.lastNs) {
      throw argumentError(
        where,
        'nowNs',
        `>= ${this.lastNs}, the time of the last update or reset (time never goes backwards)`,
        nowNs,
      );
    }
  }

  private advance(where: string, nowNs: number): void {
    this.check(where, nowNs);
    const dtNs = nowNs - this.lastNs;
    if (dtNs > 0) {
      this.area.add(this.current * dtNs);
      this.lastNs = nowNs;
    }
  }
}

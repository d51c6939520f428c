/**
 * Resettable and StatsGroup: warm-up deletion.
 *
 * A statistic that can discard what it has observed so far implements `reset(nowNs)` (time in integer
 * nanoseconds of simulated time; observation-based statistics ignore it, time-based ones restart their
 * integral there). A model registers its statistics in a StatsGroup and schedules
 * `group.resetAll(now)` at the end of the warm-up period, so that only steady-state observations are
 * kept (initial-data deletion; Law, Simulation Modeling and Analysis, 5th ed., §9.5.1).
 *
 * A StatsGroup is itself Resettable, so groups nest (e.g. one group per domain inside a host group).
 */
export interface Resettable {
  reset(nowNs: number): void;
}

export class StatsGroup implements Resettable {
  private readonly members: Resettable[] = [];

  /** Registers `stat` and returns it, so that `const t = group.add(new Tally())` reads naturally. */
  add<T extends Resettable>(stat: T): T {
    this.members.push(stat);
    return stat;
  }

  /** Resets every registered statistic, in registration order. */
  resetAll(nowNs: number): void {
    for (const m of this.members) m.reset(nowNs);
  }

  /** Same as resetAll; makes groups nestable. */
  reset(nowNs: number): void {
    this.resetAll(nowNs);
  }

  /** Number of registered statistics (direct members). */
  get size(): number {
    return this.members.length;
  }
}

// The simulation's clock and control: run(until), run(event), step, stop, peek, bad delays.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.js';
import { SimulationError } from '../../src/sim/errors.js';
import { ms, s, us, formatNs } from '../../src/sim/time.js';

describe('time helpers', () => {
  it('convert to integer nanoseconds', () => {
    expect(us(1)).toBe(1000);
    expect(ms(2.5)).toBe(2_500_000);
    expect(s(1)).toBe(1e9);
    expect(us(0.0004)).toBe(0);
    expect(formatNs(1500)).toBe('1.5 µs');
    expect(formatNs(2_000_000_000)).toBe('2 s');
  });
});

describe('Simulation', () => {
  it('ends cleanly when nothing is pending', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.schedule(10, () => seen.push(sim.now));
    sim.schedule(30, () => seen.push(sim.now));
    sim.run();
    expect(seen).toEqual([10, 30]);
    expect(sim.now).toBe(30);
    expect(sim.pending).toBe(0);
    expect(sim.eventsProcessed).toBe(2);
  });

  it('run(until) processes events before until, not at until, and leaves the clock at until', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    for (const t of [5, 10, 15]) sim.scheduleAt(t, () => seen.push(sim.now));
    sim.run(10);
    expect(seen).toEqual([5]);
    expect(sim.now).toBe(10);
    sim.run(100);
    expect(seen).toEqual([5, 10, 15]);
    expect(sim.now).toBe(100);
  });

  it('run(event) returns its value, and throws if the event can never be triggered', () => {
    const sim = new Simulation();
    const ev = sim.event<string>();
    sim.schedule(7, () => ev.succeed('done'));
    sim.schedule(20, () => {});
    expect(sim.run(ev)).toBe('done');
    expect(sim.now).toBe(7);
    const never = sim.event();
    expect(() => sim.run(never)).toThrow(/no events left/);
  });

  it('step processes one event at a time; stop ends run after the current callback', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.schedule(1, () => seen.push(1));
    sim.schedule(2, () => {
      seen.push(2);
      sim.stop();
    });
    sim.schedule(3, () => seen.push(3));
    expect(sim.step()).toBe(true);
    expect(seen).toEqual([1]);
    sim.run();
    expect(seen).toEqual([1, 2]);
    expect(sim.peek()).toBe(3);
    sim.run();
    expect(seen).toEqual([1, 2, 3]);
    expect(sim.step()).toBe(false);
  });

  it('rejects negative, NaN, fractional and past delays/times with a clear error', () => {
    const sim = new Simulation();
    const f = (): void => {};
    expect(() => sim.schedule(-1, f)).toThrow(/delayNs must be a non-negative integer.*got -1/);
    expect(() => sim.schedule(Number.NaN, f)).toThrow(/got NaN/);
    expect(() => sim.schedule(1.5, f)).toThrow(/got 1.5/);
    expect(() => sim.schedule(1, f, undefined, 1.5)).toThrow(/priority must be an integer/);
    expect(() => sim.timeout(-5)).toThrow(
      new RangeError('schedule: delayNs must be a non-negative integer number of nanoseconds, got -5'),
    );
    sim.schedule(10, f);
    sim.run();
    expect(() => sim.scheduleAt(5, f)).toThrow(/not before now \(10\), got 5/);
    expect(() => sim.run(3)).toThrow(/until must be an integer time/);
  });

  it('callbacks receive their argument and can cancel each other', () => {
    const sim = new Simulation();
    const got: number[] = [];
    const h = sim.schedule(20, (x: number) => got.push(x), 2);
    sim.schedule(
      10,
      (x: number) => {
        got.push(x);
        sim.cancel(h);
      },
      1,
    );
    sim.run();
    expect(got).toEqual([1]);
    expect(sim.eventsProcessed).toBe(1);
  });
});

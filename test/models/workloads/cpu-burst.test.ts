// Synthetic CPU workloads: utilisation against the burst/wait means, determinism and stream
// independence (common random numbers), the CPU-bound variant never blocks, limits and validation.
import { describe, expect, it } from 'vitest';
import { RandomStreams, ms, s, us } from '../../../src/sim/index.js';
import { RoundRobinScheduler } from '../../../src/models/cpu/round-robin.js';
import { cpuBoundWorkload, cpuBurstWorkload, drawNs } from '../../../src/models/workloads/cpu-burst.js';
import { makeHost, runAndCheck } from '../host/helpers.js';

describe('cpuBurstWorkload', () => {
  it('alone on a CPU, uses burst / (burst + wait) of it (exponential bursts and waits)', () => {
    const { sim, host } = makeHost({ timerTickNs: 0 });
    const d = host.control.createDomain({ name: 'worker' });
    const w = cpuBurstWorkload(d, new RandomStreams(7), {
      burst: { kind: 'exponential', meanNs: ms(1) },
      wait: { kind: 'exponential', meanNs: ms(4) },
    });
    runAndCheck(sim, host, s(60));
    // alone: response = burst (+ a switch now and then), cycle ≈ 5 ms → utilisation ≈ 0.2
    expect(d.busyNs / s(60)).toBeGreaterThan(0.19);
    expect(d.busyNs / s(60)).toBeLessThan(0.21);
    expect(w.burstsDone).toBeGreaterThan(11400);
    expect(w.burstsDone).toBeLessThan(12600);
  });

  it('is deterministic, and draws from streams named after the domain (other domains do not perturb it)', () => {
    const run = (extra: boolean) => {
      const { sim, host } = makeHost({ scheduler: new RoundRobinScheduler() });
      const streams = new RandomStreams('crn');
      if (extra) {
        const other = host.control.createDomain({ name: 'other' });
        cpuBurstWorkload(other, streams, {
          burst: { kind: 'uniform', loNs: us(10), hiNs: ms(3) },
          wait: { kind: 'exponential', meanNs: ms(2) },
        });
      }
      const d = host.control.createDomain({ name: 'probe' });
      const bursts: number[] = [];
      host.onDemandDone.add((v, tag, now) => {
        if (v.domain === d && tag === 'cpu-burst') bursts.push(now);
      });
      const w = cpuBurstWorkload(d, streams, {
        burst: { kind: 'erlang', k: 2, meanNs: us(500) },
        wait: { kind: 'lognormal', meanNs: ms(3), sdNs: ms(1) },
        maxBursts: 50,
      });
      runAndCheck(sim, host, s(2));
      return { w, bursts };
    };
    const a = run(false);
    const b = run(false);
    const c = run(true);
    expect(a.bursts).toEqual(b.bursts);
    expect(a.w.issuedNs).toBe(b.w.issuedNs);
    // same draws with a competing domain (the completion times differ, the demands do not)
    expect(c.w.issuedNs).toBe(a.w.issuedNs);
    expect(a.w.burstsDone).toBe(50);
    const rng = new RandomStreams('crn').stream('cpu-burst/probe/v0/burst');
    let sum = 0;
    for (let i = 0; i < 50; i++) sum += drawNs(rng, { kind: 'erlang', k: 2, meanNs: us(500) });
    expect(a.w.issuedNs).toBe(sum);
  });

  it('starts at startAtNs and stops on stop()', () => {
    const { sim, host } = makeHost();
    const d = host.control.createDomain({ name: 'w' });
    const w = cpuBurstWorkload(d, new RandomStreams(1), {
      burst: { kind: 'constant', valueNs: ms(1) },
      wait: { kind: 'constant', valueNs: ms(1) },
      startAtNs: s(1),
    });
    sim.scheduleAt(s(2), () => w.stop());
    runAndCheck(sim, host, s(3));
    expect(w.burstsDone).toBe(500);
    expect(d.busyNs).toBe(500 * ms(1) + 150 * 1750); // bursts + 150 timer events (0, 20 ms, … 2.98 s)
  });

  it('rejects bad distributions with RangeError naming the field', () => {
    const { host } = makeHost();
    const d = host.control.createDomain({ name: 'w' });
    const st = new RandomStreams(1);
    expect(() =>
      cpuBurstWorkload(d, st, { burst: { kind: 'exponential', meanNs: 0 }, wait: { kind: 'constant', valueNs: 0 } }),
    ).toThrow(/cpuBurstWorkload\(w\): burst\.meanNs must be a number in/);
    expect(() =>
      cpuBurstWorkload(d, st, { burst: { kind: 'uniform', loNs: 5, hiNs: 1 }, wait: { kind: 'constant', valueNs: 0 } }),
    ).toThrow(/burst\.hiNs must be a number in \[5,/);
    expect(() =>
      cpuBurstWorkload(d, st, { burst: { kind: 'gauss' } as never, wait: { kind: 'constant', valueNs: 0 } }),
    ).toThrow(/burst\.kind must be one of "constant"/);
    expect(() =>
      cpuBurstWorkload(d, st, {
        burst: { kind: 'constant', valueNs: 1 },
        wait: { kind: 'constant', valueNs: 0 },
        vcpuIndex: 1,
      }),
    ).toThrow(/vcpuIndex must be an integer >= 0 and <= 0, got 1/);
  });
});

describe('cpuBoundWorkload', () => {
  it('never blocks and takes the whole CPU when alone', () => {
    const { sim, host } = makeHost();
    const d = host.control.createDomain({ name: 'spin' });
    const blocks: number[] = [];
    host.onBlock.add((v, now) => {
      if (v.domain === d) blocks.push(now);
    });
    cpuBoundWorkload(d, { chunkNs: ms(3) });
    const acc = runAndCheck(sim, host, s(5));
    expect(blocks).toEqual([]);
    // everything except dom0's work (control + timer events) and the switches around it
    expect(d.busyNs).toBe(acc.busyNs - host.dom0.busyNs);
    expect(acc.idleNs).toBe(0);
  });
});

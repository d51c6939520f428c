// The host10k bench scenario at a small size: it runs, conserves CPU time exactly, delivers the I/O
// wake-ups at about the rate its think times imply when the CPUs keep up, and is deterministic.
// (Speed is the bench's business, never asserted here.)
import { describe, expect, it } from 'vitest';
import { ms } from '../../../src/sim/index.js';
import { buildHost10k } from '../../../bench/host10k.js';

describe('host10k scenario (small)', () => {
  for (const scheduler of ['bvt', 'credit'] as const) {
    it(`${scheduler}: 400 domains on 16 PCPUs run with exact conservation and deterministic counts`, () => {
      const run = () => {
        const sc = buildHost10k({ domains: 400, cpus: 16, scheduler });
        sc.sim.run(ms(300));
        const acc = sc.host.checkConservation();
        expect(acc.busyNs + acc.hypervisorNs + acc.switchingNs + acc.idleNs).toBe(acc.elapsedNs * acc.cpus);
        return { events: sc.sim.eventsProcessed, wakeups: sc.wakeups(), busy: acc.busyNs };
      };
      const a = run();
      // 396 I/O domains, think ≈ Exp(20 ms) after each ≈ 50 µs burst: ≈ 396 × 300 / 20 ≈ 5 940
      // wake-ups if they are served promptly; the 4 hogs leave 12 PCPUs, far more than the ≈ 1 PCPU
      // the I/O work needs, so at least 80% of that must be seen
      expect(a.wakeups).toBeGreaterThan(0.8 * 396 * 15);
      expect(a.wakeups).toBeLessThan(1.2 * 396 * 15);
      expect(run()).toEqual(a);
    });
  }
});

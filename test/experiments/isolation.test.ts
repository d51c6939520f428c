// The isolation study's own checks: determinism of a run, the disk mechanism it reports (under C-LOOK a
// dd-style stream just ahead of the head starves the small-file creator and OSDB-IR; the Linux 2.4
// elevator's passover budget bounds the wait), and the native mix's process sharing (the fork bomb's
// processes take the web server's CPU on native Linux; on Xen the bomb's domain has its own share).
import { describe, expect, it } from 'vitest';
import { isolation } from '../../experiments/isolation/index.js';
import { OsProcessCpu } from '../../experiments/isolation/process-cpu.js';
import { Simulation } from '../../src/sim/index.js';
import { Host } from '../../src/models/host/host.js';
import { GuestOS } from '../../src/models/guest/guest-os.js';

const BASE = {
  system: 'xen',
  antagonists: 'on',
  antagonistSet: 'disk',
  diskScheduler: 'linus',
  webClients: 20,
  webSearch: 'fixed',
  warmupNs: 100_000_000,
  runLengthNs: 400_000_000,
} as const;
const ctx = { seed: 'isolation-test', replication: 0, quick: true };

describe('isolation', () => {
  it('is deterministic: the same seed gives the same measures', () => {
    const a = isolation.run({ ...BASE, antagonistSet: 'all' }, ctx);
    const b = isolation.run({ ...BASE, antagonistSet: 'all' }, ctx);
    expect(a).toEqual(b);
  });

  it('C-LOOK: the dd-style stream starves the small-file creator and OSDB-IR; the Linux 2.4 elevator serves them', () => {
    const clook = isolation.run({ ...BASE, diskScheduler: 'clook' }, ctx).measures;
    const linus = isolation.run(BASE, ctx).measures;
    expect(clook['diskHogMBps']).toBeGreaterThan(10);
    expect(clook['smallFilesPerS']).toBe(0);
    expect(clook['osdbQps']).toBe(0);
    expect(linus['diskHogMBps']).toBeGreaterThan(10);
    expect(linus['smallFilesPerS']).toBeGreaterThan(0);
    expect(linus['osdbQps']).toBeGreaterThan(0);
  });

  it('the fork bomb takes the web server from native Linux, not from a Xen domain', () => {
    const bomb = { ...BASE, antagonistSet: 'bomb-memory' } as const;
    const xen = isolation.run(bomb, ctx).measures;
    const native = isolation.run({ ...bomb, system: 'native' }, ctx).measures;
    const nativeSolo = isolation.run({ ...bomb, system: 'native', antagonists: 'off' }, ctx).measures;
    expect(xen['webScore']).toBe(20);
    expect(nativeSolo['webScore']).toBe(20);
    expect(native['webScore']).toBeLessThan(10);
  });

  it('full fidelity: the SPECweb99 bisection keeps a passing load, and finds none under the native bomb', () => {
    const bomb = { ...BASE, antagonistSet: 'bomb-memory', webSearch: 'bisection' } as const;
    // every client conformant at the top of the search: the score is that load
    expect(isolation.run({ ...bomb, antagonists: 'off' }, ctx).measures['webScore']).toBe(20);
    // no client count down to 1 passes (each waits behind the bomb's processes): score 0
    const native = isolation.run({ ...bomb, system: 'native' }, ctx).measures;
    expect(native['webScore']).toBe(0);
    expect(native['webConformantShare']).toBeLessThan(0.5);
  });

  it("OsProcessCpu: a burst waits for the running process's quantum (round robin), alone it runs at once", () => {
    const sim = new Simulation();
    const host = new Host(sim, { mode: 'bare-metal', cpus: 1 });
    const k = host.kernel;
    if (k === null) throw new Error('no kernel');
    const os = new GuestOS(k, { profile: 'native', quantumNs: 60_000_000 });
    const cpu = new OsProcessCpu(sim, os, k.vcpus[0]!, 'db');
    const done: number[] = [];
    // alone: the burst of 1 ms ends 1 ms (plus the switch into the process) after it is asked for
    cpu.run(1_000_000).addCallback(() => done.push(sim.now));
    sim.run(10_000_000);
    expect(done[0]).toBeGreaterThanOrEqual(1_000_000);
    expect(done[0]).toBeLessThan(1_200_000);
    // beside a CPU-bound process that has just started its 60 ms quantum: the burst waits for it
    os.spawn(
      'hog',
      (function* () {
        for (;;) yield { computeNs: 1_000_000_000 };
      })(),
    );
    sim.schedule(0, () => cpu.run(1_000_000).addCallback(() => done.push(sim.now)));
    sim.run(200_000_000);
    const waited = (done[1] as number) - 10_000_000;
    expect(waited).toBeGreaterThanOrEqual(61_000_000);
    expect(waited).toBeLessThan(61_500_000);
  });
});

// The isolation study's own checks: determinism of a run, the disk mechanism it reports (under C-LOOK a
// dd-style stream just ahead of the head starves the small-file creator and OSDB-IR; the Linux 2.4
// elevator's passover budget bounds the wait), and the native mix's process sharing (the fork bomb's
// processes take the web server's CPU on native Linux; on Xen the bomb's domain has its own share).
import { describe, expect, it } from 'vitest';
import { isolation } from '../../experiments/isolation/index.js';

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
});

// concurrent-web scenario (experiments/concurrent-web/scenario.ts): the NIC interrupt's routing puts its
// interrupts where it says (network.ts nicIrq), native servers share interfaces on disjoint port
// ranges (web.ts basePort), runs conserve packets and requests (checked inside) and are deterministic.
import { describe, expect, it } from 'vitest';
import { runConcurrentWeb, type CwebOptions } from '../../experiments/concurrent-web/scenario.js';
import { Host } from '../../src/models/host/host.js';
import { Network } from '../../src/models/net/network.js';
import { Simulation } from '../../src/sim/simulation.js';

const base: CwebOptions = {
  seed: 7,
  system: 'xen',
  servers: 2,
  totalClients: 8,
  irq: 'balanced',
  warmupNs: 20_000_000,
  runLengthNs: 80_000_000,
};

describe('concurrent-web scenario', () => {
  it("'fixed' routing sends every NIC interrupt to CPU 0; 'balanced' alternates them over both CPUs", () => {
    const fixed = runConcurrentWeb({ ...base, irq: 'fixed' });
    expect(fixed.nicIrqShareCpu0).toBe(1);
    const bal = runConcurrentWeb(base);
    // round robin, one interrupt each: CPU 0 gets half of them (± one)
    expect(Math.abs(bal.nicIrqShareCpu0 - 0.5)).toBeLessThan(0.01);
    // with interrupts fixed, CPU 0 holds more of the interrupt-context time than when they alternate (the
    // transmit back-end work stays on each server's own CPU either way)
    expect(fixed.irqShareCpu0).toBeGreaterThan(bal.irqShareCpu0 + 0.1);
    const ll = runConcurrentWeb({ ...base, irq: 'least-loaded' });
    expect(ll.nicIrqShareCpu0).toBeGreaterThan(0);
    expect(ll.nicIrqShareCpu0).toBeLessThan(1);
  });

  it('native: 5 servers on two interfaces serve every client (disjoint port ranges), well below saturation', () => {
    const r = runConcurrentWeb({ ...base, system: 'native', servers: 5, totalClients: 11 });
    expect(r.clients).toBe(11);
    expect(r.conformantClients).toBe(11);
    expect(r.completed).toBeGreaterThan(0);
    expect(r.drops).toBe(0);
    expect(r.cpuBusy).toBeLessThan(0.2);
  });

  it('fewer clients than servers: servers without clients get no workload', () => {
    const r = runConcurrentWeb({ ...base, servers: 4, totalClients: 3 });
    expect(r.clients).toBe(3);
  });

  it('same seed, same result', () => {
    expect(runConcurrentWeb(base)).toEqual(runConcurrentWeb(base));
  });

  it('Network rejects a backendCpus entry outside the host', () => {
    const sim = new Simulation();
    const host = new Host(sim, { mode: 'bare-metal', cpus: 2 });
    expect(() => new Network(sim, { host, backendCpus: [0, 2] })).toThrow(/backendCpus\[\].*2/);
    expect(() => new Network(sim, { host, backendCpus: [] })).toThrow(/backendCpus must list/);
  });
});

// concurrent-web scenario (experiments/concurrent-web/scenario.ts): interrupt routing puts the back end's
// per-packet work where it says (network.ts backendCpus), native servers share interfaces on disjoint port
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
  it("'fixed' routing keeps every back-end packet on CPU 0; 'balanced' alternates them over both CPUs", () => {
    const fixed = runConcurrentWeb({ ...base, irq: 'fixed' });
    expect(fixed.irqShareCpu0).toBe(1);
    const bal = runConcurrentWeb(base);
    // per-packet round robin: each CPU gets every other packet, so about half the interrupt-context time
    // (the hypervisor's other work — notifications — is small beside it)
    expect(bal.irqShareCpu0).toBeGreaterThan(0.35);
    expect(bal.irqShareCpu0).toBeLessThan(0.65);
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

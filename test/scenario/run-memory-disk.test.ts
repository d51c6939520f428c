// The memory and disk parts of a scenario run (src/scenario/run.ts) against independent arithmetic:
// memory: a working set that fits never faults; one that does not faults (W − R)/W of its references
// (the uniform-reference model, worked out by hand in pages), each fault a swap read and half of them a
// write-back; free memory is what the reservations leave (machine − hypervisor − 20 kB per domain −
// reservations, in pages); a following balloon shrinks a domain to kernel + working set; a domain
// without swap that would fault is an invariant violation. Disk: Little's law for the closed block
// loops (clients = throughput × response time), a sequential hog pair at the disk's 60 MB/s media
// rate, the OLTP byte count per transaction (3 + 3 reads and writes of 4 KB and an 8 KB commit), CPU
// conservation with the back end in the hypervisor or in dom0; same seed, same numbers.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { InvariantError } from '../../src/sim/errors.js';

const MIB_PAGES = 256; // 4 KB pages per MiB
const MACHINE = 512 * MIB_PAGES; // host.memory 512MB
const HV = 4096; // the hypervisor's 16 MB (MEMORY_DEFAULTS.hypervisorPages)
const STATE = 5; // 20 kB of hypervisor state per domain (dom0 included)

function scenario(over: Partial<Scenario> & Pick<Scenario, 'domains'>, lengthMs = 2000, warmupMs = 500): Scenario {
  return checkScenario(
    {
      name: 'mem-disk',
      host: { cpus: 1, memory: '512MB' },
      hypervisor: { scheduler: 'credit' },
      slos: [],
      run: { lengthMs, warmupMs, replications: 2, seed: 1 },
      ...over,
    },
    'test',
  );
}

function row(r: ReturnType<typeof runScenario>, name: string): Record<string, number | string> {
  const t = r.templates.find((x) => x['template'] === name);
  if (t === undefined) throw new Error(`no row ${name}`);
  return t;
}

function worker(memory: Record<string, unknown>, count = 2): Scenario['domains'][number] {
  return {
    name: 'vm',
    count,
    workload: { kind: 'memory-worker', unitCpuUs: 200, touchesPerUnit: 20 },
    memory: memory as never,
  };
}

describe('memory', () => {
  it('a working set that fits never faults; free memory is what the reservations leave', () => {
    const r = runScenario(scenario({ domains: [worker({ reservation: '64MB', workingSet: '32MB' })] }), 's');
    const vm = row(r, 'vm');
    expect(vm['faultsPerS']).toBe(0);
    expect(r.measures.swapPagesPerS).toBe(0);
    expect(vm['memoryMiB']).toBe(64);
    expect(r.measures.balloonPagesPerS).toBe(0);
    expect(r.measures.freeMemoryFraction).toBeCloseTo((MACHINE - HV - 3 * STATE - 2 * 64 * MIB_PAGES) / MACHINE, 12);
    expect(vm['throughputPerS'] as number).toBeGreaterThan(2000); // 200 µs units on half a CPU each
  });

  it('a working set beyond memory faults (W − R)/W of its references, each a swap read, half written back', () => {
    // R = 64 MiB − 4 MiB kernel = 15 360 pages, W = 80 MiB = 20 480 pages: f = 0.25, 20 × 0.25 = 5 faults per unit
    const s = scenario({ domains: [worker({ reservation: '64MB', workingSet: '80MB' })] }, 4000);
    const r = runScenario(s, 's');
    const vm = row(r, 'vm');
    const lengthS = 4;
    const units = (vm['throughputPerS'] as number) * lengthS * 2;
    const faults = (vm['faultsPerS'] as number) * lengthS * 2;
    expect(units).toBeGreaterThan(30); // swap-bound: 5 reads of a few ms each on the 10k RPM disk per unit
    // a unit in progress at each end of the window: at most 5 faults each per domain
    expect(Math.abs(faults - 5 * units)).toBeLessThanOrEqual(2 * 2 * 5);
    // swap: every fault reads a page, every second fault writes a dirty victim (the device's queue at the ends aside)
    const swapPages = r.measures.swapPagesPerS * lengthS;
    expect(swapPages / (1.5 * faults)).toBeGreaterThan(0.95);
    expect(swapPages / (1.5 * faults)).toBeLessThan(1.05);
    expect(vm['memoryMiB']).toBe(64);
  });

  it("swap goes to each domain's own VBD on a swap-only dk32ej disk: the disk is busy only while paging", () => {
    // without host.disk: a swapping scenario gets a disk; one that does not fault never touches it
    const paging = runScenario(scenario({ domains: [worker({ reservation: '64MB', workingSet: '80MB' })] }), 's');
    expect(paging.measures.diskBusyFraction).toBeGreaterThan(0.1);
    expect(paging.measures.diskBusyFraction).toBeLessThanOrEqual(1);
    const fits = runScenario(scenario({ domains: [worker({ reservation: '64MB', workingSet: '32MB' })] }), 's');
    expect(fits.measures.diskBusyFraction).toBe(0);
    const off = runScenario(
      scenario({ domains: [worker({ reservation: '64MB', workingSet: '32MB', swap: false })] }),
      's',
    );
    expect(off.measures.diskBusyFraction).toBeNaN(); // no swap, no disk
  });

  it("swap competes with a block workload on host.disk: the ir domain's response time grows", () => {
    const ir: Scenario['domains'][number] = { name: 'ir', count: 1, workload: { kind: 'ir', clients: 1 } };
    const base = { host: { cpus: 1, memory: '512MB', disk: { preset: 'dk32ej' as const } } };
    const alone = runScenario(scenario({ ...base, domains: [ir] }), 's');
    const shared = runScenario(
      scenario({ ...base, domains: [ir, worker({ reservation: '64MB', workingSet: '80MB' })] }),
      's',
    );
    expect(shared.measures.swapPagesPerS).toBeGreaterThan(0);
    expect(row(shared, 'ir')['respMeanMs'] as number).toBeGreaterThan(1.2 * (row(alone, 'ir')['respMeanMs'] as number));
  });

  it('with followWorkingSet the balloon shrinks each domain to kernel + working set during the warm-up', () => {
    const s = scenario({
      domains: [worker({ reservation: '64MB', kernel: '4MB', workingSet: '16MB', followWorkingSet: true })],
    });
    const r = runScenario(s, 's');
    const vm = row(r, 'vm');
    expect(vm['memoryMiB']).toBe(20);
    expect(vm['faultsPerS']).toBe(0);
    expect(r.measures.balloonPagesPerS).toBe(0); // done before the window
    expect(r.measures.freeMemoryFraction).toBeCloseTo((MACHINE - HV - 3 * STATE - 2 * 20 * MIB_PAGES) / MACHINE, 12);
  });

  it('a following balloon lends an idle domain’s pages: growth to the ceiling shows as balloon traffic', () => {
    const s = scenario(
      {
        domains: [
          worker({
            reservation: '32MB',
            ceiling: '64MB',
            phases: [
              { forMs: 300, workingSet: '40MB' },
              { forMs: 300, workingSet: '4MB' },
            ],
            followWorkingSet: true,
          }),
        ],
      },
      3000,
    );
    const r = runScenario(s, 's');
    // each domain moves (40 − 4) MiB out and in once per 600 ms cycle: 2 × 36 × 256 pages / 0.6 s per domain
    const expected = (2 * (2 * 36 * MIB_PAGES)) / 0.6;
    expect(r.measures.balloonPagesPerS / expected).toBeGreaterThan(0.8);
    expect(r.measures.balloonPagesPerS / expected).toBeLessThan(1.2);
    expect(r).toEqual(runScenario(s, 's'));
  });

  it('a domain without swap that would fault is an invariant violation, not a silent number', () => {
    const s = scenario({ domains: [worker({ reservation: '64MB', workingSet: '32MB', swap: false })] });
    const broken = structuredClone(s);
    const m = broken.domains[0]?.memory;
    if (m === undefined) throw new Error('no memory');
    m.workingSet = '120MB'; // past what load.ts allows with swap off
    expect(() => runScenario(broken, 's')).toThrow(InvariantError);
    expect(row(runScenario(s, 's'), 'vm')['faultsPerS']).toBe(0);
  });
});

describe('disk', () => {
  const disk = (
    preset: 'dk32ej' | 'ssd',
    workload: Scenario['domains'][number]['workload'],
    backendPlacement: 'hypervisor' | 'dom0' = 'hypervisor',
  ): Scenario =>
    scenario({
      host: { cpus: 1, disk: { preset } },
      hypervisor: { scheduler: 'credit', backendPlacement },
      domains: [{ name: 'd', count: 2, workload }],
    });

  it("closed loops obey Little's law: clients = throughput × response time (ir on the 10k RPM disk, seq-hog on the SSD)", () => {
    const ir = row(runScenario(disk('dk32ej', { kind: 'ir', clients: 3 }), 's'), 'd');
    expect(((ir['throughputPerS'] as number) * (ir['respMeanMs'] as number)) / 1000).toBeCloseTo(3, 1);
    const hog = row(runScenario(disk('ssd', { kind: 'seq-hog', depth: 4 }), 's'), 'd');
    expect(((hog['throughputPerS'] as number) * (hog['respMeanMs'] as number)) / 1000).toBeCloseTo(4, 1);
  });

  it('two sequential hogs share the 10k RPM disk at its 60 MB/s media rate', () => {
    const r = runScenario(disk('dk32ej', { kind: 'seq-hog' }), 's');
    const total = (row(r, 'd')['diskMBPerS'] as number) * 2;
    expect(total).toBeGreaterThan(57);
    expect(total).toBeLessThanOrEqual(60 * 1.001); // a request started before the window ends in it
    expect(r.measures.diskBusyFraction).toBeGreaterThan(0.99);
  });

  it('oltp: 32 KB per transaction, clients = transactions × transaction time, commits no faster than their I/O', () => {
    const db = row(runScenario(disk('dk32ej', { kind: 'oltp', clients: 4 }), 's'), 'd');
    const tps = db['throughputPerS'] as number;
    // 3 reads + 3 writes of 4 KB + an 8 KB commit = 32 768 bytes
    expect((db['diskMBPerS'] as number) / ((tps * 32_768) / 1e6)).toBeCloseTo(1, 1);
    expect((tps * (db['txMeanMs'] as number)) / 1000).toBeCloseTo(4, 0);
    expect(db['commitP50Ms'] as number).toBeGreaterThan(0);
    expect(db['commitP99Ms'] as number).toBeGreaterThanOrEqual(db['commitP50Ms'] as number);
  });

  it('CPU time is conserved with the back end in the hypervisor or in dom0', () => {
    for (const place of ['hypervisor', 'dom0'] as const) {
      const m = runScenario(disk('dk32ej', { kind: 'ir' }, place), 's').measures;
      expect(m.cpuHeadroom + m.hostUtilisation + m.switchingFraction + m.hypervisorFraction).toBeCloseTo(1, 9);
      if (place === 'hypervisor') expect(m.hypervisorFraction).toBeGreaterThan(0);
      else expect(m.hypervisorFraction).toBe(0);
    }
  });

  it('is a function of the seed', () => {
    const s = disk('dk32ej', { kind: 'oltp' });
    expect(runScenario(s, 'a')).toEqual(runScenario(s, 'a'));
    expect(runScenario(s, 'a')).not.toEqual(runScenario(s, 'b'));
  });
});

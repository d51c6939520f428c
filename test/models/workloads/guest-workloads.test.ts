// Guest-OS workloads (src/models/workloads: op-mix, kernel-build, spec-int, fork-bomb, on-profile):
// a workload's time on an idle host is the hand-computed sum of its operation costs; the kernel build's
// native OS share is what its mix implies (7% by construction, priced from Table 3 directly); CPU time
// is conserved with guest processes in several domains; the fork bomb grows to its limit and stays
// there while the hypervisor keeps another domain's share; bad parameters get one clear error.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { TABLE3 } from '../../../src/models/calibration.js';
import { GuestOS, type GuestProgram } from '../../../src/models/guest/guest-os.js';
import { GuestProfile } from '../../../src/models/guest/profile.js';
import { VIRT_PROFILES, type GuestOp } from '../../../src/models/guest/operations.js';
import { Host } from '../../../src/models/host/host.js';
import { Simulation } from '../../../src/sim/index.js';
import {
  ForkBomb,
  KERNEL_BUILD_MIX,
  OpMixOptionsSchema,
  OpMixWorkload,
  SPEC_INT_BENCHMARKS,
  checkOpMixOptions,
  hostForProfile,
  kernelBuildDerivation,
  kernelBuildMix,
  runMixOnProfile,
  specIntBenchmarkMix,
  specRatio,
  type OpMixOptions,
} from '../../../src/models/index.js';

/** A Table 3 cell of the L-UP row, ns, read from the table by column name (not through the profiles). */
function lup(column: string): number {
  for (const part of [TABLE3.processes, TABLE3.fileVm] as const) {
    const i = (part.columns as readonly string[]).indexOf(column);
    if (i >= 0) return (part.rows['L-UP'][i] as number) * 1000;
  }
  throw new Error(`no L-UP cell ${column}`);
}

const MIX: OpMixOptions = {
  name: 'mix',
  opsAtStart: { exec: 1 },
  opsPerUnit: { nullCall: 2, fork: 0.5, pageFault: 10, mmap: 0.25 },
  computeNsPerUnit: 1000.5,
  units: 4,
};

describe('operation-mix workload', () => {
  it('on the idle bare-metal host takes exactly the hand-computed sum of Table 3 cells and computation', () => {
    const { sim, os } = hostForProfile('native');
    const w = new OpMixWorkload(MIX);
    sim.run(w.spawn(os).exited);
    // exec once; per unit 2 null calls and 10 page faults; forks in units 1 and 3 (0.5 per unit);
    // one mmap in unit 3 (0.25 per unit); computation ⌊4 × 1000.5⌋ = 4002 ns in all
    const hand =
      lup('exec') + 4 * (2 * lup('null call') + 10 * lup('page fault')) + 2 * lup('fork') + lup('mmap') + 4002;
    expect(w.elapsedNs).toBe(hand);
    expect(w.unitsDone).toBe(4);
    expect(os.processes[0]?.ops).toBe(1 + 4 * 12 + 2 + 1);
  });

  it('on an idle Xen host, every profile takes the sum of its own prices (plus the one dispatch)', () => {
    for (const profile of VIRT_PROFILES) {
      const { sim, os } = hostForProfile(profile, { timerTickNs: 0 });
      const price = new GuestProfile(profile);
      const pt = price.newPageTable();
      // the guest issues ops in the vocabulary's order: nullCall, fork, mmap, pageFault
      const order = ['exec', 'nullCall', 'fork', 'mmap', 'pageFault'];
      let hand = 4002;
      let cur: [GuestOp, number][] = [];
      const flushUnit = (): void => {
        cur.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
        for (const [op, n] of cur) {
          let ns = 0;
          for (let k = 0; k < n; k++) ns += price.opNs(op, pt);
          hand += Math.round(ns);
        }
        cur = [];
      };
      cur.push(['exec', 1]);
      flushUnit();
      for (let i = 0; i < 4; i++) {
        cur.push(['nullCall', 2], ['pageFault', 10]);
        if (i % 2 === 1) cur.push(['fork', 1]);
        if (i === 3) cur.push(['mmap', 1]);
        flushUnit();
      }
      const w = new OpMixWorkload(MIX);
      sim.run(w.spawn(os).exited);
      expect(w.elapsedNs, profile).toBe(hand + os.vcpu.times().switchingNs);
      if (profile === 'native') expect(os.vcpu.times().switchingNs).toBe(0);
    }
  });

  it('an unbounded mix runs until the horizon, unit after unit', () => {
    const { sim, os } = hostForProfile('native');
    const w = new OpMixWorkload({ opsPerUnit: { nullCall: 1 }, computeNsPerUnit: 550 });
    w.spawn(os);
    sim.run(1_000_001); // the 1000th unit ends at 1 ms exactly
    expect(w.unitsDone).toBe(1000); // 450 + 550 ns per unit
  });
});

describe('kernel build', () => {
  it('its native OS share is what its mix implies: 7% by construction', () => {
    // the mix priced by the L-UP row of Table 3, read here by column name
    const columns: Record<string, string> = {
      sh: 'sh',
      exec: 'exec',
      pageFault: 'page fault',
      mmap: 'mmap',
      openClose: 'open/close',
      stat: 'stat',
      nullIo: 'null I/O',
      create10k: '10K create',
      sigInstall: 'sig inst',
    };
    let os = 0;
    for (const [op, v] of Object.entries(KERNEL_BUILD_MIX)) os += v.count * lup(columns[op] as string);
    const d = kernelBuildDerivation();
    expect(d.osNsPerUnit).toBeCloseTo(os, 6);
    const implied = os / (os + d.computeNsPerUnit);
    expect(implied).toBeCloseTo(0.07, 12);

    const units = 40;
    const r = runMixOnProfile('native', kernelBuildMix({ units }));
    expect(r.opNs).toBe(units * os); // every op priced at its Table 3 cell, exactly
    expect(r.elapsedNs).toBe(units * os + Math.floor(units * d.computeNsPerUnit));
    expect(Math.abs(r.opNs / r.elapsedNs - implied)).toBeLessThan(1e-9);
    expect(r.accounting.idleNs).toBe(0);
  });

  it('another share gives another computation, and the virtualized profiles run the same operations', () => {
    const d = kernelBuildDerivation(0.2);
    expect(d.osNsPerUnit / (d.osNsPerUnit + d.computeNsPerUnit)).toBeCloseTo(0.2, 12);
    const n = runMixOnProfile('native', kernelBuildMix({ units: 5 }));
    const x = runMixOnProfile('xen', kernelBuildMix({ units: 5 }), { timerTickNs: 0 });
    // same computation on both: the difference is the operations' prices (and the guest's one dispatch)
    expect(x.processCpuNs - x.opNs).toBe(n.processCpuNs - n.opNs);
    expect(x.opNs).toBeGreaterThan(n.opNs);
  });
});

describe('SPEC CINT2000-like', () => {
  it('a benchmark issues its working set as page faults, its calls, and its computation', () => {
    const b = SPEC_INT_BENCHMARKS.find((x) => x.name === '186.crafty');
    if (b === undefined) throw new Error('no crafty');
    const mix = specIntBenchmarkMix(b, { fraction: 0.01, speedup: 8 });
    const r = runMixOnProfile('native', mix);
    const pages = Math.floor(((2 * 1024 * 1024) / 4096) * 0.01); // 5 pages in all (⌊512 × 0.01⌋)
    const calls = Math.floor(2 * 0.01); // brk per MB
    const io = Math.floor(10 * (1000 / 8) * 0.01); // 10 per second of 125 s, × 0.01
    const compute = Math.floor((1000 / 8) * 1e9 * 0.01);
    const hand = lup('exec') + pages * lup('page fault') + calls * lup('null call') + io * lup('null I/O') + compute;
    expect(Math.abs(r.elapsedNs - hand)).toBeLessThanOrEqual(1);
    // SPEC's ratio: 100 × reference time / run time (scaled back from the fraction)
    expect(specRatio(b, r.elapsedNs, 0.01)).toBeCloseTo((100 * 1000) / (r.elapsedNs / 1e9 / 0.01), 9);
    expect(specRatio(b, r.elapsedNs, 0.01)).toBeGreaterThan(799);
    expect(specRatio(b, r.elapsedNs, 0.01)).toBeLessThan(800);
  });
});

describe('CPU-time conservation with guest processes', () => {
  it('guest + hypervisor + switching + idle = elapsed × CPUs, and each guest accounts for its vCPU', () => {
    const sim = new Simulation();
    const host = new Host(sim, { cpus: 2 });
    const a = host.control.createDomain({ name: 'build', workingSetBytes: 6 << 20 });
    const b = host.control.createDomain({ name: 'bomb', workingSetBytes: 1 << 20 });
    const c = host.control.createDomain({ name: 'spec', workingSetBytes: 50 << 20 });
    const osA = new GuestOS(a, { profile: 'xen', ptBatch: 16 });
    const osB = new GuestOS(b, { profile: 'full-virt' });
    const osC = new GuestOS(c, { profile: 'hosted' });
    new OpMixWorkload({ ...kernelBuildMix({ units: 100 }), name: 'cc-1' }).spawn(osA);
    new OpMixWorkload({ ...kernelBuildMix({ units: 100 }), name: 'cc-2' }).spawn(osA);
    new ForkBomb({ maxProcesses: 20, computeNsPerIteration: 50_000 }).start(osB);
    const vpr = SPEC_INT_BENCHMARKS[1];
    if (vpr === undefined) throw new Error('no vpr');
    new OpMixWorkload(specIntBenchmarkMix(vpr, { fraction: 0.001 })).spawn(osC);
    osC.spawn(
      'sleeper',
      (function* (): GuestProgram {
        for (;;) {
          yield { sleepNs: 3_000_000 };
          yield { computeNs: 100_000 };
        }
      })(),
    );
    sim.run(400_000_000);
    const acc = host.checkConservation();
    expect(acc.busyNs + acc.hypervisorNs + acc.switchingNs + acc.idleNs).toBe(acc.elapsedNs * 2);
    for (const os of [osA, osB, osC]) {
      const st = os.stats();
      // a chunk in progress at the horizon has run but is not yet credited to its process
      const ran = os.vcpu.times().runningNs;
      const credited = st.processCpuNs + st.switchNs + st.timerDeliveryNs;
      expect(credited).toBeLessThanOrEqual(ran);
      expect(ran - credited).toBeLessThanOrEqual(os.quantumNs);
      expect(st.processCpuNs).toBeGreaterThan(0);
    }
    expect(osA.stats().switches).toBeGreaterThan(0); // two compilers share the guest
  });
});

describe('fork bomb', () => {
  it('grows to its process limit within the first quantum, never beyond, and keeps the vCPU busy', () => {
    const { sim, host, os } = hostForProfile('native');
    const bomb = new ForkBomb({ maxProcesses: 100 });
    bomb.start(os);
    // the first process keeps the CPU for its 60 ms quantum and forks every 10 µs + 110 µs (L-UP fork):
    // its 99th fork ends at 99 × 120 µs = 11.88 ms, and the 100th process starts then
    sim.run(11_880_000);
    expect(os.processes.length).toBe(99);
    sim.run(11_880_001);
    expect(os.processes.length).toBe(100);
    expect(os.stats().switches).toBe(0);
    sim.run(200_000_000);
    expect(bomb.processes).toBe(100);
    expect(os.processes.length).toBe(100); // one per successful fork plus the first
    expect(bomb.forks).toBe(99);
    expect(bomb.failedForks).toBeGreaterThan(0);
    expect(os.stats().switches).toBe(3); // a quantum ends at 60, 120 and 180 ms
    const acc = host.checkConservation();
    expect(acc.idleNs).toBe(0); // never blocks
  });

  it('on a Xen host, the hypervisor keeps the other domain at its share (isolation)', () => {
    const sim = new Simulation();
    const host = new Host(sim, { cpus: 1 });
    const victim = host.control.createDomain({ name: 'victim' });
    const attacker = host.control.createDomain({ name: 'attacker' });
    const osV = new GuestOS(victim, { profile: 'xen' });
    const osA = new GuestOS(attacker, { profile: 'xen' });
    const work = new OpMixWorkload({ opsPerUnit: {}, computeNsPerUnit: 1_000_000 });
    work.spawn(osV);
    new ForkBomb({ maxProcesses: 200 }).start(osA);
    sim.run(2_000_000_000);
    // equal BVT weights: the victim gets half of the CPU (less what switching and the timer event take)
    const share = work.unitsDone / 2000;
    expect(share).toBeGreaterThan(0.49);
    expect(share).toBeLessThanOrEqual(0.5);
    host.checkConservation();
  });
});

describe('bad workload parameters get one clear error naming the field, the value and what is allowed', () => {
  it('operation mix', () => {
    const ok = { opsPerUnit: { nullCall: 1 }, computeNsPerUnit: 0 };
    expect(() => checkOpMixOptions('w', { ...ok, opsPerUnit: { reboot: 1 } })).toThrow(
      /^w: opsPerUnit key must be one of nullCall, .*, got "reboot"$/,
    );
    expect(() => checkOpMixOptions('w', { ...ok, opsPerUnit: { fork: -1 } })).toThrow(
      /^w: opsPerUnit\.fork must be a number in \[0, 10000000\], got -1$/,
    );
    expect(() => checkOpMixOptions('w', { ...ok, computeNsPerUnit: NaN })).toThrow(
      /^w: computeNsPerUnit must be a number in \[0, 3600000000000\], got NaN$/,
    );
    expect(() => checkOpMixOptions('w', { ...ok, units: 0 })).toThrow(/^w: units must be an integer in \[1, .*got 0$/);
    expect(() => checkOpMixOptions('w', { ...ok, units: 2.5 })).toThrow(/w: units .*got 2\.5/);
    expect(() => checkOpMixOptions('w', { ...ok, opsAtStart: { exec: 0.5 } })).toThrow(
      /^w: opsAtStart\.exec must be an integer in \[0, 10000000\], got 0\.5$/,
    );
    expect(() => checkOpMixOptions('w', { ...ok, speed: 3 })).toThrow(/^w: option must be one of name, .*got "speed"$/);
    expect(() => checkOpMixOptions('w', { opsPerUnit: {}, computeNsPerUnit: 0 })).toThrow(
      /^w: opsPerUnit and computeNsPerUnit must be some work per unit/,
    );
    expect(() => checkOpMixOptions('w', null)).toThrow(/^w: options must be an object, got null$/);
    expect(() => new OpMixWorkload({ ...ok, workingSetBytes: -1 })).toThrow(/^OpMixWorkload: workingSetBytes/);
  });

  it('named workloads', () => {
    expect(() => kernelBuildMix({ units: 0 })).toThrow(
      /^kernelBuild: units must be an integer >= 1 and <= 1000000, got 0$/,
    );
    expect(() => kernelBuildMix({ osShare: 1 })).toThrow(/^kernelBuild: osShare must be a number in .*got 1$/);
    const b = SPEC_INT_BENCHMARKS[0];
    if (b === undefined) throw new Error('no gzip');
    expect(() => specIntBenchmarkMix(b, { fraction: 0 })).toThrow(
      /^specInt: fraction must be a number in \(0, 1\], got 0$/,
    );
    expect(() => specIntBenchmarkMix(b, { speedup: -2 })).toThrow(/^specInt: speedup must be .*got -2$/);
    expect(() => new ForkBomb({ maxProcesses: 0 })).toThrow(
      /^ForkBomb: maxProcesses must be an integer >= 1 and <= 100000, got 0$/,
    );
    expect(() => new ForkBomb({ computeNsPerIteration: 0 })).toThrow(/^ForkBomb: computeNsPerIteration .*got 0$/);
    expect(() => hostForProfile('vmware' as 'xen')).toThrow(/^hostForProfile: profile must be one of .*got "vmware"$/);
    expect(() => runMixOnProfile('native', { opsPerUnit: { nullCall: 1 }, computeNsPerUnit: 0 })).toThrow(
      /runMixOnProfile: units must be a positive integer/,
    );
  });
});

describe('the TypeBox schema a scenario embeds agrees with the checker', () => {
  it('accepts and rejects the same option objects', () => {
    const validate = new Ajv({ strict: false }).compile(OpMixOptionsSchema);
    const ok = { opsPerUnit: { nullCall: 1 }, computeNsPerUnit: 0 };
    const cases: [unknown, boolean][] = [
      [ok, true],
      [{ ...ok, name: 'web', units: 5, workingSetBytes: 4096, opsAtStart: { exec: 1 } }, true],
      [{ opsPerUnit: { fork: 0.25, pageFault: 12.5 }, computeNsPerUnit: 1e6 }, true],
      [kernelBuildMix({ units: 3 }), true],
      [{ ...ok, opsPerUnit: { reboot: 1 } }, false],
      [{ ...ok, opsPerUnit: { fork: -1 } }, false],
      [{ ...ok, computeNsPerUnit: -1 }, false],
      [{ ...ok, units: 0 }, false],
      [{ ...ok, units: 1.5 }, false],
      [{ ...ok, opsAtStart: { exec: 0.5 } }, false],
      [{ ...ok, workingSetBytes: -1 }, false],
      [{ ...ok, name: '' }, false],
      [{ ...ok, speed: 3 }, false],
      [{ computeNsPerUnit: 5 }, false],
    ];
    for (const [value, accepted] of cases) {
      const label = JSON.stringify(value);
      expect(validate(value), label).toBe(accepted);
      if (accepted) expect(() => checkOpMixOptions('w', value), label).not.toThrow();
      else expect(() => checkOpMixOptions('w', value), label).toThrow(RangeError);
    }
  });
});

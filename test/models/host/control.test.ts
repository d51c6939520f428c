// The control plane: operations at chosen simulated times (create at t = 10 s, destroy, set
// parameters), their dom0 CPU costs, records (memory target, devices), and bad-parameter errors.
import { describe, expect, it } from 'vitest';
import { ms, s, us } from '../../../src/sim/index.js';
import { BvtScheduler } from '../../../src/models/cpu/bvt.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { CONTROL_COST_DEFAULTS, type ControlOp } from '../../../src/models/host/control.js';
import type { Domain } from '../../../src/models/host/domain.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { cpuBoundWorkload } from '../../../src/models/workloads/cpu-burst.js';
import { makeHost, runAndCheck } from './helpers.js';

describe('control operations at simulated times', () => {
  it('creates a domain at t = 10 s and destroys it at t = 20 s; it runs exactly in between', () => {
    const { sim, host } = makeHost({ scheduler: new BvtScheduler() });
    const base = host.control.createDomain({ name: 'base' });
    cpuBoundWorkload(base);
    let late: Domain | null = null;
    let firstRun = -1;
    host.onDispatch.add((_c, v, _sl, now) => {
      if (late !== null && v?.domain === late && firstRun < 0) firstRun = now;
    });
    sim.scheduleAt(s(10), () => {
      late = host.control.createDomain({ name: 'antagonist', workingSetBytes: 256 * 1024 });
      cpuBoundWorkload(late);
    });
    let lateAt20 = 0;
    sim.scheduleAt(s(20), () => {
      const d = late as Domain;
      expect(host.domains.map((x) => x.name)).toEqual(['Domain-0', 'base', 'antagonist']);
      host.control.destroyDomain(d.id);
      lateAt20 = d.busyNs;
      expect(d.alive).toBe(false);
      expect((d.vcpus[0] as Vcpu).state).toBe('blocked');
    });
    runAndCheck(sim, host, s(30));
    const d = late as unknown as Domain;
    expect(d.createdAtNs).toBe(s(10));
    expect(d.destroyedAtNs).toBe(s(20));
    expect(firstRun).toBeGreaterThanOrEqual(s(10));
    expect(firstRun).toBeLessThan(s(10) + ms(10));
    expect(d.busyNs).toBe(lateAt20); // nothing after destruction
    // equal weights: about half the CPU for 10 s
    expect(d.busyNs / s(10)).toBeGreaterThan(0.48);
    expect(d.busyNs / s(10)).toBeLessThan(0.52);
    expect(host.domains.map((x) => x.name)).toEqual(['Domain-0', 'base']);
    expect(host.allDomains.map((x) => x.name)).toEqual(['Domain-0', 'base', 'antagonist']);
    expect(() => host.domain(d.id)).toThrow(RangeError);
    // base gets the whole CPU (minus dom0 and switches) before 10 s and after 20 s
    expect(base.busyNs / s(30)).toBeGreaterThan(0.81);
  });

  it('destroying a domain whose vCPU is running (or being switched to) frees the PCPU at once', () => {
    const { sim, host } = makeHost({ cpus: 2, contextSwitch: ContextSwitchModel.free() });
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b', vcpus: 2, workingSetBytes: 512 * 1024 });
    cpuBoundWorkload(a);
    cpuBoundWorkload(b, { vcpuIndex: 0 });
    cpuBoundWorkload(b, { vcpuIndex: 1 });
    sim.scheduleAt(ms(1234), () => host.control.destroyDomain(b.id));
    const acc = runAndCheck(sim, host, s(3));
    expect(b.vcpus.every((v) => v.state === 'blocked')).toBe(true);
    // after the destruction a keeps one CPU busy, the other idles
    expect(acc.idleNs).toBeGreaterThan(s(1.7));
  });

  it('setSchedParams takes effect at the time it is called', () => {
    const { sim, host } = makeHost({ scheduler: new BvtScheduler() });
    const a = host.control.createDomain({ name: 'a' });
    const b = host.control.createDomain({ name: 'b' });
    cpuBoundWorkload(a);
    cpuBoundWorkload(b);
    let snap = [0, 0];
    sim.scheduleAt(s(5), () => {
      snap = [a.busyNs, b.busyNs];
      host.control.setSchedParams(a.id, { mcuAdvance: 5 });
      expect(a.schedParams).toEqual({ mcuAdvance: 5 });
      host.control.setSchedParams(a.id, { warp: 100 });
      expect(a.schedParams).toEqual({ mcuAdvance: 5, warp: 100 }); // merged
    });
    runAndCheck(sim, host, s(10));
    expect((snap[0] as number) / (snap[1] as number)).toBeCloseTo(1, 1);
    expect((a.busyNs - (snap[0] as number)) / (b.busyNs - (snap[1] as number))).toBeCloseTo(2, 1);
  });

  it('charges dom0 the documented CPU cost of each operation and reports it', () => {
    const { sim, host } = makeHost({ timerTickNs: 0 });
    const ops: [ControlOp, number, number][] = [];
    host.control.onOperation.add((op, id, now) => ops.push([op, id, now]));
    sim.scheduleAt(ms(1), () => {
      const d = host.control.createDomain({ name: 'g', memoryTargetPages: 16384 });
      host.control.setSchedParams(d.id, { mcuAdvance: 20 });
      host.control.setMemoryTarget(d.id, 8192);
      const vif = host.control.attachDevice(d.id, 'vif', { mac: '00:16:3e:00:00:01' });
      host.control.attachDevice(d.id, 'vbd', { extents: [{ disk: 0, startSector: 0, lengthSectors: 1000 }] });
      const vif1 = host.control.attachDevice(d.id, 'vif');
      expect(vif.index).toBe(0);
      expect(vif1.index).toBe(1);
      expect(d.memoryTargetPages).toBe(8192);
      expect(d.devices.map((x) => `${x.kind}${x.index}`)).toEqual(['vif0', 'vbd0', 'vif1']);
      host.control.destroyDomain(d.id);
    });
    runAndCheck(sim, host, ms(10));
    const c = CONTROL_COST_DEFAULTS;
    expect(host.dom0.busyNs).toBe(
      c.createDomainCostNs +
        c.setSchedParamsCostNs +
        c.setMemoryTargetCostNs +
        3 * c.attachDeviceCostNs +
        c.destroyDomainCostNs,
    );
    expect(host.dom0.busyNs).toBe(us(768) + 500 + 500 + 3 * 1880 + us(198));
    expect(ops.map((o) => o[0])).toEqual([
      'createDomain',
      'setSchedParams',
      'setMemoryTarget',
      'attachDevice',
      'attachDevice',
      'attachDevice',
      'destroyDomain',
    ]);
    expect(ops.every((o) => o[1] === 1 && o[2] === ms(1))).toBe(true);
  });
});

describe('bad control parameters', () => {
  it('throw RangeError naming the field, the value and the allowed range, and change nothing', () => {
    const { host } = makeHost();
    const d = host.control.createDomain({ name: 'g' });
    const before = host.domains.length;
    const cases: [() => unknown, RegExp][] = [
      [
        () => host.control.createDomain({ name: '' }),
        /control\.createDomain: name must be a non-empty string of at most 64 characters, got ""/,
      ],
      [
        () => host.control.createDomain({ name: 'x', vcpus: 0 }),
        /control\.createDomain: vcpus must be an integer >= 1 and <= 32, got 0/,
      ],
      [
        () => host.control.createDomain({ name: 'x', workingSetBytes: -1 }),
        /workingSetBytes must be an integer >= 0, got -1/,
      ],
      [
        () => host.control.createDomain({ name: 'x', memoryTargetPages: 1e9 }),
        /memoryTargetPages must be an integer >= 0 and <= 524288, got 1000000000/,
      ],
      [
        () => host.control.createDomain({ name: 'x', mcuAdvance: 2.5 }),
        /mcuAdvance must be an integer >= 1 and <= 4294967295, got 2\.5/,
      ],
      [
        () => host.control.createDomain({ name: 'x', weight: 70000 }),
        /weight must be an integer >= 1 and <= 65535, got 70000/,
      ],
      [
        () => host.control.createDomain({ name: 'x', bogus: 1 } as never),
        /control\.createDomain: unknown option "bogus"; allowed: name, vcpus/,
      ],
      [
        () => host.control.destroyDomain(0),
        /control\.destroyDomain: id must be the id of a live guest domain \(domain 0 cannot be destroyed\), got 0/,
      ],
      [
        () => host.control.destroyDomain(42),
        /control\.destroyDomain: id must be the id of a live domain \(0, 1\), got 42/,
      ],
      [
        () => host.control.setSchedParams(d.id, { mcuAdvance: 0 }),
        /control\.setSchedParams: mcuAdvance must be an integer >= 1 and <= 4294967295, got 0/,
      ],
      [
        () => host.control.setSchedParams(d.id, { warpLimitNs: -1 }),
        /control\.setSchedParams: warpLimitNs must be an integer >= 0, got -1/,
      ],
      [
        () => host.control.setSchedParams(d.id, { capPercent: 150 }),
        /control\.setSchedParams: capPercent must be an integer >= 0 and <= 100, got 150/,
      ],
      [
        () => host.control.setSchedParams(d.id, { slice: 3 } as never),
        /control\.setSchedParams: unknown scheduling parameter "slice"/,
      ],
      [
        () => host.control.setMemoryTarget(d.id, -5),
        /control\.setMemoryTarget: pages must be an integer >= 0 and <= 524288, got -5/,
      ],
      [
        () => host.control.setMemoryTarget(7, 5),
        /control\.setMemoryTarget: id must be the id of a live domain \(0, 1\), got 7/,
      ],
      [
        () => host.control.attachDevice(d.id, 'nic' as 'vif'),
        /control\.attachDevice: kind must be one of "vif", "vbd", got "nic"/,
      ],
    ];
    for (const [fn, re] of cases) {
      expect(fn).toThrow(RangeError);
      expect(fn).toThrow(re);
    }
    for (let i = 0; i < 8; i++) host.control.attachDevice(d.id, 'vif');
    expect(() => host.control.attachDevice(d.id, 'vif')).toThrow(
      /control\.attachDevice: vif count must be at most 8 per domain, got 9/,
    );
    expect(host.domains.length).toBe(before);
    expect(d.schedParams).toEqual({});
    expect(d.memoryTargetPages).toBeNull();
  });
});

// Guest time: virtual time advances only while a domain runs, real-time and virtual-time alarms fire
// at hand-computed times (with and without context-switch costs), replacing an alarm cancels the old
// one, wall clock = real time + offset.
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL_DEFAULTS, EventChannels } from '../../../src/models/events/event-channels.js';
import { AlarmKind, GuestTime } from '../../../src/models/time/guest-time.js';
import { testHost } from '../events/helpers.js';
import { SWITCH_PROFILE_FITS } from '../../../src/models/calibration.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';

const U = EVENT_CHANNEL_DEFAULTS.upcallNs;
const MS = 1_000_000;
// ContextSwitchModel default (Xen profile), working set 0: the first switch to a domain refills its
// overhead bytes cold (C1); a switch back after the other domain ran refills what that one and the two
// switches evicted (C2)
const XEN = SWITCH_PROFILE_FITS.Xen;
const C1 = new ContextSwitchModel().coldCostNs(0);
const C2 = new ContextSwitchModel().costNs(0, XEN.entityOverheadBytes + 2 * XEN.switchPollutionBytes, false);

function setup(opts: { cpus?: number; switchCosts?: boolean } = {}) {
  const t = testHost(opts);
  const ch = new EventChannels(t.host);
  const gt = new GuestTime(t.host, ch);
  return { ...t, ch, gt };
}

describe('guest clocks', () => {
  it('virtual time advances only while running: two domains sharing a CPU (round robin, 10 ms quantum)', () => {
    for (const switchCosts of [false, true]) {
      const { sim, host, a, b, gt } = setup({ cpus: 1, switchCosts });
      a.compute(30 * MS);
      b.compute(30 * MS);
      const seen: number[][] = [];
      for (const at of [5, 10, 15, 25, 40]) {
        sim.scheduleAt(at * MS, () => {
          const acc = host.accounting();
          seen.push([gt.virtualTimeNs(a), gt.virtualTimeNs(b)]);
          expect(gt.virtualTimeNs(a) + gt.virtualTimeNs(b)).toBe(acc.busyNs); // = busy time, exactly
          expect(gt.realTimeNs()).toBe(at * MS);
        });
      }
      sim.run(41 * MS);
      const c1 = switchCosts ? C1 : 0;
      const c2 = switchCosts ? C2 : 0;
      // round robin, FIFO wake-to-tail (the default): a (woken first) runs first. a runs [c1, 10 ms),
      // b [10 ms + c1, 20 ms), a [20 ms + c2, 30 ms), b [30 ms + c2, 40 ms) …
      expect(seen).toEqual([
        [5 * MS - c1, 0],
        [10 * MS - c1, 0],
        [10 * MS - c1, 5 * MS - c1],
        [15 * MS - c1 - c2, 10 * MS - c1],
        [20 * MS - c1 - c2, 20 * MS - c1 - c2],
      ]);
    }
  });

  it('wall clock = real time since boot + the control plane offset', () => {
    const { sim, gt } = setup();
    sim.run(5000);
    expect(gt.wallClockNs()).toBe(5000);
    gt.setWallClock(1_000_000_000_000);
    expect(gt.wallClockOffsetNs).toBe(1_000_000_000_000 - 5000);
    sim.run(8000);
    expect(gt.wallClockNs()).toBe(1_000_000_003_000);
    gt.setWallClockOffset(-100);
    expect(gt.wallClockNs()).toBe(7900);
    expect(() => gt.setWallClockOffset(0.5)).toThrow(/offsetNs must be a safe integer/);
  });
});

describe('alarms', () => {
  it('real-time alarm fires at its time, as a timer virq; replacing cancels the old one', () => {
    const { sim, a, ch, gt } = setup();
    const fired: string[] = [];
    gt.onAlarm.add((d, kind, at, now) => fired.push(`${now} ${d.name} ${kind} ${at}`));
    const handled: number[] = [];
    ch.onEvent(a, gt.timerPort(a), () => handled.push(sim.now));
    gt.setRealTimeAlarm(a, 1 * MS);
    sim.scheduleAt(MS / 2, () => gt.setRealTimeAlarm(a, 2 * MS)); // replaces the 1 ms alarm
    sim.run();
    expect(fired).toEqual([`${2 * MS} a realTime ${2 * MS}`]);
    expect(handled).toEqual([2 * MS + U]); // the upcall costs the guest U after the virq
    expect(gt.alarm(a, AlarmKind.realTime)).toBeNull();
    // an alarm in the past fires at once; cancel removes a pending one
    const setAt = sim.now;
    gt.setRealTimeAlarm(a, 1);
    sim.run();
    expect(fired.at(-1)).toBe(`${setAt} a realTime 1`);
    gt.setRealTimeAlarm(a, 10 * MS);
    gt.cancelRealTimeAlarm(a);
    const before = fired.length;
    sim.run();
    expect(fired.length).toBe(before);
  });

  it('virtual-time alarm fires when the domain has received that much CPU (hand-computed, with switch costs)', () => {
    for (const switchCosts of [false, true]) {
      const { sim, a, b, gt } = setup({ cpus: 1, switchCosts });
      a.compute(30 * MS);
      b.compute(30 * MS);
      const fired: number[] = [];
      gt.onAlarm.add((d, kind, _at, now) => {
        expect(kind).toBe(AlarmKind.virtualTime);
        expect(d).toBe(a);
        expect(gt.virtualTimeNs(a)).toBe(15 * MS);
        fired.push(now);
      });
      gt.setVirtualTimeAlarm(a, 15 * MS);
      sim.run(100 * MS);
      // a runs first (FIFO wake-to-tail); a progresses [c1, 10 ms) = 10 ms − c1 of CPU, b runs
      // [10 ms + c1, 20 ms), then from 20 ms + c2 a needs 5 ms + c1 more: 15 ms of CPU at 25 ms + c1 + c2
      const c1 = switchCosts ? C1 : 0;
      const c2 = switchCosts ? C2 : 0;
      expect(fired).toEqual([25 * MS + c1 + c2]);
    }
  });

  it('virtual-time alarm: a blocked domain does not advance; replacing cancels; it fires after the domain runs again', () => {
    const { sim, a, gt } = setup({ cpus: 1 });
    const fired: string[] = [];
    gt.onAlarm.add((_d, kind, at, now) => fired.push(`${now} ${kind} ${at}`));
    a.compute(2 * MS); // runs [0, 2 ms), then blocks
    gt.setVirtualTimeAlarm(a, 3 * MS);
    sim.scheduleAt(1 * MS, () => gt.setVirtualTimeAlarm(a, 5 * MS)); // replaces 3 ms
    sim.scheduleAt(10 * MS, () => a.compute(10 * MS)); // runs again from 10 ms: 5 ms of CPU at 13 ms
    sim.run(50 * MS);
    expect(fired).toEqual([`${13 * MS} virtualTime ${5 * MS}`]);
    // cancel
    gt.setVirtualTimeAlarm(a, 15 * MS);
    gt.cancelVirtualTimeAlarm(a);
    sim.run(100 * MS);
    expect(fired.length).toBe(1);
    expect(gt.alarm(a, AlarmKind.virtualTime)).toBeNull();
  });

  it('virtual-time alarm: hypervisor work that interrupts the domain delays it by exactly the handler time', () => {
    const { sim, host, a, gt } = setup({ cpus: 1 });
    const fired: number[] = [];
    gt.onAlarm.add((_d, _kind, _at, now) => fired.push(now));
    a.compute(10 * MS);
    gt.setVirtualTimeAlarm(a, 5 * MS);
    // two handlers interrupt a (no domain switch): 300 µs at 1 ms and 200 µs at 4.9 ms
    sim.scheduleAt(1 * MS, () => host.hypervisorWork(300_000));
    sim.scheduleAt(4.9 * MS, () => host.hypervisorWork(200_000));
    sim.run(20 * MS);
    expect(fired).toEqual([5 * MS + 500_000]);
    expect(gt.virtualTimeNs(a)).toBe(10 * MS + U); // its work and the alarm's upcall
    expect(host.cpuTimes(0).hypervisorNs).toBe(500_000);
    host.checkConservation();
  });

  it('each domain has its own alarms; a virtual alarm already reached fires at once', () => {
    const { sim, a, b, gt } = setup({ cpus: 2 });
    const fired: string[] = [];
    gt.onAlarm.add((d, kind, _at, now) => fired.push(`${now} ${d.name} ${kind}`));
    a.compute(1 * MS);
    sim.run(2 * MS);
    gt.setVirtualTimeAlarm(a, 500_000);
    gt.setRealTimeAlarm(b, 3 * MS);
    sim.run(4 * MS);
    expect(fired).toEqual([`${2 * MS} a virtualTime`, `${3 * MS} b realTime`]);
    expect(() => gt.setVirtualTimeAlarm(a, -1)).toThrow(/atVirtualNs must be a non-negative integer/);
  });
});

describe('virtual-time alarm bookkeeping', () => {
  it('a descheduled domain with a pending virtual alarm costs no events', () => {
    const count = (withAlarm: boolean): number => {
      const { sim, a, gt } = setup({ cpus: 1 });
      a.compute(1 * MS);
      if (withAlarm) gt.setVirtualTimeAlarm(a, 10 * MS); // never reached: a blocks after 1 ms
      sim.run(1000 * MS);
      return sim.eventsProcessed;
    };
    expect(count(true) - count(false)).toBeLessThanOrEqual(2);
  });
});

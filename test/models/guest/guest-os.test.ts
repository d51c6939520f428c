// The guest OS: a process's time on an idle host is the hand-computed sum of its operation costs; the
// quantum round-robin and the switch costs follow the footprint model; sleeps are woken by a timer
// delivery; CPU time is conserved (process CPU + switches + timer deliveries = the vCPU's running time);
// the lmbench-like programs give back every Table 3 cell of the processes and file/VM parts, and the
// lat_ctx replay of the cache model for the context-switch part; bad parameters get one clear error.
import { describe, expect, it } from 'vitest';
import { TABLE3 } from '../../../src/models/calibration.js';
import { replayLatCtx, LAT_CTX_CELLS } from '../../../src/models/cache/lat-ctx.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { GuestOS, type GuestProgram, type GuestStep } from '../../../src/models/guest/guest-os.js';
import { guestOnIdleHost, latCtxOnGuest, latOpNs } from '../../../src/models/guest/lmbench.js';
import { GuestProfile } from '../../../src/models/guest/profile.js';
import { publishedNs } from '../../../src/models/guest/profile-fit.js';
import { PROFILE_TABLE3_CONFIG, TABLE3_OP_NAMES, VIRT_PROFILES } from '../../../src/models/guest/operations.js';
import { Simulation } from '../../../src/sim/index.js';
import { Host } from '../../../src/models/host/host.js';
import { EventChannels } from '../../../src/models/events/event-channels.js';

describe('guest OS', () => {
  it('a process on an idle host takes exactly the sum of its operation costs and computation', () => {
    for (const profile of VIRT_PROFILES) {
      const { sim, os } = guestOnIdleHost(profile);
      const price = new GuestProfile(profile);
      const pt = price.newPageTable();
      const steps: GuestStep[] = [
        { op: 'nullCall', count: 5 },
        { computeNs: 12_345 },
        { op: 'fork' },
        { op: 'mmap' },
        { op: 'pageFault', count: 3 },
        { op: 'netPacket' },
      ];
      let hand = 0;
      for (const s of steps) {
        if ('computeNs' in s) hand += s.computeNs;
        else if ('op' in s) {
          let ns = 0;
          for (let i = 0; i < (s.count ?? 1); i++) ns += price.opNs(s.op, pt);
          hand += Math.round(ns);
        }
      }
      let end = -1;
      const t0 = sim.now;
      const p = os.spawn(
        'p',
        (function* (): GuestProgram {
          for (const s of steps) yield s;
          end = sim.now;
        })(),
      );
      sim.run(p.exited);
      expect(end - t0, profile).toBe(hand + os.vcpu.times().switchingNs); // + the host's dispatch of the guest's vCPU
      if (profile === 'native') expect(os.vcpu.times().switchingNs).toBe(0);
      expect(p.cpuNs).toBe(hand);
      expect(os.stats().switches).toBe(0);
    }
  });

  it('two CPU-bound processes alternate every quantum; each switch costs what the footprint model says', () => {
    const { sim, host, os } = guestOnIdleHost('xen');
    const q = os.quantumNs;
    const work = 3 * q;
    const a = os.spawn(
      'a',
      (function* (): GuestProgram {
        yield { computeNs: work };
      })(),
      16 * 1024,
    );
    const b = os.spawn(
      'b',
      (function* (): GuestProgram {
        yield { computeNs: work };
      })(),
      16 * 1024,
    );
    sim.run(b.exited);
    // a runs q, b q, a q, b q, a q (a done), b q (b done): 5 switches
    const st = os.stats();
    expect(st.switches).toBe(5);
    // independent: the same switch sequence on a fresh model with the Xen lat_ctx fit
    const m = new ContextSwitchModel({ profile: 'Xen' });
    let hand = 0;
    m.switchCostNs(0, 0, 16 * 1024);
    for (const id of [1, 0, 1, 0, 1]) hand += Math.round(m.switchCostNs(0, id, 16 * 1024));
    expect(st.switchNs).toBe(hand);
    expect(a.exited.triggered && b.exited.triggered).toBe(true);
    const vt = os.vcpu.times().runningNs;
    expect(st.processCpuNs + st.switchNs + st.timerDeliveryNs).toBe(vt); // CPU-time conservation
    expect(st.processCpuNs).toBe(2 * work);
    host.checkConservation();
  });

  it('a sleep blocks the process; the timer delivery wakes it and costs the profile event delivery', () => {
    const { sim, host, os } = guestOnIdleHost('native'); // bare metal: no domain switch after the idle time
    let woke = -1;
    const p = os.spawn(
      's',
      (function* (): GuestProgram {
        yield { sleepNs: 1_000_000 };
        woke = sim.now;
        yield { computeNs: 500 };
      })(),
    );
    sim.run(p.exited);
    const ed = Math.round(os.profile.params.eventDeliveryNs);
    expect(woke).toBe(1_000_000 + ed);
    expect(os.stats().timerDeliveryNs).toBe(ed);
    const acc = host.checkConservation();
    expect(acc.busyNs).toBe(ed + 500);
  });

  it('a process blocked on an event-channel port runs after the upcall that delivers it', () => {
    const { sim, host, os } = guestOnIdleHost('xen');
    const ch = new EventChannels(host);
    host.attachEventChannels(ch);
    const port = ch.bindDevice(os.domain, () => {});
    let woke = -1;
    const p = os.spawn(
      'io',
      (function* (): GuestProgram {
        yield { waitPort: port };
        woke = sim.now;
        yield { computeNs: 1000 };
      })(),
    );
    let before = 0;
    sim.schedule(1_000_000, () => {
      before = os.vcpu.times().switchingNs; // the host's first dispatch of the guest vCPU
      ch.raise(os.domain, port);
    });
    sim.run(p.exited);
    const redispatch = os.vcpu.times().switchingNs - before; // the host dispatches the woken vCPU again
    expect(os.vcpu.switches).toBe(1); // it blocked before its vCPU ever ran: one dispatch, at the wake-up
    expect(woke).toBe(1_000_000 + redispatch + ch.params.upcallNs);
    const st = os.stats();
    expect(st.processCpuNs).toBe(1000);
    expect(os.vcpu.times().runningNs).toBe(st.processCpuNs + st.switchNs + st.timerDeliveryNs + ch.params.upcallNs);
    host.checkConservation();
  });

  it('CPU-time conservation with many processes, waits, wakes and page-table work', () => {
    const { sim, host, os } = guestOnIdleHost('xen', { ptBatch: 16 });
    const done = [];
    for (let i = 0; i < 6; i++) {
      done.push(
        os.spawn(
          `p${i}`,
          (function* (): GuestProgram {
            for (let k = 0; k < 4; k++) {
              yield { op: 'fork' };
              yield { computeNs: 7_000_000 + i * 1000 };
              yield { op: 'ptUpdate' };
              yield { sleepNs: 2_000_000 };
            }
          })(),
          8192 * (i + 1),
        ).exited,
      );
    }
    sim.run(sim.allOf(done));
    const st = os.stats();
    expect(st.processCpuNs + st.switchNs + st.timerDeliveryNs).toBe(os.vcpu.times().runningNs);
    expect(os.pageTable.pending).toBe(0); // the last switch or fork flushed the lone updates
    host.checkConservation();
  });

  it('on the bare-metal host the guest OS runs natively with the native profile', () => {
    const sim = new Simulation();
    const host = new Host(sim, { mode: 'bare-metal', cpus: 1 });
    const os = new GuestOS(host.kernel as NonNullable<typeof host.kernel>);
    expect(os.profile.profile).toBe('native');
    expect(os.contextSwitch.profile).toBe('L-UP');
    expect(() => new GuestOS(host.kernel as NonNullable<typeof host.kernel>, { profile: 'xen' })).toThrow(
      /GuestOS: profile must be "native" on a bare-metal host, got "xen"/,
    );
    const { host: xh } = guestOnIdleHost('xen');
    expect(() => new GuestOS(xh.domains.find((d) => d.name === 'guest') as never, { profile: 'native' })).toThrow(
      /GuestOS: profile must be one of/,
    );
  });

  it('bad parameters get one clear error', () => {
    const { sim, os } = guestOnIdleHost('xen');
    expect(() => new GuestOS(os.domain, { quantumNs: 0 })).toThrow(/GuestOS: quantumNs must be .*got 0/);
    expect(() => os.spawn('', (function* (): GuestProgram {})())).toThrow(/GuestOS.spawn: name/);
    expect(() =>
      os.spawn(
        'bad',
        (function* (): GuestProgram {
          yield { computeNs: -5 };
        })(),
      ),
    ).toThrow(/GuestOS process bad: computeNs must be .*got -5/);
    const os2 = guestOnIdleHost('xen').os;
    expect(() =>
      os2.spawn(
        'bad2',
        (function* (): GuestProgram {
          yield { op: 'reboot' as 'fork' };
        })(),
      ),
    ).toThrow(/GuestOS process bad2: op must be one of .*got reboot/);
    expect(sim.now).toBe(0);
  });
});

describe('lmbench-like programs on the guest OS', () => {
  it('every processes and file/VM cell of Table 3 comes back for every profile', () => {
    for (const profile of VIRT_PROFILES) {
      for (const op of TABLE3_OP_NAMES) {
        const published = publishedNs(PROFILE_TABLE3_CONFIG[profile], op);
        expect(Math.abs(latOpNs(profile, op, 5) / published - 1), `${profile} ${op}`).toBeLessThan(1e-3);
      }
    }
  });

  it('lat_ctx on the guest OS equals the lat_ctx replay of the cache model with the profile fit', () => {
    for (const profile of ['native', 'xen'] as const) {
      for (const c of LAT_CTX_CELLS.slice(0, 5)) {
        const ours = latCtxOnGuest(profile, c.processes, c.sizeKb * 1024).perSwitchNs;
        const m = new ContextSwitchModel({ profile: PROFILE_TABLE3_CONFIG[profile] });
        const replay = replayLatCtx(
          () => {
            m.cache.reset();
            return m.cache;
          },
          { processes: c.processes, sizeBytes: c.sizeKb * 1024 },
        ).perSwitchNs;
        // the guest rounds each switch to whole ns
        expect(Math.abs(ours - replay), `${profile} ${c.processes}p/${c.sizeKb}K`).toBeLessThan(1);
      }
    }
    expect(TABLE3.contextSwitch.rows['L-UP'][0]).toBe(0.77);
  });
});

// Hypervisor-context work's bytes touched (bytesTouched, InterruptLine handlerBytes): the domain that
// next runs on that PCPU pays the footprint model's refill for exactly those bytes — checked by hand
// against the stateless ContextSwitchModel.costNs and against the same bytes touched by another
// domain; 0 bytes and a costless model change nothing; CPU-time conservation holds throughout.
import { describe, expect, it } from 'vitest';
import { ms, us } from '../../../src/sim/index.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { InterruptLine } from '../../../src/models/host/interrupts.js';
import type { Vcpu } from '../../../src/models/host/vcpu.js';
import { FREE_CONTROL, makeHost, runAndCheck } from './helpers.js';

const KB = 1024;

/** a runs 1 ms, b runs from 2 ms with `hv` bytes of hypervisor work at 2.5 ms, a runs again from 5 ms. */
function scenario(cs: ContextSwitchModel, bWsBytes: number, hvBytes: number | undefined) {
  const { sim, host } = makeHost({ timerTickNs: 0, contextSwitch: cs, controlCosts: FREE_CONTROL });
  const a = host.control.createDomain({ name: 'a', workingSetBytes: 64 * KB });
  const b = host.control.createDomain({ name: 'b', workingSetBytes: bWsBytes });
  a.compute(ms(1));
  sim.scheduleAt(ms(2), () => b.compute(ms(1)));
  sim.scheduleAt(ms(2.5), () => {
    host.hypervisorWork(us(40), hvBytes === undefined ? {} : { cpu: 0, bytesTouched: hvBytes });
  });
  sim.scheduleAt(ms(5), () => a.compute(ms(1)));
  const acc = runAndCheck(sim, host, ms(10));
  return { acc, aSwitchNs: (a.vcpus[0] as Vcpu).times().switchingNs, cpu: host.cpuTimes(0) };
}

describe('hypervisor work pollutes its PCPU', () => {
  it('a resuming domain pays the refill for exactly the bytes the hypervisor touched (hand arithmetic)', () => {
    const cs = new ContextSwitchModel();
    const p = cs.cache.params;
    const wb = 32 * KB;
    const n = 96 * KB;
    const { aSwitchNs } = scenario(new ContextSwitchModel(), wb, n);
    // a's first switch is cold; at its second, b's footprint, the hypervisor's n bytes and two
    // switches' pollution (b's and a's switch-in) lie between a's two runs
    const cold = cs.coldCostNs(64 * KB);
    const d = wb + p.entityOverheadBytes + n + 2 * p.switchPollutionBytes;
    expect(aSwitchNs).toBe(cold + cs.costNs(64 * KB, d, false));
    // and the bytes made a difference
    const without = scenario(new ContextSwitchModel(), wb, 0).aSwitchNs;
    expect(aSwitchNs).toBeGreaterThan(without);
    expect(without).toBe(cold + cs.costNs(64 * KB, d - n, false));
  });

  it('costs what the same bytes touched by another domain cost', () => {
    const wb = 32 * KB;
    const n = 96 * KB;
    const byHv = scenario(new ContextSwitchModel(), wb, n);
    const byDomain = scenario(new ContextSwitchModel(), wb + n, 0);
    expect(byHv.aSwitchNs).toBe(byDomain.aSwitchNs);
  });

  it('zero bytes change nothing; a costless model ignores the bytes', () => {
    const base = scenario(new ContextSwitchModel(), 32 * KB, undefined);
    const zero = scenario(new ContextSwitchModel(), 32 * KB, 0);
    expect(zero).toEqual(base);
    const free0 = scenario(ContextSwitchModel.free(), 32 * KB, 0);
    const freeN = scenario(ContextSwitchModel.free(), 32 * KB, 1 << 30);
    expect(freeN).toEqual(free0);
    expect(freeN.aSwitchNs).toBe(0);
    expect(freeN.cpu.hypervisorNs).toBe(us(40));
  });

  it('rejects a negative bytesTouched with a one-line message naming the field', () => {
    const { host } = makeHost({ timerTickNs: 0 });
    expect(() => host.hypervisorWork(us(1), { bytesTouched: -1 })).toThrow(/bytesTouched.*-1/);
  });

  it("an interrupt line's handler bytes go to the PCPU it was routed to", () => {
    const polluted: [number, number][] = [];
    class Spy extends ContextSwitchModel {
      override pollute(cpu: number, bytes: number): void {
        polluted.push([cpu, bytes]);
        super.pollute(cpu, bytes);
      }
    }
    const { sim, host } = makeHost({ timerTickNs: 0, cpus: 2, contextSwitch: new Spy() });
    const line = new InterruptLine(host, {
      name: 'nic',
      handlerNs: 500,
      softirqNs: 200,
      handlerBytes: 192,
      routing: 'round-robin',
    });
    line.raise();
    line.raise();
    runAndCheck(sim, host, ms(1));
    expect(polluted).toEqual([
      [0, 192],
      [1, 192],
    ]);
  });
});

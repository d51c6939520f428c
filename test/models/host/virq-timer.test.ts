// The periodic timer through event channels (host.attachEventChannels): VIRQ_TIMER bound in every
// domain, the tick raised on it (same cost as the direct tick when not coalesced), masked and
// coalesced like any event, and ports closed when a domain is destroyed.
import { describe, expect, it } from 'vitest';
import { ms } from '../../../src/sim/index.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import { EVENT_CHANNEL_DEFAULTS, EventChannels, PortKind, Virq } from '../../../src/models/events/event-channels.js';
import { HOST_DEFAULTS } from '../../../src/models/host/host.js';
import { FREE_CONTROL, makeHost, runAndCheck } from './helpers.js';

const U = EVENT_CHANNEL_DEFAULTS.upcallNs;
const TICK_COST = HOST_DEFAULTS.timerTickCostNs; // 1750 = U (1290) + handler (460)

function setup() {
  const { sim, host } = makeHost({ contextSwitch: ContextSwitchModel.free(), controlCosts: FREE_CONTROL });
  const ch = new EventChannels(host);
  host.attachEventChannels(ch);
  const d = host.control.createDomain({ name: 'sleeper' });
  return { sim, host, ch, d };
}

describe('VIRQ_TIMER delivery', () => {
  it('binds VIRQ_TIMER in live and new domains; an uncoalesced tick costs what the direct tick did', () => {
    const { sim, host, ch, d } = setup();
    expect(ch.virqPort(host.dom0, Virq.timer)).toBeGreaterThan(0);
    const port = ch.virqPort(d, Virq.timer);
    expect(ch.portKind(d, port)).toBe(PortKind.virq);
    const deliveries: number[] = [];
    ch.onEvent(d, port, () => deliveries.push(sim.now));
    runAndCheck(sim, host, ms(101));
    // ticks at 0, 20, …, 100 ms: one upcall + the timer handler each, 1 CPU shared with dom0's ticks
    expect(deliveries).toHaveLength(6);
    expect(ch.counts(d)).toMatchObject({ upcalls: 6, deliveries: 6, coalesced: 0 });
    expect(d.busyNs).toBe(6 * TICK_COST);
    expect(host.dom0.busyNs).toBe(6 * TICK_COST);
    expect(U + (TICK_COST - U)).toBe(1750);
  });

  it('a masked timer port holds ticks off; they coalesce into one delivery at unmask', () => {
    const { sim, host, ch, d } = setup();
    const port = ch.virqPort(d, Virq.timer);
    ch.maskPort(d, port);
    const deliveries: number[] = [];
    ch.onEvent(d, port, () => deliveries.push(sim.now));
    sim.scheduleAt(ms(75), () => ch.unmaskPort(d, port));
    runAndCheck(sim, host, ms(79));
    // ticks at 0, 20, 40, 60 ms: the first sets the bit, the next three find it pending
    expect(ch.counts(d)).toMatchObject({ upcalls: 1, deliveries: 1, coalesced: 3 });
    expect(deliveries).toEqual([ms(75) + U]);
    expect(d.busyNs).toBe(TICK_COST);
  });

  it('the upcall mask batches the timer with another event into one upcall while the guest runs', () => {
    const { sim, host, ch, d } = setup();
    const { portA, portB } = ch.bindInterdomain(host.dom0, d);
    const got: string[] = [];
    const timerPort = ch.virqPort(d, Virq.timer);
    ch.onEvent(d, timerPort, () => got.push(`timer@${sim.now}`));
    ch.onEvent(d, portB, () => got.push(`io@${sim.now}`));
    sim.scheduleAt(ms(15), () => {
      ch.maskUpcalls(d);
      d.compute(ms(10)); // runs 15..25 ms with upcalls masked (dom0 idle by then)
      ch.send(host.dom0, portA);
    });
    sim.scheduleAt(ms(24), () => ch.unmaskUpcalls(d));
    runAndCheck(sim, host, ms(30));
    // the 20 ms tick and dom0's send are both pending at 24 ms: one upcall delivers both, lowest port first
    const first = Math.min(timerPort, portB) === timerPort ? 'timer' : 'io';
    const second = first === 'timer' ? 'io' : 'timer';
    const at = ms(24) + U;
    expect(got.slice(1)).toEqual([`${first}@${at}`, `${second}@${at}`]);
    expect(ch.counts(d).upcalls).toBe(2); // the 0 ms tick's and the batched one
  });

  it("closes a destroyed domain's ports: its peer's end becomes unbound and later ticks skip it", () => {
    const { sim, host, ch, d } = setup();
    const { portA } = ch.bindInterdomain(host.dom0, d);
    sim.scheduleAt(ms(30), () => host.control.destroyDomain(d.id));
    runAndCheck(sim, host, ms(70));
    expect(ch.portKind(host.dom0, portA)).toBe(PortKind.unbound);
    expect(ch.counts(d).deliveries).toBe(0); // its state was dropped with the domain
    expect(d.busyNs).toBe(2 * TICK_COST); // ticks at 0 and 20 ms only
  });

  it('attaching twice is refused', () => {
    const { host, ch } = setup();
    expect(() => host.attachEventChannels(ch)).toThrow(/already attached/);
  });
});

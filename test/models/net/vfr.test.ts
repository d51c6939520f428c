// The VFR's rule matching on a hand-made rule table: first match in installation order decides,
// wildcards and prefixes, the default action, hit counts; and bad rules refused with a one-line message.
import { describe, expect, it } from 'vitest';
import { Packet, ipv4 } from '../../../src/models/net/packet.js';
import { Vfr, validateVfrRule, type VfrVerdict } from '../../../src/models/net/vfr.js';

function pkt(f: Partial<Pick<Packet, 'protocol' | 'srcAddr' | 'dstAddr' | 'srcPort' | 'dstPort'>>): Packet {
  const p = new Packet();
  Object.assign(
    p,
    { protocol: 'udp', srcAddr: ipv4('10.0.1.1'), dstAddr: ipv4('192.168.0.2'), srcPort: 5000, dstPort: 80 },
    f,
  );
  return p;
}

describe('VFR rule matching', () => {
  // the table, in order:
  //  0: tcp to 192.168.0.0/24 port 22            → drop
  //  1: anything from 10.0.2.1                   → route to domain 3 vif 1
  //  2: udp from port 53 (any address)           → accept
  //  3: anything to 192.168.0.0/16               → drop
  //  default                                     → accept
  const vfr = new Vfr();
  vfr.install('rx', { protocol: 'tcp', dstAddr: ipv4('192.168.0.0'), dstPrefixBits: 24, dstPort: 22, action: 'drop' });
  vfr.install('rx', { srcAddr: ipv4('10.0.2.1'), action: 'route', routeTo: { domain: 3, vif: 1 } });
  vfr.install('rx', { protocol: 'udp', srcPort: 53, action: 'accept' });
  vfr.install('rx', { dstAddr: ipv4('192.168.0.0'), dstPrefixBits: 16, action: 'drop' });
  const out: VfrVerdict = { action: 'accept', routeTo: null, rule: -1 };
  const cases: [string, Packet, string, number][] = [
    ['tcp ssh into the /24', pkt({ protocol: 'tcp', dstPort: 22 }), 'drop', 0],
    ['udp to port 22 is not rule 0 (protocol), falls to rule 3', pkt({ dstPort: 22 }), 'drop', 3],
    [
      'tcp ssh outside the /24 but inside the /16',
      pkt({ protocol: 'tcp', dstPort: 22, dstAddr: ipv4('192.168.7.1') }),
      'drop',
      3,
    ],
    ['from 10.0.2.1: routed, whatever the rest', pkt({ srcAddr: ipv4('10.0.2.1'), dstPort: 22 }), 'route', 1],
    ['dns reply to the /16: accepted by rule 2 before rule 3', pkt({ srcPort: 53 }), 'accept', 2],
    ['tcp from port 53: not rule 2 (protocol), rule 3', pkt({ protocol: 'tcp', srcPort: 53 }), 'drop', 3],
    ['outside every rule: default accept', pkt({ dstAddr: ipv4('172.16.0.1') }), 'accept', -1],
  ];
  for (const [name, p, action, rule] of cases) {
    it(name, () => {
      vfr.classify('rx', p, out);
      expect([out.action, out.rule]).toEqual([action, rule]);
      if (action === 'route') expect(out.routeTo).toEqual({ domain: 3, vif: 1 });
      else expect(out.routeTo).toBeNull();
    });
  }

  it('counts hits per rule and leaves the other direction alone', () => {
    // cases above: rule 0 ×1, rule 1 ×1, rule 2 ×1, rule 3 ×3
    expect(vfr.hits.rx).toEqual([1, 1, 1, 3]);
    vfr.classify('tx', pkt({ protocol: 'tcp', dstPort: 22 }), out);
    expect([out.action, out.rule]).toEqual(['accept', -1]);
    expect(vfr.hits.tx).toEqual([]);
  });

  it('default drop, and clear', () => {
    const v = new Vfr();
    v.install('tx', { dstPort: 80, action: 'accept' });
    v.setDefault('tx', 'drop');
    expect(v.classify('tx', pkt({ dstPort: 80 }), out).action).toBe('accept');
    expect(v.classify('tx', pkt({ dstPort: 81 }), out).action).toBe('drop');
    v.clear('tx');
    expect(v.rules('tx')).toHaveLength(0);
    expect(v.classify('tx', pkt({ dstPort: 80 }), out).action).toBe('drop');
  });

  it('a /0 prefix matches every address and /32 only one', () => {
    const v = new Vfr();
    v.install('rx', { dstAddr: ipv4('1.2.3.4'), action: 'drop' });
    v.install('rx', { srcAddr: ipv4('9.9.9.9'), srcPrefixBits: 0, action: 'route', routeTo: { domain: 1, vif: 0 } });
    expect(v.classify('rx', pkt({ dstAddr: ipv4('1.2.3.4') }), out).action).toBe('drop');
    expect(v.classify('rx', pkt({ dstAddr: ipv4('1.2.3.5') }), out).action).toBe('route');
  });
});

describe('bad VFR rules', () => {
  const bad: [string, object, RegExp][] = [
    ['unknown action', { action: 'reject' }, /action must be one of .*got/],
    ['unknown field', { action: 'drop', dport: 80 }, /unknown rule field "dport"/],
    ['port out of range', { action: 'drop', dstPort: 70000 }, /dstPort must be .*65535.*70000/],
    ['prefix out of range', { action: 'drop', srcAddr: 1, srcPrefixBits: 33 }, /srcPrefixBits/],
    ['route without target', { action: 'route' }, /routeTo must be/],
    ['target without route', { action: 'drop', routeTo: { domain: 1, vif: 0 } }, /routeTo must be absent/],
    ['bad protocol', { action: 'drop', protocol: 'icmp' }, /protocol must be one of/],
  ];
  for (const [name, rule, msg] of bad) {
    it(name, () => {
      expect(() => validateVfrRule('test', rule as never)).toThrow(msg);
      expect(() => new Vfr().install('rx', rule as never)).toThrow(RangeError);
    });
  }
});

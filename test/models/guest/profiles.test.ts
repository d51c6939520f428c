// Virtualization profiles derived from Table 3: the derivation's steps checked by hand, every Table 3
// cell given back at the default batch, batch arithmetic of the xen profile, and bad parameters.
import { describe, expect, it } from 'vitest';
import { ANCHORS, TABLE3 } from '../../../src/models/calibration.js';
import { GuestProfile } from '../../../src/models/guest/profile.js';
import { OP_MECHANISMS, PROFILE_PARAMS, publishedNs, updateBounds } from '../../../src/models/guest/profile-fit.js';
import { PROFILE_TABLE3_CONFIG, TABLE3_OP_NAMES, VIRT_PROFILES } from '../../../src/models/guest/operations.js';

describe('profile fit', () => {
  it('reads Table 3 cells in ns', () => {
    expect(publishedNs('Xen', 'fork')).toBeCloseTo(198_000, 6);
    expect(publishedNs('UML', 'pageFault')).toBeCloseTo(26_300, 6);
    expect(publishedNs('VMware', 'select')).toBeCloseTo(TABLE3.processes.rows.VMware[4] * 1000, 6);
  });

  it('entry and event-delivery costs are the null call and sig handle − null call of the profile row', () => {
    expect(PROFILE_PARAMS.xen.entryNs).toBeCloseTo(460, 6);
    expect(PROFILE_PARAMS.xen.eventDeliveryNs).toBeCloseTo(1290, 6);
    expect(PROFILE_PARAMS.hosted.entryNs).toBeCloseTo(24_700, 6);
    expect(PROFILE_PARAMS.xen.flushNs).toBe(ANCHORS.hypercallNs.value);
    expect(PROFILE_PARAMS['full-virt'].flushNs).toBe(0);
    expect(PROFILE_PARAMS.native.updateNs).toBe(0);
  });

  it('the xen per-update cost is the mmap bound, computed by hand', () => {
    // mmap: Xen 139 − L-UP 68 µs, 2 entries at +0.01 µs, 2 flushes of 450 ns, 2 × 256 updates
    const hand = (139_000 - 68_000 - 2 * 10 - 2 * 450) / 512;
    expect(PROFILE_PARAMS.xen.updateNs).toBeCloseTo(hand, 6);
    const bounds = updateBounds('xen');
    for (const b of bounds) expect(b.perUpdateNs).toBeGreaterThanOrEqual(hand - 1e-9);
  });

  it('no work term is negative and every Table 3 cell comes back at the default batch', () => {
    for (const profile of VIRT_PROFILES) {
      const g = new GuestProfile(profile);
      for (const op of TABLE3_OP_NAMES) {
        expect(PROFILE_PARAMS[profile].workNs[op]).toBeGreaterThanOrEqual(0);
        expect(g.opNs(op, g.newPageTable())).toBeCloseTo(publishedNs(PROFILE_TABLE3_CONFIG[profile], op), 3);
      }
    }
  });

  it('xen fork at batch b costs the default plus 450 ns per extra hypercall', () => {
    const base = new GuestProfile('xen').opNs('fork', new GuestProfile('xen').newPageTable());
    for (const b of [1, 7, 64, 384, 2048]) {
      const g = new GuestProfile('xen', { ptBatch: b });
      const [copy, teardown] = OP_MECHANISMS.fork.ptPhases as [number, number];
      const extra = Math.ceil(copy / b) + Math.ceil(teardown / b) - 2;
      expect(g.opNs('fork', g.newPageTable())).toBeCloseTo(base + extra * 450, 6);
    }
  });

  it('full-virt traps every update; native pays nothing per update', () => {
    const fv = new GuestProfile('full-virt');
    const pt = fv.newPageTable();
    fv.opNs('mmap', pt);
    expect(pt.singles).toBe(512);
    expect(pt.flushes).toBe(0);
    const n = new GuestProfile('native');
    const npt = n.newPageTable();
    expect(n.opNs('ptUpdate', npt)).toBe(0);
  });

  it('estimated operations are priced from the profile row', () => {
    const x = new GuestProfile('xen');
    expect(x.opNs('eventDelivery', x.newPageTable())).toBeCloseTo(1290, 6);
    expect(x.opNs('netPacket', x.newPageTable())).toBeCloseTo(500 + 1290, 6);
  });

  it("full-virt's netPacket adds the emulated NIC's host round trip (Sugerman et al. 2001, scaled by clock)", () => {
    const v = new GuestProfile('full-virt');
    // Table 3 VMware: null I/O 0.83 µs, sig handle 4.63 − null call 0.73 = 3.90 µs; 22.7 µs · 733 / 2400.
    const hostNs = (22_700 * 733) / 2400;
    expect(v.opNs('netPacket', v.newPageTable())).toBeCloseTo(830 + 3900 + hostNs, 6);
    // a block request crosses to the host twice (request, completion): 2 × the same round trip
    expect(v.opNs('blockRequest', v.newPageTable())).toBeCloseTo(830 + 3900 + 2 * hostNs, 6);
    for (const other of ['native', 'xen'] as const) {
      const g = new GuestProfile(other);
      expect(g.opNs('netPacket', g.newPageTable())).toBe(g.opNs('blockRequest', g.newPageTable()));
      expect(g.hostBlockPathNs).toBe(0);
    }
  });

  it("hosted's block request adds UML's host-side path: 5 host null I/O + 2 host switches + 1 SIGIO (L-UP cells)", () => {
    const u = new GuestProfile('hosted');
    // L-UP: null I/O 0.50 µs, lat_ctx 2p/0K 0.77 µs, sig handle 2.49 − null call 0.45 = 2.04 µs
    const host = 5 * 500 + 2 * 770 + 2040;
    expect(host).toBe(6080);
    expect(u.hostBlockPathNs).toBeCloseTo(host, 6);
    // guest side, Table 3 UML: null I/O 25.1 µs + (sig handle 46.0 − null call 24.7) = 46.4 µs
    expect(u.opNs('blockRequest', u.newPageTable())).toBeCloseTo(25_100 + 21_300 + host, 6);
    expect(u.opNs('netPacket', u.newPageTable())).toBeCloseTo(25_100 + 21_300, 6);
  });

  it('bad parameters get one clear error', () => {
    expect(() => new GuestProfile('vmware' as 'xen')).toThrow(/GuestProfile: profile must be .*got "vmware"/);
    expect(() => new GuestProfile('xen', { ptBatch: 0 })).toThrow(/GuestProfile: ptBatch must be .*got 0/);
    expect(() => new GuestProfile('xen', { ptBatch: 1.5 })).toThrow(/ptBatch/);
    const g = new GuestProfile('xen');
    expect(() => g.opNs('constructor' as 'fork', g.newPageTable())).toThrow(
      /GuestProfile: op must be one of the guest operations, got constructor/,
    );
  });
});

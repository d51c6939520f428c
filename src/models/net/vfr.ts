// The virtual firewall-router (VFR) of Xen 1.0 (paper §3.3.5 and §2.2): ordered rules per direction that
// domain 0 installs through the control interface (host.control.installVfrRule), and the verdict they
// give a packet. Pure: it holds the rule tables and classifies; the network model (network.ts) applies
// the verdicts, the anti-spoofing check and the demultiplexing by destination address.
//
// A rule matches a packet when every one of its fields matches: `protocol` ('udp' | 'tcp'), `srcAddr`,
// `dstAddr` (IPv4 as unsigned 32-bit integers, packet.ts ipv4()) with an optional prefix length
// (`srcPrefixBits`, `dstPrefixBits`, 0…32, default 32 = exact), `srcPort`, `dstPort`; a field left out
// (undefined) or null is a wildcard. Rules are tried in installation order; the first that matches
// decides. Actions: 'accept' (the packet goes on: transmit → to a local VIF owning its destination, else
// to the NIC; receive → demultiplexed by destination address), 'drop' (dropped, counted as ruleDrop),
// 'route' (delivered to the VIF named by `routeTo`: { domain, vif }). No rule matching → the direction's
// default action ('accept' unless set otherwise).
// Directions: 'tx' for packets a guest transmits (after anti-spoofing), 'rx' for packets arriving from
// the NIC. Classification allocates nothing (the verdict is written into a reusable object).
// Units: none. Defaults: default action 'accept' (calibration.ts NET_WORKLOADS.vfrDefaultAccept, assumption:
// Xen 1.0's VFR let through what no rule named; the paper describes rules, not their default); routeTo.vif
// below HYPERVISOR.maxVifsPerDomain.
import { HYPERVISOR, NET_WORKLOADS } from '../calibration.js';
import { checkInt, checkOneOf, rangeFail } from '../validate.js';
import { Protocol, type Packet } from './packet.js';

export const VfrDirection = { tx: 'tx', rx: 'rx' } as const;
export type VfrDirection = (typeof VfrDirection)[keyof typeof VfrDirection];

export const VfrAction = { accept: 'accept', drop: 'drop', route: 'route' } as const;
export type VfrAction = (typeof VfrAction)[keyof typeof VfrAction];

/** A VIF by owner: domain id and the VIF's index in that domain (0…7). */
export interface VifRef {
  readonly domain: number;
  readonly vif: number;
}

/** One rule as given (wildcards: leave a field out or set it to null). */
export interface VfrRuleSpec {
  readonly protocol?: Protocol | null;
  readonly srcAddr?: number | null;
  /** Prefix length of srcAddr, 0…32 (default 32: exact). */
  readonly srcPrefixBits?: number;
  readonly srcPort?: number | null;
  readonly dstAddr?: number | null;
  readonly dstPrefixBits?: number;
  readonly dstPort?: number | null;
  readonly action: VfrAction;
  /** For action 'route': the VIF that receives the packet. */
  readonly routeTo?: VifRef;
}

/** A validated rule: wildcards are -1 (addresses keep a mask). */
export interface VfrRule {
  readonly protocol: Protocol | null;
  readonly srcAddr: number;
  readonly srcMask: number;
  readonly srcPort: number;
  readonly dstAddr: number;
  readonly dstMask: number;
  readonly dstPort: number;
  readonly action: VfrAction;
  readonly routeTo: VifRef | null;
}

/** The verdict of classify(): the action and, for 'route', the target; `rule` is the index or -1. */
export interface VfrVerdict {
  action: VfrAction;
  routeTo: VifRef | null;
  rule: number;
}

/** What a packet no rule matches gets, in both directions, until setDefault (calibration.ts NET_WORKLOADS). */
const DEFAULT_ACTION: VfrAction = NET_WORKLOADS.vfrDefaultAccept.value === 1 ? VfrAction.accept : VfrAction.drop;

const RULE_KEYS = [
  'protocol',
  'srcAddr',
  'srcPrefixBits',
  'srcPort',
  'dstAddr',
  'dstPrefixBits',
  'dstPort',
  'action',
  'routeTo',
];

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Validates a rule (one-line RangeError naming the field on bad input). */
export function validateVfrRule(where: string, spec: VfrRuleSpec): VfrRule {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) rangeFail(where, 'rule', 'an object', spec);
  for (const k of Object.keys(spec))
    if (!RULE_KEYS.includes(k))
      throw new RangeError(`${where}: unknown rule field ${JSON.stringify(k)}; allowed: ${RULE_KEYS.join(', ')}`);
  const action = checkOneOf(where, 'action', spec.action, VfrAction);
  const protocol = spec.protocol == null ? null : checkOneOf(where, 'protocol', spec.protocol, Protocol);
  const addr = (field: string, v: number | null | undefined): number =>
    v == null ? -1 : checkInt(where, field, v, 0, 0xffffffff);
  const port = (field: string, v: number | null | undefined): number =>
    v == null ? -1 : checkInt(where, field, v, 0, 65535);
  const srcAddr = addr('srcAddr', spec.srcAddr);
  const dstAddr = addr('dstAddr', spec.dstAddr);
  const srcBits = checkInt(where, 'srcPrefixBits', spec.srcPrefixBits ?? 32, 0, 32);
  const dstBits = checkInt(where, 'dstPrefixBits', spec.dstPrefixBits ?? 32, 0, 32);
  let routeTo: VifRef | null = null;
  if (action === VfrAction.route) {
    const r = spec.routeTo;
    if (r === undefined || r === null || typeof r !== 'object')
      rangeFail(where, 'routeTo', 'a { domain, vif } object for action route', r);
    routeTo = Object.freeze({
      domain: checkInt(where, 'routeTo.domain', r.domain, 0),
      vif: checkInt(where, 'routeTo.vif', r.vif, 0, HYPERVISOR.maxVifsPerDomain.value - 1),
    });
  } else if (spec.routeTo !== undefined) {
    rangeFail(where, 'routeTo', 'absent unless action is route', JSON.stringify(spec.routeTo));
  }
  const srcMask = srcAddr < 0 ? 0 : maskOf(srcBits);
  const dstMask = dstAddr < 0 ? 0 : maskOf(dstBits);
  return Object.freeze({
    protocol,
    srcAddr: srcAddr < 0 ? -1 : (srcAddr & srcMask) >>> 0,
    srcMask,
    srcPort: port('srcPort', spec.srcPort),
    dstAddr: dstAddr < 0 ? -1 : (dstAddr & dstMask) >>> 0,
    dstMask,
    dstPort: port('dstPort', spec.dstPort),
    action,
    routeTo,
  });
}

/** Whether `rule` matches `p`. */
export function ruleMatches(rule: VfrRule, p: Packet): boolean {
  if (rule.protocol !== null && rule.protocol !== p.protocol) return false;
  if (rule.srcAddr >= 0 && (p.srcAddr & rule.srcMask) >>> 0 !== rule.srcAddr) return false;
  if (rule.dstAddr >= 0 && (p.dstAddr & rule.dstMask) >>> 0 !== rule.dstAddr) return false;
  if (rule.srcPort >= 0 && rule.srcPort !== p.srcPort) return false;
  if (rule.dstPort >= 0 && rule.dstPort !== p.dstPort) return false;
  return true;
}

export class Vfr {
  private readonly tables: Record<VfrDirection, VfrRule[]> = { tx: [], rx: [] };
  private readonly defaults: Record<VfrDirection, VfrAction> = { tx: DEFAULT_ACTION, rx: DEFAULT_ACTION };
  /** Per-rule hit counts, per direction (index = rule position). */
  readonly hits: Record<VfrDirection, number[]> = { tx: [], rx: [] };

  /** Appends a rule to a direction's table; returns its index. */
  install(direction: VfrDirection, spec: VfrRuleSpec): number {
    const where = 'Vfr.install';
    checkOneOf(where, 'direction', direction, VfrDirection);
    const rule = validateVfrRule(where, spec);
    this.tables[direction].push(rule);
    this.hits[direction].push(0);
    return this.tables[direction].length - 1;
  }

  /** Appends a rule already validated (validateVfrRule, e.g. by the control interface); returns its index. */
  installValidated(direction: VfrDirection, rule: VfrRule): number {
    checkOneOf('Vfr.installValidated', 'direction', direction, VfrDirection);
    this.tables[direction].push(rule);
    this.hits[direction].push(0);
    return this.tables[direction].length - 1;
  }

  /** Removes every rule of a direction. */
  clear(direction: VfrDirection): void {
    checkOneOf('Vfr.clear', 'direction', direction, VfrDirection);
    this.tables[direction].length = 0;
    this.hits[direction].length = 0;
  }

  /** Sets what happens to a packet no rule matches ('accept' or 'drop'). */
  setDefault(direction: VfrDirection, action: 'accept' | 'drop'): void {
    checkOneOf('Vfr.setDefault', 'direction', direction, VfrDirection);
    if (action !== VfrAction.accept && action !== VfrAction.drop)
      rangeFail('Vfr.setDefault', 'action', 'one of "accept", "drop"', action);
    this.defaults[direction] = action;
  }

  rules(direction: VfrDirection): readonly VfrRule[] {
    return this.tables[direction];
  }

  /** Classifies `p` into `out` (first matching rule, else the default); returns `out`. */
  classify(direction: VfrDirection, p: Packet, out: VfrVerdict): VfrVerdict {
    const table = this.tables[direction];
    for (let i = 0; i < table.length; i++) {
      const r = table[i] as VfrRule;
      if (ruleMatches(r, p)) {
        (this.hits[direction] as number[])[i] = ((this.hits[direction] as number[])[i] as number) + 1;
        out.action = r.action;
        out.routeTo = r.routeTo;
        out.rule = i;
        return out;
      }
    }
    out.action = this.defaults[direction];
    out.routeTo = null;
    out.rule = -1;
    return out;
  }
}

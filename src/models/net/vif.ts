// The configuration of a virtual network interface (VIF) as domain 0 attaches it through the control
// interface (host.control.attachDevice(domain, 'vif', config)): its IPv4 address (what anti-spoofing
// checks transmitted packets against and what received packets are demultiplexed by), its optional
// transmit credit (Xen's per-VIF rate limit: at most `creditBytes` of frames per `creditPeriodNs`) and
// an optional MAC address (checked and recorded only). Validation only; the rings and the back end are
// built by the network model (network.ts).
// Units: bytes, ns. Defaults: address vifAddress(domain, index) = 10.(domain >> 8).(domain & 255).(index + 1)
// (assumption: a private 10/8 plan, one /24 per domain); no credit limit (calibration.md "network transmit
// scheduling": unlimited by default), credit period 10 ms when a limit is set (assumption); at most 8 VIFs
// per domain (calibration.ts HYPERVISOR.maxVifsPerDomain).
import { HYPERVISOR, NET_WORKLOADS } from '../calibration.js';
import { checkInt, rangeFail } from '../validate.js';
import { HEADER_BYTES } from './packet.js';

export const MAX_VIFS = HYPERVISOR.maxVifsPerDomain.value;

/** A VIF's validated configuration. */
export interface VifConfig {
  readonly addr: number;
  /** Bytes of frames the VIF may transmit per credit period; 0 = no limit. */
  readonly creditBytes: number;
  /** Credit period, ns (meaningful when creditBytes > 0). */
  readonly creditPeriodNs: number;
  /** The MAC address as given (recorded only; Xen's 00:16:3e:… prefix by convention), or null. */
  readonly mac: string | null;
}

/** The default address of VIF `index` of domain `domain`: 10.(domain >> 8).(domain & 255).(index + 1). */
export function vifAddress(domain: number, index: number): number {
  return ((10 << 24) | (((domain >> 8) & 255) << 16) | ((domain & 255) << 8) | (index + 1)) >>> 0;
}

const KEYS = ['addr', 'mac', 'creditBytes', 'creditPeriodNs'];

/** Validates a VIF config (control.attachDevice); one-line RangeError naming the field on bad input. */
export function validateVifConfig(
  where: string,
  domain: number,
  index: number,
  config: Readonly<Record<string, unknown>>,
): VifConfig {
  for (const k of Object.keys(config))
    if (!KEYS.includes(k))
      throw new RangeError(`${where}: unknown vif option ${JSON.stringify(k)}; allowed: ${KEYS.join(', ')}`);
  const addr = checkInt(where, 'addr', config['addr'] ?? vifAddress(domain, index), 1, 0xffffffff);
  const creditBytes = checkInt(where, 'creditBytes', config['creditBytes'] ?? 0, 0);
  const maxFrame = 9000 + HEADER_BYTES.ethernet + HEADER_BYTES.ethernetFcs;
  if (creditBytes > 0 && creditBytes < maxFrame)
    rangeFail(where, 'creditBytes', `0 (no limit) or at least ${maxFrame} (one largest frame)`, creditBytes);
  const creditPeriodNs = checkInt(
    where,
    'creditPeriodNs',
    config['creditPeriodNs'] ?? NET_WORKLOADS.vifCreditPeriodNs.value,
    1,
  );
  const m = config['mac'] ?? null;
  if (m !== null && !(typeof m === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(m)))
    rangeFail(where, 'mac', 'six colon-separated hex octets (00:16:3e:00:00:01)', m);
  return { addr, creditBytes, creditPeriodNs, mac: m };
}

/**
 * ICMP and ICMPv6 type names as iptables knows them (extensions/libxt_icmp.h icmp_codes and
 * icmpv6_codes): each name is a type and a code range; 0..255 means "any code".
 */

export interface IcmpName {
  readonly name: string;
  readonly type: number;
  readonly codeMin: number;
  readonly codeMax: number;
}

const n = (name: string, type: number, codeMin = 0, codeMax = 0xff): IcmpName => ({ name, type, codeMin, codeMax });

export const ICMP_NAMES: readonly IcmpName[] = [
  n('any', 0xff), n('echo-reply', 0), n('pong', 0),
  n('destination-unreachable', 3), n('network-unreachable', 3, 0, 0), n('host-unreachable', 3, 1, 1),
  n('protocol-unreachable', 3, 2, 2), n('port-unreachable', 3, 3, 3), n('fragmentation-needed', 3, 4, 4),
  n('source-route-failed', 3, 5, 5), n('network-unknown', 3, 6, 6), n('host-unknown', 3, 7, 7),
  n('network-prohibited', 3, 9, 9), n('host-prohibited', 3, 10, 10), n('TOS-network-unreachable', 3, 11, 11),
  n('TOS-host-unreachable', 3, 12, 12), n('communication-prohibited', 3, 13, 13),
  n('host-precedence-violation', 3, 14, 14), n('precedence-cutoff', 3, 15, 15),
  n('source-quench', 4),
  n('redirect', 5), n('network-redirect', 5, 0, 0), n('host-redirect', 5, 1, 1), n('TOS-network-redirect', 5, 2, 2),
  n('TOS-host-redirect', 5, 3, 3),
  n('echo-request', 8), n('ping', 8), n('router-advertisement', 9), n('router-solicitation', 10),
  n('time-exceeded', 11), n('ttl-exceeded', 11), n('ttl-zero-during-transit', 11, 0, 0),
  n('ttl-zero-during-reassembly', 11, 1, 1),
  n('parameter-problem', 12), n('ip-header-bad', 12, 0, 0), n('required-option-missing', 12, 1, 1),
  n('timestamp-request', 13), n('timestamp-reply', 14), n('address-mask-request', 17), n('address-mask-reply', 18),
];

export const ICMPV6_NAMES: readonly IcmpName[] = [
  n('destination-unreachable', 1), n('no-route', 1, 0, 0), n('communication-prohibited', 1, 1, 1),
  n('beyond-scope', 1, 2, 2), n('address-unreachable', 1, 3, 3), n('port-unreachable', 1, 4, 4),
  n('failed-policy', 1, 5, 5), n('reject-route', 1, 6, 6),
  n('packet-too-big', 2),
  n('time-exceeded', 3), n('ttl-exceeded', 3), n('ttl-zero-during-transit', 3, 0, 0),
  n('ttl-zero-during-reassembly', 3, 1, 1),
  n('parameter-problem', 4), n('bad-header', 4, 0, 0), n('unknown-header-type', 4, 1, 1), n('unknown-option', 4, 2, 2),
  n('echo-request', 128), n('ping', 128), n('echo-reply', 129), n('pong', 129),
  n('router-solicitation', 133), n('router-advertisement', 134),
  n('neighbour-solicitation', 135), n('neighbor-solicitation', 135),
  n('neighbour-advertisement', 136), n('neighbor-advertisement', 136), n('redirect', 137),
];

/** A parsed `--icmp-type`: a type and an inclusive code range. */
export interface IcmpTypeValue {
  readonly type: number;
  readonly codeMin: number;
  readonly codeMax: number;
}

/**
 * Parses `name`, `type` or `type/code` (libxt_icmp.c parse_icmp / libip6t_icmp6.c): a name is
 * looked up by unambiguous prefix, as iptables does (strncasecmp over the table).
 */
export function parseIcmpType(text: string, names: readonly IcmpName[]): IcmpTypeValue | null {
  const exact = names.find((e) => e.name.toLowerCase() === text.toLowerCase());
  if (exact) return { type: exact.type, codeMin: exact.codeMin, codeMax: exact.codeMax };
  const prefixed = names.filter((e) => e.name.toLowerCase().startsWith(text.toLowerCase()));
  const distinct = new Set(prefixed.map((e) => `${e.type}/${e.codeMin}/${e.codeMax}`));
  if (text.length > 0 && prefixed.length > 0 && distinct.size === 1) {
    const e = prefixed[0]!;
    return { type: e.type, codeMin: e.codeMin, codeMax: e.codeMax };
  }
  const m = /^(\d{1,3})(?:\/(\d{1,3}))?$/.exec(text);
  if (!m) return null;
  const type = Number(m[1]);
  if (type > 255) return null;
  if (m[2] === undefined) return { type, codeMin: 0, codeMax: 0xff };
  const code = Number(m[2]);
  if (code > 255) return null;
  return { type, codeMin: code, codeMax: code };
}

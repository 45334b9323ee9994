/**
 * Names ipset prints and reads in the port dimension of a member (`udp:53`, `gre:0`,
 * `icmp:echo-request`, `ipv6-icmp:128/0`).
 *
 * ipset resolves protocol names with getprotobyname(3) (lib/parse.c ipset_parse_proto), so it
 * prints the names of the node's /etc/protocols; the table below is netbase's, names and
 * aliases. ICMP and ICMPv6 type/code names are ipset's own (lib/icmp.c, lib/icmpv6.c); the
 * kernel test checks every one against `ipset save`.
 */

/** Protocol numbers that carry ports the kernel reads (ip_set_getport.c get_port). */
export const TCP = 6;
export const UDP = 17;
export const SCTP = 132;
export const UDPLITE = 136;
export const ICMP = 1;
export const ICMPV6 = 58;

const protocolTable: readonly (readonly [number, ...string[]])[] = [
  [0, 'ip', 'IP', 'hopopt', 'HOPOPT'],
  [1, 'icmp', 'ICMP'],
  [2, 'igmp', 'IGMP'],
  [3, 'ggp', 'GGP'],
  [4, 'ipencap', 'IP-ENCAP'],
  [5, 'st', 'ST'],
  [6, 'tcp', 'TCP'],
  [8, 'egp', 'EGP'],
  [9, 'igp', 'IGP'],
  [12, 'pup', 'PUP'],
  [17, 'udp', 'UDP'],
  [20, 'hmp', 'HMP'],
  [22, 'xns-idp', 'XNS-IDP'],
  [27, 'rdp', 'RDP'],
  [29, 'iso-tp4', 'ISO-TP4'],
  [33, 'dccp', 'DCCP'],
  [36, 'xtp', 'XTP'],
  [37, 'ddp', 'DDP'],
  [38, 'idpr-cmtp', 'IDPR-CMTP'],
  [41, 'ipv6', 'IPv6'],
  [43, 'ipv6-route', 'IPv6-Route'],
  [44, 'ipv6-frag', 'IPv6-Frag'],
  [45, 'idrp', 'IDRP'],
  [46, 'rsvp', 'RSVP'],
  [47, 'gre', 'GRE'],
  [50, 'esp', 'IPSEC-ESP'],
  [51, 'ah', 'IPSEC-AH'],
  [57, 'skip', 'SKIP'],
  // ipset reads `icmpv6` as `ipv6-icmp` (lib/parse.c ipset_parse_proto) and prints the latter.
  [58, 'ipv6-icmp', 'IPv6-ICMP', 'icmpv6'],
  [59, 'ipv6-nonxt', 'IPv6-NoNxt'],
  [60, 'ipv6-opts', 'IPv6-Opts'],
  [73, 'rspf', 'RSPF', 'CPHB'],
  [81, 'vmtp', 'VMTP'],
  [88, 'eigrp', 'EIGRP'],
  [89, 'ospf', 'OSPFIGP'],
  [93, 'ax.25', 'AX.25'],
  [94, 'ipip', 'IPIP'],
  [97, 'etherip', 'ETHERIP'],
  [98, 'encap', 'ENCAP'],
  [103, 'pim', 'PIM'],
  [108, 'ipcomp', 'IPCOMP'],
  [112, 'vrrp', 'VRRP'],
  [115, 'l2tp', 'L2TP'],
  [124, 'isis', 'ISIS'],
  [132, 'sctp', 'SCTP'],
  [133, 'fc', 'FC'],
  [135, 'mobility-header', 'Mobility-Header'],
  [136, 'udplite', 'UDPLite'],
  [137, 'mpls-in-ip', 'MPLS-in-IP'],
  [138, 'manet'],
  [139, 'hip', 'HIP'],
  [140, 'shim6', 'Shim6'],
  [141, 'wesp', 'WESP'],
  [142, 'rohc', 'ROHC'],
  [143, 'ethernet', 'Ethernet'],
];

const protocolByName = new Map<string, number>();
const protocolNames = new Map<number, string>();
for (const [number, ...names] of protocolTable) {
  for (const name of names) protocolByName.set(name, number);
  if (!protocolNames.has(number)) protocolNames.set(number, names[0]!);
}

/** A protocol name (or decimal number 0–255) to its number; null when neither. */
export function protocolNumber(text: string): number | null {
  const byName = protocolByName.get(text);
  if (byName !== undefined) return byName;
  if (/^\d{1,3}$/.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : null;
  }
  return null;
}

/** The name ipset prints for a protocol number (its number when /etc/protocols has none). */
export function protocolName(protocol: number): string {
  return protocolNames.get(protocol) ?? String(protocol);
}

/** True for the protocols whose ports the kernel reads from the packet. */
export function hasPorts(protocol: number): boolean {
  return protocol === TCP || protocol === UDP || protocol === SCTP || protocol === UDPLITE;
}

type IcmpNames = readonly (readonly [name: string, type: number, code: number])[];

/** lib/icmp.c icmp_typecodes[] (aliases after the name ipset prints). */
const icmpNames: IcmpNames = [
  ['echo-reply', 0, 0],
  ['pong', 0, 0],
  ['network-unreachable', 3, 0],
  ['host-unreachable', 3, 1],
  ['protocol-unreachable', 3, 2],
  ['port-unreachable', 3, 3],
  ['fragmentation-needed', 3, 4],
  ['source-route-failed', 3, 5],
  ['network-unknown', 3, 6],
  ['host-unknown', 3, 7],
  ['network-prohibited', 3, 9],
  ['host-prohibited', 3, 10],
  ['TOS-network-unreachable', 3, 11],
  ['TOS-host-unreachable', 3, 12],
  ['communication-prohibited', 3, 13],
  ['host-precedence-violation', 3, 14],
  ['precedence-cutoff', 3, 15],
  ['source-quench', 4, 0],
  ['network-redirect', 5, 0],
  ['host-redirect', 5, 1],
  ['TOS-network-redirect', 5, 2],
  ['TOS-host-redirect', 5, 3],
  ['echo-request', 8, 0],
  ['ping', 8, 0],
  ['router-advertisement', 9, 0],
  ['router-solicitation', 10, 0],
  ['ttl-zero-during-transit', 11, 0],
  ['ttl-zero-during-reassembly', 11, 1],
  ['ip-header-bad', 12, 0],
  ['required-option-missing', 12, 1],
  ['timestamp-request', 13, 0],
  ['timestamp-reply', 14, 0],
  ['address-mask-request', 17, 0],
  ['address-mask-reply', 18, 0],
];

/** lib/icmpv6.c icmpv6_typecodes[] (the misspelt `neigbour-` aliases are ipset's). */
const icmpv6Names: IcmpNames = [
  ['no-route', 1, 0],
  ['communication-prohibited', 1, 1],
  ['address-unreachable', 1, 3],
  ['port-unreachable', 1, 4],
  ['packet-too-big', 2, 0],
  ['ttl-zero-during-transit', 3, 0],
  ['ttl-zero-during-reassembly', 3, 1],
  ['bad-header', 4, 0],
  ['unknown-header-type', 4, 1],
  ['unknown-option', 4, 2],
  ['echo-request', 128, 0],
  ['ping', 128, 0],
  ['echo-reply', 129, 0],
  ['pong', 129, 0],
  ['router-solicitation', 133, 0],
  ['router-advertisement', 134, 0],
  ['neighbour-solicitation', 135, 0],
  ['neigbour-solicitation', 135, 0],
  ['neighbour-advertisement', 136, 0],
  ['neigbour-advertisement', 136, 0],
  ['redirect', 137, 0],
];

/** The ICMP type/code names ipset knows, for one family's ICMP, in ipset's order. */
export function icmpCodeNames(protocol: typeof ICMP | typeof ICMPV6): IcmpNames {
  return protocol === ICMP ? icmpNames : icmpv6Names;
}

/**
 * `echo-request` or `8/0` to the kernel's port value `type << 8 | code`; null when neither
 * (ipset takes no ranges and no bare type here: lib/parse.c ipset_parse_icmp).
 */
export function parseIcmpTypeCode(protocol: typeof ICMP | typeof ICMPV6, text: string): number | null {
  for (const [name, type, code] of icmpCodeNames(protocol)) {
    if (name === text) return (type << 8) | code;
  }
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const type = text.slice(0, slash);
  const code = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(type) || !/^\d{1,3}$/.test(code)) return null;
  const t = Number(type);
  const c = Number(code);
  return t <= 255 && c <= 255 ? (t << 8) | c : null;
}

/** The text ipset prints for an ICMP port value: the first name of its type/code, else `type/code`. */
export function formatIcmpTypeCode(protocol: typeof ICMP | typeof ICMPV6, value: number): string {
  const type = value >> 8;
  const code = value & 0xff;
  for (const [name, t, c] of icmpCodeNames(protocol)) if (t === type && c === code) return name;
  return `${type}/${code}`;
}

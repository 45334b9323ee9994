/** `-p` operands: names from /etc/protocols as iptables resolves them (libxtables xtables_parse_protocol). */
import type { Protocol } from './types.js';

/**
 * Names as iptables resolves them: libxtables xtables_chain_protos plus getprotobyname(3) over the
 * netbase /etc/protocols; iptables lower-cases `-p` first, so only lower-case names and aliases
 * match. Note `ipip` is 94 there, and 4 is `ipencap`.
 */
const byName: Readonly<Record<string, number>> = {
  ip: 0, hopopt: 0, icmp: 1, igmp: 2, ggp: 3, ipencap: 4, st: 5, tcp: 6, egp: 8, igp: 9, pup: 12, udp: 17,
  hmp: 20, 'xns-idp': 22, rdp: 27, 'iso-tp4': 29, dccp: 33, xtp: 36, ddp: 37, 'idpr-cmtp': 38, ipv6: 41,
  'ipv6-route': 43, 'ipv6-frag': 44, idrp: 45, rsvp: 46, gre: 47, esp: 50, ah: 51, skip: 57, 'ipv6-icmp': 58,
  'ipv6-nonxt': 59, 'ipv6-opts': 60, rspf: 73, vmtp: 81, eigrp: 88, ospf: 89, 'ax.25': 93, ipip: 94,
  etherip: 97, encap: 98, pim: 103, ipcomp: 108, vrrp: 112, l2tp: 115, isis: 124, sctp: 132, fc: 133,
  'mobility-header': 135, udplite: 136, 'mpls-in-ip': 137, manet: 138, hip: 139, shim6: 140, wesp: 141,
  rohc: 142, ethernet: 143, icmpv6: 58, 'ipv6-mh': 135, mh: 135, all: 0,
};

/** The name iptables-save prints (proto_to_name: getprotobynumber first, so 135 is `mobility-header`). */
const canonicalName: Readonly<Record<number, string>> = {
  0: 'all', 1: 'icmp', 2: 'igmp', 3: 'ggp', 4: 'ipencap', 5: 'st', 6: 'tcp', 8: 'egp', 9: 'igp', 12: 'pup',
  17: 'udp', 20: 'hmp', 22: 'xns-idp', 27: 'rdp', 29: 'iso-tp4', 33: 'dccp', 36: 'xtp', 37: 'ddp',
  38: 'idpr-cmtp', 41: 'ipv6', 43: 'ipv6-route', 44: 'ipv6-frag', 45: 'idrp', 46: 'rsvp', 47: 'gre',
  50: 'esp', 51: 'ah', 57: 'skip', 58: 'ipv6-icmp', 59: 'ipv6-nonxt', 60: 'ipv6-opts', 73: 'rspf',
  81: 'vmtp', 88: 'eigrp', 89: 'ospf', 93: 'ax.25', 94: 'ipip', 97: 'etherip', 98: 'encap', 103: 'pim',
  108: 'ipcomp', 112: 'vrrp', 115: 'l2tp', 124: 'isis', 132: 'sctp', 133: 'fc', 135: 'mobility-header',
  136: 'udplite', 137: 'mpls-in-ip', 138: 'manet', 139: 'hip', 140: 'shim6', 141: 'wesp', 142: 'rohc',
  143: 'ethernet',
};

/** Parses a `-p` operand; null when neither a known name nor a number 0–255. */
export function parseProtocol(text: string): Protocol | null {
  const lower = text.toLowerCase();
  if (/^\d{1,3}$/.test(lower)) {
    const number = Number(lower);
    if (number > 255) return null;
    return { name: canonicalName[number] ?? null, number };
  }
  const number = byName[lower];
  if (number === undefined) return null;
  return { name: canonicalName[number] ?? lower, number };
}

/** The implicit-module name a protocol loads (`-p tcp` → tcp, `-p ipv6-icmp` → icmp6). */
export function protocolModule(protocol: Protocol): string | null {
  switch (protocol.number) {
    case 6:
      return 'tcp';
    case 17:
      return 'udp';
    case 132:
      return 'sctp';
    case 33:
      return 'dccp';
    case 1:
      return 'icmp';
    case 58:
      return 'icmp6';
    case 136:
      return 'udplite';
    default:
      return null;
  }
}

/** `-p` operands: names from /etc/protocols as iptables resolves them (libxtables xtables_parse_protocol). */
import type { Protocol } from './types.js';

const byName: Readonly<Record<string, number>> = {
  all: 0, icmp: 1, igmp: 2, ipip: 4, tcp: 6, egp: 8, udp: 17, ipv6: 41, rsvp: 46, gre: 47, esp: 50, ah: 51,
  icmpv6: 58, 'ipv6-icmp': 58, icmp6: 58, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, sctp: 132, mh: 135,
  'ipv6-mh': 135, udplite: 136, dccp: 33,
};

const canonicalName: Readonly<Record<number, string>> = {
  0: 'all', 1: 'icmp', 2: 'igmp', 4: 'ipip', 6: 'tcp', 8: 'egp', 17: 'udp', 33: 'dccp', 41: 'ipv6', 46: 'rsvp',
  47: 'gre', 50: 'esp', 51: 'ah', 58: 'ipv6-icmp', 89: 'ospf', 103: 'pim', 112: 'vrrp', 115: 'l2tp', 132: 'sctp',
  135: 'mh', 136: 'udplite',
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

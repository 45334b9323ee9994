/**
 * The few fields of a typed iptables rule that kube-proxy's rules vary in: destination, source,
 * destination port, protocol, jump target, `-m recent --rcheck`, DNAT destination, the comment.
 * Read from the model (src/model/iptables), never from the rule text.
 */
import type { Rule } from '../model/iptables/types.js';
import type { Cidr } from '../model/values/address.js';
import { formatAddress } from '../model/values/address.js';
import type { ServiceProtocol } from './types.js';

/** `-d CIDR` (not negated). */
export function destinationOf(rule: Rule): Cidr | null {
  for (const m of rule.matches) if (m.kind === 'destination' && !m.negated) return m.cidr;
  return null;
}

/** `-s CIDR` and whether it is negated (`! -s`). */
export function sourceOf(rule: Rule): { cidr: Cidr; negated: boolean } | null {
  for (const m of rule.matches) if (m.kind === 'source') return { cidr: m.cidr, negated: m.negated };
  return null;
}

/** `! -i IFACE` / `-i IFACE`, as written (`veth+` for a prefix). */
export function inInterfaceOf(rule: Rule): { name: string; negated: boolean } | null {
  for (const m of rule.matches) {
    if (m.kind === 'in-interface') return { name: m.iface.wildcard ? `${m.iface.name}+` : m.iface.name, negated: m.negated };
  }
  return null;
}

/** `-p tcp|udp|sctp`; null for any other protocol or none. */
export function protocolOf(rule: Rule): ServiceProtocol | null {
  for (const m of rule.matches) {
    if (m.kind === 'protocol' && !m.negated) {
      const name = m.protocol.name;
      if (name === 'tcp' || name === 'udp' || name === 'sctp') return name;
    }
  }
  return null;
}

/** `--dport N` of the tcp/udp/sctp match (a single port, not negated). */
export function destinationPortOf(rule: Rule): number | null {
  for (const m of rule.matches) {
    if ((m.kind === 'tcp' || m.kind === 'udp' || m.kind === 'sctp') && m.dport && !m.dport.negated && m.dport.range.from === m.dport.range.to) {
      return m.dport.range.from;
    }
  }
  return null;
}

/** The user chain a rule jumps or goes to. */
export function jumpOf(rule: Rule): string | null {
  const t = rule.target;
  if (!t) return null;
  return t.kind === 'jump' || t.kind === 'goto' ? t.chain : null;
}

/** `-m addrtype --dst-type LOCAL` (not negated). */
export function matchesLocalDestination(rule: Rule): boolean {
  return rule.matches.some((m) => m.kind === 'addrtype' && m.dstType !== undefined && !m.dstType.negated && m.dstType.types.includes('LOCAL'));
}

/** `-m addrtype --src-type LOCAL`. */
export function matchesLocalSource(rule: Rule): boolean {
  return rule.matches.some((m) => m.kind === 'addrtype' && m.srcType !== undefined && !m.srcType.negated && m.srcType.types.includes('LOCAL'));
}

/** `-m recent --rcheck --seconds N`: kube-proxy's ClientIP affinity check (writeServiceToEndpointRules). */
export function affinitySecondsOf(rule: Rule): number | null {
  for (const m of rule.matches) if (m.kind === 'recent' && m.mode === 'rcheck' && !m.negated) return m.seconds;
  return null;
}

/** The first address and port of a DNAT `--to-destination`; null when the target is not a readable DNAT. */
export function dnatDestinationOf(rule: Rule): { address: string; port: number | null } | null {
  const t = rule.target;
  if (!t || t.kind !== 'DNAT') return null;
  const range = t.ranges[0];
  if (!range?.addresses) return null;
  return { address: formatAddress(range.addresses.family, range.addresses.first), port: range.ports ? range.ports.from : null };
}

/** True when the rule has no match but (maybe) a comment: an unconditional jump. */
export function isUnconditional(rule: Rule): boolean {
  return rule.matches.every((m) => m.kind === 'comment');
}

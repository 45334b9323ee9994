/**
 * Rules that can never match: an earlier rule of the same chain matches every packet the later
 * one matches, and ends the chain's traversal for them (ip_tables.c ipt_do_table: a verdict other
 * than XT_CONTINUE leaves the chain; RETURN pops it; a goto never comes back; the NAT targets
 * return NF_ACCEPT). Conservative by construction — a false "shadowed" would send a support
 * engineer after a rule that does work — so an earlier rule shadows a later one only when every
 * one of its matches is *implied* by the later rule's matches:
 *
 * - header fields (`-s -d -i -o -p -f`, tcp/udp/sctp ports and flags, multiport, icmp, iprange)
 *   are compared by containment; they cannot change between two rules of one chain traversal
 *   (only NAT changes them, and NAT ends the traversal);
 * - a few stateless modules (addrtype, pkttype, mac) must appear identically in the later rule;
 * - the state a packet carries (mark, connmark, conntrack/state, set membership) must appear
 *   identically *and* no rule between the two may change it (a jump, MARK, CONNMARK, CT, SET …);
 * - anything else (statistic, limit, recent, hashlimit, time, string, u32, unknown modules, options
 *   that were not read) means "not sure": no shadowing is claimed.
 */
import type { Chain, CoreMatch, Match, Rule } from '../../model/iptables/types.js';
import type { Cidr } from '../../model/values/address.js';
import type { PortRange } from '../../model/values/port.js';

/** A later rule and the earlier rule that hides it. */
export interface ShadowedRule {
  readonly rule: Rule;
  readonly by: Rule;
}

/** Targets after which a matching packet leaves the chain (and the ones the shadowing rule may have). */
const ENDS_CHAIN = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'goto', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT']);

/** Targets that neither end the chain nor change what a later match reads. */
const OBSERVE_ONLY = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'AUDIT']);

/** Matches whose result cannot change between two rules of one traversal, compared by identity. */
const STATELESS_EXACT = new Set(['addrtype', 'pkttype', 'mac']);

/** Matches on state that rules can change (mark, ct state, set members), compared by identity when nothing in between changes it. */
const STATEFUL_EXACT = new Set(['mark', 'connmark', 'conntrack', 'state', 'set']);

function endsChain(rule: Rule): boolean {
  return rule.target !== null && ENDS_CHAIN.has(rule.target.kind);
}

function mayChangeState(rule: Rule): boolean {
  const t = rule.target;
  if (t === null || ENDS_CHAIN.has(t.kind) || OBSERVE_ONLY.has(t.kind)) return false;
  return true;
}

/** A canonical text of a typed match, without positions and spellings, for identity. */
function canonical(m: Match): string {
  return JSON.stringify(m, (key, value: unknown) => {
    if (key === 'at' || key === 'options' || key === 'implicit') return undefined;
    if (typeof value === 'bigint') return `${value}n`;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
  });
}

function within(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.first >= outer.first && inner.last <= outer.last;
}

function disjoint(a: Cidr, b: Cidr): boolean {
  return a.family !== b.family || a.last < b.first || b.last < a.first;
}

function rangeWithin(inner: PortRange, outer: PortRange): boolean {
  return inner.from >= outer.from && inner.to <= outer.to;
}

function rangesDisjoint(a: PortRange, b: PortRange): boolean {
  return a.to < b.from || b.to < a.from;
}

/** A negatable value (`-s`, `--dport`, …) of the earlier rule, implied by the later rule's value. */
function impliedValue<T>(
  early: { negated: boolean; value: T },
  late: { negated: boolean; value: T } | undefined,
  inside: (inner: T, outer: T) => boolean,
  apart: (a: T, b: T) => boolean,
): boolean {
  if (!late) return false;
  if (!early.negated) return !late.negated && inside(late.value, early.value);
  // "not in E": the later rule's packets are all outside E.
  return late.negated ? inside(early.value, late.value) : apart(late.value, early.value);
}

function coreOf(rule: Rule, kind: CoreMatch['kind']): CoreMatch | undefined {
  return rule.matches.find((m): m is CoreMatch => m.kind === kind);
}

function ifaceMatches(pattern: { name: string; wildcard: boolean }, name: { name: string; wildcard: boolean }): boolean {
  // xt_physdev/ip_tables ifname matching: `eth+` is the prefix `eth`.
  if (pattern.wildcard) return name.name.startsWith(pattern.name);
  return !name.wildcard && name.name === pattern.name;
}

function protocolKey(p: { name: string | null; number: number | null }): string | null {
  if (p.number !== null) return `#${p.number}`;
  return p.name !== null ? p.name.toLowerCase() : null;
}

function coreImplied(early: CoreMatch, later: Rule): boolean {
  switch (early.kind) {
    case 'source':
    case 'destination': {
      const late = coreOf(later, early.kind) as (CoreMatch & { cidr: Cidr }) | undefined;
      return impliedValue({ negated: early.negated, value: early.cidr }, late ? { negated: late.negated, value: late.cidr } : undefined, within, disjoint);
    }
    case 'in-interface':
    case 'out-interface': {
      const late = coreOf(later, early.kind) as (CoreMatch & { iface: { name: string; wildcard: boolean } }) | undefined;
      if (!late) return false;
      if (!early.negated) return !late.negated && ifaceMatches(early.iface, late.iface);
      if (late.negated) return late.iface.name === early.iface.name && late.iface.wildcard === early.iface.wildcard;
      return !late.iface.wildcard && !ifaceMatches(early.iface, late.iface);
    }
    case 'protocol': {
      const late = coreOf(later, 'protocol') as (CoreMatch & { protocol: { name: string | null; number: number | null } }) | undefined;
      const e = protocolKey(early.protocol);
      const l = late ? protocolKey(late.protocol) : null;
      if (!late || e === null || l === null) return false;
      if (!early.negated) return !late.negated && e === l;
      return late.negated ? e === l : e !== l && !e.startsWith('#') === !l.startsWith('#');
    }
    case 'fragment': {
      const late = coreOf(later, 'fragment');
      return late !== undefined && late.negated === early.negated;
    }
    default: {
      const never: never = early;
      return never;
    }
  }
}

type PortField = 'sport' | 'dport';

function portField(rule: Rule, kind: 'tcp' | 'udp' | 'sctp', field: PortField): { negated: boolean; value: PortRange } | undefined {
  for (const m of rule.matches) {
    if (m.kind !== kind) continue;
    const f = m[field];
    if (f) return { negated: f.negated, value: f.range };
  }
  return undefined;
}

/** The later rule's destination (or source) ports as one positive range, from tcp/udp/sctp or a one-port multiport. */
function positivePorts(rule: Rule, field: PortField): PortRange[] | null {
  for (const m of rule.matches) {
    if ((m.kind === 'tcp' || m.kind === 'udp' || m.kind === 'sctp') && m[field] && !m[field]!.negated) return [m[field]!.range];
    if (m.kind === 'multiport' && !m.negated && m.direction === (field === 'sport' ? 'src' : 'dst')) return [...m.ports];
  }
  return null;
}

function moduleImplied(early: Exclude<Match, CoreMatch>, later: Rule, stateStable: boolean): boolean {
  if ('unread' in early && early.unread.length > 0) return false;
  switch (early.kind) {
    case 'comment':
      return true;
    case 'tcp':
    case 'udp':
    case 'sctp': {
      for (const field of ['sport', 'dport'] as const) {
        const f = early[field];
        if (f && !impliedValue({ negated: f.negated, value: f.range }, portField(later, early.kind, field), rangeWithin, rangesDisjoint)) return false;
      }
      // Flags, options and chunk types: only an identical test in the later rule is known to hold.
      const tests = Object.entries(early).filter(([k, v]) => v !== undefined && (k === 'flags' || k === 'option' || k === 'chunkTypes'));
      return tests.every(([k, v]) =>
        later.matches.some((m) => m.kind === early.kind && JSON.stringify((m as unknown as Record<string, unknown>)[k]) === JSON.stringify(v)),
      );
    }
    case 'multiport': {
      if (early.negated || early.direction === null) return later.matches.some((m) => m.kind === 'multiport' && canonical(m) === canonical(early));
      const fields: PortField[] = early.direction === 'src' ? ['sport'] : early.direction === 'dst' ? ['dport'] : ['sport', 'dport'];
      // `--ports` matches when either port is listed: one side of the later rule inside the list is enough.
      return fields.some((field) => {
        const late = positivePorts(later, field);
        return late !== null && late.every((r) => early.ports.some((p) => rangeWithin(r, p)));
      });
    }
    case 'icmp':
    case 'iprange':
      return later.matches.some((m) => m.kind === early.kind && canonical(m) === canonical(early));
    default:
      if (STATELESS_EXACT.has(early.kind) || (stateStable && STATEFUL_EXACT.has(early.kind))) {
        if (early.kind === 'set' && (early.packets || early.bytes)) return false;
        return later.matches.some((m) => m.kind === early.kind && canonical(m) === canonical(early));
      }
      return false;
  }
}

/** Whether every packet `later` matches is matched by `early` (false when that cannot be shown). */
export function implies(early: Rule, later: Rule, stateStable: boolean): boolean {
  for (const m of early.matches) {
    const ok =
      m.kind === 'source' || m.kind === 'destination' || m.kind === 'in-interface' || m.kind === 'out-interface' || m.kind === 'protocol' || m.kind === 'fragment'
        ? coreImplied(m, later)
        : moduleImplied(m, later, stateStable);
    if (!ok) return false;
  }
  return true;
}

/** The single destination a rule is limited to (`-d A/32`), the key shadowing candidates are indexed by. */
function hostDestination(rule: Rule): bigint | null {
  const d = coreOf(rule, 'destination');
  if (!d || d.kind !== 'destination' || d.negated) return null;
  const full = d.cidr.family === 'ipv4' ? 32 : 128;
  return d.cidr.prefix === full ? d.cidr.first : null;
}

/** The rules of a chain that an earlier rule hides, each with the first rule that hides it. */
export function shadowedRules(chain: Chain): ShadowedRule[] {
  const rules = chain.rules;
  // changes[k]: how many rules before index k may change a packet's mark, ct state or set membership.
  const changes: number[] = [0];
  for (const r of rules) changes.push(changes[changes.length - 1]! + (mayChangeState(r) ? 1 : 0));
  const broad: number[] = [];
  const byHost = new Map<bigint, number[]>();
  const out: ShadowedRule[] = [];
  for (let j = 0; j < rules.length; j++) {
    const later = rules[j]!;
    const host = hostDestination(later);
    const candidates = host !== null ? [...broad, ...(byHost.get(host) ?? [])].sort((a, b) => a - b) : broad;
    for (const i of candidates) {
      const stable = changes[j]! - changes[i + 1]! === 0;
      if (implies(rules[i]!, later, stable)) {
        out.push({ rule: later, by: rules[i]! });
        break;
      }
    }
    if (!endsChain(later)) continue;
    const h = hostDestination(later);
    if (h !== null) {
      let list = byHost.get(h);
      if (!list) byHost.set(h, (list = []));
      list.push(j);
    } else broad.push(j);
  }
  return out;
}

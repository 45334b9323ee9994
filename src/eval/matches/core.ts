/**
 * Semantics of the matches built into every rule (net/ipv4/netfilter/ip_tables.c ip_packet_match,
 * net/ipv6/netfilter/ip6_tables.c ip6_packet_match): addresses, interfaces, protocol, fragments.
 */
import type { CoreMatch, InterfaceName } from '../../model/iptables/types.js';
import type { EvalContext, MatchPiece } from '../context.js';
import { IntervalSet } from '../interval-set.js';
import { exclude, isEmptyClass, restrict, withCondition, type Field, type PacketState } from '../state.js';

const PROTO_NUMBER: Record<PacketState['proto'], number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmpv6: 58 };

/** Splits a class on `field ∈ set` (negated: `field ∉ set`). Empty parts are left out. */
export function splitOnField(state: PacketState, field: Field, set: IntervalSet, negated: boolean): MatchPiece<PacketState>[] {
  const inside = restrict(state, field, set);
  const outside = exclude(state, field, set);
  const pieces: MatchPiece<PacketState>[] = [];
  if (!isEmptyClass(inside)) pieces.push({ state: inside, matched: !negated });
  if (!isEmptyClass(outside)) pieces.push({ state: outside, matched: negated });
  return pieces;
}

/** `-i eth+` style comparison (net/netfilter/x_tables.c ifname_compare: a '+' makes a prefix match). */
export function interfaceMatches(pattern: InterfaceName, name: string): boolean {
  return pattern.wildcard ? name.startsWith(pattern.name) : name === pattern.name;
}

function ifaceMatch(
  state: PacketState,
  which: 'inIface' | 'outIface',
  pattern: InterfaceName,
  negated: boolean,
  ctx: EvalContext,
): MatchPiece<PacketState>[] {
  // The kernel has no input device in OUTPUT/POSTROUTING of locally generated packets and no
  // output device in PREROUTING/INPUT: the name compared is then empty.
  const noDevice = which === 'inIface' ? ctx.hook === 'OUTPUT' || (ctx.hook === 'POSTROUTING' && state.inIface === null) : ctx.hook === 'PREROUTING' || ctx.hook === 'INPUT';
  const name = noDevice ? '' : state[which];
  if (name === null) {
    const text = `${which === 'inIface' ? 'the input' : 'the output'} interface ${pattern.wildcard ? `matches ${pattern.name}+` : `is ${pattern.name}`}`;
    return [
      { state: withCondition(state, { kind: 'interface-unknown', text, at: ctx.at }), matched: !negated },
      { state: withCondition(state, { kind: 'interface-unknown', text: `not: ${text}`, at: ctx.at }), matched: negated },
    ];
  }
  return [{ state, matched: interfaceMatches(pattern, name) !== negated }];
}

export function evalCoreMatch(match: CoreMatch, state: PacketState, ctx: EvalContext): MatchPiece<PacketState>[] {
  switch (match.kind) {
    case 'source':
    case 'destination': {
      if (match.cidr.family !== state.family) return [{ state, matched: match.negated }];
      return splitOnField(state, match.kind === 'source' ? 'src' : 'dst', IntervalSet.of(match.cidr.first, match.cidr.last), match.negated);
    }
    case 'in-interface':
      return ifaceMatch(state, 'inIface', match.iface, match.negated, ctx);
    case 'out-interface':
      return ifaceMatch(state, 'outIface', match.iface, match.negated, ctx);
    case 'protocol': {
      const n = match.protocol.number;
      const same = n === 0 || n === PROTO_NUMBER[state.proto] || (n === 58 && state.proto === 'icmpv6');
      return [{ state, matched: same !== match.negated }];
    }
    case 'fragment':
      // The first packet of a connection is traced unfragmented: `-f` matches only later fragments.
      return [{ state, matched: match.negated }];
    default: {
      const never: never = match;
      return never;
    }
  }
}

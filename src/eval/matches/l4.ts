/**
 * Transport-header matches: tcp, udp, udplite, sctp, dccp, icmp, icmp6, multiport
 * (net/netfilter/xt_tcpudp.c, xt_sctp.c, xt_dccp.c, xt_multiport.c, ip_tables.c icmp_match).
 * The traced packet is the first of its connection: a TCP SYN (an ACK when ESTABLISHED), an
 * ICMP echo request.
 */
import type { DccpMatch, IcmpMatch, MultiportMatch, SctpMatch, TcpFlag, TcpMatch, UdpMatch } from '../../model/iptables/matches/types.js';
import type { PortRange } from '../../model/values/port.js';
import type { EvalContext, MatchPiece } from '../context.js';
import { IntervalSet } from '../interval-set.js';
import type { PacketState } from '../state.js';
import { splitOnField } from './core.js';
import { undecidable } from './fork.js';

type Pieces = MatchPiece<PacketState>[];

function ports(range: PortRange): IntervalSet {
  return IntervalSet.of(BigInt(range.from), BigInt(range.to));
}

/** Applies each port constraint in turn; a part must pass all of them to match. */
function portConstraints(state: PacketState, constraints: readonly { field: 'sport' | 'dport'; set: IntervalSet; negated: boolean }[]): Pieces {
  let live: PacketState[] = [state];
  const out: Pieces = [];
  for (const c of constraints) {
    const next: PacketState[] = [];
    for (const s of live) {
      for (const piece of splitOnField(s, c.field, c.set, c.negated)) {
        if (piece.matched) next.push(piece.state);
        else out.push(piece);
      }
    }
    live = next;
  }
  return [...live.map((s) => ({ state: s, matched: true })), ...out];
}

function sportDport(state: PacketState, m: { sport?: { range: PortRange; negated: boolean }; dport?: { range: PortRange; negated: boolean } }): Pieces {
  const constraints: { field: 'sport' | 'dport'; set: IntervalSet; negated: boolean }[] = [];
  if (m.sport) constraints.push({ field: 'sport', set: ports(m.sport.range), negated: m.sport.negated });
  if (m.dport) constraints.push({ field: 'dport', set: ports(m.dport.range), negated: m.dport.negated });
  return portConstraints(state, constraints);
}

const FLAG_BITS: Record<TcpFlag, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 };

function flagBits(flags: readonly TcpFlag[]): number {
  return flags.reduce((a, f) => a | FLAG_BITS[f], 0);
}

export function evalTcp(m: TcpMatch, state: PacketState, ctx: EvalContext): Pieces {
  if (state.proto !== 'tcp') return [{ state, matched: false }];
  let pieces = sportDport(state, m);
  if (m.flags) {
    const packetFlags = state.connState === 'NEW' ? FLAG_BITS.SYN : FLAG_BITS.ACK;
    const ok = ((packetFlags & flagBits(m.flags.mask)) === flagBits(m.flags.comp)) !== m.flags.negated;
    pieces = pieces.map((p) => (p.matched ? { state: p.state, matched: ok } : p));
  }
  if (m.option) {
    const option = m.option;
    pieces = pieces.flatMap((p) => (p.matched ? undecidable(p.state, `the TCP header carries option ${option.number}${option.negated ? ' (negated)' : ''}`, ctx) : [p]));
  }
  return pieces;
}

export function evalUdp(m: UdpMatch, state: PacketState): Pieces {
  if (state.proto !== 'udp') return [{ state, matched: false }];
  return sportDport(state, m);
}

export function evalSctp(m: SctpMatch, state: PacketState, ctx: EvalContext): Pieces {
  if (state.proto !== 'sctp') return [{ state, matched: false }];
  const pieces = sportDport(state, m);
  if (!m.chunkTypes) return pieces;
  return pieces.flatMap((p) => (p.matched ? undecidable(p.state, 'the SCTP chunk types match', ctx) : [p]));
}

export function evalDccp(_m: DccpMatch, state: PacketState): Pieces {
  // Traced packets are tcp, udp, sctp or icmp: never DCCP.
  return [{ state, matched: false }];
}

export function evalIcmp(m: IcmpMatch, state: PacketState): Pieces {
  const want = m.kind === 'icmp' ? 'icmp' : 'icmpv6';
  if (state.proto !== want) return [{ state, matched: false }];
  if (!m.icmpType) return [{ state, matched: true }];
  // The traced ICMP packet is an echo request: type 8 (ICMPv6: 128), code 0.
  const type = want === 'icmp' ? 8 : 128;
  const t = m.icmpType;
  const hit = (t.type === 255 && t.codeMin === 0 && t.codeMax === 255) || (t.type === type && t.codeMin <= 0 && 0 <= t.codeMax);
  return [{ state, matched: hit !== t.negated }];
}

export function evalMultiport(m: MultiportMatch, state: PacketState): Pieces {
  if (state.proto !== 'tcp' && state.proto !== 'udp' && state.proto !== 'sctp') return [{ state, matched: false }];
  const set = IntervalSet.from(m.ports.map((r) => ({ lo: BigInt(r.from), hi: BigInt(r.to) })));
  if (m.direction === 'src' || m.direction === 'dst') {
    return splitOnField(state, m.direction === 'src' ? 'sport' : 'dport', set, m.negated);
  }
  // --ports: either port in the list (xt_multiport ports_match_v1 with XT_MULTIPORT_EITHER).
  const out: Pieces = [];
  for (const bySport of splitOnField(state, 'sport', set, false)) {
    if (bySport.matched) out.push({ state: bySport.state, matched: !m.negated });
    else for (const byDport of splitOnField(bySport.state, 'dport', set, false)) out.push({ state: byDport.state, matched: byDport.matched !== m.negated });
  }
  return out;
}

/**
 * Matches that need facts about the node: addrtype (net/netfilter/xt_addrtype.c: the address's
 * route type), set (xt_set.c → ipset), iprange, rpfilter (xt_rpfilter.c), ipvs (xt_ipvs.c),
 * pkttype, physdev, owner, socket. Facts the snapshot lacks become conditions.
 */
import type { AddrtypeMatch, AddrType, IprangeMatch, IpvsMatch, OwnerMatch, PhysdevMatch, PkttypeMatch, RpfilterMatch, SetMatch, SocketMatch } from '../../model/iptables/matches/types.js';
import type { EvalContext, MatchPiece } from '../context.js';
import type { ConcretePacket } from '../facts.js';
import { IntervalSet } from '../interval-set.js';
import type { PacketState } from '../state.js';
import { splitOnField } from './core.js';
import { undecidable } from './fork.js';
import { addressSetText } from '../view.js';

type Pieces = MatchPiece<PacketState>[];

const MULTICAST_V4 = IntervalSet.of(0xe0000000n, 0xefffffffn);
const BROADCAST_V4 = IntervalSet.of(0xffffffffn);
const MULTICAST_V6 = IntervalSet.of(0xff00n << 112n, (1n << 128n) - 1n);

/** Splits one address field by address type: LOCAL from the node's addresses, the rest by range. */
function splitByType(state: PacketState, field: 'src' | 'dst', types: readonly AddrType[], negated: boolean, ctx: EvalContext): Pieces {
  const multicast = state.family === 'ipv4' ? MULTICAST_V4 : MULTICAST_V6;
  const broadcast = state.family === 'ipv4' ? BROADCAST_V4 : IntervalSet.EMPTY;
  const local = ctx.facts.localSet();
  const wants = new Set(types);
  const out: Pieces = [];
  let rest = state;
  const carve = (set: IntervalSet, type: AddrType): void => {
    for (const piece of splitOnField(rest, field, set, false)) {
      if (piece.matched) out.push({ state: piece.state, matched: wants.has(type) !== negated });
      else rest = piece.state;
    }
  };
  carve(multicast, 'MULTICAST');
  carve(broadcast, 'BROADCAST');
  if (rest[field].isEmpty) return out;
  if (local) {
    // A local address has route type LOCAL (a hit in the local table); all others are UNICAST here.
    for (const piece of splitOnField(rest, field, local, false)) {
      out.push({ state: piece.state, matched: (piece.matched ? wants.has('LOCAL') : wants.has('UNICAST')) !== negated });
    }
    return out;
  }
  const text = `${field === 'src' ? 'the source' : 'the destination'} ${addressSetText(state.family, rest[field])} is a local address of the node (no ip addr dump)`;
  for (const p of undecidable(rest, text, ctx, 'local-addresses-unknown')) {
    out.push({ state: p.state, matched: (p.matched ? wants.has('LOCAL') : wants.has('UNICAST')) !== negated });
  }
  return out;
}

export function evalAddrtype(m: AddrtypeMatch, state: PacketState, ctx: EvalContext): Pieces {
  let pieces: Pieces = [{ state, matched: true }];
  if (m.srcType) {
    const { types, negated } = m.srcType;
    pieces = pieces.flatMap((p) => (p.matched ? splitByType(p.state, 'src', types, negated, ctx) : [p]));
  }
  if (m.dstType) {
    const { types, negated } = m.dstType;
    pieces = pieces.flatMap((p) => (p.matched ? splitByType(p.state, 'dst', types, negated, ctx) : [p]));
  }
  return pieces;
}

function concrete(state: PacketState): ConcretePacket | null {
  const src = state.src.single;
  const dst = state.dst.single;
  const sport = state.sport.single;
  const dport = state.dport.single;
  if (src === null || dst === null || sport === null || dport === null) return null;
  return { family: state.family, src, dst, proto: state.proto, sport: Number(sport), dport: Number(dport), inIface: state.inIface, outIface: state.outIface, mark: state.mark };
}

export function evalSet(m: SetMatch, state: PacketState, ctx: EvalContext): Pieces {
  const ipsets = ctx.facts.ipsets;
  const describe = `${m.flags.join(',')} of the packet is in ipset ${m.name}`;
  if (!ipsets.known) return undecidable(state, `${describe} (no ipset dump)`, ctx, 'ipset-missing').map((p) => ({ state: p.state, matched: p.matched !== m.negated }));
  if (!ipsets.exists(name(m))) return undecidable(state, `${describe} (set ${m.name} is not in the ipset dump)`, ctx, 'ipset-missing').map((p) => ({ state: p.state, matched: p.matched !== m.negated }));
  const packet = concrete(state);
  if (packet) {
    const answer = ipsets.test(m.name, packet, m.flags);
    if (answer === 'unknown') return undecidable(state, describe, ctx).map((p) => ({ state: p.state, matched: p.matched !== m.negated }));
    return [{ state, matched: answer !== m.negated }];
  }
  const set = m.flags.length === 1 ? ipsets.addressSet(m.name) : null;
  if (set) return splitOnField(state, m.flags[0] === 'src' ? 'src' : 'dst', set, m.negated);
  return undecidable(state, describe, ctx).map((p) => ({ state: p.state, matched: p.matched !== m.negated }));
}

function name(m: SetMatch): string {
  return m.name;
}

export function evalIprange(m: IprangeMatch, state: PacketState): Pieces {
  let pieces: Pieces = [{ state, matched: true }];
  const by = (field: 'src' | 'dst', c: { range: { first: bigint; last: bigint; family: string }; negated: boolean }): void => {
    pieces = pieces.flatMap((p) => (p.matched ? splitOnField(p.state, field, IntervalSet.of(c.range.first, c.range.last), c.negated) : [p]));
  };
  if (m.src) by('src', m.src);
  if (m.dst) by('dst', m.dst);
  return pieces;
}

/** rpfilter: a reverse-path lookup of the source (xt_rpfilter.c rpfilter_lookup_reverse). */
export function evalRpfilter(m: RpfilterMatch, state: PacketState, ctx: EvalContext): Pieces {
  const src = state.src.single;
  if (src === null || state.inIface === null) return undecidable(state, 'the reverse-path check passes', ctx).map((p) => ({ state: p.state, matched: p.matched !== m.invert }));
  const iface = ctx.facts.routeIface(src);
  const local = ctx.facts.isLocal(src);
  if (iface === 'unknown') return undecidable(state, 'the reverse-path check passes (no ip route dump)', ctx, 'route-unknown').map((p) => ({ state: p.state, matched: p.matched !== m.invert }));
  let pass = iface !== null && (m.loose || iface === state.inIface);
  if (local === true && m.acceptLocal) pass = true;
  return [{ state, matched: pass !== m.invert }];
}

export function evalIpvs(m: IpvsMatch, state: PacketState): Pieces {
  const conn = state.ipvsConn;
  let ok = true;
  if (m.ipvs) ok = (conn !== null) !== m.ipvs.negated;
  if (ok && m.vproto) ok = conn !== null && (conn.proto === m.vproto.protocol) !== m.vproto.negated;
  if (ok && m.vaddr) ok = conn !== null && (conn.vip >= m.vaddr.cidr.first && conn.vip <= m.vaddr.cidr.last) !== m.vaddr.negated;
  if (ok && m.vport) ok = conn !== null && (conn.vport === m.vport.port) !== m.vport.negated;
  if (ok && m.vdir) ok = conn !== null && m.vdir === 'ORIGINAL';
  if (ok && m.vmethod) ok = conn !== null && (conn.method === m.vmethod.method) !== m.vmethod.negated;
  if (ok && m.vportctl) ok = conn !== null && m.vportctl.negated;
  return [{ state, matched: ok }];
}

/** pkttype: traced packets are unicast unless sent to a multicast or the broadcast address. */
export function evalPkttype(m: PkttypeMatch, state: PacketState): Pieces {
  if (m.type === null) return [{ state, matched: !m.negated }];
  const multicast = state.family === 'ipv4' ? MULTICAST_V4 : MULTICAST_V6;
  const out: Pieces = [];
  for (const p of splitOnField(state, 'dst', multicast, false)) {
    if (p.matched) out.push({ state: p.state, matched: (m.type === 'multicast') !== m.negated });
    else {
      for (const q of splitOnField(p.state, 'dst', state.family === 'ipv4' ? BROADCAST_V4 : IntervalSet.EMPTY, false)) {
        out.push({ state: q.state, matched: ((q.matched ? 'broadcast' : 'unicast') === m.type) !== m.negated });
      }
    }
  }
  return out;
}

export function evalPhysdev(_m: PhysdevMatch, state: PacketState, ctx: EvalContext): Pieces {
  return undecidable(state, 'the bridge-port (physdev) conditions hold: they depend on br_netfilter and the bridge ports the packet crossed', ctx);
}

/** owner: only locally generated packets have a socket (xt_owner.c needs skb->sk). */
export function evalOwner(m: OwnerMatch, state: PacketState, ctx: EvalContext): Pieces {
  if (state.origin !== 'host') {
    // No socket: xt_owner returns (match ^ invert) == 0, i.e. true only when every test is negated.
    const tests = [m.socketExists, m.uid, m.gid].filter((t) => t !== undefined);
    return [{ state, matched: tests.length > 0 && tests.every((t) => t.negated) }];
  }
  return undecidable(state, 'the sending process has the --uid-owner/--gid-owner given', ctx);
}

export function evalSocket(_m: SocketMatch, state: PacketState, ctx: EvalContext): Pieces {
  return undecidable(state, 'a local socket matches the packet', ctx);
}

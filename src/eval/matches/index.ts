/**
 * Match semantics: one exhaustive switch over the model's closed union of matches. Facts the
 * snapshot lacks become conditions: the class forks into "matches, if …" and "does not, if …".
 */
import type { Match } from '../../model/iptables/types.js';
import type { ModuleMatch } from '../../model/iptables/matches/types.js';
import type { EvalContext, MatchPiece } from '../context.js';
import type { PacketState } from '../state.js';
import { evalAddrtype, evalIprange, evalIpvs, evalOwner, evalPhysdev, evalPkttype, evalRpfilter, evalSet, evalSocket } from './addresses.js';
import { evalConntrack, evalMark, evalRecent, evalState, evalStatistic } from './connection.js';
import { evalCoreMatch } from './core.js';
import { undecidable } from './fork.js';
import { evalDccp, evalIcmp, evalMultiport, evalSctp, evalTcp, evalUdp } from './l4.js';

type Pieces = MatchPiece<PacketState>[];

function evalModule(m: ModuleMatch, state: PacketState, ctx: EvalContext): Pieces {
  switch (m.kind) {
    case 'comment':
    case 'nfacct':
      return [{ state, matched: true }];
    case 'unknown':
      return undecidable(state, `unknown match module "${m.module}" matches`, ctx, 'unknown-module');
    case 'tcp':
      return evalTcp(m, state, ctx);
    case 'udp':
      return evalUdp(m, state);
    case 'sctp':
      return evalSctp(m, state, ctx);
    case 'dccp':
      return evalDccp(m, state);
    case 'icmp':
    case 'icmp6':
      return evalIcmp(m, state);
    case 'multiport':
      return evalMultiport(m, state);
    case 'mark':
    case 'connmark':
      return evalMark(m, state);
    case 'conntrack':
      return evalConntrack(m, state, ctx);
    case 'state':
      return evalState(m, state);
    case 'addrtype':
      return evalAddrtype(m, state, ctx);
    case 'set':
      return evalSet(m, state, ctx);
    case 'statistic':
      return evalStatistic(m, state, ctx);
    case 'recent':
      return evalRecent(m, state, ctx);
    case 'iprange':
      return evalIprange(m, state);
    case 'rpfilter':
      return evalRpfilter(m, state, ctx);
    case 'ipvs':
      return evalIpvs(m, state);
    case 'pkttype':
      return evalPkttype(m, state);
    case 'physdev':
      return evalPhysdev(m, state, ctx);
    case 'owner':
      return evalOwner(m, state, ctx);
    case 'socket':
      return evalSocket(m, state, ctx);
    // Rate and counting matches: the first packet of a flow usually passes, but that depends on
    // traffic iptlens cannot see, so both outcomes are reported.
    case 'limit':
      return undecidable(state, `the packet is within the limit of ${m.perSecond}/s (burst ${m.burst})`, ctx, 'rate');
    case 'hashlimit':
      return undecidable(state, `the hashlimit "${m.name}" is ${m.above ? 'exceeded' : 'not exceeded'}`, ctx, 'rate');
    case 'connlimit':
      return undecidable(state, `the connection count is ${m.above ? 'above' : 'at most'} ${m.count}`, ctx, 'rate');
    case 'time':
      return undecidable(state, 'the packet arrives within the --time window', ctx);
    case 'string':
      return undecidable(state, 'the payload contains the --string pattern', ctx);
    case 'u32':
      return undecidable(state, 'the --u32 tests hold on the packet bytes', ctx);
    case 'bpf':
      return undecidable(state, 'the BPF program accepts the packet', ctx);
    case 'cgroup':
      return state.origin === 'host' ? undecidable(state, 'the sending process is in the --cgroup', ctx) : [{ state, matched: false }];
    case 'length':
      return undecidable(state, `the packet length is in ${m.range ? `${m.range.from}:${m.range.to}` : 'the range'}`, ctx);
    case 'ttl':
    case 'hl':
      return undecidable(state, `the ${m.kind === 'ttl' ? 'TTL' : 'hop limit'} is ${m.op ?? 'eq'} ${m.value}`, ctx);
    case 'tos':
    case 'dscp':
      return undecidable(state, `the packet's ${m.kind.toUpperCase()} field matches`, ctx);
    case 'mac':
      return undecidable(state, `the source MAC is ${m.source ?? '(unreadable)'}`, ctx);
    case 'policy':
      return undecidable(state, `the IPsec policy (${m.dir ?? '?'} ${m.pol ?? '?'}) matches`, ctx);
    case 'devgroup':
      return undecidable(state, 'the interfaces are in the --src-group/--dst-group', ctx);
    case 'realm':
      return undecidable(state, 'the route realm matches', ctx);
    case 'helper':
      return undecidable(state, `the connection uses conntrack helper "${m.helper}"`, ctx);
    // IPv6 extension headers and IPsec headers: a traced tcp/udp/sctp/icmp packet carries none.
    case 'rt':
    case 'frag':
    case 'ah':
    case 'esp':
      return [{ state, matched: false }];
    default: {
      const never: never = m;
      return never;
    }
  }
}

export function evalMatch(match: Match, state: PacketState, ctx: EvalContext): Pieces {
  switch (match.kind) {
    case 'source':
    case 'destination':
    case 'in-interface':
    case 'out-interface':
    case 'protocol':
    case 'fragment':
      return evalCoreMatch(match, state, ctx);
    default:
      return evalModule(match, state, ctx);
  }
}

/** All matches of a rule in order: the parts that pass every one, and the parts that fail one. */
export function evalRuleMatches(matches: readonly Match[], state: PacketState, ctx: EvalContext): { matched: PacketState[]; unmatched: PacketState[] } {
  let live: PacketState[] = [state];
  const unmatched: PacketState[] = [];
  for (const match of matches) {
    const next: PacketState[] = [];
    for (const s of live) {
      for (const piece of evalMatch(match, s, ctx)) {
        if (piece.matched) next.push(piece.state);
        else unmatched.push(piece.state);
      }
    }
    live = next;
    if (live.length === 0) break;
  }
  return { matched: live, unmatched };
}

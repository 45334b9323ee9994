/**
 * Matches on the connection and on marks: conntrack, state, mark, connmark, recent, statistic
 * (net/netfilter/xt_conntrack.c, xt_state.c, xt_mark.c, xt_connmark.c, xt_recent.c,
 * xt_statistic.c). The traced packet is the first of a connection (NEW) unless the probe says
 * ESTABLISHED; its conntrack entry is not yet confirmed, has seen no reply and has no helper.
 */
import type { ConntrackMatch, CtState, CtStatus, MarkMatch, RecentMatch, StateMatch, StatisticMatch } from '../../model/iptables/matches/types.js';
import type { EvalContext, MatchPiece } from '../context.js';
import { IntervalSet } from '../interval-set.js';
import { withCondition, type PacketState } from '../state.js';
import { splitOnField } from './core.js';
import { undecidable } from './fork.js';

type Pieces = MatchPiece<PacketState>[];

/** The conntrack states the packet is in (xt_conntrack.c conntrack_mt: state bits + SNAT/DNAT virtual states). */
function ctStates(state: PacketState): Set<CtState> {
  const out = new Set<CtState>();
  if (state.untracked) {
    out.add('UNTRACKED');
    return out;
  }
  out.add(state.connState === 'NEW' ? 'NEW' : 'ESTABLISHED');
  if (state.dnat) out.add('DNAT');
  if (state.snat) out.add('SNAT');
  return out;
}

const PROTO_NUMBER: Record<PacketState['proto'], number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmpv6: 58 };

function statesMatch(state: PacketState, wanted: readonly CtState[], negated: boolean): boolean {
  const have = ctStates(state);
  return wanted.some((s) => have.has(s)) !== negated;
}

export function evalConntrack(m: ConntrackMatch, state: PacketState, ctx: EvalContext): Pieces {
  let pieces: Pieces = [{ state, matched: true }];
  const each = (test: (s: PacketState) => Pieces): void => {
    pieces = pieces.flatMap((p) => (p.matched ? test(p.state) : [p]));
  };
  if (m.ctstate) {
    const { states, negated } = m.ctstate;
    each((s) => [{ state: s, matched: statesMatch(s, states, negated) }]);
  }
  if (m.ctproto) {
    const { protocol, negated } = m.ctproto;
    each((s) => [{ state: s, matched: (protocol === PROTO_NUMBER[s.proto]) !== negated }]);
  }
  // Original tuple: the packet as it entered; reply tuple: the other way round after NAT.
  const addr = (field: 'src' | 'dst', c: { cidr: { first: bigint; last: bigint }; negated: boolean }) =>
    each((s) => splitOnField(s, field, IntervalSet.of(c.cidr.first, c.cidr.last), c.negated));
  if (m.ctorigsrc) addr(state.snat ? 'src' : 'src', m.ctorigsrc);
  if (m.ctorigdst) {
    const c = m.ctorigdst;
    each((s) => {
      const set = IntervalSet.of(c.cidr.first, c.cidr.last);
      if (!s.dnat) return splitOnField(s, 'dst', set, c.negated);
      const inside = !s.origDst.intersect(set).isEmpty;
      const outside = !s.origDst.subtract(set).isEmpty;
      if (inside && outside) return undecidable(s, `the original destination is in ${c.cidr.first === c.cidr.last ? 'the address' : 'the prefix'} of --ctorigdst`, ctx);
      return [{ state: s, matched: inside !== c.negated }];
    });
  }
  if (m.ctreplsrc) addr('dst', m.ctreplsrc);
  if (m.ctrepldst) addr('src', m.ctrepldst);
  const port = (field: 'sport' | 'dport', c: { range: { from: number; to: number }; negated: boolean }) =>
    each((s) => splitOnField(s, field, IntervalSet.of(BigInt(c.range.from), BigInt(c.range.to)), c.negated));
  if (m.ctorigsrcport) port('sport', m.ctorigsrcport);
  if (m.ctorigdstport) port('dport', m.ctorigdstport);
  if (m.ctreplsrcport) port('dport', m.ctreplsrcport);
  if (m.ctrepldstport) port('sport', m.ctrepldstport);
  if (m.ctstatus) {
    const { statuses, negated } = m.ctstatus;
    each((s) => {
      // A NEW connection's entry has no status bits yet (it is confirmed after POSTROUTING/INPUT).
      const have = new Set<CtStatus>(s.connState === 'NEW' ? ['NONE'] : ['SEEN_REPLY', 'CONFIRMED']);
      if (s.connState !== 'NEW' && statuses.includes('ASSURED')) return undecidable(s, 'the connection is ASSURED', ctx);
      return [{ state: s, matched: statuses.some((x) => have.has(x)) !== negated }];
    });
  }
  if (m.ctexpire) each((s) => undecidable(s, 'the connection expires within the --ctexpire range', ctx));
  if (m.ctdir) {
    const dir = m.ctdir;
    each((s) => [{ state: s, matched: dir === 'ORIGINAL' }]);
  }
  return pieces;
}

export function evalState(m: StateMatch, state: PacketState): Pieces {
  return [{ state, matched: statesMatch(state, m.states, m.negated) }];
}

export function evalMark(m: MarkMatch, state: PacketState): Pieces {
  const value = m.kind === 'mark' ? state.mark : state.ctmark;
  return [{ state, matched: (((value & m.mask) >>> 0) === m.value >>> 0) !== m.negated }];
}

/**
 * recent: a first connection finds no entry (the list is empty for it), unless the probe assumes
 * history, or this traversal itself ran `--set` on the same list.
 */
export function evalRecent(m: RecentMatch, state: PacketState, ctx: EvalContext): Pieces {
  if (m.mode === 'set' || m.mode === null) {
    return [{ state: { ...state, recentSet: [...state.recentSet, m.name] }, matched: !m.negated }];
  }
  if (state.recentSet.includes(m.name)) return [{ state, matched: !m.negated }];
  if (!state.assumeHistory) return [{ state, matched: m.negated }];
  const text = `the ${m.side === 'source' ? 'source' : 'destination'} address is in recent list "${m.name}"${m.seconds ? ` (seen in the last ${m.seconds}s)` : ''}${m.hitcount ? ` at least ${m.hitcount} times` : ''}`;
  return undecidable(state, text, ctx, 'history').map((p) => ({ state: p.state, matched: p.matched !== m.negated }));
}

export function evalStatistic(m: StatisticMatch, state: PacketState, ctx: EvalContext): Pieces {
  if (m.mode === 'random') {
    const p = m.negated ? 1 - m.probability : m.probability;
    const at = ctx.at;
    return [
      { state: withCondition(state, { kind: 'random', text: `random choice at ${ctx.table}/${ctx.rule.chain}#${ctx.rule.index} (p=${p.toFixed(4)})`, at }, p), matched: true },
      { state: withCondition(state, { kind: 'random', text: `random choice at ${ctx.table}/${ctx.rule.chain}#${ctx.rule.index} not taken (p=${(1 - p).toFixed(4)})`, at }, 1 - p), matched: false },
    ];
  }
  if (m.mode === 'nth') {
    const p = 1 / Math.max(1, m.every);
    return undecidable(state, `this is the packet the nth counter picks (1 in ${m.every})`, ctx, 'random', m.negated ? 1 - p : p);
  }
  return [{ state, matched: !m.negated }];
}

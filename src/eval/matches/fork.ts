/** Forking on a fact the dumps do not hold: "matches, if …" and "does not match, if not …". */
import type { EvalContext, MatchPiece } from '../context.js';
import { withCondition, type PacketState } from '../state.js';
import type { Condition } from '../types.js';

export function undecidable(
  state: PacketState,
  text: string,
  ctx: EvalContext,
  kind: Condition['kind'] = 'undecidable-match',
  probability: number | null = null,
): MatchPiece<PacketState>[] {
  return [
    { state: withCondition(state, { kind, text, at: ctx.at }, probability ?? 1), matched: true },
    { state: withCondition(state, { kind, text: `not: ${text}`, at: ctx.at }, probability === null ? 1 : 1 - probability), matched: false },
  ];
}

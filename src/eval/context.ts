/** What a match or target evaluation may see besides the packet: the node, and where we are. */
import type { SourceRef } from '../../grammar/source.js';
import type { Rule, TableName } from '../model/iptables/types.js';
import type { NodeFacts } from './facts.js';
import type { Hook } from './types.js';

export interface EvalContext {
  readonly facts: NodeFacts;
  readonly hook: Hook;
  readonly table: TableName;
  readonly rule: Rule;
  /** The rule's position, for conditions and steps. */
  readonly at: SourceRef;
}

/** One part of a packet class after a match: matched, or not. */
export interface MatchPiece<S> {
  readonly state: S;
  readonly matched: boolean;
}

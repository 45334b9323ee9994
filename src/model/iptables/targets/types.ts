/**
 * Typed targets (`-j`/`-g`): a closed union keyed by `kind`. A jump to a user chain is `jump` or
 * `goto`; a target that is neither a chain nor known is `unknown`, kept as written.
 */
import type { Span } from '../../../../grammar/source.js';
import type { OptionSyntax } from '../../../../grammar/iptables-save/syntax.js';

export interface TargetBase {
  /** `-j NAME` to the last of its options. */
  readonly at: Span;
  /** The target's options as written. */
  readonly options: readonly OptionSyntax[];
}

export interface JumpTarget extends TargetBase {
  readonly kind: 'jump';
  readonly chain: string;
}

export interface GotoTarget extends TargetBase {
  readonly kind: 'goto';
  readonly chain: string;
}

export interface VerdictTarget extends TargetBase {
  readonly kind: 'ACCEPT' | 'DROP' | 'RETURN' | 'QUEUE';
}

export interface UnknownTarget extends TargetBase {
  readonly kind: 'unknown';
  readonly name: string;
}

export type Target = JumpTarget | GotoTarget | VerdictTarget | UnknownTarget;

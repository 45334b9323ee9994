/**
 * Typed `-m` matches: a closed union keyed by `kind` (the module name). A module iptlens does not
 * know is `unknown`, kept with its options as written (house rule 3).
 */
import type { Span } from '../../../../grammar/source.js';
import type { OptionSyntax } from '../../../../grammar/iptables-save/syntax.js';

/** What every module match carries besides its typed fields. */
export interface ModuleMatchBase {
  /** `-m NAME` to the last of its options. */
  readonly at: Span;
  /** The module's options as written (the printer writes these back). */
  readonly options: readonly OptionSyntax[];
  /** True when `-m` was implied by `-p tcp|udp|…` rather than written. */
  readonly implicit: boolean;
}

/** A module iptlens does not know: read as written, and a trace treats it as "may match". */
export interface UnknownMatch extends ModuleMatchBase {
  readonly kind: 'unknown';
  readonly module: string;
}

/** The comment module: no effect on packets. */
export interface CommentMatch extends ModuleMatchBase {
  readonly kind: 'comment';
  readonly comment: string;
}

export type ModuleMatch = UnknownMatch | CommentMatch;

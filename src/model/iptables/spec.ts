/**
 * How the rule builder talks to the match and target catalogues: each `-m` module and each
 * target extension is described by a spec (its option names) and a pure `build` that turns its
 * options as written into typed fields, reporting bad values instead of throwing.
 *
 * Option attribution mirrors xtables: an option after `-m a -m b` belongs to whichever loaded
 * module declares that name (iptables merges every loaded module's long options into one getopt
 * table), not simply to the last `-m`; `-p tcp` loads `tcp` implicitly when one of its options
 * is used (iptables/xshared.c: command_default → load_proto).
 */
import type { MessageArgs, MessageCode } from '../../../grammar/messages/index.js';
import type { SourceText, Span } from '../../../grammar/source.js';
import type { Family } from '../values/address.js';
import type { ModuleMatch, ModuleMatchBase } from './matches/types.js';
import type { Target, TargetBase } from './targets/types.js';
import type { Protocol, TableName } from './types.js';

/** One option of a module or target. */
export interface OptionSpec {
  /** Every spelling iptables accepts, canonical (the one iptables-save prints) first. */
  readonly names: readonly string[];
}

/** What a spec's `build` may know about the rule around it. */
export interface BuildContext {
  readonly family: Family;
  readonly table: TableName;
  /** The rule's `-p`, when given and not negated. */
  readonly protocol: Protocol | null;
  readonly source: SourceText;
  /** Report a problem with a value or option; the build goes on with what it could read. */
  report<C extends MessageCode>(code: C, at: Span, ...args: MessageArgs<C>): void;
}

export interface MatchSpec {
  /** Module name as given to `-m`. */
  readonly name: string;
  /** Other names that load the same module (`icmpv6` for `icmp6`, …). */
  readonly aliases?: readonly string[];
  /** The options it declares; `any` for modules whose options are free-form. */
  readonly options: readonly OptionSpec[] | 'any';
  /** `-p` protocols that load it implicitly when one of its options is used. */
  readonly implicitFor?: readonly string[];
  /** Families it exists in (`icmp` is IPv4 only, `icmp6`/`rt`/`frag`/`hl` IPv6 only). */
  readonly families?: readonly Family[];
  readonly build: (base: ModuleMatchBase, ctx: BuildContext) => ModuleMatch;
}

export interface TargetSpec {
  /** Target name as given to `-j` (upper case for extensions). */
  readonly name: string;
  readonly options: readonly OptionSpec[] | 'any';
  /** Tables it may be used in (iptables refuses it elsewhere); absent: any. */
  readonly tables?: readonly TableName[];
  readonly families?: readonly Family[];
  readonly build: (base: TargetBase, ctx: BuildContext) => Target;
}

/** True when a spec declares an option name. */
export function declaresOption(spec: { readonly options: readonly OptionSpec[] | 'any' }, name: string): boolean {
  return spec.options === 'any' || spec.options.some((o) => o.names.includes(name));
}

/**
 * The syntax tree of an iptables-save / iptables-restore text: one statement per line, each
 * token kept with its position. Meaning (which module an option belongs to, what a value is) is
 * given by `src/model/iptables`, not here.
 *
 * Statements carry a full {@link SourceRef}; the words and options inside one carry plain
 * offsets ({@link Span}) into the same source, which keeps a 150k-line dump small in memory.
 */
import type { SourceRef, SourceText, Span } from '../source.js';
import type { Diagnostic } from '../diagnostics.js';

/** A value as iptables would receive it in argv: quotes removed, escapes resolved. */
export interface WordSyntax extends Span {
  readonly text: string;
  /** True when it was written in double quotes. */
  readonly quoted: boolean;
}

/** `[packets:bytes]` */
export interface CountersSyntax extends Span {
  readonly packets: bigint;
  readonly bytes: bigint;
}

/**
 * One option of a rule: `! -s 10.0.0.0/8`, `--dport 80`, `-j DNAT`, `--match-set KUBE-X dst,dst`.
 * `start`/`end` run from the `!` (or the option name) to the last value.
 */
export interface OptionSyntax extends Span {
  /** As written: `-s`, `--dport`, `-m`. */
  readonly name: string;
  readonly nameStart: number;
  /** `!` before the option (or, in dumps older than iptables 1.4.3, between option and value). */
  readonly negated: boolean;
  /** True when the `!` stood after the option name (old syntax): kept so the printer can say so. */
  readonly negationAfterName: boolean;
  readonly values: readonly WordSyntax[];
}

export type CommandName = '-A' | '-I' | '-D' | '-R' | '-N' | '-X' | '-F' | '-P' | '-Z' | '-E';

export type StatementSyntax =
  | { readonly kind: 'comment'; readonly text: string; readonly at: SourceRef }
  | { readonly kind: 'table'; readonly name: string; readonly at: SourceRef }
  | {
      readonly kind: 'chain';
      readonly name: string;
      /** `ACCEPT`/`DROP` for built-in chains, `-` for user chains, as written. */
      readonly policy: WordSyntax | null;
      readonly counters: CountersSyntax | null;
      readonly at: SourceRef;
    }
  | { readonly kind: 'commit'; readonly at: SourceRef }
  | {
      readonly kind: 'command';
      readonly command: CommandName;
      readonly commandStart: number;
      /** The words after the command: a chain name, then an index (-I/-R/-D), a policy (-P), a new name (-E). */
      readonly args: readonly WordSyntax[];
      /** `[packets:bytes]` written before the command (iptables-save -c). */
      readonly counters: CountersSyntax | null;
      readonly options: readonly OptionSyntax[];
      /** A `# …` after the rule: iptables-restore rejects it; kept to say so. */
      readonly trailingComment: Span | null;
      /** The whole line, without its line break. */
      readonly at: SourceRef;
    };

export interface IptablesSaveSyntax {
  readonly source: SourceText;
  readonly statements: readonly StatementSyntax[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The syntax tree of ipset text: `ipset save` / restore commands and `ipset list` blocks, in the
 * order they appear (both forms may be mixed in one text). Tokens keep their positions; what an
 * element or an option means for a given set type is decided by `src/model/ipset`, not here.
 *
 * Statements carry a full {@link SourceRef}; words, options and elements inside one carry plain
 * offsets ({@link Span}) into the same source.
 */
import type { SourceRef, SourceText, Span } from '../source.js';
import type { Diagnostic } from '../diagnostics.js';

/** A word as ipset would receive it in argv: quotes removed. */
export interface WordSyntax extends Span {
  readonly text: string;
  /** True when it was written in double quotes. */
  readonly quoted: boolean;
}

/** `hashsize 1024`, `counters`, `comment "x"`, or an option ipset does not have (`known: false`). */
export interface OptionSyntax extends Span {
  readonly name: string;
  readonly nameStart: number;
  readonly value: WordSyntax | null;
  /** False for a word that is not an ipset option keyword. */
  readonly known: boolean;
}

/** An element: its comma-separated parts, one per dimension of the set type (`10.0.0.1,tcp:80`). */
export interface ElementSyntax extends Span {
  readonly parts: readonly WordSyntax[];
  /** The element as written, commas included. */
  readonly text: string;
}

/** One member line of `ipset list`: an element and its extensions (`timeout 30 comment "x"`). */
export interface MemberSyntax {
  readonly element: ElementSyntax;
  readonly options: readonly OptionSyntax[];
  /** The whole line, without its line break. */
  readonly at: SourceRef;
}

/** The `ipset list` header fields that hold one value. */
export type ListFieldName = 'name' | 'type' | 'revision' | 'size-in-memory' | 'references' | 'entries';

/** A `Label: value` line. */
export interface ListFieldSyntax {
  readonly value: WordSyntax;
  readonly at: SourceRef;
}

/** `Header: family inet hashsize 1024 …` */
export interface ListHeaderSyntax {
  readonly options: readonly OptionSyntax[];
  readonly at: SourceRef;
}

/** One set as `ipset list` (`-o plain`) prints it. */
export interface ListingSyntax {
  readonly kind: 'listing';
  readonly name: WordSyntax;
  readonly type: ListFieldSyntax | null;
  readonly revision: ListFieldSyntax | null;
  readonly header: ListHeaderSyntax | null;
  readonly sizeInMemory: ListFieldSyntax | null;
  readonly references: ListFieldSyntax | null;
  readonly entries: ListFieldSyntax | null;
  /** Null when there is no `Members:` line (`ipset list -t`, or a cut paste): members unknown. */
  readonly members: readonly MemberSyntax[] | null;
  readonly membersAt: SourceRef | null;
  /** The `Name:` line. */
  readonly at: SourceRef;
}

export type IpsetStatementSyntax =
  | { readonly kind: 'comment'; readonly text: string; readonly at: SourceRef }
  /** A pasted shell prompt line (`$ ipset list X`), kept so a later stage can use the command. */
  | { readonly kind: 'prompt'; readonly text: string; readonly at: SourceRef }
  | {
      readonly kind: 'create';
      readonly name: WordSyntax;
      readonly type: WordSyntax;
      readonly options: readonly OptionSyntax[];
      readonly at: SourceRef;
    }
  | {
      readonly kind: 'add' | 'del';
      readonly name: WordSyntax;
      readonly element: ElementSyntax;
      readonly options: readonly OptionSyntax[];
      readonly at: SourceRef;
    }
  /** Without a name: every set. */
  | { readonly kind: 'flush' | 'destroy'; readonly name: WordSyntax | null; readonly at: SourceRef }
  | { readonly kind: 'rename' | 'swap'; readonly from: WordSyntax; readonly to: WordSyntax; readonly at: SourceRef }
  | { readonly kind: 'commit'; readonly at: SourceRef }
  | ListingSyntax;

/** What one line parses to, before `ipset list` lines are gathered into a {@link ListingSyntax}. */
export type IpsetLineSyntax =
  | Exclude<IpsetStatementSyntax, ListingSyntax>
  | { readonly kind: 'field'; readonly field: ListFieldName; readonly value: WordSyntax; readonly at: SourceRef }
  | { readonly kind: 'header'; readonly options: readonly OptionSyntax[]; readonly at: SourceRef }
  | { readonly kind: 'members-label'; readonly at: SourceRef };

export interface IpsetSyntax {
  readonly source: SourceText;
  readonly statements: readonly IpsetStatementSyntax[];
  readonly diagnostics: readonly Diagnostic[];
}

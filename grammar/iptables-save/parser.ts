/**
 * The iptables-save grammar. One statement per line, as iptables-restore reads it:
 *
 *   statement := Comment | TableName | chainDecl | Commit | command
 *   chainDecl := ChainName Word? Counters?
 *   command   := Counters? CommandOpt Value* option* Comment?
 *   option    := Bang? Option ( Value | Bang Value )*
 *
 * An embedded-actions parser (no CST) keeps memory flat on 150k-line dumps.
 */
import { EmbeddedActionsParser, type IToken, type TokenType } from 'chevrotain';
import type { SourceRef, SourceText } from '../source.js';
import { toSourceRef } from '../source.js';
import {
  allTokens,
  Bang,
  ChainName,
  Comment,
  CommandOpt,
  Commit,
  Counters,
  Option,
  TableName,
  Value,
  Word,
  Quoted,
  Argument,
} from './tokens.js';
import type { CommandName, CountersSyntax, OptionSyntax, StatementSyntax, WordSyntax } from './syntax.js';

/** Removes the quotes of a quoted token and resolves `\"` and `\\` as iptables-restore does. */
export function unquote(image: string): string {
  const inner = image.slice(1, -1);
  return inner.includes('\\') ? inner.replace(/\\(["\\])/g, '$1') : inner;
}

export class IptablesSaveParser extends EmbeddedActionsParser {
  /** The text the current tokens were lexed from. */
  source: SourceText = { name: '', text: '' };
  /** Offset added to token offsets (non-zero when lexing a slice of the source). */
  base = 0;

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  /** The current line, from its first character to its line break (exclusive). */
  lineStart = 0;
  lineEnd = 0;

  private ref(token: IToken): SourceRef {
    return toSourceRef(this.source, token, this.base);
  }

  private lineRef(): SourceRef {
    return { source: this.source, start: this.lineStart + this.base, end: this.lineEnd + this.base };
  }

  private word(token: IToken): WordSyntax {
    const quoted = token.tokenType === Quoted;
    const image = token.image;
    const start = token.startOffset + this.base;
    return { text: quoted ? unquote(image) : image, quoted, start, end: start + image.length };
  }

  private counters(token: IToken): CountersSyntax {
    const image = token.image;
    const colon = image.indexOf(':');
    const start = token.startOffset + this.base;
    return {
      packets: BigInt(image.slice(1, colon)),
      bytes: BigInt(image.slice(colon + 1, -1)),
      start,
      end: start + image.length,
    };
  }

  private isBangBeforeOption(): boolean {
    return this.LA(1).tokenType === Bang && isOption(this.LA(2).tokenType);
  }

  public statement = this.RULE('statement', (): StatementSyntax => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(Comment);
          return { kind: 'comment', text: t.image, at: this.ref(t) } as const;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(TableName);
          return { kind: 'table', name: t.image.slice(1), at: this.ref(t) } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.chainDecl) },
      {
        ALT: () => {
          const t = this.CONSUME(Commit);
          return { kind: 'commit', at: this.ref(t) } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.command) },
    ]);
  });

  public chainDecl = this.RULE('chainDecl', (): StatementSyntax => {
    const name = this.CONSUME(ChainName);
    const policy = this.OPTION(() => this.CONSUME(Word));
    const counters = this.OPTION2(() => this.CONSUME(Counters));
    return this.ACTION(() => ({
      kind: 'chain',
      name: name.image.slice(1),
      policy: policy ? this.word(policy) : null,
      counters: counters ? this.counters(counters) : null,
      at: this.lineRef(),
    }) as const)!;
  });

  public command = this.RULE('command', (): StatementSyntax => {
    const counters = this.OPTION(() => this.CONSUME(Counters));
    const cmd = this.CONSUME(CommandOpt);
    const args: IToken[] = [];
    this.MANY(() => {
      args.push(this.CONSUME(Value));
    });
    const options: OptionSyntax[] = [];
    this.MANY2(() => {
      options.push(this.SUBRULE(this.optionClause));
    });
    const trailing = this.OPTION3(() => this.CONSUME(Comment));
    return this.ACTION(() => ({
      kind: 'command',
      command: cmd.image as CommandName,
      commandStart: cmd.startOffset + this.base,
      args: args.map((a) => this.word(a)),
      counters: counters ? this.counters(counters) : null,
      options,
      trailingComment: trailing ? { start: trailing.startOffset + this.base, end: trailing.endOffset! + 1 + this.base } : null,
      at: this.lineRef(),
    }) as StatementSyntax)!;
  });

  // The option rule runs 1.4M times on a 10k-Service dump: its GATE and loop body are created
  // once, and they share the per-call state below (the rule is never re-entered while it runs).
  private optionValues: IToken[] = [];
  private optionLateBang: IToken | undefined;
  private readonly optionValueLoop = {
    GATE: () => !this.isBangBeforeOption(),
    DEF: () => {
      const t = this.CONSUME(Argument);
      if (t.tokenType === Bang) this.optionLateBang = t;
      else this.optionValues.push(t);
    },
  };

  public optionClause = this.RULE('optionClause', (): OptionSyntax => {
    const bang = this.OPTION(() => this.CONSUME(Bang));
    const name = this.CONSUME(Option);
    const values: IToken[] = [];
    this.optionValues = values;
    this.optionLateBang = undefined;
    this.MANY(this.optionValueLoop);
    const lateBang = this.optionLateBang as IToken | undefined;
    return this.ACTION(() => {
      const words = values.map((v) => this.word(v));
      const nameImage = name.image;
      const nameStart = name.startOffset + this.base;
      const last = words[words.length - 1];
      const lateEnd = lateBang ? lateBang.startOffset + 1 + this.base : 0;
      return {
        name: nameImage,
        nameStart,
        negated: bang !== undefined || lateBang !== undefined,
        negationAfterName: bang === undefined && lateBang !== undefined,
        values: words,
        start: bang ? bang.startOffset + this.base : nameStart,
        end: Math.max(last ? last.end : 0, lateEnd, nameStart + nameImage.length),
      };
    })!;
  });
}

function isOption(type: TokenType): boolean {
  return type === Option || (type.CATEGORIES?.includes(Option) ?? false);
}

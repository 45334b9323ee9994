/**
 * The ipset grammar, one line at a time:
 *
 *   statement     := HashComment | Prompt | createCommand | entryCommand | setCommand
 *                  | pairCommand | COMMIT | listField | headerLine | "Members:"
 *   createCommand := create setWord(name) setWord(type) setOption*
 *   entryCommand  := (add | del) setWord(name) element entryOption*
 *   setCommand    := (flush | destroy) setWord?
 *   pairCommand   := (rename | swap) setWord setWord
 *   listField     := ("Name:" | "Type:" | "Revision:" | "Size in memory:" | "References:"
 *                  | "Number of entries:") setWord
 *   headerLine    := "Header:" setOption*
 *   member        := element entryOption*          (a line after "Members:")
 *   element       := Text ("," Text)*
 *   setWord       := Text ("," Text)*              (one word, commas included)
 *   setOption     := ValueOption (Word | Quoted)? | FlagOption | comment | Word Word?
 *   entryOption   := ValueOption (Word | Quoted)? | FlagOption | comment (Quoted | Word)? | Word Word?
 *
 * An option's value is optional in the grammar so that `hashsize` without a number still lets
 * the set be created; the model reports the missing value. A word that is no ipset option is
 * kept (`known: false`) with the word after it, so a newer ipset's header still reads.
 */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import type { SourceRef, SourceText } from '../source.js';
import { toSourceRef } from '../source.js';
import {
  Add,
  allTokens,
  Comma,
  CommentOption,
  Commit,
  Create,
  Del,
  Destroy,
  EntriesLabel,
  FlagOption,
  Flush,
  HashComment,
  HeaderLabel,
  MembersLabel,
  NameLabel,
  Prompt,
  Quoted,
  ReferencesLabel,
  Rename,
  RevisionLabel,
  SizeLabel,
  Swap,
  Text,
  TypeLabel,
  ValueOption,
  Word,
} from './tokens.js';
import type { ElementSyntax, IpsetLineSyntax, ListFieldName, MemberSyntax, OptionSyntax, WordSyntax } from './syntax.js';

export class IpsetParser extends EmbeddedActionsParser {
  /** The text the current tokens were lexed from. */
  source: SourceText = { name: '', text: '' };
  /** Offset added to token offsets (non-zero when lexing a slice of the source). */
  base = 0;
  /** The current line, from its first character to its line break (exclusive), in source offsets. */
  lineStart = 0;
  lineEnd = 0;

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  private ref(token: IToken): SourceRef {
    return toSourceRef(this.source, token, this.base);
  }

  private lineRef(): SourceRef {
    return { source: this.source, start: this.lineStart, end: this.lineEnd };
  }

  private word(token: IToken): WordSyntax {
    const quoted = token.tokenType === Quoted;
    const { start, end } = this.ref(token);
    return { text: quoted ? token.image.slice(1, -1) : token.image, quoted, start, end };
  }

  private optionOf(name: IToken, value: IToken | undefined, known: boolean): OptionSyntax {
    const { start, end } = this.ref(name);
    const v = value ? this.word(value) : null;
    return { name: name.image, nameStart: start, value: v, known, start, end: v ? v.end : end };
  }

  public statement = this.RULE('statement', (): IpsetLineSyntax => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(HashComment);
          return { kind: 'comment', text: t.image, at: this.ref(t) } as const;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(Prompt);
          return { kind: 'prompt', text: t.image, at: this.ref(t) } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.createCommand) },
      { ALT: () => this.SUBRULE(this.entryCommand) },
      { ALT: () => this.SUBRULE(this.setCommand) },
      { ALT: () => this.SUBRULE(this.pairCommand) },
      {
        ALT: () => {
          this.CONSUME(Commit);
          return { kind: 'commit', at: this.lineRef() } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.listField) },
      { ALT: () => this.SUBRULE(this.headerLine) },
      {
        ALT: () => {
          this.CONSUME(MembersLabel);
          return { kind: 'members-label', at: this.lineRef() } as const;
        },
      },
    ]);
  });

  public createCommand = this.RULE('createCommand', (): IpsetLineSyntax => {
    this.CONSUME(Create);
    const name = this.SUBRULE(this.setWord);
    const type = this.SUBRULE2(this.setWord);
    const options: OptionSyntax[] = [];
    this.MANY(() => {
      options.push(this.SUBRULE(this.setOption));
    });
    return this.ACTION(() => ({
      kind: 'create',
      name,
      type,
      options,
      at: this.lineRef(),
    }) as const)!;
  });

  public entryCommand = this.RULE('entryCommand', (): IpsetLineSyntax => {
    const command = this.OR([{ ALT: () => this.CONSUME(Add) }, { ALT: () => this.CONSUME(Del) }]);
    const name = this.SUBRULE(this.setWord);
    const element = this.SUBRULE(this.element);
    const options: OptionSyntax[] = [];
    this.MANY(() => {
      options.push(this.SUBRULE(this.entryOption));
    });
    return this.ACTION(() => ({
      kind: command.tokenType === Add ? 'add' : 'del',
      name,
      element,
      options,
      at: this.lineRef(),
    }) as const)!;
  });

  public setCommand = this.RULE('setCommand', (): IpsetLineSyntax => {
    const command = this.OR([{ ALT: () => this.CONSUME(Flush) }, { ALT: () => this.CONSUME(Destroy) }]);
    const name = this.OPTION(() => this.SUBRULE(this.setWord));
    return this.ACTION(() => ({
      kind: command.tokenType === Flush ? 'flush' : 'destroy',
      name: name ?? null,
      at: this.lineRef(),
    }) as const)!;
  });

  public pairCommand = this.RULE('pairCommand', (): IpsetLineSyntax => {
    const command = this.OR([{ ALT: () => this.CONSUME(Rename) }, { ALT: () => this.CONSUME(Swap) }]);
    const from = this.SUBRULE(this.setWord);
    const to = this.SUBRULE2(this.setWord);
    return this.ACTION(() => ({
      kind: command.tokenType === Rename ? 'rename' : 'swap',
      from,
      to,
      at: this.lineRef(),
    }) as const)!;
  });

  public listField = this.RULE('listField', (): IpsetLineSyntax => {
    const label = this.OR([
      { ALT: () => this.CONSUME(NameLabel) },
      { ALT: () => this.CONSUME(TypeLabel) },
      { ALT: () => this.CONSUME(RevisionLabel) },
      { ALT: () => this.CONSUME(SizeLabel) },
      { ALT: () => this.CONSUME(ReferencesLabel) },
      { ALT: () => this.CONSUME(EntriesLabel) },
    ]);
    const value = this.SUBRULE(this.setWord);
    return this.ACTION(() => ({
      kind: 'field',
      field: fieldOf(label),
      value,
      at: this.lineRef(),
    }) as const)!;
  });

  public headerLine = this.RULE('headerLine', (): IpsetLineSyntax => {
    this.CONSUME(HeaderLabel);
    const options: OptionSyntax[] = [];
    this.MANY(() => {
      options.push(this.SUBRULE(this.setOption));
    });
    return this.ACTION(() => ({ kind: 'header', options, at: this.lineRef() }) as const)!;
  });

  public member = this.RULE('member', (): MemberSyntax => {
    const element = this.SUBRULE(this.element);
    const options: OptionSyntax[] = [];
    this.MANY(() => {
      options.push(this.SUBRULE(this.entryOption));
    });
    return this.ACTION(() => ({ element, options, at: this.lineRef() }))!;
  });

  public element = this.RULE('element', (): ElementSyntax => {
    const parts: IToken[] = [this.CONSUME(Text)];
    this.MANY(() => {
      this.CONSUME(Comma);
      parts.push(this.CONSUME2(Text));
    });
    return this.ACTION(() => {
      const words = parts.map((p) => this.word(p));
      const start = words[0]!.start;
      const end = words[words.length - 1]!.end;
      return { parts: words, start, end, text: this.source.text.slice(start, end) };
    })!;
  });

  /**
   * A set name or a set type: commas belong to it (`hash:ip,port`; a set name may hold any
   * character but blanks, lib/parse.c ipset_parse_setname).
   */
  public setWord = this.RULE('setWord', (): WordSyntax => {
    const first = this.CONSUME(Text);
    let last = first;
    this.MANY(() => {
      this.CONSUME(Comma);
      last = this.CONSUME2(Text);
    });
    return this.ACTION(() => {
      const { start } = this.ref(first);
      const { end } = this.ref(last);
      return { text: this.source.text.slice(start, end), quoted: false, start, end };
    })!;
  });

  public setOption = this.RULE('setOption', (): OptionSyntax => {
    return this.OR([
      {
        ALT: () => {
          const name = this.CONSUME(ValueOption);
          const value = this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(Word) }, { ALT: () => this.CONSUME(Quoted) }]));
          return this.ACTION(() => this.optionOf(name, value, true))!;
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME(FlagOption);
          return this.ACTION(() => this.optionOf(name, undefined, true))!;
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME(CommentOption);
          return this.ACTION(() => this.optionOf(name, undefined, true))!;
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME2(Word);
          const value = this.OPTION2(() => this.CONSUME3(Word));
          return this.ACTION(() => this.optionOf(name, value, false))!;
        },
      },
    ]);
  });

  public entryOption = this.RULE('entryOption', (): OptionSyntax => {
    return this.OR([
      {
        ALT: () => {
          const name = this.CONSUME(ValueOption);
          const value = this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(Word) }, { ALT: () => this.CONSUME(Quoted) }]));
          return this.ACTION(() => this.optionOf(name, value, true))!;
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME(FlagOption);
          return this.ACTION(() => this.optionOf(name, undefined, true))!;
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME(CommentOption);
          const value = this.OPTION2(() => this.OR3([{ ALT: () => this.CONSUME2(Quoted) }, { ALT: () => this.CONSUME2(Word) }]));
          return this.ACTION(() => this.optionOf(name, value, true))!;
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME3(Word);
          const value = this.OPTION3(() => this.CONSUME4(Word));
          return this.ACTION(() => this.optionOf(name, value, false))!;
        },
      },
    ]);
  });
}

function fieldOf(label: IToken): ListFieldName {
  switch (label.tokenType) {
    case NameLabel:
      return 'name';
    case TypeLabel:
      return 'type';
    case RevisionLabel:
      return 'revision';
    case SizeLabel:
      return 'size-in-memory';
    case ReferencesLabel:
      return 'references';
    default:
      return 'entries';
  }
}

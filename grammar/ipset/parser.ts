/**
 * The ipset grammar, one line at a time:
 *
 *   statement     := HashComment | Prompt | createCommand | entryCommand | setCommand
 *                  | pairCommand | COMMIT | listField | headerLine | "Members:"
 *   createCommand := create Text(name) Text(type) setOption*
 *   entryCommand  := (add | del) Text(name) element entryOption*
 *   setCommand    := (flush | destroy) Text?
 *   pairCommand   := (rename | swap) Text Text
 *   listField     := ("Name:" | "Type:" | "Revision:" | "Size in memory:" | "References:"
 *                  | "Number of entries:") Text
 *   headerLine    := "Header:" setOption*
 *   member        := element entryOption*          (a line after "Members:")
 *   element       := Text ("," Text)*
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
    const image = token.image;
    const start = token.startOffset + this.base;
    return { text: quoted ? image.slice(1, -1) : image, quoted, start, end: start + image.length };
  }

  private optionOf(name: IToken, value: IToken | undefined, known: boolean): OptionSyntax {
    const nameStart = name.startOffset + this.base;
    const v = value ? this.word(value) : null;
    return { name: name.image, nameStart, value: v, known, start: nameStart, end: v ? v.end : nameStart + name.image.length };
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
    const name = this.CONSUME(Text);
    const type = this.CONSUME2(Text);
    const options: OptionSyntax[] = [];
    this.MANY(() => {
      options.push(this.SUBRULE(this.setOption));
    });
    return this.ACTION(() => ({
      kind: 'create',
      name: this.word(name),
      type: this.word(type),
      options,
      at: this.lineRef(),
    }) as const)!;
  });

  public entryCommand = this.RULE('entryCommand', (): IpsetLineSyntax => {
    const command = this.OR([{ ALT: () => this.CONSUME(Add) }, { ALT: () => this.CONSUME(Del) }]);
    const name = this.CONSUME(Text);
    const element = this.SUBRULE(this.element);
    const options: OptionSyntax[] = [];
    this.MANY(() => {
      options.push(this.SUBRULE(this.entryOption));
    });
    return this.ACTION(() => ({
      kind: command.tokenType === Add ? 'add' : 'del',
      name: this.word(name),
      element,
      options,
      at: this.lineRef(),
    }) as const)!;
  });

  public setCommand = this.RULE('setCommand', (): IpsetLineSyntax => {
    const command = this.OR([{ ALT: () => this.CONSUME(Flush) }, { ALT: () => this.CONSUME(Destroy) }]);
    const name = this.OPTION(() => this.CONSUME(Text));
    return this.ACTION(() => ({
      kind: command.tokenType === Flush ? 'flush' : 'destroy',
      name: name ? this.word(name) : null,
      at: this.lineRef(),
    }) as const)!;
  });

  public pairCommand = this.RULE('pairCommand', (): IpsetLineSyntax => {
    const command = this.OR([{ ALT: () => this.CONSUME(Rename) }, { ALT: () => this.CONSUME(Swap) }]);
    const from = this.CONSUME(Text);
    const to = this.CONSUME2(Text);
    return this.ACTION(() => ({
      kind: command.tokenType === Rename ? 'rename' : 'swap',
      from: this.word(from),
      to: this.word(to),
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
    const value = this.CONSUME(Text);
    return this.ACTION(() => ({
      kind: 'field',
      field: fieldOf(label),
      value: this.word(value),
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

  public setOption = this.RULE('setOption', (): OptionSyntax => {
    return this.OR([
      {
        ALT: () => {
          const name = this.CONSUME(ValueOption);
          const value = this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(Word) }, { ALT: () => this.CONSUME(Quoted) }]));
          return this.optionOf(name, value, true);
        },
      },
      { ALT: () => this.optionOf(this.CONSUME(FlagOption), undefined, true) },
      { ALT: () => this.optionOf(this.CONSUME(CommentOption), undefined, true) },
      {
        ALT: () => {
          const name = this.CONSUME2(Word);
          const value = this.OPTION2(() => this.CONSUME3(Word));
          return this.optionOf(name, value, false);
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
          return this.optionOf(name, value, true);
        },
      },
      { ALT: () => this.optionOf(this.CONSUME(FlagOption), undefined, true) },
      {
        ALT: () => {
          const name = this.CONSUME(CommentOption);
          const value = this.OPTION2(() => this.OR3([{ ALT: () => this.CONSUME2(Quoted) }, { ALT: () => this.CONSUME2(Word) }]));
          return this.optionOf(name, value, true);
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME3(Word);
          const value = this.OPTION3(() => this.CONSUME4(Word));
          return this.optionOf(name, value, false);
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

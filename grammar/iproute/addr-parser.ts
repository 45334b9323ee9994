/**
 * The grammar of `ip addr` / `ip link` text output, in its plain (`ip addr`, `ip -d addr`),
 * one-line (`ip -o addr`, `ip -o link`) and brief (`ip -br addr`, `ip -br link`) forms, one line
 * at a time (ip/ipaddress.c print_linkinfo, print_addrinfo, print_linkinfo_brief):
 *
 *   line         := indexed | Indent segment tail | bareSegment tail | brief
 *   indexed      := IndexColon Name ( header | oneline )
 *   header       := Flags ( LinkKey Name | Word )* tail                     2: eth0@if5: <UP> mtu 1500 …
 *   oneline      := address tail                                            2: eth0    inet 10.0.0.3/24 …
 *   brief        := Name OperState ( Name | Flags )*                        eth0  UP  10.0.0.3/24
 *   tail         := ( Backslash segment? )*                                 `ip -o` joins lines with `\`
 *   segment      := bareSegment | detail
 *   bareSegment  := address | lifetime | linkLayer | altname
 *   address      := (inet | inet6) Name ( AddressKey Name | Word )*
 *   lifetime     := valid_lft Name preferred_lft Name
 *   linkLayer    := LinkType ( Name | Flags | IndexColon )*
 *   altname      := altname Name
 *   detail       := Word ( Name | Flags | IndexColon | Bracketed )*         veth / vxlan id 1 … (-d)
 *
 * A segment without indentation (a paste that lost its leading blanks) is read as such before
 * being tried as a brief line; the alternatives are tried in the order above. Two tokens of
 * lookahead suffice; Chevrotain's cost of describing an error grows steeply with more (its
 * getLookaheadPathsForOr), and a pasted text may have many lines that are not ip output.
 */
import type { IToken } from 'chevrotain';
import { toSourceRef, type SourceRef, type SourceText } from '../source.js';
import { LineParser } from './line-parser.js';
import type { AttributeSyntax, DetailSyntax, LinkLayerSyntax, WordSyntax } from './syntax.js';
import {
  AddressKey,
  allTokens,
  Altname,
  Backslash,
  Bracketed,
  Flags,
  Indent,
  IndexColon,
  Inet,
  Inet6,
  LinkKey,
  LinkType,
  Name,
  OperState,
  PreferredLft,
  ValidLft,
  Word,
} from './tokens.js';

/** An `inet`/`inet6` clause before the label is told from the flags (that needs the interface name). */
export interface AddressClause {
  readonly family: 'inet' | 'inet6';
  readonly local: WordSyntax;
  readonly peer: WordSyntax | null;
  readonly attributes: readonly AttributeSyntax[];
  /** Flags and, last, the label. */
  readonly words: readonly WordSyntax[];
  readonly at: SourceRef;
}

export type AddrSegment =
  | { readonly kind: 'address'; readonly address: AddressClause }
  | { readonly kind: 'lifetime'; readonly valid: WordSyntax; readonly preferred: WordSyntax; readonly at: SourceRef }
  | { readonly kind: 'link'; readonly link: LinkLayerSyntax }
  | { readonly kind: 'altname'; readonly name: WordSyntax; readonly at: SourceRef }
  | { readonly kind: 'detail'; readonly detail: DetailSyntax };

export type AddrLine =
  | {
      readonly kind: 'header';
      readonly index: WordSyntax;
      /** `eth0@if5:` as printed. */
      readonly nameWord: WordSyntax;
      readonly flags: readonly WordSyntax[];
      readonly attributes: readonly AttributeSyntax[];
      readonly tail: readonly AddrSegment[];
    }
  | { readonly kind: 'oneline'; readonly index: WordSyntax; readonly name: WordSyntax; readonly address: AddressClause; readonly tail: readonly AddrSegment[] }
  | {
      readonly kind: 'brief';
      readonly name: WordSyntax;
      readonly state: WordSyntax;
      readonly words: readonly WordSyntax[];
      readonly flags: readonly WordSyntax[] | null;
    }
  | { readonly kind: 'continuation'; readonly segments: readonly AddrSegment[] };

/** The words inside `<…>`, with their own offsets. */
export function flagWords(token: IToken, source: SourceText, base: number): WordSyntax[] {
  const words: WordSyntax[] = [];
  const inner = token.image.slice(1, -1);
  let offset = toSourceRef(source, token, base).start + 1;
  for (const part of inner.split(',')) {
    if (part.length > 0) words.push({ text: part, start: offset, end: offset + part.length });
    offset += part.length + 1;
  }
  return words;
}

export class IpAddrParser extends LineParser {
  constructor() {
    super(allTokens, 2);
    this.performSelfAnalysis();
  }

  public line = this.RULE('line', (): AddrLine =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.indexed) },
        {
          ALT: () => {
            this.CONSUME(Indent);
            return this.SUBRULE(this.continuation);
          },
        },
        {
          ALT: () => {
            const first = this.SUBRULE(this.bareSegment);
            const tail = this.SUBRULE2(this.tail);
            return this.ACTION(() => ({ kind: 'continuation', segments: [first, ...tail] }) as const)!;
          },
        },
        { ALT: () => this.SUBRULE(this.brief) },
      ],
    }),
  );

  /** `N: name…`: an interface's first line (`<FLAGS>` follows) or an `ip -o addr` record (`inet` follows). */
  public indexed = this.RULE('indexed', (): AddrLine => {
    const index = this.CONSUME(IndexColon);
    const name = this.CONSUME(Name);
    return this.OR([
      {
        ALT: () => {
          const flags = this.CONSUME(Flags);
          const attributes = this.SUBRULE(this.headerAttributes);
          const tail = this.SUBRULE(this.tail);
          return this.ACTION(() => ({
            kind: 'header',
            index: this.indexWord(index),
            nameWord: this.word(name),
            flags: flagWords(flags, this.source, this.base),
            attributes,
            tail,
          }) as const)!;
        },
      },
      {
        ALT: () => {
          const address = this.SUBRULE(this.address);
          const tail = this.SUBRULE2(this.tail);
          return this.ACTION(() => ({ kind: 'oneline', index: this.indexWord(index), name: this.word(name), address, tail }) as const)!;
        },
      },
    ]);
  });

  private indexWord(index: IToken): WordSyntax {
    const word = this.word(index);
    return { text: index.image.slice(0, -1), start: word.start, end: word.end - 1 };
  }

  public headerAttributes = this.RULE('headerAttributes', (): AttributeSyntax[] => {
    const attributes: AttributeSyntax[] = [];
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const key = this.CONSUME(LinkKey);
            const value = this.CONSUME(Name);
            this.ACTION(() => attributes.push(this.attribute(key, [value])));
          },
        },
        {
          ALT: () => {
            const other = this.CONSUME(Word);
            this.ACTION(() => attributes.push(this.attribute(other, [], false)));
          },
        },
      ]);
    });
    return attributes;
  });

  public brief = this.RULE('brief', (): AddrLine => {
    const name = this.CONSUME(Name);
    const state = this.CONSUME(OperState);
    const words: WordSyntax[] = [];
    let flags: WordSyntax[] | null = null;
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const w = this.CONSUME2(Name);
            this.ACTION(() => words.push(this.word(w)));
          },
        },
        {
          ALT: () => {
            const f = this.CONSUME(Flags);
            this.ACTION(() => (flags = flagWords(f, this.source, this.base)));
          },
        },
      ]);
    });
    return this.ACTION(() => ({ kind: 'brief', name: this.word(name), state: this.word(state), words, flags }) as const)!;
  });

  public continuation = this.RULE('continuation', (): AddrLine => {
    const first = this.SUBRULE(this.segment);
    const tail = this.SUBRULE(this.tail);
    return this.ACTION(() => ({ kind: 'continuation', segments: [first, ...tail] }) as const)!;
  });

  public tail = this.RULE('tail', (): AddrSegment[] => {
    const segments: AddrSegment[] = [];
    this.MANY(() => {
      this.CONSUME(Backslash);
      this.OPTION(() => {
        const segment = this.SUBRULE(this.segment);
        this.ACTION(() => segments.push(segment));
      });
    });
    return segments;
  });

  /** A continuation line that lost its indentation: only the forms that start with a keyword. */
  public bareSegment = this.RULE('bareSegment', (): AddrSegment =>
    this.OR([
      {
        ALT: () => {
          const address = this.SUBRULE(this.address);
          return { kind: 'address', address } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.lifetime) },
      { ALT: () => this.SUBRULE(this.linkLayer) },
      { ALT: () => this.SUBRULE(this.altname) },
    ]),
  );

  public segment = this.RULE('segment', (): AddrSegment =>
    this.OR([
      {
        ALT: () => {
          const address = this.SUBRULE(this.address);
          return { kind: 'address', address } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.lifetime) },
      { ALT: () => this.SUBRULE(this.linkLayer) },
      { ALT: () => this.SUBRULE(this.altname) },
      { ALT: () => this.SUBRULE(this.detail) },
    ]),
  );

  public address = this.RULE('address', (): AddressClause => {
    const family = this.OR([{ ALT: () => this.CONSUME(Inet) }, { ALT: () => this.CONSUME(Inet6) }]);
    const local = this.CONSUME(Name);
    const attributes: AttributeSyntax[] = [];
    const words: WordSyntax[] = [];
    let last: IToken = local;
    this.MANY(() => {
      this.OR2([
        {
          ALT: () => {
            const key = this.CONSUME(AddressKey);
            const value = this.CONSUME2(Name);
            this.ACTION(() => {
              attributes.push(this.attribute(key, [value]));
              last = value;
            });
          },
        },
        {
          ALT: () => {
            const w = this.CONSUME(Word);
            this.ACTION(() => {
              words.push(this.word(w));
              last = w;
            });
          },
        },
      ]);
    });
    return this.ACTION(() => {
      const peer = attributes.find((a) => a.name === 'peer')?.values[0] ?? null;
      return {
        family: family.image === 'inet6' ? 'inet6' : 'inet',
        local: this.word(local),
        peer,
        attributes: attributes.filter((a) => a.name !== 'peer'),
        words,
        at: this.refFrom(family, last),
      } as const;
    })!;
  });

  public lifetime = this.RULE('lifetime', (): AddrSegment => {
    const first = this.CONSUME(ValidLft);
    const valid = this.CONSUME(Name);
    this.CONSUME(PreferredLft);
    const preferred = this.CONSUME2(Name);
    return this.ACTION(() => ({ kind: 'lifetime', valid: this.word(valid), preferred: this.word(preferred), at: this.refFrom(first, preferred) }) as const)!;
  });

  public linkLayer = this.RULE('linkLayer', (): AddrSegment => {
    const type = this.CONSUME(LinkType);
    const words: IToken[] = [];
    this.MANY(() => {
      words.push(
        this.OR([
          { ALT: () => this.CONSUME(Name) },
          { ALT: () => this.CONSUME(Flags) },
          { ALT: () => this.CONSUME(IndexColon) },
          { ALT: () => this.CONSUME(Bracketed) },
        ]),
      );
    });
    return this.ACTION(() => {
      const all = words.map((w) => this.word(w));
      // link/ether ADDRESS [brd BROADCAST | peer PEER] …: the address is printed unless the
      // device has none (link/none).
      let rest = all;
      let address: WordSyntax | null = null;
      let broadcast: WordSyntax | null = null;
      if (rest[0] && rest[0].text !== 'brd' && rest[0].text !== 'peer' && words[0]?.tokenType === Word) {
        address = rest[0];
        rest = rest.slice(1);
      }
      if ((rest[0]?.text === 'brd' || rest[0]?.text === 'peer') && rest[1]) {
        broadcast = rest[1];
        rest = rest.slice(2);
      }
      const typeWord = this.word(type);
      return {
        kind: 'link',
        link: {
          type: { text: type.image.slice('link/'.length), start: typeWord.start + 5, end: typeWord.end },
          address,
          broadcast,
          rest,
          at: this.refFrom(type, words[words.length - 1] ?? type),
        },
      } as const;
    })!;
  });

  public altname = this.RULE('altname', (): AddrSegment => {
    const key = this.CONSUME(Altname);
    const name = this.CONSUME(Name);
    return this.ACTION(() => ({ kind: 'altname', name: this.word(name), at: this.refFrom(key, name) }) as const)!;
  });

  public detail = this.RULE('detail', (): AddrSegment => {
    const first = this.CONSUME(Word);
    const words: IToken[] = [first];
    this.MANY(() => {
      words.push(
        this.OR([
          { ALT: () => this.CONSUME(Name) },
          { ALT: () => this.CONSUME(Flags) },
          { ALT: () => this.CONSUME(IndexColon) },
          { ALT: () => this.CONSUME(Bracketed) },
        ]),
      );
    });
    return this.ACTION(() => ({
      kind: 'detail',
      detail: { words: words.map((w) => this.word(w)), at: this.refFrom(first, words[words.length - 1]) },
    }) as const)!;
  });
}


/**
 * The grammar of `iptables -L` listings, one line at a time:
 *
 *   line    := chain | header | row
 *   chain   := Chain HeaderWord '(' ( policy HeaderWord ( HeaderWord packets ',' HeaderWord bytes )?
 *                                   | HeaderWord references ) ')'
 *   header  := num? ( pkts bytes )? target prot opt ( in out )? source destination
 *   row     := Text[num]? ( Text[pkts] Text[bytes] )? Text[target]? Text[prot] Opt? ( Text[in] Text[out] )?
 *              Text[source] Text[destination] Text*
 *
 * Which optional columns a row has is not visible in the row itself: the parser takes it from
 * the column header of the chain (`layout`, set before each row). The target column is blank for
 * a rule without target; it is absent exactly when the token after the first is the opt column.
 */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import { raiseNoViableAlternative } from '../iproute/line-parser.js';
import { toSourceRef, type SourceText } from '../source.js';
import type { ListingLayout, ListingRowSyntax, WordSyntax } from './syntax.js';
import {
  allTokens,
  BytesCol,
  BytesKw,
  ChainKw,
  Comma,
  Comment,
  DestinationCol,
  HeaderWord,
  InCol,
  LParen,
  NumCol,
  Opt,
  OptCol,
  OutCol,
  PacketsKw,
  PktsCol,
  PolicyKw,
  ProtCol,
  ReferencesKw,
  RParen,
  SourceCol,
  TargetCol,
  Text,
} from './tokens.js';

export type ListingLine =
  | {
      readonly kind: 'chain';
      readonly name: WordSyntax;
      readonly policy: WordSyntax | null;
      readonly packets: WordSyntax | null;
      readonly bytes: WordSyntax | null;
      readonly references: WordSyntax | null;
    }
  | { readonly kind: 'header'; readonly layout: ListingLayout }
  | { readonly kind: 'row'; readonly row: ListingRowSyntax };

export class IptablesListingParser extends EmbeddedActionsParser {
  source: SourceText = { name: '', text: '' };
  base = 0;
  lineStart = 0;
  lineEnd = 0;
  /** The columns of the rows that follow, from the chain's column header. */
  layout: ListingLayout = { lineNumbers: false, verbose: false };

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  /** Chevrotain's error description is costly and unused here: see raiseNoViableAlternative. */
  raiseNoAltException(): never {
    return raiseNoViableAlternative(this);
  }

  private word(token: IToken): WordSyntax {
    const { start, end } = toSourceRef(this.source, token, this.base);
    return { text: token.image, start, end };
  }

  public line = this.RULE('line', (): ListingLine =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.chain) },
        { GATE: () => this.LA(1).tokenType === TargetCol || this.LA(1).tokenType === PktsCol || this.LA(1).tokenType === NumCol, ALT: () => this.SUBRULE(this.header) },
        { ALT: () => this.SUBRULE(this.row) },
      ],
    }),
  );

  public chain = this.RULE('chain', (): ListingLine => {
    this.CONSUME(ChainKw);
    const name = this.CONSUME(HeaderWord);
    this.CONSUME(LParen);
    let policy: IToken | undefined;
    let packets: IToken | undefined;
    let bytes: IToken | undefined;
    let references: IToken | undefined;
    this.OR([
      {
        ALT: () => {
          this.CONSUME(PolicyKw);
          policy = this.CONSUME2(HeaderWord);
          this.OPTION(() => {
            packets = this.CONSUME3(HeaderWord);
            this.CONSUME(PacketsKw);
            this.CONSUME(Comma);
            bytes = this.CONSUME4(HeaderWord);
            this.CONSUME(BytesKw);
          });
        },
      },
      {
        ALT: () => {
          references = this.CONSUME5(HeaderWord);
          this.CONSUME(ReferencesKw);
        },
      },
    ]);
    this.CONSUME(RParen);
    return this.ACTION(() => ({
      kind: 'chain',
      name: this.word(name),
      policy: policy ? this.word(policy) : null,
      packets: packets ? this.word(packets) : null,
      bytes: bytes ? this.word(bytes) : null,
      references: references ? this.word(references) : null,
    }) as const)!;
  });

  public header = this.RULE('header', (): ListingLine => {
    const num = this.OPTION(() => this.CONSUME(NumCol));
    const pkts = this.OPTION2(() => {
      const p = this.CONSUME(PktsCol);
      this.CONSUME(BytesCol);
      return p;
    });
    this.CONSUME(TargetCol);
    this.CONSUME(ProtCol);
    this.OPTION3(() => this.CONSUME(OptCol));
    this.OPTION4(() => {
      this.CONSUME(InCol);
      this.CONSUME(OutCol);
    });
    this.CONSUME(SourceCol);
    this.CONSUME(DestinationCol);
    return { kind: 'header', layout: { lineNumbers: num !== undefined, verbose: pkts !== undefined } } as const;
  });

  /** Two columns that go together: pkts and bytes, in and out. */
  public pair = this.RULE('pair', (): readonly [IToken, IToken] => [this.CONSUME(Text), this.CONSUME2(Text)] as const);

  public row = this.RULE('row', (): ListingLine => {
    const num = this.OPTION({ GATE: () => this.layout.lineNumbers, DEF: () => this.CONSUME(Text) });
    const counters = this.OPTION2({ GATE: () => this.layout.verbose, DEF: () => this.SUBRULE(this.pair) });
    // print_firewall: the target column is blank for a rule without target, and the opt column
    // (`--`) always follows the protocol.
    const target = this.OPTION3({ GATE: () => this.LA(2).tokenType !== Opt, DEF: () => this.CONSUME2(Text) });
    const protocol = this.CONSUME3(Text);
    const opt = this.OPTION4(() => this.CONSUME(Opt));
    const ifaces = this.OPTION5({ GATE: () => this.layout.verbose, DEF: () => this.SUBRULE2(this.pair) });
    const source = this.CONSUME4(Text);
    const destination = this.CONSUME5(Text);
    const rest: IToken[] = [];
    this.MANY(() => {
      rest.push(this.CONSUME6(Text, { LABEL: 'match summary' }));
    });
    return this.ACTION(() => {
      const first = rest[0];
      const last = rest[rest.length - 1];
      const from = first ? this.word(first).start : 0;
      const to = last ? this.word(last).end : 0;
      const details = first && last ? { text: this.source.text.slice(from, to), start: from, end: to } : null;
      const comments = rest
        .filter((t) => t.tokenType === Comment)
        .map((t) => {
          const start = this.word(t).start;
          const inner = t.image.slice(2, -2);
          const lead = inner.length - inner.trimStart().length;
          const text = inner.trim();
          return { text, start: start + 2 + lead, end: start + 2 + lead + text.length };
        });
      return {
        kind: 'row',
        row: {
          num: num ? this.word(num) : null,
          packets: counters ? this.word(counters[0]) : null,
          bytes: counters ? this.word(counters[1]) : null,
          target: target ? this.word(target) : null,
          protocol: this.word(protocol),
          opt: opt ? this.word(opt) : null,
          in: ifaces ? this.word(ifaces[0]) : null,
          out: ifaces ? this.word(ifaces[1]) : null,
          source: this.word(source),
          destination: this.word(destination),
          details,
          comments,
          at: { source: this.source, start: this.lineStart, end: this.lineEnd },
        },
      } as const;
    })!;
  });
}

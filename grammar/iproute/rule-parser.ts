/**
 * The grammar of `ip rule` / `ip -6 rule` output, one rule per line (ip/iprule.c print_rule):
 *
 *   line := Indent? IndexColon not? from ( all | Name ) item*        100:	not from 10.0.0.0/8 lookup 500
 *   item := RuleKey ( Name | Bracketed ) Bracketed?                  fwmark 0x1/0x1, iif eth0 [detached]
 *         | RuleFlag                                                  blackhole, unreachable, l3mdev, nop
 *         | Bracketed                                                 [unresolved]
 *         | Name                                                      a word iptlens does not know
 */
import type { IToken } from 'chevrotain';
import { LineParser } from './line-parser.js';
import type { AttributeSyntax, WordSyntax } from './syntax.js';
import { allTokens, Bracketed, From, Indent, IndexColon, Name, Not, RuleFlag, RuleKey } from './tokens.js';

export interface RuleLine {
  readonly priority: WordSyntax;
  readonly not: boolean;
  readonly from: WordSyntax;
  readonly items: readonly AttributeSyntax[];
}

export class IpRuleParser extends LineParser {
  constructor() {
    super(allTokens, 2);
    this.performSelfAnalysis();
  }

  public line = this.RULE('line', (): RuleLine => {
    this.OPTION(() => this.CONSUME(Indent));
    const priority = this.CONSUME(IndexColon);
    const not = this.OPTION2(() => this.CONSUME(Not));
    this.CONSUME(From);
    const from = this.CONSUME(Name);
    const items: AttributeSyntax[] = [];
    this.MANY(() => {
      const item = this.SUBRULE(this.item);
      this.ACTION(() => items.push(item));
    });
    return this.ACTION(() => {
      const word = this.word(priority);
      return {
        priority: { text: priority.image.slice(0, -1), start: word.start, end: word.end - 1 },
        not: not !== undefined,
        from: this.word(from),
        items,
      };
    })!;
  });

  public item = this.RULE('item', (): AttributeSyntax =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const key = this.CONSUME(RuleKey);
            // `lookup [l3mdev-table]`: ip/iprule.c prints the VRF lookup of FRA_L3MDEV so.
            const value = this.OR2([{ ALT: () => this.CONSUME2(Name) }, { ALT: () => this.CONSUME3(Bracketed) }]);
            const note = this.OPTION3(() => this.CONSUME(Bracketed));
            return this.ACTION(() => this.attribute(key, note ? [value, note] : [value]))!;
          },
        },
        { ALT: () => this.known(this.CONSUME(RuleFlag)) },
        { ALT: () => this.unknown(this.CONSUME2(Bracketed)) },
        { ALT: () => this.unknown(this.CONSUME4(Name)) },
      ],
    }),
  );

  private known(token: IToken): AttributeSyntax {
    return this.ACTION(() => this.attribute(token, []))!;
  }

  private unknown(token: IToken): AttributeSyntax {
    return this.ACTION(() => this.attribute(token, [], false))!;
  }
}

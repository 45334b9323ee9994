/**
 * The grammar of `ip route` / `ip -6 route` output, one line at a time (ip/iproute.c
 * print_route, print_rta_multipath):
 *
 *   line        := Indent? ( route | nexthopLine )
 *   route       := RouteType? ( default | Word ) item*          blackhole 10.244.0.0/26 proto bird
 *   nexthopLine := nexthop item*                                 <TAB>nexthop via 10.0.0.1 dev eth0 weight 1
 *   item        := via (inet | inet6)? Name                      via inet6 fe80::1 (RTA_VIA)
 *                | RouteKey Name                                 dev eth0, table 500, metric 100, …
 *                | RouteMetric lock? Name                        mtu lock 1400 (RTAX_*)
 *                | RouteFlag                                     onlink, linkdown, dead, …
 *                | encap Name                                    encap mpls … (the rest as unknown words)
 *                | nexthop                                       starts a nexthop (`ip -o route`)
 *                | Backslash                                     `ip -o` separator
 *                | Name                                          a word iptlens does not know
 *
 * A keyword printed without its value (a truncated line) falls to the last alternative, so the
 * items are tried in order (IGNORE_AMBIGUITIES).
 */
import type { IToken } from 'chevrotain';
import { LineParser } from './line-parser.js';
import type { AttributeSyntax, WordSyntax } from './syntax.js';
import {
  allTokens,
  Backslash,
  Bracketed,
  Default,
  Encap,
  Indent,
  Inet,
  Inet6,
  Lock,
  Name,
  Nexthop,
  RouteFlag,
  RouteKey,
  RouteMetric,
  RouteType,
  Via,
  Word,
} from './tokens.js';

export type RouteLine =
  | {
      readonly kind: 'route';
      readonly type: WordSyntax | null;
      readonly destination: WordSyntax;
      /** In order; a `nexthop` attribute (no values) starts a nexthop's attributes. */
      readonly items: readonly AttributeSyntax[];
    }
  | { readonly kind: 'nexthop'; readonly items: readonly AttributeSyntax[] };

export class IpRouteParser extends LineParser {
  constructor() {
    super(allTokens, 2);
    this.performSelfAnalysis();
  }

  public line = this.RULE('line', (): RouteLine => {
    this.OPTION(() => this.CONSUME(Indent));
    return this.OR([{ ALT: () => this.SUBRULE(this.route) }, { ALT: () => this.SUBRULE(this.nexthopLine) }]);
  });

  public route = this.RULE('route', (): RouteLine => {
    const type = this.OPTION(() => this.CONSUME(RouteType));
    const destination = this.OR([{ ALT: () => this.CONSUME(Default) }, { ALT: () => this.CONSUME(Word) }]);
    const items = this.SUBRULE(this.items);
    return this.ACTION(() => ({ kind: 'route', type: type ? this.word(type) : null, destination: this.word(destination), items }) as const)!;
  });

  public nexthopLine = this.RULE('nexthopLine', (): RouteLine => {
    const first = this.CONSUME(Nexthop);
    const items = this.SUBRULE(this.items);
    return this.ACTION(() => ({ kind: 'nexthop', items: [this.attribute(first, []), ...items] }) as const)!;
  });

  public items = this.RULE('items', (): AttributeSyntax[] => {
    const items: AttributeSyntax[] = [];
    this.MANY(() => {
      const item = this.SUBRULE(this.item);
      this.ACTION(() => item && items.push(item));
    });
    return items;
  });

  public item = this.RULE('item', (): AttributeSyntax | null =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const key = this.CONSUME(Via);
            const family = this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(Inet) }, { ALT: () => this.CONSUME(Inet6) }]));
            const value = this.CONSUME(Name);
            return this.ACTION(() => this.attribute(key, family ? [family, value] : [value]));
          },
        },
        {
          ALT: () => {
            const key = this.CONSUME(RouteKey);
            const value = this.CONSUME2(Name);
            return this.ACTION(() => this.attribute(key, [value]));
          },
        },
        {
          ALT: () => {
            const key = this.CONSUME(RouteMetric);
            const lock = this.OPTION2(() => this.CONSUME(Lock));
            const value = this.CONSUME3(Name);
            return this.ACTION(() => this.attribute(key, lock ? [lock, value] : [value]));
          },
        },
        { ALT: () => this.flag(this.CONSUME(RouteFlag)) },
        {
          ALT: () => {
            const key = this.CONSUME(Encap);
            const value = this.CONSUME4(Name);
            return this.ACTION(() => this.attribute(key, [value]));
          },
        },
        { ALT: () => this.flag(this.CONSUME(Nexthop)) },
        {
          ALT: () => {
            this.CONSUME(Backslash);
            return null;
          },
        },
        { ALT: () => this.unknown(this.CONSUME5(Name)) },
        { ALT: () => this.unknown(this.CONSUME(Bracketed)) },
      ],
    }),
  );

  private flag(token: IToken): AttributeSyntax | null {
    return this.ACTION(() => this.attribute(token, [])) ?? null;
  }

  private unknown(token: IToken): AttributeSyntax | null {
    return this.ACTION(() => this.attribute(token, [], false)) ?? null;
  }
}

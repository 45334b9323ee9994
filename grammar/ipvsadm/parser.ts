/**
 * The ipvsadm grammar. One statement per line; the layouts are those ipvsadm.c prints
 * (`list_all`, `print_title`, `print_service_entry`, `list_timeout`) and those `ipvsadm -R`
 * reads (`config_stream_read` splits a line into argv, popt parses it):
 *
 *   line          := Prompt | UserPrompt | Comment | Ellipsis | bannerLine | timeoutLine
 *                  | serviceTitle | arrowLine | serviceLine | commandLine
 *   bannerLine    := Banner Value TableSize?
 *   timeoutLine   := TimeoutBanner Integer Integer Integer
 *   serviceTitle  := Prot LocalAddress:Port ( Scheduler Flags
 *                  | Conns InPkts OutPkts InBytes OutBytes | CPS InPPS OutPPS InBPS OutBPS
 *                  | Uthreshold Lthreshold ActiveConn InActConn | Weight PersistConn ActiveConn InActConn )
 *   arrowLine     := Arrow ( RemoteAddress:Port ( Forward TunnelInfo? Weight ActiveConn InActConn )?
 *                          | Endpoint serverColumns )
 *   serverColumns := ( ForwardName | NullName ) Name? Integer Integer Integer
 *                  | Count Count Count Count Count?
 *   serviceLine   := serviceId ( Count Count Count Count Count | schedulerColumn )
 *   serviceId     := ProtocolName Endpoint | Fwm Integer Ipv6?
 *   schedulerColumn := Name ( LParen Name ( Comma Name )* RParen )?
 *                      ( Persistent Integer ( Mask Value )? ( Pe Name )? )? Ops?
 *   commandLine   := Ipvsadm? optionClause+ Comment?
 *   optionClause  := Option optionValue*
 *   optionValue   := Value ( Comma Value )*
 *
 * An embedded-actions parser, as the iptables-save one: no CST, flat memory on large listings.
 * The file is past 400 lines because Chevrotain needs every rule of a grammar in one parser
 * class; each rule is one line kind of the table above.
 */
import { EmbeddedActionsParser, tokenMatcher, type IToken } from 'chevrotain';
import { toSourceRef, type SourceRef, type SourceText } from '../source.js';
import {
  ActiveConn,
  allTokens,
  Arrow,
  Banner,
  Comma,
  Comment,
  Conns,
  Count,
  CPS,
  Ellipsis,
  Endpoint,
  Flags,
  Forward,
  ForwardName,
  Fwm,
  InActConn,
  InBPS,
  InBytes,
  Integer,
  InPkts,
  InPPS,
  Ipv6,
  Ipvsadm,
  LocalAddressPort,
  LongOpt,
  LParen,
  Lthreshold,
  Mask,
  Name,
  NullName,
  Ops,
  Option,
  OutBPS,
  OutBytes,
  OutPkts,
  OutPPS,
  Pe,
  Persistent,
  PersistConn,
  Prompt,
  Prot,
  ProtocolName,
  RemoteAddressPort,
  RParen,
  Scheduler,
  TableSize,
  TimeoutBanner,
  TunnelInfo,
  UserPrompt,
  Uthreshold,
  Value,
  Weight,
} from './tokens.js';
import type {
  EndpointSyntax,
  IpvsLineSyntax,
  OptionSyntax,
  SchedulerSyntax,
  ServerColumns,
  ServiceColumns,
  ServiceIdSyntax,
  ValueSyntax,
  WordSyntax,
} from './syntax.js';

/**
 * Splits `address[:port]` the way ipvsadm's parse_service() does: `[v6]` or `[v6]:port`; else a
 * whole IPv6 address (two colons or more) without port; else host and port at the last colon.
 */
export function splitEndpoint(image: string, start: number): EndpointSyntax {
  const end = start + image.length;
  const word = (from: number, to: number): WordSyntax => ({ text: image.slice(from, to), start: start + from, end: start + to });
  if (image.startsWith('[')) {
    const close = image.indexOf(']');
    const host = word(1, close);
    const port = image.charCodeAt(close + 1) === 58 ? word(close + 2, image.length) : null;
    return { host, port, bracketed: true, start, end };
  }
  const last = image.lastIndexOf(':');
  if (last < 0 || image.indexOf(':') !== last) return { host: word(0, image.length), port: null, bracketed: false, start, end };
  return { host: word(0, last), port: word(last + 1, image.length), bracketed: false, start, end };
}

export class IpvsadmParser extends EmbeddedActionsParser {
  /** The text the current tokens were lexed from. */
  source: SourceText = { name: '', text: '' };
  /** The current line, from its first character to its line break (exclusive). */
  lineStart = 0;
  lineEnd = 0;

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  private lineRef(): SourceRef {
    return { source: this.source, start: this.lineStart, end: this.lineEnd };
  }

  private word(token: IToken): WordSyntax {
    const { start, end } = toSourceRef(this.source, token);
    return { text: token.image, start, end };
  }

  private threeIntegersFrom(k: number): boolean {
    return tokenMatcher(this.LA(k), Integer) && tokenMatcher(this.LA(k + 1), Integer) && tokenMatcher(this.LA(k + 2), Integer);
  }

  public line = this.RULE('line', (): IpvsLineSyntax => {
    return this.OR([
      {
        ALT: () => {
          const t = this.OR2([{ ALT: () => this.CONSUME(Prompt) }, { ALT: () => this.CONSUME(UserPrompt) }]);
          return { kind: 'prompt', text: t.image, at: this.lineRef() } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(Comment);
          return { kind: 'comment', at: this.lineRef() } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(Ellipsis);
          return { kind: 'elision', at: this.lineRef() } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.bannerLine) },
      { ALT: () => this.SUBRULE(this.timeoutLine) },
      { ALT: () => this.SUBRULE(this.serviceTitle) },
      { ALT: () => this.SUBRULE(this.arrowLine) },
      { ALT: () => this.SUBRULE(this.serviceLine) },
      { ALT: () => this.SUBRULE(this.commandLine) },
    ]);
  });

  public bannerLine = this.RULE('bannerLine', (): IpvsLineSyntax => {
    this.CONSUME(Banner);
    const version = this.CONSUME(Value);
    const size = this.OPTION(() => this.CONSUME(TableSize));
    return this.ACTION(() => ({
      kind: 'banner',
      version: this.word(version),
      // `(size=4096)`: the number only.
      size: size ? { text: size.image.slice(6, -1), start: size.startOffset + 6, end: size.startOffset + size.image.length - 1 } : null,
      at: this.lineRef(),
    }) as const)!;
  });

  public timeoutLine = this.RULE('timeoutLine', (): IpvsLineSyntax => {
    this.CONSUME(TimeoutBanner);
    const tcp = this.CONSUME(Integer);
    const tcpfin = this.CONSUME2(Integer);
    const udp = this.CONSUME3(Integer);
    return this.ACTION(() => ({ kind: 'timeouts', values: [tcp, tcpfin, udp].map((t) => this.word(t)), at: this.lineRef() }) as const)!;
  });

  public serviceTitle = this.RULE('serviceTitle', (): IpvsLineSyntax => {
    this.CONSUME(Prot);
    this.CONSUME(LocalAddressPort);
    const columns = this.OR<ServiceColumns>([
      {
        ALT: () => {
          this.CONSUME(Scheduler);
          this.CONSUME(Flags);
          return 'scheduler';
        },
      },
      {
        ALT: () => {
          this.CONSUME(Conns);
          this.CONSUME(InPkts);
          this.CONSUME(OutPkts);
          this.CONSUME(InBytes);
          this.CONSUME(OutBytes);
          return 'stats';
        },
      },
      {
        ALT: () => {
          this.CONSUME(CPS);
          this.CONSUME(InPPS);
          this.CONSUME(OutPPS);
          this.CONSUME(InBPS);
          this.CONSUME(OutBPS);
          return 'rate';
        },
      },
      {
        ALT: () => {
          this.CONSUME(Uthreshold);
          this.CONSUME(Lthreshold);
          this.CONSUME(ActiveConn);
          this.CONSUME(InActConn);
          return 'thresholds';
        },
      },
      {
        ALT: () => {
          this.CONSUME(Weight);
          this.CONSUME(PersistConn);
          this.CONSUME2(ActiveConn);
          this.CONSUME2(InActConn);
          return 'persistent-conn';
        },
      },
    ]);
    return { kind: 'service-title', columns, at: this.lineRef() } as const;
  });

  public arrowLine = this.RULE('arrowLine', (): IpvsLineSyntax => {
    this.CONSUME(Arrow);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(RemoteAddressPort);
          let columns: ServerColumns = 'as-service';
          this.OPTION(() => {
            this.CONSUME(Forward);
            const tunnel = this.OPTION2(() => this.CONSUME(TunnelInfo));
            this.CONSUME(Weight);
            this.CONSUME(ActiveConn);
            this.CONSUME(InActConn);
            columns = tunnel ? 'tunnel-info' : 'forward';
          });
          return { kind: 'server-title', columns, at: this.lineRef() } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.serverEntry) },
    ]);
  });

  public serverEntry = this.RULE('serverEntry', (): IpvsLineSyntax => {
    const endpoint = this.CONSUME(Endpoint);
    let forward: IToken | undefined;
    let tunnelInfo: IToken | undefined;
    const numbers: IToken[] = [];
    this.OR([
      {
        ALT: () => {
          forward = this.OR2([{ ALT: () => this.CONSUME(ForwardName) }, { ALT: () => this.CONSUME(NullName) }]);
          // The TunnelInfo column is any word; it is there only when three numbers follow it.
          tunnelInfo = this.OPTION({ GATE: () => this.threeIntegersFrom(2), DEF: () => this.CONSUME(Name) });
          numbers.push(this.CONSUME(Integer), this.CONSUME2(Integer), this.CONSUME3(Integer));
        },
      },
      {
        ALT: () => {
          numbers.push(this.CONSUME(Count), this.CONSUME2(Count), this.CONSUME3(Count), this.CONSUME4(Count));
          this.OPTION2(() => numbers.push(this.CONSUME5(Count)));
        },
      },
    ]);
    return this.ACTION(() => ({
      kind: 'server',
      endpoint: splitEndpoint(endpoint.image, endpoint.startOffset),
      forward: forward ? this.word(forward) : null,
      tunnelInfo: tunnelInfo ? this.word(tunnelInfo) : null,
      numbers: numbers.map((t) => this.word(t)),
      at: this.lineRef(),
    }) as const)!;
  });

  public serviceLine = this.RULE('serviceLine', (): IpvsLineSyntax => {
    const id = this.SUBRULE(this.serviceId);
    let scheduler: SchedulerSyntax | null = null;
    let counts: IToken[] | null = null;
    this.OR([
      {
        ALT: () => {
          counts = [this.CONSUME(Count), this.CONSUME2(Count), this.CONSUME3(Count), this.CONSUME4(Count), this.CONSUME5(Count)];
        },
      },
      {
        ALT: () => {
          scheduler = this.SUBRULE(this.schedulerColumn);
        },
      },
    ]);
    return this.ACTION(() => {
      const c = counts as IToken[] | null;
      return { kind: 'service', id, scheduler, counts: c ? c.map((t) => this.word(t)) : null, at: this.lineRef() } as const;
    })!;
  });

  public serviceId = this.RULE('serviceId', (): ServiceIdSyntax => {
    return this.OR([
      {
        ALT: () => {
          const protocol = this.CONSUME(ProtocolName);
          const endpoint = this.CONSUME(Endpoint);
          return this.ACTION(() => ({
            kind: 'address',
            protocol: this.word(protocol),
            endpoint: splitEndpoint(endpoint.image, endpoint.startOffset),
          }) as const)!;
        },
      },
      {
        ALT: () => {
          this.CONSUME(Fwm);
          const mark = this.CONSUME(Integer);
          const ipv6 = this.OPTION(() => this.CONSUME(Ipv6));
          return this.ACTION(() => ({ kind: 'fwmark', mark: this.word(mark), ipv6: ipv6 !== undefined }) as const)!;
        },
      },
    ]);
  });

  public schedulerColumn = this.RULE('schedulerColumn', (): SchedulerSyntax => {
    const name = this.CONSUME(Name);
    const flags: IToken[] = [];
    this.OPTION(() => {
      this.CONSUME(LParen);
      flags.push(this.CONSUME2(Name));
      this.MANY(() => {
        this.CONSUME(Comma);
        flags.push(this.CONSUME3(Name));
      });
      this.CONSUME(RParen);
    });
    let persistent: { timeout: IToken; mask: IToken | undefined; engine: IToken | undefined } | undefined;
    this.OPTION2(() => {
      this.CONSUME(Persistent);
      const timeout = this.CONSUME(Integer);
      const mask = this.OPTION3(() => {
        this.CONSUME(Mask);
        return this.CONSUME(Value);
      });
      const engine = this.OPTION4(() => {
        this.CONSUME(Pe);
        return this.CONSUME4(Name);
      });
      persistent = { timeout, mask, engine };
    });
    // ipvsadm before 1.27 printed `ops` only inside the persistence block; later ones after it.
    const ops = this.OPTION5(() => this.CONSUME(Ops));
    return this.ACTION(() => {
      const p = persistent as { timeout: IToken; mask: IToken | undefined; engine: IToken | undefined } | undefined;
      return {
        name: this.word(name),
        flags: flags.map((t) => this.word(t)),
        persistent: p
          ? { timeout: this.word(p.timeout), mask: p.mask ? this.word(p.mask) : null, engine: p.engine ? this.word(p.engine) : null }
          : null,
        ops: ops !== undefined,
      };
    })!;
  });

  public commandLine = this.RULE('commandLine', (): IpvsLineSyntax => {
    this.OPTION(() => this.CONSUME(Ipvsadm));
    const options: OptionSyntax[] = [];
    this.AT_LEAST_ONE(() => {
      options.push(this.SUBRULE(this.optionClause));
    });
    this.OPTION2(() => this.CONSUME(Comment));
    return { kind: 'command', options, at: this.lineRef() } as const;
  });

  public optionClause = this.RULE('optionClause', (): OptionSyntax => {
    const name = this.CONSUME(Option);
    const values: ValueSyntax[] = [];
    this.MANY(() => {
      values.push(this.SUBRULE(this.optionValue));
    });
    return this.ACTION(() => {
      const start = name.startOffset;
      const image = name.image;
      const eq = name.tokenType === LongOpt ? image.indexOf('=') : -1;
      // popt's `--weight=1`: the part after `=` is the option's first argument.
      const inline: ValueSyntax[] = [];
      if (eq >= 0) {
        const text = image.slice(eq + 1);
        const part = { text, start: start + eq + 1, end: start + image.length };
        inline.push({ ...part, parts: [part], endpoint: splitEndpoint(text, part.start) });
      }
      const all = [...inline, ...values];
      const last = all[all.length - 1];
      return {
        name: eq >= 0 ? { text: image.slice(0, eq), start, end: start + eq } : this.word(name),
        values: all,
        start,
        end: last && last.end > start + image.length ? last.end : start + image.length,
      };
    })!;
  });

  public optionValue = this.RULE('optionValue', (): ValueSyntax => {
    const parts: IToken[] = [this.CONSUME(Value)];
    this.MANY(() => {
      this.CONSUME(Comma);
      parts.push(this.CONSUME2(Value));
    });
    return this.ACTION(() => {
      const words = parts.map((t) => this.word(t));
      const first = words[0]!;
      const last = words[words.length - 1]!;
      const text = this.source.text.slice(first.start, last.end);
      return { text, start: first.start, end: last.end, parts: words, endpoint: words.length === 1 ? splitEndpoint(first.text, first.start) : null };
    })!;
  });
}

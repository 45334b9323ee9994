/**
 * Tokens of ipvsadm output: the listing (`ipvsadm -Ln`, with `--stats`, `--rate`, `--exact`,
 * `--thresholds`, `--persistent-conn`, `--tun-info`, `--timeout`) and the save/restore form
 * (`ipvsadm -Sn`, the input of `ipvsadm -R`).
 *
 * The column titles and keywords that ipvsadm.c prints verbatim (`print_title`,
 * `print_service_entry`, `fwd_name`, `list_all`) are tokens of their own, so the grammar can name
 * each column layout. Every keyword also belongs to the `Name` category (and `Name` to `Value`),
 * so a scheduler, persistence engine or option value that happens to spell a keyword is still
 * accepted where a free word is expected. Line breaks are skipped like blanks: the parse step
 * groups tokens into lines by offset, since one line is one statement of both forms.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Anything an option of the restore form can take as its argument. */
export const Value = createToken({ name: 'Value', pattern: Lexer.NA });
/** A free word: scheduler, persistence engine, tunnel info, scheduler flag; keywords included. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, categories: [Value] });
/** `address:port` as ipvsadm prints it: a plain word, or a bracketed IPv6 address. */
export const Endpoint = createToken({ name: 'Endpoint', pattern: Lexer.NA, categories: [Value] });
/** A counter column: a plain number, or one that ipvsadm rounded to K/M/G/T (no `--exact`). */
export const Count = createToken({ name: 'Count', pattern: Lexer.NA, categories: [Value] });
/** `TCP`, `UDP`, `SCTP`: `protocol_name()` in ipvsadm.c. */
export const ProtocolName = createToken({ name: 'ProtocolName', pattern: Lexer.NA, categories: [Name] });
/** `Masq`, `Local`, `Tunnel`, `Route`: `fwd_name()` in ipvsadm.c. */
export const ForwardName = createToken({ name: 'ForwardName', pattern: Lexer.NA, categories: [Name] });
/** The command-line options of the restore form. */
export const Option = createToken({ name: 'Option', pattern: Lexer.NA });

/** Blanks and line breaks: lines are told apart by offset, not by tokens. */
export const Blank = createToken({ name: 'Blank', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });

/** `$ ipvsadm -Ln`: a shell prompt pasted with the output. */
export const Prompt = createToken({ name: 'Prompt', pattern: /\$[^\r\n]*/ });
/** `root@node:~# ipvsadm -Ln`, `[root@node ~]# ipvsadm -Ln`: a prompt with user and host. */
export const UserPrompt = createToken({
  name: 'UserPrompt',
  pattern: /(?:[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+(?::[^\s$#]*)?|\[[^\]\r\n]*@[^\]\r\n]*\])[$#][^\r\n]*/,
});
/** `#` to the end of the line: `ipvsadm -R` ignores it (config_stream.c). */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/ });

/**
 * Every character a `Word` can start with, for Chevrotain's first-character optimisation (it
 * cannot derive them from a complement set). Above U+00FF Chevrotain files characters in
 * buckets of 255 (`charCodeToOptimizedIndex`), so one character of each bucket stands for all
 * of it; test/grammar/ipvsadm/lexer.test.ts checks the optimised lexer against `safeMode`.
 */
function wordStartChars(): string[] {
  const starts: string[] = [];
  const excluded = /[\s()[\],]/;
  for (let code = 0; code < 256; code++) {
    const c = String.fromCharCode(code);
    if (!excluded.test(c)) starts.push(c);
  }
  // Chevrotain's bucket of a character above U+00FF is 255 + floor(code / 255).
  for (let bucket = 1; bucket * 255 <= 0xffff; bucket++) {
    const last = Math.min(bucket * 255 + 254, 0xffff);
    let c = Math.max(bucket * 255, 256);
    while (c <= last && excluded.test(String.fromCharCode(c))) c++;
    if (c <= last) starts.push(String.fromCharCode(c));
  }
  return starts;
}

/** Any other run of characters: addresses, names, numbers with dots. Keywords fall back to it (`longer_alt`). */
export const Word = createToken({ name: 'Word', pattern: /[^\s()[\],]+/, categories: [Name, Endpoint], start_chars_hint: wordStartChars() });

/** `...` or `…` standing for lines the author of a paste cut out. */
export const Ellipsis = createToken({ name: 'Ellipsis', pattern: /\.{3,}|…/, longer_alt: Word });

/** `IP Virtual Server version 1.2.1 (size=4096)`: `list_all()`. */
export const Banner = createToken({ name: 'Banner', pattern: /IP Virtual Server version/ });
export const TableSize = createToken({ name: 'TableSize', pattern: /\(size=\d+\)/ });
/** `Timeout (tcp tcpfin udp): 900 120 300`: `list_timeout()` (`ipvsadm -L --timeout`). */
export const TimeoutBanner = createToken({ name: 'TimeoutBanner', pattern: /Timeout \(tcp tcpfin udp\):/ });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, longer_alt: Word });

function keyword(name: string, pattern: RegExp, categories: TokenType[] = [Name]): TokenType {
  return createToken({ name, pattern, longer_alt: Word, categories });
}

// Column titles of print_title().
export const Prot = keyword('Prot', /Prot/);
export const LocalAddressPort = keyword('LocalAddressPort', /LocalAddress:Port/);
export const RemoteAddressPort = keyword('RemoteAddressPort', /RemoteAddress:Port/);
export const Scheduler = keyword('Scheduler', /Scheduler/);
export const Flags = keyword('Flags', /Flags/);
export const Forward = keyword('Forward', /Forward/);
export const TunnelInfo = keyword('TunnelInfo', /TunnelInfo/);
export const Weight = keyword('Weight', /Weight/);
export const ActiveConn = keyword('ActiveConn', /ActiveConn/);
export const InActConn = keyword('InActConn', /InActConn/);
export const Conns = keyword('Conns', /Conns/);
export const InPkts = keyword('InPkts', /InPkts/);
export const OutPkts = keyword('OutPkts', /OutPkts/);
export const InBytes = keyword('InBytes', /InBytes/);
export const OutBytes = keyword('OutBytes', /OutBytes/);
export const CPS = keyword('CPS', /CPS/);
export const InPPS = keyword('InPPS', /InPPS/);
export const OutPPS = keyword('OutPPS', /OutPPS/);
export const InBPS = keyword('InBPS', /InBPS/);
export const OutBPS = keyword('OutBPS', /OutBPS/);
export const Uthreshold = keyword('Uthreshold', /Uthreshold/);
export const Lthreshold = keyword('Lthreshold', /Lthreshold/);
export const PersistConn = keyword('PersistConn', /PersistConn/);

// Service identities of print_service_entry().
export const Tcp = keyword('Tcp', /TCP/, [ProtocolName]);
export const Udp = keyword('Udp', /UDP/, [ProtocolName]);
export const Sctp = keyword('Sctp', /SCTP/, [ProtocolName]);
export const Fwm = keyword('Fwm', /FWM/);
export const Ipv6 = keyword('Ipv6', /IPv6/);

// The "Scheduler Flags" column.
export const Persistent = keyword('Persistent', /persistent/);
export const Mask = keyword('Mask', /mask/);
export const Pe = keyword('Pe', /pe/);
export const Ops = keyword('Ops', /ops/);

// The "Forward" column.
export const Masq = keyword('Masq', /Masq/, [ForwardName]);
export const Local = keyword('Local', /Local/, [ForwardName]);
export const Tunnel = keyword('Tunnel', /Tunnel/, [ForwardName]);
export const Route = keyword('Route', /Route/, [ForwardName]);
/**
 * `(null)`: glibc's printf of the NULL that `fwd_name()`/`fwd_switch()` return for a forwarding
 * method they have no name for (IP_VS_CONN_F_BYPASS).
 */
export const NullName = createToken({ name: 'NullName', pattern: /\(null\)/, categories: [Value] });

/** `ipvsadm` before a restore command: config_stream.c drops the word. */
export const Ipvsadm = keyword('Ipvsadm', /ipvsadm/, []);
/** `--tcp-service`, `--weight=1` (popt accepts `=`). */
export const LongOpt = createToken({ name: 'LongOpt', pattern: /--[A-Za-z][A-Za-z0-9-]*(?:=[^\s]*)?/, longer_alt: Word, categories: [Option] });
/** `-A`, `-t`, `-6`. */
export const ShortOpt = createToken({ name: 'ShortOpt', pattern: /-[A-Za-z0-9]/, longer_alt: Word, categories: [Option] });

/** `[fd00::1]:80`, `[fd00::1]` */
export const Bracketed = createToken({ name: 'Bracketed', pattern: /\[[^\]\s]*\](?::[^\s()[\],]*)?/, categories: [Endpoint] });
/** `1234K`: print_largenum() divides by 1000ⁿ and appends K, M, G or T. */
export const ScaledCount = createToken({ name: 'ScaledCount', pattern: /\d+[KMGT]/, longer_alt: Word, categories: [Count] });
export const Integer = createToken({ name: 'Integer', pattern: /\d+/, longer_alt: Word, categories: [Count] });

export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });

/**
 * Lexing order matters where patterns overlap: Chevrotain takes the first token that matches
 * (a `longer_alt` only when it matches more), so longer keywords precede their prefixes
 * (`LocalAddress:Port` before `Local`, `TunnelInfo` before `Tunnel`, `persistent` before `pe`)
 * and every specific form precedes `Word`.
 */
export const allTokens: TokenType[] = [
  Blank,
  Prompt,
  UserPrompt,
  Comment,
  Banner,
  TimeoutBanner,
  TableSize,
  NullName,
  Ellipsis,
  Arrow,
  LongOpt,
  ShortOpt,
  Prot,
  LocalAddressPort,
  RemoteAddressPort,
  Scheduler,
  Flags,
  Forward,
  TunnelInfo,
  Weight,
  ActiveConn,
  InActConn,
  Conns,
  InPkts,
  OutPkts,
  InBytes,
  OutBytes,
  CPS,
  InPPS,
  OutPPS,
  InBPS,
  OutBPS,
  Uthreshold,
  Lthreshold,
  PersistConn,
  Tcp,
  Udp,
  Sctp,
  Fwm,
  Ipv6,
  Persistent,
  Mask,
  Pe,
  Ops,
  Masq,
  Local,
  Tunnel,
  Route,
  Ipvsadm,
  Bracketed,
  ScaledCount,
  Integer,
  LParen,
  RParen,
  Comma,
  Word,
  Value,
  Name,
  Endpoint,
  Count,
  ProtocolName,
  ForwardName,
  Option,
];

/** The lexer over {@link allTokens}; offsets only (house positions are derived from offsets). */
export const ipvsadmLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });

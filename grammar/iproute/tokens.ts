/**
 * The vocabulary of iproute2's text output (`ip addr`, `ip link`, `ip route`, `ip rule`), one
 * lexer for the three grammars.
 *
 * Keywords are tokens of their own (with `longer_alt: Word`, so `devices` stays a word) and all
 * belong to the `Name` category: where iproute2 prints a value (an interface, a table name) any
 * word is accepted, keyword or not — an interface may well be called `local`. The categories
 * `RouteType`, `RouteKey`, `RouteMetric`, `RouteFlag`, `RuleKey`, `LinkKey` and `AddressKey`
 * group keywords by the place they take in a line, mirroring the printers in iproute2's
 * ip/iproute.c (print_route), ip/iprule.c (print_rule) and ip/ipaddress.c (print_linkinfo,
 * print_addrinfo).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { Blank, Indent, Newline, Prompt } from './prompt.js';

export { Blank, Indent, Newline, Prompt };

/** Anything that can stand as a value. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
export const RouteType = createToken({ name: 'RouteType', pattern: Lexer.NA });
/** A route attribute with one value (`dev eth0`, `metric 100`). */
export const RouteKey = createToken({ name: 'RouteKey', pattern: Lexer.NA });
/** A route metric (RTAX_*), which may be preceded by `lock`. */
export const RouteMetric = createToken({ name: 'RouteMetric', pattern: Lexer.NA });
/** A route or nexthop flag without value (RTNH_F_*, RTM_F_*). */
export const RouteFlag = createToken({ name: 'RouteFlag', pattern: Lexer.NA });
/** A rule selector or action with one value (`fwmark 0x1`, `lookup main`). */
export const RuleKey = createToken({ name: 'RuleKey', pattern: Lexer.NA });
/** A rule keyword without value (`l3mdev`, `nop`). */
export const RuleFlag = createToken({ name: 'RuleFlag', pattern: Lexer.NA });
/** An attribute of an interface's first line with one value (`mtu 1500`, `state UP`). */
export const LinkKey = createToken({ name: 'LinkKey', pattern: Lexer.NA });
/** An operational state (RFC 2863 ifOperStatus as iproute2 prints it: ip/ipaddress.c oper_states). */
export const OperState = createToken({ name: 'OperState', pattern: Lexer.NA });
/** An attribute of an `inet`/`inet6` line with one value (`brd …`, `scope global`). */
export const AddressKey = createToken({ name: 'AddressKey', pattern: Lexer.NA });

/** Any other run of non-blank characters (a backslash ends it: `ip -o` separates with it). */
export const Word = createToken({ name: 'Word', pattern: /[^\s\\]+/, categories: [Name] });

/** `2:` — an interface index (`ip addr`) or a rule priority (`ip rule`). */
export const IndexColon = createToken({ name: 'IndexColon', pattern: /\d+:/, longer_alt: Word });
/** `<BROADCAST,MULTICAST,UP,LOWER_UP>` */
export const Flags = createToken({ name: 'Flags', pattern: /<[^<>\s\\]*>/, longer_alt: Word });
/** `link/ether`, `link/loopback`, `link/none`, … */
export const LinkType = createToken({ name: 'LinkType', pattern: /link\/[^\s\\]+/ });
/** `[detached]`, `[unresolved]` after a rule's iif/oif or goto. */
export const Bracketed = createToken({ name: 'Bracketed', pattern: /\[[\w-]+\]/, longer_alt: Word });
/** `ip -o` joins the lines of one record with a backslash. */
export const Backslash = createToken({ name: 'Backslash', pattern: /\\/ });

const keywords: TokenType[] = [];

function keyword(image: string, ...categories: TokenType[]): TokenType {
  const name = `Kw_${image.replace(/[^A-Za-z0-9]/g, '_')}`;
  const escaped = image.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const token = createToken({
    name,
    pattern: new RegExp(escaped),
    longer_alt: Word,
    categories: [Name, ...categories],
  });
  keywords.push(token);
  return token;
}

// ip addr / ip link
export const Inet = keyword('inet');
export const Inet6 = keyword('inet6');
export const ValidLft = keyword('valid_lft');
export const PreferredLft = keyword('preferred_lft');
export const Altname = keyword('altname');
export const Peer = keyword('peer', AddressKey);
export const Brd = keyword('brd', AddressKey);
export const Any = keyword('any', AddressKey);
export const Mtu = keyword('mtu', LinkKey, RouteMetric);
export const Qdisc = keyword('qdisc', LinkKey);
export const Master = keyword('master', LinkKey);
export const State = keyword('state', LinkKey);
export const Mode = keyword('mode', LinkKey);
export const Group = keyword('group', LinkKey);
export const Qlen = keyword('qlen', LinkKey);

for (const state of ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP']) {
  keyword(state, OperState);
}

// shared by addresses, routes and rules
export const Scope = keyword('scope', AddressKey, RouteKey);
export const Metric = keyword('metric', AddressKey, RouteKey);
export const Proto = keyword('proto', AddressKey, RouteKey, RuleKey);

// ip route (ip/iproute.c print_route; route types from rtnl_rtntype_n2a)
export const Default = keyword('default');
export const Via = keyword('via');
export const Nexthop = keyword('nexthop');
export const Encap = keyword('encap');
export const Lock = keyword('lock');
export const Unicast = keyword('unicast', RouteType);
export const Local = keyword('local', RouteType);
export const Broadcast = keyword('broadcast', RouteType);
export const Anycast = keyword('anycast', RouteType);
export const Multicast = keyword('multicast', RouteType);
export const Blackhole = keyword('blackhole', RouteType, RuleFlag);
export const Unreachable = keyword('unreachable', RouteType, RuleFlag);
export const Prohibit = keyword('prohibit', RouteType, RuleFlag);
export const Throw = keyword('throw', RouteType);
export const Nat = keyword('nat', RouteType);
export const Xresolve = keyword('xresolve', RouteType);
export const Dev = keyword('dev', RouteKey);
export const Table = keyword('table', RouteKey);
export const Src = keyword('src', RouteKey);
export const Pref = keyword('pref', RouteKey);
export const Expires = keyword('expires', RouteKey);
export const ErrorKw = keyword('error', RouteKey);
export const Weight = keyword('weight', RouteKey);
export const Nhid = keyword('nhid', RouteKey);
export const Realm = keyword('realm', RouteKey);
export const Realms = keyword('realms', RouteKey, RuleKey);
export const Tos = keyword('tos', RouteKey, RuleKey);
export const Dsfield = keyword('dsfield', RouteKey, RuleKey);
export const From = keyword('from', RouteKey);
for (const metric of [
  'advmss', 'hoplimit', 'rtt', 'rttvar', 'reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd',
  'ssthresh', 'rto_min', 'quickack', 'congctl', 'features', 'fastopen_no_cookie',
]) {
  keyword(metric, RouteMetric);
}
for (const flag of ['onlink', 'linkdown', 'pervasive', 'dead', 'offload', 'trap', 'notify', 'rt_offload', 'rt_trap', 'rt_offload_failed']) {
  keyword(flag, RouteFlag);
}
export const Onlink = keywords.find((k) => k.name === 'Kw_onlink')!;

// ip rule (ip/iprule.c print_rule)
export const Not = keyword('not');
export const All = keyword('all');
export const To = keyword('to', RuleKey);
for (const key of [
  'fwmark', 'iif', 'oif', 'lookup', 'goto', 'uidrange', 'ipproto', 'sport', 'dport', 'suppress_prefixlength',
  'suppress_ifgroup', 'map-to', 'tun_id', 'flowlabel', 'dscp',
]) {
  keyword(key, RuleKey);
}
for (const flag of ['l3mdev', 'nop']) keyword(flag, RuleFlag);

/**
 * Order matters where patterns overlap: line-start tokens first, then the specific forms, the
 * keywords (longest first, so `inet6` is not read as `inet` + `6`), and `Word` last. `link/…`
 * comes before `Word` because both match the whole word.
 */
export const allTokens: TokenType[] = [
  Newline,
  Prompt,
  Indent,
  Blank,
  Backslash,
  IndexColon,
  Flags,
  LinkType,
  Bracketed,
  ...[...keywords].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Word,
  Name,
  RouteType,
  RouteKey,
  RouteMetric,
  RouteFlag,
  RuleKey,
  RuleFlag,
  LinkKey,
  OperState,
  AddressKey,
];

export const iprouteLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

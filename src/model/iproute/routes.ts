/**
 * From `ip route` syntax to routes. What iproute2 leaves out is filled in as it defines it
 * (ip/iproute.c print_route): no type printed means `unicast`, no `table` means the table the
 * command showed (`main` unless `table X` was asked for), no `proto` means `boot`, no `scope`
 * means `global` (RT_SCOPE_UNIVERSE).
 */
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { AttributeSyntax, IpRouteSyntax, NexthopSyntax, RouteSyntax, WordSyntax } from '../../../grammar/iproute/syntax.js';
import type { SourceRef, SourceText } from '../../../grammar/source.js';
import { parseAddress, parseCidr, type Cidr, type Family } from '../values/address.js';
import type { Nexthop, Route, RouteTable, RouteType, Scope, TableId } from './types.js';
import { parseScope, parseTable, parseUnsigned } from './values.js';

export interface BuildRoutesOptions {
  /** The table the output shows when its lines do not say (`ip route show table local`). */
  readonly table?: TableId;
  /** The family when a line does not say (`ip -6 route` output holds `default dev wg0` lines). */
  readonly family?: Family;
}

const ROUTE_TYPES: ReadonlySet<string> = new Set([
  'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve',
]);

/** Route and nexthop flags (RTNH_F_*, RTM_F_*), as ip/iproute.c print_rt_flags names them. */
const ROUTE_FLAGS: ReadonlySet<string> = new Set([
  'onlink', 'linkdown', 'pervasive', 'dead', 'offload', 'trap', 'notify', 'rt_offload', 'rt_trap', 'rt_offload_failed', 'unresolved',
]);

/**
 * Attributes read but not modelled because they play no part in choosing a route (metrics,
 * lifetimes, weights outside a nexthop).
 */
const IGNORED: ReadonlySet<string> = new Set([
  'expires', 'weight', 'advmss', 'hoplimit', 'rtt', 'rttvar', 'reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd',
  'ssthresh', 'rto_min', 'quickack', 'congctl', 'features', 'fastopen_no_cookie', 'mtu',
]);

/** Attributes that do change routing but that iptlens does not model: said in an info. */
const UNMODELLED: ReadonlySet<string> = new Set(['from', 'tos', 'dsfield', 'encap', 'nhid', 'realm', 'realms']);

function ref(source: SourceText, word: WordSyntax): SourceRef {
  return { source, start: word.start, end: word.end };
}

/** `-6`/`-4` and `table X` of the command on the prompt line, if any (ip/iproute.c iproute_list_flush_or_save). */
function commandHints(command: string | null): { family?: Family; table?: TableId } {
  if (!command) return {};
  const words = command.split(/\s+/);
  const hints: { family?: Family; table?: TableId } = {};
  if (words.includes('-6')) hints.family = 'ipv6';
  else if (words.includes('-4')) hints.family = 'ipv4';
  const t = words.indexOf('table');
  const table = t >= 0 ? words[t + 1] : undefined;
  if (table && table !== 'all' && table !== '0') hints.table = parseTable(table);
  return hints;
}

/** The family a route's own words give: its addresses, else `pref` (printed for IPv6 only). */
function familyOfWords(route: RouteSyntax): Family | undefined {
  const candidates: string[] = [];
  if (route.destination.text !== 'default') candidates.push(route.destination.text);
  const add = (attributes: readonly AttributeSyntax[]): void => {
    for (const a of attributes) {
      if (a.name === 'via' || a.name === 'src') {
        const value = a.values[a.values.length - 1];
        if (value) candidates.push(value.text);
      }
    }
  };
  add(route.attributes);
  for (const hop of route.nexthops) add(hop.attributes);
  for (const text of candidates) {
    const parsed = parseCidr(text);
    if (parsed) return parsed.family;
  }
  if (route.attributes.some((a) => a.name === 'pref')) return 'ipv6';
  return undefined;
}

export function buildRoutes(syntax: IpRouteSyntax, options: BuildRoutesOptions = {}): RouteTable {
  const diagnostics: Diagnostic[] = [...syntax.diagnostics];
  const hints = commandHints(syntax.command);
  const defaultTable: TableId = options.table ?? hints.table ?? 'main';
  const routes: Route[] = [];
  let previous: Family | undefined;
  for (const route of syntax.routes) {
    let family = familyOfWords(route) ?? options.family ?? hints.family;
    if (!family) {
      // `ip route show table all` lists IPv4 first, then IPv6: a line that does not say takes
      // the family of the line before it.
      family = previous ?? 'ipv4';
      if (!previous) diagnostics.push(diagnose('iproute/family-assumed', route.at, 'this route', family));
    }
    previous = family;
    const built = buildRoute(syntax.source, route, family, defaultTable, diagnostics);
    if (built) routes.push(built);
  }
  return { routes, diagnostics };
}

interface PathFields {
  via?: Cidr;
  dev?: string;
  flags: string[];
  unmodelled: string[];
}

/** via/dev/flags shared by a route and its nexthops; false when a gateway cannot be read. */
function readPath(source: SourceText, attributes: readonly AttributeSyntax[], family: Family, into: PathFields, diagnostics: Diagnostic[]): boolean {
  for (const attr of attributes) {
    const value = attr.values[attr.values.length - 1];
    if (!attr.known) {
      into.unmodelled.push(attr.name);
      continue;
    }
    if (attr.values.length === 0) {
      if (ROUTE_FLAGS.has(attr.name)) into.flags.push(attr.name);
      else into.unmodelled.push(attr.name);
      continue;
    }
    if (!value) continue;
    switch (attr.name) {
      case 'via': {
        // `via inet6 fe80::1` (RTA_VIA) may give an IPv4 route an IPv6 gateway (RFC 5549).
        const viaFamily = attr.values.length > 1 ? (attr.values[0]?.text === 'inet6' ? 'ipv6' : 'ipv4') : family;
        const parsed = parseAddress(value.text, viaFamily);
        if (!parsed) {
          diagnostics.push(diagnose('iproute/bad-route-value', ref(source, value), 'via', value.text, `an ${viaFamily === 'ipv4' ? 'IPv4' : 'IPv6'} gateway address`));
          return false;
        }
        into.via = parsed;
        break;
      }
      case 'dev':
        into.dev = value.text;
        break;
      default:
        break;
    }
  }
  return true;
}

function buildRoute(source: SourceText, syntax: RouteSyntax, family: Family, defaultTable: TableId, diagnostics: Diagnostic[]): Route | null {
  const typeText = syntax.type?.text ?? 'unicast';
  if (!ROUTE_TYPES.has(typeText)) {
    diagnostics.push(diagnose('iproute/bad-route-value', syntax.type ? ref(source, syntax.type) : syntax.at, 'type', typeText, 'a route type (unicast, local, broadcast, blackhole, unreachable, prohibit, throw, …)'));
    return null;
  }
  const type = typeText as RouteType;
  let destination: Cidr | 'default';
  if (syntax.destination.text === 'default') destination = 'default';
  else {
    const parsed = parseCidr(syntax.destination.text, family);
    if (!parsed) {
      diagnostics.push(diagnose('iproute/bad-destination', ref(source, syntax.destination), syntax.destination.text));
      return null;
    }
    destination = parsed;
  }

  const path: PathFields = { flags: [], unmodelled: [] };
  if (!readPath(source, syntax.attributes, family, path, diagnostics)) return null;
  let table = defaultTable;
  let src: Cidr | undefined;
  let proto = 'boot';
  let scope: Scope = 'global';
  let metric: number | undefined;
  let pref: string | undefined;
  let error: number | undefined;
  let mtu: number | undefined;
  for (const attr of syntax.attributes) {
    if (!attr.known) continue;
    const value = attr.values[attr.values.length - 1];
    if (!value) continue;
    switch (attr.name) {
      case 'table':
        table = parseTable(value.text);
        break;
      case 'src': {
        const parsed = parseAddress(value.text, family);
        if (parsed) src = parsed;
        else diagnostics.push(diagnose('iproute/bad-value', ref(source, value), 'src', value.text, `an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`));
        break;
      }
      case 'proto':
        proto = value.text;
        break;
      case 'scope': {
        const parsed = parseScope(value.text);
        if (parsed === null) diagnostics.push(diagnose('iproute/bad-value', ref(source, value), 'scope', value.text, 'global, site, link, host, nowhere or a number'));
        else scope = parsed;
        break;
      }
      case 'metric': {
        const parsed = parseUnsigned(value.text);
        if (parsed === null) diagnostics.push(diagnose('iproute/bad-value', ref(source, value), 'metric', value.text, 'a number'));
        else metric = parsed;
        break;
      }
      case 'pref':
        pref = value.text;
        break;
      case 'error':
        if (/^-?\d+$/.test(value.text)) error = Number(value.text);
        break;
      case 'mtu': {
        const parsed = parseUnsigned(value.text);
        if (parsed !== null) mtu = parsed;
        break;
      }
      case 'via':
      case 'dev':
        break;
      default:
        if (UNMODELLED.has(attr.name)) path.unmodelled.push(`${attr.name} ${attr.values.map((v) => v.text).join(' ')}`);
        else if (!IGNORED.has(attr.name)) path.unmodelled.push(attr.name);
        break;
    }
  }

  const nexthops: Nexthop[] = [];
  for (const hop of syntax.nexthops) {
    const built = buildNexthop(source, hop, family, diagnostics);
    if (!built) return null;
    nexthops.push(built);
  }
  if (path.unmodelled.length > 0) {
    diagnostics.push(diagnose('iproute/unknown-words', syntax.at, path.unmodelled.map((w) => JSON.stringify(w)).join(', '), 'route'));
  }
  return {
    table,
    type,
    destination,
    family,
    ...(path.via ? { via: path.via } : {}),
    ...(path.dev !== undefined ? { dev: path.dev } : {}),
    ...(src ? { src } : {}),
    proto,
    scope,
    ...(metric !== undefined ? { metric } : {}),
    onlink: path.flags.includes('onlink'),
    flags: path.flags,
    ...(nexthops.length > 0 ? { nexthops } : {}),
    ...(pref !== undefined ? { pref } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(mtu !== undefined ? { mtu } : {}),
    unmodelled: path.unmodelled,
    at: syntax.at,
  };
}

function buildNexthop(source: SourceText, syntax: NexthopSyntax, family: Family, diagnostics: Diagnostic[]): Nexthop | null {
  const path: PathFields = { flags: [], unmodelled: [] };
  if (!readPath(source, syntax.attributes, family, path, diagnostics)) return null;
  let weight = 1;
  for (const attr of syntax.attributes) {
    const value = attr.values[0];
    if (attr.name === 'weight' && value) {
      const parsed = parseUnsigned(value.text);
      if (parsed !== null && parsed >= 1 && parsed <= 256) weight = parsed;
      else diagnostics.push(diagnose('iproute/bad-value', ref(source, value), 'weight', value.text, 'a number from 1 to 256'));
    }
  }
  return {
    ...(path.via ? { via: path.via } : {}),
    ...(path.dev !== undefined ? { dev: path.dev } : {}),
    weight,
    onlink: path.flags.includes('onlink'),
    flags: path.flags,
    at: syntax.at,
  };
}

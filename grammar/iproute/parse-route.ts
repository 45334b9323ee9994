/**
 * Non-throwing entry point for `ip route` / `ip -6 route` output (`show`, `show table all`,
 * `show table local`, `-d`, `-o`, `-j`). A multipath route's `nexthop` lines are gathered into it.
 */
import { diagnose, type Diagnostic } from '../diagnostics.js';
import { parseJsonText } from '../json/parse.js';
import { member, type JsonObject, type JsonValue } from '../json/syntax.js';
import type { SourceRef, SourceText } from '../source.js';
import { attributeMember, describeJson, wordMember, wordOf, wordsMember } from './json-fields.js';
import { errorSite, failedRule } from './line-parser.js';
import { lexLines, type ParseRange } from './lines.js';
import { isPromptLine, jsonStart, promptLine } from './preamble.js';
import { IpRouteParser, type RouteLine } from './route-parser.js';
import type { AttributeSyntax, IpRouteSyntax, NexthopSyntax, RouteSyntax, WordSyntax } from './syntax.js';
import { iprouteLexer, Newline } from './tokens.js';

let parser: IpRouteParser | undefined;

const expectations: Record<string, string> = {
  line: 'a route ("10.0.0.0/24 dev eth0 …", "default via …", "local …") or a nexthop line',
  route: 'a destination (`default` or an address) after the route type',
  nexthopLine: 'a nexthop line',
  items: 'route attributes',
  item: 'a route attribute (via, dev, table, proto, scope, src, metric, …)',
};

interface RouteDraft {
  readonly type: WordSyntax | null;
  readonly destination: WordSyntax;
  readonly attributes: AttributeSyntax[];
  readonly nexthops: NexthopSyntax[];
  at: SourceRef;
}

/** Splits items at `nexthop` markers: before the first, the route's own; then one list per nexthop. */
function splitNexthops(items: readonly AttributeSyntax[], source: SourceText, lineEnd: number): { own: AttributeSyntax[]; nexthops: NexthopSyntax[] } {
  const own: AttributeSyntax[] = [];
  const nexthops: { attributes: AttributeSyntax[]; start: number; end: number }[] = [];
  for (const item of items) {
    if (item.known && item.name === 'nexthop' && item.values.length === 0) {
      nexthops.push({ attributes: [], start: item.start, end: item.end });
      continue;
    }
    const last = nexthops[nexthops.length - 1];
    if (last) {
      last.attributes.push(item);
      last.end = item.end;
    } else own.push(item);
  }
  return {
    own,
    nexthops: nexthops.map((n, i) => ({
      attributes: n.attributes,
      at: { source, start: n.start, end: i === nexthops.length - 1 ? Math.max(n.end, lineEnd) : n.end },
    })),
  };
}

export function parseIpRouteText(source: SourceText, range: ParseRange = {}): IpRouteSyntax {
  const lexed = lexLines(iprouteLexer, Newline, source, range);
  const diagnostics: Diagnostic[] = [];
  let command: string | null = null;
  const json = jsonStart(lexed);
  if (json !== null) {
    for (const line of lexed.lines) {
      if (line.start >= json) break;
      if (isPromptLine(line)) {
        const prompt = promptLine(source, line, lexed.base);
        diagnostics.push(prompt.diagnostic);
        command = prompt.command || command;
      }
    }
    return parseIpRouteJson(source, { start: json, end: range.end ?? source.text.length }, command, diagnostics);
  }

  parser ??= new IpRouteParser();
  const p = parser;
  const routes: RouteDraft[] = [];
  let last: RouteDraft | null = null;
  for (const line of lexed.lines) {
    const error = line.errors[0];
    if (error) {
      diagnostics.push(diagnose('iproute/unexpected-character', { source, start: error.offset, end: error.offset + error.length }, source.text.slice(error.offset, error.offset + Math.min(error.length, 20))));
      last = null;
      continue;
    }
    if (isPromptLine(line)) {
      const prompt = promptLine(source, line, lexed.base);
      diagnostics.push(prompt.diagnostic);
      command = prompt.command || command;
      last = null;
      continue;
    }
    p.setLine(source, lexed.base, line.start, line.end, line.tokens);
    const parsed: RouteLine = p.line();
    const failure = p.errors[0];
    if (failure) {
      const site = errorSite(source, failure, lexed.base, line.end);
      diagnostics.push(diagnose('iproute/syntax', site.at, command ?? 'ip route', expectations[failedRule(failure, 'line')] ?? 'a route', site.found));
      last = null;
      continue;
    }
    const at: SourceRef = { source, start: line.start, end: line.end };
    if (parsed.kind === 'route') {
      const { own, nexthops } = splitNexthops(parsed.items, source, line.end);
      last = { type: parsed.type, destination: parsed.destination, attributes: own, nexthops, at };
      routes.push(last);
      continue;
    }
    if (!last) {
      diagnostics.push(diagnose('iproute/orphan-nexthop', at));
      continue;
    }
    const { nexthops } = splitNexthops(parsed.items, source, line.end);
    last.nexthops.push(...nexthops);
    last.at = { source, start: last.at.start, end: line.end };
  }
  return { source, routes: routes.map((r) => ({ ...r })), command, diagnostics };
}

/** Route members of `ip -j route` and the text keyword each stands for. */
const JSON_ROUTE_KEYS: readonly (readonly [string, string])[] = [
  ['dev', 'dev'],
  ['table', 'table'],
  ['protocol', 'proto'],
  ['scope', 'scope'],
  ['prefsrc', 'src'],
  ['metric', 'metric'],
  ['pref', 'pref'],
  ['expires', 'expires'],
  ['error', 'error'],
  ['nhid', 'nhid'],
  ['weight', 'weight'],
  ['from', 'from'],
  ['tos', 'tos'],
  ['realms', 'realms'],
];

/** `gateway` (RTA_GATEWAY) or `via: {family, host}` (RTA_VIA) as a `via` attribute. */
function viaFromJson(object: JsonObject): AttributeSyntax | undefined {
  const gateway = attributeMember(object, 'gateway', 'via');
  if (gateway) return gateway;
  const via = member(object, 'via');
  if (via?.kind !== 'object') return undefined;
  const host = wordMember(via, 'host');
  const family = wordMember(via, 'family');
  if (!host) return undefined;
  return { name: 'via', values: family ? [family, host] : [host], known: true, start: via.start, end: via.end };
}

function attributesFromJson(object: JsonObject): AttributeSyntax[] {
  const attributes: AttributeSyntax[] = [];
  const via = viaFromJson(object);
  if (via) attributes.push(via);
  for (const [key, keyword] of JSON_ROUTE_KEYS) {
    const attribute = attributeMember(object, key, keyword);
    if (attribute) attributes.push(attribute);
  }
  for (const flag of wordsMember(object, 'flags') ?? []) {
    attributes.push({ name: flag.text, values: [], known: true, start: flag.start, end: flag.end });
  }
  const metrics = member(object, 'metrics');
  if (metrics?.kind === 'array') {
    for (const item of metrics.items) {
      if (item.kind !== 'object') continue;
      for (const m of item.members) {
        const word = wordOf(m.value);
        if (word) attributes.push({ name: m.key, values: [word], known: true, start: m.keySpan.start, end: word.end });
      }
    }
  }
  return attributes;
}

function parseIpRouteJson(source: SourceText, range: ParseRange, command: string | null, diagnostics: Diagnostic[]): IpRouteSyntax {
  const json = parseJsonText(source, range);
  diagnostics.push(...json.diagnostics);
  const routes: RouteSyntax[] = [];
  for (const document of json.values) {
    const items: readonly JsonValue[] = document.kind === 'array' ? document.items : [document];
    for (const item of items) {
      const at: SourceRef = { source, start: item.start, end: item.end };
      if (item.kind !== 'object') {
        diagnostics.push(diagnose('iproute/json-shape', at, 'a route object', describeJson(item)));
        continue;
      }
      if (item.truncated) {
        diagnostics.push(diagnose('iproute/json-shape', at, 'a complete route object', 'one cut short'));
        continue;
      }
      const destination = wordMember(item, 'dst');
      if (!destination) {
        diagnostics.push(diagnose('iproute/json-missing', at, 'dst', 'route'));
        continue;
      }
      const nexthops: NexthopSyntax[] = [];
      const hops = member(item, 'nexthops');
      if (hops?.kind === 'array') {
        for (const hop of hops.items) {
          if (hop.kind !== 'object') continue;
          nexthops.push({ attributes: attributesFromJson(hop), at: { source, start: hop.start, end: hop.end } });
        }
      }
      routes.push({ type: wordMember(item, 'type') ?? null, destination, attributes: attributesFromJson(item), nexthops, at });
    }
  }
  return { source, routes, command, diagnostics };
}

/**
 * `ip -j addr` / `ip -j link` (and `ip -br -j addr`): iproute2's JSON, read into the same
 * {@link InterfaceSyntax} as the text forms (ip/ipaddress.c prints both from one code path, so
 * the members are named after the text keywords' netlink attributes).
 */
import { diagnose, type Diagnostic } from '../diagnostics.js';
import { parseJsonText } from '../json/parse.js';
import { member, type JsonObject, type JsonValue } from '../json/syntax.js';
import type { SourceRef, SourceText } from '../source.js';
import { attributeMember, describeJson, retext, trueMembers, wordMember, wordsMember } from './json-fields.js';
import type { ParseRange } from './lines.js';
import type { AddressSyntax, AttributeSyntax, DetailSyntax, InterfaceSyntax, IpAddrSyntax, LinkLayerSyntax, WordSyntax } from './syntax.js';

/** `ip -j addr` / `ip -j link` (and `ip -br -j addr`): an array of interface objects. */
export function parseIpAddrJson(source: SourceText, range: ParseRange, diagnostics: Diagnostic[]): IpAddrSyntax {
  const json = parseJsonText(source, range);
  diagnostics.push(...json.diagnostics);
  const interfaces: InterfaceSyntax[] = [];
  const seen = new Set<string>();
  for (const document of json.values) {
    const items: readonly JsonValue[] = document.kind === 'array' ? document.items : [document];
    for (const item of items) {
      const at: SourceRef = { source, start: item.start, end: item.end };
      if (item.kind !== 'object') {
        diagnostics.push(diagnose('iproute/json-shape', at, 'an interface object', describeJson(item)));
        continue;
      }
      const iface = interfaceFromJson(item, at, diagnostics);
      if (!iface) continue;
      if (seen.has(iface.name.text)) diagnostics.push(diagnose('iproute/duplicate-interface', at, iface.name.text));
      seen.add(iface.name.text);
      interfaces.push(iface);
    }
  }
  return { source, interfaces, variants: interfaces.length > 0 ? ['json'] : [], diagnostics };
}

function interfaceFromJson(object: JsonObject, at: SourceRef, diagnostics: Diagnostic[]): InterfaceSyntax | null {
  const name = wordMember(object, 'ifname');
  if (!name) {
    diagnostics.push(diagnose('iproute/json-missing', at, 'ifname', 'interface'));
    return null;
  }
  const attributes: AttributeSyntax[] = [];
  for (const [key, keyword] of [
    ['mtu', 'mtu'],
    ['qdisc', 'qdisc'],
    ['master', 'master'],
    ['operstate', 'state'],
    ['group', 'group'],
    ['txqlen', 'qlen'],
  ] as const) {
    const attribute = attributeMember(object, key, keyword);
    if (attribute) attributes.push(attribute);
  }
  const linkType = wordMember(object, 'link_type');
  const linkLayer: LinkLayerSyntax | null = linkType
    ? {
        type: linkType,
        address: wordMember(object, 'address') ?? null,
        broadcast: wordMember(object, 'broadcast') ?? null,
        rest: [],
        at: { source: at.source, start: linkType.start, end: linkType.end },
      }
    : null;
  const details: DetailSyntax[] = [];
  const linkinfo = member(object, 'linkinfo');
  if (linkinfo?.kind === 'object') {
    const kind = wordMember(linkinfo, 'info_kind');
    if (kind) details.push({ words: [kind], at: { source: at.source, start: kind.start, end: kind.end } });
    const slave = wordMember(linkinfo, 'info_slave_kind');
    if (slave) details.push({ words: [retext(slave, `${slave.text}_slave`)], at: { source: at.source, start: slave.start, end: slave.end } });
  }
  const addresses: AddressSyntax[] = [];
  const addrInfo = member(object, 'addr_info');
  if (addrInfo?.kind === 'array') {
    for (const entry of addrInfo.items) {
      const entryAt: SourceRef = { source: at.source, start: entry.start, end: entry.end };
      if (entry.kind !== 'object') {
        diagnostics.push(diagnose('iproute/json-shape', entryAt, 'an address object', describeJson(entry)));
        continue;
      }
      const address = addressFromJson(entry, entryAt, diagnostics);
      if (address) addresses.push(address);
    }
  }
  const index = wordMember(object, 'ifindex') ?? null;
  const link = wordMember(object, 'link') ?? (member(object, 'link_index') ? retext(wordMember(object, 'link_index')!, `if${wordMember(object, 'link_index')!.text}`) : null);
  if (object.truncated) diagnostics.push(diagnose('iproute/json-shape', at, 'a complete interface object', 'one cut short'));
  return {
    index,
    name,
    link,
    flags: wordsMember(object, 'flags') ?? null,
    attributes,
    linkLayer,
    details,
    altnames: wordsMember(object, 'altnames') ?? [],
    addresses,
    variant: 'json',
    at,
  };
}

/** Seconds as the text form prints a lifetime: INFINITY_LIFE_TIME (0xffffffff) is `forever`. */
function lifetime(word: WordSyntax | undefined): WordSyntax | null {
  if (!word) return null;
  return retext(word, word.text === '4294967295' ? 'forever' : `${word.text}sec`);
}

function addressFromJson(object: JsonObject, at: SourceRef, diagnostics: Diagnostic[]): AddressSyntax | null {
  const local = wordMember(object, 'local');
  if (!local) {
    diagnostics.push(diagnose('iproute/json-missing', at, 'local', 'address'));
    return null;
  }
  const prefixlen = wordMember(object, 'prefixlen');
  const peerAddress = wordMember(object, 'address');
  const family = wordMember(object, 'family')?.text;
  const withLength = (word: WordSyntax): WordSyntax => (prefixlen ? retext(word, `${word.text}/${prefixlen.text}`) : word);
  const attributes: AttributeSyntax[] = [];
  for (const [key, keyword] of [
    ['broadcast', 'brd'],
    ['anycast', 'any'],
    ['scope', 'scope'],
    ['metric', 'metric'],
    ['protocol', 'proto'],
  ] as const) {
    const attribute = attributeMember(object, key, keyword);
    if (attribute) attributes.push(attribute);
  }
  const hasPeer = peerAddress !== undefined && peerAddress.text !== local.text;
  return {
    family: family === 'inet' || family === 'inet6' ? family : null,
    local: hasPeer ? local : withLength(local),
    peer: hasPeer ? withLength(peerAddress) : null,
    attributes,
    flags: trueMembers(object),
    label: wordMember(object, 'label') ?? null,
    validLifetime: lifetime(wordMember(object, 'valid_life_time')),
    preferredLifetime: lifetime(wordMember(object, 'preferred_life_time')),
    at,
  };
}


/**
 * From `ip addr` / `ip link` syntax (any form) to the node's interfaces and their addresses.
 * An address that cannot be read (an anonymised paste: `inet [PUBLIC IP HERE]`) is reported and
 * left out; the interface is kept.
 */
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { AddressSyntax, InterfaceSyntax, IpAddrSyntax, WordSyntax } from '../../../grammar/iproute/syntax.js';
import type { SourceRef, SourceText } from '../../../grammar/source.js';
import { parseAddress, type Family } from '../values/address.js';
import type { Interface, InterfaceAddress, InterfaceTable, KindSource, OperState, Scope } from './types.js';
import { parseHostPrefix, parseLifetime, parseScope, parseUnsigned } from './values.js';

const OPER_STATES: ReadonlySet<string> = new Set(['UP', 'DOWN', 'UNKNOWN', 'LOWERLAYERDOWN', 'DORMANT', 'NOTPRESENT', 'TESTING']);

/** Kinds of `link/TYPE` that name the device kind (lib/ll_types.c, for tunnel devices). */
const KIND_OF_LINK_TYPE: Readonly<Record<string, string>> = {
  loopback: 'loopback',
  ipip: 'ipip',
  gre: 'gre',
  sit: 'sit',
  tunnel6: 'ip6tnl',
  gre6: 'ip6gre',
};

/**
 * A guess from the name, for output without `-d`: the names CNI plugins and kube-proxy give the
 * devices they create. Marked `kindFrom: 'name'` so that callers can say it is a guess.
 */
const KIND_BY_NAME: readonly (readonly [RegExp, string])[] = [
  [/^kube-ipvs\d+$/, 'dummy'], // kube-proxy IPVS mode (pkg/proxy/ipvs: DefaultDummyDevice)
  [/^nodelocaldns$/, 'dummy'], // NodeLocal DNSCache
  [/^(flannel(-v6)?\.\d+|vxlan\.calico|vxlan-v6\.calico|cilium_vxlan|vxlan\d*)$/, 'vxlan'],
  [/^(cilium_geneve|genev_sys_\d+)$/, 'geneve'],
  [/^(cni\d+|cbr\d+|docker\d+|br-[0-9a-f]+|virbr\d+|kube-bridge|weave|lxcbr\d+|br\d+)$/, 'bridge'],
  [/^(cali[0-9a-f]{11}|lxc[0-9a-f]+|lxc_health|veth[0-9a-f]+|cilium_host|cilium_net|vethwe-.+)$/, 'veth'],
  [/^tunl\d+$/, 'ipip'],
  [/^(wg\d+|flannel-wg(-v6)?|cilium_wg\d+|wireguard\.cali)$/, 'wireguard'],
];

function guessKind(name: string): string | undefined {
  for (const [pattern, kind] of KIND_BY_NAME) if (pattern.test(name)) return kind;
  return undefined;
}

function ref(source: SourceText, word: WordSyntax): SourceRef {
  return { source, start: word.start, end: word.end };
}

export function buildInterfaces(syntax: IpAddrSyntax): InterfaceTable {
  const diagnostics: Diagnostic[] = [...syntax.diagnostics];
  const interfaces: Interface[] = [];
  const byName = new Map<string, Interface>();
  for (const iface of syntax.interfaces) {
    const built = buildInterface(syntax.source, iface, diagnostics);
    interfaces.push(built);
    if (!byName.has(built.name)) byName.set(built.name, built);
  }
  return { interfaces, byName, diagnostics };
}

function attribute(iface: InterfaceSyntax, name: string): WordSyntax | undefined {
  return iface.attributes.find((a) => a.known && a.name === name)?.values[0];
}

function buildInterface(source: SourceText, iface: InterfaceSyntax, diagnostics: Diagnostic[]): Interface {
  const name = iface.name.text;
  let kind: string | undefined;
  let kindFrom: KindSource | undefined;
  let slaveKind: string | undefined;
  for (const detail of iface.details) {
    const first = detail.words[0]?.text;
    if (!first) continue;
    if (first.endsWith('_slave')) slaveKind ??= first.slice(0, -'_slave'.length);
    else if (kind === undefined && /^[a-z][a-z0-9_-]*$/.test(first)) {
      kind = first;
      kindFrom = 'details';
    }
  }
  const linkType = iface.linkLayer?.type.text;
  if (kind === undefined && linkType !== undefined && KIND_OF_LINK_TYPE[linkType]) {
    kind = KIND_OF_LINK_TYPE[linkType];
    kindFrom = 'link-type';
  }
  if (kind === undefined && iface.flags?.some((f) => f.text === 'LOOPBACK')) {
    kind = 'loopback';
    kindFrom = 'link-type';
  }
  if (kind === undefined) {
    kind = guessKind(name);
    if (kind !== undefined) kindFrom = 'name';
  }

  let state: OperState | null = null;
  const stateWord = attribute(iface, 'state');
  if (stateWord) {
    if (OPER_STATES.has(stateWord.text)) state = stateWord.text as OperState;
    else diagnostics.push(diagnose('iproute/bad-value', ref(source, stateWord), 'state', stateWord.text, 'UP, DOWN, UNKNOWN, LOWERLAYERDOWN, DORMANT, NOTPRESENT or TESTING'));
  }
  const mtuWord = attribute(iface, 'mtu');
  const mtu = mtuWord ? parseUnsigned(mtuWord.text) : null;
  if (mtuWord && mtu === null) diagnostics.push(diagnose('iproute/bad-value', ref(source, mtuWord), 'mtu', mtuWord.text, 'a number of bytes'));
  const indexValue = iface.index ? parseUnsigned(iface.index.text) : null;
  const master = attribute(iface, 'master')?.text;

  const addresses: InterfaceAddress[] = [];
  for (const address of iface.addresses) {
    const built = buildAddress(source, name, address, diagnostics);
    if (built) addresses.push(built);
  }
  const linkAddress = iface.linkLayer?.address?.text;
  return {
    name,
    ...(indexValue !== null ? { index: indexValue } : {}),
    ...(kind !== undefined ? { kind, kindFrom } : {}),
    ...(slaveKind !== undefined ? { slaveKind } : {}),
    state,
    flags: iface.flags?.map((f) => f.text) ?? [],
    ...(mtu !== null ? { mtu } : {}),
    ...(master !== undefined ? { master } : {}),
    ...(iface.link ? { link: iface.link.text } : {}),
    ...(linkType !== undefined && linkType !== 'unknown' ? { linkType } : {}),
    ...(linkAddress !== undefined ? { linkAddress } : {}),
    altnames: iface.altnames.map((a) => a.text),
    addresses,
    at: iface.at,
  };
}

function familyOf(syntax: AddressSyntax): Family | undefined {
  return syntax.family === 'inet' ? 'ipv4' : syntax.family === 'inet6' ? 'ipv6' : undefined;
}

function buildAddress(source: SourceText, ifname: string, syntax: AddressSyntax, diagnostics: Diagnostic[]): InterfaceAddress | null {
  const family = familyOf(syntax);
  const expected = family === 'ipv4' ? 'an IPv4' : family === 'ipv6' ? 'an IPv6' : 'an IPv4 or IPv6';
  // With `peer`, the local address is printed bare and the prefix length goes with the peer
  // (ip/ipaddress.c print_addrinfo: IFA_LOCAL, then "peer" IFA_ADDRESS "/" prefixlen).
  const local = syntax.peer ? parseAddress(syntax.local.text, family) : parseHostPrefix(syntax.local.text, family)?.host ?? null;
  const localPrefix = syntax.peer ? null : parseHostPrefix(syntax.local.text, family);
  if (!local) {
    diagnostics.push(diagnose('iproute/bad-address', ref(source, syntax.local), syntax.local.text, expected));
    return null;
  }
  let prefix = localPrefix?.prefix;
  let peer: InterfaceAddress['peer'];
  if (syntax.peer) {
    const parsed = parseHostPrefix(syntax.peer.text, local.family);
    if (!parsed) {
      diagnostics.push(diagnose('iproute/bad-address', ref(source, syntax.peer), syntax.peer.text, expected));
      return null;
    }
    peer = parsed.host;
    prefix = parsed.prefix;
  }
  if (!prefix) return null;

  let scope: Scope = 'global';
  let broadcast: InterfaceAddress['broadcast'];
  for (const attr of syntax.attributes) {
    const value = attr.values[0];
    if (!value) continue;
    switch (attr.name) {
      case 'scope': {
        const parsed = parseScope(value.text);
        if (parsed === null) diagnostics.push(diagnose('iproute/bad-value', ref(source, value), 'scope', value.text, 'global, site, link, host, nowhere or a number'));
        else scope = parsed;
        break;
      }
      case 'brd': {
        const parsed = parseAddress(value.text, local.family);
        if (!parsed) diagnostics.push(diagnose('iproute/bad-value', ref(source, value), 'brd', value.text, `an ${local.family === 'ipv4' ? 'IPv4' : 'IPv6'} address`));
        else broadcast = parsed;
        break;
      }
      default:
        break;
    }
  }
  const flags = syntax.flags.map((f) => f.text);
  const valid = syntax.validLifetime ? parseLifetime(syntax.validLifetime.text) : null;
  const preferred = syntax.preferredLifetime ? parseLifetime(syntax.preferredLifetime.text) : null;
  return {
    family: local.family,
    address: local,
    prefix,
    prefixLength: prefix.prefix,
    ...(peer ? { peer } : {}),
    scope,
    ...(broadcast ? { broadcast } : {}),
    ...(syntax.label ? { label: syntax.label.text } : {}),
    secondary: flags.includes('secondary'),
    flags,
    ...(valid !== null ? { validLifetime: valid } : {}),
    ...(preferred !== null ? { preferredLifetime: preferred } : {}),
    interface: ifname,
    at: syntax.at,
  };
}

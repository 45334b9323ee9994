/**
 * What each set type is made of — its dimensions, default family, options — and the reading of
 * one element part into a typed {@link MemberDimension}, with the checks ipset and the kernel
 * apply when a member is added (lib/parse.c, net/netfilter/ipset/ip_set_*.c *_uadt).
 */
import { parseAddressRange, parseCidr, type Family } from '../values/address.js';
import { parseUint32 } from '../values/mark.js';
import { parsePortRange } from '../values/port.js';
import { hasPorts, ICMP, ICMPV6, parseIcmpTypeCode, protocolNumber, TCP } from './protocols.js';
import type { AddressDimension, DimensionKind, IpSetFamily, IpSetOptions, IpSetType, MemberDimension } from './types.js';

const dimensionTable: Readonly<Record<IpSetType, readonly DimensionKind[]>> = {
  'hash:ip': ['ip'],
  'hash:mac': ['mac'],
  'hash:ip,mac': ['ip', 'mac'],
  'hash:net': ['net'],
  'hash:net,net': ['net', 'net'],
  'hash:ip,port': ['ip', 'port'],
  'hash:net,port': ['net', 'port'],
  'hash:ip,port,ip': ['ip', 'port', 'ip'],
  'hash:ip,port,net': ['ip', 'port', 'net'],
  'hash:net,port,net': ['net', 'port', 'net'],
  'hash:net,iface': ['net', 'iface'],
  'hash:ip,mark': ['ip', 'mark'],
  'bitmap:ip': ['ip'],
  'bitmap:ip,mac': ['ip', 'mac'],
  'bitmap:port': ['port'],
  'list:set': ['set'],
  unknown: [],
};

/** The dimensions of a set type, in element order. */
export function dimensionsOf(type: IpSetType): readonly DimensionKind[] {
  return dimensionTable[type];
}

/** A type as written (`Type: hash:ip,port`) to the closed union. */
export function setTypeOf(text: string): IpSetType {
  return Object.hasOwn(dimensionTable, text) && text !== 'unknown' ? (text as IpSetType) : 'unknown';
}

/** The family a set has when `family` is not given: the kernel's NFPROTO_UNSPEC types serve both. */
export function defaultFamily(type: IpSetType): IpSetFamily {
  switch (type) {
    case 'bitmap:port':
    case 'hash:mac':
    case 'list:set':
      return 'any';
    case 'hash:ip':
    case 'hash:ip,mac':
    case 'hash:net':
    case 'hash:net,net':
    case 'hash:ip,port':
    case 'hash:net,port':
    case 'hash:ip,port,ip':
    case 'hash:ip,port,net':
    case 'hash:net,port,net':
    case 'hash:net,iface':
    case 'hash:ip,mark':
    case 'bitmap:ip':
    case 'bitmap:ip,mac':
    case 'unknown':
      return 'ipv4';
  }
}

/** The types whose elements take `nomatch` (IPSET_TYPE_NOMATCH in their ip_set_type). */
export function takesNomatch(type: IpSetType): boolean {
  return (
    type === 'hash:net' ||
    type === 'hash:net,net' ||
    type === 'hash:net,port' ||
    type === 'hash:ip,port,net' ||
    type === 'hash:net,port,net' ||
    type === 'hash:net,iface'
  );
}

const extensions = ['timeout', 'counters', 'comment', 'skbinfo'] as const;
const hashOptions = [...extensions, 'family', 'hashsize', 'maxelem', 'forceadd', 'bucketsize', 'initval', 'probes', 'resize'] as const;

/** The create options each type accepts (ipset_<type>.c create_args); `unknown` accepts all. */
export function createOptionsOf(type: IpSetType): ReadonlySet<string> | null {
  switch (type) {
    case 'hash:ip':
    case 'hash:ip,port':
    case 'hash:net,net':
      return new Set([...hashOptions, 'netmask', 'bitmask']);
    case 'hash:ip,mark':
      return new Set([...hashOptions, 'markmask']);
    case 'hash:mac':
      return new Set(hashOptions.filter((o) => o !== 'family'));
    case 'hash:ip,mac':
    case 'hash:net':
    case 'hash:net,port':
    case 'hash:ip,port,ip':
    case 'hash:ip,port,net':
    case 'hash:net,port,net':
    case 'hash:net,iface':
      return new Set(hashOptions);
    case 'bitmap:ip':
      return new Set([...extensions, 'range', 'netmask']);
    case 'bitmap:ip,mac':
    case 'bitmap:port':
      return new Set([...extensions, 'range']);
    case 'list:set':
      return new Set([...extensions, 'size']);
    case 'unknown':
      return null;
  }
}

/** What a dimension reading needs to know about its set. */
export interface DimensionContext {
  readonly type: IpSetType;
  readonly family: IpSetFamily;
  readonly options: IpSetOptions;
  /** Index of the dimension in the element. */
  readonly index: number;
  /** The element's `wildcard` option (hash:net,iface). */
  readonly wildcard: boolean;
}

/** A dimension, or why the part is not one (worded to follow "Member X of set Y: "). */
export type DimensionResult = { readonly ok: true; readonly dim: MemberDimension } | { readonly ok: false; readonly why: string };

const fail = (why: string): DimensionResult => ({ ok: false, why });

function familyName(family: Family): string {
  return family === 'ipv4' ? 'inet (IPv4)' : 'inet6 (IPv6)';
}

function bitsOf(family: Family): number {
  return family === 'ipv4' ? 32 : 128;
}

/** The prefix length when [first, last] is exactly one aligned prefix, else null. */
export function prefixOfRange(first: bigint, last: bigint, bits: number): number | null {
  const size = last - first + 1n;
  if (size <= 0n || (size & (size - 1n)) !== 0n || first % size !== 0n) return null;
  let hostBits = 0;
  while (1n << BigInt(hostBits) < size) hostBits++;
  return bits - hostBits;
}

/** The mask of a prefix length, as a number of `bits` bits. */
export function maskOf(prefix: number, bits: number): bigint {
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/**
 * Does the set's `netmask` / `bitmask` apply to this dimension? The first address of hash:ip,
 * hash:ip,port and bitmap:ip, both of hash:net,net (their kadt/uadt mask it before lookup).
 */
export function addressMaskApplies(type: IpSetType, index: number): boolean {
  return type === 'hash:net,net' || (index === 0 && (type === 'hash:ip' || type === 'hash:ip,port' || type === 'bitmap:ip'));
}

function readAddress(kind: 'ip' | 'net', text: string, ctx: DimensionContext): DimensionResult {
  const wanted = ctx.family === 'any' ? undefined : ctx.family;
  let family: Family;
  let first: bigint;
  let last: bigint;
  let prefix: number | null;
  if (text.includes('-')) {
    const range = parseAddressRange(text);
    if (!range) return fail('expected an address range A-B (A ≤ B, one family)');
    ({ family, first, last } = range);
    prefix = prefixOfRange(first, last, bitsOf(family));
  } else {
    const cidr = parseCidr(text);
    if (!cidr) return fail(kind === 'net' ? 'expected an address or a prefix (10.0.0.0/8)' : 'expected an address');
    ({ family, first, last, prefix } = cidr);
  }
  if (wanted && family !== wanted) {
    return fail(`${text} is an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address but the set is family ${familyName(wanted)}`);
  }
  // hash:net* refuse /0 (uadt: "if (!cidr || cidr > HOST_MASK)"); hash:net,iface takes it since revision 2.
  if (kind === 'net' && prefix === 0 && ctx.type !== 'hash:net,iface') return fail('a /0 prefix is refused by this set type (only hash:net,iface takes it)');
  const bits = bitsOf(family);
  const netmask = ctx.options.netmask;
  if (netmask !== undefined && addressMaskApplies(ctx.type, ctx.index) && netmask < bits) {
    const mask = maskOf(netmask, bits);
    first &= mask;
    last |= ((1n << BigInt(bits)) - 1n) ^ mask;
    prefix = prefixOfRange(first, last, bits);
  }
  const range = ctx.options.range;
  if ((ctx.type === 'bitmap:ip' || ctx.type === 'bitmap:ip,mac') && range?.kind === 'address' && (first < range.first || last > range.last)) {
    return fail(`outside the set's range ${range.text}`);
  }
  const dim: AddressDimension = { kind: 'address', family, first, last, prefix, text };
  return { ok: true, dim };
}

function readPort(text: string, ctx: DimensionContext): DimensionResult {
  const colon = text.indexOf(':');
  if (ctx.type === 'bitmap:port') {
    // ipset takes and drops a protocol here: the kernel reads TCP and UDP ports alike.
    const portText = colon < 0 ? text : text.slice(colon + 1);
    const ports = parsePortRange(portText, '-');
    if (!ports) return fail('expected a port or a port range A-B');
    const range = ctx.options.range;
    if (range?.kind === 'port' && (ports.from < range.from || ports.to > range.to)) return fail(`outside the set's range ${range.text}`);
    return { ok: true, dim: { kind: 'port', protocol: null, from: ports.from, to: ports.to, text } };
  }
  // `80` alone means tcp:80 (lib/parse.c ipset_parse_proto_port).
  const protocolText = colon < 0 ? 'tcp' : text.slice(0, colon);
  const portText = colon < 0 ? text : text.slice(colon + 1);
  const protocol = colon < 0 ? TCP : protocolNumber(protocolText);
  if (protocol === null) return fail(`unknown protocol "${protocolText}"`);
  if (hasPorts(protocol)) {
    const ports = parsePortRange(portText, '-');
    if (!ports) return fail(`expected a port or a port range A-B after ${protocolText}:`);
    return { ok: true, dim: { kind: 'port', protocol, from: ports.from, to: ports.to, text } };
  }
  if (protocol === ICMP || protocol === ICMPV6) {
    if (protocol === ICMP && ctx.family === 'ipv6') return fail('ICMP is for family inet sets; an inet6 set takes icmpv6:');
    if (protocol === ICMPV6 && ctx.family === 'ipv4') return fail('ICMPv6 is for family inet6 sets; an inet set takes icmp:');
    const value = parseIcmpTypeCode(protocol, portText);
    if (value === null) return fail(`expected an ICMP type name (echo-request) or TYPE/CODE after ${protocolText}:`);
    return { ok: true, dim: { kind: 'port', protocol, from: value, to: value, text } };
  }
  // "Protocol X can be used with pseudo port value 0 only" (lib/parse.c).
  if (portText !== '0') return fail(`protocol ${protocolText} has no ports: only the pseudo port 0 is accepted`);
  return { ok: true, dim: { kind: 'port', protocol, from: 0, to: 0, text } };
}

function readIface(text: string, ctx: DimensionContext): DimensionResult {
  const physdev = text.startsWith('physdev:');
  const name = physdev ? text.slice('physdev:'.length) : text;
  // IFNAMSIZ is 16 with the terminating NUL.
  if (name.length === 0 || name.length > 15) return fail('expected an interface name of 1 to 15 characters');
  return { ok: true, dim: { kind: 'iface', name, physdev, wildcard: ctx.wildcard, text } };
}

function readMark(text: string, ctx: DimensionContext): DimensionResult {
  const value = parseUint32(text);
  if (value === null) return fail('expected a mark (a 32-bit number, decimal or 0x hex)');
  // hash_ipmark4_uadt: e.mark &= h->markmask.
  const markmask = ctx.options.markmask ?? 0xffffffff;
  return { ok: true, dim: { kind: 'mark', value: (value & markmask) >>> 0, text } };
}

/** `00:11:22:33:44:55` (lib/parse.c ipset_parse_ether: six colon-separated hex octets). */
export function parseMac(text: string): bigint | null {
  const octets = text.split(':');
  if (octets.length !== 6) return null;
  let value = 0n;
  for (const octet of octets) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(octet)) return null;
    value = (value << 8n) | BigInt(parseInt(octet, 16));
  }
  return value;
}

function readMac(text: string): DimensionResult {
  const value = parseMac(text);
  return value === null ? fail('expected an Ethernet address (00:11:22:33:44:55)') : { ok: true, dim: { kind: 'mac', value, text } };
}

/** Reads one element part as a dimension of the given kind. */
export function readDimension(kind: DimensionKind, text: string, ctx: DimensionContext): DimensionResult {
  switch (kind) {
    case 'ip':
    case 'net':
      return readAddress(kind, text, ctx);
    case 'port':
      return readPort(text, ctx);
    case 'iface':
      return readIface(text, ctx);
    case 'mark':
      return readMark(text, ctx);
    case 'mac':
      return readMac(text);
    case 'set':
      return text.length === 0 ? fail('expected a set name') : { ok: true, dim: { kind: 'set', name: text, text } };
  }
}

/** A key equal for two members the kernel takes for the same element (for `del`). */
export function dimensionKey(dim: MemberDimension): string {
  switch (dim.kind) {
    case 'address':
      return `${dim.family}:${dim.first}-${dim.last}`;
    case 'port':
      return `${dim.protocol ?? 'tcp|udp'}:${dim.from}-${dim.to}`;
    case 'iface':
      return `${dim.physdev ? 'physdev:' : ''}${dim.name}`;
    case 'mark':
      return String(dim.value);
    case 'mac':
      return dim.value.toString(16);
    case 'set':
      return dim.name;
  }
}

/**
 * Membership tests on the model, as the kernel answers `-m set --match-set NAME src,dst` for a
 * packet (net/netfilter/ipset/ip_set_core.c ip_set_test → the type's kadt → mtype_test).
 *
 * What is mirrored, and where:
 * - fewer direction flags than the set has dimensions, or another family: no match
 *   (ip_set_test: `opt->dim < set->type->dimension || family mismatch → return 0`);
 * - each dimension reads the packet's source or destination per flag; ICMP members compare
 *   `type << 8 | code`, protocols without ports compare port 0 (ip_set_getport.c get_port);
 * - bitmap:port matches TCP and UDP only (ip_set_get_ip_port);
 * - hash:net* types look prefixes up most specific first and the first entry found decides; a
 *   `nomatch` entry means no match (ip_set_hash_gen.h mtype_test_cidrs, mtype_data_match);
 * - hash:net,iface stops at the most specific prefix that holds the address at all, even when no
 *   entry of it has the interface (IP_SET_HASH_WITH_MULTI in mtype_test_cidrs); `physdev:`
 *   entries never match from iptables, whose match does not set IPSET_FLAG_PHYSDEV
 *   (hash_netiface4_kadt);
 * - list:set: a match in any member set (ip_set_list_set.c list_set_ktest).
 * Timeouts are ignored: a listing shows the members alive when it was taken.
 */
import { addressMaskApplies, dimensionsOf, dimensionKey } from './dimensions.js';
import { hasPorts, ICMP, ICMPV6, SCTP, TCP, UDP, UDPLITE } from './protocols.js';
import type {
  AddressDimension,
  DimensionKind,
  Direction,
  IfaceDimension,
  IpSet,
  IpSetLookup,
  IpSetMember,
  IpSetPacket,
  MemberDimension,
} from './types.js';

const protocolNumbers: Readonly<Record<Exclude<IpSetPacket['proto'], number>, number>> = {
  tcp: TCP,
  udp: UDP,
  udplite: UDPLITE,
  sctp: SCTP,
  icmp: ICMP,
  icmpv6: ICMPV6,
};

function find(sets: IpSetLookup | undefined, name: string): IpSet | undefined {
  if (!sets) return undefined;
  return typeof sets === 'function' ? sets(name) : sets.get(name);
}

/**
 * Is the packet in the set, for these direction flags? `sets` resolves list:set members. The
 * answer is exact when {@link membershipKnown} is true; otherwise it is `false` for lack of
 * members to match.
 */
export function contains(set: IpSet, packet: IpSetPacket, flags: readonly Direction[], sets?: IpSetLookup): boolean {
  return test(set, packet, flags, sets, new Set());
}

/** True when the set's members (and those of the sets a list:set holds) are all known. */
export function membershipKnown(set: IpSet, sets?: IpSetLookup, seen: Set<string> = new Set()): boolean {
  if (set.type === 'unknown' || !set.membersKnown) return false;
  if (set.type !== 'list:set') return true;
  if (seen.has(set.name)) return true;
  seen.add(set.name);
  return set.members.every((m) => {
    const dim = m.dims[0];
    if (dim?.kind !== 'set') return true;
    const target = find(sets, dim.name);
    return target !== undefined && (target.type === 'list:set' || membershipKnown(target, sets, seen));
  });
}

/** Every member of a set, in listing order (`nomatch` members included: they carve out of the others). */
export function members(set: IpSet): readonly IpSetMember[] {
  return set.members;
}

/** The distinct values the members hold in one dimension (e.g. the ports of a hash:ip,port set). */
export function dimensionValues(set: IpSet, index: number): readonly MemberDimension[] {
  const seen = new Map<string, MemberDimension>();
  for (const m of set.members) {
    const dim = m.dims[index];
    if (dim && !seen.has(dimensionKey(dim))) seen.set(dimensionKey(dim), dim);
  }
  return [...seen.values()];
}

function test(set: IpSet, packet: IpSetPacket, flags: readonly Direction[], sets: IpSetLookup | undefined, visiting: Set<string>): boolean {
  if (set.type === 'unknown' || !set.membersKnown) return false;
  const kinds = dimensionsOf(set.type);
  if (flags.length < kinds.length) return false;
  if (set.family !== 'any' && set.family !== packet.family) return false;

  if (set.type === 'list:set') {
    if (visiting.has(set.name)) return false;
    visiting.add(set.name);
    try {
      for (const m of set.members) {
        const dim = m.dims[0];
        if (dim?.kind !== 'set') continue;
        const target = find(sets, dim.name);
        // A list:set in a list:set is refused by the kernel (IPSET_ERR_LOOP): skip it.
        if (!target || target.type === 'list:set') continue;
        if (test(target, packet, flags, sets, visiting)) return true;
      }
      return false;
    } finally {
      visiting.delete(set.name);
    }
  }

  const reader = new PacketReader(set, packet, flags);
  if (set.type === 'hash:net,iface') return testNetIface(set, reader);

  const netDims: number[] = [];
  kinds.forEach((k, i) => {
    if (k === 'net') netDims.push(i);
  });
  if (netDims.length === 0) {
    return set.members.some((m) => reader.matchesAll(m));
  }
  // Most specific first, dimension by dimension (mtype_test_cidrs loops j over the first net's
  // prefixes, k over the second's): the lexicographically greatest prefix vector decides.
  let best: IpSetMember | null = null;
  let bestSpec: number[] = [];
  for (const m of set.members) {
    if (!reader.matchesAll(m)) continue;
    const spec = netDims.map((i) => specificity(m.dims[i] as AddressDimension, reader.address(i)));
    if (best === null || greater(spec, bestSpec)) {
      best = m;
      bestSpec = spec;
    }
  }
  return best !== null && !best.nomatch;
}

function greater(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  }
  return false;
}

/** hash:net,iface: the most specific prefix holding the address decides, interface or not. */
function testNetIface(set: IpSet, reader: PacketReader): boolean {
  const address = reader.address(0);
  const iface = reader.iface(1);
  // hash_netiface4_kadt: no interface name → -EINVAL → no match.
  if (!iface) return false;
  const inNet = (m: IpSetMember): boolean => {
    const net = m.dims[0];
    const dev = m.dims[1];
    // physdev entries hash apart from the packet's key (physdev is in HKEY_DATALEN): never found.
    return net?.kind === 'address' && dev?.kind === 'iface' && !dev.physdev && reader.addressMatches(net, 0);
  };
  let level = -1;
  for (const m of set.members) if (inNet(m)) level = Math.max(level, specificity(m.dims[0] as AddressDimension, address));
  if (level < 0) return false;
  for (const m of set.members) {
    if (inNet(m) && specificity(m.dims[0] as AddressDimension, address) === level && ifaceMatches(m.dims[1] as IfaceDimension, iface)) {
      return !m.nomatch;
    }
  }
  return false;
}

function ifaceMatches(dim: IfaceDimension, name: string): boolean {
  // hash_netiface4_data_equal: strncmp over the entry's length with `wildcard`, strcmp without.
  return dim.wildcard ? name.startsWith(dim.name) : name === dim.name;
}

/**
 * The prefix length under which the kernel holds `address` for this member: its prefix, or for a
 * range the block of the range's prefix split (ip_set_range_to_cidr) that holds it.
 */
function specificity(dim: AddressDimension, address: bigint): number {
  if (dim.prefix !== null) return dim.prefix;
  const bits = dim.family === 'ipv4' ? 32 : 128;
  let start = dim.first;
  while (start <= dim.last) {
    let prefix = 0;
    for (; prefix < bits; prefix++) {
      const size = 1n << BigInt(bits - prefix);
      if (start % size === 0n && start + size - 1n <= dim.last) break;
    }
    const end = start + (1n << BigInt(bits - prefix)) - 1n;
    if (address >= start && address <= end) return prefix;
    start = end + 1n;
  }
  return bits;
}

/** Smallest x ≥ low with (x & mask) === value (value ⊆ mask), or null beyond `width` bits. */
function smallestWithBits(low: bigint, value: bigint, mask: bigint, width: number): bigint | null {
  if ((low & mask) === value) return low;
  // The highest bit where low disagrees with value on the fixed bits.
  const diff = (low & mask) ^ value;
  let d = width - 1;
  while (d >= 0 && ((diff >> BigInt(d)) & 1n) === 0n) d--;
  const bit = (x: bigint, i: number): bigint => (x >> BigInt(i)) & 1n;
  const build = (i: number): bigint => {
    const above = (low >> BigInt(i + 1)) << BigInt(i + 1);
    const below = value & ((1n << BigInt(i)) - 1n);
    return above | (1n << BigInt(i)) | below;
  };
  if (bit(value, d) === 1n) return build(d);
  for (let i = d + 1; i < width; i++) {
    if (bit(mask, i) === 0n && bit(low, i) === 0n) return build(i);
  }
  return null;
}

/** Reads the packet as one set type's kadt does, per dimension and direction flag. */
class PacketReader {
  private readonly protocol: number;
  private readonly kinds: readonly DimensionKind[];
  constructor(
    private readonly set: IpSet,
    private readonly packet: IpSetPacket,
    private readonly flags: readonly Direction[],
  ) {
    this.protocol = typeof packet.proto === 'number' ? packet.proto : protocolNumbers[packet.proto];
    this.kinds = dimensionsOf(set.type);
  }

  address(index: number): bigint {
    return this.flags[index] === 'src' ? this.packet.src : this.packet.dst;
  }

  iface(index: number): string | undefined {
    const name = this.flags[index] === 'src' ? this.packet.inIface : this.packet.outIface;
    return name === '' ? undefined : name;
  }

  /** The packet's value for a port dimension (null when the packet does not have it). */
  private port(index: number): number | null {
    const p = this.protocol;
    if (hasPorts(p)) return (this.flags[index] === 'src' ? this.packet.sport : this.packet.dport) ?? null;
    if (p === ICMP || p === ICMPV6) {
      return this.packet.icmpType === undefined ? null : (this.packet.icmpType << 8) | (this.packet.icmpCode ?? 0);
    }
    return 0;
  }

  addressMatches(dim: AddressDimension, index: number): boolean {
    if (dim.family !== this.packet.family) return false;
    const address = this.address(index);
    const bitmask = this.set.options.bitmask;
    if (bitmask === undefined || !addressMaskApplies(this.set.type, index)) return address >= dim.first && address <= dim.last;
    // The kernel stores every address of the member ANDed with the bitmask and tests the packet's
    // address ANDed likewise (hash_ip4_kadt / hash_ip4_uadt).
    const masked = address & bitmask;
    const x = smallestWithBits(dim.first, masked, bitmask, dim.family === 'ipv4' ? 32 : 128);
    return x !== null && x <= dim.last;
  }

  private dimensionMatches(dim: MemberDimension, index: number): boolean {
    switch (dim.kind) {
      case 'address':
        return this.addressMatches(dim, index);
      case 'port': {
        if (dim.protocol === null) {
          if (this.protocol !== TCP && this.protocol !== UDP) return false;
        } else if (dim.protocol !== this.protocol) {
          return false;
        }
        const port = this.port(index);
        return port !== null && port >= dim.from && port <= dim.to;
      }
      case 'iface': {
        const name = this.iface(index);
        return name !== undefined && !dim.physdev && ifaceMatches(dim, name);
      }
      case 'mark': {
        // hash_ipmark4_kadt: e.mark = skb->mark & h->markmask.
        const markmask = this.set.options.markmask ?? 0xffffffff;
        return (((this.packet.mark ?? 0) & markmask) >>> 0) === dim.value;
      }
      case 'mac': {
        const mac = this.flags[index] === 'src' ? this.packet.srcMac : this.packet.dstMac;
        return mac !== undefined && mac === dim.value;
      }
      case 'set':
        return false;
    }
  }

  /** Every dimension of the member matches (a bitmap:ip,mac entry without MAC matches any MAC). */
  matchesAll(member: IpSetMember): boolean {
    const dims = member.dims;
    if (dims.length !== this.kinds.length && !(this.set.type === 'bitmap:ip,mac' && dims.length === 1)) return false;
    for (let i = 0; i < dims.length; i++) if (!this.dimensionMatches(dims[i]!, i)) return false;
    return true;
  }
}

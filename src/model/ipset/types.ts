/**
 * The ipset model: sets as the kernel holds them (net/netfilter/ipset/*), built from `ipset save`
 * or `ipset list` text by `build.ts`, queried by `contains.ts`.
 *
 * Each set type has a fixed list of dimensions (`hash:ip,port` → address, port); a member holds
 * one typed value per dimension. Members are kept as listed (ipset save prints one line per
 * kernel element; hand-written restore input may hold ranges, kept as ranges).
 */
import type { SourceRef, SourceText } from '../../../grammar/source.js';
import type { Family } from '../values/address.js';
import type { MarkValue } from '../values/mark.js';

/** The set types of ipset 7 (lib/ipset_*.c), and `unknown` for anything else. */
export type IpSetType =
  | 'hash:ip'
  | 'hash:mac'
  | 'hash:ip,mac'
  | 'hash:net'
  | 'hash:net,net'
  | 'hash:ip,port'
  | 'hash:net,port'
  | 'hash:ip,port,ip'
  | 'hash:ip,port,net'
  | 'hash:net,port,net'
  | 'hash:net,iface'
  | 'hash:ip,mark'
  | 'bitmap:ip'
  | 'bitmap:ip,mac'
  | 'bitmap:port'
  | 'list:set'
  | 'unknown';

/**
 * The kind of one dimension of a set type. `ip` and `net` both hold addresses; a `net`
 * dimension takes prefixes, `nomatch`, and matches most-specific-first (ip_set_hash_gen.h
 * mtype_test_cidrs).
 */
export type DimensionKind = 'ip' | 'net' | 'port' | 'iface' | 'mark' | 'mac' | 'set';

/**
 * `any` for the types the kernel registers as NFPROTO_UNSPEC (bitmap:port, hash:mac, list:set):
 * they serve IPv4 and IPv6 rules alike.
 */
export type IpSetFamily = Family | 'any';

/** `range` of a bitmap set. */
export type IpSetRange =
  | { readonly kind: 'address'; readonly first: bigint; readonly last: bigint; readonly text: string }
  | { readonly kind: 'port'; readonly from: number; readonly to: number; readonly text: string };

/** An option ipset does not have, or one of a type it does not apply to, kept as written. */
export interface IpSetOtherOption {
  readonly name: string;
  readonly value: string | null;
}

/** Options of `create` / `Header:`. Absent numbers mean "not written" (ipset's default applies). */
export interface IpSetOptions {
  readonly hashsize?: number;
  readonly maxelem?: number;
  /** Default timeout in seconds; present means the set supports per-member timeouts (0 = none by default). */
  readonly timeout?: number;
  readonly counters: boolean;
  /** Members may carry comments. */
  readonly comment: boolean;
  readonly skbinfo: boolean;
  readonly forceadd: boolean;
  readonly bucketsize?: number;
  readonly initval?: number;
  /** bitmap:ip, bitmap:ip,mac, bitmap:port. */
  readonly range?: IpSetRange;
  /** Prefix length addresses are masked to (hash:ip, hash:ip,port, bitmap:ip). */
  readonly netmask?: number;
  /** Arbitrary address mask (hash:ip, hash:ip,port, hash:net,net; ipset ≥ 7.17). */
  readonly bitmask?: bigint;
  /** hash:ip,mark: the packet mark is ANDed with this before lookup (default 0xffffffff). */
  readonly markmask?: number;
  /** list:set: maximum number of member sets. */
  readonly size?: number;
  /** Old ipset (≤ 6.x) hash options, read and ignored. */
  readonly probes?: number;
  readonly resize?: number;
  readonly other: readonly IpSetOtherOption[];
}

/**
 * An address dimension: a single address, a prefix or a range. `first`/`last` are what the
 * member covers for lookups, after the set's netmask (hash:ip netmask 24 stores 10.0.0.0 for
 * 10.0.0.1 and matches all of 10.0.0.0/24).
 */
export interface AddressDimension {
  readonly kind: 'address';
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
  /** Prefix length when the member is one prefix (a host is /32 or /128), null for a range. */
  readonly prefix: number | null;
  readonly text: string;
}

/**
 * A port dimension: protocol and port range. ICMP and ICMPv6 members hold `type << 8 | code` as
 * their port, as the kernel does (ip_set_getport.c get_port); other protocols without ports hold 0.
 */
export interface PortDimension {
  readonly kind: 'port';
  /** IP protocol number; null for bitmap:port, which matches TCP and UDP (ip_set_get_ip_port). */
  readonly protocol: number | null;
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** hash:net,iface interface dimension. */
export interface IfaceDimension {
  readonly kind: 'iface';
  readonly name: string;
  /** `physdev:NAME`: a bridge port, not the in/out interface. */
  readonly physdev: boolean;
  /** `wildcard` option: NAME is a prefix (hash_netiface4_data_equal strncmp). */
  readonly wildcard: boolean;
  readonly text: string;
}

/** hash:ip,mark mark dimension, already ANDed with the set's markmask. */
export interface MarkDimension {
  readonly kind: 'mark';
  readonly value: number;
  readonly text: string;
}

/** Ethernet address, 48 bits. */
export interface MacDimension {
  readonly kind: 'mac';
  readonly value: bigint;
  readonly text: string;
}

/** list:set member: the name of another set. */
export interface SetDimension {
  readonly kind: 'set';
  readonly name: string;
  readonly text: string;
}

export type MemberDimension = AddressDimension | PortDimension | IfaceDimension | MarkDimension | MacDimension | SetDimension;

export interface IpSetMember {
  /** One value per dimension of the set type, in order; bitmap:ip,mac may omit the MAC (filled on first packet). */
  readonly dims: readonly MemberDimension[];
  /** `nomatch`: a hash:net* entry that excludes its prefix from the less specific ones. */
  readonly nomatch: boolean;
  /** Seconds left (list) or to set (restore); 0 means permanent. */
  readonly timeout?: number;
  readonly packets?: bigint;
  readonly bytes?: bigint;
  readonly comment?: string;
  readonly skbmark?: MarkValue;
  /** `MAJOR:MINOR` as written. */
  readonly skbprio?: string;
  readonly skbqueue?: number;
  /** The element as written (`10.0.0.1,tcp:80`). */
  readonly text: string;
  readonly at: SourceRef;
}

/** The `ipset list` fields that are not options. */
export interface IpSetListing {
  readonly revision?: number;
  readonly sizeInMemory?: number;
  readonly references?: number;
  /** `Number of entries:` as printed (ipset ≥ 6.30). */
  readonly entries?: number;
}

export interface IpSet {
  readonly name: string;
  readonly type: IpSetType;
  /** The type as written (tells an `unknown` type apart). */
  readonly typeText: string;
  readonly family: IpSetFamily;
  readonly options: IpSetOptions;
  readonly members: readonly IpSetMember[];
  /** False when the members were not listed (`ipset list -t`): membership is then unknown. */
  readonly membersKnown: boolean;
  /** Which form the set was read from. */
  readonly form: 'save' | 'list';
  /** `ipset list` header fields; null for the save form. */
  readonly listing: IpSetListing | null;
  /** The `create` or `Name:` line. */
  readonly at: SourceRef;
  /** The text the set was read from (`at.source`). */
  readonly source: SourceText;
}

/** Sets by name, for list:set members. */
export type IpSetLookup = ReadonlyMap<string, IpSet> | ((name: string) => IpSet | undefined);

/** The packet a membership test looks at: the fields a set type can read from an skb. */
export interface IpSetPacket {
  readonly family: Family;
  readonly src: bigint;
  readonly dst: bigint;
  /** Protocol name or number (`6`, `'tcp'`). */
  readonly proto: 'tcp' | 'udp' | 'udplite' | 'sctp' | 'icmp' | 'icmpv6' | number;
  readonly sport?: number;
  readonly dport?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Interface the packet came in on (`-i`); absent in OUTPUT. */
  readonly inIface?: string;
  /** Interface the packet goes out on (`-o`); absent in PREROUTING/INPUT. */
  readonly outIface?: string;
  readonly mark?: number;
  readonly srcMac?: bigint;
  readonly dstMac?: bigint;
}

/** `--match-set NAME src,dst`: where each dimension reads from the packet. */
export type Direction = 'src' | 'dst';

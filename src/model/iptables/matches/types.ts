/**
 * Typed `-m` matches: a closed union keyed by `kind` (the module name). A module iptlens does not
 * know is `unknown`, kept with its options as written (house rule 3).
 *
 * Each typed match holds what an evaluator needs to decide it, in the form the kernel keeps it
 * (so that what `iptables-save` prints after loading a rule reads back to the same value):
 * `--syn` becomes the TCP flags it stands for, `! --hashlimit-upto` becomes "above", a TOS
 * symbol becomes value/mask, names become numbers. Option spellings and their print order are
 * those of the iptables 1.8 `extensions/libxt_*.c` save functions, cited per interface.
 *
 * Size: ~600 lines, because it is the one closed union of ~45 modules; splitting it per module
 * would scatter the union the evaluator switches over.
 */
import type { Span } from '../../../../grammar/source.js';
import type { OptionSyntax } from '../../../../grammar/iptables-save/syntax.js';
import type { AddressRange, Cidr } from '../../values/address.js';
import type { PortRange } from '../../values/port.js';
import type { NumberRange } from '../../values/range.js';

/** What every module match carries besides its typed fields. */
export interface ModuleMatchBase {
  /** `-m NAME` to the last of its options. */
  readonly at: Span;
  /** The module's options as written (the printer writes these back). */
  readonly options: readonly OptionSyntax[];
  /** True when `-m` was implied by `-p tcp|udp|…` rather than written. */
  readonly implicit: boolean;
}

/** An option that could not be read into typed fields (each one reported), kept as written. */
export interface UnreadOption {
  readonly name: string;
  readonly negated: boolean;
  readonly values: readonly string[];
}

/** What every typed module match carries. */
export interface TypedMatchBase extends ModuleMatchBase {
  /** Options with bad, missing or conflicting values; the printer writes them back as written. */
  readonly unread: readonly UnreadOption[];
}

/** A field with its own `!`. */
export type Negatable<T> = T & { readonly negated: boolean };

/** A 32-bit value compared under a mask: matches when `(x & mask) === value`. */
export interface Masked {
  readonly value: number;
  readonly mask: number;
}

/** A module iptlens does not know: read as written, and a trace treats it as "may match". */
export interface UnknownMatch extends ModuleMatchBase {
  readonly kind: 'unknown';
  readonly module: string;
}

/** `-m comment`: no effect on packets. */
export interface CommentMatch extends TypedMatchBase {
  readonly kind: 'comment';
  readonly comment: string;
}

/** TCP flag names in kernel bit order (FIN=0x01 … URG=0x20), as libxt_tcp.c names them. */
export type TcpFlag = 'FIN' | 'SYN' | 'RST' | 'PSH' | 'ACK' | 'URG';

/** libxt_tcp.c; `--syn` is stored as `--tcp-flags FIN,SYN,RST,ACK SYN`, as the kernel holds it. */
export interface TcpMatch extends TypedMatchBase {
  readonly kind: 'tcp';
  readonly sport?: Negatable<{ readonly range: PortRange }>;
  readonly dport?: Negatable<{ readonly range: PortRange }>;
  /** Matches when `(flags & mask) === comp`; both in kernel bit order. */
  readonly flags?: Negatable<{ readonly mask: readonly TcpFlag[]; readonly comp: readonly TcpFlag[] }>;
  /** `--tcp-option N`: the option is present. */
  readonly option?: Negatable<{ readonly number: number }>;
}

/** libxt_udp.c. */
export interface UdpMatch extends TypedMatchBase {
  readonly kind: 'udp';
  readonly sport?: Negatable<{ readonly range: PortRange }>;
  readonly dport?: Negatable<{ readonly range: PortRange }>;
}

/** One `--chunk-types` entry: a chunk name and its flag letters (upper: set, lower: clear). */
export interface SctpChunk {
  readonly name: string;
  /** Flag letters in kernel bit order, e.g. `Be`; empty when no flag is tested. */
  readonly flags: string;
}

/** libxt_sctp.c. */
export interface SctpMatch extends TypedMatchBase {
  readonly kind: 'sctp';
  readonly sport?: Negatable<{ readonly range: PortRange }>;
  readonly dport?: Negatable<{ readonly range: PortRange }>;
  readonly chunkTypes?: Negatable<{ readonly mode: 'all' | 'any' | 'only'; readonly chunks: readonly SctpChunk[] }>;
}

/** libxt_dccp.c. */
export interface DccpMatch extends TypedMatchBase {
  readonly kind: 'dccp';
  readonly sport?: Negatable<{ readonly range: PortRange }>;
  readonly dport?: Negatable<{ readonly range: PortRange }>;
  /** Packet type names in kernel bit order (REQUEST … INVALID). */
  readonly types?: Negatable<{ readonly types: readonly string[] }>;
  readonly option?: Negatable<{ readonly number: number }>;
}

/**
 * `--icmp-type` / `--icmpv6-type` (libxt_icmp.c, libip6t_icmp6.c): type 255 with every code is
 * `any`; a code range of 0..255 is "every code".
 */
export interface IcmpType {
  /** 0–255; 255 with codes 0..255 means `any` (ICMP only). */
  readonly type: number;
  readonly codeMin: number;
  readonly codeMax: number;
}

export interface IcmpMatch extends TypedMatchBase {
  readonly kind: 'icmp' | 'icmp6';
  /** Absent: every ICMP packet (the module loaded without `--icmp-type`). */
  readonly icmpType?: Negatable<IcmpType>;
}

/** libxt_multiport.c: up to 15 ports, a range counting as two. */
export interface MultiportMatch extends TypedMatchBase {
  readonly kind: 'multiport';
  /** `--sports`, `--dports` or `--ports` (either side). */
  readonly direction: 'src' | 'dst' | 'any' | null;
  readonly ports: readonly PortRange[];
  readonly negated: boolean;
}

/** libxt_mark.c / libxt_connmark.c: `(mark & mask) === value`. */
export interface MarkMatch extends TypedMatchBase, Masked {
  readonly kind: 'mark' | 'connmark';
  readonly negated: boolean;
  /** False when `--mark` was missing (reported). */
  readonly given: boolean;
}

/** Connection-tracking states, in the order iptables-save prints them. */
export type CtState = 'INVALID' | 'NEW' | 'RELATED' | 'ESTABLISHED' | 'UNTRACKED' | 'SNAT' | 'DNAT';
export type CtStatus = 'NONE' | 'EXPECTED' | 'SEEN_REPLY' | 'ASSURED' | 'CONFIRMED';

/** libxt_conntrack.c (revision 3 save order). */
export interface ConntrackMatch extends TypedMatchBase {
  readonly kind: 'conntrack';
  readonly ctstate?: Negatable<{ readonly states: readonly CtState[] }>;
  /** IANA protocol number. */
  readonly ctproto?: Negatable<{ readonly protocol: number }>;
  readonly ctorigsrc?: Negatable<{ readonly cidr: Cidr }>;
  readonly ctorigdst?: Negatable<{ readonly cidr: Cidr }>;
  readonly ctreplsrc?: Negatable<{ readonly cidr: Cidr }>;
  readonly ctrepldst?: Negatable<{ readonly cidr: Cidr }>;
  readonly ctorigsrcport?: Negatable<{ readonly range: PortRange }>;
  readonly ctorigdstport?: Negatable<{ readonly range: PortRange }>;
  readonly ctreplsrcport?: Negatable<{ readonly range: PortRange }>;
  readonly ctrepldstport?: Negatable<{ readonly range: PortRange }>;
  readonly ctstatus?: Negatable<{ readonly statuses: readonly CtStatus[] }>;
  /** Remaining lifetime in seconds. */
  readonly ctexpire?: Negatable<{ readonly range: NumberRange }>;
  readonly ctdir?: 'ORIGINAL' | 'REPLY';
}

/** libxt_state.c: the subset of conntrack states the state module knows. */
export interface StateMatch extends TypedMatchBase {
  readonly kind: 'state';
  readonly states: readonly CtState[];
  readonly negated: boolean;
}

/** Address types (RTN_*) in kernel bit order. */
export type AddrType =
  | 'UNSPEC' | 'UNICAST' | 'LOCAL' | 'BROADCAST' | 'ANYCAST' | 'MULTICAST' | 'BLACKHOLE'
  | 'UNREACHABLE' | 'PROHIBIT' | 'THROW' | 'NAT' | 'XRESOLVE';

/** libxt_addrtype.c (revision 1). */
export interface AddrtypeMatch extends TypedMatchBase {
  readonly kind: 'addrtype';
  /** Matches when the source address is of one of these types. */
  readonly srcType?: Negatable<{ readonly types: readonly AddrType[] }>;
  readonly dstType?: Negatable<{ readonly types: readonly AddrType[] }>;
  /** Look the type up on the incoming (resp. outgoing) interface only. */
  readonly limitIfaceIn: boolean;
  readonly limitIfaceOut: boolean;
}

/** A counter condition of `-m set` (`--packets-gt 5`). */
export interface SetCounterCondition {
  readonly op: 'eq' | 'lt' | 'gt';
  readonly value: bigint;
  readonly negated: boolean;
}

/** libxt_set.c (revision 4). */
export interface SetMatch extends TypedMatchBase {
  readonly kind: 'set';
  readonly name: string;
  /** Which packet address/port feeds each dimension of the set, in order. */
  readonly flags: readonly ('src' | 'dst')[];
  readonly negated: boolean;
  /** `--return-nomatch`: an element flagged nomatch makes the match succeed. */
  readonly returnNomatch: boolean;
  /** False with `! --update-counters`. */
  readonly updateCounters: boolean;
  readonly updateSubcounters: boolean;
  readonly packets?: SetCounterCondition;
  readonly bytes?: SetCounterCondition;
}

/** libxt_statistic.c. */
export type StatisticMatch = TypedMatchBase & { readonly kind: 'statistic'; readonly negated: boolean } & (
    | {
        readonly mode: 'random';
        /** The kernel's threshold: round(p × 2^31); the match fires when a random u32 & 0x7fffffff < it. */
        readonly threshold: number;
        /** threshold / 2^31: the probability as the kernel applies it. */
        readonly probability: number;
      }
    | {
        readonly mode: 'nth';
        /** Match one packet in `every`. */
        readonly every: number;
        /** Initial counter value (0 ≤ packet < every). */
        readonly packet: number;
      }
    | { readonly mode: null }
  );

/** libxt_physdev.c (bridge ports). */
export interface PhysdevMatch extends TypedMatchBase {
  readonly kind: 'physdev';
  readonly isIn?: Negatable<object>;
  readonly in?: Negatable<{ readonly name: string; readonly wildcard: boolean }>;
  readonly isOut?: Negatable<object>;
  readonly out?: Negatable<{ readonly name: string; readonly wildcard: boolean }>;
  readonly isBridged?: Negatable<object>;
}

/** libxt_limit.c: a token bucket. */
export interface LimitMatch extends TypedMatchBase {
  readonly kind: 'limit';
  /** The kernel's period between packets in 1/10000 s (XT_LIMIT_SCALE); iptables-save prints it back. */
  readonly period: bigint;
  /** Average packets per second the period stands for. */
  readonly perSecond: number;
  readonly burst: number;
}

/** libxt_recent.c (revision 1). */
export interface RecentMatch extends TypedMatchBase {
  readonly kind: 'recent';
  readonly mode: 'set' | 'rcheck' | 'update' | 'remove' | null;
  readonly negated: boolean;
  /** List name; `DEFAULT` when not given. */
  readonly name: string;
  /** Only entries seen in the last N seconds (0: no limit). */
  readonly seconds: number;
  readonly reap: boolean;
  /** Only entries seen at least N times (0: no limit). */
  readonly hitcount: number;
  readonly rttl: boolean;
  /** Which address is recorded/looked up. */
  readonly side: 'source' | 'dest';
  /** Netmask applied to the address (all ones when not given). */
  readonly mask: bigint;
}

/** libxt_hashlimit.c (revision 3): a token bucket per hash group. */
export interface HashlimitMatch extends TypedMatchBase {
  readonly kind: 'hashlimit';
  /** True for `--hashlimit-above` (or `! --hashlimit-upto`): match when over the rate. */
  readonly above: boolean;
  /** True when the rate is in bytes (`512kb/s`). */
  readonly bytes: boolean;
  /** Kernel cost per packet (1/1000000 s scale) or, in byte mode, per byte chunk. */
  readonly avg: bigint;
  /** Bucket size in packets (byte mode: in cost units, 0 when not given). */
  readonly burst: bigint;
  readonly modes: readonly ('srcip' | 'srcport' | 'dstip' | 'dstport')[];
  readonly name: string;
  readonly htableSize: number;
  readonly htableMax: number;
  readonly htableGcInterval: number;
  /** Milliseconds; defaults to the rate's unit. */
  readonly htableExpire: number;
  readonly srcMask: number;
  readonly dstMask: number;
  readonly rateMatch: boolean;
  readonly rateInterval: number;
}

/** libxt_owner.c (revision 1). */
export interface OwnerMatch extends TypedMatchBase {
  readonly kind: 'owner';
  readonly socketExists?: Negatable<object>;
  /** A uid range; `name` is set when a user name could not be resolved to a number. */
  readonly uid?: Negatable<{ readonly range: NumberRange | null; readonly name?: string }>;
  readonly gid?: Negatable<{ readonly range: NumberRange | null; readonly name?: string }>;
  /** `--suppl-groups`: also check supplementary groups for `--gid-owner`. */
  readonly supplGroups: boolean;
}

/** libxt_socket.c (revision 3). */
export interface SocketMatch extends TypedMatchBase {
  readonly kind: 'socket';
  readonly transparent: boolean;
  readonly nowildcard: boolean;
  readonly restoreSkmark: boolean;
}

/** libxt_rpfilter.c. */
export interface RpfilterMatch extends TypedMatchBase {
  readonly kind: 'rpfilter';
  readonly loose: boolean;
  readonly validmark: boolean;
  readonly acceptLocal: boolean;
  /** Match packets that fail the test instead. */
  readonly invert: boolean;
}

/** libxt_iprange.c (revision 1). */
export interface IprangeMatch extends TypedMatchBase {
  readonly kind: 'iprange';
  readonly src?: Negatable<{ readonly range: AddressRange }>;
  readonly dst?: Negatable<{ readonly range: AddressRange }>;
}

/** libxt_mac.c. */
export interface MacMatch extends TypedMatchBase {
  readonly kind: 'mac';
  /** Lower-case `aa:bb:cc:dd:ee:ff`; null when missing or bad (reported). */
  readonly source: string | null;
  readonly negated: boolean;
}

/** libxt_pkttype.c: the link-layer packet type. */
export interface PkttypeMatch extends TypedMatchBase {
  readonly kind: 'pkttype';
  readonly type: 'unicast' | 'broadcast' | 'multicast' | 'otherhost' | 'outgoing' | 'loopback' | null;
  readonly negated: boolean;
}

/** libxt_length.c: layer-3 payload length. */
export interface LengthMatch extends TypedMatchBase {
  readonly kind: 'length';
  readonly range: NumberRange | null;
  readonly negated: boolean;
}

/** libipt_ttl.c / libip6t_hl.c. `! --ttl-eq` is "not equal". */
export interface TtlMatch extends TypedMatchBase {
  readonly kind: 'ttl' | 'hl';
  readonly op: 'eq' | 'lt' | 'gt' | null;
  readonly value: number;
  readonly negated: boolean;
}

/** libxt_tos.c (revision 1): `(tos & mask) === value`; a symbol implies mask 0x3f, a number 0xff. */
export interface TosMatch extends TypedMatchBase, Masked {
  readonly kind: 'tos';
  readonly negated: boolean;
}

/** libxt_dscp.c: the 6-bit DSCP field; `--dscp-class` is stored as its number. */
export interface DscpMatch extends TypedMatchBase {
  readonly kind: 'dscp';
  readonly dscp: number | null;
  readonly negated: boolean;
}

/** One element of a policy (libxt_policy.c), each field with its own `!`. */
export interface PolicyElement {
  readonly reqid?: Negatable<{ readonly value: number }>;
  readonly spi?: Negatable<{ readonly value: number }>;
  readonly proto?: Negatable<{ readonly protocol: 'ah' | 'esp' | 'ipcomp' }>;
  readonly mode?: Negatable<{ readonly mode: 'transport' | 'tunnel' }>;
  readonly tunnelDst?: Negatable<{ readonly cidr: Cidr }>;
  readonly tunnelSrc?: Negatable<{ readonly cidr: Cidr }>;
}

export interface PolicyMatch extends TypedMatchBase {
  readonly kind: 'policy';
  readonly dir: 'in' | 'out' | null;
  readonly pol: 'none' | 'ipsec' | null;
  /** Match the whole policy, element by element, instead of any element. */
  readonly strict: boolean;
  readonly elements: readonly PolicyElement[];
}

/** libxt_ipvs.c. Any `--v*` option implies `--ipvs`, so `ipvs` is kept only when it stands alone. */
export interface IpvsMatch extends TypedMatchBase {
  readonly kind: 'ipvs';
  readonly ipvs?: Negatable<object>;
  readonly vproto?: Negatable<{ readonly protocol: number }>;
  readonly vaddr?: Negatable<{ readonly cidr: Cidr }>;
  readonly vport?: Negatable<{ readonly port: number }>;
  readonly vdir?: 'ORIGINAL' | 'REPLY';
  readonly vmethod?: Negatable<{ readonly method: 'GATE' | 'IPIP' | 'MASQ' }>;
  readonly vportctl?: Negatable<{ readonly port: number }>;
}

/** libxt_string.c: the pattern as bytes, printed as text when printable, else as `|hex|`. */
export interface StringMatch extends TypedMatchBase {
  readonly kind: 'string';
  readonly algo: 'bm' | 'kmp' | null;
  /** Pattern bytes as lower-case hex (two digits per byte). */
  readonly pattern: string | null;
  readonly negated: boolean;
  readonly from: number;
  readonly to: number;
  readonly icase: boolean;
}

/** One u32 location step: an operator and a number (libxt_u32.c). */
export interface U32Step {
  /** `null` for the first number of a location. */
  readonly op: '&' | '<<' | '>>' | '@' | null;
  readonly number: number;
}

export interface U32Test {
  readonly location: readonly U32Step[];
  readonly values: readonly NumberRange[];
}

/** libxt_u32.c: the program parsed into tests, printed back in iptables-save's hex form. */
export interface U32Match extends TypedMatchBase {
  readonly kind: 'u32';
  readonly tests: readonly U32Test[];
  readonly negated: boolean;
}

/** One classic BPF instruction (`code jt jf k`). */
export interface BpfInstruction {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

/** libxt_bpf.c. */
export interface BpfMatch extends TypedMatchBase {
  readonly kind: 'bpf';
  readonly bytecode?: readonly BpfInstruction[];
  /** Path of a pinned eBPF program (its contents are not in the dump). */
  readonly objectPinned?: string;
}

/** libxt_cgroup.c (revision 2). */
export interface CgroupMatch extends TypedMatchBase {
  readonly kind: 'cgroup';
  readonly path?: Negatable<{ readonly path: string }>;
  /** net_cls class id. */
  readonly classid?: Negatable<{ readonly value: number }>;
}

/** libip6t_rt.c: the IPv6 routing header. */
export interface RtMatch extends TypedMatchBase {
  readonly kind: 'rt';
  readonly rtType?: Negatable<{ readonly value: number }>;
  readonly segsleft?: Negatable<{ readonly range: NumberRange }>;
  readonly len?: Negatable<{ readonly value: number }>;
  /** Type 0 reserved field is zero. */
  readonly res: boolean;
  readonly addrs: readonly Cidr[];
  readonly notStrict: boolean;
}

/** libip6t_frag.c: the IPv6 fragment header. */
export interface FragMatch extends TypedMatchBase {
  readonly kind: 'frag';
  readonly id?: Negatable<{ readonly range: NumberRange }>;
  readonly len?: Negatable<{ readonly value: number }>;
  readonly res: boolean;
  readonly first: boolean;
  readonly more: boolean;
  readonly last: boolean;
}

/** libipt_ah.c / libip6t_ah.c. */
export interface AhMatch extends TypedMatchBase {
  readonly kind: 'ah';
  readonly spi?: Negatable<{ readonly range: NumberRange }>;
  /** IPv6 only. */
  readonly len?: Negatable<{ readonly value: number }>;
  /** IPv6 only: the reserved field is zero. */
  readonly res: boolean;
}

/** libxt_esp.c. */
export interface EspMatch extends TypedMatchBase {
  readonly kind: 'esp';
  readonly spi?: Negatable<{ readonly range: NumberRange }>;
}

/** libxt_devgroup.c: device groups of the in/out interfaces. */
export interface DevgroupMatch extends TypedMatchBase {
  readonly kind: 'devgroup';
  readonly src?: Negatable<Masked>;
  readonly dst?: Negatable<Masked>;
}

/** libipt_realm.c: the routing realm. */
export interface RealmMatch extends TypedMatchBase, Masked {
  readonly kind: 'realm';
  readonly negated: boolean;
  /** A realm name that could not be resolved to a number (iptables reads /etc/iproute2/rt_realms). */
  readonly name?: string;
}

/** libxt_helper.c: packets of connections related to a conntrack helper. */
export interface HelperMatch extends TypedMatchBase {
  readonly kind: 'helper';
  readonly helper: string;
  readonly negated: boolean;
}

/** libxt_time.c: all times in UTC seconds unless `kerneltz`. Negated day lists are stored inverted, as the kernel does. */
export interface TimeMatch extends TypedMatchBase {
  readonly kind: 'time';
  /** Seconds since midnight; 0 and 86399 when not given. */
  readonly timeStart: number;
  readonly timeStop: number;
  /** Days of the month 1–31 on which it matches. */
  readonly monthdays: readonly number[];
  /** Days of the week 1 (Mon) – 7 (Sun) on which it matches. */
  readonly weekdays: readonly number[];
  /** Seconds since the epoch (UTC); 0 and 2^31-1 when not given. */
  readonly dateStart: number;
  readonly dateStop: number;
  readonly kerneltz: boolean;
  /** A time range crossing midnight is one period, not two. */
  readonly contiguous: boolean;
}

/** libxt_connlimit.c (revision 1). */
export interface ConnlimitMatch extends TypedMatchBase {
  readonly kind: 'connlimit';
  /** True for `--connlimit-above` (or `! --connlimit-upto`). */
  readonly above: boolean;
  readonly count: number;
  /** Prefix length that groups addresses; the family's full length when not given. */
  readonly mask: number;
  /** Which address is grouped. */
  readonly side: 'saddr' | 'daddr';
}

/** libxt_nfacct.c: accounting only, always matches. */
export interface NfacctMatch extends TypedMatchBase {
  readonly kind: 'nfacct';
  readonly name: string;
}

export type ModuleMatch =
  | UnknownMatch
  | CommentMatch
  | TcpMatch
  | UdpMatch
  | SctpMatch
  | DccpMatch
  | IcmpMatch
  | MultiportMatch
  | MarkMatch
  | ConntrackMatch
  | StateMatch
  | AddrtypeMatch
  | SetMatch
  | StatisticMatch
  | PhysdevMatch
  | LimitMatch
  | RecentMatch
  | HashlimitMatch
  | OwnerMatch
  | SocketMatch
  | RpfilterMatch
  | IprangeMatch
  | MacMatch
  | PkttypeMatch
  | LengthMatch
  | TtlMatch
  | TosMatch
  | DscpMatch
  | PolicyMatch
  | IpvsMatch
  | StringMatch
  | U32Match
  | BpfMatch
  | CgroupMatch
  | RtMatch
  | FragMatch
  | AhMatch
  | EspMatch
  | DevgroupMatch
  | RealmMatch
  | HelperMatch
  | TimeMatch
  | ConnlimitMatch
  | NfacctMatch;

/** Every typed module match (all but `unknown`). */
export type TypedMatch = Exclude<ModuleMatch, UnknownMatch>;

/** The kind names of typed matches: one per module, aliases sharing a kind listed once. */
export type TypedMatchKind = TypedMatch['kind'];

/** The typed match of one kind. */
export type MatchOfKind<K extends TypedMatchKind> = TypedMatch & { readonly kind: K };

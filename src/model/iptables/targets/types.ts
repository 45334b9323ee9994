/**
 * Typed targets (`-j`/`-g`): a closed union keyed by `kind`. A jump to a user chain is `jump` or
 * `goto`; a target that is neither a chain nor known is `unknown`, kept as written.
 *
 * Each extension target holds its options in the form the kernel keeps them (iptables 1.8
 * extensions/libxt_*.c): mark arithmetic as xset value/mask, names as numbers, defaults filled
 * in, so that what iptables-save prints after loading a rule reads back to the same value.
 */
import type { Span } from '../../../../grammar/source.js';
import type { OptionSyntax } from '../../../../grammar/iptables-save/syntax.js';
import type { AddressRange, Cidr } from '../../values/address.js';
import type { PortRange } from '../../values/port.js';
import type { NumberRange } from '../../values/range.js';
import type { Masked, UnreadOption } from '../matches/types.js';

export interface TargetBase {
  /** `-j NAME` to the last of its options. */
  readonly at: Span;
  /** The target's options as written. */
  readonly options: readonly OptionSyntax[];
}

/** What every extension target carries. */
export interface TypedTargetBase extends TargetBase {
  /** Options with bad, missing or conflicting values (each reported), kept as written. */
  readonly unread: readonly UnreadOption[];
}

export interface JumpTarget extends TargetBase {
  readonly kind: 'jump';
  readonly chain: string;
}

export interface GotoTarget extends TargetBase {
  readonly kind: 'goto';
  readonly chain: string;
}

/** The standard verdicts (x_tables.c XT_STANDARD_TARGET); QUEUE hands the packet to queue 0. */
export interface VerdictTarget extends TypedTargetBase {
  readonly kind: 'ACCEPT' | 'DROP' | 'RETURN' | 'QUEUE';
}

export interface UnknownTarget extends TargetBase {
  readonly kind: 'unknown';
  readonly name: string;
}

/** libipt_REJECT.c / libip6t_REJECT.c: drop and answer with an ICMP error or a TCP reset. */
export interface RejectTarget extends TypedTargetBase {
  readonly kind: 'REJECT';
  /** Canonical name: `icmp-port-unreachable` (default), `tcp-reset`, `icmp6-adm-prohibited`, … */
  readonly with: string;
}

/** libxt_NFQUEUE.c (revision 3): hand the packet to a userspace queue. */
export interface NfqueueTarget extends TypedTargetBase {
  readonly kind: 'NFQUEUE';
  /** One queue (from === to) or a balanced range. */
  readonly queues: NumberRange;
  /** Accept instead of drop when no program listens. */
  readonly bypass: boolean;
  readonly cpuFanout: boolean;
}

/**
 * libxt_MARK.c (revision 2): `mark = (mark & ~mask) ^ value`. `--set-mark V/M` is V/(M|V),
 * `--or-mark X` X/X, `--and-mark X` 0/~X, `--xor-mark X` X/0.
 */
export interface MarkTarget extends TypedTargetBase, Masked {
  readonly kind: 'MARK';
}

/** libxt_CONNMARK.c (revision 1). */
export type ConnmarkTarget = TypedTargetBase & { readonly kind: 'CONNMARK' } & (
    | ({ readonly mode: 'set' } & Masked)
    | {
        /** save: ctmark = (ctmark & ~ctmask) ^ (nfmark & nfmask); restore: the other way round. */
        readonly mode: 'save' | 'restore';
        readonly nfmask: number;
        readonly ctmask: number;
      }
    | { readonly mode: null }
  );

/** One `--to-destination` / `--to-source` range (libxt_NAT.c). */
export interface NatRange {
  readonly addresses?: AddressRange;
  readonly ports?: PortRange;
  /** `/baseport`: map with an offset from this port (kernel ≥ 4.18, DNAT only). */
  readonly basePort?: number;
}

/** libxt_NAT.c DNAT (revision 2) and SNAT (revision 1). */
export interface NatTarget extends TypedTargetBase {
  readonly kind: 'DNAT' | 'SNAT';
  readonly ranges: readonly NatRange[];
  readonly random: boolean;
  /** SNAT only. */
  readonly randomFully: boolean;
  readonly persistent: boolean;
}

/** libxt_MASQUERADE.c: SNAT to the outgoing interface's address. */
export interface MasqueradeTarget extends TypedTargetBase {
  readonly kind: 'MASQUERADE';
  readonly ports?: PortRange;
  readonly random: boolean;
  readonly randomFully: boolean;
}

/** libxt_REDIRECT.c: DNAT to the incoming interface's primary address (127.0.0.1 / ::1 locally). */
export interface RedirectTarget extends TypedTargetBase {
  readonly kind: 'REDIRECT';
  readonly ports?: PortRange;
  readonly random: boolean;
}

/** libipt_NETMAP.c / libip6t_NETMAP.c: map a prefix 1:1 onto another. */
export interface NetmapTarget extends TypedTargetBase {
  readonly kind: 'NETMAP';
  readonly to: Cidr | null;
}

/** `-j NOTRACK`: an alias of `CT --notrack` kept under its own name. */
export interface NotrackTarget extends TypedTargetBase {
  readonly kind: 'NOTRACK';
}

/** libxt_CT.c (revision 2): the conntrack template of the packet. */
export interface CtTarget extends TypedTargetBase {
  readonly kind: 'CT';
  readonly notrack: boolean;
  readonly helper?: string;
  /** Name of a timeout policy. */
  readonly timeout?: string;
  /** Conntrack events to generate, in ct_event_tbl order. */
  readonly ctevents?: readonly string[];
  readonly expevents?: readonly string[];
  /** Zone id, or `mark` (taken from the packet mark); absent for zone 0. */
  readonly zone?: { readonly id: number | 'mark'; readonly dir: 'both' | 'orig' | 'reply' };
}

/** `-j TRACE` (raw table): log the packet's path through the rules. */
export interface TraceTarget extends TypedTargetBase {
  readonly kind: 'TRACE';
}

/** libxt_LOG.c: kernel log line; rule traversal continues. */
export interface LogTarget extends TypedTargetBase {
  readonly kind: 'LOG';
  /** syslog level 0–7 (4, warning, by default). */
  readonly level: number;
  readonly prefix: string;
  readonly tcpSequence: boolean;
  readonly tcpOptions: boolean;
  readonly ipOptions: boolean;
  readonly uid: boolean;
  readonly macdecode: boolean;
}

/** libxt_NFLOG.c: log through nfnetlink_log; rule traversal continues. */
export interface NflogTarget extends TypedTargetBase {
  readonly kind: 'NFLOG';
  readonly group: number;
  readonly prefix: string;
  /** `--nflog-range`: never had an effect in the kernel (and iptables-nft drops it). */
  readonly range?: number;
  /** `--nflog-size`: bytes copied to userspace. */
  readonly size?: number;
  readonly threshold: number;
}

/** libipt_ULOG.c (removed from kernels since 4.x): log through netlink multicast. */
export interface UlogTarget extends TypedTargetBase {
  readonly kind: 'ULOG';
  /** Netlink group 1–32. */
  readonly nlgroup: number;
  readonly prefix: string;
  readonly cprange: number;
  readonly qthreshold: number;
}

/** libxt_TPROXY.c (revision 1): deliver to a local socket without rewriting the packet. */
export interface TproxyTarget extends TypedTargetBase {
  readonly kind: 'TPROXY';
  /** 0: keep the packet's destination port. */
  readonly port: number;
  /** 0 / :: (the incoming interface's address) when not given. */
  readonly ip: bigint;
  readonly mark: Masked;
}

/** libxt_CHECKSUM.c: fill in a missing checksum. */
export interface ChecksumTarget extends TypedTargetBase {
  readonly kind: 'CHECKSUM';
  readonly fill: boolean;
}

/** libxt_TCPMSS.c: set or clamp the TCP MSS option of SYNs. */
export interface TcpmssTarget extends TypedTargetBase {
  readonly kind: 'TCPMSS';
  /** A fixed MSS, `pmtu` (clamp to path MTU − 40/60), or null when missing (reported). */
  readonly mss: number | 'pmtu' | null;
}

/** libxt_CLASSIFY.c: skb->priority = major:minor (hex). */
export interface ClassifyTarget extends TypedTargetBase {
  readonly kind: 'CLASSIFY';
  readonly major: number;
  readonly minor: number;
}

/** libxt_DSCP.c: rewrite the DSCP field; a class name is stored as its code point. */
export interface DscpTarget extends TypedTargetBase {
  readonly kind: 'DSCP';
  readonly dscp: number | null;
}

/** libxt_TOS.c (revision 1): `tos = (tos & ~mask) ^ value`; the and/or/xor forms are stored as such. */
export interface TosTarget extends TypedTargetBase, Masked {
  readonly kind: 'TOS';
}

/** One set operation of `-j SET`. */
export interface SetOperation {
  readonly name: string;
  readonly flags: readonly ('src' | 'dst')[];
}

/** libxt_SET.c (revision 3): add to, delete from or look up ipsets. */
export interface SetTarget extends TypedTargetBase {
  readonly kind: 'SET';
  readonly add?: SetOperation;
  readonly del?: SetOperation;
  readonly map?: SetOperation & { readonly mark: boolean; readonly prio: boolean; readonly queue: boolean };
  /** Re-add an existing entry (resetting its timeout). */
  readonly exist: boolean;
  /** Timeout of added entries in seconds; absent: the set's default. */
  readonly timeout?: number;
}

/** libxt_AUDIT.c: an audit record (the type is ignored since Linux 4.12). */
export interface AuditTarget extends TypedTargetBase {
  readonly kind: 'AUDIT';
  readonly type: 'accept' | 'drop' | 'reject' | null;
}

/** libxt_SECMARK.c: the security context of the packet. */
export interface SecmarkTarget extends TypedTargetBase {
  readonly kind: 'SECMARK';
  readonly selctx: string;
}

/** libxt_CONNSECMARK.c: copy the security mark between packet and connection. */
export interface ConnsecmarkTarget extends TypedTargetBase {
  readonly kind: 'CONNSECMARK';
  readonly mode: 'save' | 'restore' | null;
}

/** libxt_HMARK.c: mark = hash(selected fields) % mod + offset. Fields absent when not selected. */
export interface HmarkTarget extends TypedTargetBase {
  readonly kind: 'HMARK';
  readonly srcPrefix?: number;
  readonly dstPrefix?: number;
  readonly sportMask?: number;
  readonly dportMask?: number;
  readonly spiMask?: number;
  readonly sport?: number;
  readonly dport?: number;
  readonly spi?: number;
  readonly protoMask?: number;
  readonly rnd?: number;
  readonly mod?: number;
  readonly offset?: number;
  /** Hash the conntrack tuple instead of the packet. */
  readonly ct: boolean;
}

/** libxt_TEE.c: send a copy of the packet to a gateway. */
export interface TeeTarget extends TypedTargetBase {
  readonly kind: 'TEE';
  readonly gateway: Cidr | null;
  readonly oif?: string;
}

export type Target =
  | JumpTarget
  | GotoTarget
  | VerdictTarget
  | UnknownTarget
  | RejectTarget
  | NfqueueTarget
  | MarkTarget
  | ConnmarkTarget
  | NatTarget
  | MasqueradeTarget
  | RedirectTarget
  | NetmapTarget
  | NotrackTarget
  | CtTarget
  | TraceTarget
  | LogTarget
  | NflogTarget
  | UlogTarget
  | TproxyTarget
  | ChecksumTarget
  | TcpmssTarget
  | ClassifyTarget
  | DscpTarget
  | TosTarget
  | SetTarget
  | AuditTarget
  | SecmarkTarget
  | ConnsecmarkTarget
  | HmarkTarget
  | TeeTarget;

/** Targets built by the catalogue (not jumps, gotos or unknown ones). */
export type TypedTarget = Exclude<Target, JumpTarget | GotoTarget | UnknownTarget>;
export type TypedTargetKind = TypedTarget['kind'];
export type TargetOfKind<K extends TypedTargetKind> = TypedTarget & { readonly kind: K };

/**
 * The node's interfaces, addresses, routes and policy-routing rules, as the kernel holds them,
 * read from iproute2's output (`ip addr`, `ip route`, `ip rule`). Immutable; every record points
 * back at the text it was read from.
 */
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import type { SourceRef } from '../../../grammar/source.js';
import type { Cidr, Family } from '../values/address.js';
import type { MarkValue } from '../values/mark.js';
import type { PortRange } from '../values/port.js';

export type { Family } from '../values/address.js';

/** RFC 2863 operational state as iproute2 prints it (ip/ipaddress.c oper_states). */
export type OperState = 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' | 'DORMANT' | 'NOTPRESENT' | 'TESTING';

/**
 * Address and route scope (include/uapi/linux/rtnetlink.h enum rt_scope_t): `global` is
 * RT_SCOPE_UNIVERSE (0); a number is a scope without a name in /etc/iproute2/rt_scopes.
 */
export type Scope = 'global' | 'site' | 'link' | 'host' | 'nowhere' | number;

/** Where an interface's kind was learnt: `ip -d` / `-j` link info, the link type, or a guess from its name. */
export type KindSource = 'details' | 'link-type' | 'name';

export interface Interface {
  readonly name: string;
  /** ifindex; absent in `ip -br` output. */
  readonly index?: number;
  /** rtnl_link_ops kind: `veth`, `bridge`, `vxlan`, `dummy`, `ipip`, `loopback`, … */
  readonly kind?: string;
  readonly kindFrom?: KindSource;
  /** The kind of the master's port (`bridge` for a bridge port, from `bridge_slave`), with -d. */
  readonly slaveKind?: string;
  /** null when the output does not print it (old iproute2, `ip -o addr`). */
  readonly state: OperState | null;
  /** The flags between `<` and `>` (`UP`, `LOWER_UP`, `NOARP`, …); empty when not printed. */
  readonly flags: readonly string[];
  readonly mtu?: number;
  /** The bridge, bond or VRF it is a port of. */
  readonly master?: string;
  /** After `@`: the lower device (`eth0.10@eth0`), a veth peer, `ifN` (an index in another netns) or `NONE`. */
  readonly link?: string;
  /** `ether`, `loopback`, `none`, … from `link/TYPE`. */
  readonly linkType?: string;
  readonly linkAddress?: string;
  readonly altnames: readonly string[];
  readonly addresses: readonly InterfaceAddress[];
  readonly at: SourceRef;
}

export interface InterfaceAddress {
  readonly family: Family;
  /** The exact address, as a /32 or /128 (host bits kept). */
  readonly address: Cidr;
  /** The network it is on: the prefix route the kernel adds for it (the peer's, for `peer`). */
  readonly prefix: Cidr;
  readonly prefixLength: number;
  /** The remote end of a point-to-point address (`inet A peer B/len`). */
  readonly peer?: Cidr;
  readonly scope: Scope;
  readonly broadcast?: Cidr;
  /** IPv4 label (`eth0:1`). */
  readonly label?: string;
  /** A secondary address (another address of the same prefix came first: IFA_F_SECONDARY). */
  readonly secondary: boolean;
  /** All flags as printed: `secondary`, `dynamic`, `tentative`, `noprefixroute`, `deprecated`, … */
  readonly flags: readonly string[];
  /** Seconds, or `forever` (INFINITY_LIFE_TIME). */
  readonly validLifetime?: number | 'forever';
  readonly preferredLifetime?: number | 'forever';
  /** The interface it is on. */
  readonly interface: string;
  readonly at: SourceRef;
}

export interface InterfaceTable {
  readonly interfaces: readonly Interface[];
  readonly byName: ReadonlyMap<string, Interface>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Route types (include/uapi/linux/rtnetlink.h RTN_*), as iproute2 names them. */
export type RouteType =
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'anycast'
  | 'multicast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit'
  | 'throw'
  | 'nat'
  | 'xresolve';

/** A routing table: its name (`main`, `local`, `default`, or one from rt_tables) or number. */
export type TableId = string | number;

export interface Nexthop {
  /** The gateway (RTA_GATEWAY or RTA_VIA), as a /32 or /128. */
  readonly via?: Cidr;
  readonly dev?: string;
  /** `weight` as printed (1 when not printed: rtnh_hops + 1 = 1). */
  readonly weight: number;
  readonly onlink: boolean;
  /** Flags as printed: `onlink`, `dead`, `linkdown`, `pervasive`, `offload`, … */
  readonly flags: readonly string[];
  readonly at: SourceRef;
}

export interface Route {
  readonly table: TableId;
  readonly type: RouteType;
  readonly destination: Cidr | 'default';
  readonly family: Family;
  readonly via?: Cidr;
  readonly dev?: string;
  /** The preferred source address (`src`, RTA_PREFSRC). */
  readonly src?: Cidr;
  /** `kernel`, `boot`, `static`, `dhcp`, `bird`, `ra`, … or a number. */
  readonly proto: string;
  readonly scope: Scope;
  readonly metric?: number;
  readonly onlink: boolean;
  /** Flags as printed: `onlink`, `linkdown`, `dead`, `pervasive`, `offload`, … */
  readonly flags: readonly string[];
  /** The paths of a multipath route; absent for a single path. */
  readonly nexthops?: readonly Nexthop[];
  /** IPv6 router preference (`pref medium`). */
  readonly pref?: string;
  /** `error -101` of an IPv6 unreachable route (the errno it reports). */
  readonly error?: number;
  readonly mtu?: number;
  /** Words iptlens does not model, as printed (encap details, unknown attributes). */
  readonly unmodelled: readonly string[];
  readonly at: SourceRef;
}

export interface RouteTable {
  readonly routes: readonly Route[];
  readonly diagnostics: readonly Diagnostic[];
}

/** What a rule does when it matches (include/uapi/linux/fib_rules.h FR_ACT_*). */
export type RuleAction =
  | { readonly kind: 'lookup'; readonly table: TableId }
  | { readonly kind: 'goto'; readonly priority: number }
  | { readonly kind: 'blackhole' }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'prohibit' }
  | { readonly kind: 'nop' };

/** `iif`/`oif`: `[detached]` when no such device exists (yet) in the namespace. */
export interface RuleInterface {
  readonly name: string;
  readonly detached: boolean;
}

export interface IpRule {
  readonly priority: number;
  readonly family: Family;
  /** `not`: the rule matches packets its selectors do not match (FIB_RULE_INVERT). */
  readonly not: boolean;
  readonly from: Cidr | 'all';
  readonly to: Cidr | 'all';
  /** `fwmark V/M` (the mask is 0xffffffff when not printed). */
  readonly fwmark?: MarkValue;
  readonly iif?: RuleInterface;
  readonly oif?: RuleInterface;
  readonly tos?: string;
  readonly ipproto?: string;
  readonly sport?: PortRange;
  readonly dport?: PortRange;
  readonly uidrange?: { readonly from: number; readonly to: number };
  /** `lookup` via the VRF of the interface (FRA_L3MDEV). */
  readonly l3mdev: boolean;
  readonly action: RuleAction;
  /** `suppress_prefixlength N`: a lookup result with a prefix of N or less is ignored. */
  readonly suppressPrefixLength?: number;
  readonly unmodelled: readonly string[];
  readonly at: SourceRef;
}

export interface IpRuleSet {
  readonly rules: readonly IpRule[];
  readonly diagnostics: readonly Diagnostic[];
}

/** An address the node treats as its own. */
export interface LocalAddress {
  /** A host address, or a whole prefix for a `local` route such as 127.0.0.0/8. */
  readonly address: Cidr;
  readonly interface: string;
  /** From an interface address, or only from a `local` route of table local. */
  readonly from: 'address' | 'local-route';
  readonly at: SourceRef;
}

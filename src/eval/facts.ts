/**
 * What the evaluator asks of a node, answered from its snapshot — or "unknown", which the
 * evaluator turns into a condition or a stated assumption, never a silent guess.
 */
import type { Ruleset } from '../model/iptables/types.js';
import type { Family } from '../model/values/address.js';
import type { IntervalSet } from './interval-set.js';

/** Where the routing decision sends a packet. */
export type RouteDecision =
  | { readonly kind: 'local'; readonly iface: string | null }
  | { readonly kind: 'unicast'; readonly iface: string | null; readonly via: bigint | null; readonly text: string }
  | { readonly kind: 'blackhole' | 'unreachable' | 'prohibit'; readonly text: string }
  | { readonly kind: 'unknown'; readonly text: string };

/** The role an interface plays on a Kubernetes node. */
export type InterfaceRole = 'loopback' | 'uplink' | 'pod' | 'ipvs-dummy' | 'tunnel' | 'bridge' | 'other';

export interface SysctlValue {
  readonly value: number;
  /** True when the snapshot has no value and the kernel/distribution default is used. */
  readonly assumed: boolean;
  /** e.g. "net.ipv4.conf.all.rp_filter=1 (assumed: no sysctl dump; most distributions set 1)". */
  readonly text: string;
}

export type SysctlName = 'rp_filter' | 'route_localnet' | 'ip_forward' | 'accept_local' | 'vs_conntrack';

/** A real server of an IPVS virtual service. */
export interface IpvsBackend {
  readonly address: bigint;
  readonly port: number | null;
  readonly forward: 'masq' | 'route' | 'tunnel' | 'local' | 'bypass';
  readonly weight: number;
  readonly text: string;
}

export interface IpvsService {
  readonly text: string;
  readonly scheduler: string;
  readonly backends: readonly IpvsBackend[];
}

/** ipset membership, answered by the ipset model; 'unknown' when the set's contents are not in the dump. */
export type SetAnswer = boolean | 'unknown';

export interface IpsetView {
  /** null when there is no ipset dump at all. */
  readonly known: boolean;
  exists(name: string): boolean;
  /** Whether a concrete packet is in the set, for the `src`/`dst` flags of each dimension. */
  test(name: string, packet: ConcretePacket, flags: readonly ('src' | 'dst')[]): SetAnswer;
  /**
   * For a one-dimensional address set (hash:ip, hash:net): the addresses it holds, so a class can
   * be split exactly; null for other types.
   */
  addressSet(name: string): IntervalSet | null;
}

export interface ConcretePacket {
  readonly family: Family;
  readonly src: bigint;
  readonly dst: bigint;
  readonly proto: 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6';
  readonly sport: number;
  readonly dport: number;
  readonly inIface: string | null;
  readonly outIface: string | null;
  readonly mark: number;
}

export interface NodeFacts {
  readonly family: Family;
  readonly ruleset: Ruleset | null;
  /** Whether the node's own addresses are known (an `ip addr` dump or --local-ip). */
  readonly localKnown: boolean;
  /** Is this one of the node's addresses? 'unknown' when no dump says. */
  isLocal(address: bigint): boolean | 'unknown';
  /** All of the node's addresses as a set (null when unknown), for splitting classes on addrtype. */
  localSet(): IntervalSet | null;
  /** The interface a local address is bound to (kube-ipvs0, eth0, …). */
  localInterface(address: bigint): string | null;
  /** First address of an interface (what MASQUERADE takes), when known. */
  primaryAddress(iface: string): bigint | null;
  interfaceRole(iface: string): InterfaceRole;
  /** Whether an interface is known to exist; 'unknown' without an ip addr dump. */
  hasInterface(iface: string): boolean | 'unknown';
  /** The main-table route for a destination. */
  route(dst: bigint): RouteDecision;
  /** The interface packets to `address` leave by (for rp_filter's reverse path and origin defaults). */
  routeIface(address: bigint): string | null | 'unknown';
  sysctl(name: SysctlName, iface?: string | null): SysctlValue;
  readonly ipsets: IpsetView;
  /** Whether an IPVS table was given. */
  readonly ipvsKnown: boolean;
  ipvsService(proto: 'tcp' | 'udp' | 'sctp', vip: bigint, port: number): IpvsService | null;
  ipvsFwmarkService(mark: number): IpvsService | null;
  /** The interface a pod-origin packet from `src` arrives on (its veth/bridge), when known. */
  podInterface(src: bigint): string | null;
  /** The uplink external packets arrive on (the default route's device). */
  uplink(): string | null;
  /** The kube-proxy masquerade bit (from KUBE-MARK-MASQ), default 0x4000. */
  readonly masqueradeBit: number;
}

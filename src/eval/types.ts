/**
 * The evaluator's data: what is traced (a probe: one packet or a class of packets), what it
 * carries through the hooks (a packet state), and what comes out (paths with their conditions,
 * probability, steps and final tuple).
 */
import type { SourceRef } from '../../grammar/source.js';
import type { Family } from '../model/values/address.js';
import type { TableName } from '../model/iptables/types.js';
import type { IntervalSet } from './interval-set.js';

/** Where the first packet of the connection comes from. */
export type Origin = 'pod' | 'host' | 'external';

export type L4Protocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6';

/** NEW: the first packet of a connection (NAT chains are consulted); ESTABLISHED: a later one (they are not). */
export type ConnState = 'NEW' | 'ESTABLISHED';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export interface Probe {
  readonly origin: Origin;
  readonly family: Family;
  readonly src: IntervalSet;
  readonly dst: IntervalSet;
  readonly proto: L4Protocol;
  readonly sport: IntervalSet;
  readonly dport: IntervalSet;
  /** The interface it arrives on (pod/external); null: derived from the snapshot. */
  readonly inIface: string | null;
  readonly state: ConnState;
  /** Packet mark when it enters (0 unless given). */
  readonly mark: number;
  /** `-m recent --rcheck/--update`: assume the source was seen before (a later connection). */
  readonly assumeHistory: boolean;
}

/** Why a path holds: a fact the snapshot does not give, or a random choice. */
export interface Condition {
  readonly kind:
    | 'unknown-module'
    | 'unknown-target'
    | 'undecidable-match'
    | 'ipset-missing'
    | 'local-addresses-unknown'
    | 'interface-unknown'
    | 'random'
    | 'history'
    | 'rate'
    | 'route-unknown'
    | 'sysctl-assumed'
    | 'ipvs'
    | 'userspace';
  /** Human-readable, e.g. "KUBE-LOAD-BALANCER-LOCAL holds 10.0.0.9,tcp:80 (no ipset dump)". */
  readonly text: string;
  /** The rule that raised it, when one did. */
  readonly at: SourceRef | null;
}

/** One thing that happened to the packet. */
export interface Step {
  readonly hook: Hook | 'routing' | 'ipvs' | 'origin' | 'delivery';
  readonly table: TableName | null;
  readonly chain: string | null;
  /** 1-based rule index; null for a chain's policy or a non-rule event. */
  readonly rule: number | null;
  readonly at: SourceRef | null;
  readonly comment: string | null;
  /** What it did: "jump KUBE-SVC-…", "DNAT to 10.244.1.5:8080", "policy ACCEPT", "routed to eth0 via 10.0.0.1". */
  readonly effect: string;
}

export type Disposition = 'local' | 'local-pod' | 'egress' | 'drop' | 'reject';

export interface NatRecord {
  /** `ip:port` or `ip` (ports unchanged). */
  readonly to: string;
  readonly at: SourceRef | null;
}

export interface SnatRecord extends NatRecord {
  readonly kind: 'masquerade' | 'snat';
}

/** One outcome of a trace, for the sub-class of packets it holds for. */
export interface TracePath {
  readonly probability: number;
  readonly conditions: readonly Condition[];
  /** The packets (as they entered) this path holds for. */
  readonly packet: PacketClassView;
  readonly steps: readonly Step[];
  readonly disposition: Disposition;
  readonly egress: { readonly iface: string } | null;
  /** The tuple after NAT. */
  readonly final: PacketClassView;
  readonly dnat: NatRecord | null;
  readonly snat: SnatRecord | null;
  /** True when the kube-proxy masquerade bit (0x4000 unless the rules show another) was set on the way. */
  readonly masqueradeMark: boolean;
  /** The reason for drop/reject, in words. */
  readonly reason: string | null;
}

/** A packet class as text: `10.244.1.5`, `10.0.0.0/8 + 2 more`, `any`. */
export interface PacketClassView {
  readonly src: string;
  readonly sport: string;
  readonly dst: string;
  readonly dport: string;
  readonly proto: L4Protocol;
}

export interface TraceResult {
  readonly probe: Probe;
  readonly paths: readonly TracePath[];
  /** Paths not explored because the cap was reached, and their total probability. */
  readonly omitted: { readonly paths: number; readonly probability: number };
  /** Facts assumed because the snapshot does not hold them (sysctl defaults, …). */
  readonly assumptions: readonly string[];
}

/**
 * Types of the kernel test harness: the network namespaces it builds, the rules it loads, the
 * packets it sends and what it saw the kernel do with them. The functions live in netns.ts,
 * topology.ts, rules.ts, probe.ts and interpret.ts; docs/kernel-tests.md explains the design.
 */
import type { Family } from '../../../src/model/values/address.js';

export type { Family };

/** Which iptables binaries load the rules: `iptables-nft-restore` or `iptables-legacy-restore`. */
export type Backend = 'nft' | 'legacy';

export type Protocol = 'tcp' | 'udp';

/** Where a probe starts (the three origins). */
export type Origin =
  /** A process in a pod namespace: arrives at the node on the pod's veth, then PREROUTING. */
  | 'pod'
  /** A process in the node namespace itself: OUTPUT, then POSTROUTING. */
  | 'host'
  /** A process in the upstream namespace: arrives on the node's uplink `eth0`, then PREROUTING. */
  | 'external';

/**
 * Names a namespace by the part it plays. `pod:<name>` are pods on the node (behind `cni0`),
 * `remote:<name>` are endpoints on other nodes, reachable through upstream.
 */
export type NamespaceRole = 'node' | 'upstream' | `pod:${string}` | `remote:${string}`;

export type KernelAvailability =
  | {
      readonly ok: true;
      /** iptables backends whose restore command loaded a table in a test namespace. */
      readonly backends: readonly Backend[];
      /** Link types `ip link add` accepted (`dummy` is missing on some minimal kernels). */
      readonly linkTypes: readonly string[];
    }
  | { readonly ok: false; readonly why: string };

export interface CommandResult {
  readonly argv: readonly string[];
  /** Exit status; null when the command was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the harness killed it after its time limit. */
  readonly timedOut: boolean;
}

export interface ExecOptions {
  /** Written to the command's standard input, which is then closed. */
  readonly input?: string;
  /** Killed (SIGKILL) after this long; default 15 s. */
  readonly timeoutMs?: number;
  /** Environment variables to leave out (e.g. NODE_OPTIONS for a child `node`). */
  readonly dropEnv?: readonly string[];
}

/** A network namespace the harness created, and the way to run commands in it. */
export interface Netns {
  readonly name: string;
  /** `ip netns exec NAME argv…`; never rejects (look at `code`). */
  exec(argv: readonly string[], options?: ExecOptions): Promise<CommandResult>;
  /** Same, but rejects with the command line and its stderr when the exit status is not 0. */
  run(argv: readonly string[], options?: ExecOptions): Promise<string>;
  /** `ip -n NAME args…` (cheaper than exec for iproute2), rejecting on failure. */
  ip(args: readonly string[]): Promise<string>;
}

/** A rules snapshot as the node would have it: each part optional. */
export interface RuleSnapshot {
  /** `ipset save` text, loaded with `ipset restore` before the iptables parts. */
  readonly ipset?: string;
  /** `iptables-save` text (IPv4). */
  readonly iptables?: string;
  /** `ip6tables-save` text. */
  readonly ip6tables?: string;
}

export interface PodSpec {
  /** Short name: the namespace role is `pod:<name>`. */
  readonly name: string;
  /** IPv4 address inside the pod bridge's subnet (no prefix). */
  readonly address: string;
  /** IPv6 address inside the bridge's IPv6 subnet; none when absent. */
  readonly address6?: string;
}

export interface RemoteSpec {
  /** Short name: the namespace role is `remote:<name>`. */
  readonly name: string;
  /** Addresses (either family, no prefix) the remote namespace owns, routed to it by upstream. */
  readonly addresses: readonly string[];
}

export interface LocalAddressSpec {
  /** Interface name, e.g. `kube-ipvs0`. Created in the node namespace. */
  readonly iface: string;
  /** Addresses with or without prefix (`10.96.0.10/32`); a bare address gets /32 or /128. */
  readonly addresses: readonly string[];
  /** Bring the link up; default false, as kube-proxy leaves `kube-ipvs0` down. */
  readonly up?: boolean;
}

export interface UplinkSpec {
  /** The node's `eth0` address with prefix; default 10.0.0.11/24. */
  readonly address?: string;
  /** Upstream's address on the same link, the node's default gateway; default 10.0.0.1. */
  readonly gateway?: string;
  /** IPv6 counterparts; default fd00:10::11/64 via fd00:10::1. null: no IPv6 on the uplink. */
  readonly address6?: string | null;
  readonly gateway6?: string;
}

export interface PodBridgeSpec {
  /** `cni0`'s address with prefix (the pods' gateway); default 10.244.1.1/24. */
  readonly address?: string;
  /** default fd00:10:244:1::1/64; null: no IPv6 on the bridge. */
  readonly address6?: string | null;
  /**
   * Hairpin mode on the pods' bridge ports (a frame may leave by the port it came in), as the
   * bridge CNI plugin's `hairpinMode: true` (flannel's default config) sets it; default true.
   * Without it a pod cannot reach itself through a Service: the bridge drops the DNATed frame.
   */
  readonly hairpin?: boolean;
}

export interface TopologyOptions {
  /** Names the namespaces `iptl-<area>-<pid>-<n>`: lowercase letters, digits, dashes. */
  readonly area: string;
  /** iptables backend for `load`; default 'nft'. */
  readonly backend?: Backend;
  readonly uplink?: UplinkSpec;
  readonly podBridge?: PodBridgeSpec;
  /** Pods on the node; default one pod `pod` at 10.244.1.5 / fd00:10:244:1::5. */
  readonly pods?: readonly PodSpec[];
  /** Endpoints on other nodes, behind upstream; default none. */
  readonly remotes?: readonly RemoteSpec[];
  /** Extra local interfaces with addresses in the node, e.g. kube-proxy's `kube-ipvs0` /32s. */
  readonly extraLocalAddresses?: readonly LocalAddressSpec[];
  /**
   * Prefixes upstream routes to the node besides the pod subnets (so `external` probes can reach
   * Service or load-balancer addresses); default the Service ranges 10.96.0.0/12, fd00:10:96::/112.
   */
  readonly routesViaNode?: readonly string[];
  /** Node sysctls set after the defaults (docs/kernel-tests.md lists them), e.g. route_localnet. */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** Rules loaded after the namespaces are wired (see Topology.load). */
  readonly rules?: RuleSnapshot;
}

export interface PodLayout {
  readonly name: string;
  readonly role: NamespaceRole;
  readonly address: string;
  readonly address6: string | null;
  /** The node-side end of the pod's veth, enslaved to `cni0`. */
  readonly hostIface: string;
}

export interface RemoteLayout {
  readonly name: string;
  readonly role: NamespaceRole;
  readonly addresses: readonly string[];
  /** Upstream's end of the link to this remote. */
  readonly upstreamIface: string;
}

/** What was built: every name and address a test or the interpreter needs. */
export interface TopologyLayout {
  readonly uplink: {
    readonly iface: string;
    readonly address: string;
    readonly gateway: string;
    readonly address6: string | null;
    readonly gateway6: string | null;
  };
  readonly podBridge: { readonly iface: string; readonly address: string; readonly address6: string | null; readonly hairpin: boolean };
  readonly pods: readonly PodLayout[];
  readonly remotes: readonly RemoteLayout[];
  readonly extraLocal: readonly LocalAddressSpec[];
  /** Node interfaces a packet leaves by when it goes to a pod on this node. */
  readonly localPodIfaces: readonly string[];
  /** Node sysctls as applied, defaults and options together. */
  readonly sysctls: Readonly<Record<string, string>>;
}

export interface Topology {
  readonly area: string;
  readonly backend: Backend;
  readonly layout: TopologyLayout;
  readonly node: Netns;
  readonly upstream: Netns;
  readonly pods: ReadonlyMap<string, Netns>;
  readonly remotes: ReadonlyMap<string, Netns>;
  /** Things the harness had to do differently on this kernel (e.g. no `dummy` link type). */
  readonly notes: readonly string[];
  namespace(role: NamespaceRole): Netns | undefined;
  /** Every namespace with its role, node first. */
  roles(): ReadonlyArray<readonly [NamespaceRole, Netns]>;
  /** `ipset restore`, then `iptables-restore` / `ip6tables-restore` of the chosen backend. */
  load(rules: RuleSnapshot): Promise<void>;
  /** Stops helper processes and deletes the namespaces; safe to call twice. */
  destroy(): Promise<void>;
}

/** One packet to send. Ports are TCP/UDP ports; the family follows `dst`. */
export interface ProbePacket {
  readonly origin: Origin;
  /** Which pod sends when origin is 'pod'; default the first pod. */
  readonly pod?: string;
  readonly protocol: Protocol;
  /**
   * Source address to bind. Default: the pod's address, upstream's uplink address, or (host) the
   * kernel's choice. For 'pod'/'external' an address the namespace lacks is added to its `lo`.
   */
  readonly src?: string;
  /** Source port; default a fresh one per probe. */
  readonly sport?: number;
  readonly dst: string;
  readonly dport: number;
  /** How long the sender waits for an answer, in ms; default 700, at most 1500. */
  readonly waitMs?: number;
}

export type Disposition =
  /** Accepted by the node's INPUT path (delivered to its local stack). */
  | 'local'
  /** Left the node on an interface that does not lead to a local pod. */
  | 'egress'
  /** Left the node towards a pod on this node. */
  | 'local-pod'
  /** Went nowhere and the sender heard nothing (or its own OUTPUT refused it: EPERM). */
  | 'drop'
  /** Went nowhere and the sender got an ICMP error or a TCP reset. */
  | 'reject';

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** A TCP/UDP flow as addresses and ports (IPv6 in compressed form). */
export interface FlowTuple {
  readonly protocol: Protocol;
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
}

/** Observer stages: where in the node's (or a leaf's) netfilter path a packet was recorded. */
export type ObservationStage =
  /** PREROUTING, priority -450 (before raw and conntrack): the packet as it arrived. */
  | 'arrived'
  /** OUTPUT, priority -450: the packet as a local process sent it. */
  | 'sent'
  /** INPUT, priority -500: routed to a local address, after DNAT, before mangle/filter INPUT. */
  | 'routed-in'
  /** FORWARD, priority -500: routed through, after DNAT, before mangle/filter FORWARD. */
  | 'routed-through'
  /** OUTPUT, priority -50: after nat OUTPUT (DNAT and re-route), before filter OUTPUT. */
  | 'routed-out'
  /** INPUT, priority 1000: accepted by every INPUT chain. */
  | 'delivered'
  /** POSTROUTING, priority 1000: after SNAT/MASQUERADE, handed to the interface. */
  | 'left';

export interface Observation {
  readonly ns: NamespaceRole;
  readonly stage: ObservationStage;
  /** Input interface for arrived/routed-in/delivered, output for the others; '?' if not listed. */
  readonly iface: string;
  readonly flow: FlowTuple;
}

/** An ICMP error or TCP reset that reached the origin namespace. */
export type RejectSignal =
  | {
      readonly kind: 'icmp';
      readonly family: Family;
      readonly from: string;
      /** As nft names them (`destination-unreachable`) or the number when it has no name. */
      readonly type: string | number;
      readonly code: string | number;
    }
  | { readonly kind: 'tcp-reset'; readonly from: Endpoint; readonly to: Endpoint };

/** What the sending process saw. */
export type SenderOutcome =
  | { readonly kind: 'connected'; readonly local: Endpoint }
  | { readonly kind: 'answered'; readonly local: Endpoint }
  /** ECONNREFUSED: a TCP reset or ICMP port-unreachable. */
  | { readonly kind: 'refused'; readonly code: string }
  /** EHOSTUNREACH, ENETUNREACH, EACCES…: another ICMP error. */
  | { readonly kind: 'unreachable'; readonly code: string }
  /** EPERM: the node's own OUTPUT path dropped it (netfilter returns -EPERM to the socket). */
  | { readonly kind: 'blocked-locally'; readonly code: string }
  /** TCP: no answer within the wait. */
  | { readonly kind: 'timeout' }
  /** UDP: no answer and no error within the wait. */
  | { readonly kind: 'no-answer' }
  /** The probe could not be sent (bad bind address, …): a harness or test error. */
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

/** Which way a conntrack event went (`conntrack -E`): [NEW], [UPDATE], [DESTROY]. */
export type ConntrackEventKind = 'new' | 'update' | 'destroy';

/** One side of a conntrack entry; ports for TCP/UDP/SCTP/DCCP, type/code/id for ICMP. */
export interface ConntrackTuple {
  readonly src: string;
  readonly dst: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly type?: number;
  readonly code?: number;
  readonly id?: number;
}

/** A line of `conntrack -L` or `conntrack -E`, read by conntrack.ts. */
export interface ConntrackEntry {
  readonly event: ConntrackEventKind | null;
  /** `ipv4`/`ipv6` in extended output (`-o extended`), else null. */
  readonly l3: string | null;
  readonly protocol: string;
  readonly protocolNumber: number;
  readonly timeout: number | null;
  /** TCP/SCTP/DCCP state (`SYN_SENT`), else null. */
  readonly state: string | null;
  readonly original: ConntrackTuple;
  readonly reply: ConntrackTuple;
  /** `UNREPLIED`, `ASSURED`, `USERSPACE`, … without brackets. */
  readonly flags: readonly string[];
  /** Other key=value fields: mark, use, zone, portid, … */
  readonly extras: Readonly<Record<string, string>>;
}

/** A line of conntrack output the grammar could not read, and why. */
export interface UnreadableLine {
  /** 0-based line number in the text given. */
  readonly line: number;
  readonly text: string;
  readonly why: string;
}

/** Everything the probe recorded, for a test's failure message or a closer look. */
export interface ProbeEvidence {
  readonly origin: NamespaceRole;
  /** What the sender asked for (src is absent when the kernel chose it). */
  readonly sent: { readonly protocol: Protocol; readonly src?: string; readonly sport: number; readonly dst: string; readonly dport: number };
  readonly sender: SenderOutcome;
  /** Every observer record in every namespace. */
  readonly observations: readonly Observation[];
  /** ICMP errors and resets that reached the origin namespace. */
  readonly signals: readonly RejectSignal[];
  /** The node's conntrack events for this flow, in order. */
  readonly conntrackEvents: readonly ConntrackEntry[];
  /** The node's conntrack event lines during the probe, as printed. */
  readonly conntrackText: string;
  /** Lines of conntrackText the grammar could not read (none expected; kept, not dropped). */
  readonly conntrackUnreadable: readonly UnreadableLine[];
  /** Time spent resetting and marking, in the sender, and collecting. */
  readonly timings: { readonly prepareMs: number; readonly sendMs: number; readonly collectMs: number };
}

export interface ProbeResult {
  readonly disposition: Disposition;
  /** The node interface the packet left by (egress, local-pod). */
  readonly egressIface?: string;
  /** Leaf namespaces the packet reached, upstream first. */
  readonly reached: readonly NamespaceRole[];
  /** The DNAT destination; null when none was applied; absent when it could not be seen. */
  readonly dnat?: Endpoint | null;
  /** The SNAT source; null when none was applied; absent when the packet never got that far. */
  readonly snat?: Endpoint | null;
  /** The node's conntrack entry; null when the kernel never confirmed one (dropped, rejected). */
  readonly conntrack: { readonly original: FlowTuple; readonly reply: FlowTuple } | null;
  readonly raw: ProbeEvidence;
}

/** Result of loading a file into a fresh namespace and saving it back. */
export type RoundTripResult =
  | { readonly ok: true; readonly saved: string; readonly stderr: string }
  | { readonly ok: false; readonly step: 'ipset-restore' | 'restore' | 'save'; readonly stderr: string };

export interface RestoreOptions {
  readonly family?: Family;
  readonly backend?: Backend;
  /** `ipset save` text restored first, for rules that use `-m set`. */
  readonly ipset?: string;
}

/**
 * `iptlens diff`: what two node snapshots differ in, structurally (tables, chains, rules, ipsets,
 * IPVS, local addresses, routes, sysctls) and behaviourally (the probes whose traced outcome
 * differs, with the first step where the two paths part). Types first (house rule 2); the
 * functions over them: structural.ts (rules: rules.ts; node facts: node-facts.ts), probes.ts,
 * reach.ts (which probes a difference can reach), behavioural.ts, and index.ts `diffNodes`.
 *
 * Sides: `a` is the first node given, `b` the second. "Only on A" is what a text diff calls
 * removed, "only on B" added.
 */
import type { SourceRef } from '../../grammar/source.js';
import type { Disposition, L4Protocol, Origin, Probe, Step, TraceResult } from '../eval/types.js';
import type { TableName } from '../model/iptables/types.js';
import type { MissingFact } from '../model/node.js';
import type { Cidr, Family } from '../model/values/address.js';

export type Side = 'a' | 'b';

/** Something on one node, as written there, and where. */
export interface Cited {
  /** The line as written (a rule without its counters, a set member, a route, …). */
  readonly text: string;
  readonly at: SourceRef | null;
}

/** What a change is filed under in the report: its Kubernetes Service when it has one. */
export type ChangeGroup =
  | { readonly kind: 'service'; readonly key: string; readonly label: string }
  | { readonly kind: 'chain'; readonly family: Family; readonly table: TableName; readonly chain: string }
  | { readonly kind: 'ipset'; readonly set: string }
  | { readonly kind: 'ipvs' }
  | { readonly kind: 'addresses' }
  | { readonly kind: 'routes' }
  | { readonly kind: 'sysctls' }
  | { readonly kind: 'inputs' };

/** Where a rule change is. */
export interface ChainPlace {
  readonly family: Family;
  readonly table: TableName;
  /** The chain's name on A (on B for a chain only B has). */
  readonly chain: string;
}

interface ChangeBase {
  readonly group: ChangeGroup;
  /**
   * False for what cannot change a packet's fate: a comment, a KUBE-SEP- chain named differently
   * for the same endpoint. Counters are never compared at all.
   */
  readonly matters: boolean;
}

/** One structural difference. A closed union: every renderer switches over `kind`. */
export type StructuralChange = ChangeBase &
  (
    | { readonly kind: 'ruleset-only'; readonly family: Family; readonly side: Side; readonly tables: number }
    | { readonly kind: 'table-only'; readonly family: Family; readonly table: TableName; readonly side: Side; readonly at: SourceRef }
    | { readonly kind: 'chain-only'; readonly place: ChainPlace; readonly side: Side; readonly rules: readonly Cited[]; readonly at: SourceRef }
    | {
        readonly kind: 'policy';
        readonly place: ChainPlace;
        readonly a: 'ACCEPT' | 'DROP' | null;
        readonly b: 'ACCEPT' | 'DROP' | null;
        readonly aAt: SourceRef;
        readonly bAt: SourceRef;
      }
    /** A rule only one node has (after aligning the chain by meaning). `index` is 1-based on its side. */
    | { readonly kind: 'rule-only'; readonly place: ChainPlace; readonly side: Side; readonly index: number; readonly rule: Cited }
    /** The same rule at another place in the order (it can change which rule wins). */
    | { readonly kind: 'rule-moved'; readonly place: ChainPlace; readonly aIndex: number; readonly bIndex: number; readonly a: Cited; readonly b: Cited }
    /** The same rule with another `-m comment` (does not matter). */
    | { readonly kind: 'rule-comment'; readonly place: ChainPlace; readonly aIndex: number; readonly bIndex: number; readonly a: Cited; readonly b: Cited }
    /** KUBE-SEP- chains paired by their endpoint though their names differ (does not matter). */
    | { readonly kind: 'chain-renamed'; readonly family: Family; readonly table: TableName; readonly a: string; readonly b: string; readonly endpoint: string }
    | { readonly kind: 'ipset-only'; readonly set: string; readonly side: Side; readonly members: number; readonly at: SourceRef }
    | { readonly kind: 'ipset-type'; readonly set: string; readonly a: string; readonly b: string; readonly aAt: SourceRef; readonly bAt: SourceRef }
    /** Members one node's set holds and the other's does not. */
    | { readonly kind: 'ipset-members'; readonly set: string; readonly onlyA: readonly Cited[]; readonly onlyB: readonly Cited[] }
    | { readonly kind: 'ipvs-service-only'; readonly service: string; readonly side: Side; readonly realServers: readonly Cited[]; readonly at: SourceRef }
    /** Scheduler, persistence or flags of a virtual service both nodes have. */
    | { readonly kind: 'ipvs-service-settings'; readonly service: string; readonly a: string; readonly b: string; readonly aAt: SourceRef; readonly bAt: SourceRef }
    | {
        readonly kind: 'ipvs-real-servers';
        readonly service: string;
        readonly onlyA: readonly Cited[];
        readonly onlyB: readonly Cited[];
        /** Same real server, another weight or forwarding method. */
        readonly changed: readonly { readonly server: string; readonly a: Cited; readonly b: Cited }[];
      }
    /** Addresses one node holds (on this interface) and the other does not: what kube-ipvs0 holds, above all. */
    | { readonly kind: 'local-addresses'; readonly iface: string; readonly onlyA: readonly Cited[]; readonly onlyB: readonly Cited[] }
    | { readonly kind: 'route-only'; readonly side: Side; readonly route: Cited }
    | { readonly kind: 'sysctl'; readonly key: string; readonly a: Cited | null; readonly b: Cited | null }
    /** One node's files lack a whole kind of input the other has. */
    | { readonly kind: 'input-only'; readonly what: MissingFact['what']; readonly side: Side }
  );

export type StructuralKind = StructuralChange['kind'];

// ---- behaviour ----

/** Which Service address a probe is sent to. */
export type ProbeTarget = 'cluster-ip' | 'external-ip' | 'load-balancer-ip' | 'node-port';

/** Where a probe's packet comes from: a pod, a local process, an outside host, or any source (a class). */
export type ProbeSource = 'pod' | 'host' | 'external' | 'any';

/** One probe, as each node is asked it (the pod source and node address are each node's own). */
export interface DiffProbe {
  /** `pod → 10.0.0.100:80/tcp` */
  readonly id: string;
  readonly origin: Origin;
  readonly source: ProbeSource;
  readonly target: ProbeTarget;
  readonly proto: L4Protocol;
  readonly family: Family;
  /** The destination port (the NodePort for `node-port`). */
  readonly port: number;
  /** The destination as A is asked it (A's node address for `node-port`). */
  readonly address: string;
  /** The Service port it belongs to, by catalogue key; null when none does. */
  readonly service: { readonly key: string; readonly label: string } | null;
  readonly a: Probe;
  readonly b: Probe;
}

/** One outcome of a trace, in terms that compare across nodes (the node's own addresses named). */
export interface PathOutcome {
  readonly disposition: Disposition;
  /** `ip:port` after renaming B's own addresses to A's; null without DNAT. */
  readonly dnat: string | null;
  /** `to` is `the node` for any of the node's own addresses. */
  readonly snat: { readonly kind: 'masquerade' | 'snat'; readonly to: string } | null;
  /**
   * The role of the interface it leaves by (`uplink`, `pod`, `tunnel`, …); `endpoint` for a
   * packet DNATed to a pod of either node's pod prefix (local on one, remote on the other); null
   * when it does not leave.
   */
  readonly egress: string | null;
  /**
   * Which of the entering packets it holds for, as text (`… ` when several parts of a class
   * probe share the outcome). Shown, not compared.
   */
  readonly packets: string;
  /**
   * For one packet, the sum over its paths with this outcome (random choices), rounded to 1e-6;
   * for a class probe, the largest of them (its parts each have their own).
   */
  readonly probability: number;
}

export interface SideTrace {
  readonly result: TraceResult;
  /** The path shown (the first whose outcome the other node does not have, else the likeliest). */
  readonly path: number;
  readonly outcomes: readonly PathOutcome[];
}

/** Where the shown paths part: the first step that is not the same on both. */
export interface FirstDifference {
  /** 0-based step index into both paths' steps (the steps before it are the same). */
  readonly index: number;
  /** The step on each side there; null when that path has ended. */
  readonly a: Step | null;
  readonly b: Step | null;
  /** Facts behind the divergence: "A's KUBE-LOAD-BALANCER-LOCAL holds 10.0.0.100,tcp:80; B's does not". */
  readonly reasons: readonly string[];
}

export interface BehaviouralDifference {
  readonly probe: DiffProbe;
  readonly a: SideTrace;
  readonly b: SideTrace;
  readonly firstDifference: FirstDifference;
}

/** How far the behavioural comparison went. */
export interface ProbeCoverage {
  /** Probes derived from both catalogues. */
  readonly total: number;
  /** Traced on both nodes. */
  readonly traced: number;
  /**
   * Not traced because no structural difference can reach them (reach.ts): their outcome is the
   * same on both nodes by construction. 0 when `exhaustive`.
   */
  readonly unreached: number;
  readonly exhaustive: boolean;
  /** Why every probe had to be traced (a difference every packet can meet); null when pruning applied. */
  readonly everyProbeBecause: string | null;
  /** Probes that could not be formed on a node, and why ("no pod network known on B"). */
  readonly skipped: readonly { readonly what: string; readonly why: string }[];
}

/** The node's own addresses that play the same role on both nodes. */
export interface NodeIdentity {
  readonly name: string;
  readonly nodeIp: string | null;
  readonly podCidr: string | null;
  /** The pod address probes come from. */
  readonly podSource: string | null;
}

/** Things the report states about the comparison itself. */
export type DiffNote =
  | { readonly kind: 'counters-ignored' }
  | { readonly kind: 'comments-ignored'; readonly rules: number }
  | { readonly kind: 'identity-matched'; readonly what: string; readonly a: string; readonly b: string }
  | { readonly kind: 'input-errors'; readonly side: Side; readonly errors: number }
  | { readonly kind: 'paths-omitted'; readonly probes: number };

export interface DiffResult {
  readonly a: NodeIdentity;
  readonly b: NodeIdentity;
  /** No structural change that matters and no behavioural difference. */
  readonly equivalent: boolean;
  /** In report order: by group (Services first), then by place. */
  readonly structural: readonly StructuralChange[];
  readonly behavioural: readonly BehaviouralDifference[];
  readonly coverage: ProbeCoverage;
  readonly notes: readonly DiffNote[];
}

/** Facts a snapshot may lack, given on the command line (per node). */
export interface NodeHints {
  /** The node's primary address (`--a-node-ip`). */
  readonly nodeIp?: Cidr;
  /** The node's pod prefix (`--a-pod-cidr`). */
  readonly podCidr?: Cidr;
}

export interface DiffOptions {
  readonly a?: NodeHints;
  readonly b?: NodeHints;
  /** Trace every probe, even those no difference can reach (slow on large nodes; same answer). */
  readonly exhaustive?: boolean;
  /** Path cap per trace (as `iptlens trace --max-paths`); 512 by default. */
  readonly maxPaths?: number;
  /**
   * Match each node's own address, pod-bridge address and pod prefix to the other's (default
   * true): two nodes of one cluster then compare equal where they only differ by who they are.
   */
  readonly matchIdentity?: boolean;
}

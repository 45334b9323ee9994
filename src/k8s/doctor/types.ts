/**
 * `iptlens doctor`: checks over one or several node snapshots, each reporting findings with a
 * severity, the Services they touch, evidence lines and text a support engineer can paste.
 * Types first (house rule 2); the checks are one file each under `checks/` (ESLint rule modules:
 * data `meta` plus a pure `run`), listed in index.ts and run by run.ts over a context built once
 * by context.ts.
 */
import type { Severity } from '../../../grammar/diagnostics.js';
import type { SourceRef } from '../../../grammar/source.js';
import type { NodeFacts } from '../../eval/facts.js';
import type { L4Protocol, Origin, TraceResult } from '../../eval/types.js';
import type { ChainGraph } from '../../graph/chain-graph.js';
import type { Ruleset } from '../../model/iptables/types.js';
import type { NodeSnapshot } from '../../model/node.js';
import type { Family } from '../../model/values/address.js';
import type { LbModel } from '../loopback/types.js';
import type { ServiceCatalogue, ServicePort } from '../types.js';

export type { Severity } from '../../../grammar/diagnostics.js';

/** Severities from the most to the least serious; `--fail-on` and sorting use this order. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/**
 * What a check reads from a node's files. The runner lists, per node, the checks that could not
 * look because one is missing, so "no finding" is never mistaken for "checked and fine".
 */
export type Requirement =
  /** An iptables-save (or ip6tables-save) dump. */
  | 'iptables'
  /** An `ipset save` / `ipset list` dump. */
  | 'ipsets'
  /** An `ipvsadm -Ln` / `-Sn` dump. */
  | 'ipvs'
  /** `ip addr`: the node's interfaces and addresses. */
  | 'interfaces'
  /** `ip route`: where packets leave, the pod network. */
  | 'routes'
  /** A sysctl dump. */
  | 'sysctls'
  /** kube-proxy rules (iptables or IPVS mode) on the node. */
  | 'kube-proxy'
  /** The bundles of two nodes or more. */
  | 'several-nodes';

/** The words of one finding. */
export interface FindingText {
  /** One line: what is wrong, with the Service or address. */
  readonly title: string;
  /** What happens to packets and why (kernel / kube-proxy behaviour), in a few sentences. */
  readonly explanation: string;
  /** What to do about it. */
  readonly remediation: string;
}

/** The wording of one kind of finding, rendered from its arguments (as the diagnostics catalogue does). */
export type FindingMessage<A extends readonly unknown[] = any[]> = (...args: A) => FindingText;

export interface CheckMeta<M extends Record<string, FindingMessage<any>> = Record<string, FindingMessage<any>>> {
  /** Stable, kebab-case; the name of the check's file and of its docs page. */
  readonly id: string;
  /** The severity of its findings unless a finding says otherwise (documented on the check's page). */
  readonly severity: Severity;
  readonly title: string;
  /** The check's page: what it means, why, an example a test runs, remediation. */
  readonly docs: string;
  readonly requires: readonly Requirement[];
  /** The wording of each kind of finding, by message id. */
  readonly messages: M;
}

/** One check: data plus a pure function of the context (ESLint rule module shape). */
export interface DoctorCheck<M extends Record<string, FindingMessage<any>> = Record<string, FindingMessage<any>>> {
  readonly meta: CheckMeta<M>;
  run(ctx: DoctorContext): readonly Finding[];
}

/** A line that supports a finding. Positions stay SourceRefs; src/report turns them into file:line. */
export interface FindingEvidence {
  readonly at: SourceRef;
  /** What the line shows, in a few words ("RETURN: the LB IP is in KUBE-LOAD-BALANCER-LOCAL"). */
  readonly note: string;
}

export interface Finding {
  /** The check's id. */
  readonly id: string;
  /** Which of the check's messages. */
  readonly messageId: string;
  readonly severity: Severity;
  readonly title: string;
  /** The node it was found on; null for a finding about several nodes together. */
  readonly node: string | null;
  /** Service ports it touches: `namespace/name:port` when named, else the catalogue key (`10.96.0.10:53/udp`). */
  readonly services: readonly string[];
  readonly evidence: readonly FindingEvidence[];
  readonly explanation: string;
  readonly remediation: string;
}

/** A packet the checks trace: one concrete connection's first packet. */
export interface ProbeSpec {
  readonly origin: Origin;
  readonly family: Family;
  readonly src: bigint;
  readonly dst: bigint;
  readonly proto: Extract<L4Protocol, 'tcp' | 'udp' | 'sctp'>;
  readonly dport: number;
}

/** An address the checks use as a packet's source, and whether the node's files show it. */
export interface ChosenAddress {
  readonly address: bigint;
  readonly text: string;
  /** Where it came from, for explanations ("an unused address of this node's pod network 10.244.1.0/24"). */
  readonly why: string;
}

/** One node as the checks see it: the snapshot and what is derived from it once, shared by every check. */
export interface NodeContext {
  readonly snapshot: NodeSnapshot;
  readonly name: string;
  readonly catalogue: ServiceCatalogue;
  /** The node's iptables rulesets that were given (IPv4 first). */
  readonly rulesets: readonly Ruleset[];
  /** The chain graph of a ruleset of this node (built on first use, then shared). */
  graph(ruleset: Ruleset): ChainGraph;
  facts(family: Family): NodeFacts;
  /** The evaluator's trace of a probe on this node (memoised: checks ask for the same packets). */
  trace(probe: ProbeSpec): TraceResult;
  /** A source address for a pod on this node; null when the files show no pod network. */
  podAddress(family: Family): ChosenAddress | null;
  /** The node's own address on its uplink (what a LoadBalancer forwards to); null when unknown. */
  nodeAddress(family: Family): ChosenAddress | null;
  /** The label of a Service port (`web/frontend:http`, or its key). */
  label(service: ServicePort): string;
  /** Labels of the Service ports whose catalogue evidence, or whose rule comment, is this line. */
  servicesAt(at: SourceRef, comment?: string | null): readonly string[];
}

export interface DoctorContext {
  readonly nodes: readonly NodeContext[];
  /** The load balancer model for the cross-node checks (`--lb-model`); null when not given. */
  readonly lbModel: LbModel | null;
}

export interface DoctorOptions {
  /** Ids of the checks to run; all when absent. Unknown ids are reported, not run. */
  readonly checks?: readonly string[];
  readonly lbModel?: LbModel | null;
  /** The checks to choose from: iptlens' own (index.ts) unless a caller brings its own, as ESLint plugins do. */
  readonly registry?: readonly DoctorCheck[];
}

/** A check that could not look at a node because the node's files lack what it reads. */
export interface SkippedCheck {
  readonly check: string;
  readonly node: string;
  readonly missing: readonly Requirement[];
}

/** A check that failed (a bug in iptlens): the other checks' findings still stand. */
export interface FailedCheck {
  readonly check: string;
  readonly message: string;
}

export interface DoctorSummary {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  readonly total: number;
}

export interface DoctorResult {
  readonly nodes: readonly string[];
  /** Ids of the checks that ran, in index order. */
  readonly checks: readonly string[];
  /** `--check` ids that are no check. */
  readonly unknownChecks: readonly string[];
  /** Most serious first, then by check id, node and first Service. */
  readonly findings: readonly Finding[];
  readonly summary: DoctorSummary;
  readonly skipped: readonly SkippedCheck[];
  readonly failed: readonly FailedCheck[];
}

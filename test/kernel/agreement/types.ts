/**
 * The agreement checks' data: a packet asked of both the kernel and the evaluator, the outcome
 * each gives, and the verdict of comparing them. docs/evaluator.md ("Agreement with the kernel")
 * explains how the two sides are made to see the same node.
 */
import type { Family } from '../../../src/model/values/address.js';
import type { TracePath, TraceResult } from '../../../src/eval/types.js';
import type { Disposition, Origin, ProbeResult, Protocol } from '../harness/types.js';

/** One first packet, fully concrete, as both sides are asked about it. */
export interface AgreementPacket {
  readonly origin: Origin;
  readonly family: Family;
  readonly protocol: Protocol;
  /** The source address: the pod's, a node address (host), or an upstream address (external). */
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
}

/**
 * What happened to the packet, reduced to what both sides can say: where it ended, the interface
 * it left by, and the tuple after NAT. Fields the kernel could not see are undefined and are not
 * compared (a packet dropped before conntrack confirmed it has no SNAT, for instance).
 */
export interface ObservedOutcome {
  readonly disposition: Disposition;
  /** The node interface it left by (egress, local-pod). */
  readonly iface?: string;
  /** Destination after DNAT, canonical address text. */
  readonly dst?: string;
  readonly dport?: number;
  /** Source address after SNAT/MASQUERADE, canonical text (the port is the kernel's choice). */
  readonly src?: string;
}

/** A set of values as an inclusive range list; `null` stands for "unknown: anything". */
export interface ValueRange {
  readonly lo: bigint;
  readonly hi: bigint;
}

/** One of the evaluator's paths, as an outcome that may cover several packets (NAT to a range). */
export interface PredictedOutcome {
  readonly disposition: Disposition;
  /** Absent when the path does not leave the node, or leaves by an interface it could not name. */
  readonly iface?: string;
  /** Destination addresses after NAT; null when the evaluator could not narrow them. */
  readonly dst: readonly ValueRange[] | null;
  readonly dport: readonly ValueRange[] | null;
  readonly src: readonly ValueRange[] | null;
  readonly probability: number;
  readonly path: TracePath;
}

/** The comparison of one packet. */
export type Verdict =
  /** The kernel's outcome is one of the predicted paths. */
  | { readonly kind: 'agree'; readonly observed: ObservedOutcome; readonly matched: PredictedOutcome; readonly predicted: readonly PredictedOutcome[] }
  /** No predicted path has the kernel's outcome; `differences` says why for each path. */
  | { readonly kind: 'disagree'; readonly observed: ObservedOutcome; readonly predicted: readonly PredictedOutcome[]; readonly differences: readonly string[] }
  /**
   * Not compared: the evaluator says IPVS takes the packet, and this kernel has no IPVS module
   * (docs/kernel-tests.md), so the kernel cannot show what a real node would do.
   */
  | { readonly kind: 'not-comparable'; readonly why: string };

/** Everything about one packet, kept for the failure message and the summary. */
export interface AgreementRecord {
  readonly packet: AgreementPacket;
  readonly verdict: Verdict;
  readonly trace: TraceResult;
  /** Absent when the kernel was not asked (not comparable), or the send itself failed. */
  readonly kernel?: ProbeResult;
  /** Why there is no kernel evidence although the kernel was asked (the sender's error). */
  readonly kernelNote?: string;
  /** Set when the disagreement is an evaluator bug already reported (see known-bugs.ts). */
  readonly knownBug?: string;
}

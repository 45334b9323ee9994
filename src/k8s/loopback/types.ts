/**
 * The LB-loopback scenario: a client pod on node A calls a LoadBalancer address; the packet may
 * stay on the node (short-circuit), be dropped there (blackhole), or leave for the load balancer,
 * which forwards it to a backend node — possibly node A itself (loopback).
 */
import type { TraceResult } from '../../eval/types.js';

export type LbModelId = 'tencent-clb' | 'tencent-clb-l7' | 'aliyun-slb' | 'aws-nlb' | 'generic';

/** How a cloud load balancer forwards, as far as the loopback question needs it. */
export interface LbModel {
  readonly id: LbModelId;
  readonly title: string;
  /** Where the behaviour is documented. */
  readonly source: string;
  /** The LB replaces the request's source with an address of its own (L7 SNAT, NLB without client IP preservation). */
  readonly snat: boolean;
  /** The address the LB uses as source when it SNATs. */
  readonly snatAddress: string;
  /** Refuses to forward to a backend whose IP equals the request's source. */
  readonly avoidsSourceBackend: boolean;
  /** An L7 LB retries another backend after this many seconds without an answer. */
  readonly retryAfterSeconds: number | null;
  /** Backends are node NodePorts, or pod IPs (direct to pod). */
  readonly backends: 'nodeport' | 'pod';
  /** Health checks take nodes without a local endpoint out of a Local Service's backends. */
  readonly healthChecked: boolean;
  /** Health probes come from the LB's own VIP (Tencent internal CLB) or from elsewhere. */
  readonly probeFromVip: boolean;
}

export type LoopbackVerdict = 'works' | 'loopback' | 'blackhole' | 'short-circuit' | 'health-check-failure';

/** One hop of the simulated path. */
export interface Hop {
  readonly kind: 'client-node' | 'load-balancer' | 'backend-node' | 'endpoint-node' | 'health-check';
  /** The node the hop runs on (not for the LB). */
  readonly node: string | null;
  readonly text: string;
  /** The evaluator's trace, for node hops. */
  readonly trace: TraceResult | null;
}

/** One way the connection can go, with its probability and what the client sees. */
export interface Outcome {
  readonly verdict: LoopbackVerdict;
  readonly probability: number;
  readonly hops: readonly Hop[];
  /** What the client experiences: "connection refused", "timeout", "4 s delay then success", … */
  readonly effect: string;
  readonly explanation: string;
}

export interface Remediation {
  readonly id: string;
  readonly title: string;
  readonly detail: string;
  /** What it costs (client IP lost, extra hop, …). */
  readonly cost: string | null;
}

export interface LoopbackResult {
  readonly verdict: LoopbackVerdict;
  /** Probability of the headline verdict. */
  readonly probability: number;
  readonly lb: { readonly ip: string; readonly port: number; readonly proto: 'tcp' | 'udp'; readonly nodePort: number | null };
  readonly model: LbModel;
  readonly clientNode: string;
  readonly client: string;
  readonly outcomes: readonly Outcome[];
  readonly healthChecks: readonly Outcome[];
  readonly remediations: readonly Remediation[];
  /** Facts iptlens had to assume or could not find. */
  readonly notes: readonly string[];
}

/**
 * The Service catalogue: what kube-proxy has programmed on one node, read back from the node's
 * rules (iptables-save, ipset, ipvsadm) and, when given, from `kubectl get
 * svc,endpointslices,nodes -A -o json`. Types first (house rule 2); the functions over them are in
 * catalogue.ts (the entry), iptables-services.ts, ipvs-services.ts, kubectl.ts and their helpers.
 *
 * Every inferred fact carries {@link Evidence}: the rule, set member, virtual service or JSON
 * value it was read from, so that a report can cite `file:line` for each.
 */
import type { Diagnostic } from '../../grammar/diagnostics.js';
import type { SourceRef, SourceText } from '../../grammar/source.js';
import type { Ruleset } from '../model/iptables/types.js';
import type { IpSet } from '../model/ipset/types.js';
import type { IpvsTable } from '../model/ipvs/types.js';
import type { Cidr } from '../model/values/address.js';

/** How kube-proxy implements Services on the node (`--proxy-mode`), or that nothing does. */
export type ProxyMode = 'iptables' | 'ipvs' | 'nftables' | 'none' | 'unknown';

/**
 * Which kube-proxy rule layout an iptables-mode node has: `current` (1.24+: KUBE-EXT-, KUBE-SVL-,
 * KUBE-PROXY-FIREWALL, masquerade rules in KUBE-SVC-), `pre-1.24` (KUBE-XLB-, KUBE-FW- ending in
 * KUBE-MARK-DROP, masquerade rules in KUBE-SERVICES); IPVS mode has one layout.
 */
export type Generation = 'current' | 'pre-1.24' | 'ipvs' | 'unknown';

/** The L4 protocols a Service port can have (Service.spec.ports[].protocol, lower-cased as kube-proxy does). */
export type ServiceProtocol = 'tcp' | 'udp' | 'sctp';

/** externalTrafficPolicy / internalTrafficPolicy as the node implements them. */
export type TrafficPolicy = 'Cluster' | 'Local' | 'unknown';

/** Service.spec.type as far as the rules tell it (an LB without an ingress IP yet looks like a NodePort). */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/** What a piece of evidence supports. */
export type FactKind =
  | 'name'
  | 'type'
  | 'cluster-ip'
  | 'external-ip'
  | 'load-balancer-ip'
  /** An external or load-balancer IP whose kind the rule does not say (filter rules of a Service without endpoints). */
  | 'external-address'
  | 'node-port'
  | 'health-check-node-port'
  | 'endpoint'
  | 'local-endpoint'
  | 'remote-endpoint'
  | 'no-endpoints'
  | 'external-traffic-policy'
  | 'internal-traffic-policy'
  | 'session-affinity'
  | 'source-range'
  /** How an IPVS virtual service was tied to its Service without names. */
  | 'grouping'
  | 'proxy-mode'
  | 'generation'
  | 'cluster-cidr'
  | 'pod-interface'
  | 'masquerade-all'
  | 'masquerade-bit'
  | 'node-port-addresses'
  | 'local-pod-cidr';

/** One fact and where it was read. */
export interface Evidence {
  readonly fact: FactKind;
  /** The fact in a few words, with the chain, set or field that shows it. */
  readonly what: string;
  /** The rule line, set member, virtual service line or JSON value. */
  readonly at: SourceRef;
}

/** One backend of a Service port. */
export interface ServiceEndpoint {
  /** Canonical address text (`10.244.1.5`, `fd00::5`). */
  readonly address: string;
  /** The target port; null when the rule did not say (a DNAT without port keeps the packet's). */
  readonly port: number | null;
  /**
   * Whether the endpoint runs on this node: from KUBE-SVL-/KUBE-XLB- membership, KUBE-LOOP-BACK,
   * the node's addresses and pod CIDR, or EndpointSlice.endpoints[].nodeName.
   */
  readonly local: boolean | 'unknown';
  /** Cluster-policy traffic goes here: a KUBE-SVC- jump, or a real server of the cluster IP's virtual service. */
  readonly clusterPolicy: boolean;
  /** Local-policy traffic goes here: a KUBE-SVL-/KUBE-XLB- jump, or a real server of a Local external virtual service. */
  readonly localPolicy: boolean;
  /** EndpointSlice conditions, when kubectl JSON was given. */
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
  readonly nodeName?: string;
  /** The KUBE-SEP- chain (iptables mode). */
  readonly chain?: string;
  /** The DNAT rule or real server line; null when only kubectl JSON lists the endpoint. */
  readonly at: SourceRef | null;
}

/** The per-Service-port chains of iptables mode (all share one hash: kube-proxy portProtoHash). */
export interface ServiceChains {
  readonly svc?: string;
  readonly svl?: string;
  readonly ext?: string;
  readonly fw?: string;
  readonly xlb?: string;
  readonly seps: readonly string[];
}

/** Where a Service port was found. */
export type FoundIn = 'iptables' | 'ipvs' | 'kubectl';

/** One Service port (kube-proxy's unit: a ServicePortName and a protocol). */
export interface ServicePort {
  /**
   * Stable identity: the 16-character chain hash when known (iptables mode, or computed from
   * kubectl names), otherwise `address:port/protocol` of its first cluster IP or external address.
   */
  readonly key: string;
  /** kube-proxy's portProtoHash of `namespace/name[:port]` + protocol; null when the name is unknown. */
  readonly hash: string | null;
  /** Null when no rule comment or kubectl object names it (IPVS mode, comment-less chains). */
  readonly namespace: string | null;
  readonly name: string | null;
  /** The port's name; `''` for an unnamed port; null when unknown. */
  readonly portName: string | null;
  readonly protocol: ServiceProtocol;
  /** The Service port (what clients connect to on the cluster IP); null when no rule shows it. */
  readonly port: number | null;
  readonly type: ServiceType;
  readonly clusterIPs: readonly string[];
  readonly externalIPs: readonly string[];
  readonly loadBalancerIPs: readonly string[];
  /** External or load-balancer IPs the rules do not classify (see {@link FactKind} `external-address`). */
  readonly otherExternalIPs: readonly string[];
  readonly nodePort: number | null;
  readonly healthCheckNodePort: number | null;
  /** Every endpoint kube-proxy dispatches to (cluster and local chains together), in rule order. */
  readonly endpoints: readonly ServiceEndpoint[];
  /** True when kube-proxy wrote its "has no endpoints" REJECT rules (or an IPVS service has no real server). */
  readonly noEndpoints: boolean;
  /** Null when the port has no external destination (no NodePort, external or LB IP): the policy does not apply. */
  readonly externalTrafficPolicy: TrafficPolicy | null;
  readonly internalTrafficPolicy: TrafficPolicy;
  /** ClientIP affinity; null for none. */
  readonly sessionAffinity: { readonly timeoutSeconds: number } | null;
  readonly loadBalancerSourceRanges: readonly string[];
  readonly chains: ServiceChains;
  readonly foundIn: readonly FoundIn[];
  readonly evidence: readonly Evidence[];
}

/** Node-wide kube-proxy settings read from its rules. */
export interface ClusterSettings {
  /** `--cluster-cidr`, from `! -s CIDR -j KUBE-MARK-MASQ` (local traffic detector ClusterCIDR). */
  readonly clusterCidrs: readonly string[];
  /** Interfaces or prefixes (`veth+`) of the bridge / interface-name-prefix local traffic detectors (`! -i …`). */
  readonly podInterfaces: readonly string[];
  /** `--masquerade-all`: every packet to a cluster IP is masqueraded; 'unknown' when no rule shows either way. */
  readonly masqueradeAll: boolean | 'unknown';
  /** `--iptables-masquerade-bit` (14 by default: mark 0x4000); null when no KUBE-MARK-MASQ rule. */
  readonly masqueradeBit: number | null;
  /** `--nodeport-addresses` as node IPs; null when NodePorts answer on every local address (or unknown). */
  readonly nodePortAddresses: readonly string[] | null;
  /** Pod prefixes of this node (from the node's interfaces inside the cluster CIDR, or Node.spec.podCIDRs). */
  readonly localPodCidrs: readonly string[];
  /** Health-check NodePorts that could not be tied to a Service (IPVS KUBE-HEALTH-CHECK-NODE-PORT without kubectl). */
  readonly unassignedHealthCheckNodePorts: readonly number[];
  readonly evidence: readonly Evidence[];
}

export interface ServiceCatalogue {
  readonly mode: ProxyMode;
  readonly generation: Generation;
  /** Why the mode and generation were decided. */
  readonly modeEvidence: readonly Evidence[];
  /** Sorted by namespace, name, port name, protocol; unnamed ones last, by key. */
  readonly services: readonly ServicePort[];
  readonly settings: ClusterSettings;
  readonly diagnostics: readonly Diagnostic[];
}

/** A node address: an interface address (with its prefix) or a `local` route. */
export interface NodeAddress {
  readonly address: Cidr;
  /** The network the address is on (interface addresses only). */
  readonly prefix?: Cidr;
  readonly interface?: string;
  readonly at?: SourceRef;
}

// ---- kubectl objects (`kubectl get svc,endpointslices,nodes -A -o json`) ----

export interface KubeServicePort {
  /** `''` when unnamed. */
  readonly name: string;
  readonly protocol: ServiceProtocol;
  readonly port: number;
  readonly nodePort: number | null;
  /** A number, a named port, or null when not given. */
  readonly targetPort: number | string | null;
  readonly at: SourceRef;
}

export interface KubeService {
  readonly namespace: string;
  readonly name: string;
  /** `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`. */
  readonly type: string;
  /** spec.clusterIPs (or spec.clusterIP); `None` for headless Services. */
  readonly clusterIPs: readonly string[];
  readonly externalIPs: readonly string[];
  /** status.loadBalancer.ingress[].ip */
  readonly loadBalancerIPs: readonly string[];
  readonly ports: readonly KubeServicePort[];
  /** Null when not set (only NodePort and LoadBalancer Services have one). */
  readonly externalTrafficPolicy: 'Cluster' | 'Local' | null;
  readonly internalTrafficPolicy: 'Cluster' | 'Local' | null;
  /** ClientIP timeout in seconds (10800 by default); null for `None`. */
  readonly sessionAffinityTimeout: number | null;
  readonly loadBalancerSourceRanges: readonly string[];
  readonly healthCheckNodePort: number | null;
  /** The object. */
  readonly at: SourceRef;
  /** Where individual fields were read, by their JSON path (`spec.externalTrafficPolicy`). */
  readonly fieldsAt: ReadonlyMap<string, SourceRef>;
}

export interface KubeEndpoint {
  readonly addresses: readonly string[];
  /** Conditions with the EndpointSlice API defaults filled in (ready: true; serving: ready; terminating: false). */
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly nodeName: string | null;
  readonly at: SourceRef;
}

/** An EndpointSlice, or a legacy Endpoints object flattened into the same shape. */
export interface KubeEndpointSlice {
  readonly namespace: string;
  readonly name: string;
  /** The `kubernetes.io/service-name` label (the object's name for Endpoints). */
  readonly serviceName: string;
  readonly ports: readonly { readonly name: string; readonly port: number; readonly protocol: ServiceProtocol }[];
  readonly endpoints: readonly KubeEndpoint[];
  readonly at: SourceRef;
}

export interface KubeNode {
  readonly name: string;
  /** status.addresses[].address (InternalIP, ExternalIP; host names left out). */
  readonly addresses: readonly string[];
  readonly podCidrs: readonly string[];
  readonly at: SourceRef;
}

export interface KubectlObjects {
  readonly services: readonly KubeService[];
  readonly endpointSlices: readonly KubeEndpointSlice[];
  readonly nodes: readonly KubeNode[];
  readonly diagnostics: readonly Diagnostic[];
}

/** What the catalogue is built from. The node loader fills it from a NodeSnapshot. */
export interface ServiceInputs {
  readonly ipv4: Ruleset | null;
  readonly ipv6: Ruleset | null;
  readonly ipsets: readonly IpSet[] | null;
  readonly ipvs: IpvsTable | null;
  /** The node's own addresses (`ip addr`, local routes); null when not given. */
  readonly localAddresses: readonly NodeAddress[] | null;
  /** `nft list ruleset` texts (recognised, not read). */
  readonly nftRulesets?: readonly SourceText[];
  readonly kubectl?: KubectlObjects | null;
  /** This node's name in the cluster (to find its Node object and its EndpointSlice endpoints). */
  readonly nodeName?: string;
  /** This node's pod prefixes, when known from elsewhere. */
  readonly podCidrs?: readonly Cidr[];
}

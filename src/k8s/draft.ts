/**
 * Service ports under construction. The readers (iptables-services.ts, ipvs-services.ts,
 * kubectl-merge.ts) learn facts in whatever order the rules list them; a draft collects them,
 * each with its evidence, and `finish` turns it into the immutable {@link ServicePort}.
 *
 * Mutable by design (house rule 10): one draft per Service port, written by several readers of
 * one catalogue build and frozen at its end; nothing outlives `buildServiceCatalogue`.
 */
import { diagnose, type Diagnostic } from '../../grammar/diagnostics.js';
import type { SourceRef } from '../../grammar/source.js';
import { portProtoHash, readServicePortName } from './chain-names.js';
import type {
  ClusterSettings,
  Evidence,
  FactKind,
  FoundIn,
  ServiceChains,
  ServiceEndpoint,
  ServicePort,
  ServiceProtocol,
  ServiceType,
  TrafficPolicy,
} from './types.js';

/** An endpoint under construction; `local` stays 'unknown' until some rule or fact decides it. */
export interface EndpointDraft {
  address: string;
  port: number | null;
  local: boolean | 'unknown';
  chain?: string;
  at: SourceRef | null;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  nodeName?: string;
  /** Dispatched to by the cluster-policy chain or IPVS service (KUBE-SVC-, cluster IP real servers). */
  inClusterSet: boolean;
  /** Dispatched to by the local-policy chain (KUBE-SVL-, KUBE-XLB-). */
  inLocalSet: boolean;
}

function pushUnique(list: string[], value: string): boolean {
  if (list.includes(value)) return false;
  list.push(value);
  return true;
}

export class ServicePortDraft {
  hash: string | null;
  namespace: string | null = null;
  name: string | null = null;
  portName: string | null = null;
  protocol: ServiceProtocol | null = null;
  port: number | null = null;
  type: ServiceType | null = null;
  readonly clusterIPs: string[] = [];
  readonly externalIPs: string[] = [];
  readonly loadBalancerIPs: string[] = [];
  readonly otherExternalIPs: string[] = [];
  nodePort: number | null = null;
  healthCheckNodePort: number | null = null;
  readonly endpoints = new Map<string, EndpointDraft>();
  noEndpoints = false;
  externalTrafficPolicy: TrafficPolicy | null = null;
  internalTrafficPolicy: TrafficPolicy | null = null;
  sessionAffinity: { timeoutSeconds: number } | null = null;
  readonly loadBalancerSourceRanges: string[] = [];
  readonly chains: { svc?: string; svl?: string; ext?: string; fw?: string; xlb?: string; seps: string[] } = { seps: [] };
  /** A KUBE-SVL-/KUBE-XLB- chain or a policy rule proves which endpoints are local. */
  localSetKnown = false;
  readonly foundIn = new Set<FoundIn>();
  readonly evidence: Evidence[] = [];
  private nameChecked = false;

  constructor(
    public key: string,
    hash: string | null,
  ) {
    this.hash = hash;
  }

  note(fact: FactKind, what: string, at: SourceRef): void {
    if (this.evidence.some((e) => e.fact === fact && e.what === what && e.at.start === at.start && e.at.source === at.source)) return;
    this.evidence.push({ fact, what, at });
  }

  /** Records `ns/name[:port]`; checks it against the chain hash (a mismatch is reported once). */
  setName(text: string, at: SourceRef, diagnostics: Diagnostic[], chainForCheck?: string): void {
    if (this.name !== null && (this.nameChecked || this.hash === null)) return;
    const parsed = readServicePortName(text);
    if (!parsed) return;
    if (this.name === null) {
      this.namespace = parsed.namespace;
      this.name = parsed.name;
      this.portName = parsed.portName;
      this.note('name', text, at);
    }
    if (!this.nameChecked && this.hash !== null && this.protocol !== null) {
      this.nameChecked = true;
      const expected = portProtoHash(text, this.protocol);
      if (expected !== this.hash) {
        diagnostics.push(diagnose('k8s/name-hash-mismatch', at, text, this.protocol, expected, chainForCheck ?? this.hash));
      }
    }
  }

  setProtocol(protocol: ServiceProtocol | null): void {
    if (protocol && this.protocol === null) this.protocol = protocol;
  }

  setPort(port: number | null): void {
    if (port !== null && this.port === null) this.port = port;
  }

  addClusterIP(address: string, at: SourceRef, what: string): void {
    if (pushUnique(this.clusterIPs, address)) this.note('cluster-ip', what, at);
  }

  addExternalIP(address: string, at: SourceRef, what: string): void {
    this.dropOther(address);
    if (pushUnique(this.externalIPs, address)) this.note('external-ip', what, at);
  }

  addLoadBalancerIP(address: string, at: SourceRef, what: string): void {
    this.dropOther(address);
    if (pushUnique(this.loadBalancerIPs, address)) this.note('load-balancer-ip', what, at);
  }

  /** An external or LB address whose kind is not said; kept out when already classified. */
  addOtherExternalIP(address: string, at: SourceRef, what: string): void {
    if (this.externalIPs.includes(address) || this.loadBalancerIPs.includes(address) || this.clusterIPs.includes(address)) return;
    if (pushUnique(this.otherExternalIPs, address)) this.note('external-address', what, at);
  }

  private dropOther(address: string): void {
    const i = this.otherExternalIPs.indexOf(address);
    if (i >= 0) this.otherExternalIPs.splice(i, 1);
  }

  setNodePort(port: number, at: SourceRef, what: string): void {
    if (this.nodePort === null) {
      this.nodePort = port;
      this.note('node-port', what, at);
    }
  }

  setHealthCheckNodePort(port: number, at: SourceRef, what: string): void {
    if (this.healthCheckNodePort === null) {
      this.healthCheckNodePort = port;
      this.note('health-check-node-port', what, at);
    }
  }

  /** Decided once: the first decisive rule wins; later ones only add evidence when they agree. */
  setExternalPolicy(policy: 'Cluster' | 'Local', at: SourceRef, what: string): void {
    if (this.externalTrafficPolicy === null || this.externalTrafficPolicy === 'unknown') this.externalTrafficPolicy = policy;
    if (this.externalTrafficPolicy === policy) this.note('external-traffic-policy', what, at);
  }

  setInternalPolicy(policy: 'Cluster' | 'Local', at: SourceRef, what: string): void {
    if (this.internalTrafficPolicy === null || this.internalTrafficPolicy === 'unknown') this.internalTrafficPolicy = policy;
    if (this.internalTrafficPolicy === policy) this.note('internal-traffic-policy', what, at);
  }

  setAffinity(seconds: number, at: SourceRef, what: string): void {
    if (this.sessionAffinity === null) this.sessionAffinity = { timeoutSeconds: seconds };
    this.note('session-affinity', what, at);
  }

  addSourceRange(cidr: string, at: SourceRef, what: string): void {
    if (pushUnique(this.loadBalancerSourceRanges, cidr)) this.note('source-range', what, at);
  }

  setNoEndpoints(at: SourceRef, what: string): void {
    this.noEndpoints = true;
    this.note('no-endpoints', what, at);
  }

  /** An endpoint, found by address and port; created when new. */
  endpoint(address: string, port: number | null, at: SourceRef | null): EndpointDraft {
    const key = `${address}|${port ?? ''}`;
    let e = this.endpoints.get(key);
    if (!e) {
      e = { address, port, local: 'unknown', at, inClusterSet: false, inLocalSet: false };
      this.endpoints.set(key, e);
    } else if (e.at === null && at !== null) {
      e.at = at;
    }
    return e;
  }

  hasExternalDestination(): boolean {
    return this.nodePort !== null || this.externalIPs.length > 0 || this.loadBalancerIPs.length > 0 || this.otherExternalIPs.length > 0;
  }

  /** The immutable Service port. */
  finish(): ServicePort {
    const inferredType: ServiceType =
      this.loadBalancerIPs.length > 0 || this.chains.fw !== undefined || this.healthCheckNodePort !== null
        ? 'LoadBalancer'
        : this.nodePort !== null
          ? 'NodePort'
          : 'ClusterIP';
    const external = this.hasExternalDestination();
    const endpoints: ServiceEndpoint[] = [...this.endpoints.values()].map((e) => ({
      address: e.address,
      port: e.port,
      local: e.local,
      clusterPolicy: e.inClusterSet,
      localPolicy: e.inLocalSet,
      ...(e.ready !== undefined ? { ready: e.ready } : {}),
      ...(e.serving !== undefined ? { serving: e.serving } : {}),
      ...(e.terminating !== undefined ? { terminating: e.terminating } : {}),
      ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}),
      ...(e.chain !== undefined ? { chain: e.chain } : {}),
      at: e.at,
    }));
    const chains: ServiceChains = { ...this.chains, seps: [...this.chains.seps] };
    return {
      key: this.key,
      hash: this.hash,
      namespace: this.namespace,
      name: this.name,
      portName: this.portName,
      protocol: this.protocol ?? 'tcp',
      port: this.port,
      type: this.type ?? inferredType,
      clusterIPs: [...this.clusterIPs],
      externalIPs: [...this.externalIPs],
      loadBalancerIPs: [...this.loadBalancerIPs],
      otherExternalIPs: [...this.otherExternalIPs],
      nodePort: this.nodePort,
      healthCheckNodePort: this.healthCheckNodePort,
      endpoints,
      noEndpoints: this.noEndpoints,
      externalTrafficPolicy: external ? (this.externalTrafficPolicy ?? 'unknown') : null,
      internalTrafficPolicy: this.internalTrafficPolicy ?? 'unknown',
      sessionAffinity: this.sessionAffinity,
      loadBalancerSourceRanges: [...this.loadBalancerSourceRanges],
      chains,
      foundIn: [...this.foundIn],
      evidence: [...this.evidence],
    };
  }
}

/** The drafts of one catalogue build, by key (the chain hash, or an address key). */
export class DraftTable {
  private readonly byKey = new Map<string, ServicePortDraft>();

  get(key: string): ServicePortDraft | undefined {
    return this.byKey.get(key);
  }

  /** The draft of a chain hash (created when new). */
  forHash(hash: string): ServicePortDraft {
    let d = this.byKey.get(hash);
    if (!d) {
      d = new ServicePortDraft(hash, hash);
      this.byKey.set(hash, d);
    }
    return d;
  }

  /** The draft of a named Service port: its hash is recomputed from the name (chain-names.ts). */
  forName(name: string, protocol: ServiceProtocol): ServicePortDraft {
    const d = this.forHash(portProtoHash(name, protocol));
    d.setProtocol(protocol);
    return d;
  }

  /** A draft keyed by an address (IPVS without names). */
  forAddressKey(key: string): ServicePortDraft {
    let d = this.byKey.get(key);
    if (!d) {
      d = new ServicePortDraft(key, null);
      this.byKey.set(key, d);
    }
    return d;
  }

  /** Re-keys a draft (an IPVS draft that kubectl named). */
  rekey(draft: ServicePortDraft, key: string): void {
    this.byKey.delete(draft.key);
    draft.key = key;
    this.byKey.set(key, draft);
  }

  delete(draft: ServicePortDraft): void {
    this.byKey.delete(draft.key);
  }

  all(): ServicePortDraft[] {
    return [...this.byKey.values()];
  }
}

/** Node-wide settings under construction. */
export class SettingsDraft {
  readonly clusterCidrs: string[] = [];
  readonly podInterfaces: string[] = [];
  /** Rules that masquerade every cluster-IP packet / only off-cluster ones. */
  masqueradeAllSeen = false;
  masqueradeSomeSeen = false;
  masqueradeBit: number | null = null;
  nodePortAddresses: string[] | null = null;
  nodePortsOnAllAddresses = false;
  readonly localPodCidrs: string[] = [];
  readonly unassignedHealthCheckNodePorts: number[] = [];
  readonly evidence: Evidence[] = [];

  note(fact: FactKind, what: string, at: SourceRef): void {
    if (this.evidence.some((e) => e.fact === fact && e.what === what)) return;
    this.evidence.push({ fact, what, at });
  }

  addClusterCidr(cidr: string, at: SourceRef, what: string): void {
    if (pushUnique(this.clusterCidrs, cidr)) this.note('cluster-cidr', what, at);
    this.masqueradeSomeSeen = true;
  }

  addPodInterface(name: string, at: SourceRef, what: string): void {
    if (pushUnique(this.podInterfaces, name)) this.note('pod-interface', what, at);
    this.masqueradeSomeSeen = true;
  }

  setMasqueradeAll(at: SourceRef, what: string): void {
    this.masqueradeAllSeen = true;
    this.note('masquerade-all', what, at);
  }

  addNodePortAddress(address: string, at: SourceRef, what: string): void {
    this.nodePortAddresses ??= [];
    if (pushUnique(this.nodePortAddresses, address)) this.note('node-port-addresses', what, at);
  }

  addLocalPodCidr(cidr: string, at: SourceRef, what: string): void {
    if (pushUnique(this.localPodCidrs, cidr)) this.note('local-pod-cidr', what, at);
  }

  finish(): ClusterSettings {
    return {
      clusterCidrs: [...this.clusterCidrs],
      podInterfaces: [...this.podInterfaces],
      masqueradeAll: this.masqueradeAllSeen ? true : this.masqueradeSomeSeen ? false : 'unknown',
      masqueradeBit: this.masqueradeBit,
      nodePortAddresses: this.nodePortsOnAllAddresses || this.nodePortAddresses === null ? null : [...this.nodePortAddresses],
      localPodCidrs: [...this.localPodCidrs],
      unassignedHealthCheckNodePorts: [...this.unassignedHealthCheckNodePorts],
      evidence: [...this.evidence],
    };
  }
}

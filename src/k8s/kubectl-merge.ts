/**
 * kubectl facts joined to the Service ports read from the rules. A Service port meets its chains
 * by recomputing kube-proxy's chain hash from its name (chain-names.ts), so comment-less chains
 * get their names; what the API says (types, policies, affinity, endpoint conditions, node names)
 * is added as evidence pointing into the JSON. The rules decide what packets do: where the API
 * disagrees with them, the rules are kept and the disagreement is reported.
 */
import { diagnose, type Diagnostic } from '../../grammar/diagnostics.js';
import { parseAddress } from '../model/values/address.js';
import { portProtoHash, servicePortNameString } from './chain-names.js';
import type { DraftTable, ServicePortDraft } from './draft.js';
import type { KubeEndpointSlice, KubeNode, KubeService, KubeServicePort, KubectlObjects, NodeAddress, ProxyMode, ServiceType } from './types.js';

/** The Node object of this node: by name, or by one of the node's own addresses. */
export function findThisNode(kubectl: KubectlObjects, nodeName: string | undefined, addresses: readonly NodeAddress[] | null): KubeNode | null {
  if (nodeName) return kubectl.nodes.find((n) => n.name === nodeName) ?? null;
  for (const node of kubectl.nodes) {
    for (const text of node.addresses) {
      const a = parseAddress(text);
      if (a && (addresses ?? []).some((n) => n.address.family === a.family && n.address.first <= a.first && a.first <= n.address.last && n.address.prefix >= (a.family === 'ipv4' ? 32 : 128))) return node;
    }
  }
  return null;
}

const TYPES: readonly string[] = ['ClusterIP', 'NodePort', 'LoadBalancer'];

/** The endpoints of one Service port in its EndpointSlices: address, target port and conditions. */
function sliceEndpoints(slices: readonly KubeEndpointSlice[], svc: KubeService, port: KubeServicePort) {
  const out: { address: string; port: number; slice: KubeEndpointSlice; endpoint: KubeEndpointSlice['endpoints'][number] }[] = [];
  for (const slice of slices) {
    if (slice.namespace !== svc.namespace || slice.serviceName !== svc.name) continue;
    const p = slice.ports.find((x) => x.name === port.name && x.protocol === port.protocol);
    if (!p) continue;
    for (const endpoint of slice.endpoints) for (const address of endpoint.addresses) out.push({ address, port: p.port, slice, endpoint });
  }
  return out;
}

export function mergeKubectl(
  kubectl: KubectlObjects,
  drafts: DraftTable,
  mode: ProxyMode,
  thisNode: KubeNode | null,
  nodeName: string | undefined,
  diagnostics: Diagnostic[],
): void {
  const localName = nodeName ?? thisNode?.name ?? null;
  for (const svc of kubectl.services) {
    // kube-proxy skips headless and ExternalName Services (pkg/proxy/servicechangetracker.go).
    if (svc.type === 'ExternalName' || svc.clusterIPs.length === 0 || svc.clusterIPs[0] === 'None' || svc.clusterIPs[0] === '') continue;
    for (const port of svc.ports) {
      const name = servicePortNameString(svc.namespace, svc.name, port.name);
      const hash = portProtoHash(name, port.protocol);
      let existing = drafts.get(hash);
      if (!existing) {
        // A Service port the rules know only by address (IPVS without names, a comment-less REJECT).
        const byAddress = drafts
          .all()
          .find((x) => x.hash === null && x.protocol === port.protocol && x.port === port.port && x.clusterIPs.some((ip) => svc.clusterIPs.includes(ip)));
        if (byAddress) {
          drafts.rekey(byAddress, hash);
          byAddress.hash = hash;
          existing = byAddress;
        }
      }
      const fromRules = existing !== undefined && (existing.foundIn.has('iptables') || existing.foundIn.has('ipvs'));
      if (!fromRules && (mode === 'iptables' || mode === 'ipvs')) diagnostics.push(diagnose('k8s/kubectl-no-rules', port.at, `${name}/${port.protocol}`, mode));
      const d = drafts.forName(name, port.protocol);
      d.foundIn.add('kubectl');
      d.setName(name, svc.fieldsAt.get('metadata.name') ?? svc.at, diagnostics);
      mergeService(d, svc, port, fromRules, diagnostics, `${name}/${port.protocol}`);
      mergeEndpoints(d, sliceEndpoints(kubectl.endpointSlices, svc, port), fromRules, localName);
    }
  }
}

function mergeService(d: ServicePortDraft, svc: KubeService, port: KubeServicePort, fromRules: boolean, diagnostics: Diagnostic[], shown: string): void {
  const at = (field: string) => svc.fieldsAt.get(field) ?? svc.at;
  if (TYPES.includes(svc.type)) {
    d.type = svc.type as ServiceType;
    d.note('type', `${svc.type} (spec.type)`, at('spec.type'));
  }
  d.setPort(port.port);
  // Addresses the rules could not classify, classified by the API; the rest only when no rule shows the Service.
  for (const ip of svc.externalIPs) if (!fromRules || d.otherExternalIPs.includes(ip)) d.addExternalIP(ip, at('spec.externalIPs'), `${ip} (spec.externalIPs)`);
  for (const ip of svc.loadBalancerIPs) if (!fromRules || d.otherExternalIPs.includes(ip)) d.addLoadBalancerIP(ip, at('status.loadBalancer.ingress'), `${ip} (status.loadBalancer.ingress)`);
  if (!fromRules) {
    for (const ip of svc.clusterIPs) d.addClusterIP(ip, at('spec.clusterIPs'), `${ip} (spec.clusterIPs)`);
    if (port.nodePort !== null) d.setNodePort(port.nodePort, port.at, `${port.nodePort} (spec.ports[].nodePort)`);
    for (const r of svc.loadBalancerSourceRanges) d.addSourceRange(r, at('spec.loadBalancerSourceRanges'), `${r} (spec.loadBalancerSourceRanges)`);
    if (svc.sessionAffinityTimeout !== null) d.setAffinity(svc.sessionAffinityTimeout, at('spec.sessionAffinity'), `ClientIP, ${svc.sessionAffinityTimeout} s (spec.sessionAffinity)`);
  } else if (svc.sessionAffinityTimeout !== null && d.sessionAffinity === null && d.endpoints.size > 0) {
    diagnostics.push(diagnose('k8s/kubectl-disagrees', at('spec.sessionAffinity'), shown, 'sessionAffinity', `ClientIP (${svc.sessionAffinityTimeout} s)`, 'no affinity'));
  }
  if (svc.healthCheckNodePort !== null && d.healthCheckNodePort === null) {
    // iptables mode always writes the health check's ACCEPT rule; IPVS before 1.19 has no set for it.
    if (d.foundIn.has('iptables')) diagnostics.push(diagnose('k8s/kubectl-disagrees', at('spec.healthCheckNodePort'), shown, 'healthCheckNodePort', String(svc.healthCheckNodePort), 'none'));
    else d.setHealthCheckNodePort(svc.healthCheckNodePort, at('spec.healthCheckNodePort'), `${svc.healthCheckNodePort} (spec.healthCheckNodePort)`);
  }
  const policies = [
    ['externalTrafficPolicy', svc.externalTrafficPolicy],
    ['internalTrafficPolicy', svc.internalTrafficPolicy],
  ] as const;
  for (const [field, api] of policies) {
    if (api === null) continue;
    const current = field === 'externalTrafficPolicy' ? d.externalTrafficPolicy : d.internalTrafficPolicy;
    const where = at(`spec.${field}`);
    if (current !== null && current !== 'unknown' && current !== api) {
      diagnostics.push(diagnose('k8s/kubectl-disagrees', where, shown, field, api, current));
      continue;
    }
    if (field === 'externalTrafficPolicy') d.setExternalPolicy(api, where, `${api} (spec.externalTrafficPolicy)`);
    else d.setInternalPolicy(api, where, `${api} (spec.internalTrafficPolicy)`);
  }
}

function mergeEndpoints(d: ServicePortDraft, endpoints: ReturnType<typeof sliceEndpoints>, fromRules: boolean, localName: string | null): void {
  for (const { address, port, endpoint } of endpoints) {
    const known = [...d.endpoints.values()].find((e) => e.address === address && e.port === port);
    if (!known && fromRules) continue;
    const e = known ?? d.endpoint(address, port, null);
    e.ready = endpoint.ready;
    e.serving = endpoint.serving;
    e.terminating = endpoint.terminating;
    if (endpoint.nodeName !== null) e.nodeName = endpoint.nodeName;
    if (e.local === 'unknown' && endpoint.nodeName !== null && localName !== null) {
      e.local = endpoint.nodeName === localName;
      d.note(e.local ? 'local-endpoint' : 'remote-endpoint', `${address} runs on node ${endpoint.nodeName} (EndpointSlice nodeName)`, endpoint.at);
    }
  }
}

/**
 * Service ports no node can serve, across the nodes given:
 *  - no endpoints at all (kube-proxy's "has no endpoints" REJECT, or IPVS virtual services without
 *    real servers on every node): every caller is refused. Endpoints are cluster-wide, so one
 *    node is enough to tell.
 *  - with `externalTrafficPolicy: Local`, none of the nodes given runs an endpoint: external
 *    traffic (NodePort, LB) is dropped on every one of them. This assumes the nodes given are the
 *    nodes that receive the traffic (all of the LB's backends); the endpoints run on nodes whose
 *    files were not given. Only with two nodes or more (one node is local-policy-no-endpoint).
 */
import type { ServicePort } from '../../types.js';
import { defineCheck, defineMeta, findingOf, listText } from '../finding.js';
import type { Finding, FindingEvidence, NodeContext } from '../types.js';

const meta = defineMeta({
  id: 'service-no-endpoints-anywhere',
  severity: 'warning',
  title: 'A Service has endpoints on no node',
  docs: 'docs/checks/service-no-endpoints-anywhere.md',
  requires: ['kube-proxy'],
  messages: {
    none: (service: string, nodes: string) => ({
      title: `${service} has no endpoints: every connection to it is refused`,
      explanation:
        `On ${nodes}, kube-proxy has no endpoint for ${service}: it REJECTs connections to it (iptables mode: "has no endpoints", ICMP port unreachable) or leaves its IPVS virtual services without real servers. Endpoints are cluster-wide, so this is true from every node: callers get "connection refused". ` +
        'The Service selects no ready pod: a wrong selector, pods failing readiness, or a Deployment scaled to zero.',
      remediation: 'kubectl get endpointslices -l kubernetes.io/service-name=<name> -n <namespace>: check the selector against the pods\' labels and the pods\' readiness.',
    }),
    localNowhere: (service: string, nodes: string, endpoints: string) => ({
      title: `${service} (externalTrafficPolicy: Local) has no endpoint on any of the nodes given`,
      explanation:
        `${service} keeps external traffic on the node it arrives at, and none of ${nodes} runs one of its endpoints (${endpoints}): NodePort and LoadBalancer traffic arriving at any of them is dropped. ` +
        'Assumed: these are the nodes that receive the Service\'s external traffic (every backend of the load balancer). If the endpoints run on other nodes that the load balancer also uses, traffic reaches them there; if not, the Service is unreachable from outside.',
      remediation: 'Give the bundles of the nodes that run the endpoints to see the whole path, or schedule an endpoint on the nodes that receive the traffic (or set externalTrafficPolicy: Cluster).',
    }),
  },
});

function noEndpointEvidence(node: NodeContext, s: ServicePort): FindingEvidence[] {
  return s.evidence.filter((e) => e.fact === 'no-endpoints').map((e) => ({ at: e.at, note: `${node.name}: ${e.what}` }));
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    const byKey = new Map<string, { node: NodeContext; service: ServicePort }[]>();
    for (const node of ctx.nodes) {
      if (node.catalogue.mode !== 'iptables' && node.catalogue.mode !== 'ipvs') continue;
      for (const service of node.catalogue.services) byKey.set(service.key, [...(byKey.get(service.key) ?? []), { node, service }]);
    }
    for (const seen of byKey.values()) {
      const first = seen[0]!;
      const label = first.node.label(first.service);
      const nodes = listText(seen.map((x) => x.node.name));
      const several = seen.length > 1;
      if (seen.every((x) => x.service.noEndpoints)) {
        findings.push(
          findingOf(meta, 'none', [label, nodes], { node: several ? null : first.node.name, services: [label], evidence: seen.flatMap((x) => noEndpointEvidence(x.node, x.service)) }),
        );
        continue;
      }
      if (ctx.nodes.length < 2 || seen.length < 2) continue;
      const local = seen.every((x) => x.service.externalTrafficPolicy === 'Local' && !x.service.noEndpoints && x.service.endpoints.length > 0);
      const nowhere = seen.every((x) => x.service.endpoints.every((e) => e.local === false));
      if (!local || !nowhere) continue;
      const endpoints = listText([...new Set(seen.flatMap((x) => x.service.endpoints.map((e) => (e.port !== null ? `${e.address}:${e.port}` : e.address))))]);
      findings.push(
        findingOf(meta, 'localNowhere', [label, nodes, endpoints], {
          node: null,
          services: [label],
          evidence: seen.flatMap((x) => x.service.evidence.filter((e) => e.fact === 'external-traffic-policy' || e.fact === 'remote-endpoint').map((e) => ({ at: e.at, note: `${x.node.name}: ${e.what}` }))),
        }),
      );
    }
    return findings;
  },
});

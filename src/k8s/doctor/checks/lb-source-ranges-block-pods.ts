/**
 * Pods calling the LoadBalancer IP of a Service with `loadBalancerSourceRanges` that do not cover
 * the pod network are dropped on their own node. kube-proxy enforces the ranges itself for traffic
 * to the LB IP (iptables: KUBE-FW-<hash> lets the ranges through, KUBE-PROXY-FIREWALL drops the
 * rest — before 1.24 KUBE-FW- → KUBE-MARK-DROP; IPVS: KUBE-LOAD-BALANCER-FW → KUBE-SOURCE-RANGES-
 * FIREWALL), and it catches pods' requests to the LB IP on the node, before the load balancer
 * sees them, so the pods' own addresses are checked against ranges meant for outside clients.
 * Traced with the evaluator; reported only when the drop happens in those chains.
 */
import type { TracePath } from '../../../eval/types.js';
import { defineCheck, defineMeta, findingOf, listText } from '../finding.js';
import { conclusive, decidingStep, evidenceOf, isDead, loadBalancerTargets, serviceEvidence } from '../paths.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'lb-source-ranges-block-pods',
  severity: 'warning',
  title: "Pods calling a LoadBalancer IP are dropped by its loadBalancerSourceRanges on their own node",
  docs: 'docs/checks/lb-source-ranges-block-pods.md',
  requires: ['kube-proxy', 'interfaces', 'routes'],
  messages: {
    blocked: (service: string, lb: string, node: string, ranges: string, pod: string) => ({
      title: `${service}: pods on ${node} calling ${lb} are dropped by loadBalancerSourceRanges (${ranges})`,
      explanation:
        `${service} allows only ${ranges} to reach its LoadBalancer address, and kube-proxy enforces that on the node itself. A pod's request to ${lb} is caught by kube-proxy on the node before it reaches the load balancer, so it is the pod's own address (${pod} in this trace) that is checked — and it is not in the ranges, which usually list outside clients: the request is dropped (a timeout). ` +
        'Clients from the ranges reach the Service through the load balancer; in-cluster callers of the LB address (or of a DNS name that resolves to it) do not.',
      remediation: 'Have in-cluster callers use the Service\'s DNS name or cluster IP (not subject to the ranges), or add the cluster\'s pod CIDR to loadBalancerSourceRanges if they must use the LB address.',
    }),
  },
});

/** The drop happened in kube-proxy's source-range filtering. */
function byRanges(path: TracePath): boolean {
  return path.steps.some((s) => /^KUBE-(FW-|PROXY-FIREWALL$|SOURCE-RANGES-FIREWALL$)/.test(s.chain ?? ''));
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const mode = node.catalogue.mode;
      if ((mode !== 'iptables' && mode !== 'ipvs') || node.snapshot.localAddresses === null) continue;
      for (const t of loadBalancerTargets(node)) {
        if (t.service.loadBalancerSourceRanges.length === 0) continue;
        const pod = node.podAddress(t.family);
        if (!pod) continue;
        const result = node.trace({ origin: 'pod', family: t.family, src: pod.address, dst: t.address, proto: t.proto, dport: t.port });
        if (!conclusive(result) || !result.paths.every((p) => isDead(p) && byRanges(p))) continue;
        const lb = t.family === 'ipv6' ? `[${t.ip}]:${t.port}` : `${t.ip}:${t.port}`;
        const step = decidingStep(result.paths[0]!);
        findings.push(
          findingOf(meta, 'blocked', [t.label, lb, node.name, listText(t.service.loadBalancerSourceRanges), pod.text], {
            node: node.name,
            services: [t.label],
            evidence: [
              ...evidenceOf(step?.at, `${step?.table ?? ''}/${step?.chain ?? ''}${step?.rule !== null && step?.rule !== undefined ? `#${step.rule}` : ''}: ${step?.effect ?? ''}`),
              ...serviceEvidence(t.service, ['source-range']),
            ],
          }),
        );
      }
    }
    return findings;
  },
});

/**
 * Case 3 (info): kube-proxy handles a pod's request to its own cluster's LoadBalancer IP on the
 * node, so it never reaches the load balancer and cannot loop back.
 *  - iptables mode before 1.24: KUBE-XLB-<hash> "Redirect pods trying to reach external
 *    loadbalancer VIP to clusterIP" (`-s <cluster CIDR> -j KUBE-SVC-<hash>`);
 *  - iptables mode 1.24+: KUBE-EXT-<hash> "pod traffic for … external destinations" for Local,
 *    or "masquerade traffic for … external destinations" then KUBE-SVC- for Cluster;
 *  - IPVS mode with the LB IP bound on kube-ipvs0: IPVS takes it at LOCAL_IN.
 * Worth knowing because the load balancer's own features (TLS, WAF, logs, source ranges enforced
 * by the LB) are bypassed for in-cluster callers, and because it is why iptables-mode clusters do
 * not show the IPVS loopback of lb-loopback-unmasqueraded.
 */
import type { TracePath } from '../../../eval/types.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import { conclusive, isDead, loadBalancerTargets, stepEvidence } from '../paths.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'lb-vip-redirected-to-service',
  severity: 'info',
  title: "Pods calling their own LoadBalancer IP are served on the node (no loopback, LB bypassed)",
  docs: 'docs/checks/lb-vip-redirected-to-service.md',
  requires: ['kube-proxy', 'interfaces'],
  messages: {
    redirected: (service: string, lb: string, node: string, how: string, to: string) => ({
      title: `${service}: pods on ${node} calling ${lb} are sent to the Service's endpoints on the node`,
      explanation:
        `On ${node}, kube-proxy catches a pod's request to the LoadBalancer address ${lb} before it leaves the node: ${how}. It is DNATed to ${to}, as a request to the cluster IP would be. ` +
        'The load balancer never sees it, so this call cannot loop back through it (compare lb-loopback-unmasqueraded), but whatever the load balancer adds — TLS termination, WAF, access logs, its own source-range filtering — does not apply to in-cluster callers.',
      remediation:
        'Nothing to fix if in-cluster callers do not need the load balancer. If they must go through it (e.g. for TLS or WAF), have the cloud controller set status.loadBalancer.ingress[].ipMode: Proxy (KEP-1860, Kubernetes 1.30+), and make sure the load balancer handles hairpin traffic (SNAT, or not forwarding to the source node).',
    }),
  },
});

/** How the request was caught, from the rules it went through. */
function howCaught(path: TracePath): string {
  for (const s of path.steps) {
    const c = s.comment ?? '';
    if (/Redirect pods trying to reach external loadbalancer VIP/.test(c)) return `${s.chain} "${c}" (kube-proxy before 1.24) sends it to the Service chain`;
    if (/^pod traffic for .* external destinations/.test(c)) return `${s.chain} "${c}" sends it to ${s.effect.replace(/^jump /, '')}, every endpoint`;
  }
  const ext = path.steps.find((s) => s.chain?.startsWith('KUBE-EXT-') || s.chain?.startsWith('KUBE-FW-'));
  if (ext) return `KUBE-SERVICES sends it to ${ext.chain}, the Service's external chain, which masquerades it and picks any endpoint`;
  const ipvs = path.steps.find((s) => s.hook === 'ipvs');
  if (ipvs) return `the address is bound on the node, so IPVS takes it (${ipvs.effect})`;
  return 'its rules DNAT it';
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const mode = node.catalogue.mode;
      // Without the node's addresses every trace forks on "is this address local?": nothing to conclude.
      if ((mode !== 'iptables' && mode !== 'ipvs') || node.snapshot.localAddresses === null) continue;
      for (const t of loadBalancerTargets(node)) {
        const pod = node.podAddress(t.family);
        if (!pod) continue;
        const result = node.trace({ origin: 'pod', family: t.family, src: pod.address, dst: t.address, proto: t.proto, dport: t.port });
        const paths = result.paths;
        // Every path DNATed on this node, none dead, none hanging on a missing fact.
        if (!conclusive(result) || !paths.every((p) => !isDead(p) && p.dnat !== null)) continue;
        const lb = t.family === 'ipv6' ? `[${t.ip}]:${t.port}` : `${t.ip}:${t.port}`;
        const to = [...new Set(paths.map((p) => p.dnat!.to))];
        const first = paths[0]!;
        const evidence = stepEvidence(first, ['PREROUTING', 'OUTPUT']).filter((e) => /KUBE-(SERVICES|XLB|EXT|FW|SVC|SVL|SEP|LOAD-BALANCER)/.test(e.note));
        findings.push(
          findingOf(meta, 'redirected', [t.label, lb, node.name, howCaught(first), to.length > 3 ? `${to.slice(0, 3).join(', ')} and ${to.length - 3} more` : to.join(', ')], {
            node: node.name,
            services: [t.label],
            evidence,
          }),
        );
      }
    }
    return findings;
  },
});

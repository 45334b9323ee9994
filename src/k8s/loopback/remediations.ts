/**
 * Remediations, ranked for the case found. From the seed documents (Tencent TKE and Alibaba ACK
 * write-ups) and beyond (KEP-1860 ipMode).
 */
import type { LbServiceFacts } from './service.js';
import type { LbModel, LoopbackVerdict, Remediation } from './types.js';

const R = {
  dns: { id: 'use-service-dns', title: 'Call the Service by its DNS name', detail: 'Use <name>.<namespace>.svc.cluster.local from inside the cluster instead of the LB address: kube-proxy forwards it on the node, the LB is never involved.', cost: null },
  coredns: { id: 'coredns-rewrite', title: 'CoreDNS rewrite', detail: 'When clients must use the public domain, add `rewrite name <domain> <name>.<namespace>.svc.cluster.local` to the CoreDNS Corefile so in-cluster lookups resolve to the Service.', cost: 'one more thing to keep in sync with the Ingress hosts' },
  cluster: { id: 'etp-cluster', title: 'externalTrafficPolicy: Cluster', detail: 'kube-proxy then marks the request (KUBE-MARK-MASQ) and masquerades it to the node address; an LB that does not forward back to the source address (Tencent CLB) never loops, and every node can answer.', cost: 'the backend sees the node address, not the client address; one more hop' },
  affinity: { id: 'anti-affinity-local', title: 'Pod anti-affinity + externalTrafficPolicy: Local', detail: 'Keep clients and servers on different nodes; with Local the LB only forwards to nodes with a server, so it never picks the client\'s node.', cost: 'scheduling constraints; uneven load' },
  daemonset: { id: 'ingress-daemonset', title: 'Run the ingress controller (or server) as a DaemonSet', detail: 'Every node then has a local endpoint, so Local never drops and never needs another node.', cost: 'one pod per node' },
  preventLoopback: { id: 'tencent-prevent-loopback', title: 'service.cloud.tencent.com/prevent-loopback: "true"', detail: 'TKE\'s kube-proxy then binds the CLB VIP on kube-ipvs0 (in-cluster calls short-circuit) and the CLB health probes move to 100.64.0.0/10 (no martian drop). Needs a recent TKE kube-proxy.', cost: 'in-cluster calls bypass the CLB' },
  l7snat: { id: 'l7-snat-keepalive', title: 'CLB L7 SNAT + keep-alive', detail: 'Ask for the CLB layer-7 SNAT/keep-alive allow-list: the CLB then talks to backends from 100.127.0.0/16, so a backend on the client\'s node answers the CLB, not the pod.', cost: 'client IP only in X-Forwarded-For; allow 100.127.0.0/16 in security groups' },
  ipModeVip: { id: 'ipmode-vip', title: 'Let kube-proxy short-circuit the LB IP (ipMode: VIP)', detail: 'With status.loadBalancer.ingress[].ipMode: VIP (the default, KEP-1860) kube-proxy handles in-cluster traffic to the LB IP on the node; make sure the cloud controller does not set Proxy, and in IPVS mode that the LB IP is bound on kube-ipvs0.', cost: 'in-cluster calls bypass the LB' },
  ipModeProxy: { id: 'ipmode-proxy', title: 'ipMode: Proxy (KEP-1860)', detail: 'Have the cloud controller set status.loadBalancer.ingress[].ipMode: Proxy: kube-proxy stops binding/short-circuiting the LB IP, so health probes from the VIP are not martians and in-cluster traffic really goes through the LB (which must then handle hairpin traffic).', cost: 'in-cluster calls pay the LB hop; loopback comes back unless the LB SNATs' },
} satisfies Record<string, Remediation>;

export function remediationsFor(verdict: LoopbackVerdict, model: LbModel, service: LbServiceFacts): Remediation[] {
  const tencent = model.id.startsWith('tencent');
  switch (verdict) {
    case 'loopback':
      return [R.dns, R.coredns, ...(service.policy !== 'Cluster' ? [R.cluster] : []), R.affinity, ...(tencent ? [R.preventLoopback] : []), ...(model.retryAfterSeconds !== null ? [R.l7snat] : []), R.ipModeVip];
    case 'blackhole':
      return [R.daemonset, R.cluster, R.dns, R.coredns];
    case 'health-check-failure':
      return [...(tencent ? [R.preventLoopback] : []), R.ipModeProxy];
    case 'short-circuit':
      return [R.ipModeProxy];
    case 'works':
      return [];
    default: {
      const never: never = verdict;
      return never;
    }
  }
}

/**
 * net.ipv4.vs.conntrack = 0 on an IPVS node. IPVS then keeps its connections out of conntrack
 * (ip_vs_xmit.c ip_vs_nat_send_or_cont: without sysctl_conntrack the skb leaves untracked), so the
 * nat table's POSTROUTING never masquerades IPVS-forwarded packets: KUBE-POSTROUTING's MASQUERADE
 * for marked (0x4000) and hairpin (KUBE-LOOP-BACK) traffic does nothing. kube-proxy sets 1 at start
 * (pkg/proxy/ipvs/proxier.go sysctlVSConnTrack); 0 means something reset it.
 */
import { vsConntrack } from '../../../model/sysctl/index.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'ipvs-conntrack-disabled',
  severity: 'error',
  title: 'net.ipv4.vs.conntrack is 0 on an IPVS node: Service traffic is not masqueraded',
  docs: 'docs/checks/ipvs-conntrack-disabled.md',
  requires: ['ipvs', 'sysctls'],
  messages: {
    disabled: (node: string) => ({
      title: `${node}: net.ipv4.vs.conntrack=0 while kube-proxy runs in IPVS mode`,
      explanation:
        'With net.ipv4.vs.conntrack=0, IPVS forwards its connections without conntrack entries, and the nat table cannot masquerade them: kube-proxy\'s KUBE-POSTROUTING MASQUERADE never applies to IPVS traffic. ' +
        'Traffic that must be masqueraded then leaves with its original source: NodePort and LoadBalancer traffic with externalTrafficPolicy: Cluster reaches endpoints on other nodes with the client address (the reply bypasses this node and is dropped), and a pod calling a Service that picks the pod itself (hairpin) gets no answer. kube-proxy sets it to 1 at start.',
      remediation: 'Set net.ipv4.vs.conntrack=1 (sysctl -w, and in /etc/sysctl.d) and find what resets it (a tuning profile, an init script); restarting kube-proxy sets it again.',
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const sysctls = node.snapshot.sysctls;
      if (node.catalogue.mode !== 'ipvs' || !sysctls) continue;
      const reading = vsConntrack(sysctls);
      // Only a value read from the dump: an absent key means ip_vs is not loaded, which the IPVS dump contradicts.
      if (reading.origin !== 'dump' || reading.value || !reading.at) continue;
      findings.push(findingOf(meta, 'disabled', [node.name], { node: node.name, evidence: [{ at: reading.at, note: 'net.ipv4.vs.conntrack = 0' }] }));
    }
    return findings;
  },
});

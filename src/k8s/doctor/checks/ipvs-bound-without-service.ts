/**
 * Addresses bound on kube-ipvs0 with no IPVS virtual service. kube-proxy binds an address there
 * only for a Service and unbinds it when the Service goes (the "legacy bind address" cleanup of
 * pkg/proxy/ipvs/proxier.go); one left over makes the node treat the address as its own: packets
 * to it are delivered to local sockets (or rejected by KUBE-IPVS-FILTER) instead of going where
 * the address now lives — e.g. a LoadBalancer IP reassigned to another Service or cluster.
 */
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import { hasReadErrors } from '../paths.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'ipvs-bound-without-service',
  severity: 'warning',
  title: 'An address is bound on kube-ipvs0 but no IPVS virtual service uses it',
  docs: 'docs/checks/ipvs-bound-without-service.md',
  requires: ['ipvs', 'interfaces'],
  messages: {
    stale: (ip: string, iface: string) => ({
      title: `${ip} is bound on ${iface} but has no IPVS virtual service`,
      explanation:
        `kube-proxy binds an address on ${iface} only while a Service uses it, and unbinds it when the Service goes. ${ip} is bound with no virtual service: the node still treats it as its own, so packets to it are delivered to local sockets (nothing listens: refused) or rejected by KUBE-IPVS-FILTER, instead of reaching wherever that address lives now. ` +
        'It is a leftover of a deleted Service (kube-proxy failed to clean up), or the dumps were taken a moment apart.',
      remediation: `If it persists in dumps taken together, delete it (ip addr del ${ip}/${ip.includes(':') ? 128 : 32} dev ${iface}) and check kube-proxy's logs for sync errors.`,
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const table = node.snapshot.ipvs;
      if (!table || hasReadErrors(node, 'ipvs')) continue;
      const used = new Set(table.services.flatMap((vs) => (vs.address ? [`${vs.address.family}:${vs.address.first}`] : [])));
      for (const iface of node.snapshot.interfaces ?? []) {
        if (iface.name !== 'kube-ipvs0') continue;
        for (const a of iface.addresses) {
          if (a.scope === 'link' || used.has(`${a.family}:${a.address.first}`)) continue;
          findings.push(findingOf(meta, 'stale', [a.address.text, iface.name], { node: node.name, evidence: [{ at: a.at, note: `${a.address.text} bound on ${iface.name}` }] }));
        }
      }
    }
    return findings;
  },
});

/**
 * IPVS virtual services whose address is not an address of the node. IPVS sees a packet only at
 * LOCAL_IN (ip_vs_remote_request4) or LOCAL_OUT, i.e. when routing says the destination is local;
 * kube-proxy therefore binds every cluster IP (and LoadBalancer / external IP) on the dummy
 * kube-ipvs0. A cluster IP that is not bound is routed away instead of load-balanced (error). A
 * LoadBalancer IP that is not bound is a choice some clouds make (TKE: CLB health probes come from
 * the VIP; see health-probe-martian), with the price that in-cluster calls leave the node (info;
 * see lb-loopback-unmasqueraded).
 */
import type { VirtualService } from '../../../model/ipvs/types.js';
import { defineCheck, defineMeta, findingOf, listText } from '../finding.js';
import { hasReadErrors } from '../paths.js';
import type { Finding, Severity } from '../types.js';

const meta = defineMeta({
  id: 'ipvs-vip-not-bound',
  severity: 'warning',
  title: 'An IPVS virtual service address is not bound on the node',
  docs: 'docs/checks/ipvs-vip-not-bound.md',
  requires: ['ipvs', 'interfaces'],
  messages: {
    clusterIp: (ip: string, ports: string) => ({
      title: `cluster IP ${ip} has IPVS virtual services (${ports}) but is not bound on the node`,
      explanation:
        `IPVS only sees packets the routing decision delivers locally, which is why kube-proxy binds every cluster IP on kube-ipvs0. ${ip} is not an address of this node, so a pod's packet to it is routed out by the default route instead of load-balanced: the Service does not work from this node. ` +
        'kube-proxy re-binds addresses on every sync, so a missing one means kube-proxy is failing (or something removed it, e.g. a network manager flushing kube-ipvs0).',
      remediation: 'Check kube-proxy\'s logs on this node; make sure no network manager manages kube-ipvs0 (NetworkManager: unmanaged-devices=interface-name:kube-ipvs0). Restarting kube-proxy re-binds the addresses.',
    }),
    loadBalancer: (ip: string, ports: string) => ({
      title: `LoadBalancer IP ${ip} has IPVS virtual services (${ports}) but is not bound on the node`,
      explanation:
        `${ip} is a LoadBalancer address with IPVS virtual services, but it is not bound on kube-ipvs0, so IPVS only handles it when a packet arrives with that destination and is delivered locally — not for pods on this node, whose requests leave for the load balancer. ` +
        'Some cloud providers do this on purpose (TKE leaves CLB VIPs unbound so that CLB health probes from the VIP are not dropped as martians); the price is the loopback described by lb-loopback-unmasqueraded.',
      remediation: 'Nothing to do if this is your provider\'s design; see lb-loopback-unmasqueraded for its effect on in-cluster callers.',
    }),
    other: (ip: string, ports: string) => ({
      title: `${ip} has IPVS virtual services (${ports}) but is not bound on the node`,
      explanation:
        `${ip} is not an address of this node, so IPVS sees packets to it only if something else delivers them locally. kube-proxy binds the external IPs it serves on kube-ipvs0; an unbound one is answered only where the network delivers it to a node that has it.`,
      remediation: 'Check kube-proxy\'s logs on this node and whether the address should be bound (kube-ipvs0).',
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const table = node.snapshot.ipvs;
      if (!table || node.snapshot.localAddresses === null || hasReadErrors(node, 'iproute')) continue;
      const clusterIps = new Set(node.catalogue.services.flatMap((s) => s.clusterIPs));
      const lbIps = new Set(node.catalogue.services.flatMap((s) => s.loadBalancerIPs));
      for (const m of node.snapshot.ipsets?.find((s) => s.name === 'KUBE-LOAD-BALANCER' || s.name === 'KUBE-6-LOAD-BALANCER')?.members ?? []) {
        const a = m.dims.find((d) => d.kind === 'address');
        if (a && a.kind === 'address') lbIps.add(a.text);
      }
      const byAddress = new Map<string, VirtualService[]>();
      for (const vs of table.services) {
        if (!vs.address) continue;
        if (node.facts(vs.address.family).isLocal(vs.address.first) !== false) continue;
        byAddress.set(vs.address.text, [...(byAddress.get(vs.address.text) ?? []), vs]);
      }
      for (const [ip, list] of byAddress) {
        const ports = listText(list.map((vs) => `${vs.protocol}/${vs.port ?? '?'}`));
        const kind = lbIps.has(ip) ? 'loadBalancer' : clusterIps.has(ip) ? 'clusterIp' : 'other';
        const severity: Severity = kind === 'loadBalancer' ? 'info' : kind === 'clusterIp' ? 'error' : 'warning';
        findings.push(
          findingOf(meta, kind, [ip, ports], {
            node: node.name,
            severity,
            services: [...new Set(list.flatMap((vs) => node.servicesAt(vs.at)))],
            evidence: list.map((vs) => ({ at: vs.at, note: `virtual service ${vs.protocol.toUpperCase()} ${ip}:${vs.port ?? '?'}; ${ip} is on no interface` })),
          }),
        );
      }
    }
    return findings;
  },
});

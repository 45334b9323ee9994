/**
 * IPVS virtual services with no real server to send a new connection to: none listed, or every
 * one at weight 0 (kube-proxy quiesces terminating endpoints with weight 0). ip_vs_schedule finds
 * no destination and ip_vs_leave answers the client with ICMP port unreachable: "connection
 * refused". kube-proxy leaves such a virtual service for a Service without endpoints, and for a
 * Local Service's external addresses on a node without a local endpoint (kube-proxy before 1.21);
 * those two cases are named, at info (service-no-endpoints-anywhere and local-policy-no-endpoint
 * tell their story). The virtual services of one NodePort (one per node address) count as one.
 */
import type { VirtualService } from '../../../model/ipvs/types.js';
import { defineCheck, defineMeta, findingOf, listText } from '../finding.js';
import type { Finding, NodeContext } from '../types.js';

const meta = defineMeta({
  id: 'ipvs-no-real-server',
  severity: 'warning',
  title: 'IPVS virtual services with no real server refuse connections',
  docs: 'docs/checks/ipvs-no-real-server.md',
  requires: ['ipvs'],
  messages: {
    empty: (what: string, vss: string, quiesced: boolean, count: number) => ({
      title: `${what}: IPVS ${vss} ${quiesced ? `${count === 1 ? 'has' : 'have'} only real servers of weight 0` : `${count === 1 ? 'has' : 'have'} no real server`}`,
      explanation:
        `IPVS has nowhere to send a new connection to ${vss}${quiesced ? ' (every real server has weight 0: quiesced, as kube-proxy does for terminating endpoints)' : ''}: ip_vs_schedule finds no destination and the kernel answers the client with ICMP port unreachable, which the client sees as "connection refused". ` +
        'kube-proxy leaves a virtual service empty while its Service has no ready endpoint; one that stays empty while the Service has endpoints points at kube-proxy sync errors.',
      remediation: 'Check the Service\'s endpoints (kubectl get endpointslices -l kubernetes.io/service-name=<name>): selector, readiness probes, pods pending. If it has ready endpoints, look at kube-proxy\'s logs on this node for sync errors.',
    }),
    noEndpoints: (what: string, vss: string) => ({
      title: `${what} has no endpoints: IPVS ${vss} refuses connections`,
      explanation:
        `The Service has no ready endpoint anywhere, so kube-proxy left ${vss} without real servers; IPVS answers new connections with ICMP port unreachable ("connection refused"). ` +
        'This is what a Service without endpoints does in IPVS mode (iptables mode REJECTs in KUBE-SERVICES the same way); service-no-endpoints-anywhere reports the Service itself.',
      remediation: 'Check the Service\'s selector and its pods\' readiness (kubectl get endpointslices -l kubernetes.io/service-name=<name>); scale it up if it was scaled to zero on purpose and callers still use it.',
    }),
    localNone: (what: string, vss: string, count: number) => ({
      title: `${what}: IPVS ${vss} ${count === 1 ? 'is' : 'are'} empty on this node (Local policy, no local endpoint)`,
      explanation:
        `The Service has externalTrafficPolicy: Local and no endpoint on this node, so kube-proxy gave its external virtual services (${vss}) no real server: connections to them arriving here are refused. ` +
        'See local-policy-no-endpoint for who is affected.',
      remediation: 'See local-policy-no-endpoint.',
    }),
  },
});

function vsText(vs: VirtualService): string {
  if (vs.fwmark !== null) return `FWM ${vs.fwmark}`;
  const host = vs.address?.family === 'ipv6' ? `[${vs.host}]` : vs.host;
  return `${vs.protocol.toUpperCase()} ${host}:${vs.portText ?? vs.port ?? '?'}`;
}

/** A NodePort's virtual services (one per node address) as one: its catalogue entry, or `NodePort 31080/tcp`. */
function nodePortLabel(node: NodeContext, vs: VirtualService): string | null {
  if (!vs.address || vs.port === null || node.facts(vs.address.family).localInterface(vs.address.first) === 'kube-ipvs0') return null;
  if (node.facts(vs.address.family).isLocal(vs.address.first) !== true) return null;
  const service = node.catalogue.services.find((s) => s.nodePort === vs.port && s.protocol === vs.protocol);
  return service ? node.label(service) : `NodePort ${vs.port}/${vs.protocol}`;
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const table = node.snapshot.ipvs;
      if (!table) continue;
      const groups = new Map<string, VirtualService[]>();
      for (const vs of table.services) {
        const usable = vs.realServers.filter((rs) => rs.weight === null || rs.weight > 0);
        if (usable.length > 0) continue;
        const label = node.servicesAt(vs.at)[0] ?? nodePortLabel(node, vs) ?? vsText(vs);
        groups.set(label, [...(groups.get(label) ?? []), vs]);
      }
      for (const [label, list] of groups) {
        const service = node.catalogue.services.find((s) => node.label(s) === label);
        const vss = listText(list.map(vsText));
        const quiesced = list.every((vs) => vs.realServers.length > 0);
        const evidence = list.map((vs) => ({ at: vs.at, note: `${vsText(vs)}: ${vs.realServers.length === 0 ? 'no real server' : 'every real server at weight 0'}` }));
        const fields = { node: node.name, services: service ? [label] : [], evidence };
        if (service?.noEndpoints) findings.push(findingOf(meta, 'noEndpoints', [label, vss], { ...fields, severity: 'info' }));
        else if (service?.externalTrafficPolicy === 'Local' && !quiesced) findings.push(findingOf(meta, 'localNone', [label, vss, list.length], { ...fields, severity: 'info' }));
        else findings.push(findingOf(meta, 'empty', [label, vss, quiesced, list.length], fields));
      }
    }
    return findings;
  },
});

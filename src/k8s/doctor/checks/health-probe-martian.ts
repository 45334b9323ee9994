/**
 * Case 5 (kubernetes/kubernetes#79783): the LoadBalancer IP is bound on the node (kube-ipvs0 in
 * IPVS mode), and a load balancer that sends its health probes *from the VIP itself* (Tencent
 * CLB) reaches the node with a source address the node owns. ip_route_input → fib_validate_source
 * refuses a local source arriving on a non-loopback interface unless accept_local is set: the
 * probe is dropped as a martian, the LB marks the node unhealthy. The evaluator traces the probe
 * (src = LB IP, dst = the node's uplink address, port = the health-check NodePort or NodePort).
 * One finding per node, naming every LB IP concerned. kube-proxy binds every LB IP in IPVS mode,
 * and most load balancers probe from elsewhere: info unless --lb-model says probes come from the VIP.
 */
import { acceptLocal } from '../../../model/sysctl/index.js';
import { defineCheck, defineMeta, findingOf, listText } from '../finding.js';
import { conclusive, evidenceOf, localAddressAt, loadBalancerTargets, type LbTarget } from '../paths.js';
import type { Finding, FindingEvidence, Severity } from '../types.js';

const meta = defineMeta({
  id: 'health-probe-martian',
  severity: 'info',
  title: 'LB health probes sent from the LB IP are dropped as martians (LB IP bound on the node)',
  docs: 'docs/checks/health-probe-martian.md',
  requires: ['kube-proxy', 'interfaces', 'routes'],
  messages: {
    martian: (node: string, ips: string, count: number, iface: string, example: string, services: string, model: string) => ({
      title: `${node}: health probes from ${count === 1 ? `LoadBalancer IP ${ips}` : `${count} LoadBalancer IPs (${ips})`} would be dropped as martians (bound on ${iface})`,
      explanation:
        `kube-proxy bound the LoadBalancer address${count === 1 ? '' : 'es'} ${ips} (${services}) on ${iface}, so that in-cluster calls to ${count === 1 ? 'it are' : 'them are'} served on the node. ` +
        `A load balancer that sends its health probes from that same address (Tencent CLB does; kubernetes/kubernetes#79783) reaches ${node} with a source address ${node} owns: the kernel drops such a packet as a martian (fib_validate_source refuses a local source on a non-loopback interface while accept_local is 0). ` +
        `The traced probe ${example} is dropped before any rule sees it; the load balancer never gets an answer, marks ${node} unhealthy and stops sending it traffic.${model}`,
      remediation:
        'Do not bind the LB IP on the nodes when the LB probes from its VIP: set status.loadBalancer.ingress[].ipMode: Proxy (KEP-1860) so kube-proxy leaves it alone, or on TKE use service.cloud.tencent.com/prevent-loopback, which also moves the probes to 100.64.0.0/10. ' +
        'If the LB can probe from another address, configure that instead. Setting accept_local=1 on the uplink lets the probe in, but the reply to a local address then never leaves the node.',
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    const model = ctx.lbModel;
    // Where the probes come from decides whether this matters: only a model says (kube-proxy binds every LB IP in IPVS mode).
    const severity: Severity = model?.probeFromVip ? 'error' : 'info';
    const modelText = model
      ? model.probeFromVip
        ? ` With --lb-model ${model.id} (${model.title}) probes do come from the VIP: the node is taken out of the load balancer.`
        : ` With --lb-model ${model.id} (${model.title}) probes come from elsewhere, so this matters only if that changes.`
      : ' Whether it matters depends on where the load balancer probes from: give --lb-model (tencent-clb probes from the VIP).';
    for (const node of ctx.nodes) {
      const mode = node.catalogue.mode;
      if ((mode !== 'iptables' && mode !== 'ipvs') || node.snapshot.localAddresses === null) continue;
      const byIp = new Map<string, LbTarget[]>();
      for (const t of loadBalancerTargets(node)) {
        if (!localAddressAt(node, t.family, t.address)) continue;
        byIp.set(t.ip, [...(byIp.get(t.ip) ?? []), t]);
      }
      const dropped: { ip: string; targets: LbTarget[]; probe: string; evidence: FindingEvidence[]; iface: string }[] = [];
      for (const [ip, targets] of byIp) {
        const t = targets[0]!;
        const self = node.nodeAddress(t.family);
        if (!self) continue;
        const bound = localAddressAt(node, t.family, t.address)!;
        const port = t.service.healthCheckNodePort ?? t.service.nodePort ?? t.port;
        const result = node.trace({ origin: 'external', family: t.family, src: t.address, dst: self.address, proto: t.proto, dport: port });
        const martian = conclusive(result) && result.paths.every((p) => p.disposition === 'drop' && (p.reason ?? '').startsWith('martian source'));
        if (martian) dropped.push({ ip, targets, probe: `${ip} → ${self.text}:${port}`, evidence: evidenceOf(bound.at, `${ip} is bound on ${bound.iface}`), iface: bound.iface });
      }
      if (dropped.length === 0) continue;
      const first = dropped[0]!;
      const uplink = node.facts(first.targets[0]!.family).uplink() ?? 'all';
      const sysctl = node.snapshot.sysctls ? acceptLocal(node.snapshot.sysctls, uplink) : null;
      const labels = [...new Set(dropped.flatMap((d) => d.targets.map((x) => x.label)))];
      const ips = dropped.map((d) => d.ip);
      const ipsText = ips.length > 5 ? `${ips.slice(0, 5).join(', ')} and ${ips.length - 5} more` : listText(ips);
      const servicesText = labels.length > 5 ? `${labels.slice(0, 5).join(', ')} and ${labels.length - 5} more` : listText(labels);
      const ifaces = [...new Set(dropped.map((d) => d.iface))].join(', ');
      findings.push(
        findingOf(meta, 'martian', [node.name, ipsText, ips.length, ifaces, first.probe, servicesText, modelText], {
          node: node.name,
          services: labels,
          evidence: [...dropped.flatMap((d) => d.evidence), ...evidenceOf(sysctl?.at, `accept_local=${sysctl?.value ? 1 : 0} (${sysctl?.source ?? ''})`)],
          severity,
        }),
      );
    }
    return findings;
  },
});

/**
 * Case 1 (TKE, IPVS mode, LB IP not bound on kube-ipvs0): a pod's request to its own cluster's
 * LoadBalancer IP leaves the node without SNAT. With `externalTrafficPolicy: Local` kube-proxy
 * keeps the client address on purpose (IPVS: the LB IP:port is in KUBE-LOAD-BALANCER-LOCAL, so
 * KUBE-LOAD-BALANCER RETURNs before KUBE-MARK-MASQ); if the load balancer then forwards the request
 * to this very node, the node DNATs it to a local pod whose reply goes straight back to the
 * client pod instead of through the LB (seeds 000/001/003: "loopback").
 *
 * Per node the evaluator traces the pod's packet; with several nodes the LB-loopback scenario
 * (src/k8s/loopback) gives the probability that the LB picks the client's own node.
 */
import { LB_MODELS } from '../../loopback/lb-models.js';
import { simulateLoopback } from '../../loopback/scenario.js';
import { defineCheck, defineMeta, findingOf, listText, percent } from '../finding.js';
import { isLocalAddress, leavesUntouched, loadBalancerTargets, serviceEvidence, stepEvidence } from '../paths.js';
import type { Finding } from '../types.js';

const REMEDIATION =
  'Call the Service by its DNS name (<name>.<namespace>.svc) or cluster IP from inside the cluster, or add a CoreDNS rewrite for the public name, so kube-proxy handles the call on the node. ' +
  'Or set externalTrafficPolicy: Cluster: kube-proxy then masquerades the request to the node address, and a load balancer that never forwards a request back to its source (Tencent CLB) cannot loop (the backend sees the node address instead of the client). ' +
  'Or have kube-proxy short-circuit the LB IP: bind it on kube-ipvs0 (status.loadBalancer.ingress[].ipMode: VIP; on TKE the service.cloud.tencent.com/prevent-loopback annotation) — see health-probe-martian for what that costs with probes from the VIP. ' +
  'With Local, pod anti-affinity keeps clients off the nodes that run the Service.';

const meta = defineMeta({
    id: 'lb-loopback-unmasqueraded',
    severity: 'warning',
    title: "A pod's request to its own LoadBalancer IP leaves the node without SNAT (LB loopback)",
    docs: 'docs/checks/lb-loopback-unmasqueraded.md',
    requires: ['kube-proxy', 'interfaces', 'routes'],
    messages: {
      unmasqueraded: (service: string, lb: string, node: string, pod: string, policy: string, share: string, how: string, extra: string) => ({
        title: `${service}: pods on ${node} calling LoadBalancer ${lb} leave the node without SNAT`,
        explanation:
          `On ${node}, ${lb.replace(/:\d+$/, '')} is not an address of the node, so a pod's request to ${lb} is routed out of the node to the load balancer, and kube-proxy does not masquerade it (${policy}; ${how}). ` +
          `The load balancer sees the pod's own address (${pod} in this trace) as the source. If it forwards the request to a backend on ${node} itself, ${node} DNATs it to a local endpoint and the endpoint's reply goes straight back to the pod instead of through the load balancer: the client waits for an answer from ${lb} that never comes. ` +
          `With N nodes behind the load balancer that happens to about 1 connection in N (on a one-node cluster, to every one), as timeouts, or a few seconds' delay when an L7 LB retries. ${share} of the traced requests leave unmasqueraded.${extra}`,
        remediation: REMEDIATION,
      }),
      loopback: (service: string, lb: string, node: string, p: string, model: string, why: string, nodes: string) => ({
        title: `${service}: a pod on ${node} calling ${lb} loops back through the load balancer (p=${p})`,
        explanation:
          `Simulated over ${nodes} (assumed to be every node behind the load balancer; more nodes with an endpoint lower the probability), with the load balancer model "${model}": ${why} ` +
          `So ${p} of the connections from a pod on ${node} to ${lb} (${service}) fail or stall. The request leaves ${node} without SNAT, which is what lets the load balancer send it back to the client's own node.`,
        remediation: REMEDIATION,
      }),
    },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    const several = ctx.nodes.length > 1;
    for (const node of ctx.nodes) {
      const mode = node.catalogue.mode;
      if ((mode !== 'iptables' && mode !== 'ipvs') || node.snapshot.localAddresses === null) continue;
      for (const t of loadBalancerTargets(node)) {
        if (isLocalAddress(node, t.family, t.address) !== false) continue;
        const pod = node.podAddress(t.family);
        if (!pod) continue;
        const result = node.trace({ origin: 'pod', family: t.family, src: pod.address, dst: t.address, proto: t.proto, dport: t.port });
        // Only paths that hold without guesses: a condition on a missing fact is not a finding.
        const leaving = result.paths.filter((p) => leavesUntouched(p) && p.conditions.every((c) => c.kind === 'random' || c.kind === 'ipvs'));
        if (leaving.length === 0) continue;
        const share = leaving.reduce((s, p) => s + p.probability, 0);
        const lb = t.family === 'ipv6' ? `[${t.ip}]:${t.port}` : `${t.ip}:${t.port}`;
        const policy =
          t.service.externalTrafficPolicy === 'Local'
            ? 'externalTrafficPolicy: Local keeps the client address'
            : t.service.externalTrafficPolicy === 'Cluster'
              ? 'the Service is Cluster, yet no masquerade rule applies on the way'
              : 'the traffic policy is not readable from the rules';
        const returns = leaving[0]!.steps.filter((s) => s.at && /RETURN/.test(s.effect) && (s.hook === 'PREROUTING' || s.hook === 'POSTROUTING' || s.hook === 'OUTPUT'));
        const how = returns.length
          ? `it RETURNs at ${returns.map((s) => `${s.table}/${s.chain}#${s.rule}${s.comment ? ` "${s.comment}"` : ''}`).join(' and ')}`
          : 'no rule on its path marks it for masquerade';
        const evidence = [...serviceEvidence(t.service, ['load-balancer-ip', 'external-traffic-policy']), ...stepEvidence(leaving[0]!, ['PREROUTING', 'OUTPUT', 'POSTROUTING'])];
        const base = { node: node.name, services: [t.label], evidence };
        let extra = ` The pod address is ${pod.why}.`;
        if (several && t.proto !== 'sctp') {
          const model = ctx.lbModel ?? LB_MODELS['tencent-clb'];
          const sim = simulateLoopback({
            nodes: ctx.nodes.map((n) => n.snapshot),
            lb: { ip: t.ip, port: t.port, proto: t.proto },
            client: { podIp: pod.text, node: node.name },
            model,
          });
          if (sim.ok) {
            const loop = sim.result.outcomes.filter((o) => o.verdict === 'loopback');
            const p = loop.reduce((s, o) => s + o.probability, 0);
            if (p > 0) {
              findings.push(findingOf(meta, 'loopback', [t.label, lb, node.name, percent(p), model.title, loop[0]!.explanation, listText(ctx.nodes.map((n) => n.name))], { ...base, severity: 'error' }));
              continue;
            }
            extra += ` Simulated over the ${ctx.nodes.length} nodes given with "${model.title}": ${sim.result.verdict} (no loopback from ${node.name} today, but it comes back when an endpoint is scheduled here or the LB behaves differently).`;
          }
        }
        findings.push(findingOf(meta, 'unmasqueraded', [t.label, lb, node.name, pod.text, policy, percent(share), how, extra], base));
      }
    }
    return findings;
  },
});

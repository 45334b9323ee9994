/**
 * Cases 2 and 4: a Service with `externalTrafficPolicy: Local` and no endpoint on this node.
 * kube-proxy sends external traffic only to local endpoints (to keep the client's address), so
 * on such a node:
 *   - NodePort / LB traffic arriving here is dropped (iptables: the "has no local endpoints" DROP
 *     in KUBE-EXTERNAL-SERVICES / KUBE-XLB- → KUBE-MARK-DROP; IPVS ≤ 1.20: the virtual service has
 *     no real server) — why an external IP answers from some nodes only (seed 004);
 *   - when the LB IP is bound on the node (ACK, upstream IPVS), a pod calling it is handled on the
 *     node and gets "connection refused" (IPVS: ip_vs_leave answers ICMP port unreachable; seed 002);
 *   - newer kube-proxy in IPVS mode keeps every endpoint instead but still does not masquerade, so
 *     the packet goes to another node with the client's address and the reply does not come back
 *     through this node.
 * Each of these is the evaluator's trace of that packet, not a guess from the rule shapes.
 */
import type { TracePath } from '../../../eval/types.js';
import { findVirtualService } from '../../../model/ipvs/lookup.js';
import { parseAddress, parseCidr, type Family } from '../../../model/values/address.js';
import type { ServicePort } from '../../types.js';
import { defineCheck, defineMeta, findingOf, listText } from '../finding.js';
import { conclusive, decidingStep, evidenceOf, isDead, isLocalAddress, localAddressAt, serviceEvidence } from '../paths.js';
import type { Finding, FindingEvidence, NodeContext } from '../types.js';

const REMEDIATION =
  'If clients must reach the Service through every node, set externalTrafficPolicy: Cluster (the backend then sees the node address, not the client address). ' +
  'To keep Local, run an endpoint on every node that receives the traffic (a DaemonSet for an ingress controller), or make sure only nodes with an endpoint receive it: a load balancer health-checking the healthCheckNodePort does that for LB traffic; NodePorts and external IPs called directly do not. ' +
  'Pods inside the cluster should call the Service by its DNS name or cluster IP, which every node serves.';

const meta = defineMeta({
  id: 'local-policy-no-endpoint',
  severity: 'warning',
  title: 'A Service with externalTrafficPolicy: Local has no endpoint on this node',
  docs: 'docs/checks/local-policy-no-endpoint.md',
  requires: ['kube-proxy', 'interfaces', 'routes'],
  messages: {
    podsRefused: (service: string, node: string, lb: string, effect: string, bound: string, endpoints: string) => ({
      title: `${service}: pods on ${node} calling ${lb} get "${effect}" (Local policy, no endpoint on this node)`,
      explanation:
        `${lb.replace(/:\d+$/, '')} is ${bound}, so a pod's request to ${lb} does not leave ${node}: kube-proxy handles it on the node. ` +
        `The Service has externalTrafficPolicy: Local, and for Local kube-proxy uses only endpoints on the node itself; ${node} runs none of its endpoints (${endpoints}), so the request is ${effect === 'connection refused' ? 'refused (IPVS finds no real server and answers ICMP port unreachable)' : 'dropped'}. ` +
        'Clients outside the cluster still reach the Service, because the load balancer only sends to nodes with an endpoint; pods on nodes with an endpoint reach it too, which is why it fails only from some nodes.',
      remediation: REMEDIATION,
    }),
    externalDropped: (service: string, node: string, what: string, endpoints: string) => ({
      title: `${service}: ${what} arriving at ${node} is dropped (Local policy, no endpoint on this node)`,
      explanation:
        `The Service has externalTrafficPolicy: Local: kube-proxy sends external traffic only to endpoints on the node it arrives at, so that the client's address is kept. ${node} runs none of its endpoints (${endpoints}), so ${what} arriving here is dropped. ` +
        'A load balancer that health-checks the Service\'s healthCheckNodePort stops sending to this node, so this is expected there; but a NodePort or external IP called directly answers only from nodes that run an endpoint — the classic "works from some nodes only".',
      remediation: REMEDIATION,
    }),
    externalUnmasqueraded: (service: string, node: string, what: string, endpoints: string, to: string) => ({
      title: `${service}: ${what} arriving at ${node} is sent on to ${to} without SNAT (Local policy, no endpoint on this node)`,
      explanation:
        `The Service has externalTrafficPolicy: Local and ${node} runs none of its endpoints (${endpoints}). kube-proxy does not drop the traffic here (newer kube-proxy in IPVS mode keeps the other nodes' endpoints when a node has none) but, Local meaning "keep the client address", it does not masquerade either: ` +
        `the request goes on to ${to} with the client's own address as source, so the endpoint's reply goes straight to the client, not back through ${node} where the connection was DNATed. The client sees a reply from an address it did not call and the connection fails, unless the network sends it back through ${node}.`,
      remediation: REMEDIATION,
    }),
  },
});

/** An address outside the cluster to send external probes from (inside the first source range, when the Service has some). */
function clientAddress(s: ServicePort, family: Family): bigint | null {
  for (const range of s.loadBalancerSourceRanges) {
    const c = parseCidr(range, family);
    if (c) return c.last - c.first > 8n ? c.first + 7n : c.first;
  }
  return parseAddress(family === 'ipv4' ? '198.51.100.7' : '2001:db8:ffff::7', family)?.first ?? null;
}

interface Outcome {
  readonly what: string;
  readonly dead: readonly TracePath[];
  readonly forwarded: readonly TracePath[];
  readonly vsAt: FindingEvidence[];
}

function ipvsLine(node: NodeContext, proto: ServicePort['protocol'], ip: string, port: number): FindingEvidence[] {
  const table = node.snapshot.ipvs;
  if (!table) return [];
  const vs = findVirtualService(table, { protocol: proto, address: ip, port });
  if (!vs) return [];
  return [{ at: vs.at, note: `IPVS virtual service ${ip}:${port}: ${vs.realServers.length === 0 ? 'no real server' : `${vs.realServers.length} real server(s)`}` }];
}

/** Traces one kind of traffic and sorts its paths into dropped and forwarded-without-SNAT. */
function outcome(node: NodeContext, s: ServicePort, what: string, origin: 'pod' | 'external', family: Family, src: bigint, dst: bigint, ip: string, port: number): Outcome {
  const result = node.trace({ origin, family, src, dst, proto: s.protocol, dport: port });
  // A path that depends on a fact the files do not give is not evidence either way.
  const certain = conclusive(result);
  // Dropped for this reason, not another (a loadBalancerSourceRanges firewall, a host firewall).
  const dead = certain && result.paths.every((p) => isDead(p) && dueToLocalPolicy(p)) ? result.paths : [];
  const forwarded = certain ? result.paths.filter((p) => p.disposition === 'egress' && p.dnat !== null && p.snat === null) : [];
  return { what, dead, forwarded, vsAt: ipvsLine(node, s.protocol, ip, port) };
}

/**
 * Whether kube-proxy's Local handling is what stopped the packet: the IPVS virtual service without
 * a real server (ip_vs_leave), or a rule kube-proxy comments "has no local endpoints" on its path
 * (KUBE-EXTERNAL-SERVICES DROP; KUBE-XLB- → KUBE-MARK-DROP before 1.24).
 */
function dueToLocalPolicy(path: TracePath): boolean {
  return /has no available real server/.test(path.reason ?? '') || path.steps.some((s) => /has no local endpoints/.test(s.comment ?? ''));
}

function deadEvidence(o: Outcome): FindingEvidence[] {
  const out: FindingEvidence[] = [...o.vsAt];
  for (const p of o.dead) {
    const step = decidingStep(p);
    if (step) out.push(...evidenceOf(step.at, `${step.table ?? step.hook}/${step.chain ?? ''}${step.rule !== null ? `#${step.rule}` : ''}: ${step.effect}`));
  }
  return out;
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const mode = node.catalogue.mode;
      // Without the node's addresses every trace forks on "is this address local?": nothing to conclude.
      if ((mode !== 'iptables' && mode !== 'ipvs') || node.snapshot.localAddresses === null) continue;
      for (const s of node.catalogue.services) {
        if (s.externalTrafficPolicy !== 'Local' || s.noEndpoints || s.endpoints.length === 0 || s.port === null) continue;
        // Only when the files tell where every endpoint runs: none here, none unknown.
        if (s.endpoints.some((e) => e.local !== false)) continue;
        const label = node.label(s);
        const endpoints = listText(s.endpoints.map((e) => (e.port !== null ? `${e.address}:${e.port}` : e.address)));
        const family: Family = s.endpoints[0]!.address.includes(':') ? 'ipv6' : 'ipv4';
        const evidence = serviceEvidence(s, ['external-traffic-policy', 'remote-endpoint']);
        // Case 2: pods calling an LB IP that is bound here.
        const pod = node.podAddress(family);
        let reported = false;
        for (const ip of s.loadBalancerIPs) {
          const a = parseAddress(ip, family);
          if (!a || !pod || isLocalAddress(node, family, a.first) !== true) continue;
          const lb = family === 'ipv6' ? `[${a.text}]:${s.port}` : `${a.text}:${s.port}`;
          const o = outcome(node, s, `pod traffic to ${lb}`, 'pod', family, pod.address, a.first, a.text, s.port);
          if (o.dead.length === 0) continue;
          const refused = o.dead.some((p) => p.disposition === 'reject');
          const bound = localAddressAt(node, family, a.first);
          const boundText = bound ? `bound on ${bound.iface} of ${node.name}` : `an address of ${node.name}`;
          findings.push(
            findingOf(meta, 'podsRefused', [label, node.name, lb, refused ? 'connection refused' : 'timeout', boundText, endpoints], {
              node: node.name,
              services: [label],
              severity: 'error',
              evidence: [...evidenceOf(bound?.at, `${a.text} is bound on ${bound?.iface ?? 'this node'}`), ...deadEvidence(o), ...evidence],
            }),
          );
          reported = true;
        }
        if (reported) continue;
        // Case 4: external traffic to the NodePort or an LB / external IP arriving here.
        const client = clientAddress(s, family);
        const self = node.nodeAddress(family);
        const outcomes: Outcome[] = [];
        if (client !== null && self && s.nodePort !== null) {
          outcomes.push(outcome(node, s, `NodePort ${s.nodePort} traffic`, 'external', family, client, self.address, self.text, s.nodePort));
        }
        if (client !== null) {
          for (const ip of [...s.loadBalancerIPs, ...s.externalIPs]) {
            const a = parseAddress(ip, family);
            if (!a) continue;
            const o = outcome(node, s, `traffic to ${a.text}:${s.port}`, 'external', family, client, a.first, a.text, s.port);
            // An address kube-proxy does not catch here just leaves again: not this Service's answer.
            if (o.dead.length || o.forwarded.length) outcomes.push(o);
          }
        }
        const dropped = outcomes.filter((o) => o.dead.length > 0);
        if (dropped.length) {
          findings.push(
            findingOf(meta, 'externalDropped', [label, node.name, listText(dropped.map((o) => o.what)), endpoints], {
              node: node.name,
              services: [label],
              evidence: [...dropped.flatMap(deadEvidence), ...evidence],
            }),
          );
          continue;
        }
        const onward = outcomes.filter((o) => o.forwarded.length > 0);
        if (onward.length) {
          const to = [...new Set(onward.flatMap((o) => o.forwarded.map((p) => p.dnat!.to)))];
          findings.push(
            findingOf(meta, 'externalUnmasqueraded', [label, node.name, listText(onward.map((o) => o.what)), endpoints, listText(to)], {
              node: node.name,
              services: [label],
              evidence: [...onward.flatMap((o) => o.vsAt), ...evidence],
            }),
          );
        }
      }
    }
    return findings;
  },
});

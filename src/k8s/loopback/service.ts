/**
 * What the loopback scenario needs to know about the LB's Service on the client's node: its port,
 * NodePort, health-check NodePort and traffic policy, read from kube-proxy's rules (iptables mode:
 * the KUBE-SERVICES rule for the LB IP and the KUBE-NODEPORTS rule to the same chain hash; IPVS
 * mode: the virtual service of the LB IP, the NodePort service with the same real servers, and
 * KUBE-LOAD-BALANCER-LOCAL).
 */
import type { NodeSnapshot } from '../../model/node.js';
import type { Rule } from '../../model/iptables/types.js';
import type { Family } from '../../model/values/address.js';

export interface LbServiceFacts {
  readonly port: number | null;
  readonly nodePort: number | null;
  readonly healthCheckNodePort: number | null;
  readonly policy: 'Local' | 'Cluster' | 'unknown';
  /** `ns/name:port` from rule comments, when there is one. */
  readonly name: string | null;
  readonly notes: readonly string[];
}

function dport(rule: Rule): number | null {
  for (const m of rule.matches) {
    if ((m.kind === 'tcp' || m.kind === 'udp' || m.kind === 'sctp') && m.dport && !m.dport.negated && m.dport.range.from === m.dport.range.to) return m.dport.range.from;
  }
  return null;
}

function destination(rule: Rule): bigint | null {
  const d = rule.matches.find((m) => m.kind === 'destination' && !m.negated);
  return d && d.kind === 'destination' && d.cidr.first === d.cidr.last ? d.cidr.first : null;
}

function hashOf(chain: string): string | null {
  const m = /^KUBE-(EXT|FW|XLB|SVC|SVL)-(\w+)$/.exec(chain);
  return m ? m[2]! : null;
}

function fromIptables(node: NodeSnapshot, lb: bigint, port: number | null, family: Family): LbServiceFacts | null {
  const ruleset = family === 'ipv4' ? node.ipv4 : node.ipv6;
  const nat = ruleset?.tables.find((t) => t.name === 'nat');
  const services = nat?.chainsByName.get('KUBE-SERVICES');
  if (!nat || !services) return null;
  const hit = services.rules.find((r) => destination(r) === lb && (port === null || dport(r) === port) && r.target?.kind === 'jump');
  if (!hit || hit.target?.kind !== 'jump') return null;
  const chain = hit.target.chain;
  const hash = hashOf(chain);
  const nodePorts = nat.chainsByName.get('KUBE-NODEPORTS');
  const npRule = nodePorts?.rules.find((r) => r.target?.kind === 'jump' && hashOf(r.target.chain) === hash);
  const policy = chain.startsWith('KUBE-XLB-') || (chain.startsWith('KUBE-EXT-') && nat.chainsByName.get(chain)?.rules.some((r) => r.target?.kind === 'jump' && r.target.chain.startsWith('KUBE-SVL-')))
    ? 'Local'
    : chain.startsWith('KUBE-FW-') ? localViaFirewall(nat.chainsByName, chain) : 'Cluster';
  const filter = ruleset?.tables.find((t) => t.name === 'filter');
  const name = hit.comment?.replace(/ (loadbalancer|external) IP$/, '') ?? null;
  const hc = filter?.chainsByName.get('KUBE-NODEPORTS')?.rules.find((r) => name !== null && (r.comment ?? '').startsWith(`${name} health check`));
  return { port: dport(hit), nodePort: npRule ? dport(npRule) : null, healthCheckNodePort: hc ? dport(hc) : null, policy, name, notes: [] };
}

function localViaFirewall(chains: ReadonlyMap<string, { rules: readonly Rule[] }>, fw: string): 'Local' | 'Cluster' {
  const targets = chains.get(fw)?.rules.flatMap((r) => (r.target?.kind === 'jump' ? [r.target.chain] : [])) ?? [];
  return targets.some((t) => t.startsWith('KUBE-XLB-') || (t.startsWith('KUBE-EXT-') && chains.get(t)?.rules.some((r) => r.target?.kind === 'jump' && r.target.chain.startsWith('KUBE-SVL-')))) ? 'Local' : 'Cluster';
}

function fromIpvs(node: NodeSnapshot, lb: bigint, port: number | null, family: Family): LbServiceFacts | null {
  const table = node.ipvs;
  if (!table) return null;
  const vs = table.services.find((s) => s.address?.family === family && s.address.first === lb && (port === null || s.port === port));
  if (!vs) return null;
  const key = (rs: readonly { address: { first: bigint } | null; port: number | null }[]) => rs.map((r) => `${r.address?.first ?? ''}:${r.port ?? ''}`).sort().join(',');
  const locals = new Set((node.localAddresses ?? []).filter((a) => a.interface !== 'kube-ipvs0').map((a) => a.address.first));
  const np = table.services.find((s) => s !== vs && s.protocol === vs.protocol && s.address !== null && locals.has(s.address.first) && key(s.realServers) === key(vs.realServers));
  const localSet = node.ipsets?.find((s) => s.name === 'KUBE-LOAD-BALANCER-LOCAL');
  const inLocal = localSet?.members.some((m) => m.dims.some((d) => d.kind === 'address' && d.first === lb) && m.dims.some((d) => d.kind === 'port' && d.from === vs.port));
  const policy = localSet ? (inLocal ? 'Local' : 'Cluster') : 'unknown';
  const notes = np ? [] : ['IPVS: no NodePort virtual service with the same real servers was found'];
  return { port: vs.port, nodePort: np?.port ?? null, healthCheckNodePort: null, policy, name: null, notes };
}

export function resolveLbService(node: NodeSnapshot, lb: bigint, port: number | null, _proto: 'tcp' | 'udp', family: Family): LbServiceFacts {
  return (
    fromIptables(node, lb, port, family) ??
    fromIpvs(node, lb, port, family) ?? { port, nodePort: null, healthCheckNodePort: null, policy: 'unknown', name: null, notes: [`${node.name}: no kube-proxy rule or IPVS service for this LB address`] }
  );
}

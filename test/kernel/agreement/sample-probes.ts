/**
 * The packets each sample is asked about: every Service address and port the rules name, from
 * pod, host and external origins. Read from the iptables model (the same one the evaluator
 * uses, but only to list addresses; the answers come from the kernel):
 * - nat and filter `KUBE-SERVICES` / `KUBE-EXTERNAL-SERVICES`: `-d VIP -p P --dport N` (cluster
 *   IPs, external IPs, load-balancer IPs, and filter's REJECT of Services without endpoints);
 * - `KUBE-NODEPORTS`: `-p P --dport N` on the node's address;
 * - Docker's `DOCKER` chain: published ports, on the node's address unless the rule has `-d`;
 * - IPVS mode: every virtual service of the ipvsadm dump (its KUBE-SERVICES matches ipsets).
 * A loopback destination (Docker's 127.0.0.1 publish) is asked from the host only: a pod's or
 * upstream's own loopback never reaches the node.
 */
import type { Rule, Ruleset } from '../../../src/model/iptables/types.js';
import type { IpvsTable } from '../../../src/model/ipvs/types.js';
import { parseAddress, type Cidr, type Family } from '../../../src/model/values/address.js';
import type { Origin, Protocol } from '../harness/types.js';
import type { AgreementPacket } from './types.js';

/** A Service address and port found in the rules, and where. */
export interface ServicePort {
  readonly dst: string;
  readonly protocol: Protocol;
  readonly dport: number;
  /** `nat/KUBE-SERVICES#12`, `ipvs TCP 10.96.0.10:53`. */
  readonly from: string;
}

const serviceChains = new Set(['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'DOCKER']);
/** Chains whose rules match the node's own addresses without a `-d`. */
const nodeAddressChains = new Set(['KUBE-NODEPORTS', 'DOCKER']);

function protocolOf(rule: Rule): Protocol | null {
  const p = rule.matches.find((m) => m.kind === 'protocol');
  if (!p || p.kind !== 'protocol' || p.negated) return null;
  return p.protocol.name === 'tcp' || p.protocol.name === 'udp' ? p.protocol.name : null;
}

function dportOf(rule: Rule): number | null {
  for (const m of rule.matches) {
    if ((m.kind === 'tcp' || m.kind === 'udp') && m.dport && !m.dport.negated && m.dport.range.from === m.dport.range.to) return m.dport.range.from;
  }
  return null;
}

function hostDestination(rule: Rule): Cidr | null {
  const d = rule.matches.find((m) => m.kind === 'destination');
  if (!d || d.kind !== 'destination' || d.negated) return null;
  return d.cidr.first === d.cidr.last ? d.cidr : null;
}

/** Service ports of one ruleset. */
export function servicePorts(ruleset: Ruleset, nodeAddress: string): ServicePort[] {
  const out: ServicePort[] = [];
  for (const table of ruleset.tables) {
    if (table.name !== 'nat' && table.name !== 'filter') continue;
    for (const chain of table.chains) {
      if (!serviceChains.has(chain.name)) continue;
      for (const rule of chain.rules) {
        const protocol = protocolOf(rule);
        const dport = dportOf(rule);
        if (!protocol || dport === null) continue;
        const d = hostDestination(rule);
        if (!d && !nodeAddressChains.has(chain.name)) continue;
        out.push({ dst: d ? d.text : nodeAddress, protocol, dport, from: `${table.name}/${chain.name}#${rule.index}` });
      }
    }
  }
  return out;
}

/** IPVS virtual services with an address and a TCP/UDP port. */
export function ipvsPorts(ipvs: IpvsTable, family: Family): ServicePort[] {
  const out: ServicePort[] = [];
  for (const vs of ipvs.services) {
    if ((vs.protocol !== 'tcp' && vs.protocol !== 'udp') || !vs.address || vs.address.family !== family || !vs.port) continue;
    out.push({ dst: vs.address.text, protocol: vs.protocol, dport: vs.port, from: `ipvs ${vs.protocol.toUpperCase()} ${vs.address.text}:${vs.port}` });
  }
  return out;
}

/** Where DNAT and IPVS send packets: the endpoints a topology should have. */
export function endpointAddresses(rulesets: readonly Ruleset[], ipvs: IpvsTable | null): Cidr[] {
  const seen = new Map<string, Cidr>();
  for (const rs of rulesets) {
    for (const table of rs.tables) {
      for (const chain of table.chains) {
        for (const rule of chain.rules) {
          const t = rule.target;
          if (!t || t.kind !== 'DNAT') continue;
          for (const range of t.ranges) {
            const a = range.addresses;
            if (a && a.first === a.last) {
              const c = parseAddress(a.text.split('-')[0]!);
              if (c) seen.set(c.text, c);
            }
          }
        }
      }
    }
  }
  for (const vs of ipvs?.services ?? []) {
    for (const rs of vs.realServers) if (rs.address) seen.set(rs.address.text, rs.address);
  }
  return [...seen.values()].sort((a, b) => (a.family !== b.family ? (a.family === 'ipv4' ? -1 : 1) : a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
}

export interface PacketSources {
  readonly nodeAddress: Readonly<Record<Family, string>>;
  readonly podAddress: Readonly<Record<Family, string>>;
  readonly externalAddress: Readonly<Record<Family, string>>;
}

function isLoopback(c: Cidr): boolean {
  return c.family === 'ipv4' ? c.first >> 24n === 127n : c.first === 1n;
}

/** Each Service port × each origin, with a source port of its own (unique within the sample). */
export function derivePackets(rulesets: readonly Ruleset[], ipvs: IpvsTable | null, sources: PacketSources): { packets: AgreementPacket[]; services: ServicePort[] } {
  const services: ServicePort[] = [];
  const seen = new Set<string>();
  const add = (s: ServicePort): void => {
    const key = `${s.dst}|${s.protocol}|${s.dport}`;
    if (seen.has(key)) return;
    seen.add(key);
    services.push(s);
  };
  for (const rs of rulesets) {
    for (const s of servicePorts(rs, sources.nodeAddress[rs.family])) add(s);
    if (ipvs) for (const s of ipvsPorts(ipvs, rs.family)) add(s);
  }
  const packets: AgreementPacket[] = [];
  let sport = 31000;
  for (const s of services) {
    const dst = parseAddress(s.dst)!;
    const family = dst.family;
    const origins: Origin[] = isLoopback(dst) ? ['host'] : ['pod', 'host', 'external'];
    for (const origin of origins) {
      const src = origin === 'pod' ? sources.podAddress[family] : origin === 'host' ? (isLoopback(dst) ? dst.text : sources.nodeAddress[family]) : sources.externalAddress[family];
      packets.push({ origin, family, protocol: s.protocol, src, sport: sport++, dst: s.dst, dport: s.dport });
    }
  }
  return { packets, services };
}

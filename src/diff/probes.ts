/**
 * The probe set: every Service address and port of both nodes' catalogues — cluster IPs,
 * external IPs, load-balancer IPs, and the node's own address at each NodePort — sent from a pod
 * of the node (an address of its pod prefix), from the host (the node's address) and from
 * outside (203.0.113.50, RFC 5737 TEST-NET-3; 2001:db8::50 for IPv6), plus one class probe per
 * load-balancer IP from any outside source (`--src any`), which shows loadBalancerSourceRanges.
 * Each probe is asked of each node in that node's terms: its own pod address and node address.
 */
import type { ServiceCatalogue, ServicePort } from '../k8s/types.js';
import { formatAddress, parseAddress, type Family } from '../model/values/address.js';
import { IntervalSet } from '../eval/interval-set.js';
import type { L4Protocol, Origin, Probe } from '../eval/types.js';
import { serviceLabel } from './groups.js';
import type { Identity, Renaming } from './identity.js';
import type { DiffProbe, ProbeSource, ProbeTarget } from './types.js';

export const EXTERNAL_SOURCE: Readonly<Record<Family, bigint>> = {
  ipv4: parseAddress('203.0.113.50')!.first,
  ipv6: parseAddress('2001:db8::50')!.first,
};

export interface ProbeSides {
  readonly identityA: Identity;
  readonly identityB: Identity;
  /** The pod address each node's pod probes come from, by family. */
  readonly podSourceA: Readonly<Record<Family, bigint | null>>;
  readonly podSourceB: Readonly<Record<Family, bigint | null>>;
  readonly renaming: Renaming;
}

export interface ProbeSet {
  readonly probes: readonly DiffProbe[];
  readonly skipped: readonly { readonly what: string; readonly why: string }[];
}

function full(family: Family): IntervalSet {
  return IntervalSet.of(0n, (1n << (family === 'ipv4' ? 32n : 128n)) - 1n);
}

function probe(origin: Origin, family: Family, src: IntervalSet, dst: bigint, proto: L4Protocol, port: number): Probe {
  return {
    origin,
    family,
    src,
    dst: IntervalSet.of(dst),
    proto,
    // One ephemeral source port, as `iptlens trace` takes by default.
    sport: IntervalSet.of(40000n),
    dport: IntervalSet.of(BigInt(port)),
    inIface: null,
    state: 'NEW',
    mark: 0,
    assumeHistory: false,
  };
}

function endpointText(family: Family, address: string, port: number): string {
  return family === 'ipv6' ? `[${address}]:${port}` : `${address}:${port}`;
}

interface Target {
  readonly target: ProbeTarget;
  readonly family: Family;
  /** A's view of the destination; null for a NodePort (each node's own address). */
  readonly address: bigint | null;
  readonly port: number;
}

function targetsOf(s: ServicePort): Target[] {
  const out: Target[] = [];
  const add = (target: ProbeTarget, text: string) => {
    const a = parseAddress(text);
    if (a && s.port !== null) out.push({ target, family: a.family, address: a.first, port: s.port });
  };
  for (const ip of s.clusterIPs) add('cluster-ip', ip);
  for (const ip of s.externalIPs) add('external-ip', ip);
  for (const ip of s.otherExternalIPs) add('external-ip', ip);
  for (const ip of s.loadBalancerIPs) add('load-balancer-ip', ip);
  if (s.nodePort !== null) {
    const families = new Set(out.map((t) => t.family));
    for (const family of families.size ? families : new Set<Family>(['ipv4'])) out.push({ target: 'node-port', family, address: null, port: s.nodePort });
  }
  return out;
}

export function deriveProbes(catalogueA: ServiceCatalogue, catalogueB: ServiceCatalogue, sides: ProbeSides): ProbeSet {
  const services = new Map<string, ServicePort>();
  for (const s of catalogueA.services) services.set(s.key, s);
  for (const s of catalogueB.services) if (!services.has(s.key)) services.set(s.key, s);
  const probes = new Map<string, DiffProbe>();
  const skipped = new Map<string, { count: number; why: string }>();
  const skip = (what: string, why: string) => {
    const k = `${what}\u0000${why}`;
    const e = skipped.get(k);
    if (e) e.count++;
    else skipped.set(k, { count: 1, why });
  };
  const { identityA, identityB, renaming } = sides;
  for (const s of services.values()) {
    const proto: L4Protocol = s.protocol;
    const service = { key: s.key, label: serviceLabel(s) };
    for (const t of targetsOf(s)) {
      const nodeA = identityA[t.family].nodeIp;
      const nodeB = identityB[t.family].nodeIp;
      if (t.target === 'node-port' && (nodeA === null || nodeB === null)) {
        skip('NodePort probes', `the node address of ${nodeA === null ? 'A' : 'B'} is not known (give ip addr, or --${nodeA === null ? 'a' : 'b'}-node-ip)`);
        continue;
      }
      const dstA = t.address ?? nodeA!;
      const dstB = t.address !== null ? renaming.host(t.family, t.address) : nodeB!;
      const shown = t.target === 'node-port' ? `node:${t.port}` : endpointText(t.family, formatAddress(t.family, dstA), t.port);
      const sources: { source: ProbeSource; origin: Origin; a: IntervalSet | null; b: IntervalSet | null; missing: string }[] = [
        { source: 'pod', origin: 'pod', a: one(sides.podSourceA[t.family]), b: one(sides.podSourceB[t.family]), missing: 'pod network' },
        { source: 'host', origin: 'host', a: one(nodeA), b: one(nodeB), missing: 'node address' },
        { source: 'external', origin: 'external', a: IntervalSet.of(EXTERNAL_SOURCE[t.family]), b: IntervalSet.of(EXTERNAL_SOURCE[t.family]), missing: '' },
      ];
      if (t.target === 'load-balancer-ip') sources.push({ source: 'any', origin: 'external', a: full(t.family), b: full(t.family), missing: '' });
      for (const src of sources) {
        const id = `${src.source === 'any' ? 'any external source' : src.source} → ${shown}/${proto}`;
        if (probes.has(id)) continue;
        if (!src.a || !src.b) {
          const side = !src.a ? 'A' : 'B';
          skip(`${src.source} probes`, `no ${src.missing} known on ${side} (give ip addr, or --${side.toLowerCase()}-${src.source === 'pod' ? 'pod-cidr' : 'node-ip'})`);
          continue;
        }
        probes.set(id, {
          id,
          origin: src.origin,
          source: src.source,
          target: t.target,
          proto,
          family: t.family,
          port: t.port,
          address: formatAddress(t.family, dstA),
          service,
          a: probe(src.origin, t.family, src.a, dstA, proto, t.port),
          b: probe(src.origin, t.family, src.b, dstB, proto, t.port),
        });
      }
    }
  }
  return {
    probes: [...probes.values()],
    skipped: [...skipped.entries()].map(([k, e]) => ({ what: `${e.count} ${k.split('\u0000')[0]}`, why: e.why })),
  };
}

function one(x: bigint | null): IntervalSet | null {
  return x === null ? null : IntervalSet.of(x);
}

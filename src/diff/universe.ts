/**
 * Every address and port a probe's packet can carry on one node (reach.ts's {@link Universe}):
 * its own fields, where any NAT rule that may match it could send it, where IPVS could send it,
 * and — when it may be looped back to this node after SNAT (ip_vs / a local destination) — the
 * node's own addresses and any source port.
 *
 * NAT targets: DNAT's `--to-destination` ranges; REDIRECT's own addresses (the input device's
 * primary address, 127.0.0.1 / ::1 in OUTPUT: nf_nat_redirect_ipv4); NETMAP and TPROXY may send a
 * packet anywhere. IPVS: the real servers of the virtual service for the packet's destination
 * (ip_vs_service_find), and of every firewall-mark service.
 */
import type { Family } from '../model/values/address.js';
import type { NodeSnapshot } from '../model/node.js';
import type { NodeFacts } from '../eval/facts.js';
import { IntervalSet } from '../eval/interval-set.js';
import type { Probe } from '../eval/types.js';
import { admits, overlaps, PROTO_NUMBERS, ValueIndex, type ChainReach, type Region, type Universe } from './reach.js';

interface NatEntry {
  readonly region: Region;
  /** Where it sends the packet; null: anywhere. */
  readonly dst: IntervalSet | null;
  /** Its new destination ports; null: unchanged. */
  readonly dport: IntervalSet | null;
}

function full(family: Family): IntervalSet {
  return IntervalSet.of(0n, (1n << (family === 'ipv4' ? 32n : 128n)) - 1n);
}

const ANY_PORT = IntervalSet.of(0n, 65535n);

function few(set: IntervalSet, limit: number): bigint[] | null {
  if (set.size > BigInt(limit)) return null;
  const out: bigint[] = [];
  for (const i of set.intervals) for (let v = i.lo; v <= i.hi; v++) out.push(v);
  return out;
}

export class NodeUniverse {
  /** NAT rules by the destination they need, else by the destination port, else neither. */
  private readonly byDst = new ValueIndex<NatEntry>();
  private readonly byDport = new ValueIndex<NatEntry>();
  private readonly own: IntervalSet;
  private readonly snatSources: IntervalSet;
  private readonly local: IntervalSet;
  private readonly fwmarkBackends: { dst: IntervalSet; dport: IntervalSet } | null;

  constructor(
    node: NodeSnapshot,
    readonly family: Family,
    private readonly facts: NodeFacts,
    reach: ChainReach | null,
  ) {
    const loopback = family === 'ipv4' ? IntervalSet.of(0x7f000000n, 0x7fffffffn) : IntervalSet.of(1n);
    let own = loopback;
    for (const iface of node.interfaces ?? []) {
      const p = facts.primaryAddress(iface.name);
      if (p !== null) own = own.union(IntervalSet.of(p));
    }
    this.own = own;
    this.local = (facts.localSet() ?? IntervalSet.EMPTY).union(loopback);
    let snat = IntervalSet.EMPTY;
    for (const table of reach?.ruleset.tables ?? []) {
      for (const chain of table.chains) {
        for (const rule of chain.rules) {
          const t = rule.target;
          if (!t) continue;
          let entry: Omit<NatEntry, 'region'> | null = null;
          switch (t.kind) {
            case 'DNAT': {
              let dst: IntervalSet | null = IntervalSet.EMPTY;
              let dport: IntervalSet | null = IntervalSet.EMPTY;
              for (const r of t.ranges) {
                dst = r.addresses && dst ? dst.union(IntervalSet.of(r.addresses.first, r.addresses.last)) : null;
                if (r.ports && !r.basePort && dport) dport = dport.union(IntervalSet.of(BigInt(r.ports.from), BigInt(r.ports.to)));
                else dport = null;
              }
              entry = { dst, dport: dport && dport.isEmpty ? null : dport };
              break;
            }
            case 'SNAT':
              for (const r of t.ranges) if (r.addresses) snat = snat.union(IntervalSet.of(r.addresses.first, r.addresses.last));
              break;
            case 'REDIRECT':
              entry = { dst: own, dport: t.ports ? IntervalSet.of(BigInt(t.ports.from), BigInt(t.ports.to)) : null };
              break;
            case 'NETMAP':
            case 'TPROXY':
              entry = { dst: null, dport: null };
              break;
            default:
              break;
          }
          if (!entry || !reach) continue;
          for (const region of reach.ruleRegions(table, rule)) {
            const e: NatEntry = { ...entry, region };
            if (ValueIndex.indexable(region.dst) || !ValueIndex.indexable(region.dport)) this.byDst.add(region.dst, e);
            else this.byDport.add(region.dport, e);
          }
        }
      }
    }
    this.snatSources = snat;
    let fw: { dst: IntervalSet; dport: IntervalSet } | null = null;
    for (const vs of node.ipvs?.services ?? []) {
      if (vs.protocol !== 'fwm' || vs.family !== family) continue;
      fw ??= { dst: IntervalSet.EMPTY, dport: IntervalSet.EMPTY };
      for (const rs of vs.realServers) {
        if (rs.address) fw.dst = fw.dst.union(IntervalSet.of(rs.address.first));
        fw.dport = rs.port === null || rs.port === 0 ? ANY_PORT : fw.dport.union(IntervalSet.of(BigInt(rs.port)));
      }
    }
    this.fwmarkBackends = fw;
  }

  /** Destinations and ports by `proto|dst|dport` of the probe (the closure does not depend on the source). */
  private readonly closures = new Map<string, { dst: IntervalSet; dport: IntervalSet }>();

  of(probe: Probe): Universe {
    const proto = PROTO_NUMBERS[probe.proto] ?? -1;
    const span = (set: IntervalSet) => set.single ?? set.intervals.map((i) => `${i.lo}-${i.hi}`).join(',');
    const key = `${proto}|${span(probe.dst)}|${span(probe.dport)}`;
    let closure = this.closures.get(key);
    if (!closure) {
      closure = this.closure(probe, proto);
      this.closures.set(key, closure);
    }
    const { dst, dport } = closure;
    // After SNAT only a packet looped back to this node is looked at again (loopbackInput).
    const loops = probe.origin === 'host' || overlaps(dst, this.local);
    const src = loops ? probe.src.union(this.own).union(this.snatSources) : probe.src;
    const sport = loops ? ANY_PORT : probe.sport;
    return { family: this.family, proto, src, dst, sport, dport };
  }

  /**
   * Where NAT and IPVS can send the packet, taking any source (a NAT rule that needs a source
   * is taken as matching: more destinations, never fewer).
   */
  private closure(probe: Probe, proto: number): { dst: IntervalSet; dport: IntervalSet } {
    let dst = probe.dst;
    let dport = probe.dport;
    const anySource = full(this.family);
    for (let round = 0; round < 4; round++) {
      const before = { dst, dport };
      const u: Universe = { family: this.family, proto, src: anySource, dst, sport: ANY_PORT, dport };
      const candidates = new Set<NatEntry>();
      this.byDst.find(dst, candidates);
      this.byDport.find(dport, candidates);
      const dsts: IntervalSet[] = [dst];
      const ports: IntervalSet[] = [dport];
      for (const e of candidates) {
        if (!admits(e.region, u)) continue;
        dsts.push(e.dst ?? full(this.family));
        if (e.dport) ports.push(e.dport);
      }
      if (dsts.length > 1) dst = IntervalSet.from(dsts.flatMap((x) => x.intervals));
      if (ports.length > 1) dport = IntervalSet.from(ports.flatMap((x) => x.intervals));
      if (proto === 6 || proto === 17 || proto === 132) {
        const ports = few(dport, 64);
        const vips = few(dst, 256);
        if (!ports || !vips) {
          dst = full(this.family);
          dport = ANY_PORT;
        } else if (this.facts.ipvsKnown) {
          for (const vip of vips) {
            for (const port of ports) {
              const service = this.facts.ipvsService(probe.proto as 'tcp' | 'udp' | 'sctp', vip, Number(port));
              for (const b of service?.backends ?? []) {
                dst = dst.union(IntervalSet.of(b.address));
                if (b.port !== null && b.port !== 0) dport = dport.union(IntervalSet.of(BigInt(b.port)));
              }
            }
          }
        }
        if (this.fwmarkBackends) {
          dst = dst.union(this.fwmarkBackends.dst);
          dport = dport.union(this.fwmarkBackends.dport);
        }
      }
      if (dst.equals(before.dst) && dport.equals(before.dport)) break;
      if (round === 3) {
        dst = full(this.family);
        dport = ANY_PORT;
      }
    }
    return { dst, dport };
  }
}

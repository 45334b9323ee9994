/**
 * The IPVS part of the structural diff: virtual services by identity (protocol, address, port;
 * or firewall mark — ip_vs_ctl.c ip_vs_svc_hashkey), their scheduler, persistence and flags, and
 * their real servers by address and port with weight and forwarding method. A NodePort's virtual
 * services are on the node's own addresses, which the renaming matches across nodes.
 */
import type { RealServer, VirtualService } from '../model/ipvs/types.js';
import type { IpvsTable } from '../model/ipvs/types.js';
import { formatAddress } from '../model/values/address.js';
import { IntervalSet } from '../eval/interval-set.js';
import type { ServiceGroups } from './groups.js';
import type { Renaming } from './identity.js';
import type { PartDiff } from './ipsets.js';
import { PROTO_NUMBERS, region, type Atom, type Region } from './reach.js';
import type { ChangeGroup, Cited, Side, StructuralChange } from './types.js';

function hostPort(address: string, port: number | string | null, v6: boolean): string {
  return v6 ? `[${address}]:${port ?? '?'}` : `${address}:${port ?? '?'}`;
}

function serviceId(vs: VirtualService, renaming: Renaming | null): string {
  if (vs.protocol === 'fwm') return `fwm ${vs.family} ${vs.fwmark ?? '?'}`;
  const address = vs.address ? formatAddress(vs.family, renaming ? renaming.host(vs.family, vs.address.first) : vs.address.first) : (vs.host ?? '?');
  return `${vs.protocol} ${hostPort(address, vs.port ?? vs.portText, vs.family === 'ipv6')}`;
}

function serverId(rs: RealServer, renaming: Renaming | null): string {
  const address = rs.address ? formatAddress(rs.family, renaming ? renaming.host(rs.family, rs.address.first) : rs.address.first) : rs.host;
  return hostPort(address, rs.port ?? rs.portText, rs.family === 'ipv6');
}

function settingsText(vs: VirtualService): string {
  const parts = [vs.scheduler ?? 'scheduler not listed'];
  if (vs.flags.length) parts.push(`flags ${vs.flags.join(',')}`);
  if (vs.onePacket) parts.push('one-packet');
  if (vs.persistent) parts.push(`persistent ${vs.persistent.timeout}${vs.persistent.netmask ? ` mask ${vs.persistent.netmask.text}` : ''}${vs.persistent.engine ? ` pe ${vs.persistent.engine}` : ''}`);
  return parts.join(' ');
}

function serverText(rs: RealServer): string {
  return `${serverId(rs, null)} ${rs.forward ?? 'method not listed'} weight ${rs.weight ?? '?'}`;
}

function cite(rs: RealServer): Cited {
  return { text: serverText(rs), at: rs.at };
}

/** The packets that can meet a virtual service: its address, port and protocol. */
function serviceRegion(vs: VirtualService): Region {
  if (vs.protocol === 'fwm' || !vs.address) return region({ family: vs.family });
  return region({
    family: vs.family,
    proto: PROTO_NUMBERS[vs.protocol] ?? null,
    dst: IntervalSet.of(vs.address.first, vs.address.last),
    dport: vs.port !== null && vs.port !== 0 ? IntervalSet.of(BigInt(vs.port)) : null,
  });
}

function groupOf(vs: VirtualService, side: Side, groups: ServiceGroups): ChangeGroup {
  if (vs.protocol !== 'fwm' && vs.address) {
    const g = groups.address(side, vs.family, vs.address.first, vs.protocol, vs.port) ?? (vs.port !== null ? groups.nodePort(side, vs.protocol, vs.port) : null);
    if (g) return g;
  }
  return { kind: 'ipvs' };
}

export function diffIpvs(a: IpvsTable | null, b: IpvsTable | null, renaming: Renaming, groups: ServiceGroups): PartDiff {
  const changes: StructuralChange[] = [];
  const atoms: Atom[] = [];
  if (!a || !b) return { changes, atoms };
  const inB = new Map<string, VirtualService>();
  for (const vs of b.services) inB.set(serviceId(vs, renaming), vs);
  const seen = new Set<string>();
  const only = (side: Side, vs: VirtualService): void => {
    changes.push({ kind: 'ipvs-service-only', service: serviceId(vs, null), side, realServers: vs.realServers.map(cite), at: vs.at, group: groupOf(vs, side, groups), matters: true });
    atoms.push({ side, what: `virtual service ${serviceId(vs, null)} exists only on ${side.toUpperCase()}`, regions: [serviceRegion(vs)] });
  };
  for (const va of a.services) {
    const id = serviceId(va, null);
    seen.add(id);
    const vb = inB.get(id);
    if (!vb) {
      only('a', va);
      continue;
    }
    const group = groupOf(va, 'a', groups);
    const differs = (): void => {
      atoms.push({ side: 'a', what: `virtual service ${id} differs`, regions: [serviceRegion(va)] });
      atoms.push({ side: 'b', what: `virtual service ${serviceId(vb, null)} differs`, regions: [serviceRegion(vb)] });
    };
    const sa = settingsText(va);
    const sb = settingsText(vb);
    if (sa !== sb) {
      changes.push({ kind: 'ipvs-service-settings', service: id, a: sa, b: sb, aAt: va.at, bAt: vb.at, group, matters: true });
      differs();
    }
    const serversB = new Map(vb.realServers.map((rs) => [serverId(rs, renaming), rs]));
    const onlyA: Cited[] = [];
    const onlyB: Cited[] = [];
    const changed: { server: string; a: Cited; b: Cited }[] = [];
    const matched = new Set<string>();
    for (const rs of va.realServers) {
      const k = serverId(rs, null);
      const other = serversB.get(k);
      if (!other) onlyA.push(cite(rs));
      else {
        matched.add(k);
        if (rs.weight !== other.weight || rs.forward !== other.forward) changed.push({ server: k, a: cite(rs), b: cite(other) });
      }
    }
    for (const [k, rs] of serversB) if (!matched.has(k)) onlyB.push(cite(rs));
    if (onlyA.length || onlyB.length || changed.length) {
      changes.push({ kind: 'ipvs-real-servers', service: id, onlyA, onlyB, changed, group, matters: true });
      if (sa === sb) differs();
    }
  }
  for (const vb of b.services) if (!seen.has(serviceId(vb, renaming))) only('b', vb);
  return { changes, atoms };
}

/**
 * NodeFacts from a node snapshot: local addresses (ip addr, local routes, --local-ip), routes,
 * sysctls (with the default assumed, and said, when absent), ipsets and IPVS.
 */
import type { NodeSnapshot } from '../model/node.js';
import type { Ruleset } from '../model/iptables/types.js';
import type { Family } from '../model/values/address.js';
import { formatAddress } from '../model/values/address.js';
import type { InterfaceRole, IpsetView, IpvsService, NodeFacts, RouteDecision, SysctlName, SysctlValue } from './facts.js';
import { IntervalSet } from './interval-set.js';
import { contains, membershipKnown } from '../model/ipset/contains.js';
import type { IpSet } from '../model/ipset/types.js';
import { findVirtualService } from '../model/ipvs/lookup.js';
import type { VirtualService } from '../model/ipvs/types.js';
import type { Interface, Route } from '../model/iproute/index.js';
import { acceptLocal, ipForward, routeLocalnet, rpFilter, vsConntrack, type Sysctls } from '../model/sysctl/index.js';

export interface FactOverrides {
  /** Extra addresses of the node (`--local-ip`), e.g. when there is no ip addr dump. */
  readonly localIps?: readonly bigint[];
  /** Sysctls given on the command line, `name=value` by short name. */
  readonly sysctls?: Partial<Record<SysctlName, number>>;
}

/** Kernel defaults, and what a Kubernetes node usually has, for sysctls the snapshot lacks. */
const DEFAULTS: Record<SysctlName, { value: number; why: string }> = {
  rp_filter: { value: 0, why: 'kernel default 0; many distributions set 1 (strict) or 2 (loose)' },
  route_localnet: { value: 0, why: 'kernel default 0; kube-proxy in iptables mode may set 1 for localhost NodePorts' },
  ip_forward: { value: 1, why: 'Kubernetes nodes must forward (kubelet and CNI plugins require 1)' },
  accept_local: { value: 0, why: 'kernel default 0' },
  vs_conntrack: { value: 1, why: 'kube-proxy in IPVS mode sets 1' },
};

const SYSCTL_KEY: Record<SysctlName, (family: Family, iface: string) => string> = {
  rp_filter: (_f, i) => `net.ipv4.conf.${i}.rp_filter`,
  route_localnet: (_f, i) => `net.ipv4.conf.${i}.route_localnet`,
  ip_forward: (f) => (f === 'ipv4' ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding'),
  accept_local: (_f, i) => `net.ipv4.conf.${i}.accept_local`,
  vs_conntrack: () => 'net.ipv4.vs.conntrack',
};

/** Interface names by what they are on a Kubernetes node. */
export function roleOfInterfaceName(name: string): InterfaceRole {
  if (name === 'lo') return 'loopback';
  if (name === 'kube-ipvs0') return 'ipvs-dummy';
  if (/^(cali|veth|lxc|azv|eni|gke|vxlan_sys|tap)/.test(name) || /^(cni0|cbr0|docker0|weave|kube-bridge)$/.test(name)) return 'pod';
  if (/^(flannel|vxlan|tunl|cilium_vxlan|cilium_geneve|genev|wg|ipip|kube-tunl|tun)/.test(name)) return 'tunnel';
  if (/^(eth|ens|eno|enp|em|bond|wlan|ib)/.test(name)) return 'uplink';
  return 'other';
}

function masqueradeBitOf(ruleset: Ruleset | null): number {
  const nat = ruleset?.tables.find((t) => t.name === 'nat');
  const chain = nat?.chainsByName.get('KUBE-MARK-MASQ');
  for (const rule of chain?.rules ?? []) {
    const t = rule.target as { kind: string; value?: number; mask?: number } | null;
    if (t && t.kind === 'MARK' && typeof t.value === 'number' && t.value !== 0) return t.value;
  }
  return 0x4000;
}

/** The role of an interface from what `ip -d addr` says it is, else from its name. */
function roleOf(iface: Interface | undefined, name: string, podBridges: ReadonlySet<string>): InterfaceRole {
  if (!iface) return roleOfInterfaceName(name);
  const kind = iface.kind ?? '';
  if (name === 'lo' || iface.linkType === 'loopback') return 'loopback';
  if (kind === 'dummy' && name === 'kube-ipvs0') return 'ipvs-dummy';
  if (kind === 'veth' || podBridges.has(name) || (iface.master !== undefined && podBridges.has(iface.master))) return 'pod';
  if (['vxlan', 'ipip', 'gre', 'geneve', 'wireguard', 'tun', 'sit'].includes(kind)) return 'tunnel';
  if (kind === 'bridge') return roleOfInterfaceName(name) === 'pod' ? 'pod' : 'bridge';
  return roleOfInterfaceName(name);
}

function isMainTable(table: Route['table']): boolean {
  return table === 'main' || table === 254;
}

/** Longest-prefix match in the main table (fib_table_lookup), lowest metric first among equals. */
function lookupMain(routes: readonly Route[], family: Family, dst: bigint): Route | null {
  let best: Route | null = null;
  let bestPrefix = -1;
  for (const r of routes) {
    if (r.family !== family || !isMainTable(r.table)) continue;
    if (r.type !== 'unicast' && r.type !== 'blackhole' && r.type !== 'unreachable' && r.type !== 'prohibit' && r.type !== 'throw') continue;
    const prefix = r.destination === 'default' ? 0 : r.destination.prefix;
    if (r.destination !== 'default' && (dst < r.destination.first || dst > r.destination.last)) continue;
    if (prefix > bestPrefix || (prefix === bestPrefix && (r.metric ?? 0) < (best?.metric ?? 0))) {
      best = r;
      bestPrefix = prefix;
    }
  }
  return best;
}

function fromDump(name: SysctlName, sysctls: Sysctls, family: Family, iface: string | null | undefined): SysctlValue {
  const dev = iface ?? 'all';
  const key = SYSCTL_KEY[name](family, dev);
  const reading =
    name === 'rp_filter'
      ? rpFilter(sysctls, dev)
      : name === 'route_localnet'
        ? routeLocalnet(sysctls, dev)
        : name === 'accept_local'
          ? acceptLocal(sysctls, dev)
          : name === 'ip_forward'
            ? ipForward(sysctls, iface ?? undefined)
            : vsConntrack(sysctls);
  const value = typeof reading.value === 'boolean' ? (reading.value ? 1 : 0) : reading.value;
  if (reading.origin === 'dump') return { value, assumed: false, text: `${reading.source === 'default' ? key : reading.source}=${value}` };
  const d = DEFAULTS[name];
  if (reading.origin === 'absent') return { value, assumed: false, text: `${key} absent from the sysctl dump (module not loaded): ${value}` };
  return { value: name === 'ip_forward' ? d.value : value, assumed: true, text: `${key}=${name === 'ip_forward' ? d.value : value} (assumed: not in the sysctl dump; ${d.why})` };
}

export function nodeFacts(node: NodeSnapshot, family: Family, overrides: FactOverrides = {}): NodeFacts {
  const ruleset = family === 'ipv4' ? node.ipv4 : node.ipv6;
  const localList = new Map<bigint, string | null>();
  // Local-table routes can cover a whole prefix (`local 127.0.0.0/8 dev lo`): every address in it is local.
  const localRanges: { lo: bigint; hi: bigint; iface: string | null }[] = [];
  for (const a of node.localAddresses ?? []) {
    if (a.address.family !== family) continue;
    if (a.address.first === a.address.last) localList.set(a.address.first, a.interface);
    else localRanges.push({ lo: a.address.first, hi: a.address.last, iface: a.interface });
  }
  for (const ip of overrides.localIps ?? []) if (!localList.has(ip)) localList.set(ip, null);
  const localKnown = node.localAddresses !== null || localList.size > 0;
  const localSet = localKnown ? IntervalSet.from([...[...localList.keys()].map((a) => ({ lo: a, hi: a })), ...localRanges]) : null;
  const localIfaceOf = (address: bigint): string | null => localList.get(address) ?? localRanges.find((r) => address >= r.lo && address <= r.hi)?.iface ?? null;
  const interfaces = new Map((node.interfaces ?? []).map((i) => [i.name, i]));
  const routes = node.routes;
  // Bridges that hold a pod network: the device of a route to a pod CIDR (cni0, cbr0, docker0, …).
  const podBridges = new Set<string>();
  for (const i of node.interfaces ?? []) if (i.kind === 'bridge' && roleOfInterfaceName(i.name) === 'pod') podBridges.add(i.name);
  const defaultDev = routes?.find((r) => r.family === family && isMainTable(r.table) && r.destination === 'default' && r.type === 'unicast');
  const uplinkName = defaultDev?.dev ?? defaultDev?.nexthops?.[0]?.dev ?? null;
  const roles = new Map<string, InterfaceRole>();
  const role = (name: string): InterfaceRole => {
    let r = roles.get(name);
    if (!r) {
      // The default route's device is the uplink, whatever it is (a veth on kind nodes).
      r = name === uplinkName ? 'uplink' : roleOf(interfaces.get(name), name, podBridges);
      roles.set(name, r);
    }
    return r;
  };
  const route = (dst: bigint): RouteDecision => {
    // The local table is consulted before main (ip rule 0: lookup local).
    if (localSet?.has(dst)) return { kind: 'local', iface: localIfaceOf(dst) };
    if (!routes) return { kind: 'unknown', text: `no ip route dump: ${formatAddress(family, dst)} is assumed to leave by the default route` };
    const r = lookupMain(routes, family, dst);
    const where = r ? (r.destination === 'default' ? 'default' : r.destination.text) : '';
    if (!r) return { kind: 'unreachable', text: `no route to ${formatAddress(family, dst)} in the main table (network unreachable)` };
    switch (r.type) {
      case 'blackhole':
        return { kind: 'blackhole', text: `blackhole route ${where} (${formatAddress(family, dst)} is discarded)` };
      case 'unreachable':
      case 'throw':
        return { kind: 'unreachable', text: `unreachable route ${where} for ${formatAddress(family, dst)}` };
      case 'prohibit':
        return { kind: 'prohibit', text: `prohibit route ${where} for ${formatAddress(family, dst)}` };
      default: {
        const hop = r.via ?? r.nexthops?.[0]?.via;
        const dev = r.dev ?? r.nexthops?.[0]?.dev ?? null;
        return { kind: 'unicast', iface: dev, via: hop ? hop.first : null, text: `route ${where}${hop ? ` via ${hop.text}` : ''}${dev ? ` dev ${dev}` : ''} (${r.at.source.name})` };
      }
    }
  };
  const sysctl = (name: SysctlName, iface: string | null | undefined): SysctlValue => {
    const given = overrides.sysctls?.[name];
    const key = SYSCTL_KEY[name](family, iface ?? 'all');
    if (given !== undefined) return { value: given, assumed: false, text: `${key}=${given} (given)` };
    if (node.sysctls) return fromDump(name, node.sysctls, family, iface);
    const d = DEFAULTS[name];
    return { value: d.value, assumed: true, text: `${key}=${d.value} (assumed: no sysctl dump; ${d.why})` };
  };
  const defaultRoute = routes?.find((r) => r.family === family && isMainTable(r.table) && r.destination === 'default' && r.type === 'unicast');
  return {
    family,
    ruleset,
    localKnown,
    isLocal: (address) => (localKnown ? localSet!.has(address) : 'unknown'),
    localSet: () => localSet,
    localInterface: localIfaceOf,
    /**
     * The source MASQUERADE picks (nf_nat_masquerade_ipv4 → inet_select_addr(dev, nexthop,
     * RT_SCOPE_UNIVERSE)): the device's first global address, else the first global address of any
     * device in device order (lo has only host-scope 127.0.0.1).
     */
    primaryAddress(iface) {
      const global = (i: Interface | undefined) => i?.addresses.find((a) => a.family === family && !a.secondary && a.scope === 'global');
      const own = global(interfaces.get(iface));
      if (own) return own.address.first;
      if (!node.interfaces) return null;
      const ordered = [...node.interfaces].sort((x, y) => (x.index ?? 0) - (y.index ?? 0));
      for (const i of ordered) {
        const a = global(i);
        if (a) return a.address.first;
      }
      return null;
    },
    interfaceRole: role,
    hasInterface: (name) => (node.interfaces ? interfaces.has(name) : 'unknown'),
    route,
    routeIface(address) {
      if (!routes) return 'unknown';
      const r = route(address);
      return r.kind === 'unicast' || r.kind === 'local' ? r.iface : null;
    },
    sysctl,
    ipsets: ipsetView(node.ipsets, family),
    ipvsKnown: node.ipvs !== null,
    ipvsService: (proto, vip, port) => (node.ipvs ? toService(findVirtualService(node.ipvs, { protocol: proto, address: formatAddress(family, vip), port }), family) : null),
    ipvsFwmarkService: (mark) => (node.ipvs && mark !== 0 ? toService(findVirtualService(node.ipvs, { fwmark: mark, family }), family) : null),
    podInterface(src) {
      if (!routes) return null;
      const r = route(src);
      return r.kind === 'unicast' && r.iface && role(r.iface) === 'pod' ? r.iface : null;
    },
    uplink: () => defaultRoute?.dev ?? defaultRoute?.nexthops?.[0]?.dev ?? null,
    masqueradeBit: masqueradeBitOf(ruleset),
  };
}

/** ipset membership through the ipset model (mirrors the kernel's ipset types). */
function ipsetView(sets: readonly IpSet[] | null, family: Family): IpsetView {
  if (!sets) return { known: false, exists: () => false, test: () => 'unknown', addressSet: () => null };
  const byName = new Map(sets.map((s) => [s.name, s]));
  const lookup = (name: string): IpSet | undefined => byName.get(name);
  const addressSets = new Map<string, IntervalSet | null>();
  return {
    known: true,
    exists: (name) => byName.has(name),
    test(name, packet, flags) {
      const set = byName.get(name);
      if (!set || !membershipKnown(set, lookup)) return 'unknown';
      return contains(
        set,
        {
          family: packet.family,
          src: packet.src,
          dst: packet.dst,
          proto: packet.proto,
          sport: packet.sport,
          dport: packet.dport,
          ...(packet.inIface !== null ? { inIface: packet.inIface } : {}),
          ...(packet.outIface !== null ? { outIface: packet.outIface } : {}),
          mark: packet.mark,
        },
        flags,
        lookup,
      );
    },
    addressSet(name) {
      if (addressSets.has(name)) return addressSets.get(name) ?? null;
      const set = byName.get(name);
      let result: IntervalSet | null = null;
      // Only one-dimensional address sets without nomatch entries split a class exactly.
      if (set && set.membersKnown && (set.type === 'hash:ip' || set.type === 'hash:net' || set.type === 'bitmap:ip') && !set.members.some((m) => m.nomatch)) {
        const intervals = set.members.flatMap((m) => m.dims.filter((d) => d.kind === 'address' && d.family === family).map((d) => (d.kind === 'address' ? { lo: d.first, hi: d.last } : { lo: 1n, hi: 0n })));
        result = IntervalSet.from(intervals);
      }
      addressSets.set(name, result);
      return result;
    },
  };
}

/** The evaluator's view of an IPVS virtual service. */
function toService(vs: VirtualService | null, family: Family): IpvsService | null {
  if (!vs) return null;
  const where = vs.fwmark !== null ? `FWM ${vs.fwmark}` : `${vs.protocol.toUpperCase()} ${vs.address ? vs.address.text : vs.host ?? '?'}:${vs.port ?? 0}`;
  return {
    text: where,
    scheduler: vs.scheduler ?? 'unknown scheduler',
    backends: vs.realServers
      .filter((rs) => rs.address !== null && rs.address.family === family)
      .map((rs) => ({
        address: rs.address!.first,
        port: rs.port,
        // ipvsadm -Ln lists (and --stats hides) the method; a missing one is taken as Masq, kube-proxy's only method.
        forward: rs.forward ?? 'masq',
        weight: rs.weight ?? 1,
        text: `${rs.address!.text}:${rs.port ?? 0}`,
      })),
  };
}

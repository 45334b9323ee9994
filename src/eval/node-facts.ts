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
import type { IpvsTable, VirtualService } from '../model/ipvs/types.js';

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

export function nodeFacts(node: NodeSnapshot, family: Family, overrides: FactOverrides = {}): NodeFacts {
  const ruleset = family === 'ipv4' ? node.ipv4 : node.ipv6;
  const localList = new Map<bigint, string | null>();
  for (const ip of overrides.localIps ?? []) localList.set(ip, null);
  const localKnown = localList.size > 0;
  const localSet = localKnown ? IntervalSet.from([...localList.keys()].map((a) => ({ lo: a, hi: a }))) : null;
  const assumedSysctl = (name: SysctlName, iface: string | null | undefined): SysctlValue => {
    const given = overrides.sysctls?.[name];
    const key = SYSCTL_KEY[name](family, iface ?? 'all');
    if (given !== undefined) return { value: given, assumed: false, text: `${key}=${given} (given)` };
    const d = DEFAULTS[name];
    return { value: d.value, assumed: true, text: `${key}=${d.value} (assumed: no sysctl dump; ${d.why})` };
  };
  const ipsets = ipsetView(node.ipsets, family);
  return {
    family,
    ruleset,
    localKnown,
    isLocal: (address) => (localKnown ? localList.has(address) : 'unknown'),
    localSet: () => localSet,
    localInterface: (address) => localList.get(address) ?? null,
    primaryAddress: () => null,
    interfaceRole: roleOfInterfaceName,
    hasInterface: () => 'unknown',
    // The local table is consulted before main (ip rule 0: lookup local).
    route: (dst): RouteDecision =>
      localList.has(dst) ? { kind: 'local', iface: localList.get(dst) ?? null } : { kind: 'unknown', text: `no ip route dump: ${formatAddress(family, dst)} is assumed to leave by the default route` },
    routeIface: () => 'unknown',
    sysctl: assumedSysctl,
    ipsets,
    ipvsKnown: node.ipvs !== null,
    ipvsService: (proto, vip, port) => (node.ipvs ? toService(findVirtualService(node.ipvs, { protocol: proto, address: formatAddress(family, vip), port }), family) : null),
    ipvsFwmarkService: (mark) => (node.ipvs && mark !== 0 ? toService(findVirtualService(node.ipvs, { fwmark: mark, family }), family) : null),
    podInterface: () => null,
    uplink: () => null,
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

/**
 * The node part of the structural diff: which kinds of input each node gave, the node's own
 * addresses by interface (what kube-ipvs0 holds, above all), routes of every table, and the
 * sysctls a trace consults (rp_filter, route_localnet, accept_local and forwarding for all,
 * default and the interfaces both nodes have; ip_forward; IPv6 forwarding; net.ipv4.vs.conntrack;
 * bridge-nf-call-ip(6)tables). IPv6 link-local and multicast addresses and routes are left out:
 * they are derived from MAC addresses and interface names and differ on every node.
 */
import type { NodeSnapshot } from '../model/node.js';
import type { Interface, LocalAddress, Route } from '../model/iproute/index.js';
import type { Family } from '../model/values/address.js';
import { formatAddress } from '../model/values/address.js';
import { roleOfInterfaceName } from '../eval/node-facts.js';
import { IntervalSet } from '../eval/interval-set.js';
import type { ServiceGroups } from './groups.js';
import type { Renaming } from './identity.js';
import type { PartDiff } from './ipsets.js';
import { intersect, region, type Atom, type Region } from './reach.js';
import type { ChangeGroup, Cited, Side, StructuralChange } from './types.js';

const V6_LINK_LOCAL = IntervalSet.of(0xfe80n << 112n, (0xfebfn << 112n) | ((1n << 112n) - 1n));
const V6_MULTICAST = IntervalSet.of(0xffn << 120n, (1n << 128n) - 1n);

function isNoise(family: Family, first: bigint, last: bigint): boolean {
  if (family !== 'ipv6') return false;
  const span = IntervalSet.of(first, last);
  return !span.subtract(V6_LINK_LOCAL).isEmpty ? span.subtract(V6_MULTICAST).isEmpty : true;
}

function lineOf(at: { source: { text: string }; start: number; end: number }): string {
  return at.source.text.slice(at.start, at.end).trim();
}

function bothSides(a: Atom[], what: string, r: Region): void {
  a.push({ side: 'a', what, regions: [r] }, { side: 'b', what, regions: [r] });
}

/** Which kinds of input each node gave (a node without an ipset dump is compared blind). */
function inputs(a: NodeSnapshot, b: NodeSnapshot, out: PartDiff): void {
  const kinds = [
    ['ipsets', a.ipsets !== null, b.ipsets !== null],
    ['ipvs', a.ipvs !== null, b.ipvs !== null],
    ['interfaces', a.interfaces !== null, b.interfaces !== null],
    ['routes', a.routes !== null, b.routes !== null],
    ['sysctls', a.sysctls !== null, b.sysctls !== null],
  ] as const;
  for (const [what, inA, inB] of kinds) {
    if (inA === inB) continue;
    const side: Side = inA ? 'a' : 'b';
    out.changes.push({ kind: 'input-only', what, side, group: { kind: 'inputs' }, matters: true });
    bothSides(out.atoms, `only ${side.toUpperCase()} gave ${what}`, region({}));
  }
}

/**
 * Interfaces that are no pod's veth, by name, with their kind, master and primary address per
 * family (what MASQUERADE and REDIRECT take: the first non-secondary global address); their other
 * addresses are compared as local addresses.
 */
function interfaceShape(interfaces: readonly Interface[] | null, renaming: Renaming | null): string | null {
  if (!interfaces) return null;
  const rows: string[] = [];
  for (const i of interfaces) {
    if (i.kind === 'veth' || (roleOfInterfaceName(i.name) === 'pod' && i.kind !== 'bridge')) continue;
    const primaries: string[] = [];
    // kube-ipvs0 is a dummy nothing is routed out of: its addresses are compared as local addresses.
    for (const family of roleOfInterfaceName(i.name) === 'ipvs-dummy' ? [] : (['ipv4', 'ipv6'] as const)) {
      const p = i.addresses.find((x) => x.family === family && !x.secondary && x.scope !== 'host' && x.scope !== 'link');
      if (p) primaries.push(formatAddress(family, renaming ? renaming.host(family, p.address.first) : p.address.first));
    }
    rows.push(`${i.name} ${i.kind ?? ''} ${i.master ?? ''} ${primaries.join(' ')}`);
  }
  return rows.sort().join('\n');
}

function localAddresses(a: readonly LocalAddress[], b: readonly LocalAddress[], renaming: Renaming, groups: ServiceGroups, out: PartDiff): void {
  const key = (l: LocalAddress, r: Renaming | null) => {
    const n = r ? r.range(l.address.family, l.address.first, l.address.last) : { first: l.address.first, last: l.address.last, sensitive: null };
    return { key: `${l.interface}|${l.address.family}|${n.first}-${n.last}`, sensitive: n.sensitive };
  };
  const inA = new Map(a.map((l) => [key(l, null).key, l]));
  const inB = new Map<string, LocalAddress>();
  for (const l of b) {
    const k = key(l, renaming);
    inB.set(k.key, l);
    if (k.sensitive && inA.has(k.key)) {
      const r = intersect(region({ family: l.address.family, addrs: [IntervalSet.of(l.address.first, l.address.last)] }), region({ family: k.sensitive.family, addrs: [k.sensitive.set] }));
      if (r) out.atoms.push({ side: 'b', what: `local address ${l.address.text} names B's own addresses`, regions: [r] });
    }
  }
  const buckets = new Map<string, { iface: string; group: ChangeGroup; onlyA: Cited[]; onlyB: Cited[] }>();
  const add = (side: Side, l: LocalAddress) => {
    const svc = l.address.first === l.address.last ? groups.address(side, l.address.family, l.address.first, null, null) : null;
    const group: ChangeGroup = svc ?? { kind: 'addresses' };
    const k = `${l.interface}|${JSON.stringify(group)}`;
    let entry = buckets.get(k);
    if (!entry) {
      entry = { iface: l.interface, group, onlyA: [], onlyB: [] };
      buckets.set(k, entry);
    }
    (side === 'a' ? entry.onlyA : entry.onlyB).push({ text: `${l.address.text} on ${l.interface}`, at: l.at });
    const span = IntervalSet.of(l.address.first, l.address.last);
    out.atoms.push({ side, what: `${l.address.text} is local only on ${side.toUpperCase()}`, regions: [region({ family: l.address.family, dst: span }), region({ family: l.address.family, src: span })] });
  };
  for (const [k, l] of inA) if (!inB.has(k)) add('a', l);
  for (const [k, l] of inB) if (!inA.has(k)) add('b', l);
  for (const e of buckets.values()) {
    const shown = { onlyA: e.onlyA.filter((c) => !c.text.startsWith('fe80')), onlyB: e.onlyB.filter((c) => !c.text.startsWith('fe80')) };
    if (shown.onlyA.length === 0 && shown.onlyB.length === 0) continue;
    out.changes.push({ kind: 'local-addresses', iface: e.iface, onlyA: shown.onlyA, onlyB: shown.onlyB, group: e.group, matters: true });
  }
}

function routeKey(r: Route, renaming: Renaming | null): { key: string; sensitive: boolean } {
  let sensitive = false;
  const addr = (family: Family, first: bigint, last: bigint, prefix: number): string => {
    if (!renaming) return `${formatAddress(family, first)}/${prefix}`;
    const n = renaming.range(family, first, last);
    if (n.sensitive) sensitive = true;
    return `${formatAddress(family, n.first)}/${prefix}`;
  };
  const dst = r.destination === 'default' ? 'default' : addr(r.family, r.destination.first, r.destination.last, r.destination.prefix);
  const via = r.via ? addr(r.family, r.via.first, r.via.last, r.via.prefix) : '';
  const src = r.src ? addr(r.family, r.src.first, r.src.last, r.src.prefix) : '';
  const hops = (r.nexthops ?? []).map((h) => `${h.via ? addr(r.family, h.via.first, h.via.last, h.via.prefix) : ''}@${h.dev ?? ''}*${h.weight}`).join(',');
  return { key: [r.family, r.table, r.type, dst, via, r.dev ?? '', src, r.metric ?? '', r.scope, hops].join('|'), sensitive };
}

function routeRegions(r: Route): Region[] {
  if (r.destination === 'default') return [region({ family: r.family })];
  const span = IntervalSet.of(r.destination.first, r.destination.last);
  return [region({ family: r.family, dst: span }), region({ family: r.family, src: span })];
}

/**
 * Broadcast routes, and the `local` routes of table local for a single address, are what the
 * kernel adds for each interface address (net/ipv4/fib_frontend.c fib_add_ifaddr): the addresses
 * are compared as local addresses instead.
 */
function derived(r: Route): boolean {
  if (r.type === 'broadcast') return true;
  return r.type === 'local' && r.table === 'local' && r.destination !== 'default' && r.destination.first === r.destination.last;
}

function routes(all: readonly Route[], allB: readonly Route[], renaming: Renaming, out: PartDiff): void {
  const a = all.filter((r) => !derived(r));
  const b = allB.filter((r) => !derived(r));
  const inA = new Map(a.map((r) => [routeKey(r, null).key, r]));
  const inB = new Map<string, Route>();
  for (const r of b) {
    const k = routeKey(r, renaming);
    inB.set(k.key, r);
    if (k.sensitive && inA.has(k.key)) out.atoms.push({ side: 'b', what: `route ${lineOf(r.at)} names B's own addresses`, regions: routeRegions(r) });
  }
  const only = (side: Side, r: Route) => {
    out.atoms.push({ side, what: `route ${lineOf(r.at)} is only on ${side.toUpperCase()}`, regions: routeRegions(r) });
    if (r.destination !== 'default' && isNoise(r.family, r.destination.first, r.destination.last)) return;
    out.changes.push({ kind: 'route-only', side, route: { text: lineOf(r.at), at: r.at }, group: { kind: 'routes' }, matters: true });
  };
  for (const [k, r] of inA) if (!inB.has(k)) only('a', r);
  for (const [k, r] of inB) if (!inA.has(k)) only('b', r);
}

const GLOBAL_SYSCTLS = [
  'net.ipv4.ip_forward',
  'net.ipv6.conf.all.forwarding',
  'net.ipv4.vs.conntrack',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
];
const CONF_SETTINGS = ['rp_filter', 'route_localnet', 'accept_local', 'forwarding'];

function sysctls(a: NodeSnapshot, b: NodeSnapshot, out: PartDiff): void {
  if (!a.sysctls || !b.sysctls) return;
  const sa = a.sysctls;
  const sb = b.sysctls;
  const ifaces = new Set(['all', 'default']);
  const namesB = new Set((b.interfaces ?? []).map((i) => i.name));
  for (const i of a.interfaces ?? []) if (namesB.has(i.name)) ifaces.add(i.name.replace(/\./g, '/'));
  const keys = [...GLOBAL_SYSCTLS];
  for (const i of ifaces) for (const s of CONF_SETTINGS) keys.push(`net.ipv4.conf.${i}.${s}`);
  for (const key of keys) {
    const ea = sa.entries.get(key);
    const eb = sb.entries.get(key);
    if ((ea?.value ?? null) === (eb?.value ?? null)) continue;
    // A key only one partial dump lists is not a difference of the nodes.
    if ((!ea && !sa.complete) || (!eb && !sb.complete)) continue;
    out.changes.push({
      kind: 'sysctl',
      key,
      a: ea ? { text: `${key} = ${ea.value}`, at: ea.at } : null,
      b: eb ? { text: `${key} = ${eb.value}`, at: eb.at } : null,
      group: { kind: 'sysctls' },
      matters: true,
    });
    bothSides(out.atoms, `sysctl ${key} differs`, region({}));
  }
}

export function diffHost(a: NodeSnapshot, b: NodeSnapshot, renaming: Renaming, groups: ServiceGroups): PartDiff {
  const out: PartDiff = { changes: [], atoms: [] };
  inputs(a, b, out);
  if (a.localAddresses && b.localAddresses) localAddresses(a.localAddresses, b.localAddresses, renaming, groups, out);
  if (a.routes && b.routes) routes(a.routes, b.routes, renaming, out);
  sysctls(a, b, out);
  const shapeA = interfaceShape(a.interfaces, null);
  const shapeB = interfaceShape(b.interfaces, renaming);
  // Interface names and roles decide -i/-o matches and where packets arrive: no change is listed
  // for them (their addresses and routes are), but every probe is traced when they differ.
  if (shapeA !== null && shapeB !== null && shapeA !== shapeB) bothSides(out.atoms, 'the nodes\' interfaces differ', region({}));
  return out;
}

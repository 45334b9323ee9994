/**
 * Who each node is — its own address, its pod bridge's address, its pod prefix, and the pod
 * address probes come from — and the renaming that puts B's own addresses in A's place, so that
 * two nodes of one cluster compare equal where they differ only by who they are
 * (`MASQUERADE to 10.0.0.11` on A is `MASQUERADE to 10.0.0.12` on B).
 *
 * The renaming swaps single addresses (a bijection of the address space: tracing commutes with
 * it) and, where a value is exactly one node's pod prefix, the prefix (not a bijection: the
 * addresses inside a pod prefix are endpoints, the same cluster-wide, and are not renamed). A
 * value renamed inexactly, or one that holds only one of a swapped pair, is reported as
 * `sensitive` with the addresses for which the renamed value may behave differently; reach.ts
 * keeps those as differences.
 */
import type { Family } from '../model/values/address.js';
import { formatAddress, parseAddress, parseAddressRange, parseCidr, type Cidr } from '../model/values/address.js';
import type { NodeSnapshot } from '../model/node.js';
import type { ServiceCatalogue } from '../k8s/types.js';
import { nodeFacts } from '../eval/node-facts.js';
import { IntervalSet } from '../eval/interval-set.js';
import type { NodeHints } from './types.js';

/** One family's identity of a node. */
export interface FamilyIdentity {
  readonly family: Family;
  /** The address of the node's uplink (its InternalIP). */
  readonly nodeIp: bigint | null;
  /** The node's address on the bridge that holds its pod prefix (cbr0, cni0). */
  readonly bridgeIp: bigint | null;
  readonly podCidr: Cidr | null;
}

export interface Identity {
  readonly name: string;
  readonly ipv4: FamilyIdentity;
  readonly ipv6: FamilyIdentity;
}

/** Addresses the renaming may treat inconsistently, by family. */
export interface Sensitive {
  readonly family: Family;
  readonly set: IntervalSet;
}

export interface Renamed {
  readonly first: bigint;
  readonly last: bigint;
  readonly sensitive: Sensitive | null;
}

interface HostPair {
  readonly family: Family;
  readonly a: bigint;
  readonly b: bigint;
}

interface PrefixPair {
  readonly family: Family;
  readonly a: Cidr;
  readonly b: Cidr;
}

const IP_LIKE = /^[0-9a-fA-F:.]+(?:\/\d{1,3})?(?:-[0-9a-fA-F:.]+)?$/;

/** B's own addresses to A's (and back: every swap is its own inverse). */
export class Renaming {
  private readonly hosts: readonly HostPair[];
  private readonly prefixes: readonly PrefixPair[];
  private readonly texts = new Map<string, { text: string; sensitive: Sensitive | null }>();

  constructor(hosts: readonly HostPair[], prefixes: readonly PrefixPair[]) {
    this.hosts = hosts.filter((h) => h.a !== h.b);
    this.prefixes = prefixes.filter((p) => p.a.first !== p.b.first && p.a.prefix === p.b.prefix && (p.a.last < p.b.first || p.b.last < p.a.first));
  }

  static readonly NONE = new Renaming([], []);

  get isIdentity(): boolean {
    return this.hosts.length === 0 && this.prefixes.length === 0;
  }

  /** The pairs, for the report ("A's 10.0.0.11 is B's 10.0.0.12"). */
  pairs(): readonly { readonly family: Family; readonly a: string; readonly b: string }[] {
    return [
      ...this.hosts.map((h) => ({ family: h.family, a: formatAddress(h.family, h.a), b: formatAddress(h.family, h.b) })),
      ...this.prefixes.map((p) => ({ family: p.family, a: p.a.text, b: p.b.text })),
    ];
  }

  host(family: Family, x: bigint): bigint {
    for (const h of this.hosts) {
      if (h.family !== family) continue;
      if (x === h.a) return h.b;
      if (x === h.b) return h.a;
    }
    return x;
  }

  /** A prefix or range of one node in the other's terms. */
  range(family: Family, first: bigint, last: bigint): Renamed {
    if (first === last) {
      const x = this.host(family, first);
      return { first: x, last: x, sensitive: null };
    }
    for (const p of this.prefixes) {
      if (p.family !== family) continue;
      const toB = p.a.first === first && p.a.last === last;
      const toA = p.b.first === first && p.b.last === last;
      if (toA || toB) {
        const to = toB ? p.b : p.a;
        return { first: to.first, last: to.last, sensitive: { family, set: this.prefixSensitive(p) } };
      }
    }
    let sensitive: IntervalSet | null = null;
    for (const h of this.hosts) {
      if (h.family !== family) continue;
      const holdsA = first <= h.a && h.a <= last;
      const holdsB = first <= h.b && h.b <= last;
      if (holdsA !== holdsB) sensitive = (sensitive ?? IntervalSet.EMPTY).union(IntervalSet.of(h.a)).union(IntervalSet.of(h.b));
    }
    return { first, last, sensitive: sensitive ? { family, set: sensitive } : null };
  }

  /** Both prefixes minus the addresses swapped one for one. */
  private prefixSensitive(p: PrefixPair): IntervalSet {
    let set = IntervalSet.of(p.a.first, p.a.last).union(IntervalSet.of(p.b.first, p.b.last));
    for (const h of this.hosts) if (h.family === p.family) set = set.subtract(IntervalSet.of(h.a)).subtract(IntervalSet.of(h.b));
    return set;
  }

  /**
   * An address, prefix or range as normalise.ts writes it (`10.0.0.11`, `10.244.1.0/24`,
   * `10.244.1.5-10.244.1.5`), renamed; any other string unchanged.
   */
  text(value: string): { text: string; sensitive: Sensitive | null } {
    if (this.isIdentity || !IP_LIKE.test(value) || !(value.includes('.') || value.includes(':'))) return { text: value, sensitive: null };
    const known = this.texts.get(value);
    if (known) return known;
    let out: { text: string; sensitive: Sensitive | null } = { text: value, sensitive: null };
    const dash = value.indexOf('-');
    if (dash > 0) {
      const r = parseAddressRange(value);
      if (r) {
        const n = this.range(r.family, r.first, r.last);
        const a = formatAddress(r.family, n.first);
        const b = formatAddress(r.family, n.last);
        out = { text: `${a}-${b}`, sensitive: n.sensitive };
      }
    } else {
      const c = value.includes('/') ? parseCidr(value) : parseAddress(value);
      if (c) {
        const n = this.range(c.family, c.first, c.last);
        const changed = n.first !== c.first;
        const text = !changed ? value : c.first === c.last && !value.includes('/') ? formatAddress(c.family, n.first) : `${formatAddress(c.family, n.first)}/${c.prefix}`;
        out = { text, sensitive: n.sensitive };
      }
    }
    this.texts.set(value, out);
    return out;
  }
}

function emptyIdentity(family: Family): FamilyIdentity {
  return { family, nodeIp: null, bridgeIp: null, podCidr: null };
}

/**
 * The node's address: the primary address of the default route's device (what a NodePort is
 * reached on and MASQUERADE picks), else of the first uplink-like interface, else a hint.
 */
function findNodeIp(node: NodeSnapshot, family: Family, hint: Cidr | undefined): bigint | null {
  if (hint && hint.family === family) return hint.first;
  if (!node.interfaces) return null;
  const facts = nodeFacts(node, family);
  const uplink = facts.uplink();
  if (uplink) {
    const primary = facts.primaryAddress(uplink);
    if (primary !== null) return primary;
  }
  for (const iface of node.interfaces) {
    if (facts.interfaceRole(iface.name) !== 'uplink') continue;
    const primary = facts.primaryAddress(iface.name);
    if (primary !== null) return primary;
  }
  return null;
}

export function nodeIdentity(node: NodeSnapshot, catalogue: ServiceCatalogue, hints: NodeHints = {}): Identity {
  const out: Record<Family, FamilyIdentity> = { ipv4: emptyIdentity('ipv4'), ipv6: emptyIdentity('ipv6') };
  for (const family of ['ipv4', 'ipv6'] as const) {
    const nodeIp = findNodeIp(node, family, hints.nodeIp);
    const hinted = hints.podCidr ?? null;
    const fromCatalogue = catalogue.settings.localPodCidrs.map((t) => parseCidr(t)).find((c): c is Cidr => c !== null && c.family === family) ?? null;
    const podCidr = hinted && hinted.family === family ? hinted : fromCatalogue;
    let bridgeIp: bigint | null = null;
    if (podCidr) {
      for (const iface of node.interfaces ?? []) {
        const a = iface.addresses.find((x) => x.family === family && x.prefix.first === podCidr.first && x.prefix.last === podCidr.last);
        if (a) {
          bridgeIp = a.address.first;
          break;
        }
      }
    }
    out[family] = { family, nodeIp, bridgeIp, podCidr };
  }
  return { name: node.name, ipv4: out.ipv4, ipv6: out.ipv6 };
}

/**
 * A pod address on each node to send pod probes from: the same offset in both pod prefixes,
 * counted down from the top so that it is no bridge, gateway or (if avoidable) endpoint.
 */
export function podSources(a: FamilyIdentity, b: FamilyIdentity, avoid: ReadonlySet<bigint>): { a: bigint | null; b: bigint | null } {
  const pick = (cidr: Cidr | null, offset: bigint): bigint | null => {
    if (!cidr) return null;
    const size = cidr.last - cidr.first + 1n;
    if (size < 4n) return cidr.first;
    return cidr.first + ((offset % (size - 2n)) + 1n);
  };
  const top = (cidr: Cidr | null) => (cidr ? cidr.last - cidr.first - 1n : 0n);
  const sizes = [a.podCidr, b.podCidr].filter((c): c is Cidr => c !== null).map((c) => top(c));
  const highest = sizes.length ? sizes.reduce((x, y) => (x < y ? x : y)) : 0n;
  const own = (x: bigint | null, id: FamilyIdentity) => x !== null && (x === id.bridgeIp || x === id.nodeIp);
  // The highest free offset; on a node whose every pod address is an endpoint, the highest that
  // is at least not the node's own (a pod probe from the bridge address would be a martian).
  let fallback: { a: bigint | null; b: bigint | null } | null = null;
  for (let tries = 0, offset = highest; tries < 64 && offset > 0n; tries++, offset--) {
    const pa = pick(a.podCidr, offset - 1n);
    const pb = pick(b.podCidr, offset - 1n);
    if (own(pa, a) || own(pb, b)) continue;
    fallback ??= { a: pa, b: pb };
    if (!(pa !== null && avoid.has(pa)) && !(pb !== null && avoid.has(pb))) return { a: pa, b: pb };
  }
  return fallback ?? { a: pick(a.podCidr, 0n), b: pick(b.podCidr, 0n) };
}

/** The renaming between two identities (and the pod sources chosen on each). */
export function renamingBetween(a: Identity, b: Identity, podSourcePairs: readonly HostPair[]): Renaming {
  const hosts: HostPair[] = [...podSourcePairs];
  const prefixes: PrefixPair[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const x = a[family];
    const y = b[family];
    if (x.nodeIp !== null && y.nodeIp !== null) hosts.push({ family, a: x.nodeIp, b: y.nodeIp });
    if (x.bridgeIp !== null && y.bridgeIp !== null) hosts.push({ family, a: x.bridgeIp, b: y.bridgeIp });
    if (x.podCidr && y.podCidr) prefixes.push({ family, a: x.podCidr, b: y.podCidr });
  }
  // A pair that shares an address with another pair would make the swaps disagree: keep the first.
  const used = new Set<string>();
  const kept = hosts.filter((h) => {
    const ka = `${h.family}|${h.a}`;
    const kb = `${h.family}|${h.b}`;
    if (h.a === h.b || used.has(ka) || used.has(kb)) return false;
    used.add(ka);
    used.add(kb);
    return true;
  });
  return new Renaming(kept, prefixes);
}

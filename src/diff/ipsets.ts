/**
 * The ipset part of the structural diff: sets by name, their type (with what changes matching:
 * netmask, bitmask, markmask), and the members one node's set holds and the other's does not —
 * compared by value (ipset save prints a hash set's members in hash order, which differs from
 * node to node). Member changes are filed under the Service whose address or NodePort the
 * member names (KUBE-LOAD-BALANCER-LOCAL's `10.0.0.100,tcp:80` under web/frontend).
 */
import type { IpSet, IpSetMember, MemberDimension } from '../model/ipset/types.js';
import type { Family } from '../model/values/address.js';
import { IntervalSet } from '../eval/interval-set.js';
import type { ServiceGroups } from './groups.js';
import type { Renaming, Sensitive } from './identity.js';
import { intersect, region, type Atom, type Region } from './reach.js';
import type { ChangeGroup, Cited, Side, StructuralChange } from './types.js';

const PROTO_NAMES: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };

export interface PartDiff {
  readonly changes: StructuralChange[];
  readonly atoms: Atom[];
}

function settingsText(set: IpSet): string {
  const o = set.options;
  const parts = [set.typeText, `family ${set.family}`];
  if (o.netmask !== undefined) parts.push(`netmask ${o.netmask}`);
  if (o.bitmask !== undefined) parts.push(`bitmask 0x${o.bitmask.toString(16)}`);
  if (o.markmask !== undefined) parts.push(`markmask 0x${o.markmask.toString(16)}`);
  if (o.range) parts.push(`range ${o.range.text}`);
  return parts.join(' ');
}

function dimKey(dim: MemberDimension, renaming: Renaming | null, found: { sensitive: Sensitive | null }): string {
  switch (dim.kind) {
    case 'address': {
      if (!renaming) return `${dim.family}:${dim.first}-${dim.last}`;
      const r = renaming.range(dim.family, dim.first, dim.last);
      if (r.sensitive) found.sensitive = r.sensitive;
      return `${dim.family}:${r.first}-${r.last}`;
    }
    case 'port':
      return `${dim.protocol ?? 'tcp|udp'}:${dim.from}-${dim.to}`;
    case 'iface':
      return `${dim.physdev ? 'physdev:' : ''}${dim.name}${dim.wildcard ? '*' : ''}`;
    case 'mark':
      return `mark:${dim.value}`;
    case 'mac':
      return `mac:${dim.value.toString(16)}`;
    case 'set':
      return `set:${dim.name}`;
    default: {
      const never: never = dim;
      return String(never);
    }
  }
}

function memberKey(m: IpSetMember, renaming: Renaming | null): { key: string; sensitive: Sensitive | null } {
  const found: { sensitive: Sensitive | null } = { sensitive: null };
  const key = m.dims.map((d) => dimKey(d, renaming, found)).join(',') + (m.nomatch ? ' nomatch' : '');
  return { key, sensitive: found.sensitive };
}

/** How the rules test each set: the `--match-set NAME flags` of both nodes (through list:set too). */
export type SetFlags = (set: string) => readonly (readonly ('src' | 'dst')[])[];

/**
 * The packets a member can be tested with: for each way a rule tests the set, its address
 * dimensions on the flagged side and its ports on the flagged side (a source port on either side,
 * since SNAT may change it). A set no rule tests cannot change a packet's fate.
 */
function memberRegions(set: IpSet, m: IpSetMember, flags: SetFlags): Region[] {
  const out: Region[] = [];
  for (const f of flags(set.name)) {
    let r: Region | null = region({ family: set.family === 'any' ? null : set.family });
    m.dims.forEach((d, i) => {
      if (!r) return;
      const from = f[i] ?? 'dst';
      if (d.kind === 'address') {
        const span = IntervalSet.of(d.first, d.last);
        r = intersect(r, region(from === 'src' ? { family: d.family, src: span } : { family: d.family, dst: span }));
      } else if (d.kind === 'port') {
        const span = IntervalSet.of(BigInt(d.from), BigInt(d.to));
        r = intersect(r, region(from === 'dst' ? { dport: span, proto: d.protocol } : { ports: [span], proto: d.protocol }));
      }
    });
    if (r) out.push(r);
  }
  return out;
}

function memberGroup(set: IpSet, m: IpSetMember, side: Side, groups: ServiceGroups): ChangeGroup {
  const address = m.dims.find((d) => d.kind === 'address');
  const port = m.dims.find((d) => d.kind === 'port');
  const proto = port && port.kind === 'port' && port.protocol !== null ? (PROTO_NAMES[port.protocol] ?? null) : null;
  const portNumber = port && port.kind === 'port' && port.from === port.to ? port.from : null;
  if (address && address.kind === 'address' && address.first === address.last) {
    const g = groups.address(side, address.family, address.first, proto, portNumber);
    if (g) return g;
  } else if (!address && portNumber !== null) {
    const g = groups.nodePort(side, proto, portNumber);
    if (g) return g;
  }
  return { kind: 'ipset', set: set.name };
}

function cite(m: IpSetMember): Cited {
  return { text: m.text, at: m.at };
}

/** Every family a set serves. */
function everyRegion(set: IpSet): Region {
  return region({ family: set.family === 'any' ? null : set.family });
}

export function diffIpsets(a: readonly IpSet[] | null, b: readonly IpSet[] | null, renaming: Renaming, groups: ServiceGroups, flags: SetFlags): PartDiff {
  const changes: StructuralChange[] = [];
  const atoms: Atom[] = [];
  if (!a || !b) return { changes, atoms };
  const bByName = new Map(b.map((s) => [s.name, s]));
  const only = (side: Side, set: IpSet): void => {
    changes.push({ kind: 'ipset-only', set: set.name, side, members: set.members.length, at: set.at, group: { kind: 'ipset', set: set.name }, matters: true });
    // A rule that names a set the node lacks does not behave as one that names an empty set.
    atoms.push({ side, what: `set ${set.name} exists only on ${side.toUpperCase()}`, regions: [everyRegion(set)] });
  };
  for (const sa of a) {
    const sb = bByName.get(sa.name);
    if (!sb) {
      only('a', sa);
      continue;
    }
    const ta = settingsText(sa);
    const tb = settingsText(sb);
    if (ta !== tb) {
      changes.push({ kind: 'ipset-type', set: sa.name, a: ta, b: tb, aAt: sa.at, bAt: sb.at, group: { kind: 'ipset', set: sa.name }, matters: true });
      atoms.push({ side: 'a', what: `set ${sa.name} is of another type on each node`, regions: [everyRegion(sa)] });
      continue;
    }
    if (!sa.membersKnown || !sb.membersKnown) {
      if (sa.membersKnown !== sb.membersKnown) atoms.push({ side: 'a', what: `the members of set ${sa.name} are known on one node only`, regions: [everyRegion(sa)] });
      continue;
    }
    members(sa, sb, renaming, groups, flags, changes, atoms);
  }
  const aNames = new Set(a.map((s) => s.name));
  for (const sb of b) if (!aNames.has(sb.name)) only('b', sb);
  return { changes, atoms };
}

function members(sa: IpSet, sb: IpSet, renaming: Renaming, groups: ServiceGroups, flags: SetFlags, changes: StructuralChange[], atoms: Atom[]): void {
  const inA = new Map<string, IpSetMember>();
  for (const m of sa.members) inA.set(memberKey(m, null).key, m);
  const inB = new Map<string, IpSetMember>();
  for (const m of sb.members) {
    const k = memberKey(m, renaming);
    inB.set(k.key, m);
    if (k.sensitive && inA.has(k.key)) {
      const narrowed = memberRegions(sb, m, flags)
        .map((r) => intersect(r, region({ family: k.sensitive!.family, addrs: [k.sensitive!.set] })))
        .filter((r): r is Region => r !== null);
      atoms.push({ side: 'b', what: `${sb.name} member ${m.text} names B's own addresses`, regions: narrowed });
    }
  }
  // One change per Service (or per set for members of none).
  const byGroup = new Map<string, { group: ChangeGroup; onlyA: Cited[]; onlyB: Cited[] }>();
  const bucket = (group: ChangeGroup) => {
    const k = JSON.stringify(group);
    let entry = byGroup.get(k);
    if (!entry) {
      entry = { group, onlyA: [], onlyB: [] };
      byGroup.set(k, entry);
    }
    return entry;
  };
  for (const [k, m] of inA) {
    if (inB.has(k)) continue;
    bucket(memberGroup(sa, m, 'a', groups)).onlyA.push(cite(m));
    atoms.push({ side: 'a', what: `${sa.name} holds ${m.text} only on A`, regions: memberRegions(sa, m, flags) });
  }
  for (const [k, m] of inB) {
    if (inA.has(k)) continue;
    bucket(memberGroup(sb, m, 'b', groups)).onlyB.push(cite(m));
    atoms.push({ side: 'b', what: `${sb.name} holds ${m.text} only on B`, regions: memberRegions(sb, m, flags) });
  }
  for (const e of byGroup.values()) changes.push({ kind: 'ipset-members', set: sa.name, onlyA: e.onlyA, onlyB: e.onlyB, group: e.group, matters: true });
}

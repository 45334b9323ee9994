/**
 * Which probes a difference can reach. Tracing every Service probe on two 10k-Service nodes
 * would take minutes; most probes meet no difference at all, and their outcome is then the same
 * on both nodes by construction. This module decides that, conservatively, without tracing:
 *
 * - Every difference is an {@link Atom} with the packet {@link Region}s it can be met by: a rule
 *   only one node has can change a packet only if the packet reaches its chain (through the jumps
 *   that lead there from a built-in chain) and matches it; a set member, local address, route or
 *   virtual service only for the addresses and ports it names.
 * - A probe's {@link Universe} is every address and port its packet can carry on that node:
 *   where it starts, every DNAT/REDIRECT target and IPVS real server a rule or virtual service
 *   could send it to, and the node's own addresses when it may be looped back after SNAT.
 * - A rule that does not match leaves the walk as if it were not there (ipt_do_table moves to the
 *   next rule), so a probe no atom's region admits takes the same path on both nodes.
 *
 * Regions over-approximate: only non-negated `-s`, `-d`, `-p` and destination ports narrow them;
 * every other match is taken as "may match". When a region admits every packet (a difference in
 * KUBE-POSTROUTING, a sysctl, a policy) every probe is traced.
 */
import type { Chain, Match, Rule, Ruleset, Table, TableName } from '../model/iptables/types.js';
import { BUILTIN_CHAINS } from '../model/iptables/types.js';
import type { Family } from '../model/values/address.js';
import type { IpSet } from '../model/ipset/types.js';
import { IntervalSet } from '../eval/interval-set.js';
import type { Side } from './types.js';

/** Packet fields a difference can be met by; null: any value. */
export interface Region {
  readonly family: Family | null;
  /** IP protocol number. */
  readonly proto: number | null;
  readonly src: IntervalSet | null;
  readonly dst: IntervalSet | null;
  readonly dport: IntervalSet | null;
  /** Each set must hold the source or the destination address (set members, renamed values). */
  readonly addrs: readonly IntervalSet[];
  /** Each set must hold the source or destination port. */
  readonly ports: readonly IntervalSet[];
}

export const EVERY: Region = { family: null, proto: null, src: null, dst: null, dport: null, addrs: [], ports: [] };

/** One difference and the packets that can meet it, on its side's own addresses. */
export interface Atom {
  readonly side: Side;
  /** For the report when it reaches every probe: "nat/KUBE-POSTROUTING differs". */
  readonly what: string;
  /** Empty: no packet can meet it (an unreachable chain). */
  readonly regions: readonly Region[];
}

/** Everything a probe's packet can carry on one node. */
export interface Universe {
  readonly family: Family;
  readonly proto: number;
  readonly src: IntervalSet;
  readonly dst: IntervalSet;
  readonly sport: IntervalSet;
  readonly dport: IntervalSet;
}

export const PROTO_NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmpv6: 58 };

export function isEvery(r: Region): boolean {
  return r.family === null && r.proto === null && r.src === null && r.dst === null && r.dport === null && r.addrs.length === 0 && r.ports.length === 0;
}

export function region(fields: Partial<Region>): Region {
  return { ...EVERY, ...fields };
}

function meet(x: IntervalSet | null, y: IntervalSet | null): IntervalSet | null | 'empty' {
  if (x === null) return y;
  if (y === null || x === y) return x;
  const z = x.intersect(y);
  return z.isEmpty ? 'empty' : z;
}

/** Both regions at once (the packet passed the jump and matches the rule); null when impossible. */
export function intersect(x: Region, y: Region): Region | null {
  if (y === EVERY) return x;
  if (x === EVERY) return y;
  if (x.family !== null && y.family !== null && x.family !== y.family) return null;
  if (x.proto !== null && y.proto !== null && x.proto !== y.proto) return null;
  const src = meet(x.src, y.src);
  const dst = meet(x.dst, y.dst);
  const dport = meet(x.dport, y.dport);
  if (src === 'empty' || dst === 'empty' || dport === 'empty') return null;
  const addrs = y.addrs.length === 0 ? x.addrs : x.addrs.length === 0 ? y.addrs : [...x.addrs, ...y.addrs];
  const ports = y.ports.length === 0 ? x.ports : x.ports.length === 0 ? y.ports : [...x.ports, ...y.ports];
  return { family: x.family ?? y.family, proto: x.proto ?? y.proto, src, dst, dport, addrs, ports };
}

/** Whether two sets share a value: a binary search per interval of the smaller one. */
export function overlaps(x: IntervalSet, y: IntervalSet): boolean {
  const [small, large] = x.intervals.length <= y.intervals.length ? [x, y] : [y, x];
  if (small.intervals.length > 8) return !x.intersect(y).isEmpty;
  const list = large.intervals;
  for (const i of small.intervals) {
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const j = list[mid]!;
      if (j.hi < i.lo) lo = mid + 1;
      else if (j.lo > i.hi) hi = mid - 1;
      else return true;
    }
  }
  return false;
}

function hits(set: IntervalSet | null, u: IntervalSet): boolean {
  return set === null || overlaps(set, u);
}

export function admits(r: Region, u: Universe): boolean {
  if (r.family !== null && r.family !== u.family) return false;
  if (r.proto !== null && r.proto !== u.proto) return false;
  if (!hits(r.dst, u.dst) || !hits(r.src, u.src) || !hits(r.dport, u.dport)) return false;
  for (const a of r.addrs) if (!overlaps(a, u.src) && !overlaps(a, u.dst)) return false;
  for (const p of r.ports) if (!overlaps(p, u.sport) && !overlaps(p, u.dport)) return false;
  return true;
}

function portSet(ranges: readonly { from: number; to: number }[]): IntervalSet {
  return IntervalSet.from(ranges.map((r) => ({ lo: BigInt(r.from), hi: BigInt(r.to) })));
}

/**
 * What one match narrows, as alternatives (iptables: every match of a rule must hold; a set
 * match holds for any of the set's members). Negated matches narrow nothing.
 */
function matchRegions(m: Match, sets: SetLookup): Region[] {
  switch (m.kind) {
    case 'destination':
      return [m.negated ? EVERY : region({ dst: IntervalSet.of(m.cidr.first, m.cidr.last) })];
    case 'source':
      return [m.negated ? EVERY : region({ src: IntervalSet.of(m.cidr.first, m.cidr.last) })];
    case 'protocol':
      return [m.negated || m.protocol.number === null || m.protocol.number === 0 ? EVERY : region({ proto: m.protocol.number })];
    case 'tcp':
    case 'udp':
    case 'sctp':
    case 'dccp':
      return [m.dport && !m.dport.negated ? region({ dport: portSet([m.dport.range]) }) : EVERY];
    case 'multiport':
      if (m.negated) return [EVERY];
      if (m.direction === 'dst') return [region({ dport: portSet(m.ports) })];
      if (m.direction === 'any') return [region({ ports: [portSet(m.ports)] })];
      return [EVERY];
    case 'set':
      return m.negated || m.returnNomatch ? [EVERY] : setRegions(sets(m.name), m.flags);
    default:
      return [EVERY];
  }
}

/** A set's members as the packets `--match-set NAME flags` holds for (ip_set_test → mtype_test). */
function setRegions(set: IpSet | undefined, flags: readonly ('src' | 'dst')[]): Region[] {
  if (!set || !set.membersKnown || set.type === 'list:set' || set.type === 'unknown') return [EVERY];
  const out: Region[] = [];
  for (const member of set.members) {
    if (member.nomatch) continue;
    let r: Region | null = EVERY;
    member.dims.forEach((d, i) => {
      if (!r) return;
      const from = flags[i] ?? 'dst';
      if (d.kind === 'address') {
        const span = IntervalSet.of(d.first, d.last);
        r = intersect(r, region(from === 'src' ? { family: d.family, src: span } : { family: d.family, dst: span }));
      } else if (d.kind === 'port') {
        const span = IntervalSet.of(BigInt(d.from), BigInt(d.to));
        // bitmap:port has no protocol: it matches TCP and UDP ports alike.
        if (from === 'dst') r = intersect(r, region({ dport: span, proto: d.protocol }));
        else if (d.protocol !== null) r = intersect(r, region({ proto: d.protocol }));
      }
    });
    if (r) out.push(r);
  }
  return out.length > REGION_CAP ? [hull(out)] : out;
}

/** The packets that match a rule's own matches, as alternatives. */
export function ruleRegion(rule: Rule, family: Family, sets: SetLookup = () => undefined): Region[] {
  let alternatives: Region[] = [region({ family })];
  for (const m of rule.matches) {
    const options = matchRegions(m, sets);
    const next: Region[] = [];
    for (const x of alternatives) {
      for (const y of options) {
        const both = intersect(x, y);
        if (both) next.push(both);
      }
    }
    alternatives = next.length > REGION_CAP ? [hull(next)] : next;
    if (alternatives.length === 0) return [];
  }
  return alternatives;
}

/** Sets by name, as one node holds them. */
export type SetLookup = (name: string) => IpSet | undefined;

/** Regions over this many are merged into one covering region. */
const REGION_CAP = 32;

function hull(regions: readonly Region[]): Region {
  const all = <K extends 'src' | 'dst' | 'dport'>(k: K): IntervalSet | null => {
    let out: IntervalSet | null = IntervalSet.EMPTY;
    for (const r of regions) {
      const v = r[k];
      if (v === null) return null;
      out = out.union(v);
    }
    return out;
  };
  const proto = regions.every((r) => r.proto !== null && r.proto === regions[0]!.proto) ? regions[0]!.proto : null;
  const family = regions.every((r) => r.family !== null && r.family === regions[0]!.family) ? regions[0]!.family : null;
  return { family, proto, src: all('src'), dst: all('dst'), dport: all('dport'), addrs: [], ports: [] };
}

/**
 * How a packet reaches each chain of one ruleset: the regions of the jump paths from a built-in
 * chain, memoised per chain. A chain nothing jumps to is unreachable (no region).
 */
export class ChainReach {
  private readonly referrers = new Map<Table, Map<string, Rule[]>>();
  private readonly memo = new Map<Chain, readonly Region[]>();
  private readonly busy = new Set<Chain>();
  private readonly ruleMemo = new Map<Rule, readonly Region[]>();
  private readonly sets: SetLookup;

  constructor(
    readonly ruleset: Ruleset,
    ipsets: readonly IpSet[] | null = null,
  ) {
    const byName = new Map((ipsets ?? []).map((s) => [s.name, s]));
    this.sets = (name) => byName.get(name);
    for (const table of ruleset.tables) {
      const into = new Map<string, Rule[]>();
      for (const chain of table.chains) {
        for (const rule of chain.rules) {
          const t = rule.target;
          if (!t || (t.kind !== 'jump' && t.kind !== 'goto')) continue;
          const list = into.get(t.chain);
          if (list) list.push(rule);
          else into.set(t.chain, [rule]);
        }
      }
      this.referrers.set(table, into);
    }
  }

  private own(rule: Rule): readonly Region[] {
    let r = this.ruleMemo.get(rule);
    if (!r) {
      r = ruleRegion(rule, this.ruleset.family, this.sets);
      this.ruleMemo.set(rule, r);
    }
    return r;
  }

  chainRegions(table: Table, chain: Chain): readonly Region[] {
    const known = this.memo.get(chain);
    if (known) return known;
    if (BUILTIN_CHAINS[table.name as TableName]?.includes(chain.name)) return [region({ family: this.ruleset.family })];
    // A jump loop (iptables-restore refuses one, but a hand-written dump may hold it): anything.
    if (this.busy.has(chain)) return [region({ family: this.ruleset.family })];
    this.busy.add(chain);
    const out: Region[] = [];
    for (const jump of this.referrers.get(table)?.get(chain.name) ?? []) {
      const from = table.chainsByName.get(jump.chain);
      if (!from) continue;
      const own = this.own(jump);
      for (const r of this.chainRegions(table, from)) {
        for (const o of own) {
          const both = intersect(o, r);
          if (both) out.push(both);
        }
      }
    }
    this.busy.delete(chain);
    const result = out.length > REGION_CAP ? [hull(out)] : out;
    this.memo.set(chain, result);
    return result;
  }

  /** The packets that can reach this rule and match it. */
  ruleRegions(table: Table, rule: Rule): readonly Region[] {
    const chain = table.chainsByName.get(rule.chain);
    if (!chain) return [];
    const own = this.own(rule);
    const out: Region[] = [];
    for (const r of this.chainRegions(table, chain)) {
      for (const o of own) {
        const both = intersect(o, r);
        if (both) out.push(both);
      }
    }
    return out.length > REGION_CAP ? [hull(out)] : out;
  }
}

/** Up to `limit` single values of a set; null when it holds more. */
function values(set: IntervalSet, limit: number): bigint[] | null {
  const one = set.single;
  if (one !== null) return [one];
  if (set.size > BigInt(limit)) return null;
  const out: bigint[] = [];
  for (const i of set.intervals) for (let v = i.lo; v <= i.hi; v++) out.push(v);
  return out;
}

const FEW = 16;

/** A map from single values to what is keyed by them, and what is not. */
export class ValueIndex<T> {
  private readonly by = new Map<bigint, T[]>();
  readonly rest: T[] = [];
  add(keys: IntervalSet | null, item: T): void {
    const vs = keys ? values(keys, FEW) : null;
    if (!vs) {
      this.rest.push(item);
      return;
    }
    for (const v of vs) {
      const list = this.by.get(v);
      if (list) list.push(item);
      else this.by.set(v, [item]);
    }
  }
  /** Whether `keys` is small enough to be indexed by its values. */
  static indexable(keys: IntervalSet | null): keys is IntervalSet {
    return keys !== null && keys.size <= BigInt(FEW);
  }

  /** Items that may hold a value of `set` (all when `set` is large). */
  find(set: IntervalSet, into: Set<T>): void {
    const vs = values(set, 256);
    if (!vs) {
      for (const list of this.by.values()) for (const x of list) into.add(x);
    } else for (const v of vs) for (const x of this.by.get(v) ?? []) into.add(x);
    for (const x of this.rest) into.add(x);
  }
}

/** Atoms by the values their regions need, so each probe checks only the atoms it may meet. */
export class AtomIndex {
  private readonly byDst = new ValueIndex<Region>();
  private readonly byDport = new ValueIndex<Region>();
  private readonly byAddr = new ValueIndex<Region>();
  private readonly everyBecause: string | null;
  readonly size: number;

  constructor(atoms: readonly Atom[]) {
    let every: string | null = null;
    let size = 0;
    for (const atom of atoms) {
      for (const r of atom.regions) {
        size++;
        if (isEvery(r) || (r.dst === null && r.dport === null && r.addrs.length === 0 && r.src === null && r.ports.length === 0)) {
          every ??= atom.what;
          continue;
        }
        if (r.dst) this.byDst.add(r.dst, r);
        else if (r.addrs.length) this.byAddr.add(r.addrs[0]!, r);
        else if (r.dport) this.byDport.add(r.dport, r);
        else this.byAddr.add(null, r);
      }
    }
    this.everyBecause = every;
    this.size = size;
  }

  /** The first difference every packet can meet, if any. */
  get reachesEverything(): string | null {
    return this.everyBecause;
  }

  meets(u: Universe): boolean {
    if (this.everyBecause) return true;
    const candidates = new Set<Region>();
    this.byDst.find(u.dst, candidates);
    this.byDport.find(u.dport, candidates);
    this.byAddr.find(u.src, candidates);
    this.byAddr.find(u.dst, candidates);
    for (const r of candidates) if (admits(r, u)) return true;
    return false;
  }
}

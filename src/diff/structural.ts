/**
 * The structural diff of two nodes: iptables rules (rules.ts), ipsets (ipsets.ts), IPVS
 * (ipvs.ts), and the node's addresses, routes, sysctls and inputs (host.ts), each change filed
 * under its Service (groups.ts) or its place, and each difference kept as an atom for reach.ts.
 */
import type { NodeSnapshot } from '../model/node.js';
import type { ServiceCatalogue } from '../k8s/types.js';
import { ServiceGroups } from './groups.js';
import { diffHost } from './host.js';
import type { Renaming } from './identity.js';
import { diffIpsets, type SetFlags } from './ipsets.js';
import { diffIpvs } from './ipvs.js';
import type { Atom, ChainReach } from './reach.js';
import { diffRulesets } from './rules.js';
import type { ChangeGroup, StructuralChange } from './types.js';

export interface StructuralInput {
  readonly a: NodeSnapshot;
  readonly b: NodeSnapshot;
  readonly catalogueA: ServiceCatalogue;
  readonly catalogueB: ServiceCatalogue;
  readonly renaming: Renaming;
  /** How packets reach each chain, per node and family (null: no ruleset of that family). */
  readonly reach: { readonly a: Readonly<Record<'ipv4' | 'ipv6', ChainReach | null>>; readonly b: Readonly<Record<'ipv4' | 'ipv6', ChainReach | null>> };
}

export interface StructuralDiff {
  readonly changes: readonly StructuralChange[];
  readonly atoms: readonly Atom[];
  readonly commentOnly: number;
  /** Chain identities per node (KUBE-SEP- chains by endpoint), for comparing trace steps. */
  readonly chainIdsA: ReadonlyMap<string, string>;
  readonly chainIdsB: ReadonlyMap<string, string>;
}

const SEP_PREFIX = 'KUBE-SEP-';
const ID_MARK = '\u0000';

/**
 * KUBE-SEP- chains by the endpoint they DNAT to (kube-proxy servicePortEndpointChainName hashes
 * the Service port and the endpoint, so the same endpoint may carry another name under another
 * kube-proxy); B's endpoint addresses renamed like its rules.
 */
function sepIds(catalogue: ServiceCatalogue, renaming: Renaming | null): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Map<string, number>();
  for (const s of catalogue.services) {
    for (const e of s.endpoints) {
      if (!e.chain?.startsWith(SEP_PREFIX)) continue;
      const address = renaming ? renaming.text(e.address).text : e.address;
      const id = `${SEP_PREFIX}${ID_MARK}${s.key}${ID_MARK}${address}${e.port !== null ? `:${e.port}` : ''}`;
      ids.set(e.chain, id);
      taken.set(id, (taken.get(id) ?? 0) + 1);
    }
  }
  // Two chains for one endpoint of one Service cannot be told apart: keep their names.
  for (const [name, id] of ids) if ((taken.get(id) ?? 0) > 1) ids.delete(name);
  return ids;
}

function endpointOf(id: string): string | null {
  if (!id.startsWith(SEP_PREFIX + ID_MARK)) return null;
  return id.split(ID_MARK)[2] ?? null;
}

const GROUP_ORDER: Readonly<Record<ChangeGroup['kind'], number>> = { inputs: 0, service: 1, chain: 2, ipset: 3, ipvs: 4, addresses: 5, routes: 6, sysctls: 7 };

function groupSortKey(g: ChangeGroup): string {
  switch (g.kind) {
    case 'service':
      return g.label;
    case 'chain':
      return `${g.family} ${g.table} ${g.chain}`;
    case 'ipset':
      return g.set;
    case 'ipvs':
    case 'addresses':
    case 'routes':
    case 'sysctls':
    case 'inputs':
      return '';
    default: {
      const never: never = g;
      return String(never);
    }
  }
}

/** Changes by group (inputs, Services by name, chains, sets, IPVS, addresses, routes, sysctls), stable within one. */
export function sortChanges(changes: readonly StructuralChange[]): StructuralChange[] {
  return changes
    .map((c, i) => ({ c, i }))
    .sort((x, y) => {
      const o = GROUP_ORDER[x.c.group.kind] - GROUP_ORDER[y.c.group.kind];
      if (o !== 0) return o;
      const kx = groupSortKey(x.c.group);
      const ky = groupSortKey(y.c.group);
      return kx < ky ? -1 : kx > ky ? 1 : x.i - y.i;
    })
    .map((x) => x.c);
}

/** Every `--match-set NAME flags` of both nodes' rules, passed on to the members of a list:set. */
function setFlags(nodes: readonly NodeSnapshot[]): SetFlags {
  const byName = new Map<string, Map<string, readonly ('src' | 'dst')[]>>();
  const add = (name: string, flags: readonly ('src' | 'dst')[]) => {
    let m = byName.get(name);
    if (!m) byName.set(name, (m = new Map()));
    m.set(flags.join(','), flags);
  };
  for (const n of nodes) for (const r of [n.ipv4, n.ipv6]) for (const t of r?.tables ?? []) for (const c of t.chains) for (const rule of c.rules) for (const m of rule.matches) if (m.kind === 'set') add(m.name, m.flags);
  for (const n of nodes) {
    for (const set of n.ipsets ?? []) {
      if (set.type !== 'list:set') continue;
      for (const flags of byName.get(set.name)?.values() ?? []) for (const member of set.members) for (const d of member.dims) if (d.kind === 'set') add(d.name, flags);
    }
  }
  return (name) => [...(byName.get(name)?.values() ?? [])];
}

export function diffStructure(input: StructuralInput): StructuralDiff {
  const { a, b, renaming } = input;
  const groups = new ServiceGroups(input.catalogueA, input.catalogueB);
  const chainIdsA = sepIds(input.catalogueA, null);
  const chainIdsB = sepIds(input.catalogueB, renaming);
  const changes: StructuralChange[] = [];
  const atoms: Atom[] = [];
  let commentOnly = 0;
  for (const family of ['ipv4', 'ipv6'] as const) {
    const rules = diffRulesets(family === 'ipv4' ? a.ipv4 : a.ipv6, family === 'ipv4' ? b.ipv4 : b.ipv6, family, {
      chainIdsA,
      chainIdsB,
      endpointOf,
      renaming,
      group: (side, fam, table, chain, rule) => groups.rule(side, fam, table, chain, rule),
      reachA: input.reach.a[family],
      reachB: input.reach.b[family],
    });
    changes.push(...rules.changes);
    atoms.push(...rules.atoms);
    commentOnly += rules.commentOnly;
  }
  const flags = setFlags([a, b]);
  for (const part of [diffIpsets(a.ipsets, b.ipsets, renaming, groups, flags), diffIpvs(a.ipvs, b.ipvs, renaming, groups), diffHost(a, b, renaming, groups)]) {
    changes.push(...part.changes);
    atoms.push(...part.atoms);
  }
  return { changes: sortChanges(changes), atoms, commentOnly, chainIdsA, chainIdsB };
}

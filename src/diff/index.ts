/**
 * `diffNodes(a, b, options)`: the structural and behavioural diff of two node snapshots.
 *
 *   catalogues (src/k8s) → identities and renaming (identity.ts)
 *     → structural diff and its atoms (structural.ts)
 *     → probes (probes.ts) → which probes a difference can reach (reach.ts, universe.ts)
 *     → traces on both nodes and their comparison (behavioural.ts, outcome.ts)
 *
 * Equivalent means: no structural change that matters (counters are not compared; comments and
 * KUBE-SEP- names do not matter) and no probe whose outcome differs.
 */
import { buildServiceCatalogue } from '../k8s/catalogue.js';
import { serviceInputsFromNode } from '../k8s/inputs.js';
import type { ServiceCatalogue } from '../k8s/types.js';
import type { NodeSnapshot } from '../model/node.js';
import { formatAddress, parseAddress, type Family } from '../model/values/address.js';
import { nodeFacts } from '../eval/node-facts.js';
import { IntervalSet } from '../eval/interval-set.js';
import type { NodeFacts } from '../eval/facts.js';
import { compareBehaviour } from './behavioural.js';
import { nodeIdentity, podSources, Renaming, renamingBetween, type Identity } from './identity.js';
import type { SideView } from './outcome.js';
import { deriveProbes } from './probes.js';
import { AtomIndex, ChainReach } from './reach.js';
import { diffStructure } from './structural.js';
import { NodeUniverse } from './universe.js';
import type { DiffNote, DiffOptions, DiffResult, NodeHints, NodeIdentity } from './types.js';

export type * from './types.js';

const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

function catalogueOf(node: NodeSnapshot, hints: NodeHints): ServiceCatalogue {
  return buildServiceCatalogue(serviceInputsFromNode(node, hints.podCidr ? { podCidrs: [hints.podCidr] } : {}));
}

function byFamily<T>(make: (family: Family) => T): Record<Family, T> {
  return { ipv4: make('ipv4'), ipv6: make('ipv6') };
}

/** Addresses a pod probe should not come from: every endpoint and local address. */
function addressesInUse(catalogues: readonly ServiceCatalogue[], nodes: readonly NodeSnapshot[]): Set<bigint> {
  const out = new Set<bigint>();
  for (const c of catalogues) for (const s of c.services) for (const e of s.endpoints) {
    const a = parseAddress(e.address);
    if (a) out.add(a.first);
  }
  for (const n of nodes) for (const l of n.localAddresses ?? []) if (l.address.first === l.address.last) out.add(l.address.first);
  return out;
}

function identityView(id: Identity, podSource: Record<Family, bigint | null>): NodeIdentity {
  const family: Family = id.ipv4.nodeIp !== null || id.ipv4.podCidr || id.ipv6.nodeIp === null ? 'ipv4' : 'ipv6';
  const f = id[family];
  return {
    name: id.name,
    nodeIp: f.nodeIp !== null ? formatAddress(family, f.nodeIp) : null,
    podCidr: f.podCidr?.text ?? null,
    podSource: podSource[family] !== null ? formatAddress(family, podSource[family]!) : null,
  };
}

export function diffNodes(a: NodeSnapshot, b: NodeSnapshot, options: DiffOptions = {}): DiffResult {
  const hintsA = options.a ?? {};
  const hintsB = options.b ?? {};
  const catalogueA = catalogueOf(a, hintsA);
  const catalogueB = catalogueOf(b, hintsB);
  const identityA = nodeIdentity(a, catalogueA, hintsA);
  const identityB = nodeIdentity(b, catalogueB, hintsB);
  const inUse = addressesInUse([catalogueA, catalogueB], [a, b]);
  const sources = byFamily((f) => podSources(identityA[f], identityB[f], inUse));
  const podSourceA = byFamily((f) => sources[f].a);
  const podSourceB = byFamily((f) => sources[f].b);
  const pairs = FAMILIES.flatMap((family) => (sources[family].a !== null && sources[family].b !== null ? [{ family, a: sources[family].a!, b: sources[family].b! }] : []));
  const renaming = options.matchIdentity === false ? Renaming.NONE : renamingBetween(identityA, identityB, pairs);

  const reach = {
    a: byFamily((f) => {
      const r = f === 'ipv4' ? a.ipv4 : a.ipv6;
      return r ? new ChainReach(r, a.ipsets) : null;
    }),
    b: byFamily((f) => {
      const r = f === 'ipv4' ? b.ipv4 : b.ipv6;
      return r ? new ChainReach(r, b.ipsets) : null;
    }),
  };
  const structure = diffStructure({ a, b, catalogueA, catalogueB, renaming, reach });

  // A node address given on the command line is one of the node's own, as `iptlens trace --local-ip`.
  const localIps = (hints: NodeHints, f: Family) => (hints.nodeIp && hints.nodeIp.family === f ? [hints.nodeIp.first] : []);
  const factsA: Record<Family, NodeFacts> = byFamily((f) => nodeFacts(a, f, { localIps: localIps(hintsA, f) }));
  const factsB: Record<Family, NodeFacts> = byFamily((f) => nodeFacts(b, f, { localIps: localIps(hintsB, f) }));
  const keysA = { chainId: (n: string) => structure.chainIdsA.get(n) ?? n, renaming: null };
  const keysB = { chainId: (n: string) => structure.chainIdsB.get(n) ?? n, renaming };
  const podNets = byFamily((f) => [identityA[f].podCidr, identityB[f].podCidr].reduce((set, c) => (c ? set.union(IntervalSet.of(c.first, c.last)) : set), IntervalSet.EMPTY));
  const viewsA: Record<Family, SideView> = byFamily((f) => ({ side: 'a', facts: factsA[f], ipsets: a.ipsets, keys: keysA, renaming: null, podNets: podNets[f] }));
  const viewsB: Record<Family, SideView> = byFamily((f) => ({ side: 'b', facts: factsB[f], ipsets: b.ipsets, keys: keysB, renaming, podNets: podNets[f] }));

  const probes = deriveProbes(catalogueA, catalogueB, { identityA, identityB, podSourceA, podSourceB, renaming });
  const atomsA = new AtomIndex(structure.atoms.filter((x) => x.side === 'a'));
  const atomsB = new AtomIndex(structure.atoms.filter((x) => x.side === 'b'));
  const exhaustive = options.exhaustive === true;
  const behaviour = compareBehaviour({
    probes: probes.probes,
    viewsA,
    viewsB,
    universesA: byFamily((f) => new NodeUniverse(a, f, factsA[f], reach.a[f])),
    universesB: byFamily((f) => new NodeUniverse(b, f, factsB[f], reach.b[f])),
    atomsA,
    atomsB,
    exhaustive,
    maxPaths: options.maxPaths ?? 512,
  });

  const notes: DiffNote[] = [{ kind: 'counters-ignored' }];
  if (structure.commentOnly > 0) notes.push({ kind: 'comments-ignored', rules: structure.commentOnly });
  for (const p of renaming.pairs()) notes.push({ kind: 'identity-matched', what: p.a.includes('/') ? 'pod prefix' : 'address', a: p.a, b: p.b });
  for (const [side, node] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const errors = node.diagnostics.filter((d) => d.severity === 'error').length;
    if (errors) notes.push({ kind: 'input-errors', side, errors });
  }
  if (behaviour.capped) notes.push({ kind: 'paths-omitted', probes: behaviour.capped });

  const matters = structure.changes.some((c) => c.matters);
  return {
    a: identityView(identityA, podSourceA),
    b: identityView(identityB, podSourceB),
    equivalent: !matters && behaviour.differences.length === 0,
    structural: structure.changes,
    behavioural: behaviour.differences,
    coverage: {
      total: probes.probes.length,
      traced: behaviour.traced,
      unreached: behaviour.unreached,
      exhaustive,
      everyProbeBecause: exhaustive ? null : (atomsA.reachesEverything ?? atomsB.reachesEverything),
      skipped: probes.skipped,
    },
    notes,
  };
}

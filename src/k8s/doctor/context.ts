/**
 * The doctor's view of each node, built once and shared by every check: the Service catalogue,
 * the chain graphs, the evaluator's facts, memoised traces, and the addresses the checks send
 * packets from (a pod of this node, the node's uplink address).
 *
 * The memo tables are the only mutable state; they cache pure computations, so a check's `run`
 * stays a function of the snapshots.
 */
import type { SourceRef } from '../../../grammar/source.js';
import type { NodeFacts } from '../../eval/facts.js';
import { IntervalSet } from '../../eval/interval-set.js';
import { nodeFacts } from '../../eval/node-facts.js';
import { trace } from '../../eval/pipeline.js';
import type { Probe, TraceResult } from '../../eval/types.js';
import { buildChainGraph, type ChainGraph } from '../../graph/chain-graph.js';
import type { Ruleset } from '../../model/iptables/types.js';
import type { NodeSnapshot } from '../../model/node.js';
import { formatAddress, parseCidr, type Family } from '../../model/values/address.js';
import { buildServiceCatalogue } from '../catalogue.js';
import { serviceInputsFromNode } from '../inputs.js';
import type { ServiceCatalogue, ServicePort } from '../types.js';
import type { ChosenAddress, DoctorContext, DoctorOptions, NodeContext, ProbeSpec } from './types.js';

/**
 * A probe's paths are capped: a concrete packet forks only on random choices (one path per
 * endpoint) and unknown facts; past the cap the checks treat the trace as inconclusive.
 */
const MAX_PATHS = 512;

function probeOf(spec: ProbeSpec): Probe {
  return {
    origin: spec.origin,
    family: spec.family,
    src: IntervalSet.of(spec.src),
    dst: IntervalSet.of(spec.dst),
    proto: spec.proto,
    sport: IntervalSet.of(40000n),
    dport: IntervalSet.of(BigInt(spec.dport)),
    // Derived from the snapshot: the pod's veth/bridge by route, the uplink by default route.
    inIface: null,
    state: 'NEW',
    mark: 0,
    assumeHistory: false,
  };
}

function baseLabel(s: ServicePort): string {
  if (s.namespace === null || s.name === null) return s.key;
  return `${s.namespace}/${s.name}${s.portName ? `:${s.portName}` : ''}`;
}

/** Labels; a protocol suffix only where two ports of the catalogue would read the same. */
function labelsOf(catalogue: ServiceCatalogue): Map<ServicePort, string> {
  const count = new Map<string, number>();
  for (const s of catalogue.services) count.set(baseLabel(s), (count.get(baseLabel(s)) ?? 0) + 1);
  const out = new Map<ServicePort, string>();
  for (const s of catalogue.services) {
    const base = baseLabel(s);
    out.set(s, (count.get(base) ?? 0) > 1 && base !== s.key ? `${base}/${s.protocol}` : base);
  }
  return out;
}

/**
 * An unused address of the node's pod network: not the bridge's, not an endpoint (kube-proxy's
 * hairpin rules match endpoints as sources: KUBE-SEP `-s`, KUBE-LOOP-BACK).
 */
function choosePodAddress(node: NodeSnapshot, catalogue: ServiceCatalogue, family: Family): ChosenAddress | null {
  const taken = new Set<bigint>();
  for (const s of catalogue.services) for (const e of s.endpoints) {
    const c = parseCidr(e.address, family);
    if (c) taken.add(c.first);
  }
  for (const a of node.localAddresses ?? []) if (a.address.family === family) taken.add(a.address.first);
  const pick = (cidrText: string, why: (text: string) => string): ChosenAddress | null => {
    const cidr = parseCidr(cidrText, family);
    if (!cidr || cidr.last - cidr.first < 4n) return null;
    const span = cidr.last - cidr.first;
    const top = span > 251n ? 250n : span - 1n;
    for (let offset = top; offset > 1n && top - offset < 4096n; offset--) {
      const address = cidr.first + offset;
      if (!taken.has(address)) return { address, text: formatAddress(family, address), why: why(cidr.text) };
    }
    // Every address is an endpoint (a dense node): a real pod of this node is one too.
    const address = cidr.first + top;
    return { address, text: formatAddress(family, address), why: `${why(cidr.text).replace('an unused address', 'an address')} (every address there is an endpoint; this one stands for any pod of the node)` };
  };
  for (const text of catalogue.settings.localPodCidrs) {
    const chosen = pick(text, (t) => `an unused address of this node's pod network ${t}`);
    if (chosen) return chosen;
  }
  for (const text of catalogue.settings.clusterCidrs) {
    const chosen = pick(text, (t) => `an address of the cluster CIDR ${t} (this node's own pod network is not in its files; give ip addr)`);
    if (chosen) return chosen;
  }
  return null;
}

function chooseNodeAddress(node: NodeSnapshot, facts: NodeFacts, family: Family): ChosenAddress | null {
  const uplink = facts.uplink();
  const primary = uplink ? facts.primaryAddress(uplink) : null;
  if (uplink && primary !== null) return { address: primary, text: formatAddress(family, primary), why: `the address of ${uplink}, the interface of the default route` };
  for (const iface of node.interfaces ?? []) {
    if (facts.interfaceRole(iface.name) !== 'uplink') continue;
    const a = iface.addresses.find((x) => x.family === family && !x.secondary && x.scope === 'global');
    if (a) return { address: a.address.first, text: a.address.text, why: `the first address of ${iface.name}` };
  }
  return null;
}

function refKey(at: SourceRef): string {
  return `${at.source.name}\u0000${at.start}`;
}

export function nodeContext(node: NodeSnapshot): NodeContext {
  const catalogue = buildServiceCatalogue(serviceInputsFromNode(node));
  const labels = labelsOf(catalogue);
  const graphs = new Map<Ruleset, ChainGraph>();
  const facts = new Map<Family, NodeFacts>();
  const traces = new Map<string, TraceResult>();
  const pods = new Map<Family, ChosenAddress | null>();
  const uplinks = new Map<Family, ChosenAddress | null>();
  let byLine: Map<string, Set<string>> | null = null;
  let byLabel: Map<string, string> | null = null;
  const factsOf = (family: Family): NodeFacts => {
    let f = facts.get(family);
    if (!f) {
      f = nodeFacts(node, family);
      facts.set(family, f);
    }
    return f;
  };
  const label = (s: ServicePort): string => labels.get(s) ?? baseLabel(s);
  return {
    snapshot: node,
    name: node.name,
    catalogue,
    rulesets: [node.ipv4, node.ipv6].filter((r): r is Ruleset => r !== null),
    graph(ruleset) {
      let g = graphs.get(ruleset);
      if (!g) {
        g = buildChainGraph(ruleset);
        graphs.set(ruleset, g);
      }
      return g;
    },
    facts: factsOf,
    trace(spec) {
      const key = `${spec.origin}|${spec.family}|${spec.src}|${spec.dst}|${spec.proto}|${spec.dport}`;
      let r = traces.get(key);
      if (!r) {
        r = trace(factsOf(spec.family), probeOf(spec), { maxPaths: MAX_PATHS });
        traces.set(key, r);
      }
      return r;
    },
    podAddress(family) {
      if (!pods.has(family)) pods.set(family, choosePodAddress(node, catalogue, family));
      return pods.get(family) ?? null;
    },
    nodeAddress(family) {
      if (!uplinks.has(family)) uplinks.set(family, chooseNodeAddress(node, factsOf(family), family));
      return uplinks.get(family) ?? null;
    },
    label,
    servicesAt(at, comment) {
      if (!byLine || !byLabel) {
        byLine = new Map();
        byLabel = new Map();
        for (const s of catalogue.services) {
          const l = label(s);
          byLabel.set(baseLabel(s), l);
          const refs = [...s.evidence.map((e) => e.at), ...s.endpoints.flatMap((e) => (e.at ? [e.at] : []))];
          for (const ref of refs) {
            const k = refKey(ref);
            let set = byLine.get(k);
            if (!set) byLine.set(k, (set = new Set()));
            set.add(l);
          }
        }
      }
      const direct = byLine.get(refKey(at));
      if (direct) return [...direct];
      // kube-proxy's comments start with the ServicePortName ("web/frontend:http has no local endpoints").
      const first = comment?.split(/\s/)[0];
      const named = first ? byLabel.get(first) : undefined;
      return named ? [named] : [];
    },
  };
}

export function doctorContext(nodes: readonly NodeSnapshot[], options: DoctorOptions = {}): DoctorContext {
  return { nodes: nodes.map(nodeContext), lbModel: options.lbModel ?? null };
}

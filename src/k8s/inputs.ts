/**
 * A node snapshot (src/model/node.ts) as the catalogue's inputs: the rulesets, sets and IPVS
 * table it read, the node's addresses with their prefixes, and the inputs the snapshot only
 * recognises: kubectl JSON (read here, by kubectl.ts) and nft rulesets (only detected).
 */
import type { Diagnostic } from '../../grammar/diagnostics.js';
import type { SourceText } from '../../grammar/source.js';
import type { NodeSnapshot } from '../model/node.js';
import type { Cidr } from '../model/values/address.js';
import { readKubectlJson } from './kubectl.js';
import type { KubectlObjects, NodeAddress, ServiceInputs } from './types.js';

export interface NodeInputOptions {
  /** This node's name in the cluster (`--node-name`). */
  readonly nodeName?: string;
  /** This node's pod prefixes (`--pod-cidr`). */
  readonly podCidrs?: readonly Cidr[];
}

/** The fields of a snapshot the catalogue reads. */
export type ServiceNode = Pick<NodeSnapshot, 'inputs' | 'ipv4' | 'ipv6' | 'ipsets' | 'ipvs' | 'interfaces' | 'localAddresses'>;

/** Several kubectl documents (files, or sections of a paste) as one set of objects. */
function joinKubectl(parts: readonly KubectlObjects[]): KubectlObjects | null {
  if (parts.length === 0) return null;
  return {
    services: parts.flatMap((p) => p.services),
    endpointSlices: parts.flatMap((p) => p.endpointSlices),
    nodes: parts.flatMap((p) => p.nodes),
    diagnostics: parts.flatMap((p) => p.diagnostics),
  };
}

/**
 * Interface addresses keep their prefixes (a bridge's prefix is the node's pod range); local
 * routes that are no interface address (127.0.0.0/8, AnyIP prefixes) come from `localAddresses`.
 */
function nodeAddresses(node: ServiceNode): NodeAddress[] | null {
  if (!node.interfaces && !node.localAddresses) return null;
  const out: NodeAddress[] = [];
  for (const iface of node.interfaces ?? []) {
    for (const a of iface.addresses) out.push({ address: a.address, prefix: a.prefix, interface: iface.name, at: a.at });
  }
  for (const local of node.localAddresses ?? []) {
    if (out.some((o) => o.address.family === local.address.family && o.address.first === local.address.first && o.address.last === local.address.last)) continue;
    out.push({ address: local.address, interface: local.interface, at: local.at });
  }
  return out;
}

export function serviceInputsFromNode(node: ServiceNode, options: NodeInputOptions = {}): ServiceInputs {
  const kubectl: KubectlObjects[] = [];
  const nft: SourceText[] = [];
  for (const input of node.inputs) {
    if (input.kind === 'kubectl-json') kubectl.push(readKubectlJson(input.source, { start: input.start, end: input.end }));
    else if (input.kind === 'nft-ruleset' && !nft.includes(input.source)) nft.push(input.source);
  }
  return {
    ipv4: node.ipv4,
    ipv6: node.ipv6,
    ipsets: node.ipsets,
    ipvs: node.ipvs,
    localAddresses: nodeAddresses(node),
    nftRulesets: nft,
    kubectl: joinKubectl(kubectl),
    ...(options.nodeName !== undefined ? { nodeName: options.nodeName } : {}),
    ...(options.podCidrs !== undefined ? { podCidrs: options.podCidrs } : {}),
  };
}

/**
 * The snapshot's diagnostics minus its "recognised but not read yet" notes about the inputs
 * this module reads (kubectl JSON): `iptlens services` does read them.
 */
export function nodeDiagnosticsForServices(node: Pick<NodeSnapshot, 'inputs' | 'diagnostics'>): Diagnostic[] {
  const read = node.inputs.filter((i) => i.kind === 'kubectl-json');
  return node.diagnostics.filter(
    (d) => !(d.code === 'input/not-yet-read' && d.at !== null && read.some((i) => i.source === d.at!.source && d.at!.start >= i.start && d.at!.start <= i.end)),
  );
}

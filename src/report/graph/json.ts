/** The chain graph as JSON (schema iptlens.graph/v1): nodes, and edges citing their rule. */
import type { ChainGraph } from '../../graph/chain-graph.js';
import { locate } from '../location.js';

export interface GraphJson {
  readonly schema: 'iptlens.graph/v1';
  readonly nodes: readonly { readonly id: string; readonly table: string; readonly chain: string; readonly builtin: boolean; readonly exists: boolean; readonly rules: number }[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly kind: 'jump' | 'goto'; readonly rule: number; readonly file: string; readonly line: number }[];
}

export function graphToJson(graph: ChainGraph, keep: (key: string) => boolean): GraphJson {
  const nodes: GraphJson['nodes'][number][] = [];
  const edges: GraphJson['edges'][number][] = [];
  graph.forEachNode((key, n) => {
    if (keep(key)) nodes.push({ id: key, table: n.table, chain: n.chain, builtin: n.builtin, exists: n.exists, rules: n.model?.rules.length ?? 0 });
  });
  graph.forEachEdge((_e, attr, source, target) => {
    if (!keep(source) || !keep(target)) return;
    const l = locate(attr.rule.at);
    edges.push({ from: source, to: target, kind: attr.kind, rule: attr.rule.index, file: l.file, line: l.line });
  });
  return { schema: 'iptlens.graph/v1', nodes, edges };
}

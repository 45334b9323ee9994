/**
 * The chain graph of a ruleset: per table, one node per chain (and one per chain that rules
 * jump to but that does not exist), one edge per jump/goto rule pointing at the rule that makes
 * it. Built on graphology so callers can use its traversal and export tools.
 */
import graphology from 'graphology';
import type { Chain, Rule, Ruleset, TableName } from '../model/iptables/types.js';

const { MultiDirectedGraph } = graphology;

export interface ChainNode {
  readonly table: TableName;
  readonly chain: string;
  readonly builtin: boolean;
  /** False for a chain that rules jump to but that is not declared. */
  readonly exists: boolean;
  /** The model chain, when it exists. */
  readonly model: Chain | null;
}

export interface JumpEdge {
  readonly kind: 'jump' | 'goto';
  /** The rule whose target makes this edge. */
  readonly rule: Rule;
}

export type ChainGraph = InstanceType<typeof MultiDirectedGraph<ChainNode, JumpEdge>>;

/** Node key of a chain: tables have separate namespaces. */
export function chainKey(table: TableName, chain: string): string {
  return `${table}:${chain}`;
}

export function buildChainGraph(ruleset: Ruleset): ChainGraph {
  const graph: ChainGraph = new MultiDirectedGraph<ChainNode, JumpEdge>();
  for (const table of ruleset.tables) {
    for (const chain of table.chains) {
      graph.addNode(chainKey(table.name, chain.name), { table: table.name, chain: chain.name, builtin: chain.builtin, exists: true, model: chain });
    }
  }
  for (const table of ruleset.tables) {
    for (const chain of table.chains) {
      const from = chainKey(table.name, chain.name);
      for (const rule of chain.rules) {
        const target = rule.target;
        if (!target || (target.kind !== 'jump' && target.kind !== 'goto')) continue;
        const to = chainKey(table.name, target.chain);
        if (!graph.hasNode(to)) {
          graph.addNode(to, { table: table.name, chain: target.chain, builtin: false, exists: false, model: null });
        }
        graph.addDirectedEdge(from, to, { kind: target.kind, rule });
      }
    }
  }
  return graph;
}

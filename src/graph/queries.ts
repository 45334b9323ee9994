/**
 * Questions about a chain graph: what is referenced but missing, what nothing reaches, jump
 * loops (iptables refuses them at commit: net/netfilter/x_tables.c / ip_tables.c mark_source_chains
 * "loop detected"), how deep calls nest, and how many rules lead in and out of a chain.
 */
import type { Rule, TableName } from '../model/iptables/types.js';
import { chainKey, type ChainGraph } from './chain-graph.js';

export interface ChainRef {
  readonly table: TableName;
  readonly chain: string;
}

/** A chain that rules jump to but that does not exist. */
export interface MissingChain extends ChainRef {
  readonly referencedBy: readonly Rule[];
}

/** A jump loop: chains in order, and the rules that close each step. */
export interface JumpCycle {
  readonly table: TableName;
  readonly chains: readonly string[];
  readonly rules: readonly Rule[];
}

export interface ChainDegree extends ChainRef {
  /** Rules (in other chains) that jump or go to it. */
  readonly fanIn: number;
  /** Its rules that jump or go elsewhere. */
  readonly fanOut: number;
}

export function missingChains(graph: ChainGraph): MissingChain[] {
  const out: MissingChain[] = [];
  graph.forEachNode((key, node) => {
    if (node.exists) return;
    const referencedBy: Rule[] = [];
    graph.forEachInEdge(key, (_e, edge) => referencedBy.push(edge.rule));
    out.push({ table: node.table, chain: node.chain, referencedBy });
  });
  return out;
}

/** User chains that no built-in chain reaches through jumps and gotos. */
export function unreachableChains(graph: ChainGraph): ChainRef[] {
  const seen = new Set<string>();
  const stack: string[] = [];
  graph.forEachNode((key, node) => {
    if (node.builtin) {
      seen.add(key);
      stack.push(key);
    }
  });
  while (stack.length > 0) {
    const key = stack.pop()!;
    graph.forEachOutNeighbor(key, (next) => {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    });
  }
  const out: ChainRef[] = [];
  graph.forEachNode((key, node) => {
    if (!seen.has(key) && node.exists) out.push({ table: node.table, chain: node.chain });
  });
  return out;
}

/** Every elementary jump loop found by depth-first search (one per back edge). */
export function jumpCycles(graph: ChainGraph): JumpCycle[] {
  const state = new Map<string, 1 | 2>();
  const cycles: JumpCycle[] = [];
  const pathKeys: string[] = [];
  const pathRules: Rule[] = [];
  const visit = (start: string): void => {
    // Iterative DFS: chains can nest thousands deep in generated rulesets.
    const frames: { key: string; edges: { target: string; rule: Rule }[]; i: number }[] = [];
    const open = (key: string): void => {
      state.set(key, 1);
      pathKeys.push(key);
      const edges: { target: string; rule: Rule }[] = [];
      graph.forEachOutEdge(key, (_e, attr, _s, target) => edges.push({ target, rule: attr.rule }));
      frames.push({ key, edges, i: 0 });
    };
    open(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.i >= frame.edges.length) {
        state.set(frame.key, 2);
        frames.pop();
        pathKeys.pop();
        pathRules.pop();
        continue;
      }
      const { target, rule } = frame.edges[frame.i++]!;
      const s = state.get(target);
      if (s === 1) {
        const from = pathKeys.indexOf(target);
        const node = graph.getNodeAttributes(target);
        cycles.push({
          table: node.table,
          chains: pathKeys.slice(from).map((k) => graph.getNodeAttributes(k).chain),
          rules: [...pathRules.slice(from), rule],
        });
      } else if (s === undefined) {
        pathRules.push(rule);
        open(target);
      }
    }
  };
  graph.forEachNode((key) => {
    if (!state.has(key)) visit(key);
  });
  return cycles;
}

/**
 * Longest chain of nested calls from a built-in chain (a built-in chain alone is depth 1).
 * Edges that close a loop are ignored.
 */
export function maxCallDepth(graph: ChainGraph): { depth: number; path: ChainRef[] } {
  const memo = new Map<string, { depth: number; next: string | null }>();
  const onStack = new Set<string>();
  const depthOf = (start: string): number => {
    const frames: { key: string; targets: string[]; i: number; best: number; next: string | null }[] = [];
    const push = (key: string): void => {
      onStack.add(key);
      frames.push({ key, targets: graph.outNeighbors(key), i: 0, best: 0, next: null });
    };
    push(start);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.i < f.targets.length) {
        const t = f.targets[f.i++]!;
        if (onStack.has(t)) continue;
        const known = memo.get(t);
        if (known) {
          if (known.depth > f.best) {
            f.best = known.depth;
            f.next = t;
          }
        } else push(t);
        continue;
      }
      frames.pop();
      onStack.delete(f.key);
      memo.set(f.key, { depth: f.best + 1, next: f.next });
      const parent = frames[frames.length - 1];
      if (parent && f.best + 1 > parent.best) {
        parent.best = f.best + 1;
        parent.next = f.key;
      }
    }
    return memo.get(start)!.depth;
  };
  let best = 0;
  let bestStart: string | null = null;
  graph.forEachNode((key, node) => {
    if (!node.builtin) return;
    const d = memo.get(key)?.depth ?? depthOf(key);
    if (d > best) {
      best = d;
      bestStart = key;
    }
  });
  const path: ChainRef[] = [];
  let cursor: string | null = bestStart;
  while (cursor) {
    const node = graph.getNodeAttributes(cursor);
    path.push({ table: node.table, chain: node.chain });
    cursor = memo.get(cursor)?.next ?? null;
  }
  return { depth: best, path };
}

export function chainDegree(graph: ChainGraph, table: TableName, chain: string): ChainDegree | null {
  const key = chainKey(table, chain);
  if (!graph.hasNode(key)) return null;
  return { table, chain, fanIn: graph.inDegree(key), fanOut: graph.outDegree(key) };
}

/** Chains by fan-in, highest first (the hubs: KUBE-SERVICES, KUBE-MARK-MASQ, …). */
export function topFanIn(graph: ChainGraph, limit: number): ChainDegree[] {
  const all: ChainDegree[] = [];
  graph.forEachNode((key, node) => all.push({ table: node.table, chain: node.chain, fanIn: graph.inDegree(key), fanOut: graph.outDegree(key) }));
  return all.sort((a, b) => b.fanIn - a.fanIn || a.chain.localeCompare(b.chain)).slice(0, limit);
}

/** The subgraph reachable from one chain (for `iptlens graph --from`). */
export function reachableFrom(graph: ChainGraph, table: TableName, chain: string): Set<string> {
  const start = chainKey(table, chain);
  const seen = new Set<string>();
  if (!graph.hasNode(start)) return seen;
  const stack = [start];
  seen.add(start);
  while (stack.length > 0) {
    const key = stack.pop()!;
    graph.forEachOutNeighbor(key, (n) => {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    });
  }
  return seen;
}

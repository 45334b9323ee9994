/** The chain graph as Graphviz DOT. */
import type { ChainGraph } from '../../graph/chain-graph.js';

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function graphToDot(graph: ChainGraph, keep: (key: string) => boolean): string {
  const out = ['digraph chains {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  graph.forEachNode((key, node) => {
    if (!keep(key)) return;
    const style = node.builtin ? ', style=bold' : node.exists ? '' : ', style=dashed, color=red';
    out.push(`  ${quote(key)} [label=${quote(`${node.table}\n${node.chain}`)}${style}];`);
  });
  graph.forEachEdge((_e, attr, source, target) => {
    if (!keep(source) || !keep(target)) return;
    out.push(`  ${quote(source)} -> ${quote(target)} [label=${quote(`#${attr.rule.index}`)}${attr.kind === 'goto' ? ', style=dashed' : ''}];`);
  });
  out.push('}');
  return out.join('\n') + '\n';
}

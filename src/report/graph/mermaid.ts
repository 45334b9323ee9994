/** The chain graph as a Mermaid flowchart (renders in GitHub/GitLab issues). */
import type { ChainGraph } from '../../graph/chain-graph.js';

/** Mermaid node ids may not contain `:` or `-` safely; labels carry the real names. */
function id(key: string, ids: Map<string, string>): string {
  let v = ids.get(key);
  if (!v) {
    v = `n${ids.size}`;
    ids.set(key, v);
  }
  return v;
}

function label(s: string): string {
  return `"${s.replace(/"/g, '#quot;')}"`;
}

export function graphToMermaid(graph: ChainGraph, keep: (key: string) => boolean): string {
  const ids = new Map<string, string>();
  const out = ['flowchart LR'];
  graph.forEachNode((key, node) => {
    if (!keep(key)) return;
    const text = label(`${node.table}/${node.chain}`);
    out.push(node.builtin ? `  ${id(key, ids)}[[${text}]]` : node.exists ? `  ${id(key, ids)}[${text}]` : `  ${id(key, ids)}{{${text}}}`);
  });
  graph.forEachEdge((_e, attr, source, target) => {
    if (!keep(source) || !keep(target)) return;
    const arrow = attr.kind === 'goto' ? '-.->' : '-->';
    out.push(`  ${id(source, ids)} ${arrow}|${label(`#${attr.rule.index}`)}| ${id(target, ids)}`);
  });
  return out.join('\n') + '\n';
}

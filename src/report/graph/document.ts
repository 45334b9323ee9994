/** `iptlens graph` as a report document: the chain graph drawn (capped), and the jumps to chains that do not exist. */
import type { ChainGraph } from '../../graph/chain-graph.js';
import type { NodeSnapshot } from '../../model/node.js';
import { chainGraphView, evidenceAt, footerOf, fullTextOf, REPORT_LIMITS, type Evidence, type ReportDocument, type ReportMeta, type Verdict } from '../document.js';

export interface GraphScope {
  readonly family: 'ipv4' | 'ipv6';
  readonly table: string | null;
  readonly from: string | null;
}

/**
 * `text` is what `--output text` prints for the same graph (DOT or Mermaid), carried as the
 * collapsible full text.
 */
export function graphDocument(node: NodeSnapshot, graph: ChainGraph, keep: (key: string) => boolean, scope: GraphScope, text: string, meta: ReportMeta): ReportDocument {
  let chains = 0;
  let jumps = 0;
  const undeclared: string[] = [];
  const evidence: Evidence[] = [];
  graph.forEachNode((key, n) => {
    if (!keep(key)) return;
    chains++;
    if (!n.exists) undeclared.push(n.chain);
  });
  graph.forEachEdge((_e, attr, from, to) => {
    if (!keep(from) || !keep(to)) return;
    jumps++;
    if (!graph.getNodeAttribute(to, 'exists')) evidence.push(evidenceAt(attr.rule.at, `${attr.kind} to ${attr.rule.target?.kind === 'jump' || attr.rule.target?.kind === 'goto' ? attr.rule.target.chain : to}, which is not declared`, attr.rule.comment, true));
  });
  const verdict: Verdict = undeclared.length
    ? { tone: 'warning', text: `${chains} chains, ${jumps} jumps; ${undeclared.length} chain${undeclared.length === 1 ? ' is' : 's are'} jumped to but not declared` }
    : { tone: 'info', text: `${chains} chains, ${jumps} jumps` };
  const where = [scope.family, scope.table ? `table ${scope.table}` : 'all tables', scope.from ? `from ${scope.from}` : null].filter((x) => x !== null).join(', ');
  const explanation = [`The chain graph of node ${node.name} (${where}): one box per chain, one arrow per chain another jumps (solid) or goes (dashed) to.`];
  if (undeclared.length) explanation.push(`Not declared (iptables-restore would refuse these jumps): ${undeclared.join(', ')}.`);
  const view = chainGraphView(graph, keep, null);
  if (view.omittedNodes > 0) explanation.push(`The drawing shows ${view.nodes.length} of ${chains} chains; the full graph is in the collapsible text.`);
  return {
    schema: 'iptlens.report/v1',
    command: 'graph',
    title: `iptlens graph ${node.name}: ${verdict.text}`,
    verdict,
    explanation,
    paths: [],
    omittedPaths: 0,
    graph: view,
    tables: [],
    evidence: evidence.slice(0, REPORT_LIMITS.evidence),
    omittedEvidence: Math.max(0, evidence.length - REPORT_LIMITS.evidence),
    remediation: undeclared.length ? ['Declare the missing chains (`:NAME - [0:0]` in the dump) or remove the rules that jump to them: the kernel refuses a ruleset with such a jump, so this dump is not what a node holds.'] : [],
    fullText: fullTextOf(text),
    footer: footerOf(meta, node.inputs.map((i) => i.source)),
  };
}

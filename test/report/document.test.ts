import { describe, expect, it } from 'vitest';
import { loadNode } from '../../src/cli/inputs.js';
import { nodeFacts } from '../../src/eval/node-facts.js';
import { trace } from '../../src/eval/pipeline.js';
import { probeFromWords } from '../../src/eval/probe.js';
import { buildChainGraph } from '../../src/graph/chain-graph.js';
import { chainGraphView, commandLineText, REPORT_LIMITS } from '../../src/report/document.js';
import { graphDocument } from '../../src/report/graph/document.js';
import { parseDocument } from '../../src/report/parse/document.js';
import { traceDocument } from '../../src/report/trace/document.js';
import './fixtures.js';

const meta = { commandLine: ['iptlens', 'trace', 'x'], version: '1.2.3' };

function traced(dir: string, words: Parameters<typeof probeFromWords>[0]) {
  const node = loadNode([dir]);
  const parsed = probeFromWords(words, () => null);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return { node, result: trace(nodeFacts(node, parsed.probe.family, { localIps: [] }), parsed.probe, { maxPaths: 2048 }) };
}

describe('traceDocument', () => {
  const { node, result } = traced('samples/iptables-current/', { from: 'pod', src: '10.244.1.5', dst: '10.96.0.10', proto: 'udp', dport: '53', assumeHistory: false });
  const doc = traceDocument(node, result, meta);

  it('marks the DNAT rules and the random choice as decisive evidence', () => {
    const decisive = doc.evidence.filter((e) => e.decisive).map((e) => e.why);
    expect(decisive).toEqual(expect.arrayContaining(['DNAT to 10.244.0.2:53', 'DNAT to 10.244.1.3:53']));
    expect(doc.evidence.find((e) => e.why === 'DNAT to 10.244.0.2:53')?.text).toMatch(/^-A KUBE-SEP-\w+ .*--to-destination 10\.244\.0\.2:53$/);
    expect(doc.evidence.find((e) => e.why === 'policy ACCEPT')?.decisive).toBe(false);
  });

  it('cites each evidence line once, with its file and 1-based line', () => {
    const keys = doc.evidence.map((e) => `${e.file}:${e.line}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('samples/iptables-current/iptables-save.txt:178');
  });

  it('draws the chains the packet went through, and the jumps it took, on its path', () => {
    const graph = doc.graph!;
    const on = graph.nodes.filter((n) => n.onPath).map((n) => n.id);
    expect(on).toEqual(expect.arrayContaining(['nat:PREROUTING', 'nat:KUBE-SERVICES', 'nat:KUBE-SVC-TCOU7JCQXEZGVUNU', 'filter:KUBE-FORWARD']));
    expect(graph.edges.find((e) => e.from === 'nat:KUBE-SERVICES' && e.to === 'nat:KUBE-SVC-TCOU7JCQXEZGVUNU')?.onPath).toBe(true);
    expect(graph.roots.slice(0, 2)).toEqual(['mangle:PREROUTING', 'nat:PREROUTING']);
    // Roads not taken are drawn faint, a few per chain.
    const notTaken = graph.edges.filter((e) => e.from === 'nat:KUBE-SERVICES' && !e.onPath);
    expect(notTaken.length).toBeGreaterThan(0);
    expect(notTaken.length).toBeLessThanOrEqual(REPORT_LIMITS.neighboursPerChain);
  });

  it('carries the footer: version, command line and the sha256 of each input', () => {
    expect(doc.footer.version).toBe('1.2.3');
    expect(doc.footer.commandLine).toEqual(['iptlens', 'trace', 'x']);
    expect(doc.footer.inputs.map((i) => i.file)).toEqual(node.inputs.map((i) => i.source.name));
  });

  it('turns a drop into a problem verdict and a remediation that names the rule', () => {
    const dropped = traced('samples/iptables-current/', { from: 'external', src: '198.51.100.7', dst: '10.0.0.102', dport: '80', assumeHistory: false });
    const d = traceDocument(dropped.node, dropped.result, meta);
    expect(d.verdict).toEqual({ tone: 'problem', text: 'DROPPED: DROP by filter/KUBE-PROXY-FIREWALL#1' });
    expect(d.paths[0]?.steps.at(-1)).toMatchObject({ chain: 'KUBE-PROXY-FIREWALL', effect: 'DROP', decisive: true });
    expect(d.remediation.some((r) => r.startsWith('Path 1 ends at samples/iptables-current/iptables-save.txt:'))).toBe(true);
  });
});

describe('parseDocument', () => {
  it('says what is missing and what to collect', () => {
    const doc = parseDocument(loadNode(['samples/docker-host/']), meta);
    expect(doc.verdict.tone).toBe('ok');
    expect(doc.remediation).toEqual([expect.stringMatching(/^Collect `sysctl -a` on the node and run again: /)]);
    expect(doc.tables.map((t) => t.title)).toEqual(['Inputs', 'Tables']);
  });
});

describe('chain graph excerpts', () => {
  it('cap a big graph and count what was left out', () => {
    const node = loadNode(['samples/iptables-current/iptables-save.txt']);
    const graph = buildChainGraph(node.ipv4!);
    const view = chainGraphView(graph, () => true, null);
    expect(view.nodes.length).toBe(REPORT_LIMITS.graphNodes);
    expect(view.nodes.length + view.omittedNodes).toBe(graph.order);
    // Built-in chains first: a capped drawing still starts where packets do.
    expect(view.nodes.slice(0, 5).every((n) => n.builtin)).toBe(true);
    const doc = graphDocument(node, graph, () => true, { family: 'ipv4', table: null, from: null }, 'digraph {}', meta);
    expect(doc.explanation.some((e) => e.startsWith(`The drawing shows ${REPORT_LIMITS.graphNodes} of ${graph.order} chains`))).toBe(true);
  });
});

describe('commandLineText', () => {
  it('quotes what a shell would split or expand', () => {
    expect(commandLineText(['iptlens', 'trace', 'a b/', '--src', "it's", '10.0.0.0/8', '*'])).toBe("iptlens trace 'a b/' --src 'it'\\''s' 10.0.0.0/8 '*'");
  });
});

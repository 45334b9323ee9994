/**
 * The report document: one typed envelope that every command can fill and that the ticket
 * formats (markdown, html) render. A command builds it from its own results; the renderers are
 * pure functions `ReportDocument → string` (src/report/markdown, src/report/html) and
 * redaction maps it to another document (src/report/redact).
 *
 * This file holds the envelope's types and the building blocks every command needs (evidence
 * from a source position, the chain-graph excerpt, the footer). Each command's builder sits with
 * its other renderers (src/report/trace/document.ts beside trace/text.ts and trace/json.ts); a new
 * command (services, loopback, doctor, diff) adds its own `<command>/document.ts` that fills the
 * same fields, with `tables` for anything tabular.
 */
import { lineTextAt, type SourceRef, type SourceText } from '../../grammar/source.js';
import type { ChainGraph } from '../graph/chain-graph.js';
import type { MissingFact } from '../model/node.js';
import { inputDigests, type InputDigest } from './inputs.js';
import { locate } from './location.js';

export type { InputDigest } from './inputs.js';

/** The commands that produce report documents. */
export type ReportCommand = 'parse' | 'trace' | 'graph' | 'services' | 'loopback' | 'doctor' | 'diff';

/** How the answer should look at a glance: ok (green), problem (red), warning (amber), info (neutral). */
export type Tone = 'ok' | 'problem' | 'warning' | 'info';

export interface Verdict {
  readonly tone: Tone;
  /** One line: "DROPPED: REJECT by filter/KUBE-SERVICES#3", "all inputs read". */
  readonly text: string;
}

/** A line of an input that supports the answer, cited as `file:line`. */
export interface Evidence {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** The line as written (long lines are shortened with "…"). */
  readonly text: string;
  /** The rule's `-m comment` text, when it has one. */
  readonly comment: string | null;
  /** What this line did or shows: "DNAT to 10.244.1.3:53", "error[iptables/syntax]: …". */
  readonly why: string;
  /** True for the lines that decide the answer (the DNAT, the SNAT, the DROP, an error). */
  readonly decisive: boolean;
}

/** One thing that happened to the packet, for the path flowchart. */
export interface PathStep {
  /** A hook name, or `routing`, `ipvs`, `origin`, `delivery`. */
  readonly hook: string;
  readonly table: string | null;
  readonly chain: string | null;
  /** 1-based rule index; null for a policy or a non-rule event. */
  readonly rule: number | null;
  readonly effect: string;
  readonly comment: string | null;
  readonly file: string | null;
  readonly line: number | null;
  readonly decisive: boolean;
}

/** One outcome of a trace as a sequence of steps ending in a verdict. */
export interface PathView {
  /** "path 1". */
  readonly label: string;
  readonly tone: Tone;
  /** The verdict line of this path (as `iptlens trace` prints it). */
  readonly verdict: string;
  readonly probability: number;
  /** What must hold for this path ("random choice at …", "ipset X holds …"). */
  readonly conditions: readonly string[];
  /** The packet as it enters: "pod 10.244.1.5:40000 → 10.96.0.10:53 udp NEW". */
  readonly start: string;
  readonly steps: readonly PathStep[];
}

export interface GraphViewNode {
  /** `table:chain` (the chain graph's key). */
  readonly id: string;
  readonly table: string;
  readonly chain: string;
  readonly builtin: boolean;
  /** False for a chain that rules jump to but that is not declared. */
  readonly exists: boolean;
  /** True when some traced path passes through it. */
  readonly onPath: boolean;
}

/** All jumps/gotos from one chain to another, merged into one arrow. */
export interface GraphViewEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'jump' | 'goto';
  /** 1-based indexes of the rules that make it, ascending. */
  readonly rules: readonly number[];
  readonly onPath: boolean;
}

/** An excerpt of the chain graph small enough to draw. */
export interface GraphView {
  readonly nodes: readonly GraphViewNode[];
  readonly edges: readonly GraphViewEdge[];
  /** Entry chains in the order the packet meets them (or the graph's built-in chains). */
  readonly roots: readonly string[];
  /** Chains left out to keep the drawing readable. */
  readonly omittedNodes: number;
}

/** A table for anything tabular a command reports (Services, differences, findings). */
export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Rows left out by a cap. */
  readonly omittedRows: number;
}

/** What makes the report reproducible. */
export interface ReportFooter {
  /** iptlens' version. */
  readonly version: string;
  /** The command line, `iptlens` first, one element per argument. */
  readonly commandLine: readonly string[];
  readonly inputs: readonly InputDigest[];
}

export interface ReportDocument {
  readonly schema: 'iptlens.report/v1';
  readonly command: ReportCommand;
  /** "iptlens trace: DROPPED …" — the heading of the ticket. */
  readonly title: string;
  readonly verdict: Verdict;
  /** A few short paragraphs. */
  readonly explanation: readonly string[];
  readonly paths: readonly PathView[];
  /** Paths not shown in `paths` (they are in `fullText`). */
  readonly omittedPaths: number;
  readonly graph: GraphView | null;
  readonly tables: readonly ReportTable[];
  readonly evidence: readonly Evidence[];
  /** Evidence lines left out by the cap. */
  readonly omittedEvidence: number;
  /** What to do next, one item each. */
  readonly remediation: readonly string[];
  /** The command's plain text output (collapsible in the ticket formats). */
  readonly fullText: string;
  readonly footer: ReportFooter;
}

/** What the caller knows about the run: how iptlens was invoked. */
export interface ReportMeta {
  readonly commandLine: readonly string[];
  readonly version: string;
}

/** Caps that keep a ticket readable; what is left out is counted and said. */
export const REPORT_LIMITS = {
  evidence: 80,
  paths: 6,
  stepsPerPath: 60,
  graphNodes: 48,
  neighboursPerChain: 4,
  /** Characters of one evidence line. */
  lineText: 300,
  /** Characters of the collapsible full text. */
  fullText: 400_000,
} as const;

/** Evidence for the line a position is on. */
export function evidenceAt(ref: SourceRef, why: string, comment: string | null, decisive: boolean): Evidence {
  const l = locate(ref);
  return { file: l.file, line: l.line, text: shorten(lineTextAt(ref.source, ref.start), REPORT_LIMITS.lineText), comment, why, decisive };
}

/** Keeps the first of several evidence items for one `file:line`; decisive wins. */
export function mergeEvidence(items: Iterable<Evidence>): Evidence[] {
  const byLine = new Map<string, Evidence>();
  for (const item of items) {
    const key = `${item.file}\u0000${item.line}`;
    const seen = byLine.get(key);
    if (!seen) byLine.set(key, item);
    else if (item.decisive && !seen.decisive) byLine.set(key, { ...seen, decisive: true, why: item.why });
  }
  return [...byLine.values()];
}

export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The collapsible text, capped so a ticket attachment stays small. */
export function fullTextOf(text: string): string {
  if (text.length <= REPORT_LIMITS.fullText) return text;
  return `${text.slice(0, REPORT_LIMITS.fullText)}\n… (${text.length - REPORT_LIMITS.fullText} more characters: run the command with --output text for all)\n`;
}

export function footerOf(meta: ReportMeta, sources: Iterable<SourceText>): ReportFooter {
  return { version: meta.version, commandLine: [...meta.commandLine], inputs: inputDigests(sources) };
}

/** The command line as one shell-like string (an argument with spaces or quotes is single-quoted). */
export function commandLineText(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The command that collects a missing fact on the node. */
export function collectCommandFor(what: MissingFact['what']): string {
  switch (what) {
    case 'ipv4-rules':
      return 'iptables-save';
    case 'ipv6-rules':
      return 'ip6tables-save';
    case 'ipsets':
      return 'ipset save';
    case 'ipvs':
      return 'ipvsadm -Sn';
    case 'interfaces':
      return 'ip -d addr';
    case 'routes':
      return 'ip route show table all';
    case 'sysctls':
      return 'sysctl -a';
    default: {
      const never: never = what;
      return never;
    }
  }
}

export function remediationForMissing(missing: readonly MissingFact[]): string[] {
  return missing.map((m) => `Collect \`${collectCommandFor(m.what)}\` on the node and run again: ${m.consequence}.`);
}

/** What to draw around the chains a trace visited. */
export interface GraphFocus {
  /** Chain keys in the order first visited. */
  readonly visited: readonly string[];
  /** `table:chain#rule` of every rule a path took a jump/goto at. */
  readonly takenRules: ReadonlySet<string>;
}

/**
 * An excerpt of the chain graph: with a focus, the visited chains and a few chains each of them
 * could have jumped to (so a reader sees the road not taken); without, the chains `keep`
 * accepts, built-in ones and what they reach first. Capped at REPORT_LIMITS.graphNodes.
 */
export function chainGraphView(graph: ChainGraph, keep: (key: string) => boolean, focus: GraphFocus | null): GraphView {
  const chosen: string[] = [];
  const chosenSet = new Set<string>();
  const leftOut = new Set<string>();
  const add = (key: string): void => {
    if (chosenSet.has(key) || !graph.hasNode(key) || !keep(key)) return;
    if (chosen.length >= REPORT_LIMITS.graphNodes) {
      leftOut.add(key);
      return;
    }
    chosen.push(key);
    chosenSet.add(key);
  };
  // A chain the packet jumped into is on its path even when no rule in it matched (it
  // returned at its end), so the targets of taken jumps count as visited.
  const visited: string[] = [];
  for (const key of focus?.visited ?? []) {
    if (!visited.includes(key)) visited.push(key);
    if (!graph.hasNode(key)) continue;
    graph.forEachOutEdge(key, (_e, attr, _from, to) => {
      if (focus?.takenRules.has(`${key}#${attr.rule.index}`) && !visited.includes(to)) visited.push(to);
    });
  }
  const onPath = new Set(visited);
  if (focus) {
    for (const key of visited) add(key);
    for (const key of visited) {
      if (!graph.hasNode(key)) continue;
      let shown = 0;
      for (const next of new Set(graph.outNeighbors(key))) {
        if (onPath.has(next) || chosenSet.has(next) || !keep(next)) continue;
        if (shown < REPORT_LIMITS.neighboursPerChain) {
          add(next);
          if (chosenSet.has(next)) shown++;
        } else leftOut.add(next);
      }
    }
  } else {
    // Breadth-first from the built-in chains (or, without them, from the chains nothing jumps
    // to), so a capped drawing still starts where packets do.
    const queue: string[] = [];
    graph.forEachNode((key, node) => {
      if (node.builtin && keep(key)) queue.push(key);
    });
    if (queue.length === 0) {
      graph.forEachNode((key) => {
        if (graph.inDegree(key) === 0 && keep(key)) queue.push(key);
      });
    }
    const seen = new Set<string>();
    for (let head = 0; head < queue.length; head++) {
      const key = queue[head]!;
      if (seen.has(key)) continue;
      seen.add(key);
      add(key);
      for (const next of graph.outNeighbors(key)) if (!seen.has(next) && keep(next)) queue.push(next);
    }
    graph.forEachNode((key) => {
      if (!seen.has(key)) add(key);
    });
  }
  const nodes: GraphViewNode[] = chosen.map((key) => {
    const n = graph.getNodeAttributes(key);
    return { id: key, table: n.table, chain: n.chain, builtin: n.builtin, exists: n.exists, onPath: onPath.has(key) };
  });
  const merged = new Map<string, { from: string; to: string; kind: 'jump' | 'goto'; rules: number[]; onPath: boolean }>();
  graph.forEachEdge((_e, attr, from, to) => {
    if (!chosenSet.has(from) || !chosenSet.has(to)) return;
    const k = `${from}\u0000${to}\u0000${attr.kind}`;
    const taken = focus?.takenRules.has(`${from}#${attr.rule.index}`) ?? false;
    const m = merged.get(k);
    if (m) {
      m.rules.push(attr.rule.index);
      m.onPath ||= taken;
    } else merged.set(k, { from, to, kind: attr.kind, rules: [attr.rule.index], onPath: taken });
  });
  const edges: GraphViewEdge[] = [...merged.values()].map((e) => ({ ...e, rules: [...new Set(e.rules)].sort((a, b) => a - b) }));
  const roots = focus ? visited.filter((k) => chosenSet.has(k) && graph.getNodeAttribute(k, 'builtin')) : nodes.filter((n) => n.builtin).map((n) => n.id);
  return { nodes, edges, roots: roots.length ? roots : nodes.slice(0, 1).map((n) => n.id), omittedNodes: [...leftOut].filter((k) => !chosenSet.has(k)).length };
}

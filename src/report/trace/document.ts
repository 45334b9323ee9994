/** `iptlens trace` as a report document (markdown/html): the verdict, each path's steps, the rules that decided. */
import type { SourceRef } from '../../../grammar/source.js';
import { buildChainGraph } from '../../graph/chain-graph.js';
import { summariseTrace } from '../../eval/summary.js';
import type { Origin, Step, TracePath, TraceResult } from '../../eval/types.js';
import { addressSetText, portSetText } from '../../eval/view.js';
import type { NodeSnapshot } from '../../model/node.js';
import {
  chainGraphView,
  evidenceAt,
  footerOf,
  fullTextOf,
  mergeEvidence,
  remediationForMissing,
  REPORT_LIMITS,
  type Evidence,
  type PathStep,
  type PathView,
  type ReportDocument,
  type ReportMeta,
  type Tone,
  type Verdict,
} from '../document.js';
import { formatFileLine, locate } from '../location.js';
import { PLAIN } from '../style.js';
import { traceReportText, verdictLine } from './text.js';

function endpoint(ip: string, port: string): string {
  return port === 'any' || port === '0' ? ip : ip.includes(':') && !ip.includes('/') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function originWords(origin: Origin): string {
  switch (origin) {
    case 'pod':
      return 'from a pod';
    case 'host':
      return 'from a process on the node';
    case 'external':
      return 'from outside the node (arriving on its uplink)';
    default: {
      const never: never = origin;
      return never;
    }
  }
}

function isDead(path: TracePath): boolean {
  return path.disposition === 'drop' || path.disposition === 'reject';
}

/** The verdict line without its `[p=…]` tail (the document carries the probability apart). */
function verdictOf(path: TracePath): string {
  return verdictLine(path).replace(/\s+\[p=[^\]]*\]$/, '');
}

function sameRef(a: SourceRef | null, b: SourceRef | null): boolean {
  return a !== null && b !== null && a.source === b.source && a.start === b.start;
}

/** The steps whose rule decides the path: its DNAT, its SNAT, what dropped it, what a condition hangs on. */
function decisiveSteps(path: TracePath): Set<Step> {
  const out = new Set<Step>();
  const last = [...path.steps].reverse().find((s) => s.at !== null) ?? null;
  for (const s of path.steps) {
    if (!s.at) continue;
    if (sameRef(s.at, path.dnat?.at ?? null) || sameRef(s.at, path.snat?.at ?? null)) out.add(s);
    if (path.conditions.some((c) => sameRef(s.at, c.at))) out.add(s);
  }
  if (isDead(path) && last) out.add(last);
  return out;
}

function pathView(path: TracePath, index: number, start: string): PathView {
  const decisive = decisiveSteps(path);
  const steps: PathStep[] = path.steps.map((s) => {
    const l = s.at ? locate(s.at) : null;
    return { hook: s.hook, table: s.table, chain: s.chain, rule: s.rule, effect: s.effect, comment: s.comment, file: l?.file ?? null, line: l?.line ?? null, decisive: decisive.has(s) };
  });
  const tone: Tone = isDead(path) ? 'problem' : 'ok';
  return { label: `path ${index + 1}`, tone, verdict: verdictOf(path), probability: path.probability, conditions: path.conditions.map((c) => c.text), start, steps };
}

function verdictOfTrace(result: TraceResult): Verdict {
  const paths = result.paths;
  if (paths.length === 0) return { tone: 'warning', text: 'no path was traced' };
  const dead = paths.filter(isDead);
  const summary = summariseTrace(result);
  if (dead.length === paths.length) {
    const lines = [...new Set(paths.map(verdictOf))];
    return { tone: 'problem', text: lines.length === 1 ? lines[0]! : `dropped or rejected on every path (${lines.length} different ways)` };
  }
  if (dead.length > 0) {
    const p = dead.reduce((sum, d) => sum + d.probability, 0);
    return { tone: 'warning', text: `dropped or rejected on ${dead.length} of ${paths.length} paths (p=${p.toFixed(3)})` };
  }
  if (paths.length === 1) return { tone: 'ok', text: verdictOf(paths[0]!) };
  const where = [...new Set(paths.map((p) => (p.disposition === 'egress' ? `egress ${p.egress?.iface ?? '?'}` : p.disposition === 'local-pod' ? `to a pod via ${p.egress?.iface ?? '?'}` : 'delivered locally')))];
  const dnat = summary.dnat.length ? `DNAT to ${summary.dnat.join(' or ')}` : 'no DNAT';
  return { tone: 'ok', text: `${paths.length} paths: ${where.join(' or ')}; ${dnat}; SNAT ${summary.snat}` };
}

function explanationOf(node: NodeSnapshot, result: TraceResult, tuple: string): string[] {
  const p = result.probe;
  const summary = summariseTrace(result);
  const out = [`Traced a ${p.state} ${p.proto} packet ${originWords(p.origin)}, ${tuple}, through the ${p.family} rules of node ${node.name}.`];
  if (result.paths.length > 0) {
    const nat = summary.dnat.length ? `It is DNATed to ${summary.dnat.join(' or ')}` : 'It is not DNATed';
    const snat = summary.snat === 'always' ? 'and always SNATed' : summary.snat === 'never' ? 'and never SNATed' : 'and SNATed on some paths only';
    out.push(`${nat}, ${snat}; it takes ${result.paths.length} path${result.paths.length === 1 ? '' : 's'}:`);
  }
  result.paths.forEach((path, i) => {
    const when = path.conditions.length ? ` when ${path.conditions.map((c) => c.text).join(' and ')}` : '';
    out.push(`Path ${i + 1} (p=${path.probability === 1 ? '1.0' : path.probability.toFixed(3)}): ${verdictOf(path)}${when}.`);
  });
  if (result.omitted.paths > 0) out.push(`${result.omitted.paths} more paths (total p=${result.omitted.probability.toFixed(3)}) were not explored: the path cap was reached.`);
  for (const a of result.assumptions) out.push(`Assumed: ${a}.`);
  return out;
}

function remediationOf(node: NodeSnapshot, result: TraceResult): string[] {
  const out = remediationForMissing(node.missing);
  result.paths.forEach((path, i) => {
    if (!isDead(path)) return;
    const last = [...path.steps].reverse().find((s) => s.at !== null);
    if (last?.at) out.push(`Path ${i + 1} ends at ${formatFileLine(last.at)} (${last.table ?? ''}/${last.chain ?? ''}${last.rule !== null ? `#${last.rule}` : ''}: ${last.effect}): if this packet should pass, that rule, or the rule that jumps to its chain, is where to look.`);
  });
  const undecided = [...new Set(result.paths.flatMap((p) => p.conditions.filter((c) => c.kind !== 'random' && c.kind !== 'ipvs').map((c) => c.text)))];
  if (undecided.length) out.push(`The answer depends on facts the snapshot does not hold: ${undecided.join('; ')}. Add the matching dump to decide them.`);
  if (result.omitted.paths > 0) out.push(`Raise --max-paths to explore the ${result.omitted.paths} paths left out.`);
  return out;
}

function evidenceOf(result: TraceResult): { evidence: Evidence[]; omitted: number } {
  const items: Evidence[] = [];
  for (const path of result.paths) {
    const decisive = decisiveSteps(path);
    for (const s of path.steps) if (s.at) items.push(evidenceAt(s.at, s.effect, s.comment, decisive.has(s)));
  }
  const merged = mergeEvidence(items);
  // Decisive lines first when the cap bites, each group in path order.
  const ordered = merged.length > REPORT_LIMITS.evidence ? [...merged.filter((e) => e.decisive), ...merged.filter((e) => !e.decisive)] : merged;
  return { evidence: ordered.slice(0, REPORT_LIMITS.evidence), omitted: Math.max(0, ordered.length - REPORT_LIMITS.evidence) };
}

export function traceDocument(node: NodeSnapshot, result: TraceResult, meta: ReportMeta): ReportDocument {
  const p = result.probe;
  const tuple = `${endpoint(addressSetText(p.family, p.src), portSetText(p.sport))} → ${endpoint(addressSetText(p.family, p.dst), portSetText(p.dport))}`;
  const start = `${p.origin} ${tuple} ${p.proto} ${p.state}`;
  const verdict = verdictOfTrace(result);
  const ruleset = p.family === 'ipv4' ? node.ipv4 : node.ipv6;
  const visited: string[] = [];
  const takenRules = new Set<string>();
  for (const path of result.paths) {
    for (const s of path.steps) {
      if (!s.table || !s.chain) continue;
      const key = `${s.table}:${s.chain}`;
      if (!visited.includes(key)) visited.push(key);
      if (s.rule !== null) takenRules.add(`${key}#${s.rule}`);
    }
  }
  const graph = ruleset ? chainGraphView(buildChainGraph(ruleset), () => true, { visited, takenRules }) : null;
  const { evidence, omitted } = evidenceOf(result);
  return {
    schema: 'iptlens.report/v1',
    command: 'trace',
    title: `iptlens trace: ${verdict.text}`,
    verdict,
    explanation: explanationOf(node, result, tuple),
    paths: result.paths.slice(0, REPORT_LIMITS.paths).map((path, i) => pathView(path, i, start)),
    omittedPaths: Math.max(0, result.paths.length - REPORT_LIMITS.paths),
    graph,
    tables: [],
    evidence,
    omittedEvidence: omitted,
    remediation: remediationOf(node, result),
    fullText: fullTextOf(traceReportText(result, PLAIN, true)),
    footer: footerOf(meta, node.inputs.map((i) => i.source)),
  };
}

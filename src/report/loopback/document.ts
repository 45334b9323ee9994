/** `iptlens loopback` as a report document (markdown/html): verdict, each way the connection goes, evidence, remediation. */
import type { NodeSnapshot } from '../../model/node.js';
import type { LoopbackResult, Outcome } from '../../k8s/loopback/types.js';
import { evidenceAt, footerOf, fullTextOf, mergeEvidence, REPORT_LIMITS, type Evidence, type PathStep, type PathView, type ReportDocument, type ReportMeta, type Tone } from '../document.js';
import { locate } from '../location.js';
import { PLAIN } from '../style.js';
import { loopbackReportText } from './text.js';

function toneOf(o: Outcome): Tone {
  return o.verdict === 'works' ? 'ok' : o.verdict === 'short-circuit' ? 'info' : 'problem';
}

function outcomeView(o: Outcome, i: number, start: string): PathView {
  const steps: PathStep[] = [];
  for (const hop of o.hops) {
    steps.push({ hook: hop.kind, table: null, chain: null, rule: null, effect: `${hop.node ? `${hop.node}: ` : ''}${hop.text}`, comment: null, file: null, line: null, decisive: false });
    const path = hop.trace?.paths[0];
    for (const s of path?.steps ?? []) {
      if (!s.at) continue;
      const l = locate(s.at);
      const decisive = path !== undefined && (s.at === path.dnat?.at || s.at === path.snat?.at || (path.disposition === 'drop' && s === path.steps[path.steps.length - 1]));
      steps.push({ hook: s.hook, table: s.table, chain: s.chain, rule: s.rule, effect: s.effect, comment: s.comment, file: l.file, line: l.line, decisive });
    }
  }
  return { label: `${i + 1}. ${o.verdict}`, tone: toneOf(o), verdict: `${o.verdict}: ${o.effect}`, probability: o.probability, conditions: [o.explanation], start, steps: steps.slice(0, REPORT_LIMITS.stepsPerPath) };
}

export function loopbackDocument(nodes: readonly NodeSnapshot[], r: LoopbackResult, meta: ReportMeta): ReportDocument {
  const start = `${r.client} on ${r.clientNode}`;
  const evidence: Evidence[] = [];
  for (const o of r.outcomes) {
    for (const hop of o.hops) {
      const path = hop.trace?.paths[0];
      for (const s of path?.steps ?? []) {
        if (!s.at || s.table !== 'nat') continue;
        if (/MASQUERADE|DNAT|RETURN|MARK|REJECT|DROP/.test(s.effect)) evidence.push(evidenceAt(s.at, `${hop.node ?? ''}: ${s.effect}`, s.comment, s.at === path?.snat?.at || s.at === path?.dnat?.at));
      }
    }
  }
  const merged = mergeEvidence(evidence);
  const bad = r.verdict === 'loopback' || r.verdict === 'blackhole' || r.verdict === 'health-check-failure';
  return {
    schema: 'iptlens.report/v1',
    command: 'loopback',
    title: `iptlens loopback: ${r.verdict.toUpperCase()}${r.verdict === 'works' ? '' : ` (p=${(r.probability * 100).toFixed(1)}%)`} — ${r.client} → ${r.lb.ip}:${r.lb.port}`,
    verdict: { tone: bad ? 'problem' : r.verdict === 'short-circuit' ? 'info' : 'ok', text: `${r.verdict}${r.verdict === 'works' ? '' : ` with probability ${(r.probability * 100).toFixed(1)}%`}` },
    explanation: [
      `A pod (${r.client}) on ${r.clientNode} calls the LoadBalancer address ${r.lb.ip}:${r.lb.port}/${r.lb.proto}, forwarded by ${r.model.title} (${r.model.source}).`,
      ...r.outcomes.map((o, i) => `${i + 1}. ${o.verdict} (p=${(o.probability * 100).toFixed(1)}%): ${o.explanation}`),
      ...r.healthChecks.filter((h) => h.verdict !== 'works').map((h) => h.explanation),
      ...r.notes.map((n) => `Note: ${n}.`),
    ],
    paths: r.outcomes.slice(0, REPORT_LIMITS.paths).map((o, i) => outcomeView(o, i, start)),
    omittedPaths: Math.max(0, r.outcomes.length - REPORT_LIMITS.paths),
    graph: null,
    tables: [
      {
        title: 'Ways the connection goes',
        columns: ['verdict', 'probability', 'what the client sees'],
        rows: r.outcomes.map((o) => [o.verdict, `${(o.probability * 100).toFixed(1)}%`, o.effect]),
        omittedRows: 0,
      },
    ],
    evidence: merged.slice(0, REPORT_LIMITS.evidence),
    omittedEvidence: Math.max(0, merged.length - REPORT_LIMITS.evidence),
    remediation: r.remediations.map((m) => `${m.title}: ${m.detail}${m.cost ? ` (cost: ${m.cost})` : ''}`),
    fullText: fullTextOf(loopbackReportText(r, PLAIN)),
    footer: footerOf(meta, nodes.flatMap((n) => n.inputs.map((i) => i.source))),
  };
}

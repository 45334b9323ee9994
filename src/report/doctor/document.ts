/** `iptlens doctor` as a report document (markdown/html): the findings as a table, their evidence and remediation. */
import type { DoctorResult, Finding } from '../../k8s/doctor/types.js';
import type { NodeSnapshot } from '../../model/node.js';
import {
  evidenceAt,
  footerOf,
  fullTextOf,
  mergeEvidence,
  REPORT_LIMITS,
  type ReportDocument,
  type ReportMeta,
  type ReportTable,
  type Verdict,
} from '../document.js';
import { PLAIN } from '../style.js';
import { doctorReportText, summaryLine } from './text.js';

function verdictOf(result: DoctorResult): Verdict {
  const s = result.summary;
  if (s.error > 0) return { tone: 'problem', text: summaryLine(result) };
  if (s.warning > 0) return { tone: 'warning', text: summaryLine(result) };
  return { tone: s.info > 0 ? 'info' : 'ok', text: s.total === 0 ? 'no findings' : summaryLine(result) };
}

function findingsTable(findings: readonly Finding[]): ReportTable {
  const cap = 200;
  return {
    title: 'Findings',
    columns: ['severity', 'check', 'node', 'services', 'finding'],
    rows: findings.slice(0, cap).map((f) => [f.severity, f.id, f.node ?? 'all nodes', f.services.join(', '), f.title]),
    omittedRows: Math.max(0, findings.length - cap),
  };
}

export function doctorDocument(nodes: readonly NodeSnapshot[], result: DoctorResult, meta: ReportMeta): ReportDocument {
  const verdict = verdictOf(result);
  const explanation = [`Ran ${result.checks.length} checks over ${result.nodes.join(', ')}: ${summaryLine(result)}.`];
  for (const f of result.findings.filter((x) => x.severity !== 'info').slice(0, 20)) explanation.push(`${f.severity} ${f.id}${f.node ? ` on ${f.node}` : ''}: ${f.title}. ${f.explanation}`);
  const evidence = mergeEvidence(result.findings.flatMap((f) => f.evidence.map((e) => evidenceAt(e.at, `${f.id}: ${e.note}`, null, f.severity === 'error'))));
  const remediation = [...new Set(result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.id}: ${f.remediation}`))];
  return {
    schema: 'iptlens.report/v1',
    command: 'doctor',
    title: `iptlens doctor ${result.nodes.join(', ')}: ${verdict.text}`,
    verdict,
    explanation,
    paths: [],
    omittedPaths: 0,
    graph: null,
    tables: [findingsTable(result.findings)],
    evidence: evidence.slice(0, REPORT_LIMITS.evidence),
    omittedEvidence: Math.max(0, evidence.length - REPORT_LIMITS.evidence),
    remediation,
    fullText: fullTextOf(doctorReportText(result, { style: PLAIN, quiet: false })),
    footer: footerOf(meta, new Set(nodes.flatMap((n) => n.inputs.map((i) => i.source)))),
  };
}

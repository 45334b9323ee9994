/**
 * `iptlens doctor --json`: schema iptlens.doctor/v1. Positions become 1-based `file:line` here
 * (house rule 5); everything else is the runner's result as it is.
 *
 *   { schema, nodes, checks, summary: { error, warning, info, total },
 *     findings: [{ id, severity, title, node, services, evidence: [{ file, line, text, note }],
 *                  explanation, remediation, docs }],
 *     skipped: [{ check, node, missing }], failed: [{ check, message }] }
 */
import { lineTextAt } from '../../../grammar/source.js';
import { checkById } from '../../k8s/doctor/index.js';
import type { DoctorResult, Finding, FindingEvidence } from '../../k8s/doctor/types.js';
import { REPORT_LIMITS, shorten } from '../document.js';
import { locate } from '../location.js';

export interface DoctorEvidenceJson {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** The line as written (long lines shortened with "…"). */
  readonly text: string;
  /** What the line shows for this finding. */
  readonly note: string;
}

export function evidenceJson(e: FindingEvidence): DoctorEvidenceJson {
  const l = locate(e.at);
  return { file: l.file, line: l.line, text: shorten(lineTextAt(e.at.source, e.at.start), REPORT_LIMITS.lineText), note: e.note };
}

/** The check's docs page, as the check declares it. */
export function docsOf(f: Finding): string | null {
  return checkById(f.id)?.meta.docs ?? null;
}

export function findingJson(f: Finding) {
  return {
    id: f.id,
    severity: f.severity,
    title: f.title,
    node: f.node,
    services: [...f.services],
    evidence: f.evidence.map(evidenceJson),
    explanation: f.explanation,
    remediation: f.remediation,
    docs: docsOf(f),
  };
}

export function doctorReportJson(result: DoctorResult) {
  return {
    schema: 'iptlens.doctor/v1' as const,
    nodes: [...result.nodes],
    checks: [...result.checks],
    summary: { ...result.summary },
    findings: result.findings.map(findingJson),
    skipped: result.skipped.map((s) => ({ check: s.check, node: s.node, missing: [...s.missing] })),
    failed: result.failed.map((f) => ({ ...f })),
  };
}

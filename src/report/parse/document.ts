/** `iptlens parse` as a report document: what was read, what is missing, every problem with its line. */
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import { summariseRuleset } from '../../model/iptables/summary.js';
import type { NodeSnapshot } from '../../model/node.js';
import { countLine } from '../diagnostics.js';
import {
  evidenceAt,
  footerOf,
  fullTextOf,
  mergeEvidence,
  remediationForMissing,
  REPORT_LIMITS,
  type ReportDocument,
  type ReportMeta,
  type ReportTable,
  type Verdict,
} from '../document.js';
import { PLAIN } from '../style.js';
import { parseReportText } from './text.js';

function verdictOf(diagnostics: readonly Diagnostic[]): Verdict {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (errors > 0) return { tone: 'problem', text: `${countLine(diagnostics)}: some lines were not read` };
  if (warnings > 0) return { tone: 'warning', text: `read, with ${countLine(diagnostics)}` };
  return { tone: 'ok', text: 'every input was read' };
}

function tablesOf(node: NodeSnapshot): ReportTable[] {
  const rows: string[][] = [];
  for (const ruleset of [node.ipv4, node.ipv6]) {
    if (!ruleset) continue;
    for (const t of summariseRuleset(ruleset).tables) rows.push([t.family, t.name, String(t.chains), String(t.userChains), String(t.rules), t.committed ? 'yes' : 'no']);
  }
  const inputs = node.inputs.map((i) => [i.source.name, i.kind, i.command ?? '']);
  const out: ReportTable[] = [{ title: 'Inputs', columns: ['file', 'read as', 'command (pasted session)'], rows: inputs, omittedRows: 0 }];
  if (rows.length) out.push({ title: 'Tables', columns: ['family', 'table', 'chains', 'user chains', 'rules', 'COMMIT'], rows, omittedRows: 0 });
  return out;
}

export function parseDocument(node: NodeSnapshot, meta: ReportMeta): ReportDocument {
  const verdict = verdictOf(node.diagnostics);
  const explanation = [`Read ${node.inputs.length} input${node.inputs.length === 1 ? '' : 's'} of node ${node.name}: ${countLine(node.diagnostics)}.`];
  for (const ruleset of [node.ipv4, node.ipv6]) {
    if (!ruleset) continue;
    const s = summariseRuleset(ruleset);
    const rules = s.tables.reduce((n, t) => n + t.rules, 0);
    const backend = ruleset.backend === 'unknown' ? '' : ` (${ruleset.backend} backend${ruleset.generator ? `, ${ruleset.generator}` : ''})`;
    explanation.push(`${ruleset.family} rules${backend}: ${s.tables.length} tables, ${rules} rules.`);
    if (s.unknownModules.length) explanation.push(`Modules iptlens does not model (traced as "may match"): ${s.unknownModules.join(', ')}.`);
    if (s.unknownTargets.length) explanation.push(`Targets iptlens does not model (traced as a fork): ${s.unknownTargets.join(', ')}.`);
  }
  for (const m of node.missing) explanation.push(`Missing ${m.what}: ${m.consequence}.`);
  for (const d of node.diagnostics) if (!d.at) explanation.push(`${d.severity}[${d.code}]: ${d.message}`);
  // Errors first, then warnings, then notes: when the cap bites, what is left out matters least.
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const located = node.diagnostics.filter((d) => d.at !== null).sort((a, b) => rank[a.severity] - rank[b.severity]);
  const evidence = mergeEvidence(located.map((d) => evidenceAt(d.at!, `${d.severity}[${d.code}]: ${d.message}`, null, d.severity === 'error')));
  const remediation = remediationForMissing(node.missing);
  if (verdict.tone === 'problem') remediation.push('The lines listed as errors were not read: re-collect the dump (a truncated or edited file is the usual cause) or fix those lines, and run `iptlens parse` again.');
  return {
    schema: 'iptlens.report/v1',
    command: 'parse',
    title: `iptlens parse ${node.name}: ${verdict.text}`,
    verdict,
    explanation,
    paths: [],
    omittedPaths: 0,
    graph: null,
    tables: tablesOf(node),
    evidence: evidence.slice(0, REPORT_LIMITS.evidence),
    omittedEvidence: Math.max(0, evidence.length - REPORT_LIMITS.evidence),
    remediation,
    fullText: fullTextOf(parseReportText(node, { style: PLAIN, quiet: false })),
    footer: footerOf(meta, node.inputs.map((i) => i.source)),
  };
}

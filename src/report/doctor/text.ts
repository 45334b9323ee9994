/**
 * `iptlens doctor` as text: one block per finding (severity, check, node, Services, the title,
 * the explanation, the evidence lines with `file:line`, the remediation and the check's page),
 * then what could not be checked and the counts. Pure: result in, text out.
 */
import { lineTextAt } from '../../../grammar/source.js';
import type { DoctorResult, Finding, Requirement, Severity } from '../../k8s/doctor/types.js';
import { shorten } from '../document.js';
import { formatFileLine } from '../location.js';
import type { Style } from '../style.js';
import { docsOf } from './json.js';

export interface DoctorTextOptions {
  readonly style: Style;
  /** One line per finding, no explanation. */
  readonly quiet: boolean;
  /** Evidence lines shown per finding (the rest are counted; --json has all). */
  readonly evidenceLimit?: number;
  /** Column to wrap prose at. */
  readonly width?: number;
}

/** The files each requirement stands for, as a user collects them. */
const COMMAND: Record<Requirement, string> = {
  iptables: 'iptables-save',
  ipsets: 'ipset save',
  ipvs: 'ipvsadm -Ln',
  interfaces: 'ip -d addr',
  routes: 'ip route show table all',
  sysctls: 'sysctl -a',
  'kube-proxy': 'kube-proxy rules',
  'several-nodes': 'the bundles of the other nodes',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? '' : 's'}`;
}

export function summaryLine(result: DoctorResult): string {
  const s = result.summary;
  return `${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info`;
}

function severityWord(severity: Severity, style: Style): string {
  switch (severity) {
    case 'error':
      return style.red(style.bold('error  '));
    case 'warning':
      return style.yellow('warning');
    case 'info':
      return style.cyan('info   ');
    default: {
      const never: never = severity;
      return never;
    }
  }
}

/** Greedy word wrap of a paragraph, every line indented. */
export function wrap(text: string, indent: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}

function findingBlock(f: Finding, o: Required<Omit<DoctorTextOptions, 'quiet'>>): string[] {
  const { style, width, evidenceLimit } = o;
  // The heading names as many Services as fit the width (severity words are 7 wide).
  const head = `${'warning'} ${f.id}  ${f.node ?? 'all nodes'}  `;
  const shown: string[] = [];
  for (const [i, s] of f.services.entries()) {
    const more = f.services.length - i - 1;
    const next = [...shown, s].join(', ') + (more ? ` +${more} more` : '');
    if (shown.length > 0 && head.length + next.length > width) break;
    shown.push(s);
  }
  const rest = f.services.length - shown.length;
  const where = [f.node ?? 'all nodes', shown.join(', ') + (rest ? ` +${rest} more` : '')].filter(Boolean).join('  ');
  const lines = [`${severityWord(f.severity, style)} ${style.bold(f.id)}  ${style.dim(where)}`, ...wrap(f.title, '  ', width).map((l) => style.bold(l))];
  lines.push(...wrap(f.explanation, '  ', width));
  if (f.evidence.length) {
    lines.push('  evidence:');
    for (const e of f.evidence.slice(0, evidenceLimit)) {
      lines.push(`    ${style.dim(formatFileLine(e.at))}  ${e.note}`);
      lines.push(`      ${style.dim(shorten(lineTextAt(e.at.source, e.at.start).trim(), Math.max(40, width - 6)))}`);
    }
    if (f.evidence.length > evidenceLimit) lines.push(style.dim(`    … ${f.evidence.length - evidenceLimit} more line(s) (--json lists them all)`));
  }
  lines.push(...wrap(`fix: ${f.remediation}`, '  ', width));
  const docs = docsOf(f);
  if (docs) lines.push(style.dim(`  docs: ${docs}`));
  return lines;
}

export function doctorReportText(result: DoctorResult, options: DoctorTextOptions): string {
  const o = { style: options.style, width: options.width ?? 100, evidenceLimit: options.evidenceLimit ?? 8 };
  const { style } = o;
  const out: string[] = [];
  out.push(`iptlens doctor: ${result.nodes.join(', ') || 'no node'} — ${plural(result.checks.length, 'check')}: ${summaryLine(result)}`);
  for (const f of result.findings) {
    if (options.quiet) {
      out.push(`${severityWord(f.severity, style)} ${f.id}  ${f.node ?? 'all nodes'}  ${f.title}`);
      continue;
    }
    out.push('', ...findingBlock(f, o));
  }
  if (!options.quiet && result.skipped.length) {
    out.push('', style.dim('not checked (the node\'s files lack what the check reads):'));
    const byNode = new Map<string, Map<string, string[]>>();
    for (const s of result.skipped) {
      const what = s.missing.map((m) => COMMAND[m]).join(', ');
      const node = byNode.get(s.node) ?? new Map<string, string[]>();
      node.set(what, [...(node.get(what) ?? []), s.check]);
      byNode.set(s.node, node);
    }
    for (const [node, byWhat] of byNode) for (const [what, checks] of byWhat) out.push(style.dim(`  ${node}: ${checks.join(', ')} — give ${what}`));
  }
  for (const f of result.failed) out.push('', style.red(`check ${f.check} failed (a bug in iptlens, please report it): ${f.message}`));
  if (result.unknownChecks.length) out.push('', style.red(`unknown check(s): ${result.unknownChecks.join(', ')}`));
  out.push('', result.summary.total === 0 ? style.green(`no findings (${plural(result.checks.length, 'check')} run)`) : summaryLine(result));
  return out.join('\n') + '\n';
}
